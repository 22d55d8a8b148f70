// The figures of `kraftsim compare`: one run's metrics read off its RunResult, and their
// aggregates per quorum size and per sweep cell. See metrics.hh.
#include "sim/compare/metrics.hh"

#include <algorithm>

#include "raft/common/assert.hh"

namespace sim::compare {

namespace {

constexpr std::int64_t kMillion = 1'000'000;

// The element of rank ceil(p/100 * n) (1-based) of the sorted, non-empty `sorted`.
template <typename T>
T nearest_rank(const std::vector<T>& sorted, std::size_t p) {
  const std::size_t n = sorted.size();
  std::size_t rank = (p * n + 99) / 100;
  rank = std::clamp<std::size_t>(rank, 1, n);
  return sorted[rank - 1];
}

// `part` of `whole` not lost to `lost`, in ppm; 0 when `whole` is empty (as
// Availability::available_ppm()).
std::int64_t available_ppm_of(Duration whole, Duration lost) {
  if (whole <= Duration::zero()) return 0;
  return (whole - lost).us() * kMillion / whole.us();
}

// The leaderless series integrated up to `end`: each (time, count) point holds until the next
// point (or `end`); nothing before the first point. In partition-microseconds.
std::int64_t leaderless_partition_us(const std::vector<std::pair<Instant, std::int64_t>>& series,
                                     Instant end) {
  std::int64_t total = 0;
  for (std::size_t i = 0; i < series.size(); ++i) {
    const Instant from = series[i].first;
    const Instant to = i + 1 < series.size() ? std::min(series[i + 1].first, end) : end;
    if (to > from) total += series[i].second * (to - from).us();
  }
  return total;
}

std::int64_t max_node_epoch(const std::vector<NodeSummary>& nodes) {
  std::int64_t best = 0;
  for (const NodeSummary& n : nodes) best = std::max<std::int64_t>(best, n.epoch.value());
  return best;
}

// The sweep case's progress measurement: the first expectation result whose type, as written
// in the scenario, is "progress_between" (sweep cases carry exactly one). False if there is none
// (e.g. a run stopped before its expectations were evaluated).
bool progress_passed(const std::vector<ExpectationResult>& expectations) {
  for (const ExpectationResult& e : expectations) {
    if (e.type == "progress_between") return e.passed;
  }
  return false;
}

// From `at` to the first moment at or after it a write could commit, per `a`; nullopt if none
// could before the run ended. Windows are half-open [start, end).
std::optional<Duration> time_to_available(const Availability& a, Instant at) {
  if (!a.measured_from || at > a.measured_to) return std::nullopt;
  if (at < *a.measured_from) return *a.measured_from - at;
  for (const UnavailableWindow& w : a.windows) {
    if (w.start > at) break;  // in time order: `at` falls between windows
    if (!w.end) return std::nullopt;
    if (at < *w.end) return *w.end - at;
  }
  return Duration::zero();
}

}  // namespace

Percentiles percentiles(std::vector<Duration> values) {
  Percentiles p;
  p.count = values.size();
  if (values.empty()) return p;
  std::sort(values.begin(), values.end());
  p.p50 = nearest_rank(values, 50);
  p.p90 = nearest_rank(values, 90);
  p.p99 = nearest_rank(values, 99);
  p.max = values.back();
  return p;
}

RunMetrics run_metrics(const RunResult& r, int voters) {
  RunMetrics m;
  m.voters = voters;
  m.seed = r.seed;
  m.scenario_name = r.scenario_name;
  m.outcome = r.outcome;
  m.violation = r.violation ? r.violation->invariant : "";
  m.trace_hash = r.trace_hash;
  m.sim_time = r.sim_time;

  const Availability& a = r.availability;
  m.measured = a.measured();
  m.unavailable = a.unavailable();
  m.available_ppm = a.available_ppm();
  for (const UnavailableWindow& w : a.windows) m.windows.push_back(w.length(a.measured_to));

  for (const Failover& f : r.failovers) {
    if (const std::optional<Duration> d = f.duration()) {
      m.failovers.push_back(*d);
    } else {
      ++m.failovers_open;
    }
  }
  m.elections = r.elections;
  m.max_epoch = max_node_epoch(r.nodes);

  const MetadataSummary& md = r.metadata;
  m.admin_acknowledged = md.admin_acknowledged;
  m.admin_failed = md.admin_failed;
  m.admin_timed_out = md.admin_unknown;
  m.broker_fences = md.broker_fences;
  m.max_leaderless = md.max_leaderless_partitions;
  m.leaderless_partition_ms = leaderless_partition_us(md.leaderless_over_time, r.sim_time) / 1000;
  m.committed_records_lost = r.committed_records_lost;
  return m;
}

SizeSummary summarize_size(int voters, const std::vector<RunMetrics>& runs) {
  SizeSummary s;
  s.voters = voters;
  s.runs = runs.size();
  s.worst_available_ppm = kMillion;
  std::vector<Duration> windows;
  std::vector<Duration> failovers;
  for (const RunMetrics& m : runs) {
    s.measured = s.measured + m.measured;
    s.unavailable = s.unavailable + m.unavailable;
    s.worst_available_ppm = std::min(s.worst_available_ppm, m.available_ppm);
    windows.insert(windows.end(), m.windows.begin(), m.windows.end());
    failovers.insert(failovers.end(), m.failovers.begin(), m.failovers.end());
    s.failovers_open += m.failovers_open;
    s.elections += m.elections;
    s.max_epoch = std::max(s.max_epoch, m.max_epoch);
    s.admin_acknowledged += m.admin_acknowledged;
    s.admin_failed += m.admin_failed;
    s.admin_timed_out += m.admin_timed_out;
    s.broker_fences += m.broker_fences;
    s.max_leaderless = std::max(s.max_leaderless, m.max_leaderless);
    s.leaderless_partition_ms += m.leaderless_partition_ms;
    s.committed_records_lost += m.committed_records_lost;
    s.violations += m.outcome == Outcome::SafetyViolation ? 1 : 0;
  }
  s.available_ppm = available_ppm_of(s.measured, s.unavailable);
  s.windows = percentiles(std::move(windows));
  s.failovers = percentiles(std::move(failovers));
  return s;
}

SweepRun sweep_run(const RunResult& r, const SweepCase& c) {
  SweepRun s;
  s.kind = c.kind;
  s.down = c.down;
  s.voters_down = c.voters_down;
  s.metrics = run_metrics(r, c.voters);
  s.window = c.fault_end - c.fault_start;
  s.window_unavailable = r.availability.unavailable_between(c.fault_start, c.fault_end);
  s.window_available_ppm = available_ppm_of(s.window, s.window_unavailable);
  s.progress = progress_passed(r.expectations);
  s.recovery = time_to_available(r.availability, c.fault_end);
  return s;
}

SweepCell summarize_cell(const std::vector<SweepRun>& runs) {
  KR_ASSERT(!runs.empty(), "summarize_cell needs at least one run");
  SweepCell cell;
  const SweepRun& first = runs.front();
  cell.kind = first.kind;
  cell.down = first.down;
  cell.voters = first.metrics.voters;
  cell.runs = runs.size();
  cell.voters_down_min = first.voters_down;
  cell.voters_down_max = first.voters_down;
  std::vector<std::int64_t> ppms;
  std::vector<Duration> failovers;
  std::vector<Duration> recoveries;
  for (const SweepRun& r : runs) {
    KR_ASSERT(r.kind == cell.kind && r.down == cell.down && r.metrics.voters == cell.voters,
              "summarize_cell: runs of different cells");
    cell.progress_runs += r.progress ? 1 : 0;
    cell.voters_down_min = std::min(cell.voters_down_min, r.voters_down);
    cell.voters_down_max = std::max(cell.voters_down_max, r.voters_down);
    ppms.push_back(r.window_available_ppm);
    failovers.insert(failovers.end(), r.metrics.failovers.begin(), r.metrics.failovers.end());
    if (r.recovery) {
      recoveries.push_back(*r.recovery);
    } else {
      ++cell.never_recovered;
    }
    cell.violations += r.metrics.outcome == Outcome::SafetyViolation ? 1 : 0;
  }
  std::sort(ppms.begin(), ppms.end());
  cell.window_available_ppm_median = nearest_rank(ppms, 50);
  cell.window_available_ppm_min = ppms.front();
  cell.window_available_ppm_max = ppms.back();
  cell.failovers = percentiles(std::move(failovers));
  cell.recovery = percentiles(std::move(recoveries));
  return cell;
}

}  // namespace sim::compare
