// One node's simulated disk: the metadata log and the quorum-state file.
//
// Implements raft::LogStorage and raft::QuorumStateStore (raft/io.hh). The world owns one Disk per
// node; it outlives the node's raft objects, so that a crash destroys the node but not its disk and
// a restart rebuilds the node over what the disk still holds.
//
// Durability model (Kafka's MockLog used by KafkaRaftClient tests):
//  * append() is volatile until flush(); crash() loses every batch appended since the last flush.
//  * truncate_to() takes effect on the durable state at once (a truncated batch never comes back).
//  * write_election_state() is durable when it returns (Kafka fsyncs quorum-state and renames it).
//  * wipe() models a replaced disk: log and election state both gone.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "raft/common/ids.hh"
#include "raft/io.hh"
#include "raft/record_batch.hh"

namespace sim {

// Counters over the life of a Disk (they survive crash() and wipe()).
struct DiskStats {
  std::uint64_t batches_appended = 0;
  std::int64_t bytes_appended = 0;         // sum of RecordBatch::size_bytes appended
  std::uint64_t flushes = 0;               // flush() calls, including ones with nothing to flush
  std::uint64_t truncations = 0;           // truncate_to() calls that removed at least one batch
  std::uint64_t batches_truncated = 0;
  std::uint64_t election_state_writes = 0;
  std::uint64_t crashes = 0;
  std::uint64_t batches_lost_in_crashes = 0;  // unflushed batches dropped by crash()
  std::int64_t bytes_lost_in_crashes = 0;     // their size_bytes
  std::uint64_t wipes = 0;
  bool operator==(const DiskStats&) const = default;
};

class Disk : public raft::LogStorage, public raft::QuorumStateStore, public raft::SnapshotStore {
 public:
  Disk() = default;

  // ---- raft::LogStorage ----

  // Every batch on disk, flushed or not, contiguous from offset 0.
  [[nodiscard]] const std::vector<raft::BatchPtr>& batches() const override { return batches_; }

  // Appends a (volatile) batch. Precondition: batch is non-null and
  // batch->base_offset == end_offset() (so the first batch starts at offset 0).
  void append(raft::BatchPtr batch) override;

  // Removes every batch whose last_offset() >= end: truncating inside a batch removes that whole
  // batch (as Kafka's MockLog does), so the resulting end_offset() may be below `end`. An `end` at
  // or past end_offset() removes nothing. Durable at once: the durable prefix shrinks to what
  // remains. Precondition: end >= 0.
  void truncate_to(raft::Offset end) override;

  // Makes every appended batch durable.
  void flush() override;

  [[nodiscard]] raft::Offset log_start_offset() const override { return log_start_; }
  void advance_log_start(raft::Offset new_start) override;
  void truncate_fully(raft::Offset offset) override;

  // ---- raft::SnapshotStore ----

  [[nodiscard]] const std::vector<raft::SnapshotPtr>& snapshots() const override { return snapshots_; }
  void write_snapshot(raft::SnapshotPtr snapshot) override;
  void delete_snapshot(raft::OffsetAndEpoch id) override;
  void write_partial_snapshot(raft::OffsetAndEpoch id, std::int64_t bytes) override;
  void remove_partial_snapshots() override;
  // `.part` files present (id, bytes), e.g. a download cut short by a crash.
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
  // Durable immediately; also appended to election_state_history().
  void write_election_state(const raft::ElectionState& state) override;

  // ---- simulator side ----

  // Exclusive end offset of the log (flushed or not); Offset(0) when empty.
  [[nodiscard]] raft::Offset end_offset() const;

  // Number of leading batches that are durable. Invariant: <= batches().size().
  [[nodiscard]] std::size_t flushed_batch_count() const { return flushed_batches_; }

  // Every election state written since the disk was created (or last wiped), oldest first.
  // Invariant checkers read it (e.g. a node never votes for two candidates in one epoch).
  [[nodiscard]] const std::vector<raft::ElectionState>& election_state_history() const {
    return election_state_history_;
  }

  // Power loss: every batch beyond the durable prefix is lost. Election state is kept.
  void crash();

  // The disk is replaced by a blank one: log, election state and election-state history are gone.
  // Stats are kept (and count the wipe).
  void wipe();

  [[nodiscard]] const DiskStats& stats() const { return stats_; }

 private:
  std::vector<raft::BatchPtr> batches_;  // contiguous from log_start_
  raft::Offset log_start_{0};            // durable
  std::vector<raft::SnapshotPtr> snapshots_;  // complete and durable, ascending by id
  std::vector<std::pair<raft::OffsetAndEpoch, std::int64_t>> partial_snapshots_;  // `.part` files
  std::size_t flushed_batches_ = 0;      // batches_[0, flushed_batches_) are durable
  std::optional<raft::ElectionState> election_state_;
  std::vector<raft::ElectionState> election_state_history_;
  DiskStats stats_;
};

}  // namespace sim
