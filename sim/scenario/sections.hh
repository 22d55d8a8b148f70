// Parsers of the scenario's plain sections, for the scenario loader (scenario_loader.hh); internal
// to it: "cluster" (with its Kafka "config", per-node "node_config" and broker "racks"), "stop",
// "network" (default link behaviour, latency distributions, per-class and per-link overrides),
// "disk" (with per-node disks) and "workload" (the counter's appends or the metadata admin
// workload), the latency reader that the timeline's slow_link shares, and the topic readers that
// the timeline's create_topic and delete_topic actions share with the admin workload. Each
// validates its whole section and throws a ScenarioError through the Reporter at the first
// problem.
#pragma once

#include <string>
#include <string_view>

#include "sim/scenario/json_reader.hh"
#include "sim/scenario/scenario.hh"

namespace sim::scenario_detail {

// "cluster": {"controllers": 1..9, "brokers": 0..64, "state_machine": "metadata"|"counter",
// "combined": 0..controllers, "racks": {"<broker id>": "rack"}, "config": {Kafka name: value},
// "node_config": {"<node id>": {Kafka name: value}}}.
// The controller.quorum.* configs go to ClusterSpec::config, the snapshot and retention ones to
// ClusterSpec::snapshot, the controller and broker ones (metadata state machine only) to
// ClusterSpec::metadata. Each node_config entry becomes that node's full effective configuration
// in ClusterSpec::node_config (the cluster-wide values with its overrides); a node may override
// any config but the cluster-wide topic defaults (default.replication.factor, num.partitions)
// and those of a role it does not run (controller-only ones on a broker, broker-only ones on a
// controller that is not combined).
ClusterSpec parse_cluster(const Reporter& r, const json& value, const JsonPath& path);

// "stop": {"at_ms": time > 0, "events_max": integer >= 1}.
StopSpec parse_stop(const Reporter& r, const json& value, const JsonPath& path);

// A latency distribution, as in "network.latency" (shared with the timeline's slow_link):
// {"distribution": "constant", "ms"}, {"distribution": "uniform", "min_ms", "max_ms"} or
// {"distribution": "exponential", "min_ms", "mean_ms", "max_ms"}; max_ms >= min_ms.
LatencySpec parse_latency(const Reporter& r, const json& value, const JsonPath& path);

// "network": {"latency", "loss", "duplicate", "classes": {"<class>-><class>": behaviour},
// "links": [overrides]} for the nodes of `cluster` (pass an empty object for an absent section:
// the result still names the cluster's controllers and node count). An unset field of a class
// keeps the default link's value; an unset field of a link override keeps its class's value,
// else the default's.
NetworkSpec parse_network(const Reporter& r, const json& value, const JsonPath& path,
                          const ClusterSpec& cluster);

// "disk": {"flush_ms": time >= 0, "nodes": {"<node id>": {"flush_ms": time >= 0}}}; flush_ms is
// required unless nodes is given (it then defaults to 0).
DiskSpec parse_disk(const Reporter& r, const json& value, const JsonPath& path,
                    const ClusterSpec& cluster);

// What "workload" holds: the counter's appends or the admin workload, never both.
struct WorkloadSection {
  WorkloadSpec appends;     // counter: enabled when "append_interval_ms" is given
  AdminWorkloadSpec admin;  // metadata: empty (no topics, count 0) when "admin" is absent
};

// "workload": {"append_interval_ms", "records_per_append", "record_bytes"} for the counter state
// machine, {"admin": {...}} for the metadata one. Times are checked against `stop`, replication
// factors against the nodes running the broker role.
WorkloadSection parse_workload(const Reporter& r, const json& value, const JsonPath& path,
                               const ClusterSpec& cluster, const StopSpec& stop);

// ---------------------------------------------------------------------------------------------
// Topics (shared with the timeline)

// True if `name` is a valid Kafka topic name: 1..249 characters among [a-zA-Z0-9._-], and not
// "." or "..".
bool is_valid_topic_name(std::string_view name);

// What a topic name may be, for messages.
extern const char* const kTopicNameRule;

// A valid Kafka topic name.
std::string read_topic_name(const Reporter& r, const json& value, const JsonPath& path);

// A topic: {"name", "partitions"?: 1..1000000, "replication_factor"?: 1..broker-role nodes,
// "configs"?: {name: string value}}. An absent count takes cluster.config "num.partitions" or
// "default.replication.factor".
TopicSpec read_topic(const Reporter& r, const json& value, const JsonPath& path,
                     const ClusterSpec& cluster);

// True if the admin workload's stream of creations `stream` creates a topic named `name`
// ("<prefix><n>" with n < count, n written without leading zeros).
bool stream_creates(const AdminWorkloadSpec::Stream& stream, std::string_view name);

}  // namespace sim::scenario_detail
