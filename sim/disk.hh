// One node's simulated disk: the metadata log segments, the snapshot files and the quorum-state
// file, with the faults a real disk can show (kraft-protocol.md sections 2, 8.4 and 17, #1
// KAFKA-10527 and #11 KAFKA-15312 / KAFKA-14273).
//
// Implements raft::LogStorage, raft::QuorumStateStore and raft::SnapshotStore (raft/io.hh). The
// world owns one Disk per node; it outlives the node's raft objects, so that a crash destroys the
// node but not its disk and a restart rebuilds the node over what the disk still holds.
//
// Durability model (Kafka's MockLog used by KafkaRaftClient tests, plus the file protocol):
//  * append() is volatile until flushed; crash() loses every batch beyond the durable prefix.
//  * flush() with a zero flush latency makes every appended batch durable at once. With a latency
//    L > 0 it starts an fsync instead: the batches it covers become durable only when
//    complete_flush() is called (the Simulation does so L after the start); a crash before that
//    loses them. While the fsync is in flight flush_in_progress() is true and the node's process
//    is blocked (see node_host.hh).
//  * A crash may leave a torn write: the first non-durable batch half written, with a checksum
//    that no longer matches its content (RecordBatch::compute_checksum() != checksum). It stays
//    in batches() as durable garbage; raft's log recovery must detect it and truncate it.
//  * truncate_to(), advance_log_start() and truncate_fully() take effect on the durable state at
//    once (a truncated batch never comes back).
//  * write_election_state() and write_snapshot() follow Kafka's write-temp / fsync / atomic-rename
//    sequence and are durable when they return. An armed crash point (arm_crash) stops one of
//    them between two steps and throws CrashPointReached: the old quorum state survives (the temp
//    file is garbage), or a `.part` snapshot file is left that startup removes.
//  * wipe() models a replaced disk: log, snapshots and election state all gone.
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "raft/common/ids.hh"
#include "raft/common/time.hh"
#include "raft/io.hh"
#include "raft/record_batch.hh"
#include "raft/snapshot.hh"
#include "sim/scenario/scenario.hh"

namespace sim {

// Thrown by a Disk write that reached its armed crash point: the process dies in the middle of
// the write. Deliberately not a raft::AssertionFailure (it is a fault, not a protocol bug); the
// Simulation catches it around every call into a node and crashes that node.
class CrashPointReached : public std::exception {
 public:
  // file: what was being written, e.g. "snapshot (1234, 3)" or "the quorum-state file".
  CrashPointReached(CrashPoint point, std::string file);
  [[nodiscard]] CrashPoint point() const { return point_; }
  [[nodiscard]] const std::string& file() const { return file_; }
  // The step at which the write stopped: "before fsync" or "before rename".
  [[nodiscard]] std::string_view step() const;
  // "<file>: <step>", e.g. "snapshot (1234, 3): before fsync".
  [[nodiscard]] const char* what() const noexcept override { return what_.c_str(); }

 private:
  CrashPoint point_;
  std::string file_;
  std::string what_;
};

// Counters over the life of a Disk (they survive crash() and wipe()).
struct DiskStats {
  std::uint64_t batches_appended = 0;
  std::int64_t bytes_appended = 0;         // sum of RecordBatch::size_bytes appended
  std::uint64_t flushes = 0;               // flush() calls, including ones with nothing to flush
  std::uint64_t slow_fsyncs = 0;           // fsyncs started with a flush latency > 0
  std::uint64_t truncations = 0;           // truncate_to() calls that removed at least one batch
  std::uint64_t batches_truncated = 0;
  std::uint64_t election_state_writes = 0;  // completed writes (not those a crash point stopped)
  std::uint64_t snapshot_writes = 0;        // completed write_snapshot() calls
  std::uint64_t crashes = 0;
  std::uint64_t batches_lost_in_crashes = 0;  // non-durable batches dropped (or torn) by crash()
  std::int64_t records_lost_in_crashes = 0;   // their record counts
  std::int64_t bytes_lost_in_crashes = 0;     // their size_bytes
  std::uint64_t torn_writes = 0;              // crashes that left a torn batch
  std::uint64_t fsyncs_interrupted = 0;       // crashes during an in-flight fsync
  std::uint64_t crash_points_reached = 0;     // writes stopped by an armed crash point
  std::uint64_t wipes = 0;
  bool operator==(const DiskStats&) const = default;
};

// What one crash() lost.
struct CrashLoss {
  std::uint64_t batches = 0;  // non-durable batches lost, the torn one included
  std::int64_t records = 0;   // their record counts
  std::int64_t bytes = 0;     // their size_bytes
  raft::Offset first_offset;  // base offset of the first lost batch (when batches > 0)
  raft::Offset end_offset;    // exclusive end offset of the last lost batch (when batches > 0)
  // Base offset of the torn batch left on disk, if the crash tore a write.
  std::optional<raft::Offset> torn_at;
  bool fsync_interrupted = false;  // an fsync was in flight
  bool operator==(const CrashLoss&) const = default;
};

class Disk : public raft::LogStorage, public raft::QuorumStateStore, public raft::SnapshotStore {
 public:
  Disk() = default;

  // ---- raft::LogStorage ----

  // Every batch on disk, flushed or not, contiguous from log_start_offset(). After a torn crash
  // the last one may be torn (checksum mismatch).
  [[nodiscard]] const std::vector<raft::BatchPtr>& batches() const override { return batches_; }

  // Appends a (volatile) batch. Precondition: batch is non-null and
  // batch->base_offset == end_offset() (so the first batch starts at the log start).
  void append(raft::BatchPtr batch) override;

  // Removes every batch whose last_offset() >= end, or that starts at or after `end` (a torn
  // batch may hold no record): truncating inside a batch removes that whole batch (as Kafka's
  // MockLog does), so the resulting end_offset() may be below `end`. An `end` at or past
  // end_offset() removes nothing. Durable at once: the durable prefix shrinks to what remains.
  // Precondition: end >= 0.
  void truncate_to(raft::Offset end) override;

  // Makes every appended batch durable: at once with a zero flush latency, else by starting an
  // fsync that complete_flush() finishes. No-op when nothing new was appended and no fsync is in
  // flight. A flush while an fsync is in flight (raft flushing twice in one call) widens that
  // fsync to cover the new batches; it still completes at its first completion time
  // (simplification: one fsync per blocked period).
  void flush() override;

  [[nodiscard]] raft::Offset log_start_offset() const override { return log_start_; }
  void advance_log_start(raft::Offset new_start) override;
  void truncate_fully(raft::Offset offset) override;

  // ---- raft::SnapshotStore ----

  [[nodiscard]] const std::vector<raft::SnapshotPtr>& snapshots() const override { return snapshots_; }
  // Write `.part`, fsync, rename. With a snapshot crash point armed, stops at that step: leaves
  // a `.part` file (0 bytes before the fsync: its content never reached the disk; the full size
  // before the rename), disarms and throws CrashPointReached.
  void write_snapshot(raft::SnapshotPtr snapshot) override;
  void delete_snapshot(raft::OffsetAndEpoch id) override;
  void write_partial_snapshot(raft::OffsetAndEpoch id, std::int64_t bytes) override;
  // Startup clean-up: removes every `.part` file (and the `.deleted` ones, which this model
  // deletes at once).
  void remove_partial_snapshots() override;
  // `.part` files present (id, bytes), e.g. a download cut short by a crash, or a snapshot write
  // stopped by a crash point.
  [[nodiscard]] const std::vector<std::pair<raft::OffsetAndEpoch, std::int64_t>>& partial_snapshots() const {
    return partial_snapshots_;
  }

  // End offset of the durable prefix: what end_offset() would be after a crash now.
  [[nodiscard]] raft::Offset flushed_end_offset() const override;

  // ---- raft::QuorumStateStore ----

  // The last written election state; nullopt until the first write (and after wipe()).
  [[nodiscard]] std::optional<raft::ElectionState> read_election_state() const override {
    return election_state_;
  }
  // Write temp file, fsync, rename: durable when it returns; also appended to
  // election_state_history() and removes a temp file an earlier crash left. With a quorum-state
  // crash point armed, stops at that step: the old state stays, a temp file is left
  // (quorum_state_temp_left()), the disk disarms and CrashPointReached is thrown.
  void write_election_state(const raft::ElectionState& state) override;

  // ---- faults ----

  // Power loss: every batch beyond the durable prefix is lost, and an in-flight fsync with them.
  // With torn_write and a non-empty non-durable tail, the first non-durable batch stays on disk
  // as a torn copy (half its records and bytes, leader_change cleared for a control batch, the
  // original checksum) and counts as durable; everything after it is lost. Election state,
  // snapshots and `.part` files are kept; an armed crash point stays armed.
  CrashLoss crash(bool torn_write = false);

  // Arms a crash point: the next write of that kind (snapshot or quorum state) stops at the step
  // and throws CrashPointReached; the disk then disarms. CrashPoint::None disarms.
  void arm_crash(CrashPoint point) { armed_ = point; }
  [[nodiscard]] CrashPoint armed_crash_point() const { return armed_; }

  // fsync latency: zero (the default) makes flush() durable at once.
  // Precondition: latency >= 0. An fsync already in flight is not affected.
  void set_flush_latency(raft::Duration latency);
  [[nodiscard]] raft::Duration flush_latency() const { return flush_latency_; }
  // An fsync started by flush() has not completed yet.
  [[nodiscard]] bool flush_in_progress() const { return fsync_target_.has_value(); }
  // Finishes the in-flight fsync: the batches it covers (those still present) become durable.
  // Precondition: flush_in_progress().
  void complete_flush();

  // The disk is replaced by a blank one: log, log start, snapshots, `.part` files, temp files,
  // election state and election-state history are gone; an in-flight fsync and an armed crash
  // point are dropped. The flush latency (a property of the node's storage) and the stats are
  // kept (and count the wipe).
  void wipe();

  // ---- simulator side ----

  // Exclusive end offset of the log (flushed or not); the log start when empty.
  [[nodiscard]] raft::Offset end_offset() const;

  // Number of leading batches that are durable. Invariant: <= batches().size().
  [[nodiscard]] std::size_t flushed_batch_count() const { return flushed_batches_; }

  // A quorum-state temp file left by a crash point and not yet replaced by a successful write.
  [[nodiscard]] bool quorum_state_temp_left() const { return quorum_state_temp_left_; }

  // Every election state written since the disk was created (or last wiped), oldest first.
  // Invariant checkers read it (e.g. a node never votes for two candidates in one epoch).
  [[nodiscard]] const std::vector<raft::ElectionState>& election_state_history() const {
    return election_state_history_;
  }

  [[nodiscard]] const DiskStats& stats() const { return stats_; }

 private:
  // Fires the armed crash point if it is one of `a` / `b`; returns the one that matched.
  [[nodiscard]] std::optional<CrashPoint> take_armed(CrashPoint a, CrashPoint b);

  std::vector<raft::BatchPtr> batches_;  // contiguous from log_start_
  raft::Offset log_start_{0};            // durable
  std::vector<raft::SnapshotPtr> snapshots_;  // complete and durable, ascending by id
  std::vector<std::pair<raft::OffsetAndEpoch, std::int64_t>> partial_snapshots_;  // `.part` files
  std::size_t flushed_batches_ = 0;      // batches_[0, flushed_batches_) are durable
  // batches_[0, *fsync_target_) become durable when the in-flight fsync completes; nullopt when
  // no fsync is in flight. Invariant: flushed_batches_ <= *fsync_target_ <= batches_.size().
  std::optional<std::size_t> fsync_target_;
  raft::Duration flush_latency_ = raft::Duration::zero();
  CrashPoint armed_ = CrashPoint::None;
  bool quorum_state_temp_left_ = false;
  std::optional<raft::ElectionState> election_state_;
  std::vector<raft::ElectionState> election_state_history_;
  DiskStats stats_;
};

}  // namespace sim
