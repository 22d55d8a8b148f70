// Loader tests of the expectation language of issue 5 (scenarios/README.md, "stop" and
// "expectations"): every timing and condition form parses into Condition / Timing / StopSpec::when
// with its description, and every mistake is rejected with the JSON path, the value and what was
// expected.
#include "sim/scenario/scenario_loader.hh"
#include "support/loader_cases.hh"

#include <doctest/doctest.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using nlohmann::json;
using sim::ConditionType;
using sim::Duration;
using sim::Expectation;
using sim::Instant;
using sim::NodeId;
using sim::NodeSelector;
using sim::ScenarioError;
using sim::Timing;

// A metadata scenario (3 controllers, brokers 3 and 4, topic "orders" at 0 ms), stopping at 10 s:
// broker 4 crashed at 1 s ("c1") and restarted at 3 s ("r1"), topic "audit" created at 2 s
// ("create-audit") and "orders" deleted at 4 s ("drop-orders").
json metadata_base() {
  return json::parse(R"({
    "name": "meta",
    "description": "expectation timings",
    "cluster": {"controllers": 3, "brokers": 2},
    "workload": {"admin": {"topics": [{"name": "orders", "partitions": 2, "replication_factor": 2}]}},
    "timeline": [
      {"at_ms": 1000, "action": "crash", "node": 4, "label": "c1"},
      {"at_ms": 2000, "action": "create_topic", "topic": {"name": "audit"}, "label": "create-audit"},
      {"at_ms": 3000, "action": "restart", "node": "label:c1", "label": "r1"},
      {"at_ms": 4000, "action": "delete_topic", "topic": "orders", "label": "drop-orders"}
    ],
    "stop": {"at_ms": 10000},
    "expectations": []
  })");
}

// A counter scenario (3 voters, 2 observers), stopping at 10 s: the leader crashed at 1 s.
json counter_base() {
  return json::parse(R"({
    "name": "counter",
    "description": "expectation timings on the counter",
    "cluster": {"controllers": 3, "brokers": 2, "state_machine": "counter"},
    "workload": {"append_interval_ms": 10},
    "timeline": [{"at_ms": 1000, "action": "crash", "node": "leader", "label": "c1"}],
    "stop": {"at_ms": 10000},
    "expectations": []
  })");
}

sim::Scenario parse(const json& doc) { return sim::parse_scenario_text(doc.dump(2), "t.json"); }

// The scenario `base` with `expectations`.
sim::Scenario with_expectations(const json& expectations, const std::function<json()>& base = metadata_base) {
  json doc = base();
  doc["expectations"] = expectations;
  return parse(doc);
}

// The one expectation `e` parsed in `base`.
Expectation one(const json& e, const std::function<json()>& base = metadata_base) {
  sim::Scenario s = with_expectations(json::array({e}), base);
  REQUIRE(s.expectations.size() == 1);
  return s.expectations.front();
}

using loader_cases::check_exact_cases;
using loader_cases::ExactCase;

// Sets the expectations to `list`.
std::function<void(json&)> expect(json list) {
  return [list](json& d) { d["expectations"] = list; };
}

// Sets stop.when (and the other stop fields of `stop`).
std::function<void(json&)> stop_with(json stop) {
  return [stop](json& d) { d["stop"] = stop; };
}

}  // namespace

TEST_CASE("expectation timings parse into Timing, with descriptions") {
  SUBCASE("no timing: at the end") {
    Expectation e = one({{"type", "active_controller"}});
    CHECK(e.type == sim::ExpectationType::State);
    CHECK(e.name == "active_controller");
    CHECK(e.condition.type == ConditionType::ActiveController);
    CHECK(e.timing.kind == Timing::Kind::AtEnd);
    CHECK(e.description == "at the end a quorum controller is active in the Raft leader's epoch");
  }
  SUBCASE("at_ms, fractional") {
    Expectation e = one({{"type", "no_active_controller"}, {"at_ms", 2500.25}});
    CHECK(e.timing.kind == Timing::Kind::At);
    CHECK(e.timing.at == Instant::from_us(2'500'250));
    CHECK(e.description == "at 2500.25 ms no quorum controller is active");
  }
  SUBCASE("at_ms at the stop time") {
    Expectation e = one({{"type", "leader"}, {"at_ms", 10000}});
    CHECK(e.timing.at == Instant::from_ms(10000));
  }
  SUBCASE("by_ms") {
    Expectation e = one({{"type", "broker_fenced"}, {"broker", 4}, {"by_ms", 8000}});
    CHECK(e.timing.kind == Timing::Kind::By);
    CHECK(e.timing.at == Instant::from_ms(8000));
    CHECK(e.condition.node->kind == NodeSelector::Kind::Id);
    CHECK(e.condition.node->id == NodeId(4));
    CHECK(e.description == "by 8000 ms broker 4 is fenced");
  }
  SUBCASE("after + within_ms") {
    Expectation e = one({{"type", "broker_unfenced"}, {"broker", "label:c1"}, {"after", "r1"}, {"within_ms", 2000}});
    CHECK(e.timing.kind == Timing::Kind::Within);
    CHECK(e.timing.after == "r1");
    CHECK(e.timing.within == Duration::millis(2000));
    CHECK(e.condition.node->kind == NodeSelector::Kind::Label);
    CHECK(e.condition.node->label == "c1");
    CHECK(e.description == "within 2000 ms of 'r1' the broker of 'c1' is registered and unfenced");
  }
  SUBCASE("always over the whole run") {
    Expectation e = one({{"type", "no_committed_record_lost"}, {"always", true}});
    CHECK(e.timing.kind == Timing::Kind::Always);
    CHECK(e.timing.from == Instant::zero());
    CHECK(e.timing.to.is_never());  // until the run ends, also when stop.when ends it early
    CHECK(e.description ==
          "always every record ever committed is still on the leader (or the longest running voter)");
  }
  SUBCASE("always with bounds") {
    Expectation e = one({{"type", "partitions_led"}, {"always", true}, {"from_ms", 5000}, {"to_ms", 9000}});
    CHECK(e.timing.from == Instant::from_ms(5000));
    CHECK(e.timing.to == Instant::from_ms(9000));
    CHECK(e.description == "always from 5000 ms to 9000 ms every partition has a leader");
    Expectation from_only = one({{"type", "partitions_led"}, {"always", true}, {"from_ms", 5000}});
    CHECK(from_only.timing.from == Instant::from_ms(5000));
    CHECK(from_only.timing.to.is_never());
    CHECK(from_only.description == "always from 5000 ms every partition has a leader");
    Expectation to_only = one({{"type", "partitions_led"}, {"always", true}, {"to_ms", 4000}});
    CHECK(to_only.timing.from == Instant::zero());
    CHECK(to_only.timing.to == Instant::from_ms(4000));
    CHECK(to_only.description == "always from 0 ms to 4000 ms every partition has a leader");
    Expectation moment = one({{"type", "partitions_led"}, {"always", true}, {"from_ms", 4000}, {"to_ms", 4000}});
    CHECK(moment.timing.from == moment.timing.to);
  }
  SUBCASE("shorthands") {
    Expectation end = one({{"type", "leader_at_end"}}, counter_base);
    CHECK(end.condition.type == ConditionType::Leader);
    CHECK(end.timing.kind == Timing::Kind::AtEnd);
    Expectation leaderless = one({{"type", "leaderless_within"}, {"after", "c1"}, {"within_ms", 500}});
    CHECK(leaderless.condition.type == ConditionType::PartitionLeaderless);
    CHECK(leaderless.timing.kind == Timing::Kind::Within);
    CHECK(leaderless.timing.after == "c1");
    CHECK(leaderless.timing.within == Duration::millis(500));
    CHECK(leaderless.description == "within 500 ms of 'c1' some partition has no leader");
  }
}

TEST_CASE("condition fields land in Condition") {
  SUBCASE("high_watermark_at_least") {
    Expectation all = one({{"type", "high_watermark_at_least"}, {"value", 200}}, counter_base);
    CHECK(all.condition.value == 200);
    CHECK(all.condition.nodes.empty());
    CHECK(all.description == "at the end every running node has a high watermark >= 200");
    Expectation some = one({{"type", "high_watermark_at_least"}, {"value", 5}, {"nodes", {0, 4}}, {"by_ms", 3000}},
                           counter_base);
    CHECK(some.condition.nodes == std::vector<NodeId>{NodeId(0), NodeId(4)});
    CHECK(some.description == "by 3000 ms every running node of 0, 4 has a high watermark >= 5");
  }
  SUBCASE("caught_up") {
    Expectation e = one({{"type", "caught_up"}, {"max_lag_ms", 250}, {"at_ms", 9000}}, counter_base);
    CHECK(e.condition.max_lag == Duration::millis(250));
    CHECK(e.description ==
          "at 9000 ms every running node's high watermark has reached the leader's of 250 ms earlier");
    CHECK(one({{"type", "caught_up"}}, counter_base).condition.max_lag == Duration::millis(1000));
  }
  SUBCASE("snapshots_downloaded_at_least") {
    Expectation by_id = one({{"type", "snapshots_downloaded_at_least"}, {"node", 3}, {"value", 2}}, counter_base);
    CHECK(by_id.condition.node->id == NodeId(3));
    CHECK(by_id.condition.value == 2);
    CHECK(by_id.description == "at the end node 3 has downloaded at least 2 snapshot(s)");
    Expectation by_label =
        one({{"type", "snapshots_downloaded_at_least"}, {"node", "label:c1"}, {"value", 1}}, counter_base);
    CHECK(by_label.condition.node->kind == NodeSelector::Kind::Label);
    CHECK(by_label.description == "at the end the node of 'c1' has downloaded at least 1 snapshot(s)");
  }
  SUBCASE("topics") {
    Expectation absent = one({{"type", "topic_absent"}, {"topic", "orders"}, {"at_ms", 6000}});
    CHECK(absent.condition.type == ConditionType::TopicAbsent);
    CHECK(absent.condition.topic == "orders");
    CHECK(absent.description == "at 6000 ms topic 'orders' does not exist");
    CHECK(one({{"type", "topic_exists"}, {"topic", "audit"}}).condition.topic == "audit");
  }
  SUBCASE("admin_request") {
    Expectation e = one({{"type", "admin_request"}, {"request", "create-audit"}, {"outcome", "failed"},
                         {"error", "TOPIC_ALREADY_EXISTS"}});
    CHECK(e.condition.request == "create-audit");
    CHECK(e.condition.outcome == sim::AdminResult::Failed);
    CHECK(e.condition.error == std::optional<std::string>("TOPIC_ALREADY_EXISTS"));
    CHECK(e.description == "at the end the request of 'create-audit' is failed with error TOPIC_ALREADY_EXISTS");
    for (const auto& [name, result] :
         std::vector<std::pair<std::string, sim::AdminResult>>{{"acknowledged", sim::AdminResult::Acknowledged},
                                                               {"unknown", sim::AdminResult::Unknown},
                                                               {"pending", sim::AdminResult::Pending}}) {
      Expectation r = one({{"type", "admin_request"}, {"request", "drop-orders"}, {"outcome", name}});
      CHECK(r.condition.outcome == result);
      CHECK_FALSE(r.condition.error.has_value());
    }
  }
  SUBCASE("admin_outcomes") {
    // orders, create-audit and drop-orders: 3 requests.
    Expectation e = one({{"type", "admin_outcomes"}, {"acknowledged_at_least", 3}, {"failed_at_most", 1},
                         {"unknown_at_most", 2}});
    CHECK(e.condition.value == 3);
    CHECK(e.condition.max_failed == 1);
    CHECK(e.condition.max_unknown == 2);
    CHECK(e.description ==
          "at the end admin requests: at least 3 acknowledged, at most 1 failed, at most 2 of unknown outcome");
  }
  SUBCASE("conditions without fields") {
    for (const char* type : {"brokers_unfenced", "partition_leaderless", "images_agree", "no_leader"}) {
      CAPTURE(type);
      CHECK(one({{"type", type}, {"by_ms", 100}}).timing.kind == Timing::Kind::By);
    }
  }
}

TEST_CASE("stop.when parses into a Condition") {
  json doc = metadata_base();
  doc["stop"] = {{"at_ms", 10000}, {"when", {{"type", "broker_unfenced"}, {"broker", 4}}}, {"when_from_ms", 3000}};
  sim::Scenario s = parse(doc);
  REQUIRE(s.stop.when.has_value());
  CHECK(s.stop.when->type == ConditionType::BrokerUnfenced);
  CHECK(s.stop.when->node->id == NodeId(4));
  CHECK(s.stop.when->description == "broker 4 is registered and unfenced");
  CHECK(s.stop.when_from == Instant::from_ms(3000));

  json counter = counter_base();
  counter["stop"] = {{"when", {{"type", "high_watermark_at_least"}, {"value", 500}}}};
  sim::Scenario c = parse(counter);
  REQUIRE(c.stop.when.has_value());
  CHECK(c.stop.when->type == ConditionType::HighWatermarkAtLeast);
  CHECK(c.stop.when->value == 500);
  CHECK(c.stop.when_from == Instant::zero());
  CHECK(c.stop.at == Instant::from_ms(30000));

  CHECK_FALSE(parse(metadata_base()).stop.when.has_value());
}

TEST_CASE("opposite conditions at different moments are not contradictions") {
  sim::Scenario s = with_expectations(json::array({
      {{"type", "topic_exists"}, {"topic", "orders"}, {"at_ms", 3000}},
      {{"type", "topic_absent"}, {"topic", "orders"}, {"at_ms", 6000}},
      {{"type", "topic_exists"}, {"topic", "audit"}, {"at_ms", 6000}},
      {{"type", "active_controller"}, {"by_ms", 5000}},
      {{"type", "no_active_controller"}, {"by_ms", 5000}},
      {{"type", "partitions_led"}},
      {{"type", "partition_leaderless"}, {"at_ms", 10000}},
  }));
  CHECK(s.expectations.size() == 7);
  CHECK(s.expectations[6].index == 6);
}

TEST_CASE("bad expectation timings") {
  const std::string one_timing =
      R"(one timing: "at_ms", "by_ms", "after" + "within_ms", or "always" (with optional "from_ms" / )"
      R"("to_ms"); none means at the end)";
  const std::string time_range = "a time in milliseconds in [0, stop.at_ms = 10000]";
  const std::vector<ExactCase> cases = {
      {"at and by", expect({{{"type", "leader"}, {"at_ms", 1000}, {"by_ms", 2000}}}),
       R"(t.json: expectations[0].by_ms: got both "at_ms" and "by_ms", expected )" + one_timing},
      {"by and within", expect({{{"type", "leader"}, {"by_ms", 1000}, {"after", "c1"}, {"within_ms", 5}}}),
       R"(t.json: expectations[0].after: got both "by_ms" and "after", expected )" + one_timing},
      {"at and always", expect({{{"type", "leader"}, {"at_ms", 1000}, {"always", true}}}),
       R"(t.json: expectations[0].always: got both "at_ms" and "always", expected )" + one_timing},
      {"within and a window bound", expect({{{"type", "leader"}, {"within_ms", 5}, {"after", "c1"}, {"to_ms", 9}}}),
       R"(t.json: expectations[0].to_ms: got both "after" and "to_ms", expected )" + one_timing},
      {"always false", expect({{{"type", "leader"}, {"always", false}}}),
       "t.json: expectations[0].always: got false, expected true (leave the timing out to mean at the end)"},
      {"always not a boolean", expect({{{"type", "leader"}, {"always", "yes"}}}),
       R"(t.json: expectations[0].always: got "yes", expected true (leave the timing out to mean at the end))"},
      {"from_ms without always", expect({{{"type", "leader"}, {"from_ms", 1000}}}),
       R"(t.json: expectations[0].always: missing, expected true, with "from_ms" / "to_ms" bounding the window)"},
      {"to_ms without always", expect({{{"type", "leader"}, {"to_ms", 1000}}}),
       R"(t.json: expectations[0].always: missing, expected true, with "from_ms" / "to_ms" bounding the window)"
       ""},
      {"to_ms before from_ms", expect({{{"type", "leader"}, {"always", true}, {"from_ms", 5000}, {"to_ms", 1000}}}),
       "t.json: expectations[0].to_ms: got 1000, expected a time in milliseconds in [5000, stop.at_ms = 10000]"},
      {"at_ms after the stop", expect({{{"type", "leader"}, {"at_ms", 10001}}}),
       "t.json: expectations[0].at_ms: got 10001, expected " + time_range},
      {"by_ms after the stop", expect({{{"type", "leader"}, {"by_ms", 20000}}}),
       "t.json: expectations[0].by_ms: got 20000, expected " + time_range},
      {"to_ms after the stop", expect({{{"type", "leader"}, {"always", true}, {"to_ms", 10000.5}}}),
       "t.json: expectations[0].to_ms: got 10000.5, expected " + time_range},
      {"negative at_ms", expect({{{"type", "leader"}, {"at_ms", -1}}}),
       "t.json: expectations[0].at_ms: got -1, expected " + time_range},
      {"negative from_ms", expect({{{"type", "leader"}, {"always", true}, {"from_ms", -0.5}}}),
       "t.json: expectations[0].from_ms: got -0.5, expected " + time_range},
      {"at_ms not a number", expect({{{"type", "leader"}, {"at_ms", "5000"}}}),
       R"(t.json: expectations[0].at_ms: got "5000", expected )" + time_range},
      {"within_ms without after", expect({{{"type", "leader"}, {"within_ms", 500}}}),
       "t.json: expectations[0].after: missing, expected the label of a timeline action"},
      {"after without within_ms", expect({{{"type", "leader"}, {"after", "c1"}}}),
       "t.json: expectations[0].within_ms: missing, expected a number of milliseconds > 0 (at least 1 microsecond after rounding, at most 1000000000000)"},
      {"within_ms zero", expect({{{"type", "leader"}, {"after", "c1"}, {"within_ms", 0}}}),
       "t.json: expectations[0].within_ms: got 0, expected a number of milliseconds > 0 (at least 1 microsecond after rounding, at most 1000000000000)"},
      {"unknown label in after", expect({{{"type", "leader"}, {"after", "r2"}, {"within_ms", 500}}}),
       R"(t.json: expectations[0].after: got "r2", expected the label of a timeline action (labels: "c1", )"
       R"("create-audit", "drop-orders" or "r1") (did you mean "r1"?))"},
      {"unknown label in leaderless_within", expect({{{"type", "leaderless_within"}, {"after", "crash"}, {"within_ms", 5}}}),
       R"(t.json: expectations[0].after: got "crash", expected the label of a timeline action (labels: "c1", )"
       R"("create-audit", "drop-orders" or "r1"))"},
      {"timing on a shorthand", expect({{{"type", "partitions_led_at_end"}, {"at_ms", 5000}}}),
       R"(t.json: expectations[0].at_ms: got unknown field "at_ms", expected one of the fields of a )"
       R"(partitions_led_at_end expectation: type)"},
      {"at_ms on leaderless_within", expect({{{"type", "leaderless_within"}, {"after", "c1"}, {"within_ms", 5}, {"at_ms", 1}}}),
       R"(t.json: expectations[0].at_ms: got unknown field "at_ms", expected one of the fields of a )"
       R"(leaderless_within expectation: type, after, within_ms)"},
      {"timing on an event expectation",
       expect({{{"type", "failover_within"}, {"after", "c1"}, {"within_ms", 5}, {"by_ms", 100}}}),
       R"(t.json: expectations[0].by_ms: got unknown field "by_ms", expected one of the fields of a )"
       R"(failover_within expectation: type, after, within_ms)"},
  };
  check_exact_cases(metadata_base, cases);
}

TEST_CASE("bad condition fields") {
  const std::vector<ExactCase> cases = {
      {"admin_request checked before its action runs",
       expect({{{"type", "admin_request"}, {"request", "create-audit"}, {"outcome", "pending"},
                {"at_ms", 1500}}}),
       R"(t.json: expectations[0].at_ms: got 1500, expected a time at or after timeline[1] )"
       R"((create_topic at 2000 ms), which submits the request)"},
      {"admin_request naming a crash",
       expect({{{"type", "admin_request"}, {"request", "c1"}, {"outcome", "failed"}}}),
       R"(t.json: expectations[0].request: got "c1", expected the label of a create_topic, delete_topic )"
       R"(or alter_config action; "c1" labels timeline[0] (crash at 1000 ms))"},
      {"admin_request acknowledged with an error",
       expect({{{"type", "admin_request"}, {"request", "create-audit"}, {"outcome", "acknowledged"},
                {"error", "TOPIC_ALREADY_EXISTS"}}}),
       R"(t.json: expectations[0].error: got "TOPIC_ALREADY_EXISTS", expected no "error" with the )"
       R"(outcome "acknowledged" (an acknowledged request has none); "error" goes with "failed", )"
       R"("unknown" or "pending" (the last error seen))"},
      {"admin_request naming no label",
       expect({{{"type", "admin_request"}, {"request", "create-audti"}, {"outcome", "failed"}}}),
       R"(t.json: expectations[0].request: got "create-audti", expected the label of a create_topic, )"
       R"(delete_topic or alter_config action (labels: "create-audit" or "drop-orders") (did you mean )"
       R"("create-audit"?))"},
      {"admin_request without request", expect({{{"type", "admin_request"}, {"outcome", "failed"}}}),
       "t.json: expectations[0].request: missing, expected the label of a create_topic, delete_topic or "
       "alter_config action"},
      {"unknown outcome",
       expect({{{"type", "admin_request"}, {"request", "create-audit"}, {"outcome", "faild"}}}),
       R"(t.json: expectations[0].outcome: got "faild", expected one of acknowledged|failed|unknown|pending )"
       R"((did you mean "failed"?))"},
      {"missing outcome", expect({{{"type", "admin_request"}, {"request", "create-audit"}}}),
       "t.json: expectations[0].outcome: missing, expected one of acknowledged|failed|unknown|pending"},
      {"unknown error name",
       expect({{{"type", "admin_request"}, {"request", "create-audit"}, {"outcome", "failed"},
                {"error", "TOPIC_ALREADY_EXIST"}}}),
       R"(t.json: expectations[0].error: got "TOPIC_ALREADY_EXIST", expected a Kafka error name, one of )"
       "NONE|NOT_CONTROLLER|STALE_BROKER_EPOCH|DUPLICATE_BROKER_REGISTRATION|UNSUPPORTED_VERSION|"
       "TOPIC_ALREADY_EXISTS|UNKNOWN_TOPIC_OR_PARTITION|INVALID_TOPIC_EXCEPTION|INVALID_PARTITIONS|"
       "INVALID_REPLICATION_FACTOR|INVALID_CONFIG|INVALID_REQUEST|REQUEST_TIMED_OUT "
       R"((did you mean "TOPIC_ALREADY_EXISTS"?))"},
      {"snapshots_downloaded_at_least without node",
       expect({{{"type", "snapshots_downloaded_at_least"}, {"value", 1}}}),
       R"(t.json: expectations[0].node: missing, expected a node id (0..4) or "label:<name>" of an action )"
       "on one node"},
      {"snapshots_downloaded_at_least of zero",
       expect({{{"type", "snapshots_downloaded_at_least"}, {"node", 3}, {"value", 0}}}),
       "t.json: expectations[0].value: got 0, expected an integer in 1..9223372036854775807"},
      {"snapshots_downloaded_at_least of an unknown label",
       expect({{{"type", "snapshots_downloaded_at_least"}, {"node", "label:c2"}, {"value", 1}}}),
       R"(t.json: expectations[0].node: got "label:c2", expected a node id (0..4) or "label:<name>" of an )"
       R"(action on one node; no action is labelled "c2" (labels: "c1", "create-audit", "drop-orders" or )"
       R"("r1") (did you mean "c1"?))"},
      {"snapshots_downloaded_at_least of an admin label",
       expect({{{"type", "snapshots_downloaded_at_least"}, {"node", "label:create-audit"}, {"value", 1}}}),
       R"(t.json: expectations[0].node: got "label:create-audit", expected a node id (0..4) or )"
       R"("label:<name>" of an action on one node; "create-audit" labels timeline[1] (create_topic at 2000 ms))"},
      {"topic never created", expect({{{"type", "topic_absent"}, {"topic", "audti"}, {"at_ms", 5000}}}),
       R"(t.json: expectations[0].topic: got "audti", expected a topic the scenario creates (in )"
       "workload.admin.topics, workload.admin.create_topics or a create_topic action) "
       R"((did you mean "audit"?))"},
      {"high_watermark_at_least of a node twice",
       expect({{{"type", "high_watermark_at_least"}, {"value", 1}, {"nodes", {1, 1}}}}),
       "t.json: expectations[0].nodes[1]: got 1, expected a node id not already in the list"},
      {"high_watermark_at_least with no nodes",
       expect({{{"type", "high_watermark_at_least"}, {"value", 1}, {"nodes", json::array()}}}),
       "t.json: expectations[0].nodes: got [], expected a non-empty array of distinct node ids (0..4) "
       R"((leave "nodes" out to mean every running node))"},
      {"acknowledged more than submitted",
       expect({{{"type", "admin_outcomes"}, {"acknowledged_at_least", 4}}}),
       "t.json: expectations[0].acknowledged_at_least: got 4, expected an integer in 0..3 (the number of "
       "admin requests the scenario submits: workload.admin.topics, workload.admin.create_topics and the "
       "create_topic, delete_topic and alter_config actions)"},
      {"broker_fenced of a controller", expect({{{"type", "broker_fenced"}, {"broker", 0}}}),
       R"(t.json: expectations[0].broker: got 0, expected a node running the broker role: an id among )"
       R"(3..4 or "label:<name>" of an action that targets one (node 0 runs only the controller role))"},
  };
  check_exact_cases(metadata_base, cases);
}

TEST_CASE("contradictory expectations are rejected") {
  const std::vector<ExactCase> cases = {
      {"leader and no_leader at the end",
       expect({{{"type", "leader_at_end"}}, {{"type", "no_leader"}}}),
       R"(t.json: expectations[1].type: got "no_leader", expected an expectation that does not )"
       "contradict expectations[0] (leader_at_end)"},
      {"active and no active controller at one time",
       expect({{{"type", "images_agree"}},
               {{"type", "no_active_controller"}, {"at_ms", 5000}},
               {{"type", "active_controller"}, {"at_ms", 5000}}}),
       R"(t.json: expectations[2].type: got "active_controller", expected an expectation that does not )"
       "contradict expectations[1] (no_active_controller)"},
      {"topic exists and absent at one time",
       expect({{{"type", "topic_exists"}, {"topic", "audit"}, {"at_ms", 7000}},
               {{"type", "topic_absent"}, {"topic", "audit"}, {"at_ms", 7000}}}),
       R"(t.json: expectations[1].type: got "topic_absent", expected an expectation that does not )"
       "contradict expectations[0] (topic_exists)"},
      {"partitions led and leaderless at the end",
       expect({{{"type", "partition_leaderless"}}, {{"type", "partitions_led_at_end"}}}),
       R"(t.json: expectations[1].type: got "partitions_led_at_end", expected an expectation that does )"
       "not contradict expectations[0] (partition_leaderless)"},
  };
  check_exact_cases(metadata_base, cases);
}

TEST_CASE("metadata conditions on a counter cluster are rejected") {
  const std::string counter_names =
      "leader|no_leader|high_watermark_at_least|caught_up|no_committed_record_lost|"
      "snapshots_downloaded_at_least|leader_at_end|no_leader_at_end|caught_up_at_end|"
      "leader_elected_within|no_progress_between|progress_between|restart_resumes_from_local_log";
  const std::vector<ExactCase> cases = {
      {"active_controller", expect({{{"type", "active_controller"}, {"by_ms", 5000}}}),
       R"(t.json: expectations[0].type: got "active_controller", expected one of )" + counter_names +
           R"( ("active_controller" needs cluster.state_machine "metadata" (this cluster runs "counter")))"},
      {"images_agree", expect({{{"type", "leader"}}, {{"type", "images_agree"}}}),
       R"(t.json: expectations[1].type: got "images_agree", expected one of )" + counter_names +
           R"( ("images_agree" needs cluster.state_machine "metadata" (this cluster runs "counter")))"},
      {"leaderless_within", expect({{{"type", "leaderless_within"}, {"after", "c1"}, {"within_ms", 5}}}),
       R"(t.json: expectations[0].type: got "leaderless_within", expected one of )" + counter_names +
           R"( ("leaderless_within" needs cluster.state_machine "metadata" (this cluster runs "counter")))"},
      {"stop.when on a metadata condition", stop_with({{"when", {{"type", "images_agree"}}}}),
       R"(t.json: stop.when.type: got "images_agree", expected one of leader|no_leader|)"
       "high_watermark_at_least|caught_up|no_committed_record_lost|snapshots_downloaded_at_least"},
  };
  check_exact_cases(counter_base, cases);
}

TEST_CASE("bad stop.when") {
  const std::string conditions =
      "leader|no_leader|high_watermark_at_least|caught_up|no_committed_record_lost|"
      "snapshots_downloaded_at_least|active_controller|no_active_controller|brokers_unfenced|"
      "broker_fenced|broker_unfenced|broker_leads_nothing|partitions_led|partition_leaderless|live_partitions_led|"
      "topic_exists|topic_absent|images_agree|admin_request|admin_outcomes";
  const std::vector<ExactCase> cases = {
      {"unknown condition", stop_with({{"when", {{"type", "leadr"}}}}),
       R"(t.json: stop.when.type: got "leadr", expected one of )" + conditions + R"( (did you mean "leader"?))"},
      {"an expectation shorthand", stop_with({{"when", {{"type", "leader_at_end"}}}}),
       R"(t.json: stop.when.type: got "leader_at_end", expected one of )" + conditions +
           R"( (the "_at_end" shorthands are for expectations; here write the condition "leader"))"},
      {"no type", stop_with({{"when", {{"at_ms", 5}}}}),
       R"(t.json: stop.when: got {"at_ms":5}, expected a condition object, e.g. {"type": "leader"}, whose )"
       "type is one of " + conditions},
      {"not an object", stop_with({{"when", "leader"}}),
       R"(t.json: stop.when: got "leader", expected a condition object, e.g. {"type": "leader"}, whose )"
       "type is one of " + conditions},
      {"a timing field", stop_with({{"when", {{"type", "leader"}, {"at_ms", 5000}}}}),
       R"(t.json: stop.when.at_ms: got unknown field "at_ms", expected one of the fields of a leader condition: type)"},
      {"a timing field on a condition with fields",
       stop_with({{"when", {{"type", "broker_unfenced"}, {"broker", 4}, {"always", true}}}}),
       R"(t.json: stop.when.always: got unknown field "always", expected one of the fields of a )"
       "broker_unfenced condition: type, broker"},
      {"a timing field on a condition starting with a vowel",
       stop_with({{"when", {{"type", "admin_outcomes"}, {"acknowledged_at_least", 1}, {"by_ms", 1}}}}),
       R"(t.json: stop.when.by_ms: got unknown field "by_ms", expected one of the fields of an )"
       "admin_outcomes condition: type, acknowledged_at_least, failed_at_most, unknown_at_most"},
      {"a bad field value", stop_with({{"when", {{"type", "broker_unfenced"}, {"broker", 9}}}}),
       R"(t.json: stop.when.broker: got 9, expected a node running the broker role: an id among 3..4 or )"
       R"("label:<name>" of an action that targets one)"},
      {"when_from_ms without when", stop_with({{"at_ms", 10000}, {"when_from_ms", 5000}}),
       R"(t.json: stop.when_from_ms: got 5000, expected no "when_from_ms" without "when")"},
      {"when_from_ms after the stop",
       stop_with({{"at_ms", 10000}, {"when", {{"type", "leader"}}}, {"when_from_ms", 12000}}),
       "t.json: stop.when_from_ms: got 12000, expected a time in milliseconds in [0, stop.at_ms = 10000]"},
      {"negative when_from_ms", stop_with({{"when", {{"type", "leader"}}}, {"when_from_ms", -1}}),
       "t.json: stop.when_from_ms: got -1, expected a time in milliseconds in [0, stop.at_ms = 30000]"},
  };
  check_exact_cases(metadata_base, cases);
}
