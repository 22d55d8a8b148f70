// Evaluates a scenario condition (ConditionType in sim/scenario/scenario.hh) against the cluster
// as it is now (ClusterView): whether it holds, and the observed values that decided it, for the
// run report ("node 1 active in epoch 4 since 12.3 s", "2 of 12 partitions without a leader").
#pragma once

#include <string>

#include "sim/cluster_view.hh"
#include "sim/scenario/scenario.hh"

namespace sim {

struct ConditionOutcome {
  bool holds = false;
  std::string observed;  // what was seen, with the values involved
};

ConditionOutcome evaluate_condition(const Condition& c, const ClusterView& view);

// The node a condition's `node` names now: a fixed id, or the (first) node the labelled action
// resolved to; nullopt if that action has not run or resolved to nothing.
std::optional<NodeId> condition_node(const NodeSelector& s, const Observations& obs);

}  // namespace sim
