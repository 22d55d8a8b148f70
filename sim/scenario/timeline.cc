// Parsing and cross-checking the timeline of a scenario (see timeline.hh).
//
// Layout of this file:
//   1. reading one action
//   2. TimelineChecker: cross-checks of labels, partitions, drops, which nodes are stopped and
//      which run the broker role
//   3. parse_timeline() and the label helpers
#include "sim/scenario/kind_names.hh"
#include "sim/scenario/timeline.hh"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <utility>

#include "raft/common/assert.hh"
#include "sim/scenario/sections.hh"
#include "sim/scenario/selectors.hh"

namespace sim::scenario_detail {

// ---------------------------------------------------------------------------------------------
// 1. Reading one action

bool targets_one_node(ActionType t) {
  return t == ActionType::Crash || t == ActionType::Restart || t == ActionType::Shutdown ||
         t == ActionType::Isolate || t == ActionType::Pause || t == ActionType::Resume ||
         t == ActionType::Wipe || t == ActionType::SlowDisk ||
         t == ActionType::ControlledShutdown;
}

namespace {

struct ParsedAction {
  Action action;
  JsonPath path;                    // timeline[i]
  std::vector<SelectorSite> sites;  // node; or from, to; or every group member, in file order
};

constexpr std::array<ActionType, 15> kActionTypes = {
    ActionType::Crash,       ActionType::Restart,     ActionType::Shutdown,
    ActionType::Isolate,     ActionType::Partition,   ActionType::Drop,
    ActionType::Heal,        ActionType::Pause,       ActionType::Resume,
    ActionType::Wipe,        ActionType::SlowDisk,    ActionType::ControlledShutdown,
    ActionType::CreateTopic, ActionType::DeleteTopic, ActionType::AlterConfig};

// Config resource types of alter_config (Kafka's ConfigResource.Type ids).
constexpr std::int8_t kTopicResource = 2;
constexpr std::int8_t kBrokerResource = 4;

// The crash points a crash's "at_next" may name (every CrashPoint but None).
constexpr std::array<CrashPoint, 4> kCrashPoints = {
    CrashPoint::SnapshotBeforeFsync, CrashPoint::SnapshotBeforeRename,
    CrashPoint::QuorumStateBeforeFsync, CrashPoint::QuorumStateBeforeRename};

// Actions of the metadata state machine only (a broker, or the admin client).
bool metadata_only(ActionType t) {
  return t == ActionType::ControlledShutdown || t == ActionType::CreateTopic ||
         t == ActionType::DeleteTopic || t == ActionType::AlterConfig;
}

// The actions a cluster running `cluster.state_machine` accepts.
std::vector<std::string_view> action_names(const ClusterSpec& cluster) {
  return kind_names(cluster, kActionTypes, metadata_only);
}

// Actions after which a node is down for sure, whose labels a restart may therefore name.
bool stops_node(ActionType t) {
  return t == ActionType::Crash || t == ActionType::Shutdown || t == ActionType::Wipe ||
         t == ActionType::ControlledShutdown;
}

// The fields of an action of type `type` (every field of the state machine if unknown).
std::vector<std::string_view> action_fields(std::optional<ActionType> type,
                                            const ClusterSpec& cluster) {
  std::vector<std::string_view> fields = {"at_ms", "action", "label"};
  if (!type || targets_one_node(*type)) fields.emplace_back("node");
  if (!type || *type == ActionType::Partition) fields.emplace_back("groups");
  if (!type || *type == ActionType::Drop) {
    fields.emplace_back("from");
    fields.emplace_back("to");
  }
  if (!type || *type == ActionType::Crash) {
    fields.emplace_back("torn_write");
    fields.emplace_back("at_next");
  }
  if (!type || *type == ActionType::SlowDisk) fields.emplace_back("flush_ms");
  if (!type && !is_metadata(cluster)) return fields;
  if (!type || *type == ActionType::CreateTopic || *type == ActionType::DeleteTopic) {
    fields.emplace_back("topic");
  }
  if (!type || *type == ActionType::AlterConfig) {
    fields.emplace_back("resource");
    fields.emplace_back("name");
    fields.emplace_back("value");
  }
  return fields;
}

ActionType read_action_type(const Reporter& r, const json& value, const JsonPath& path,
                            const ClusterSpec& cluster) {
  return read_kind(r, value, path, cluster, kActionTypes, metadata_only);
}

std::vector<std::string_view> crash_point_names() {
  std::vector<std::string_view> names;
  for (CrashPoint p : kCrashPoints) names.push_back(to_string(p));
  return names;
}

CrashPoint read_crash_point(const Reporter& r, const json& value, const JsonPath& path) {
  std::vector<std::string_view> names = crash_point_names();
  if (value.is_string()) {
    for (CrashPoint p : kCrashPoints) {
      if (to_string(p) == value.get_ref<const std::string&>()) return p;
    }
  }
  std::string got = value.is_string() ? value.get<std::string>() : "";
  r.bad(path, value, join_quoted(names) + did_you_mean(got, names));
}

// The crash-only fields "torn_write" and "at_next" (mutually exclusive).
void parse_crash_fields(const Reporter& r, const Object& obj, Action& action) {
  if (const json* torn = obj.find("torn_write")) {
    action.torn_write = read_bool(r, *torn, obj.at("torn_write"));
  }
  if (const json* at_next = obj.find("at_next")) {
    action.crash_point = read_crash_point(r, *at_next, obj.at("at_next"));
    if (action.torn_write) {
      r.bad(obj.at("torn_write"), *obj.find("torn_write"),
            R"(false (or no "torn_write") in a crash with "at_next": a torn write concerns the )"
            R"(log tail, "at_next" a snapshot or quorum-state file)");
    }
  }
}

// alter_config's "resource": "topic:<name>", "broker:<id>" or "cluster" (the cluster-wide default
// of broker configs, Kafka's BROKER resource "").
void parse_config_resource(const Reporter& r, const Object& obj, const ClusterSpec& cluster,
                           Action& action) {
  const std::string broker_rule =
      "a node running the broker role (" + broker_role_ids(cluster) + ")";
  const std::string expected = R"("topic:<name>", "broker:<id>" where <id> is )" + broker_rule +
                               R"(, or "cluster" (the cluster-wide default of broker configs))";
  const json& resource = obj.need("resource", expected);
  const JsonPath path = obj.at("resource");
  if (!resource.is_string()) r.bad(path, resource, expected);
  const std::string& text = resource.get_ref<const std::string&>();
  constexpr std::string_view kTopic = "topic:";
  constexpr std::string_view kBroker = "broker:";
  if (text == "cluster") {
    action.config_resource_type = kBrokerResource;
    action.config_resource = "";
  } else if (text.rfind(kTopic, 0) == 0) {
    action.config_resource_type = kTopicResource;
    action.config_resource = text.substr(kTopic.size());
    if (!is_valid_topic_name(action.config_resource)) {
      r.bad(path, resource, R"("topic:<name>" where <name> is )" + std::string(kTopicNameRule));
    }
  } else if (text.rfind(kBroker, 0) == 0) {
    std::optional<int> id = parse_id_text(std::string_view(text).substr(kBroker.size()));
    if (!id || *id >= cluster.node_count() || !cluster.runs_broker(*id)) {
      r.bad(path, resource, R"("broker:<id>" where <id> is )" + broker_rule);
    }
    action.config_resource_type = kBrokerResource;
    action.config_resource = std::to_string(*id);
  } else {
    r.bad(path, resource, expected + did_you_mean(text, {"cluster", "topic:", "broker:"}));
  }
}

// alter_config's "resource", "name" and "value" (null deletes the config).
void parse_alter_config(const Reporter& r, const Object& obj, const ClusterSpec& cluster,
                        Action& action) {
  parse_config_resource(r, obj, cluster, action);
  const std::string name_expected =
      R"(a config name, a non-empty string (e.g. "unclean.leader.election.enable"))";
  action.config_name =
      read_string(r, obj.need("name", name_expected), obj.at("name"), name_expected, false);
  const std::string value_expected = "a string (the new value), or null to delete the config";
  const json& value = obj.need("value", value_expected);
  if (!value.is_null()) {
    action.config_value = read_string(r, value, obj.at("value"), value_expected, true);
  }
}

void parse_groups(const Reporter& r, const Object& obj, const ClusterSpec& cluster,
                  ParsedAction& out) {
  const std::string expected =
      "an array of at least two non-empty arrays of node selectors, e.g. [[0], [1, 2]]";
  const json& groups = read_array(r, obj.need("groups", expected), obj.at("groups"), expected);
  if (groups.size() < 2) r.bad(obj.at("groups"), groups, expected);
  for (std::size_t g = 0; g < groups.size(); ++g) {
    JsonPath group_path = obj.at("groups").index(g);
    const json& group = groups[g];
    if (!group.is_array() || group.empty()) {
      r.bad(group_path, group,
            "a non-empty array of node selectors (" + selector_expected(cluster) + ")");
    }
    out.action.groups.emplace_back();
    for (std::size_t m = 0; m < group.size(); ++m) {
      SelectorSite site = read_selector(r, group[m], group_path.index(m), cluster, false);
      site.group = g;
      out.action.groups.back().push_back(site.selector);
      out.sites.push_back(std::move(site));
    }
  }
}

ParsedAction parse_action(const Reporter& r, const json& value, const JsonPath& path,
                          std::size_t index, const ClusterSpec& cluster, const StopSpec& stop) {
  if (!value.is_object()) {
    r.bad(path, value, R"(an action object, e.g. {"at_ms": 5000, "action": "crash", "node": 0})");
  }
  const std::string type_expected = "one of " + join(action_names(cluster), "|");
  auto type_it = value.find("action");
  if (type_it == value.end()) {
    Object any(r, value, path, "an action", action_fields(std::nullopt, cluster));
    r.missing(path.field("action"), type_expected);
  }
  ActionType type = read_action_type(r, *type_it, path.field("action"), cluster);
  Object obj(r, value, path, article(std::string(to_string(type))) + " action",
             action_fields(type, cluster));

  ParsedAction out;
  out.path = path;
  out.action.type = type;
  out.action.index = index;
  std::string at_expected =
      "a time in milliseconds in [0, " + format_ms(stop.at.us()) + "] (not after stop.at_ms)";
  out.action.at = Instant::from_us(read_ms(r, obj.need("at_ms", at_expected), obj.at("at_ms"),
                                           Lower::Zero, stop.at.us(), at_expected));
  if (const json* label = obj.find("label")) {
    out.action.label =
        read_string(r, *label, obj.at("label"), std::string("a label: ") + kLabelRule, false);
    if (!is_valid_label(out.action.label)) {
      r.bad(obj.at("label"), *label, std::string("a label: ") + kLabelRule);
    }
  }
  if (targets_one_node(type)) {
    bool restart = type == ActionType::Restart;
    std::string expected = selector_expected(cluster);
    if (restart) expected = restart_selector_expected(cluster);
    if (type == ActionType::ControlledShutdown) expected = broker_target_expected(cluster);
    SelectorSite site =
        read_selector(r, obj.need("node", expected), obj.at("node"), cluster, restart);
    out.action.node = site.selector;
    out.sites.push_back(std::move(site));
  } else if (type == ActionType::Partition) {
    parse_groups(r, obj, cluster, out);
  } else if (type == ActionType::Drop) {
    for (std::string_view end : {"from", "to"}) {
      SelectorSite site = read_selector(r, obj.need(end, selector_expected(cluster)), obj.at(end),
                                        cluster, false);
      (end == "from" ? out.action.from : out.action.to) = site.selector;
      out.sites.push_back(std::move(site));
    }
  }
  if (type == ActionType::Crash) parse_crash_fields(r, obj, out.action);
  if (type == ActionType::SlowDisk) {
    out.action.flush_latency = Duration::micros(read_ms(
        r, obj.need("flush_ms", ms_expected(Lower::Zero)), obj.at("flush_ms"), Lower::Zero));
  }
  if (type == ActionType::CreateTopic) {
    const std::string expected = R"(a topic, e.g. {"name": "orders", "partitions": 6, )"
                                 R"("replication_factor": 3})";
    out.action.topic = read_topic(r, obj.need("topic", expected), obj.at("topic"), cluster);
  }
  if (type == ActionType::DeleteTopic) {
    out.action.topic.name =
        read_topic_name(r, obj.need("topic", kTopicNameRule), obj.at("topic"));
  }
  if (type == ActionType::AlterConfig) parse_alter_config(r, obj, cluster, out.action);
  return out;
}

// ---------------------------------------------------------------------------------------------
// 2. Timeline cross-checks

}  // namespace

std::string describe_action(const Action& action) {
  return JsonPath().field("timeline").index(action.index).str() + " (" +
         std::string(to_string(action.type)) + " at " + format_ms(action.at.us()) + " ms)";
}

std::string list_labels(const std::map<std::string, std::size_t>& labels) {
  if (labels.empty()) return "the timeline has no labels";
  std::vector<std::string_view> names;
  for (const auto& entry : labels) names.push_back(entry.first);
  return "labels: " + join_quoted(names);
}

std::vector<std::string_view> label_names(const std::map<std::string, std::size_t>& labels) {
  std::vector<std::string_view> names;
  for (const auto& entry : labels) names.push_back(entry.first);
  return names;
}

namespace {

// Walks the timeline in run order, checking label references, partitions, drops, restarts and
// that controlled shutdowns target nodes running the broker role.
class TimelineChecker {
 public:
  TimelineChecker(const Reporter& r, const std::vector<ParsedAction>& actions,
                  const std::vector<std::size_t>& run_order,
                  const std::map<std::string, std::size_t>& labels, const ClusterSpec& cluster)
      : r_(r),
        actions_(actions),
        run_order_(run_order),
        labels_(labels),
        cluster_(cluster),
        run_position_(actions.size()),
        resolved_(actions.size()),
        state_(static_cast<std::size_t>(cluster.node_count()), Liveness::Running),
        changed_by_(static_cast<std::size_t>(cluster.node_count())) {
    for (std::size_t k = 0; k < run_order.size(); ++k) run_position_[run_order[k]] = k;
  }

  void check() {
    for (std::size_t k = 0; k < run_order_.size(); ++k) {
      const ParsedAction& a = actions_[run_order_[k]];
      for (const SelectorSite& site : a.sites) check_label_reference(a, k, site);
      switch (a.action.type) {
        case ActionType::Partition: check_partition(a); break;
        case ActionType::Drop: check_drop(a); break;
        case ActionType::Crash:
          if (a.action.crash_point == CrashPoint::None) {
            check_stop(a);
          } else {
            check_armed_crash(a);
          }
          break;
        case ActionType::Shutdown: check_stop(a); break;
        case ActionType::ControlledShutdown:
          check_broker_target(a);
          check_stop(a);
          break;
        case ActionType::Wipe: check_wipe(a); break;
        case ActionType::Restart: check_restart(a); break;
        case ActionType::SlowLink:     // TODO(issue 5): checked by the timeline work in progress
        case ActionType::RestoreLink:
        case ActionType::ClockDrift:
        case ActionType::Isolate:
        case ActionType::Heal:
        case ActionType::Pause:
        case ActionType::Resume:
        case ActionType::SlowDisk:
        case ActionType::CreateTopic:
        case ActionType::DeleteTopic:
        case ActionType::AlterConfig: break;
      }
      if (targets_one_node(a.action.type)) {
        resolved_[a.action.index] = resolve(a.sites.front().selector);
      }
    }
  }

 private:
  // What the file tells about a node at this point of the timeline.
  enum class Liveness { Running, Stopped, Unknown };

  void check_label_reference(const ParsedAction& a, std::size_t position,
                             const SelectorSite& site) const {
    if (site.selector.kind != NodeSelector::Kind::Label) return;
    const std::string& label = site.selector.label;
    std::string expected = "the label of an earlier action that targets one node";
    if (a.action.type == ActionType::Restart) {
      expected = is_metadata(cluster_)
                     ? "the label of an earlier crash, shutdown, controlled_shutdown or wipe"
                     : "the label of an earlier crash, shutdown or wipe";
    }
    auto it = labels_.find(label);
    if (it == labels_.end()) {
      r_.bad_text(site.path, site.raw,
                  expected + "; no action is labelled " + quote(label) + " (" +
                      list_labels(labels_) + ")" + did_you_mean(label, label_names(labels_)));
    }
    const ParsedAction& target = actions_[it->second];
    if (run_position_[it->second] >= position) {
      std::string when = &target == &a ? "which is this action itself"
                                       : "which does not run before " + describe_action(a.action);
      r_.bad_text(
          site.path, site.raw,
          expected + "; " + quote(label) + " labels " + describe_action(target.action) + ", " +
              when);
    }
    bool fits = a.action.type == ActionType::Restart ? stops_node(target.action.type)
                                                     : targets_one_node(target.action.type);
    if (!fits) {
      r_.bad_text(site.path, site.raw,
                  expected + "; " + quote(label) + " labels " + describe_action(target.action));
    }
  }

  // The node id a selector surely names, if the file alone determines it.
  [[nodiscard]] std::optional<NodeId> resolve(const NodeSelector& s) const {
    if (s.kind == NodeSelector::Kind::Id) return s.id;
    if (s.kind == NodeSelector::Kind::Label) return resolved_[labels_.at(s.label)];
    return std::nullopt;
  }

  // Two selectors naming the same node for sure compare equal under this key.
  [[nodiscard]] std::string identity(const NodeSelector& s) const {
    if (auto id = resolve(s)) return "node " + std::to_string(id->value());
    if (s.kind == NodeSelector::Kind::Leader) return "\"leader\"";
    if (s.kind == NodeSelector::Kind::Follower) return "\"follower\"";
    if (s.kind == NodeSelector::Kind::RandomBroker) return "\"random-broker\"";
    return quote("label:" + s.label);
  }

  void check_partition(const ParsedAction& a) const {
    std::map<std::string, const SelectorSite*> seen;
    for (const SelectorSite& site : a.sites) {
      std::string who = identity(site.selector);
      auto [it, fresh] = seen.emplace(who, &site);
      if (fresh) continue;
      std::string where = it->second->group == site.group
                              ? "listed twice in this group"
                              : "already in groups[" + std::to_string(it->second->group) + "]";
      r_.bad_text(site.path, site.raw,
                  "a node that is in no other group (" + who + " is " + where + ")");
    }
  }

  // A controlled shutdown targets a node running the broker role: a node id the file determines
  // must run it, and "leader" or "follower" (controllers) may only if some controller does.
  void check_broker_target(const ParsedAction& a) const {
    const SelectorSite& site = a.sites.front();
    std::string expected = broker_target_expected(cluster_);
    if (std::optional<NodeId> id = resolve(site.selector)) {
      if (cluster_.runs_broker(id->value())) return;
      std::string which = site.selector.kind == NodeSelector::Kind::Id
                              ? "node " + std::to_string(id->value())
                              : quote("label:" + site.selector.label) + " names node " +
                                    std::to_string(id->value()) + ", which";
      r_.bad_text(site.path, site.raw, expected + " (" + which + " runs only the controller role)");
    }
    bool controller = site.selector.kind == NodeSelector::Kind::Leader ||
                      site.selector.kind == NodeSelector::Kind::Follower;
    if (controller && cluster_.combined == 0) {
      r_.bad_text(site.path, site.raw,
                  expected + " (" + site.raw +
                      " names a controller, and no controller runs the broker role: "
                      "cluster.combined is 0)");
    }
  }

  void check_drop(const ParsedAction& a) const {
    const SelectorSite& from = a.sites[0];
    const SelectorSite& to = a.sites[1];
    if (identity(from.selector) == identity(to.selector)) {
      r_.bad_text(to.path, to.raw,
                  "a node other than \"from\" (both name " + identity(to.selector) + ")");
    }
  }

  // A node the file does not name for sure may be any running one: each may now be stopped.
  void running_become_unknown() {
    for (Liveness& s : state_) {
      if (s == Liveness::Running) s = Liveness::Unknown;
    }
  }

  // Rejects a crash or shutdown of node `n` that the file has already stopped.
  void require_not_stopped(const ParsedAction& a, std::size_t n) const {
    if (state_[n] != Liveness::Stopped) return;
    r_.bad_text(a.sites.front().path, a.sites.front().raw,
                "a running node (node " + std::to_string(n) + " is already stopped by " +
                    describe_action(changed_by_[n]->action) + ")");
  }

  // A crash (now) or a shutdown: the node must not be stopped already, and is stopped after.
  void check_stop(const ParsedAction& a) {
    std::optional<NodeId> id = resolve(a.sites.front().selector);
    if (!id) {  // "leader", "follower" or an unresolved label: any running node may stop
      running_become_unknown();
      return;
    }
    auto n = static_cast<std::size_t>(id->value());
    require_not_stopped(a, n);
    state_[n] = Liveness::Stopped;
    changed_by_[n] = &a;
  }

  // A crash "at_next" write of some file: the node may stop at any later time, or never.
  void check_armed_crash(const ParsedAction& a) {
    std::optional<NodeId> id = resolve(a.sites.front().selector);
    if (!id) {
      running_become_unknown();
      return;
    }
    auto n = static_cast<std::size_t>(id->value());
    require_not_stopped(a, n);
    state_[n] = Liveness::Unknown;
    changed_by_[n] = &a;
  }

  // A wipe stops a running node like a crash; wiping a stopped node's disk is fine too.
  void check_wipe(const ParsedAction& a) {
    std::optional<NodeId> id = resolve(a.sites.front().selector);
    if (!id) {
      running_become_unknown();
      return;
    }
    auto n = static_cast<std::size_t>(id->value());
    state_[n] = Liveness::Stopped;
    changed_by_[n] = &a;
  }

  void check_restart(const ParsedAction& a) {
    std::optional<NodeId> id = resolve(a.sites.front().selector);
    if (!id) {  // restarts whatever an unresolved crash or wipe stopped
      for (Liveness& s : state_) {
        if (s == Liveness::Stopped) s = Liveness::Unknown;
      }
      return;
    }
    auto n = static_cast<std::size_t>(id->value());
    if (state_[n] == Liveness::Running) {
      std::string why =
          changed_by_[n] == nullptr
              ? "no earlier action crashes, shuts down or wipes node " +
                    std::to_string(id->value())
              : "node " + std::to_string(id->value()) + " is already restarted by " +
                    describe_action(changed_by_[n]->action);
      r_.bad_text(a.sites.front().path, a.sites.front().raw,
                  "a node that an earlier crash, shutdown or wipe stopped (" + why + ")");
    }
    state_[n] = Liveness::Running;
    changed_by_[n] = &a;
  }

  const Reporter& r_;
  const std::vector<ParsedAction>& actions_;
  const std::vector<std::size_t>& run_order_;
  const std::map<std::string, std::size_t>& labels_;
  const ClusterSpec& cluster_;
  std::vector<std::size_t> run_position_;        // file index -> position in run order
  std::vector<std::optional<NodeId>> resolved_;  // file index -> node it surely targets
  std::vector<Liveness> state_;                  // node id -> liveness so far
  std::vector<const ParsedAction*> changed_by_;  // node id -> last action that stopped/restarted it
};

}  // namespace

// ---------------------------------------------------------------------------------------------
// 3. The whole timeline

std::vector<Action> parse_timeline(const Reporter& r, const json& value, const JsonPath& path,
                                   const ClusterSpec& cluster, const StopSpec& stop,
                                   std::map<std::string, std::size_t>& labels) {
  read_array(r, value, path, "an array of actions");
  std::vector<ParsedAction> actions;
  for (std::size_t i = 0; i < value.size(); ++i) {
    actions.push_back(parse_action(r, value[i], path.index(i), i, cluster, stop));
    const Action& action = actions.back().action;
    if (action.label.empty()) continue;
    auto [it, fresh] = labels.emplace(action.label, i);
    if (!fresh) {
      r.bad(path.index(i).field("label"), json(action.label),
            "a label not used by another action (" + path.index(it->second).str() +
                " already has it)");
    }
  }
  std::vector<std::size_t> run_order(actions.size());
  for (std::size_t i = 0; i < run_order.size(); ++i) run_order[i] = i;
  std::stable_sort(run_order.begin(), run_order.end(), [&](std::size_t a, std::size_t b) {
    return actions[a].action.at < actions[b].action.at;
  });
  TimelineChecker(r, actions, run_order, labels, cluster).check();

  std::vector<Action> timeline;
  for (std::size_t i : run_order) timeline.push_back(actions[i].action);
  return timeline;
}

const Action& action_at(const std::vector<Action>& timeline, std::size_t index) {
  auto it = std::find_if(timeline.begin(), timeline.end(),
                         [&](const Action& a) { return a.index == index; });
  KR_ASSERT(it != timeline.end(), "no action at index " << index);
  return *it;
}

std::optional<NodeId> resolve_label(const std::vector<Action>& timeline,
                                    const std::map<std::string, std::size_t>& labels,
                                    const std::string& label) {
  const Action& action = action_at(timeline, labels.at(label));
  if (!targets_one_node(action.type) || !action.node) return std::nullopt;
  if (action.node->kind == NodeSelector::Kind::Id) return action.node->id;
  // A label only names an earlier action, so this recursion ends.
  if (action.node->kind == NodeSelector::Kind::Label) {
    return resolve_label(timeline, labels, action.node->label);
  }
  return std::nullopt;
}

}  // namespace sim::scenario_detail
