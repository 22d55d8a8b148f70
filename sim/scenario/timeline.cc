// Parsing and cross-checking the timeline of a scenario (see timeline.hh).
//
// Layout of this file:
//   1. reading one action (and its "repeat")
//   2. TimelineChecker: cross-checks of labels, sets, partitions, link pairs, which nodes are
//      stopped or paused and which run the broker role
//   3. parse_timeline() (which expands repeated actions) and the label helpers
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
         t == ActionType::ControlledShutdown || t == ActionType::ClockDrift;
}

namespace {

struct ParsedAction {
  Action action;
  JsonPath path;                    // timeline[i]
  std::vector<SelectorSite> sites;  // node; or from, to; or every group member, in file order
  // "repeat": the action runs `times` times, every `every` (times 1: not repeated).
  std::int64_t times = 1;
  Duration every;
};

constexpr std::array<ActionType, 18> kActionTypes = {
    ActionType::Crash,       ActionType::Restart,     ActionType::Shutdown,
    ActionType::Isolate,     ActionType::Partition,   ActionType::Drop,
    ActionType::Heal,        ActionType::Pause,       ActionType::Resume,
    ActionType::Wipe,        ActionType::SlowDisk,    ActionType::SlowLink,
    ActionType::RestoreLink, ActionType::ClockDrift,  ActionType::ControlledShutdown,
    ActionType::CreateTopic, ActionType::DeleteTopic, ActionType::AlterConfig};

// Config resource types of alter_config (Kafka's ConfigResource.Type ids).
constexpr std::int8_t kTopicResource = 2;
constexpr std::int8_t kBrokerResource = 4;

// Bounds of "repeat".
constexpr std::int64_t kMinTimes = 2;
constexpr std::int64_t kMaxTimes = 10'000;

// Bounds of clock_drift's "drift_ppm" (a clock running at 0.000001x .. 11x).
constexpr std::int64_t kMinDriftPpm = -999'999;
constexpr std::int64_t kMaxDriftPpm = 10'000'000;

// The crash points a crash's "at_next" may name (every CrashPoint but None).
constexpr std::array<CrashPoint, 4> kCrashPoints = {
    CrashPoint::SnapshotBeforeFsync, CrashPoint::SnapshotBeforeRename,
    CrashPoint::QuorumStateBeforeFsync, CrashPoint::QuorumStateBeforeRename};

// Actions of the metadata state machine only (a broker, or the admin client).
bool metadata_only(ActionType t) {
  return t == ActionType::ControlledShutdown || t == ActionType::CreateTopic ||
         t == ActionType::DeleteTopic || t == ActionType::AlterConfig;
}

// Actions with "from" and "to" (each a selector, possibly a set).
bool on_links(ActionType t) {
  return t == ActionType::Drop || t == ActionType::SlowLink || t == ActionType::RestoreLink;
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
  if (!type || on_links(*type)) {
    fields.emplace_back("from");
    fields.emplace_back("to");
  }
  if (!type || *type == ActionType::Crash) {
    fields.emplace_back("torn_write");
    fields.emplace_back("at_next");
  }
  if (!type || *type == ActionType::SlowDisk) fields.emplace_back("flush_ms");
  if (!type || *type == ActionType::SlowLink) {
    fields.emplace_back("latency");
    fields.emplace_back("loss");
    fields.emplace_back("duplicate");
  }
  if (!type || *type == ActionType::SlowLink || *type == ActionType::RestoreLink) {
    fields.emplace_back("bidirectional");
  }
  if (!type || *type == ActionType::ClockDrift) fields.emplace_back("drift_ppm");
  if (!type || is_metadata(cluster)) {
    if (!type || *type == ActionType::CreateTopic || *type == ActionType::DeleteTopic) {
      fields.emplace_back("topic");
    }
    if (!type || *type == ActionType::AlterConfig) {
      fields.emplace_back("resource");
      fields.emplace_back("name");
      fields.emplace_back("value");
    }
  }
  fields.emplace_back("repeat");
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

// "from" and "to" of drop, slow_link and restore_link.
void parse_link_ends(const Reporter& r, const Object& obj, const ClusterSpec& cluster,
                     ParsedAction& out) {
  for (std::string_view end : {"from", "to"}) {
    SelectorSite site = read_selector(r, obj.need(end, selector_expected(cluster)), obj.at(end),
                                      cluster, false);
    (end == "from" ? out.action.from : out.action.to) = site.selector;
    out.sites.push_back(std::move(site));
  }
}

// slow_link's "latency" (as in the network section), "loss", "duplicate" (at least one of the
// three) and "bidirectional"; restore_link's "bidirectional".
void parse_link_change(const Reporter& r, const Object& obj, ParsedAction& out) {
  Action& action = out.action;
  if (const json* both = obj.find("bidirectional")) {
    action.bidirectional = read_bool(r, *both, obj.at("bidirectional"));
  }
  if (action.type != ActionType::SlowLink) return;
  if (const json* latency = obj.find("latency")) {
    action.link_latency = parse_latency(r, *latency, obj.at("latency"));
  }
  if (const json* loss = obj.find("loss")) {
    action.link_loss = read_probability(r, *loss, obj.at("loss"));
  }
  if (const json* duplicate = obj.find("duplicate")) {
    action.link_duplicate = read_probability(r, *duplicate, obj.at("duplicate"));
  }
  if (!action.link_latency && !action.link_loss && !action.link_duplicate) {
    r.bad_text(out.path, "a slow_link that changes nothing",
               R"(at least one of "latency", "loss" or "duplicate" in a slow_link)");
  }
}

// "repeat": {"every_ms": p > 0, "times": 2..10000}; every copy must run by the stop time.
void parse_repeat(const Reporter& r, const Object& obj, const StopSpec& stop, ParsedAction& out) {
  const json* repeat = obj.find("repeat");
  if (repeat == nullptr) return;
  const JsonPath path = obj.at("repeat");
  Object rep(r, *repeat, path, "repeat", {"every_ms", "times"});
  out.every = Duration::micros(read_ms(r, rep.need("every_ms", ms_expected(Lower::Positive)),
                                       rep.at("every_ms"), Lower::Positive));
  const json& times = rep.need("times", int_range(kMinTimes, kMaxTimes));
  out.times = read_int(r, times, rep.at("times"), kMinTimes, kMaxTimes);
  // The last copy runs at at + (times - 1) * every; compare without overflowing.
  const std::int64_t room = stop.at.us() - out.action.at.us();
  const std::int64_t fit = 1 + room / out.every.us();
  if (out.times <= fit) return;
  r.bad(rep.at("times"), times,
        int_range(kMinTimes, kMaxTimes) + " such that every copy runs by stop.at_ms " +
            format_ms(stop.at.us()) + " (from at_ms " + format_ms(out.action.at.us()) +
            " every " + format_ms(out.every.us()) + " ms, at most " + std::to_string(fit) +
            (fit == 1 ? " copy fits" : " copies fit") + ")");
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
  } else if (on_links(type)) {
    parse_link_ends(r, obj, cluster, out);
  }
  if (type == ActionType::Crash) parse_crash_fields(r, obj, out.action);
  if (type == ActionType::SlowDisk) {
    out.action.flush_latency = Duration::micros(read_ms(
        r, obj.need("flush_ms", ms_expected(Lower::Zero)), obj.at("flush_ms"), Lower::Zero));
  }
  if (type == ActionType::SlowLink || type == ActionType::RestoreLink) {
    parse_link_change(r, obj, out);
  }
  if (type == ActionType::ClockDrift) {
    const std::string expected =
        int_range(kMinDriftPpm, kMaxDriftPpm) +
        " (parts per million the clock gains, > 0, or loses, < 0; 0 = exact)";
    out.action.drift_ppm = read_int(r, obj.need("drift_ppm", expected), obj.at("drift_ppm"),
                                    kMinDriftPpm, kMaxDriftPpm, expected);
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
  parse_repeat(r, obj, stop, out);
  return out;
}

// ---------------------------------------------------------------------------------------------
// 2. Timeline cross-checks

}  // namespace

std::string describe_action(const Action& action) {
  std::string out = JsonPath().field("timeline").index(action.index).str() + " (" +
                    std::string(to_string(action.type)) + " at " + format_ms(action.at.us()) +
                    " ms";
  if (action.repetition > 0) out += ", repetition " + std::to_string(action.repetition);
  return out + ")";
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

// How surely an action targets a node, as far as the file tells.
enum class Certainty {
  Maybe,    // it may or may not ("leader", "random-node", "followers"...)
  Named,    // surely, through a named set ("controllers", "brokers", "all"): no check applies
  Explicit, // surely, by id (directly, in an array or through a label): the checks apply
};

// The nodes a selector targets, as far as the file tells: node id -> certainty.
using Targets = std::map<int, Certainty>;

bool is_sure(Certainty c) { return c != Certainty::Maybe; }

// Walks the timeline in run order (repeated actions as their copies), checking label
// references, sets, partitions, link pairs, stops, restarts, pauses and resumes, and that
// controlled shutdowns target nodes running the broker role.
class TimelineChecker {
 public:
  TimelineChecker(const Reporter& r, const std::vector<ParsedAction>& actions,
                  const std::vector<std::size_t>& run_order,
                  const std::map<std::string, std::size_t>& labels, const ClusterSpec& cluster,
                  std::size_t file_actions)
      : r_(r),
        actions_(actions),
        run_order_(run_order),
        labels_(labels),
        cluster_(cluster),
        first_position_(file_actions, run_order.size()),
        targets_(file_actions),
        state_(static_cast<std::size_t>(cluster.node_count()), Liveness::Running),
        changed_by_(static_cast<std::size_t>(cluster.node_count())),
        pause_(static_cast<std::size_t>(cluster.node_count()), Pause::No),
        paused_by_(static_cast<std::size_t>(cluster.node_count())) {
    for (std::size_t k = 0; k < run_order.size(); ++k) {
      std::size_t& first = first_position_[actions[run_order[k]].action.index];
      first = std::min(first, k);
    }
  }

  void check() {
    for (std::size_t k = 0; k < run_order_.size(); ++k) {
      const ParsedAction& a = actions_[run_order_[k]];
      for (const SelectorSite& site : a.sites) check_labels_in(a, k, site);
      for (const SelectorSite& site : a.sites) check_set_members(a, site);
      switch (a.action.type) {
        case ActionType::Partition: check_partition(a); break;
        case ActionType::Drop:
        case ActionType::SlowLink:
        case ActionType::RestoreLink: check_link_ends(a); break;
        case ActionType::Crash:
          if (a.action.crash_point == CrashPoint::None) {
            check_stop(a);
          } else {
            check_armed_crash(a);
          }
          break;
        case ActionType::Shutdown: check_stop(a); break;
        case ActionType::ControlledShutdown:
          check_broker_target(a, a.sites.front());
          check_stop(a);
          break;
        case ActionType::Wipe: check_wipe(a); break;
        case ActionType::Restart: check_restart(a); break;
        case ActionType::Pause: check_pause(a); break;
        case ActionType::Resume: check_resume(a); break;
        case ActionType::ClockDrift:
        case ActionType::Isolate:
        case ActionType::Heal:
        case ActionType::SlowDisk:
        case ActionType::CreateTopic:
        case ActionType::DeleteTopic:
        case ActionType::AlterConfig: break;
      }
      if (targets_one_node(a.action.type) && !targets_[a.action.index]) {
        targets_[a.action.index] = resolve(a.sites.front().selector);
      }
    }
  }

 private:
  // What the file tells about a node at this point of the timeline.
  enum class Liveness { Running, Stopped, Unknown };
  // Whether a node's process is paused.
  enum class Pause { No, Yes, Unknown };

  // Throws "<path>: got <raw>, expected <expected>", saying which copy of a repeated action.
  [[noreturn]] void reject(const ParsedAction& a, const SelectorSite& site,
                           std::string expected) const {
    if (a.action.repetition > 0) {
      expected += "; in repetition " + std::to_string(a.action.repetition) + " of " +
                  a.path.str() + ", at " + format_ms(a.action.at.us()) + " ms";
    }
    r_.bad_text(site.path, site.raw, expected);
  }

  // Checks the label references of `site` and of the members of a set.
  void check_labels_in(const ParsedAction& a, std::size_t position,
                       const SelectorSite& site) const {
    check_label_reference(a, position, site);
    for (const SelectorSite& member : site.members) check_labels_in(a, position, member);
  }

  void check_label_reference(const ParsedAction& a, std::size_t position,
                             const SelectorSite& site) const {
    if (site.selector.kind != NodeSelector::Kind::Label) return;
    const std::string& label = site.selector.label;
    std::string expected = R"(the label of an earlier action on nodes (one with a "node"))";
    if (a.action.type == ActionType::Restart) {
      expected = is_metadata(cluster_)
                     ? "the label of an earlier crash, shutdown, controlled_shutdown or wipe"
                     : "the label of an earlier crash, shutdown or wipe";
    }
    auto it = labels_.find(label);
    if (it == labels_.end()) {
      reject(a, site,
             expected + "; no action is labelled " + quote(label) + " (" + list_labels(labels_) +
                 ")" + did_you_mean(label, label_names(labels_)));
    }
    const ParsedAction& target = first_copy(it->second);
    if (it->second == a.action.index) {
      reject(a, site,
             expected + "; " + quote(label) + " labels " + describe_action(target.action) +
                 ", which is this action itself");
    }
    if (first_position_[it->second] >= position) {
      reject(a, site,
             expected + "; " + quote(label) + " labels " + describe_action(target.action) +
                 ", which does not run before " + describe_action(a.action));
    }
    bool fits = a.action.type == ActionType::Restart ? stops_node(target.action.type)
                                                     : targets_one_node(target.action.type);
    if (!fits) {
      reject(a, site, expected + "; " + quote(label) + " labels " + describe_action(target.action));
    }
  }

  // The first copy (in run order) of the action at `index` in the file.
  [[nodiscard]] const ParsedAction& first_copy(std::size_t index) const {
    return actions_[run_order_[first_position_[index]]];
  }

  // Every node id of the cluster for which `pred` holds, with certainty `c`.
  template <typename Pred>
  [[nodiscard]] Targets nodes_where(Certainty c, Pred pred) const {
    Targets out;
    for (int id = 0; id < cluster_.node_count(); ++id) {
      if (pred(id)) out.emplace(id, c);
    }
    return out;
  }

  // The nodes `s` targets, as far as the file tells.
  [[nodiscard]] Targets resolve(const NodeSelector& s) const {
    auto voter = [this](int id) { return id < cluster_.controllers; };
    auto broker = [this](int id) {
      return is_metadata(cluster_) ? cluster_.runs_broker(id) : id >= cluster_.controllers;
    };
    auto any = [](int) { return true; };
    switch (s.kind) {
      case NodeSelector::Kind::Id: return Targets{{s.id.value(), Certainty::Explicit}};
      case NodeSelector::Kind::Label: {
        const std::optional<Targets>& t = targets_[labels_.at(s.label)];
        return t ? *t : Targets{};
      }
      case NodeSelector::Kind::Leader:
      case NodeSelector::Kind::Follower:
      case NodeSelector::Kind::RandomController:
      case NodeSelector::Kind::Followers: return nodes_where(Certainty::Maybe, voter);
      case NodeSelector::Kind::RandomBroker: return nodes_where(Certainty::Maybe, broker);
      case NodeSelector::Kind::RandomNode: return nodes_where(Certainty::Maybe, any);
      case NodeSelector::Kind::Voters: return nodes_where(Certainty::Named, voter);
      case NodeSelector::Kind::Brokers: return nodes_where(Certainty::Named, broker);
      case NodeSelector::Kind::All: return nodes_where(Certainty::Named, any);
      case NodeSelector::Kind::Set: {
        Targets out;
        for (const NodeSelector& member : s.members) {
          for (const auto& [id, c] : resolve(member)) {
            auto [it, fresh] = out.emplace(id, c);
            if (!fresh) it->second = std::max(it->second, c);
          }
        }
        return out;
      }
    }
    return {};
  }

  // The node ids of `t` targeted for sure.
  [[nodiscard]] static std::vector<int> sure_ids(const Targets& t) {
    std::vector<int> out;
    for (const auto& [id, c] : t) {
      if (is_sure(c)) out.push_back(id);
    }
    return out;
  }

  // True if the selector may target nodes the file cannot tell.
  [[nodiscard]] static bool has_maybe(const Targets& t) {
    return std::any_of(t.begin(), t.end(),
                       [](const auto& entry) { return entry.second == Certainty::Maybe; });
  }

  // A set names each node once: no two members surely name the same node (recursively).
  void check_set_members(const ParsedAction& a, const SelectorSite& site) const {
    if (site.selector.kind != NodeSelector::Kind::Set) return;
    std::map<int, const SelectorSite*> named_by;
    for (const SelectorSite& member : site.members) {
      check_set_members(a, member);
      for (int id : sure_ids(resolve(member.selector))) {
        auto [it, fresh] = named_by.emplace(id, &member);
        if (fresh) continue;
        reject(a, member,
               "a selector naming no node already in the set (node " + std::to_string(id) +
                   " is also named by " + it->second->path.str() + ", " + it->second->raw + ")");
      }
    }
  }

  // Two single-node selectors naming the same node for sure compare equal under this key.
  [[nodiscard]] std::string identity(const SelectorSite& site) const {
    const Targets t = resolve(site.selector);
    if (t.size() == 1 && is_sure(t.begin()->second)) {
      return "node " + std::to_string(t.begin()->first);
    }
    if (site.selector.kind == NodeSelector::Kind::Label) return quote("label:" + site.selector.label);
    if (std::string_view word = selector_word(site.selector.kind); !word.empty()) {
      return quote(word);
    }
    return site.raw;
  }

  void check_partition(const ParsedAction& a) const {
    std::map<std::string, const SelectorSite*> seen;  // identity of a maybe-selector -> site
    std::map<int, const SelectorSite*> sure;          // node surely in a group -> site
    auto where = [](const SelectorSite& earlier, const SelectorSite& site) {
      return earlier.group == site.group
                 ? std::string("listed twice in this group")
                 : "already in groups[" + std::to_string(earlier.group) + "]";
    };
    for (const SelectorSite& site : a.sites) {
      const Targets t = resolve(site.selector);
      for (int id : sure_ids(t)) {
        auto [it, fresh] = sure.emplace(id, &site);
        if (fresh) continue;
        reject(a, site,
               "a node that is in no other group (node " + std::to_string(id) + " is " +
                   where(*it->second, site) + ")");
      }
      if (!sure_ids(t).empty()) continue;
      std::string who = identity(site);
      auto [it, fresh] = seen.emplace(who, &site);
      if (fresh) continue;
      reject(a, site,
             "a node that is in no other group (" + who + " is " + where(*it->second, site) + ")");
    }
  }

  // drop, slow_link and restore_link need at least one pair of different nodes: "from" and "to"
  // must not surely name one and the same node.
  void check_link_ends(const ParsedAction& a) const {
    const SelectorSite& from = a.sites[0];
    const SelectorSite& to = a.sites[1];
    const Targets f = resolve(from.selector);
    const Targets t = resolve(to.selector);
    const bool single = !from.selector.is_set() && !to.selector.is_set();
    const bool one_node = !has_maybe(f) && !has_maybe(t) && f.size() == 1 &&
                          sure_ids(f) == sure_ids(t);
    if ((single && identity(from) == identity(to)) || one_node) {
      reject(a, to, "a node other than \"from\" (both name " + identity(to) + ")");
    }
  }

  // A node the file does not name for sure may be any of these: each may now be stopped.
  void may_stop(const std::vector<int>& ids) {
    for (int id : ids) {
      auto n = static_cast<std::size_t>(id);
      if (state_[n] == Liveness::Running) state_[n] = Liveness::Unknown;
      if (pause_[n] == Pause::Yes) pause_[n] = Pause::Unknown;
    }
  }

  // The ids of `t` with certainty `c`.
  [[nodiscard]] static std::vector<int> ids_with(const Targets& t, Certainty c) {
    std::vector<int> out;
    for (const auto& [id, certainty] : t) {
      if (certainty == c) out.push_back(id);
    }
    return out;
  }

  // Rejects a crash or shutdown of node `n` that the file has already stopped.
  void require_not_stopped(const ParsedAction& a, std::size_t n) const {
    if (state_[n] != Liveness::Stopped) return;
    reject(a, a.sites.front(),
           "a running node (node " + std::to_string(n) + " is already stopped by " +
               describe_action(changed_by_[n]->action) + ")");
  }

  void set_state(std::size_t n, Liveness s, const ParsedAction& a) {
    state_[n] = s;
    changed_by_[n] = &a;
  }

  // A crash (now), a shutdown or a controlled shutdown: a node named by id must not be stopped
  // already; each node named for sure is stopped after (a shutdown of a node that may be paused
  // may do nothing: its liveness becomes unknown).
  void check_stop(const ParsedAction& a) {
    const Targets t = resolve(a.sites.front().selector);
    const bool crash = a.action.type == ActionType::Crash;
    for (const auto& [id, c] : t) {
      auto n = static_cast<std::size_t>(id);
      if (c == Certainty::Maybe) continue;
      if (c == Certainty::Explicit) require_not_stopped(a, n);
      if (!crash && pause_[n] != Pause::No) {
        if (state_[n] == Liveness::Running) set_state(n, Liveness::Unknown, a);
        continue;
      }
      set_state(n, Liveness::Stopped, a);
      pause_[n] = Pause::No;
      paused_by_[n] = &a;
    }
    may_stop(ids_with(t, Certainty::Maybe));
  }

  // A crash "at_next" write of some file: the node may stop at any later time, or never.
  void check_armed_crash(const ParsedAction& a) {
    const Targets t = resolve(a.sites.front().selector);
    for (const auto& [id, c] : t) {
      auto n = static_cast<std::size_t>(id);
      if (c == Certainty::Maybe) continue;
      if (c == Certainty::Explicit) require_not_stopped(a, n);
      if (state_[n] != Liveness::Stopped) set_state(n, Liveness::Unknown, a);
    }
    may_stop(ids_with(t, Certainty::Maybe));
  }

  // A wipe stops a running node like a crash; wiping a stopped node's disk is fine too.
  void check_wipe(const ParsedAction& a) {
    const Targets t = resolve(a.sites.front().selector);
    for (int id : sure_ids(t)) {
      auto n = static_cast<std::size_t>(id);
      set_state(n, Liveness::Stopped, a);
      pause_[n] = Pause::No;
      paused_by_[n] = &a;
    }
    may_stop(ids_with(t, Certainty::Maybe));
  }

  void check_restart(const ParsedAction& a) {
    const Targets t = resolve(a.sites.front().selector);
    for (const auto& [id, c] : t) {
      auto n = static_cast<std::size_t>(id);
      if (c == Certainty::Maybe) {  // restarts whatever an unresolved crash or wipe stopped
        if (state_[n] == Liveness::Stopped) state_[n] = Liveness::Unknown;
        continue;
      }
      if (c == Certainty::Explicit && state_[n] == Liveness::Running) {
        std::string why = changed_by_[n] == nullptr
                              ? "no earlier action crashes, shuts down or wipes node " +
                                    std::to_string(id)
                              : "node " + std::to_string(id) + " is already restarted by " +
                                    describe_action(changed_by_[n]->action);
        reject(a, a.sites.front(),
               "a node that an earlier crash, shutdown or wipe stopped (" + why + ")");
      }
      set_state(n, Liveness::Running, a);
    }
  }

  // A pause of a node named by id must not find it paused already (by an earlier pause of that
  // id or a set that surely contains it). A pause of a stopped node does nothing.
  void check_pause(const ParsedAction& a) {
    const Targets t = resolve(a.sites.front().selector);
    for (const auto& [id, c] : t) {
      auto n = static_cast<std::size_t>(id);
      if (c == Certainty::Explicit && pause_[n] == Pause::Yes) {
        reject(a, a.sites.front(),
               "a node that is not paused (node " + std::to_string(id) + " is already paused by " +
                   describe_action(paused_by_[n]->action) + ")");
      }
      if (state_[n] == Liveness::Stopped) continue;
      Pause after = c == Certainty::Maybe || state_[n] == Liveness::Unknown ? Pause::Unknown
                                                                           : Pause::Yes;
      if (c == Certainty::Maybe && pause_[n] == Pause::Yes) after = Pause::Yes;
      pause_[n] = after;
      if (after == Pause::Yes) paused_by_[n] = &a;
    }
  }

  // A resume of a node named by id needs an earlier pause that may have paused it.
  void check_resume(const ParsedAction& a) {
    const Targets t = resolve(a.sites.front().selector);
    for (const auto& [id, c] : t) {
      auto n = static_cast<std::size_t>(id);
      if (c == Certainty::Maybe) {
        if (pause_[n] == Pause::Yes) pause_[n] = Pause::Unknown;
        continue;
      }
      if (c == Certainty::Explicit && pause_[n] == Pause::No) {
        std::string why = "no earlier action pauses node " + std::to_string(id);
        if (paused_by_[n] != nullptr) {
          why = "node " + std::to_string(id) +
                (paused_by_[n]->action.type == ActionType::Resume ? " is already resumed by "
                                                                  : " is not paused since ") +
                describe_action(paused_by_[n]->action);
        }
        reject(a, a.sites.front(), "a node that an earlier pause paused (" + why + ")");
      }
      pause_[n] = Pause::No;
      paused_by_[n] = &a;
    }
  }

  // A controlled shutdown targets nodes running the broker role: the nodes the file names for
  // sure must run it, and "leader", "follower", "random-controller" or "followers" (controllers)
  // only if some controller does.
  void check_broker_target(const ParsedAction& a, const SelectorSite& site) const {
    const std::string expected = broker_target_expected(cluster_);
    if (site.selector.kind == NodeSelector::Kind::Set) {
      for (const SelectorSite& member : site.members) check_broker_target(a, member);
      return;
    }
    for (int id : sure_ids(resolve(site.selector))) {
      if (cluster_.runs_broker(id)) continue;
      std::string which = "node " + std::to_string(id);
      if (site.selector.kind != NodeSelector::Kind::Id) {
        which = site.raw + " names node " + std::to_string(id) + ", which";
      }
      reject(a, site, expected + " (" + which + " runs only the controller role)");
    }
    const NodeSelector::Kind k = site.selector.kind;
    bool controller = k == NodeSelector::Kind::Leader || k == NodeSelector::Kind::Follower ||
                      k == NodeSelector::Kind::RandomController ||
                      k == NodeSelector::Kind::Followers;
    if (controller && cluster_.combined == 0) {
      reject(a, site,
             expected + " (" + site.raw +
                 " names a controller, and no controller runs the broker role: "
                 "cluster.combined is 0)");
    }
  }

  const Reporter& r_;
  const std::vector<ParsedAction>& actions_;   // every copy, in file order then repetition
  const std::vector<std::size_t>& run_order_;  // positions in actions_, in run order
  const std::map<std::string, std::size_t>& labels_;
  const ClusterSpec& cluster_;
  std::vector<std::size_t> first_position_;     // file index -> run position of its first copy
  std::vector<std::optional<Targets>> targets_;  // file index -> what its "node" targets
  std::vector<Liveness> state_;                  // node id -> liveness so far
  std::vector<const ParsedAction*> changed_by_;  // node id -> last action that stopped/restarted it
  std::vector<Pause> pause_;                     // node id -> paused so far
  std::vector<const ParsedAction*> paused_by_;   // node id -> last action that paused/unpaused it
};

}  // namespace

// ---------------------------------------------------------------------------------------------
// 3. The whole timeline

std::vector<Action> parse_timeline(const Reporter& r, const json& value, const JsonPath& path,
                                   const ClusterSpec& cluster, const StopSpec& stop,
                                   std::map<std::string, std::size_t>& labels) {
  read_array(r, value, path, "an array of actions");
  std::vector<ParsedAction> parsed;
  for (std::size_t i = 0; i < value.size(); ++i) {
    parsed.push_back(parse_action(r, value[i], path.index(i), i, cluster, stop));
    const Action& action = parsed.back().action;
    if (action.label.empty()) continue;
    auto [it, fresh] = labels.emplace(action.label, i);
    if (!fresh) {
      r.bad(path.index(i).field("label"), json(action.label),
            "a label not used by another action (" + path.index(it->second).str() +
                " already has it)");
    }
  }
  // A repeated action becomes its copies, at at, at + every, ... (parse_repeat checked that
  // they all run by the stop time).
  std::vector<ParsedAction> copies;
  for (const ParsedAction& p : parsed) {
    for (std::int64_t k = 0; k < p.times; ++k) {
      ParsedAction copy = p;
      copy.action.at = p.action.at + p.every * k;
      copy.action.repetition = static_cast<std::size_t>(k);
      copies.push_back(std::move(copy));
    }
  }
  std::vector<std::size_t> run_order(copies.size());
  for (std::size_t i = 0; i < run_order.size(); ++i) run_order[i] = i;
  std::stable_sort(run_order.begin(), run_order.end(), [&](std::size_t a, std::size_t b) {
    return copies[a].action.at < copies[b].action.at;
  });
  TimelineChecker(r, copies, run_order, labels, cluster, parsed.size()).check();

  std::vector<Action> timeline;
  timeline.reserve(copies.size());
  for (std::size_t i : run_order) timeline.push_back(copies[i].action);
  return timeline;
}

const Action& action_at(const std::vector<Action>& timeline, std::size_t index) {
  auto it = std::find_if(timeline.begin(), timeline.end(),
                         [&](const Action& a) { return a.index == index; });
  KR_ASSERT(it != timeline.end(), "no action at index " << index);
  return *it;
}

namespace {

// The one node `s` surely names, if the file determines exactly one.
std::optional<NodeId> resolve_one(const std::vector<Action>& timeline,
                                  const std::map<std::string, std::size_t>& labels,
                                  const NodeSelector& s) {
  switch (s.kind) {
    case NodeSelector::Kind::Id: return s.id;
    // A label only names an earlier action, so this recursion ends.
    case NodeSelector::Kind::Label: return resolve_label(timeline, labels, s.label);
    case NodeSelector::Kind::Set:
      if (s.members.size() == 1) return resolve_one(timeline, labels, s.members.front());
      return std::nullopt;
    default: return std::nullopt;
  }
}

}  // namespace

std::optional<NodeId> resolve_label(const std::vector<Action>& timeline,
                                    const std::map<std::string, std::size_t>& labels,
                                    const std::string& label) {
  const Action& action = action_at(timeline, labels.at(label));
  if (!targets_one_node(action.type) || !action.node) return std::nullopt;
  return resolve_one(timeline, labels, *action.node);
}

}  // namespace sim::scenario_detail
