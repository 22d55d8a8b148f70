// The three presentations of `kraftsim compare` (terminal table, JSON, SVG), checked on a
// hand-made CompareReport: quorum sizes 3 and 5, two schedule seeds each, and a sweep in which 3
// voters stop making progress at 2 voters down and 5 voters at 3. No simulation runs here.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "tools/cli/compare_json.hh"
#include "tools/cli/compare_svg.hh"
#include "tools/cli/compare_table.hh"

namespace {

using raft::Duration;
using sim::compare::CompareReport;
using sim::compare::RunMetrics;
using sim::compare::SizeSummary;
using sim::compare::SweepCell;
using sim::compare::SweepKind;
using sim::compare::SweepRun;

Duration ms(std::int64_t v) { return Duration::millis(v); }
Duration us(std::int64_t v) { return Duration::micros(v); }

RunMetrics run(int voters, std::uint64_t seed) {
  RunMetrics r;
  r.voters = voters;
  r.seed = seed;
  r.scenario_name = "compare-v" + std::to_string(voters) + "-seed-" + std::to_string(seed);
  r.trace_hash = 0xabc + seed;
  r.sim_time = raft::Instant::from_ms(60'000);
  r.measured = ms(58'000);
  r.unavailable = us(2'310'500);
  r.available_ppm = 960'163;
  r.windows = {ms(180), us(2'130'500)};
  r.failovers = {ms(850)};
  r.elections = 3;
  r.max_epoch = 4;
  r.admin_acknowledged = 120;
  return r;
}

SizeSummary size3() {
  SizeSummary s;
  s.voters = 3;
  s.runs = 2;
  s.measured = ms(120'000);
  s.unavailable = us(2'310'500);
  s.available_ppm = 980'745;
  s.worst_available_ppm = 961'234;
  s.windows = {5, ms(180), ms(1200), ms(1500), ms(1500)};
  s.failovers = {4, ms(850), us(2'310'500), ms(2400), ms(2400)};
  s.failovers_open = 1;
  s.elections = 6;
  s.max_epoch = 7;
  s.admin_acknowledged = 250;
  s.admin_failed = 3;
  s.admin_timed_out = 1;
  s.broker_fences = 4;
  s.max_leaderless = 6;
  s.leaderless_partition_ms = 12'500;
  s.violations = 1;
  return s;
}

SizeSummary size5() {
  SizeSummary s;
  s.voters = 5;
  s.runs = 2;
  s.measured = ms(120'000);
  s.unavailable = ms(120);
  s.available_ppm = 999'000;
  s.worst_available_ppm = 998'000;
  s.windows = {2, ms(50), ms(70), ms(70), ms(70)};
  s.failovers = {3, ms(700), ms(1100), ms(1100), ms(1250)};
  s.elections = 4;
  s.max_epoch = 5;
  s.admin_acknowledged = 252;
  s.admin_failed = 1;
  s.broker_fences = 2;
  s.max_leaderless = 3;
  s.leaderless_partition_ms = 4'000;
  return s;
}

SweepCell cell(SweepKind kind, int down, int voters, bool progress, int voters_down_min,
               int voters_down_max, std::int64_t median_ppm) {
  SweepCell c;
  c.kind = kind;
  c.down = down;
  c.voters = voters;
  c.runs = 3;
  c.progress_runs = progress ? 3 : 0;
  c.voters_down_min = voters_down_min;
  c.voters_down_max = voters_down_max;
  c.window_available_ppm_median = median_ppm;
  c.window_available_ppm_min = median_ppm;
  c.window_available_ppm_max = median_ppm;
  if (progress && down > 0) c.failovers = {3, ms(900), ms(1000), ms(1000), ms(1000)};
  if (!progress) c.recovery = {3, ms(1500), ms(2000), ms(2000), ms(2000)};
  return c;
}

// 3 voters keep progress with 1 voter or 1 rack down and stop at 2; 5 voters keep it with 2
// voters or 1 rack (1 or 2 voters) down and stop at 3 voters or 2 racks (3 or 4 voters).
CompareReport report() {
  CompareReport r;
  r.settings.voters = {3, 5};
  r.settings.first_seed = 0;
  r.settings.last_seed = 1;
  r.settings.profile_name = "test-profile";
  r.settings.sweep_seeds = 3;
  r.sizes = {size3(), size5()};
  r.runs = {{run(3, 0), run(3, 1)}, {run(5, 0), run(5, 1)}};
  r.runs[0][1].outcome = sim::Outcome::SafetyViolation;
  r.runs[0][1].violation = "SingleLeader";
  r.runs[0][1].failovers_open = 1;
  const SweepKind V = SweepKind::VotersDown;
  const SweepKind R = SweepKind::RacksDown;
  r.sweep = {cell(V, 0, 3, true, 0, 0, 1'000'000), cell(V, 0, 5, true, 0, 0, 1'000'000),
             cell(V, 1, 3, true, 1, 1, 975'000),   cell(V, 1, 5, true, 1, 1, 976'000),
             cell(V, 2, 3, false, 2, 2, 0),        cell(V, 2, 5, true, 2, 2, 950'000),
             cell(V, 3, 3, false, 3, 3, 0),        cell(V, 3, 5, false, 3, 3, 0),
             cell(V, 4, 5, false, 4, 4, 0),        cell(V, 5, 5, false, 5, 5, 0),
             cell(R, 0, 3, true, 0, 0, 1'000'000), cell(R, 0, 5, true, 0, 0, 1'000'000),
             cell(R, 1, 3, true, 1, 1, 975'000),   cell(R, 1, 5, true, 1, 2, 960'000),
             cell(R, 2, 3, false, 2, 2, 0),        cell(R, 2, 5, false, 3, 4, 0),
             cell(R, 3, 3, false, 3, 3, 0),        cell(R, 3, 5, false, 5, 5, 0)};
  SweepRun stopped;
  stopped.kind = V;
  stopped.down = 2;
  stopped.voters_down = 2;
  stopped.metrics = run(3, 0);
  stopped.metrics.scenario_name = "sweep-voters-down-2-v3-seed-0";
  stopped.window = ms(20'000);
  stopped.window_unavailable = ms(20'000);
  stopped.window_available_ppm = 0;
  stopped.progress = false;
  SweepRun recovered = stopped;
  recovered.down = 1;
  recovered.voters_down = 1;
  recovered.metrics.scenario_name = "sweep-voters-down-1-v3-seed-0";
  recovered.window_unavailable = us(500'250);
  recovered.window_available_ppm = 974'987;
  recovered.progress = true;
  recovered.recovery = us(850'500);
  r.sweep_runs = {stopped, recovered};
  return r;
}

std::string table(const CompareReport& r) {
  std::ostringstream out;
  kraftsim::cli::print_compare_table(out, r);
  return out.str();
}

// The cells of the table row labelled `label` (after the section starting with `section`):
// the rest of the line split at runs of two or more spaces. Empty if there is no such row.
std::vector<std::string> row(const std::string& text, const std::string& label,
                             const std::string& section = "") {
  std::size_t pos = section.empty() ? 0 : text.find(section);
  if (pos == std::string::npos) return {};
  std::istringstream lines(text.substr(pos));
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("  " + label + "  ", 0) != 0) continue;
    std::vector<std::string> cells;
    std::string rest = line.substr(2 + label.size());
    std::size_t i = 0;
    while (i < rest.size()) {
      while (i < rest.size() && rest[i] == ' ') ++i;
      std::size_t end = rest.find("  ", i);
      if (end == std::string::npos) end = rest.size();
      if (end > i) cells.push_back(rest.substr(i, end - i));
      i = end;
    }
    return cells;
  }
  return {};
}

using Cells = std::vector<std::string>;

// Tags balanced (every opened element closed, in order) and every '&' an entity: well-formed
// enough for a chart without CDATA or doctype. Returns "" or what is wrong.
std::string xml_problem(const std::string& xml) {
  std::vector<std::string> open;
  std::size_t i = 0;
  while (i < xml.size()) {
    if (xml[i] == '&') {
      const std::size_t semi = xml.find(';', i);
      const std::string entity = xml.substr(i, semi == std::string::npos ? 8 : semi - i + 1);
      if (entity != "&amp;" && entity != "&lt;" && entity != "&gt;" && entity != "&quot;" &&
          entity != "&apos;") {
        return "bad entity " + entity;
      }
    }
    if (xml[i] == '>') return "stray '>' at " + std::to_string(i);
    if (xml[i] != '<') {
      ++i;
      continue;
    }
    const std::size_t end = xml.find('>', i);
    if (end == std::string::npos) return "unterminated tag";
    const std::string tag = xml.substr(i + 1, end - i - 1);
    if (tag.find('<') != std::string::npos) return "'<' inside a tag: " + tag;
    i = end + 1;
    if (tag.empty()) return "empty tag";
    if (tag.back() == '/') continue;  // self-closing
    if (tag.front() == '/') {
      const std::string name = tag.substr(1);
      if (open.empty() || open.back() != name) return "unbalanced </" + name + ">";
      open.pop_back();
      continue;
    }
    open.push_back(tag.substr(0, tag.find_first_of(" \n\t")));
  }
  return open.empty() ? "" : "unclosed <" + open.back() + ">";
}

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t p = text.find(needle); p != std::string::npos; p = text.find(needle, p + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("Compare table: header and the schedule figures per quorum size") {
  const std::string text = table(report());
  CHECK(text.rfind("kraftsim compare: 3 vs 5 voters; seeds 0..1; profile test-profile; 4 schedule "
                   "runs, 2 sweep runs\n",
                   0) == 0);
  CHECK(text.find("Same fault schedules (seeds 0..1") != std::string::npos);
  CHECK(row(text, "metadata availability") == Cells{"98.074%", "99.900%"});
  CHECK(row(text, "  unavailable time") == Cells{"2.31 s", "120 ms"});
  CHECK(row(text, "  worst run") == Cells{"96.123%", "99.800%"});
  CHECK(row(text, "unavailable windows") == Cells{"5", "2"});
  CHECK(row(text, "  window p50") == Cells{"180 ms", "50 ms"});
  CHECK(row(text, "  window max") == Cells{"1.50 s", "70 ms"});
  CHECK(row(text, "failover time p50") == Cells{"850 ms", "700 ms"});
  CHECK(row(text, "  p90") == Cells{"2.31 s", "1.10 s"});
  CHECK(row(text, "  p99") == Cells{"2.40 s", "1.10 s"});
  CHECK(row(text, "  max") == Cells{"2.40 s", "1.25 s"});
  CHECK(row(text, "failovers") == Cells{"4 (+1 open)", "3"});
  CHECK(row(text, "elections won") == Cells{"6", "4"});
  CHECK(row(text, "highest epoch") == Cells{"7", "5"});
  CHECK(row(text, "admin requests failed / timed out") ==
        Cells{"3 / 1 (250 acked)", "1 / 0 (252 acked)"});
  CHECK(row(text, "brokers fenced") == Cells{"4", "2"});
  CHECK(row(text, "partitions without leader, most at once") == Cells{"6", "3"});
  CHECK(row(text, "  partition-seconds without leader") == Cells{"12.5", "4.0"});
  CHECK(row(text, "committed records lost") == Cells{"0", "0"});
  CHECK(row(text, "invariant violations") == Cells{"1 of 2 runs", "0"});
  CHECK(text.find("  violation SingleLeader in compare-v3-seed-1: kraftsim run "
                  "runs/compare-v3-seed-1.json --seed 1\n") != std::string::npos);
  // No line is wider than a terminal.
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) CHECK(line.size() <= 100);
}

TEST_CASE("Compare table: the sweeps and the takeaway per quorum size") {
  const std::string text = table(report());
  const std::string voters = "Voters down at once";
  const std::string racks = "Racks down at once";
  REQUIRE(text.find(voters) != std::string::npos);
  REQUIRE(text.find(racks) > text.find(voters));
  CHECK(text.find("they crash at 10 s, restart 20 s later; 3 seeds per cell)") !=
        std::string::npos);
  CHECK(row(text, "down", voters) == Cells{"3 voters", "5 voters"});
  CHECK(row(text, "0", voters) == Cells{"100.0% progress", "100.0% progress"});
  CHECK(row(text, "1", voters) == Cells{"97.5% progress", "97.6% progress"});
  CHECK(row(text, "2", voters) == Cells{"0.0% STOPPED", "95.0% progress"});
  CHECK(row(text, "3", voters) == Cells{"0.0% STOPPED", "0.0% STOPPED"});
  CHECK(row(text, "4", voters) == Cells{"-", "0.0% STOPPED"});
  CHECK(row(text, "5", voters) == Cells{"-", "0.0% STOPPED"});
  CHECK(row(text, "1", racks) == Cells{"97.5% progress (1 voter)", "96.0% progress (1-2 voters)"});
  CHECK(row(text, "2", racks) == Cells{"0.0% STOPPED (2 voters)", "0.0% STOPPED (3-4 voters)"});
  CHECK(row(text, "3", racks) == Cells{"0.0% STOPPED (3 voters)", "0.0% STOPPED (5 voters)"});
  CHECK(row(text, "4", racks).empty());
  CHECK(text.find("  3 voters: keeps making progress with up to 1 voter down; stops at 2\n"
                  "            racks: up to 1 rack down; stops at 2 racks (2 voters)\n") !=
        std::string::npos);
  CHECK(text.find("  5 voters: keeps making progress with up to 2 voters down; stops at 3\n"
                  "            racks: up to 1 rack down; stops at 2 racks (3-4 voters)\n") !=
        std::string::npos);
}

TEST_CASE("Compare table: seeds that disagree show k/n, and no sweep means no sweep sections") {
  CompareReport r = report();
  r.sweep[4].progress_runs = 1;  // voters-down 2, 3 voters: 1 of 3 seeds kept progress
  std::string text = table(r);
  CHECK(row(text, "2", "Voters down at once") == Cells{"0.0% progress 1/3", "95.0% progress"});
  CHECK(text.find("  3 voters: keeps making progress with up to 1 voter down; at 2 only 1 of 3 "
                  "seeds kept progress\n") != std::string::npos);

  r.sweep.clear();
  r.sweep_runs.clear();
  text = table(r);
  CHECK(text.find("Sweep: skipped") != std::string::npos);
  CHECK(text.find("Voters down at once") == std::string::npos);
  CHECK(text.find("Takeaway") == std::string::npos);
}

TEST_CASE("Compare table: durations are written in the unit that reads best") {
  CompareReport r = report();
  const std::vector<std::pair<Duration, std::string>> cases = {
      {us(0), "0 ms"},          {us(250), "0.250 ms"},      {us(4'254), "4.25 ms"},
      {us(9'996), "10 ms"},     {us(849'600), "850 ms"},    {us(999'600), "1.00 s"},
      {us(2'314'999), "2.31 s"}, {us(23'149'000), "23.1 s"}, {us(312'400'000), "312 s"}};
  for (const auto& [d, expected] : cases) {
    CAPTURE(expected);
    r.sizes[0].unavailable = d;
    CHECK(row(table(r), "  unavailable time") == Cells{expected, "120 ms"});
  }
}

TEST_CASE("Compare JSON: settings and per-size summaries") {
  const nlohmann::json j = nlohmann::json::parse(kraftsim::cli::compare_to_json(report()).dump());
  CHECK(j["settings"]["voters"] == nlohmann::json::array({3, 5}));
  CHECK(j["settings"]["seeds"]["first"] == 0);
  CHECK(j["settings"]["seeds"]["last"] == 1);
  CHECK(j["settings"]["profile"] == "test-profile");
  CHECK(j["settings"]["sweep"]["seeds"] == 3);
  CHECK(j["settings"]["sweep"]["hold_ms"] == 20'000);
  CHECK(j["settings"]["sweep"]["brokers"] == 6);

  REQUIRE(j["sizes"].size() == 2);
  const nlohmann::json& s3 = j["sizes"][0];
  CHECK(s3["voters"] == 3);
  CHECK(s3["runs"] == 2);
  CHECK(s3["availability"]["ppm"] == 980'745);
  CHECK(s3["availability"]["percent"].get<double>() == doctest::Approx(98.0745));
  CHECK(s3["availability"]["measured_ms"].get<double>() == 120'000.0);
  CHECK(s3["availability"]["unavailable_ms"].get<double>() == 2310.5);
  CHECK(s3["availability"]["worst_run_ppm"] == 961'234);
  CHECK(s3["unavailable_windows"]["count"] == 5);
  CHECK(s3["unavailable_windows"]["p50_ms"].get<double>() == 180.0);
  CHECK(s3["unavailable_windows"]["max_ms"].get<double>() == 1500.0);
  CHECK(s3["failover_ms"]["count"] == 4);
  CHECK(s3["failover_ms"]["open"] == 1);
  CHECK(s3["failover_ms"]["p90"].get<double>() == 2310.5);
  CHECK(s3["elections"] == 6);
  CHECK(s3["max_epoch"] == 7);
  CHECK(s3["admin"] == nlohmann::json{{"acknowledged", 250}, {"failed", 3}, {"timed_out", 1}});
  CHECK(s3["brokers_fenced"] == 4);
  CHECK(s3["leaderless"] == nlohmann::json{{"max", 6}, {"partition_ms", 12'500}});
  CHECK(s3["committed_records_lost"] == 0);
  CHECK(s3["invariant_violations"] == 1);
  CHECK(j["sizes"][1]["voters"] == 5);
  CHECK(j["sizes"][1]["failover_ms"]["max"].get<double>() == 1250.0);
}

TEST_CASE("Compare JSON: every run with its replay command, the sweep cells and sweep runs") {
  const nlohmann::json j = nlohmann::json::parse(kraftsim::cli::compare_to_json(report()).dump());
  CHECK(kraftsim::cli::replay_file("compare-v5-seed-9") == "runs/compare-v5-seed-9.json");
  REQUIRE(j["runs"].size() == 4);
  const nlohmann::json& bad = j["runs"][1];
  CHECK(bad["voters"] == 3);
  CHECK(bad["seed"] == 1);
  CHECK(bad["scenario"] == "compare-v3-seed-1");
  CHECK(bad["file"] == "runs/compare-v3-seed-1.json");
  CHECK(bad["replay"] == "kraftsim run runs/compare-v3-seed-1.json --seed 1");
  CHECK(bad["outcome"] == "safety-violation");
  CHECK(bad["violation"] == "SingleLeader");
  CHECK(bad["trace_hash"] == "0x0000000000000abd");
  CHECK(bad["failovers_open"] == 1);
  CHECK(j["runs"][0]["violation"].is_null());
  CHECK(j["runs"][0]["outcome"] == "success");
  CHECK(j["runs"][2]["scenario"] == "compare-v5-seed-0");
  CHECK(j["runs"][0]["windows_ms"] == nlohmann::json::array({180.0, 2130.5}));
  CHECK(j["runs"][0]["failovers_ms"] == nlohmann::json::array({850.0}));
  CHECK(j["runs"][0]["availability_ppm"] == 960'163);
  CHECK(j["runs"][0]["unavailable_ms"].get<double>() == 2310.5);
  CHECK(j["runs"][0]["admin"]["acknowledged"] == 120);

  REQUIRE(j["sweep"].size() == 18);
  const nlohmann::json& c = j["sweep"][13];  // racks-down 1, 5 voters
  CHECK(c["kind"] == "racks-down");
  CHECK(c["down"] == 1);
  CHECK(c["voters"] == 5);
  CHECK(c["runs"] == 3);
  CHECK(c["progress_runs"] == 3);
  CHECK(c["voters_down"] == nlohmann::json{{"min", 1}, {"max", 2}});
  CHECK(c["window_availability_ppm"]["median"] == 960'000);
  CHECK(c["failover_ms"]["p50"].get<double>() == 900.0);
  CHECK(j["sweep"][4]["kind"] == "voters-down");
  CHECK(j["sweep"][4]["progress_runs"] == 0);
  CHECK(j["sweep"][4]["recovery_ms"]["count"] == 3);
  CHECK(j["sweep"][4]["recovery_ms"]["p90"].get<double>() == 2000.0);

  REQUIRE(j["sweep_runs"].size() == 2);
  const nlohmann::json& stopped = j["sweep_runs"][0];
  CHECK(stopped["kind"] == "voters-down");
  CHECK(stopped["down"] == 2);
  CHECK(stopped["progress"] == false);
  CHECK(stopped["recovery_ms"].is_null());
  CHECK(stopped["window_ms"].get<double>() == 20'000.0);
  CHECK(stopped["replay"] == "kraftsim run runs/sweep-voters-down-2-v3-seed-0.json --seed 0");
  const nlohmann::json& recovered = j["sweep_runs"][1];
  CHECK(recovered["progress"] == true);
  CHECK(recovered["recovery_ms"].get<double>() == 850.5);
  CHECK(recovered["window_unavailable_ms"].get<double>() == 500.25);
  CHECK(recovered["window_availability_ppm"] == 974'987);
  CHECK(recovered["voters_down"] == 1);
}

TEST_CASE("Compare SVG: well-formed, one line per size per sweep panel, labelled, deterministic") {
  const CompareReport r = report();
  const std::string svg = kraftsim::cli::compare_svg(r);
  CHECK(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"960\"", 0) ==
        0);
  CHECK(xml_problem(svg) == "");
  CHECK(count(svg, "<polyline") == 4);
  CHECK(count(svg, ">3 voters</text>") >= 3);  // legend, panel C row, panel D bar
  CHECK(count(svg, ">5 voters</text>") >= 3);
  // Stopped cells are crosses: voters-down 2 and 3 of 3 voters, 3..5 of 5; racks-down 2 and 3 of
  // both.
  CHECK(count(svg, "<path ") == 9 + 1);  // and the cross of the legend
  CHECK(svg.find(">98.074%</text>") != std::string::npos);
  CHECK(svg.find(">99.900%</text>") != std::string::npos);
  CHECK(svg.find("4 failovers (+1 never ended): p50 850 ms, p90 2.31 s, p99 2.40 s, max 2.40 s") !=
        std::string::npos);
  CHECK(svg.find("3 voters, 2 voters down: 0.0% of the window available; 0 of 3 seeds kept "
                 "committing") != std::string::npos);
  CHECK(svg.find("5 voters, 1 rack down (1-2 voters): 96.0%") != std::string::npos);
  CHECK(kraftsim::cli::compare_svg(r) == svg);

  // A cell where only some seeds kept progress is a hollow dot instead of a cross.
  CompareReport mixed = r;
  mixed.sweep[4].progress_runs = 1;
  const std::string mixed_svg = kraftsim::cli::compare_svg(mixed);
  CHECK(count(mixed_svg, "<path ") == 8 + 1);
  CHECK(count(mixed_svg, "fill=\"#ffffff\" stroke=") == count(svg, "fill=\"#ffffff\" stroke=") + 1);
}

TEST_CASE("Compare SVG: text is escaped, and a report without a sweep draws no lines") {
  CompareReport r = report();
  r.settings.profile_name = "a<b & \"c\"";
  r.sweep.clear();
  r.sweep_runs.clear();
  const std::string svg = kraftsim::cli::compare_svg(r);
  CHECK(xml_problem(svg) == "");
  CHECK(svg.find("a&lt;b &amp; &quot;c&quot;") != std::string::npos);
  CHECK(svg.find("a<b") == std::string::npos);
  CHECK(count(svg, "<polyline") == 0);
  CHECK(count(svg, "no sweep was run") == 2);
}
