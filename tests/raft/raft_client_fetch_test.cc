// RaftClient: replication by Fetch and the high watermark (kraft-protocol.md 5.1, 5.2, 6.1-6.5,
// 7.3), on the leader and on followers and observers, in the style of Kafka's
// KafkaRaftClientTest / KafkaRaftClientFetchTest.
//
// Leader tests: node 1 of voters {1, 2, 3}, log [epoch 1, epoch 2] (offsets 0 and 1), elected in
// epoch 3 with node 3's vote; its LeaderChange batch is at offset 2 (the epoch start offset), so
// its log ends at 3. Follower tests: node 1 follows node 3 in epoch 5 with the same initial log.
#include <doctest/doctest.h>

#include <memory>
#include <optional>
#include <vector>

#include "raft/common/assert.hh"
#include "raft/support/raft_test_context.hh"

namespace {

using raft::BeginQuorumEpochRequest;
using raft::BeginQuorumEpochResponse;
using raft::BatchPtr;
using raft::Duration;
using raft::Epoch;
using raft::Errors;
using raft::FetchRequest;
using raft::FetchResponse;
using raft::Instant;
using raft::LeaderAndEpoch;
using raft::Message;
using raft::NodeId;
using raft::Offset;
using raft::OffsetAndEpoch;
using raft::StateKind;
using raft::test::RaftTestContext;
using Builder = raft::test::RaftTestContext::Builder;

const std::vector<NodeId> kVoters{NodeId(1), NodeId(2), NodeId(3)};
const Epoch kLeaderEpoch{3};
const Epoch kFollowerEpoch{5};

std::unique_ptr<RaftTestContext> leader(Builder builder = Builder(NodeId(1), kVoters).with_log_epochs({1, 2})) {
  auto ctx = builder.with_voted_candidate(kLeaderEpoch, NodeId(1)).build();
  ctx->answer_vote(NodeId(3), true);
  REQUIRE(ctx->is(StateKind::Leader));
  REQUIRE(ctx->log_end() == Offset(3));
  ctx->channel().clear();
  return ctx;
}

std::unique_ptr<RaftTestContext> follower(std::vector<std::int32_t> log = {1, 2},
                                          NodeId local = NodeId(1)) {
  auto ctx = Builder(local, kVoters)
                 .with_log_epochs(log)
                 .with_elected_leader(kFollowerEpoch, NodeId(3))
                 .build();
  REQUIRE(ctx->is(StateKind::Follower));
  return ctx;
}

FetchRequest fetch_of(const Message& m) { return std::get<FetchRequest>(m.payload); }

std::vector<Offset> base_offsets(const std::vector<BatchPtr>& batches) {
  std::vector<Offset> out;
  for (const BatchPtr& b : batches) out.push_back(b->base_offset);
  return out;
}

}  // namespace

// ---- 6.1 the leader side -------------------------------------------------------------------

TEST_CASE("Fetch: the leader answers a valid Fetch with its records, its leadership and its HW") {
  auto ctx = leader();
  const auto from_start = ctx->fetch(NodeId(2), kLeaderEpoch, Offset(0), Epoch(0), 500);
  REQUIRE(from_start.has_value());  // records: answered at once despite MaxWaitMs
  CHECK(from_start->error == Errors::NONE);
  CHECK(from_start->leader_id == NodeId(1));
  CHECK(from_start->leader_epoch == kLeaderEpoch);
  CHECK(base_offsets(from_start->batches) == std::vector<Offset>{Offset(0), Offset(1), Offset(2)});
  CHECK_FALSE(from_start->high_watermark.has_value());  // node 2 is at 0: nothing committed
  CHECK_FALSE(from_start->diverging_epoch.has_value());

  const auto caught_up = ctx->fetch(NodeId(2), kLeaderEpoch, Offset(3), kLeaderEpoch);
  REQUIRE(caught_up.has_value());
  CHECK(caught_up->batches.empty());
  CHECK(caught_up->high_watermark == Offset(3));
  CHECK(ctx->high_watermark() == Offset(3));
  CHECK(ctx->leader_state().voter_states().at(NodeId(2)).end_offset == Offset(3));
}

TEST_CASE("Fetch: the leader's HW starts unknown and needs a majority strictly past the epoch start (KAFKA-12619)") {
  auto ctx = leader();
  CHECK(ctx->leader_state().epoch_start_offset() == Offset(2));
  CHECK_FALSE(ctx->high_watermark().has_value());
  // Node 2 has everything up to the epoch start, but not the LeaderChange at 2.
  const auto at_start = ctx->fetch(NodeId(2), kLeaderEpoch, Offset(2), Epoch(2));
  REQUIRE(at_start.has_value());
  CHECK(base_offsets(at_start->batches) == std::vector<Offset>{Offset(2)});
  CHECK_FALSE(at_start->high_watermark.has_value());
  CHECK_FALSE(ctx->high_watermark().has_value());
  CHECK(ctx->listener().commits().empty());
  // Node 3 too: still nothing, a majority at exactly the epoch start commits nothing.
  ctx->fetch(NodeId(3), kLeaderEpoch, Offset(2), Epoch(2));
  CHECK_FALSE(ctx->high_watermark().has_value());
  // Past it.
  ctx->fetch(NodeId(3), kLeaderEpoch, Offset(3), kLeaderEpoch);
  CHECK(ctx->high_watermark() == Offset(3));
}

TEST_CASE("Fetch: the leader's HW never decreases") {
  auto ctx = leader();
  ctx->fetch(NodeId(2), kLeaderEpoch, Offset(3), kLeaderEpoch);
  REQUIRE(ctx->high_watermark() == Offset(3));
  // Node 2 lost its disk and starts over; node 3 is behind.
  const auto restarted = ctx->fetch(NodeId(2), kLeaderEpoch, Offset(0), Epoch(0));
  REQUIRE(restarted.has_value());
  CHECK(restarted->high_watermark == Offset(3));
  ctx->fetch(NodeId(3), kLeaderEpoch, Offset(1), Epoch(1));
  CHECK(ctx->high_watermark() == Offset(3));
}

TEST_CASE("Fetch: observers do not count toward the leader's HW") {
  auto ctx = leader();
  const auto r = ctx->fetch(NodeId(4), kLeaderEpoch, Offset(3), kLeaderEpoch);
  REQUIRE(r.has_value());
  CHECK_FALSE(r->high_watermark.has_value());
  CHECK_FALSE(ctx->high_watermark().has_value());
  CHECK(ctx->leader_state().observer_states().at(NodeId(4)).end_offset == Offset(3));
}

TEST_CASE("Fetch: committed batches reach the listener in order, then the leadership news") {
  auto ctx = leader();
  CHECK(ctx->client().append(kLeaderEpoch, {"a", "b"}, ctx->now()) == Offset(4));
  ctx->advance(ctx->config().append_linger);
  REQUIRE(ctx->log_end() == Offset(5));
  ctx->fetch(NodeId(2), kLeaderEpoch, Offset(5), kLeaderEpoch);
  CHECK(ctx->high_watermark() == Offset(5));
  const auto& commits = ctx->listener().commits();
  REQUIRE(commits.size() == 4);
  CHECK(commits[0].base_offset == Offset(0));
  CHECK(commits[2].is_control);
  CHECK(commits[3].records == std::vector<std::string>{"a", "b"});
  CHECK(ctx->listener().leader_changes().back() == LeaderAndEpoch{NodeId(1), kLeaderEpoch});
}

TEST_CASE("Fetch: a partially replicated batch is not delivered to the listener") {
  auto ctx = leader();
  ctx->client().append(kLeaderEpoch, {"a", "b", "c"}, ctx->now());
  ctx->advance(ctx->config().append_linger);
  REQUIRE(ctx->log_end() == Offset(6));
  // Node 2 stopped in the middle of the data batch [3, 6) (the leader only checks it is valid).
  ctx->fetch(NodeId(2), kLeaderEpoch, Offset(3), kLeaderEpoch);
  ctx->fetch(NodeId(3), kLeaderEpoch, Offset(3), kLeaderEpoch);
  CHECK(ctx->high_watermark() == Offset(3));
  CHECK(ctx->listener().committed_end() == Offset(3));
}

TEST_CASE("Fetch: appends wait for the linger time, then are written and flushed as one batch") {
  auto ctx = leader();
  const Instant t0 = ctx->now();
  CHECK(ctx->client().append(kLeaderEpoch, {"a"}, t0) == Offset(3));
  ctx->advance(Duration::millis(10));
  CHECK(ctx->client().append(kLeaderEpoch, {"b"}, ctx->now()) == Offset(4));
  ctx->advance_to(t0 + ctx->config().append_linger - Duration::millis(1));
  CHECK(ctx->log_end() == Offset(3));
  ctx->advance(Duration::millis(1));
  CHECK(ctx->log_end() == Offset(5));
  CHECK(ctx->storage().flushed_end_offset() == Offset(5));
  CHECK(ctx->client().log().batches().back()->base_offset == Offset(3));
  CHECK(ctx->client().log().batches().back()->epoch == kLeaderEpoch);
  // Appends for another epoch are refused (Kafka's NotLeaderException).
  CHECK_FALSE(ctx->client().append(Epoch(2), {"x"}, ctx->now()).has_value());
}

TEST_CASE("Fetch: the leader splits drained records into batches of at most batch_max_bytes") {
  auto ctx = leader(Builder(NodeId(1), kVoters).with_log_epochs({1, 2}).configure([](raft::RaftConfig& c) {
    c.batch_max_bytes = raft::kBatchHeaderBytes + 2 * raft::estimated_record_size(10);
  }));
  const std::string ten(10, 'r');
  ctx->client().append(kLeaderEpoch, {ten, ten, ten, ten, ten}, ctx->now());
  // Full batches do not wait for the linger.
  const auto& batches = ctx->client().log().batches();
  REQUIRE(batches.size() == 6);
  CHECK(batches[3]->base_offset == Offset(3));
  CHECK(batches[3]->records.size() == 2);
  CHECK(batches[4]->base_offset == Offset(5));
  CHECK(batches[5]->base_offset == Offset(7));
  CHECK(batches[5]->records.size() == 1);
}

TEST_CASE("Fetch: a diverging fetcher gets DivergingEpoch at once, not parked, and no progress (KAFKA-15100)") {
  auto ctx = leader();
  // Node 2 wrote offset 1 in epoch 1 (the leader has it in epoch 2) and asks from offset 2.
  const auto r = ctx->fetch(NodeId(2), kLeaderEpoch, Offset(2), Epoch(1), 500);
  REQUIRE(r.has_value());
  CHECK(r->error == Errors::NONE);
  CHECK(r->diverging_epoch == OffsetAndEpoch{Offset(1), Epoch(1)});
  CHECK(r->batches.empty());
  CHECK(ctx->client().parked_fetches() == 0);
  CHECK_FALSE(ctx->leader_state().voter_states().at(NodeId(2)).end_offset.has_value());
  CHECK_FALSE(ctx->high_watermark().has_value());
}

TEST_CASE("Fetch: a fetch ahead of the leader's epoch end is told where that epoch ends") {
  auto ctx = leader();
  const auto r = ctx->fetch(NodeId(2), kLeaderEpoch, Offset(7), Epoch(2));
  REQUIRE(r.has_value());
  CHECK(r->diverging_epoch == OffsetAndEpoch{Offset(2), Epoch(2)});
}

TEST_CASE("Check-quorum: diverging fetches earn no check-quorum credit") {
  auto ctx = leader();
  const Instant elected = ctx->now();
  for (int i = 1; i <= 2; ++i) {
    ctx->advance_to(elected + Duration::millis(1000 * i));
    ctx->fetch(NodeId(2), kLeaderEpoch, Offset(2), Epoch(1));
  }
  ctx->advance_to(elected + Duration::millis(3000));
  CHECK(ctx->is(StateKind::Resigned));
}

TEST_CASE("Fetch: an empty fetch is parked and completed with the new records when the log grows") {
  auto ctx = leader();
  const raft::CorrelationId id =
      ctx->deliver(NodeId(2), ctx->fetch_request(NodeId(2), kLeaderEpoch, Offset(3), kLeaderEpoch, 500));
  CHECK(ctx->client().parked_fetches() == 1);
  CHECK_FALSE(ctx->take_response<FetchResponse>(NodeId(2), id).has_value());
  // The parked fetch still counted as progress: node 2 is at 3, so the HW is 3.
  CHECK(ctx->high_watermark() == Offset(3));

  ctx->advance(Duration::millis(100));
  ctx->client().append(kLeaderEpoch, {"x", "y"}, ctx->now());
  CHECK_FALSE(ctx->take_response<FetchResponse>(NodeId(2), id).has_value());
  ctx->advance(ctx->config().append_linger);
  const auto r = ctx->take_response<FetchResponse>(NodeId(2), id);
  REQUIRE(r.has_value());
  CHECK(r->error == Errors::NONE);
  REQUIRE(r->batches.size() == 1);
  CHECK(r->batches[0]->base_offset == Offset(3));
  CHECK(r->batches[0]->records == std::vector<std::string>{"x", "y"});
  CHECK(r->high_watermark == Offset(3));
  CHECK(ctx->client().parked_fetches() == 0);
}

TEST_CASE("Fetch: a parked fetch expires after MaxWaitMs with the response computed on arrival (KAFKA-15100)") {
  auto ctx = leader();
  // Observer 4 parks while the HW is still unknown.
  const Instant arrival = ctx->now();
  const raft::CorrelationId id =
      ctx->deliver(NodeId(4), ctx->fetch_request(NodeId(4), kLeaderEpoch, Offset(3), kLeaderEpoch, 500));
  REQUIRE(ctx->client().parked_fetches() == 1);
  // Meanwhile voter 2 commits the LeaderChange: a recomputed response would carry HW 3.
  ctx->fetch(NodeId(2), kLeaderEpoch, Offset(3), kLeaderEpoch);
  REQUIRE(ctx->high_watermark() == Offset(3));
  ctx->advance_to(arrival + Duration::millis(499));
  CHECK_FALSE(ctx->take_response<FetchResponse>(NodeId(4), id).has_value());
  ctx->advance(Duration::millis(1));
  const auto r = ctx->take_response<FetchResponse>(NodeId(4), id);
  REQUIRE(r.has_value());
  CHECK(r->error == Errors::NONE);
  CHECK(r->batches.empty());
  CHECK_FALSE(r->high_watermark.has_value());
  CHECK(ctx->client().parked_fetches() == 0);
}

TEST_CASE("Fetch: parked fetches are failed with NOT_LEADER_OR_FOLLOWER when the leader steps down (KAFKA-10677)") {
  SUBCASE("resign() from the state machine") {
    auto ctx = leader();
    const raft::CorrelationId id =
        ctx->deliver(NodeId(2), ctx->fetch_request(NodeId(2), kLeaderEpoch, Offset(3), kLeaderEpoch, 500));
    ctx->client().resign(kLeaderEpoch);
    ctx->poll();
    REQUIRE(ctx->is(StateKind::Resigned));
    const auto r = ctx->take_response<FetchResponse>(NodeId(2), id);
    REQUIRE(r.has_value());
    CHECK(r->error == Errors::NOT_LEADER_OR_FOLLOWER);
    CHECK(r->leader_epoch == kLeaderEpoch);
  }
  SUBCASE("a new leader of a higher epoch") {
    auto ctx = leader();
    const raft::CorrelationId id =
        ctx->deliver(NodeId(2), ctx->fetch_request(NodeId(2), kLeaderEpoch, Offset(3), kLeaderEpoch, 500));
    ctx->deliver(NodeId(3), BeginQuorumEpochRequest{NodeId(1), NodeId(3), Epoch(4)});
    REQUIRE(ctx->is(StateKind::Follower));
    const auto r = ctx->take_response<FetchResponse>(NodeId(2), id);
    REQUIRE(r.has_value());
    CHECK(r->error == Errors::NOT_LEADER_OR_FOLLOWER);
    CHECK(r->leader_id == NodeId(3));
    CHECK(r->leader_epoch == Epoch(4));
  }
}

TEST_CASE("Fetch: request validation (5.1)") {
  auto ctx = leader();
  auto error_of = [&](raft::FetchRequest request) {
    const auto r = ctx->exchange<FetchResponse>(request.replica_id, request);
    CHECK(r.batches.empty());
    return r.error;
  };
  CHECK(error_of(ctx->fetch_request(NodeId(2), kLeaderEpoch, Offset(3), Epoch(4))) == Errors::INVALID_REQUEST);
  CHECK(error_of(ctx->fetch_request(NodeId(2), kLeaderEpoch, Offset(-1), Epoch(0))) == Errors::INVALID_REQUEST);
  CHECK(error_of(ctx->fetch_request(NodeId(2), kLeaderEpoch, Offset(0), Epoch(-1))) == Errors::INVALID_REQUEST);
  CHECK(error_of(ctx->fetch_request(NodeId(2), kLeaderEpoch, Offset(0), Epoch(0), -1)) == Errors::INVALID_REQUEST);
  CHECK(error_of(ctx->fetch_request(NodeId(2), Epoch(2), Offset(0), Epoch(0))) == Errors::FENCED_LEADER_EPOCH);
  CHECK(error_of(ctx->fetch_request(NodeId(2), Epoch(4), Offset(0), Epoch(0))) == Errors::UNKNOWN_LEADER_EPOCH);
  // None of it counted as progress.
  CHECK_FALSE(ctx->leader_state().voter_states().at(NodeId(2)).end_offset.has_value());
  CHECK(ctx->is(StateKind::Leader));
}

TEST_CASE("Fetch: a non-leader answers NOT_LEADER_OR_FOLLOWER naming the leader it knows") {
  auto ctx = follower();
  const auto r = ctx->exchange<FetchResponse>(
      NodeId(2), ctx->fetch_request(NodeId(2), kFollowerEpoch, Offset(0), Epoch(0), 500));
  CHECK(r.error == Errors::NOT_LEADER_OR_FOLLOWER);
  CHECK(r.leader_id == NodeId(3));
  CHECK(r.leader_epoch == kFollowerEpoch);
  CHECK_FALSE(r.high_watermark.has_value());
}

TEST_CASE("Fetch: a leader that begins shutting down resigns at once and answers NOT_LEADER_OR_FOLLOWER") {
  // (validate_leader_only_request's BROKER_NOT_AVAILABLE is for a leader that is shutting down;
  // here the leader resigns in the same poll, so fetchers are sent on to the next leader.)
  auto ctx = leader();
  ctx->client().begin_shutdown(ctx->now());
  REQUIRE(ctx->is(StateKind::Resigned));
  const auto r = ctx->exchange<FetchResponse>(
      NodeId(2), ctx->fetch_request(NodeId(2), kLeaderEpoch, Offset(3), kLeaderEpoch));
  CHECK(r.error == Errors::NOT_LEADER_OR_FOLLOWER);
  CHECK(r.leader_epoch == kLeaderEpoch);
}

// ---- 6.2 the follower side -------------------------------------------------------------------

TEST_CASE("Fetch: a follower fetches from its LEO and last epoch, one request at a time") {
  auto ctx = follower();
  CHECK(ctx->channel().count<FetchRequest>() == 1);
  const FetchRequest f = fetch_of(ctx->pop_request<FetchRequest>(NodeId(3)));
  CHECK(f.replica_id == NodeId(1));
  CHECK(f.current_leader_epoch == kFollowerEpoch);
  CHECK(f.fetch_offset == Offset(2));
  CHECK(f.last_fetched_epoch == Epoch(2));
  CHECK(f.max_wait_ms == 500);
  // While it is in flight no other fetch goes out, to the leader or anyone else.
  ctx->advance(Duration::millis(1500));
  CHECK(ctx->channel().count<FetchRequest>() == 0);
}

TEST_CASE("Fetch: a follower applies HW = min(leader HW, own LEO) and delivers what is committed") {
  auto ctx = follower();
  Message fetch = ctx->pop_request<FetchRequest>(NodeId(3));
  // Leader HW below the new LEO: the follower takes the leader's.
  ctx->respond(fetch, RaftTestContext::fetch_response(
                          NodeId(3), kFollowerEpoch, {ctx->data_batch(Offset(2), kFollowerEpoch, 2)}, Offset(3)));
  CHECK(ctx->log_end() == Offset(4));
  CHECK(ctx->high_watermark() == Offset(3));
  // [2, 4) is only partly committed: the listener has [0, 2).
  CHECK(ctx->listener().committed_end() == Offset(2));
  // Leader HW beyond the follower's LEO: clamped to the LEO.
  fetch = ctx->pop_request<FetchRequest>(NodeId(3));
  CHECK(fetch_of(fetch).fetch_offset == Offset(4));
  CHECK(fetch_of(fetch).last_fetched_epoch == kFollowerEpoch);
  ctx->respond(fetch, RaftTestContext::fetch_response(NodeId(3), kFollowerEpoch, {}, Offset(10)));
  CHECK(ctx->high_watermark() == Offset(4));
  CHECK(ctx->listener().committed_end() == Offset(4));
  // An unknown leader HW leaves the follower's alone.
  fetch = ctx->pop_request<FetchRequest>(NodeId(3));
  ctx->respond(fetch, RaftTestContext::fetch_response(NodeId(3), kFollowerEpoch, {}, std::nullopt));
  CHECK(ctx->high_watermark() == Offset(4));
}

TEST_CASE("Fetch: a follower's HW never goes back") {
  auto ctx = follower();
  Message fetch = ctx->pop_request<FetchRequest>(NodeId(3));
  ctx->respond(fetch, RaftTestContext::fetch_response(NodeId(3), kFollowerEpoch, {}, Offset(2)));
  REQUIRE(ctx->high_watermark() == Offset(2));
  fetch = ctx->pop_request<FetchRequest>(NodeId(3));
  CHECK_THROWS_AS(
      ctx->respond(fetch, RaftTestContext::fetch_response(NodeId(3), kFollowerEpoch, {}, Offset(1))),
      raft::AssertionFailure);
}

TEST_CASE("Fetch: a follower truncates on DivergingEpoch and fetches again from there") {
  // The follower wrote [1, 1, 2, 2]; the leader says epoch 1 ends at 2 in its log.
  auto ctx = follower({1, 1, 2, 2});
  Message fetch = ctx->pop_request<FetchRequest>(NodeId(3));
  CHECK(fetch_of(fetch).fetch_offset == Offset(4));
  FetchResponse diverging = RaftTestContext::fetch_response(NodeId(3), kFollowerEpoch, {}, std::nullopt);
  diverging.diverging_epoch = OffsetAndEpoch{Offset(2), Epoch(1)};
  SUBCASE("truncation to the leader's end of that epoch") {}
  SUBCASE("truncation with a known HW at the truncation point is allowed") {
    ctx->respond(fetch, RaftTestContext::fetch_response(NodeId(3), kFollowerEpoch, {}, Offset(2)));
    REQUIRE(ctx->high_watermark() == Offset(2));
    fetch = ctx->pop_request<FetchRequest>(NodeId(3));
  }
  ctx->respond(fetch, diverging);
  CHECK(ctx->log_end() == Offset(2));
  CHECK(ctx->last_fetched_epoch() == Epoch(1));
  CHECK(ctx->storage().batches().size() == 2);
  const FetchRequest next = fetch_of(ctx->pop_request<FetchRequest>(NodeId(3)));
  CHECK(next.fetch_offset == Offset(2));
  CHECK(next.last_fetched_epoch == Epoch(1));
}

TEST_CASE("Fetch: a DivergingEpoch below the follower's HW asserts") {
  auto ctx = follower({1, 1, 2, 2});
  Message fetch = ctx->pop_request<FetchRequest>(NodeId(3));
  ctx->respond(fetch, RaftTestContext::fetch_response(NodeId(3), kFollowerEpoch, {}, Offset(3)));
  REQUIRE(ctx->high_watermark() == Offset(3));
  fetch = ctx->pop_request<FetchRequest>(NodeId(3));
  FetchResponse diverging = RaftTestContext::fetch_response(NodeId(3), kFollowerEpoch, {}, std::nullopt);
  diverging.diverging_epoch = OffsetAndEpoch{Offset(2), Epoch(1)};
  CHECK_THROWS_AS(ctx->respond(fetch, diverging), raft::AssertionFailure);
  CHECK(ctx->log_end() == Offset(4));
}

TEST_CASE("Fetch: voters flush after each fetched append, observers do not (KAFKA-13884)") {
  SUBCASE("voter") {
    auto ctx = follower();
    const int flushes = ctx->storage().flush_count();
    ctx->respond(ctx->pop_request<FetchRequest>(NodeId(3)),
                 RaftTestContext::fetch_response(NodeId(3), kFollowerEpoch,
                                                 {ctx->data_batch(Offset(2), kFollowerEpoch, 2)}, std::nullopt));
    CHECK(ctx->log_end() == Offset(4));
    CHECK(ctx->storage().flushed_end_offset() == Offset(4));
    CHECK(ctx->storage().flush_count() == flushes + 1);
  }
  SUBCASE("observer") {
    auto ctx = follower({1, 2}, NodeId(4));
    const int flushes = ctx->storage().flush_count();
    ctx->respond(ctx->pop_request<FetchRequest>(NodeId(3)),
                 RaftTestContext::fetch_response(NodeId(3), kFollowerEpoch,
                                                 {ctx->data_batch(Offset(2), kFollowerEpoch, 2)}, std::nullopt));
    CHECK(ctx->log_end() == Offset(4));
    CHECK(ctx->storage().flushed_end_offset() == Offset(2));
    CHECK(ctx->storage().flush_count() == flushes);
  }
}

TEST_CASE("Fetch: a successful fetch resets the fetch timer, its expiry makes a voter Prospective") {
  auto ctx = follower();
  const Instant t0 = ctx->now();
  ctx->advance(Duration::millis(1500));
  ctx->respond(ctx->pop_request<FetchRequest>(NodeId(3)),
               RaftTestContext::fetch_response(NodeId(3), kFollowerEpoch, {}, std::nullopt));
  ctx->advance_to(t0 + Duration::millis(3499));
  CHECK(ctx->is(StateKind::Follower));
  ctx->advance(Duration::millis(1));
  CHECK(ctx->is(StateKind::Prospective));
  CHECK(ctx->epoch() == kFollowerEpoch);
  CHECK(ctx->leader_id() == NodeId(3));
}

TEST_CASE("Fetch: a diverging answer also counts as a successful fetch for the timer") {
  auto ctx = follower({1, 1, 2, 2});
  const Instant t0 = ctx->now();
  ctx->advance(Duration::millis(1000));
  FetchResponse diverging = RaftTestContext::fetch_response(NodeId(3), kFollowerEpoch, {}, std::nullopt);
  diverging.diverging_epoch = OffsetAndEpoch{Offset(2), Epoch(1)};
  ctx->respond(ctx->pop_request<FetchRequest>(NodeId(3)), diverging);
  ctx->advance_to(t0 + Duration::millis(2999));
  CHECK(ctx->is(StateKind::Follower));
}

TEST_CASE("Fetch: BeginQuorumEpoch from the known leader does not reset the fetch timer") {
  auto ctx = follower();
  const Instant t0 = ctx->now();
  ctx->advance(Duration::millis(1500));
  const auto r = ctx->exchange<BeginQuorumEpochResponse>(
      NodeId(3), BeginQuorumEpochRequest{NodeId(1), NodeId(3), kFollowerEpoch});
  CHECK(r.error == Errors::NONE);
  ctx->advance_to(t0 + ctx->config().fetch_timeout);
  CHECK(ctx->is(StateKind::Prospective));
}

TEST_CASE("Fetch: an observer whose fetch timer expires stays a Follower and asks any voter") {
  auto ctx = follower({1, 2}, NodeId(4));
  ctx->advance(Duration::seconds(10));
  CHECK(ctx->is(StateKind::Follower));
  CHECK(ctx->epoch() == kFollowerEpoch);
  CHECK(ctx->leader_id() == NodeId(3));
  CHECK(ctx->channel().count<FetchRequest>() > 1);
  CHECK(ctx->channel().count<raft::VoteRequest>() == 0);
}

TEST_CASE("Fetch: a follower whose fetch to the leader timed out asks another voter") {
  // A fetch timer longer than the request timeout, so the fallback is visible before the
  // follower gives up on its leader.
  auto ctx = Builder(NodeId(1), kVoters)
                 .with_log_epochs({1, 2})
                 .configure([](raft::RaftConfig& c) { c.fetch_timeout = Duration::millis(5000); })
                 .with_elected_leader(kFollowerEpoch, NodeId(3))
                 .build();
  ctx->pop_request<FetchRequest>(NodeId(3));
  ctx->advance(ctx->config().request_timeout - Duration::millis(1));
  CHECK(ctx->channel().count<FetchRequest>() == 0);
  // After request.timeout the next fetch goes to a random voter (start index 0 of the other
  // voters [2, 3]: node 2), which may know a newer leader.
  ctx->advance(Duration::millis(1));
  CHECK(ctx->is(StateKind::Follower));
  CHECK(ctx->channel().count<FetchRequest>(NodeId(2)) == 1);
  CHECK(ctx->channel().count<FetchRequest>(NodeId(3)) == 0);
}
