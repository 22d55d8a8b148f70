// The scenario's "timeline" of faults, for the scenario loader (scenario_loader.hh); internal to
// it. parse_timeline() reads every action (time, type, label, node selectors), then walks them in
// run order with a TimelineChecker: label references must name an earlier suitable action,
// partition groups and drop ends must not name a node twice, and crashes, shutdowns, wipes and
// restarts must make sense given which nodes the file has already stopped. A crash "at_next" a
// file write leaves its node's liveness unknown (it stops when the write happens, if ever); a wipe
// stops its node whether or not it was running. The metadata state machine adds
// controlled_shutdown (of a node running the broker role; it stops the node) and the admin
// actions create_topic, delete_topic and alter_config; the counter rejects them.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario/json_reader.hh"
#include "sim/scenario/scenario.hh"

namespace sim::scenario_detail {

// The timeline at `path`, in run order (sorted by time, file order among equal times). Fills
// `labels` with label -> index of the labelled action in the file. Actions may not run after
// `stop`; node ids are in [0, cluster.node_count()).
std::vector<Action> parse_timeline(const Reporter& r, const json& value, const JsonPath& path,
                                   const ClusterSpec& cluster, const StopSpec& stop,
                                   std::map<std::string, std::size_t>& labels);

// The action of `timeline` (as parse_timeline returns it) at `index` in the file.
const Action& action_at(const std::vector<Action>& timeline, std::size_t index);

// The node that the action labelled `label` (a key of `labels`) surely targets, if the file alone
// determines it (an id, or a label that resolves to one); nullopt for "leader", "follower",
// "random-broker" and actions that target no single node.
std::optional<NodeId> resolve_label(const std::vector<Action>& timeline,
                                    const std::map<std::string, std::size_t>& labels,
                                    const std::string& label);

// True if actions of type `t` name exactly one node in "node" (so "label:<name>" may refer to
// them).
bool targets_one_node(ActionType t);

// "timeline[3] (crash at 5000 ms)", for messages.
std::string describe_action(const Action& action);

// "labels: \"a\", \"b\" or \"c\"" (or "the timeline has no labels"), for messages.
std::string list_labels(const std::map<std::string, std::size_t>& labels);

// The labels' names, in order, for did_you_mean().
std::vector<std::string_view> label_names(const std::map<std::string, std::size_t>& labels);

}  // namespace sim::scenario_detail
