// Unit tests of raft::LeaderState (Kafka's LeaderState): the high-watermark rule of
// kraft-protocol.md 6.3 (with the KAFKA-12619 fix), check-quorum (4.7, KAFKA-15489/16144), the
// BeginQuorumEpoch schedule (4.5) and the successor order of EndQuorumEpoch (4.8).
#include <doctest/doctest.h>

#include <optional>
#include <vector>

#include "raft/common/assert.hh"
#include "raft/leader_state.hh"
#include "raft/support/raft_test_context.hh"

namespace {

using raft::Duration;
using raft::Epoch;
using raft::Instant;
using raft::LeaderState;
using raft::NodeId;
using raft::Offset;
using raft::RaftConfig;

const Instant kStart = Instant::from_ms(5'000);

std::vector<NodeId> ids(std::initializer_list<std::int32_t> values) {
  std::vector<NodeId> out;
  for (std::int32_t v : values) out.push_back(NodeId(v));
  return out;
}

// Leader 1 of the given voters, elected with its LEO at `epoch_start`.
LeaderState make_leader(std::vector<NodeId> voters, Offset epoch_start = Offset(10),
                        const RaftConfig& config = RaftConfig{}) {
  return LeaderState(NodeId(1), Epoch(3), epoch_start, voters, {NodeId(1)}, config, kStart);
}

}  // namespace

// ---- 6.3 high watermark ---------------------------------------------------------------------

TEST_CASE("LeaderState HW: unknown for a new leader until a majority has replicated its first record") {
  LeaderState leader = make_leader(ids({1, 2, 3}));
  CHECK_FALSE(leader.high_watermark().has_value());
  // The leader appended its LeaderChange batch at 10: alone it is no majority.
  CHECK_FALSE(leader.update_local_state(Offset(11), kStart));
  CHECK_FALSE(leader.high_watermark().has_value());
  CHECK(leader.update_replica_state(NodeId(2), Offset(11), kStart));
  CHECK(leader.high_watermark() == Offset(11));
}

TEST_CASE("LeaderState HW: reaching exactly the epoch start offset is not enough (KAFKA-12619)") {
  LeaderState leader = make_leader(ids({1, 2, 3}));
  leader.update_local_state(Offset(11), kStart);
  // Follower 2 has everything before the epoch but not the LeaderChange record at 10.
  CHECK_FALSE(leader.update_replica_state(NodeId(2), Offset(10), kStart));
  CHECK_FALSE(leader.high_watermark().has_value());
  // Even a majority at exactly the epoch start commits nothing.
  CHECK_FALSE(leader.update_replica_state(NodeId(3), Offset(10), kStart));
  CHECK_FALSE(leader.high_watermark().has_value());
  CHECK(leader.update_replica_state(NodeId(3), Offset(11), kStart));
  CHECK(leader.high_watermark() == Offset(11));
}

TEST_CASE("LeaderState HW: the (n/2)-th largest voter offset, unknown offsets sorted last") {
  LeaderState leader = make_leader(ids({1, 2, 3, 4, 5}), Offset(0));
  leader.update_local_state(Offset(20), kStart);
  leader.update_replica_state(NodeId(2), Offset(15), kStart);
  // [20, 15, ?, ?, ?]: index 2 is unknown.
  CHECK_FALSE(leader.high_watermark().has_value());
  leader.update_replica_state(NodeId(5), Offset(7), kStart);
  // [20, 15, 7, ?, ?]
  CHECK(leader.high_watermark() == Offset(7));
  leader.update_replica_state(NodeId(3), Offset(18), kStart);
  // [20, 18, 15, 7, ?]
  CHECK(leader.high_watermark() == Offset(15));
  leader.update_replica_state(NodeId(4), Offset(19), kStart);
  // [20, 19, 18, 15, 7]
  CHECK(leader.high_watermark() == Offset(18));
}

TEST_CASE("LeaderState HW: with an even number of voters a strict majority is needed") {
  LeaderState leader = make_leader(ids({1, 2, 3, 4}), Offset(0));
  leader.update_local_state(Offset(9), kStart);
  leader.update_replica_state(NodeId(2), Offset(9), kStart);
  CHECK_FALSE(leader.high_watermark().has_value());  // 2 of 4
  leader.update_replica_state(NodeId(3), Offset(4), kStart);
  CHECK(leader.high_watermark() == Offset(4));  // [9, 9, 4, ?]
}

TEST_CASE("LeaderState HW: never decreases when a voter reports a smaller offset (KAFKA-12181)") {
  LeaderState leader = make_leader(ids({1, 2, 3}), Offset(0));
  leader.update_local_state(Offset(8), kStart);
  leader.update_replica_state(NodeId(2), Offset(8), kStart);
  REQUIRE(leader.high_watermark() == Offset(8));
  // Voter 2 lost its disk and fetches from 0 again: no assertion, HW unchanged.
  CHECK_FALSE(leader.update_replica_state(NodeId(2), Offset(0), kStart));
  CHECK(leader.high_watermark() == Offset(8));
  CHECK(leader.voter_states().at(NodeId(2)).end_offset == Offset(0));
  // Voter 3 catching up partially does not lower it either.
  CHECK_FALSE(leader.update_replica_state(NodeId(3), Offset(5), kStart));
  CHECK(leader.high_watermark() == Offset(8));
}

TEST_CASE("LeaderState HW: observers are tracked but never count") {
  LeaderState leader = make_leader(ids({1, 2, 3}), Offset(0));
  leader.update_local_state(Offset(5), kStart);
  CHECK_FALSE(leader.update_replica_state(NodeId(7), Offset(5), kStart));
  CHECK_FALSE(leader.update_replica_state(NodeId(8), Offset(5), kStart));
  CHECK_FALSE(leader.high_watermark().has_value());
  REQUIRE(leader.observer_states().count(NodeId(7)) == 1);
  CHECK(leader.observer_states().at(NodeId(7)).end_offset == Offset(5));
  CHECK(leader.voter_states().count(NodeId(7)) == 0);
}

TEST_CASE("LeaderState HW: a single voter commits its own appends") {
  LeaderState leader = make_leader(ids({1}), Offset(4));
  CHECK_FALSE(leader.update_local_state(Offset(4), kStart));
  CHECK(leader.update_local_state(Offset(5), kStart));
  CHECK(leader.high_watermark() == Offset(5));
}

TEST_CASE("LeaderState: the leader's own end offset never goes backwards") {
  LeaderState leader = make_leader(ids({1, 2, 3}));
  leader.update_local_state(Offset(12), kStart);
  CHECK_THROWS_AS(leader.update_local_state(Offset(11), kStart), raft::AssertionFailure);
  CHECK_THROWS_AS(leader.update_replica_state(NodeId(1), Offset(12), kStart), raft::AssertionFailure);
}

TEST_CASE("LeaderState: replica progress records fetch and caught-up times") {
  LeaderState leader = make_leader(ids({1, 2, 3}));
  leader.update_local_state(Offset(12), kStart);
  const Instant t1 = kStart + Duration::millis(10);
  leader.update_replica_state(NodeId(2), Offset(11), t1);
  const raft::ReplicaState& two = leader.voter_states().at(NodeId(2));
  CHECK(two.last_fetch_time == t1);
  CHECK_FALSE(two.last_caught_up_time.has_value());
  CHECK(two.has_acknowledged_leader);
  const Instant t2 = kStart + Duration::millis(20);
  leader.update_replica_state(NodeId(2), Offset(12), t2);
  CHECK(leader.voter_states().at(NodeId(2)).last_caught_up_time == t2);
}

// ---- 4.7 check-quorum -------------------------------------------------------------------------

TEST_CASE("LeaderState check-quorum: the leader must hear from a majority every 1.5 x fetch timeout") {
  RaftConfig config;
  LeaderState leader = make_leader(ids({1, 2, 3}), Offset(10), config);
  CHECK(leader.check_quorum_deadline() == kStart + Duration::millis(3000));
  const Instant t = kStart + Duration::millis(2500);
  // One follower plus the leader itself is a majority of 3.
  leader.update_check_quorum_for_following_voter(NodeId(2), t);
  CHECK(leader.check_quorum_deadline() == t + Duration::millis(3000));
}

TEST_CASE("LeaderState check-quorum: 5 voters need two distinct followers, observers do not count") {
  LeaderState leader = make_leader(ids({1, 2, 3, 4, 5}));
  const Instant initial = leader.check_quorum_deadline();
  const Instant t = kStart + Duration::millis(100);
  leader.update_check_quorum_for_following_voter(NodeId(2), t);
  leader.update_check_quorum_for_following_voter(NodeId(2), t);
  leader.update_check_quorum_for_following_voter(NodeId(9), t);  // an observer
  leader.update_check_quorum_for_following_voter(NodeId(1), t);  // the leader itself
  CHECK(leader.check_quorum_deadline() == initial);
  leader.update_check_quorum_for_following_voter(NodeId(4), t);
  CHECK(leader.check_quorum_deadline() == t + Duration::millis(3000));
  // The window restarted: 4 alone is not enough again.
  const Instant u = t + Duration::millis(100);
  leader.update_check_quorum_for_following_voter(NodeId(4), u);
  CHECK(leader.check_quorum_deadline() == t + Duration::millis(3000));
}

TEST_CASE("LeaderState check-quorum: never expires for a single voter (KAFKA-16144)") {
  LeaderState leader = make_leader(ids({1}));
  CHECK(leader.check_quorum_deadline() == Instant::never());
}

// ---- 4.5 BeginQuorumEpoch schedule --------------------------------------------------------------

TEST_CASE("LeaderState BeginQuorumEpoch: every remote voter at once, then those silent for fetch_timeout/2") {
  LeaderState leader = make_leader(ids({1, 2, 3}));
  CHECK(leader.begin_quorum_epoch_deadline() == kStart);
  CHECK(leader.voters_needing_begin_quorum_epoch(kStart) == ids({2, 3}));
  leader.reset_begin_quorum_epoch_timer(kStart);
  CHECK(leader.begin_quorum_epoch_deadline() == kStart + Duration::millis(1000));
  leader.update_replica_state(NodeId(2), Offset(0), kStart + Duration::millis(400));
  CHECK(leader.voters_needing_begin_quorum_epoch(kStart + Duration::millis(1000)) == ids({3}));
  CHECK(leader.voters_needing_begin_quorum_epoch(kStart + Duration::millis(1400)) == ids({2, 3}));
}

TEST_CASE("LeaderState BeginQuorumEpoch: acknowledgements are recorded for voters only") {
  LeaderState leader = make_leader(ids({1, 2, 3}));
  CHECK_FALSE(leader.voter_states().at(NodeId(3)).has_acknowledged_leader);
  leader.add_acknowledgement_from(NodeId(3));
  leader.add_acknowledgement_from(NodeId(9));
  CHECK(leader.voter_states().at(NodeId(3)).has_acknowledged_leader);
  CHECK(leader.voter_states().at(NodeId(1)).has_acknowledged_leader);
  CHECK(leader.observer_states().empty());
}

// ---- 4.8 preferred successors -------------------------------------------------------------------

TEST_CASE("LeaderState: successors are remote voters by descending fetch offset, unknown last, ties by id") {
  LeaderState leader = make_leader(ids({1, 2, 3, 4, 5}), Offset(0));
  leader.update_local_state(Offset(30), kStart);
  leader.update_replica_state(NodeId(4), Offset(12), kStart);
  leader.update_replica_state(NodeId(2), Offset(20), kStart);
  leader.update_replica_state(NodeId(5), Offset(12), kStart);
  leader.update_replica_state(NodeId(8), Offset(29), kStart);  // an observer is never a successor
  CHECK(leader.non_leader_voters_by_descending_fetch_offset() == ids({2, 4, 5, 3}));
}

TEST_CASE("LeaderState: the accumulator starts right after the LeaderChange record") {
  LeaderState leader = make_leader(ids({1, 2, 3}), Offset(10));
  CHECK(leader.accumulator().epoch() == Epoch(3));
  CHECK(leader.accumulator().append({"a", "b"}, kStart) == Offset(12));
  CHECK_FALSE(leader.is_resign_requested());
  leader.request_resign();
  CHECK(leader.is_resign_requested());
}
