// Tests of the scenario loader's per-node configuration (cluster.node_config), per-class link
// behaviour (network.classes) and per-node disks (disk.nodes): what each accepted form parses
// to, and that every rejection names the path, the bad value and the rule.
#include <doctest/doctest.h>

#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/scenario/scenario_loader.hh"

namespace {

using nlohmann::json;
using sim::Duration;
using sim::LatencySpec;
using sim::NodeClass;
using sim::ScenarioError;

// Metadata cluster: controllers 0-2 (node 0 combined, also a broker), brokers 3-4.
json metadata_doc() {
  return json::parse(R"({
    "name": "per-node",
    "description": "per-node configs, link classes and disks",
    "cluster": {"controllers": 3, "brokers": 2, "combined": 1},
    "workload": {"admin": {"topics": [{"name": "orders", "replication_factor": 2}]}}
  })");
}

// Counter cluster: voters 0-2, observers 3-4.
json counter_doc() {
  return json::parse(R"({
    "name": "per-node-counter",
    "description": "per-node configs of the counter",
    "cluster": {"controllers": 3, "brokers": 2, "state_machine": "counter"}
  })");
}

// Counter cluster without observers: voters 0-2.
json voters_only_doc() {
  return json::parse(R"({
    "name": "voters-only",
    "description": "three voters",
    "cluster": {"controllers": 3, "state_machine": "counter"}
  })");
}

sim::Scenario parse(const json& doc) { return sim::parse_scenario_text(doc.dump(2), "t.json"); }

ScenarioError error_of(const json& doc) {
  try {
    parse(doc);
  } catch (const ScenarioError& e) {
    return e;
  }
  FAIL("expected a ScenarioError for: " << doc.dump());
  throw std::logic_error("unreachable");
}

LatencySpec constant_ms(std::int64_t ms) {
  LatencySpec l;
  l.distribution = LatencySpec::Distribution::Constant;
  l.min = Duration::millis(ms);
  l.max = Duration::millis(ms);
  return l;
}

// A document that must fail at `path` with every fragment of `fragments` in the message.
struct BadCase {
  std::string what;
  std::function<json()> base;
  std::function<void(json&)> mutate;
  std::string path;
  std::vector<std::string> fragments;
};

void check_bad_cases(const std::vector<BadCase>& cases) {
  std::set<std::string> names;
  for (const BadCase& c : cases) {
    CAPTURE(c.what);
    names.insert(c.what);
    json doc = c.base();
    c.mutate(doc);
    ScenarioError e = error_of(doc);
    const std::string message = e.what();
    CAPTURE(message);
    CHECK(e.file() == "t.json");
    CHECK(e.path() == c.path);
    CHECK(message.rfind("t.json: " + c.path + ": ", 0) == 0);
    for (const std::string& fragment : c.fragments) {
      CAPTURE(fragment);
      CHECK(message.find(fragment) != std::string::npos);
    }
  }
  CHECK(names.size() == cases.size());
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// cluster.node_config

TEST_CASE("node_config: each listed node gets the cluster's values with its overrides") {
  // node_config comes first in the file: the cluster-wide config still applies under it.
  const std::string text = R"({
    "name": "per-node", "description": "",
    "cluster": {
      "node_config": {
        "1": {"controller.quorum.election.timeout.ms": 5000, "metadata.max.idle.interval.ms": 100,
              "broker.session.timeout.ms": 4000},
        "3": {"broker.heartbeat.interval.ms": 500, "metadata.max.retention.bytes": 4096,
              "controller.quorum.fetch.timeout.ms": 7000},
        "0": {"broker.heartbeat.interval.ms": 700, "auto.leader.rebalance.enable": false}
      },
      "controllers": 3, "brokers": 2, "combined": 1,
      "config": {"controller.quorum.election.timeout.ms": 1500,
                 "broker.session.timeout.ms": 12000, "num.partitions": 4}
    }
  })";
  const sim::Scenario s = sim::parse_scenario_text(text, "t.json");
  const sim::ClusterSpec& c = s.cluster;
  CHECK(c.config.election_timeout_ms == 1500);
  CHECK(c.metadata.broker_session_timeout_ms == 12000);
  CHECK(c.metadata.num_partitions == 4);
  std::set<int> ids;
  for (const auto& [id, unused] : c.node_config) ids.insert(id);
  CHECK(ids == std::set<int>{0, 1, 3});

  const sim::NodeConfigValues one = c.config_of(1);
  CHECK(one.config.election_timeout_ms == 5000);
  CHECK(one.config.fetch_timeout_ms == 2000);  // Kafka's default: nothing overrides it
  CHECK(one.metadata.metadata_max_idle_interval_ms == 100);
  CHECK(one.metadata.broker_session_timeout_ms == 4000);
  CHECK(one.metadata.num_partitions == 4);  // cluster-wide
  CHECK(one.snapshot == c.snapshot);

  const sim::NodeConfigValues three = c.config_of(3);
  CHECK(three.config.election_timeout_ms == 1500);  // the cluster's value
  CHECK(three.config.fetch_timeout_ms == 7000);
  CHECK(three.metadata.broker_heartbeat_interval_ms == 500);
  CHECK(three.metadata.broker_session_timeout_ms == 12000);
  CHECK(three.snapshot.max_retention_bytes == 4096);
  CHECK(three.snapshot.max_retention_ms == c.snapshot.max_retention_ms);

  const sim::NodeConfigValues zero = c.config_of(0);  // combined: broker and controller configs
  CHECK(zero.metadata.broker_heartbeat_interval_ms == 700);
  CHECK_FALSE(zero.metadata.auto_leader_rebalance_enable);
  CHECK(zero.config.election_timeout_ms == 1500);

  // Unlisted nodes: exactly the cluster-wide configuration.
  const sim::NodeConfigValues cluster_wide{c.config, c.snapshot, c.metadata};
  CHECK(c.config_of(2) == cluster_wide);
  CHECK(c.config_of(4) == cluster_wide);
  CHECK(c.config_of(4).metadata.broker_heartbeat_interval_ms == 2000);
}

TEST_CASE("node_config: the counter takes Raft and snapshot configs on voters and observers") {
  json doc = counter_doc();
  doc["cluster"]["node_config"] = {
      {"4", {{"metadata.log.max.record.bytes.between.snapshots", 1000}}},
      {"2", {{"controller.quorum.election.timeout.ms", 60000}}}};
  const sim::Scenario s = parse(doc);
  CHECK(s.cluster.node_config.size() == 2);
  CHECK(s.cluster.config_of(4).snapshot.max_record_bytes_between_snapshots == 1000);
  CHECK(s.cluster.config_of(2).config.election_timeout_ms == 60000);
  CHECK(s.cluster.config_of(1).config.election_timeout_ms == 1000);
  CHECK(s.cluster.config_of(1).snapshot.max_record_bytes_between_snapshots == 20 * 1024 * 1024);
}

TEST_CASE("node_config: an override equal to the cluster's value is still an entry") {
  json doc = metadata_doc();
  doc["cluster"]["node_config"] = {{"2", {{"controller.quorum.election.timeout.ms", 1000}}}};
  const sim::Scenario s = parse(doc);
  REQUIRE(s.cluster.node_config.size() == 1);
  CHECK(s.cluster.node_config.count(2) == 1);
  CHECK(s.cluster.config_of(2) == sim::NodeConfigValues{});
}

TEST_CASE("node_config: bad entries name the path, the value and the rule") {
  auto set_node_config = [](json overrides) {
    return [overrides](json& d) { d["cluster"]["node_config"] = overrides; };
  };
  const std::string prefix = R"(cluster.node_config."1")";
  const std::vector<BadCase> cases = {
      {"not an object", metadata_doc, set_node_config(json::array({1})), "cluster.node_config",
       {"got [1]", "an object of node ids (as strings) to config overrides"}},
      {"a name instead of an id", metadata_doc,
       set_node_config({{"leader", {{"controller.quorum.election.timeout.ms", 5000}}}}),
       "cluster.node_config.leader", {R"(got key "leader")", "a node id, as a string (0..4)"}},
      {"an id out of range", metadata_doc,
       set_node_config({{"5", {{"controller.quorum.election.timeout.ms", 5000}}}}),
       R"(cluster.node_config."5")", {R"(got key "5")", "a node id, as a string (0..4)"}},
      {"an id with a leading zero", metadata_doc,
       set_node_config({{"01", {{"controller.quorum.election.timeout.ms", 5000}}}}),
       R"(cluster.node_config."01")", {R"(got key "01")", "(0..4)"}},
      {"a negative id", metadata_doc,
       set_node_config({{"-1", {{"controller.quorum.election.timeout.ms", 5000}}}}),
       R"(cluster.node_config."-1")", {R"(got key "-1")"}},
      {"a value that is not an object", metadata_doc, set_node_config({{"1", 5000}}), prefix,
       {"got 5000", "a non-empty object of Kafka config names"}},
      {"an empty object", metadata_doc, set_node_config({{"1", json::object()}}), prefix,
       {"got {}", "a non-empty object"}},
      {"an unknown config", metadata_doc,
       set_node_config({{"1", {{"controller.quorum.election.timeout", 5000}}}}),
       prefix + R"(."controller.quorum.election.timeout")",
       {R"(got unknown config "controller.quorum.election.timeout")",
        R"(did you mean "controller.quorum.election.timeout.ms"?)"}},
      {"default.replication.factor per node", metadata_doc,
       set_node_config({{"3", {{"default.replication.factor", 2}}}}),
       R"(cluster.node_config."3"."default.replication.factor")",
       {"got 2", R"(no "default.replication.factor" for node 3)", "cluster-wide",
        "set it in cluster.config"}},
      {"num.partitions per node", metadata_doc, set_node_config({{"1", {{"num.partitions", 6}}}}),
       prefix + R"(."num.partitions")", {"got 6", "cluster-wide"}},
      {"metadata.max.idle.interval.ms on a broker", metadata_doc,
       set_node_config({{"3", {{"metadata.max.idle.interval.ms", 100}}}}),
       R"(cluster.node_config."3"."metadata.max.idle.interval.ms")",
       {"got 100", R"(no "metadata.max.idle.interval.ms" for node 3)",
        "it configures the quorum controller", "node 3 is a broker that runs no controller"}},
      {"auto.leader.rebalance.enable on a broker", metadata_doc,
       set_node_config({{"4", {{"auto.leader.rebalance.enable", false}}}}),
       R"(cluster.node_config."4"."auto.leader.rebalance.enable")",
       {"got false", "node 4 is a broker that runs no controller"}},
      {"leader.imbalance.check.interval.seconds on a broker", metadata_doc,
       set_node_config({{"3", {{"leader.imbalance.check.interval.seconds", 10}}}}),
       R"(cluster.node_config."3"."leader.imbalance.check.interval.seconds")",
       {"got 10", "node 3 is a broker that runs no controller"}},
      {"unclean.leader.election.interval.ms on a broker", metadata_doc,
       set_node_config({{"4", {{"unclean.leader.election.interval.ms", 1000}}}}),
       R"(cluster.node_config."4"."unclean.leader.election.interval.ms")",
       {"got 1000", "node 4 is a broker that runs no controller"}},
      {"broker.heartbeat.interval.ms on a controller", metadata_doc,
       set_node_config({{"1", {{"broker.heartbeat.interval.ms", 500}}}}),
       prefix + R"(."broker.heartbeat.interval.ms")",
       {"got 500", R"(no "broker.heartbeat.interval.ms" for node 1)", "it configures the broker",
        "node 1 is a controller that runs no broker", "0, 3..4"}},
      {"initial.broker.registration.timeout.ms on a controller", metadata_doc,
       set_node_config({{"2", {{"initial.broker.registration.timeout.ms", 9000}}}}),
       R"(cluster.node_config."2"."initial.broker.registration.timeout.ms")",
       {"got 9000", "node 2 is a controller that runs no broker"}},
      {"a value out of range", metadata_doc,
       set_node_config({{"1", {{"controller.quorum.election.timeout.ms", 0}}}}),
       prefix + R"(."controller.quorum.election.timeout.ms")",
       {"got 0", "an integer in 1..2147483647"}},
      {"a value of the wrong type", metadata_doc,
       set_node_config({{"0", {{"auto.leader.rebalance.enable", 1}}}}),
       R"(cluster.node_config."0"."auto.leader.rebalance.enable")",
       {"got 1", "true or false"}},
      {"the second bad config of an entry", metadata_doc,
       set_node_config({{"1",
                         {{"controller.quorum.fetch.timeout.ms", 3000},
                          {"metadata.max.retention.ms", -5}}}}),
       prefix + R"(."metadata.max.retention.ms")", {"got -5"}},
      {"a metadata config on a counter node", counter_doc,
       set_node_config({{"1", {{"broker.session.timeout.ms", 4000}}}}),
       prefix + R"(."broker.session.timeout.ms")",
       {"got 4000", "it configures the quorum controllers and brokers",
        R"(cluster.state_machine "metadata")"}},
  };
  check_bad_cases(cases);
}

TEST_CASE("node_config: broker.session.timeout.ms is read by controllers and brokers") {
  json doc = metadata_doc();
  doc["cluster"]["node_config"] = {{"2", {{"broker.session.timeout.ms", 3000}}},
                                   {"4", {{"broker.session.timeout.ms", 5000}}}};
  const sim::Scenario s = parse(doc);
  CHECK(s.cluster.config_of(2).metadata.broker_session_timeout_ms == 3000);
  CHECK(s.cluster.config_of(4).metadata.broker_session_timeout_ms == 5000);
  CHECK(s.cluster.config_of(3).metadata.broker_session_timeout_ms == 9000);
}

// ---------------------------------------------------------------------------------------------
// network.classes

TEST_CASE("network classes: each class sets its fields, the rest keep the default link") {
  json doc = metadata_doc();
  doc["network"] = json::parse(R"({
    "latency": {"distribution": "constant", "ms": 2}, "loss": 0.01,
    "classes": {
      "controller->controller": {"latency": {"distribution": "constant", "ms": 1}},
      "controller->broker": {"loss": 0.5},
      "broker->controller": {"duplicate": 0.25},
      "broker->broker": {"latency": {"distribution": "uniform", "min_ms": 3, "max_ms": 9}},
      "client->controller": {"latency": {"distribution": "constant", "ms": 40}},
      "controller->client": {"loss": 0}
    }
  })");
  const sim::Scenario s = parse(doc);
  const sim::NetworkSpec& n = s.network;
  CHECK(n.controllers == 3);
  CHECK(n.node_count == 5);
  REQUIRE(n.classes.size() == 6);
  std::map<std::pair<NodeClass, NodeClass>, sim::LinkSpec> by_pair;
  for (const sim::ClassOverride& c : n.classes) by_pair[{c.from, c.to}] = c.spec;
  REQUIRE(by_pair.size() == 6);
  const sim::LinkSpec cc = by_pair.at({NodeClass::Controller, NodeClass::Controller});
  CHECK(cc.latency == constant_ms(1));
  CHECK(cc.loss.value == 10'000);
  CHECK(cc.duplicate.value == 0);
  const sim::LinkSpec cb = by_pair.at({NodeClass::Controller, NodeClass::Broker});
  CHECK(cb.latency == constant_ms(2));
  CHECK(cb.loss.value == 500'000);
  const sim::LinkSpec bc = by_pair.at({NodeClass::Broker, NodeClass::Controller});
  CHECK(bc.loss.value == 10'000);
  CHECK(bc.duplicate.value == 250'000);
  const sim::LinkSpec bb = by_pair.at({NodeClass::Broker, NodeClass::Broker});
  CHECK(bb.latency.distribution == LatencySpec::Distribution::Uniform);
  CHECK(bb.latency.min == Duration::millis(3));
  CHECK(bb.latency.max == Duration::millis(9));
  CHECK(by_pair.at({NodeClass::Client, NodeClass::Controller}).latency == constant_ms(40));
  const sim::LinkSpec client = by_pair.at({NodeClass::Controller, NodeClass::Client});
  CHECK(client.loss.value == 0);
  CHECK(client.latency == constant_ms(2));
}

TEST_CASE("network classes: a link override's unset fields come from its class") {
  json doc = metadata_doc();
  // "links" before "classes" in the file: the classes are still read first.
  const std::string text = R"({
    "name": "links", "description": "",
    "cluster": {"controllers": 3, "brokers": 2},
    "network": {
      "links": [{"from": 0, "to": 3, "loss": 0.1},
                {"from": 1, "to": 2, "loss": 0.2},
                {"from": 2, "to": 4, "duplicate": 0.3, "bidirectional": true}],
      "latency": {"distribution": "constant", "ms": 2},
      "classes": {"controller->broker": {"latency": {"distribution": "constant", "ms": 30},
                                         "loss": 0.9},
                  "broker->controller": {"latency": {"distribution": "constant", "ms": 50}}}
    }
  })";
  const sim::Scenario s = sim::parse_scenario_text(text, "t.json");
  REQUIRE(s.network.links.size() == 4);
  const sim::LinkOverride& a = s.network.links[0];
  CHECK(a.from.value() == 0);
  CHECK(a.to.value() == 3);
  CHECK(a.spec.latency == constant_ms(30));  // the class's latency
  CHECK(a.spec.loss.value == 100'000);       // its own loss
  const sim::LinkOverride& b = s.network.links[1];  // controller -> controller: no class
  CHECK(b.spec.latency == constant_ms(2));
  CHECK(b.spec.loss.value == 200'000);
  const sim::LinkOverride& forward = s.network.links[2];  // 2 -> 4: controller -> broker
  CHECK(forward.from.value() == 2);
  CHECK(forward.to.value() == 4);
  CHECK(forward.spec.latency == constant_ms(30));
  CHECK(forward.spec.loss.value == 900'000);
  CHECK(forward.spec.duplicate.value == 300'000);
  const sim::LinkOverride& reverse = s.network.links[3];  // 4 -> 2: broker -> controller
  CHECK(reverse.from.value() == 4);
  CHECK(reverse.to.value() == 2);
  CHECK(reverse.spec.latency == constant_ms(50));
  CHECK(reverse.spec.loss.value == 0);
  CHECK(reverse.spec.duplicate.value == 300'000);
}

TEST_CASE("network classes: the node classes are filled even without a network section") {
  const sim::Scenario s = parse(counter_doc());
  CHECK(s.network.controllers == 3);
  CHECK(s.network.node_count == 5);
  CHECK(s.network.classes.empty());
  CHECK(s.network.links.empty());
  CHECK(s.network.default_link == sim::LinkSpec{});
}

TEST_CASE("network classes: bad classes name the path, the value and the rule") {
  auto set_classes = [](json classes) {
    return [classes](json& d) { d["network"] = {{"classes", classes}}; };
  };
  const json loss = {{"loss", 0.1}};
  const std::vector<BadCase> cases = {
      {"not an object", metadata_doc, set_classes(json::array()), "network.classes",
       {"got []", "an object of link classes to link behaviour"}},
      {"an unknown class", metadata_doc, set_classes({{"controller->controllers", loss}}),
       R"(network.classes."controller->controllers")",
       {R"(got unknown link class "controller->controllers")", R"("controller->broker")",
        R"(did you mean "controller->controller"?)"}},
      {"a class of one node kind", metadata_doc, set_classes({{"controller", loss}}),
       "network.classes.controller", {R"(got unknown link class "controller")"}},
      {"broker->broker without brokers", voters_only_doc,
       set_classes({{"broker->broker", loss}}), R"(network.classes."broker->broker")",
       {R"(got key "broker->broker")", "this cluster has no brokers"}},
      {"controller->broker without brokers", voters_only_doc,
       set_classes({{"controller->broker", loss}}), R"(network.classes."controller->broker")",
       {R"(got key "controller->broker")", "no broker link class"}},
      {"client->controller on the counter", counter_doc,
       set_classes({{"client->controller", loss}}), R"(network.classes."client->controller")",
       {R"(got key "client->controller")", "the admin client needs",
        R"(cluster.state_machine "metadata")"}},
      {"controller->client on the counter", counter_doc,
       set_classes({{"controller->client", loss}}), R"(network.classes."controller->client")",
       {R"(got key "controller->client")", "no client link class"}},
      {"a behaviour that is not an object", metadata_doc,
       set_classes({{"controller->broker", 5}}), R"(network.classes."controller->broker")",
       {"got 5"}},
      {"an empty behaviour", metadata_doc,
       set_classes({{"broker->controller", json::object()}}),
       R"(network.classes."broker->controller")",
       {"got {}", "at least one of latency, loss, duplicate"}},
      {"an unknown field", metadata_doc, set_classes({{"broker->broker", {{"jitter", 1}}}}),
       R"(network.classes."broker->broker".jitter)",
       {R"(got unknown field "jitter")", "latency, loss, duplicate"}},
      {"a loss above 1", metadata_doc, set_classes({{"controller->controller", {{"loss", 2}}}}),
       R"(network.classes."controller->controller".loss)", {"got 2"}},
      {"a bad latency", metadata_doc,
       set_classes({{"client->controller",
                     {{"latency", {{"distribution", "uniform"}, {"min_ms", 5}, {"max_ms", 1}}}}}}),
       R"(network.classes."client->controller".latency.max_ms)", {"got 1", ">= min_ms (5)"}},
  };
  check_bad_cases(cases);
}

// ---------------------------------------------------------------------------------------------
// disk.nodes

TEST_CASE("disk nodes: per-node fsync latency over the default, which is optional with nodes") {
  json doc = counter_doc();
  doc["disk"] = {{"nodes", {{"1", {{"flush_ms", 20}}}, {"4", {{"flush_ms", 0.5}}}}}};
  sim::Scenario s = parse(doc);
  CHECK(s.disk.flush_latency == Duration::zero());
  CHECK(s.disk.node_flush_latency.size() == 2);
  CHECK(s.disk.flush_latency_of(0) == Duration::zero());
  CHECK(s.disk.flush_latency_of(1) == Duration::millis(20));
  CHECK(s.disk.flush_latency_of(4) == Duration::micros(500));

  doc["disk"]["flush_ms"] = 2;
  s = parse(doc);
  CHECK(s.disk.flush_latency == Duration::millis(2));
  CHECK(s.disk.flush_latency_of(0) == Duration::millis(2));
  CHECK(s.disk.flush_latency_of(3) == Duration::millis(2));
  CHECK(s.disk.flush_latency_of(1) == Duration::millis(20));

  doc["disk"]["nodes"] = {{"3", {{"flush_ms", 0}}}};  // a fast disk among slow ones
  s = parse(doc);
  CHECK(s.disk.flush_latency_of(3) == Duration::zero());
  CHECK(s.disk.flush_latency_of(1) == Duration::millis(2));
}

TEST_CASE("disk nodes: bad entries name the path, the value and the rule") {
  auto set_disk = [](json disk) { return [disk](json& d) { d["disk"] = disk; }; };
  const std::vector<BadCase> cases = {
      {"neither flush_ms nor nodes", counter_doc, set_disk(json::object()), "disk.flush_ms",
       {"missing, expected a number of milliseconds >= 0", R"(required unless "nodes" is given)"}},
      {"nodes not an object", counter_doc, set_disk({{"nodes", json::array({1})}}),
       "disk.nodes", {"got [1]", "a non-empty object of node ids"}},
      {"nodes empty", counter_doc, set_disk({{"nodes", json::object()}}), "disk.nodes",
       {"got {}", "a non-empty object"}},
      {"an id out of range", counter_doc, set_disk({{"nodes", {{"9", {{"flush_ms", 1}}}}}}),
       R"(disk.nodes."9")", {R"(got key "9")", "a node id, as a string (0..4)"}},
      {"a name instead of an id", counter_doc,
       set_disk({{"nodes", {{"leader", {{"flush_ms", 1}}}}}}), "disk.nodes.leader",
       {R"(got key "leader")"}},
      {"a disk that is not an object", counter_doc, set_disk({{"nodes", {{"1", 20}}}}),
       R"(disk.nodes."1")", {"got 20"}},
      {"a disk without flush_ms", counter_doc,
       set_disk({{"nodes", {{"1", json::object()}}}}), R"(disk.nodes."1".flush_ms)",
       {"missing, expected a number of milliseconds >= 0"}},
      {"a negative flush_ms", counter_doc, set_disk({{"nodes", {{"1", {{"flush_ms", -1}}}}}}),
       R"(disk.nodes."1".flush_ms)", {"got -1"}},
      {"an unknown disk field", counter_doc,
       set_disk({{"nodes", {{"1", {{"flush_ms", 1}, {"fsync_ms", 2}}}}}}),
       R"(disk.nodes."1".fsync_ms)", {R"(got unknown field "fsync_ms")", "flush_ms"}},
      {"a bad default with nodes", counter_doc,
       set_disk({{"flush_ms", "fast"}, {"nodes", {{"1", {{"flush_ms", 1}}}}}}),
       "disk.flush_ms", {R"(got "fast")"}},
  };
  check_bad_cases(cases);
}

// ---------------------------------------------------------------------------------------------
// The JSON schema

TEST_CASE("the JSON schema describes node_config, network classes and disk nodes") {
  std::ifstream in(std::string(KRAFTSIM_SOURCE_DIR) + "/scenarios/schema.json");
  REQUIRE(in.good());
  const json schema = json::parse(in);
  const json& defs = schema.at("$defs");
  const json& node_config = defs.at("cluster").at("properties").at("node_config");
  CHECK(node_config.at("additionalProperties").at("$ref") == "#/$defs/cluster/properties/config");
  CHECK(node_config.at("additionalProperties").at("minProperties") == 1);
  std::set<std::string> classes;
  for (const auto& [name, unused] : defs.at("network").at("properties").at("classes").at(
           "properties").items()) {
    classes.insert(name);
  }
  CHECK(classes == std::set<std::string>{"controller->controller", "controller->broker",
                                         "broker->controller", "broker->broker",
                                         "client->controller", "controller->client"});
  CHECK(defs.at("linkClass").at("properties").size() == 3);
  const json& disk = defs.at("disk");
  CHECK_FALSE(disk.contains("required"));
  CHECK(disk.at("properties").at("nodes").at("minProperties") == 1);
}
