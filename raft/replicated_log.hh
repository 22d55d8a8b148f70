// One node's view of its __cluster_metadata log: the batches (held by a raft::LogStorage) plus the
// leader-epoch cache, and the log-level rules of KRaft replication (kraft-protocol.md section 7).
//
// Kafka: org.apache.kafka.raft.ReplicatedLog (the interface and its default methods
// validateOffsetAndEpoch / truncateToEndOffset), its implementation KafkaMetadataLog (now
// KafkaRaftLog) over UnifiedLog, and org.apache.kafka.raft.ValidOffsetAndEpoch (KIP-595; the
// snapshot cases of KIP-630).
//
// The batches live only in the LogStorage (no second copy here); every read goes through
// storage.batches(). The epoch cache is rebuilt from those batches on construction, so a node
// restarted over the same storage sees exactly what survived the crash.
//
// Snapshots (KIP-630) live in a SnapshotStore next to the log; the log start offset moves when
// retention deletes a prefix covered by a snapshot or a downloaded snapshot replaces the log.
// Simplification: the high watermark is kept by the caller (Kafka keeps it in the log).
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <vector>

#include "raft/common/ids.hh"
#include "raft/io.hh"
#include "raft/leader_epoch_cache.hh"
#include "raft/record_batch.hh"

namespace raft {

// Result of validating a follower's (fetch offset, last fetched epoch) against the leader's log
// (Kafka: ValidOffsetAndEpoch).
struct ValidOffsetAndEpoch {
  enum class Kind {
    Valid,      // the follower's log matches up to the fetch offset: send records from there
    Diverging,  // the follower must truncate: offset_and_epoch is the DivergingEpoch to send
    Snapshot,   // the follower must fetch a snapshot first
  };
  Kind kind = Kind::Valid;
  // Valid: (fetch offset, last fetched epoch), or (0, 0) for a fetch from the very start.
  // Diverging: the largest (end offset, epoch) of the leader's log that the follower can keep.
  // Snapshot: the id of the snapshot to fetch.
  OffsetAndEpoch offset_and_epoch;
  bool operator==(const ValidOffsetAndEpoch&) const = default;
};

std::ostream& operator<<(std::ostream& os, ValidOffsetAndEpoch::Kind kind);
std::ostream& operator<<(std::ostream& os, const ValidOffsetAndEpoch& v);

class ReplicatedLog {
 public:
  // Wraps `storage`, which must outlive this object, and rebuilds the epoch cache from its
  // batches: an entry at each batch whose epoch is larger than the previous batch's. Asserts the
  // stored batches are contiguous from the log start and have non-decreasing epochs.
  // Also recovers the log as Kafka does at startup (kraft-protocol.md 8.4): truncates it at the
  // first torn batch (checksum mismatch: a write cut short by a crash), removes `.part` snapshot
  // files and snapshots below the log start, fully truncates a log that is behind its latest
  // snapshot, and refuses (asserts) a log start > 0 without a snapshot there (KAFKA-14240).
  ReplicatedLog(LogStorage& storage, SnapshotStore& snapshots);
  ReplicatedLog(const ReplicatedLog&) = delete;
  ReplicatedLog& operator=(const ReplicatedLog&) = delete;

  // ---- Offsets and epochs -----------------------------------------------------------------

  // Offset of the first record in the log: 0 until retention removed a prefix covered by a
  // snapshot, or a downloaded snapshot replaced the whole log.
  [[nodiscard]] Offset start_offset() const { return storage_.log_start_offset(); }
  // Log end offset (LEO): one past the last record; start_offset() if the log is empty.
  [[nodiscard]] Offset end_offset() const;
  // The latest epoch of the log; for an empty log, the epoch of the snapshot at its start, or
  // Epoch(0) (the primordial epoch, which never has records) without one. This is the epoch of the last batch, except between initialize_leader_epoch
  // and the append of the new leader's first batch, when it is already the new epoch: Kafka's
  // lastFetchedEpoch is the epoch cache's latest epoch (UnifiedLog.latestEpoch), not the last
  // batch's.
  [[nodiscard]] Epoch last_fetched_epoch() const;
  // (end_offset(), last_fetched_epoch()): what a node advertises in Vote and Fetch requests.
  [[nodiscard]] OffsetAndEpoch end_offset_and_epoch() const;
  // End offset of the durable prefix of the log (Kafka: lastFlushedOffset).
  [[nodiscard]] Offset flushed_end_offset() const;

  // ---- Writes -----------------------------------------------------------------------------

  // Starts `epoch` at the current LEO in the epoch cache. A new leader calls this before it
  // appends its LeaderChange batch (Kafka: initializeLeaderEpoch). Asserts `epoch` is not below
  // the latest cached epoch; a no-op if it equals it.
  void initialize_leader_epoch(Epoch epoch);

  // Appends a batch written by this node as leader. Asserts base_offset == LEO and that the
  // batch epoch is not below the latest cached epoch (assigning it if it is new).
  void append_as_leader(BatchPtr batch);

  // Appends batches received from the leader, in order, without reassigning offsets. Asserts
  // (before appending anything) that they are contiguous starting at the LEO and that their
  // epochs never decrease, starting from the latest cached epoch.
  void append_as_follower(const std::vector<BatchPtr>& batches);

  // Makes every appended batch durable (fsync).
  void flush();

  // Removes every record at or above `end` and the epoch-cache entries starting there (Kafka:
  // truncateTo). A no-op if end >= LEO. Asserts end >= 0 and that `end` is a batch boundary:
  // raft only truncates whole batches. The caller is responsible for never truncating below
  // the high watermark (see truncate_to_end_offset).
  void truncate_to(Offset end);

  // ---- Replication rules (kraft-protocol.md section 7) ------------------------------------

  // End offset of the largest epoch e' <= `epoch` in this log, and e'. See
  // LeaderEpochCache::end_offset_for_epoch for the edge cases (an epoch above the latest ends at
  // the LEO; one below the first cached epoch gets (first start offset, epoch)); an empty log
  // answers (LEO, last_fetched_epoch()).
  [[nodiscard]] OffsetAndEpoch end_offset_for_epoch(Epoch epoch) const;

  // Leader side: checks a follower's Fetch position (section 7.2). `last_fetched_epoch` is the
  // epoch of the follower's record at fetch_offset - 1.
  //  1. log start 0 and fetch_offset 0 -> Valid (0, 0);
  //  2. a snapshot exists at the log start (S, sE) and fetch_offset < S, or fetch_offset == S
  //     with last_fetched_epoch != sE, or last_fetched_epoch < sE -> Snapshot (latest id);
  //  3. (end, e') = end_offset_for_epoch(last_fetched_epoch); e' != last_fetched_epoch or
  //     end < fetch_offset -> Diverging (end, e'); else Valid (fetch_offset, last_fetched_epoch).
  [[nodiscard]] ValidOffsetAndEpoch validate_offset_and_epoch(Offset fetch_offset,
                                                              Epoch last_fetched_epoch) const;

  // Follower side: truncates the log after a Fetch response carrying DivergingEpoch `diverging`
  // (section 7.3) and returns the new LEO:
  //  * diverging.epoch == 0: truncate to min(diverging.offset, LEO);
  //  * else (local_end, local_epoch) = end_offset_for_epoch(diverging.epoch): truncate to
  //    min(local_end, diverging.offset) if local_epoch == diverging.epoch, else to local_end.
  // Several round trips may be needed before the follower's log is a prefix of the leader's.
  // If `high_watermark` is given, asserts the truncation point is not below it (Kafka throws:
  // truncating committed records would lose them).
  Offset truncate_to_end_offset(OffsetAndEpoch diverging,
                                std::optional<Offset> high_watermark = std::nullopt);

  // ---- Snapshots (KIP-630, kraft-protocol.md 8) ------------------------------------------

  [[nodiscard]] const std::vector<SnapshotPtr>& snapshots() const { return snapshots_.snapshots(); }
  [[nodiscard]] SnapshotPtr latest_snapshot() const;
  [[nodiscard]] SnapshotPtr earliest_snapshot() const;
  [[nodiscard]] SnapshotPtr snapshot(OffsetAndEpoch id) const;

  // Section 8.1: stores `snapshot` if its id is at or after the log start, at or below
  // `high_watermark` (only committed state), on a batch boundary, VALID against this log, and not
  // already present. Returns whether it was stored.
  bool create_snapshot(SnapshotPtr snapshot, std::optional<Offset> high_watermark);

  // Installs a snapshot downloaded with FetchSnapshot (Kafka truncateToLatestSnapshot): stores
  // it, empties the log at its end offset and forgets older snapshots.
  void install_snapshot(SnapshotPtr snapshot);

  // Retention (section 8.3), run every 60 s: while at least two snapshots exist and the log plus
  // the snapshots exceed `retention_bytes`, or the oldest snapshot is older than `retention`,
  // deletes the oldest snapshot and moves the log start to the next snapshot's end. Returns the
  // number of snapshots deleted.
  int maybe_clean(Instant now, std::int64_t retention_bytes, Duration retention);

  // Bytes of the batches in the log (for retention and reports).
  [[nodiscard]] std::int64_t size_bytes() const;

  // Offset at which recovery found a torn batch and truncated the log (nullopt if none).
  [[nodiscard]] std::optional<Offset> torn_batch_truncated_at() const { return torn_at_; }

  // ---- Reads ------------------------------------------------------------------------------

  // The batches starting at `from`, for a Fetch response: the first one whole even if it is
  // larger than max_bytes (Kafka reads with minOneMessage), then more while the total size stays
  // <= max_bytes. Empty at the LEO. Asserts `from` is a batch boundary or the LEO, and
  // max_bytes >= 0.
  [[nodiscard]] std::vector<BatchPtr> read(Offset from, std::int64_t max_bytes) const;

  // The batch holding the record at `offset`; nullptr if no batch does (for checkers).
  [[nodiscard]] BatchPtr batch_containing(Offset offset) const;

  // Every batch in the log, in offset order (the storage's view; for checkers and tests).
  [[nodiscard]] const std::vector<BatchPtr>& batches() const { return storage_.batches(); }

  // The leader-epoch cache (for checkers and tests).
  [[nodiscard]] const LeaderEpochCache& epoch_cache() const { return cache_; }

 private:
  // Index of the batch with the largest base_offset <= offset; nullopt if offset precedes
  // every batch (or the log is empty). Binary search.
  [[nodiscard]] std::optional<std::size_t> batch_index_at_or_before(Offset offset) const;
  // Whether `offset` is the base offset of a batch or the LEO.
  [[nodiscard]] bool is_batch_boundary(Offset offset) const;

  void recover();
  void rebuild_epoch_cache();
  void rebuild_epoch_cache_after_clean();
  // The earliest snapshot if it ends exactly at the log start.
  [[nodiscard]] SnapshotPtr snapshot_at_start() const;

  LogStorage& storage_;
  SnapshotStore& snapshots_;
  LeaderEpochCache cache_;
  std::optional<Offset> torn_at_;
};

}  // namespace raft
