// The JSON report of `kraftsim compare` (compare_json.hh). Top level:
//   settings    voters, seeds {first, last}, profile (name), sweep {seeds, brokers, topics,
//               partitions, replication_factor, fault_at_ms, hold_ms, recovery_ms}
//   sizes       per quorum size: the schedule runs aggregated (SizeSummary)
//   runs        every schedule run (RunMetrics), sizes in settings order, then by seed, with the
//               file under DIR that replays it and the command to do so
//   sweep       every sweep cell (SweepCell)
//   sweep_runs  every sweep run (SweepRun): the run figures plus the fault window's
// Durations are milliseconds as numbers with microsecond precision (2310.5); fractions are ppm
// (integers), with the overall availability also as a percentage.
#include "tools/cli/compare_json.hh"

#include "sim/run_result_json.hh"

namespace kraftsim::cli {

namespace {

using nlohmann::json;
using raft::Duration;
using sim::compare::CompareReport;
using sim::compare::Percentiles;
using sim::compare::RunMetrics;
using sim::compare::SizeSummary;
using sim::compare::SweepCell;
using sim::compare::SweepRun;

// Milliseconds with microsecond precision: 2'310'500 us -> 2310.5.
double ms(Duration d) { return static_cast<double>(d.us()) / 1000.0; }

json ms_list(const std::vector<Duration>& ds) {
  json list = json::array();
  for (const Duration& d : ds) list.push_back(ms(d));
  return list;
}

// {count, p50<suffix>, p90<suffix>, p99<suffix>, max<suffix>}, in ms.
json percentiles_json(const Percentiles& p, const std::string& suffix) {
  return json{{"count", p.count},
              {"p50" + suffix, ms(p.p50)},
              {"p90" + suffix, ms(p.p90)},
              {"p99" + suffix, ms(p.p99)},
              {"max" + suffix, ms(p.max)}};
}

json settings_json(const CompareReport& report) {
  const auto& s = report.settings;
  return json{{"voters", s.voters},
              {"seeds", {{"first", s.first_seed}, {"last", s.last_seed}}},
              {"profile", s.profile_name},
              {"sweep",
               {{"seeds", s.sweep_seeds},
                {"brokers", s.sweep.brokers},
                {"topics", s.sweep.topics},
                {"partitions", s.sweep.partitions},
                {"replication_factor", s.sweep.replication_factor},
                {"fault_at_ms", s.sweep.fault_at_ms},
                {"hold_ms", s.sweep.hold_ms},
                {"recovery_ms", s.sweep.recovery_ms}}}};
}

json size_json(const SizeSummary& s) {
  json failovers = percentiles_json(s.failovers, "");
  failovers["open"] = s.failovers_open;
  return json{
      {"voters", s.voters},
      {"runs", s.runs},
      {"availability",
       {{"ppm", s.available_ppm},
        {"percent", static_cast<double>(s.available_ppm) / 10'000.0},
        {"measured_ms", ms(s.measured)},
        {"unavailable_ms", ms(s.unavailable)},
        {"worst_run_ppm", s.worst_available_ppm}}},
      {"unavailable_windows", percentiles_json(s.windows, "_ms")},
      {"failover_ms", failovers},
      {"elections", s.elections},
      {"max_epoch", s.max_epoch},
      {"admin",
       {{"acknowledged", s.admin_acknowledged},
        {"failed", s.admin_failed},
        {"timed_out", s.admin_timed_out}}},
      {"brokers_fenced", s.broker_fences},
      {"leaderless", {{"max", s.max_leaderless}, {"partition_ms", s.leaderless_partition_ms}}},
      {"committed_records_lost", s.committed_records_lost},
      {"invariant_violations", s.violations}};
}

json run_json(const RunMetrics& r) {
  const std::string file = replay_file(r.scenario_name);
  return json{
      {"voters", r.voters},
      {"seed", r.seed},
      {"scenario", r.scenario_name},
      {"file", file},
      {"replay", "kraftsim run " + file + " --seed " + std::to_string(r.seed)},
      {"outcome", std::string(sim::to_string(r.outcome))},
      {"violation", r.violation.empty() ? json(nullptr) : json(r.violation)},
      {"trace_hash", sim::format_hash(r.trace_hash)},
      {"sim_time_ms", ms(Duration::micros(r.sim_time.us()))},
      {"availability_ppm", r.available_ppm},
      {"measured_ms", ms(r.measured)},
      {"unavailable_ms", ms(r.unavailable)},
      {"windows_ms", ms_list(r.windows)},
      {"failovers_ms", ms_list(r.failovers)},
      {"failovers_open", r.failovers_open},
      {"elections", r.elections},
      {"max_epoch", r.max_epoch},
      {"admin",
       {{"acknowledged", r.admin_acknowledged},
        {"failed", r.admin_failed},
        {"timed_out", r.admin_timed_out}}},
      {"brokers_fenced", r.broker_fences},
      {"leaderless", {{"max", r.max_leaderless}, {"partition_ms", r.leaderless_partition_ms}}},
      {"committed_records_lost", r.committed_records_lost}};
}

json cell_json(const SweepCell& c) {
  return json{{"kind", std::string(to_string(c.kind))},
              {"down", c.down},
              {"voters", c.voters},
              {"runs", c.runs},
              {"progress_runs", c.progress_runs},
              {"voters_down", {{"min", c.voters_down_min}, {"max", c.voters_down_max}}},
              {"window_availability_ppm",
               {{"median", c.window_available_ppm_median},
                {"min", c.window_available_ppm_min},
                {"max", c.window_available_ppm_max}}},
              {"failover_ms", percentiles_json(c.failovers, "")},
              {"recovery_ms", percentiles_json(c.recovery, "")},
              {"never_recovered", c.never_recovered},
              {"violations", c.violations}};
}

json sweep_run_json(const SweepRun& r) {
  json j = run_json(r.metrics);
  j["kind"] = std::string(to_string(r.kind));
  j["down"] = r.down;
  j["voters_down"] = r.voters_down;
  j["window_ms"] = ms(r.window);
  j["window_unavailable_ms"] = ms(r.window_unavailable);
  j["window_availability_ppm"] = r.window_available_ppm;
  j["progress"] = r.progress;
  j["recovery_ms"] = r.recovery ? json(ms(*r.recovery)) : json(nullptr);
  return j;
}

}  // namespace

std::string replay_file(const std::string& scenario_name) {
  return "runs/" + scenario_name + ".json";
}

json compare_to_json(const CompareReport& report) {
  json sizes = json::array();
  for (const SizeSummary& s : report.sizes) sizes.push_back(size_json(s));
  json runs = json::array();
  for (const auto& size_runs : report.runs) {
    for (const RunMetrics& r : size_runs) runs.push_back(run_json(r));
  }
  json sweep = json::array();
  for (const SweepCell& c : report.sweep) sweep.push_back(cell_json(c));
  json sweep_runs = json::array();
  for (const SweepRun& r : report.sweep_runs) sweep_runs.push_back(sweep_run_json(r));
  return json{{"settings", settings_json(report)},
              {"sizes", sizes},
              {"runs", runs},
              {"sweep", sweep},
              {"sweep_runs", sweep_runs}};
}

}  // namespace kraftsim::cli
