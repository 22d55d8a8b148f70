// The terminal report of `kraftsim compare` (compare_table.hh): a header line, the schedule runs'
// figures (one row per figure, one column per quorum size), the two sweeps (one row per number of
// voters or racks down, one column per quorum size) and a one-line takeaway per size.
#include "tools/cli/compare_table.hh"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "tools/cli/compare_format.hh"
#include "tools/cli/compare_json.hh"

namespace kraftsim::cli {

namespace {

using raft::Duration;
using sim::compare::CompareReport;
using sim::compare::SizeSummary;
using sim::compare::SweepCell;
using sim::compare::SweepKind;


// --- Layout ---

struct Row {
  std::string label;
  std::vector<std::string> cells;
};

std::string padded(const std::string& s, std::size_t width, bool right) {
  if (s.size() >= width) return s;
  const std::string fill(width - s.size(), ' ');
  return right ? fill + s : s + fill;
}

// Prints `rows` under a heading row: the labels left-aligned, each column as wide as its widest
// entry, cells right-aligned (numbers) or left-aligned (words).
void print_rows(std::ostream& out, const std::string& corner, const std::vector<std::string>& heads,
                const std::vector<Row>& rows, bool right_align) {
  std::size_t label_width = corner.size();
  std::vector<std::size_t> widths;
  for (const std::string& h : heads) widths.push_back(h.size());
  for (const Row& row : rows) {
    label_width = std::max(label_width, row.label.size());
    for (std::size_t c = 0; c < row.cells.size() && c < widths.size(); ++c) {
      widths[c] = std::max(widths[c], row.cells[c].size());
    }
  }
  auto print_line = [&](const std::string& label, const std::vector<std::string>& cells) {
    std::string line = "  " + padded(label, label_width, false);
    for (std::size_t c = 0; c < widths.size(); ++c) {
      line += "   " + padded(c < cells.size() ? cells[c] : "", widths[c], right_align);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << "\n";
  };
  print_line(corner, heads);
  for (const Row& row : rows) print_line(row.label, row.cells);
}

std::vector<std::string> size_heads(const CompareReport& report) {
  std::vector<std::string> heads;
  for (const SizeSummary& s : report.sizes) heads.push_back(plural(s.voters, "voter"));
  return heads;
}

// --- Header ---

std::string sizes_text(const CompareReport& report) {
  std::string text;
  for (std::size_t i = 0; i < report.sizes.size(); ++i) {
    text += (i ? " vs " : "") + std::to_string(report.sizes[i].voters);
  }
  return text + " voters";
}

void print_header(std::ostream& out, const CompareReport& report) {
  const auto& s = report.settings;
  std::size_t schedule_runs = 0;
  for (const SizeSummary& size : report.sizes) schedule_runs += size.runs;
  out << "kraftsim compare: " << sizes_text(report) << "; seeds " << s.first_seed << ".."
      << s.last_seed << "; profile " << s.profile_name << "; " << schedule_runs
      << " schedule runs, " << report.sweep_runs.size() << " sweep runs\n";
}

// --- Section 1: the schedule runs ---

Row row(const CompareReport& report, const std::string& label,
        std::string (*cell)(const SizeSummary&)) {
  Row r{label, {}};
  for (const SizeSummary& s : report.sizes) r.cells.push_back(cell(s));
  return r;
}

std::string failovers_text(const SizeSummary& s) {
  std::string text = std::to_string(s.failovers.count);
  if (s.failovers_open > 0) text += " (+" + std::to_string(s.failovers_open) + " open)";
  return text;
}

std::string violations_text(const SizeSummary& s) {
  if (s.violations == 0) return "0";
  return std::to_string(s.violations) + " of " + plural(static_cast<std::int64_t>(s.runs), "run");
}

std::string partition_seconds(std::int64_t partition_ms) {
  return decimal(round_div(std::max<std::int64_t>(partition_ms, 0), 100), 1);
}

void print_schedules(std::ostream& out, const CompareReport& report) {
  const auto& s = report.settings;
  out << "\nSame fault schedules (seeds " << s.first_seed << ".." << s.last_seed
      << ", each schedule run unchanged against every quorum size)\n";
  std::vector<Row> rows;
  rows.push_back(row(report, "metadata availability",
                     [](const SizeSummary& x) { return percent_text(x.available_ppm, 3); }));
  rows.push_back(row(report, "  unavailable time",
                     [](const SizeSummary& x) { return duration_text(x.unavailable); }));
  rows.push_back(row(report, "  worst run",
                     [](const SizeSummary& x) { return percent_text(x.worst_available_ppm, 3); }));
  rows.push_back(row(report, "unavailable windows",
                     [](const SizeSummary& x) { return std::to_string(x.windows.count); }));
  rows.push_back(row(report, "  window p50", [](const SizeSummary& x) {
    return x.windows.count ? duration_text(x.windows.p50) : "-";
  }));
  rows.push_back(row(report, "  window max", [](const SizeSummary& x) {
    return x.windows.count ? duration_text(x.windows.max) : "-";
  }));
  rows.push_back(row(report, "failover time p50", [](const SizeSummary& x) {
    return x.failovers.count ? duration_text(x.failovers.p50) : "-";
  }));
  rows.push_back(row(report, "  p90", [](const SizeSummary& x) {
    return x.failovers.count ? duration_text(x.failovers.p90) : "-";
  }));
  rows.push_back(row(report, "  p99", [](const SizeSummary& x) {
    return x.failovers.count ? duration_text(x.failovers.p99) : "-";
  }));
  rows.push_back(row(report, "  max", [](const SizeSummary& x) {
    return x.failovers.count ? duration_text(x.failovers.max) : "-";
  }));
  rows.push_back(row(report, "failovers", failovers_text));
  rows.push_back(row(report, "elections won",
                     [](const SizeSummary& x) { return std::to_string(x.elections); }));
  rows.push_back(row(report, "highest epoch",
                     [](const SizeSummary& x) { return std::to_string(x.max_epoch); }));
  rows.push_back(row(report, "admin requests failed / timed out", [](const SizeSummary& x) {
    return std::to_string(x.admin_failed) + " / " + std::to_string(x.admin_timed_out) + " (" +
           std::to_string(x.admin_acknowledged) + " acked)";
  }));
  rows.push_back(row(report, "brokers fenced",
                     [](const SizeSummary& x) { return std::to_string(x.broker_fences); }));
  rows.push_back(row(report, "partitions without leader, most at once",
                     [](const SizeSummary& x) { return std::to_string(x.max_leaderless); }));
  rows.push_back(row(report, "  partition-seconds without leader", [](const SizeSummary& x) {
    return partition_seconds(x.leaderless_partition_ms);
  }));
  rows.push_back(row(report, "committed records lost",
                     [](const SizeSummary& x) { return std::to_string(x.committed_records_lost); }));
  rows.push_back(row(report, "invariant violations", violations_text));
  print_rows(out, "", size_heads(report), rows, true);

  // Every run that broke an invariant, with the command that replays it (from DIR).
  for (const auto& size_runs : report.runs) {
    for (const auto& run : size_runs) {
      if (run.violation.empty()) continue;
      out << "  violation " << run.violation << " in " << run.scenario_name << ": kraftsim run "
          << replay_file(run.scenario_name) << " --seed " << run.seed << "\n";
    }
  }
}

// --- Sections 2 and 3: the sweep ---

const SweepCell* find_cell(const CompareReport& report, SweepKind kind, int down, int voters) {
  for (const SweepCell& c : report.sweep) {
    if (c.kind == kind && c.down == down && c.voters == voters) return &c;
  }
  return nullptr;
}

bool all_progressed(const SweepCell& c) { return c.runs > 0 && c.progress_runs == c.runs; }

std::string voters_held(const SweepCell& c) {
  if (c.voters_down_min == c.voters_down_max) return "(" + plural(c.voters_down_min, "voter") + ")";
  return "(" + std::to_string(c.voters_down_min) + "-" + std::to_string(c.voters_down_max) +
         " voters)";
}

std::string cell_text(const SweepCell* c, bool with_voters) {
  if (c == nullptr) return "-";
  std::string text = percent_text(c->window_available_ppm_median, 1);
  if (all_progressed(*c)) {
    text += " progress";
  } else if (c->progress_runs == 0) {
    text += " STOPPED";
  } else {
    text += " progress " + std::to_string(c->progress_runs) + "/" + std::to_string(c->runs);
  }
  if (with_voters) text += " " + voters_held(*c);
  if (c->violations > 0) text += " VIOLATION";
  return text;
}

int max_down(const CompareReport& report, SweepKind kind) {
  int most = 0;
  for (const SweepCell& c : report.sweep) {
    if (c.kind == kind) most = std::max(most, c.down);
  }
  return most;
}

void print_sweep(std::ostream& out, const CompareReport& report, SweepKind kind) {
  const auto& s = report.settings;
  const bool racks = kind == SweepKind::RacksDown;
  out << "\n"
      << (racks ? "Racks down at once (all their nodes crash" :
                  "Voters down at once (leader first; they crash")
      << " at " << setting_text(s.sweep.fault_at_ms) << ", restart "
      << setting_text(s.sweep.hold_ms) << " later; "
      << plural(static_cast<std::int64_t>(s.sweep_seeds), "seed") << " per cell)\n"
      << "  fault window available (median of seeds); progress = the quorum kept committing\n";
  std::vector<Row> rows;
  for (int down = 0; down <= max_down(report, kind); ++down) {
    Row r{std::to_string(down), {}};
    for (const SizeSummary& size : report.sizes) {
      r.cells.push_back(cell_text(find_cell(report, kind, down, size.voters), racks));
    }
    rows.push_back(std::move(r));
  }
  print_rows(out, "down", size_heads(report), rows, false);
}

// --- Takeaway ---

// What the cells of `kind` say about a quorum of `voters`: the largest number down from 0 up to
// which every seed kept making progress, then what happened at the next one.
// `lead` starts the sentence: "keeps making progress with up to " or "up to ".
std::string tolerance_text(const CompareReport& report, SweepKind kind, int voters,
                           const std::string& lead) {
  const bool racks = kind == SweepKind::RacksDown;
  const std::string noun = racks ? "rack" : "voter";
  const SweepCell* baseline = find_cell(report, kind, 0, voters);
  if (baseline == nullptr) return "not measured";
  if (!all_progressed(*baseline)) return "no progress even with nothing down";
  int tolerated = 0;
  const SweepCell* next = nullptr;
  for (int down = 1;; ++down) {
    next = find_cell(report, kind, down, voters);
    if (next == nullptr || !all_progressed(*next)) break;
    tolerated = down;
  }
  std::string text = tolerated == 0 ? "progress only with no " + noun + " down"
                                    : lead + plural(tolerated, noun) + " down";
  if (next == nullptr) return text;
  const int at = tolerated + 1;
  const std::string where = racks ? plural(at, noun) + " " + voters_held(*next) : std::to_string(at);
  if (next->progress_runs == 0) return text + "; stops at " + where;
  return text + "; at " + where + " only " + std::to_string(next->progress_runs) + " of " +
         std::to_string(next->runs) + " seeds kept progress";
}

void print_takeaway(std::ostream& out, const CompareReport& report) {
  out << "\nTakeaway\n";
  for (const SizeSummary& size : report.sizes) {
    const std::string name = plural(size.voters, "voter");
    out << "  " << name << ": "
        << tolerance_text(report, SweepKind::VotersDown, size.voters,
                          "keeps making progress with up to ")
        << "\n  " << std::string(name.size(), ' ') << "  racks: "
        << tolerance_text(report, SweepKind::RacksDown, size.voters, "up to ") << "\n";
  }
}

}  // namespace

void print_compare_table(std::ostream& out, const CompareReport& report) {
  print_header(out, report);
  print_schedules(out, report);
  if (report.sweep.empty()) {
    out << "\nSweep: skipped (no sweep seeds)\n";
    return;
  }
  print_sweep(out, report, SweepKind::VotersDown);
  print_sweep(out, report, SweepKind::RacksDown);
  print_takeaway(out, report);
}

}  // namespace kraftsim::cli
