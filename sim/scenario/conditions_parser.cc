// Reading conditions (see conditions_parser.hh).
#include "sim/scenario/conditions_parser.hh"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>

#include "raft/controller/controller_messages.hh"
#include "sim/scenario/kind_names.hh"
#include "sim/scenario/sections.hh"
#include "sim/scenario/selectors.hh"
#include "sim/scenario/timeline.hh"

namespace sim::scenario_detail {

namespace {

constexpr std::int64_t kMaxLong = std::numeric_limits<std::int64_t>::max();

std::vector<NodeId> read_node_list(const Reporter& r, const json& value, const JsonPath& path,
                                   int node_count) {
  std::string expected = "a non-empty array of distinct node ids " + node_range(node_count) +
                         " (leave \"nodes\" out to mean every running node)";
  if (!value.is_array() || value.empty()) r.bad(path, value, expected);
  std::vector<NodeId> nodes;
  for (std::size_t i = 0; i < value.size(); ++i) {
    NodeId id = read_node_id(r, value[i], path.index(i), node_count);
    if (std::find(nodes.begin(), nodes.end(), id) != nodes.end()) {
      r.bad(path.index(i), value[i], "a node id not already in the list");
    }
    nodes.push_back(id);
  }
  return nodes;
}

std::string describe_nodes(const std::vector<NodeId>& nodes) {
  if (nodes.empty()) return "every running node";
  std::string out = "every running node of ";
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    out += (i == 0 ? "" : ", ") + std::to_string(nodes[i].value());
  }
  return out;
}

// The node a controlled_shutdown action surely targets, if the file alone determines it.
std::optional<NodeId> shutdown_target(const Action& a, const ExpectationContext& ctx) {
  if (a.node->kind == NodeSelector::Kind::Id) return a.node->id;
  if (a.node->kind == NodeSelector::Kind::Label) {
    return resolve_label(ctx.timeline, ctx.labels, a.node->label);
  }
  return std::nullopt;
}

void require_controlled_shutdown(const Reporter& r, const SelectorSite& site,
                                 const ExpectationContext& ctx) {
  const std::string expected =
      R"("label:<name>" of a controlled_shutdown action, or the id of a broker that one targets)";
  if (site.selector.kind == NodeSelector::Kind::Label) {
    const Action& target = action_at(ctx.timeline, ctx.labels.at(site.selector.label));
    if (target.type == ActionType::ControlledShutdown) return;
    r.bad_text(site.path, site.raw,
               expected + "; " + quote(site.selector.label) + " labels " + describe_action(target));
  }
  for (const Action& a : ctx.timeline) {
    if (a.type != ActionType::ControlledShutdown) continue;
    if (shutdown_target(a, ctx) == std::optional<NodeId>(site.selector.id)) return;
  }
  r.bad_text(site.path, site.raw,
             expected + " (no controlled_shutdown targets node " +
                 std::to_string(site.selector.id.value()) + ")");
}

// The labelled action of "label:<name>" at `site`, which must exist and target one node.
const Action& labelled_single_target(const Reporter& r, const SelectorSite& site,
                                     const ExpectationContext& ctx, const std::string& expected) {
  const std::string& label = site.selector.label;
  auto it = ctx.labels.find(label);
  if (it == ctx.labels.end()) {
    r.bad_text(site.path, site.raw,
               expected + "; no action is labelled " + quote(label) + " (" +
                   list_labels(ctx.labels) + ")" + did_you_mean(label, label_names(ctx.labels)));
  }
  const Action& target = action_at(ctx.timeline, it->second);
  if (!targets_one_node(target.type) || (target.node && target.node->is_set() &&
                                         target.node->kind != NodeSelector::Kind::Label)) {
    r.bad_text(site.path, site.raw, expected + "; " + quote(label) + " labels " + describe_action(target));
  }
  return target;
}

// "node": a node id, or "label:<name>" of an action that targets one node.
NodeSelector read_node_or_label(const Reporter& r, const Object& obj, const ExpectationContext& ctx) {
  const std::string expected =
      "a node id " + node_range(ctx.cluster.node_count()) + " or \"label:<name>\" of an action on one node";
  const json& value = obj.need("node", expected);
  if (value.is_string() && value.get_ref<const std::string&>().rfind("label:", 0) == 0) {
    SelectorSite site;
    site.selector.kind = NodeSelector::Kind::Label;
    site.selector.label = value.get<std::string>().substr(6);
    site.path = obj.at("node");
    site.raw = compact(value);
    labelled_single_target(r, site, ctx, expected);
    return site.selector;
  }
  if (!value.is_number_integer()) r.bad(obj.at("node"), value, expected);
  NodeSelector selector;
  selector.id = read_node_id(r, value, obj.at("node"), ctx.cluster.node_count());
  return selector;
}

std::int64_t admin_requests(const ExpectationContext& ctx) {
  auto total = static_cast<std::int64_t>(ctx.admin.topics.size()) + ctx.admin.create_stream.count;
  for (const Action& a : ctx.timeline) {
    if (a.type == ActionType::CreateTopic || a.type == ActionType::DeleteTopic ||
        a.type == ActionType::AlterConfig) {
      ++total;
    }
  }
  return total;
}

void read_admin_outcomes(const Reporter& r, const Object& obj, const ExpectationContext& ctx,
                         Condition& c) {
  const std::int64_t total = admin_requests(ctx);
  const std::string acknowledged_expected =
      int_range(0, total) +
      " (the number of admin requests the scenario submits: workload.admin.topics, "
      "workload.admin.create_topics and the create_topic, delete_topic and alter_config actions)";
  c.value = read_int(r, obj.need("acknowledged_at_least", acknowledged_expected),
                     obj.at("acknowledged_at_least"), 0, total, acknowledged_expected);
  if (const json* failed = obj.find("failed_at_most")) {
    c.max_failed = read_int(r, *failed, obj.at("failed_at_most"), 0, kMaxLong);
  }
  if (const json* unknown = obj.find("unknown_at_most")) {
    c.max_unknown = read_int(r, *unknown, obj.at("unknown_at_most"), 0, kMaxLong);
  }
  c.description = "admin requests: at least " + std::to_string(c.value) + " acknowledged, at most " +
                  std::to_string(c.max_failed) + " failed, at most " + std::to_string(c.max_unknown) +
                  " of unknown outcome";
}

// "topic": a topic the scenario creates.
std::string read_created_topic(const Reporter& r, const Object& obj, const ExpectationContext& ctx) {
  const json& value = obj.need("topic", kTopicNameRule);
  std::string name = read_topic_name(r, value, obj.at("topic"));
  std::vector<std::string_view> created;
  for (const TopicSpec& t : ctx.admin.topics) created.emplace_back(t.name);
  for (const Action& a : ctx.timeline) {
    if (a.type == ActionType::CreateTopic) created.emplace_back(a.topic.name);
  }
  if (std::find(created.begin(), created.end(), name) != created.end() ||
      stream_creates(ctx.admin.create_stream, name)) {
    return name;
  }
  r.bad(obj.at("topic"), value,
        "a topic the scenario creates (in workload.admin.topics, workload.admin.create_topics or "
        "a create_topic action)" +
            did_you_mean(name, created));
}

bool is_admin_action(ActionType t) {
  return t == ActionType::CreateTopic || t == ActionType::DeleteTopic || t == ActionType::AlterConfig;
}

// "request": the label of a create_topic, delete_topic or alter_config action.
std::string read_request(const Reporter& r, const Object& obj, const ExpectationContext& ctx) {
  const std::string expected = "the label of a create_topic, delete_topic or alter_config action";
  std::string label = read_string(r, obj.need("request", expected), obj.at("request"), expected, false);
  std::vector<std::string_view> admin_labels;
  for (const auto& [name, index] : ctx.labels) {
    if (is_admin_action(action_at(ctx.timeline, index).type)) admin_labels.emplace_back(name);
  }
  auto it = ctx.labels.find(label);
  if (it != ctx.labels.end() && !is_admin_action(action_at(ctx.timeline, it->second).type)) {
    r.bad(obj.at("request"), json(label),
          expected + "; " + quote(label) + " labels " + describe_action(action_at(ctx.timeline, it->second)));
  }
  if (it == ctx.labels.end()) {
    std::string listed = admin_labels.empty() ? "the timeline labels none"
                                              : "labels: " + join_quoted(admin_labels);
    r.bad(obj.at("request"), json(label), expected + " (" + listed + ")" + did_you_mean(label, admin_labels));
  }
  return label;
}

std::vector<std::string_view> admin_result_names() {
  return {"acknowledged", "failed", "unknown", "pending"};
}

std::vector<std::string_view> error_names() {
  std::vector<std::string_view> names;
  using raft::controller::ApiError;
  for (auto e = static_cast<int>(ApiError::NONE); e <= static_cast<int>(ApiError::REQUEST_TIMED_OUT); ++e) {
    names.push_back(raft::controller::to_string(static_cast<ApiError>(e)));
  }
  return names;
}

void read_admin_request(const Reporter& r, const Object& obj, const ExpectationContext& ctx,
                        Condition& c) {
  c.request = read_request(r, obj, ctx);
  const std::vector<std::string_view> results = admin_result_names();
  const std::string outcome_expected = "one of " + join(results, "|");
  const json& outcome = obj.need("outcome", outcome_expected);
  const std::string got = outcome.is_string() ? outcome.get<std::string>() : "";
  auto it = std::find(results.begin(), results.end(), got);
  if (it == results.end()) r.bad(obj.at("outcome"), outcome, outcome_expected + did_you_mean(got, results));
  c.outcome = static_cast<AdminResult>(it - results.begin());
  c.description = "the request of '" + c.request + "' is " + got;
  if (const json* error = obj.find("error")) {
    if (c.outcome == AdminResult::Acknowledged) {
      r.bad(obj.at("error"), *error,
            "no \"error\" with the outcome \"acknowledged\" (an acknowledged request has none); "
            "\"error\" goes with \"failed\", \"unknown\" or \"pending\" (the last error seen)");
    }
    const std::vector<std::string_view> errors = error_names();
    const std::string name = error->is_string() ? error->get<std::string>() : "";
    if (std::find(errors.begin(), errors.end(), name) == errors.end()) {
      r.bad(obj.at("error"), *error, "a Kafka error name, one of " + join(errors, "|") + did_you_mean(name, errors));
    }
    c.error = name;
    c.description += " with error " + name;
  }
}

std::string node_text(const NodeSelector& s) {
  return s.kind == NodeSelector::Kind::Id ? "node " + std::to_string(s.id.value())
                                          : "the node of '" + s.label + "'";
}

}  // namespace

std::vector<ConditionType> all_conditions() {
  return {ConditionType::Leader,           ConditionType::NoLeader,
          ConditionType::HighWatermarkAtLeast, ConditionType::CaughtUp,
          ConditionType::NoCommittedRecordLost, ConditionType::SnapshotsDownloadedAtLeast,
          ConditionType::ActiveController, ConditionType::NoActiveController,
          ConditionType::BrokersUnfenced,  ConditionType::BrokerFenced,
          ConditionType::BrokerUnfenced,   ConditionType::BrokerLeadsNothing,
          ConditionType::PartitionsLed,    ConditionType::PartitionLeaderless,
          ConditionType::LivePartitionsLed,
          ConditionType::TopicExists,      ConditionType::TopicAbsent,
          ConditionType::ImagesAgree,      ConditionType::AdminRequest,
          ConditionType::AdminOutcomes};
}

bool metadata_only(ConditionType t) {
  return static_cast<int>(t) >= static_cast<int>(ConditionType::ActiveController);
}

std::vector<std::string_view> condition_fields(ConditionType t) {
  switch (t) {
    case ConditionType::HighWatermarkAtLeast: return {"value", "nodes"};
    case ConditionType::CaughtUp: return {"max_lag_ms"};
    case ConditionType::SnapshotsDownloadedAtLeast: return {"node", "value"};
    case ConditionType::BrokerFenced:
    case ConditionType::BrokerUnfenced:
    case ConditionType::BrokerLeadsNothing: return {"broker"};
    case ConditionType::TopicExists:
    case ConditionType::TopicAbsent: return {"topic"};
    case ConditionType::AdminRequest: return {"request", "outcome", "error"};
    case ConditionType::AdminOutcomes: return {"acknowledged_at_least", "failed_at_most", "unknown_at_most"};
    default: break;
  }
  return {};
}

NodeSelector read_broker(const Reporter& r, const Object& obj, const ExpectationContext& ctx,
                         bool controlled_shutdown) {
  const std::string expected = broker_selector_expected(ctx.cluster);
  SelectorSite site =
      read_broker_selector(r, obj.need("broker", expected), obj.at("broker"), ctx.cluster);
  if (site.selector.kind == NodeSelector::Kind::Label) {
    labelled_single_target(r, site, ctx, expected);
    std::optional<NodeId> id = resolve_label(ctx.timeline, ctx.labels, site.selector.label);
    if (id && !ctx.cluster.runs_broker(id->value())) {
      r.bad_text(site.path, site.raw,
                 expected + " (" + quote("label:" + site.selector.label) + " names node " +
                     std::to_string(id->value()) + ", which runs only the controller role)");
    }
  }
  if (controlled_shutdown) require_controlled_shutdown(r, site, ctx);
  return site.selector;
}

std::string describe_broker(const NodeSelector& broker) {
  if (broker.kind == NodeSelector::Kind::Id) return "broker " + std::to_string(broker.id.value());
  return "the broker of '" + broker.label + "'";
}

Condition read_condition(const Reporter& r, const Object& obj, ConditionType type,
                         const ExpectationContext& ctx) {
  Condition c;
  c.type = type;
  switch (type) {
    case ConditionType::Leader: c.description = "a running leader has committed in its epoch"; break;
    case ConditionType::NoLeader: c.description = "no running node is a leader able to commit"; break;
    case ConditionType::HighWatermarkAtLeast:
      c.value = read_int(r, obj.need("value", int_range(0, kMaxLong)), obj.at("value"), 0, kMaxLong);
      if (const json* nodes = obj.find("nodes")) {
        c.nodes = read_node_list(r, *nodes, obj.at("nodes"), ctx.cluster.node_count());
      }
      c.description = describe_nodes(c.nodes) + " has a high watermark >= " + std::to_string(c.value);
      break;
    case ConditionType::CaughtUp:
      // Followers learn the HW one fetch after the leader, so under a steady load they always
      // trail it slightly: "caught up" means reaching the leader's HW of max_lag_ms earlier.
      if (const json* lag = obj.find("max_lag_ms")) {
        c.max_lag = Duration::micros(read_ms(r, *lag, obj.at("max_lag_ms"), Lower::Zero));
      }
      c.description = "every running node's high watermark has reached the leader's of " +
                      format_ms(c.max_lag.us()) + " ms earlier";
      break;
    case ConditionType::NoCommittedRecordLost:
      c.description = "every record ever committed is still on the leader (or the longest running voter)";
      break;
    case ConditionType::SnapshotsDownloadedAtLeast:
      c.node = read_node_or_label(r, obj, ctx);
      c.value = read_int(r, obj.need("value", int_range(1, kMaxLong)), obj.at("value"), 1, kMaxLong);
      c.description = node_text(*c.node) + " has downloaded at least " + std::to_string(c.value) + " snapshot(s)";
      break;
    case ConditionType::ActiveController:
      c.description = "a quorum controller is active in the Raft leader's epoch";
      break;
    case ConditionType::NoActiveController: c.description = "no quorum controller is active"; break;
    case ConditionType::BrokersUnfenced:
      c.description = "every running broker is registered and unfenced";
      break;
    case ConditionType::BrokerFenced:
    case ConditionType::BrokerUnfenced:
    case ConditionType::BrokerLeadsNothing:
      c.node = read_broker(r, obj, ctx, false);
      c.description = describe_broker(*c.node) +
                      (type == ConditionType::BrokerFenced     ? " is fenced"
                       : type == ConditionType::BrokerUnfenced ? " is registered and unfenced"
                                                               : " leads no partition");
      break;
    case ConditionType::PartitionsLed: c.description = "every partition has a leader"; break;
    case ConditionType::PartitionLeaderless: c.description = "some partition has no leader"; break;
    case ConditionType::LivePartitionsLed:
      c.description = "every partition with a running broker in its ISR is led by a running broker";
      break;
    case ConditionType::TopicExists:
    case ConditionType::TopicAbsent:
      c.topic = read_created_topic(r, obj, ctx);
      c.description = "topic '" + c.topic + (type == ConditionType::TopicExists ? "' exists" : "' does not exist");
      break;
    case ConditionType::ImagesAgree:
      c.description = "every running node's metadata image has the same content";
      break;
    case ConditionType::AdminRequest: read_admin_request(r, obj, ctx, c); break;
    case ConditionType::AdminOutcomes: read_admin_outcomes(r, obj, ctx, c); break;
  }
  return c;
}

}  // namespace sim::scenario_detail
