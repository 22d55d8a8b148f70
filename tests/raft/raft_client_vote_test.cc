// RaftClient: receiving Vote requests (kraft-protocol.md 4.2) and the vote-granting matrix (4.3),
// driven through real Vote requests to a client put into each state, in the style of Kafka's
// KafkaRaftClientTest / KafkaRaftClientPreVoteTest.
//
// Unless a test says otherwise: the local node is 1 of voters {1, 2, 3}, its log ends at
// (offset 2, epoch 2) and it is in epoch 5; the candidate is node 2. "Up to date" means the
// candidate's log ends at (2, 2) (equal counts), "behind" at (1, 2).
#include <doctest/doctest.h>

#include <functional>
#include <memory>
#include <optional>

#include "raft/support/raft_test_context.hh"

namespace {

using raft::Duration;
using raft::ElectionState;
using raft::Epoch;
using raft::Errors;
using raft::FetchRequest;
using raft::Message;
using raft::NodeId;
using raft::Offset;
using raft::StateKind;
using raft::VoteRequest;
using raft::VoteResponse;
using raft::test::RaftTestContext;
using Builder = raft::test::RaftTestContext::Builder;
using Setup = std::function<std::unique_ptr<RaftTestContext>()>;

const Epoch kEpoch{5};
const NodeId kCandidate{2};

Builder voter() {
  return Builder(NodeId(1), {NodeId(1), NodeId(2), NodeId(3)}).with_log_epochs({1, 2});
}
Builder observer() {
  return Builder(NodeId(4), {NodeId(1), NodeId(2), NodeId(3)}).with_log_epochs({1, 2});
}

// The candidate's log end, relative to the local (2, 2).
struct LogEnd {
  Epoch epoch;
  Offset offset;
};
LogEnd candidate_log(bool up_to_date) {
  return up_to_date ? LogEnd{Epoch(2), Offset(2)} : LogEnd{Epoch(2), Offset(1)};
}

VoteResponse ask(RaftTestContext& ctx, bool pre_vote, bool up_to_date,
                 NodeId candidate = kCandidate, Epoch epoch = kEpoch) {
  const LogEnd end = candidate_log(up_to_date);
  return ctx.vote(candidate, epoch, end.epoch, end.offset, pre_vote);
}

// Answers the Follower's first Fetch successfully: from then on it "has fetched from the leader".
void complete_first_fetch(RaftTestContext& ctx, NodeId leader, Epoch epoch) {
  const Message fetch = ctx.pop_request<FetchRequest>(leader);
  ctx.respond(fetch, RaftTestContext::fetch_response(leader, epoch, {}, std::nullopt));
}

struct Expect {
  bool binding_up_to_date;
  bool binding_behind;
  bool pre_vote_up_to_date;
  bool pre_vote_behind;
};

// Runs the four combinations {binding, pre-vote} x {up to date, behind}, each against a fresh
// client built by `setup` (which must leave it in `state`, epoch 5).
void check_matrix_row(const Setup& setup, StateKind state, Expect expect) {
  for (bool pre_vote : {false, true}) {
    for (bool up_to_date : {true, false}) {
      CAPTURE(pre_vote);
      CAPTURE(up_to_date);
      auto ctx = setup();
      REQUIRE(ctx->state() == state);
      REQUIRE(ctx->epoch() == kEpoch);
      const std::optional<NodeId> voted_before = ctx->voted_id();
      const std::optional<NodeId> leader_before = ctx->leader_id();
      const std::optional<ElectionState> file_before = ctx->store().state();

      const VoteResponse response = ask(*ctx, pre_vote, up_to_date);
      const bool expected = pre_vote ? (up_to_date ? expect.pre_vote_up_to_date : expect.pre_vote_behind)
                                     : (up_to_date ? expect.binding_up_to_date : expect.binding_behind);
      CHECK(response.error == Errors::NONE);
      CHECK(response.leader_epoch == kEpoch);
      CHECK(response.leader_id == leader_before);
      CHECK(response.vote_granted == expected);
      // The state kind does not change by answering a vote in the same epoch.
      CHECK(ctx->state() == state);
      if (!pre_vote && expected && !voted_before) {
        // A newly granted binding vote is on disk.
        CHECK(ctx->voted_id() == kCandidate);
        REQUIRE(ctx->store().state().has_value());
        CHECK(ctx->store().state()->voted_id == kCandidate);
        CHECK(ctx->store().state()->epoch == kEpoch);
      } else {
        // Pre-votes and rejections leave the vote and the file alone.
        CHECK(ctx->voted_id() == voted_before);
        CHECK(ctx->store().state() == file_before);
      }
    }
  }
}

}  // namespace

// ---- 4.3 the vote-granting matrix -------------------------------------------------------------

TEST_CASE("Vote: Unattached without a vote grants either kind iff the candidate's log is up to date") {
  check_matrix_row([] { return voter().with_unknown_leader(kEpoch).build(); }, StateKind::Unattached,
                   {true, false, true, false});
}

TEST_CASE("Vote: Unattached that voted for the same candidate grants it again, pre-votes follow the log") {
  check_matrix_row([] { return voter().with_voted_candidate(kEpoch, kCandidate).build(); },
                   StateKind::Unattached, {true, true, true, false});
}

TEST_CASE("Vote: Unattached that voted for another candidate rejects binding votes, pre-votes follow the log") {
  check_matrix_row([] { return voter().with_voted_candidate(kEpoch, NodeId(3)).build(); },
                   StateKind::Unattached, {false, false, true, false});
}

TEST_CASE("Vote: Prospective without a vote or leader grants either kind iff the log is up to date") {
  check_matrix_row(
      [] {
        auto ctx = voter().with_unknown_leader(kEpoch).build();
        ctx->advance_until([&] { return ctx->is(StateKind::Prospective); });
        return ctx;
      },
      StateKind::Prospective, {true, false, true, false});
}

TEST_CASE("Vote: Prospective that voted grants only its candidate a binding vote") {
  SUBCASE("voted for the candidate") {
    check_matrix_row(
        [] {
          auto ctx = voter().with_voted_candidate(kEpoch, kCandidate).build();
          ctx->advance_until([&] { return ctx->is(StateKind::Prospective); });
          return ctx;
        },
        StateKind::Prospective, {true, true, true, false});
  }
  SUBCASE("voted for another node") {
    check_matrix_row(
        [] {
          auto ctx = voter().with_voted_candidate(kEpoch, NodeId(3)).build();
          ctx->advance_until([&] { return ctx->is(StateKind::Prospective); });
          return ctx;
        },
        StateKind::Prospective, {false, false, true, false});
  }
}

TEST_CASE("Vote: Prospective that knows the leader rejects binding votes, pre-votes follow the log") {
  check_matrix_row(
      [] {
        auto ctx = voter().with_elected_leader(kEpoch, NodeId(3)).build();
        // The fetch timer expires: Prospective, still knowing leader 3.
        ctx->advance_until([&] { return ctx->is(StateKind::Prospective); });
        REQUIRE(ctx->leader_id() == NodeId(3));
        return ctx;
      },
      StateKind::Prospective, {false, false, true, false});
}

TEST_CASE("Vote: Candidate rejects binding votes (it voted for itself), pre-votes follow the log") {
  check_matrix_row([] { return voter().with_voted_candidate(kEpoch, NodeId(1)).build(); },
                   StateKind::Candidate, {false, false, true, false});
}

TEST_CASE("Vote: Follower grants a pre-vote only before its first successful fetch") {
  SUBCASE("before the first fetch") {
    check_matrix_row([] { return voter().with_elected_leader(kEpoch, NodeId(3)).build(); },
                     StateKind::Follower, {false, false, true, false});
  }
  SUBCASE("after a successful fetch") {
    check_matrix_row(
        [] {
          auto ctx = voter().with_elected_leader(kEpoch, NodeId(3)).build();
          complete_first_fetch(*ctx, NodeId(3), kEpoch);
          return ctx;
        },
        StateKind::Follower, {false, false, false, false});
  }
}

TEST_CASE("Vote: a failed fetch does not count as the Follower's first successful fetch") {
  auto ctx = voter().with_elected_leader(kEpoch, NodeId(3)).build();
  const Message fetch = ctx->pop_request<FetchRequest>(NodeId(3));
  raft::FetchResponse failed = RaftTestContext::fetch_response(NodeId(3), kEpoch, {}, std::nullopt);
  failed.error = Errors::BROKER_NOT_AVAILABLE;
  ctx->respond(fetch, failed);
  CHECK(ask(*ctx, true, true).vote_granted);
}

TEST_CASE("Vote: Resigned rejects binding votes, pre-votes follow the log") {
  check_matrix_row([] { return voter().with_elected_leader(kEpoch, NodeId(1)).build(); },
                   StateKind::Resigned, {false, false, true, false});
}

TEST_CASE("Vote: Leader rejects every vote and pre-vote in its epoch") {
  // Candidate in epoch 5 that wins with node 3's vote. Its log then ends at (3, 5).
  auto ctx = voter().with_voted_candidate(kEpoch, NodeId(1)).build();
  ctx->answer_vote(NodeId(3), true);
  REQUIRE(ctx->is(StateKind::Leader));
  REQUIRE(ctx->log_end() == Offset(3));
  const std::optional<ElectionState> file = ctx->store().state();
  SUBCASE("pre-vote, log up to date") {
    const VoteResponse r = ctx->vote(kCandidate, kEpoch, Epoch(5), Offset(3), true);
    CHECK(r.error == Errors::NONE);
    CHECK_FALSE(r.vote_granted);
    CHECK(r.leader_id == NodeId(1));
  }
  SUBCASE("pre-vote, log behind") {
    CHECK_FALSE(ctx->vote(kCandidate, kEpoch, Epoch(2), Offset(2), true).vote_granted);
  }
  SUBCASE("binding vote (a same-epoch candidate cannot be up to date with the leader)") {
    const VoteResponse r = ctx->vote(kCandidate, kEpoch, Epoch(4), Offset(100), false);
    CHECK(r.error == Errors::NONE);
    CHECK_FALSE(r.vote_granted);
  }
  CHECK(ctx->is(StateKind::Leader));
  CHECK(ctx->store().state() == file);
}

TEST_CASE("Vote: an observer answers by the rule of its state") {
  SUBCASE("Unattached, no vote") {
    check_matrix_row([] { return observer().with_unknown_leader(kEpoch).build(); },
                     StateKind::Unattached, {true, false, true, false});
  }
  SUBCASE("Unattached, voted for the candidate") {
    check_matrix_row([] { return observer().with_voted_candidate(kEpoch, kCandidate).build(); },
                     StateKind::Unattached, {true, true, true, false});
  }
  SUBCASE("Follower before its first fetch") {
    check_matrix_row([] { return observer().with_elected_leader(kEpoch, NodeId(3)).build(); },
                     StateKind::Follower, {false, false, true, false});
  }
  SUBCASE("Follower after a successful fetch") {
    check_matrix_row(
        [] {
          auto ctx = observer().with_elected_leader(kEpoch, NodeId(3)).build();
          complete_first_fetch(*ctx, NodeId(3), kEpoch);
          return ctx;
        },
        StateKind::Follower, {false, false, false, false});
  }
}

TEST_CASE("Vote: the log comparison is lexicographic, epoch first") {
  auto ctx = voter().with_unknown_leader(kEpoch).build();
  // A higher last epoch wins even with a shorter log.
  CHECK(ctx->vote(kCandidate, kEpoch, Epoch(3), Offset(0), true).vote_granted);
  // A lower last epoch loses even with a longer log.
  CHECK_FALSE(ctx->vote(kCandidate, kEpoch, Epoch(1), Offset(50), true).vote_granted);
  // Same epoch: longer or equal wins.
  CHECK(ctx->vote(kCandidate, kEpoch, Epoch(2), Offset(3), true).vote_granted);
}

// ---- 4.2 persistence and timers -------------------------------------------------------------

TEST_CASE("Vote: a binding vote is on disk before the response granting it is sent") {
  auto ctx = voter().with_unknown_leader(kEpoch).build();
  const LogEnd end = candidate_log(true);
  const raft::CorrelationId id =
      ctx->deliver(kCandidate, ctx->vote_request(kCandidate, kEpoch, end.epoch, end.offset, false));
  auto sent = ctx->channel().take_response<VoteResponse>(kCandidate, id);
  REQUIRE(sent.has_value());
  CHECK(std::get<VoteResponse>(sent->message.payload).vote_granted);
  CHECK(ctx->store().state() == ElectionState{kEpoch, std::nullopt, kCandidate});
  CHECK(ctx->store().last_write_tick() > 0);
  CHECK(ctx->store().last_write_tick() < sent->tick);
}

TEST_CASE("Vote: pre-votes are neither persisted nor binding, and many may be granted per epoch") {
  auto ctx = voter().with_unknown_leader(kEpoch).build();
  const int writes = ctx->store().write_count();
  CHECK(ask(*ctx, true, true, NodeId(2)).vote_granted);
  CHECK(ask(*ctx, true, true, NodeId(3)).vote_granted);
  CHECK(ctx->store().write_count() == writes);
  CHECK_FALSE(ctx->voted_id().has_value());
  // The binding vote is still free.
  CHECK(ask(*ctx, false, true, NodeId(3)).vote_granted);
  CHECK(ctx->voted_id() == NodeId(3));
  // And now taken.
  CHECK_FALSE(ask(*ctx, false, true, NodeId(2)).vote_granted);
}

TEST_CASE("Vote: a request with a higher epoch first moves the receiver to Unattached in that epoch") {
  const Epoch higher{7};
  SUBCASE("binding vote to a Follower that already fetched") {
    auto ctx = voter().with_elected_leader(kEpoch, NodeId(3)).build();
    complete_first_fetch(*ctx, NodeId(3), kEpoch);
    const int writes = ctx->store().write_count();
    const VoteResponse r = ask(*ctx, false, true, kCandidate, higher);
    CHECK(r.error == Errors::NONE);
    CHECK(r.vote_granted);
    CHECK(r.leader_epoch == higher);
    CHECK_FALSE(r.leader_id.has_value());
    CHECK(ctx->is(StateKind::Unattached));
    CHECK(ctx->epoch() == higher);
    CHECK(ctx->voted_id() == kCandidate);
    // Two durable steps: Unattached(7), then the vote.
    REQUIRE(ctx->store().write_count() == writes + 2);
    CHECK(ctx->store().writes()[static_cast<std::size_t>(writes)] ==
          ElectionState{higher, std::nullopt, std::nullopt});
    CHECK(ctx->store().state() == ElectionState{higher, std::nullopt, kCandidate});
  }
  SUBCASE("pre-vote to a Follower that already fetched (KIP-996, PR #17807)") {
    auto ctx = voter().with_elected_leader(kEpoch, NodeId(3)).build();
    complete_first_fetch(*ctx, NodeId(3), kEpoch);
    const VoteResponse r = ask(*ctx, true, true, kCandidate, higher);
    CHECK(r.vote_granted);
    CHECK(r.leader_epoch == higher);
    CHECK(ctx->is(StateKind::Unattached));
    CHECK(ctx->epoch() == higher);
    CHECK_FALSE(ctx->voted_id().has_value());
    CHECK(ctx->store().state() == ElectionState{higher, std::nullopt, std::nullopt});
  }
  SUBCASE("pre-vote with a stale log still moves the epoch, and is rejected") {
    auto ctx = voter().with_voted_candidate(kEpoch, NodeId(1)).build();  // Candidate
    const VoteResponse r = ask(*ctx, true, false, kCandidate, higher);
    CHECK_FALSE(r.vote_granted);
    CHECK(r.leader_epoch == higher);
    CHECK(ctx->is(StateKind::Unattached));
    CHECK(ctx->epoch() == higher);
  }
  SUBCASE("pre-vote to a Leader") {
    auto ctx = voter().with_voted_candidate(kEpoch, NodeId(1)).build();
    ctx->answer_vote(NodeId(3), true);
    REQUIRE(ctx->is(StateKind::Leader));
    const VoteResponse r = ctx->vote(kCandidate, Epoch(6), Epoch(5), Offset(3), true);
    CHECK(r.vote_granted);
    CHECK(r.leader_epoch == Epoch(6));
    CHECK(ctx->is(StateKind::Unattached));
    CHECK(ctx->epoch() == Epoch(6));
  }
}

TEST_CASE("Vote: a request with a stale epoch is answered FENCED_LEADER_EPOCH") {
  for (bool pre_vote : {false, true}) {
    CAPTURE(pre_vote);
    auto ctx = voter().with_unknown_leader(kEpoch).build();
    const int writes = ctx->store().write_count();
    const VoteResponse r = ask(*ctx, pre_vote, true, kCandidate, Epoch(4));
    CHECK(r.error == Errors::FENCED_LEADER_EPOCH);
    CHECK_FALSE(r.vote_granted);
    CHECK(r.leader_epoch == kEpoch);
    CHECK(ctx->epoch() == kEpoch);
    CHECK_FALSE(ctx->voted_id().has_value());
    CHECK(ctx->store().write_count() == writes);
  }
}

TEST_CASE("Vote: an invalid last epoch or offset is answered INVALID_REQUEST before anything else") {
  auto ctx = voter().with_unknown_leader(kEpoch).build();
  auto check_invalid = [&](Epoch epoch, Epoch last_epoch, Offset last_offset, bool pre_vote) {
    const VoteResponse r = ctx->vote(kCandidate, epoch, last_epoch, last_offset, pre_vote);
    CHECK(r.error == Errors::INVALID_REQUEST);
    CHECK_FALSE(r.vote_granted);
  };
  // A binding candidate bumped its epoch past its last record: last epoch == epoch is illegal.
  check_invalid(Epoch(6), Epoch(6), Offset(9), false);
  // A pre-vote candidate did not: last epoch > epoch is illegal...
  check_invalid(Epoch(6), Epoch(7), Offset(9), true);
  check_invalid(Epoch(6), Epoch(2), Offset(-1), false);
  check_invalid(Epoch(6), Epoch(-1), Offset(2), true);
  // ...checked before the epoch: neither a higher nor a stale epoch was acted on.
  check_invalid(Epoch(9), Epoch(9), Offset(2), false);
  check_invalid(Epoch(1), Epoch(1), Offset(2), false);
  CHECK(ctx->epoch() == kEpoch);
  CHECK(ctx->is(StateKind::Unattached));
  CHECK_FALSE(ctx->voted_id().has_value());
  // ...but for a pre-vote last epoch == epoch is fine.
  const VoteResponse ok = ctx->vote(kCandidate, Epoch(6), Epoch(6), Offset(0), true);
  CHECK(ok.error == Errors::NONE);
  CHECK(ok.vote_granted);
  CHECK(ctx->epoch() == Epoch(6));
}

TEST_CASE("Vote: a granted binding vote restarts the Unattached election timer") {
  auto ctx = voter().with_unknown_leader(kEpoch).build();
  const raft::Instant t0 = ctx->now();
  // Initial timer: t0 + 1000 ms (jitter 0).
  ctx->advance(Duration::millis(600));
  SUBCASE("granted: a fresh timer of 1000 + 300 ms from now") {
    ctx->random().queue(1000, {300});
    REQUIRE(ask(*ctx, false, true).vote_granted);
    ctx->advance_to(t0 + Duration::millis(1899));
    CHECK(ctx->is(StateKind::Unattached));
    ctx->advance(Duration::millis(1));
    CHECK(ctx->is(StateKind::Prospective));
  }
  SUBCASE("rejected: the timer keeps running") {
    REQUIRE_FALSE(ask(*ctx, false, false).vote_granted);
    ctx->advance_to(t0 + Duration::millis(999));
    CHECK(ctx->is(StateKind::Unattached));
    ctx->advance(Duration::millis(1));
    CHECK(ctx->is(StateKind::Prospective));
  }
  SUBCASE("a granted pre-vote does not touch the timer") {
    REQUIRE(ask(*ctx, true, true).vote_granted);
    ctx->advance_to(t0 + Duration::millis(1000));
    CHECK(ctx->is(StateKind::Prospective));
  }
}

TEST_CASE("Vote: a binding vote granted while Prospective is persisted and restarts its election timer") {
  auto ctx = voter().with_unknown_leader(kEpoch).build();
  ctx->advance_until([&] { return ctx->is(StateKind::Prospective); });
  const raft::Instant tp = ctx->now();  // pre-vote round timer: tp + 1000 ms
  ctx->advance(Duration::millis(500));
  ctx->random().queue(1000, {300});
  const VoteResponse r = ask(*ctx, false, true);
  CHECK(r.vote_granted);
  CHECK(ctx->is(StateKind::Prospective));
  CHECK(ctx->store().state() == ElectionState{kEpoch, std::nullopt, kCandidate});
  ctx->channel().clear();
  // The old timer (tp + 1000) no longer ends the round; the new one (tp + 500 + 1300) does, and
  // a new pre-vote round starts in the same epoch, keeping the vote.
  ctx->advance_to(tp + Duration::millis(1799));
  CHECK(ctx->channel().count<VoteRequest>() == 0);
  ctx->advance(Duration::millis(1));
  CHECK(ctx->is(StateKind::Prospective));
  CHECK(ctx->channel().count<VoteRequest>() == 2);
  CHECK(ctx->epoch() == kEpoch);
  CHECK(ctx->voted_id() == kCandidate);
}

TEST_CASE("Vote: the response carries the receiver's epoch and known leader") {
  auto ctx = voter().with_elected_leader(kEpoch, NodeId(3)).build();
  const VoteResponse r = ask(*ctx, false, true);
  CHECK(r.error == Errors::NONE);
  CHECK(r.leader_id == NodeId(3));
  CHECK(r.leader_epoch == kEpoch);
}
