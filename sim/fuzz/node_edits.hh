// Node edits for the shrinker (shrinker.hh): a smaller cluster. Node ids are dense (voters
// 0..controllers-1, then brokers), so removing nodes renumbers the ones above them everywhere a
// scenario names a node id: action selectors (sets and partition groups included), broker
// resources of alter_config, cluster.node_config and racks, disk.nodes, network links, and the
// nodes of expectations and of stop.when.
//
// Whatever names a removed node goes with it: an action whose node, from or to is the node (or
// a set of nothing but removed nodes), a partition with a group of nothing but removed nodes,
// an expectation about the node, and (scenario_edits.hh) everything that names the label of a
// removed action. A set or a partition group that also names other nodes only loses the member.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>

#include "sim/scenario/scenario.hh"

namespace sim::fuzz {

// A renumbering of node ids: the new id of an old one, or nullopt for a removed node.
using NodeMap = std::function<std::optional<int>(int)>;

// Applies `map` to every node id `s` names and removes what names a removed node (see above).
// Returns false, leaving `s` unchanged, if that would remove the expectation at position `keep`
// of s.expectations, or if stop.when names a removed node (or the label of a removed action).
// The caller updates the cluster's node counts.
bool renumber_nodes(Scenario& s, const NodeMap& map, std::optional<std::size_t> keep);

// Removes the broker with the highest id (controllers + brokers - 1). Returns "brokers 6 -> 5",
// or nullopt (s unchanged) if there is no broker or renumber_nodes() refuses.
std::optional<std::string> remove_highest_broker(Scenario& s, std::optional<std::size_t> keep);

// 5 voters -> 3: voters 3 and 4 go, broker ids move down by 2 (combined nodes: at most 3).
// Returns "voters 5 -> 3", or nullopt (s unchanged) unless there are 5 voters and
// renumber_nodes() accepts.
std::optional<std::string> reduce_voters(Scenario& s, std::optional<std::size_t> keep);

}  // namespace sim::fuzz
