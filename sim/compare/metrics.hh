// What `kraftsim compare` measures: the figures of one run (taken from its RunResult alone, so
// replaying the run with `kraftsim run` shows the same numbers), and their aggregates per quorum
// size (schedule runs) and per sweep cell.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/compare/sweep.hh"
#include "sim/run_result.hh"

namespace sim::compare {

// Nearest-rank percentiles of durations: the p-th percentile of n sorted values is the value at
// rank ceil(p/100 * n) (1-based). All zero when count == 0.
struct Percentiles {
  std::size_t count = 0;
  Duration p50;
  Duration p90;
  Duration p99;
  Duration max;
};
Percentiles percentiles(std::vector<Duration> values);

// The figures of one run.
struct RunMetrics {
  int voters = 0;
  std::uint64_t seed = 0;
  std::string scenario_name;
  Outcome outcome = Outcome::Success;
  std::string violation;  // the violated invariant's name; "" if none
  std::uint64_t trace_hash = 0;
  Instant sim_time;       // when the run ended
  // Availability (RunResult::availability).
  Duration measured;
  Duration unavailable;
  std::int64_t available_ppm = 0;
  std::vector<Duration> windows;  // each unavailable window's length, in time order (an open
                                  // one counted to the end of the run)
  // Failovers (RunResult::failovers): the durations of those that ended, and those still open.
  std::vector<Duration> failovers;
  std::size_t failovers_open = 0;
  std::int64_t elections = 0;    // RunResult::elections
  std::int64_t max_epoch = 0;    // highest epoch of any node at the end
  // Admin requests (MetadataSummary): acknowledged, failed, and unknown (their api timeout
  // expired: "timed out").
  std::int64_t admin_acknowledged = 0;
  std::int64_t admin_failed = 0;
  std::int64_t admin_timed_out = 0;
  std::int64_t broker_fences = 0;   // committed fence transitions
  std::int64_t max_leaderless = 0;  // most partitions without a leader at once
  // Partitions without a leader integrated over the run, in partition-milliseconds (from
  // MetadataSummary::leaderless_over_time; 3 partitions leaderless for 2 s = 6000).
  std::int64_t leaderless_partition_ms = 0;
  std::int64_t committed_records_lost = 0;  // RunResult::committed_records_lost
};
RunMetrics run_metrics(const RunResult& r, int voters);

// The schedule runs of one quorum size, aggregated.
struct SizeSummary {
  int voters = 0;
  std::size_t runs = 0;
  Duration measured;     // sum over the runs
  Duration unavailable;  // sum over the runs
  std::int64_t available_ppm = 0;        // of the sums (1'000'000 - unavailable/measured)
  std::int64_t worst_available_ppm = 0;  // the lowest of any run (1'000'000 with no runs)
  Percentiles windows;    // every unavailable window of every run
  Percentiles failovers;  // every failover that ended, of every run
  std::size_t failovers_open = 0;
  std::int64_t elections = 0;  // sum
  std::int64_t max_epoch = 0;  // max
  std::int64_t admin_acknowledged = 0;  // sum
  std::int64_t admin_failed = 0;        // sum
  std::int64_t admin_timed_out = 0;     // sum
  std::int64_t broker_fences = 0;       // sum
  std::int64_t max_leaderless = 0;      // max
  std::int64_t leaderless_partition_ms = 0;  // sum
  std::int64_t committed_records_lost = 0;   // sum
  std::size_t violations = 0;  // runs that ended with an invariant violation
};
SizeSummary summarize_size(int voters, const std::vector<RunMetrics>& runs);

// One sweep run: its run figures and what happened in the fault window.
struct SweepRun {
  SweepKind kind = SweepKind::VotersDown;
  int down = 0;
  int voters_down = 0;  // SweepCase::voters_down
  RunMetrics metrics;
  Duration window;                    // fault_end - fault_start
  Duration window_unavailable;        // Availability::unavailable_between(fault_start, fault_end)
  std::int64_t window_available_ppm = 0;
  bool progress = false;  // the case's progress_between expectation passed
  // From the restart (fault_end) to the first moment after it a write could commit: zero if one
  // could at fault_end, nullopt if none could before the end of the run.
  std::optional<Duration> recovery;
};
SweepRun sweep_run(const RunResult& r, const SweepCase& c);

// The runs of one (kind, down, voters) cell, aggregated.
struct SweepCell {
  SweepKind kind = SweepKind::VotersDown;
  int down = 0;
  int voters = 0;
  std::size_t runs = 0;
  std::size_t progress_runs = 0;  // runs whose progress expectation passed
  int voters_down_min = 0;        // voters the fault took out (differs between racks)
  int voters_down_max = 0;
  // Available fraction of the fault window over the runs (ppm): median (nearest rank), min, max.
  std::int64_t window_available_ppm_median = 0;
  std::int64_t window_available_ppm_min = 0;
  std::int64_t window_available_ppm_max = 0;
  Percentiles failovers;  // every failover that ended, of every run of the cell
  Percentiles recovery;   // the runs with a recovery
  std::size_t never_recovered = 0;  // runs with no recovery before their end
  std::size_t violations = 0;
};
// `runs` must be non-empty and share kind, down and voters.
SweepCell summarize_cell(const std::vector<SweepRun>& runs);

}  // namespace sim::compare
