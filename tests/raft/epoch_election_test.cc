// Unit tests of raft::EpochElection (Kafka's EpochElection, KIP-996): the vote tally of one
// pre-vote or binding-vote round (kraft-protocol.md 4.1, 4.4).
#include <doctest/doctest.h>

#include <vector>

#include "raft/common/assert.hh"
#include "raft/epoch_election.hh"

namespace {

using raft::EpochElection;
using raft::NodeId;

std::vector<NodeId> ids(std::initializer_list<std::int32_t> values) {
  std::vector<NodeId> out;
  for (std::int32_t v : values) out.push_back(NodeId(v));
  return out;
}

std::vector<NodeId> voters_1_to(std::int32_t n) {
  std::vector<NodeId> out;
  for (std::int32_t i = 1; i <= n; ++i) out.push_back(NodeId(i));
  return out;
}

}  // namespace

TEST_CASE("EpochElection: the majority of 1..5 voters is 1, 2, 2, 3, 3") {
  CHECK(EpochElection(voters_1_to(1)).majority() == 1);
  CHECK(EpochElection(voters_1_to(2)).majority() == 2);
  CHECK(EpochElection(voters_1_to(3)).majority() == 2);
  CHECK(EpochElection(voters_1_to(4)).majority() == 3);
  CHECK(EpochElection(voters_1_to(5)).majority() == 3);
}

TEST_CASE("EpochElection: a round is won exactly when a majority granted") {
  for (std::int32_t n = 1; n <= 5; ++n) {
    CAPTURE(n);
    EpochElection election(voters_1_to(n));
    const auto majority = static_cast<std::int32_t>(election.majority());
    for (std::int32_t granted = 1; granted <= n; ++granted) {
      CAPTURE(granted);
      election.record_granted(NodeId(granted));
      CHECK(election.is_vote_granted() == (granted >= majority));
      CHECK_FALSE(election.is_vote_rejected());
    }
  }
}

TEST_CASE("EpochElection: a round is lost once granted + unrecorded voters fall below a majority") {
  for (std::int32_t n = 1; n <= 5; ++n) {
    CAPTURE(n);
    EpochElection election(voters_1_to(n));
    election.record_granted(NodeId(1));  // the local node votes for itself
    const auto majority = static_cast<std::int32_t>(election.majority());
    for (std::int32_t rejected = 1; rejected < n; ++rejected) {
      CAPTURE(rejected);
      election.record_rejected(NodeId(rejected + 1));
      // One granted, `rejected` rejected, the rest unrecorded.
      CHECK(election.is_vote_rejected() == (n - rejected < majority));
      CHECK_FALSE(election.is_vote_granted());
    }
  }
}

TEST_CASE("EpochElection: 3 voters, self granted, one rejection is not yet a loss, two are") {
  EpochElection election(ids({1, 2, 3}));
  CHECK_FALSE(election.is_vote_granted());
  CHECK_FALSE(election.is_vote_rejected());
  election.record_granted(NodeId(1));
  election.record_rejected(NodeId(3));
  CHECK_FALSE(election.is_vote_granted());
  CHECK_FALSE(election.is_vote_rejected());
  CHECK(election.unrecorded_voters() == ids({2}));
  election.record_rejected(NodeId(2));
  CHECK(election.is_vote_rejected());
  CHECK(election.rejecting_voters() == ids({2, 3}));
  CHECK(election.granting_voters() == ids({1}));
  CHECK(election.unrecorded_voters().empty());
}

TEST_CASE("EpochElection: 4 voters need 3 grants, 2 rejections lose") {
  EpochElection election(ids({4, 1, 3, 2}));
  election.record_granted(NodeId(1));
  election.record_granted(NodeId(2));
  CHECK_FALSE(election.is_vote_granted());
  election.record_rejected(NodeId(3));
  CHECK_FALSE(election.is_vote_rejected());
  SUBCASE("the last voter grants") {
    election.record_granted(NodeId(4));
    CHECK(election.is_vote_granted());
    CHECK(election.granting_voters() == ids({1, 2, 4}));
  }
  SUBCASE("the last voter rejects") {
    election.record_rejected(NodeId(4));
    CHECK(election.is_vote_rejected());
  }
}

TEST_CASE("EpochElection: a single voter wins with its own vote") {
  EpochElection election(ids({7}));
  CHECK_FALSE(election.is_vote_granted());
  election.record_granted(NodeId(7));
  CHECK(election.is_vote_granted());
  CHECK_FALSE(election.is_vote_rejected());
}

TEST_CASE("EpochElection: recording the same answer twice is a no-op that returns false") {
  EpochElection election(ids({1, 2, 3}));
  CHECK(election.record_granted(NodeId(2)));
  CHECK_FALSE(election.record_granted(NodeId(2)));
  CHECK(election.record_rejected(NodeId(3)));
  CHECK_FALSE(election.record_rejected(NodeId(3)));
  CHECK(election.granting_voters() == ids({2}));
  CHECK(election.rejecting_voters() == ids({3}));
}

TEST_CASE("EpochElection: a voter changing its answer within a round asserts") {
  EpochElection election(ids({1, 2, 3}));
  election.record_granted(NodeId(2));
  CHECK_THROWS_AS(election.record_rejected(NodeId(2)), raft::AssertionFailure);
  election.record_rejected(NodeId(3));
  CHECK_THROWS_AS(election.record_granted(NodeId(3)), raft::AssertionFailure);
  // The failed calls changed nothing.
  CHECK(election.granting_voters() == ids({2}));
  CHECK(election.rejecting_voters() == ids({3}));
}

TEST_CASE("EpochElection: votes from non-voters, duplicate voters and empty voter sets assert") {
  EpochElection election(ids({1, 2, 3}));
  CHECK_THROWS_AS(election.record_granted(NodeId(4)), raft::AssertionFailure);
  CHECK_THROWS_AS(election.record_rejected(NodeId(4)), raft::AssertionFailure);
  CHECK_THROWS_AS(EpochElection(ids({1, 1})), raft::AssertionFailure);
  CHECK_THROWS_AS(EpochElection(std::vector<NodeId>{}), raft::AssertionFailure);
}
