// The random half of `kraftsim compare`: one fault schedule per seed, drawn from a fuzz profile
// (sim/fuzz/profile.hh) and run, unchanged, against every quorum size being compared.
//
// "Unchanged" means every draw is independent of the voter count: for one seed, the cases of 3
// and of 5 voters have the same brokers, topics, network, run length, and the same faults at the
// same times with the same durations and parameters. Faults name ROLES, never voter ids, so each
// lands on the same role of every quorum:
//   * "leader" (whoever leads when the fault starts) or "follower" (a running voter that does not
//     lead, picked at run time by the run's fault stream); brokers by their index (the j-th
//     broker is node id voters + j);
//   * racks: nodes are placed round-robin over three racks (racks.hh), so "rack b fails" takes
//     out the same fraction of every quorum, rounded by placement (1 voter of 3, 2 or 1 of 5).
// No tolerance budget applies: the same overlapping faults that leave a 3-voter quorum without a
// majority are what a 5-voter quorum rides out, and that difference is the point.
//
// The case (the draw order is fixed; see schedule.cc):
//   cluster   metadata state machine, `voters` controllers, brokers from profile.brokers, every
//             broker's broker.rack set (racks.hh), Kafka's default configuration (no per-node
//             timeouts: those would depend on the voter count);
//   network   default link latency uniform in [1 ms, max], loss and duplication, as the fuzzer
//             draws them;
//   workload  topics created at 3 s (drawn as the fuzzer draws them), replication factor capped by the
//             broker count;
//   faults    swarm style, as the fuzzer: per kind, on with the kind's probability, a mean
//             interval drawn from its range; exponential gaps from 5 s (once the brokers have
//             registered and the topics exist) to the end of the fault
//             phase (profile.safety_ms); each fault drawn in full from its kind's stream before
//             it is scheduled or skipped (so a skip never shifts later draws). The kinds and their
//             targets:
//               crash, shutdown, pause, isolate, slow_disk, clock_drift: "leader" (40%),
//                 "follower" (40%) or a broker (20%);
//               partition: one rack cut off from the two others;
//               one_way_drop: leader -> follower, follower -> leader, leader -> broker or
//                 broker -> leader;
//               slow_link: a broker's links (voters' links would need ids);
//               correlated_crash: every node of one rack crashes at once;
//               controlled_shutdown, broker_wipe: a broker;
//               admin_ops: topic creations and deletions, as the fuzzer.
//             Faults on a broker (or a rack) already held down or paused by an earlier fault are
//             skipped; at most one network cut (isolate, partition, one_way_drop) is open at a
//             time (a new one while another is open is skipped), healed at its end.
//   heal      at profile.safety_ms: "heal" labelled "heal-all" and the undo of every fault still
//             open (nothing stays down);
//   recovery  the run then goes on for profile.liveness_ms and stops. No expectations: compare
//             measures, it does not judge.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/fuzz/profile.hh"
#include "sim/scenario/scenario.hh"

namespace sim::compare {

struct ScheduleCase {
  std::uint64_t seed = 0;
  int voters = 0;
  // Ready to run: Simulation(scenario, seed). Name "compare-v<voters>-seed-<seed>", scenario.seed
  // == seed, actions with dense indices 0..n-1 (scenario_to_text() writes a file that replays with
  // the same trace hash).
  Scenario scenario;
  // Every drawn setting (keys: seed, voters, brokers, safety_ms, recovery_ms, network, topics,
  // faults (the kinds on, with their mean intervals in ms), actions (timeline length)).
  nlohmann::json settings;
  // One line, e.g. "seed 7: 3 voters, 4 brokers; faults 31.2 s then 30 s of recovery; links
  // 1-7 ms, loss 0.31%; crash/4.1s partition/9.3s; 23 actions".
  std::string summary;
  // The schedule in voter-independent terms, one entry per fault scheduled, in time order, e.g.
  // "12.345 s crash leader for 4.1 s (torn write)", "15 s partition rack-b for 2 s". The same
  // list for every voter count of a seed.
  std::vector<std::string> faults;
};

// The case of `seed` for a quorum of `voters` voters (1..9). Never throws for a valid profile;
// the scenario passes the scenario loader's checks.
ScheduleCase schedule_case(const fuzz::Profile& profile, std::uint64_t seed, int voters);

}  // namespace sim::compare
