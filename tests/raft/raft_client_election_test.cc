// RaftClient: elections (kraft-protocol.md 3.2, 3.3, 4.1, 4.4, 4.6), check-quorum (4.7), graceful
// resignation and shutdown (4.8), and the common response handling of 5.2, in the style of
// Kafka's KafkaRaftClientTest / KafkaRaftClientPreVoteTest.
//
// Unless a test says otherwise: the local node is 1 of voters {1, 2, 3} and its log ends at
// (offset 2, epoch 2). Random values default to 0, so an election timer is exactly T = 1000 ms.
#include <doctest/doctest.h>

#include <memory>
#include <optional>
#include <vector>

#include "raft/common/assert.hh"
#include "raft/support/raft_test_context.hh"

namespace {

using raft::BeginQuorumEpochRequest;
using raft::BeginQuorumEpochResponse;
using raft::Duration;
using raft::ElectionState;
using raft::EndQuorumEpochRequest;
using raft::EndQuorumEpochResponse;
using raft::Epoch;
using raft::Errors;
using raft::FetchRequest;
using raft::FetchResponse;
using raft::Instant;
using raft::LeaderAndEpoch;
using raft::Message;
using raft::NodeId;
using raft::Offset;
using raft::StateKind;
using raft::VoteRequest;
using raft::VoteResponse;
using raft::test::RaftTestContext;
using Builder = raft::test::RaftTestContext::Builder;

const std::vector<NodeId> kVoters{NodeId(1), NodeId(2), NodeId(3)};

Builder voter() { return Builder(NodeId(1), kVoters).with_log_epochs({1, 2}); }
Builder observer() { return Builder(NodeId(4), kVoters).with_log_epochs({1, 2}); }

// A leader of epoch `epoch`, elected with node 3's vote at construction. Its LeaderChange batch
// is at offset 2, so its log ends at 3.
std::unique_ptr<RaftTestContext> leader_of_three(Epoch epoch = Epoch(3), Builder builder = voter()) {
  auto ctx = builder.with_voted_candidate(epoch, NodeId(1)).build();
  ctx->answer_vote(NodeId(3), true);
  REQUIRE(ctx->is(StateKind::Leader));
  return ctx;
}

bool names_leader(const std::vector<LeaderAndEpoch>& changes, NodeId id) {
  for (const LeaderAndEpoch& le : changes) {
    if (le.leader_id == id) return true;
  }
  return false;
}

VoteRequest vote_payload(const Message& m) { return std::get<VoteRequest>(m.payload); }

}  // namespace

// ---- 3.1 / 4.1 the election timer and Prospective -----------------------------------------------

TEST_CASE("Election: a voter's election timer fires in T to 2T (2T excluded), then it is Prospective in the same epoch, not persisted") {
  for (std::int64_t jitter : {0, 250, 999}) {
    CAPTURE(jitter);
    auto ctx = voter().with_unknown_leader(Epoch(5)).with_random_queue(1000, {jitter}).build();
    const Instant t0 = ctx->now();
    const int writes = ctx->store().write_count();
    ctx->advance_to(t0 + Duration::millis(1000 + jitter - 1));
    CHECK(ctx->is(StateKind::Unattached));
    ctx->advance(Duration::millis(1));
    REQUIRE(ctx->is(StateKind::Prospective));
    CHECK(ctx->epoch() == Epoch(5));
    CHECK(ctx->store().write_count() == writes);
    CHECK(ctx->store().state() == ElectionState{Epoch(5), std::nullopt, std::nullopt});
    for (NodeId peer : {NodeId(2), NodeId(3)}) {
      const VoteRequest v = vote_payload(ctx->pop_request<VoteRequest>(peer));
      CHECK(v.pre_vote);
      CHECK(v.voter_id == peer);
      CHECK(v.replica_id == NodeId(1));
      CHECK(v.replica_epoch == Epoch(5));
      CHECK(v.last_offset_epoch == Epoch(2));
      CHECK(v.last_offset == Offset(2));
    }
  }
}

TEST_CASE("Election: pre-vote majority -> Candidate (epoch + 1, self-vote persisted) -> Leader on a vote majority") {
  auto ctx = voter().with_unknown_leader(Epoch(5)).build();
  ctx->advance_until([&] { return ctx->is(StateKind::Prospective); });
  ctx->answer_vote(NodeId(2), true);
  REQUIRE(ctx->is(StateKind::Candidate));
  CHECK(ctx->epoch() == Epoch(6));
  CHECK(ctx->store().state() == ElectionState{Epoch(6), std::nullopt, NodeId(1)});
  CHECK(ctx->listener().leader_changes().back() == LeaderAndEpoch{std::nullopt, Epoch(6)});
  std::optional<Message> to3;
  for (NodeId peer : {NodeId(2), NodeId(3)}) {
    const Message m = ctx->pop_request<VoteRequest>(peer);
    const VoteRequest v = vote_payload(m);
    CHECK_FALSE(v.pre_vote);
    CHECK(v.replica_epoch == Epoch(6));
    CHECK(v.last_offset_epoch == Epoch(2));
    CHECK(v.last_offset == Offset(2));
    if (peer == NodeId(3)) to3 = m;
  }
  // Node 3's binding vote makes a majority with its own.
  ctx->respond(*to3, VoteResponse{Errors::NONE, std::nullopt, Epoch(6), true});
  CHECK(ctx->is(StateKind::Leader));
  CHECK(ctx->epoch() == Epoch(6));
}

TEST_CASE("Election: a Candidate with a vote majority leads, writes LeaderChange at the epoch start and sends BeginQuorumEpoch") {
  auto ctx = voter().with_voted_candidate(Epoch(6), NodeId(1)).build();
  REQUIRE(ctx->is(StateKind::Candidate));
  ctx->answer_vote(NodeId(3), true);
  REQUIRE(ctx->is(StateKind::Leader));
  CHECK(ctx->epoch() == Epoch(6));
  REQUIRE(ctx->store().state().has_value());
  CHECK(ctx->store().state()->epoch == Epoch(6));
  CHECK(ctx->store().state()->leader_id == NodeId(1));

  // The start-of-epoch control batch, flushed at once.
  CHECK(ctx->leader_state().epoch_start_offset() == Offset(2));
  REQUIRE(ctx->log_end() == Offset(3));
  const raft::BatchPtr lc = ctx->client().log().batches().back();
  CHECK(lc->base_offset == Offset(2));
  CHECK(lc->epoch == Epoch(6));
  REQUIRE(lc->is_control);
  REQUIRE(lc->leader_change.has_value());
  CHECK(lc->leader_change->leader_id == NodeId(1));
  CHECK(lc->leader_change->voters == kVoters);
  CHECK(lc->leader_change->granting_voters == std::vector<NodeId>{NodeId(1), NodeId(3)});
  CHECK(ctx->storage().flushed_end_offset() == Offset(3));
  CHECK(ctx->client().log().epoch_cache().entries().back() ==
        raft::EpochEntry{Epoch(6), Offset(2)});
  CHECK_FALSE(ctx->high_watermark().has_value());

  for (NodeId peer : {NodeId(2), NodeId(3)}) {
    const auto begin = std::get<BeginQuorumEpochRequest>(ctx->pop_request<BeginQuorumEpochRequest>(peer).payload);
    CHECK(begin.voter_id == peer);
    CHECK(begin.leader_id == NodeId(1));
    CHECK(begin.leader_epoch == Epoch(6));
  }
}

TEST_CASE("Election: the listener hears of the local leadership only after the LeaderChange commits (KAFKA-15345)") {
  auto ctx = leader_of_three(Epoch(6));
  CHECK_FALSE(names_leader(ctx->listener().leader_changes(), NodeId(1)));
  CHECK(ctx->listener().commits().empty());
  // Node 2 replicates the LeaderChange: HW 3, everything below is delivered, then the news.
  ctx->fetch(NodeId(2), Epoch(6), Offset(3), Epoch(6));
  CHECK(ctx->high_watermark() == Offset(3));
  REQUIRE(ctx->listener().commits().size() == 3);
  CHECK(ctx->listener().commits().back().is_control);
  CHECK(ctx->client().listener_next_offset() == Offset(3));
  CHECK(ctx->listener().leader_changes().back() == LeaderAndEpoch{NodeId(1), Epoch(6)});
}

TEST_CASE("Election: a pre-vote rejected by a majority returns to following the known leader, same epoch") {
  auto ctx = voter().with_elected_leader(Epoch(5), NodeId(3)).build();
  ctx->advance_until([&] { return ctx->is(StateKind::Prospective); });
  CHECK(ctx->leader_id() == NodeId(3));
  ctx->answer_vote(NodeId(2), false);
  CHECK(ctx->is(StateKind::Prospective));  // 1 granted + 1 unrecorded can still win
  ctx->answer_vote(NodeId(3), false);
  REQUIRE(ctx->is(StateKind::Follower));
  CHECK(ctx->epoch() == Epoch(5));
  CHECK(ctx->leader_id() == NodeId(3));
  CHECK(ctx->store().state() == ElectionState{Epoch(5), NodeId(3), std::nullopt});
  CHECK(ctx->has_request<FetchRequest>(NodeId(3)));
  // A fresh fetch timer.
  ctx->advance(ctx->config().fetch_timeout - Duration::millis(1));
  CHECK(ctx->is(StateKind::Follower));
}

TEST_CASE("Election: a pre-vote rejected by a majority without a known leader returns to Unattached, same epoch, fresh timer") {
  auto ctx = voter().with_unknown_leader(Epoch(5)).build();
  ctx->advance_until([&] { return ctx->is(StateKind::Prospective); });
  const Instant tp = ctx->now();  // this round's timer would end at tp + 1000
  ctx->advance(Duration::millis(100));
  ctx->answer_vote(NodeId(2), false);
  ctx->answer_vote(NodeId(3), false);
  REQUIRE(ctx->is(StateKind::Unattached));
  CHECK(ctx->epoch() == Epoch(5));
  CHECK_FALSE(ctx->voted_id().has_value());
  // Kafka gives a lost pre-vote a full new election timeout (QuorumState.transitionToUnattached).
  ctx->advance_to(tp + Duration::millis(1099));
  CHECK(ctx->is(StateKind::Unattached));
  ctx->advance(Duration::millis(1));
  CHECK(ctx->is(StateKind::Prospective));
  CHECK(ctx->epoch() == Epoch(5));
}

TEST_CASE("Election: a pre-vote round that times out falls back and starts a new round at once") {
  SUBCASE("no known leader: a new Prospective round in the same epoch") {
    auto ctx = voter().with_unknown_leader(Epoch(5)).build();
    ctx->advance_until([&] { return ctx->is(StateKind::Prospective); });
    const Instant tp = ctx->now();
    ctx->channel().clear();
    ctx->advance_to(tp + Duration::millis(999));
    CHECK(ctx->channel().count<VoteRequest>() == 0);
    ctx->advance(Duration::millis(1));
    CHECK(ctx->is(StateKind::Prospective));
    CHECK(ctx->epoch() == Epoch(5));
    CHECK(ctx->channel().count<VoteRequest>() == 2);  // the connections were reset
  }
  SUBCASE("a known leader: back to following it") {
    auto ctx = voter().with_elected_leader(Epoch(5), NodeId(3)).build();
    ctx->advance_until([&] { return ctx->is(StateKind::Prospective); });
    ctx->advance(Duration::millis(1000));
    CHECK(ctx->is(StateKind::Follower));
    CHECK(ctx->leader_id() == NodeId(3));
    CHECK(ctx->epoch() == Epoch(5));
  }
}

// ---- 4.4 Candidate backoff and timeout ----------------------------------------------------------

TEST_CASE("Election: a rejected Candidate backs off a random 0 to 100 ms x 2^retries (excluded) before Prospective") {
  auto ctx = voter().with_voted_candidate(Epoch(6), NodeId(1)).build();
  REQUIRE(ctx->is(StateKind::Candidate));
  // retries = 1: the backoff is 100 ms x next_int(2).
  ctx->random().queue(2, {1});
  ctx->answer_vote(NodeId(2), false);
  CHECK(ctx->random().calls_with_bound(2) == 0);  // not lost yet
  ctx->answer_vote(NodeId(3), false);
  CHECK(ctx->random().calls_with_bound(2) == 1);
  ctx->channel().clear();
  ctx->advance(Duration::millis(99));
  CHECK(ctx->is(StateKind::Candidate));
  CHECK(ctx->channel().count<VoteRequest>() == 0);  // no campaigning while backing off
  ctx->advance(Duration::millis(1));
  REQUIRE(ctx->is(StateKind::Prospective));
  CHECK(ctx->epoch() == Epoch(6));

  // Win the pre-vote: Candidate of epoch 7, retries = 2, so the backoff is 100 ms x next_int(4).
  ctx->answer_vote(NodeId(2), true);
  REQUIRE(ctx->is(StateKind::Candidate));
  CHECK(ctx->epoch() == Epoch(7));
  ctx->random().queue(4, {3});
  ctx->answer_vote(NodeId(2), false);
  ctx->answer_vote(NodeId(3), false);
  CHECK(ctx->random().calls_with_bound(4) == 1);
  ctx->advance(Duration::millis(299));
  CHECK(ctx->is(StateKind::Candidate));
  ctx->advance(Duration::millis(1));
  CHECK(ctx->is(StateKind::Prospective));
  CHECK(ctx->epoch() == Epoch(7));
}

TEST_CASE("Election: the Candidate backoff is capped by election.backoff.max") {
  auto ctx = voter()
                 .configure([](raft::RaftConfig& c) { c.election_backoff_max = Duration::millis(150); })
                 .with_voted_candidate(Epoch(6), NodeId(1))
                 .build();
  ctx->random().queue(2, {1});
  ctx->answer_vote(NodeId(2), false);
  ctx->answer_vote(NodeId(3), false);
  ctx->advance(Duration::millis(100));
  REQUIRE(ctx->is(StateKind::Prospective));
  ctx->answer_vote(NodeId(2), true);
  REQUIRE(ctx->is(StateKind::Candidate));
  ctx->random().queue(4, {3});  // 300 ms, capped at 150 ms
  ctx->answer_vote(NodeId(2), false);
  ctx->answer_vote(NodeId(3), false);
  ctx->advance(Duration::millis(149));
  CHECK(ctx->is(StateKind::Candidate));
  ctx->advance(Duration::millis(1));
  CHECK(ctx->is(StateKind::Prospective));
}

TEST_CASE("Election: a backoff of 0 sends a rejected Candidate back to Prospective at once") {
  auto ctx = voter().with_voted_candidate(Epoch(6), NodeId(1)).build();
  ctx->answer_vote(NodeId(2), false);
  ctx->answer_vote(NodeId(3), false);
  CHECK(ctx->is(StateKind::Prospective));
  CHECK(ctx->epoch() == Epoch(6));
}

TEST_CASE("Election: a Candidate whose election timer expires becomes Prospective in the same epoch") {
  auto ctx = voter().with_voted_candidate(Epoch(6), NodeId(1)).build();
  const Instant t0 = ctx->now();
  const int writes = ctx->store().write_count();
  ctx->advance_to(t0 + Duration::millis(999));
  CHECK(ctx->is(StateKind::Candidate));
  ctx->advance(Duration::millis(1));
  REQUIRE(ctx->is(StateKind::Prospective));
  CHECK(ctx->epoch() == Epoch(6));
  CHECK(ctx->voted_id() == NodeId(1));
  CHECK(ctx->store().write_count() == writes);
  const VoteRequest v = vote_payload(ctx->pop_request<VoteRequest>(NodeId(2)));
  CHECK(v.pre_vote);
  CHECK(v.replica_epoch == Epoch(6));
}

TEST_CASE("Election: with pre-vote disabled (Kafka 3.x) an expired election timer makes a Candidate at once") {
  auto ctx = voter()
                 .configure([](raft::RaftConfig& c) { c.pre_vote = false; })
                 .with_unknown_leader(Epoch(5))
                 .build();
  ctx->advance(Duration::millis(1000));
  REQUIRE(ctx->is(StateKind::Candidate));
  CHECK(ctx->epoch() == Epoch(6));
  CHECK_FALSE(vote_payload(ctx->pop_request<VoteRequest>(NodeId(2))).pre_vote);
}

// ---- 3.3 startup --------------------------------------------------------------------------------

TEST_CASE("Election: a single voter elects itself at construction, without network traffic") {
  auto ctx = Builder(NodeId(1), {NodeId(1)}).build();
  REQUIRE(ctx->is(StateKind::Leader));
  CHECK(ctx->epoch() == Epoch(1));
  CHECK(ctx->channel().sent().empty());
  CHECK(ctx->store().state()->leader_id == NodeId(1));
  CHECK(ctx->store().state()->epoch == Epoch(1));
  // Its LeaderChange is committed by itself alone.
  CHECK(ctx->log_end() == Offset(1));
  CHECK(ctx->high_watermark() == Offset(1));
  REQUIRE(ctx->listener().commits().size() == 1);
  CHECK(ctx->listener().commits()[0].is_control);
  CHECK(ctx->listener().leader_changes().back() == LeaderAndEpoch{NodeId(1), Epoch(1)});
  // And so is every append, after the linger.
  CHECK(ctx->client().append(Epoch(1), {"a", "b"}, ctx->now()) == Offset(2));
  CHECK(ctx->log_end() == Offset(1));
  ctx->advance(ctx->config().append_linger);
  CHECK(ctx->log_end() == Offset(3));
  CHECK(ctx->high_watermark() == Offset(3));
  CHECK(ctx->listener().committed_end() == Offset(3));
}

TEST_CASE("Election: a single voter that restarts after leading resigns and wins the next epoch at once") {
  auto ctx = Builder(NodeId(1), {NodeId(1)})
                 .with_log_epochs({1, 2, 3})
                 .with_elected_leader(Epoch(3), NodeId(1))
                 .build();
  REQUIRE(ctx->is(StateKind::Leader));
  CHECK(ctx->epoch() == Epoch(4));
  CHECK(ctx->leader_state().epoch_start_offset() == Offset(3));
  CHECK(ctx->high_watermark() == Offset(4));
}

TEST_CASE("Election: restart with leaderId == self -> Resigned in the same epoch, never Leader (KAFKA-10527)") {
  auto ctx = voter().with_elected_leader(Epoch(5), NodeId(1)).build();
  REQUIRE(ctx->is(StateKind::Resigned));
  CHECK(ctx->epoch() == Epoch(5));
  CHECK(ctx->store().write_count() == 0);
  CHECK_FALSE(ctx->client().append(Epoch(5), {"x"}, ctx->now()).has_value());
  // It tells the voters it is gone, naming no successor.
  for (NodeId peer : {NodeId(2), NodeId(3)}) {
    const auto end = std::get<EndQuorumEpochRequest>(ctx->pop_request<EndQuorumEpochRequest>(peer).payload);
    CHECK(end.leader_id == NodeId(1));
    CHECK(end.leader_epoch == Epoch(5));
    CHECK(end.preferred_successors.empty());
  }
  // The state machine is never told it leads (KAFKA-17333).
  CHECK_FALSE(names_leader(ctx->listener().leader_changes(), NodeId(1)));
}

TEST_CASE("Election: a leader that crashes and restarts comes back Resigned in its epoch (KAFKA-10527)") {
  auto ctx = leader_of_three(Epoch(4));
  ctx->restart();
  CHECK(ctx->is(StateKind::Resigned));
  CHECK(ctx->epoch() == Epoch(4));
  CHECK(ctx->log_end() == Offset(3));  // the flushed LeaderChange survived
}

TEST_CASE("Election: restart with votedId == self -> Candidate in the same epoch, asking for binding votes") {
  auto ctx = voter().with_voted_candidate(Epoch(4), NodeId(1)).build();
  REQUIRE(ctx->is(StateKind::Candidate));
  CHECK(ctx->epoch() == Epoch(4));
  CHECK(ctx->store().write_count() == 0);
  for (NodeId peer : {NodeId(2), NodeId(3)}) {
    const VoteRequest v = vote_payload(ctx->pop_request<VoteRequest>(peer));
    CHECK_FALSE(v.pre_vote);
    CHECK(v.replica_epoch == Epoch(4));
  }
}

TEST_CASE("Election: a stored epoch below the log's last epoch -> Unattached in the log's epoch") {
  auto ctx = Builder(NodeId(1), kVoters)
                 .with_log_epochs({1, 4})
                 .with_elected_leader(Epoch(2), NodeId(3))
                 .build();
  CHECK(ctx->is(StateKind::Unattached));
  CHECK(ctx->epoch() == Epoch(4));
  CHECK_FALSE(ctx->leader_id().has_value());
  CHECK(ctx->store().state() == ElectionState{Epoch(4), std::nullopt, std::nullopt});
}

TEST_CASE("Election: Resigned leaves for Unattached(epoch + 1) when its election timer expires") {
  auto ctx = voter().with_elected_leader(Epoch(5), NodeId(1)).build();
  const Instant t0 = ctx->now();
  ctx->advance_to(t0 + Duration::millis(999));
  CHECK(ctx->is(StateKind::Resigned));
  ctx->advance(Duration::millis(1));
  REQUIRE(ctx->is(StateKind::Unattached));
  CHECK(ctx->epoch() == Epoch(6));
  CHECK(ctx->store().state() == ElectionState{Epoch(6), std::nullopt, std::nullopt});
  CHECK(ctx->listener().leader_changes().back() == LeaderAndEpoch{std::nullopt, Epoch(6)});
}

TEST_CASE("Election: observers never become Prospective or Candidate") {
  SUBCASE("Unattached observer") {
    auto ctx = observer().with_unknown_leader(Epoch(5)).build();
    ctx->advance(Duration::seconds(60));
    CHECK(ctx->is(StateKind::Unattached));
    CHECK(ctx->epoch() == Epoch(5));
    CHECK(ctx->channel().count<VoteRequest>() == 0);
    CHECK(ctx->channel().count<FetchRequest>() > 0);  // it keeps looking for a leader
  }
  SUBCASE("Follower observer whose leader is silent") {
    auto ctx = observer().with_elected_leader(Epoch(5), NodeId(3)).build();
    ctx->advance(Duration::seconds(60));
    CHECK(ctx->is(StateKind::Follower));
    CHECK(ctx->epoch() == Epoch(5));
    CHECK(ctx->channel().count<VoteRequest>() == 0);
  }
}

// ---- 4.7 check-quorum ---------------------------------------------------------------------------

TEST_CASE("Check-quorum: a leader of 3 voters that hears no fetch resigns after 1.5 x fetch timeout") {
  auto ctx = leader_of_three();
  const Instant elected = ctx->now();
  ctx->advance_to(elected + Duration::millis(2999));
  CHECK(ctx->is(StateKind::Leader));
  ctx->channel().clear();
  ctx->advance(Duration::millis(1));
  REQUIRE(ctx->is(StateKind::Resigned));
  CHECK(ctx->epoch() == Epoch(3));
  CHECK(ctx->has_request<EndQuorumEpochRequest>(NodeId(2)));
  CHECK(ctx->has_request<EndQuorumEpochRequest>(NodeId(3)));
}

TEST_CASE("Check-quorum: fetches from one follower (a majority with the leader) keep it leading") {
  auto ctx = leader_of_three();
  const Instant elected = ctx->now();
  for (int i = 1; i <= 10; ++i) {
    ctx->advance_to(elected + Duration::millis(1000 * i));
    ctx->fetch(NodeId(2), Epoch(3), Offset(3), Epoch(3));
    CHECK(ctx->is(StateKind::Leader));
  }
  // Silence: the window restarted at the last fetch.
  const Instant last = ctx->now();
  ctx->advance_to(last + Duration::millis(2999));
  CHECK(ctx->is(StateKind::Leader));
  ctx->advance(Duration::millis(1));
  CHECK(ctx->is(StateKind::Resigned));
}

TEST_CASE("Check-quorum: observer fetches do not keep a leader in office") {
  auto ctx = leader_of_three();
  const Instant elected = ctx->now();
  ctx->advance_to(elected + Duration::millis(1500));
  ctx->fetch(NodeId(7), Epoch(3), Offset(3), Epoch(3));
  ctx->advance_to(elected + Duration::millis(3000));
  CHECK(ctx->is(StateKind::Resigned));
}

TEST_CASE("Check-quorum: a single-voter leader never resigns (KAFKA-16144)") {
  auto ctx = Builder(NodeId(1), {NodeId(1)}).build();
  REQUIRE(ctx->is(StateKind::Leader));
  ctx->advance(Duration::seconds(3600));
  CHECK(ctx->is(StateKind::Leader));
  CHECK(ctx->epoch() == Epoch(1));
}

// ---- 4.8 graceful resignation and shutdown ------------------------------------------------------

TEST_CASE("Shutdown: a leader resigns and sends EndQuorumEpoch with successors by descending fetch offset") {
  auto ctx = leader_of_three();
  ctx->fetch(NodeId(2), Epoch(3), Offset(2), Epoch(2));
  ctx->fetch(NodeId(3), Epoch(3), Offset(3), Epoch(3));
  // A parked fetch (of observer 4) is answered at once when the leader resigns (KAFKA-10677).
  const raft::CorrelationId parked =
      ctx->deliver(NodeId(4), ctx->fetch_request(NodeId(4), Epoch(3), Offset(3), Epoch(3), 500));
  REQUIRE(ctx->client().parked_fetches() == 1);
  ctx->channel().clear();

  ctx->client().begin_shutdown(ctx->now());
  REQUIRE(ctx->is(StateKind::Resigned));
  CHECK(ctx->epoch() == Epoch(3));
  CHECK(ctx->client().is_shutting_down());
  CHECK_FALSE(ctx->client().is_shutdown_complete());
  CHECK_FALSE(ctx->client().append(Epoch(3), {"x"}, ctx->now()).has_value());
  for (NodeId peer : {NodeId(2), NodeId(3)}) {
    const auto end = std::get<EndQuorumEpochRequest>(ctx->pop_request<EndQuorumEpochRequest>(peer).payload);
    CHECK(end.leader_id == NodeId(1));
    CHECK(end.leader_epoch == Epoch(3));
    CHECK(end.preferred_successors == std::vector<NodeId>{NodeId(3), NodeId(2)});
  }
  const auto failed = ctx->take_response<FetchResponse>(NodeId(4), parked);
  REQUIRE(failed.has_value());
  CHECK(failed->error == Errors::NOT_LEADER_OR_FOLLOWER);
  CHECK(ctx->client().parked_fetches() == 0);

  // Shutdown completes once a successor is known.
  ctx->advance(Duration::millis(100));
  CHECK_FALSE(ctx->client().is_shutdown_complete());
  const auto r = ctx->exchange<BeginQuorumEpochResponse>(
      NodeId(3), BeginQuorumEpochRequest{NodeId(1), NodeId(3), Epoch(4)});
  CHECK(r.error == Errors::NONE);
  CHECK(ctx->is(StateKind::Follower));
  CHECK(ctx->client().is_shutdown_complete());
  CHECK(ctx->client().next_deadline() == Instant::never());
}

TEST_CASE("Shutdown: acknowledged EndQuorumEpoch requests are not resent") {
  auto ctx = leader_of_three();
  ctx->client().begin_shutdown(ctx->now());
  REQUIRE(ctx->is(StateKind::Resigned));
  const Message to2 = ctx->pop_request<EndQuorumEpochRequest>(NodeId(2));
  ctx->respond(to2, EndQuorumEpochResponse{Errors::NONE, NodeId(1), Epoch(3)});
  ctx->channel().clear();
  // Node 3 never answered: its request times out and is sent again; node 2's is not.
  ctx->advance(ctx->config().request_timeout);
  CHECK(ctx->channel().count<EndQuorumEpochRequest>(NodeId(3)) == 1);
  CHECK(ctx->channel().count<EndQuorumEpochRequest>(NodeId(2)) == 0);
}

TEST_CASE("Shutdown: a Follower first in the successor list starts an election at once") {
  auto ctx = voter().with_elected_leader(Epoch(5), NodeId(3)).build();
  const auto r = ctx->exchange<EndQuorumEpochResponse>(
      NodeId(3), EndQuorumEpochRequest{NodeId(3), Epoch(5), {NodeId(1), NodeId(2)}});
  CHECK(r.error == Errors::NONE);
  CHECK(r.leader_id == NodeId(3));
  REQUIRE(ctx->is(StateKind::Prospective));
  CHECK(ctx->epoch() == Epoch(5));
  CHECK(ctx->has_request<VoteRequest>(NodeId(2)));
}

TEST_CASE("Shutdown: other successors wait by the strict exponential backoff") {
  struct Case {
    std::vector<NodeId> successors;
    std::int64_t wait_ms;
  };
  // election.backoff.max = 1000 ms: position p of n waits (1000 >> (n - 1)) << (p - 1) ms, a voter
  // missing from a non-empty list waits 1000 ms.
  const std::vector<Case> cases{
      {{NodeId(2), NodeId(1)}, 500},
      {{NodeId(2), NodeId(1), NodeId(4)}, 250},
      {{NodeId(2), NodeId(4), NodeId(1)}, 500},
      {{NodeId(2), NodeId(4), NodeId(5), NodeId(1)}, 500},
      {{NodeId(2)}, 1000},
  };
  for (const Case& c : cases) {
    CAPTURE(c.wait_ms);
    CAPTURE(c.successors.size());
    auto ctx = voter().with_elected_leader(Epoch(5), NodeId(3)).build();
    ctx->deliver(NodeId(3), EndQuorumEpochRequest{NodeId(3), Epoch(5), c.successors});
    const Instant t = ctx->now();
    ctx->advance_to(t + Duration::millis(c.wait_ms - 1));
    CHECK(ctx->is(StateKind::Follower));
    ctx->advance(Duration::millis(1));
    CHECK(ctx->is(StateKind::Prospective));
  }
}

TEST_CASE("Shutdown: an empty successor list (a restarted leader's) is position 0, as in Kafka's strictExponentialElectionBackoffMs") {
  auto ctx = voter().with_elected_leader(Epoch(5), NodeId(3)).build();
  ctx->deliver(NodeId(3), EndQuorumEpochRequest{NodeId(3), Epoch(5), {}});
  CHECK(ctx->is(StateKind::Prospective));
}

TEST_CASE("Shutdown: EndQuorumEpoch from a leader of a newer epoch makes the node its Follower first") {
  auto ctx = voter().with_elected_leader(Epoch(5), NodeId(3)).build();
  ctx->deliver(NodeId(2), EndQuorumEpochRequest{NodeId(2), Epoch(6), {NodeId(3), NodeId(1)}});
  REQUIRE(ctx->is(StateKind::Follower));
  CHECK(ctx->epoch() == Epoch(6));
  CHECK(ctx->leader_id() == NodeId(2));
  ctx->advance(Duration::millis(499));
  CHECK(ctx->is(StateKind::Follower));
  ctx->advance(Duration::millis(1));
  CHECK(ctx->is(StateKind::Prospective));
}

TEST_CASE("Shutdown: completes at once for a follower, an observer and a lone voter") {
  SUBCASE("follower") {
    auto ctx = voter().with_elected_leader(Epoch(5), NodeId(3)).build();
    ctx->client().begin_shutdown(ctx->now());
    CHECK(ctx->client().is_shutdown_complete());
    CHECK(ctx->is(StateKind::Follower));
  }
  SUBCASE("observer") {
    auto ctx = observer().with_unknown_leader(Epoch(5)).build();
    ctx->client().begin_shutdown(ctx->now());
    CHECK(ctx->client().is_shutdown_complete());
  }
  SUBCASE("the only voter") {
    auto ctx = Builder(NodeId(1), {NodeId(1)}).build();
    ctx->client().begin_shutdown(ctx->now());
    CHECK(ctx->client().is_shutdown_complete());
  }
}

TEST_CASE("Shutdown: an Unattached voter starts no election and gives up at the shutdown timeout") {
  auto ctx = voter().with_unknown_leader(Epoch(5)).build();
  const Instant t0 = ctx->now();
  ctx->client().begin_shutdown(t0);
  CHECK_FALSE(ctx->client().is_shutdown_complete());
  ctx->advance_to(t0 + ctx->config().shutdown_timeout - Duration::millis(1));
  CHECK(ctx->is(StateKind::Unattached));
  CHECK_FALSE(ctx->client().is_shutdown_complete());
  ctx->advance(Duration::millis(1));
  CHECK(ctx->client().is_shutdown_complete());
}

TEST_CASE("Shutdown: a Candidate keeps campaigning, and resigns once elected") {
  auto ctx = voter().with_voted_candidate(Epoch(6), NodeId(1)).build();
  ctx->client().begin_shutdown(ctx->now());
  CHECK(ctx->is(StateKind::Candidate));
  ctx->advance(Duration::millis(1500));  // past its election timer: still campaigning
  CHECK(ctx->is(StateKind::Candidate));
  ctx->answer_vote(NodeId(2), true);
  CHECK(ctx->is(StateKind::Resigned));
  CHECK(ctx->epoch() == Epoch(6));
  CHECK_FALSE(ctx->client().is_shutdown_complete());
}

// ---- 5.2 common response handling --------------------------------------------------------------

TEST_CASE("Responses: a higher epoch naming a leader makes the node its Follower") {
  auto ctx = voter().with_voted_candidate(Epoch(6), NodeId(1)).build();
  const Message vote = ctx->pop_request<VoteRequest>(NodeId(2));
  ctx->respond(vote, VoteResponse{Errors::NONE, NodeId(3), Epoch(8), false});
  REQUIRE(ctx->is(StateKind::Follower));
  CHECK(ctx->epoch() == Epoch(8));
  CHECK(ctx->leader_id() == NodeId(3));
  CHECK(ctx->store().state() == ElectionState{Epoch(8), NodeId(3), std::nullopt});
}

TEST_CASE("Responses: a higher epoch without a leader makes the node Unattached in it") {
  auto ctx = voter().with_voted_candidate(Epoch(6), NodeId(1)).build();
  const Message vote = ctx->pop_request<VoteRequest>(NodeId(2));
  ctx->respond(vote, VoteResponse{Errors::NONE, std::nullopt, Epoch(8), false});
  REQUIRE(ctx->is(StateKind::Unattached));
  CHECK(ctx->epoch() == Epoch(8));
  CHECK_FALSE(ctx->voted_id().has_value());
}

TEST_CASE("Responses: a stale epoch or UNKNOWN_LEADER_EPOCH is dropped") {
  auto ctx = voter().with_voted_candidate(Epoch(6), NodeId(1)).build();
  SUBCASE("stale epoch: a grant from an older epoch does not count") {
    const Message vote = ctx->pop_request<VoteRequest>(NodeId(2));
    ctx->respond(vote, VoteResponse{Errors::NONE, std::nullopt, Epoch(5), true});
  }
  SUBCASE("UNKNOWN_LEADER_EPOCH") {
    const Message vote = ctx->pop_request<VoteRequest>(NodeId(2));
    ctx->respond(vote, VoteResponse{Errors::UNKNOWN_LEADER_EPOCH, NodeId(3), Epoch(9), true});
  }
  CHECK(ctx->is(StateKind::Candidate));
  CHECK(ctx->epoch() == Epoch(6));
}

TEST_CASE("Responses: NOT_LEADER_OR_FOLLOWER in the same epoch naming a leader makes the node a Follower (KAFKA-17030)") {
  auto ctx = voter().with_unknown_leader(Epoch(5)).build();
  // An Unattached voter asks a bootstrap server (random start 0: node 2) for the leader.
  const Message fetch = ctx->pop_request<FetchRequest>(NodeId(2));
  raft::FetchResponse r = RaftTestContext::fetch_response(NodeId(3), Epoch(5), {}, std::nullopt);
  r.error = Errors::NOT_LEADER_OR_FOLLOWER;
  ctx->respond(fetch, r);
  REQUIRE(ctx->is(StateKind::Follower));
  CHECK(ctx->epoch() == Epoch(5));
  CHECK(ctx->leader_id() == NodeId(3));
  CHECK(ctx->has_request<FetchRequest>(NodeId(3)));
}

TEST_CASE("Responses: an observer discovers the leader and appends from the same Fetch") {
  auto ctx = observer().with_unknown_leader(Epoch(5)).build();
  const Message fetch = ctx->pop_request<FetchRequest>();
  const NodeId responder = fetch.destination;
  ctx->respond(fetch, RaftTestContext::fetch_response(
                          responder, Epoch(5), {ctx->data_batch(Offset(2), Epoch(5), 2)}, Offset(4)));
  REQUIRE(ctx->is(StateKind::Follower));
  CHECK(ctx->leader_id() == responder);
  CHECK(ctx->log_end() == Offset(4));
  CHECK(ctx->high_watermark() == Offset(4));
}

TEST_CASE("Responses: BROKER_NOT_AVAILABLE backs the leader connection off, the next fetch goes elsewhere") {
  auto ctx = voter().with_elected_leader(Epoch(5), NodeId(3)).build();
  const Message fetch = ctx->pop_request<FetchRequest>(NodeId(3));
  raft::FetchResponse r = RaftTestContext::fetch_response(NodeId(3), Epoch(5), {}, std::nullopt);
  r.error = Errors::BROKER_NOT_AVAILABLE;
  ctx->respond(fetch, r);
  CHECK(ctx->is(StateKind::Follower));
  CHECK(ctx->channel().count<FetchRequest>(NodeId(3)) == 0);
  CHECK(ctx->channel().count<FetchRequest>(NodeId(2)) == 1);
}

TEST_CASE("Responses: a message naming a different leader for the current epoch asserts (hasConsistentLeader)") {
  auto ctx = voter().with_elected_leader(Epoch(5), NodeId(3)).build();
  SUBCASE("BeginQuorumEpoch from a second leader") {
    CHECK_THROWS_AS(ctx->deliver(NodeId(2), BeginQuorumEpochRequest{NodeId(1), NodeId(2), Epoch(5)}),
                    raft::AssertionFailure);
  }
  SUBCASE("a Fetch response naming another leader") {
    const Message fetch = ctx->pop_request<FetchRequest>(NodeId(3));
    raft::FetchResponse r = RaftTestContext::fetch_response(NodeId(2), Epoch(5), {}, std::nullopt);
    r.error = Errors::NOT_LEADER_OR_FOLLOWER;
    CHECK_THROWS_AS(ctx->respond(fetch, r), raft::AssertionFailure);
  }
  SUBCASE("a message naming this node as leader") {
    CHECK_THROWS_AS(ctx->deliver(NodeId(2), BeginQuorumEpochRequest{NodeId(1), NodeId(1), Epoch(5)}),
                    raft::AssertionFailure);
  }
}

TEST_CASE("Responses: a response with an unexpected correlation id is ignored") {
  auto ctx = voter().with_voted_candidate(Epoch(6), NodeId(1)).build();
  Message vote = ctx->pop_request<VoteRequest>(NodeId(2));
  SUBCASE("a wrong correlation id") {
    vote.correlation_id = raft::CorrelationId(vote.correlation_id.value() + 100);
  }
  SUBCASE("from the wrong node") { vote.destination = NodeId(3); }
  ctx->respond(vote, VoteResponse{Errors::NONE, NodeId(3), Epoch(8), true});
  CHECK(ctx->is(StateKind::Candidate));
  CHECK(ctx->epoch() == Epoch(6));
}

TEST_CASE("Responses: a vote response to an earlier round is ignored after the connections reset") {
  auto ctx = voter().with_unknown_leader(Epoch(5)).build();
  ctx->advance_until([&] { return ctx->is(StateKind::Prospective); });
  const Message pre_vote_to_3 = ctx->pop_request<VoteRequest>(NodeId(3));
  ctx->answer_vote(NodeId(2), true);
  REQUIRE(ctx->is(StateKind::Candidate));
  // Node 3 grants the old pre-vote, in the new epoch: it must not count as a binding vote.
  ctx->respond(pre_vote_to_3, VoteResponse{Errors::NONE, std::nullopt, Epoch(6), true});
  CHECK(ctx->is(StateKind::Candidate));
}
