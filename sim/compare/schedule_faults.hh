// The fault plan of a compare schedule case (internal to schedule.cc; see schedule.hh): the
// faults drawn for a seed in voter-independent terms, and their rendering as timeline actions for
// one quorum size.
//
// The plan is drawn without knowing the voter count at all (draw_fault_plan() does not take it),
// so every time, kind, duration, parameter, label and skip is the same for every quorum size by
// construction. Only render_actions() sees the voter count, and only to turn "the j-th broker"
// and "rack b" into node ids.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "sim/fuzz/profile.hh"
#include "sim/prng.hh"

namespace sim::compare::detail {

// A node, or nodes, that an action names, in voter-independent terms.
struct Ref {
  enum class Who {
    Leader,     // "leader"
    Follower,   // "follower"
    Broker,     // the index-th broker: node id voters + index
    Rack,       // every node of rack `index`, as an array of ids
    RackSplit,  // partition groups: [nodes of rack `index`], [nodes of the two other racks]
    Label,      // "label:<label>"
  };
  Who who = Who::Leader;
  int index = 0;      // Broker: broker index; Rack, RackSplit: rack (0..2)
  std::string label;  // Label
};

// One timeline action with its place in the run order.
struct PlannedAction {
  std::int64_t at_ms = 0;
  // Among actions at the same time: 0 heals (heal-all first of all), 1 undos, 2 new faults.
  int phase = 0;
  std::uint64_t seq = 0;  // creation order: the last tie-break
  nlohmann::json body;    // the action as the file writes it, without "at_ms" and the refs
  // Fields filled in by render_actions(): ("node" | "from" | "to" | "groups", what they name).
  std::vector<std::pair<std::string, Ref>> refs;
};

// What the plan needs from the rest of the drawn case (none of it depends on the voter count).
struct PlanInput {
  const fuzz::Profile* profile = nullptr;
  int brokers = 0;             // broker-only nodes
  std::int64_t safety_ms = 0;  // faults start in [5000, safety_ms); heal-all at safety_ms
  int first_free_topic = 0;    // admin_ops creates "t<n>" from this n on
};

struct FaultPlan {
  std::vector<PlannedAction> actions;  // sorted by (at_ms, phase, seq)
  // The kinds switched on, in kAllFaultKinds order, with their drawn mean interval (ms).
  std::vector<std::pair<fuzz::FaultKind, std::int64_t>> kinds_on;
  // One line per fault scheduled, in time order: "12.345 s crash leader for 4.1 s (torn write)".
  std::vector<std::string> faults;
  std::size_t skipped = 0;  // faults drawn but not scheduled
};

// Draws the plan from the named forks of `root` ("swarm", "fault:<kind>").
FaultPlan draw_fault_plan(const Prng& root, const PlanInput& in);

// The plan's actions as scenario-file JSON for a cluster of `voters` voters and `brokers`
// brokers, in run order, each with its "at_ms".
nlohmann::json render_actions(const FaultPlan& plan, int voters, int brokers);

// Milliseconds as seconds with up to three decimals: 12345 -> "12.345", 15000 -> "15".
std::string exact_seconds(std::int64_t ms);

}  // namespace sim::compare::detail
