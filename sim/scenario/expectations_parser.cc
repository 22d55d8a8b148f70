// Parsing the expectations of a scenario (see expectations_parser.hh).
#include "sim/scenario/kind_names.hh"
#include "sim/scenario/expectations_parser.hh"

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>

#include "sim/scenario/sections.hh"
#include "sim/scenario/selectors.hh"
#include "sim/scenario/timeline.hh"

namespace sim::scenario_detail {

namespace {

constexpr std::array<ExpectationType, 16> kExpectationTypes = {
    ExpectationType::LeaderElectedWithin,     ExpectationType::LeaderAtEnd,
    ExpectationType::NoLeaderAtEnd,           ExpectationType::HighWatermarkAtLeast,
    ExpectationType::CaughtUpAtEnd,           ExpectationType::NoProgressBetween,
    ExpectationType::ProgressBetween,         ExpectationType::ActiveControllerAtEnd,
    ExpectationType::BrokerFencedWithin,      ExpectationType::BrokerUnfencedWithin,
    ExpectationType::BrokersUnfencedAtEnd,    ExpectationType::PartitionsLedAtEnd,
    ExpectationType::LeaderlessWithin,        ExpectationType::ShutdownLeadershipMoved,
    ExpectationType::AdminOutcomes,           ExpectationType::TopicExistsAtEnd};

constexpr std::int64_t kMaxLong = std::numeric_limits<std::int64_t>::max();

// Expectations about the quorum controllers, brokers and the admin client (metadata only).
bool metadata_only(ExpectationType t) {
  switch (t) {
    case ExpectationType::LeaderElectedWithin:
    case ExpectationType::LeaderAtEnd:
    case ExpectationType::NoLeaderAtEnd:
    case ExpectationType::HighWatermarkAtLeast:
    case ExpectationType::CaughtUpAtEnd:
    case ExpectationType::NoProgressBetween:
    case ExpectationType::ProgressBetween: return false;
    case ExpectationType::ActiveControllerAtEnd:
    case ExpectationType::BrokerFencedWithin:
    case ExpectationType::BrokerUnfencedWithin:
    case ExpectationType::BrokersUnfencedAtEnd:
    case ExpectationType::PartitionsLedAtEnd:
    case ExpectationType::LeaderlessWithin:
    case ExpectationType::ShutdownLeadershipMoved:
    case ExpectationType::AdminOutcomes:
    case ExpectationType::TopicExistsAtEnd: break;
  }
  return true;
}


// The expectations a cluster running `cluster.state_machine` accepts.
std::vector<std::string_view> expectation_names(const ClusterSpec& cluster) {
  return kind_names(cluster, kExpectationTypes, metadata_only);
}

std::vector<std::string_view> expectation_fields(ExpectationType t) {
  switch (t) {
    case ExpectationType::LeaderElectedWithin:
    case ExpectationType::LeaderlessWithin: return {"type", "after", "within_ms"};
    case ExpectationType::HighWatermarkAtLeast: return {"type", "value", "nodes"};
    case ExpectationType::NoProgressBetween:
    case ExpectationType::ProgressBetween: return {"type", "from_ms", "to_ms"};
    case ExpectationType::CaughtUpAtEnd: return {"type", "max_lag_ms"};
    case ExpectationType::BrokerFencedWithin:
    case ExpectationType::BrokerUnfencedWithin: return {"type", "broker", "after", "within_ms"};
    case ExpectationType::ShutdownLeadershipMoved: return {"type", "broker"};
    case ExpectationType::AdminOutcomes:
      return {"type", "acknowledged_at_least", "failed_at_most", "unknown_at_most"};
    case ExpectationType::TopicExistsAtEnd: return {"type", "topic"};
    case ExpectationType::LeaderAtEnd:
    case ExpectationType::NoLeaderAtEnd:
    case ExpectationType::ActiveControllerAtEnd:
    case ExpectationType::BrokersUnfencedAtEnd:
    case ExpectationType::PartitionsLedAtEnd: break;
  }
  return {"type"};
}

// Every field an expectation of the cluster's state machine may have (for a missing "type").
std::vector<std::string_view> any_expectation_fields(const ClusterSpec& cluster) {
  std::vector<std::string_view> fields = {"type",    "after", "within_ms", "value",
                                          "nodes",   "from_ms", "to_ms",   "max_lag_ms"};
  if (!is_metadata(cluster)) return fields;
  for (std::string_view f :
       {"broker", "acknowledged_at_least", "failed_at_most", "unknown_at_most", "topic"}) {
    fields.push_back(f);
  }
  return fields;
}

ExpectationType read_expectation_type(const Reporter& r, const json& value, const JsonPath& path,
                                      const ClusterSpec& cluster) {
  return read_kind(r, value, path, cluster, kExpectationTypes, metadata_only);
}

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

// "after": the label of a timeline action.
std::string read_after(const Reporter& r, const Object& obj, const ExpectationContext& ctx) {
  std::string label = read_string(r, obj.need("after", "the label of a timeline action"),
                                  obj.at("after"), "the label of a timeline action", false);
  if (ctx.labels.count(label) == 0) {
    r.bad(obj.at("after"), json(label),
          "the label of a timeline action (" + list_labels(ctx.labels) + ")" +
              did_you_mean(label, label_names(ctx.labels)));
  }
  return label;
}

// "within_ms": a positive time.
Duration read_within(const Reporter& r, const Object& obj) {
  return Duration::micros(read_ms(r, obj.need("within_ms", ms_expected(Lower::Positive)),
                                  obj.at("within_ms"), Lower::Positive));
}

// The node a controlled_shutdown action surely targets, if the file alone determines it.
std::optional<NodeId> shutdown_target(const Action& a, const ExpectationContext& ctx) {
  if (a.node->kind == NodeSelector::Kind::Id) return a.node->id;
  if (a.node->kind == NodeSelector::Kind::Label) {
    return resolve_label(ctx.timeline, ctx.labels, a.node->label);
  }
  return std::nullopt;
}

// shutdown_leadership_moved: the broker must be one a controlled_shutdown action targets.
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

// "broker": a broker-role node id, or "label:<name>" of an action that targets one node (which
// must run the broker role when the file determines it).
NodeSelector read_broker(const Reporter& r, const Object& obj, const ExpectationContext& ctx,
                         ExpectationType type) {
  const std::string expected = broker_selector_expected(ctx.cluster);
  SelectorSite site =
      read_broker_selector(r, obj.need("broker", expected), obj.at("broker"), ctx.cluster);
  if (site.selector.kind == NodeSelector::Kind::Label) {
    const std::string& label = site.selector.label;
    auto it = ctx.labels.find(label);
    if (it == ctx.labels.end()) {
      r.bad_text(site.path, site.raw,
                 expected + "; no action is labelled " + quote(label) + " (" +
                     list_labels(ctx.labels) + ")" + did_you_mean(label, label_names(ctx.labels)));
    }
    const Action& target = action_at(ctx.timeline, it->second);
    if (!targets_one_node(target.type)) {
      r.bad_text(site.path, site.raw,
                 expected + "; " + quote(label) + " labels " + describe_action(target));
    }
    std::optional<NodeId> id = resolve_label(ctx.timeline, ctx.labels, label);
    if (id && !ctx.cluster.runs_broker(id->value())) {
      r.bad_text(site.path, site.raw,
                 expected + " (" + quote("label:" + label) + " names node " +
                     std::to_string(id->value()) + ", which runs only the controller role)");
    }
  }
  if (type == ExpectationType::ShutdownLeadershipMoved) require_controlled_shutdown(r, site, ctx);
  return site.selector;
}

// "broker 4", or "the broker of 'crash-broker'".
std::string describe_broker(const NodeSelector& broker) {
  if (broker.kind == NodeSelector::Kind::Id) return "broker " + std::to_string(broker.id.value());
  return "the broker of '" + broker.label + "'";
}

// Number of admin requests the scenario submits (every topic creation, deletion and config
// change of the admin workload and the timeline).
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

void parse_admin_outcomes(const Reporter& r, const Object& obj, const ExpectationContext& ctx,
                          Expectation& e) {
  const std::int64_t total = admin_requests(ctx);
  const std::string acknowledged_expected =
      int_range(0, total) +
      " (the number of admin requests the scenario submits: workload.admin.topics, "
      "workload.admin.create_topics and the create_topic, delete_topic and alter_config actions)";
  e.value = read_int(r, obj.need("acknowledged_at_least", acknowledged_expected),
                     obj.at("acknowledged_at_least"), 0, total, acknowledged_expected);
  if (const json* failed = obj.find("failed_at_most")) {
    e.max_failed = read_int(r, *failed, obj.at("failed_at_most"), 0, kMaxLong);
  }
  if (const json* unknown = obj.find("unknown_at_most")) {
    e.max_unknown = read_int(r, *unknown, obj.at("unknown_at_most"), 0, kMaxLong);
  }
  e.description = "admin requests: at least " + std::to_string(e.value) +
                  " acknowledged, at most " + std::to_string(e.max_failed) +
                  " failed, at most " + std::to_string(e.max_unknown) + " of unknown outcome";
}

// "topic": a topic the scenario creates.
std::string read_created_topic(const Reporter& r, const Object& obj,
                               const ExpectationContext& ctx) {
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

std::string describe_nodes(const std::vector<NodeId>& nodes) {
  if (nodes.empty()) return "every running node";
  std::string out = "every running node of ";
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    out += (i == 0 ? "" : ", ") + std::to_string(nodes[i].value());
  }
  return out;
}

Expectation parse_expectation(const Reporter& r, const json& value, const JsonPath& path,
                              std::size_t index, const ExpectationContext& ctx) {
  if (!value.is_object()) {
    r.bad(path, value, R"(an expectation object, e.g. {"type": "leader_at_end"})");
  }
  std::string type_expected = "one of " + join(expectation_names(ctx.cluster), "|");
  auto type_it = value.find("type");
  if (type_it == value.end()) {  // a misspelt "type" key is reported as an unknown field first
    Object any(r, value, path, "an expectation", any_expectation_fields(ctx.cluster));
    r.missing(path.field("type"), type_expected);
  }
  Expectation e;
  e.index = index;
  e.type = read_expectation_type(r, *type_it, path.field("type"), ctx.cluster);
  Object obj(r, value, path, article(std::string(to_string(e.type))) + " expectation",
             expectation_fields(e.type));
  switch (e.type) {
    case ExpectationType::LeaderElectedWithin: {
      e.after_label = read_after(r, obj, ctx);
      e.within = read_within(r, obj);
      e.description = "a leader of a newer epoch commits within " + format_ms(e.within.us()) +
                      " ms of '" + e.after_label + "'";
      break;
    }
    case ExpectationType::LeaderAtEnd:
      e.description = "at the end a running leader has committed in its epoch";
      break;
    case ExpectationType::NoLeaderAtEnd:
      e.description = "at the end no running node is a leader able to commit";
      break;
    case ExpectationType::HighWatermarkAtLeast: {
      e.value =
          read_int(r, obj.need("value", int_range(0, std::numeric_limits<std::int64_t>::max())),
                   obj.at("value"), 0, std::numeric_limits<std::int64_t>::max());
      if (const json* nodes = obj.find("nodes")) {
        e.nodes = read_node_list(r, *nodes, obj.at("nodes"), ctx.cluster.node_count());
      }
      e.description = "at the end " + describe_nodes(e.nodes) +
                      " has a high watermark >= " + std::to_string(e.value);
      break;
    }
    case ExpectationType::CaughtUpAtEnd: {
      // Followers learn the HW one fetch after the leader, so under a steady load they always
      // trail it slightly: "caught up" means reaching the leader's HW of max_lag_ms earlier.
      e.within = Duration::millis(1000);
      if (obj.find("max_lag_ms") != nullptr) {
        e.within = Duration::micros(read_ms(r, *obj.find("max_lag_ms"), obj.at("max_lag_ms"),
                                            Lower::Zero));
      }
      e.description = "at the end every running node's high watermark has reached the leader's of " +
                      format_ms(e.within.us()) + " ms earlier";
      break;
    }
    case ExpectationType::NoProgressBetween:
    case ExpectationType::ProgressBetween: {
      std::string stop_ms = format_ms(ctx.stop.at.us());
      std::string from_expected = "a time in milliseconds in [0, " + stop_ms + ")";
      std::int64_t from = read_ms(r, obj.need("from_ms", from_expected), obj.at("from_ms"),
                                  Lower::Zero, ctx.stop.at.us() - 1, from_expected);
      std::string to_expected = "a time in milliseconds in (from_ms, stop.at_ms] = (" +
                                format_ms(from) + ", " + stop_ms + "]";
      const json& to_value = obj.need("to_ms", to_expected);
      std::int64_t to =
          read_ms(r, to_value, obj.at("to_ms"), Lower::Zero, ctx.stop.at.us(), to_expected);
      if (to <= from) r.bad(obj.at("to_ms"), to_value, to_expected);
      e.from = Instant::from_us(from);
      e.to = Instant::from_us(to);
      bool grows = e.type == ExpectationType::ProgressBetween;
      e.description = std::string("the highest high watermark ") +
                      (grows ? "grows" : "does not grow") + " between " + format_ms(from) +
                      " ms and " + format_ms(to) + " ms";
      break;
    }
    case ExpectationType::ActiveControllerAtEnd:
      e.description = "at the end a quorum controller is active in the Raft leader's epoch";
      break;
    case ExpectationType::BrokerFencedWithin:
    case ExpectationType::BrokerUnfencedWithin: {
      e.broker = read_broker(r, obj, ctx, e.type);
      e.after_label = read_after(r, obj, ctx);
      e.within = read_within(r, obj);
      bool fenced = e.type == ExpectationType::BrokerFencedWithin;
      e.description = describe_broker(*e.broker) +
                      (fenced ? " is fenced" : " is registered and unfenced") + " within " +
                      format_ms(e.within.us()) + " ms of '" + e.after_label + "'";
      break;
    }
    case ExpectationType::BrokersUnfencedAtEnd:
      e.description = "at the end every running broker is registered and unfenced";
      break;
    case ExpectationType::PartitionsLedAtEnd:
      e.description = "at the end every partition has a leader";
      break;
    case ExpectationType::LeaderlessWithin:
      e.after_label = read_after(r, obj, ctx);
      e.within = read_within(r, obj);
      e.description = "some partition has no leader within " + format_ms(e.within.us()) +
                      " ms of '" + e.after_label + "'";
      break;
    case ExpectationType::ShutdownLeadershipMoved:
      e.broker = read_broker(r, obj, ctx, e.type);
      e.description = describe_broker(*e.broker) +
                      " completes its controlled shutdown with the controller's consent, leading "
                      "no partition";
      break;
    case ExpectationType::AdminOutcomes: parse_admin_outcomes(r, obj, ctx, e); break;
    case ExpectationType::TopicExistsAtEnd:
      e.topic = read_created_topic(r, obj, ctx);
      e.description = "at the end topic '" + e.topic + "' exists";
      break;
  }
  return e;
}

}  // namespace

std::vector<Expectation> parse_expectations(const Reporter& r, const json& value,
                                            const JsonPath& path, const ExpectationContext& ctx) {
  read_array(r, value, path, "an array of expectations");
  std::vector<Expectation> out;
  std::optional<std::size_t> leader_at_end;
  std::optional<std::size_t> no_leader_at_end;
  for (std::size_t i = 0; i < value.size(); ++i) {
    out.push_back(parse_expectation(r, value[i], path.index(i), i, ctx));
    if (out.back().type == ExpectationType::LeaderAtEnd) leader_at_end = i;
    if (out.back().type == ExpectationType::NoLeaderAtEnd) no_leader_at_end = i;
    if (leader_at_end && no_leader_at_end) {
      std::size_t other =
          out.back().type == ExpectationType::LeaderAtEnd ? *no_leader_at_end : *leader_at_end;
      r.bad(path.index(i).field("type"), json(to_string(out.back().type)),
            "an expectation that does not contradict " + path.index(other).str() + " (" +
                std::string(to_string(out[other].type)) + ")");
    }
  }
  return out;
}

}  // namespace sim::scenario_detail
