// Each re-introduced historical bug (raft/common/bugs.hh) is caught by its regression scenario:
// the scenario passes as shipped and fails (a non-success outcome) with its bug switched on, for
// the seeds every shipped scenario is replayed with (1, 2, 3). Also checks how each failure shows
// (which invariant stops the run, or else which expectations fail), so a scenario that starts
// failing for another reason is noticed, and that the Simulation hands the bugs to the nodes'
// configurations.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "raft/common/bugs.hh"
#include "raft/leader_state.hh"
#include "sim/node_host.hh"
#include "sim/simulation.hh"
#include "support/scenario_runner.hh"

namespace {

using kraftsim::test::describe_failures;
using kraftsim::test::kSeeds;
using kraftsim::test::load_shipped_scenario;
using raft::Bug;
using raft::Instant;

struct RegressionCase {
  Bug bug;
  const char* scenario;
  // The invariant whose violation must stop the run with the bug on ("" = none: the run goes to
  // its end and expectations fail).
  std::string invariant;
  // Descriptions of expectations that must fail with the bug on (each a substring of one); only
  // for runs that no invariant stops (a stopped run fails every expectation it did not reach).
  std::vector<std::string> failing;
};

const std::vector<RegressionCase>& regression_cases() {
  static const std::vector<RegressionCase> cases = {
      // The isolated leader outlives its check-quorum window (about 7 s, before the expectation
      // "no leader within 3200 ms of 'isolate'" is decided).
      {Bug::NoCheckQuorum, "bug-4-kafka-15489-check-quorum", "CheckQuorum", {}},
      // The first leader accepts HW 0 at its epoch start offset 0, long before the failover the
      // scenario's expectations look at.
      {Bug::HwAtEpochStart, "bug-2-kafka-12619-commit-only-own-epoch", "LeaderCommitsOwnEpoch", {}},
      {Bug::RestartAsLeader,
       "bug-1-kafka-10527-leader-restarts-resigned",
       "",
       {"a leader of a newer epoch commits within 1000 ms of 'crash'"}},
      {Bug::PreVotePingPong,
       "bug-18-kip-996-pre-vote-ping-pong",
       "",
       {"a leader of a newer epoch commits within 3300 ms of 'isolate'"}},
      {Bug::ForgetBrokersOnActivation,
       "bug-16-kafka-18138-broker-dies-during-failover",
       "",
       {"broker 5 is fenced within 14500 ms of 'crash-broker'",
        "at the end broker 5 leads no partition"}},
  };
  return cases;
}

bool failed(const sim::RunResult& r, const std::string& description) {
  for (const sim::ExpectationResult& e : r.expectations) {
    if (!e.passed && e.description.find(description) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("bug flags: every bug has a regression scenario here") {
  std::vector<Bug> covered;
  for (const RegressionCase& c : regression_cases()) covered.push_back(c.bug);
  CHECK(covered == std::vector<Bug>(raft::kAllBugs.begin(), raft::kAllBugs.end()));
}

TEST_CASE("bug flags: each regression scenario passes without its bug and fails with it") {
  for (const RegressionCase& c : regression_cases()) {
    for (std::uint64_t seed : kSeeds) {
      CAPTURE(c.scenario);
      CAPTURE(seed);
      sim::Scenario scenario = load_shipped_scenario(c.scenario);
      REQUIRE(scenario.bugs.empty());
      {
        sim::Simulation fixed(scenario, seed);
        const sim::RunResult r = fixed.run();
        INFO("without the bug: " << describe_failures(r));
        CHECK(r.outcome == sim::Outcome::Success);
      }
      scenario.bugs.insert(c.bug);
      sim::Simulation buggy(scenario, seed);
      const sim::RunResult r = buggy.run();
      INFO("with " << raft::to_string(c.bug) << ": " << describe_failures(r));
      CHECK(r.outcome != sim::Outcome::Success);
      if (c.invariant.empty()) {
        CHECK_FALSE(r.violation.has_value());
      } else {
        CHECK(r.outcome == sim::Outcome::SafetyViolation);
        REQUIRE(r.violation.has_value());
        CHECK(r.violation->invariant == c.invariant);
      }
      for (const std::string& expectation : c.failing) {
        CAPTURE(expectation);
        CHECK(failed(r, expectation));
      }
    }
  }
}

TEST_CASE("bug flags: other bugs leave a regression scenario's run unchanged where they cannot act") {
  // forget-brokers-on-activation lives in the quorum controller; the counter scenarios run none,
  // so switching it on changes nothing, to the trace hash.
  for (const char* name : {"bug-4-kafka-15489-check-quorum", "bug-18-kip-996-pre-vote-ping-pong"}) {
    CAPTURE(name);
    sim::Scenario scenario = load_shipped_scenario(name);
    sim::Simulation plain(scenario, 1);
    const sim::RunResult a = plain.run();
    scenario.bugs.insert(Bug::ForgetBrokersOnActivation);
    sim::Simulation with(scenario, 1);
    const sim::RunResult b = with.run();
    CHECK(a.outcome == sim::Outcome::Success);
    CHECK(b.trace_hash == a.trace_hash);
  }
}

TEST_CASE("bug flags: the Simulation gives every node the scenario's bugs") {
  for (const bool bug : {false, true}) {
    CAPTURE(bug);
    sim::Scenario scenario = load_shipped_scenario("bug-16-kafka-18138-broker-dies-during-failover");
    if (bug) scenario.bugs = raft::BugSet{Bug::NoCheckQuorum, Bug::ForgetBrokersOnActivation};
    sim::Simulation simulation(scenario, 1);
    simulation.run_until(Instant::from_ms(5'000));
    int leaders = 0;
    for (int id = 0; id < scenario.cluster.node_count(); ++id) {
      CAPTURE(id);
      const sim::NodeHost& node = simulation.node(raft::NodeId(id));
      // The controller's configuration (every node's spec carries it).
      CHECK(node.process().controller_config.bugs == scenario.bugs);
      // The Raft layer's: the leader's check-quorum deadline is never() only with the bug.
      REQUIRE(node.client() != nullptr);
      if (const raft::LeaderState* leader = node.client()->quorum().leader_or_null()) {
        ++leaders;
        CHECK((leader->check_quorum_deadline() == Instant::never()) == bug);
      }
    }
    CHECK(leaders == 1);
  }
}

TEST_CASE("bug flags: forget-brokers-on-activation leaves the dead broker untracked by the new controller") {
  // Broker 5 and the active controller crash at 10 s; a new controller activates at about 11.7 s
  // (seed 1). Fixed: it tracks broker 5 from its activation (and fences it 9 s later, still
  // tracking it). With the bug: broker 5 never heartbeats it, so it is never tracked; the live
  // brokers 3 and 4 are, from their first heartbeat to it (about 15.6 s and 19.6 s).
  for (const bool bug : {false, true}) {
    CAPTURE(bug);
    sim::Scenario scenario = load_shipped_scenario("bug-16-kafka-18138-broker-dies-during-failover");
    if (bug) scenario.bugs.insert(Bug::ForgetBrokersOnActivation);
    sim::Simulation simulation(scenario, 1);
    simulation.run_until(Instant::from_ms(21'000));
    const raft::controller::QuorumController* active = nullptr;
    for (int id = 0; id < scenario.cluster.controllers; ++id) {
      const sim::NodeHost& node = simulation.node(raft::NodeId(id));
      if (node.controller() != nullptr && node.controller()->activation_done()) active = node.controller();
    }
    REQUIRE(active != nullptr);
    CHECK(active->heartbeats().is_tracked(3));
    CHECK(active->heartbeats().is_tracked(4));
    CHECK(active->heartbeats().is_tracked(5) == !bug);
  }
}
