// The structured half of `kraftsim compare`: a sweep over how many voters are down at once (and
// over whole racks down), showing where each quorum size stops making progress.
//
// Every sweep case is the same settled cluster: `voters` controllers, SweepSettings::brokers
// brokers placed round-robin over three racks (racks.hh), SweepSettings::topics topics created at
// 1 s, Kafka's default configuration, a quiet network (1-5 ms links, no loss). At fault_at_ms
// nodes crash (power loss, all at the same instant); hold_ms later they are restarted; the run
// stops recovery_ms after that.
//   VotersDown d (0 <= d <= voters): the leader and d - 1 followers crash ("leader" then
//     "follower" d - 1 times: each picks a running voter that does not lead, so they are d
//     different voters). d = 0: nothing happens (the baseline).
//   RacksDown d (0 <= d <= 3): every node, voters and brokers, of d racks crashes: the racks
//     (seed + i) % 3 for i < d, so the seeds of a cell cover different racks.
// The scenario carries one expectation, a measurement rather than a verdict: "progress_between"
// over the second half of the fault window [fault_at + hold/2, fault_at + hold - 1 ms] (not the
// restart's own instant: a lone voter restarts as leader and commits at once): the committed
// metadata log grew (the active controller writes at least every metadata.max.idle.interval.ms,
// 500 ms, so a quorum that works always grows it). It fails exactly when the quorum stopped.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sim/scenario/scenario.hh"

namespace sim::compare {

enum class SweepKind { VotersDown, RacksDown };

// "voters-down" / "racks-down".
std::string_view to_string(SweepKind k);

struct SweepSettings {
  int brokers = 6;             // two per rack
  int topics = 2;              // "s0", "s1"
  int partitions = 6;          // per topic
  int replication_factor = 3;  // one replica per rack (rack-aware placement)
  std::int64_t fault_at_ms = 10'000;   // the crash (the cluster has settled long before)
  std::int64_t hold_ms = 20'000;       // how long the crashed nodes stay down
  std::int64_t recovery_ms = 20'000;   // the run goes on this long after their restart
};

struct SweepCase {
  SweepKind kind = SweepKind::VotersDown;
  int down = 0;    // voters (VotersDown) or racks (RacksDown) taken down
  int voters = 0;  // quorum size
  std::uint64_t seed = 0;
  // Ready to run: Simulation(scenario, seed). Name "sweep-<kind>-<down>-v<voters>-seed-<seed>",
  // e.g. "sweep-voters-down-2-v3-seed-1"; scenario.seed == seed; dense action indices.
  Scenario scenario;
  Instant fault_start;    // the crash
  Instant fault_end;      // the restart
  Instant progress_from;  // the progress expectation's window: [progress_from, progress_to]
  Instant progress_to;    // fault_end - 1 ms
  // Voters the fault takes out: `down` for VotersDown; for RacksDown the voters of those racks.
  int voters_down = 0;
  // One line, e.g. "3 voters, 6 brokers: the leader and 1 follower crash at 10 s, restart at 30 s".
  std::string summary;
};

// The case; `down` must be within the kind's range (KR_ASSERT otherwise).
SweepCase sweep_case(SweepKind kind, int down, int voters, std::uint64_t seed,
                     const SweepSettings& settings = {});

}  // namespace sim::compare
