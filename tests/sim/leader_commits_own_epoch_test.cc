// Tests for sim/checkers/leader_commits_own_epoch.hh: with Bug::HwAtEpochStart a leader accepts a
// high watermark equal to its epoch start offset, and the invariant reports it; without the bug
// the first high watermark of an epoch is past the LeaderChange record and nothing is reported.
//
// The failover case is built from three NodeHosts whose disks already hold three records of
// epoch 1 (so the next leader's epoch starts at offset 3), joined by a tiny in-test network (1 ms
// per message, in order) and checked after every delivery and timer; the first-election case and
// the regression scenario are whole Simulation runs.
#include <doctest/doctest.h>

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "raft/common/bugs.hh"
#include "raft/record_batch.hh"
#include "sim/checkers/leader_commits_own_epoch.hh"
#include "sim/node_host.hh"
#include "sim/simulation.hh"
#include "scenario/support/scenario_runner.hh"

using raft::Bug;
using raft::Epoch;
using raft::NodeId;
using raft::Offset;
using sim::Duration;
using sim::Instant;
using sim::NodeHost;

namespace {

using Nodes = std::vector<std::unique_ptr<NodeHost>>;

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// Three voters {0, 1, 2} with the given bugs, whose disks hold the counter values 1, 2, 3 written
// in epoch 1 (offsets 0-2) and an epoch-1 quorum state without leader or vote; started at `now`.
Nodes voters_after_epoch_1(const raft::BugSet& bugs, Instant now) {
  Nodes nodes;
  const raft::BatchPtr batch = raft::make_data_batch(
      Offset(0), Epoch(1), Instant::from_ms(1),
      {sim::ReplicatedCounter::encode(1, 8), sim::ReplicatedCounter::encode(2, 8),
       sim::ReplicatedCounter::encode(3, 8)});
  for (int id = 0; id < 3; ++id) {
    raft::RaftConfig config;
    config.bugs = bugs;
    raft::RaftClient::Options options{NodeId(id), {NodeId(0), NodeId(1), NodeId(2)}, config, {}};
    auto host = std::make_unique<NodeHost>(options, sim::Prng(500 + static_cast<std::uint64_t>(id)));
    host->disk().append(batch);
    host->disk().flush();
    raft::ElectionState state;
    state.epoch = Epoch(1);
    host->disk().write_election_state(state);
    host->start(now);
    nodes.push_back(std::move(host));
  }
  return nodes;
}

// A network of 1 ms links that delivers in sending order, and the nodes' timers. step() runs the
// earliest delivery or wake-up (deliveries first on a tie).
class TinyNetwork {
 public:
  TinyNetwork(Nodes& nodes, Instant now) : nodes_(nodes), now_(now) { collect(); }

  [[nodiscard]] Instant now() const { return now_; }

  void step() {
    Instant next = wire_.empty() ? Instant::never() : wire_.front().first;
    NodeHost* due = nullptr;
    for (auto& n : nodes_) {
      if (n->is_alive() && n->next_deadline() < next) {
        next = n->next_deadline();
        due = n.get();
      }
    }
    REQUIRE_FALSE(next.is_never());
    now_ = next;
    if (due != nullptr) {
      due->poll(now_);
    } else {
      const raft::Message m = wire_.front().second;
      wire_.pop_front();
      nodes_[static_cast<std::size_t>(m.destination.value())]->handle(m, now_);
    }
    collect();
  }

 private:
  void collect() {
    for (auto& n : nodes_) {
      for (raft::Message& m : n->take_outbox()) {
        wire_.emplace_back(now_ + Duration::millis(1), std::move(m));
      }
    }
  }

  Nodes& nodes_;
  Instant now_;
  std::deque<std::pair<Instant, raft::Message>> wire_;
};

// The node leading, or null.
const NodeHost* leader_of(const Nodes& nodes) {
  for (const auto& n : nodes) {
    if (n->client()->quorum().is(raft::StateKind::Leader)) return n.get();
  }
  return nullptr;
}

struct FailoverRun {
  std::optional<sim::Violation> violation;
  const NodeHost* leader = nullptr;
  std::optional<Offset> first_high_watermark;  // the leader's first HW in its epoch
};

// Elects a leader of epoch 2 among voters_after_epoch_1(bugs), checking the invariant after every
// step, until a violation is reported or 200 steps after the leader knew its high watermark.
FailoverRun run_failover(const raft::BugSet& bugs, Nodes& nodes) {
  const Instant start = Instant::from_ms(100);
  nodes = voters_after_epoch_1(bugs, start);
  TinyNetwork network(nodes, start);
  sim::LeaderCommitsOwnEpoch invariant;
  FailoverRun run;
  int steps_with_hw = 0;
  for (std::uint64_t event = 1; event <= 5'000; ++event) {
    network.step();
    const sim::CheckContext ctx{network.now(), event, nodes, 3};
    run.leader = leader_of(nodes);
    if (run.leader != nullptr && !run.first_high_watermark) {
      run.first_high_watermark = run.leader->client()->high_watermark();
    }
    run.violation = invariant.check(ctx);
    if (run.violation) return run;
    // Once the HW is known, a few more fetch rounds (with nothing new to commit).
    if (run.first_high_watermark && ++steps_with_hw == 200) return run;
  }
  FAIL("no leader with a high watermark within 5000 steps");
  return run;
}

}  // namespace

TEST_CASE("LeaderCommitsOwnEpoch: a failover leader's HW equals its epoch start only with the bug") {
  SUBCASE("fixed: the first HW of epoch 2 is past the LeaderChange at offset 3") {
    Nodes nodes;
    const FailoverRun run = run_failover({}, nodes);
    CHECK_FALSE(run.violation.has_value());
    REQUIRE(run.leader != nullptr);
    const raft::LeaderState* leader = run.leader->client()->quorum().leader_or_null();
    REQUIRE(leader != nullptr);
    CHECK(leader->epoch() == Epoch(2));
    CHECK(leader->epoch_start_offset() == Offset(3));
    CHECK(run.first_high_watermark == Offset(4));
  }
  SUBCASE("with hw-at-epoch-start: HW 3 at epoch start 3 commits epoch 1's records") {
    Nodes nodes;
    const FailoverRun run = run_failover({Bug::HwAtEpochStart}, nodes);
    REQUIRE(run.violation.has_value());
    REQUIRE(run.leader != nullptr);
    const raft::LeaderState* leader = run.leader->client()->quorum().leader_or_null();
    REQUIRE(leader != nullptr);
    CHECK(leader->epoch() == Epoch(2));
    CHECK(leader->epoch_start_offset() == Offset(3));
    CHECK(leader->high_watermark() == Offset(3));
    const sim::Violation& v = *run.violation;
    CHECK(v.invariant == "LeaderCommitsOwnEpoch");
    CHECK(v.nodes == std::vector<NodeId>{run.leader->id()});
    CHECK(v.detail == "node " + std::to_string(run.leader->id().value()) +
                          " leads epoch 2 with high watermark 3, not past its epoch start offset 3 "
                          "where its LeaderChange record is: the HW was accepted before a record "
                          "of its own epoch was on a majority, so the earlier epochs' records "
                          "below 3 count as committed");
  }
}

TEST_CASE("LeaderCommitsOwnEpoch: a single voter commits its LeaderChange at once, bug or not") {
  for (const bool bug : {false, true}) {
    CAPTURE(bug);
    raft::RaftConfig config;
    if (bug) config.bugs.insert(Bug::HwAtEpochStart);
    raft::RaftClient::Options options{NodeId(0), {NodeId(0)}, config, {}};
    Nodes nodes;
    nodes.push_back(std::make_unique<NodeHost>(options, sim::Prng(7)));
    nodes[0]->start(Instant::from_ms(100));
    REQUIRE(nodes[0]->client()->quorum().is(raft::StateKind::Leader));
    CHECK(nodes[0]->client()->high_watermark() == Offset(1));
    sim::LeaderCommitsOwnEpoch invariant;
    CHECK(invariant.name() == "LeaderCommitsOwnEpoch");
    const sim::CheckContext ctx{Instant::from_ms(100), 1, nodes, 1};
    CHECK_FALSE(invariant.check(ctx).has_value());
  }
}

TEST_CASE("LeaderCommitsOwnEpoch: whole runs fail with hw-at-epoch-start, from the first election") {
  // On an empty log the first leader's HW 0 at epoch start 0 exposes nothing yet, but it was
  // accepted too early all the same: the runs stop there.
  for (const char* name : {"bug-2-kafka-12619-commit-only-own-epoch", "leader-crash"}) {
    for (const std::uint64_t seed : kraftsim::test::kSeeds) {
      CAPTURE(name);
      CAPTURE(seed);
      sim::Scenario scenario = kraftsim::test::load_shipped_scenario(name);
      {
        sim::Simulation fixed(scenario, seed);
        const sim::RunResult r = fixed.run();
        INFO("fixed: " << kraftsim::test::describe_failures(r));
        CHECK(r.outcome == sim::Outcome::Success);
      }
      scenario.bugs.insert(Bug::HwAtEpochStart);
      sim::Simulation buggy(scenario, seed);
      const sim::RunResult r = buggy.run();
      INFO("buggy: " << kraftsim::test::describe_failures(r));
      CHECK(r.outcome == sim::Outcome::SafetyViolation);
      REQUIRE(r.violation.has_value());
      CHECK(r.violation->invariant == "LeaderCommitsOwnEpoch");
      CHECK(contains(r.violation->detail, " leads epoch 1 with high watermark 0, not past its epoch "
                                          "start offset 0 where its LeaderChange record is"));
      CHECK(r.violation->at < Instant::from_ms(3'000));
    }
  }
}
