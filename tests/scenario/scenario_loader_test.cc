// Tests of the scenario loader (sim/scenario/scenario_loader.hh): a full scenario parses to the
// expected values, defaults apply, and every kind of mistake is reported with its JSON path, the
// bad value and what was expected.
#include "sim/scenario/expectations_parser.hh"
#include "sim/scenario/scenario_loader.hh"
#include "support/loader_cases.hh"

#include <doctest/doctest.h>

#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/scenario/json_path.hh"

namespace {

using nlohmann::json;
using sim::ActionType;
using sim::CrashPoint;
using sim::ExpectationType;
using sim::NodeSelector;
using sim::ScenarioError;

// The error parsing `text` raises; fails the test if it parses.
ScenarioError error_of_text(std::string_view text) {
  try {
    sim::parse_scenario_text(text, "t.json");
  } catch (const ScenarioError& e) {
    return e;
  }
  FAIL("expected a ScenarioError for: " << text);
  throw std::logic_error("unreachable");
}

// A small valid scenario of the counter state machine that the bad-input cases below break in
// one place each.
json base_scenario() {
  return json::parse(R"({
    "name": "base",
    "description": "crash the leader and restart it",
    "cluster": {"controllers": 3, "brokers": 2, "state_machine": "counter"},
    "timeline": [
      {"at_ms": 1000, "action": "crash", "node": "leader", "label": "c1"},
      {"at_ms": 3000, "action": "restart", "node": "label:c1"}
    ],
    "expectations": [{"type": "leader_elected_within", "after": "c1", "within_ms": 5000}]
  })");
}

// A small valid scenario of the metadata state machine (the default): brokers 3 and 4, a topic,
// broker 4 crashed and restarted.
json metadata_base() {
  return json::parse(R"({
    "name": "meta",
    "description": "crash broker 4 and restart it",
    "cluster": {"controllers": 3, "brokers": 2},
    "workload": {"admin": {"topics": [{"name": "orders", "partitions": 6,
                                       "replication_factor": 2}]}},
    "timeline": [
      {"at_ms": 1000, "action": "crash", "node": 4, "label": "c1"},
      {"at_ms": 3000, "action": "restart", "node": "label:c1", "label": "r1"}
    ],
    "expectations": [{"type": "broker_fenced_within", "broker": 4, "after": "c1",
                      "within_ms": 12000}]
  })");
}

ScenarioError error_of(const std::function<void(json&)>& mutate,
                       const std::function<json()>& base = base_scenario) {
  json doc = base();
  mutate(doc);
  return error_of_text(doc.dump(2));
}

// A mutation of base_scenario() that must fail at `path` with `fragment` in the message.
struct BadCase {
  const char* what;
  std::function<void(json&)> mutate;
  std::string path;
  std::string fragment;
};

void check_bad_cases(const std::vector<BadCase>& cases) {
  std::set<std::string> distinct;
  for (const BadCase& c : cases) {
    std::string name = c.what;
    CAPTURE(name);
    distinct.insert(name);
    ScenarioError e = error_of(c.mutate);
    std::string message = e.what();
    CAPTURE(message);
    CHECK(e.file() == "t.json");
    CHECK(e.path() == c.path);
    CHECK(std::string(e.what()).find(c.fragment) != std::string::npos);
    CHECK(std::string(e.what()).rfind("t.json: ", 0) == 0);
    CHECK_FALSE(e.expected().empty());
  }
  CHECK(distinct.size() == cases.size());
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  REQUIRE(in.good());
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

}  // namespace

TEST_CASE("json path rendering") {
  sim::JsonPath root;
  CHECK(root.str().empty());
  CHECK(root.field("timeline").index(2).field("node").str() == "timeline[2].node");
  CHECK(root.field("cluster").field("config").field("controller.quorum.fetch.timeout.ms").str() ==
        R"(cluster.config."controller.quorum.fetch.timeout.ms")");
  CHECK(root.field("a b").str() == R"("a b")");
  CHECK(root.index(0).index(1).str() == "[0][1]");
  CHECK(sim::is_plain_json_key("_x9"));
  CHECK_FALSE(sim::is_plain_json_key("9x"));
  CHECK_FALSE(sim::is_plain_json_key(""));
}

TEST_CASE("enum names match the file format") {
  CHECK(sim::to_string(ActionType::Partition) == "partition");
  CHECK(sim::to_string(ActionType::Heal) == "heal");
  CHECK(sim::to_string(sim::ConditionType::HighWatermarkAtLeast) == "high_watermark_at_least");
  CHECK(sim::to_string(sim::ConditionType::NoLeader) == "no_leader");
  CHECK(sim::to_string(ActionType::Wipe) == "wipe");
  CHECK(sim::to_string(ActionType::SlowDisk) == "slow_disk");
  CHECK(sim::to_string(CrashPoint::SnapshotBeforeFsync) == "snapshot-before-fsync");
  CHECK(sim::to_string(CrashPoint::QuorumStateBeforeRename) == "quorum-state-before-rename");
}

TEST_CASE("a full scenario parses to the expected values") {
  const char* text = R"({
    "name": "full",
    "description": "every field",
    "seed": 18446744073709551615,
    "cluster": {
      "controllers": 5, "brokers": 3, "state_machine": "counter",
      "config": {"controller.quorum.election.timeout.ms": 1500,
                 "controller.quorum.fetch.timeout.ms": 3000,
                 "controller.quorum.retry.backoff.ms": 0}
    },
    "network": {
      "latency": {"distribution": "exponential", "min_ms": 0.5, "mean_ms": 2.0015, "max_ms": 50},
      "loss": 0.01,
      "duplicate": 0.0000005,
      "links": [
        {"from": 0, "to": 1, "loss": 1},
        {"from": 2, "to": 7, "latency": {"distribution": "constant", "ms": 100},
         "bidirectional": true}
      ]
    },
    "workload": {"append_interval_ms": 10, "records_per_append": 4, "record_bytes": 128},
    "timeline": [
      {"at_ms": 9000, "action": "heal", "label": "heal"},
      {"at_ms": 2000, "action": "shutdown", "node": 1, "label": "stop-1"},
      {"at_ms": 2000, "action": "isolate", "node": "follower", "label": "iso"},
      {"at_ms": 4000, "action": "partition", "groups": [["leader", 0], ["label:iso", 6, 7]]},
      {"at_ms": 5000.25, "action": "drop", "from": 3, "to": "label:iso"},
      {"at_ms": 8000, "action": "restart", "node": 1},
      {"at_ms": 0, "action": "crash", "node": 4, "label": "early"}
    ],
    "stop": {"at_ms": 20000, "events_max": 500000},
    "expectations": [
      {"type": "leader_elected_within", "after": "stop-1", "within_ms": 2500.5},
      {"type": "leader_at_end"},
      {"type": "high_watermark_at_least", "value": 100, "nodes": [0, 2]},
      {"type": "high_watermark_at_least", "value": 7},
      {"type": "caught_up_at_end"},
      {"type": "no_progress_between", "from_ms": 4000, "to_ms": 9000},
      {"type": "progress_between", "from_ms": 9000, "to_ms": 20000}
    ]
  })";
  sim::Scenario s = sim::parse_scenario_text(text, "full.json");

  CHECK(s.name == "full");
  CHECK(s.description == "every field");
  CHECK(s.seed == 18446744073709551615ULL);
  CHECK(s.source_path == "full.json");

  CHECK(s.cluster.controllers == 5);
  CHECK(s.cluster.brokers == 3);
  CHECK(s.cluster.state_machine == sim::StateMachineChoice::Counter);
  CHECK_FALSE(s.cluster.runs_broker(5));  // the counter's observers are not brokers
  CHECK(s.cluster.node_count() == 8);
  CHECK(s.cluster.config.election_timeout_ms == 1500);
  CHECK(s.cluster.config.fetch_timeout_ms == 3000);
  CHECK(s.cluster.config.retry_backoff_ms == 0);
  CHECK(s.cluster.config.election_backoff_max_ms == 1000);  // Kafka default
  CHECK(s.cluster.config.request_timeout_ms == 2000);
  CHECK(s.cluster.config.append_linger_ms == 25);

  const sim::LinkSpec& def = s.network.default_link;
  CHECK(def.latency.distribution == sim::LatencySpec::Distribution::Exponential);
  CHECK(def.latency.min.us() == 500);
  CHECK(def.latency.mean.us() == 2002);  // 2.0015 ms = 2001.5 us, rounded half up
  CHECK(def.latency.max.us() == 50'000);
  CHECK(def.loss.value == 10'000);
  CHECK(def.duplicate.value == 1);  // 0.5 ppm rounds up
  REQUIRE(s.network.links.size() == 3);
  CHECK(s.network.links[0].from == sim::NodeId(0));
  CHECK(s.network.links[0].to == sim::NodeId(1));
  CHECK(s.network.links[0].spec.loss.value == 1'000'000);
  CHECK(s.network.links[0].spec.latency == def.latency);  // inherited
  CHECK(s.network.links[0].spec.duplicate.value == 1);    // inherited
  CHECK(s.network.links[1].from == sim::NodeId(2));
  CHECK(s.network.links[1].to == sim::NodeId(7));
  CHECK(s.network.links[1].spec.latency.distribution == sim::LatencySpec::Distribution::Constant);
  CHECK(s.network.links[1].spec.latency.min.us() == 100'000);
  CHECK(s.network.links[1].spec.loss.value == 10'000);
  CHECK(s.network.links[2].from == sim::NodeId(7));  // the reverse of the bidirectional link
  CHECK(s.network.links[2].to == sim::NodeId(2));
  CHECK(s.network.links[2].spec == s.network.links[1].spec);

  CHECK(s.workload.enabled);
  CHECK(s.workload.interval.us() == 10'000);
  CHECK(s.workload.records_per_append == 4);
  CHECK(s.workload.record_bytes == 128);

  // Sorted by time, file order among equal times; index = position in the file.
  REQUIRE(s.timeline.size() == 7);
  std::vector<std::size_t> indexes;
  for (const sim::Action& a : s.timeline) indexes.push_back(a.index);
  CHECK(indexes == std::vector<std::size_t>{6, 1, 2, 3, 4, 5, 0});
  CHECK(s.timeline[0].type == ActionType::Crash);
  CHECK(s.timeline[0].at.us() == 0);
  CHECK(s.timeline[0].label == "early");
  CHECK(s.timeline[0].node->kind == NodeSelector::Kind::Id);
  CHECK(s.timeline[0].node->id == sim::NodeId(4));
  CHECK(s.timeline[1].type == ActionType::Shutdown);
  CHECK(s.timeline[2].type == ActionType::Isolate);
  CHECK(s.timeline[2].node->kind == NodeSelector::Kind::Follower);
  const sim::Action& partition = s.timeline[3];
  CHECK(partition.type == ActionType::Partition);
  REQUIRE(partition.groups.size() == 2);
  REQUIRE(partition.groups[0].size() == 2);
  CHECK(partition.groups[0][0].kind == NodeSelector::Kind::Leader);
  CHECK(partition.groups[0][1].id == sim::NodeId(0));
  REQUIRE(partition.groups[1].size() == 3);
  CHECK(partition.groups[1][0].kind == NodeSelector::Kind::Label);
  CHECK(partition.groups[1][0].label == "iso");
  CHECK(partition.groups[1][2].id == sim::NodeId(7));
  CHECK_FALSE(partition.node.has_value());
  const sim::Action& drop = s.timeline[4];
  CHECK(drop.type == ActionType::Drop);
  CHECK(drop.at.us() == 5'000'250);
  CHECK(drop.from->id == sim::NodeId(3));
  CHECK(drop.to->kind == NodeSelector::Kind::Label);
  CHECK(s.timeline[5].type == ActionType::Restart);
  CHECK(s.timeline[6].type == ActionType::Heal);
  CHECK(s.timeline[6].label == "heal");

  CHECK(s.stop.at.us() == 20'000'000);
  CHECK(s.stop.events_max == 500'000);

  REQUIRE(s.expectations.size() == 7);
  const sim::Expectation& elected = s.expectations[0];
  CHECK(elected.type == ExpectationType::LeaderElectedWithin);
  CHECK(elected.after_label == "stop-1");
  CHECK(elected.within.us() == 2'500'500);
  CHECK(elected.description == "a leader of a newer epoch commits within 2500.5 ms of 'stop-1'");
  CHECK(s.expectations[1].type == ExpectationType::State);
  CHECK(s.expectations[1].condition.type == sim::ConditionType::Leader);
  CHECK(s.expectations[1].timing.kind == sim::Timing::Kind::AtEnd);
  CHECK(s.expectations[1].name == "leader_at_end");
  CHECK(s.expectations[2].condition.value == 100);
  CHECK(s.expectations[2].condition.nodes == std::vector<sim::NodeId>{sim::NodeId(0), sim::NodeId(2)});
  CHECK(s.expectations[2].description ==
        "at the end every running node of 0, 2 has a high watermark >= 100");
  CHECK(s.expectations[3].condition.nodes.empty());
  CHECK(s.expectations[4].condition.type == sim::ConditionType::CaughtUp);
  CHECK(s.expectations[5].type == ExpectationType::NoProgressBetween);
  CHECK(s.expectations[5].from.us() == 4'000'000);
  CHECK(s.expectations[5].to.us() == 9'000'000);
  CHECK(s.expectations[5].description ==
        "the highest high watermark does not grow between 4000 ms and 9000 ms");
  CHECK(s.expectations[6].type == ExpectationType::ProgressBetween);
  for (std::size_t i = 0; i < s.expectations.size(); ++i) {
    CHECK(s.expectations[i].index == i);
    CHECK_FALSE(s.expectations[i].description.empty());
  }
}

TEST_CASE("defaults") {
  sim::Scenario s = sim::parse_scenario(
      json::parse(R"({"name": "n", "description": "", "cluster": {"controllers": 1}})"), "d");
  CHECK(s.seed == 1);
  CHECK(s.cluster.controllers == 1);
  CHECK(s.cluster.brokers == 0);
  CHECK(s.cluster.state_machine == sim::StateMachineChoice::Metadata);
  CHECK(s.cluster.combined == 0);
  CHECK(s.cluster.racks.empty());
  CHECK(s.cluster.metadata == sim::MetadataConfigValues{});
  CHECK(s.cluster.metadata.broker_session_timeout_ms == 9000);  // Kafka defaults
  CHECK(s.cluster.metadata.broker_heartbeat_interval_ms == 2000);
  CHECK(s.cluster.metadata.metadata_max_idle_interval_ms == 500);
  CHECK(s.cluster.metadata.auto_leader_rebalance_enable);
  CHECK(s.admin.topics.empty());
  CHECK(s.admin.create_stream.count == 0);
  CHECK(s.admin.request_timeout_ms == 30'000);
  CHECK(s.admin.default_api_timeout_ms == 60'000);
  CHECK(s.admin.retry_backoff_ms == 100);
  CHECK(s.admin.retry_backoff_max_ms == 1000);
  CHECK(s.cluster.config == sim::RaftConfigValues{});
  CHECK(s.cluster.snapshot == sim::SnapshotConfigValues{});
  CHECK(s.cluster.snapshot.max_record_bytes_between_snapshots == 20'971'520);  // Kafka defaults
  CHECK(s.cluster.snapshot.max_snapshot_interval_ms == 3'600'000);
  CHECK(s.cluster.snapshot.max_retention_bytes == 104'857'600);
  CHECK(s.cluster.snapshot.max_retention_ms == 604'800'000);
  CHECK(s.disk.flush_latency == raft::Duration::zero());
  CHECK(s.network.default_link == sim::LinkSpec{});
  CHECK(s.network.default_link.latency.distribution == sim::LatencySpec::Distribution::Uniform);
  CHECK(s.network.default_link.latency.min.us() == 1000);
  CHECK(s.network.default_link.latency.max.us() == 5000);
  CHECK(s.network.default_link.loss.value == 0);
  CHECK(s.network.links.empty());
  CHECK_FALSE(s.workload.enabled);
  CHECK(s.timeline.empty());
  CHECK(s.stop.at.us() == 30'000'000);
  CHECK(s.stop.events_max == 10'000'000);
  CHECK(s.expectations.empty());
  CHECK(s.source_path == "d");

  sim::Scenario w = sim::parse_scenario(
      json::parse(R"({"name": "n", "description": "",
                      "cluster": {"controllers": 1, "state_machine": "counter"},
                      "network": {"loss": 0.5}, "workload": {"append_interval_ms": 0.25}})"),
      "d");
  CHECK(w.network.default_link.latency == sim::LatencySpec{});
  CHECK(w.network.default_link.loss.value == 500'000);
  CHECK(w.workload.enabled);
  CHECK(w.workload.interval.us() == 250);
  CHECK(w.workload.records_per_append == 1);
  CHECK(w.workload.record_bytes == 64);
}

TEST_CASE("fractional milliseconds round to the nearest microsecond") {
  auto latency_us = [](const char* ms) {
    std::string text =
        std::string(R"({"name": "n", "description": "", "cluster": {"controllers": 1},
        "network": {"latency": {"distribution": "constant", "ms": )") +
        ms + "}}}";
    return sim::parse_scenario_text(text, "r").network.default_link.latency.min.us();
  };
  CHECK(latency_us("0.0015") == 2);  // exactly 1.5 us: half rounds up
  CHECK(latency_us("0.0014999") == 1);
  CHECK(latency_us("1e-3") == 1);
  CHECK(latency_us("0.0004") == 0);
  CHECK(latency_us("2.5E2") == 250'000);
  CHECK(latency_us("7") == 7000);
}

TEST_CASE("bad inputs name the path, the value and what was expected") {
  const std::vector<BadCase> cases = {
      {"unknown top-level field", [](json& d) { d["nmae"] = "x"; }, "nmae",
       R"(got unknown field "nmae", expected one of the fields of the scenario: name, description)"},
      {"did you mean", [](json& d) { d["nmae"] = "x"; }, "nmae", R"((did you mean "name"?))"},
      {"unknown nested field", [](json& d) { d["cluster"]["controlers"] = 3; },
       "cluster.controlers",
       "expected one of the fields of cluster: controllers, brokers, combined, state_machine, "
       "racks, config"},
      {"wrong type", [](json& d) { d["cluster"]["controllers"] = "3"; }, "cluster.controllers",
       R"(got "3", expected an integer in 1..9)"},
      {"fractional integer", [](json& d) { d["cluster"]["brokers"] = 1.5; }, "cluster.brokers",
       "got 1.5, expected an integer in 0..64"},
      {"too many controllers", [](json& d) { d["cluster"]["controllers"] = 10; },
       "cluster.controllers", "got 10, expected an integer in 1..9"},
      {"missing name", [](json& d) { d.erase("name"); }, "name",
       "name: missing, expected a non-empty string"},
      {"missing cluster", [](json& d) { d.erase("cluster"); }, "cluster", "cluster: missing"},
      {"empty name", [](json& d) { d["name"] = ""; }, "name", R"(got "", expected a non-empty)"},
      {"negative seed", [](json& d) { d["seed"] = -1; }, "seed",
       "got -1, expected an integer in 0..18446744073709551615"},
      {"bad node id", [](json& d) { d["timeline"][0]["node"] = 5; }, "timeline[0].node",
       "got 5, expected a node id (0..4)"},
      {"bad selector string", [](json& d) { d["timeline"][0]["node"] = "leder"; },
       "timeline[0].node",
       R"(got "leder", expected a node id (0..4), "leader", "follower", "random-controller", )"
       R"("random-node", "controllers", "followers", "brokers", "all", "label:<name>" or an array )"
       R"(of them (did you mean "leader"?))"},
      {"selector of the wrong type", [](json& d) { d["timeline"][0]["node"] = true; },
       "timeline[0].node", "got true, expected a node id (0..4)"},
      {"missing node", [](json& d) { d["timeline"][0].erase("node"); }, "timeline[0].node",
       "timeline[0].node: missing, expected a node id"},
      {"unknown label", [](json& d) { d["timeline"][1]["node"] = "label:c2"; }, "timeline[1].node",
       R"(no action is labelled "c2" (labels: "c1") (did you mean "c1"?))"},
      {"forward label reference",
       [](json& d) {
         d["timeline"][0]["node"] = 1;
         d["timeline"][0]["label"] = "later";
         d["timeline"][0]["at_ms"] = 4000;
         d["timeline"][1]["node"] = "label:later";
       },
       "timeline[1].node",
       R"("later" labels timeline[0] (crash at 4000 ms), which does not run before timeline[1] (restart at 3000 ms))"},
      {"label refers to itself", [](json& d) { d["timeline"][0]["node"] = "label:c1"; },
       "timeline[0].node", "which is this action itself"},
      {"label of an action without a node",
       [](json& d) {
         d["timeline"].push_back({{"at_ms", 100}, {"action", "heal"}, {"label", "h"}});
         d["timeline"].push_back({{"at_ms", 200}, {"action", "isolate"}, {"node", "label:h"}});
       },
       "timeline[3].node", R"("h" labels timeline[2] (heal at 100 ms))"},
      {"restart of a label that is not a crash, shutdown or wipe",
       [](json& d) {
         d["timeline"][0] = {{"at_ms", 100}, {"action", "isolate"}, {"node", 2}, {"label", "c1"}};
       },
       "timeline[1].node", "expected the label of an earlier crash, shutdown or wipe"},
      {"duplicate label", [](json& d) { d["timeline"][1]["label"] = "c1"; }, "timeline[1].label",
       R"(got "c1", expected a label not used by another action (timeline[0] already has it))"},
      {"bad label characters", [](json& d) { d["timeline"][0]["label"] = "crash leader"; },
       "timeline[0].label", "expected a label: letters, digits"},
      {"unknown action", [](json& d) { d["timeline"][0]["action"] = "crsh"; }, "timeline[0].action",
       R"(got "crsh", expected one of crash|restart|shutdown|isolate|partition|drop|heal|pause|resume|wipe|slow_disk|slow_link|restore_link|clock_drift (did you mean "crash"?))"},
      {"field not allowed for the action",
       [](json& d) { d["timeline"][0]["groups"] = json::array(); }, "timeline[0].groups",
       "expected one of the fields of a crash action: at_ms, action, label, node, torn_write, "
       "at_next"},
      {"heal takes no node",
       [](json& d) {
         d["timeline"].push_back({{"at_ms", 5}, {"action", "heal"}, {"node", 1}});
       },
       "timeline[2].node", "expected one of the fields of a heal action: at_ms, action, label"},
      {"missing action", [](json& d) { d["timeline"][0].erase("action"); }, "timeline[0].action",
       "missing, expected one of crash|restart"},
      {"timeline not an array", [](json& d) { d["timeline"] = json::object(); }, "timeline",
       "got {}, expected an array of actions"},
      {"bad probability", [](json& d) { d["network"]["loss"] = 1.5; }, "network.loss",
       "got 1.5, expected a probability, a number in [0, 1]"},
      {"negative probability", [](json& d) { d["network"]["duplicate"] = -0.1; },
       "network.duplicate", "got -0.1, expected a probability"},
      {"latency min > max",
       [](json& d) {
         d["network"]["latency"] = {{"distribution", "uniform"}, {"min_ms", 10}, {"max_ms", 2}};
       },
       "network.latency.max_ms", "got 2, expected a number of milliseconds >= min_ms (10)"},
      {"unknown distribution",
       [](json& d) {
         d["network"]["latency"] = {{"distribution", "normal"}, {"ms", 1}};
       },
       "network.latency.distribution",
       R"(got "normal", expected "constant", "uniform" or "exponential")"},
      {"field of another distribution",
       [](json& d) {
         d["network"]["latency"] = {{"distribution", "constant"}, {"ms", 1}, {"max_ms", 3}};
       },
       "network.latency.max_ms",
       "expected one of the fields of a constant latency: distribution, ms"},
      {"negative latency",
       [](json& d) {
         d["network"]["latency"] = {{"distribution", "constant"}, {"ms", -1}};
       },
       "network.latency.ms", "got -1, expected a number of milliseconds >= 0"},
      {"exponential mean zero",
       [](json& d) {
         d["network"]["latency"] = {
             {"distribution", "exponential"}, {"min_ms", 1}, {"mean_ms", 0}, {"max_ms", 9}};
       },
       "network.latency.mean_ms", "got 0, expected a number of milliseconds > 0"},
      {"link to itself",
       [](json& d) {
         d["network"]["links"] = {{{"from", 2}, {"to", 2}, {"loss", 1}}};
       },
       "network.links[0].to", R"(got 2, expected a node other than "from" (2))"},
      {"link with nothing to change",
       [](json& d) {
         d["network"]["links"] = {{{"from", 1}, {"to", 2}}};
       },
       "network.links[0]", "expected at least one of latency, loss, duplicate"},
      {"link set twice",
       [](json& d) {
         d["network"]["links"] = {{{"from", 1}, {"to", 2}, {"loss", 1}},
                                  {{"from", 2}, {"to", 1}, {"loss", 1}, {"bidirectional", true}}};
       },
       "network.links[1]",
       "expected each directed link at most once (network.links[0] already sets 1 -> 2)"},
      {"link node out of range",
       [](json& d) {
         d["network"]["links"] = {{{"from", 1}, {"to", 9}, {"loss", 1}}};
       },
       "network.links[0].to", "got 9, expected a node id (0..4)"},
      {"at beyond stop", [](json& d) { d["timeline"][1]["at_ms"] = 40000; }, "timeline[1].at_ms",
       "got 40000, expected a time in milliseconds in [0, 30000] (not after stop.at_ms)"},
      {"negative at", [](json& d) { d["timeline"][0]["at_ms"] = -1; }, "timeline[0].at_ms",
       "got -1, expected a time in milliseconds in [0, 30000]"},
      {"non-positive stop",
       [](json& d) {
         d["stop"] = {{"at_ms", 0}};
       },
       "stop.at_ms", "got 0, expected a number of milliseconds > 0"},
      {"zero events_max",
       [](json& d) {
         d["stop"] = {{"events_max", 0}};
       },
       "stop.events_max", "got 0, expected an integer in 1..18446744073709551615"},
      {"unknown config name",
       [](json& d) {
         d["cluster"]["config"] = {{"controller.quorum.fetch.timeut.ms", 10}};
       },
       R"(cluster.config."controller.quorum.fetch.timeut.ms")",
       R"(expected one of the supported Kafka configs: controller.quorum.election.timeout.ms, controller.quorum.fetch.timeout.ms,)"},
      {"unknown config name suggestion",
       [](json& d) {
         d["cluster"]["config"] = {{"controller.quorum.fetch.timeut.ms", 10}};
       },
       R"(cluster.config."controller.quorum.fetch.timeut.ms")",
       R"((did you mean "controller.quorum.fetch.timeout.ms"?))"},
      {"negative timeout",
       [](json& d) {
         d["cluster"]["config"] = {{"controller.quorum.election.timeout.ms", -5}};
       },
       R"(cluster.config."controller.quorum.election.timeout.ms")",
       "got -5, expected an integer in 1..2147483647 (milliseconds, a timeout must be positive)"},
      {"zero timeout",
       [](json& d) {
         d["cluster"]["config"] = {{"controller.quorum.request.timeout.ms", 0}};
       },
       R"(cluster.config."controller.quorum.request.timeout.ms")",
       "got 0, expected an integer in 1.."},
      {"fractional config",
       [](json& d) {
         d["cluster"]["config"] = {{"controller.quorum.append.linger.ms", 2.5}};
       },
       R"(cluster.config."controller.quorum.append.linger.ms")",
       "got 2.5, expected an integer in 0.."},
      {"partition node in two groups",
       [](json& d) {
         d["timeline"].push_back(
             {{"at_ms", 50}, {"action", "partition"}, {"groups", {{0, 1}, {2, 1}}}});
       },
       "timeline[2].groups[1][1]",
       "got 1, expected a node that is in no other group (node 1 is already in groups[0])"},
      {"partition label resolving to a listed node",
       [](json& d) {
         d["timeline"].push_back(
             {{"at_ms", 10}, {"action", "isolate"}, {"node", 2}, {"label", "i"}});
         d["timeline"].push_back(
             {{"at_ms", 50}, {"action", "partition"}, {"groups", {{2}, {"label:i", 0}}}});
       },
       "timeline[3].groups[1][0]", "(node 2 is already in groups[0])"},
      {"partition with one group",
       [](json& d) {
         d["timeline"].push_back({{"at_ms", 50}, {"action", "partition"}, {"groups", {{0, 1}}}});
       },
       "timeline[2].groups", "expected an array of at least two non-empty arrays"},
      {"partition with an empty group",
       [](json& d) {
         d["timeline"].push_back(
             {{"at_ms", 50}, {"action", "partition"}, {"groups", {{0}, json::array()}}});
       },
       "timeline[2].groups[1]", "got [], expected a non-empty array of node selectors"},
      {"drop from == to",
       [](json& d) {
         d["timeline"].push_back(
             {{"at_ms", 50}, {"action", "drop"}, {"from", "leader"}, {"to", "leader"}});
       },
       "timeline[2].to", R"(expected a node other than "from" (both name "leader"))"},
      {"restart of a node never stopped",
       [](json& d) {
         d["timeline"][0]["node"] = 1;
         d["timeline"][1]["node"] = 2;
       },
       "timeline[1].node",
       "got 2, expected a node that an earlier crash, shutdown or wipe stopped (no earlier action "
       "crashes, shuts down or wipes node 2)"},
      {"restart twice",
       [](json& d) {
         d["timeline"][0]["node"] = 2;
         d["timeline"][1]["node"] = 2;
         d["timeline"].push_back({{"at_ms", 6000}, {"action", "restart"}, {"node", 2}});
       },
       "timeline[2].node", "(node 2 is already restarted by timeline[1] (restart at 3000 ms))"},
      {"restart before the crash",
       [](json& d) {
         d["timeline"][0]["node"] = 2;
         d["timeline"][1] = {{"at_ms", 500}, {"action", "restart"}, {"node", 2}};
       },
       "timeline[1].node", "no earlier action crashes, shuts down or wipes node 2"},
      {"restart the leader", [](json& d) { d["timeline"][1]["node"] = "leader"; },
       "timeline[1].node",
       R"(a restart targets stopped nodes, never "leader", "follower", "followers" or a )"
       R"("random-..." node)"},
      {"crash a stopped node",
       [](json& d) {
         d["timeline"][0]["node"] = 3;
         d["timeline"][1] = {{"at_ms", 2000}, {"action", "shutdown"}, {"node", 3}};
       },
       "timeline[1].node",
       "expected a running node (node 3 is already stopped by timeline[0] (crash at 1000 ms))"},
      {"workload interval zero",
       [](json& d) {
         d["workload"] = {{"append_interval_ms", 0}};
       },
       "workload.append_interval_ms", "got 0, expected a number of milliseconds > 0"},
      {"workload interval missing",
       [](json& d) {
         d["workload"] = {{"record_bytes", 10}};
       },
       "workload.append_interval_ms", "missing"},
      {"negative record size",
       [](json& d) {
         d["workload"] = {{"append_interval_ms", 1}, {"record_bytes", -1}};
       },
       "workload.record_bytes", "got -1, expected an integer in 1..1048576"},
      {"too many records",
       [](json& d) {
         d["workload"] = {{"append_interval_ms", 1}, {"records_per_append", 10001}};
       },
       "workload.records_per_append", "got 10001, expected an integer in 1..10000"},
      {"expectation after unknown label", [](json& d) { d["expectations"][0]["after"] = "c9"; },
       "expectations[0].after",
       R"(got "c9", expected the label of a timeline action (labels: "c1"))"},
      {"expectation within zero", [](json& d) { d["expectations"][0]["within_ms"] = 0; },
       "expectations[0].within_ms", "got 0, expected a number of milliseconds > 0"},
      {"unknown expectation type",
       [](json& d) {
         d["expectations"].push_back({{"type", "leader_at_the_end"}});
       },
       "expectations[1].type", R"((did you mean "leader_at_end"?))"},
      {"field not allowed for the expectation",
       [](json& d) {
         d["expectations"].push_back({{"type", "leader_at_end"}, {"within_ms", 5}});
       },
       "expectations[1].within_ms",
       "expected one of the fields of a leader_at_end expectation: type"},
      {"contradicting expectations",
       [](json& d) {
         d["expectations"].push_back({{"type", "leader_at_end"}});
         d["expectations"].push_back({{"type", "no_leader_at_end"}});
       },
       "expectations[2].type", "expected an expectation that does not contradict expectations[1]"},
      {"progress window reversed",
       [](json& d) {
         d["expectations"].push_back(
             {{"type", "progress_between"}, {"from_ms", 5000}, {"to_ms", 5000}});
       },
       "expectations[1].to_ms",
       "got 5000, expected a time in milliseconds in (from_ms, stop.at_ms] = (5000, 30000]"},
      {"progress window past stop",
       [](json& d) {
         d["expectations"].push_back(
             {{"type", "no_progress_between"}, {"from_ms", 5000}, {"to_ms", 30001}});
       },
       "expectations[1].to_ms", "got 30001, expected a time in milliseconds in (from_ms"},
      {"high watermark nodes repeated",
       [](json& d) {
         d["expectations"].push_back(
             {{"type", "high_watermark_at_least"}, {"value", 3}, {"nodes", {1, 1}}});
       },
       "expectations[1].nodes[1]", "got 1, expected a node id not already in the list"},
      {"high watermark negative",
       [](json& d) {
         d["expectations"].push_back({{"type", "high_watermark_at_least"}, {"value", -3}});
       },
       "expectations[1].value", "got -3, expected an integer in 0.."},
      {"top level not an object", [](json& d) { d = json::array({1}); }, "",
       "t.json: (top level): got [1], expected an object with the fields name, description"},
  };
  CHECK(cases.size() >= 25);
  check_bad_cases(cases);
}

TEST_CASE("the documented example message reads exactly so") {
  ScenarioError e = error_of([](json& d) { d["timeline"][0]["node"] = "leder"; }, metadata_base);
  CHECK(std::string(e.what()) ==
        R"(t.json: timeline[0].node: got "leder", expected a node id (0..4), "leader", )"
        R"("follower", "random-controller", "random-node", "random-broker", "controllers", )"
        R"("followers", "brokers", "all", "label:<name>" or an array of them (did you mean )"
        R"("leader"?))");
  CHECK(e.got() == R"("leder")");
  CHECK(e.line() == 0);
  // A counter cluster has no "random-broker".
  ScenarioError counter = error_of([](json& d) { d["timeline"][0]["node"] = "leder"; });
  CHECK(std::string(counter.what()) ==
        R"(t.json: timeline[0].node: got "leder", expected a node id (0..4), "leader", )"
        R"("follower", "random-controller", "random-node", "controllers", "followers", )"
        R"("brokers", "all", "label:<name>" or an array of them (did you mean "leader"?))");

  ScenarioError missing = error_of([](json& d) { d["cluster"].erase("controllers"); });
  CHECK(std::string(missing.what()) ==
        "t.json: cluster.controllers: missing, expected an integer in 1..9");
  CHECK(missing.got() == "missing");
}

TEST_CASE("malformed JSON reports line and column") {
  ScenarioError e = error_of_text("{\n  \"name\": \"x\",\n  }\n");
  CHECK(e.line() == 3);
  CHECK(e.column() == 3);
  CHECK(e.path().empty());
  CHECK(std::string(e.what()).rfind("t.json: line 3, column 3: malformed JSON: ", 0) == 0);
  CHECK(std::string(e.what()).find("unexpected '}'") != std::string::npos);

  ScenarioError truncated = error_of_text("[1,\n2");
  CHECK(truncated.line() == 2);
  CHECK(truncated.column() == 2);
  CHECK(std::string(truncated.what()).find("unexpected end of input") != std::string::npos);

  ScenarioError empty = error_of_text("");
  CHECK(empty.line() == 1);
  CHECK(empty.column() == 1);

  ScenarioError trailing = error_of_text("{} x");
  CHECK(trailing.line() == 1);
  CHECK(trailing.column() == 4);

  ScenarioError comment = error_of_text("{\n// no comments in JSON\n}");
  CHECK(comment.line() == 2);
  CHECK(comment.column() == 1);
}

TEST_CASE("duplicate keys are rejected, not silently overwritten") {
  ScenarioError e =
      error_of_text(R"({"name": "a", "cluster": {"controllers": 3, "controllers": 5}})");
  CHECK(e.path() == "cluster.controllers");
  CHECK(std::string(e.what()) ==
        "t.json: cluster.controllers: got a second value for this key, expected each key at most "
        "once per object");
  ScenarioError in_array = error_of_text(R"({"timeline": [{}, {"at_ms": 1, "at_ms": 2}]})");
  CHECK(in_array.path() == "timeline[1].at_ms");
}

TEST_CASE("unreadable file") {
  try {
    sim::load_scenario_file("/nonexistent/kraftsim/x.json");
    FAIL("expected a ScenarioError");
  } catch (const ScenarioError& e) {
    CHECK(std::string(e.what()) ==
          "/nonexistent/kraftsim/x.json: cannot open the file for reading");
    CHECK(e.file() == "/nonexistent/kraftsim/x.json");
  }
}

TEST_CASE("scenarios/default.json is the documented default scenario") {
  const std::string path = std::string(KRAFTSIM_SOURCE_DIR) + "/scenarios/default.json";
  sim::Scenario s = sim::load_scenario_file(path);
  CHECK(s.source_path == path);
  CHECK(s.cluster.state_machine == sim::StateMachineChoice::Metadata);
  CHECK(s.cluster.controllers == 3);
  CHECK(s.cluster.brokers == 3);
  CHECK_FALSE(s.workload.enabled);
  REQUIRE(s.admin.topics.size() == 3);
  CHECK(s.admin.topics[0].name == "orders");
  CHECK(s.admin.topics_at.us() == 3'000'000);
  CHECK(s.network.default_link == sim::LinkSpec{});
  CHECK(s.stop.at.us() == 50'000'000);
  REQUIRE(s.timeline.size() == 5);
  CHECK(s.timeline[0].type == ActionType::Crash);
  CHECK(s.timeline[0].node->kind == NodeSelector::Kind::Leader);
  CHECK(s.timeline[0].label == "crash-controller");
  CHECK(s.timeline[2].type == ActionType::CreateTopic);
  CHECK(s.timeline[2].topic.name == "audit");
  CHECK(s.timeline[3].type == ActionType::Restart);
  CHECK(s.timeline[3].node->label == "crash-controller");
  REQUIRE(s.expectations.size() == 9);
  CHECK(s.expectations[0].within.us() == 5'000'000);
  CHECK(s.expectations[1].type == ExpectationType::BrokerFencedWithin);
  CHECK(s.expectations[1].broker->id == sim::NodeId(4));
}

TEST_CASE("the JSON schema describes the fields the loader accepts") {
  json schema = json::parse(slurp(std::string(KRAFTSIM_SOURCE_DIR) + "/scenarios/schema.json"));
  CHECK(schema.at("$schema") == "https://json-schema.org/draft/2020-12/schema");
  std::set<std::string> top;
  for (const auto& [name, unused] : schema.at("properties").items()) top.insert(name);
  CHECK(top == std::set<std::string>{"name", "description", "seed", "cluster", "network", "disk",
                                     "workload", "timeline", "stop", "expectations", "bugs"});
  CHECK(schema.at("additionalProperties") == false);
  auto names_of = [](const json& properties) {
    std::set<std::string> names;
    for (const auto& [name, unused] : properties.items()) names.insert(name);
    return names;
  };
  const json& defs = schema.at("$defs");
  CHECK(names_of(defs.at("cluster").at("properties")) ==
        std::set<std::string>{"controllers", "brokers", "combined", "state_machine", "racks",
                              "config", "node_config"});
  CHECK(defs.at("cluster").at("properties").at("state_machine").at("enum") ==
        json::array({"metadata", "counter"}));
  CHECK(names_of(defs.at("cluster").at("properties").at("config").at("properties")) ==
        std::set<std::string>{
            "controller.quorum.election.timeout.ms", "controller.quorum.fetch.timeout.ms",
            "controller.quorum.election.backoff.max.ms", "controller.quorum.request.timeout.ms",
            "controller.quorum.retry.backoff.ms", "controller.quorum.append.linger.ms",
            "metadata.log.max.record.bytes.between.snapshots",
            "metadata.log.max.snapshot.interval.ms", "metadata.max.retention.bytes",
            "metadata.max.retention.ms", "broker.session.timeout.ms",
            "broker.heartbeat.interval.ms", "initial.broker.registration.timeout.ms",
            "metadata.max.idle.interval.ms", "auto.leader.rebalance.enable",
            "leader.imbalance.check.interval.seconds", "unclean.leader.election.interval.ms",
            "default.replication.factor", "num.partitions"});
  CHECK(names_of(defs.at("workload").at("properties")) ==
        std::set<std::string>{"append_interval_ms", "records_per_append", "record_bytes",
                              "admin"});
  CHECK(names_of(defs.at("admin").at("properties")) ==
        std::set<std::string>{"topics", "topics_at_ms", "create_topics", "request.timeout.ms",
                              "default.api.timeout.ms", "retry.backoff.ms",
                              "retry.backoff.max.ms"});
  CHECK(names_of(defs.at("topic").at("properties")) ==
        std::set<std::string>{"name", "partitions", "replication_factor", "configs"});
  CHECK(names_of(defs.at("createTopics").at("properties")) ==
        std::set<std::string>{"count", "interval_ms", "start_ms", "prefix", "partitions",
                              "replication_factor"});
  std::set<std::string> actions;
  json crash_at_next;
  for (const json& variant : defs.at("action").at("oneOf")) {
    const std::string name = variant.at("properties").at("action").at("const");
    actions.insert(name);
    if (name == "crash") crash_at_next = variant.at("properties").at("at_next").at("enum");
  }
  CHECK(actions == std::set<std::string>{"crash", "restart", "shutdown", "isolate", "partition",
                                         "drop", "heal", "pause", "resume", "wipe", "slow_disk",
                                         "slow_link", "restore_link", "clock_drift",
                                         "controlled_shutdown", "create_topic", "delete_topic",
                                         "alter_config"});
  CHECK(crash_at_next == json::array({"snapshot-before-fsync", "snapshot-before-rename",
                                      "quorum-state-before-fsync", "quorum-state-before-rename"}));
  std::set<std::string> expectations;
  for (const json& variant : defs.at("expectation").at("oneOf")) {
    expectations.insert(variant.at("properties").at("type").at("const").get<std::string>());
  }
  std::set<std::string> known;
  for (std::string_view name : sim::scenario_detail::expectation_type_names()) known.emplace(name);
  CHECK(expectations == known);
  CHECK(expectations.size() == 36);
  CHECK(schema.at("$defs").at("disk").at("properties").contains("flush_ms"));
}

TEST_CASE("pause and resume actions, and caught_up_at_end's max_lag_ms") {
  const sim::Scenario s = sim::parse_scenario_text(R"({
    "name": "p", "description": "d",
    "cluster": {"controllers": 3},
    "timeline": [
      {"at_ms": 1000, "action": "pause", "node": "leader", "label": "gc"},
      {"at_ms": 2000, "action": "resume", "node": "label:gc"}
    ],
    "stop": {"at_ms": 5000},
    "expectations": [{"type": "caught_up_at_end"}, {"type": "caught_up_at_end", "max_lag_ms": 250}]
  })", "p.json");
  REQUIRE(s.timeline.size() == 2);
  CHECK(s.timeline[0].type == sim::ActionType::Pause);
  CHECK(s.timeline[0].node->kind == sim::NodeSelector::Kind::Leader);
  CHECK(s.timeline[1].type == sim::ActionType::Resume);
  CHECK(s.timeline[1].node->kind == sim::NodeSelector::Kind::Label);
  CHECK(s.timeline[1].node->label == "gc");
  REQUIRE(s.expectations.size() == 2);
  CHECK(s.expectations[0].condition.max_lag == raft::Duration::millis(1000));  // the default lag
  CHECK(s.expectations[1].condition.max_lag == raft::Duration::millis(250));
  CHECK_THROWS_WITH_AS(sim::parse_scenario_text(R"({"name": "p", "description": "d",
    "cluster": {"controllers": 3},
    "expectations": [{"type": "caught_up_at_end", "max_lag_ms": -1}]})", "p.json"),
    doctest::Contains("expectations[0].max_lag_ms: got -1"), sim::ScenarioError);
  CHECK_THROWS_WITH_AS(sim::parse_scenario_text(R"({"name": "p", "description": "d",
    "cluster": {"controllers": 3},
    "timeline": [{"at_ms": 1, "action": "pause"}]})", "p.json"),
    doctest::Contains("timeline[0].node: missing"), sim::ScenarioError);
}

TEST_CASE("snapshot and retention configs, the disk and the disk faults parse to exact values") {
  const sim::Scenario s = sim::parse_scenario_text(R"({
    "name": "disk", "description": "d",
    "cluster": {"controllers": 3, "brokers": 1,
                "config": {"metadata.log.max.record.bytes.between.snapshots": 4096,
                           "metadata.log.max.snapshot.interval.ms": 0,
                           "metadata.max.retention.bytes": 1,
                           "metadata.max.retention.ms": 60000,
                           "controller.quorum.fetch.timeout.ms": 1500}},
    "disk": {"flush_ms": 2.5},
    "timeline": [
      {"at_ms": 1000, "action": "crash", "node": 2, "torn_write": true, "label": "torn"},
      {"at_ms": 1500, "action": "wipe", "node": 2},
      {"at_ms": 2000, "action": "restart", "node": "label:torn"},
      {"at_ms": 2500, "action": "crash", "node": "leader", "at_next": "snapshot-before-fsync",
       "label": "armed"},
      {"at_ms": 2600, "action": "crash", "node": 3, "at_next": "quorum-state-before-rename",
       "torn_write": false},
      {"at_ms": 2700, "action": "crash", "node": 1, "torn_write": false},
      {"at_ms": 3000, "action": "wipe", "node": "follower", "label": "w"},
      {"at_ms": 3500, "action": "slow_disk", "node": "label:w", "flush_ms": 0.0015, "label": "sd"},
      {"at_ms": 3600, "action": "isolate", "node": "label:sd"},
      {"at_ms": 4000, "action": "restart", "node": "label:w"},
      {"at_ms": 4500, "action": "restart", "node": "label:armed"},
      {"at_ms": 4600, "action": "restart", "node": 3},
      {"at_ms": 4700, "action": "slow_disk", "node": 0, "flush_ms": 0},
      {"at_ms": 4800, "action": "crash", "node": 0, "at_next": "snapshot-before-rename"},
      {"at_ms": 4900, "action": "crash", "node": 3, "at_next": "quorum-state-before-fsync"}
    ],
    "expectations": [{"type": "leader_elected_within", "after": "w", "within_ms": 5000}]
  })", "disk.json");
  CHECK(s.cluster.snapshot.max_record_bytes_between_snapshots == 4096);
  CHECK(s.cluster.snapshot.max_snapshot_interval_ms == 0);
  CHECK(s.cluster.snapshot.max_retention_bytes == 1);
  CHECK(s.cluster.snapshot.max_retention_ms == 60'000);
  CHECK(s.cluster.config.fetch_timeout_ms == 1500);
  CHECK(s.cluster.config.election_timeout_ms == 1000);  // untouched default
  CHECK(s.disk.flush_latency.us() == 2500);

  REQUIRE(s.timeline.size() == 15);
  const sim::Action& torn = s.timeline[0];
  CHECK(torn.type == ActionType::Crash);
  CHECK(torn.torn_write);
  CHECK(torn.crash_point == CrashPoint::None);
  const sim::Action& wipe_down = s.timeline[1];
  CHECK(wipe_down.type == ActionType::Wipe);
  CHECK(wipe_down.node->id == sim::NodeId(2));
  CHECK_FALSE(wipe_down.torn_write);
  CHECK(s.timeline[2].type == ActionType::Restart);
  CHECK(s.timeline[2].node->label == "torn");
  const sim::Action& armed = s.timeline[3];
  CHECK(armed.crash_point == CrashPoint::SnapshotBeforeFsync);
  CHECK_FALSE(armed.torn_write);
  CHECK(armed.node->kind == NodeSelector::Kind::Leader);
  CHECK(s.timeline[4].crash_point == CrashPoint::QuorumStateBeforeRename);
  CHECK_FALSE(s.timeline[4].torn_write);
  CHECK(s.timeline[5].crash_point == CrashPoint::None);
  CHECK_FALSE(s.timeline[5].torn_write);
  const sim::Action& wipe = s.timeline[6];
  CHECK(wipe.type == ActionType::Wipe);
  CHECK(wipe.node->kind == NodeSelector::Kind::Follower);
  CHECK(wipe.label == "w");
  const sim::Action& slow = s.timeline[7];
  CHECK(slow.type == ActionType::SlowDisk);
  CHECK(slow.node->kind == NodeSelector::Kind::Label);
  CHECK(slow.node->label == "w");
  CHECK(slow.flush_latency.us() == 2);  // 1.5 us rounds up
  CHECK(s.timeline[8].node->label == "sd");
  CHECK(s.timeline[9].node->label == "w");
  CHECK(s.timeline[10].node->label == "armed");
  CHECK(s.timeline[11].node->id == sim::NodeId(3));
  CHECK(s.timeline[12].type == ActionType::SlowDisk);
  CHECK(s.timeline[12].flush_latency == raft::Duration::zero());
  CHECK(s.timeline[13].crash_point == CrashPoint::SnapshotBeforeRename);
  CHECK(s.timeline[14].crash_point == CrashPoint::QuorumStateBeforeFsync);
  CHECK(s.expectations[0].after_label == "w");
}

TEST_CASE("restart bookkeeping of wipes and crashes at the next file write") {
  auto parses = [](const json& timeline) {
    json doc = base_scenario();
    doc["timeline"] = timeline;
    doc.erase("expectations");
    try {
      sim::parse_scenario_text(doc.dump(), "t.json");
      return std::string("ok");
    } catch (const ScenarioError& e) {
      return std::string(e.what());
    }
  };
  // Wiping a node that is already down is valid, and so is wiping it twice; it stays down.
  CHECK(parses(json::parse(R"([
    {"at_ms": 1, "action": "crash", "node": 2},
    {"at_ms": 2, "action": "wipe", "node": 2},
    {"at_ms": 3, "action": "wipe", "node": 2},
    {"at_ms": 4, "action": "restart", "node": 2}])")) == "ok");
  // A wipe stops a running node: it may be restarted, not crashed again.
  CHECK(parses(json::parse(R"([
    {"at_ms": 1, "action": "wipe", "node": 2, "label": "w"},
    {"at_ms": 2, "action": "restart", "node": "label:w"}])")) == "ok");
  CHECK(parses(json::parse(R"([
    {"at_ms": 1, "action": "wipe", "node": 2},
    {"at_ms": 2, "action": "crash", "node": 2}])")) ==
        "t.json: timeline[1].node: got 2, expected a running node (node 2 is already stopped by "
        "timeline[0] (wipe at 1 ms))");
  // A crash at the next write leaves the node's state unknown: a restart by id is allowed, and so
  // is a plain crash of it; a second restart after that first one is not.
  CHECK(parses(json::parse(R"([
    {"at_ms": 1, "action": "crash", "node": 2, "at_next": "snapshot-before-rename"},
    {"at_ms": 2, "action": "restart", "node": 2}])")) == "ok");
  CHECK(parses(json::parse(R"([
    {"at_ms": 1, "action": "crash", "node": 2, "at_next": "snapshot-before-rename"},
    {"at_ms": 2, "action": "crash", "node": 2}])")) == "ok");
  CHECK(parses(json::parse(R"([
    {"at_ms": 1, "action": "crash", "node": 2, "at_next": "snapshot-before-rename"},
    {"at_ms": 2, "action": "restart", "node": 2},
    {"at_ms": 3, "action": "restart", "node": 2}])")) ==
        "t.json: timeline[2].node: got 2, expected a node that an earlier crash, shutdown or wipe "
        "stopped (node 2 is already restarted by timeline[1] (restart at 2 ms))");
  // A torn-write crash stops the node now, like any crash.
  CHECK(parses(json::parse(R"([
    {"at_ms": 1, "action": "crash", "node": 2, "torn_write": true},
    {"at_ms": 2, "action": "shutdown", "node": 2}])")) ==
        "t.json: timeline[1].node: got 2, expected a running node (node 2 is already stopped by "
        "timeline[0] (crash at 1 ms))");
  // A slow disk changes nothing about liveness.
  CHECK(parses(json::parse(R"([
    {"at_ms": 1, "action": "slow_disk", "node": 2, "flush_ms": 5},
    {"at_ms": 2, "action": "restart", "node": 2}])")) ==
        "t.json: timeline[1].node: got 2, expected a node that an earlier crash, shutdown or wipe "
        "stopped (no earlier action crashes, shuts down or wipes node 2)");
}

TEST_CASE("bad snapshot configs, disks and disk faults name the path, the value and the rule") {
  const std::vector<BadCase> cases = {
      {"retention bytes zero",
       [](json& d) { d["cluster"]["config"] = {{"metadata.max.retention.bytes", 0}}; },
       R"(cluster.config."metadata.max.retention.bytes")",
       "got 0, expected an integer in 1..9223372036854775807 (bytes)"},
      {"retention ms zero",
       [](json& d) { d["cluster"]["config"] = {{"metadata.max.retention.ms", 0}}; },
       R"(cluster.config."metadata.max.retention.ms")",
       "got 0, expected an integer in 1..1000000000000 (milliseconds)"},
      {"retention ms too large",
       [](json& d) { d["cluster"]["config"] = {{"metadata.max.retention.ms", 1000000000001}}; },
       R"(cluster.config."metadata.max.retention.ms")",
       "got 1000000000001, expected an integer in 1..1000000000000"},
      {"config value of the wrong type",
       [](json& d) { d["cluster"]["config"] = {{"metadata.max.retention.ms", "7d"}}; },
       R"(cluster.config."metadata.max.retention.ms")",
       R"(got "7d", expected an integer in 1..1000000000000 (milliseconds))"},
      {"negative snapshot interval",
       [](json& d) { d["cluster"]["config"] = {{"metadata.log.max.snapshot.interval.ms", -1}}; },
       R"(cluster.config."metadata.log.max.snapshot.interval.ms")",
       "got -1, expected an integer in 0..1000000000000 (milliseconds, 0 disables time-based "
       "snapshots)"},
      {"fractional snapshot bytes",
       [](json& d) {
         d["cluster"]["config"] = {{"metadata.log.max.record.bytes.between.snapshots", 1.5}};
       },
       R"(cluster.config."metadata.log.max.record.bytes.between.snapshots")",
       "got 1.5, expected an integer in 1..9223372036854775807 (bytes)"},
      {"zero snapshot bytes",
       [](json& d) {
         d["cluster"]["config"] = {{"metadata.log.max.record.bytes.between.snapshots", 0}};
       },
       R"(cluster.config."metadata.log.max.record.bytes.between.snapshots")",
       "got 0, expected an integer in 1.."},
      {"supported configs listed",
       [](json& d) { d["cluster"]["config"] = {{"metadata.max.retention", 5}}; },
       R"(cluster.config."metadata.max.retention")",
       "controller.quorum.append.linger.ms, metadata.log.max.record.bytes.between.snapshots, "
       "metadata.log.max.snapshot.interval.ms, metadata.max.retention.bytes, "
       R"(metadata.max.retention.ms (did you mean "metadata.max.retention.ms"?))"},
      {"negative disk flush",
       [](json& d) { d["disk"] = {{"flush_ms", -1}}; }, "disk.flush_ms",
       "got -1, expected a number of milliseconds >= 0"},
      {"disk without flush_ms", [](json& d) { d["disk"] = json::object(); }, "disk.flush_ms",
       "t.json: disk.flush_ms: missing, expected a number of milliseconds >= 0"},
      {"unknown disk field", [](json& d) { d["disk"] = {{"flush_ms", 1}, {"fsync_ms", 2}}; },
       "disk.fsync_ms",
       R"(got unknown field "fsync_ms", expected one of the fields of disk: flush_ms)"},
      {"disk not an object", [](json& d) { d["disk"] = 5; }, "disk",
       "got 5, expected an object with the fields flush_ms"},
      {"slow_disk without flush_ms",
       [](json& d) {
         d["timeline"].push_back({{"at_ms", 5}, {"action", "slow_disk"}, {"node", 1}});
       },
       "timeline[2].flush_ms", "timeline[2].flush_ms: missing, expected a number of milliseconds"},
      {"slow_disk negative flush_ms",
       [](json& d) {
         d["timeline"].push_back(
             {{"at_ms", 5}, {"action", "slow_disk"}, {"node", 1}, {"flush_ms", -0.5}});
       },
       "timeline[2].flush_ms", "got -0.5, expected a number of milliseconds >= 0"},
      {"slow_disk without node",
       [](json& d) {
         d["timeline"].push_back({{"at_ms", 5}, {"action", "slow_disk"}, {"flush_ms", 3}});
       },
       "timeline[2].node", "timeline[2].node: missing, expected a node id (0..4)"},
      {"wipe without node",
       [](json& d) {
         d["timeline"].push_back({{"at_ms", 5}, {"action", "wipe"}});
       },
       "timeline[2].node", "timeline[2].node: missing, expected a node id (0..4)"},
      {"wipe with flush_ms",
       [](json& d) {
         d["timeline"].push_back({{"at_ms", 5}, {"action", "wipe"}, {"node", 1}, {"flush_ms", 3}});
       },
       "timeline[2].flush_ms", "expected one of the fields of a wipe action: at_ms, action, label, "
       "node"},
      {"flush_ms on a crash", [](json& d) { d["timeline"][0]["flush_ms"] = 1; },
       "timeline[0].flush_ms",
       "expected one of the fields of a crash action: at_ms, action, label, node, torn_write, "
       "at_next"},
      {"unknown at_next value",
       [](json& d) { d["timeline"][0]["at_next"] = "snapshot-before-sync"; },
       "timeline[0].at_next",
       R"(got "snapshot-before-sync", expected "snapshot-before-fsync", "snapshot-before-rename", )"
       R"("quorum-state-before-fsync" or "quorum-state-before-rename" (did you mean )"
       R"("snapshot-before-fsync"?))"},
      {"at_next none", [](json& d) { d["timeline"][0]["at_next"] = "none"; },
       "timeline[0].at_next", R"(got "none", expected "snapshot-before-fsync")"},
      {"at_next not a string", [](json& d) { d["timeline"][0]["at_next"] = 1; },
       "timeline[0].at_next", R"(got 1, expected "snapshot-before-fsync")"},
      {"torn_write not a bool", [](json& d) { d["timeline"][0]["torn_write"] = "yes"; },
       "timeline[0].torn_write", R"(got "yes", expected true or false)"},
      {"torn_write with at_next",
       [](json& d) {
         d["timeline"][0]["torn_write"] = true;
         d["timeline"][0]["at_next"] = "quorum-state-before-fsync";
       },
       "timeline[0].torn_write",
       R"(got true, expected false (or no "torn_write") in a crash with "at_next": a torn write )"
       R"(concerns the log tail, "at_next" a snapshot or quorum-state file)"},
      {"at_next on a shutdown",
       [](json& d) {
         d["timeline"][0]["action"] = "shutdown";
         d["timeline"][0]["at_next"] = "snapshot-before-fsync";
       },
       "timeline[0].at_next",
       "expected one of the fields of a shutdown action: at_ms, action, label, node"},
      {"torn_write on a wipe",
       [](json& d) {
         d["timeline"][0]["action"] = "wipe";
         d["timeline"][0]["torn_write"] = true;
       },
       "timeline[0].torn_write", "expected one of the fields of a wipe action"},
      {"restart of a slow_disk label",
       [](json& d) {
         d["timeline"][0] = {{"at_ms", 100},  {"action", "slow_disk"}, {"node", 2},
                             {"flush_ms", 1}, {"label", "c1"}};
       },
       "timeline[1].node",
       R"(expected the label of an earlier crash, shutdown or wipe; "c1" labels timeline[0] )"
       "(slow_disk at 100 ms)"},
      {"armed crash of a stopped node",
       [](json& d) {
         d["timeline"][0]["node"] = 2;
         d["timeline"].push_back({{"at_ms", 2000},
                                  {"action", "crash"},
                                  {"node", 2},
                                  {"at_next", "snapshot-before-rename"}});
       },
       "timeline[2].node",
       "got 2, expected a running node (node 2 is already stopped by timeline[0] (crash at 1000 "
       "ms))"},
      {"restart twice after a wipe",
       [](json& d) {
         d["timeline"][0] = {{"at_ms", 1000}, {"action", "wipe"}, {"node", 4}, {"label", "c1"}};
         d["timeline"].push_back({{"at_ms", 4000}, {"action", "restart"}, {"node", 4}});
       },
       "timeline[2].node", "(node 4 is already restarted by timeline[1] (restart at 3000 ms))"},
  };
  CHECK(cases.size() >= 12);
  check_bad_cases(cases);
}

// ---------------------------------------------------------------------------------------------
// The metadata state machine: quorum controllers, brokers and the admin workload

namespace {

using loader_cases::check_exact_cases;
using loader_cases::ExactCase;

// `json` text of a metadata scenario (3 controllers, brokers 3 and 4) with these pieces.
std::string metadata_text(const std::string& timeline, const std::string& expectations) {
  return R"({"name": "m", "description": "d", "cluster": {"controllers": 3, "brokers": 2},
             "workload": {"admin": {"topics": [{"name": "orders"}]}},
             "timeline": )" +
         timeline + R"(, "expectations": )" + expectations + "}";
}

}  // namespace

TEST_CASE("metadata enum names match the file format") {
  CHECK(sim::to_string(ActionType::ControlledShutdown) == "controlled_shutdown");
  CHECK(sim::to_string(ActionType::AlterConfig) == "alter_config");
  CHECK(sim::to_string(sim::ConditionType::BrokerLeadsNothing) == "broker_leads_nothing");
  CHECK(sim::to_string(sim::ConditionType::TopicExists) == "topic_exists");
  CHECK(sim::to_string(sim::AdminResult::Unknown) == "unknown");
}

TEST_CASE("a full metadata scenario parses to the expected values") {
  const char* text = R"({
    "name": "meta-full", "description": "every metadata field",
    "cluster": {
      "controllers": 3, "brokers": 3, "combined": 1, "state_machine": "metadata",
      "racks": {"0": "rack-a", "3": "rack-a", "4": "rack-b", "5": "rack-c"},
      "config": {"broker.session.timeout.ms": 6000, "broker.heartbeat.interval.ms": 1000,
                 "initial.broker.registration.timeout.ms": 30000,
                 "metadata.max.idle.interval.ms": 0, "auto.leader.rebalance.enable": false,
                 "leader.imbalance.check.interval.seconds": 10,
                 "unclean.leader.election.interval.ms": 5000,
                 "default.replication.factor": 2, "num.partitions": 4,
                 "controller.quorum.fetch.timeout.ms": 1500}
    },
    "workload": {"admin": {
      "topics": [{"name": "orders", "partitions": 6, "replication_factor": 3,
                  "configs": {"unclean.leader.election.enable": "true", "cleanup.policy": ""}},
                 {"name": "payments"}],
      "topics_at_ms": 500,
      "create_topics": {"count": 100, "interval_ms": 100, "start_ms": 1000, "prefix": "t-",
                        "partitions": 10, "replication_factor": 4},
      "request.timeout.ms": 5000, "default.api.timeout.ms": 20000,
      "retry.backoff.ms": 50, "retry.backoff.max.ms": 800}},
    "timeline": [
      {"at_ms": 2000, "action": "controlled_shutdown", "node": 4, "label": "cs"},
      {"at_ms": 2500, "action": "controlled_shutdown", "node": "random-broker",
       "label": "cs-random"},
      {"at_ms": 3000, "action": "crash", "node": "random-broker", "label": "crash-broker"},
      {"at_ms": 3500, "action": "controlled_shutdown", "node": "leader"},
      {"at_ms": 4000, "action": "create_topic", "label": "create",
       "topic": {"name": "audit", "partitions": 2, "replication_factor": 1,
                 "configs": {"min.insync.replicas": "1"}}},
      {"at_ms": 4500, "action": "create_topic", "topic": {"name": "defaults"}},
      {"at_ms": 5000, "action": "delete_topic", "topic": "payments"},
      {"at_ms": 5500, "action": "alter_config", "resource": "topic:orders",
       "name": "unclean.leader.election.enable", "value": "false"},
      {"at_ms": 6000, "action": "alter_config", "resource": "broker:3", "name": "x",
       "value": null},
      {"at_ms": 6500, "action": "alter_config", "resource": "cluster",
       "name": "unclean.leader.election.enable", "value": ""},
      {"at_ms": 7000, "action": "restart", "node": "label:cs"},
      {"at_ms": 7000, "action": "partition", "groups": [["random-broker"], [0, 1]]},
      {"at_ms": 7500, "action": "drop", "from": "random-broker", "to": 2},
      {"at_ms": 8000, "action": "heal"}
    ],
    "stop": {"at_ms": 20000},
    "expectations": [
      {"type": "active_controller_at_end"},
      {"type": "broker_fenced_within", "broker": 4, "after": "cs", "within_ms": 3000},
      {"type": "broker_unfenced_within", "broker": "label:crash-broker", "after": "create",
       "within_ms": 2500.5},
      {"type": "brokers_unfenced_at_end"},
      {"type": "partitions_led_at_end"},
      {"type": "leaderless_within", "after": "crash-broker", "within_ms": 1000},
      {"type": "shutdown_leadership_moved", "broker": 4},
      {"type": "shutdown_leadership_moved", "broker": "label:cs-random"},
      {"type": "admin_outcomes", "acknowledged_at_least": 105, "failed_at_most": 1},
      {"type": "topic_exists_at_end", "topic": "audit"},
      {"type": "topic_exists_at_end", "topic": "t-99"},
      {"type": "leader_at_end"}
    ]
  })";
  const sim::Scenario s = sim::parse_scenario_text(text, "meta.json");

  const sim::ClusterSpec& c = s.cluster;
  CHECK(c.state_machine == sim::StateMachineChoice::Metadata);
  CHECK(c.node_count() == 6);
  CHECK(c.combined == 1);
  CHECK(c.runs_broker(0));
  CHECK_FALSE(c.runs_broker(1));
  CHECK(c.runs_broker(5));
  CHECK(c.racks == std::map<int, std::string>{{0, "rack-a"}, {3, "rack-a"}, {4, "rack-b"},
                                              {5, "rack-c"}});
  CHECK(c.metadata.broker_session_timeout_ms == 6000);
  CHECK(c.metadata.broker_heartbeat_interval_ms == 1000);
  CHECK(c.metadata.initial_broker_registration_timeout_ms == 30'000);
  CHECK(c.metadata.metadata_max_idle_interval_ms == 0);
  CHECK_FALSE(c.metadata.auto_leader_rebalance_enable);
  CHECK(c.metadata.leader_imbalance_check_interval_seconds == 10);
  CHECK(c.metadata.unclean_leader_election_interval_ms == 5000);
  CHECK(c.metadata.default_replication_factor == 2);
  CHECK(c.metadata.num_partitions == 4);
  CHECK(c.config.fetch_timeout_ms == 1500);

  CHECK_FALSE(s.workload.enabled);
  const sim::AdminWorkloadSpec& a = s.admin;
  REQUIRE(a.topics.size() == 2);
  CHECK(a.topics[0] ==
        sim::TopicSpec{"orders", 6, 3, {{"cleanup.policy", ""},
                                        {"unclean.leader.election.enable", "true"}}});
  CHECK(a.topics[1] == sim::TopicSpec{"payments", 4, 2, {}});  // num.partitions, default RF
  CHECK(a.topics_at.us() == 500'000);
  CHECK(a.create_stream.count == 100);
  CHECK(a.create_stream.interval.us() == 100'000);
  CHECK(a.create_stream.start.us() == 1'000'000);
  CHECK(a.create_stream.prefix == "t-");
  CHECK(a.create_stream.partitions == 10);
  CHECK(a.create_stream.replication_factor == 4);
  CHECK(a.request_timeout_ms == 5000);
  CHECK(a.default_api_timeout_ms == 20'000);
  CHECK(a.retry_backoff_ms == 50);
  CHECK(a.retry_backoff_max_ms == 800);

  REQUIRE(s.timeline.size() == 14);
  const sim::Action& cs = s.timeline[0];
  CHECK(cs.type == ActionType::ControlledShutdown);
  CHECK(cs.node->kind == NodeSelector::Kind::Id);
  CHECK(cs.node->id == sim::NodeId(4));
  CHECK(s.timeline[1].node->kind == NodeSelector::Kind::RandomBroker);
  CHECK(s.timeline[2].type == ActionType::Crash);
  CHECK(s.timeline[2].node->kind == NodeSelector::Kind::RandomBroker);
  CHECK(s.timeline[3].node->kind == NodeSelector::Kind::Leader);  // combined: may be a broker
  const sim::Action& create = s.timeline[4];
  CHECK(create.type == ActionType::CreateTopic);
  CHECK(create.topic == sim::TopicSpec{"audit", 2, 1, {{"min.insync.replicas", "1"}}});
  CHECK(s.timeline[5].topic == sim::TopicSpec{"defaults", 4, 2, {}});
  CHECK(s.timeline[6].type == ActionType::DeleteTopic);
  CHECK(s.timeline[6].topic.name == "payments");
  const sim::Action& topic_config = s.timeline[7];
  CHECK(topic_config.type == ActionType::AlterConfig);
  CHECK(topic_config.config_resource_type == 2);
  CHECK(topic_config.config_resource == "orders");
  CHECK(topic_config.config_name == "unclean.leader.election.enable");
  CHECK(topic_config.config_value == std::optional<std::string>("false"));
  const sim::Action& broker_config = s.timeline[8];
  CHECK(broker_config.config_resource_type == 4);
  CHECK(broker_config.config_resource == "3");
  CHECK(broker_config.config_name == "x");
  CHECK_FALSE(broker_config.config_value.has_value());  // null deletes
  const sim::Action& cluster_config = s.timeline[9];
  CHECK(cluster_config.config_resource_type == 4);
  CHECK(cluster_config.config_resource.empty());
  CHECK(cluster_config.config_value == std::optional<std::string>(""));
  CHECK(s.timeline[10].type == ActionType::Restart);
  REQUIRE(s.timeline[11].groups.size() == 2);
  CHECK(s.timeline[11].groups[0][0].kind == NodeSelector::Kind::RandomBroker);
  CHECK(s.timeline[12].from->kind == NodeSelector::Kind::RandomBroker);

  REQUIRE(s.expectations.size() == 12);
  const auto& e = s.expectations;
  CHECK(e[0].condition.type == sim::ConditionType::ActiveController);
  CHECK(e[0].description == "at the end a quorum controller is active in the Raft leader's epoch");
  CHECK(e[1].type == ExpectationType::BrokerFencedWithin);
  CHECK(e[1].broker->kind == NodeSelector::Kind::Id);
  CHECK(e[1].broker->id == sim::NodeId(4));
  CHECK(e[1].after_label == "cs");
  CHECK(e[1].within.us() == 3'000'000);
  CHECK(e[1].description == "broker 4 is fenced within 3000 ms of 'cs'");
  CHECK(e[2].type == ExpectationType::BrokerUnfencedWithin);
  CHECK(e[2].broker->kind == NodeSelector::Kind::Label);
  CHECK(e[2].broker->label == "crash-broker");
  CHECK(e[2].within.us() == 2'500'500);
  CHECK(e[2].description ==
        "the broker of 'crash-broker' is registered and unfenced within 2500.5 ms of 'create'");
  CHECK(e[3].description == "at the end every running broker is registered and unfenced");
  CHECK(e[4].description == "at the end every partition has a leader");
  CHECK(e[5].condition.type == sim::ConditionType::PartitionLeaderless);
  CHECK(e[5].timing.kind == sim::Timing::Kind::Within);
  CHECK(e[5].timing.after == "crash-broker");
  CHECK(e[5].timing.within.us() == 1'000'000);
  CHECK(e[5].description == "within 1000 ms of 'crash-broker' some partition has no leader");
  CHECK(e[6].type == ExpectationType::ShutdownLeadershipMoved);
  CHECK(e[6].broker->id == sim::NodeId(4));
  CHECK(e[6].description ==
        "broker 4 completes its controlled shutdown with the controller's consent, leading no "
        "partition");
  CHECK(e[7].broker->label == "cs-random");
  CHECK(e[8].condition.type == sim::ConditionType::AdminOutcomes);
  CHECK(e[8].condition.value == 105);
  CHECK(e[8].condition.max_failed == 1);
  CHECK(e[8].condition.max_unknown == 0);
  CHECK(e[8].description ==
        "at the end admin requests: at least 105 acknowledged, at most 1 failed, at most 0 of "
        "unknown outcome");
  CHECK(e[9].condition.topic == "audit");
  CHECK(e[9].description == "at the end topic 'audit' exists");
  CHECK(e[10].condition.topic == "t-99");
  CHECK(e[11].condition.type == sim::ConditionType::Leader);  // Raft expectations work in both modes
}

TEST_CASE("admin workload defaults and Kafka's admin client timeout rule") {
  auto admin_of = [](const std::string& admin) {
    return sim::parse_scenario_text(
               R"({"name": "a", "description": "", "cluster": {"controllers": 1, "brokers": 1},
                   "workload": {"admin": )" +
                   admin + "}}",
               "a.json")
        .admin;
  };
  // An admin workload with nothing in it is valid: the timeline may still use the client.
  const sim::AdminWorkloadSpec empty = admin_of("{}");
  CHECK(empty.topics.empty());
  CHECK(empty.topics_at.us() == 0);
  CHECK(empty.create_stream.count == 0);
  CHECK(empty.default_api_timeout_ms == 60'000);
  // Without default.api.timeout.ms, a larger request.timeout.ms raises it (as Kafka does).
  const sim::AdminWorkloadSpec raised = admin_of(R"({"request.timeout.ms": 90000})");
  CHECK(raised.request_timeout_ms == 90'000);
  CHECK(raised.default_api_timeout_ms == 90'000);
  // A stream's defaults: start 0, prefix "topic-", num.partitions and default.replication.factor.
  const sim::AdminWorkloadSpec stream =
      admin_of(R"({"create_topics": {"count": 3, "interval_ms": 0.5}})");
  CHECK(stream.create_stream.count == 3);
  CHECK(stream.create_stream.interval.us() == 500);
  CHECK(stream.create_stream.start.us() == 0);
  CHECK(stream.create_stream.prefix == "topic-");
  CHECK(stream.create_stream.partitions == 1);
  CHECK(stream.create_stream.replication_factor == 1);
  // The longest topic name Kafka accepts, and every allowed character.
  const std::string longest(249, 'x');
  CHECK(admin_of(R"({"topics": [{"name": ")" + longest + R"("}]})").topics[0].name == longest);
  CHECK(admin_of(R"({"topics": [{"name": "aZ09._-"}]})").topics[0].name == "aZ09._-");
  // A count that ends exactly at stop.at_ms (30000) fits: 0, 100, ..., 30000 ms.
  CHECK(admin_of(R"({"create_topics": {"count": 301, "interval_ms": 100}})").create_stream.count ==
        301);
}

TEST_CASE("combined controllers run the broker role") {
  const sim::Scenario s = sim::parse_scenario_text(
      R"({"name": "c", "description": "", "cluster": {"controllers": 3, "combined": 3,
          "racks": {"0": "a", "1": "b", "2": "c"}},
          "workload": {"admin": {"topics": [{"name": "t", "replication_factor": 3}]}},
          "timeline": [
            {"at_ms": 1000, "action": "controlled_shutdown", "node": "follower", "label": "f"},
            {"at_ms": 2000, "action": "alter_config", "resource": "broker:2", "name": "k",
             "value": "v"}],
          "expectations": [{"type": "shutdown_leadership_moved", "broker": "label:f"},
                           {"type": "broker_fenced_within", "broker": 1, "after": "f",
                            "within_ms": 100}]})",
      "c.json");
  CHECK(s.cluster.combined == 3);
  CHECK(s.cluster.node_count() == 3);
  CHECK(s.cluster.racks.size() == 3);
  CHECK(s.admin.topics[0].replication_factor == 3);
  CHECK(s.timeline[0].node->kind == NodeSelector::Kind::Follower);
  CHECK(s.timeline[1].config_resource == "2");
  CHECK(s.expectations[0].broker->label == "f");
}

TEST_CASE("controlled shutdowns stop their node and restarts may name them") {
  auto parses = [](const std::string& timeline, const std::string& expectations = "[]") {
    try {
      sim::parse_scenario_text(metadata_text(timeline, expectations), "t.json");
      return std::string("ok");
    } catch (const ScenarioError& e) {
      return std::string(e.what());
    }
  };
  CHECK(parses(R"([{"at_ms": 1, "action": "controlled_shutdown", "node": 3, "label": "cs"},
                   {"at_ms": 2, "action": "restart", "node": "label:cs"}])") == "ok");
  CHECK(parses(R"([{"at_ms": 1, "action": "controlled_shutdown", "node": 3},
                   {"at_ms": 2, "action": "crash", "node": 3}])") ==
        "t.json: timeline[1].node: got 3, expected a running node (node 3 is already stopped by "
        "timeline[0] (controlled_shutdown at 1 ms))");
  CHECK(parses(R"([{"at_ms": 1, "action": "isolate", "node": 1, "label": "i"},
                   {"at_ms": 2, "action": "controlled_shutdown", "node": "label:i"}])") ==
        R"(t.json: timeline[1].node: got "label:i", expected a node running the broker role: )"
        R"(an id among 3..4, "random-broker", "brokers", "label:<name>" or an array of them )"
        R"(("label:i" names node 1, which )"
        "runs only the controller role)");
  CHECK(parses(R"([{"at_ms": 1, "action": "pause", "node": "random-broker", "label": "p"},
                   {"at_ms": 2, "action": "controlled_shutdown", "node": "label:p", "label": "c"},
                   {"at_ms": 3, "action": "restart", "node": "label:c"}])") == "ok");
  CHECK(parses(R"([{"at_ms": 1, "action": "restart", "node": "random-broker"}])") ==
        R"(t.json: timeline[0].node: got "random-broker", expected a node id (0..4), )"
        R"("controllers", "brokers", "all", "label:<name>" of an earlier crash, shutdown, )"
        R"(controlled_shutdown or wipe, or an array of them (a restart targets stopped nodes, )"
        R"(never "leader", "follower", "followers" or a "random-..." node))");
  CHECK(parses(R"([{"at_ms": 1, "action": "partition",
                    "groups": [["random-broker"], ["random-broker"]]}])") ==
        R"(t.json: timeline[0].groups[1][0]: got "random-broker", expected a node that is in no )"
        R"(other group ("random-broker" is already in groups[0]))");
  // shutdown_leadership_moved names a broker a controlled_shutdown targets, by id or label.
  CHECK(parses(R"([{"at_ms": 1, "action": "controlled_shutdown", "node": 3, "label": "cs"},
                   {"at_ms": 2, "action": "crash", "node": "label:cs", "label": "again"}])",
               R"([{"type": "shutdown_leadership_moved", "broker": 3}])") ==
        "t.json: timeline[1].node: got \"label:cs\", expected a running node (node 3 is already "
        "stopped by timeline[0] (controlled_shutdown at 1 ms))");
  CHECK(parses(R"([{"at_ms": 1, "action": "isolate", "node": 4, "label": "i"},
                   {"at_ms": 2, "action": "controlled_shutdown", "node": "label:i"}])",
               R"([{"type": "shutdown_leadership_moved", "broker": 4}])") == "ok");
  CHECK(parses(R"([{"at_ms": 1, "action": "controlled_shutdown", "node": "random-broker"}])",
               R"([{"type": "shutdown_leadership_moved", "broker": 3}])") ==
        R"(t.json: expectations[0].broker: got 3, expected "label:<name>" of a )"
        "controlled_shutdown action, or the id of a broker that one targets (no "
        "controlled_shutdown targets node 3)");
}

TEST_CASE("bad clusters, configs and workloads of the two state machines") {
  const std::string ms_positive =
      "a number of milliseconds > 0 (at least 1 microsecond after rounding, at most "
      "1000000000000)";
  auto counter = [](json& d) { d["cluster"]["state_machine"] = "counter"; };
  const std::vector<ExactCase> cases = {
      {"state machine typo", [](json& d) { d["cluster"]["state_machine"] = "metdata"; },
       R"(t.json: cluster.state_machine: got "metdata", expected "metadata" or "counter" )"
       R"((quorum controllers and brokers, or the replicated counter) (did you mean "metadata"?))"},
      {"combined above controllers", [](json& d) { d["cluster"]["combined"] = 4; },
       "t.json: cluster.combined: got 4, expected an integer in 0..3 (at most "
       "cluster.controllers)"},
      {"combined with the counter",
       [&](json& d) {
         counter(d);
         d["cluster"]["combined"] = 1;
       },
       "t.json: cluster.combined: got 1, expected 0: a combined controller also runs a broker, "
       R"(which needs cluster.state_machine "metadata" (this cluster runs "counter"))"},
      {"rack of a controller", [](json& d) { d["cluster"]["racks"] = {{"1", "a"}}; },
       R"(t.json: cluster.racks."1": got key "1", expected the id of a node running the broker )"
       "role, as a string (3..4)"},
      {"rack key with a leading zero", [](json& d) { d["cluster"]["racks"] = {{"03", "a"}}; },
       R"(t.json: cluster.racks."03": got key "03", expected the id of a node running the )"
       "broker role, as a string (3..4)"},
      {"rack of an unknown node", [](json& d) { d["cluster"]["racks"] = {{"5", "a"}}; },
       R"(t.json: cluster.racks."5": got key "5", expected the id of a node running the )"
       "broker role, as a string (3..4)"},
      {"empty rack name", [](json& d) { d["cluster"]["racks"] = {{"3", ""}}; },
       R"(t.json: cluster.racks."3": got "", expected a rack name, a non-empty string)"},
      {"racks not an object", [](json& d) { d["cluster"]["racks"] = json::array({"a"}); },
       R"(t.json: cluster.racks: got ["a"], expected an object of broker node ids (as strings) )"
       R"(to rack names, e.g. {"3": "rack-a", "4": "rack-b"})"},
      {"racks with the counter",
       [&](json& d) {
         counter(d);
         d["cluster"]["racks"] = {{"3", "a"}};
       },
       R"(t.json: cluster.racks: got {"3":"a"}, expected no racks: broker.rack configures )"
       R"(brokers, which need cluster.state_machine "metadata" (this cluster runs "counter"))"},
      {"metadata config with the counter",
       [&](json& d) {
         counter(d);
         d["cluster"]["config"] = {{"broker.session.timeout.ms", 5000}};
       },
       R"(t.json: cluster.config."broker.session.timeout.ms": got 5000, expected no )"
       R"("broker.session.timeout.ms": it configures the quorum controllers and brokers, which )"
       R"(need cluster.state_machine "metadata" (this cluster runs "counter"))"},
      {"boolean config as a string",
       [](json& d) { d["cluster"]["config"] = {{"auto.leader.rebalance.enable", "false"}}; },
       R"(t.json: cluster.config."auto.leader.rebalance.enable": got "false", expected true or )"
       "false (a JSON boolean)"},
      {"negative idle interval",
       [](json& d) { d["cluster"]["config"] = {{"metadata.max.idle.interval.ms", -1}}; },
       R"(t.json: cluster.config."metadata.max.idle.interval.ms": got -1, expected an integer )"
       "in 0..2147483647 (milliseconds, 0 disables the active controller's no-op records)"},
      {"imbalance check of zero seconds",
       [](json& d) { d["cluster"]["config"] = {{"leader.imbalance.check.interval.seconds", 0}}; },
       R"(t.json: cluster.config."leader.imbalance.check.interval.seconds": got 0, expected an )"
       "integer in 1..1000000000 (seconds)"},
      {"replication factor above a short",
       [](json& d) { d["cluster"]["config"] = {{"default.replication.factor", 40000}}; },
       R"(t.json: cluster.config."default.replication.factor": got 40000, expected an integer )"
       "in 1..32767 (replicas of a topic created without a replication factor)"},
      {"metadata config misspelt",
       [](json& d) { d["cluster"]["config"] = {{"broker.session.timeout", 1}}; },
       R"(t.json: cluster.config."broker.session.timeout": got unknown config )"
       R"("broker.session.timeout", expected one of the supported Kafka configs: )"
       "controller.quorum.election.timeout.ms, controller.quorum.fetch.timeout.ms, "
       "controller.quorum.election.backoff.max.ms, controller.quorum.request.timeout.ms, "
       "controller.quorum.retry.backoff.ms, controller.quorum.append.linger.ms, "
       "metadata.log.max.record.bytes.between.snapshots, metadata.log.max.snapshot.interval.ms, "
       "metadata.max.retention.bytes, metadata.max.retention.ms, broker.session.timeout.ms, "
       "broker.heartbeat.interval.ms, initial.broker.registration.timeout.ms, "
       "metadata.max.idle.interval.ms, auto.leader.rebalance.enable, "
       "leader.imbalance.check.interval.seconds, unclean.leader.election.interval.ms, "
       R"(default.replication.factor, num.partitions (did you mean "broker.session.timeout.ms"?))"},
      {"counter appends in a metadata cluster",
       [](json& d) { d["workload"]["append_interval_ms"] = 10; },
       R"(t.json: workload.append_interval_ms: got 10, expected no "append_interval_ms": the )"
       R"(counter's appends need cluster.state_machine "counter" (this cluster runs "metadata"))"},
      {"record size in a metadata cluster",
       [](json& d) { d["workload"] = {{"record_bytes", 10}}; },
       R"(t.json: workload.record_bytes: got 10, expected no "record_bytes": the counter's )"
       R"(appends need cluster.state_machine "counter" (this cluster runs "metadata"))"},
      {"admin workload with the counter",
       [&](json& d) {
         counter(d);
         d.erase("expectations");
       },
       R"(t.json: workload.admin: got {"topics":[{"name":"orders","partitions":6,)"
       R"("replication_factor":2}]}, expected no "admin": the admin workload needs )"
       R"(cluster.state_machine "metadata" (this cluster runs "counter"))"},
      {"empty workload of a metadata cluster", [](json& d) { d["workload"] = json::object(); },
       R"(t.json: workload.admin: missing, expected the admin workload, e.g. {"topics": )"
       R"([{"name": "orders"}]} (a "metadata" cluster has no counter appends))"},
      {"unknown admin field",
       [](json& d) { d["workload"]["admin"]["topic"] = json::array(); },
       R"(t.json: workload.admin.topic: got unknown field "topic", expected one of the fields )"
       "of the admin workload: topics, topics_at_ms, create_topics, request.timeout.ms, "
       "default.api.timeout.ms, retry.backoff.ms, retry.backoff.max.ms (did you mean "
       "\"topics\"?)"},
      {"topic name with a blank",
       [](json& d) { d["workload"]["admin"]["topics"][0]["name"] = "a b"; },
       R"(t.json: workload.admin.topics[0].name: got "a b", expected a Kafka topic name: 1 to )"
       R"(249 letters, digits, '.', '_' or '-', not "." or "..")"},
      {"topic name ..", [](json& d) { d["workload"]["admin"]["topics"][0]["name"] = ".."; },
       R"(t.json: workload.admin.topics[0].name: got "..", expected a Kafka topic name: 1 to )"
       R"(249 letters, digits, '.', '_' or '-', not "." or "..")"},
      {"topic name too long",
       [](json& d) { d["workload"]["admin"]["topics"][0]["name"] = std::string(250, 'x'); },
       "t.json: workload.admin.topics[0].name: got \"" + std::string(76, 'x') +
           R"(..., expected a Kafka topic name: 1 to 249 letters, digits, '.', '_' or '-', )"
           R"(not "." or "..")"},
      {"topic without a name",
       [](json& d) { d["workload"]["admin"]["topics"][0].erase("name"); },
       R"(t.json: workload.admin.topics[0].name: missing, expected a Kafka topic name: 1 to )"
       R"(249 letters, digits, '.', '_' or '-', not "." or "..")"},
      {"duplicate topic",
       [](json& d) { d["workload"]["admin"]["topics"].push_back({{"name", "orders"}}); },
       R"(t.json: workload.admin.topics[1].name: got "orders", expected a topic name not used )"
       "by another topic (workload.admin.topics[0] already has it)"},
      {"topics colliding by '.' and '_'",
       [](json& d) {
         d["workload"]["admin"]["topics"] = {{{"name", "a_b"}}, {{"name", "a.b"}}};
       },
       R"(t.json: workload.admin.topics[1].name: got "a.b", expected a topic name that does not )"
       R"(collide with workload.admin.topics[0] ("a_b"): Kafka refuses topic names that differ )"
       "only by '.' versus '_'"},
      {"empty topics", [](json& d) { d["workload"]["admin"]["topics"] = json::array(); },
       R"(t.json: workload.admin.topics: got [], expected a non-empty array of topics, e.g. )"
       R"([{"name": "orders", "partitions": 6, "replication_factor": 3}])"},
      {"zero partitions",
       [](json& d) { d["workload"]["admin"]["topics"][0]["partitions"] = 0; },
       "t.json: workload.admin.topics[0].partitions: got 0, expected an integer in 1..1000000"},
      {"replication factor above the brokers",
       [](json& d) { d["workload"]["admin"]["topics"][0]["replication_factor"] = 3; },
       "t.json: workload.admin.topics[0].replication_factor: got 3, expected an integer in 1..2 "
       "(the number of nodes running the broker role)"},
      {"default replication factor above the brokers",
       [](json& d) {
         d["cluster"]["config"] = {{"default.replication.factor", 3}};
         d["workload"]["admin"]["topics"][0].erase("replication_factor");
       },
       "t.json: workload.admin.topics[0].replication_factor: missing, expected an integer in "
       "1..2 (the number of nodes running the broker role), since the default, "
       R"(cluster.config."default.replication.factor" = 3, is too large)"},
      {"topic without brokers",
       [](json& d) {
         d["cluster"]["brokers"] = 0;
         d["workload"]["admin"]["topics"] = {{{"name", "x"}}};
       },
       R"(t.json: workload.admin.topics[0]: got {"name":"x"}, expected no topic: topics need )"
       "nodes running the broker role, and this cluster has none (cluster.brokers and "
       "cluster.combined are 0)"},
      {"topic config value not a string",
       [](json& d) {
         d["workload"]["admin"]["topics"][0]["configs"] = {{"min.insync.replicas", 2}};
       },
       R"(t.json: workload.admin.topics[0].configs."min.insync.replicas": got 2, expected a )"
       R"(string (Kafka config values are strings: "true", "2"))"},
      {"topics_at_ms without topics",
       [](json& d) { d["workload"]["admin"] = {{"topics_at_ms", 5}}; },
       R"(t.json: workload.admin.topics_at_ms: got 5, expected no "topics_at_ms" without )"
       R"("topics" (it says when they are created))"},
      {"topics_at_ms after stop",
       [](json& d) { d["workload"]["admin"]["topics_at_ms"] = 40000; },
       "t.json: workload.admin.topics_at_ms: got 40000, expected a time in milliseconds in [0, "
       "30000] (not after stop.at_ms)"},
      {"stream past stop",
       [](json& d) {
         d["workload"]["admin"]["create_topics"] = {
             {"count", 300}, {"interval_ms", 100}, {"start_ms", 1000}};
       },
       "t.json: workload.admin.create_topics.count: got 300, expected an integer in 0..291 (the "
       "last creation, at start_ms + (count - 1) * interval_ms, must not be after stop.at_ms = "
       "30000)"},
      {"stream without interval",
       [](json& d) { d["workload"]["admin"]["create_topics"] = {{"count", 3}}; },
       "t.json: workload.admin.create_topics.interval_ms: missing, expected " + ms_positive},
      {"stream prefix with a slash",
       [](json& d) {
         d["workload"]["admin"]["create_topics"] = {
             {"count", 100}, {"interval_ms", 10}, {"prefix", "t/"}};
       },
       R"(t.json: workload.admin.create_topics.prefix: got "t/", expected a topic name prefix: )"
       R"(letters, digits, '.', '_' or '-' (or ""), at most 247 characters so that )"
       R"("<prefix>99" is a valid topic name)"},
      {"stream prefix too long",
       [](json& d) {
         d["workload"]["admin"]["create_topics"] = {
             {"count", 10}, {"interval_ms", 10}, {"prefix", std::string(249, 'p')}};
       },
       "t.json: workload.admin.create_topics.prefix: got \"" + std::string(76, 'p') +
           R"(..., expected a topic name prefix: letters, digits, '.', '_' or '-' (or ""), at )"
           R"(most 248 characters so that "<prefix>9" is a valid topic name)"},
      {"stream creating a listed topic",
       [](json& d) {
         d["workload"]["admin"]["topics"][0]["name"] = "t.5";
         d["workload"]["admin"]["create_topics"] = {
             {"count", 10}, {"interval_ms", 10}, {"prefix", "t_"}};
       },
       R"(t.json: workload.admin.topics[0].name: got "t.5", expected a topic name that )"
       R"(workload.admin.create_topics does not also create (it creates "t_0" .. "t_9"; Kafka )"
       "treats '.' and '_' alike)"},
      {"api timeout below the request timeout",
       [](json& d) { d["workload"]["admin"]["default.api.timeout.ms"] = 1000; },
       R"(t.json: workload.admin."default.api.timeout.ms": got 1000, expected an integer in )"
       "30000..2147483647 (milliseconds, at least request.timeout.ms = 30000, as Kafka's admin "
       "client requires)"},
      {"backoff cap below the backoff",
       [](json& d) {
         d["workload"]["admin"]["retry.backoff.ms"] = 500;
         d["workload"]["admin"]["retry.backoff.max.ms"] = 200;
       },
       R"(t.json: workload.admin."retry.backoff.max.ms": got 200, expected an integer in )"
       "500..1000000000000 (milliseconds, at least retry.backoff.ms = 500)"},
      {"backoff above the default cap",
       [](json& d) { d["workload"]["admin"]["retry.backoff.ms"] = 2000; },
       R"(t.json: workload.admin."retry.backoff.ms": got 2000, expected an integer in 0..1000 )"
       "(milliseconds, at most retry.backoff.max.ms = 1000, its default)"},
      {"zero request timeout",
       [](json& d) { d["workload"]["admin"]["request.timeout.ms"] = 0; },
       R"(t.json: workload.admin."request.timeout.ms": got 0, expected an integer in )"
       "1..2147483647 (milliseconds, a timeout must be positive)"},
  };
  CHECK(cases.size() >= 40);
  check_exact_cases(metadata_base, cases);
}

TEST_CASE("bad metadata actions and selectors") {
  auto add = [](json action) {
    return [action](json& d) { d["timeline"].push_back(action); };
  };
  const std::string broker_target =
      R"(a node running the broker role: an id among 3..4, "random-broker", "brokers", )"
      R"("label:<name>" or an array of them)";
  const std::string topic_rule =
      R"(a Kafka topic name: 1 to 249 letters, digits, '.', '_' or '-', not "." or "..")";
  const std::vector<ExactCase> cases = {
      {"controlled shutdown of a controller",
       add({{"at_ms", 5}, {"action", "controlled_shutdown"}, {"node", 1}}),
       "t.json: timeline[2].node: got 1, expected " + broker_target +
           " (node 1 runs only the controller role)"},
      {"controlled shutdown of the leader without combined nodes",
       add({{"at_ms", 5}, {"action", "controlled_shutdown"}, {"node", "leader"}}),
       R"(t.json: timeline[2].node: got "leader", expected )" + broker_target +
           R"( ("leader" names a controller, and no controller runs the broker role: )"
           "cluster.combined is 0)"},
      {"controlled shutdown without node",
       add({{"at_ms", 5}, {"action", "controlled_shutdown"}}),
       "t.json: timeline[2].node: missing, expected " + broker_target},
      {"controlled shutdown without brokers",
       [](json& d) {
         d["cluster"]["brokers"] = 0;
         d.erase("workload");
         d.erase("expectations");
         d["timeline"] = {{{"at_ms", 5}, {"action", "controlled_shutdown"}, {"node", 2}}};
       },
       "t.json: timeline[0].node: got 2, expected a node running the broker role, but this "
       "cluster has none (cluster.brokers and cluster.combined are 0) (node 2 runs only the "
       "controller role)"},
      {"create_topic without topic", add({{"at_ms", 5}, {"action", "create_topic"}}),
       R"(t.json: timeline[2].topic: missing, expected a topic, e.g. {"name": "orders", )"
       R"("partitions": 6, "replication_factor": 3})"},
      {"create_topic with too many replicas",
       add({{"at_ms", 5},
            {"action", "create_topic"},
            {"topic", {{"name", "x"}, {"replication_factor", 5}}}}),
       "t.json: timeline[2].topic.replication_factor: got 5, expected an integer in 1..2 (the "
       "number of nodes running the broker role)"},
      {"create_topic with an unknown topic field",
       add({{"at_ms", 5},
            {"action", "create_topic"},
            {"topic", {{"name", "x"}, {"partition", 5}}}}),
       R"(t.json: timeline[2].topic.partition: got unknown field "partition", expected one of )"
       "the fields of a topic: name, partitions, replication_factor, configs (did you mean "
       "\"partitions\"?)"},
      {"delete_topic of an empty name",
       add({{"at_ms", 5}, {"action", "delete_topic"}, {"topic", ""}}),
       R"(t.json: timeline[2].topic: got "", expected )" + topic_rule},
      {"delete_topic given a topic object",
       add({{"at_ms", 5}, {"action", "delete_topic"}, {"topic", {{"name", "x"}}}}),
       R"(t.json: timeline[2].topic: got {"name":"x"}, expected )" + topic_rule},
      {"delete_topic with a node",
       add({{"at_ms", 5}, {"action", "delete_topic"}, {"topic", "x"}, {"node", 3}}),
       R"(t.json: timeline[2].node: got unknown field "node", expected one of the fields of a )"
       "delete_topic action: at_ms, action, label, topic, repeat"},
      {"alter_config resource misspelt",
       add({{"at_ms", 5},
            {"action", "alter_config"},
            {"resource", "clustr"},
            {"name", "k"},
            {"value", "v"}}),
       R"(t.json: timeline[2].resource: got "clustr", expected "topic:<name>", "broker:<id>" )"
       R"(where <id> is a node running the broker role (3..4), or "cluster" (the cluster-wide )"
       R"(default of broker configs) (did you mean "cluster"?))"},
      {"alter_config of a controller",
       add({{"at_ms", 5},
            {"action", "alter_config"},
            {"resource", "broker:1"},
            {"name", "k"},
            {"value", "v"}}),
       R"(t.json: timeline[2].resource: got "broker:1", expected "broker:<id>" where <id> is a )"
       "node running the broker role (3..4)"},
      {"alter_config of a bad topic name",
       add({{"at_ms", 5},
            {"action", "alter_config"},
            {"resource", "topic:a/b"},
            {"name", "k"},
            {"value", "v"}}),
       R"(t.json: timeline[2].resource: got "topic:a/b", expected "topic:<name>" where <name> )"
       "is " +
           topic_rule},
      {"alter_config without value",
       add({{"at_ms", 5}, {"action", "alter_config"}, {"resource", "cluster"}, {"name", "k"}}),
       "t.json: timeline[2].value: missing, expected a string (the new value), or null to "
       "delete the config"},
      {"alter_config with a number",
       add({{"at_ms", 5},
            {"action", "alter_config"},
            {"resource", "cluster"},
            {"name", "k"},
            {"value", 5}}),
       "t.json: timeline[2].value: got 5, expected a string (the new value), or null to delete "
       "the config"},
      {"alter_config with an empty name",
       add({{"at_ms", 5},
            {"action", "alter_config"},
            {"resource", "cluster"},
            {"name", ""},
            {"value", "v"}}),
       R"(t.json: timeline[2].name: got "", expected a config name, a non-empty string (e.g. )"
       R"("unclean.leader.election.enable"))"},
      {"misspelt random-broker", [](json& d) { d["timeline"][0]["node"] = "random-broke"; },
       R"(t.json: timeline[0].node: got "random-broke", expected a node id (0..4), "leader", )"
       R"("follower", "random-controller", "random-node", "random-broker", "controllers", )"
       R"("followers", "brokers", "all", "label:<name>" or an array of them (did you mean )"
       R"("random-broker"?))"},
      {"unknown metadata action", [](json& d) { d["timeline"][0]["action"] = "create-topic"; },
       "t.json: timeline[0].action: got \"create-topic\", expected one of "
       "crash|restart|shutdown|isolate|partition|drop|heal|pause|resume|wipe|slow_disk|"
       "slow_link|restore_link|clock_drift|"
       "controlled_shutdown|create_topic|delete_topic|alter_config (did you mean "
       "\"create_topic\"?)"},
  };
  check_exact_cases(metadata_base, cases);

  const std::vector<ExactCase> counter_cases = {
      {"create_topic with the counter",
       [](json& d) {
         d["timeline"].push_back(
             {{"at_ms", 5}, {"action", "create_topic"}, {"topic", {{"name", "x"}}}});
       },
       R"(t.json: timeline[2].action: got "create_topic", expected one of )"
       "crash|restart|shutdown|isolate|partition|drop|heal|pause|resume|wipe|slow_disk|"
       "slow_link|restore_link|clock_drift "
       R"(("create_topic" needs cluster.state_machine "metadata" (this cluster runs )"
       R"("counter")))"},
      {"random-broker with the counter",
       [](json& d) { d["timeline"][0]["node"] = "random-broker"; },
       R"(t.json: timeline[0].node: got "random-broker", expected a node id (0..4), "leader", )"
       R"("follower", "random-controller", "random-node", "controllers", "followers", )"
       R"("brokers", "all", "label:<name>" or an array of them; "random-broker" needs )"
       R"(cluster.state_machine )"
       R"("metadata" (this cluster runs "counter"))"},
      {"metadata expectation with the counter",
       [](json& d) { d["expectations"].push_back({{"type", "partitions_led_at_end"}}); },
       R"(t.json: expectations[1].type: got "partitions_led_at_end", expected one of )"
       "leader|no_leader|high_watermark_at_least|caught_up|no_committed_record_lost|"
       "snapshots_downloaded_at_least|leader_at_end|no_leader_at_end|caught_up_at_end|"
       "leader_elected_within|no_progress_between|progress_between|"
       "restart_resumes_from_local_log "
       R"(("partitions_led_at_end" needs cluster.state_machine "metadata" (this cluster runs )"
       R"("counter")))"},
  };
  check_exact_cases(base_scenario, counter_cases);
}

TEST_CASE("bad metadata expectations") {
  auto set = [](json expectation) {
    return [expectation](json& d) { d["expectations"] = {expectation}; };
  };
  const std::string broker_expected =
      R"(a node running the broker role: an id among 3..4 or "label:<name>" of an action that )"
      "targets one";
  const std::vector<ExactCase> cases = {
      {"broker that is a controller",
       set({{"type", "broker_fenced_within"}, {"broker", 1}, {"after", "c1"}, {"within_ms", 5}}),
       "t.json: expectations[0].broker: got 1, expected " + broker_expected +
           " (node 1 runs only the controller role)"},
      {"broker out of range",
       set({{"type", "broker_fenced_within"}, {"broker", 7}, {"after", "c1"}, {"within_ms", 5}}),
       "t.json: expectations[0].broker: got 7, expected " + broker_expected},
      {"broker given as leader",
       set({{"type", "broker_unfenced_within"},
            {"broker", "leader"},
            {"after", "c1"},
            {"within_ms", 5}}),
       R"(t.json: expectations[0].broker: got "leader", expected )" + broker_expected},
      {"broker label unknown",
       set({{"type", "broker_fenced_within"},
            {"broker", "label:c2"},
            {"after", "c1"},
            {"within_ms", 5}}),
       R"(t.json: expectations[0].broker: got "label:c2", expected )" + broker_expected +
           R"(; no action is labelled "c2" (labels: "c1" or "r1") (did you mean "c1"?))"},
      {"broker label of a controller",
       [](json& d) {
         d["timeline"].push_back(
             {{"at_ms", 5}, {"action", "isolate"}, {"node", 2}, {"label", "i"}});
         d["expectations"][0]["broker"] = "label:i";
       },
       R"(t.json: expectations[0].broker: got "label:i", expected )" + broker_expected +
           R"( ("label:i" names node 2, which runs only the controller role))"},
      {"broker label of a heal",
       [](json& d) {
         d["timeline"].push_back({{"at_ms", 5}, {"action", "heal"}, {"label", "h"}});
         d["expectations"][0]["broker"] = "label:h";
       },
       R"(t.json: expectations[0].broker: got "label:h", expected )" + broker_expected +
           R"(; "h" labels timeline[2] (heal at 5 ms))"},
      {"fenced without broker",
       set({{"type", "broker_fenced_within"}, {"after", "c1"}, {"within_ms", 5}}),
       "t.json: expectations[0].broker: missing, expected " + broker_expected},
      {"fenced after an unknown label",
       set({{"type", "broker_fenced_within"}, {"broker", 3}, {"after", "x"}, {"within_ms", 5}}),
       R"(t.json: expectations[0].after: got "x", expected the label of a timeline action )"
       R"((labels: "c1" or "r1") (did you mean "c1"?))"},
      {"leaderless without within",
       set({{"type", "leaderless_within"}, {"after", "c1"}}),
       "t.json: expectations[0].within_ms: missing, expected a number of milliseconds > 0 (at "
       "least 1 microsecond after rounding, at most 1000000000000)"},
      {"shutdown of a crashed broker",
       set({{"type", "shutdown_leadership_moved"}, {"broker", "label:c1"}}),
       R"(t.json: expectations[0].broker: got "label:c1", expected "label:<name>" of a )"
       "controlled_shutdown action, or the id of a broker that one targets; \"c1\" labels "
       "timeline[0] (crash at 1000 ms)"},
      {"shutdown of a broker no action shuts down",
       set({{"type", "shutdown_leadership_moved"}, {"broker", 4}}),
       R"(t.json: expectations[0].broker: got 4, expected "label:<name>" of a )"
       "controlled_shutdown action, or the id of a broker that one targets (no "
       "controlled_shutdown targets node 4)"},
      {"more acknowledgements than requests",
       set({{"type", "admin_outcomes"}, {"acknowledged_at_least", 2}}),
       "t.json: expectations[0].acknowledged_at_least: got 2, expected an integer in 0..1 (the "
       "number of admin requests the scenario submits: workload.admin.topics, "
       "workload.admin.create_topics and the create_topic, delete_topic and alter_config "
       "actions)"},
      {"admin outcomes without acknowledged", set({{"type", "admin_outcomes"}}),
       "t.json: expectations[0].acknowledged_at_least: missing, expected an integer in 0..1 (the "
       "number of admin requests the scenario submits: workload.admin.topics, "
       "workload.admin.create_topics and the create_topic, delete_topic and alter_config "
       "actions)"},
      {"negative failed_at_most",
       set({{"type", "admin_outcomes"}, {"acknowledged_at_least", 1}, {"failed_at_most", -1}}),
       "t.json: expectations[0].failed_at_most: got -1, expected an integer in "
       "0..9223372036854775807"},
      {"admin outcomes misspelt field",
       set({{"type", "admin_outcomes"}, {"acknowledged_at_least", 1}, {"unknown_at_mots", 1}}),
       R"(t.json: expectations[0].unknown_at_mots: got unknown field "unknown_at_mots", )"
       "expected one of the fields of an admin_outcomes expectation: type, "
       "acknowledged_at_least, failed_at_most, unknown_at_most, at_ms, by_ms, after, "
       "within_ms, always, from_ms, to_ms (did you mean "
       "\"unknown_at_most\"?)"},
      {"topic never created", set({{"type", "topic_exists_at_end"}, {"topic", "order"}}),
       R"(t.json: expectations[0].topic: got "order", expected a topic the scenario creates (in )"
       "workload.admin.topics, workload.admin.create_topics or a create_topic action) (did you "
       "mean \"orders\"?)"},
      {"topic of a bad name", set({{"type", "topic_exists_at_end"}, {"topic", "."}}),
       R"(t.json: expectations[0].topic: got ".", expected a Kafka topic name: 1 to 249 )"
       R"(letters, digits, '.', '_' or '-', not "." or "..")"},
      {"field of another expectation",
       set({{"type", "brokers_unfenced_at_end"}, {"broker", 3}}),
       R"(t.json: expectations[0].broker: got unknown field "broker", expected one of the )"
       "fields of a brokers_unfenced_at_end expectation: type"},
      {"misspelt metadata expectation", set({{"type", "partition_led_at_end"}}),
       R"(t.json: expectations[0].type: got "partition_led_at_end", expected one of )"
       "leader|no_leader|high_watermark_at_least|caught_up|no_committed_record_lost|"
       "snapshots_downloaded_at_least|active_controller|no_active_controller|brokers_unfenced|"
       "broker_fenced|broker_unfenced|broker_leads_nothing|partitions_led|partition_leaderless|live_partitions_led|"
       "topic_exists|topic_absent|images_agree|admin_request|admin_outcomes|leader_at_end|"
       "no_leader_at_end|caught_up_at_end|active_controller_at_end|brokers_unfenced_at_end|"
       "partitions_led_at_end|topic_exists_at_end|leaderless_within|leader_elected_within|"
       "failover_within|no_progress_between|progress_between|broker_fenced_within|"
       "broker_unfenced_within|shutdown_leadership_moved|restart_resumes_from_local_log "
       R"((did you mean "partitions_led_at_end"?))"},
  };
  check_exact_cases(metadata_base, cases);
}
