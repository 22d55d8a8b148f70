// The JSON and the table of `kraftsim bench` (bench_report.hh).
#include "tools/cli/bench_report.hh"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <iomanip>
#include <sstream>
#include <thread>

#include "sim/run_result_json.hh"
#include "tools/cli/bench_stats.hh"

namespace kraftsim::cli {

namespace {

using nlohmann::json;

// Wall seconds of a run, never zero (a run too fast for the clock counts as one nanosecond).
double wall_seconds(const BenchRun& r) { return std::max(r.wall_ms, 1e-6) / 1000; }

double sim_seconds(const BenchRun& r) { return static_cast<double>(r.sim_us) / 1e6; }

double events_per_s(const BenchRun& r) { return static_cast<double>(r.events) / wall_seconds(r); }

double sim_per_wall(const BenchRun& r) { return sim_seconds(r) / wall_seconds(r); }

double seeds_per_min(const BenchRun& r, std::uint64_t seeds) {
  return static_cast<double>(seeds) / (wall_seconds(r) / 60);
}

template <typename F>
json stats_of(const std::vector<BenchRun>& runs, F figure) {
  if (runs.empty()) return nullptr;
  std::vector<double> values;
  for (const BenchRun& r : runs) values.push_back(figure(r));
  const FigureStats s = summarize(std::move(values));
  return json{{"median", s.median}, {"min", s.min}, {"max", s.max}};
}

std::string_view kind_name(CaseSpec::Kind k) {
  return k == CaseSpec::Kind::Fuzz ? "fuzz" : "scenario";
}

// The fields every case has, with no run made.
json empty_case(const CaseSpec& spec) {
  json c;
  c["name"] = spec.name;
  c["kind"] = kind_name(spec.kind);
  c["file"] = spec.file.empty() ? json(nullptr) : json(spec.file.string());
  c["ok"] = true;
  c["reason"] = nullptr;
  c["run_count"] = 0;
  for (const char* key : {"events", "simulated_seconds", "trace_hash", "wall_ms", "events_per_s",
                          "sim_s_per_wall_s"}) {
    c[key] = nullptr;
  }
  c["runs"] = json::array();
  c["peak_rss_mib"] = nullptr;
  if (spec.kind == CaseSpec::Kind::Fuzz) {
    c["seeds"] = spec.fuzz_seeds;
    c["seeds_per_min_per_core"] = nullptr;
    c["outcomes"] = json::object();
  }
  return c;
}

// "7.8", "422205": fixed notation with `decimals` digits after the point.
std::string fixed(double value, int decimals) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(decimals) << value;
  return s.str();
}

// "median [min..max]" of a stats object; "-" when null.
std::string stats_text(const json& stats, int decimals) {
  if (!stats.is_object()) return "-";
  return fixed(stats["median"].get<double>(), decimals) + " [" +
         fixed(stats["min"].get<double>(), decimals) + ".." +
         fixed(stats["max"].get<double>(), decimals) + "]";
}

std::string utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm parts{};
  gmtime_r(&now, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

}  // namespace

json case_json(const CaseSpec& spec, const CaseMeasurement& m) {
  json c = empty_case(spec);
  c["ok"] = m.ok;
  if (!m.ok) c["reason"] = m.reason;
  c["run_count"] = m.runs.size();
  const bool fuzz = spec.kind == CaseSpec::Kind::Fuzz;
  for (const BenchRun& r : m.runs) {
    json run{{"wall_ms", r.wall_ms},
             {"events", r.events},
             {"simulated_seconds", sim_seconds(r)},
             {"events_per_s", events_per_s(r)},
             {"sim_s_per_wall_s", sim_per_wall(r)},
             {"trace_hash", sim::format_hash(r.trace_hash)}};
    if (fuzz) run["seeds_per_min_per_core"] = seeds_per_min(r, spec.fuzz_seeds);
    c["runs"].push_back(std::move(run));
  }
  if (m.runs.empty()) return c;
  const BenchRun& first = m.runs.front();
  c["events"] = first.events;
  c["simulated_seconds"] = sim_seconds(first);
  c["trace_hash"] = sim::format_hash(first.trace_hash);
  c["wall_ms"] = stats_of(m.runs, [](const BenchRun& r) { return r.wall_ms; });
  c["events_per_s"] = stats_of(m.runs, events_per_s);
  c["sim_s_per_wall_s"] = stats_of(m.runs, sim_per_wall);
  if (fuzz) {
    const std::uint64_t seeds = spec.fuzz_seeds;
    c["seeds_per_min_per_core"] =
        stats_of(m.runs, [seeds](const BenchRun& r) { return seeds_per_min(r, seeds); });
    c["outcomes"] = first.outcomes;
  }
  return c;
}

json failed_case_json(const CaseSpec& spec, const std::string& reason) {
  json c = empty_case(spec);
  c["ok"] = false;
  c["reason"] = reason;
  return c;
}

BuildInfo build_info() {
  BuildInfo b;
#ifdef NDEBUG
  b.build_type = "Release";
  b.assertions = false;
#else
  b.build_type = "Debug";
  b.assertions = true;
#endif
  b.build_type_source = "guessed from NDEBUG (defined: Release, else Debug)";
#ifdef __OPTIMIZE__
  b.optimized = true;
#endif
#if defined(__clang__)
  b.compiler = std::string("clang ") + __clang_version__;
#elif defined(__GNUC__)
  b.compiler = std::string("g++ ") + __VERSION__;
#else
  b.compiler = "unknown";
#endif
  b.cores = std::thread::hardware_concurrency();
  return b;
}

json result_document(const BenchSettings& settings, const BuildInfo& build,
                     const std::vector<json>& cases) {
  json doc;
  doc["schema_version"] = kSchemaVersion;
  doc["label"] = settings.label;
  doc["build_type"] = build.build_type;
  doc["build_type_source"] = build.build_type_source;
  doc["optimized"] = build.optimized;
  doc["compiler"] = build.compiler;
  doc["cores"] = build.cores;
  doc["runs"] = settings.runs;
  doc["fuzz_seeds"] = settings.fuzz_seeds;
  doc["quick"] = settings.quick;
  doc["large"] = settings.large;
  doc["median_rule"] = std::string(kMedianRule);
  doc["timestamp_utc"] = utc_now();
  bool ok = true;
  for (const json& c : cases) ok = ok && c["ok"].get<bool>();
  doc["ok"] = ok;
  doc["cases"] = cases;
  doc["units"] = {
      {"wall_ms",
       "wall-clock milliseconds of one run: a scenario's simulation constructed and run to its "
       "end (loading and teardown not counted); fuzz: all its seeds drawn, run and classified"},
      {"events_per_s", "events processed per wall-clock second, per run"},
      {"sim_s_per_wall_s", "simulated seconds per wall-clock second, per run"},
      {"seeds_per_min_per_core", "fuzz seeds per wall-clock minute, one thread"},
      {"peak_rss_mib",
       "peak resident set size (MiB) of the child process that ran the case's runs (wait4 "
       "ru_maxrss; includes the few MiB shared with the parent at fork)"},
      {"simulated_seconds", "simulated seconds of one run (fuzz: summed over its seeds)"},
      {"events", "events of one run (fuzz: summed over its seeds)"}};
  return doc;
}

void print_table(std::ostream& out, const json& document) {
  const std::vector<std::string> header = {"case",
                                           "runs",
                                           "wall ms median [min..max]",
                                           "events/s median [min..max]",
                                           "sim s per wall s median [min..max]",
                                           "peak MiB"};
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> after;  // extra lines, printed after the table
  for (const json& c : document["cases"]) {
    const std::string name = c["name"].get<std::string>();
    const json& peak = c["peak_rss_mib"];
    rows.push_back({name, std::to_string(c["run_count"].get<std::size_t>()),
                    stats_text(c["wall_ms"], 1), stats_text(c["events_per_s"], 0),
                    stats_text(c["sim_s_per_wall_s"], 1),
                    peak.is_number() ? fixed(peak.get<double>(), 1) : "-"});
    if (c["kind"] == "fuzz" && c["seeds_per_min_per_core"].is_object()) {
      std::string outcomes;
      for (const auto& [cls, n] : c["outcomes"].items()) {
        outcomes += (outcomes.empty() ? "" : ", ") + cls + " " + std::to_string(n.get<std::uint64_t>());
      }
      after.push_back(name + ": " + std::to_string(c["seeds"].get<std::uint64_t>()) +
                      " seeds per run, seeds per minute per core " +
                      stats_text(c["seeds_per_min_per_core"], 1) + "; outcomes: " + outcomes);
    }
    if (!c["ok"].get<bool>()) after.push_back(name + ": FAILED: " + c["reason"].get<std::string>());
  }
  std::vector<std::size_t> width(header.size());
  for (std::size_t i = 0; i < header.size(); ++i) width[i] = header[i].size();
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  const auto print_row = [&](const std::vector<std::string>& row) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i > 0) line += "  ";
      line += row[i] + std::string(width[i] - row[i].size(), ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << "\n";
  };
  print_row(header);
  for (const auto& row : rows) print_row(row);
  for (const std::string& line : after) out << line << "\n";
}

}  // namespace kraftsim::cli
