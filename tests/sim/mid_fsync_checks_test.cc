// A node blocked in a slow fsync is in the middle of a poll: the checkers that read its high
// watermark wait until the fsync completes (sim/checkers/invariant.hh, mid_fsync). A lone voter
// counts its unflushed end offset towards its HW before the fsync, as Kafka's flushLeaderLog does;
// the HW is published to nobody until the fsync is done, and a crash in between loses only what
// nobody saw.
#include <doctest/doctest.h>

#include <string>

#include "sim/scenario/scenario_loader.hh"
#include "sim/simulation.hh"

namespace {

// One controller and one broker, a topic at 1 s, 100 ms fsyncs on the controller from 5 s, and
// `crash` (a timeline action, or empty) added.
sim::RunResult run_lone_voter(const std::string& crash) {
  const std::string text = R"({"name": "lone-voter-slow-disk", "description": "d",
    "cluster": {"controllers": 1, "brokers": 1},
    "workload": {"admin": {"topics": [{"name": "t", "partitions": 2, "replication_factor": 1}],
                           "topics_at_ms": 1000}},
    "timeline": [{"at_ms": 5000, "action": "slow_disk", "node": 0, "flush_ms": 100})" +
                           crash + R"(],
    "stop": {"at_ms": 15000}})";
  return sim::Simulation(sim::parse_scenario_text(text, "test"), 1).run();
}

}  // namespace

TEST_CASE("mid-fsync: a lone voter with a slow disk commits through its fsyncs without a violation") {
  const sim::RunResult r = run_lone_voter("");
  CHECK_FALSE(r.violation.has_value());
  CHECK(r.outcome == sim::Outcome::Success);
  CHECK(r.metadata.committed_end.value() > 20);  // it kept committing after 5 s
  CHECK(r.committed_records_lost == 0);
}

TEST_CASE("mid-fsync: a lone voter crashing inside an fsync loses only the unpublished tail") {
  const sim::RunResult r = run_lone_voter(R"(,
    {"at_ms": 5026, "action": "crash", "node": 0, "label": "c"},
    {"at_ms": 6026, "action": "restart", "node": "label:c"})");
  CHECK_FALSE(r.violation.has_value());
  REQUIRE(r.nodes.size() == 2);
  CHECK(r.nodes[0].crashes == 1);
  CHECK(r.nodes[0].batches_lost_in_crashes == 1);  // the batch whose fsync was in flight
  CHECK(r.committed_records_lost == 0);
}
