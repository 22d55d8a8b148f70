// Unit tests of raft::LeaderEpochCache (Kafka's LeaderEpochFileCache semantics).
#include <doctest/doctest.h>

#include <vector>

#include "raft/common/assert.hh"
#include "raft/leader_epoch_cache.hh"

namespace {

using raft::Epoch;
using raft::EpochEntry;
using raft::LeaderEpochCache;
using raft::Offset;
using raft::OffsetAndEpoch;

EpochEntry entry(std::int32_t epoch, std::int64_t start) { return EpochEntry{Epoch(epoch), Offset(start)}; }
OffsetAndEpoch oe(std::int64_t offset, std::int32_t epoch) { return OffsetAndEpoch{Offset(offset), Epoch(epoch)}; }

// (1, 0), (3, 10), (6, 25)
LeaderEpochCache three_epochs() {
  LeaderEpochCache cache;
  cache.assign(Epoch(1), Offset(0));
  cache.assign(Epoch(3), Offset(10));
  cache.assign(Epoch(6), Offset(25));
  return cache;
}

}  // namespace

TEST_CASE("leader epoch cache: assign adds larger epochs and ignores the latest one") {
  LeaderEpochCache cache;
  CHECK(cache.entries().empty());
  CHECK_FALSE(cache.latest_epoch().has_value());

  cache.assign(Epoch(1), Offset(0));
  cache.assign(Epoch(1), Offset(0));  // same epoch again: no-op
  cache.assign(Epoch(1), Offset(7));  // later batch of the same epoch: no-op
  CHECK(cache.entries() == std::vector<EpochEntry>{entry(1, 0)});

  cache.assign(Epoch(3), Offset(10));
  cache.assign(Epoch(3), Offset(12));
  CHECK(cache.entries() == std::vector<EpochEntry>{entry(1, 0), entry(3, 10)});
  REQUIRE(cache.latest_epoch().has_value());
  CHECK(*cache.latest_epoch() == Epoch(3));

  cache.clear();
  CHECK(cache.entries().empty());
  CHECK_FALSE(cache.latest_epoch().has_value());
}

TEST_CASE("leader epoch cache: a newer epoch at the same start replaces an epoch without records") {
  LeaderEpochCache cache;
  cache.assign(Epoch(1), Offset(0));
  cache.assign(Epoch(2), Offset(5));  // a leader of epoch 2 initialized its epoch at LEO 5 ...
  cache.assign(Epoch(4), Offset(5));  // ... and never wrote: epoch 4's records start at 5
  CHECK(cache.entries() == std::vector<EpochEntry>{entry(1, 0), entry(4, 5)});
  CHECK(*cache.latest_epoch() == Epoch(4));
}

TEST_CASE("leader epoch cache: assign rejects non-monotonic entries") {
  LeaderEpochCache cache = three_epochs();
  SUBCASE("smaller epoch") {
    CHECK_THROWS_AS(cache.assign(Epoch(5), Offset(30)), raft::AssertionFailure);
  }
  SUBCASE("larger epoch starting before the latest entry") {
    CHECK_THROWS_AS(cache.assign(Epoch(7), Offset(24)), raft::AssertionFailure);
  }
  SUBCASE("latest epoch moved backwards") {
    CHECK_THROWS_AS(cache.assign(Epoch(6), Offset(20)), raft::AssertionFailure);
  }
  SUBCASE("negative values") {
    CHECK_THROWS_AS(cache.assign(Epoch(7), Offset(-1)), raft::AssertionFailure);
    LeaderEpochCache empty;
    CHECK_THROWS_AS(empty.assign(Epoch(-1), Offset(0)), raft::AssertionFailure);
  }
  // A rejected assign leaves the cache as it was.
  CHECK(cache.entries() == std::vector<EpochEntry>{entry(1, 0), entry(3, 10), entry(6, 25)});
}

TEST_CASE("leader epoch cache: end_offset_for_epoch") {
  const LeaderEpochCache cache = three_epochs();
  const Offset leo(40);

  // A cached epoch that is not the latest ends where the next one starts.
  CHECK(cache.end_offset_for_epoch(Epoch(1), leo) == oe(10, 1));
  CHECK(cache.end_offset_for_epoch(Epoch(3), leo) == oe(25, 3));
  // Between cached epochs: the largest smaller cached epoch and its end.
  CHECK(cache.end_offset_for_epoch(Epoch(2), leo) == oe(10, 1));
  CHECK(cache.end_offset_for_epoch(Epoch(4), leo) == oe(25, 3));
  CHECK(cache.end_offset_for_epoch(Epoch(5), leo) == oe(25, 3));
  // The latest epoch, and anything above it, ends at the log end offset.
  CHECK(cache.end_offset_for_epoch(Epoch(6), leo) == oe(40, 6));
  CHECK(cache.end_offset_for_epoch(Epoch(7), leo) == oe(40, 6));
  CHECK(cache.end_offset_for_epoch(Epoch(1000), leo) == oe(40, 6));
  // Below the first cached epoch: (first start offset, requested epoch), as in Kafka.
  CHECK(cache.end_offset_for_epoch(Epoch(0), leo) == oe(0, 0));

  LeaderEpochCache later_start;
  later_start.assign(Epoch(2), Offset(5));
  later_start.assign(Epoch(4), Offset(9));
  CHECK(later_start.end_offset_for_epoch(Epoch(1), Offset(12)) == oe(5, 1));
  CHECK(later_start.end_offset_for_epoch(Epoch(3), Offset(12)) == oe(9, 2));

  // Empty cache: the primordial epoch 0 ends at the log end offset.
  const LeaderEpochCache empty;
  CHECK(empty.end_offset_for_epoch(Epoch(3), Offset(0)) == oe(0, 0));
  CHECK(empty.end_offset_for_epoch(Epoch(0), Offset(0)) == oe(0, 0));
}

TEST_CASE("leader epoch cache: truncate_from_end drops entries starting at or after the end") {
  LeaderEpochCache cache = three_epochs();
  cache.truncate_from_end(Offset(26));
  CHECK(cache.entries() == std::vector<EpochEntry>{entry(1, 0), entry(3, 10), entry(6, 25)});
  cache.truncate_from_end(Offset(25));
  CHECK(cache.entries() == std::vector<EpochEntry>{entry(1, 0), entry(3, 10)});
  // After truncation the latest epoch ends at the new log end offset.
  CHECK(cache.end_offset_for_epoch(Epoch(6), Offset(25)) == oe(25, 3));
  cache.truncate_from_end(Offset(11));
  CHECK(cache.entries() == std::vector<EpochEntry>{entry(1, 0), entry(3, 10)});
  cache.truncate_from_end(Offset(10));
  CHECK(cache.entries() == std::vector<EpochEntry>{entry(1, 0)});
  // An epoch may be assigned again after truncation.
  cache.assign(Epoch(2), Offset(10));
  CHECK(cache.entries() == std::vector<EpochEntry>{entry(1, 0), entry(2, 10)});
  cache.truncate_from_end(Offset(0));
  CHECK(cache.entries().empty());
}
