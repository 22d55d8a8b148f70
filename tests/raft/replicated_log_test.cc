// Unit tests of raft::ReplicatedLog: appends, the epoch cache and its rebuild after a restart,
// truncation, reads, and the divergence rules of kraft-protocol.md section 7.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "raft/common/assert.hh"
#include "raft/replicated_log.hh"
#include "raft/support/memory_log_storage.hh"

namespace {

using raft::BatchPtr;
using raft::Epoch;
using raft::EpochEntry;
using raft::Offset;
using raft::OffsetAndEpoch;
using raft::ReplicatedLog;
using raft::ValidOffsetAndEpoch;
using raft::test::MemoryLogStorage;
using Kind = raft::ValidOffsetAndEpoch::Kind;

OffsetAndEpoch oe(std::int64_t offset, std::int32_t epoch) { return OffsetAndEpoch{Offset(offset), Epoch(epoch)}; }
EpochEntry entry(std::int32_t epoch, std::int64_t start) { return EpochEntry{Epoch(epoch), Offset(start)}; }
ValidOffsetAndEpoch valid(std::int64_t offset, std::int32_t epoch) { return {Kind::Valid, oe(offset, epoch)}; }
ValidOffsetAndEpoch diverging(std::int64_t offset, std::int32_t epoch) { return {Kind::Diverging, oe(offset, epoch)}; }

// A data batch of `records` records with values of `value_bytes` bytes each. Its size_bytes is
// 61 + records * (7 + value_bytes).
BatchPtr data(std::int64_t base, std::int32_t epoch, int records = 1, std::size_t value_bytes = 32) {
  std::vector<std::string> values;
  for (int i = 0; i < records; ++i) values.push_back(std::string(value_bytes, 'x'));
  return raft::make_data_batch(Offset(base), Epoch(epoch), raft::Instant::from_ms(base),
                               std::move(values));
}

// Appends one single-record batch per element of `epochs` (the Raft-paper picture of a log: the
// epoch of each offset).
void append_epochs(ReplicatedLog& log, const std::vector<std::int32_t>& epochs) {
  std::vector<BatchPtr> batches;
  std::int64_t next = log.end_offset().value();
  for (std::int32_t e : epochs) batches.push_back(data(next++, e));
  log.append_as_follower(batches);
}

// The epoch of every offset in the log, in the same picture.
std::vector<std::int32_t> epochs_of(const ReplicatedLog& log) {
  std::vector<std::int32_t> out;
  for (const BatchPtr& b : log.batches()) {
    for (std::int64_t i = 0; i < b->record_count(); ++i) out.push_back(b->epoch.value());
  }
  return out;
}

// One simulated leader/follower exchange loop: the follower fetches from its LEO with its last
// fetched epoch; on DIVERGING it truncates and retries. Returns the number of DIVERGING answers
// before the fetch was valid; then appends what the leader would send.
int converge(const ReplicatedLog& leader, ReplicatedLog& follower) {
  int diverging_round_trips = 0;
  for (;;) {
    const ValidOffsetAndEpoch v =
        leader.validate_offset_and_epoch(follower.end_offset(), follower.last_fetched_epoch());
    if (v.kind == Kind::Valid) break;
    REQUIRE(v.kind == Kind::Diverging);
    REQUIRE(diverging_round_trips < 20);
    ++diverging_round_trips;
    follower.truncate_to_end_offset(v.offset_and_epoch, Offset(0));
  }
  follower.append_as_follower(leader.read(follower.end_offset(), 1 << 20));
  return diverging_round_trips;
}

}  // namespace

TEST_CASE("replicated log: empty log") {
  MemoryLogStorage storage;
  const ReplicatedLog log(storage, storage.snapshots);
  CHECK(log.start_offset() == Offset(0));
  CHECK(log.end_offset() == Offset(0));
  CHECK(log.last_fetched_epoch() == Epoch(0));
  CHECK(log.end_offset_and_epoch() == oe(0, 0));
  CHECK(log.flushed_end_offset() == Offset(0));
  CHECK(log.end_offset_for_epoch(Epoch(3)) == oe(0, 0));
  CHECK(log.read(Offset(0), 1000).empty());
  CHECK(log.batch_containing(Offset(0)) == nullptr);
  CHECK(log.validate_offset_and_epoch(Offset(0), Epoch(0)) == valid(0, 0));
  CHECK(log.validate_offset_and_epoch(Offset(2), Epoch(1)) == diverging(0, 0));
}

TEST_CASE("replicated log: append as leader") {
  MemoryLogStorage storage;
  ReplicatedLog log(storage, storage.snapshots);

  log.initialize_leader_epoch(Epoch(1));
  CHECK(log.epoch_cache().entries() == std::vector<EpochEntry>{entry(1, 0)});
  CHECK(log.end_offset() == Offset(0));
  // Kafka's lastFetchedEpoch is the cache's latest epoch, even before the epoch has records.
  CHECK(log.last_fetched_epoch() == Epoch(1));

  const BatchPtr leader_change = raft::make_leader_change_batch(
      Offset(0), Epoch(1), raft::Instant::zero(),
      raft::LeaderChangeMessage{raft::NodeId(1), {raft::NodeId(1)}, {raft::NodeId(1)}});
  log.append_as_leader(leader_change);
  const BatchPtr three = data(1, 1, 3);
  log.append_as_leader(three);
  CHECK(log.end_offset() == Offset(4));
  CHECK(log.end_offset_and_epoch() == oe(4, 1));
  // The log holds the very batch objects it was given (no copies), in the storage.
  REQUIRE(storage.batches().size() == 2);
  CHECK(storage.batches()[0].get() == leader_change.get());
  CHECK(storage.batches()[1].get() == three.get());

  // Appends are volatile until flushed.
  CHECK(log.flushed_end_offset() == Offset(0));
  log.flush();
  CHECK(log.flushed_end_offset() == Offset(4));
  CHECK(storage.flush_count() == 1);

  SUBCASE("base offset must be the LEO") {
    CHECK_THROWS_AS(log.append_as_leader(data(5, 1)), raft::AssertionFailure);
    CHECK_THROWS_AS(log.append_as_leader(data(3, 1)), raft::AssertionFailure);
    CHECK(log.end_offset() == Offset(4));
  }
  SUBCASE("epoch must not go back") {
    log.initialize_leader_epoch(Epoch(3));
    CHECK_THROWS_AS(log.append_as_leader(data(4, 2)), raft::AssertionFailure);
    CHECK_THROWS_AS(log.initialize_leader_epoch(Epoch(2)), raft::AssertionFailure);
    CHECK(log.end_offset() == Offset(4));
  }
  SUBCASE("a new epoch") {
    log.initialize_leader_epoch(Epoch(3));
    log.initialize_leader_epoch(Epoch(3));  // idempotent
    log.append_as_leader(data(4, 3, 2));
    CHECK(log.epoch_cache().entries() == std::vector<EpochEntry>{entry(1, 0), entry(3, 4)});
    CHECK(log.end_offset_and_epoch() == oe(6, 3));
    CHECK(log.end_offset_for_epoch(Epoch(1)) == oe(4, 1));
    CHECK(log.end_offset_for_epoch(Epoch(2)) == oe(4, 1));
    CHECK(log.end_offset_for_epoch(Epoch(3)) == oe(6, 3));
  }
}

TEST_CASE("replicated log: append as follower") {
  MemoryLogStorage storage;
  ReplicatedLog log(storage, storage.snapshots);
  log.append_as_follower({data(0, 1, 2), data(2, 1), data(3, 2, 3)});
  CHECK(log.end_offset_and_epoch() == oe(6, 2));
  CHECK(log.epoch_cache().entries() == std::vector<EpochEntry>{entry(1, 0), entry(2, 3)});
  log.append_as_follower({});  // an empty fetch response changes nothing
  CHECK(log.end_offset() == Offset(6));

  SUBCASE("gap") {
    CHECK_THROWS_AS(log.append_as_follower({data(7, 2)}), raft::AssertionFailure);
  }
  SUBCASE("overlap with the log") {
    CHECK_THROWS_AS(log.append_as_follower({data(5, 2)}), raft::AssertionFailure);
  }
  SUBCASE("batches overlapping each other") {
    CHECK_THROWS_AS(log.append_as_follower({data(6, 2, 2), data(7, 2)}), raft::AssertionFailure);
  }
  SUBCASE("epoch below the log's latest") {
    CHECK_THROWS_AS(log.append_as_follower({data(6, 1)}), raft::AssertionFailure);
  }
  SUBCASE("epochs going back inside one response") {
    CHECK_THROWS_AS(log.append_as_follower({data(6, 3), data(7, 2)}), raft::AssertionFailure);
  }
  SUBCASE("null batch") {
    CHECK_THROWS_AS(log.append_as_follower({data(6, 2), nullptr}), raft::AssertionFailure);
  }
  // A rejected response leaves the log untouched, even if its first batches were fine.
  CHECK(log.end_offset_and_epoch() == oe(6, 2));
  CHECK(storage.batches().size() == 3);
  CHECK(log.epoch_cache().entries() == std::vector<EpochEntry>{entry(1, 0), entry(2, 3)});
}

TEST_CASE("replicated log: an initialized epoch without records is replaced by the next one") {
  MemoryLogStorage storage;
  ReplicatedLog log(storage, storage.snapshots);
  append_epochs(log, {1, 1, 1});
  // This node became leader of epoch 2 and lost leadership before writing anything.
  log.initialize_leader_epoch(Epoch(2));
  CHECK(log.end_offset_and_epoch() == oe(3, 2));
  // truncate_to at the LEO is a no-op and keeps the entry (Kafka's truncateTo does nothing then).
  log.truncate_to(Offset(3));
  CHECK(log.epoch_cache().entries() == std::vector<EpochEntry>{entry(1, 0), entry(2, 3)});
  // The leader of epoch 4 replicates its records to it.
  append_epochs(log, {4, 4});
  CHECK(log.epoch_cache().entries() == std::vector<EpochEntry>{entry(1, 0), entry(4, 3)});
  CHECK(log.end_offset_and_epoch() == oe(5, 4));
  CHECK(log.end_offset_for_epoch(Epoch(2)) == oe(3, 1));
}

TEST_CASE("replicated log: the epoch cache is rebuilt from storage after a restart") {
  MemoryLogStorage storage;
  {
    ReplicatedLog log(storage, storage.snapshots);
    log.append_as_follower({data(0, 1, 2), data(2, 1), data(3, 2), data(4, 2, 4)});
    log.flush();
    log.initialize_leader_epoch(Epoch(5));
    log.append_as_leader(data(8, 5, 2));
    log.append_as_leader(data(10, 5));
    CHECK(log.epoch_cache().entries() ==
          std::vector<EpochEntry>{entry(1, 0), entry(2, 3), entry(5, 8)});
  }

  SUBCASE("clean restart keeps everything") {
    const ReplicatedLog log(storage, storage.snapshots);
    CHECK(log.epoch_cache().entries() ==
          std::vector<EpochEntry>{entry(1, 0), entry(2, 3), entry(5, 8)});
    CHECK(log.end_offset_and_epoch() == oe(11, 5));
    CHECK(log.end_offset_for_epoch(Epoch(2)) == oe(8, 2));
    CHECK(log.flushed_end_offset() == Offset(8));
  }
  SUBCASE("a crash loses the unflushed epoch") {
    storage.crash();
    const ReplicatedLog log(storage, storage.snapshots);
    CHECK(log.epoch_cache().entries() == std::vector<EpochEntry>{entry(1, 0), entry(2, 3)});
    CHECK(log.end_offset_and_epoch() == oe(8, 2));
    CHECK(log.end_offset_for_epoch(Epoch(5)) == oe(8, 2));
  }
  SUBCASE("an initialized epoch without records does not survive a restart") {
    {
      ReplicatedLog log(storage, storage.snapshots);
      log.initialize_leader_epoch(Epoch(7));
      CHECK(log.last_fetched_epoch() == Epoch(7));
    }
    const ReplicatedLog log(storage, storage.snapshots);
    CHECK(log.end_offset_and_epoch() == oe(11, 5));
  }
}

TEST_CASE("replicated log: rebuild asserts on corrupt storage") {
  MemoryLogStorage storage;
  storage.append(data(0, 3));
  storage.append(data(1, 2));  // epochs going back
  CHECK_THROWS_AS((ReplicatedLog{storage, storage.snapshots}), raft::AssertionFailure);
}

TEST_CASE("replicated log: truncate_to") {
  MemoryLogStorage storage;
  ReplicatedLog log(storage, storage.snapshots);
  log.append_as_follower({data(0, 1, 3), data(3, 2, 2), data(5, 4, 3), data(8, 4)});
  log.flush();
  CHECK(log.end_offset() == Offset(9));

  SUBCASE("at a batch boundary inside the latest epoch") {
    log.truncate_to(Offset(8));
    CHECK(log.end_offset_and_epoch() == oe(8, 4));
    CHECK(log.epoch_cache().entries() ==
          std::vector<EpochEntry>{entry(1, 0), entry(2, 3), entry(4, 5)});
    CHECK(log.flushed_end_offset() == Offset(8));
  }
  SUBCASE("at the start of an epoch drops its cache entry") {
    log.truncate_to(Offset(5));
    CHECK(log.end_offset_and_epoch() == oe(5, 2));
    CHECK(log.epoch_cache().entries() == std::vector<EpochEntry>{entry(1, 0), entry(2, 3)});
    CHECK(log.end_offset_for_epoch(Epoch(4)) == oe(5, 2));
    CHECK(log.flushed_end_offset() == Offset(5));
    // And the log can grow again in a new epoch.
    log.append_as_follower({data(5, 6)});
    CHECK(log.epoch_cache().entries() ==
          std::vector<EpochEntry>{entry(1, 0), entry(2, 3), entry(6, 5)});
  }
  SUBCASE("to zero") {
    log.truncate_to(Offset(0));
    CHECK(log.end_offset_and_epoch() == oe(0, 0));
    CHECK(log.epoch_cache().entries().empty());
    CHECK(storage.batches().empty());
  }
  SUBCASE("at or beyond the LEO is a no-op") {
    log.truncate_to(Offset(9));
    log.truncate_to(Offset(100));
    CHECK(log.end_offset_and_epoch() == oe(9, 4));
    CHECK(storage.batches().size() == 4);
  }
  SUBCASE("inside a batch asserts and changes nothing") {
    CHECK_THROWS_AS(log.truncate_to(Offset(1)), raft::AssertionFailure);
    CHECK_THROWS_AS(log.truncate_to(Offset(7)), raft::AssertionFailure);
    CHECK(log.end_offset_and_epoch() == oe(9, 4));
    CHECK(storage.batches().size() == 4);
  }
  SUBCASE("negative asserts") {
    CHECK_THROWS_AS(log.truncate_to(Offset(-1)), raft::AssertionFailure);
  }
}

TEST_CASE("replicated log: validate_offset_and_epoch") {
  // Leader log: epoch 1 at [0, 3), epoch 2 at [3, 6), epoch 4 at [6, 10).
  MemoryLogStorage storage;
  ReplicatedLog leader(storage, storage.snapshots);
  append_epochs(leader, {1, 1, 1, 2, 2, 2, 4, 4, 4, 4});
  REQUIRE(leader.end_offset_and_epoch() == oe(10, 4));

  // A follower starting from nothing.
  CHECK(leader.validate_offset_and_epoch(Offset(0), Epoch(0)) == valid(0, 0));
  // Whatever epoch a follower at offset 0 reports, it has nothing to truncate.
  CHECK(leader.validate_offset_and_epoch(Offset(0), Epoch(9)) == valid(0, 0));
  // Caught up: at the LEO with the right epoch.
  CHECK(leader.validate_offset_and_epoch(Offset(10), Epoch(4)) == valid(10, 4));
  // Behind, on a matching prefix (including exactly at the end of an older epoch).
  CHECK(leader.validate_offset_and_epoch(Offset(5), Epoch(2)) == valid(5, 2));
  CHECK(leader.validate_offset_and_epoch(Offset(6), Epoch(2)) == valid(6, 2));
  CHECK(leader.validate_offset_and_epoch(Offset(3), Epoch(1)) == valid(3, 1));
  CHECK(leader.validate_offset_and_epoch(Offset(7), Epoch(4)) == valid(7, 4));
  // The follower's last epoch 3 never existed on the leader: keep up to the end of epoch 2.
  CHECK(leader.validate_offset_and_epoch(Offset(8), Epoch(3)) == diverging(6, 2));
  // The follower is ahead of the leader within the same epoch.
  CHECK(leader.validate_offset_and_epoch(Offset(7), Epoch(2)) == diverging(6, 2));
  CHECK(leader.validate_offset_and_epoch(Offset(4), Epoch(1)) == diverging(3, 1));
  CHECK(leader.validate_offset_and_epoch(Offset(12), Epoch(4)) == diverging(10, 4));
  // An epoch above the leader's latest ends at the leader's LEO in its latest epoch.
  CHECK(leader.validate_offset_and_epoch(Offset(12), Epoch(6)) == diverging(10, 4));
  CHECK(leader.validate_offset_and_epoch(Offset(9), Epoch(6)) == diverging(10, 4));
}

TEST_CASE("replicated log: validate with an epoch below the leader's first epoch") {
  MemoryLogStorage leader_storage;
  ReplicatedLog leader(leader_storage, leader_storage.snapshots);
  append_epochs(leader, {2, 2, 2, 2});
  // Kafka's answer: (first start offset, the follower's epoch).
  CHECK(leader.validate_offset_and_epoch(Offset(3), Epoch(1)) == diverging(0, 1));

  MemoryLogStorage follower_storage;
  ReplicatedLog follower(follower_storage, follower_storage.snapshots);
  append_epochs(follower, {1, 1, 1});
  CHECK(follower.truncate_to_end_offset(oe(0, 1)) == Offset(0));
  CHECK(follower.end_offset_and_epoch() == oe(0, 0));
  CHECK(converge(leader, follower) == 0);
  CHECK(epochs_of(follower) == std::vector<std::int32_t>{2, 2, 2, 2});
}

TEST_CASE("replicated log: truncate_to_end_offset") {
  // Follower log: epoch 1 at [0, 2), epoch 3 at [2, 5), epoch 5 at [5, 7).
  MemoryLogStorage storage;
  ReplicatedLog follower(storage, storage.snapshots);
  append_epochs(follower, {1, 1, 3, 3, 3, 5, 5});

  SUBCASE("epoch 0: truncate to min(offset, LEO)") {
    CHECK(follower.truncate_to_end_offset(oe(9, 0)) == Offset(7));
    CHECK(follower.truncate_to_end_offset(oe(2, 0)) == Offset(2));
    CHECK(follower.end_offset_and_epoch() == oe(2, 1));
  }
  SUBCASE("same epoch locally: min(local end, diverging end)") {
    CHECK(follower.truncate_to_end_offset(oe(4, 3)) == Offset(4));
    CHECK(follower.end_offset_and_epoch() == oe(4, 3));
  }
  SUBCASE("same epoch, the leader has more of it: truncate to the local end of the epoch") {
    CHECK(follower.truncate_to_end_offset(oe(6, 3)) == Offset(5));
    CHECK(follower.end_offset_and_epoch() == oe(5, 3));
  }
  SUBCASE("epoch unknown locally: the local end of the largest smaller epoch") {
    CHECK(follower.truncate_to_end_offset(oe(3, 4)) == Offset(5));
    CHECK(follower.end_offset_and_epoch() == oe(5, 3));
    CHECK(follower.truncate_to_end_offset(oe(1, 2)) == Offset(2));
    CHECK(follower.end_offset_and_epoch() == oe(2, 1));
  }
  SUBCASE("below the high watermark asserts and changes nothing") {
    CHECK_THROWS_AS(follower.truncate_to_end_offset(oe(3, 3), Offset(4)), raft::AssertionFailure);
    CHECK(follower.end_offset_and_epoch() == oe(7, 5));
    CHECK(follower.truncate_to_end_offset(oe(4, 3), Offset(4)) == Offset(4));
  }
}

TEST_CASE("replicated log: followers with stale epochs converge to the leader (Raft figure 7)") {
  // Raft paper, figure 7, with offsets from 0: the leader of epoch 8 has
  //   1 1 1 4 4 5 5 6 6 6
  // (the leader would append its epoch-8 records after these; not needed here).
  MemoryLogStorage leader_storage;
  ReplicatedLog leader(leader_storage, leader_storage.snapshots);
  append_epochs(leader, {1, 1, 1, 4, 4, 5, 5, 6, 6, 6});
  const std::vector<std::int32_t> leader_epochs = epochs_of(leader);

  struct Case {
    const char* name;
    std::vector<std::int32_t> follower;
    int diverging_round_trips;
  };
  const std::vector<Case> cases = {
      {"(a) missing one record", {1, 1, 1, 4, 4, 5, 5, 6, 6}, 0},
      {"(b) missing many", {1, 1, 1, 4}, 0},
      {"(c) one extra record of the leader's epoch 6", {1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6}, 1},
      {"(d) extra records of an epoch the leader never saw", {1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7}, 1},
      {"(e) more of epoch 4, missing 5 and 6", {1, 1, 1, 4, 4, 4, 4}, 1},
      {"(f) epochs 2 and 3 the leader never had", {1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3}, 1},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    MemoryLogStorage storage;
    ReplicatedLog follower(storage, storage.snapshots);
    append_epochs(follower, c.follower);
    CHECK(converge(leader, follower) == c.diverging_round_trips);
    CHECK(epochs_of(follower) == leader_epochs);
    CHECK(follower.end_offset_and_epoch() == leader.end_offset_and_epoch());
    CHECK(follower.epoch_cache().entries() == leader.epoch_cache().entries());
  }
}

TEST_CASE("replicated log: divergence resolved over several round trips") {
  // Leader: 1 1 4 4 6 6. Follower: 1 1 2 2 3 3 5 5 (epochs 2, 3 and 5 the leader never had).
  MemoryLogStorage leader_storage;
  ReplicatedLog leader(leader_storage, leader_storage.snapshots);
  append_epochs(leader, {1, 1, 4, 4, 6, 6});
  MemoryLogStorage follower_storage;
  ReplicatedLog follower(follower_storage, follower_storage.snapshots);
  append_epochs(follower, {1, 1, 2, 2, 3, 3, 5, 5});

  // Round 1: the leader's largest epoch <= 5 is 4, ending at 4.
  ValidOffsetAndEpoch v = leader.validate_offset_and_epoch(Offset(8), Epoch(5));
  CHECK(v == diverging(4, 4));
  // The follower has no epoch 4: it keeps the end of its epoch 3 (6), the largest below 4.
  CHECK(follower.truncate_to_end_offset(v.offset_and_epoch, Offset(2)) == Offset(6));
  CHECK(follower.end_offset_and_epoch() == oe(6, 3));

  // Round 2: the leader's largest epoch <= 3 is 1, ending at 2.
  v = leader.validate_offset_and_epoch(Offset(6), Epoch(3));
  CHECK(v == diverging(2, 1));
  CHECK(follower.truncate_to_end_offset(v.offset_and_epoch, Offset(2)) == Offset(2));
  CHECK(follower.end_offset_and_epoch() == oe(2, 1));

  // Round 3: the follower's log is a prefix of the leader's.
  CHECK(leader.validate_offset_and_epoch(Offset(2), Epoch(1)) == valid(2, 1));
  follower.append_as_follower(leader.read(Offset(2), 1 << 20));
  CHECK(epochs_of(follower) == std::vector<std::int32_t>{1, 1, 4, 4, 6, 6});
  CHECK(follower.epoch_cache().entries() ==
        std::vector<EpochEntry>{entry(1, 0), entry(4, 2), entry(6, 4)});

  // The same exchange, driven by the helper, from a fresh copy of the follower's old log.
  MemoryLogStorage again_storage;
  ReplicatedLog again(again_storage, again_storage.snapshots);
  append_epochs(again, {1, 1, 2, 2, 3, 3, 5, 5});
  CHECK(converge(leader, again) == 2);
  CHECK(epochs_of(again) == epochs_of(leader));
}

TEST_CASE("replicated log: read respects batch boundaries and byte limits") {
  MemoryLogStorage storage;
  ReplicatedLog log(storage, storage.snapshots);
  // Sizes: 61 + n * (7 + value bytes).
  const BatchPtr a = data(0, 1, 1, 32);   // [0, 1)  100 bytes
  const BatchPtr b = data(1, 1, 3, 6);    // [1, 4)  100 bytes
  const BatchPtr c = data(4, 2, 1, 232);  // [4, 5)  300 bytes
  const BatchPtr d = data(5, 2, 1, 32);   // [5, 6)  100 bytes
  REQUIRE(a->size_bytes == 100);
  REQUIRE(b->size_bytes == 100);
  REQUIRE(c->size_bytes == 300);
  REQUIRE(d->size_bytes == 100);
  log.append_as_follower({a, b, c, d});

  CHECK(log.read(Offset(0), 0) == std::vector<BatchPtr>{a});  // the first batch always whole
  CHECK(log.read(Offset(0), 100) == std::vector<BatchPtr>{a});
  CHECK(log.read(Offset(0), 199) == std::vector<BatchPtr>{a});
  CHECK(log.read(Offset(0), 200) == std::vector<BatchPtr>{a, b});
  CHECK(log.read(Offset(0), 499) == std::vector<BatchPtr>{a, b});
  CHECK(log.read(Offset(0), 500) == std::vector<BatchPtr>{a, b, c});
  CHECK(log.read(Offset(0), 600) == std::vector<BatchPtr>{a, b, c, d});
  CHECK(log.read(Offset(0), 1 << 20) == std::vector<BatchPtr>{a, b, c, d});
  CHECK(log.read(Offset(1), 100) == std::vector<BatchPtr>{b});
  CHECK(log.read(Offset(4), 50) == std::vector<BatchPtr>{c});
  CHECK(log.read(Offset(4), 400) == std::vector<BatchPtr>{c, d});
  CHECK(log.read(Offset(5), 0) == std::vector<BatchPtr>{d});
  CHECK(log.read(Offset(6), 1000).empty());  // at the LEO

  CHECK_THROWS_AS((void)log.read(Offset(2), 1000), raft::AssertionFailure);  // inside b
  CHECK_THROWS_AS((void)log.read(Offset(7), 1000), raft::AssertionFailure);  // beyond the LEO
  CHECK_THROWS_AS((void)log.read(Offset(-1), 1000), raft::AssertionFailure);
  CHECK_THROWS_AS((void)log.read(Offset(0), -1), raft::AssertionFailure);
}

TEST_CASE("replicated log: read and batch_containing on a long log") {
  MemoryLogStorage storage;
  ReplicatedLog log(storage, storage.snapshots);
  // 2000 batches of 1, 2 or 3 records (100, 139 or 178 bytes), epochs growing every 100.
  std::vector<BatchPtr> batches;
  std::int64_t next = 0;
  for (int i = 0; i < 2000; ++i) {
    batches.push_back(data(next, 1 + i / 100, 1 + i % 3));
    next += 1 + i % 3;
  }
  log.append_as_follower(batches);
  REQUIRE(log.end_offset() == Offset(next));
  CHECK(log.epoch_cache().entries().size() == 20);

  for (std::size_t i : {std::size_t{0}, std::size_t{1}, std::size_t{777}, std::size_t{1998},
                        std::size_t{1999}}) {
    CAPTURE(i);
    const BatchPtr& batch = batches[i];
    const std::vector<BatchPtr> got = log.read(batch->base_offset, 0);
    REQUIRE(got.size() == 1);
    CHECK(got[0].get() == batch.get());
    for (std::int64_t k = 0; k < batch->record_count(); ++k) {
      CHECK(log.batch_containing(batch->base_offset + k).get() == batch.get());
    }
  }
  // 3 batches fit in 500 bytes from batch 3 (100 + 139 + 178 = 417; + 100 = 517).
  CHECK(log.read(batches[3]->base_offset, 500) ==
        std::vector<BatchPtr>{batches[3], batches[4], batches[5]});
  CHECK(log.batch_containing(Offset(next)) == nullptr);
  CHECK(log.batch_containing(Offset(-5)) == nullptr);
  CHECK(log.end_offset_for_epoch(Epoch(7)).epoch == Epoch(7));
  CHECK(log.end_offset_for_epoch(Epoch(7)).offset == batches[700]->base_offset);
}
