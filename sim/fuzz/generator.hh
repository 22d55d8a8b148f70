// The fuzz case generator: one seed and a profile give one scenario, swarm style.
//
// From the seed (and nothing else) it draws, within the profile's ranges:
//   * the cluster: voter count, broker count, per-node Raft timeouts (sometimes);
//   * the network: default link latency, loss and duplication;
//   * the workload: topics created at 1 s (partitions, replication factor);
//   * which fault kinds are on, each one's mean interval, and then the schedule itself: every
//     fault is an action at a drawn time with a label ("f<n>") and, unless it lasts past the
//     safety phase, its undo after a drawn duration (restart / resume / heal / restore_link /
//     slow_disk 0 / clock_drift 0 targeting "label:f<n>").
//
// Phases:
//   safety    [0, safety_ms): faults as drawn; every invariant is checked after every event (as in
//             every run).
//   heal-all  at safety_ms: one "heal" action labelled "heal-all", then every fault still open is
//             undone (restore_link, slow_disk 0, clock_drift 0, resume, restart), EXCEPT the
//             crashed or stopped nodes drawn to stay down ("frozen", TigerBeetle's liveness core):
//             within tolerance at most f = (voters - 1) / 2 voters and at most brokers - 1 brokers.
//   liveness  [safety_ms, safety_ms + liveness_ms]: within tolerance, four expectations must each
//             hold at some moment within liveness_ms of "heal-all": active_controller,
//             brokers_unfenced, live_partitions_led, caught_up. The run stops at the end of it.
//
// Budgets:
//   WithinTolerance  never more than f voters affected at once by a fault that takes a node out
//                    (crash, shutdown, pause, isolate, the minority side of a partition, an end
//                    of a one-way drop, the controller of a correlated crash), counting "leader"
//                    and random selectors as one voter each (conservatively); liveness checked.
//   BeyondTolerance  no limit (up to every voter at once); safety only: no expectations.
//
// Determinism: the case depends only on (profile, seed, budget, bugs); draws come from
// sim::Prng(seed).fork("fuzz") and its named forks, never from the run's streams.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "raft/common/bugs.hh"
#include "sim/fuzz/profile.hh"
#include "sim/scenario/scenario.hh"

namespace sim::fuzz {

enum class Budget { WithinTolerance, BeyondTolerance };

// "within" / "beyond" (the --budget values).
std::string_view to_string(Budget b);
std::optional<Budget> budget_from_string(std::string_view name);

// The label of the heal action that starts the liveness phase.
inline constexpr std::string_view kHealAllLabel = "heal-all";

struct FuzzCase {
  std::uint64_t seed = 0;
  Budget budget = Budget::WithinTolerance;
  // Ready to run: Simulation(scenario, seed). scenario.seed == seed, scenario.bugs == the bugs
  // asked for, name "fuzz-seed-<seed>", a description saying how it was drawn, actions with dense
  // indices 0..n-1 (so scenario_to_text() writes a file that replays with the same trace hash).
  Scenario scenario;
  // Every drawn setting, as a JSON object (keys: seed, budget, controllers, brokers, safety_ms,
  // liveness_ms, config, network, topics, faults (the kinds switched on, with their drawn mean
  // intervals), frozen (node ids left down at heal-all), actions (timeline length)).
  nlohmann::json settings;
  // The settings on one line, for printing before the run, e.g.
  //   seed 17 (within): 5 controllers, 4 brokers; safety 31.2 s, liveness 30 s; links 1-7 ms,
  //   loss 0.31%, dup 0.05%; faults crash/4.1s partition/9.3s clock_drift/12s; 23 actions
  std::string summary;
};

// Draws the case of `seed`. Never throws for a valid profile; the scenario always passes the
// scenario loader's checks (writing it with scenario_to_text and loading it back gives an equal
// run).
FuzzCase generate_case(const Profile& profile, std::uint64_t seed, Budget budget,
                       raft::BugSet bugs = {});

}  // namespace sim::fuzz
