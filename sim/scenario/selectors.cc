// Node ids, node selectors, the broker role and state machine requirements of the scenario JSON
// (see selectors.hh).
#include "sim/scenario/kind_names.hh"
#include "sim/scenario/selectors.hh"

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

namespace sim::scenario_detail {

namespace {

bool is_label_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.';
}


// "lo..hi", or "lo" when they are equal.
std::string id_span(int lo, int hi) {
  return lo == hi ? std::to_string(lo) : std::to_string(lo) + ".." + std::to_string(hi);
}

constexpr std::string_view kLabelPrefix = "label:";

// Reads "label:<name>" (the caller checked the prefix) into `site`.
void read_label_selector(const Reporter& r, const json& value, const JsonPath& path,
                         SelectorSite& site) {
  std::string label = value.get<std::string>().substr(kLabelPrefix.size());
  if (!is_valid_label(label)) {
    r.bad(path, value, R"("label:<name>" where <name> is )" + std::string(kLabelRule));
  }
  site.selector.kind = NodeSelector::Kind::Label;
  site.selector.label = std::move(label);
}

bool has_label_prefix(const json& value) {
  return value.is_string() && value.get_ref<const std::string&>().rfind(kLabelPrefix, 0) == 0;
}

}  // namespace

std::string node_range(int node_count) {
  return "(0.." + std::to_string(node_count - 1) + ")";
}

NodeId read_node_id(const Reporter& r, const json& value, const JsonPath& path, int node_count) {
  std::string expected = "a node id " + node_range(node_count);
  return NodeId(static_cast<std::int32_t>(read_int(r, value, path, 0, node_count - 1, expected)));
}

std::optional<int> parse_id_text(std::string_view text) {
  if (text.empty() || text.size() > 3 || (text.size() > 1 && text.front() == '0')) return {};
  int id = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return {};
    id = id * 10 + (c - '0');
  }
  return id;
}

std::string_view state_machine_name(StateMachineChoice choice) {
  return choice == StateMachineChoice::Metadata ? "metadata" : "counter";
}

std::string needs_state_machine(const ClusterSpec& cluster, StateMachineChoice needed) {
  return "cluster.state_machine " + quote(state_machine_name(needed)) + " (this cluster runs " +
         quote(state_machine_name(cluster.state_machine)) + ")";
}

int broker_role_count(const ClusterSpec& cluster) {
  return is_metadata(cluster) ? cluster.brokers + cluster.combined : 0;
}

std::string broker_role_ids(const ClusterSpec& cluster) {
  std::vector<std::string> spans;
  if (is_metadata(cluster) && cluster.combined > 0) {
    spans.push_back(id_span(0, cluster.combined - 1));
  }
  if (is_metadata(cluster) && cluster.brokers > 0) {
    spans.push_back(id_span(cluster.controllers, cluster.node_count() - 1));
  }
  if (spans.empty()) return "none";
  std::string out = spans.front();
  for (std::size_t i = 1; i < spans.size(); ++i) out += ", " + spans[i];
  return out;
}

bool is_valid_label(std::string_view label) {
  return !label.empty() && std::all_of(label.begin(), label.end(), is_label_char);
}

std::string selector_expected(const ClusterSpec& cluster) {
  return "a node id " + node_range(cluster.node_count()) +
         (is_metadata(cluster) ? R"(, "leader", "follower", "random-broker" or "label:<name>")"
                               : R"(, "leader", "follower" or "label:<name>")");
}

std::string restart_selector_expected(const ClusterSpec& cluster) {
  if (!is_metadata(cluster)) {
    return "a node id " + node_range(cluster.node_count()) +
           R"( or "label:<name>" of an earlier crash, shutdown or wipe (a restart targets a )"
           R"(stopped node, never "leader" or "follower"))";
  }
  return "a node id " + node_range(cluster.node_count()) +
         R"( or "label:<name>" of an earlier crash, shutdown, controlled_shutdown or wipe (a )"
         R"(restart targets a stopped node, never "leader", "follower" or "random-broker"))";
}

namespace {

// The message for a cluster without any node running the broker role.
std::string no_broker_role(const ClusterSpec& cluster) {
  if (!is_metadata(cluster)) {
    return "a node running the broker role, which needs " +
           needs_state_machine(cluster, StateMachineChoice::Metadata);
  }
  return "a node running the broker role, but this cluster has none (cluster.brokers and "
         "cluster.combined are 0)";
}

}  // namespace

std::string broker_target_expected(const ClusterSpec& cluster) {
  if (broker_role_count(cluster) == 0) return no_broker_role(cluster);
  std::string controllers = cluster.combined > 0 ? R"(, "leader", "follower")" : "";
  return "a node running the broker role: an id among " + broker_role_ids(cluster) + controllers +
         R"(, "random-broker" or "label:<name>")";
}

std::string broker_selector_expected(const ClusterSpec& cluster) {
  if (broker_role_count(cluster) == 0) return no_broker_role(cluster);
  return "a node running the broker role: an id among " + broker_role_ids(cluster) +
         R"( or "label:<name>" of an action that targets one)";
}

// Reads a node selector (syntax only; labels are resolved by the TimelineChecker).
SelectorSite read_selector(const Reporter& r, const json& value, const JsonPath& path,
                           const ClusterSpec& cluster, bool for_restart) {
  const int node_count = cluster.node_count();
  std::string expected =
      for_restart ? restart_selector_expected(cluster) : selector_expected(cluster);
  SelectorSite site{NodeSelector{}, path, compact(value), 0};
  if (value.is_number()) {
    site.selector.kind = NodeSelector::Kind::Id;
    site.selector.id =
        NodeId(static_cast<std::int32_t>(read_int(r, value, path, 0, node_count - 1, expected)));
    return site;
  }
  if (!value.is_string()) r.bad(path, value, expected);
  if (has_label_prefix(value)) {
    read_label_selector(r, value, path, site);
    return site;
  }
  const auto& text = value.get_ref<const std::string&>();
  if (!for_restart && text == "leader") {
    site.selector.kind = NodeSelector::Kind::Leader;
    return site;
  }
  if (!for_restart && text == "follower") {
    site.selector.kind = NodeSelector::Kind::Follower;
    return site;
  }
  if (!for_restart && text == "random-broker") {
    if (!is_metadata(cluster)) {
      r.bad(path, value,
            expected + R"(; "random-broker" needs )" +
                needs_state_machine(cluster, StateMachineChoice::Metadata));
    }
    site.selector.kind = NodeSelector::Kind::RandomBroker;
    return site;
  }
  std::vector<std::string_view> words = {"leader", "follower", "label:"};
  if (is_metadata(cluster)) words.emplace_back("random-broker");
  r.bad(path, value, expected + (for_restart ? "" : did_you_mean(text, words)));
}

SelectorSite read_broker_selector(const Reporter& r, const json& value, const JsonPath& path,
                                  const ClusterSpec& cluster) {
  std::string expected = broker_selector_expected(cluster);
  SelectorSite site{NodeSelector{}, path, compact(value), 0};
  if (value.is_number()) {
    auto id = static_cast<int>(read_int(r, value, path, 0, cluster.node_count() - 1, expected));
    if (!cluster.runs_broker(id)) {
      r.bad(path, value,
            expected + " (node " + std::to_string(id) + " runs only the controller role)");
    }
    site.selector.kind = NodeSelector::Kind::Id;
    site.selector.id = NodeId(static_cast<std::int32_t>(id));
    return site;
  }
  if (!has_label_prefix(value)) {
    std::string got = value.is_string() ? value.get<std::string>() : "";
    r.bad(path, value, expected + did_you_mean(got, {"label:"}));
  }
  read_label_selector(r, value, path, site);
  return site;
}

}  // namespace sim::scenario_detail
