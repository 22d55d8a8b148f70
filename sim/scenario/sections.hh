// Parsers of the scenario's plain sections, for the scenario loader (scenario_loader.hh); internal
// to it: "cluster" (with its Kafka "config"), "stop", "network" (default link behaviour, latency
// distributions and per-link overrides), "disk" and "workload". Each validates its whole section
// and throws a ScenarioError through the Reporter at the first problem.
#pragma once

#include "sim/scenario/json_reader.hh"
#include "sim/scenario/scenario.hh"

namespace sim::scenario_detail {

// "cluster": {"controllers": 1..9, "brokers": 0..64, "config": {Kafka name: integer}}. The
// controller.quorum.* configs go to ClusterSpec::config, the metadata.* ones (snapshots and
// retention) to ClusterSpec::snapshot.
ClusterSpec parse_cluster(const Reporter& r, const json& value, const JsonPath& path);

// "stop": {"at_ms": time > 0, "events_max": integer >= 1}.
StopSpec parse_stop(const Reporter& r, const json& value, const JsonPath& path);

// "network": {"latency", "loss", "duplicate", "links": [overrides]}, for `node_count` nodes.
NetworkSpec parse_network(const Reporter& r, const json& value, const JsonPath& path,
                          int node_count);

// "disk": {"flush_ms": time >= 0} (required inside the object).
DiskSpec parse_disk(const Reporter& r, const json& value, const JsonPath& path);

// "workload": {"append_interval_ms", "records_per_append", "record_bytes"}.
WorkloadSpec parse_workload(const Reporter& r, const json& value, const JsonPath& path);

}  // namespace sim::scenario_detail
