// How the scenario JSON names nodes, for the scenario loader (scenario_loader.hh); internal to it:
// plain node ids (0..n-1), node selectors (an id; "leader", "follower" / "any-follower",
// "random-controller", "random-node", "random-broker"; the named sets "controllers", "followers",
// "brokers", "all"; "label:<name>"; or a JSON array of those, a set), the syntax of action labels,
// which nodes run the broker role, and the wording of "this needs the other state machine"
// errors. Labels are only read here; timeline.hh resolves and checks them.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario/json_reader.hh"
#include "sim/scenario/scenario.hh"

namespace sim::scenario_detail {

// "(0..n-1)", the range of node ids of a cluster of `node_count` nodes.
std::string node_range(int node_count);

// A node id in [0, node_count).
NodeId read_node_id(const Reporter& r, const json& value, const JsonPath& path, int node_count);

// `text` as a number if it is one written as a node id is inside a string ("0", "17": digits
// only, no leading zero, at most three of them), else nullopt. The caller checks the range.
std::optional<int> parse_id_text(std::string_view text);

// ---------------------------------------------------------------------------------------------
// State machines and the broker role

// "metadata" or "counter", as written in cluster.state_machine.
std::string_view state_machine_name(StateMachineChoice choice);

// `cluster.state_machine "<needed>" (this cluster runs "<actual>")`, the tail of every message
// about a field, action, selector or expectation that only the other state machine has.
std::string needs_state_machine(const ClusterSpec& cluster, StateMachineChoice needed);

// Number of nodes running the broker role (0 for the counter): brokers + combined controllers.
int broker_role_count(const ClusterSpec& cluster);

// The ids of the nodes running the broker role, for messages: "3..4", "0..1, 3..4", "0, 3" or
// "none".
std::string broker_role_ids(const ClusterSpec& cluster);

// ---------------------------------------------------------------------------------------------
// Labels and selectors

// One node selector as written in the file, kept for the cross-checks.
struct SelectorSite {
  NodeSelector selector;
  JsonPath path;
  std::string raw;        // compact JSON of what the file says
  std::size_t group = 0;  // Partition: which group it is in
  // Kind::Set: the sites of its members, in file order (selector.members holds their selectors).
  std::vector<SelectorSite> members = {};
};

// The word a named selector kind is written as ("leader", "random-node", "controllers"...); ""
// for Kind::Id, Kind::Label and Kind::Set.
std::string_view selector_word(NodeSelector::Kind kind);

// True if `label` is a valid action label (see kLabelRule).
bool is_valid_label(std::string_view label);

// What an action label may contain, for messages.
inline constexpr const char* kLabelRule = "letters, digits, '_', '-' or '.', at least one";

// What a node selector may be, for messages ("a node id (0..4), "leader", ..., "label:<name>" or
// an array of them"); lists "random-broker" only for the metadata state machine. ("any-follower",
// the same as "follower", is accepted but not listed.)
std::string selector_expected(const ClusterSpec& cluster);

// What the node of a restart may be: an id, the named sets that do not depend on who runs
// ("controllers", "brokers", "all"), the label of an earlier action that stops nodes, or an
// array of those.
std::string restart_selector_expected(const ClusterSpec& cluster);

// What the node of a controlled_shutdown may be: a node running the broker role.
std::string broker_target_expected(const ClusterSpec& cluster);

// Reads a node selector (syntax only; labels are resolved by the TimelineChecker).
// "random-broker" is rejected unless the cluster runs the metadata state machine, "brokers" if
// the cluster has no broker (role). An array is a set (Kind::Set): non-empty, its members are
// selectors other than arrays, no member twice ("follower" and "any-follower" are the same).
// With `for_restart`, only ids, "controllers", "brokers", "all", labels and arrays of those.
SelectorSite read_selector(const Reporter& r, const json& value, const JsonPath& path,
                           const ClusterSpec& cluster, bool for_restart);

// What the "broker" of an expectation may be: a broker-role node id or "label:<name>".
std::string broker_selector_expected(const ClusterSpec& cluster);

// Reads the "broker" of an expectation: a node id that runs the broker role, or "label:<name>"
// (syntax only: the expectations parser resolves the label).
SelectorSite read_broker_selector(const Reporter& r, const json& value, const JsonPath& path,
                                  const ClusterSpec& cluster);

}  // namespace sim::scenario_detail
