// Node edits for the shrinker (see node_edits.hh).
#include "sim/fuzz/node_edits.hh"

#include <algorithm>
#include <map>
#include <set>
#include <vector>

#include "sim/fuzz/scenario_edits.hh"

namespace sim::fuzz {

namespace {

constexpr std::int8_t kBrokerResource = 4;  // Action::config_resource_type of "broker:<id>"

// `s` with its node ids mapped; nullopt if it targets nothing but removed nodes.
std::optional<NodeSelector> map_selector(const NodeSelector& s, const NodeMap& map) {
  NodeSelector out = s;
  if (s.kind == NodeSelector::Kind::Id) {
    const std::optional<int> id = map(s.id.value());
    if (!id) return std::nullopt;
    out.id = NodeId{*id};
  } else if (s.kind == NodeSelector::Kind::Set) {
    out.members.clear();
    for (const NodeSelector& m : s.members) {
      if (std::optional<NodeSelector> mapped = map_selector(m, map)) out.members.push_back(*mapped);
    }
    if (out.members.empty()) return std::nullopt;
  }
  return out;
}

// Maps an optional selector in place; false if it named nothing but removed nodes.
bool map_in_place(std::optional<NodeSelector>& s, const NodeMap& map) {
  if (!s) return true;
  s = map_selector(*s, map);
  return s.has_value();
}

// Maps the groups of a partition in place; false if a group is left empty.
bool map_groups(std::vector<std::vector<NodeSelector>>& groups, const NodeMap& map) {
  for (std::vector<NodeSelector>& group : groups) {
    std::vector<NodeSelector> kept;
    for (const NodeSelector& m : group) {
      if (std::optional<NodeSelector> mapped = map_selector(m, map)) kept.push_back(*mapped);
    }
    if (kept.empty()) return false;
    group = std::move(kept);
  }
  return true;
}

// Maps the "broker:<id>" resource of an alter_config in place; false if the broker goes.
bool map_resource(Action& a, const NodeMap& map) {
  if (a.type != ActionType::AlterConfig || a.config_resource_type != kBrokerResource ||
      a.config_resource.empty()) {
    return true;
  }
  const std::optional<int> id = map(std::stoi(a.config_resource));
  if (!id) return false;
  a.config_resource = std::to_string(*id);
  return true;
}

// Maps every node id of `a` in place; false if the action names a removed node.
bool map_action(Action& a, const NodeMap& map) {
  return map_in_place(a.node, map) && map_in_place(a.from, map) && map_in_place(a.to, map) &&
         map_groups(a.groups, map) && map_resource(a, map);
}

// Maps the node ids of `c` in place; false if it names a removed node (its "nodes" list loses
// the removed ones, and goes only if none is left: an empty list would mean every node).
bool map_condition(Condition& c, const NodeMap& map) {
  if (!map_in_place(c.node, map)) return false;
  if (c.nodes.empty()) return true;
  std::vector<NodeId> kept;
  for (NodeId id : c.nodes) {
    if (std::optional<int> mapped = map(id.value())) kept.push_back(NodeId{*mapped});
  }
  c.nodes = std::move(kept);
  return !c.nodes.empty();
}

bool map_expectation(Expectation& e, const NodeMap& map) {
  return map_in_place(e.broker, map) && map_condition(e.condition, map);
}

template <class V>
std::map<int, V> map_keys(const std::map<int, V>& in, const NodeMap& map) {
  std::map<int, V> out;
  for (const auto& [id, value] : in) {
    if (std::optional<int> mapped = map(id)) out.emplace(*mapped, value);
  }
  return out;
}

void map_links(std::vector<LinkOverride>& links, const NodeMap& map) {
  std::vector<LinkOverride> kept;
  for (LinkOverride link : links) {
    const std::optional<int> from = map(link.from.value());
    const std::optional<int> to = map(link.to.value());
    if (!from || !to) continue;
    link.from = NodeId{*from};
    link.to = NodeId{*to};
    kept.push_back(link);
  }
  links = std::move(kept);
}

// Maps every action; returns the indices of the actions that name a removed node.
std::set<std::size_t> map_timeline(Scenario& s, const NodeMap& map) {
  std::set<std::size_t> doomed;
  for (Action& a : s.timeline) {
    if (!map_action(a, map)) doomed.insert(a.index);
  }
  return doomed;
}

// Maps every expectation, removing those that name a removed node; false if `keep` would go.
bool map_expectations(Scenario& s, const NodeMap& map, std::optional<std::size_t>& keep) {
  std::vector<Expectation> kept;
  std::optional<std::size_t> kept_keep;
  for (std::size_t i = 0; i < s.expectations.size(); ++i) {
    Expectation e = s.expectations[i];
    if (!map_expectation(e, map)) {
      if (keep == i) return false;
      continue;
    }
    if (keep == i) kept_keep = kept.size();
    kept.push_back(std::move(e));
  }
  s.expectations = std::move(kept);
  keep = kept_keep;
  return true;
}

void map_sections(Scenario& s, const NodeMap& map) {
  s.cluster.node_config = map_keys(s.cluster.node_config, map);
  s.cluster.racks = map_keys(s.cluster.racks, map);
  s.disk.node_flush_latency = map_keys(s.disk.node_flush_latency, map);
  map_links(s.network.links, map);
}

void set_node_counts(Scenario& s, int controllers, int brokers) {
  s.cluster.controllers = controllers;
  s.cluster.brokers = brokers;
  s.cluster.combined = std::min(s.cluster.combined, controllers);
  s.network.controllers = controllers;
  s.network.node_count = controllers + brokers;
}

}  // namespace

bool renumber_nodes(Scenario& s, const NodeMap& map, std::optional<std::size_t> keep) {
  Scenario edited = s;
  if (edited.stop.when && !map_condition(*edited.stop.when, map)) return false;
  if (!map_expectations(edited, map, keep)) return false;
  const std::set<std::size_t> doomed = map_timeline(edited, map);
  if (!doomed.empty() && !remove_actions(edited, doomed, keep)) return false;
  map_sections(edited, map);
  renumber(edited);
  s = std::move(edited);
  return true;
}

std::optional<std::string> remove_highest_broker(Scenario& s, std::optional<std::size_t> keep) {
  const int controllers = s.cluster.controllers;
  const int brokers = s.cluster.brokers;
  if (brokers == 0) return std::nullopt;
  const int highest = controllers + brokers - 1;
  const NodeMap map = [highest](int id) -> std::optional<int> {
    if (id == highest) return std::nullopt;
    return id;
  };
  if (!renumber_nodes(s, map, keep)) return std::nullopt;
  set_node_counts(s, controllers, brokers - 1);
  return "brokers " + std::to_string(brokers) + " -> " + std::to_string(brokers - 1);
}

std::optional<std::string> reduce_voters(Scenario& s, std::optional<std::size_t> keep) {
  if (s.cluster.controllers != 5) return std::nullopt;
  const NodeMap map = [](int id) -> std::optional<int> {
    if (id < 3) return id;
    if (id < 5) return std::nullopt;
    return id - 2;
  };
  if (!renumber_nodes(s, map, keep)) return std::nullopt;
  set_node_counts(s, 3, s.cluster.brokers);
  return "voters 5 -> 3";
}

}  // namespace sim::fuzz
