// Unit tests of raft::controller::build_partition_change (Kafka's PartitionChangeBuilder, no ELR).
#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <set>
#include <vector>

#include "raft/controller/partition_change_builder.hh"
#include "raft/metadata/records.hh"

namespace {

using raft::controller::build_partition_change;
using raft::controller::Election;
using raft::controller::LeaderPredicate;
using namespace raft::metadata;
using Ids = std::vector<std::int32_t>;

constexpr Uuid kTopic{7, 9};

PartitionRecord partition(Ids replicas, Ids isr, std::int32_t leader,
                          std::int8_t recovery = kRecovered) {
  PartitionRecord p;
  p.partition_id = 3;
  p.topic_id = kTopic;
  p.replicas = std::move(replicas);
  p.isr = std::move(isr);
  p.leader = leader;
  p.leader_recovery_state = recovery;
  p.leader_epoch = 5;
  p.partition_epoch = 11;
  return p;
}

LeaderPredicate acceptable(std::set<std::int32_t> ids) {
  return [ids = std::move(ids)](std::int32_t id) { return ids.count(id) != 0; };
}

PartitionChangeRecord expected(std::int32_t leader, std::optional<Ids> isr,
                               std::optional<std::int8_t> recovery = std::nullopt,
                               std::optional<Ids> replicas = std::nullopt) {
  PartitionChangeRecord r;
  r.partition_id = 3;
  r.topic_id = kTopic;
  r.leader = leader;
  r.isr = std::move(isr);
  r.leader_recovery_state = recovery;
  r.replicas = std::move(replicas);
  return r;
}

}  // namespace

TEST_CASE("partition change: ONLINE keeps a valid leader and makes no record when nothing changes") {
  const auto p = partition({1, 2, 3}, {1, 2, 3}, 2);
  CHECK_FALSE(build_partition_change(p, acceptable({1, 2, 3})).has_value());
  CHECK_FALSE(build_partition_change(p, acceptable({1, 2, 3}), Election::Online, Ids{1, 2, 3})
                  .has_value());
}

TEST_CASE("partition change: ISR shrink with the leader kept sets only the ISR") {
  const auto p = partition({1, 2, 3}, {1, 2, 3}, 1);
  const auto change = build_partition_change(p, acceptable({1, 3}), Election::Online, Ids{1, 3});
  REQUIRE(change.has_value());
  CHECK(*change == expected(kNoLeaderChange, Ids{1, 3}));
  // Replayed: no leader epoch bump (metadata.version >= 3.6), partition epoch + 1.
  const PartitionRecord after = apply_partition_change(p, *change);
  CHECK(after.leader == 1);
  CHECK(after.leader_epoch == 5);
  CHECK(after.partition_epoch == 12);
  CHECK(after.isr == Ids{1, 3});
}

TEST_CASE("partition change: a removed leader is replaced by the first valid replica in assignment "
          "order") {
  const auto p = partition({1, 2, 3}, {3, 2, 1}, 1);
  SUBCASE("first replica after the leader is valid") {
    const auto change =
        build_partition_change(p, acceptable({2, 3}), Election::Online, Ids{3, 2});
    REQUIRE(change.has_value());
    CHECK(*change == expected(2, Ids{3, 2}));
    const PartitionRecord after = apply_partition_change(p, *change);
    CHECK(after.leader == 2);
    CHECK(after.leader_epoch == 6);
    CHECK(after.partition_epoch == 12);
  }
  SUBCASE("an unacceptable ISR member (e.g. shutting down) is skipped") {
    const auto change = build_partition_change(p, acceptable({3}), Election::Online, Ids{3, 2});
    REQUIRE(change.has_value());
    CHECK(*change == expected(3, Ids{3, 2}));
  }
  SUBCASE("an acceptable replica outside the ISR is not elected") {
    const auto q = partition({1, 2, 3}, {1, 3}, 1);
    const auto change =
        build_partition_change(q, acceptable({2, 3}), Election::Online, Ids{3});
    REQUIRE(change.has_value());
    CHECK(*change == expected(3, Ids{3}));
  }
}

TEST_CASE("partition change: fencing the last ISR member leaves the partition leaderless with the "
          "ISR kept") {
  const auto p = partition({1, 2, 3}, {1}, 1);
  const auto change = build_partition_change(p, acceptable({2, 3}), Election::Online, Ids{});
  REQUIRE(change.has_value());
  CHECK(*change == expected(kNoLeader, std::nullopt));
  const PartitionRecord after = apply_partition_change(p, *change);
  CHECK(after.leader == kNoLeader);
  CHECK(after.isr == Ids{1});
  CHECK(after.leader_epoch == 6);

  SUBCASE("already leaderless: nothing to do") {
    CHECK_FALSE(
        build_partition_change(after, acceptable({2, 3}), Election::Online, Ids{}).has_value());
  }
  SUBCASE("the last member coming back is re-elected from the ISR") {
    const auto back = build_partition_change(after, acceptable({1}), Election::Online);
    REQUIRE(back.has_value());
    CHECK(*back == expected(1, std::nullopt));
  }
  SUBCASE("another broker coming back cannot lead (clean election)") {
    CHECK_FALSE(build_partition_change(after, acceptable({2}), Election::Online).has_value());
  }
}

TEST_CASE("partition change: PREFERRED election") {
  SUBCASE("moves leadership to the first replica when it is valid") {
    const auto p = partition({1, 2, 3}, {1, 2, 3}, 2);
    const auto change = build_partition_change(p, acceptable({1, 2, 3}), Election::Preferred);
    REQUIRE(change.has_value());
    CHECK(*change == expected(1, std::nullopt));
  }
  SUBCASE("keeps the current leader when the first replica is not acceptable") {
    const auto p = partition({1, 2, 3}, {1, 2, 3}, 2);
    CHECK_FALSE(
        build_partition_change(p, acceptable({2, 3}), Election::Preferred).has_value());
  }
  SUBCASE("keeps the current leader when the first replica is not in the ISR") {
    const auto p = partition({1, 2, 3}, {2, 3}, 2);
    CHECK_FALSE(
        build_partition_change(p, acceptable({1, 2, 3}), Election::Preferred).has_value());
  }
  SUBCASE("falls back to ONLINE when neither the first replica nor the leader is valid") {
    const auto p = partition({1, 2, 3}, {2, 3}, 2);
    const auto change = build_partition_change(p, acceptable({3}), Election::Preferred);
    REQUIRE(change.has_value());
    CHECK(*change == expected(3, std::nullopt));
  }
  SUBCASE("already the preferred leader: no record") {
    const auto p = partition({1, 2, 3}, {1, 2, 3}, 1);
    CHECK_FALSE(
        build_partition_change(p, acceptable({1, 2, 3}), Election::Preferred).has_value());
  }
}

TEST_CASE("partition change: UNCLEAN election") {
  SUBCASE("elects an acceptable replica outside the ISR, sets ISR=[leader] and RECOVERING") {
    const auto p = partition({1, 2, 3}, {1}, kNoLeader);
    const auto change = build_partition_change(p, acceptable({3, 2}), Election::Unclean);
    REQUIRE(change.has_value());
    CHECK(*change == expected(2, Ids{2}, kRecovering));
    const PartitionRecord after = apply_partition_change(p, *change);
    CHECK(after.leader == 2);
    CHECK(after.isr == Ids{2});
    CHECK(after.leader_recovery_state == kRecovering);
  }
  SUBCASE("when the last ISR member is removed at the same time") {
    const auto p = partition({1, 2, 3}, {1}, 1);
    const auto change =
        build_partition_change(p, acceptable({3}), Election::Unclean, Ids{});
    REQUIRE(change.has_value());
    CHECK(*change == expected(3, Ids{3}, kRecovering));
  }
  SUBCASE("an already RECOVERING partition does not get the field again") {
    const auto p = partition({1, 2, 3}, {1}, kNoLeader, kRecovering);
    const auto change = build_partition_change(p, acceptable({3}), Election::Unclean);
    REQUIRE(change.has_value());
    CHECK(*change == expected(3, Ids{3}));
  }
  SUBCASE("prefers a clean leader from the ISR (no recovery)") {
    const auto p = partition({1, 2, 3}, {3}, kNoLeader);
    const auto change = build_partition_change(p, acceptable({2, 3}), Election::Unclean);
    REQUIRE(change.has_value());
    CHECK(*change == expected(3, std::nullopt));
  }
  SUBCASE("no acceptable replica at all: no record") {
    const auto p = partition({1, 2, 3}, {1}, kNoLeader);
    CHECK_FALSE(build_partition_change(p, acceptable({4}), Election::Unclean).has_value());
  }
}

TEST_CASE("partition change: target replicas") {
  const auto p = partition({1, 2, 3}, {1, 2}, 1);
  SUBCASE("dropping a replica bumps the leader epoch by re-setting the same leader") {
    const auto change = build_partition_change(p, acceptable({1, 2, 3}), Election::Online,
                                               std::nullopt, Ids{1, 2});
    REQUIRE(change.has_value());
    CHECK(*change == expected(1, std::nullopt, std::nullopt, Ids{1, 2}));
    CHECK(apply_partition_change(p, *change).leader_epoch == 6);
  }
  SUBCASE("adding a replica changes only the replicas") {
    const auto change = build_partition_change(p, acceptable({1, 2, 3}), Election::Online,
                                               std::nullopt, Ids{1, 2, 3, 4});
    REQUIRE(change.has_value());
    CHECK(*change == expected(kNoLeaderChange, std::nullopt, std::nullopt, Ids{1, 2, 3, 4}));
  }
  SUBCASE("same replicas: no record") {
    CHECK_FALSE(build_partition_change(p, acceptable({1, 2, 3}), Election::Online, std::nullopt,
                                       Ids{1, 2, 3})
                    .has_value());
  }
}

TEST_CASE("partition change: an ISR grow with no leader elects from the new ISR") {
  const auto p = partition({1, 2, 3}, {1}, kNoLeader);
  const auto change =
      build_partition_change(p, acceptable({2, 3}), Election::Online, Ids{1, 3});
  REQUIRE(change.has_value());
  CHECK(*change == expected(3, Ids{1, 3}));
}
