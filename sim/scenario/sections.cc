// Parsers of the cluster, stop, network, disk and workload sections of a scenario, and the topic
// readers (see sections.hh).
#include "sim/scenario/sections.hh"
#include "sim/scenario/link_classes.hh"

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/scenario/selectors.hh"

namespace sim::scenario_detail {

namespace {

constexpr std::int64_t kMaxKafkaInt = std::numeric_limits<std::int32_t>::max();
constexpr std::int64_t kMaxKafkaLong = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMaxKafkaShort = std::numeric_limits<std::int16_t>::max();
// The largest time in ms the scenario format accepts anywhere (10^12 ms, as for *_ms values), so
// that a Kafka long in ms still converts to microseconds without overflow.
constexpr std::int64_t kMaxConfigMs = 1'000'000'000'000;
// The same bound for a Kafka long in seconds.
constexpr std::int64_t kMaxConfigSeconds = kMaxConfigMs / 1000;
// Most partitions one topic may have (a bound of this simulator; Kafka has none).
constexpr std::int64_t kMaxPartitions = 1'000'000;

// Which nodes read a config: what cluster.node_config may override on which node.
enum class Scope {
  EveryNode,   // Raft, snapshots and retention: every node, with either state machine
  Metadata,    // the quorum controller and the broker alike (metadata state machine only)
  Controller,  // the quorum controller only (metadata state machine only)
  Broker,      // the broker only (metadata state machine only)
  Cluster,     // read by the loader for the scenario's topics: cluster-wide only (metadata)
};

// Kafka config name -> the ClusterSpec field it sets, its type, its valid range, its unit for
// messages and the nodes that read it. Exactly one of set_int and set_bool is non-null.
struct ConfigKey {
  std::string_view name;
  void (*set_int)(ClusterSpec&, std::int64_t);  // an integer config (Kafka int or long)
  void (*set_bool)(ClusterSpec&, bool);         // a boolean config (a JSON true or false)
  std::int64_t min;       // integers: 1 for timeouts and sizes, 0 where Kafka allows 0
  std::int64_t max;       // integers: Kafka's int (2^31-1) or long (capped at 10^12 for times)
  std::string_view note;  // unit and meaning of the bounds, in the "expected" text
  Scope scope;            // anything but EveryNode: a metadata state machine config
};

constexpr ConfigKey int_key(std::string_view name, void (*set)(ClusterSpec&, std::int64_t),
                            std::int64_t min, std::int64_t max, std::string_view note,
                            Scope scope) {
  return ConfigKey{name, set, nullptr, min, max, note, scope};
}

constexpr ConfigKey bool_key(std::string_view name, void (*set)(ClusterSpec&, bool),
                             Scope scope) {
  return ConfigKey{name, nullptr, set, 0, 0, "", scope};
}

constexpr std::string_view kPositiveTimeout = "milliseconds, a timeout must be positive";

constexpr std::array<ConfigKey, 19> kConfigKeys = {{
    // Raft (both state machines)
    int_key("controller.quorum.election.timeout.ms",
            [](ClusterSpec& c, std::int64_t v) { c.config.election_timeout_ms = v; }, 1,
            kMaxKafkaInt, kPositiveTimeout, Scope::EveryNode),
    int_key("controller.quorum.fetch.timeout.ms",
            [](ClusterSpec& c, std::int64_t v) { c.config.fetch_timeout_ms = v; }, 1, kMaxKafkaInt,
            kPositiveTimeout, Scope::EveryNode),
    int_key("controller.quorum.election.backoff.max.ms",
            [](ClusterSpec& c, std::int64_t v) { c.config.election_backoff_max_ms = v; }, 1,
            kMaxKafkaInt, kPositiveTimeout, Scope::EveryNode),
    int_key("controller.quorum.request.timeout.ms",
            [](ClusterSpec& c, std::int64_t v) { c.config.request_timeout_ms = v; }, 1,
            kMaxKafkaInt, kPositiveTimeout, Scope::EveryNode),
    int_key("controller.quorum.retry.backoff.ms",
            [](ClusterSpec& c, std::int64_t v) { c.config.retry_backoff_ms = v; }, 0, kMaxKafkaInt,
            "milliseconds", Scope::EveryNode),
    int_key("controller.quorum.append.linger.ms",
            [](ClusterSpec& c, std::int64_t v) { c.config.append_linger_ms = v; }, 0, kMaxKafkaInt,
            "milliseconds", Scope::EveryNode),
    // Snapshots and retention (both state machines)
    int_key("metadata.log.max.record.bytes.between.snapshots",
            [](ClusterSpec& c, std::int64_t v) {
              c.snapshot.max_record_bytes_between_snapshots = v;
            },
            1, kMaxKafkaLong, "bytes", Scope::EveryNode),
    int_key("metadata.log.max.snapshot.interval.ms",
            [](ClusterSpec& c, std::int64_t v) { c.snapshot.max_snapshot_interval_ms = v; }, 0,
            kMaxConfigMs, "milliseconds, 0 disables time-based snapshots", Scope::EveryNode),
    int_key("metadata.max.retention.bytes",
            [](ClusterSpec& c, std::int64_t v) { c.snapshot.max_retention_bytes = v; }, 1,
            kMaxKafkaLong, "bytes", Scope::EveryNode),
    int_key("metadata.max.retention.ms",
            [](ClusterSpec& c, std::int64_t v) { c.snapshot.max_retention_ms = v; }, 1,
            kMaxConfigMs, "milliseconds", Scope::EveryNode),
    // Quorum controllers and brokers (metadata state machine only)
    int_key("broker.session.timeout.ms",
            [](ClusterSpec& c, std::int64_t v) { c.metadata.broker_session_timeout_ms = v; }, 1,
            kMaxKafkaInt, kPositiveTimeout, Scope::Metadata),
    int_key("broker.heartbeat.interval.ms",
            [](ClusterSpec& c, std::int64_t v) { c.metadata.broker_heartbeat_interval_ms = v; }, 1,
            kMaxKafkaInt, "milliseconds, an interval must be positive", Scope::Broker),
    int_key("initial.broker.registration.timeout.ms",
            [](ClusterSpec& c, std::int64_t v) {
              c.metadata.initial_broker_registration_timeout_ms = v;
            },
            1, kMaxKafkaInt, kPositiveTimeout, Scope::Broker),
    int_key("metadata.max.idle.interval.ms",
            [](ClusterSpec& c, std::int64_t v) { c.metadata.metadata_max_idle_interval_ms = v; }, 0,
            kMaxKafkaInt, "milliseconds, 0 disables the active controller's no-op records",
            Scope::Controller),
    bool_key("auto.leader.rebalance.enable",
             [](ClusterSpec& c, bool v) { c.metadata.auto_leader_rebalance_enable = v; },
             Scope::Controller),
    int_key("leader.imbalance.check.interval.seconds",
            [](ClusterSpec& c, std::int64_t v) {
              c.metadata.leader_imbalance_check_interval_seconds = v;
            },
            1, kMaxConfigSeconds, "seconds", Scope::Controller),
    int_key("unclean.leader.election.interval.ms",
            [](ClusterSpec& c, std::int64_t v) {
              c.metadata.unclean_leader_election_interval_ms = v;
            },
            1, kMaxConfigMs, "milliseconds", Scope::Controller),
    int_key("default.replication.factor",
            [](ClusterSpec& c, std::int64_t v) {
              c.metadata.default_replication_factor = static_cast<std::int32_t>(v);
            },
            1, kMaxKafkaShort, "replicas of a topic created without a replication factor",
            Scope::Cluster),
    int_key("num.partitions",
            [](ClusterSpec& c, std::int64_t v) {
              c.metadata.num_partitions = static_cast<std::int32_t>(v);
            },
            1, kMaxPartitions, "partitions of a topic created without a partition count",
            Scope::Cluster),
}};

// The configs a cluster running `choice` accepts in cluster.config, or per node in
// cluster.node_config when `per_node` (every one but the cluster-wide ones).
std::vector<std::string_view> config_names(StateMachineChoice choice, bool per_node) {
  std::vector<std::string_view> names;
  for (const ConfigKey& key : kConfigKeys) {
    if (per_node && key.scope == Scope::Cluster) continue;
    if (choice == StateMachineChoice::Metadata || key.scope == Scope::EveryNode) {
      names.push_back(key.name);
    }
  }
  return names;
}

// The entry of kConfigKeys for config `name` at `path`; throws if there is none.
const ConfigKey& find_config_key(const Reporter& r, const std::string& name, const JsonPath& path,
                                 const ClusterSpec& cluster, bool per_node) {
  auto key = std::find_if(kConfigKeys.begin(), kConfigKeys.end(),
                          [&](const ConfigKey& k) { return k.name == name; });
  if (key == kConfigKeys.end()) {
    std::vector<std::string_view> names = config_names(cluster.state_machine, per_node);
    r.bad_text(path, "unknown config " + quote(name),
               "one of the supported Kafka configs: " + join(names) + did_you_mean(name, names));
  }
  return *key;
}

// Throws if `key` (set to `setting` at `path`) needs the metadata state machine and `cluster`
// runs the counter.
void check_state_machine(const Reporter& r, const ConfigKey& key, const json& setting,
                         const JsonPath& path, const ClusterSpec& cluster) {
  if (key.scope == Scope::EveryNode || cluster.state_machine == StateMachineChoice::Metadata) {
    return;
  }
  r.bad(path, setting,
        "no " + quote(key.name) +
            ": it configures the quorum controllers and brokers, which need " +
            needs_state_machine(cluster, StateMachineChoice::Metadata));
}

// Sets `key` to `setting` (at `path`) in `target`, after checking its type and range.
void set_config(const Reporter& r, const ConfigKey& key, const json& setting, const JsonPath& path,
                ClusterSpec& target) {
  if (key.set_bool != nullptr) {
    if (!setting.is_boolean()) r.bad(path, setting, "true or false (a JSON boolean)");
    key.set_bool(target, setting.get<bool>());
    return;
  }
  std::string expected = int_range(key.min, key.max) + " (" + std::string(key.note) + ")";
  key.set_int(target, read_int(r, setting, path, key.min, key.max, expected));
}

// Reads "cluster.config" into the Raft, snapshot and metadata configuration of `cluster`, whose
// state machine is already known.
void parse_config(const Reporter& r, const json& value, const JsonPath& path,
                  ClusterSpec& cluster) {
  if (!value.is_object()) {
    r.bad(path, value, "an object of Kafka config names to values (integers, or booleans for the "
                       "*.enable configs)");
  }
  for (const auto& [name, setting] : value.items()) {
    const ConfigKey& key = find_config_key(r, name, path.field(name), cluster, false);
    check_state_machine(r, key, setting, path.field(name), cluster);
    set_config(r, key, setting, path.field(name), cluster);
  }
}

// "node 3 is a broker", "node 0 is a controller", for messages about node roles.
std::string node_role(const ClusterSpec& cluster, int id) {
  std::string node = "node " + std::to_string(id);
  if (id >= cluster.controllers) return node + " is a broker";
  return node + " is a controller" + (cluster.runs_broker(id) ? " that also runs a broker" : "");
}

// Throws if node `id` cannot take `key` (set to `setting` at `path`) as an override: a
// cluster-wide config, or one that only a role the node does not run reads.
void check_node_scope(const Reporter& r, const ConfigKey& key, const json& setting,
                      const JsonPath& path, const ClusterSpec& cluster, int id) {
  const std::string no = "no " + quote(key.name) + " for node " + std::to_string(id) + ": ";
  if (key.scope == Scope::Cluster) {
    r.bad(path, setting,
          no + "it is cluster-wide (a default of the scenario's topics); set it in "
               "cluster.config");
  }
  check_state_machine(r, key, setting, path, cluster);
  if (key.scope == Scope::Controller && id >= cluster.controllers) {
    r.bad(path, setting,
          no + "it configures the quorum controller, and " + node_role(cluster, id) +
              " that runs no controller");
  }
  if (key.scope == Scope::Broker && !cluster.runs_broker(id)) {
    r.bad(path, setting,
          no + "it configures the broker, and " + node_role(cluster, id) +
              " that runs no broker (nodes running the broker role: " + broker_role_ids(cluster) +
              ")");
  }
}

// A node id key of an object (cluster.node_config, disk.nodes): a node id written as a string.
int read_node_key(const Reporter& r, const std::string& key, const JsonPath& path,
                  const ClusterSpec& cluster) {
  std::optional<int> id = parse_id_text(key);
  if (!id || *id >= cluster.node_count()) {
    r.bad_text(path, "key " + quote(key),
               "a node id, as a string " + node_range(cluster.node_count()));
  }
  return *id;
}

// One entry of "cluster.node_config": the full configuration of node `id`, i.e. the cluster-wide
// values of `cluster` with the overrides of `value` applied.
NodeConfigValues parse_node_overrides(const Reporter& r, const json& value, const JsonPath& path,
                                      const ClusterSpec& cluster, int id) {
  if (!value.is_object() || value.empty()) {
    r.bad(path, value,
          R"(a non-empty object of Kafka config names to this node's values, e.g. )"
          R"({"controller.quorum.election.timeout.ms": 5000})");
  }
  ClusterSpec node;  // only its config, snapshot and metadata are used
  node.config = cluster.config;
  node.snapshot = cluster.snapshot;
  node.metadata = cluster.metadata;
  for (const auto& [name, setting] : value.items()) {
    const ConfigKey& key = find_config_key(r, name, path.field(name), cluster, true);
    check_node_scope(r, key, setting, path.field(name), cluster, id);
    set_config(r, key, setting, path.field(name), node);
  }
  return NodeConfigValues{node.config, node.snapshot, node.metadata};
}

// "cluster.node_config": node id (as a string) -> that node's config overrides. Needs the
// cluster-wide config of `cluster` already read.
std::map<int, NodeConfigValues> parse_node_config(const Reporter& r, const json& value,
                                                  const JsonPath& path,
                                                  const ClusterSpec& cluster) {
  if (!value.is_object()) {
    r.bad(path, value,
          R"(an object of node ids (as strings) to config overrides, e.g. )"
          R"({"2": {"controller.quorum.election.timeout.ms": 5000}})");
  }
  std::map<int, NodeConfigValues> configs;
  for (const auto& [key, overrides] : value.items()) {
    const int id = read_node_key(r, key, path.field(key), cluster);
    configs[id] = parse_node_overrides(r, overrides, path.field(key), cluster, id);
  }
  return configs;
}

StateMachineChoice read_state_machine(const Reporter& r, const json& value, const JsonPath& path) {
  const std::vector<std::string_view> names = {"metadata", "counter"};
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    if (text == "metadata") return StateMachineChoice::Metadata;
    if (text == "counter") return StateMachineChoice::Counter;
  }
  std::string got = value.is_string() ? value.get<std::string>() : "";
  r.bad(path, value,
        join_quoted(names) + " (quorum controllers and brokers, or the replicated counter)" +
            did_you_mean(got, names));
}

// "cluster.racks": broker node id (as a string) -> broker.rack.
std::map<int, std::string> parse_racks(const Reporter& r, const json& value, const JsonPath& path,
                                       const ClusterSpec& cluster) {
  if (cluster.state_machine != StateMachineChoice::Metadata) {
    r.bad(path, value,
          "no racks: broker.rack configures brokers, which need " +
              needs_state_machine(cluster, StateMachineChoice::Metadata));
  }
  if (!value.is_object()) {
    r.bad(path, value, R"(an object of broker node ids (as strings) to rack names, e.g. )"
                       R"({"3": "rack-a", "4": "rack-b"})");
  }
  std::map<int, std::string> racks;
  for (const auto& [key, rack] : value.items()) {
    std::optional<int> id = parse_id_text(key);
    if (!id || *id >= cluster.node_count() || !cluster.runs_broker(*id)) {
      r.bad_text(path.field(key), "key " + quote(key),
                 "the id of a node running the broker role, as a string (" +
                     broker_role_ids(cluster) + ")");
    }
    racks[*id] = read_string(r, rack, path.field(key), "a rack name, a non-empty string", false);
  }
  return racks;
}

}  // namespace

ClusterSpec parse_cluster(const Reporter& r, const json& value, const JsonPath& path) {
  Object obj(r, value, path, "cluster",
             {"controllers", "brokers", "combined", "state_machine", "racks", "config",
              "node_config"});
  ClusterSpec cluster;
  cluster.controllers = static_cast<int>(
      read_int(r, obj.need("controllers", int_range(1, 9)), obj.at("controllers"), 1, 9));
  if (const json* brokers = obj.find("brokers")) {
    cluster.brokers = static_cast<int>(read_int(r, *brokers, obj.at("brokers"), 0, 64));
  }
  if (const json* state_machine = obj.find("state_machine")) {
    cluster.state_machine = read_state_machine(r, *state_machine, obj.at("state_machine"));
  }
  if (const json* combined = obj.find("combined")) {
    cluster.combined = static_cast<int>(
        read_int(r, *combined, obj.at("combined"), 0, cluster.controllers,
                 int_range(0, cluster.controllers) + " (at most cluster.controllers)"));
    if (cluster.combined > 0 && cluster.state_machine != StateMachineChoice::Metadata) {
      r.bad(obj.at("combined"), *combined,
            "0: a combined controller also runs a broker, which needs " +
                needs_state_machine(cluster, StateMachineChoice::Metadata));
    }
  }
  if (const json* racks = obj.find("racks")) {
    cluster.racks = parse_racks(r, *racks, obj.at("racks"), cluster);
  }
  if (const json* config = obj.find("config")) {
    parse_config(r, *config, obj.at("config"), cluster);
  }
  if (const json* node_config = obj.find("node_config")) {  // after the cluster-wide config
    cluster.node_config = parse_node_config(r, *node_config, obj.at("node_config"), cluster);
  }
  return cluster;
}

StopSpec parse_stop(const Reporter& r, const json& value, const JsonPath& path) {
  // "when" is a condition, read by the loader once the timeline's labels are known.
  Object obj(r, value, path, "stop", {"at_ms", "events_max", "when", "when_from_ms"});
  StopSpec stop;
  if (const json* at = obj.find("at_ms")) {
    stop.at = Instant::from_us(read_ms(r, *at, obj.at("at_ms"), Lower::Positive));
  }
  if (const json* events = obj.find("events_max")) {
    stop.events_max = read_uint64(r, *events, obj.at("events_max"), 1);
  }
  if (const json* from = obj.find("when_from_ms")) {
    if (obj.find("when") == nullptr) r.bad(obj.at("when_from_ms"), *from, "no \"when_from_ms\" without \"when\"");
    const std::string expected = "a time in milliseconds in [0, stop.at_ms = " + format_ms(stop.at.us()) + "]";
    stop.when_from = Instant::from_us(read_ms(r, *from, obj.at("when_from_ms"), Lower::Zero, stop.at.us(), expected));
  }
  return stop;
}

namespace {

std::vector<std::string_view> distribution_names() {
  return {"constant", "uniform", "exponential"};
}

}  // namespace

LatencySpec parse_latency(const Reporter& r, const json& value, const JsonPath& path) {
  std::string shapes =
      R"(an object: {"distribution": "constant", "ms": x}, {"distribution": "uniform", )"
      R"("min_ms": a, "max_ms": b} or {"distribution": "exponential", "min_ms": a, )"
      R"("mean_ms": m, "max_ms": cap})";
  if (!value.is_object()) r.bad(path, value, shapes);
  const std::vector<std::string_view> kinds = distribution_names();
  JsonPath kind_path = path.field("distribution");
  auto kind_it = value.find("distribution");
  if (kind_it == value.end()) {
    Object any(r, value, path, "a latency", {"distribution", "ms", "min_ms", "mean_ms", "max_ms"});
    r.missing(kind_path, join_quoted(kinds));
  }
  std::string kind = kind_it->is_string() ? kind_it->get<std::string>() : "";
  if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) {
    r.bad(kind_path, *kind_it, join_quoted(kinds) + did_you_mean(kind, kinds));
  }

  LatencySpec latency;
  std::string zero_ms = ms_expected(Lower::Zero);
  if (kind == "constant") {
    Object obj(r, value, path, "a constant latency", {"distribution", "ms"});
    latency.distribution = LatencySpec::Distribution::Constant;
    latency.min = Duration::micros(read_ms(r, obj.need("ms", zero_ms), obj.at("ms"), Lower::Zero));
    latency.max = latency.min;  // unused by Constant; keeps min <= max
    return latency;
  }
  bool uniform = kind == "uniform";
  Object obj(r, value, path, "an " + kind + " latency",
             uniform
                 ? std::vector<std::string_view>{"distribution", "min_ms", "max_ms"}
                 : std::vector<std::string_view>{"distribution", "min_ms", "mean_ms", "max_ms"});
  latency.distribution =
      uniform ? LatencySpec::Distribution::Uniform : LatencySpec::Distribution::Exponential;
  latency.min =
      Duration::micros(read_ms(r, obj.need("min_ms", zero_ms), obj.at("min_ms"), Lower::Zero));
  if (!uniform) {
    latency.mean = Duration::micros(read_ms(r, obj.need("mean_ms", ms_expected(Lower::Positive)),
                                            obj.at("mean_ms"), Lower::Positive));
  }
  std::string max_expected =
      "a number of milliseconds >= min_ms (" + format_ms(latency.min.us()) + ")";
  const json& max = obj.need("max_ms", max_expected);
  std::int64_t max_us = read_ms(r, max, obj.at("max_ms"), Lower::Zero);
  if (max_us < latency.min.us()) r.bad(obj.at("max_ms"), max, max_expected);
  latency.max = Duration::micros(max_us);
  return latency;
}

namespace {

// Applies the optional "latency", "loss" and "duplicate" members of `obj` over `base`.
LinkSpec parse_link_fields(const Reporter& r, const Object& obj, LinkSpec base) {
  if (const json* latency = obj.find("latency")) {
    base.latency = parse_latency(r, *latency, obj.at("latency"));
  }
  if (const json* loss = obj.find("loss")) base.loss = read_probability(r, *loss, obj.at("loss"));
  if (const json* dup = obj.find("duplicate")) {
    base.duplicate = read_probability(r, *dup, obj.at("duplicate"));
  }
  return base;
}


bool names_class(const LinkClassName& link, NodeClass c) { return link.from == c || link.to == c; }

// The link class `name` at `path`; throws unless it exists and `cluster` has nodes of both ends.
const LinkClassName& read_link_class(const Reporter& r, const std::string& name,
                                     const JsonPath& path, const ClusterSpec& cluster) {
  std::vector<std::string_view> names;
  for (const LinkClassName& link : kLinkClasses) names.push_back(link.name);
  auto it = std::find_if(kLinkClasses.begin(), kLinkClasses.end(),
                         [&](const LinkClassName& link) { return link.name == name; });
  if (it == kLinkClasses.end()) {
    r.bad_text(path, "unknown link class " + quote(name),
               "one of " + join_quoted(names) + did_you_mean(name, names));
  }
  if (names_class(*it, NodeClass::Broker) && cluster.brokers == 0) {
    r.bad_text(path, "key " + quote(name),
               "no broker link class: this cluster has no brokers (cluster.brokers is 0; "
               "combined controllers are in the controller class)");
  }
  if (names_class(*it, NodeClass::Client) &&
      cluster.state_machine != StateMachineChoice::Metadata) {
    r.bad_text(path, "key " + quote(name),
               "no client link class: the admin client needs " +
                   needs_state_machine(cluster, StateMachineChoice::Metadata));
  }
  return *it;
}

// True unless `obj` sets none of latency, loss and duplicate.
bool sets_link_field(const Object& obj) {
  return obj.find("latency") != nullptr || obj.find("loss") != nullptr ||
         obj.find("duplicate") != nullptr;
}

// "network.classes": link class -> behaviour; an unset field keeps the default link's value.
std::vector<ClassOverride> parse_classes(const Reporter& r, const json& value,
                                         const JsonPath& path, const ClusterSpec& cluster,
                                         const LinkSpec& default_link) {
  if (!value.is_object()) {
    r.bad(path, value,
          R"(an object of link classes to link behaviour, e.g. )"
          R"({"controller->broker": {"latency": {"distribution": "constant", "ms": 20}}})");
  }
  std::vector<ClassOverride> classes;
  for (const auto& [name, raw] : value.items()) {
    const LinkClassName& link_class = read_link_class(r, name, path.field(name), cluster);
    Object obj(r, raw, path.field(name), "a link class", {"latency", "loss", "duplicate"});
    if (!sets_link_field(obj)) {
      r.bad(obj.path(), raw, "at least one of latency, loss, duplicate (else it changes nothing)");
    }
    classes.push_back(
        ClassOverride{link_class.from, link_class.to, parse_link_fields(r, obj, default_link)});
  }
  return classes;
}

// The class of cluster node `id` (the links of the file join cluster nodes only).
NodeClass class_of(const ClusterSpec& cluster, NodeId id) {
  return id.value() < cluster.controllers ? NodeClass::Controller : NodeClass::Broker;
}

// What link from -> to is without a per-link override: its class's behaviour, else the default.
const LinkSpec& class_link(const NetworkSpec& network, const ClusterSpec& cluster, NodeId from,
                           NodeId to) {
  for (const ClassOverride& c : network.classes) {
    if (c.from == class_of(cluster, from) && c.to == class_of(cluster, to)) return c.spec;
  }
  return network.default_link;
}

void add_link(const Reporter& r, NetworkSpec& network,
              std::map<std::pair<int, int>, JsonPath>& seen, const LinkOverride& link,
              const JsonPath& path, const json& raw) {
  auto key = std::make_pair(link.from.value(), link.to.value());
  if (auto it = seen.find(key); it != seen.end()) {
    r.bad(path, raw,
          "each directed link at most once (" + it->second.str() + " already sets " +
              std::to_string(key.first) + " -> " + std::to_string(key.second) + ")");
  }
  seen.emplace(key, path);
  network.links.push_back(link);
}

// One entry of "network.links" (and its reverse if bidirectional) into `network`. An unset field
// keeps what the link has without the override: its class's value, else the default's.
void parse_link(const Reporter& r, const json& raw, const JsonPath& path,
                const ClusterSpec& cluster, NetworkSpec& network,
                std::map<std::pair<int, int>, JsonPath>& seen) {
  const int node_count = cluster.node_count();
  Object link(r, raw, path, path.str(),
              {"from", "to", "latency", "loss", "duplicate", "bidirectional"});
  std::string id_expected = "a node id " + node_range(node_count);
  const NodeId from = read_node_id(r, link.need("from", id_expected), link.at("from"), node_count);
  const NodeId to = read_node_id(r, link.need("to", id_expected), link.at("to"), node_count);
  if (to == from) {
    r.bad(link.at("to"), link.need("to", ""),
          "a node other than \"from\" (" + std::to_string(from.value()) + ")");
  }
  if (!sets_link_field(link)) {
    r.bad(link.path(), raw, "at least one of latency, loss, duplicate (else it changes nothing)");
  }
  bool both_ways = false;
  if (const json* bidirectional = link.find("bidirectional")) {
    both_ways = read_bool(r, *bidirectional, link.at("bidirectional"));
  }
  const LinkSpec spec = parse_link_fields(r, link, class_link(network, cluster, from, to));
  add_link(r, network, seen, LinkOverride{from, to, spec}, link.path(), raw);
  if (both_ways) {
    const LinkSpec reverse = parse_link_fields(r, link, class_link(network, cluster, to, from));
    add_link(r, network, seen, LinkOverride{to, from, reverse}, link.path(), raw);
  }
}

// "disk.nodes": node id (as a string) -> {"flush_ms": t}.
std::map<int, Duration> parse_disk_nodes(const Reporter& r, const json& value,
                                         const JsonPath& path, const ClusterSpec& cluster) {
  const std::string expected =
      R"(a non-empty object of node ids (as strings) to disks, e.g. {"2": {"flush_ms": 50}})";
  if (!value.is_object() || value.empty()) r.bad(path, value, expected);
  std::map<int, Duration> latencies;
  for (const auto& [key, raw] : value.items()) {
    const int id = read_node_key(r, key, path.field(key), cluster);
    Object disk(r, raw, path.field(key), "a node's disk", {"flush_ms"});
    latencies[id] = Duration::micros(read_ms(r, disk.need("flush_ms", ms_expected(Lower::Zero)),
                                             disk.at("flush_ms"), Lower::Zero));
  }
  return latencies;
}

}  // namespace

NetworkSpec parse_network(const Reporter& r, const json& value, const JsonPath& path,
                          const ClusterSpec& cluster) {
  Object obj(r, value, path, "network", {"latency", "loss", "duplicate", "classes", "links"});
  NetworkSpec network;
  network.controllers = cluster.controllers;
  network.node_count = cluster.node_count();
  network.default_link = parse_link_fields(r, obj, LinkSpec{});
  if (const json* classes = obj.find("classes")) {  // before the links, which inherit from them
    network.classes =
        parse_classes(r, *classes, obj.at("classes"), cluster, network.default_link);
  }
  const json* links = obj.find("links");
  if (links == nullptr) return network;
  read_array(r, *links, obj.at("links"), "an array of link overrides");
  std::map<std::pair<int, int>, JsonPath> seen;
  for (std::size_t i = 0; i < links->size(); ++i) {
    parse_link(r, (*links)[i], obj.at("links").index(i), cluster, network, seen);
  }
  return network;
}

DiskSpec parse_disk(const Reporter& r, const json& value, const JsonPath& path,
                    const ClusterSpec& cluster) {
  Object obj(r, value, path, "disk", {"flush_ms", "nodes"});
  DiskSpec disk;
  const json* nodes = obj.find("nodes");
  if (nodes != nullptr) {
    disk.node_flush_latency = parse_disk_nodes(r, *nodes, obj.at("nodes"), cluster);
  }
  const json* flush = obj.find("flush_ms");
  if (flush == nullptr && nodes == nullptr) {
    r.missing(obj.at("flush_ms"),
              ms_expected(Lower::Zero) + R"(, required unless "nodes" is given)");
  }
  if (flush != nullptr) {
    disk.flush_latency = Duration::micros(read_ms(r, *flush, obj.at("flush_ms"), Lower::Zero));
  }
  return disk;
}

// ---------------------------------------------------------------------------------------------
// Topics

const char* const kTopicNameRule =
    R"(a Kafka topic name: 1 to 249 letters, digits, '.', '_' or '-', not "." or "..")";

namespace {

constexpr std::size_t kMaxTopicNameLength = 249;  // Kafka's Topic.MAX_NAME_LENGTH

bool is_topic_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

// Kafka refuses two topics whose names differ only by '.' versus '_' (their metric names would
// collide): they have the same key here.
std::string collision_key(std::string_view name) {
  std::string key(name);
  std::replace(key.begin(), key.end(), '.', '_');
  return key;
}

// `text` as a non-negative number written without leading zeros, if it is one below 10^9.
std::optional<std::int64_t> parse_number(std::string_view text) {
  if (text.empty() || text.size() > 9 || (text.size() > 1 && text.front() == '0')) return {};
  std::int64_t n = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return {};
    n = n * 10 + (c - '0');
  }
  return n;
}

// True if the stream creates a topic whose name is `name`, or collides with it when `collide`.
bool stream_makes(const AdminWorkloadSpec::Stream& stream, std::string_view name, bool collide) {
  std::string prefix = collide ? collision_key(stream.prefix) : stream.prefix;
  std::string text = collide ? collision_key(name) : std::string(name);
  if (text.rfind(prefix, 0) != 0) return false;
  std::optional<std::int64_t> n = parse_number(std::string_view(text).substr(prefix.size()));
  return n && *n < stream.count;
}

// "t-0" .. "t-99": the names a stream creates.
std::string stream_names(const AdminWorkloadSpec::Stream& stream) {
  std::string first = quote(stream.prefix + "0");
  if (stream.count == 1) return first;
  return first + " .. " + quote(stream.prefix + std::to_string(stream.count - 1));
}

std::string no_topic_expected() {
  return "no topic: topics need nodes running the broker role, and this cluster has none "
         "(cluster.brokers and cluster.combined are 0)";
}

// "partitions" of `obj`, else cluster.config "num.partitions".
std::int32_t read_partitions(const Reporter& r, const Object& obj, const ClusterSpec& cluster) {
  const json* partitions = obj.find("partitions");
  if (partitions == nullptr) return cluster.metadata.num_partitions;
  return static_cast<std::int32_t>(
      read_int(r, *partitions, obj.at("partitions"), 1, kMaxPartitions));
}

// "replication_factor" of `obj`, else cluster.config "default.replication.factor"; at most the
// number of nodes running the broker role (at least one: the caller checked).
std::int16_t read_replication_factor(const Reporter& r, const Object& obj,
                                     const ClusterSpec& cluster) {
  const int brokers = broker_role_count(cluster);
  std::string expected = int_range(1, brokers) + " (the number of nodes running the broker role)";
  if (const json* factor = obj.find("replication_factor")) {
    return static_cast<std::int16_t>(
        read_int(r, *factor, obj.at("replication_factor"), 1, brokers, expected));
  }
  const std::int32_t fallback = cluster.metadata.default_replication_factor;
  if (fallback > brokers) {
    r.missing(obj.at("replication_factor"),
              expected + R"(, since the default, cluster.config."default.replication.factor" = )" +
                  std::to_string(fallback) + ", is too large");
  }
  return static_cast<std::int16_t>(fallback);
}

std::map<std::string, std::string> read_topic_configs(const Reporter& r, const json& value,
                                                      const JsonPath& path) {
  if (!value.is_object()) {
    r.bad(path, value,
          R"(an object of topic config names to string values, e.g. )"
          R"({"unclean.leader.election.enable": "true"})");
  }
  std::map<std::string, std::string> configs;
  for (const auto& [name, setting] : value.items()) {
    if (name.empty()) r.bad_text(path.field(name), "key \"\"", "a non-empty config name");
    configs[name] = read_string(r, setting, path.field(name),
                                R"(a string (Kafka config values are strings: "true", "2"))", true);
  }
  return configs;
}

}  // namespace

bool is_valid_topic_name(std::string_view name) {
  return !name.empty() && name.size() <= kMaxTopicNameLength && name != "." && name != ".." &&
         std::all_of(name.begin(), name.end(), is_topic_char);
}

std::string read_topic_name(const Reporter& r, const json& value, const JsonPath& path) {
  if (!value.is_string() || !is_valid_topic_name(value.get_ref<const std::string&>())) {
    r.bad(path, value, kTopicNameRule);
  }
  return value.get<std::string>();
}

TopicSpec read_topic(const Reporter& r, const json& value, const JsonPath& path,
                     const ClusterSpec& cluster) {
  Object obj(r, value, path, "a topic", {"name", "partitions", "replication_factor", "configs"});
  if (broker_role_count(cluster) == 0) r.bad(path, value, no_topic_expected());
  TopicSpec topic;
  topic.name = read_topic_name(r, obj.need("name", kTopicNameRule), obj.at("name"));
  topic.partitions = read_partitions(r, obj, cluster);
  topic.replication_factor = read_replication_factor(r, obj, cluster);
  if (const json* configs = obj.find("configs")) {
    topic.configs = read_topic_configs(r, *configs, obj.at("configs"));
  }
  return topic;
}

bool stream_creates(const AdminWorkloadSpec::Stream& stream, std::string_view name) {
  return stream_makes(stream, name, false);
}

// ---------------------------------------------------------------------------------------------
// Workload

namespace {

constexpr std::array<std::string_view, 3> kAppendFields = {"append_interval_ms",
                                                           "records_per_append", "record_bytes"};

// The counter's appends.
WorkloadSpec parse_appends(const Reporter& r, const Object& obj) {
  WorkloadSpec workload;
  workload.enabled = true;
  workload.interval =
      Duration::micros(read_ms(r, obj.need("append_interval_ms", ms_expected(Lower::Positive)),
                               obj.at("append_interval_ms"), Lower::Positive));
  if (const json* records = obj.find("records_per_append")) {
    workload.records_per_append =
        static_cast<int>(read_int(r, *records, obj.at("records_per_append"), 1, 10'000));
  }
  if (const json* bytes = obj.find("record_bytes")) {
    workload.record_bytes =
        static_cast<int>(read_int(r, *bytes, obj.at("record_bytes"), 1, 1'048'576));
  }
  return workload;
}

std::string at_expected(const StopSpec& stop) {
  return "a time in milliseconds in [0, " + format_ms(stop.at.us()) + "] (not after stop.at_ms)";
}

// "workload.admin.topics": distinct topics (also modulo '.' versus '_').
std::vector<TopicSpec> parse_topics(const Reporter& r, const json& value, const JsonPath& path,
                                    const ClusterSpec& cluster) {
  const std::string expected = R"(a non-empty array of topics, e.g. [{"name": "orders", )"
                               R"("partitions": 6, "replication_factor": 3}])";
  read_array(r, value, path, expected);
  if (value.empty()) r.bad(path, value, expected);
  std::vector<TopicSpec> topics;
  std::map<std::string, std::size_t> seen;  // collision key -> index
  for (std::size_t i = 0; i < value.size(); ++i) {
    topics.push_back(read_topic(r, value[i], path.index(i), cluster));
    const std::string& name = topics.back().name;
    auto [it, fresh] = seen.emplace(collision_key(name), i);
    if (fresh) continue;
    const std::string& other = topics[it->second].name;
    JsonPath name_path = path.index(i).field("name");
    if (other == name) {
      r.bad(name_path, json(name),
            "a topic name not used by another topic (" + path.index(it->second).str() +
                " already has it)");
    }
    r.bad(name_path, json(name),
          "a topic name that does not collide with " + path.index(it->second).str() + " (" +
              quote(other) + "): Kafka refuses topic names that differ only by '.' versus '_'");
  }
  return topics;
}

// "workload.admin.create_topics": a steady stream of topic creations, all before stop.at_ms.
AdminWorkloadSpec::Stream parse_stream(const Reporter& r, const json& value, const JsonPath& path,
                                       const ClusterSpec& cluster, const StopSpec& stop) {
  Object obj(r, value, path, "create_topics",
             {"count", "interval_ms", "start_ms", "prefix", "partitions", "replication_factor"});
  if (broker_role_count(cluster) == 0) r.bad(path, value, no_topic_expected());
  AdminWorkloadSpec::Stream stream;
  if (const json* start = obj.find("start_ms")) {
    stream.start = Instant::from_us(read_ms(r, *start, obj.at("start_ms"), Lower::Zero,
                                            stop.at.us(), at_expected(stop)));
  }
  stream.interval =
      Duration::micros(read_ms(r, obj.need("interval_ms", ms_expected(Lower::Positive)),
                               obj.at("interval_ms"), Lower::Positive));
  const std::int64_t fitting = (stop.at.us() - stream.start.us()) / stream.interval.us() + 1;
  const std::int64_t max_count = std::min(fitting, kMaxPartitions);
  std::string count_expected = int_range(0, max_count);
  if (fitting <= kMaxPartitions) {
    count_expected += " (the last creation, at start_ms + (count - 1) * interval_ms, must not be "
                      "after stop.at_ms = " +
                      format_ms(stop.at.us()) + ")";
  }
  stream.count =
      read_int(r, obj.need("count", count_expected), obj.at("count"), 0, max_count, count_expected);
  if (const json* prefix = obj.find("prefix")) {
    const std::string digits = std::to_string(std::max<std::int64_t>(stream.count - 1, 0));
    const std::string prefix_expected =
        "a topic name prefix: letters, digits, '.', '_' or '-' (or \"\"), at most " +
        std::to_string(kMaxTopicNameLength - digits.size()) + " characters so that \"<prefix>" +
        digits + "\" is a valid topic name";
    stream.prefix = read_string(r, *prefix, obj.at("prefix"), prefix_expected, true);
    if (!std::all_of(stream.prefix.begin(), stream.prefix.end(), is_topic_char) ||
        stream.prefix.size() + digits.size() > kMaxTopicNameLength) {
      r.bad(obj.at("prefix"), *prefix, prefix_expected);
    }
  }
  stream.partitions = read_partitions(r, obj, cluster);
  stream.replication_factor = read_replication_factor(r, obj, cluster);
  return stream;
}

// The admin client configs (Kafka's AdminClientConfig names), set directly in AdminWorkloadSpec.
struct AdminConfigKey {
  std::string_view name;
  std::int64_t AdminWorkloadSpec::*field;
  std::int64_t min;
  std::int64_t max;
  std::string_view note;
};

constexpr std::array<AdminConfigKey, 4> kAdminConfigKeys = {{
    {"request.timeout.ms", &AdminWorkloadSpec::request_timeout_ms, 1, kMaxKafkaInt,
     kPositiveTimeout},
    {"default.api.timeout.ms", &AdminWorkloadSpec::default_api_timeout_ms, 1, kMaxKafkaInt,
     kPositiveTimeout},
    {"retry.backoff.ms", &AdminWorkloadSpec::retry_backoff_ms, 0, kMaxConfigMs, "milliseconds"},
    {"retry.backoff.max.ms", &AdminWorkloadSpec::retry_backoff_max_ms, 0, kMaxConfigMs,
     "milliseconds"},
}};

// Reads the admin client configs of `obj` into `admin` and checks them together as Kafka's
// admin client does: default.api.timeout.ms >= request.timeout.ms (an unset default.api.timeout.ms
// is raised to request.timeout.ms), and retry.backoff.max.ms >= retry.backoff.ms.
void parse_admin_configs(const Reporter& r, const Object& obj, AdminWorkloadSpec& admin) {
  for (const AdminConfigKey& key : kAdminConfigKeys) {
    if (const json* setting = obj.find(key.name)) {
      std::string expected = int_range(key.min, key.max) + " (" + std::string(key.note) + ")";
      admin.*key.field = read_int(r, *setting, obj.at(key.name), key.min, key.max, expected);
    }
  }
  if (admin.default_api_timeout_ms < admin.request_timeout_ms) {
    if (const json* api = obj.find("default.api.timeout.ms")) {
      r.bad(obj.at("default.api.timeout.ms"), *api,
            int_range(admin.request_timeout_ms, kMaxKafkaInt) +
                " (milliseconds, at least request.timeout.ms = " +
                std::to_string(admin.request_timeout_ms) + ", as Kafka's admin client requires)");
    }
    admin.default_api_timeout_ms = admin.request_timeout_ms;  // what Kafka's admin client does
  }
  if (admin.retry_backoff_max_ms < admin.retry_backoff_ms) {
    if (const json* max = obj.find("retry.backoff.max.ms")) {
      r.bad(obj.at("retry.backoff.max.ms"), *max,
            int_range(admin.retry_backoff_ms, kMaxConfigMs) +
                " (milliseconds, at least retry.backoff.ms = " +
                std::to_string(admin.retry_backoff_ms) + ")");
    }
    r.bad(obj.at("retry.backoff.ms"), *obj.find("retry.backoff.ms"),
          int_range(0, admin.retry_backoff_max_ms) +
              " (milliseconds, at most retry.backoff.max.ms = " +
              std::to_string(admin.retry_backoff_max_ms) + ", its default)");
  }
}

// "workload.admin".
AdminWorkloadSpec parse_admin(const Reporter& r, const json& value, const JsonPath& path,
                              const ClusterSpec& cluster, const StopSpec& stop) {
  std::vector<std::string_view> fields = {"topics", "topics_at_ms", "create_topics"};
  for (const AdminConfigKey& key : kAdminConfigKeys) fields.push_back(key.name);
  Object obj(r, value, path, "the admin workload", fields);
  AdminWorkloadSpec admin;
  if (const json* topics = obj.find("topics")) {
    admin.topics = parse_topics(r, *topics, obj.at("topics"), cluster);
  }
  if (const json* at = obj.find("topics_at_ms")) {
    if (admin.topics.empty()) {
      r.bad(obj.at("topics_at_ms"), *at,
            R"(no "topics_at_ms" without "topics" (it says when they are created))");
    }
    admin.topics_at = Instant::from_us(
        read_ms(r, *at, obj.at("topics_at_ms"), Lower::Zero, stop.at.us(), at_expected(stop)));
  }
  if (const json* stream = obj.find("create_topics")) {
    admin.create_stream = parse_stream(r, *stream, obj.at("create_topics"), cluster, stop);
    for (std::size_t i = 0; i < admin.topics.size(); ++i) {
      const std::string& name = admin.topics[i].name;
      if (!stream_makes(admin.create_stream, name, true)) continue;
      r.bad(obj.at("topics").index(i).field("name"), json(name),
            "a topic name that " + obj.at("create_topics").str() +
                " does not also create (it creates " + stream_names(admin.create_stream) +
                "; Kafka treats '.' and '_' alike)");
    }
  }
  parse_admin_configs(r, obj, admin);
  return admin;
}

}  // namespace

WorkloadSection parse_workload(const Reporter& r, const json& value, const JsonPath& path,
                               const ClusterSpec& cluster, const StopSpec& stop) {
  Object obj(r, value, path, "workload",
             {"append_interval_ms", "records_per_append", "record_bytes", "admin"});
  const bool counter = cluster.state_machine == StateMachineChoice::Counter;
  WorkloadSection out;
  if (!counter) {
    for (std::string_view field : kAppendFields) {
      if (const json* append = obj.find(field)) {
        r.bad(obj.at(field), *append,
              "no " + quote(field) + ": the counter's appends need " +
                  needs_state_machine(cluster, StateMachineChoice::Counter));
      }
    }
    const json& admin = obj.need(
        "admin", R"(the admin workload, e.g. {"topics": [{"name": "orders"}]} (a "metadata" )"
                 R"(cluster has no counter appends))");
    out.admin = parse_admin(r, admin, obj.at("admin"), cluster, stop);
    return out;
  }
  if (const json* admin = obj.find("admin")) {
    r.bad(obj.at("admin"), *admin,
          R"(no "admin": the admin workload needs )" +
              needs_state_machine(cluster, StateMachineChoice::Metadata));
  }
  out.appends = parse_appends(r, obj);
  return out;
}

}  // namespace sim::scenario_detail
