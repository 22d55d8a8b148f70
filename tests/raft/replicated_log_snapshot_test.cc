// Unit tests of the snapshot (KIP-630) parts of raft::ReplicatedLog: recovery at startup
// (kraft-protocol.md 8.4, KAFKA-15312, KAFKA-14240), the epoch rules of an empty log at a
// snapshot (7.1), validate_offset_and_epoch's snapshot cases (7.2), snapshot creation (8.1,
// KAFKA-14618/14619), installing a downloaded snapshot (8.5) and retention (8.3).
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "raft/common/assert.hh"
#include "raft/replicated_log.hh"
#include "raft/snapshot.hh"
#include "raft/support/memory_log_storage.hh"

namespace {

using raft::BatchPtr;
using raft::Duration;
using raft::Epoch;
using raft::EpochEntry;
using raft::Instant;
using raft::Offset;
using raft::OffsetAndEpoch;
using raft::RecordBatch;
using raft::ReplicatedLog;
using raft::SnapshotPtr;
using raft::ValidOffsetAndEpoch;
using raft::test::MemoryLogStorage;
using Kind = raft::ValidOffsetAndEpoch::Kind;

OffsetAndEpoch oe(std::int64_t offset, std::int32_t epoch) {
  return OffsetAndEpoch{Offset(offset), Epoch(epoch)};
}
EpochEntry entry(std::int32_t epoch, std::int64_t start) {
  return EpochEntry{Epoch(epoch), Offset(start)};
}
ValidOffsetAndEpoch valid(std::int64_t offset, std::int32_t epoch) {
  return {Kind::Valid, oe(offset, epoch)};
}
ValidOffsetAndEpoch diverging(std::int64_t offset, std::int32_t epoch) {
  return {Kind::Diverging, oe(offset, epoch)};
}
ValidOffsetAndEpoch snapshot_kind(std::int64_t offset, std::int32_t epoch) {
  return {Kind::Snapshot, oe(offset, epoch)};
}

// A data batch of `records` records of 32 bytes each (size 61 + records * 39), appended at time
// `base` ms.
BatchPtr data(std::int64_t base, std::int32_t epoch, int records = 1) {
  std::vector<std::string> values;
  for (int i = 0; i < records; ++i) values.push_back(std::string(32, 'x'));
  return raft::make_data_batch(Offset(base), Epoch(epoch), Instant::from_ms(base),
                               std::move(values));
}

SnapshotPtr snap(std::int64_t offset, std::int32_t epoch, Instant time = Instant::from_ms(0)) {
  return raft::make_snapshot(oe(offset, epoch), time, {"state@" + std::to_string(offset)});
}

// Appends single-record batches with the given epochs at the storage's end (flushed).
void fill(MemoryLogStorage& storage, std::int64_t from, const std::vector<std::int32_t>& epochs) {
  for (std::int32_t e : epochs) storage.append(data(from++, e));
  storage.flush();
}

std::vector<OffsetAndEpoch> ids(const std::vector<SnapshotPtr>& snapshots) {
  std::vector<OffsetAndEpoch> out;
  for (const SnapshotPtr& s : snapshots) out.push_back(s->id);
  return out;
}

// A batch whose checksum no longer matches its content: a write cut short by a crash.
BatchPtr torn_copy(const BatchPtr& batch, bool drop_a_record) {
  auto copy = std::make_shared<RecordBatch>(*batch);
  if (drop_a_record) {
    copy->records.pop_back();
  } else {
    copy->records.back() = "garbage";
  }
  return copy;
}

}  // namespace

// ---- 8.4 recovery ------------------------------------------------------------------------------

TEST_CASE("log snapshots: recovery truncates the log at a torn last batch") {
  MemoryLogStorage storage;
  storage.append(data(0, 1));
  storage.append(data(1, 1, 2));
  const BatchPtr whole = data(3, 2, 3);
  const BatchPtr torn = torn_copy(whole, /*drop_a_record=*/true);
  REQUIRE(torn->checksum == whole->checksum);
  REQUIRE(torn->compute_checksum() != torn->checksum);
  storage.append(torn);
  storage.flush();
  REQUIRE(storage.batches().size() == 3);

  const ReplicatedLog log(storage, storage.snapshots);
  CHECK(log.torn_batch_truncated_at() == Offset(3));
  CHECK(log.end_offset() == Offset(3));
  CHECK(log.batches().size() == 2);
  CHECK(log.last_fetched_epoch() == Epoch(1));
  CHECK(log.epoch_cache().entries() == std::vector<EpochEntry>{entry(1, 0)});
  CHECK(log.flushed_end_offset() == Offset(3));
}

TEST_CASE("log snapshots: recovery drops a torn batch in the middle and everything after it") {
  MemoryLogStorage storage;
  storage.append(data(0, 1));
  storage.append(torn_copy(data(1, 2, 2), /*drop_a_record=*/false));  // same length, bad content
  storage.append(data(3, 3));
  storage.append(data(4, 3));
  storage.flush();

  const ReplicatedLog log(storage, storage.snapshots);
  CHECK(log.torn_batch_truncated_at() == Offset(1));
  CHECK(log.end_offset() == Offset(1));
  CHECK(log.last_fetched_epoch() == Epoch(1));
  CHECK(log.epoch_cache().entries() == std::vector<EpochEntry>{entry(1, 0)});
}

TEST_CASE("log snapshots: recovery of an intact log changes nothing") {
  MemoryLogStorage storage;
  fill(storage, 0, {1, 1, 2});
  storage.snapshots.write_snapshot(snap(2, 1));
  const ReplicatedLog log(storage, storage.snapshots);
  CHECK_FALSE(log.torn_batch_truncated_at().has_value());
  CHECK(log.start_offset() == Offset(0));
  CHECK(log.end_offset() == Offset(3));
  CHECK(ids(log.snapshots()) == std::vector<OffsetAndEpoch>{oe(2, 1)});
}

TEST_CASE("log snapshots: recovery removes partial snapshot files (KAFKA-15312)") {
  MemoryLogStorage storage;
  fill(storage, 0, {1, 1, 2});
  storage.snapshots.write_snapshot(snap(2, 1));
  storage.snapshots.write_partial_snapshot(oe(3, 2), 0);     // crash before the fsync
  storage.snapshots.write_partial_snapshot(oe(9, 4), 120);   // a download cut short
  REQUIRE(storage.snapshots.partials().size() == 2);

  const ReplicatedLog log(storage, storage.snapshots);
  CHECK(storage.snapshots.partials().empty());
  // Neither partial file became a snapshot, and the complete one survives.
  CHECK(ids(log.snapshots()) == std::vector<OffsetAndEpoch>{oe(2, 1)});
  CHECK(log.end_offset() == Offset(3));
  CHECK(log.latest_snapshot()->id == oe(2, 1));
}

TEST_CASE("log snapshots: recovery truncates fully to a latest snapshot beyond the log end") {
  // A crash right after a FetchSnapshot download: the snapshot is on disk, the log was not
  // truncated yet.
  MemoryLogStorage storage;
  fill(storage, 0, {1, 1, 2});
  storage.snapshots.write_snapshot(snap(2, 1));
  storage.snapshots.write_snapshot(snap(10, 3));

  const ReplicatedLog log(storage, storage.snapshots);
  CHECK(log.start_offset() == Offset(10));
  CHECK(log.end_offset() == Offset(10));
  CHECK(log.batches().empty());
  CHECK(log.flushed_end_offset() == Offset(10));
  // The older snapshot is below the new log start: dropped.
  CHECK(ids(log.snapshots()) == std::vector<OffsetAndEpoch>{oe(10, 3)});
  CHECK(log.earliest_snapshot()->id == oe(10, 3));
  CHECK(log.end_offset_and_epoch() == oe(10, 3));
  CHECK(log.epoch_cache().entries().empty());
}

TEST_CASE("log snapshots: recovery keeps a latest snapshot that ends exactly at the log end") {
  MemoryLogStorage storage;
  fill(storage, 0, {1, 1, 2});
  storage.snapshots.write_snapshot(snap(3, 2));
  const ReplicatedLog log(storage, storage.snapshots);
  CHECK(log.start_offset() == Offset(0));
  CHECK(log.end_offset() == Offset(3));
  CHECK(log.batches().size() == 3);
  CHECK(ids(log.snapshots()) == std::vector<OffsetAndEpoch>{oe(3, 2)});
}

TEST_CASE("log snapshots: recovery drops snapshots below the log start") {
  MemoryLogStorage storage;
  storage.truncate_fully(Offset(5));
  fill(storage, 5, {2, 3, 3});  // offsets 5..7
  storage.snapshots.write_snapshot(snap(2, 1));
  storage.snapshots.write_snapshot(snap(4, 2));
  storage.snapshots.write_snapshot(snap(5, 2));
  storage.snapshots.write_snapshot(snap(7, 3));

  const ReplicatedLog log(storage, storage.snapshots);
  CHECK(log.start_offset() == Offset(5));
  CHECK(log.end_offset() == Offset(8));
  CHECK(ids(log.snapshots()) == std::vector<OffsetAndEpoch>{oe(5, 2), oe(7, 3)});
  CHECK(log.epoch_cache().entries() == std::vector<EpochEntry>{entry(2, 5), entry(3, 6)});
}

TEST_CASE("log snapshots: a torn batch that cuts the log below the latest snapshot ends in a full truncation") {
  MemoryLogStorage storage;
  storage.append(data(0, 1));
  storage.append(data(1, 1));
  storage.append(torn_copy(data(2, 2, 3), /*drop_a_record=*/true));
  storage.flush();
  storage.snapshots.write_snapshot(snap(4, 2));

  const ReplicatedLog log(storage, storage.snapshots);
  CHECK(log.torn_batch_truncated_at() == Offset(2));
  CHECK(log.start_offset() == Offset(4));
  CHECK(log.end_offset() == Offset(4));
  CHECK(log.last_fetched_epoch() == Epoch(2));
}

TEST_CASE("log snapshots: a log that starts after 0 without a snapshot there is refused (KAFKA-14240)") {
  SUBCASE("no snapshot at all") {
    MemoryLogStorage storage;
    storage.truncate_fully(Offset(5));
    fill(storage, 5, {2, 3});
    CHECK_THROWS_AS((ReplicatedLog{storage, storage.snapshots}), raft::AssertionFailure);
  }
  SUBCASE("the earliest snapshot ends after the log start") {
    MemoryLogStorage storage;
    storage.truncate_fully(Offset(5));
    fill(storage, 5, {2, 3});
    storage.snapshots.write_snapshot(snap(6, 2));
    CHECK_THROWS_AS((ReplicatedLog{storage, storage.snapshots}), raft::AssertionFailure);
  }
  SUBCASE("only a snapshot below the log start, which recovery deletes") {
    MemoryLogStorage storage;
    storage.truncate_fully(Offset(5));
    fill(storage, 5, {2, 3});
    storage.snapshots.write_snapshot(snap(3, 1));
    CHECK_THROWS_AS((ReplicatedLog{storage, storage.snapshots}), raft::AssertionFailure);
  }
  SUBCASE("a snapshot at the log start is accepted") {
    MemoryLogStorage storage;
    storage.truncate_fully(Offset(5));
    fill(storage, 5, {2, 3});
    storage.snapshots.write_snapshot(snap(5, 2));
    const ReplicatedLog log(storage, storage.snapshots);
    CHECK(log.start_offset() == Offset(5));
    CHECK(log.end_offset() == Offset(7));
  }
}

// ---- 7.1 epochs of a log that starts at a snapshot --------------------------------------------

TEST_CASE("log snapshots: an empty log at a snapshot continues from the snapshot's epoch") {
  MemoryLogStorage storage;
  storage.truncate_fully(Offset(10));
  storage.snapshots.write_snapshot(snap(10, 4));
  const ReplicatedLog log(storage, storage.snapshots);
  CHECK(log.start_offset() == Offset(10));
  CHECK(log.end_offset() == Offset(10));
  CHECK(log.last_fetched_epoch() == Epoch(4));
  CHECK(log.end_offset_and_epoch() == oe(10, 4));
  // An empty log answers (LEO, last fetched epoch) for every epoch.
  CHECK(log.end_offset_for_epoch(Epoch(2)) == oe(10, 4));
  CHECK(log.end_offset_for_epoch(Epoch(4)) == oe(10, 4));
  CHECK(log.end_offset_for_epoch(Epoch(7)) == oe(10, 4));
}

TEST_CASE("log snapshots: without a snapshot an empty log is in the primordial epoch 0") {
  MemoryLogStorage storage;
  const ReplicatedLog log(storage, storage.snapshots);
  CHECK(log.last_fetched_epoch() == Epoch(0));
  CHECK(log.end_offset_for_epoch(Epoch(3)) == oe(0, 0));
}

TEST_CASE("log snapshots: end_offset_for_epoch answers the snapshot id for epochs only the snapshot covers") {
  // Snapshot (4, 2) at the log start; the log holds epoch 3 at [4, 6) and epoch 5 at [6, 8).
  MemoryLogStorage storage;
  storage.truncate_fully(Offset(4));
  fill(storage, 4, {3, 3, 5, 5});
  storage.snapshots.write_snapshot(snap(4, 2));
  const ReplicatedLog log(storage, storage.snapshots);
  REQUIRE(log.epoch_cache().entries() == std::vector<EpochEntry>{entry(3, 4), entry(5, 6)});

  // Epochs below the snapshot's: the cache alone would say (4, e); the snapshot id is the answer.
  CHECK(log.end_offset_for_epoch(Epoch(0)) == oe(4, 2));
  CHECK(log.end_offset_for_epoch(Epoch(1)) == oe(4, 2));
  CHECK(log.end_offset_for_epoch(Epoch(2)) == oe(4, 2));
  // Epochs in the log.
  CHECK(log.end_offset_for_epoch(Epoch(3)) == oe(6, 3));
  CHECK(log.end_offset_for_epoch(Epoch(4)) == oe(6, 3));
  CHECK(log.end_offset_for_epoch(Epoch(5)) == oe(8, 5));
  CHECK(log.end_offset_for_epoch(Epoch(9)) == oe(8, 5));
  CHECK(log.last_fetched_epoch() == Epoch(5));
}

// ---- 7.2 validate_offset_and_epoch with snapshots ---------------------------------------------

TEST_CASE("log snapshots: validate_offset_and_epoch sends fetchers behind the snapshot to the latest snapshot") {
  // Snapshots (4, 2) at the log start and (6, 3); the log holds epoch 3 at [4, 6), 5 at [6, 8).
  MemoryLogStorage storage;
  storage.truncate_fully(Offset(4));
  fill(storage, 4, {3, 3, 5, 5});
  storage.snapshots.write_snapshot(snap(4, 2));
  storage.snapshots.write_snapshot(snap(6, 3));
  const ReplicatedLog log(storage, storage.snapshots);
  REQUIRE(log.latest_snapshot()->id == oe(6, 3));

  SUBCASE("below the log start") {
    CHECK(log.validate_offset_and_epoch(Offset(0), Epoch(0)) == snapshot_kind(6, 3));
    CHECK(log.validate_offset_and_epoch(Offset(2), Epoch(1)) == snapshot_kind(6, 3));
    CHECK(log.validate_offset_and_epoch(Offset(3), Epoch(2)) == snapshot_kind(6, 3));
  }
  SUBCASE("at the log start in another epoch than the snapshot's") {
    CHECK(log.validate_offset_and_epoch(Offset(4), Epoch(1)) == snapshot_kind(6, 3));
    CHECK(log.validate_offset_and_epoch(Offset(4), Epoch(3)) == snapshot_kind(6, 3));
  }
  SUBCASE("with a last epoch older than the earliest snapshot's") {
    CHECK(log.validate_offset_and_epoch(Offset(5), Epoch(1)) == snapshot_kind(6, 3));
    CHECK(log.validate_offset_and_epoch(Offset(7), Epoch(1)) == snapshot_kind(6, 3));
  }
  SUBCASE("valid positions") {
    CHECK(log.validate_offset_and_epoch(Offset(4), Epoch(2)) == valid(4, 2));
    CHECK(log.validate_offset_and_epoch(Offset(5), Epoch(3)) == valid(5, 3));
    CHECK(log.validate_offset_and_epoch(Offset(6), Epoch(3)) == valid(6, 3));
    CHECK(log.validate_offset_and_epoch(Offset(8), Epoch(5)) == valid(8, 5));
  }
  SUBCASE("diverging positions") {
    // Epoch 4 never wrote here: the follower must go back to the end of epoch 3.
    CHECK(log.validate_offset_and_epoch(Offset(7), Epoch(4)) == diverging(6, 3));
    // Beyond the end of epoch 5.
    CHECK(log.validate_offset_and_epoch(Offset(9), Epoch(5)) == diverging(8, 5));
    // Epoch 3 ends at 6 here.
    CHECK(log.validate_offset_and_epoch(Offset(7), Epoch(3)) == diverging(6, 3));
  }
}

TEST_CASE("log snapshots: a log from 0 with a snapshot still serves a fetch from 0 as valid") {
  // Rule 1 of 7.2 (the KAFKA-15078 preference for snapshots lives in the raft client).
  MemoryLogStorage storage;
  fill(storage, 0, {1, 1, 2, 2});
  storage.snapshots.write_snapshot(snap(2, 1));
  const ReplicatedLog log(storage, storage.snapshots);
  CHECK(log.validate_offset_and_epoch(Offset(0), Epoch(0)) == valid(0, 0));
  CHECK(log.validate_offset_and_epoch(Offset(3), Epoch(2)) == valid(3, 2));
  CHECK(log.validate_offset_and_epoch(Offset(2), Epoch(1)) == valid(2, 1));
}

// ---- 8.1 create_snapshot -----------------------------------------------------------------------

TEST_CASE("log snapshots: create_snapshot stores only committed, batch-aligned ids that match the log") {
  // Batches: [0] e1, [1, 3) e1, [3] e2, [4, 6) e3. HW 4 unless said otherwise.
  MemoryLogStorage storage;
  storage.append(data(0, 1));
  storage.append(data(1, 1, 2));
  storage.append(data(3, 2));
  storage.append(data(4, 3, 2));
  storage.flush();
  ReplicatedLog log(storage, storage.snapshots);

  SUBCASE("a committed batch boundary is accepted (end offset exclusive, KAFKA-14618)") {
    CHECK(log.create_snapshot(snap(3, 1), Offset(4)));
    CHECK(log.create_snapshot(snap(4, 2), Offset(4)));
    CHECK(ids(log.snapshots()) == std::vector<OffsetAndEpoch>{oe(3, 1), oe(4, 2)});
    // The log itself is untouched.
    CHECK(log.start_offset() == Offset(0));
    CHECK(log.end_offset() == Offset(6));
    // The same id again: refused without an error.
    CHECK_FALSE(log.create_snapshot(snap(3, 1), Offset(4)));
    CHECK(log.snapshots().size() == 2);
  }
  SUBCASE("at the log end with the HW there") {
    CHECK(log.create_snapshot(snap(6, 3), Offset(6)));
    CHECK(log.latest_snapshot()->id == oe(6, 3));
  }
  SUBCASE("above the high watermark") {
    CHECK_THROWS_AS(log.create_snapshot(snap(6, 3), Offset(4)), raft::AssertionFailure);
    CHECK_THROWS_AS(log.create_snapshot(snap(1, 1), std::nullopt), raft::AssertionFailure);
    CHECK(log.snapshots().empty());
  }
  SUBCASE("off a batch boundary (KAFKA-14619)") {
    CHECK_THROWS_AS(log.create_snapshot(snap(2, 1), Offset(4)), raft::AssertionFailure);
    CHECK_THROWS_AS(log.create_snapshot(snap(5, 3), Offset(6)), raft::AssertionFailure);
    CHECK(log.snapshots().empty());
  }
  SUBCASE("not matching the log") {
    // Epoch 4 never wrote: the log diverges from (3, 4).
    CHECK_THROWS_AS(log.create_snapshot(snap(3, 4), Offset(4)), raft::AssertionFailure);
    // Epoch 0 has no records.
    CHECK_THROWS_AS(log.create_snapshot(snap(3, 0), Offset(4)), raft::AssertionFailure);
    // Epoch 1 ends at 3, not 4.
    CHECK_THROWS_AS(log.create_snapshot(snap(4, 1), Offset(4)), raft::AssertionFailure);
    CHECK(log.snapshots().empty());
  }
}

TEST_CASE("log snapshots: create_snapshot refuses an id below the log start") {
  MemoryLogStorage storage;
  storage.truncate_fully(Offset(4));
  fill(storage, 4, {3, 3});
  storage.snapshots.write_snapshot(snap(4, 2));
  ReplicatedLog log(storage, storage.snapshots);
  CHECK_THROWS_AS(log.create_snapshot(snap(3, 2), Offset(6)), raft::AssertionFailure);
  CHECK(log.create_snapshot(snap(6, 3), Offset(6)));
  CHECK(ids(log.snapshots()) == std::vector<OffsetAndEpoch>{oe(4, 2), oe(6, 3)});
}

// ---- 8.5 install_snapshot ----------------------------------------------------------------------

TEST_CASE("log snapshots: install_snapshot empties the log at the snapshot end and forgets older snapshots") {
  MemoryLogStorage storage;
  fill(storage, 0, {1, 1, 2, 2});
  storage.snapshots.write_snapshot(snap(2, 1));
  ReplicatedLog log(storage, storage.snapshots);
  storage.snapshots.write_partial_snapshot(oe(10, 3), 50);  // the download in progress

  log.install_snapshot(snap(10, 3));
  CHECK(log.start_offset() == Offset(10));
  CHECK(log.end_offset() == Offset(10));
  CHECK(log.batches().empty());
  CHECK(log.flushed_end_offset() == Offset(10));
  CHECK(ids(log.snapshots()) == std::vector<OffsetAndEpoch>{oe(10, 3)});
  CHECK(storage.snapshots.partials().empty());  // the .part became the snapshot
  CHECK(log.epoch_cache().entries().empty());
  CHECK(log.last_fetched_epoch() == Epoch(3));
  CHECK(log.end_offset_and_epoch() == oe(10, 3));
  // The follower resumes fetching from the snapshot end, which the leader accepts as valid if
  // its log matches, and new batches append there.
  log.append_as_follower({data(10, 4), data(11, 4)});
  CHECK(log.end_offset() == Offset(12));
  CHECK(log.epoch_cache().entries() == std::vector<EpochEntry>{entry(4, 10)});

  // A restart over the same disk keeps the installed state.
  const ReplicatedLog restarted(storage, storage.snapshots);
  CHECK(restarted.start_offset() == Offset(10));
  CHECK(restarted.end_offset() == Offset(12));
  CHECK(ids(restarted.snapshots()) == std::vector<OffsetAndEpoch>{oe(10, 3)});
}

TEST_CASE("log snapshots: install_snapshot replaces a diverged log longer than the snapshot") {
  // A follower stuck in old epoch 1 beyond the leader's snapshot (5, 3).
  MemoryLogStorage storage;
  fill(storage, 0, {1, 1, 1, 1, 1, 1, 1, 1});
  ReplicatedLog log(storage, storage.snapshots);
  log.install_snapshot(snap(5, 3));
  CHECK(log.start_offset() == Offset(5));
  CHECK(log.end_offset() == Offset(5));
  CHECK(log.batches().empty());
  CHECK(log.last_fetched_epoch() == Epoch(3));
}

// ---- 8.3 maybe_clean --------------------------------------------------------------------------

namespace {

// Log [0, 8) of 8 single-record batches (epochs 1 1 1 1 2 2 2 2), each 100 bytes; snapshots
// (2, 1) at 100 s, (4, 1) at 200 s and (6, 2) at 300 s.
struct RetentionFixture {
  MemoryLogStorage storage;
  std::unique_ptr<ReplicatedLog> log;
  std::int64_t snapshot_bytes = 0;  // size of each snapshot (all three have equal size)

  RetentionFixture() {
    fill(storage, 0, {1, 1, 1, 1, 2, 2, 2, 2});
    log = std::make_unique<ReplicatedLog>(storage, storage.snapshots);
    REQUIRE(log->create_snapshot(snap(2, 1, Instant::from_ms(100'000)), Offset(8)));
    REQUIRE(log->create_snapshot(snap(4, 1, Instant::from_ms(200'000)), Offset(8)));
    REQUIRE(log->create_snapshot(snap(6, 2, Instant::from_ms(300'000)), Offset(8)));
    snapshot_bytes = log->latest_snapshot()->size_bytes;
    REQUIRE(log->snapshots()[0]->size_bytes == snapshot_bytes);
    REQUIRE(log->size_bytes() == 8 * 100);
  }
};

const Instant kCleanTime = Instant::from_ms(1'000'000);
const Duration kForever = Duration::millis(1'000'000'000);

}  // namespace

TEST_CASE("log snapshots: maybe_clean by bytes deletes the oldest snapshots while the total exceeds retention") {
  RetentionFixture f;
  const std::int64_t s = f.snapshot_bytes;
  const std::int64_t total = 800 + 3 * s;
  // After deleting (2, 1): the log starts at 4 (4 batches left) and 2 snapshots remain.
  const std::int64_t after_one = 400 + 2 * s;

  SUBCASE("within retention: nothing happens") {
    CHECK(f.log->maybe_clean(kCleanTime, total, kForever) == 0);
    CHECK(f.log->snapshots().size() == 3);
    CHECK(f.log->start_offset() == Offset(0));
    CHECK(f.log->size_bytes() == 800);
  }
  SUBCASE("one byte over: the oldest snapshot goes and the log starts at the next snapshot's end") {
    CHECK(f.log->maybe_clean(kCleanTime, total - 1, kForever) == 1);
    CHECK(ids(f.log->snapshots()) == std::vector<OffsetAndEpoch>{oe(4, 1), oe(6, 2)});
    CHECK(f.log->start_offset() == Offset(4));
    CHECK(f.log->end_offset() == Offset(8));
    CHECK(f.log->batches().front()->base_offset == Offset(4));
    CHECK(f.log->size_bytes() == 400);
    // The epoch cache is rebuilt from what is left; epoch 1 is now covered by the snapshot only.
    CHECK(f.log->epoch_cache().entries() == std::vector<EpochEntry>{entry(2, 4)});
    CHECK(f.log->end_offset_for_epoch(Epoch(1)) == oe(4, 1));
    CHECK(f.log->validate_offset_and_epoch(Offset(2), Epoch(1)) == snapshot_kind(6, 2));
  }
  SUBCASE("exactly at retention after one deletion: stops there") {
    CHECK(f.log->maybe_clean(kCleanTime, after_one, kForever) == 1);
    CHECK(f.log->start_offset() == Offset(4));
  }
  SUBCASE("one byte below that: a second snapshot goes") {
    CHECK(f.log->maybe_clean(kCleanTime, after_one - 1, kForever) == 2);
    CHECK(ids(f.log->snapshots()) == std::vector<OffsetAndEpoch>{oe(6, 2)});
    CHECK(f.log->start_offset() == Offset(6));
    CHECK(f.log->size_bytes() == 200);
  }
  SUBCASE("zero retention: the latest snapshot always remains") {
    CHECK(f.log->maybe_clean(kCleanTime, 0, kForever) == 2);
    CHECK(ids(f.log->snapshots()) == std::vector<OffsetAndEpoch>{oe(6, 2)});
    CHECK(f.log->start_offset() == Offset(6));
    CHECK(f.log->end_offset() == Offset(8));
    // Nothing more to do on the next run.
    CHECK(f.log->maybe_clean(kCleanTime, 0, kForever) == 0);
    CHECK(f.log->start_offset() == Offset(6));
  }
}

TEST_CASE("log snapshots: maybe_clean by age deletes snapshots older than retention but keeps one") {
  // At 1000 s the snapshots are 900 s, 800 s and 700 s old.
  RetentionFixture f;
  const std::int64_t no_limit = 1 << 30;
  SUBCASE("none too old") {
    CHECK(f.log->maybe_clean(kCleanTime, no_limit, Duration::seconds(900)) == 0);
    CHECK(f.log->snapshots().size() == 3);
    CHECK(f.log->start_offset() == Offset(0));
  }
  SUBCASE("the oldest is too old") {
    CHECK(f.log->maybe_clean(kCleanTime, no_limit, Duration::seconds(850)) == 1);
    CHECK(ids(f.log->snapshots()) == std::vector<OffsetAndEpoch>{oe(4, 1), oe(6, 2)});
    CHECK(f.log->start_offset() == Offset(4));
  }
  SUBCASE("two are too old") {
    CHECK(f.log->maybe_clean(kCleanTime, no_limit, Duration::seconds(750)) == 2);
    CHECK(ids(f.log->snapshots()) == std::vector<OffsetAndEpoch>{oe(6, 2)});
    CHECK(f.log->start_offset() == Offset(6));
  }
  SUBCASE("all are too old: the latest remains") {
    CHECK(f.log->maybe_clean(kCleanTime, no_limit, Duration::seconds(1)) == 2);
    CHECK(ids(f.log->snapshots()) == std::vector<OffsetAndEpoch>{oe(6, 2)});
    CHECK(f.log->start_offset() == Offset(6));
  }
}

TEST_CASE("log snapshots: maybe_clean with one snapshot does nothing") {
  MemoryLogStorage storage;
  fill(storage, 0, {1, 1, 1});
  ReplicatedLog log(storage, storage.snapshots);
  REQUIRE(log.create_snapshot(snap(2, 1), Offset(3)));
  CHECK(log.maybe_clean(kCleanTime, 0, Duration::seconds(1)) == 0);
  CHECK(log.start_offset() == Offset(0));
  CHECK(ids(log.snapshots()) == std::vector<OffsetAndEpoch>{oe(2, 1)});
}

TEST_CASE("log snapshots: after cleaning, a restart finds the log start at the earliest snapshot") {
  RetentionFixture f;
  REQUIRE(f.log->maybe_clean(kCleanTime, 0, kForever) == 2);
  f.log.reset();
  const ReplicatedLog restarted(f.storage, f.storage.snapshots);
  CHECK(restarted.start_offset() == Offset(6));
  CHECK(restarted.end_offset() == Offset(8));
  CHECK(restarted.earliest_snapshot()->id == oe(6, 2));
  CHECK(restarted.epoch_cache().entries() == std::vector<EpochEntry>{entry(2, 6)});
}
