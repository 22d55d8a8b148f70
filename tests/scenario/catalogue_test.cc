// Kafka's own Raft simulation catalogue (RaftEventSimulationTest), replayed from the scenario files
// in scenarios/ with several seeds. Each test checks the run succeeded (every invariant held after
// every event, every expectation of the file passed) and then the specific behaviour the Kafka test
// is about, read from the run's timeline, failovers and final state.
#include <doctest/doctest.h>

#include "support/scenario_runner.hh"

namespace {

using kraftsim::test::run_shipped_scenario;
using kraftsim::test::timeline_has;

using kraftsim::test::kSeeds;
using kraftsim::test::require_success;

std::int64_t min_hw(const sim::RunResult& r) {
  std::int64_t m = INT64_MAX;
  for (const sim::NodeSummary& n : r.nodes) {
    if (n.status == "running") m = std::min(m, n.high_watermark ? n.high_watermark->value() : -1);
  }
  return m;
}

}  // namespace

TEST_CASE("canElectInitialLeader: 1, 3 and 5 voters with observers elect one leader and replicate") {
  for (const char* name : {"elect-1-voter", "elect-3-voters", "elect-5-voters"}) {
    for (std::uint64_t seed : kSeeds) {
      CAPTURE(name);
      const sim::RunResult r = run_shipped_scenario(name, seed);
      require_success(r);
      CHECK(r.failovers.empty());
      CHECK(min_hw(r) >= 100);  // every node, observers included, replicated committed records
      const auto leaders = std::count_if(r.nodes.begin(), r.nodes.end(),
                                         [](const sim::NodeSummary& n) { return n.state == "Leader"; });
      CHECK(leaders == 1);
    }
  }
}

TEST_CASE("canElectInitialLeader: a single voter elects itself at start-up without waiting") {
  const sim::RunResult r = run_shipped_scenario("elect-1-voter", 1);
  require_success(r);
  REQUIRE(!r.timeline.empty());
  // The voter's election happens at time 0 (no election timeout, no network round trip).
  bool elected_at_zero = false;
  for (const sim::TimelineEntry& t : r.timeline) {
    if (t.kind == sim::TimelineEntry::Kind::Election && t.at == raft::Instant::zero()) elected_at_zero = true;
  }
  CHECK(elected_at_zero);
}

TEST_CASE("canElectNewLeaderAfterOldLeaderFailure: hard kill, restart as Resigned (KAFKA-10527)") {
  for (std::uint64_t seed : kSeeds) {
    const sim::RunResult r = run_shipped_scenario("leader-crash", seed);
    require_success(r);
    REQUIRE(r.failovers.size() >= 1);
    const sim::Failover& f = r.failovers.front();
    REQUIRE(f.end.has_value());
    CHECK(f.new_epoch->value() > f.old_epoch.value());
    CHECK(*f.new_leader != *f.old_leader);
    // The crashed leader restarts Resigned in its old epoch: never Leader again in that epoch.
    CHECK(timeline_has(r, f.old_leader->value(),
                       "down -> Resigned(epoch " + std::to_string(f.old_epoch.value()) + ")"));
  }
}

TEST_CASE("canElectNewLeaderAfterOldLeaderFailure: graceful shutdown hands over in well under a fetch timeout") {
  for (std::uint64_t seed : kSeeds) {
    const sim::RunResult r = run_shipped_scenario("leader-graceful-shutdown", seed);
    require_success(r);
    REQUIRE(r.failovers.size() >= 1);
    const sim::Failover& f = r.failovers.front();
    REQUIRE(f.duration().has_value());
    // EndQuorumEpoch lets the best successor start at once instead of after the 2 s fetch timeout.
    CHECK(*f.duration() < raft::Duration::millis(1000));
    CHECK(timeline_has(r, f.old_leader->value(), "finished its graceful shutdown"));
  }
}

TEST_CASE("canRecoverAfterAllNodesKilled: a restarted majority elects a leader and commits past the old HW") {
  for (std::uint64_t seed : kSeeds) {
    const sim::RunResult r = run_shipped_scenario("all-killed-majority-restarts", seed);
    require_success(r);
    for (const sim::NodeSummary& n : r.nodes) {
      if (n.id.value() == 1) CHECK(n.status == "crashed");
    }
  }
}

TEST_CASE("canElectNewLeaderAfterOldLeaderPartitionedAway: the isolated leader resigns by check-quorum (KAFKA-15489)") {
  for (std::uint64_t seed : kSeeds) {
    const sim::RunResult r = run_shipped_scenario("leader-partitioned", seed);
    require_success(r);
    REQUIRE(r.failovers.size() >= 1);
    const sim::Failover& f = r.failovers.front();
    const int old = f.old_leader->value();
    // It notices it lost its quorum and resigns before the heal at 11 s.
    bool resigned_before_heal = false;
    for (const sim::TimelineEntry& t : r.timeline) {
      if (t.node && t.node->value() == old && t.text.find("-> Resigned") != std::string::npos &&
          t.at < raft::Instant::from_ms(11000)) {
        resigned_before_heal = true;
      }
    }
    CHECK(resigned_before_heal);
  }
}

TEST_CASE("canMakeProgressIfMajorityIsReachable: the majority side of a one-way partition commits") {
  for (std::uint64_t seed : kSeeds) {
    const sim::RunResult r = run_shipped_scenario("majority-reachable-one-way", seed);
    require_success(r);
    // At the end (after the heal) the leader is on the majority side or everyone rejoined it.
    const auto leader = std::find_if(r.nodes.begin(), r.nodes.end(),
                                     [](const sim::NodeSummary& n) { return n.state == "Leader"; });
    REQUIRE(leader != r.nodes.end());
  }
}

TEST_CASE("canMakeProgressAfterBackToBackLeaderFailures: two isolated leaders in a row, progress continues") {
  for (std::uint64_t seed : kSeeds) {
    const sim::RunResult r = run_shipped_scenario("back-to-back-leader-failures", seed);
    require_success(r);
    REQUIRE(r.failovers.size() >= 2);
    CHECK(r.failovers[1].new_epoch->value() > r.failovers[0].new_epoch->value());
  }
}
