// Tests for sim/checkers/check_quorum.hh: whole small runs (scenarios written here) in which a
// leader loses its majority. With Bug::NoCheckQuorum the leader never resigns and CheckQuorum
// stops the run one check-quorum window (1.5 x the leader's own fetch timeout, on its own clock)
// after the fetches that last made a majority; without the bug the leader resigns in time and the
// run has no violation. Paused leaders, leaders blocked in an fsync and single-voter quorums are
// not judged.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "raft/common/bugs.hh"
#include "sim/checkers/check_quorum.hh"
#include "sim/scenario/scenario_loader.hh"
#include "sim/simulation.hh"

using raft::Bug;
using sim::Instant;

namespace {

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// A counter cluster of `voters` voters on constant 1 ms links, appending every 10 ms. Node 0
// (election timeout 200 ms, the others 3000 ms) wins the first election. `node0` is spliced into
// node 0's configuration, `timeline` is the timeline's JSON array.
sim::Scenario scenario(int voters, const std::string& node0, const std::string& timeline,
                       int stop_ms) {
  const std::string text = R"({
  "name": "check-quorum-test",
  "description": "a leader loses its majority",
  "cluster": {
    "controllers": )" + std::to_string(voters) + R"(, "brokers": 0, "state_machine": "counter",
    "config": {"controller.quorum.election.timeout.ms": 3000},
    "node_config": {"0": {"controller.quorum.election.timeout.ms": 200)" + node0 + R"(}}
  },
  "network": {"latency": {"distribution": "constant", "ms": 1}},
  "workload": {"append_interval_ms": 10},
  "timeline": )" + timeline + R"(,
  "stop": {"at_ms": )" + std::to_string(stop_ms) + R"(}
})";
  return sim::parse_scenario_text(text, "check-quorum-test.json");
}

// Runs `s` with and without `bug`; returns the run with it.
sim::RunResult run(sim::Scenario s, bool bug, std::uint64_t seed = 1) {
  if (bug) s.bugs.insert(Bug::NoCheckQuorum);
  sim::Simulation simulation(s, seed);
  return simulation.run();
}

std::string describe(const sim::RunResult& r) {
  std::string out = std::string(sim::to_string(r.outcome)) + " (" + r.stop_reason + ")";
  if (r.violation) out += "; " + r.violation->invariant + ": " + r.violation->detail;
  return out;
}

// The whole milliseconds of the last fetch time of voter `id` in a CheckQuorum detail
// (" 2=t=4025.000ms"), or -1 if it is not there.
long last_fetch_ms(const std::string& detail, int id) {
  const std::string key = " " + std::to_string(id) + "=t=";
  const std::size_t at = detail.find(key);
  if (at == std::string::npos) return -1;
  return std::stol(detail.substr(at + key.size(), detail.find('.', at) - at - key.size()));
}

const char* const kIsolateAt4s = R"([{"at_ms": 4000, "action": "isolate", "node": 0}])";

}  // namespace

TEST_CASE("CheckQuorum: an isolated leader that never resigns is caught one window later") {
  const sim::Scenario s = scenario(3, "", kIsolateAt4s, 12'000);
  for (const std::uint64_t seed : {1U, 2U, 3U}) {
    CAPTURE(seed);
    const sim::RunResult fixed = run(s, false, seed);
    INFO("fixed: " << describe(fixed));
    CHECK(fixed.outcome == sim::Outcome::Success);
    CHECK_FALSE(fixed.violation.has_value());

    const sim::RunResult buggy = run(s, true, seed);
    INFO("buggy: " << describe(buggy));
    REQUIRE(buggy.violation.has_value());
    const sim::Violation& v = *buggy.violation;
    CHECK(buggy.outcome == sim::Outcome::SafetyViolation);
    CHECK(v.invariant == "CheckQuorum");
    CHECK(v.nodes == std::vector<raft::NodeId>{raft::NodeId(0)});
    // The followers' last fetches reached node 0 about when it was isolated (fetches parked at
    // the leader complete with its next append, up to ~30 ms later); one window of 3000 ms later
    // (plus the 1 ms slack) the run stops at the first check that finds it unblocked.
    const long f1 = last_fetch_ms(v.detail, 1);
    const long f2 = last_fetch_ms(v.detail, 2);
    CHECK(f1 >= 3'990);
    CHECK(f1 <= 4'040);
    CHECK(f2 >= 3'990);
    CHECK(f2 <= 4'040);
    const long last = std::max(f1, f2);
    CHECK(v.at > Instant::from_ms(last + 3'001));
    CHECK(v.at <= Instant::from_ms(last + 3'001 + 30));
    CHECK(contains(v.detail, "node 0 still leads epoch 1 at local t=70"));
    CHECK(contains(v.detail, "no majority of its 3 voters (itself and 1 other(s)) fetched within a "
                             "check-quorum window since t=" + std::to_string(last) + ".000ms"));
    CHECK(contains(v.detail, "beyond the bound 1.5 x fetch timeout + slack = 3000.000ms + "
                             "1.000ms = 3001.000ms; last fetches on the leader's clock: 1=t="));
  }
}

TEST_CASE("CheckQuorum: the window is the leader's own, on its own clock") {
  // Node 0's fetch timeout is 1000 ms (window 1500 ms) and its clock runs at 2x: its window ends
  // 750 ms of simulated time after the last fetches before the isolation at 4000 ms. The
  // followers' 2000 ms fetch timeout plays no part.
  const sim::Scenario s = scenario(
      3, R"(, "controller.quorum.fetch.timeout.ms": 1000)",
      R"([{"at_ms": 0, "action": "clock_drift", "node": 0, "drift_ppm": 1000000},
          {"at_ms": 4000, "action": "isolate", "node": 0}])",
      8'000);
  const sim::RunResult fixed = run(s, false);
  INFO("fixed: " << describe(fixed));
  CHECK_FALSE(fixed.violation.has_value());

  const sim::RunResult buggy = run(s, true);
  INFO("buggy: " << describe(buggy));
  REQUIRE(buggy.violation.has_value());
  const sim::Violation& v = *buggy.violation;
  CHECK(v.invariant == "CheckQuorum");
  CHECK(v.nodes == std::vector<raft::NodeId>{raft::NodeId(0)});
  // Fetch times are on node 0's clock, twice the simulated time.
  const long last = std::max(last_fetch_ms(v.detail, 1), last_fetch_ms(v.detail, 2));
  CHECK(last >= 2 * 3'990);
  CHECK(last <= 2 * 4'040);
  CHECK(v.at > Instant::from_ms((last + 1'501) / 2));
  CHECK(v.at <= Instant::from_ms((last + 1'501) / 2 + 30));
  // Local times are twice the simulated ones.
  CHECK(contains(v.detail, "node 0 still leads epoch 1 at local t=9"));
  CHECK(contains(v.detail, "= 1500.000ms + 1.000ms = 1501.000ms"));
}

TEST_CASE("CheckQuorum: a leader needs a majority, not one follower, in a 5-voter quorum") {
  // Node 0 keeps node 1 (which goes on fetching from it) but loses nodes 2-4: one remote voter is
  // not enough when a majority of 5 needs two besides the leader.
  const sim::Scenario s = scenario(
      5, "", R"([{"at_ms": 4000, "action": "partition", "groups": [[0, 1], [2, 3, 4]]}])", 12'000);
  const sim::RunResult fixed = run(s, false);
  INFO("fixed: " << describe(fixed));
  CHECK_FALSE(fixed.violation.has_value());

  const sim::RunResult buggy = run(s, true);
  INFO("buggy: " << describe(buggy));
  REQUIRE(buggy.violation.has_value());
  const sim::Violation& v = *buggy.violation;
  CHECK(v.invariant == "CheckQuorum");
  CHECK(v.nodes == std::vector<raft::NodeId>{raft::NodeId(0)});
  CHECK(contains(v.detail, "no majority of its 5 voters (itself and 2 other(s))"));
  // Nodes 2-4 fetched last about when the partition started; node 1 fetched a moment ago.
  for (int id : {2, 3, 4}) {
    CAPTURE(id);
    CHECK(last_fetch_ms(v.detail, id) >= 3'990);
    CHECK(last_fetch_ms(v.detail, id) <= 4'040);
  }
  CHECK(last_fetch_ms(v.detail, 1) >= v.at.us() / 1000 - 30);
  // One window after those fetches at the earliest. When they all came in one instant (the
  // parked fetches completing together) and node 1 fetches exactly one window later, Kafka may
  // or may not have counted them in the window before (their order within the instant decides),
  // so the checker gives the leader one more window: at most two in all.
  const long last = last_fetch_ms(v.detail, 2);
  CHECK(v.at > Instant::from_ms(last + 3'001));
  CHECK(v.at <= Instant::from_ms(last + 2 * 3'000 + 1 + 30));
}

TEST_CASE("CheckQuorum: paused and fsync-blocked leaders are not judged") {
  // Each blocks the leader for longer than its window; it cannot resign meanwhile, so even the
  // fixed leader is still Leader when it resumes (and then steps down). Neither run is a
  // violation, since a blocked node is skipped.
  SUBCASE("paused 6 s") {
    const sim::Scenario s = scenario(3, "",
                                     R"([{"at_ms": 4000, "action": "pause", "node": 0},
                                         {"at_ms": 10000, "action": "resume", "node": 0}])",
                                     14'000);
    const sim::RunResult fixed = run(s, false);
    INFO(describe(fixed));
    CHECK_FALSE(fixed.violation.has_value());
  }
  SUBCASE("one fsync of 6 s") {
    const sim::Scenario s = scenario(3, "",
                                     R"([{"at_ms": 4000, "action": "slow_disk", "node": 0, "flush_ms": 6000},
                                         {"at_ms": 4100, "action": "slow_disk", "node": 0, "flush_ms": 0}])",
                                     14'000);
    const sim::RunResult fixed = run(s, false);
    INFO(describe(fixed));
    CHECK_FALSE(fixed.violation.has_value());
  }
}

TEST_CASE("CheckQuorum: a single-voter quorum never loses its quorum") {
  // Nobody ever fetches from the only voter; with or without the bug it leads for ever.
  const std::string text = R"({
  "name": "single",
  "description": "one voter",
  "cluster": {"controllers": 1, "brokers": 0, "state_machine": "counter"},
  "workload": {"append_interval_ms": 10},
  "stop": {"at_ms": 20000}
})";
  const sim::Scenario s = sim::parse_scenario_text(text, "single.json");
  for (const bool bug : {false, true}) {
    CAPTURE(bug);
    const sim::RunResult r = run(s, bug);
    INFO(describe(r));
    CHECK(r.outcome == sim::Outcome::Success);
  }
}

TEST_CASE("CheckQuorum: the name and the slack") {
  sim::CheckQuorum inv;
  CHECK(inv.name() == "CheckQuorum");
  CHECK(sim::CheckQuorum::kSlack == sim::Duration::millis(1));
}
