// Node ids, node selectors, the broker role and state machine requirements of the scenario JSON
// (see selectors.hh).
#include "sim/scenario/kind_names.hh"
#include "sim/scenario/selectors.hh"

#include <algorithm>
#include <array>
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

// A selector written as a word.
struct NamedSelector {
  std::string_view word;
  NodeSelector::Kind kind;
  bool metadata_only;  // "random-broker"
  bool for_restart;    // the sets that do not depend on which nodes run
};

constexpr std::array<NamedSelector, 10> kNamedSelectors = {{
    {"leader", NodeSelector::Kind::Leader, false, false},
    {"follower", NodeSelector::Kind::Follower, false, false},
    {"any-follower", NodeSelector::Kind::Follower, false, false},
    {"random-controller", NodeSelector::Kind::RandomController, false, false},
    {"random-node", NodeSelector::Kind::RandomNode, false, false},
    {"random-broker", NodeSelector::Kind::RandomBroker, true, false},
    {"controllers", NodeSelector::Kind::Voters, false, true},
    {"followers", NodeSelector::Kind::Followers, false, false},
    {"brokers", NodeSelector::Kind::Brokers, false, true},
    {"all", NodeSelector::Kind::All, false, true},
}};

// The words `cluster` accepts (for_restart: those a restart accepts), plus "label:", for
// did_you_mean().
std::vector<std::string_view> selector_words(const ClusterSpec& cluster, bool for_restart) {
  std::vector<std::string_view> words;
  for (const NamedSelector& n : kNamedSelectors) {
    if ((n.metadata_only && !is_metadata(cluster)) || (for_restart && !n.for_restart)) continue;
    words.push_back(n.word);
  }
  words.emplace_back("label:");
  return words;
}

// True if the two selectors are written the same way, up to aliases ("any-follower").
bool same_selector(const NodeSelector& a, const NodeSelector& b) {
  return a.kind == b.kind && a.id == b.id && a.label == b.label && a.members.empty() &&
         b.members.empty();
}

}  // namespace

std::string_view selector_word(NodeSelector::Kind kind) {
  for (const NamedSelector& n : kNamedSelectors) {
    if (n.kind == kind) return n.word;
  }
  return "";
}

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
         R"(, "leader", "follower", "random-controller", "random-node", )" +
         (is_metadata(cluster) ? R"("random-broker", )" : "") +
         R"("controllers", "followers", "brokers", "all", "label:<name>" or an array of them)";
}

std::string restart_selector_expected(const ClusterSpec& cluster) {
  const std::string stoppers = is_metadata(cluster)
                                   ? "crash, shutdown, controlled_shutdown or wipe"
                                   : "crash, shutdown or wipe";
  return "a node id " + node_range(cluster.node_count()) +
         R"(, "controllers", "brokers", "all", "label:<name>" of an earlier )" + stoppers +
         R"(, or an array of them (a restart targets stopped nodes, never "leader", "follower", )"
         R"("followers" or a "random-..." node))";
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
         R"(, "random-broker", "brokers", "label:<name>" or an array of them)";
}

std::string broker_selector_expected(const ClusterSpec& cluster) {
  if (broker_role_count(cluster) == 0) return no_broker_role(cluster);
  return "a node running the broker role: an id among " + broker_role_ids(cluster) +
         R"( or "label:<name>" of an action that targets one)";
}

namespace {

// The members of a set (the caller checked that `value` is an array).
void read_set(const Reporter& r, const json& value, const JsonPath& path,
              const ClusterSpec& cluster, bool for_restart, SelectorSite& site) {
  const std::string expected =
      for_restart ? restart_selector_expected(cluster) : selector_expected(cluster);
  if (value.empty()) {
    r.bad(path, value, "a non-empty array of node selectors (each " + expected + ")");
  }
  site.selector.kind = NodeSelector::Kind::Set;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const JsonPath member_path = path.index(i);
    if (value[i].is_array()) {
      r.bad(member_path, value[i], "a node selector other than an array (sets do not nest)");
    }
    SelectorSite member = read_selector(r, value[i], member_path, cluster, for_restart);
    for (std::size_t j = 0; j < site.members.size(); ++j) {
      if (!same_selector(site.members[j].selector, member.selector)) continue;
      r.bad(member_path, value[i],
            "a selector not already in the set (" + path.index(j).str() + " is " +
                site.members[j].raw + ")");
    }
    site.selector.members.push_back(member.selector);
    site.members.push_back(std::move(member));
  }
}

}  // namespace

// Reads a node selector (syntax only; labels are resolved by the TimelineChecker).
SelectorSite read_selector(const Reporter& r, const json& value, const JsonPath& path,
                           const ClusterSpec& cluster, bool for_restart) {
  const int node_count = cluster.node_count();
  std::string expected =
      for_restart ? restart_selector_expected(cluster) : selector_expected(cluster);
  SelectorSite site{NodeSelector{}, path, compact(value), 0, {}};
  if (value.is_number()) {
    site.selector.kind = NodeSelector::Kind::Id;
    site.selector.id =
        NodeId(static_cast<std::int32_t>(read_int(r, value, path, 0, node_count - 1, expected)));
    return site;
  }
  if (value.is_array()) {
    read_set(r, value, path, cluster, for_restart, site);
    return site;
  }
  if (!value.is_string()) r.bad(path, value, expected);
  if (has_label_prefix(value)) {
    read_label_selector(r, value, path, site);
    return site;
  }
  const auto& text = value.get_ref<const std::string&>();
  for (const NamedSelector& named : kNamedSelectors) {
    if (text != named.word) continue;
    if (for_restart && !named.for_restart) break;
    if (named.metadata_only && !is_metadata(cluster)) {
      r.bad(path, value,
            expected + "; " + quote(named.word) + " needs " +
                needs_state_machine(cluster, StateMachineChoice::Metadata));
    }
    const int brokers = is_metadata(cluster) ? broker_role_count(cluster) : cluster.brokers;
    if (named.kind == NodeSelector::Kind::Brokers && brokers == 0) {
      r.bad(path, value,
            expected + R"(; "brokers" names no node here: )" +
                (is_metadata(cluster) ? "no node runs the broker role (cluster.brokers and "
                                        "cluster.combined are 0)"
                                      : "cluster.brokers is 0"));
    }
    site.selector.kind = named.kind;
    return site;
  }
  r.bad(path, value, expected + did_you_mean(text, selector_words(cluster, for_restart)));
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
