// Unit tests of raft::QuorumState (Kafka's QuorumState): startup from the quorum-state file
// (kraft-protocol.md 3.3), the transition table (3.2), durable vs memory transitions (2.4) and
// the election timer (3.1).
#include <doctest/doctest.h>

#include <optional>
#include <vector>

#include "raft/common/assert.hh"
#include "raft/quorum_state.hh"
#include "raft/support/raft_test_context.hh"

namespace {

using raft::ElectionState;
using raft::Epoch;
using raft::Instant;
using raft::NodeId;
using raft::Offset;
using raft::OffsetAndEpoch;
using raft::QuorumState;
using raft::RaftConfig;
using raft::StateKind;
using raft::test::MemoryQuorumStateStore;
using raft::test::ScriptedRandom;

const Instant kNow = Instant::from_ms(10'000);

// One node's QuorumState over an in-memory store. Node 1 of voters {1, 2, 3} unless told.
struct Fixture {
  explicit Fixture(NodeId local = NodeId(1),
                   std::vector<NodeId> voters = {NodeId(1), NodeId(2), NodeId(3)}) {
    quorum.emplace(local, std::move(voters), config, store, random);
  }
  void start(std::optional<ElectionState> stored, OffsetAndEpoch log_end = {Offset(0), Epoch(0)},
             Instant now = kNow) {
    if (stored) store.preset(*stored);
    quorum->initialize(log_end, now);
  }
  QuorumState& q() { return *quorum; }

  RaftConfig config;
  MemoryQuorumStateStore store;
  ScriptedRandom random;
  std::optional<QuorumState> quorum;
};

ElectionState election(std::int32_t epoch, std::optional<std::int32_t> leader,
                       std::optional<std::int32_t> voted) {
  ElectionState s{Epoch(epoch), {}, {}};
  if (leader) s.leader_id = NodeId(*leader);
  if (voted) s.voted_id = NodeId(*voted);
  return s;
}

}  // namespace

// ---- 3.3 startup -------------------------------------------------------------------------------

TEST_CASE("QuorumState startup: no quorum-state file -> Unattached in epoch 0, file written") {
  Fixture f;
  f.start(std::nullopt);
  CHECK(f.q().kind() == StateKind::Unattached);
  CHECK(f.q().epoch() == Epoch(0));
  CHECK_FALSE(f.q().leader_id().has_value());
  CHECK_FALSE(f.q().voted_id().has_value());
  CHECK(f.store.state() == election(0, {}, {}));
  CHECK(f.store.write_count() == 1);
}

TEST_CASE("QuorumState startup: a stored epoch below the log's last epoch -> Unattached in the log's epoch") {
  Fixture f;
  f.start(election(2, 3, 3), OffsetAndEpoch{Offset(10), Epoch(4)});
  CHECK(f.q().kind() == StateKind::Unattached);
  CHECK(f.q().epoch() == Epoch(4));
  CHECK_FALSE(f.q().leader_id().has_value());
  CHECK_FALSE(f.q().voted_id().has_value());
  CHECK(f.store.state() == election(4, {}, {}));
}

TEST_CASE("QuorumState startup: leaderId == self -> Resigned in the same epoch, never Leader (KAFKA-10527)") {
  Fixture f;
  f.start(election(5, 1, 1), OffsetAndEpoch{Offset(3), Epoch(5)});
  REQUIRE(f.q().kind() == StateKind::Resigned);
  CHECK(f.q().epoch() == Epoch(5));
  CHECK(f.q().leader_id() == NodeId(1));
  CHECK(f.q().resigned().preferred_successors.empty());
  CHECK(f.q().resigned().unacked_voters == std::set<NodeId>{NodeId(2), NodeId(3)});
  CHECK_FALSE(f.q().high_watermark().has_value());
  // Memory only: the file still says what it said.
  CHECK(f.store.write_count() == 0);
  CHECK(f.store.state() == election(5, 1, 1));
}

TEST_CASE("QuorumState startup: votedId == self -> Candidate in the same epoch (not epoch + 1)") {
  Fixture f;
  f.start(election(4, {}, 1));
  REQUIRE(f.q().kind() == StateKind::Candidate);
  CHECK(f.q().epoch() == Epoch(4));
  CHECK(f.q().voted_id() == NodeId(1));
  CHECK(f.q().candidate().retries == 1);
  CHECK(f.q().candidate().election.granting_voters() == std::vector<NodeId>{NodeId(1)});
  CHECK(f.store.write_count() == 0);
}

TEST_CASE("QuorumState startup: a known leader -> Follower, keeping the vote of that epoch") {
  Fixture f;
  f.start(election(6, 3, 2));
  REQUIRE(f.q().kind() == StateKind::Follower);
  CHECK(f.q().epoch() == Epoch(6));
  CHECK(f.q().leader_id() == NodeId(3));
  CHECK(f.q().voted_id() == NodeId(2));
  CHECK(f.q().follower().fetch_deadline == kNow + f.config.fetch_timeout);
  CHECK_FALSE(f.q().follower().has_fetched_from_leader);
  CHECK(f.store.write_count() == 0);  // unchanged content is not rewritten
}

TEST_CASE("QuorumState startup: a vote for another node -> Unattached with that vote") {
  Fixture f;
  f.start(election(6, {}, 2));
  REQUIRE(f.q().kind() == StateKind::Unattached);
  CHECK(f.q().epoch() == Epoch(6));
  CHECK(f.q().voted_id() == NodeId(2));
}

TEST_CASE("QuorumState startup: an observer with a persisted self-leadership asserts") {
  Fixture f(NodeId(4));
  CHECK_FALSE(f.q().is_voter());
  CHECK_THROWS_AS(f.start(election(5, 4, {})), raft::AssertionFailure);
}

// ---- 3.1 the election timer ---------------------------------------------------------------------

TEST_CASE("QuorumState: the election timer is drawn from T to 2T (2T excluded) with one draw of bound T ms") {
  SUBCASE("lowest jitter") {
    Fixture f;
    f.random.queue(1000, {0});
    f.start(std::nullopt);
    CHECK(f.q().unattached().election_deadline == kNow + raft::Duration::millis(1000));
  }
  SUBCASE("highest jitter") {
    Fixture f;
    f.random.queue(1000, {999});
    f.start(std::nullopt);
    CHECK(f.q().unattached().election_deadline == kNow + raft::Duration::millis(1999));
  }
  Fixture f;
  f.random.queue(1000, {250});
  f.start(std::nullopt);
  CHECK(f.q().unattached().election_deadline == kNow + raft::Duration::millis(1250));
  CHECK(f.random.bounds_requested() == std::vector<std::int64_t>{1000});
}

TEST_CASE("QuorumState: an election timeout of 0 expires at once") {
  Fixture f;
  f.config.election_timeout = raft::Duration::zero();
  f.start(std::nullopt);
  CHECK(f.q().unattached().election_deadline == kNow);
  CHECK(f.random.bounds_requested().empty());
}

TEST_CASE("QuorumState: observers have no election timer, even after granting a vote") {
  Fixture f(NodeId(4));
  f.start(election(3, {}, {}));
  CHECK(f.q().unattached().election_deadline == Instant::never());
  f.q().unattached_add_voted(Epoch(3), NodeId(2), kNow);
  CHECK(f.q().unattached().election_deadline == Instant::never());
  CHECK(f.store.state() == election(3, {}, 2));
  CHECK(f.random.bounds_requested().empty());
}

// ---- 2.4 durable and memory transitions ---------------------------------------------------------

TEST_CASE("QuorumState: Prospective is memory-only, in the same epoch, keeping leader and vote") {
  Fixture f;
  f.start(election(5, 3, 2));
  const int writes = f.store.write_count();
  f.q().transition_to_prospective(kNow);
  REQUIRE(f.q().kind() == StateKind::Prospective);
  CHECK(f.q().epoch() == Epoch(5));
  CHECK(f.q().leader_id() == NodeId(3));
  CHECK(f.q().voted_id() == NodeId(2));
  CHECK(f.q().prospective().retries == 1);
  CHECK(f.q().prospective().election.granting_voters() == std::vector<NodeId>{NodeId(1)});
  CHECK(f.store.write_count() == writes);
  CHECK(f.store.state() == election(5, 3, 2));
}

TEST_CASE("QuorumState: Candidate bumps the epoch by one and persists the self-vote first") {
  Fixture f;
  f.start(election(5, {}, {}));
  f.q().transition_to_prospective(kNow);
  f.q().transition_to_candidate(kNow);
  REQUIRE(f.q().kind() == StateKind::Candidate);
  CHECK(f.q().epoch() == Epoch(6));
  CHECK(f.q().voted_id() == NodeId(1));
  CHECK_FALSE(f.q().leader_id().has_value());
  CHECK(f.store.state() == election(6, {}, 1));
}

TEST_CASE("QuorumState: retries grow Candidate -> Prospective and carry Prospective -> Candidate") {
  Fixture f;
  f.start(election(5, {}, {}));
  f.q().transition_to_prospective(kNow);
  f.q().transition_to_candidate(kNow);
  CHECK(f.q().candidate().retries == 1);
  f.q().transition_to_prospective(kNow);
  CHECK(f.q().prospective().retries == 2);
  CHECK(f.q().epoch() == Epoch(6));
  CHECK(f.q().voted_id() == NodeId(1));  // the vote of epoch 6 stays on record
  f.q().transition_to_candidate(kNow);
  CHECK(f.q().candidate().retries == 2);
  CHECK(f.q().epoch() == Epoch(7));
}

TEST_CASE("QuorumState: with pre-vote enabled only a Prospective may become Candidate") {
  Fixture f;
  f.start(election(5, {}, {}));
  CHECK_THROWS_AS(f.q().transition_to_candidate(kNow), raft::AssertionFailure);
  CHECK(f.q().kind() == StateKind::Unattached);
  CHECK(f.q().epoch() == Epoch(5));
}

TEST_CASE("QuorumState: with pre-vote disabled an expired voter goes straight to Candidate") {
  Fixture f;
  f.config.pre_vote = false;
  f.start(election(5, {}, {}));
  f.q().transition_to_candidate(kNow);
  CHECK(f.q().kind() == StateKind::Candidate);
  CHECK(f.q().epoch() == Epoch(6));
  CHECK_THROWS_AS(f.q().transition_to_prospective(kNow), raft::AssertionFailure);
}

TEST_CASE("QuorumState: Leader is persisted with itself as leader, its HW starts unknown") {
  Fixture f;
  f.start(election(5, {}, 1));  // Candidate in epoch 5
  f.q().candidate().election.record_granted(NodeId(3));
  // The HW a node knew before is not inherited by the leader (6.3).
  f.q().candidate().high_watermark = Offset(4);
  raft::LeaderState& leader = f.q().transition_to_leader(Offset(7), kNow);
  CHECK(f.q().kind() == StateKind::Leader);
  CHECK(leader.epoch() == Epoch(5));
  CHECK(leader.epoch_start_offset() == Offset(7));
  CHECK_FALSE(leader.high_watermark().has_value());
  CHECK(leader.granting_voters() == std::vector<NodeId>{NodeId(1), NodeId(3)});
  REQUIRE(f.store.state().has_value());
  CHECK(f.store.state()->epoch == Epoch(5));
  CHECK(f.store.state()->leader_id == NodeId(1));
}

TEST_CASE("QuorumState: Leader needs a Candidate holding a majority") {
  Fixture f;
  f.start(election(5, {}, 1));
  CHECK_THROWS_AS(f.q().transition_to_leader(Offset(0), kNow), raft::AssertionFailure);
  Fixture g;
  g.start(election(5, {}, {}));
  CHECK_THROWS_AS(g.q().transition_to_leader(Offset(0), kNow), raft::AssertionFailure);
}

TEST_CASE("QuorumState: Resigned is memory-only, every remote voter is still to be told") {
  Fixture f;
  f.start(election(5, {}, 1));
  f.q().candidate().election.record_granted(NodeId(2));
  f.q().transition_to_leader(Offset(0), kNow);
  const int writes = f.store.write_count();
  f.q().transition_to_resigned({NodeId(3), NodeId(2)}, kNow);
  REQUIRE(f.q().kind() == StateKind::Resigned);
  CHECK(f.q().epoch() == Epoch(5));
  CHECK(f.q().resigned().preferred_successors == std::vector<NodeId>{NodeId(3), NodeId(2)});
  CHECK(f.q().resigned().unacked_voters == std::set<NodeId>{NodeId(2), NodeId(3)});
  CHECK(f.store.write_count() == writes);
  CHECK_THROWS_AS(f.q().transition_to_resigned({}, kNow), raft::AssertionFailure);
}

TEST_CASE("QuorumState: Follower is persisted, the same-epoch vote is kept, a higher epoch drops it") {
  Fixture f;
  f.start(election(5, {}, 2));
  f.q().transition_to_follower(Epoch(5), NodeId(2), kNow);
  CHECK(f.store.state() == election(5, 2, 2));
  CHECK(f.q().follower().fetch_deadline == kNow + f.config.fetch_timeout);
  f.q().transition_to_follower(Epoch(6), NodeId(3), kNow);
  CHECK(f.store.state() == election(6, 3, {}));
}

TEST_CASE("QuorumState: illegal Follower transitions assert") {
  Fixture f;
  f.start(election(5, 3, {}));
  // A second leader in the same epoch, an older epoch, or following itself.
  CHECK_THROWS_AS(f.q().transition_to_follower(Epoch(5), NodeId(2), kNow), raft::AssertionFailure);
  CHECK_THROWS_AS(f.q().transition_to_follower(Epoch(4), NodeId(2), kNow), raft::AssertionFailure);
  CHECK_THROWS_AS(f.q().transition_to_follower(Epoch(6), NodeId(1), kNow), raft::AssertionFailure);
  CHECK(f.q().leader_id() == NodeId(3));
}

TEST_CASE("QuorumState: Unattached in the same epoch is only legal from Prospective") {
  Fixture f;
  f.start(election(5, {}, {}));
  CHECK_THROWS_AS(f.q().transition_to_unattached(Epoch(5), std::nullopt, kNow), raft::AssertionFailure);
  CHECK_THROWS_AS(f.q().transition_to_unattached(Epoch(4), std::nullopt, kNow), raft::AssertionFailure);
  f.q().transition_to_unattached(Epoch(6), std::nullopt, kNow);
  CHECK(f.q().epoch() == Epoch(6));
  CHECK(f.store.state() == election(6, {}, {}));
}

TEST_CASE("QuorumState: Unattached -> Unattached in a higher epoch keeps the running election timer") {
  Fixture f;
  f.random.set_default(1000, 100);
  f.start(election(5, {}, 2));
  const Instant deadline = f.q().unattached().election_deadline;
  CHECK(deadline == kNow + raft::Duration::millis(1100));
  f.q().transition_to_unattached(Epoch(7), std::nullopt, kNow + raft::Duration::millis(500));
  CHECK(f.q().unattached().election_deadline == deadline);
  CHECK_FALSE(f.q().voted_id().has_value());  // a vote belongs to its epoch
}

TEST_CASE("QuorumState: a Prospective that lost its pre-vote returns to Unattached in the same epoch keeping its vote") {
  Fixture f;
  f.random.queue(1000, {0, 0, 400});  // startup, Prospective, then a fresh timer
  f.start(election(5, {}, 2));
  f.q().transition_to_prospective(kNow);
  const Instant prospective_deadline = f.q().prospective().election_deadline;
  CHECK(prospective_deadline == kNow + raft::Duration::millis(1000));

  SUBCASE("rejected by a majority: a fresh random election timer") {
    f.q().prospective().election.record_rejected(NodeId(2));
    f.q().prospective().election.record_rejected(NodeId(3));
    const Instant at = kNow + raft::Duration::millis(100);
    f.q().transition_to_unattached(Epoch(5), std::nullopt, at);
    REQUIRE(f.q().kind() == StateKind::Unattached);
    CHECK(f.q().unattached().election_deadline == at + raft::Duration::millis(1400));
  }
  SUBCASE("timed out without a rejection: the (expired) remaining timer") {
    f.q().transition_to_unattached(Epoch(5), std::nullopt, prospective_deadline);
    REQUIRE(f.q().kind() == StateKind::Unattached);
    CHECK(f.q().unattached().election_deadline == prospective_deadline);
  }
  CHECK(f.q().epoch() == Epoch(5));
  CHECK(f.q().voted_id() == NodeId(2));
  CHECK(f.store.state() == election(5, {}, 2));
}

// ---- binding votes ------------------------------------------------------------------------------

TEST_CASE("QuorumState: a binding vote granted while Unattached is persisted and restarts the election timer") {
  Fixture f;
  f.random.queue(1000, {0, 300});
  f.start(election(5, {}, {}));
  const Instant at = kNow + raft::Duration::millis(600);
  f.q().unattached_add_voted(Epoch(5), NodeId(3), at);
  CHECK(f.q().voted_id() == NodeId(3));
  CHECK(f.store.state() == election(5, {}, 3));
  CHECK(f.q().unattached().election_deadline == at + raft::Duration::millis(1300));
  // One vote per epoch.
  CHECK_THROWS_AS(f.q().unattached_add_voted(Epoch(5), NodeId(2), at), raft::AssertionFailure);
  CHECK_THROWS_AS(f.q().unattached_add_voted(Epoch(6), NodeId(2), at), raft::AssertionFailure);
  CHECK(f.store.state() == election(5, {}, 3));
}

TEST_CASE("QuorumState: a binding vote granted while Prospective is persisted and restarts the election timer") {
  Fixture f;
  f.random.queue(1000, {0, 0, 300});
  f.start(election(5, {}, {}));
  f.q().transition_to_prospective(kNow);
  const Instant at = kNow + raft::Duration::millis(600);
  f.q().prospective_add_voted(NodeId(3), at);
  REQUIRE(f.q().kind() == StateKind::Prospective);
  CHECK(f.q().epoch() == Epoch(5));
  CHECK(f.q().voted_id() == NodeId(3));
  CHECK(f.store.state() == election(5, {}, 3));
  CHECK(f.q().prospective().election_deadline == at + raft::Duration::millis(1300));
  CHECK_THROWS_AS(f.q().prospective_add_voted(NodeId(2), at), raft::AssertionFailure);
}

TEST_CASE("QuorumState: a node never records a binding vote for itself as Unattached or Prospective") {
  Fixture f;
  f.start(election(5, {}, {}));
  CHECK_THROWS_AS(f.q().unattached_add_voted(Epoch(5), NodeId(1), kNow), raft::AssertionFailure);
  f.q().transition_to_prospective(kNow);
  CHECK_THROWS_AS(f.q().prospective_add_voted(NodeId(1), kNow), raft::AssertionFailure);
}

TEST_CASE("QuorumState: a Prospective that already voted in its epoch cannot vote again") {
  Fixture f;
  f.start(election(5, {}, 2));
  f.q().transition_to_prospective(kNow);
  CHECK_THROWS_AS(f.q().prospective_add_voted(NodeId(3), kNow), raft::AssertionFailure);
  CHECK(f.store.state() == election(5, {}, 2));
}

TEST_CASE("QuorumState: observers never become Prospective or Candidate") {
  Fixture f(NodeId(4));
  f.start(election(5, {}, {}));
  CHECK_THROWS_AS(f.q().transition_to_prospective(kNow), raft::AssertionFailure);
  CHECK_THROWS_AS(f.q().transition_to_candidate(kNow), raft::AssertionFailure);
  CHECK(f.q().kind() == StateKind::Unattached);
}

// ---- 4.3 at the state level ---------------------------------------------------------------------

TEST_CASE("QuorumState: Unattached with a leader known by id only rejects binding votes, grants up-to-date pre-votes") {
  // Not reachable through RaftClient with static voters (a known leader always has endpoints,
  // so the node follows it); checked here at the state level.
  Fixture f;
  f.start(election(5, {}, {}));
  f.q().transition_to_unattached(Epoch(6), NodeId(3), kNow);
  CHECK(f.q().leader_id() == NodeId(3));
  CHECK_FALSE(f.q().can_grant_vote(NodeId(2), true, false));
  CHECK_FALSE(f.q().can_grant_vote(NodeId(2), false, false));
  CHECK(f.q().can_grant_vote(NodeId(2), true, true));
  CHECK_FALSE(f.q().can_grant_vote(NodeId(2), false, true));
}

TEST_CASE("QuorumState: a Leader never grants any vote") {
  Fixture f;
  f.start(election(5, {}, 1));
  f.q().candidate().election.record_granted(NodeId(2));
  f.q().transition_to_leader(Offset(0), kNow);
  for (bool up_to_date : {true, false}) {
    for (bool pre_vote : {true, false}) {
      CHECK_FALSE(f.q().can_grant_vote(NodeId(2), up_to_date, pre_vote));
    }
  }
}
