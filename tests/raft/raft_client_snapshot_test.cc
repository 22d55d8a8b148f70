// RaftClient and snapshots (KIP-630): the leader answering Fetch with a SnapshotId and serving
// FetchSnapshot (kraft-protocol.md 5.1, 6.1, 8.5, KAFKA-15078), the follower downloading a
// snapshot and resuming Fetch (6.2, 8.5), and the listener contract around snapshots (6.5,
// KAFKA-15076, KAFKA-12958).
//
// Leader tests: node 1 of voters {1, 2, 3}. Its disk holds snapshots (4, 2) and (5, 2) and a log
// starting at 4 with [4] epoch 2, [5] epoch 3; it is elected in epoch 4 with node 3's vote, so its
// LeaderChange batch is at 6 and its log ends at 7. Follower tests: node 1 follows node 3 in
// epoch 5.
#include <doctest/doctest.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "raft/common/assert.hh"
#include "raft/support/raft_test_context.hh"

namespace {

using raft::BatchPtr;
using raft::Duration;
using raft::Epoch;
using raft::Errors;
using raft::FetchRequest;
using raft::FetchResponse;
using raft::FetchSnapshotRequest;
using raft::FetchSnapshotResponse;
using raft::Instant;
using raft::LeaderAndEpoch;
using raft::Message;
using raft::NodeId;
using raft::Offset;
using raft::OffsetAndEpoch;
using raft::RaftConfig;
using raft::SnapshotPtr;
using raft::StateKind;
using raft::test::RaftTestContext;
using raft::test::RecordingListener;
using Builder = raft::test::RaftTestContext::Builder;
using EventKind = raft::test::RecordingListener::Event::Kind;

const std::vector<NodeId> kVoters{NodeId(1), NodeId(2), NodeId(3)};
const Epoch kLeaderEpoch{4};
const Epoch kFollowerEpoch{5};

OffsetAndEpoch oe(std::int64_t offset, std::int32_t epoch) {
  return OffsetAndEpoch{Offset(offset), Epoch(epoch)};
}

Builder leader_disk() {
  return Builder(NodeId(1), kVoters)
      .with_log_start(Offset(4))
      .with_snapshot(oe(4, 2))
      .with_snapshot(oe(5, 2))
      .with_log_epochs({2, 3});
}

std::unique_ptr<RaftTestContext> leader(Builder builder = leader_disk()) {
  auto ctx = builder.with_voted_candidate(kLeaderEpoch, NodeId(1)).build();
  ctx->answer_vote(NodeId(3), true);
  REQUIRE(ctx->is(StateKind::Leader));
  REQUIRE(ctx->client().log().start_offset() == Offset(4));
  REQUIRE(ctx->log_end() == Offset(7));
  ctx->channel().clear();
  return ctx;
}

std::unique_ptr<RaftTestContext> follower(Builder builder = Builder(NodeId(1), kVoters)) {
  auto ctx = builder.with_elected_leader(kFollowerEpoch, NodeId(3)).build();
  REQUIRE(ctx->is(StateKind::Follower));
  return ctx;
}

FetchSnapshotRequest fetch_snapshot_request(OffsetAndEpoch id, std::int64_t position,
                                            std::int32_t max_bytes, Epoch epoch = kLeaderEpoch) {
  return FetchSnapshotRequest{NodeId(2), epoch, id, position, max_bytes};
}

// The leader's answer to a chunk request from `from`.
FetchSnapshotResponse snapshot_chunk(NodeId leader, Epoch epoch, const SnapshotPtr& snapshot,
                                     std::int64_t position, std::int64_t bytes) {
  FetchSnapshotResponse r;
  r.error = Errors::NONE;
  r.leader_id = leader;
  r.leader_epoch = epoch;
  r.snapshot_id = snapshot->id;
  r.size = snapshot->size_bytes;
  r.position = position;
  r.bytes = bytes;
  r.snapshot = snapshot;
  return r;
}

FetchResponse snapshot_needed(OffsetAndEpoch id, std::optional<Offset> hw) {
  FetchResponse r = RaftTestContext::fetch_response(NodeId(3), kFollowerEpoch, {}, hw);
  r.snapshot_id = id;
  return r;
}

std::vector<Offset> committed_bases(const RecordingListener& listener) {
  std::vector<Offset> out;
  for (const auto& batch : listener.commits()) out.push_back(batch.base_offset);
  return out;
}

// Index in the listener's events of the first LeaderChange naming `leader`; events().size() if none.
std::size_t first_leader_change_to(const RecordingListener& listener, NodeId leader) {
  const auto& events = listener.events();
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (events[i].kind == EventKind::LeaderChange && events[i].leader.is_leader(leader)) return i;
  }
  return events.size();
}

// The listener's events except leader changes, as (kind, id) pairs.
std::vector<std::pair<EventKind, OffsetAndEpoch>> data_events(const RecordingListener& listener) {
  std::vector<std::pair<EventKind, OffsetAndEpoch>> out;
  for (const auto& e : listener.events()) {
    if (e.kind != EventKind::LeaderChange) out.emplace_back(e.kind, e.id);
  }
  return out;
}

}  // namespace

// ---- the leader: Fetch answered with SnapshotId (6.1) -----------------------------------------

TEST_CASE("snapshot client: a Fetch at offset 0 gets the latest snapshot id at once (KAFKA-15078)") {
  auto ctx = leader();
  const auto r = ctx->fetch(NodeId(2), kLeaderEpoch, Offset(0), Epoch(0), /*max_wait_ms=*/500);
  REQUIRE(r.has_value());  // not parked despite MaxWaitMs and no records
  CHECK(ctx->client().parked_fetches() == 0);
  CHECK(r->error == Errors::NONE);
  CHECK(r->snapshot_id == std::optional<OffsetAndEpoch>(oe(5, 2)));
  CHECK_FALSE(r->diverging_epoch.has_value());
  CHECK(r->batches.empty());
  CHECK(r->log_start_offset == Offset(4));
  CHECK(r->leader_id == NodeId(1));
  CHECK(r->leader_epoch == kLeaderEpoch);
}

TEST_CASE("snapshot client: a Fetch at 0 prefers the snapshot even when the log still starts at 0 (KAFKA-15078)") {
  auto ctx = Builder(NodeId(1), kVoters).with_log_epochs({1, 2}).with_voted_candidate(Epoch(3), NodeId(1)).build();
  ctx->answer_vote(NodeId(3), true);
  REQUIRE(ctx->is(StateKind::Leader));
  ctx->fetch(NodeId(2), Epoch(3), Offset(3), Epoch(3));
  REQUIRE(ctx->high_watermark() == Offset(3));

  // Without a snapshot, a fetch from 0 is served from the log.
  const auto before = ctx->fetch(NodeId(3), Epoch(3), Offset(0), Epoch(0), 500);
  REQUIRE(before.has_value());
  CHECK_FALSE(before->snapshot_id.has_value());
  CHECK(before->batches.size() == 3);

  REQUIRE(ctx->client().create_snapshot(oe(3, 3), ctx->now(), {"image"}));
  REQUIRE(ctx->client().log().start_offset() == Offset(0));
  const auto after = ctx->fetch(NodeId(3), Epoch(3), Offset(0), Epoch(0), 500);
  REQUIRE(after.has_value());
  CHECK(after->snapshot_id == std::optional<OffsetAndEpoch>(oe(3, 3)));
  CHECK(after->batches.empty());
  // A fetcher at the log end in the snapshot's epoch is served from the log.
  const auto caught_up = ctx->fetch(NodeId(2), Epoch(3), Offset(3), Epoch(3));
  REQUIRE(caught_up.has_value());
  CHECK_FALSE(caught_up->snapshot_id.has_value());
  CHECK(caught_up->high_watermark == Offset(3));
  // One whose last epoch is older than the snapshot's must take the snapshot (7.2, rule 2).
  const auto older_epoch = ctx->fetch(NodeId(3), Epoch(3), Offset(1), Epoch(1));
  REQUIRE(older_epoch.has_value());
  CHECK(older_epoch->snapshot_id == std::optional<OffsetAndEpoch>(oe(3, 3)));
}

TEST_CASE("snapshot client: a Fetch below the log start gets the latest snapshot id, no progress and no HW") {
  auto ctx = leader();
  for (const auto& [offset, epoch] : std::vector<std::pair<std::int64_t, std::int32_t>>{
           {2, 1}, {3, 2}, {4, 1}, {6, 1}}) {
    CAPTURE(offset);
    CAPTURE(epoch);
    const auto r = ctx->fetch(NodeId(2), kLeaderEpoch, Offset(offset), Epoch(epoch), 500);
    REQUIRE(r.has_value());
    CHECK(r->snapshot_id == std::optional<OffsetAndEpoch>(oe(5, 2)));
    CHECK(r->batches.empty());
    CHECK_FALSE(r->high_watermark.has_value());
  }
  CHECK(ctx->client().parked_fetches() == 0);
  CHECK_FALSE(ctx->leader_state().voter_states().at(NodeId(2)).end_offset.has_value());
  CHECK_FALSE(ctx->high_watermark().has_value());

  // A fetch that matches the log is valid and counts.
  const auto ok = ctx->fetch(NodeId(2), kLeaderEpoch, Offset(5), Epoch(2));
  REQUIRE(ok.has_value());
  CHECK_FALSE(ok->snapshot_id.has_value());
  REQUIRE(ok->batches.size() == 2);
  CHECK(ok->batches.front()->base_offset == Offset(5));
  CHECK(ctx->leader_state().voter_states().at(NodeId(2)).end_offset == Offset(5));
}

TEST_CASE("snapshot client: a Fetch answered with a snapshot id earns no check-quorum credit, FetchSnapshot does") {
  auto ctx = leader();
  const Instant elected = ctx->now();
  REQUIRE(ctx->leader_state().check_quorum_deadline() == elected + Duration::millis(3000));
  ctx->advance(Duration::millis(1000));
  REQUIRE(ctx->is(StateKind::Leader));

  const auto r = ctx->fetch(NodeId(2), kLeaderEpoch, Offset(0), Epoch(0));
  REQUIRE(r.has_value());
  REQUIRE(r->snapshot_id.has_value());
  CHECK(ctx->leader_state().check_quorum_deadline() == elected + Duration::millis(3000));

  const auto chunk = ctx->exchange<FetchSnapshotResponse>(
      NodeId(2), fetch_snapshot_request(oe(5, 2), 0, 100));
  REQUIRE(chunk.error == Errors::NONE);
  CHECK(ctx->leader_state().check_quorum_deadline() == ctx->now() + Duration::millis(3000));
  // ...but not toward the HW.
  CHECK_FALSE(ctx->leader_state().voter_states().at(NodeId(2)).end_offset.has_value());
  CHECK_FALSE(ctx->high_watermark().has_value());

  // Snapshot downloads alone keep the leader in place past the original deadline.
  ctx->advance(Duration::millis(2500));
  CHECK(ctx->is(StateKind::Leader));
}

// ---- the leader: FetchSnapshot (5.1, 8.5) ------------------------------------------------------

TEST_CASE("snapshot client: FetchSnapshot returns chunks of min(max_bytes, size - position)") {
  auto ctx = leader();
  const SnapshotPtr latest = ctx->client().log().latest_snapshot();
  REQUIRE(latest->id == oe(5, 2));
  const std::int64_t size = latest->size_bytes;
  REQUIRE(size > 120);

  auto chunk = [&](std::int64_t position, std::int32_t max_bytes) {
    return ctx->exchange<FetchSnapshotResponse>(NodeId(2),
                                                fetch_snapshot_request(oe(5, 2), position, max_bytes));
  };
  const auto first = chunk(0, 50);
  CHECK(first.error == Errors::NONE);
  CHECK(first.leader_id == NodeId(1));
  CHECK(first.leader_epoch == kLeaderEpoch);
  CHECK(first.snapshot_id == oe(5, 2));
  CHECK(first.size == size);
  CHECK(first.position == 0);
  CHECK(first.bytes == 50);
  REQUIRE(first.snapshot != nullptr);
  CHECK(first.snapshot->id == oe(5, 2));

  const auto second = chunk(50, 50);
  CHECK(second.position == 50);
  CHECK(second.bytes == 50);
  CHECK(second.size == size);

  const auto last = chunk(size - 10, 50);
  CHECK(last.error == Errors::NONE);
  CHECK(last.position == size - 10);
  CHECK(last.bytes == 10);

  const auto whole = chunk(0, static_cast<std::int32_t>(size + 100));
  CHECK(whole.bytes == size);

  // The snapshot at the log start can be fetched too.
  const auto older = ctx->exchange<FetchSnapshotResponse>(NodeId(3),
                                                          fetch_snapshot_request(oe(4, 2), 0, 1000));
  CHECK(older.error == Errors::NONE);
  CHECK(older.snapshot_id == oe(4, 2));
  CHECK(older.bytes == ctx->client().log().earliest_snapshot()->size_bytes);
}

TEST_CASE("snapshot client: FetchSnapshot errors") {
  auto ctx = leader();
  const std::int64_t size = ctx->client().log().latest_snapshot()->size_bytes;
  auto ask = [&](FetchSnapshotRequest request) {
    return ctx->exchange<FetchSnapshotResponse>(NodeId(2), request);
  };
  SUBCASE("an unknown snapshot id") {
    for (OffsetAndEpoch id : {oe(5, 3), oe(6, 4), oe(0, 0)}) {
      CAPTURE(id);
      const auto r = ask(fetch_snapshot_request(id, 0, 100));
      CHECK(r.error == Errors::SNAPSHOT_NOT_FOUND);
      CHECK(r.snapshot == nullptr);
      CHECK(r.bytes == 0);
      CHECK(r.leader_id == NodeId(1));
    }
  }
  SUBCASE("a position out of range") {
    for (std::int64_t position : {std::int64_t{-1}, size, size + 1}) {
      CAPTURE(position);
      const auto r = ask(fetch_snapshot_request(oe(5, 2), position, 100));
      CHECK(r.error == Errors::POSITION_OUT_OF_RANGE);
      CHECK(r.snapshot == nullptr);
      CHECK(r.bytes == 0);
    }
    CHECK(ask(fetch_snapshot_request(oe(5, 2), size - 1, 100)).bytes == 1);
  }
  SUBCASE("epoch checks of leader-only requests") {
    CHECK(ask(fetch_snapshot_request(oe(5, 2), 0, 100, Epoch(3))).error ==
          Errors::FENCED_LEADER_EPOCH);
    CHECK(ask(fetch_snapshot_request(oe(5, 2), 0, 100, Epoch(5))).error ==
          Errors::UNKNOWN_LEADER_EPOCH);
  }
  SUBCASE("a snapshot deleted by retention is not found any more") {
    // Retention moves the log start to the latest snapshot and forgets (4, 2).
    auto cleaning = leader(leader_disk().configure([](RaftConfig& c) {
      c.max_retention_bytes = 0;
      c.log_clean_interval = Duration::millis(100);
    }));
    cleaning->advance(Duration::millis(150));
    REQUIRE(cleaning->is(StateKind::Leader));
    CHECK(cleaning->client().log().start_offset() == Offset(5));
    CHECK(cleaning->exchange<FetchSnapshotResponse>(NodeId(2), fetch_snapshot_request(oe(4, 2), 0, 100))
              .error == Errors::SNAPSHOT_NOT_FOUND);
    CHECK(cleaning->exchange<FetchSnapshotResponse>(NodeId(2), fetch_snapshot_request(oe(5, 2), 0, 100))
              .error == Errors::NONE);
  }
}

TEST_CASE("snapshot client: a follower answers FetchSnapshot with NOT_LEADER_OR_FOLLOWER") {
  auto ctx = follower(Builder(NodeId(1), kVoters)
                          .with_log_start(Offset(4))
                          .with_snapshot(oe(4, 2))
                          .with_log_epochs({2}));
  const auto r = ctx->exchange<FetchSnapshotResponse>(
      NodeId(2), fetch_snapshot_request(oe(4, 2), 0, 100, kFollowerEpoch));
  CHECK(r.error == Errors::NOT_LEADER_OR_FOLLOWER);
  CHECK(r.leader_id == NodeId(3));
  CHECK(r.snapshot == nullptr);
}

// ---- the follower: downloading a snapshot (6.2, 8.5) ------------------------------------------

TEST_CASE("snapshot client: a follower told to fetch a snapshot downloads it in chunks, installs it and resumes Fetch") {
  auto ctx = follower();
  const SnapshotPtr snapshot = raft::make_snapshot(oe(10, 4), Instant::from_ms(500), {"a", "b"});
  const std::int64_t size = snapshot->size_bytes;
  REQUIRE(size > 100);

  const Message fetch = ctx->pop_request<FetchRequest>(NodeId(3));
  CHECK(std::get<FetchRequest>(fetch.payload).fetch_offset == Offset(0));
  ctx->respond(fetch, snapshot_needed(oe(10, 4), Offset(12)));

  // The next request to the leader is a FetchSnapshot from position 0.
  CHECK_FALSE(ctx->has_request<FetchRequest>(NodeId(3)));
  const Message first = ctx->pop_request<FetchSnapshotRequest>(NodeId(3));
  const auto& first_request = std::get<FetchSnapshotRequest>(first.payload);
  CHECK(first_request.replica_id == NodeId(1));
  CHECK(first_request.current_leader_epoch == kFollowerEpoch);
  CHECK(first_request.snapshot_id == oe(10, 4));
  CHECK(first_request.position == 0);
  CHECK(first_request.max_bytes == ctx->config().fetch_max_bytes);
  // Nothing is installed or committed yet.
  CHECK(ctx->client().log().snapshots().empty());
  CHECK(ctx->listener().loaded_snapshots().empty());

  // A first chunk of 100 bytes.
  ctx->respond(first, snapshot_chunk(NodeId(3), kFollowerEpoch, snapshot, 0, 100));
  const Message second = ctx->pop_request<FetchSnapshotRequest>(NodeId(3));
  CHECK(std::get<FetchSnapshotRequest>(second.payload).position == 100);
  CHECK(std::get<FetchSnapshotRequest>(second.payload).snapshot_id == oe(10, 4));
  CHECK(ctx->snapshots().partials() ==
        std::vector<std::pair<OffsetAndEpoch, std::int64_t>>{{oe(10, 4), 100}});
  CHECK(ctx->client().log().snapshots().empty());
  CHECK(ctx->client().log().end_offset() == Offset(0));
  CHECK(ctx->listener().loaded_snapshots().empty());

  // The rest.
  ctx->respond(second, snapshot_chunk(NodeId(3), kFollowerEpoch, snapshot, 100, size - 100));
  REQUIRE(ctx->client().log().snapshots().size() == 1);
  CHECK(ctx->client().log().latest_snapshot()->id == oe(10, 4));
  CHECK(ctx->snapshots().partials().empty());
  CHECK(ctx->client().log().start_offset() == Offset(10));
  CHECK(ctx->client().log().end_offset() == Offset(10));
  CHECK(ctx->client().log().last_fetched_epoch() == Epoch(4));
  REQUIRE(ctx->high_watermark().has_value());
  CHECK(*ctx->high_watermark() >= Offset(10));
  CHECK(ctx->listener().loaded_snapshots() == std::vector<OffsetAndEpoch>{oe(10, 4)});
  CHECK(ctx->listener().commits().empty());
  CHECK(ctx->client().listener_next_offset() == Offset(10));

  // Fetching resumes at the snapshot end, with the snapshot's epoch.
  CHECK_FALSE(ctx->has_request<FetchSnapshotRequest>(NodeId(3)));
  const Message resumed = ctx->pop_request<FetchRequest>(NodeId(3));
  CHECK(std::get<FetchRequest>(resumed.payload).fetch_offset == Offset(10));
  CHECK(std::get<FetchRequest>(resumed.payload).last_fetched_epoch == Epoch(4));
  CHECK(std::get<FetchRequest>(resumed.payload).log_start_offset == Offset(10));

  // Commits continue from the snapshot end.
  ctx->respond(resumed, RaftTestContext::fetch_response(
                            NodeId(3), kFollowerEpoch,
                            {ctx->data_batch(Offset(10), Epoch(5)), ctx->data_batch(Offset(11), Epoch(5))},
                            Offset(12)));
  CHECK(ctx->log_end() == Offset(12));
  CHECK(ctx->high_watermark() == Offset(12));
  CHECK(committed_bases(ctx->listener()) == std::vector<Offset>{Offset(10), Offset(11)});
  CHECK(ctx->listener().loaded_snapshots() == std::vector<OffsetAndEpoch>{oe(10, 4)});
}

TEST_CASE("snapshot client: a download survives a chunk of one byte and a max_bytes smaller than the snapshot") {
  auto ctx = follower(Builder(NodeId(1), kVoters).configure([](RaftConfig& c) { c.fetch_max_bytes = 64; }));
  const SnapshotPtr snapshot = raft::make_snapshot(oe(7, 2), Instant::from_ms(0), {"x"});
  const std::int64_t size = snapshot->size_bytes;
  ctx->respond(ctx->pop_request<FetchRequest>(NodeId(3)), snapshot_needed(oe(7, 2), Offset(7)));
  std::int64_t position = 0;
  int chunks = 0;
  while (position < size) {
    REQUIRE(chunks < 100);
    const Message request = ctx->pop_request<FetchSnapshotRequest>(NodeId(3));
    const auto& r = std::get<FetchSnapshotRequest>(request.payload);
    REQUIRE(r.position == position);
    CHECK(r.max_bytes == 64);
    const std::int64_t bytes = chunks == 0 ? 1 : std::min<std::int64_t>(r.max_bytes, size - position);
    ctx->respond(request, snapshot_chunk(NodeId(3), kFollowerEpoch, snapshot, position, bytes));
    position += bytes;
    ++chunks;
  }
  CHECK(chunks == 1 + static_cast<int>((size - 1 + 63) / 64));
  CHECK(ctx->client().log().start_offset() == Offset(7));
  CHECK(ctx->listener().loaded_snapshots() == std::vector<OffsetAndEpoch>{oe(7, 2)});
  CHECK(std::get<FetchRequest>(ctx->pop_request<FetchRequest>(NodeId(3)).payload).fetch_offset ==
        Offset(7));
}

TEST_CASE("snapshot client: SNAPSHOT_NOT_FOUND drops the download and goes back to Fetch") {
  auto ctx = follower();
  const SnapshotPtr snapshot = raft::make_snapshot(oe(10, 4), Instant::from_ms(0), {"a"});
  ctx->respond(ctx->pop_request<FetchRequest>(NodeId(3)), snapshot_needed(oe(10, 4), Offset(12)));
  const Message first = ctx->pop_request<FetchSnapshotRequest>(NodeId(3));
  ctx->respond(first, snapshot_chunk(NodeId(3), kFollowerEpoch, snapshot, 0, 100));
  REQUIRE(ctx->snapshots().partials().size() == 1);
  const Message second = ctx->pop_request<FetchSnapshotRequest>(NodeId(3));

  ctx->advance(Duration::millis(1500));  // most of the fetch timeout
  FetchSnapshotResponse gone;
  gone.error = Errors::SNAPSHOT_NOT_FOUND;
  gone.leader_id = NodeId(3);
  gone.leader_epoch = kFollowerEpoch;
  gone.snapshot_id = oe(10, 4);
  ctx->respond(second, gone);

  CHECK(ctx->snapshots().partials().empty());  // the .part file is removed (8.5 step 3)
  CHECK(ctx->client().log().snapshots().empty());
  CHECK(ctx->client().log().end_offset() == Offset(0));
  CHECK(ctx->listener().loaded_snapshots().empty());
  CHECK_FALSE(ctx->has_request<FetchSnapshotRequest>(NodeId(3)));
  const Message again = ctx->pop_request<FetchRequest>(NodeId(3));
  CHECK(std::get<FetchRequest>(again.payload).fetch_offset == Offset(0));
  CHECK(std::get<FetchRequest>(again.payload).last_fetched_epoch == Epoch(0));
  // A leader that answered is alive: the fetch timer restarts (Kafka's
  // resetFetchTimeoutForSuccessfulFetch), so the follower does not start an election 500 ms later,
  // when the timer of the last chunk would have fired.
  ctx->advance(Duration::millis(1900));
  CHECK(ctx->is(StateKind::Follower));
  CHECK_FALSE(ctx->has_request<raft::VoteRequest>());
  ctx->advance(Duration::millis(200));
  CHECK(ctx->is(StateKind::Prospective));
}

TEST_CASE("snapshot client: a follower whose listener fell below the new log start reloads from the snapshot") {
  auto ctx = follower(Builder(NodeId(1), kVoters).with_log_epochs({1, 1}));
  ctx->respond(ctx->pop_request<FetchRequest>(NodeId(3)),
               RaftTestContext::fetch_response(NodeId(3), kFollowerEpoch, {}, Offset(2)));
  REQUIRE(committed_bases(ctx->listener()) == std::vector<Offset>{Offset(0), Offset(1)});
  REQUIRE(ctx->listener().loaded_snapshots().empty());

  // The leader has cleaned its log past offset 2 meanwhile.
  const SnapshotPtr snapshot = raft::make_snapshot(oe(20, 4), Instant::from_ms(0), {"s"});
  ctx->respond(ctx->pop_request<FetchRequest>(NodeId(3)), snapshot_needed(oe(20, 4), Offset(25)));
  const Message request = ctx->pop_request<FetchSnapshotRequest>(NodeId(3));
  ctx->respond(request, snapshot_chunk(NodeId(3), kFollowerEpoch, snapshot, 0, snapshot->size_bytes));

  CHECK(ctx->client().log().start_offset() == Offset(20));
  CHECK(ctx->client().log().batches().empty());
  CHECK(ctx->high_watermark() == Offset(20));
  CHECK(ctx->listener().loaded_snapshots() == std::vector<OffsetAndEpoch>{oe(20, 4)});
  CHECK(data_events(ctx->listener()) ==
        std::vector<std::pair<EventKind, OffsetAndEpoch>>{{EventKind::Commit, oe(0, 1)},
                                                          {EventKind::Commit, oe(1, 1)},
                                                          {EventKind::LoadSnapshot, oe(20, 4)}});
  CHECK(std::get<FetchRequest>(ctx->pop_request<FetchRequest>(NodeId(3)).payload).fetch_offset ==
        Offset(20));
}

TEST_CASE("snapshot client: a follower that already has the snapshot does not download it again") {
  // Log start 10 at snapshot (10, 4), nothing after it.
  auto ctx = follower(Builder(NodeId(1), kVoters).with_log_start(Offset(10)).with_snapshot(oe(10, 4)));
  const Message fetch = ctx->pop_request<FetchRequest>(NodeId(3));
  CHECK(std::get<FetchRequest>(fetch.payload).fetch_offset == Offset(10));
  CHECK(std::get<FetchRequest>(fetch.payload).last_fetched_epoch == Epoch(4));
  ctx->respond(fetch, snapshot_needed(oe(10, 4), Offset(10)));
  CHECK_FALSE(ctx->has_request<FetchSnapshotRequest>(NodeId(3)));
  CHECK(std::get<FetchRequest>(ctx->pop_request<FetchRequest>(NodeId(3)).payload).fetch_offset ==
        Offset(10));
  CHECK(ctx->client().log().snapshots().size() == 1);
}

// ---- the listener contract (6.5) ----------------------------------------------------------------

TEST_CASE("snapshot client: a new listener loads the latest snapshot before any commit (KAFKA-15076)") {
  SUBCASE("the log starts at a snapshot") {
    auto ctx = follower(leader_disk());
    CHECK(ctx->listener().loaded_snapshots().empty());  // the HW is not known yet
    const Message fetch = ctx->pop_request<FetchRequest>(NodeId(3));
    CHECK(std::get<FetchRequest>(fetch.payload).fetch_offset == Offset(6));
    ctx->respond(fetch, RaftTestContext::fetch_response(NodeId(3), kFollowerEpoch, {}, Offset(6)));
    CHECK(data_events(ctx->listener()) ==
          std::vector<std::pair<EventKind, OffsetAndEpoch>>{{EventKind::LoadSnapshot, oe(5, 2)},
                                                            {EventKind::Commit, oe(5, 3)}});
    CHECK(ctx->client().listener_next_offset() == Offset(6));
  }
  SUBCASE("the log still starts at 0: committed batches below the snapshot are skipped") {
    auto ctx = follower(Builder(NodeId(1), kVoters).with_log_epochs({1, 1, 2, 2}).with_snapshot(oe(2, 1)));
    const Message fetch = ctx->pop_request<FetchRequest>(NodeId(3));
    ctx->respond(fetch, RaftTestContext::fetch_response(NodeId(3), kFollowerEpoch, {}, Offset(4)));
    CHECK(ctx->listener().loaded_snapshots() == std::vector<OffsetAndEpoch>{oe(2, 1)});
    CHECK(committed_bases(ctx->listener()) == std::vector<Offset>{Offset(2), Offset(3)});
    CHECK(data_events(ctx->listener()).front().first == EventKind::LoadSnapshot);
  }
  SUBCASE("without a snapshot the listener starts at 0") {
    auto ctx = follower(Builder(NodeId(1), kVoters).with_log_epochs({1, 1}));
    ctx->respond(ctx->pop_request<FetchRequest>(NodeId(3)),
                 RaftTestContext::fetch_response(NodeId(3), kFollowerEpoch, {}, Offset(2)));
    CHECK(ctx->listener().loaded_snapshots().empty());
    CHECK(committed_bases(ctx->listener()) == std::vector<Offset>{Offset(0), Offset(1)});
  }
}

TEST_CASE("snapshot client: a restarted node's listener loads the latest snapshot again") {
  auto ctx = follower(leader_disk());
  ctx->respond(ctx->pop_request<FetchRequest>(NodeId(3)),
               RaftTestContext::fetch_response(NodeId(3), kFollowerEpoch, {}, Offset(6)));
  REQUIRE(ctx->listener().loaded_snapshots() == std::vector<OffsetAndEpoch>{oe(5, 2)});
  ctx->restart();
  ctx->respond(ctx->pop_request<FetchRequest>(NodeId(3)),
               RaftTestContext::fetch_response(NodeId(3), kFollowerEpoch, {}, Offset(6)));
  // The same listener object records both lifetimes.
  CHECK(ctx->listener().loaded_snapshots() == std::vector<OffsetAndEpoch>{oe(5, 2), oe(5, 2)});
  CHECK(committed_bases(ctx->listener()) == std::vector<Offset>{Offset(5), Offset(5)});
}

TEST_CASE("snapshot client: a leader's listener loads the snapshot before it is told it leads, and never after (KAFKA-12958)") {
  auto ctx = leader(leader_disk().configure([](RaftConfig& c) {
    c.max_retention_bytes = 0;  // clean as much as possible
    c.log_clean_interval = Duration::millis(100);
  }));
  ctx->fetch(NodeId(2), kLeaderEpoch, Offset(7), kLeaderEpoch);
  REQUIRE(ctx->high_watermark() == Offset(7));
  const std::size_t told = first_leader_change_to(ctx->listener(), NodeId(1));
  REQUIRE(told < ctx->listener().events().size());
  CHECK(data_events(ctx->listener()) ==
        std::vector<std::pair<EventKind, OffsetAndEpoch>>{{EventKind::LoadSnapshot, oe(5, 2)},
                                                          {EventKind::Commit, oe(5, 3)},
                                                          {EventKind::Commit, oe(6, 4)}});
  CHECK(ctx->listener().events().back().kind == EventKind::LeaderChange);

  // The leader writes, commits, snapshots, and retention moves the log start to its snapshot.
  REQUIRE(ctx->client().append(kLeaderEpoch, {"a", "b"}, ctx->now()) == Offset(8));
  ctx->advance(Duration::millis(50));
  REQUIRE(ctx->log_end() == Offset(9));
  ctx->fetch(NodeId(2), kLeaderEpoch, Offset(9), kLeaderEpoch);
  REQUIRE(ctx->high_watermark() == Offset(9));
  REQUIRE(ctx->client().create_snapshot(oe(9, 4), ctx->now(), {"image"}));
  ctx->advance(Duration::millis(200));
  REQUIRE(ctx->is(StateKind::Leader));
  CHECK(ctx->client().log().start_offset() == Offset(9));
  CHECK(ctx->client().log().earliest_snapshot()->id == oe(9, 4));

  // Laggards are sent to the new snapshot; the leader keeps committing.
  const auto lagging = ctx->fetch(NodeId(3), kLeaderEpoch, Offset(5), Epoch(3));
  REQUIRE(lagging.has_value());
  CHECK(lagging->snapshot_id == std::optional<OffsetAndEpoch>(oe(9, 4)));
  REQUIRE(ctx->client().append(kLeaderEpoch, {"c"}, ctx->now()) == Offset(9));
  ctx->advance(Duration::millis(50));
  ctx->fetch(NodeId(2), kLeaderEpoch, Offset(10), kLeaderEpoch);
  REQUIRE(ctx->high_watermark() == Offset(10));

  CHECK(committed_bases(ctx->listener()) ==
        std::vector<Offset>{Offset(5), Offset(6), Offset(7), Offset(9)});
  for (std::size_t i = told; i < ctx->listener().events().size(); ++i) {
    CAPTURE(i);
    CHECK(ctx->listener().events()[i].kind != EventKind::LoadSnapshot);
  }
  CHECK(ctx->listener().loaded_snapshots() == std::vector<OffsetAndEpoch>{oe(5, 2)});
}
