// The fault schedule of a fuzz case (internal to the generator, generator.hh): which fault kinds a
// seed switches on, the faults themselves with their undos, the heals of network cuts, and the
// heal-all that starts the liveness phase with the nodes left down ("frozen").
//
// Everything is built as scenario-file JSON (actions exactly as a file writes them), so the
// generator can hand the whole document to the scenario loader, which computes every derived
// field and checks the timeline's rules.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/fuzz/generator.hh"
#include "sim/fuzz/profile.hh"
#include "sim/prng.hh"

namespace sim::fuzz::detail {

// What the schedule needs from the rest of the drawn case.
struct ScheduleInput {
  const Profile* profile = nullptr;
  Budget budget = Budget::WithinTolerance;
  int controllers = 3;         // voters: node ids 0 .. controllers-1
  int brokers = 0;             // brokers: node ids controllers .. controllers+brokers-1
  std::int64_t safety_ms = 0;  // faults start in [1000, safety_ms); heal-all at safety_ms
  int first_free_topic = 0;    // admin_ops creates "t<n>" from this n on
};

// One timeline action, with its place in the run order.
struct TimedAction {
  std::int64_t at_ms = 0;
  // Among actions at the same time: 0 heals (heal-all first of all), 1 undos, 2 new faults.
  int phase = 0;
  std::uint64_t seq = 0;  // creation order: the last tie-break
  nlohmann::json action;  // the action as the file writes it ("at_ms" included)
};

struct FaultSchedule {
  std::vector<TimedAction> actions;  // sorted by (at_ms, phase, seq)
  // The kinds switched on, in kAllFaultKinds order, with their drawn mean interval (ms).
  std::vector<std::pair<FaultKind, std::int64_t>> kinds_on;
  // The selectors of the nodes left down at heal-all, as the file writes them (ids as integers).
  nlohmann::json frozen = nlohmann::json::array();
  std::size_t faults = 0;   // fault actions scheduled (undos and heals not counted)
  std::size_t skipped = 0;  // faults drawn but not scheduled (over the budget, no target)
};

// Draws the schedule from the named forks of `fuzz` ("swarm", "fault:<kind>", "frozen").
FaultSchedule draw_fault_schedule(const Prng& fuzz, const ScheduleInput& in);

// A probability (parts per million) as the shortest decimal JSON number that reads back to it.
nlohmann::json probability_json(Ppm p);

// A duration drawn log-uniformly (uniformly over the powers of two the range spans, then
// uniformly within the drawn one), so short and long values are both common. range.min >= 1.
std::int64_t draw_log_uniform(Prng& rng, IntRange range);

}  // namespace sim::fuzz::detail
