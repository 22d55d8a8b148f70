// The fuzzer's outcome classes (sim/fuzz/outcome.hh): from hand-made RunResults, and from real
// runs of shipped scenarios with and without a historical bug.
#include <doctest/doctest.h>

#include <string>

#include "raft/common/bugs.hh"
#include "sim/fuzz/outcome.hh"
#include "sim/scenario/scenario_loader.hh"

using sim::Instant;
using sim::fuzz::classify;
using sim::fuzz::run_and_classify;
using sim::fuzz::RunOutcome;

namespace {

sim::RunResult finished(sim::Outcome outcome) {
  sim::RunResult r;
  r.outcome = outcome;
  r.events = 4321;
  r.trace_hash = 0xabcdefULL;
  r.sim_time = Instant::from_ms(30'000);
  return r;
}

sim::ExpectationResult expectation(const std::string& type, bool passed) {
  sim::ExpectationResult e;
  e.type = type;
  e.passed = passed;
  e.description = "the " + type + " expectation";
  e.observed = type + " observed";
  return e;
}

sim::Scenario shipped(const std::string& name) {
  return sim::load_scenario_file(std::string(KRAFTSIM_SOURCE_DIR) + "/scenarios/" + name);
}

const char* const kBug16 = "bug-16-kafka-18138-broker-dies-during-failover.json";
const char* const kBug2 = "bug-2-kafka-12619-commit-only-own-epoch.json";

}  // namespace

TEST_CASE("fuzz outcome: a successful run is pass, with its statistics") {
  const RunOutcome o = classify(finished(sim::Outcome::Success));
  CHECK(o.outcome == "pass");
  CHECK(o.passed());
  CHECK(o.invariant.empty());
  CHECK(o.detail.empty());
  CHECK(o.events == 4321);
  CHECK(o.trace_hash == 0xabcdefULL);
  CHECK(o.sim_time == Instant::from_ms(30'000));
  CHECK_FALSE(o.failed_at.has_value());
}

TEST_CASE("fuzz outcome: a safety violation is safety:<invariant>, even with failed expectations") {
  sim::RunResult r = finished(sim::Outcome::SafetyViolation);
  r.violation = sim::Violation{"SingleLeader", "nodes 0 and 2 both lead epoch 3", 77,
                               Instant::from_ms(1234), {}};
  r.expectations = {expectation("leader", false)};
  const RunOutcome o = classify(r);
  CHECK(o.outcome == "safety:SingleLeader");
  CHECK_FALSE(o.passed());
  CHECK(o.invariant == "SingleLeader");
  CHECK(o.detail == "nodes 0 and 2 both lead epoch 3");
  REQUIRE(o.failed_at.has_value());
  CHECK(*o.failed_at == Instant::from_ms(1234));
  CHECK(o.events == 4321);
}

TEST_CASE("fuzz outcome: a failed expectation is liveness:<its type>, the first failing one") {
  sim::RunResult r = finished(sim::Outcome::ExpectationFailed);
  r.expectations = {expectation("failover_within", true), expectation("broker_fenced_within", false),
                    expectation("images_agree", false)};
  r.expectations[1].decided_at = Instant::from_ms(24'500);
  const RunOutcome o = classify(r);
  CHECK(o.outcome == "liveness:broker_fenced_within");
  CHECK(o.invariant == "broker_fenced_within");
  CHECK(o.detail == "the broker_fenced_within expectation: broker_fenced_within observed");
  REQUIRE(o.failed_at.has_value());
  CHECK(*o.failed_at == Instant::from_ms(24'500));
}

TEST_CASE("fuzz outcome: a run that hit the event bound is events_max") {
  sim::RunResult r = finished(sim::Outcome::LivenessFailure);
  r.stop_reason = "event bound reached";
  const RunOutcome o = classify(r);
  CHECK(o.outcome == "events_max");
  CHECK(o.invariant.empty());
  CHECK(o.detail == "event bound reached");
  REQUIRE(o.failed_at.has_value());
  CHECK(*o.failed_at == Instant::from_ms(30'000));
}

TEST_CASE("fuzz outcome: real runs of bug-16 pass without the bug and fail its expectation with it") {
  sim::Scenario s = shipped(kBug16);
  const RunOutcome fixed = run_and_classify(s);
  CHECK(fixed.outcome == "pass");
  CHECK(fixed.events > 1000);
  CHECK(fixed.sim_time == Instant::from_ms(30'000));

  s.bugs.insert(raft::Bug::ForgetBrokersOnActivation);
  const RunOutcome buggy = run_and_classify(s);
  CHECK(buggy.outcome == "liveness:broker_fenced_within");
  CHECK(buggy.invariant == "broker_fenced_within");
  CHECK(buggy.detail.find("never became fenced") != std::string::npos);
  CHECK(buggy.trace_hash != fixed.trace_hash);
  // The same scenario and seed: the same run.
  CHECK(run_and_classify(s).trace_hash == buggy.trace_hash);
}

TEST_CASE("fuzz outcome: a real run of bug-2 with hw-at-epoch-start fails") {
  sim::Scenario s = shipped(kBug2);
  CHECK(run_and_classify(s).outcome == "pass");
  s.bugs.insert(raft::Bug::HwAtEpochStart);
  const RunOutcome o = run_and_classify(s);
  // Another invariant may catch this bug before the expectation does.
  const bool expected = o.outcome == "liveness:no_progress_between" ||
                        o.outcome == "safety:LeaderCommitsOwnEpoch";
  CHECK_MESSAGE(expected, o.outcome);
}

TEST_CASE("fuzz outcome: a real run over its event bound is events_max") {
  sim::Scenario s = shipped(kBug16);
  s.stop.events_max = 300;
  const RunOutcome o = run_and_classify(s);
  CHECK(o.outcome == "events_max");
  CHECK(o.events >= 300);
  CHECK(o.events <= 301);
  REQUIRE(o.failed_at.has_value());
  CHECK(*o.failed_at < Instant::from_ms(30'000));
}

TEST_CASE("fuzz outcome: an exception escaping the simulation is error, with its message") {
  sim::Scenario s = shipped(kBug16);
  s.timeline[0].node->id = raft::NodeId{99};  // built in code: no loader to reject it
  const RunOutcome o = run_and_classify(s);
  CHECK(o.outcome == "error");
  CHECK_FALSE(o.passed());
  CHECK(o.detail.find("99") != std::string::npos);
}
