// Parsers of the scenario's plain sections, for the scenario loader (scenario_loader.hh); internal
// to it: "cluster" (with its Kafka "config" and broker "racks"), "stop", "network" (default link
// behaviour, latency distributions and per-link overrides), "disk" and "workload" (the counter's
// appends or the metadata admin workload), and the topic readers that the timeline's create_topic
// and delete_topic actions share with the admin workload. Each validates its whole section and
// throws a ScenarioError through the Reporter at the first problem.
#pragma once

#include <string>
#include <string_view>

#include "sim/scenario/json_reader.hh"
#include "sim/scenario/scenario.hh"

namespace sim::scenario_detail {

// "cluster": {"controllers": 1..9, "brokers": 0..64, "state_machine": "metadata"|"counter",
// "combined": 0..controllers, "racks": {"<broker id>": "rack"}, "config": {Kafka name: value}}.
// The controller.quorum.* configs go to ClusterSpec::config, the snapshot and retention ones to
// ClusterSpec::snapshot, the controller and broker ones (metadata state machine only) to
// ClusterSpec::metadata.
ClusterSpec parse_cluster(const Reporter& r, const json& value, const JsonPath& path);

// "stop": {"at_ms": time > 0, "events_max": integer >= 1}.
StopSpec parse_stop(const Reporter& r, const json& value, const JsonPath& path);

// "network": {"latency", "loss", "duplicate", "links": [overrides]}, for `node_count` nodes.
NetworkSpec parse_network(const Reporter& r, const json& value, const JsonPath& path,
                          int node_count);

// "disk": {"flush_ms": time >= 0} (required inside the object).
DiskSpec parse_disk(const Reporter& r, const json& value, const JsonPath& path);

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
