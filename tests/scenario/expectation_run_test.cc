// End-to-end tests of the expectation language of issue 5: small scenarios parsed from text
// (parse_scenario_text) run by sim::Simulation, and their expectations must pass and fail as the
// run's facts say: admin request outcomes, failovers and windows without an active controller,
// stop.when ending the run early, restarts that resume from the local log (or cannot, after a
// hard crash of a broker), images agreeing, no committed record lost. Expectations only observe:
// they never change the run's trace.
#include <doctest/doctest.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "sim/scenario/scenario_loader.hh"
#include "sim/simulation.hh"

namespace {

using nlohmann::json;
using sim::ExpectationResult;
using sim::Instant;
using sim::RunResult;

// 3 controllers and brokers 3..5, topic "orders" (3 partitions, RF 3) created at 1 s; runs to
// 12 s unless the test changes it.
json metadata_cluster() {
  return json::parse(R"({
    "name": "expectations-e2e",
    "description": "end-to-end expectation checks",
    "cluster": {"controllers": 3, "brokers": 3},
    "workload": {"admin": {"topics": [{"name": "orders", "partitions": 3, "replication_factor": 3}],
                           "topics_at_ms": 1000}},
    "timeline": [],
    "stop": {"at_ms": 12000},
    "expectations": []
  })");
}

// 3 voters and 2 observers of the counter, appending every 10 ms, to 8 s.
json counter_cluster() {
  return json::parse(R"({
    "name": "counter-e2e",
    "description": "end-to-end expectation checks on the counter",
    "cluster": {"controllers": 3, "brokers": 2, "state_machine": "counter"},
    "workload": {"append_interval_ms": 10},
    "timeline": [{"at_ms": 3000, "action": "crash", "node": "leader", "label": "crash-leader"},
                 {"at_ms": 5000, "action": "restart", "node": "label:crash-leader"}],
    "stop": {"at_ms": 8000},
    "expectations": []
  })");
}

sim::Scenario scenario(const json& doc) { return sim::parse_scenario_text(doc.dump(), "e2e.json"); }

RunResult run(const json& doc, std::uint64_t seed = 1) {
  sim::Simulation simulation(scenario(doc), seed);
  return simulation.run();
}

std::string describe(const RunResult& r) {
  std::string out = r.stop_reason;
  if (r.violation) out += "; violation " + r.violation->invariant + ": " + r.violation->detail;
  for (const ExpectationResult& e : r.expectations) {
    out += std::string("\n  ") + (e.passed ? "PASS " : "FAIL ") + e.description + ": " + e.observed;
  }
  return out;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The first controller that became active at or after `t`, from the run's observations.
std::optional<sim::ActiveController> first_active_since(const sim::Simulation& s, Instant t) {
  for (const sim::ActiveController& a : s.observations().metadata.active_controllers) {
    if (a.at >= t) return a;
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("run: admin_request sees a failed CreateTopics of an existing topic") {
  json doc = metadata_cluster();
  doc["timeline"] = {{{"at_ms", 3000}, {"action", "create_topic"}, {"label", "dup"}, {"topic", {{"name", "orders"}}}},
                     {{"at_ms", 3500}, {"action", "create_topic"}, {"label", "audit"}, {"topic", {{"name", "audit"}}}}};
  doc["stop"]["at_ms"] = 6000;
  doc["expectations"] = json::parse(R"([
    {"type": "admin_request", "request": "dup", "outcome": "failed", "error": "TOPIC_ALREADY_EXISTS"},
    {"type": "admin_request", "request": "dup", "outcome": "acknowledged"},
    {"type": "admin_request", "request": "dup", "outcome": "failed", "error": "INVALID_CONFIG"},
    {"type": "admin_request", "request": "dup", "outcome": "failed", "after": "dup", "within_ms": 500},
    {"type": "admin_request", "request": "audit", "outcome": "acknowledged", "by_ms": 4500},
    {"type": "admin_request", "request": "audit", "outcome": "pending", "at_ms": 3500},
    {"type": "admin_outcomes", "acknowledged_at_least": 2, "failed_at_most": 1},
    {"type": "admin_outcomes", "acknowledged_at_least": 2, "failed_at_most": 0},
    {"type": "topic_absent", "topic": "audit", "always": true, "to_ms": 3500},
    {"type": "topic_exists", "topic": "audit"}
  ])");
  const RunResult r = run(doc);
  INFO(describe(r));
  REQUIRE(r.expectations.size() == 10);
  CHECK_FALSE(r.violation.has_value());
  CHECK(r.expectations[0].passed);
  CHECK(r.expectations[0].observed == "'dup' failed (TOPIC_ALREADY_EXISTS) after 1 attempt(s)");
  CHECK_FALSE(r.expectations[1].passed);
  CHECK(r.expectations[1].observed == r.expectations[0].observed);
  CHECK_FALSE(r.expectations[2].passed);
  CHECK(r.expectations[3].passed);
  REQUIRE(r.expectations[3].decided_at.has_value());
  CHECK(*r.expectations[3].decided_at > Instant::from_ms(3000));
  CHECK(*r.expectations[3].decided_at < Instant::from_ms(3500));
  CHECK(r.expectations[4].passed);
  CHECK(r.expectations[5].passed);
  CHECK(contains(r.expectations[5].observed, "'audit' pending"));
  CHECK(r.expectations[6].passed);
  CHECK(r.expectations[6].observed == "2 acknowledged, 1 failed, 0 unknown, 0 pending");
  CHECK_FALSE(r.expectations[7].passed);
  CHECK(r.expectations[8].passed);
  CHECK(r.expectations[9].passed);
  CHECK(r.outcome == sim::Outcome::ExpectationFailed);
}

TEST_CASE("run: a crash of the active controller and a window with two controllers down") {
  json doc = metadata_cluster();
  doc["timeline"] = json::parse(R"([
    {"at_ms": 3000, "action": "crash", "node": "leader", "label": "crash-active"},
    {"at_ms": 6000, "action": "restart", "node": "label:crash-active"},
    {"at_ms": 8000, "action": "crash", "node": "leader", "label": "crash-two"},
    {"at_ms": 8000, "action": "crash", "node": "follower", "label": "crash-standby"},
    {"at_ms": 11000, "action": "restart", "node": "label:crash-standby", "label": "restart-one"}
  ])");
  doc["stop"]["at_ms"] = 15000;
  doc["expectations"] = json::parse(R"([
    {"type": "failover_within", "after": "crash-active", "within_ms": 5000},
    {"type": "active_controller", "after": "crash-active", "within_ms": 5000},
    {"type": "no_active_controller", "at_ms": 9500},
    {"type": "no_active_controller", "always": true, "from_ms": 8000, "to_ms": 10999},
    {"type": "no_leader", "always": true, "from_ms": 8000, "to_ms": 10999},
    {"type": "active_controller", "at_ms": 9400},
    {"type": "active_controller", "always": true},
    {"type": "failover_within", "after": "restart-one", "within_ms": 3900},
    {"type": "no_progress_between", "from_ms": 8500, "to_ms": 10999},
    {"type": "active_controller_at_end"},
    {"type": "images_agree"},
    {"type": "no_committed_record_lost", "always": true}
  ])");
  sim::Simulation simulation(scenario(doc), 1);
  const RunResult r = simulation.run();
  INFO(describe(r));
  REQUIRE(r.expectations.size() == 12);
  CHECK_FALSE(r.violation.has_value());

  const std::optional<sim::ActiveController> failover = first_active_since(simulation, Instant::from_ms(3000));
  REQUIRE(failover.has_value());
  CHECK(r.expectations[0].passed);
  CHECK(contains(r.expectations[0].observed, "active controller in epoch " + std::to_string(failover->epoch.value())));
  // "within" reports the event after which the new controller was active: its activation.
  CHECK(r.expectations[1].passed);
  CHECK(r.expectations[1].decided_at == std::optional<Instant>(failover->at));
  CHECK(contains(r.expectations[1].observed, "node " + std::to_string(failover->node.value()) + " active in epoch"));

  CHECK(r.expectations[2].passed);
  CHECK(r.expectations[2].decided_at == std::optional<Instant>(Instant::from_ms(9500)));
  CHECK(r.expectations[3].passed);
  CHECK(contains(r.expectations[3].observed, "held at each of"));
  CHECK(r.expectations[4].passed);
  CHECK_FALSE(r.expectations[5].passed);
  CHECK(contains(r.expectations[5].observed, "no active controller (highest voter epoch"));
  // Before the first activation and after each crash there is no active controller: the very
  // first check already fails.
  CHECK_FALSE(r.expectations[6].passed);
  CHECK(r.expectations[6].decided_at == std::optional<Instant>(Instant::zero()));
  CHECK(r.expectations[7].passed);
  CHECK(r.expectations[8].passed);
  CHECK(r.expectations[9].passed);
  CHECK(r.expectations[10].passed);
  CHECK(r.expectations[11].passed);
  CHECK(contains(r.expectations[11].observed, "held at each of"));
}

TEST_CASE("run: stop.when ends the run early and later at_ms expectations fail") {
  json doc = metadata_cluster();
  doc["stop"] = {{"at_ms", 12000}, {"when", {{"type", "topic_exists"}, {"topic", "orders"}}}};
  doc["expectations"] = json::parse(R"([
    {"type": "topic_exists", "topic": "orders"},
    {"type": "topic_absent", "topic": "orders", "at_ms": 900},
    {"type": "topic_exists", "topic": "orders", "at_ms": 11000},
    {"type": "partitions_led", "always": true, "from_ms": 11000},
    {"type": "active_controller", "by_ms": 11000}
  ])");
  sim::Simulation simulation(scenario(doc), 1);
  const RunResult r = simulation.run();
  INFO(describe(r));
  REQUIRE(r.expectations.size() == 5);
  CHECK(r.sim_time > Instant::from_ms(1000));
  CHECK(r.sim_time < Instant::from_ms(3000));
  CHECK(simulation.now() == r.sim_time);
  CHECK(r.stop_reason.rfind("stop.when held (topic 'orders' exists: topic 'orders' exists)", 0) == 0);
  CHECK(r.expectations[0].passed);
  CHECK(r.expectations[1].passed);
  CHECK_FALSE(r.expectations[2].passed);
  CHECK(r.expectations[2].observed ==
        "the run ended at " + sim::format_ms(r.sim_time) + ", before 11000.000 ms");
  // An always window that opens after the end was never watched: it fails like a late at_ms.
  CHECK_FALSE(r.expectations[3].passed);
  CHECK(r.expectations[3].observed ==
        "the run ended at " + sim::format_ms(r.sim_time) + ", before 11000.000 ms");
  CHECK(r.expectations[4].passed);
  CHECK_FALSE(r.violation.has_value());

  SUBCASE("when_from_ms delays the check") {
    doc["stop"]["when_from_ms"] = 4000;
    const RunResult later = run(doc);
    INFO(describe(later));
    CHECK(later.sim_time >= Instant::from_ms(4000));
    CHECK(later.sim_time < Instant::from_ms(4600));
    CHECK(contains(later.stop_reason, "stop.when held"));
  }
  SUBCASE("a condition that never holds lets the run reach stop.at_ms") {
    doc["stop"]["when"] = {{"type", "no_active_controller"}};
    doc["stop"]["when_from_ms"] = 2000;
    doc["stop"]["at_ms"] = 5000;
    doc["expectations"] = json::array();
    const RunResult full = run(doc);
    CHECK(full.sim_time == Instant::from_ms(5000));
    CHECK(full.stop_reason == "stop time reached");
  }
}

TEST_CASE("run: stop.when on the counter") {
  json doc = counter_cluster();
  doc["timeline"] = json::array();
  doc["stop"] = {{"at_ms", 8000}, {"when", {{"type", "high_watermark_at_least"}, {"value", 100}}}};
  doc["expectations"] = json::parse(R"([
    {"type": "high_watermark_at_least", "value": 100, "nodes": [0, 1, 2, 3, 4]},
    {"type": "leader", "at_ms": 7000}
  ])");
  const RunResult r = run(doc);
  INFO(describe(r));
  CHECK(r.sim_time < Instant::from_ms(4000));
  CHECK(contains(r.stop_reason, "stop.when held"));
  CHECK(r.expectations[0].passed);
  CHECK_FALSE(r.expectations[1].passed);
  CHECK(contains(r.expectations[1].observed, "the run ended at"));
}

TEST_CASE("run: restart_resumes_from_local_log after a graceful shutdown, not after a hard crash") {
  json doc = metadata_cluster();
  doc["workload"]["admin"]["create_topics"] = {{"count", 10}, {"interval_ms", 500}, {"start_ms", 1500},
                                               {"prefix", "t-"}, {"partitions", 1}, {"replication_factor", 2}};
  doc["timeline"] = json::parse(R"([
    {"at_ms": 3000, "action": "shutdown", "node": 3, "label": "stop-3"},
    {"at_ms": 5000, "action": "restart", "node": "label:stop-3", "label": "restart-3"},
    {"at_ms": 3000, "action": "crash", "node": 4, "label": "crash-4"},
    {"at_ms": 5000, "action": "restart", "node": "label:crash-4", "label": "restart-4"}
  ])");
  doc["stop"]["at_ms"] = 9000;
  doc["expectations"] = json::parse(R"([
    {"type": "restart_resumes_from_local_log", "after": "restart-3"},
    {"type": "restart_resumes_from_local_log", "after": "restart-4"},
    {"type": "broker_unfenced", "broker": 3, "after": "restart-3", "within_ms": 3000},
    {"type": "images_agree"},
    {"type": "no_committed_record_lost", "always": true}
  ])");
  sim::Simulation simulation(scenario(doc), 1);
  const RunResult r = simulation.run();
  INFO(describe(r));
  REQUIRE(r.expectations.size() == 5);
  CHECK_FALSE(r.violation.has_value());

  const sim::ActionRecord& graceful = simulation.observations().actions_by_label.at("restart-3");
  REQUIRE(graceful.restart_log_end.has_value());
  CHECK(graceful.restart_log_end->value() > 0);
  CHECK(graceful.first_fetch_offset == graceful.restart_log_end);
  CHECK(r.expectations[0].passed);
  CHECK(contains(r.expectations[0].observed,
                 "node 3 restarted with log end " + std::to_string(graceful.restart_log_end->value())));

  // An observer never fsyncs its metadata log: the hard crash lost all of it.
  const sim::ActionRecord& crashed = simulation.observations().actions_by_label.at("restart-4");
  REQUIRE(crashed.restart_log_end.has_value());
  CHECK(crashed.restart_log_end->value() == 0);
  CHECK_FALSE(r.expectations[1].passed);
  CHECK(contains(r.expectations[1].observed, "node 4 restarted with log end 0"));
  CHECK(contains(r.expectations[1].observed, "asked for offset 0"));

  // A plain shutdown is not a controlled one: broker 3 stays registered and unfenced in the
  // committed log (its session has not expired by 9 s), so the condition holds as soon as the
  // window opens, at the restart itself.
  CHECK(r.expectations[2].passed);
  CHECK(r.expectations[2].decided_at == std::optional<Instant>(Instant::from_ms(5000)));
  CHECK(contains(r.expectations[2].observed, "broker 3 unfenced (broker epoch"));
  CHECK(r.expectations[3].passed);
  CHECK(contains(r.expectations[3].observed, "all 6 images equal"));
  CHECK(r.expectations[4].passed);
}

TEST_CASE("run: counter expectations with every timing") {
  json doc = counter_cluster();
  doc["expectations"] = json::parse(R"([
    {"type": "leader_elected_within", "after": "crash-leader", "within_ms": 4000},
    {"type": "leader", "after": "crash-leader", "within_ms": 4000},
    {"type": "no_leader", "at_ms": 3000},
    {"type": "leader", "by_ms": 2000},
    {"type": "high_watermark_at_least", "value": 50, "by_ms": 3000},
    {"type": "no_committed_record_lost", "always": true},
    {"type": "leader", "always": true, "from_ms": 3000, "to_ms": 3500},
    {"type": "caught_up_at_end"},
    {"type": "progress_between", "from_ms": 5000, "to_ms": 8000}
  ])");
  sim::Simulation simulation(scenario(doc), 1);
  const RunResult r = simulation.run();
  INFO(describe(r));
  REQUIRE(r.expectations.size() == 9);
  CHECK_FALSE(r.violation.has_value());
  CHECK(r.expectations[0].passed);
  CHECK(r.expectations[1].passed);
  CHECK(r.expectations[1].decided_at > std::optional<Instant>(Instant::from_ms(3000)));
  CHECK(r.expectations[2].passed);  // the crash at 3000 ms is the last event at or before it
  CHECK(r.expectations[3].passed);
  CHECK(r.expectations[4].passed);
  CHECK(r.expectations[5].passed);
  CHECK_FALSE(r.expectations[6].passed);  // the leader crashed at 3000 ms
  CHECK(r.expectations[6].decided_at == std::optional<Instant>(Instant::from_ms(3000)));
  CHECK(r.expectations[7].passed);
  CHECK(r.expectations[8].passed);
}

TEST_CASE("run: expectations only observe: same trace with and without them") {
  json plain = metadata_cluster();
  plain["timeline"] = json::parse(R"([
    {"at_ms": 2000, "action": "create_topic", "label": "dup", "topic": {"name": "orders"}},
    {"at_ms": 3000, "action": "crash", "node": "leader", "label": "crash-active"},
    {"at_ms": 5000, "action": "restart", "node": "label:crash-active", "label": "back"}
  ])");
  plain["stop"]["at_ms"] = 8000;
  json watched = plain;
  watched["expectations"] = json::parse(R"([
    {"type": "admin_request", "request": "dup", "outcome": "failed", "always": true, "from_ms": 2500},
    {"type": "failover_within", "after": "crash-active", "within_ms": 5000},
    {"type": "active_controller", "after": "crash-active", "within_ms": 5000},
    {"type": "no_active_controller", "at_ms": 3000},
    {"type": "images_agree", "by_ms": 8000},
    {"type": "brokers_unfenced", "always": true, "from_ms": 2000},
    {"type": "broker_leads_nothing", "broker": 3, "by_ms": 7000},
    {"type": "no_committed_record_lost", "always": true},
    {"type": "restart_resumes_from_local_log", "after": "back"},
    {"type": "caught_up"}
  ])");
  const RunResult a = run(plain, 2);
  const RunResult b = run(plain, 2);
  const RunResult c = run(watched, 2);
  INFO(describe(c));
  CHECK(a.trace_hash == b.trace_hash);
  CHECK(a.events == b.events);
  CHECK(a.trace_hash == c.trace_hash);
  CHECK(a.events == c.events);
  CHECK(a.sim_time == c.sim_time);
  CHECK(c.expectations.size() == 10);
  const RunResult d = run(watched, 2);
  REQUIRE(d.expectations.size() == c.expectations.size());
  for (std::size_t i = 0; i < c.expectations.size(); ++i) {
    CAPTURE(i);
    CHECK(c.expectations[i].passed == d.expectations[i].passed);
    CHECK(c.expectations[i].observed == d.expectations[i].observed);
    CHECK(c.expectations[i].decided_at == d.expectations[i].decided_at);
  }
  CHECK(run(plain, 3).trace_hash != a.trace_hash);
}

// The state at 0 ms, before the first event, is checked too: "by_ms": 0 (or any deadline before
// the first event) passes when the condition holds from the start.
TEST_CASE("run: by_ms 0 sees the state at the start") {
  json doc = metadata_cluster();
  doc["stop"]["at_ms"] = 1000;
  doc["expectations"] = json::parse(R"([{"type": "no_active_controller", "by_ms": 0}])");
  const RunResult r = run(doc);
  INFO(describe(r));
  REQUIRE(r.expectations.size() == 1);
  CHECK(r.expectations[0].passed);
  CHECK(r.expectations[0].decided_at == std::optional<Instant>(Instant::zero()));
}
