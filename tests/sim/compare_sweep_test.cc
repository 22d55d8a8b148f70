// Tests of the sweep cases of `kraftsim compare` (sim/compare/sweep.hh): names, times, the
// timeline and cluster they build, the voters each fault takes out, the range checks, and, by
// running them, which quorum sizes keep making progress with how many voters or racks down.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "raft/common/assert.hh"
#include "sim/compare/sweep.hh"
#include "sim/node_host.hh"
#include "sim/scenario/scenario_loader.hh"
#include "sim/scenario/scenario_writer.hh"
#include "sim/simulation.hh"

namespace {

using sim::ActionType;
using sim::Instant;
using sim::NodeSelector;
using sim::compare::SweepCase;
using sim::compare::SweepKind;
using sim::compare::sweep_case;

// Ids of a selector that is an array of node ids (or one id).
std::vector<int> ids_of(const NodeSelector& s) {
  std::vector<int> out;
  if (s.kind == NodeSelector::Kind::Id) out.push_back(s.id.value());
  for (const NodeSelector& m : s.members) {
    REQUIRE(m.kind == NodeSelector::Kind::Id);
    out.push_back(m.id.value());
  }
  return out;
}

// What one run of a case showed.
struct Ran {
  int voters_crashed_at_fault = 0;  // voters Crashed right after the fault instant
  bool progress = false;            // the progress_between expectation passed
  bool violation = false;
  std::string outcome;
};

Ran run_case(const SweepCase& c) {
  sim::Simulation s(c.scenario, c.seed);
  s.run_until(c.fault_start);
  Ran out;
  for (const auto& n : s.nodes()) {
    if (n->is_voter() && n->status() == sim::NodeStatus::Crashed) ++out.voters_crashed_at_fault;
  }
  const sim::RunResult r = s.run();
  REQUIRE(r.expectations.size() == 1);
  CHECK(r.expectations[0].type == "progress_between");
  out.progress = r.expectations[0].passed;
  out.violation = r.violation.has_value();
  out.outcome = std::string(sim::to_string(r.outcome));
  return out;
}

}  // namespace

TEST_CASE("sweep: kind names and case names") {
  CHECK(sim::compare::to_string(SweepKind::VotersDown) == "voters-down");
  CHECK(sim::compare::to_string(SweepKind::RacksDown) == "racks-down");

  const SweepCase v = sweep_case(SweepKind::VotersDown, 2, 3, 1);
  CHECK(v.scenario.name == "sweep-voters-down-2-v3-seed-1");
  CHECK(v.scenario.seed == 1);
  CHECK(v.seed == 1);
  CHECK(v.kind == SweepKind::VotersDown);
  CHECK(v.down == 2);
  CHECK(v.voters == 3);
  CHECK(v.scenario.source_path.empty());

  const SweepCase r = sweep_case(SweepKind::RacksDown, 1, 5, 17);
  CHECK(r.scenario.name == "sweep-racks-down-1-v5-seed-17");
  CHECK(r.scenario.seed == 17);
}

TEST_CASE("sweep: fault window and progress window") {
  const SweepCase c = sweep_case(SweepKind::VotersDown, 1, 3, 0);
  CHECK(c.fault_start == Instant::from_ms(10'000));
  CHECK(c.fault_end == Instant::from_ms(30'000));
  CHECK(c.progress_from == Instant::from_ms(20'000));
  CHECK(c.scenario.stop.at == Instant::from_ms(50'000));
  REQUIRE(c.scenario.expectations.size() == 1);
  CHECK(c.scenario.expectations[0].type == sim::ExpectationType::ProgressBetween);
  CHECK(c.scenario.expectations[0].from == Instant::from_ms(20'000));
  CHECK(c.progress_to == Instant::from_ms(29'999));
  CHECK(c.scenario.expectations[0].to == Instant::from_ms(29'999));

  sim::compare::SweepSettings s;
  s.fault_at_ms = 5'000;
  s.hold_ms = 3'001;
  s.recovery_ms = 1'000;
  const SweepCase o = sweep_case(SweepKind::RacksDown, 1, 3, 0, s);
  CHECK(o.fault_start == Instant::from_ms(5'000));
  CHECK(o.fault_end == Instant::from_ms(8'001));
  CHECK(o.progress_from == Instant::from_ms(6'500));
  CHECK(o.scenario.stop.at == Instant::from_ms(9'001));
  CHECK(o.scenario.expectations[0].from == Instant::from_ms(6'500));
  CHECK(o.scenario.expectations[0].to == Instant::from_ms(8'000));
}

TEST_CASE("sweep: the cluster, network and topics") {
  const SweepCase c = sweep_case(SweepKind::VotersDown, 0, 5, 0);
  const sim::ClusterSpec& cl = c.scenario.cluster;
  CHECK(cl.controllers == 5);
  CHECK(cl.brokers == 6);
  CHECK(cl.state_machine == sim::StateMachineChoice::Metadata);
  REQUIRE(cl.racks.size() == 6);
  CHECK(cl.racks.at(5) == "rack-a");
  CHECK(cl.racks.at(6) == "rack-b");
  CHECK(cl.racks.at(7) == "rack-c");
  CHECK(cl.racks.at(8) == "rack-a");
  CHECK(cl.racks.at(10) == "rack-c");
  CHECK(cl.config == sim::RaftConfigValues{});
  CHECK(cl.metadata == sim::MetadataConfigValues{});
  CHECK(c.scenario.network.default_link.latency.min == sim::Duration::millis(1));
  CHECK(c.scenario.network.default_link.latency.max == sim::Duration::millis(5));
  CHECK(c.scenario.network.default_link.loss.value == 0);
  REQUIRE(c.scenario.admin.topics.size() == 2);
  CHECK(c.scenario.admin.topics[0].name == "s0");
  CHECK(c.scenario.admin.topics[1].name == "s1");
  CHECK(c.scenario.admin.topics[1].partitions == 6);
  CHECK(c.scenario.admin.topics[1].replication_factor == 3);
  CHECK(c.scenario.admin.topics_at == Instant::from_ms(1'000));
  // The baseline: nothing happens.
  CHECK(c.scenario.timeline.empty());
  CHECK(c.voters_down == 0);
  CHECK(c.summary == "5 voters, 6 brokers: nothing crashes (the baseline)");
}

TEST_CASE("sweep: voters down crash the leader and distinct followers, restart them by label") {
  const SweepCase c = sweep_case(SweepKind::VotersDown, 3, 5, 4);
  CHECK(c.voters_down == 3);
  CHECK(c.summary == "5 voters, 6 brokers: the leader and 2 followers crash at 10 s, restart at 30 s");
  const auto& t = c.scenario.timeline;
  REQUIRE(t.size() == 6);
  for (std::size_t i = 0; i < t.size(); ++i) CHECK(t[i].index == i);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(t[i].type == ActionType::Crash);
    CHECK(t[i].at == Instant::from_ms(10'000));
    CHECK(t[i].label == "down-" + std::to_string(i));
    REQUIRE(t[i].node.has_value());
    CHECK(t[i].node->kind == (i == 0 ? NodeSelector::Kind::Leader : NodeSelector::Kind::Follower));
  }
  for (std::size_t i = 3; i < 6; ++i) {
    CHECK(t[i].type == ActionType::Restart);
    CHECK(t[i].at == Instant::from_ms(30'000));
    REQUIRE(t[i].node.has_value());
    CHECK(t[i].node->kind == NodeSelector::Kind::Label);
    CHECK(t[i].node->label == "down-" + std::to_string(i - 3));
  }
  CHECK(sweep_case(SweepKind::VotersDown, 1, 3, 0).summary ==
        "3 voters, 6 brokers: the leader crashes at 10 s, restarts at 30 s");
  CHECK(sweep_case(SweepKind::VotersDown, 2, 3, 0).summary ==
        "3 voters, 6 brokers: the leader and 1 follower crash at 10 s, restart at 30 s");
}

TEST_CASE("sweep: racks down take out the voters and brokers of (seed + i) % 3") {
  CHECK(sweep_case(SweepKind::RacksDown, 1, 3, 0).voters_down == 1);
  CHECK(sweep_case(SweepKind::RacksDown, 1, 5, 0).voters_down == 2);  // rack a: voters 0, 3
  CHECK(sweep_case(SweepKind::RacksDown, 1, 5, 1).voters_down == 2);  // rack b: voters 1, 4
  CHECK(sweep_case(SweepKind::RacksDown, 1, 5, 2).voters_down == 1);  // rack c: voter 2
  CHECK(sweep_case(SweepKind::RacksDown, 2, 5, 0).voters_down == 4);  // racks a, b
  CHECK(sweep_case(SweepKind::RacksDown, 2, 5, 2).voters_down == 3);  // racks c, a
  CHECK(sweep_case(SweepKind::RacksDown, 3, 5, 7).voters_down == 5);
  CHECK(sweep_case(SweepKind::RacksDown, 2, 3, 5).voters_down == 2);
  CHECK(sweep_case(SweepKind::RacksDown, 0, 3, 0).voters_down == 0);
  CHECK(sweep_case(SweepKind::RacksDown, 0, 3, 0).scenario.timeline.empty());

  const SweepCase c = sweep_case(SweepKind::RacksDown, 2, 5, 2);
  CHECK(c.summary ==
        "5 voters, 6 brokers: rack-c and rack-a (3 voters, 4 brokers) crash at 10 s, restart at "
        "30 s");
  const auto& t = c.scenario.timeline;
  REQUIRE(t.size() == 4);
  CHECK(t[0].type == ActionType::Crash);
  CHECK(t[0].label == "down-rack-c");
  CHECK(ids_of(*t[0].node) == std::vector<int>{2, 7, 10});
  CHECK(t[1].type == ActionType::Crash);
  CHECK(t[1].label == "down-rack-a");
  CHECK(ids_of(*t[1].node) == std::vector<int>{0, 3, 5, 8});
  CHECK(t[0].at == Instant::from_ms(10'000));
  CHECK(t[1].at == Instant::from_ms(10'000));
  CHECK(t[2].type == ActionType::Restart);
  CHECK(t[2].node->label == "down-rack-c");
  CHECK(t[3].type == ActionType::Restart);
  CHECK(t[3].node->label == "down-rack-a");
  CHECK(t[3].at == Instant::from_ms(30'000));

  CHECK(sweep_case(SweepKind::RacksDown, 1, 3, 1).summary ==
        "3 voters, 6 brokers: rack-b (1 voter, 2 brokers) crashes at 10 s, restarts at 30 s");
}

TEST_CASE("sweep: down outside the kind's range is an assertion failure") {
  CHECK_THROWS_AS(sweep_case(SweepKind::VotersDown, 4, 3, 0), raft::AssertionFailure);
  CHECK_THROWS_AS(sweep_case(SweepKind::VotersDown, -1, 3, 0), raft::AssertionFailure);
  CHECK_THROWS_AS(sweep_case(SweepKind::RacksDown, 4, 5, 0), raft::AssertionFailure);
  CHECK_THROWS_AS(sweep_case(SweepKind::RacksDown, -1, 5, 0), raft::AssertionFailure);
  CHECK_NOTHROW(sweep_case(SweepKind::VotersDown, 3, 3, 0));
  CHECK_NOTHROW(sweep_case(SweepKind::RacksDown, 3, 3, 0));
}

TEST_CASE("sweep: the written scenario replays the same run") {
  sim::compare::SweepSettings s;
  s.fault_at_ms = 5'000;
  s.hold_ms = 4'000;
  s.recovery_ms = 1'000;
  const SweepCase c = sweep_case(SweepKind::VotersDown, 2, 5, 3, s);
  const sim::Scenario replay =
      sim::parse_scenario_text(sim::scenario_to_json(c.scenario).dump(), "replay.json");
  CHECK(replay.name == c.scenario.name);
  CHECK(replay.seed == 3);
  const sim::RunResult a = sim::Simulation(c.scenario, c.seed).run();
  const sim::RunResult b = sim::Simulation(replay, replay.seed).run();
  CHECK(a.trace_hash == b.trace_hash);
  CHECK(a.events == b.events);
  CHECK(a.events > 1000);
}

// Each run simulates 50 s of a 3- or 5-voter cluster with 6 brokers.
TEST_CASE("sweep: voters down, run: a quorum progresses while a majority is up") {
  struct Cell {
    int down;
    int voters;
    bool progress;
  };
  const std::vector<Cell> cells = {{1, 3, true}, {2, 3, false}, {1, 5, true}, {2, 5, true},
                                   {3, 5, false}};
  for (const Cell& cell : cells) {
    const SweepCase c = sweep_case(SweepKind::VotersDown, cell.down, cell.voters, 1);
    CAPTURE(c.scenario.name);
    const Ran r = run_case(c);
    // "leader" and then "follower" d - 1 times at one instant: d different voters are down.
    CHECK(r.voters_crashed_at_fault == cell.down);
    CHECK(r.progress == cell.progress);
    CHECK_FALSE(r.violation);
    CHECK(r.outcome == (cell.progress ? "success" : "expectation-failed"));
  }
}

TEST_CASE("sweep: racks down, run: one rack is survivable, two are not") {
  struct Cell {
    int down;
    int voters;
    int voters_down;
    bool progress;
  };
  // Seed 0: rack a first (voter 0 of 3; voters 0 and 3 of 5), then rack b.
  const std::vector<Cell> cells = {{1, 3, 1, true}, {2, 3, 2, false}, {1, 5, 2, true},
                                   {2, 5, 4, false}};
  for (const Cell& cell : cells) {
    const SweepCase c = sweep_case(SweepKind::RacksDown, cell.down, cell.voters, 0);
    CAPTURE(c.scenario.name);
    const Ran r = run_case(c);
    CHECK(c.voters_down == cell.voters_down);
    CHECK(r.voters_crashed_at_fault == cell.voters_down);
    CHECK(r.progress == cell.progress);
    CHECK_FALSE(r.violation);
  }
}
