// Writing a Scenario back as a scenario file (see scenario_writer.hh).
//
// Layout of this file:
//   1. numbers: times and probabilities as exact decimals
//   2. the cluster (with its Kafka configs), network, disk, workload and stop sections
//   3. node selectors and the timeline (folding repeated actions back)
//   4. conditions and expectations
//   5. the document, and its text form
#include "sim/scenario/scenario_writer.hh"
#include "sim/scenario/link_classes.hh"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "raft/common/bugs.hh"

namespace sim {

namespace {

// Built in file order; scenario_to_json() converts it to nlohmann::json (sorted keys).
using ojson = nlohmann::ordered_json;
using scenario_detail::kLinkClasses;
using scenario_detail::LinkClassName;

[[noreturn]] void cannot_write(const std::string& what) {
  throw std::invalid_argument("cannot write the scenario as a file: " + what);
}

// ---------------------------------------------------------------------------------------------
// 1. Numbers

// `units` / 10^digits (units >= 0) as a JSON number: an integer when it is whole, else the double
// nearest to its decimal form ("1234.567"), which JSON writes and the loader reads back as
// exactly that decimal (it has at most 16 significant digits: 10^12 ms with 3 decimals, or a
// probability with 6).
ojson decimal(std::int64_t units, int digits, std::string_view what) {
  if (units < 0) cannot_write(std::string(what) + " is negative (" + std::to_string(units) + ")");
  std::int64_t scale = 1;
  for (int i = 0; i < digits; ++i) scale *= 10;
  if (units % scale == 0) return units / scale;
  std::string fraction = std::to_string(units % scale);
  fraction.insert(0, static_cast<std::size_t>(digits) - fraction.size(), '0');
  while (fraction.back() == '0') fraction.pop_back();
  const std::string text = std::to_string(units / scale) + "." + fraction;
  double value = 0;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  if (result.ec != std::errc()) cannot_write(std::string(what) + " " + text + " is out of range");
  return value;
}

// Microseconds as milliseconds with up to three decimals.
ojson ms(std::int64_t us) { return decimal(us, 3, "a time"); }
ojson ms(Duration d) { return ms(d.us()); }
ojson ms(Instant t) {
  if (t.is_never()) cannot_write("a time is never()");
  return ms(t.us());
}

// Parts per million as a probability with up to six decimals.
ojson probability(Ppm p) { return decimal(p.value, 6, "a probability"); }

// ---------------------------------------------------------------------------------------------
// 2. Sections

bool is_metadata(const ClusterSpec& cluster) {
  return cluster.state_machine == StateMachineChoice::Metadata;
}

// Which nodes read a config (as the loader's table says): what may be set per node.
enum class Scope {
  EveryNode,   // Raft, snapshots and retention, with either state machine
  Metadata,    // the quorum controller and the broker (metadata state machine)
  Controller,  // the quorum controller only
  Broker,      // the broker only
  Cluster,     // the defaults of the scenario's topics: cluster.config only
};

struct ConfigField {
  std::string_view name;
  Scope scope;
  bool boolean;  // written as true / false (get() returns 0 or 1)
  std::int64_t (*get)(const NodeConfigValues&);
};

// Every Kafka config of cluster.config, in the order scenarios/README.md lists them.
constexpr std::array<ConfigField, 19> kConfigFields = {{
    {"controller.quorum.election.timeout.ms", Scope::EveryNode, false,
     [](const NodeConfigValues& v) { return v.config.election_timeout_ms; }},
    {"controller.quorum.fetch.timeout.ms", Scope::EveryNode, false,
     [](const NodeConfigValues& v) { return v.config.fetch_timeout_ms; }},
    {"controller.quorum.election.backoff.max.ms", Scope::EveryNode, false,
     [](const NodeConfigValues& v) { return v.config.election_backoff_max_ms; }},
    {"controller.quorum.request.timeout.ms", Scope::EveryNode, false,
     [](const NodeConfigValues& v) { return v.config.request_timeout_ms; }},
    {"controller.quorum.retry.backoff.ms", Scope::EveryNode, false,
     [](const NodeConfigValues& v) { return v.config.retry_backoff_ms; }},
    {"controller.quorum.append.linger.ms", Scope::EveryNode, false,
     [](const NodeConfigValues& v) { return v.config.append_linger_ms; }},
    {"metadata.log.max.record.bytes.between.snapshots", Scope::EveryNode, false,
     [](const NodeConfigValues& v) { return v.snapshot.max_record_bytes_between_snapshots; }},
    {"metadata.log.max.snapshot.interval.ms", Scope::EveryNode, false,
     [](const NodeConfigValues& v) { return v.snapshot.max_snapshot_interval_ms; }},
    {"metadata.max.retention.bytes", Scope::EveryNode, false,
     [](const NodeConfigValues& v) { return v.snapshot.max_retention_bytes; }},
    {"metadata.max.retention.ms", Scope::EveryNode, false,
     [](const NodeConfigValues& v) { return v.snapshot.max_retention_ms; }},
    {"broker.session.timeout.ms", Scope::Metadata, false,
     [](const NodeConfigValues& v) { return v.metadata.broker_session_timeout_ms; }},
    {"broker.heartbeat.interval.ms", Scope::Broker, false,
     [](const NodeConfigValues& v) { return v.metadata.broker_heartbeat_interval_ms; }},
    {"initial.broker.registration.timeout.ms", Scope::Broker, false,
     [](const NodeConfigValues& v) { return v.metadata.initial_broker_registration_timeout_ms; }},
    {"metadata.max.idle.interval.ms", Scope::Controller, false,
     [](const NodeConfigValues& v) { return v.metadata.metadata_max_idle_interval_ms; }},
    {"auto.leader.rebalance.enable", Scope::Controller, true,
     [](const NodeConfigValues& v) {
       return static_cast<std::int64_t>(v.metadata.auto_leader_rebalance_enable ? 1 : 0);
     }},
    {"leader.imbalance.check.interval.seconds", Scope::Controller, false,
     [](const NodeConfigValues& v) { return v.metadata.leader_imbalance_check_interval_seconds; }},
    {"unclean.leader.election.interval.ms", Scope::Controller, false,
     [](const NodeConfigValues& v) { return v.metadata.unclean_leader_election_interval_ms; }},
    {"default.replication.factor", Scope::Cluster, false,
     [](const NodeConfigValues& v) {
       return static_cast<std::int64_t>(v.metadata.default_replication_factor);
     }},
    {"num.partitions", Scope::Cluster, false,
     [](const NodeConfigValues& v) { return static_cast<std::int64_t>(v.metadata.num_partitions); }},
}};

ojson config_value(const ConfigField& field, std::int64_t value) {
  if (field.boolean) return value != 0;
  return value;
}

NodeConfigValues cluster_wide(const ClusterSpec& cluster) {
  return NodeConfigValues{cluster.config, cluster.snapshot, cluster.metadata};
}

// "cluster.config": the configs that differ from Kafka's defaults.
ojson config_json(const ClusterSpec& cluster) {
  const NodeConfigValues kafka_defaults;
  const NodeConfigValues values = cluster_wide(cluster);
  ojson out = ojson::object();
  for (const ConfigField& field : kConfigFields) {
    const std::int64_t value = field.get(values);
    if (value == field.get(kafka_defaults)) continue;
    if (field.scope != Scope::EveryNode && !is_metadata(cluster)) {
      cannot_write("cluster config " + std::string(field.name) +
                   " differs from its default in a counter cluster (a metadata config)");
    }
    out[std::string(field.name)] = config_value(field, value);
  }
  return out;
}

// True if node `id` reads `field` (so cluster.node_config may set it for that node).
bool node_reads(const ClusterSpec& cluster, int id, const ConfigField& field) {
  switch (field.scope) {
    case Scope::EveryNode: return true;
    case Scope::Metadata: return is_metadata(cluster);
    case Scope::Controller: return is_metadata(cluster) && id < cluster.controllers;
    case Scope::Broker: return cluster.runs_broker(id);
    case Scope::Cluster: return false;
  }
  return false;
}

// "cluster.node_config": per node, the configs it reads whose value differs from the cluster-wide
// one. (Other differences have no effect, and the format cannot say them.)
ojson node_config_json(const ClusterSpec& cluster) {
  const NodeConfigValues shared = cluster_wide(cluster);
  ojson out = ojson::object();
  for (const auto& [id, values] : cluster.node_config) {
    ojson overrides = ojson::object();
    for (const ConfigField& field : kConfigFields) {
      const std::int64_t value = field.get(values);
      if (value == field.get(shared) || !node_reads(cluster, id, field)) continue;
      overrides[std::string(field.name)] = config_value(field, value);
    }
    if (!overrides.empty()) out[std::to_string(id)] = std::move(overrides);
  }
  return out;
}

ojson cluster_json(const ClusterSpec& cluster) {
  ojson out = ojson::object();
  out["controllers"] = cluster.controllers;
  if (cluster.brokers != 0) out["brokers"] = cluster.brokers;
  if (!is_metadata(cluster)) out["state_machine"] = "counter";
  if (cluster.combined != 0) out["combined"] = cluster.combined;
  if (!cluster.racks.empty()) {
    ojson racks = ojson::object();
    for (const auto& [id, rack] : cluster.racks) racks[std::to_string(id)] = rack;
    out["racks"] = std::move(racks);
  }
  if (ojson config = config_json(cluster); !config.empty()) out["config"] = std::move(config);
  if (ojson nodes = node_config_json(cluster); !nodes.empty()) out["node_config"] = std::move(nodes);
  return out;
}

ojson latency_json(const LatencySpec& latency) {
  ojson out = ojson::object();
  switch (latency.distribution) {
    case LatencySpec::Distribution::Constant:
      out["distribution"] = "constant";
      out["ms"] = ms(latency.min);
      break;
    case LatencySpec::Distribution::Uniform:
      out["distribution"] = "uniform";
      out["min_ms"] = ms(latency.min);
      out["max_ms"] = ms(latency.max);
      break;
    case LatencySpec::Distribution::Exponential:
      out["distribution"] = "exponential";
      out["min_ms"] = ms(latency.min);
      out["mean_ms"] = ms(latency.mean);
      out["max_ms"] = ms(latency.max);
      break;
  }
  return out;
}

// True if the two latencies draw the same delays (only the fields their distribution uses count).
bool same_latency(const LatencySpec& a, const LatencySpec& b) {
  if (a.distribution != b.distribution || a.min != b.min) return false;
  switch (a.distribution) {
    case LatencySpec::Distribution::Constant: return true;
    case LatencySpec::Distribution::Uniform: return a.max == b.max;
    case LatencySpec::Distribution::Exponential: return a.max == b.max && a.mean == b.mean;
  }
  return false;
}

// The "latency", "loss" and "duplicate" of `spec` that differ from `base` (what the link has
// without them) into `out`; with `need_one`, at least the latency (the format rejects an override
// that sets nothing).
void put_link_fields(ojson& out, const LinkSpec& spec, const LinkSpec& base, bool need_one) {
  const bool latency = !same_latency(spec.latency, base.latency);
  const bool loss = spec.loss != base.loss;
  const bool duplicate = spec.duplicate != base.duplicate;
  if (latency || (need_one && !loss && !duplicate)) out["latency"] = latency_json(spec.latency);
  if (loss) out["loss"] = probability(spec.loss);
  if (duplicate) out["duplicate"] = probability(spec.duplicate);
}


// The class override of (from, to) in `network`, if any.
const ClassOverride* find_class(const NetworkSpec& network, NodeClass from, NodeClass to) {
  for (const ClassOverride& c : network.classes) {
    if (c.from == from && c.to == to) return &c;
  }
  return nullptr;
}

ojson classes_json(const NetworkSpec& network) {
  for (const ClassOverride& c : network.classes) {
    const bool known = std::any_of(kLinkClasses.begin(), kLinkClasses.end(), [&](const auto& k) {
      return k.from == c.from && k.to == c.to;
    });
    if (!known) cannot_write("a network class override of a link class the format does not have");
  }
  ojson out = ojson::object();
  for (const LinkClassName& link_class : kLinkClasses) {
    const ClassOverride* c = find_class(network, link_class.from, link_class.to);
    if (c == nullptr) continue;
    ojson fields = ojson::object();
    put_link_fields(fields, c->spec, network.default_link, true);
    out[std::string(link_class.name)] = std::move(fields);
  }
  return out;
}

// What link from -> to is without a per-link override (as the loader computes it for a link of
// the file, between two cluster nodes): its class's behaviour, else the default.
const LinkSpec& class_link(const NetworkSpec& network, const ClusterSpec& cluster, NodeId from,
                           NodeId to) {
  auto class_of = [&](NodeId id) {
    return id.value() < cluster.controllers ? NodeClass::Controller : NodeClass::Broker;
  };
  const ClassOverride* c = find_class(network, class_of(from), class_of(to));
  return c != nullptr ? c->spec : network.default_link;
}

ojson network_json(const NetworkSpec& network, const ClusterSpec& cluster) {
  ojson out = ojson::object();
  put_link_fields(out, network.default_link, LinkSpec{}, false);
  if (ojson classes = classes_json(network); !classes.empty()) out["classes"] = std::move(classes);
  if (!network.links.empty()) {
    // One entry per directed link (the loader expands "bidirectional" into two).
    ojson links = ojson::array();
    for (const LinkOverride& link : network.links) {
      ojson entry = ojson::object();
      entry["from"] = link.from.value();
      entry["to"] = link.to.value();
      put_link_fields(entry, link.spec, class_link(network, cluster, link.from, link.to), true);
      links.push_back(std::move(entry));
    }
    out["links"] = std::move(links);
  }
  return out;
}

ojson disk_json(const DiskSpec& disk) {
  ojson out = ojson::object();
  if (disk.flush_latency != Duration::zero()) out["flush_ms"] = ms(disk.flush_latency);
  if (!disk.node_flush_latency.empty()) {
    ojson nodes = ojson::object();
    for (const auto& [id, latency] : disk.node_flush_latency) {
      nodes[std::to_string(id)] = ojson{{"flush_ms", ms(latency)}};
    }
    out["nodes"] = std::move(nodes);
  }
  return out;
}

ojson topic_json(const TopicSpec& topic) {
  ojson out = ojson::object();
  out["name"] = topic.name;
  out["partitions"] = topic.partitions;
  out["replication_factor"] = topic.replication_factor;
  if (!topic.configs.empty()) {
    ojson configs = ojson::object();
    for (const auto& [name, value] : topic.configs) configs[name] = value;
    out["configs"] = std::move(configs);
  }
  return out;
}

ojson admin_json(const AdminWorkloadSpec& admin) {
  const AdminWorkloadSpec defaults;
  ojson out = ojson::object();
  if (!admin.topics.empty()) {
    ojson topics = ojson::array();
    for (const TopicSpec& topic : admin.topics) topics.push_back(topic_json(topic));
    out["topics"] = std::move(topics);
    if (admin.topics_at != Instant::zero()) out["topics_at_ms"] = ms(admin.topics_at);
  }
  const AdminWorkloadSpec::Stream& stream = admin.create_stream;
  if (stream.count > 0) {
    ojson s = ojson::object();
    s["count"] = stream.count;
    s["interval_ms"] = ms(stream.interval);
    if (stream.start != Instant::zero()) s["start_ms"] = ms(stream.start);
    if (stream.prefix != defaults.create_stream.prefix) s["prefix"] = stream.prefix;
    s["partitions"] = stream.partitions;
    s["replication_factor"] = stream.replication_factor;
    out["create_topics"] = std::move(s);
  }
  const std::array<std::pair<std::string_view, std::int64_t AdminWorkloadSpec::*>, 4> configs = {{
      {"request.timeout.ms", &AdminWorkloadSpec::request_timeout_ms},
      {"default.api.timeout.ms", &AdminWorkloadSpec::default_api_timeout_ms},
      {"retry.backoff.ms", &AdminWorkloadSpec::retry_backoff_ms},
      {"retry.backoff.max.ms", &AdminWorkloadSpec::retry_backoff_max_ms},
  }};
  for (const auto& [name, field] : configs) {
    if (admin.*field != defaults.*field) out[std::string(name)] = admin.*field;
  }
  return out;
}

ojson workload_json(const Scenario& s) {
  ojson out = ojson::object();
  ojson admin = admin_json(s.admin);
  if (is_metadata(s.cluster)) {
    if (s.workload.enabled) cannot_write("counter appends (workload.enabled) in a metadata cluster");
    if (!admin.empty()) out["admin"] = std::move(admin);
    return out;
  }
  if (!admin.empty()) cannot_write("an admin workload in a counter cluster");
  if (!s.workload.enabled) return out;
  const WorkloadSpec defaults;
  out["append_interval_ms"] = ms(s.workload.interval);
  if (s.workload.records_per_append != defaults.records_per_append) {
    out["records_per_append"] = s.workload.records_per_append;
  }
  if (s.workload.record_bytes != defaults.record_bytes) {
    out["record_bytes"] = s.workload.record_bytes;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// 3. Selectors and the timeline

ojson selector_json(const NodeSelector& s) {
  using K = NodeSelector::Kind;
  switch (s.kind) {
    case K::Id: return s.id.value();
    case K::Leader: return "leader";
    case K::Follower: return "follower";
    case K::Label: return "label:" + s.label;
    case K::RandomBroker: return "random-broker";
    case K::RandomController: return "random-controller";
    case K::RandomNode: return "random-node";
    case K::Voters: return "controllers";
    case K::Followers: return "followers";
    case K::Brokers: return "brokers";
    case K::All: return "all";
    case K::Set: {
      ojson members = ojson::array();
      for (const NodeSelector& m : s.members) members.push_back(selector_json(m));
      return members;
    }
  }
  cannot_write("an unknown node selector kind");
}

std::string describe(const Action& a) {
  return "timeline[" + std::to_string(a.index) + "] (" + std::string(to_string(a.type)) + ")";
}

ojson required_selector(const std::optional<NodeSelector>& s, const Action& a,
                        std::string_view field) {
  if (!s) cannot_write(describe(a) + " has no \"" + std::string(field) + "\"");
  return selector_json(*s);
}

bool has_node(ActionType t) {
  return t == ActionType::Crash || t == ActionType::Restart || t == ActionType::Shutdown ||
         t == ActionType::Isolate || t == ActionType::Pause || t == ActionType::Resume ||
         t == ActionType::Wipe || t == ActionType::SlowDisk ||
         t == ActionType::ControlledShutdown || t == ActionType::ClockDrift;
}

bool has_link_ends(ActionType t) {
  return t == ActionType::Drop || t == ActionType::SlowLink || t == ActionType::RestoreLink;
}

// alter_config's "resource".
std::string config_resource(const Action& a) {
  constexpr std::int8_t kTopic = 2;
  constexpr std::int8_t kBroker = 4;
  if (a.config_resource_type == kTopic) return "topic:" + a.config_resource;
  if (a.config_resource_type == kBroker) {
    return a.config_resource.empty() ? "cluster" : "broker:" + a.config_resource;
  }
  cannot_write(describe(a) + " has config resource type " +
               std::to_string(a.config_resource_type) + " (2 = topic, 4 = broker)");
}

// The fields of `a` that depend on its type, after "at_ms", "action" and its nodes.
void put_type_fields(ojson& out, const Action& a) {
  switch (a.type) {
    case ActionType::Crash:
      if (a.torn_write) out["torn_write"] = true;
      if (a.crash_point != CrashPoint::None) out["at_next"] = to_string(a.crash_point);
      break;
    case ActionType::SlowDisk: out["flush_ms"] = ms(a.flush_latency); break;
    case ActionType::SlowLink:
      if (a.link_latency) out["latency"] = latency_json(*a.link_latency);
      if (a.link_loss) out["loss"] = probability(*a.link_loss);
      if (a.link_duplicate) out["duplicate"] = probability(*a.link_duplicate);
      if (a.bidirectional) out["bidirectional"] = true;
      break;
    case ActionType::RestoreLink:
      if (a.bidirectional) out["bidirectional"] = true;
      break;
    case ActionType::ClockDrift: out["drift_ppm"] = a.drift_ppm; break;
    case ActionType::CreateTopic: out["topic"] = topic_json(a.topic); break;
    case ActionType::DeleteTopic: out["topic"] = a.topic.name; break;
    case ActionType::AlterConfig:
      out["resource"] = config_resource(a);
      out["name"] = a.config_name;
      out["value"] = a.config_value ? ojson(*a.config_value) : ojson(nullptr);
      break;
    default: break;
  }
}

// One action as written: `copies` are its run(s) (one, or every copy of a repeated action).
ojson action_json(const std::vector<const Action*>& copies) {
  const Action& a = *copies.front();
  ojson out = ojson::object();
  out["at_ms"] = ms(a.at);
  out["action"] = to_string(a.type);
  if (has_node(a.type)) out["node"] = required_selector(a.node, a, "node");
  if (a.type == ActionType::Partition) {
    if (a.groups.size() < 2) cannot_write(describe(a) + " has fewer than two groups");
    ojson groups = ojson::array();
    for (const std::vector<NodeSelector>& group : a.groups) {
      ojson members = ojson::array();
      for (const NodeSelector& m : group) members.push_back(selector_json(m));
      groups.push_back(std::move(members));
    }
    out["groups"] = std::move(groups);
  }
  if (has_link_ends(a.type)) {
    out["from"] = required_selector(a.from, a, "from");
    out["to"] = required_selector(a.to, a, "to");
  }
  put_type_fields(out, a);
  if (!a.label.empty()) out["label"] = a.label;
  if (copies.size() > 1) {
    const Duration every = copies[1]->at - a.at;
    out["repeat"] = ojson{{"every_ms", ms(every)}, {"times", copies.size()}};
  }
  return out;
}

// The timeline's actions in file order (by Action::index), each with its copies in run order.
// Checks that a repeated action's copies are numbered 0..n-1 and evenly spaced.
std::vector<std::vector<const Action*>> file_actions(const std::vector<Action>& timeline) {
  std::map<std::size_t, std::vector<const Action*>> by_index;
  for (const Action& a : timeline) by_index[a.index].push_back(&a);
  std::vector<std::vector<const Action*>> out;
  for (auto& [index, copies] : by_index) {
    std::stable_sort(copies.begin(), copies.end(),
                     [](const Action* x, const Action* y) { return x->repetition < y->repetition; });
    for (std::size_t k = 0; k < copies.size(); ++k) {
      if (copies[k]->repetition != k) {
        cannot_write(describe(*copies[k]) + ": its copies are numbered " +
                     std::to_string(copies[k]->repetition) + " where " + std::to_string(k) +
                     " was expected (repetitions 0..n-1, one of each)");
      }
    }
    if (copies.size() > 1) {
      const Duration every = copies[1]->at - copies[0]->at;
      for (std::size_t k = 1; k < copies.size(); ++k) {
        if (every > Duration::zero() &&
            copies[k]->at == copies[0]->at + every * static_cast<std::int64_t>(k)) {
          continue;
        }
        cannot_write(describe(*copies[k]) + ": its copies are not evenly spaced in time");
      }
    }
    out.push_back(std::move(copies));
  }
  return out;
}

ojson timeline_json(const std::vector<Action>& timeline) {
  ojson out = ojson::array();
  for (const std::vector<const Action*>& copies : file_actions(timeline)) {
    out.push_back(action_json(copies));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// 4. Conditions and expectations

// The fields of `c` (after its "type").
void put_condition_fields(ojson& out, const Condition& c) {
  switch (c.type) {
    case ConditionType::HighWatermarkAtLeast:
      out["value"] = c.value;
      if (!c.nodes.empty()) {
        ojson nodes = ojson::array();
        for (NodeId id : c.nodes) nodes.push_back(id.value());
        out["nodes"] = std::move(nodes);
      }
      break;
    case ConditionType::CaughtUp:
      if (c.max_lag != Condition{}.max_lag) out["max_lag_ms"] = ms(c.max_lag);
      break;
    case ConditionType::SnapshotsDownloadedAtLeast:
      if (!c.node) cannot_write("a snapshots_downloaded_at_least condition without a node");
      out["node"] = selector_json(*c.node);
      out["value"] = c.value;
      break;
    case ConditionType::BrokerFenced:
    case ConditionType::BrokerUnfenced:
    case ConditionType::BrokerLeadsNothing:
      if (!c.node) cannot_write("a " + std::string(to_string(c.type)) + " condition without a broker");
      out["broker"] = selector_json(*c.node);
      break;
    case ConditionType::TopicExists:
    case ConditionType::TopicAbsent: out["topic"] = c.topic; break;
    case ConditionType::AdminRequest:
      out["request"] = c.request;
      out["outcome"] = to_string(c.outcome);
      if (c.error) out["error"] = *c.error;
      break;
    case ConditionType::AdminOutcomes:
      out["acknowledged_at_least"] = c.value;
      if (c.max_failed != 0) out["failed_at_most"] = c.max_failed;
      if (c.max_unknown != 0) out["unknown_at_most"] = c.max_unknown;
      break;
    default: break;
  }
}

ojson condition_json(const Condition& c) {
  ojson out = ojson::object();
  out["type"] = to_string(c.type);
  put_condition_fields(out, c);
  return out;
}

void put_timing_fields(ojson& out, const Timing& t) {
  switch (t.kind) {
    case Timing::Kind::AtEnd: break;
    case Timing::Kind::At: out["at_ms"] = ms(t.at); break;
    case Timing::Kind::By: out["by_ms"] = ms(t.at); break;
    case Timing::Kind::Within:
      out["after"] = t.after;
      out["within_ms"] = ms(t.within);
      break;
    case Timing::Kind::Always:
      out["always"] = true;
      if (t.from != Instant::zero()) out["from_ms"] = ms(t.from);
      if (!t.to.is_never()) out["to_ms"] = ms(t.to);
      break;
  }
}

// The shorthand expectation names: a condition at the end, or (leaderless_within) within a window
// after an action. They take no other timing.
struct Shorthand {
  std::string_view name;
  ConditionType condition;
  Timing::Kind timing;
};

constexpr std::array<Shorthand, 8> kShorthands = {{
    {"leader_at_end", ConditionType::Leader, Timing::Kind::AtEnd},
    {"no_leader_at_end", ConditionType::NoLeader, Timing::Kind::AtEnd},
    {"caught_up_at_end", ConditionType::CaughtUp, Timing::Kind::AtEnd},
    {"active_controller_at_end", ConditionType::ActiveController, Timing::Kind::AtEnd},
    {"brokers_unfenced_at_end", ConditionType::BrokersUnfenced, Timing::Kind::AtEnd},
    {"partitions_led_at_end", ConditionType::PartitionsLed, Timing::Kind::AtEnd},
    {"topic_exists_at_end", ConditionType::TopicExists, Timing::Kind::AtEnd},
    {"leaderless_within", ConditionType::PartitionLeaderless, Timing::Kind::Within},
}};

ojson state_json(const Expectation& e) {
  ojson out = ojson::object();
  const Condition& c = e.condition;
  for (const Shorthand& s : kShorthands) {
    if (s.name != e.name || s.condition != c.type || s.timing != e.timing.kind) continue;
    out["type"] = s.name;
    put_condition_fields(out, c);
    put_timing_fields(out, e.timing);  // none, or leaderless_within's after and within_ms
    return out;
  }
  out["type"] = to_string(c.type);
  put_condition_fields(out, c);
  put_timing_fields(out, e.timing);
  return out;
}

std::string_view event_name(ExpectationType t) {
  switch (t) {
    case ExpectationType::LeaderElectedWithin: return "leader_elected_within";
    case ExpectationType::FailoverWithin: return "failover_within";
    case ExpectationType::NoProgressBetween: return "no_progress_between";
    case ExpectationType::ProgressBetween: return "progress_between";
    case ExpectationType::BrokerFencedWithin: return "broker_fenced_within";
    case ExpectationType::BrokerUnfencedWithin: return "broker_unfenced_within";
    case ExpectationType::ShutdownLeadershipMoved: return "shutdown_leadership_moved";
    case ExpectationType::RestartResumesFromLocalLog: return "restart_resumes_from_local_log";
    case ExpectationType::State: break;
  }
  return "";
}

ojson broker_json(const Expectation& e) {
  if (!e.broker) cannot_write("a " + std::string(event_name(e.type)) + " expectation without a broker");
  return selector_json(*e.broker);
}

ojson expectation_json(const Expectation& e) {
  if (e.type == ExpectationType::State) return state_json(e);
  ojson out = ojson::object();
  out["type"] = event_name(e.type);
  switch (e.type) {
    case ExpectationType::LeaderElectedWithin:
    case ExpectationType::FailoverWithin:
      out["after"] = e.after_label;
      out["within_ms"] = ms(e.within);
      break;
    case ExpectationType::NoProgressBetween:
    case ExpectationType::ProgressBetween:
      out["from_ms"] = ms(e.from);
      out["to_ms"] = ms(e.to);
      break;
    case ExpectationType::BrokerFencedWithin:
    case ExpectationType::BrokerUnfencedWithin:
      out["broker"] = broker_json(e);
      out["after"] = e.after_label;
      out["within_ms"] = ms(e.within);
      break;
    case ExpectationType::ShutdownLeadershipMoved: out["broker"] = broker_json(e); break;
    case ExpectationType::RestartResumesFromLocalLog: out["after"] = e.after_label; break;
    case ExpectationType::State: break;
  }
  return out;
}

ojson expectations_json(const std::vector<Expectation>& expectations) {
  std::vector<const Expectation*> ordered;
  for (const Expectation& e : expectations) ordered.push_back(&e);
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const Expectation* a, const Expectation* b) { return a->index < b->index; });
  ojson out = ojson::array();
  for (const Expectation* e : ordered) out.push_back(expectation_json(*e));
  return out;
}

ojson stop_json(const StopSpec& stop) {
  const StopSpec defaults;
  ojson out = ojson::object();
  if (stop.at != defaults.at) out["at_ms"] = ms(stop.at);
  if (stop.events_max != defaults.events_max) out["events_max"] = stop.events_max;
  if (stop.when) {
    out["when"] = condition_json(*stop.when);
    if (stop.when_from != Instant::zero()) out["when_from_ms"] = ms(stop.when_from);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// 5. The document and its text

ojson document(const Scenario& s) {
  ojson out = ojson::object();
  out["name"] = s.name;
  out["description"] = s.description;
  out["seed"] = s.seed;
  out["cluster"] = cluster_json(s.cluster);
  if (ojson network = network_json(s.network, s.cluster); !network.empty()) {
    out["network"] = std::move(network);
  }
  if (ojson disk = disk_json(s.disk); !disk.empty()) out["disk"] = std::move(disk);
  if (ojson workload = workload_json(s); !workload.empty()) out["workload"] = std::move(workload);
  if (!s.timeline.empty()) out["timeline"] = timeline_json(s.timeline);
  if (ojson stop = stop_json(s.stop); !stop.empty()) out["stop"] = std::move(stop);
  if (!s.expectations.empty()) out["expectations"] = expectations_json(s.expectations);
  if (!s.bugs.empty()) {
    ojson bugs = ojson::array();
    for (raft::Bug bug : s.bugs) bugs.push_back(raft::to_string(bug));  // in the fixed order
    out["bugs"] = std::move(bugs);
  }
  return out;
}

constexpr std::size_t kWidth = 100;  // columns a one-line value may reach

// A scalar as JSON text. A fraction is written in plain decimal notation (0.000001, where
// nlohmann::json writes 1e-06): the shortest that reads back to the same double.
std::string scalar(const ojson& value) {
  if (!value.is_number_float()) return value.dump();
  std::array<char, 64> buffer{};
  const double x = value.get<double>();
  const auto result =
      std::to_chars(buffer.data(), buffer.data() + buffer.size(), x, std::chars_format::fixed);
  if (result.ec != std::errc()) return value.dump();
  return std::string(buffer.data(), result.ptr);
}

// `value` on one line, with ", " and ": " separators.
std::string one_line(const ojson& value) {
  if (value.is_object()) {
    std::string out = "{";
    bool first = true;
    for (const auto& [key, member] : value.items()) {
      out += (first ? "" : ", ") + ojson(key).dump() + ": " + one_line(member);
      first = false;
    }
    return out + "}";
  }
  if (value.is_array()) {
    std::string out = "[";
    for (std::size_t i = 0; i < value.size(); ++i) {
      out += (i == 0 ? "" : ", ") + one_line(value[i]);
    }
    return out + "]";
  }
  return scalar(value);
}

// How write_value() lays out a value that does not fit on one line.
enum class Layout {
  Fit,       // one line if it fits, else one member per line (each member Fit)
  Expanded,  // one member per line (each member Fit; the document's timeline and expectations
             // as List), even if it fits on one line
  List,      // one member per line, each member Packed
  Packed,    // one line if it fits, else (an object) its members filled into lines of at most
             // kWidth columns, the continuation lines aligned after the "{"
};

void write_value(std::string& out, const ojson& value, std::size_t indent, std::size_t column,
                 Layout layout);

// The JSON text of an object key, with its ": ".
std::string key_text(const std::string& key) { return ojson(key).dump() + ": "; }

// `value` (a non-empty structure) with one member per line, indented by indent + 2.
void write_expanded(std::string& out, const ojson& value, std::size_t indent, bool root,
                    Layout members) {
  const std::string inner(indent + 2, ' ');
  out += value.is_object() ? "{\n" : "[\n";
  std::size_t i = 0;
  for (const auto& [key, member] : value.items()) {
    out += inner;
    std::size_t column = inner.size();
    if (value.is_object()) {
      out += key_text(key);
      column += key_text(key).size();
    }
    const bool list = root && (key == "timeline" || key == "expectations");
    write_value(out, member, indent + 2, column, list ? Layout::List : members);
    out += ++i < value.size() ? ",\n" : "\n";
  }
  out += std::string(indent, ' ') + (value.is_object() ? "}" : "]");
}

// An object that does not fit on one line, starting at `column`: its members filled into lines;
// a member too long for a line of its own is laid out Fit from where it starts.
void write_packed(std::string& out, const ojson& value, std::size_t column) {
  const std::size_t continuation = column + 1;
  out += "{";
  std::size_t at = continuation;  // the current column
  bool line_start = true;
  std::size_t i = 0;
  for (const auto& [key, member] : value.items()) {
    const bool last = ++i == value.size();
    const std::string text = key_text(key) + one_line(member);
    const std::size_t tail = last ? 2 : 1;  // "}," or ","
    if (!line_start && at + 1 + text.size() + tail > kWidth) {
      out += "\n" + std::string(continuation, ' ');
      at = continuation;
      line_start = true;
    }
    if (!line_start) {
      out += " ";
      ++at;
    }
    if (at + text.size() + tail > kWidth && member.is_structured() && !member.empty()) {
      out += key_text(key);
      write_value(out, member, continuation, at + key_text(key).size(), Layout::Fit);
      at = kWidth;  // the next member starts a new line
    } else {
      out += text;
      at += text.size();
    }
    out += last ? "}" : ",";
    ++at;
    line_start = false;
  }
}

// Appends `value`, which starts at column `column` of a line indented by `indent`, to `out`.
void write_value(std::string& out, const ojson& value, std::size_t indent, std::size_t column,
                 Layout layout) {
  const std::string line = one_line(value);
  const bool fits = column + line.size() + 1 <= kWidth;  // with a trailing comma
  if (!value.is_structured() || value.empty() ||
      (fits && (layout == Layout::Fit || layout == Layout::Packed))) {
    out += line;
    return;
  }
  switch (layout) {
    case Layout::Fit: write_expanded(out, value, indent, false, Layout::Fit); return;
    case Layout::Expanded: write_expanded(out, value, indent, indent == 0, Layout::Fit); return;
    case Layout::List: write_expanded(out, value, indent, false, Layout::Packed); return;
    case Layout::Packed:
      if (value.is_object()) {
        write_packed(out, value, column);
      } else {
        write_expanded(out, value, indent, false, Layout::Fit);
      }
      return;
  }
}

}  // namespace

nlohmann::json scenario_to_json(const Scenario& s) { return nlohmann::json(document(s)); }

std::string scenario_to_text(const Scenario& s) {
  std::string out;
  write_value(out, document(s), 0, 0, Layout::Expanded);
  return out + "\n";
}

}  // namespace sim
