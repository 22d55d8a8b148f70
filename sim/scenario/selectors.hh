// How the scenario JSON names nodes, for the scenario loader (scenario_loader.hh); internal to it:
// plain node ids (0..n-1), node selectors (an id, "leader", "follower" or "label:<name>") and the
// syntax of action labels. Labels are only read here; timeline.hh resolves and checks them.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "sim/scenario/json_reader.hh"
#include "sim/scenario/scenario.hh"

namespace sim::scenario_detail {

// "(0..n-1)", the range of node ids of a cluster of `node_count` nodes.
std::string node_range(int node_count);

// A node id in [0, node_count).
NodeId read_node_id(const Reporter& r, const json& value, const JsonPath& path, int node_count);

// One node selector as written in the file, kept for the cross-checks.
struct SelectorSite {
  NodeSelector selector;
  JsonPath path;
  std::string raw;        // compact JSON of what the file says
  std::size_t group = 0;  // Partition: which group it is in
};

// True if `label` is a valid action label (see kLabelRule).
bool is_valid_label(std::string_view label);

// What an action label may contain, for messages.
inline constexpr const char* kLabelRule = "letters, digits, '_', '-' or '.', at least one";

// What a node selector may be, for messages ("a node id (0..4), "leader", ...").
std::string selector_expected(int node_count);

// What the node of a restart may be (an id or the label of an earlier crash, shutdown or wipe).
std::string restart_selector_expected(int node_count);

// Reads a node selector (syntax only; labels are resolved by the TimelineChecker).
SelectorSite read_selector(const Reporter& r, const json& value, const JsonPath& path,
                           int node_count, bool for_restart);

}  // namespace sim::scenario_detail
