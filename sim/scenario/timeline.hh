// The scenario's "timeline" of faults, for the scenario loader (scenario_loader.hh); internal to
// it. parse_timeline() reads every action (time, type, label, node selectors, "repeat"), expands a
// repeated action into its copies (Action::repetition 0..times-1, same Action::index), then walks
// every copy in run order with a TimelineChecker: label references must name an earlier action
// with a "node", sets must not name a node twice, partition groups must not share a node, the
// "from" and "to" of drop / slow_link / restore_link must leave a pair of different nodes, and
// crashes, shutdowns, wipes, restarts, pauses and resumes must make sense given which nodes the
// file has already stopped or paused.
//
// What the checker knows of a selector: node ids (directly, in an array, or through a label of an
// action that named them) are explicit and every check applies to them; the named sets that do
// not depend on who runs ("controllers", "brokers", "all") surely target their nodes, without the
// checks (a crash of "all" when node 1 is down is fine, and node 1 is down after it); "leader",
// "follower", "random-*" and "followers" may target any node of their kind (voters, broker-role
// nodes, any node), which then becomes possibly stopped or paused. A crash "at_next" a file write
// leaves its node's liveness unknown (it stops when the write happens, if ever); a wipe stops its
// node whether or not it was running; a shutdown of a node that may be paused may do nothing.
// The metadata state machine adds controlled_shutdown (of nodes running the broker role; it
// stops them) and the admin actions create_topic, delete_topic and alter_config; the counter
// rejects them.
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

// The timeline at `path`, in run order (sorted by time, file order then repetition among equal
// times), a repeated action as its copies at at, at + every_ms, ... (all by `stop`). Fills
// `labels` with label -> index of the labelled action in the file (the copies of a repeated
// action share its label: at run time the label names the latest copy that has run). Actions may
// not run after `stop`; node ids are in [0, cluster.node_count()).
std::vector<Action> parse_timeline(const Reporter& r, const json& value, const JsonPath& path,
                                   const ClusterSpec& cluster, const StopSpec& stop,
                                   std::map<std::string, std::size_t>& labels);

// The action of `timeline` (as parse_timeline returns it) at `index` in the file (of a repeated
// action, its first copy).
const Action& action_at(const std::vector<Action>& timeline, std::size_t index);

// The node that the action labelled `label` (a key of `labels`) surely targets, if the file alone
// determines ONE node (an id, a one-member array naming one, or a label that resolves to one);
// nullopt for "leader", "follower", "random-*", for sets that may name several nodes (an array
// of two or more, "controllers", "followers", "brokers", "all": at run time such a label names
// all the nodes its action resolved to) and for actions without a "node".
std::optional<NodeId> resolve_label(const std::vector<Action>& timeline,
                                    const std::map<std::string, std::size_t>& labels,
                                    const std::string& label);

// True if actions of type `t` have a "node" (one node or a set of nodes), so "label:<name>" may
// refer to them: crash, restart, shutdown, isolate, pause, resume, wipe, slow_disk,
// controlled_shutdown and clock_drift.
bool targets_one_node(ActionType t);

// "timeline[3] (crash at 5000 ms)", for messages; a copy of a repeated action adds its
// repetition: "timeline[3] (crash at 7000 ms, repetition 1)".
std::string describe_action(const Action& action);

// "labels: \"a\", \"b\" or \"c\"" (or "the timeline has no labels"), for messages.
std::string list_labels(const std::map<std::string, std::size_t>& labels);

// The labels' names, in order, for did_you_mean().
std::vector<std::string_view> label_names(const std::map<std::string, std::size_t>& labels);

}  // namespace sim::scenario_detail
