// The switchable historical bugs of raft/common/bugs.hh: the BugSet value type and names, and for
// each Raft-layer bug that its flag changes exactly the behaviour it names (the same situation is
// run with the flag off and on). The controller's forget-brokers-on-activation is tested in
// tests/raft/quorum_controller_test.cc ("fences a silent broker one session after a failover")
// and end to end in tests/scenario/bug_flags_test.cc.
//
// Unless a test says otherwise: the local node is 1 of voters {1, 2, 3} and its log ends at
// (offset 2, epoch 2); random values default to 0, so an election timer is exactly 1000 ms.
#include <doctest/doctest.h>

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "raft/common/bugs.hh"
#include "raft/controller/quorum_controller.hh"
#include "raft/leader_state.hh"
#include "raft/support/raft_test_context.hh"

namespace {

using raft::BeginQuorumEpochRequest;
using raft::Bug;
using raft::BugSet;
using raft::Duration;
using raft::ElectionState;
using raft::EndQuorumEpochRequest;
using raft::Epoch;
using raft::Errors;
using raft::Instant;
using raft::LeaderState;
using raft::Message;
using raft::NodeId;
using raft::Offset;
using raft::OffsetAndEpoch;
using raft::RaftConfig;
using raft::StateKind;
using raft::test::RaftTestContext;
using Builder = raft::test::RaftTestContext::Builder;

const std::vector<NodeId> kVoters{NodeId(1), NodeId(2), NodeId(3)};

Builder voter(BugSet bugs = {}) {
  return Builder(NodeId(1), kVoters).with_log_epochs({1, 2}).configure([bugs](RaftConfig& c) {
    c.bugs = bugs;
  });
}

// A leader of epoch `epoch`, elected with node 3's vote; its LeaderChange is at 2, its log ends at 3.
std::unique_ptr<RaftTestContext> leader_of_three(BugSet bugs = {}, Epoch epoch = Epoch(3)) {
  auto ctx = voter(bugs).with_voted_candidate(epoch, NodeId(1)).build();
  ctx->answer_vote(NodeId(3), true);
  REQUIRE(ctx->is(StateKind::Leader));
  return ctx;
}

RaftConfig config_with(BugSet bugs) {
  RaftConfig c;
  c.bugs = bugs;
  return c;
}

}  // namespace

// ---- the value type and the names ------------------------------------------------------------

TEST_CASE("BugSet: empty by default, in RaftConfig and QuorumControllerConfig too") {
  const BugSet none;
  CHECK(none.empty());
  CHECK(none.size() == 0);
  CHECK(none.bits() == 0u);
  CHECK(none.begin() == none.end());
  for (Bug b : raft::kAllBugs) CHECK_FALSE(none.contains(b));
  CHECK(RaftConfig{}.bugs.empty());
  CHECK(raft::controller::QuorumControllerConfig{}.bugs.empty());
}

TEST_CASE("BugSet: insert, contains, erase, equality") {
  BugSet s;
  s.insert(Bug::PreVotePingPong);
  CHECK(s.contains(Bug::PreVotePingPong));
  CHECK_FALSE(s.contains(Bug::NoCheckQuorum));
  CHECK(s.size() == 1);
  s.insert(Bug::PreVotePingPong);  // a set: twice is once
  CHECK(s.size() == 1);
  s.insert(Bug::NoCheckQuorum);
  CHECK(s.size() == 2);
  CHECK(s == BugSet{Bug::NoCheckQuorum, Bug::PreVotePingPong});
  CHECK(s != BugSet{Bug::NoCheckQuorum});
  s.erase(Bug::PreVotePingPong);
  CHECK(s == BugSet{Bug::NoCheckQuorum});
  CHECK(s.bits() == 1u);
}

TEST_CASE("BugSet: iterates in the fixed order, whatever the insertion order") {
  BugSet s;
  s.insert(Bug::ForgetBrokersOnActivation);
  s.insert(Bug::RestartAsLeader);
  s.insert(Bug::NoCheckQuorum);
  std::vector<Bug> seen(s.begin(), s.end());
  CHECK(seen == std::vector<Bug>{Bug::NoCheckQuorum, Bug::RestartAsLeader,
                                 Bug::ForgetBrokersOnActivation});
  BugSet all;
  for (Bug b : raft::kAllBugs) all.insert(b);
  std::vector<Bug> every(all.begin(), all.end());
  CHECK(every == std::vector<Bug>(raft::kAllBugs.begin(), raft::kAllBugs.end()));
  CHECK(all.size() == raft::kBugCount);
}

TEST_CASE("Bug names, JIRA keys and descriptions") {
  CHECK(raft::to_string(Bug::NoCheckQuorum) == "no-check-quorum");
  CHECK(raft::to_string(Bug::HwAtEpochStart) == "hw-at-epoch-start");
  CHECK(raft::to_string(Bug::RestartAsLeader) == "restart-as-leader");
  CHECK(raft::to_string(Bug::PreVotePingPong) == "pre-vote-ping-pong");
  CHECK(raft::to_string(Bug::ForgetBrokersOnActivation) == "forget-brokers-on-activation");
  CHECK(raft::jira_key(Bug::NoCheckQuorum) == "KAFKA-15489");
  CHECK(raft::jira_key(Bug::HwAtEpochStart) == "KAFKA-12619");
  CHECK(raft::jira_key(Bug::RestartAsLeader) == "KAFKA-10527");
  CHECK(raft::jira_key(Bug::PreVotePingPong) == "KAFKA-17641");
  CHECK(raft::jira_key(Bug::ForgetBrokersOnActivation) == "KAFKA-18138");
  std::set<std::string_view> names;
  for (Bug b : raft::kAllBugs) {
    CAPTURE(raft::to_string(b));
    CHECK(raft::bug_from_string(raft::to_string(b)) == b);  // round trip
    CHECK(raft::describe(b).size() > 20);
    CHECK(raft::describe(b).size() <= 74);  // one line of --help after its indent
    CHECK(raft::describe(b).back() != '.');
    names.insert(raft::to_string(b));
  }
  CHECK(names.size() == raft::kBugCount);
  const auto listed = raft::bug_names();
  CHECK(std::vector<std::string_view>(listed.begin(), listed.end()) ==
        std::vector<std::string_view>{"no-check-quorum", "hw-at-epoch-start", "restart-as-leader",
                                      "pre-vote-ping-pong", "forget-brokers-on-activation"});
  CHECK_FALSE(raft::bug_from_string("no-check-quorum ").has_value());
  CHECK_FALSE(raft::bug_from_string("NO-CHECK-QUORUM").has_value());
  CHECK_FALSE(raft::bug_from_string("KAFKA-15489").has_value());
  CHECK_FALSE(raft::bug_from_string("").has_value());
}

// ---- no-check-quorum (KAFKA-15489) -----------------------------------------------------------

TEST_CASE("no-check-quorum: a leader of 3 voters that hears no fetch resigns only without the bug") {
  for (const bool bug : {false, true}) {
    CAPTURE(bug);
    auto ctx = leader_of_three(bug ? BugSet{Bug::NoCheckQuorum} : BugSet{});
    const Instant elected = ctx->now();
    ctx->advance_to(elected + Duration::millis(2999));
    CHECK(ctx->is(StateKind::Leader));
    ctx->channel().clear();
    ctx->advance(Duration::millis(1));  // 1.5 x fetch timeout without a fetch from a majority
    if (!bug) {
      CHECK(ctx->is(StateKind::Resigned));
      CHECK(ctx->has_request<EndQuorumEpochRequest>(NodeId(2)));
      continue;
    }
    CHECK(ctx->is(StateKind::Leader));
    CHECK(ctx->leader_state().check_quorum_deadline() == Instant::never());
    // Cut off for an hour, it still leads its epoch and keeps announcing it.
    ctx->advance(Duration::seconds(3600));
    CHECK(ctx->is(StateKind::Leader));
    CHECK(ctx->epoch() == Epoch(3));
    CHECK_FALSE(ctx->has_request<EndQuorumEpochRequest>());
    CHECK(ctx->has_request<BeginQuorumEpochRequest>(NodeId(2)));
  }
}

TEST_CASE("no-check-quorum: everything else about the leader is unchanged") {
  auto ctx = leader_of_three(BugSet{Bug::NoCheckQuorum});
  // The HW rule and graceful resignation work as without the bug.
  ctx->fetch(NodeId(2), Epoch(3), Offset(3), Epoch(3));
  CHECK(ctx->high_watermark() == Offset(3));
  ctx->client().begin_shutdown(ctx->now());
  ctx->poll();
  CHECK(ctx->is(StateKind::Resigned));
  // Only the leader's deadline is affected: the LeaderState API agrees.
  const LeaderState plain(NodeId(1), Epoch(3), Offset(10), kVoters, {NodeId(1)}, RaftConfig{},
                          Instant::from_ms(5000));
  const LeaderState buggy(NodeId(1), Epoch(3), Offset(10), kVoters, {NodeId(1)},
                          config_with({Bug::NoCheckQuorum}), Instant::from_ms(5000));
  CHECK(plain.check_quorum_deadline() == Instant::from_ms(8000));
  CHECK(buggy.check_quorum_deadline() == Instant::never());
}

// ---- hw-at-epoch-start (KAFKA-12619) ----------------------------------------------------------

TEST_CASE("hw-at-epoch-start: a majority at exactly the epoch start commits only with the bug") {
  const Instant t = Instant::from_ms(5000);
  for (const bool bug : {false, true}) {
    CAPTURE(bug);
    // Leader 1 elected with its log end at 10: its LeaderChange record goes to offset 10.
    LeaderState leader(NodeId(1), Epoch(3), Offset(10), kVoters, {NodeId(1)},
                       config_with(bug ? BugSet{Bug::HwAtEpochStart} : BugSet{}), t);
    CHECK_FALSE(leader.update_local_state(Offset(11), t));
    // Below the epoch start: nothing, either way.
    CHECK_FALSE(leader.update_replica_state(NodeId(2), Offset(9), t));
    CHECK_FALSE(leader.high_watermark().has_value());
    // Follower 2 holds everything before the epoch, not the LeaderChange at 10.
    CHECK(leader.update_replica_state(NodeId(2), Offset(10), t) == bug);
    if (bug) {
      // The old epochs' records 0..9 are exposed as committed before the LeaderChange is on a
      // majority.
      CHECK(leader.high_watermark() == Offset(10));
    } else {
      CHECK_FALSE(leader.high_watermark().has_value());
    }
    // Once the LeaderChange is on a majority both agree; the HW never goes back.
    CHECK(leader.update_replica_state(NodeId(2), Offset(11), t));
    CHECK(leader.high_watermark() == Offset(11));
    CHECK_FALSE(leader.update_replica_state(NodeId(2), Offset(10), t));
    CHECK(leader.high_watermark() == Offset(11));
  }
}

TEST_CASE("hw-at-epoch-start: a new leader's client commits the previous epoch's records early") {
  for (const bool bug : {false, true}) {
    CAPTURE(bug);
    auto ctx = leader_of_three(bug ? BugSet{Bug::HwAtEpochStart} : BugSet{});
    REQUIRE(ctx->leader_state().epoch_start_offset() == Offset(2));
    // Node 2 has the two records of epochs 1 and 2, not the LeaderChange at 2.
    ctx->fetch(NodeId(2), Epoch(3), Offset(2), Epoch(2));
    if (bug) {
      CHECK(ctx->high_watermark() == Offset(2));
      REQUIRE(ctx->listener().commits().size() == 2);
      CHECK(ctx->listener().commits().back().epoch == Epoch(2));
    } else {
      CHECK_FALSE(ctx->high_watermark().has_value());
      CHECK(ctx->listener().commits().empty());
    }
  }
}

// ---- restart-as-leader (KAFKA-10527) ---------------------------------------------------------

TEST_CASE("restart-as-leader: leaderId == self in the quorum-state -> Leader of the same epoch only with the bug") {
  SUBCASE("without the bug: Resigned") {
    auto ctx = voter().with_elected_leader(Epoch(2), NodeId(1)).build();
    CHECK(ctx->is(StateKind::Resigned));
    CHECK(ctx->log_end() == Offset(2));
  }
  SUBCASE("with the bug: Leader, a new LeaderChange at the log end in the same epoch") {
    auto ctx = voter(BugSet{Bug::RestartAsLeader}).with_elected_leader(Epoch(2), NodeId(1)).build();
    REQUIRE(ctx->is(StateKind::Leader));
    CHECK(ctx->epoch() == Epoch(2));
    CHECK(ctx->leader_id() == NodeId(1));
    CHECK(ctx->leader_state().epoch_start_offset() == Offset(2));
    CHECK_FALSE(ctx->high_watermark().has_value());  // never inherited
    // The quorum-state file already said so: nothing written.
    CHECK(ctx->store().write_count() == 0);
    // Its log: (0, epoch 1), (1, epoch 2), then a LeaderChange at (2, epoch 2), flushed.
    CHECK(ctx->log_end() == Offset(3));
    const raft::BatchPtr change = ctx->client().log().batch_containing(Offset(2));
    REQUIRE(change != nullptr);
    CHECK(change->is_control);
    CHECK(change->epoch == Epoch(2));
    REQUIRE(change->leader_change.has_value());
    CHECK(change->leader_change->leader_id == NodeId(1));
    CHECK(ctx->storage().flushed_end_offset() == Offset(3));
    // It announces the epoch as a newly elected leader does, and resigns nothing.
    CHECK(ctx->has_request<BeginQuorumEpochRequest>(NodeId(2)));
    CHECK(ctx->has_request<BeginQuorumEpochRequest>(NodeId(3)));
    CHECK_FALSE(ctx->has_request<EndQuorumEpochRequest>());

    // The KAFKA-10527 hazard: follower 2 still holds two records of epoch 2 at offsets 2..3 that
    // the crash took from the leader. The leader says its epoch 2 runs to 3, so the follower
    // keeps its own record at (2, epoch 2), which is not the leader's LeaderChange at (2, epoch 2).
    const auto diverging = ctx->fetch(NodeId(2), Epoch(2), Offset(4), Epoch(2));
    REQUIRE(diverging.has_value());
    CHECK(diverging->error == Errors::NONE);
    CHECK(diverging->diverging_epoch == OffsetAndEpoch{Offset(3), Epoch(2)});
    // Its next fetch from 3 is valid and commits offset 2: two different records, one (offset,
    // epoch), both below a high watermark.
    ctx->fetch(NodeId(2), Epoch(2), Offset(3), Epoch(2));
    CHECK(ctx->high_watermark() == Offset(3));
  }
}

TEST_CASE("restart-as-leader: a leader that crashes and restarts leads its epoch again, with the bug only") {
  for (const bool bug : {false, true}) {
    CAPTURE(bug);
    auto ctx = leader_of_three(bug ? BugSet{Bug::RestartAsLeader} : BugSet{}, Epoch(4));
    ctx->restart();
    CHECK(ctx->epoch() == Epoch(4));
    if (!bug) {
      CHECK(ctx->is(StateKind::Resigned));
      CHECK(ctx->log_end() == Offset(3));
      continue;
    }
    REQUIRE(ctx->is(StateKind::Leader));
    // A second LeaderChange in epoch 4, right after the first.
    CHECK(ctx->leader_state().epoch_start_offset() == Offset(3));
    CHECK(ctx->log_end() == Offset(4));
    CHECK(ctx->client().log().batch_containing(Offset(3))->is_control);
    CHECK(ctx->client().log().batch_containing(Offset(3))->epoch == Epoch(4));
  }
}

TEST_CASE("restart-as-leader: the other startup rules are unchanged") {
  const BugSet bug{Bug::RestartAsLeader};
  // Another node as the stored leader: Follower.
  auto follower = voter(bug).with_elected_leader(Epoch(5), NodeId(3)).build();
  CHECK(follower->is(StateKind::Follower));
  // A self-vote: Candidate in the same epoch.
  auto candidate = voter(bug).with_voted_candidate(Epoch(4), NodeId(1)).build();
  CHECK(candidate->is(StateKind::Candidate));
  // A stored epoch below the log's: Unattached in the log's epoch, even if it names itself.
  auto lagging = Builder(NodeId(1), kVoters)
                     .with_log_epochs({1, 4})
                     .with_elected_leader(Epoch(2), NodeId(1))
                     .configure([&](RaftConfig& c) { c.bugs = bug; })
                     .build();
  CHECK(lagging->is(StateKind::Unattached));
  CHECK(lagging->epoch() == Epoch(4));
}

// ---- pre-vote-ping-pong (KIP-996, fixed by KAFKA-17641) ----------------------------------------

TEST_CASE("pre-vote-ping-pong: a Follower that has not fetched yet grants an up-to-date pre-vote only without the bug") {
  for (const bool bug : {false, true}) {
    CAPTURE(bug);
    auto ctx = voter(bug ? BugSet{Bug::PreVotePingPong} : BugSet{})
                   .with_elected_leader(Epoch(5), NodeId(3))
                   .build();
    REQUIRE(ctx->is(StateKind::Follower));
    const raft::VoteResponse pre = ctx->vote(NodeId(2), Epoch(5), Epoch(2), Offset(2), true);
    CHECK(pre.error == Errors::NONE);
    CHECK(pre.vote_granted == !bug);
    // Binding votes and behind logs are rejected either way.
    CHECK_FALSE(ctx->vote(NodeId(2), Epoch(5), Epoch(2), Offset(2), false).vote_granted);
    CHECK_FALSE(ctx->vote(NodeId(2), Epoch(5), Epoch(2), Offset(1), true).vote_granted);
    CHECK(ctx->is(StateKind::Follower));
    CHECK(ctx->store().state() == (ElectionState{Epoch(5), NodeId(3), std::nullopt}));
  }
}

TEST_CASE("pre-vote-ping-pong: only Followers change, other states grant pre-votes as before") {
  const BugSet bug{Bug::PreVotePingPong};
  // Unattached (nothing known).
  auto unattached = voter(bug).with_unknown_leader(Epoch(5)).build();
  REQUIRE(unattached->is(StateKind::Unattached));
  CHECK(unattached->vote(NodeId(2), Epoch(5), Epoch(2), Offset(2), true).vote_granted);
  // Candidate.
  auto candidate = voter(bug).with_voted_candidate(Epoch(5), NodeId(1)).build();
  REQUIRE(candidate->is(StateKind::Candidate));
  CHECK(candidate->vote(NodeId(2), Epoch(5), Epoch(2), Offset(2), true).vote_granted);
  // Resigned.
  auto resigned = voter(bug).with_elected_leader(Epoch(5), NodeId(1)).build();
  REQUIRE(resigned->is(StateKind::Resigned));
  CHECK(resigned->vote(NodeId(2), Epoch(5), Epoch(2), Offset(2), true).vote_granted);
}

TEST_CASE("pre-vote-ping-pong: a Follower with the bug rejects pre-votes after a fetch too") {
  auto ctx = voter(BugSet{Bug::PreVotePingPong}).with_elected_leader(Epoch(5), NodeId(3)).build();
  const Message fetch = ctx->pop_request<raft::FetchRequest>(NodeId(3));
  ctx->respond(fetch, RaftTestContext::fetch_response(NodeId(3), Epoch(5), {}, std::nullopt));
  CHECK_FALSE(ctx->vote(NodeId(2), Epoch(5), Epoch(2), Offset(2), true).vote_granted);
}
