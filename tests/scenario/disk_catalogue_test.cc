// Issue 3's scenarios (crash-consistent disks, snapshots, catch-up), replayed from scenarios/ with
// several seeds: each run must succeed (every invariant, including SnapshotAtLogStart,
// LeaderNeverLoadSnapshot and CommittedDataDurable, held after every event) and show the specific
// behaviour the scenario is about.
#include <doctest/doctest.h>

#include "support/scenario_runner.hh"

namespace {

using kraftsim::test::run_shipped_scenario;
using kraftsim::test::timeline_has;

using kraftsim::test::kSeeds;
using kraftsim::test::require_success;

const sim::NodeSummary& node(const sim::RunResult& r, int id) {
  return r.nodes.at(static_cast<std::size_t>(id));
}

}  // namespace

TEST_CASE("Snapshots: a follower and a broker far behind catch up by downloading a snapshot") {
  for (std::uint64_t seed : kSeeds) {
    const sim::RunResult r = run_shipped_scenario("follower-catch-up-by-snapshot", seed);
    require_success(r);
    // The leader's log no longer starts at 0: retention deleted the prefix the laggards needed.
    std::int64_t downloads = 0;
    for (const sim::NodeSummary& n : r.nodes) {
      downloads += n.snapshots_downloaded;
      if (n.state == "Leader") CHECK(n.log_start_offset.value() > 0);
    }
    CHECK(downloads >= 2);  // the lagging voter and the broker
    CHECK(node(r, 3).snapshots_downloaded >= 1);
    CHECK(node(r, 3).log_start_offset.value() > 0);
  }
}

TEST_CASE("Snapshots: one voter's disk wiped, twice, without losing a committed record (KAFKA-12181)") {
  for (std::uint64_t seed : kSeeds) {
    const sim::RunResult r = run_shipped_scenario("voter-disk-wiped", seed);
    require_success(r);
    std::uint64_t wipes = 0;
    for (const sim::NodeSummary& n : r.nodes) wipes += n.wipes;
    CHECK(wipes == 2);
  }
}

TEST_CASE("Snapshots: a crash in the middle of a snapshot write leaves only a .part file (KAFKA-15312)") {
  for (std::uint64_t seed : kSeeds) {
    const sim::RunResult r = run_shipped_scenario("crash-during-snapshot-write", seed);
    require_success(r);
    CHECK(timeline_has(r, 0, "in the middle of writing snapshot"));
    CHECK(timeline_has(r, 3, "in the middle of writing snapshot"));
    CHECK(node(r, 0).crashes == 1);
    CHECK(node(r, 3).crashes == 1);
    CHECK(node(r, 0).status == "running");
    CHECK(node(r, 3).status == "running");
  }
}

TEST_CASE("Disks: the leader killed with an unflushed, torn tail restarts Resigned (KAFKA-10527)") {
  for (std::uint64_t seed : kSeeds) {
    const sim::RunResult r = run_shipped_scenario("leader-crash-unflushed-tail", seed);
    require_success(r);
    REQUIRE(!r.failovers.empty());
    const int old = r.failovers.front().old_leader->value();
    const sim::NodeSummary& n = node(r, old);
    CHECK(n.crashes == 1);
    CHECK(n.batches_lost_in_crashes >= 1);  // the summary shows the lost tail
    CHECK(n.torn_writes == 1);
    CHECK(timeline_has(r, old, "lost the unflushed tail"));
    CHECK(timeline_has(r, old, "down -> Resigned(epoch " + std::to_string(r.failovers.front().old_epoch.value()) + ")"));
  }
}

TEST_CASE("Disks: the whole cluster restarts from its disks, snapshots first (KAFKA-15076)") {
  for (std::uint64_t seed : kSeeds) {
    const sim::RunResult r = run_shipped_scenario("whole-cluster-restart-from-disk", seed);
    require_success(r);
    for (const sim::NodeSummary& n : r.nodes) {
      CHECK(n.crashes == 1);
      CHECK(n.status == "running");
      if (n.voter) CHECK(n.batches_lost_in_crashes == 0);  // voters flushed everything they acked
    }
  }
}

TEST_CASE("Snapshots: by age every 2 s, and retention by age moves every log start") {
  for (std::uint64_t seed : kSeeds) {
    const sim::RunResult r = run_shipped_scenario("snapshots-by-age", seed);
    require_success(r);
    for (const sim::NodeSummary& n : r.nodes) {
      CAPTURE(n.id);
      CHECK(n.snapshots_created >= 50);  // about one every 2 s for 128 s
      CHECK(n.log_start_offset.value() > 0);
      CHECK(n.snapshots_on_disk <= 10);  // the older ones were deleted by age
    }
  }
}
