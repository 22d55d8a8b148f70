// Tests for sim/disk.hh: volatile appends, flush, crash, durable truncation, election state,
// wipe, and the faults: torn writes, crash points, slow fsyncs.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "raft/common/assert.hh"
#include "raft/record_batch.hh"
#include "sim/disk.hh"

using raft::Epoch;
using raft::NodeId;
using raft::Offset;
using sim::Disk;

namespace {

// A data batch at `base` with `count` one-byte records.
raft::BatchPtr batch(std::int64_t base, int count, std::int32_t epoch = 1) {
  std::vector<std::string> records(static_cast<std::size_t>(count), "x");
  return raft::make_data_batch(Offset(base), Epoch(epoch), raft::Instant::zero(), records);
}

// Base offsets of the batches on the disk.
std::vector<std::int64_t> bases(const Disk& d) {
  std::vector<std::int64_t> out;
  for (const auto& b : d.batches()) out.push_back(b->base_offset.value());
  return out;
}

}  // namespace

TEST_CASE("disk: empty disk") {
  Disk d;
  CHECK(d.batches().empty());
  CHECK(d.end_offset() == Offset(0));
  CHECK(d.flushed_end_offset() == Offset(0));
  CHECK_FALSE(d.read_election_state().has_value());
  CHECK(d.election_state_history().empty());
  CHECK(d.stats() == sim::DiskStats{});
}

TEST_CASE("disk: crash keeps the flushed prefix only") {
  Disk d;
  d.append(batch(0, 2));  // offsets 0-1
  d.append(batch(2, 3));  // 2-4
  d.flush();
  d.append(batch(5, 1));  // 5
  d.append(batch(6, 4));  // 6-9
  CHECK(d.end_offset() == Offset(10));
  CHECK(d.flushed_end_offset() == Offset(5));
  CHECK(d.flushed_batch_count() == 2);

  const std::int64_t lost_bytes = d.batches()[2]->size_bytes + d.batches()[3]->size_bytes;
  d.crash();
  CHECK(bases(d) == std::vector<std::int64_t>{0, 2});
  CHECK(d.end_offset() == Offset(5));
  CHECK(d.flushed_end_offset() == Offset(5));
  CHECK(d.stats().crashes == 1);
  CHECK(d.stats().batches_lost_in_crashes == 2);
  CHECK(d.stats().bytes_lost_in_crashes == lost_bytes);
  CHECK(d.stats().batches_appended == 4);
  CHECK(d.stats().flushes == 1);

  // The log continues from the durable end.
  d.append(batch(5, 1, 2));
  CHECK(d.end_offset() == Offset(6));
}

TEST_CASE("disk: crash with nothing flushed loses everything") {
  Disk d;
  d.append(batch(0, 1));
  d.append(batch(1, 1));
  const std::int64_t appended = d.stats().bytes_appended;
  CHECK(appended == 2 * d.batches()[0]->size_bytes);
  d.crash();
  CHECK(d.batches().empty());
  CHECK(d.end_offset() == Offset(0));
  CHECK(d.stats().bytes_lost_in_crashes == appended);
  d.crash();  // nothing more to lose
  CHECK(d.stats().bytes_lost_in_crashes == appended);
  CHECK(d.stats().crashes == 2);
}

TEST_CASE("disk: truncation is durable at once") {
  Disk d;
  d.append(batch(0, 2));  // 0-1
  d.append(batch(2, 2));  // 2-3
  d.append(batch(4, 2));  // 4-5
  d.flush();
  d.truncate_to(Offset(2));
  CHECK(bases(d) == std::vector<std::int64_t>{0});
  CHECK(d.flushed_end_offset() == Offset(2));

  d.append(batch(2, 1, 2));  // new, unflushed batch at the truncation point
  d.crash();
  // The truncated batches do not come back; the unflushed replacement is lost.
  CHECK(bases(d) == std::vector<std::int64_t>{0});
  CHECK(d.end_offset() == Offset(2));
  CHECK(d.stats().truncations == 1);
  CHECK(d.stats().batches_truncated == 2);
}

TEST_CASE("disk: truncating the volatile tail keeps the durable prefix") {
  Disk d;
  d.append(batch(0, 2));
  d.flush();
  d.append(batch(2, 2));
  d.append(batch(4, 2));
  d.truncate_to(Offset(4));
  CHECK(bases(d) == std::vector<std::int64_t>{0, 2});
  CHECK(d.flushed_end_offset() == Offset(2));
  d.crash();
  CHECK(bases(d) == std::vector<std::int64_t>{0});
}

TEST_CASE("disk: truncating inside a batch removes the whole batch") {
  Disk d;
  d.append(batch(0, 3));  // 0-2
  d.append(batch(3, 3));  // 3-5
  d.flush();
  d.truncate_to(Offset(5));  // inside the second batch
  CHECK(bases(d) == std::vector<std::int64_t>{0});
  CHECK(d.end_offset() == Offset(3));
  CHECK(d.flushed_end_offset() == Offset(3));

  d.truncate_to(Offset(3));  // at the end: nothing to remove
  d.truncate_to(Offset(100));
  CHECK(bases(d) == std::vector<std::int64_t>{0});
  CHECK(d.stats().truncations == 1);

  d.truncate_to(Offset(0));
  CHECK(d.batches().empty());
  CHECK(d.flushed_end_offset() == Offset(0));
  CHECK_THROWS_AS(d.truncate_to(Offset(-1)), raft::AssertionFailure);
}

TEST_CASE("disk: appends must be contiguous from offset 0") {
  Disk d;
  CHECK_THROWS_AS(d.append(batch(1, 1)), raft::AssertionFailure);
  d.append(batch(0, 2));
  CHECK_THROWS_AS(d.append(batch(3, 1)), raft::AssertionFailure);  // gap
  CHECK_THROWS_AS(d.append(batch(1, 1)), raft::AssertionFailure);  // overlap
  CHECK_THROWS_AS(d.append(nullptr), raft::AssertionFailure);
  CHECK(bases(d) == std::vector<std::int64_t>{0});
  CHECK(d.stats().batches_appended == 1);
  d.append(raft::make_leader_change_batch(Offset(2), Epoch(1), raft::Instant::zero(),
                                          raft::LeaderChangeMessage{NodeId(0), {}, {}}));
  CHECK(d.end_offset() == Offset(3));
}

TEST_CASE("disk: election state round trip, history, survives crash") {
  Disk d;
  const raft::ElectionState voted{Epoch(3), std::nullopt, NodeId(2)};
  const raft::ElectionState leader{Epoch(3), NodeId(2), NodeId(2)};
  const raft::ElectionState next{Epoch(4), std::nullopt, std::nullopt};
  d.write_election_state(voted);
  REQUIRE(d.read_election_state().has_value());
  CHECK(*d.read_election_state() == voted);
  d.write_election_state(leader);
  d.crash();
  CHECK(*d.read_election_state() == leader);
  d.write_election_state(next);
  CHECK(*d.read_election_state() == next);
  CHECK(d.election_state_history() == std::vector<raft::ElectionState>{voted, leader, next});
  CHECK(d.stats().election_state_writes == 3);
}

TEST_CASE("disk: wipe loses log and election state, keeps stats") {
  Disk d;
  d.append(batch(0, 2));
  d.flush();
  d.write_election_state(raft::ElectionState{Epoch(5), NodeId(1), std::nullopt});
  d.wipe();
  CHECK(d.batches().empty());
  CHECK(d.end_offset() == Offset(0));
  CHECK(d.flushed_end_offset() == Offset(0));
  CHECK_FALSE(d.read_election_state().has_value());
  CHECK(d.election_state_history().empty());
  CHECK(d.stats().wipes == 1);
  CHECK(d.stats().batches_appended == 1);
  d.append(batch(0, 1));  // a blank disk starts again at offset 0
  CHECK(d.end_offset() == Offset(1));
}

// ---- faults: torn writes, crash points, slow fsync, wipe (issue 3) ---------------------------

namespace {
raft::SnapshotPtr snapshot_at(std::int64_t end, std::int32_t epoch) {
  return raft::make_snapshot(raft::OffsetAndEpoch{Offset(end), Epoch(epoch)}, raft::Instant::zero(), {"7"});
}
}  // namespace

TEST_CASE("disk: a torn crash leaves the first unflushed batch torn and loses the rest") {
  Disk d;
  d.append(batch(0, 2));  // 0-1
  d.flush();
  d.append(batch(2, 4));  // 2-5: torn
  d.append(batch(6, 3));  // 6-8: lost
  const raft::RecordBatch original = *d.batches()[1];
  const std::int64_t lost_bytes = d.batches()[1]->size_bytes + d.batches()[2]->size_bytes;

  const sim::CrashLoss loss = d.crash(true);
  CHECK(loss.batches == 2);
  CHECK(loss.records == 7);
  CHECK(loss.bytes == lost_bytes);
  CHECK(loss.first_offset == Offset(2));
  CHECK(loss.end_offset == Offset(9));
  REQUIRE(loss.torn_at.has_value());
  CHECK(*loss.torn_at == Offset(2));
  CHECK_FALSE(loss.fsync_interrupted);

  // The torn batch is on disk, durable, at the original offset, with half its records and
  // bytes and the original checksum, which no longer matches.
  CHECK(bases(d) == std::vector<std::int64_t>{0, 2});
  CHECK(d.flushed_batch_count() == 2);
  const raft::RecordBatch& torn = *d.batches()[1];
  CHECK(torn.base_offset == Offset(2));
  CHECK(torn.epoch == original.epoch);
  CHECK(torn.records.size() == 2);
  CHECK(torn.size_bytes == original.size_bytes / 2);
  CHECK(torn.checksum == original.checksum);
  CHECK(torn.compute_checksum() != torn.checksum);
  CHECK(d.batches()[0]->compute_checksum() == d.batches()[0]->checksum);
  CHECK(d.stats().torn_writes == 1);
  CHECK(d.stats().batches_lost_in_crashes == 2);
  CHECK(d.stats().records_lost_in_crashes == 7);

  // Recovery truncates at the torn batch; the log then continues from there.
  d.truncate_to(torn.base_offset);
  CHECK(bases(d) == std::vector<std::int64_t>{0});
  d.append(batch(2, 1, 2));
  CHECK(d.end_offset() == Offset(3));
}

TEST_CASE("disk: a torn one-record batch keeps no record and recovery can still truncate it") {
  Disk d;
  d.append(batch(0, 1));
  d.flush();
  d.append(batch(1, 1));
  const sim::CrashLoss loss = d.crash(true);
  REQUIRE(d.batches().size() == 2);
  const raft::RecordBatch& torn = *d.batches()[1];
  CHECK(torn.records.empty());
  CHECK(torn.compute_checksum() != torn.checksum);
  CHECK(loss.records == 1);
  CHECK(*loss.torn_at == Offset(1));
  d.truncate_to(Offset(1));  // removes it although it holds no offset
  CHECK(bases(d) == std::vector<std::int64_t>{0});
  CHECK(d.flushed_end_offset() == Offset(1));
}

TEST_CASE("disk: a torn control batch loses its LeaderChange message") {
  Disk d;
  d.append(raft::make_leader_change_batch(Offset(0), Epoch(4), raft::Instant::zero(),
                                          raft::LeaderChangeMessage{NodeId(1), {NodeId(0), NodeId(1)}, {NodeId(1)}}));
  d.crash(true);
  REQUIRE(d.batches().size() == 1);
  const raft::RecordBatch& torn = *d.batches()[0];
  CHECK(torn.is_control);
  CHECK_FALSE(torn.leader_change.has_value());
  CHECK(torn.compute_checksum() != torn.checksum);
  CHECK(d.flushed_end_offset() == Offset(1));
}

TEST_CASE("disk: a torn crash with nothing unflushed is a plain crash") {
  Disk d;
  d.append(batch(0, 2));
  d.flush();
  const sim::CrashLoss loss = d.crash(true);
  CHECK(loss == sim::CrashLoss{});
  CHECK(bases(d) == std::vector<std::int64_t>{0});
  CHECK(d.batches()[0]->compute_checksum() == d.batches()[0]->checksum);
  CHECK(d.stats().torn_writes == 0);
  CHECK(d.stats().crashes == 1);
}

TEST_CASE("disk: crash points in the snapshot write leave a .part file and throw") {
  Disk d;
  const raft::SnapshotPtr s = snapshot_at(1234, 3);
  SUBCASE("before fsync: the .part file has no content") {
    d.arm_crash(sim::CrashPoint::SnapshotBeforeFsync);
    CHECK(d.armed_crash_point() == sim::CrashPoint::SnapshotBeforeFsync);
    d.write_election_state(raft::ElectionState{Epoch(3), std::nullopt, std::nullopt});  // not armed for this
    try {
      d.write_snapshot(s);
      FAIL("no CrashPointReached");
    } catch (const sim::CrashPointReached& e) {
      CHECK(e.point() == sim::CrashPoint::SnapshotBeforeFsync);
      CHECK(std::string(e.what()) == "snapshot (1234, 3): before fsync");
    }
    CHECK(d.snapshots().empty());
    REQUIRE(d.partial_snapshots().size() == 1);
    CHECK(d.partial_snapshots()[0].first == raft::OffsetAndEpoch{Offset(1234), Epoch(3)});
    CHECK(d.partial_snapshots()[0].second == 0);
  }
  SUBCASE("before rename: the .part file is complete") {
    d.arm_crash(sim::CrashPoint::SnapshotBeforeRename);
    CHECK_THROWS_WITH_AS(d.write_snapshot(s), "snapshot (1234, 3): before rename", sim::CrashPointReached);
    CHECK(d.snapshots().empty());
    REQUIRE(d.partial_snapshots().size() == 1);
    CHECK(d.partial_snapshots()[0].second == s->size_bytes);
  }
  // The disk disarmed after firing; a crash keeps the .part file, startup clean-up removes it.
  CHECK(d.armed_crash_point() == sim::CrashPoint::None);
  CHECK(d.stats().crash_points_reached == 1);
  CHECK(d.stats().snapshot_writes == 0);
  d.crash();
  CHECK(d.partial_snapshots().size() == 1);
  d.remove_partial_snapshots();
  CHECK(d.partial_snapshots().empty());
  // The next write succeeds.
  d.write_snapshot(s);
  REQUIRE(d.snapshots().size() == 1);
  CHECK(d.snapshots()[0]->id == raft::OffsetAndEpoch{Offset(1234), Epoch(3)});
  CHECK(d.stats().snapshot_writes == 1);
}

TEST_CASE("disk: crash points in the quorum-state write keep the old state and leave a temp file") {
  const raft::ElectionState old_state{Epoch(2), NodeId(1), std::nullopt};
  const raft::ElectionState new_state{Epoch(3), std::nullopt, NodeId(0)};
  for (sim::CrashPoint p : {sim::CrashPoint::QuorumStateBeforeFsync, sim::CrashPoint::QuorumStateBeforeRename}) {
    CAPTURE(sim::to_string(p));
    Disk d;
    d.write_election_state(old_state);
    d.arm_crash(p);
    d.write_snapshot(snapshot_at(10, 1));  // not armed for snapshots
    CHECK(d.snapshots().size() == 1);
    CHECK_FALSE(d.quorum_state_temp_left());
    CHECK_THROWS_AS(d.write_election_state(new_state), sim::CrashPointReached);
    CHECK(*d.read_election_state() == old_state);
    CHECK(d.election_state_history() == std::vector<raft::ElectionState>{old_state});
    CHECK(d.quorum_state_temp_left());
    CHECK(d.armed_crash_point() == sim::CrashPoint::None);
    CHECK(d.stats().election_state_writes == 1);
    d.crash();
    CHECK(*d.read_election_state() == old_state);
    CHECK(d.quorum_state_temp_left());
    // The next successful write replaces the temp file.
    d.write_election_state(new_state);
    CHECK(*d.read_election_state() == new_state);
    CHECK_FALSE(d.quorum_state_temp_left());
  }
  const sim::CrashPointReached e(sim::CrashPoint::QuorumStateBeforeRename, "the quorum-state file");
  CHECK(e.step() == "before rename");
  CHECK(std::string(e.what()) == "the quorum-state file: before rename");
}

TEST_CASE("disk: disarming a crash point") {
  Disk d;
  d.arm_crash(sim::CrashPoint::QuorumStateBeforeFsync);
  d.arm_crash(sim::CrashPoint::None);
  d.write_election_state(raft::ElectionState{Epoch(1), std::nullopt, std::nullopt});
  CHECK(d.read_election_state()->epoch == Epoch(1));
  CHECK(d.stats().crash_points_reached == 0);
}

TEST_CASE("disk: a slow fsync makes data durable only when it completes") {
  Disk d;
  d.set_flush_latency(raft::Duration::millis(20));
  CHECK(d.flush_latency() == raft::Duration::millis(20));
  d.append(batch(0, 2));
  d.append(batch(2, 2));
  d.flush();
  CHECK(d.flush_in_progress());
  CHECK(d.flushed_end_offset() == Offset(0));
  CHECK(d.stats().slow_fsyncs == 1);

  SUBCASE("completion") {
    // A second flush in the same call widens the fsync in flight.
    d.append(batch(4, 1));
    d.flush();
    CHECK(d.stats().slow_fsyncs == 1);
    d.append(batch(5, 1));  // after the last flush: not covered
    d.complete_flush();
    CHECK_FALSE(d.flush_in_progress());
    CHECK(d.flushed_end_offset() == Offset(5));
    CHECK(d.flushed_batch_count() == 3);
    CHECK_THROWS_AS(d.complete_flush(), raft::AssertionFailure);
  }
  SUBCASE("a crash during the fsync loses what it covered") {
    const sim::CrashLoss loss = d.crash();
    CHECK(loss.fsync_interrupted);
    CHECK(loss.batches == 2);
    CHECK(loss.first_offset == Offset(0));
    CHECK(loss.end_offset == Offset(4));
    CHECK(d.batches().empty());
    CHECK_FALSE(d.flush_in_progress());
    CHECK(d.stats().fsyncs_interrupted == 1);
  }
  SUBCASE("a torn crash during the fsync tears its first batch") {
    const sim::CrashLoss loss = d.crash(true);
    CHECK(loss.fsync_interrupted);
    CHECK(*loss.torn_at == Offset(0));
    REQUIRE(d.batches().size() == 1);
    CHECK(d.batches()[0]->compute_checksum() != d.batches()[0]->checksum);
  }
  SUBCASE("a truncation during the fsync shrinks what it covers") {
    d.truncate_to(Offset(2));
    d.append(batch(2, 3, 2));  // not covered by the fsync in flight
    d.complete_flush();
    CHECK(d.flushed_end_offset() == Offset(2));
    CHECK(d.end_offset() == Offset(5));
  }
}

TEST_CASE("disk: a slow flush with nothing new to flush does not start an fsync") {
  Disk d;
  d.set_flush_latency(raft::Duration::millis(5));
  d.flush();
  CHECK_FALSE(d.flush_in_progress());
  d.append(batch(0, 1));
  d.flush();
  d.complete_flush();
  d.flush();
  CHECK_FALSE(d.flush_in_progress());
  CHECK(d.stats().slow_fsyncs == 1);
  CHECK(d.stats().flushes == 3);
  // Back to a fast disk: flushes are durable at once.
  d.set_flush_latency(raft::Duration::zero());
  d.append(batch(1, 1));
  d.flush();
  CHECK_FALSE(d.flush_in_progress());
  CHECK(d.flushed_end_offset() == Offset(2));
  CHECK_THROWS_AS(d.set_flush_latency(raft::Duration::micros(-1)), raft::AssertionFailure);
}

TEST_CASE("disk: wipe also loses snapshots, the log start, temp files and an fsync in flight") {
  Disk d;
  d.append(batch(0, 2));
  d.append(batch(2, 2));
  d.flush();
  d.write_snapshot(snapshot_at(2, 1));
  d.advance_log_start(Offset(2));
  d.write_partial_snapshot(raft::OffsetAndEpoch{Offset(4), Epoch(1)}, 100);
  d.arm_crash(sim::CrashPoint::QuorumStateBeforeRename);
  CHECK_THROWS_AS(d.write_election_state(raft::ElectionState{Epoch(2), std::nullopt, std::nullopt}),
                  sim::CrashPointReached);
  d.set_flush_latency(raft::Duration::millis(3));
  d.append(batch(4, 1));
  d.flush();
  d.arm_crash(sim::CrashPoint::SnapshotBeforeFsync);
  REQUIRE(d.flush_in_progress());
  REQUIRE(d.log_start_offset() == Offset(2));

  d.wipe();
  CHECK(d.batches().empty());
  CHECK(d.log_start_offset() == Offset(0));
  CHECK(d.end_offset() == Offset(0));
  CHECK(d.snapshots().empty());
  CHECK(d.partial_snapshots().empty());
  CHECK_FALSE(d.quorum_state_temp_left());
  CHECK_FALSE(d.flush_in_progress());
  CHECK(d.armed_crash_point() == sim::CrashPoint::None);
  CHECK_FALSE(d.read_election_state().has_value());
  CHECK(d.flush_latency() == raft::Duration::millis(3));  // the same kind of device
  CHECK(d.stats().wipes == 1);
}
