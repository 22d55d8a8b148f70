// Unit tests of raft::controller::place_replicas (Kafka's StripedReplicaPlacer).
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "raft/controller/replica_placer.hh"
#include "raft/io.hh"

namespace {

using raft::controller::place_replicas;
using raft::controller::PlacementResult;
using raft::controller::UsableBroker;
using Assignments = std::vector<std::vector<std::int32_t>>;

// Always draws 0: every random start offset is 0, so the striped pattern is predictable.
class ZeroRandom : public raft::Random {
 public:
  std::int64_t next_int(std::int64_t) override { return 0; }
};

// A small deterministic generator (64-bit LCG, high bits), seeded per test.
class LcgRandom : public raft::Random {
 public:
  explicit LcgRandom(std::uint64_t seed) : state_(seed) {}
  std::int64_t next_int(std::int64_t bound) override {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::int64_t>((state_ >> 33) % static_cast<std::uint64_t>(bound));
  }

 private:
  std::uint64_t state_;
};

std::vector<UsableBroker> no_racks(std::vector<std::int32_t> ids) {
  std::vector<UsableBroker> out;
  for (std::int32_t id : ids) out.push_back(UsableBroker{id, std::nullopt, false});
  return out;
}

// Brokers 1..6: racks a = {1, 2}, b = {3, 4}, c = {5, 6}.
std::vector<UsableBroker> three_racks() {
  std::vector<UsableBroker> out;
  for (std::int32_t id = 1; id <= 6; ++id) {
    out.push_back(UsableBroker{id, std::string(1, static_cast<char>('a' + (id - 1) / 2)), false});
  }
  return out;
}

std::string rack_of(std::int32_t id) { return std::string(1, static_cast<char>('a' + (id - 1) / 2)); }

}  // namespace

TEST_CASE("placer: striped pattern without racks (all offsets 0)") {
  ZeroRandom random;
  const PlacementResult r = place_replicas(4, 3, no_racks({3, 1, 2}), random);
  REQUIRE(r.ok());
  // Each partition starts one broker further; after 3 partitions (= unfenced brokers) the list is
  // shuffled (Fisher-Yates with draws 0, 0: [1,2,3] -> [3,2,1] -> [2,3,1]).
  CHECK(r.assignments == Assignments{{1, 2, 3}, {2, 3, 1}, {3, 1, 2}, {2, 3, 1}});
}

TEST_CASE("placer: one replica per rack and every broker leads once over six partitions") {
  ZeroRandom random;
  const PlacementResult r = place_replicas(6, 3, three_racks(), random);
  REQUIRE(r.ok());
  CHECK(r.assignments ==
        Assignments{{1, 3, 5}, {4, 6, 2}, {5, 1, 3}, {2, 4, 6}, {3, 5, 1}, {6, 2, 4}});
}

TEST_CASE("placer: rack spread and leader balance with random offsets") {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    CAPTURE(seed);
    LcgRandom random(seed);
    const PlacementResult r = place_replicas(60, 3, three_racks(), random);
    REQUIRE(r.ok());
    REQUIRE(r.assignments.size() == 60);
    std::map<std::int32_t, int> leaders;
    for (const auto& replicas : r.assignments) {
      REQUIRE(replicas.size() == 3);
      const std::set<std::string> racks{rack_of(replicas[0]), rack_of(replicas[1]),
                                        rack_of(replicas[2])};
      CHECK(racks.size() == 3);
      ++leaders[replicas[0]];
    }
    REQUIRE(leaders.size() == 6);
    for (const auto& [broker, count] : leaders) {
      CAPTURE(broker);
      CHECK(count >= 7);
      CHECK(count <= 13);
    }
  }
}

TEST_CASE("placer: replication factor 1 spreads leaders over all brokers") {
  LcgRandom random(42);
  const PlacementResult r = place_replicas(50, 1, no_racks({1, 2, 3, 4, 5}), random);
  REQUIRE(r.ok());
  std::map<std::int32_t, int> leaders;
  for (const auto& replicas : r.assignments) ++leaders[replicas.at(0)];
  // Each round of 5 partitions hands out each broker exactly once.
  CHECK(leaders == std::map<std::int32_t, int>{{1, 10}, {2, 10}, {3, 10}, {4, 10}, {5, 10}});
}

TEST_CASE("placer: deterministic for a given seed") {
  LcgRandom a(7);
  LcgRandom b(7);
  const PlacementResult ra = place_replicas(25, 2, three_racks(), a);
  const PlacementResult rb = place_replicas(25, 2, three_racks(), b);
  REQUIRE(ra.ok());
  CHECK(ra.assignments == rb.assignments);
  // The broker input order does not matter.
  LcgRandom c(7);
  auto reversed = three_racks();
  std::reverse(reversed.begin(), reversed.end());
  CHECK(place_replicas(25, 2, reversed, c).assignments == ra.assignments);
  // Some other seed gives another placement.
  bool differs = false;
  for (std::uint64_t seed = 8; seed < 16 && !differs; ++seed) {
    LcgRandom d(seed);
    differs = place_replicas(25, 2, three_racks(), d).assignments != ra.assignments;
  }
  CHECK(differs);
}

TEST_CASE("placer: fenced brokers only hold followers, after the unfenced ones") {
  std::vector<UsableBroker> brokers = no_racks({1, 2, 3});
  brokers[0].fenced = true;  // broker 1
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    CAPTURE(seed);
    LcgRandom random(seed);
    const PlacementResult r = place_replicas(8, 3, brokers, random);
    REQUIRE(r.ok());
    for (const auto& replicas : r.assignments) {
      REQUIRE(replicas.size() == 3);
      CHECK(replicas[0] != 1);
      CHECK(replicas[2] == 1);  // single rack: the fenced broker comes last
    }
  }
  SUBCASE("replication factor 2 never needs the fenced broker") {
    LcgRandom random(3);
    const PlacementResult r = place_replicas(8, 2, brokers, random);
    REQUIRE(r.ok());
    for (const auto& replicas : r.assignments) {
      CHECK(std::find(replicas.begin(), replicas.end(), 1) == replicas.end());
    }
  }
}

TEST_CASE("placer: brokers without a rack form their own group") {
  std::vector<UsableBroker> brokers{{1, std::nullopt, false}, {2, std::nullopt, false},
                                    {3, std::string("r"), false}};
  ZeroRandom random;
  const PlacementResult r = place_replicas(2, 2, brokers, random);
  REQUIRE(r.ok());
  // Groups: [no rack] = {1, 2} first, then "r" = {3}; each partition uses both groups.
  CHECK(r.assignments == Assignments{{1, 3}, {3, 2}});
}

TEST_CASE("placer: errors") {
  ZeroRandom random;
  SUBCASE("more replicas than brokers") {
    const PlacementResult r = place_replicas(1, 4, no_racks({1, 2, 3}), random);
    CHECK_FALSE(r.ok());
    CHECK(r.assignments.empty());
  }
  SUBCASE("replication factor below 1") {
    CHECK_FALSE(place_replicas(1, 0, no_racks({1, 2, 3}), random).ok());
    CHECK_FALSE(place_replicas(1, -1, no_racks({1, 2, 3}), random).ok());
  }
  SUBCASE("every broker fenced") {
    std::vector<UsableBroker> brokers = no_racks({1, 2});
    for (auto& b : brokers) b.fenced = true;
    CHECK_FALSE(place_replicas(1, 1, brokers, random).ok());
  }
  SUBCASE("no brokers at all") { CHECK_FALSE(place_replicas(1, 1, {}, random).ok()); }
  SUBCASE("fenced brokers count towards the replication factor") {
    std::vector<UsableBroker> brokers = no_racks({1, 2, 3});
    brokers[1].fenced = true;
    brokers[2].fenced = true;
    const PlacementResult r = place_replicas(2, 3, brokers, random);
    REQUIRE(r.ok());
    for (const auto& replicas : r.assignments) CHECK(replicas.at(0) == 1);
  }
}
