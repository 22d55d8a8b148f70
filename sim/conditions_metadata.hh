// The metadata conditions (active controller, brokers, partitions, topics, images, admin
// requests), evaluated on the committed metadata log's reference image and the running nodes.
// Internal to sim/conditions.cc; see ConditionType in sim/scenario/scenario.hh.
#pragma once

#include "sim/conditions.hh"

namespace sim {

ConditionOutcome evaluate_metadata_condition(const Condition& c, const ClusterView& view);

}  // namespace sim
