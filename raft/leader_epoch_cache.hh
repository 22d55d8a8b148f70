// The leader-epoch cache of the metadata log: for every epoch that has (or is about to have)
// records in the log, the offset of its first record.
//
// Kafka: org.apache.kafka.storage.internals.epoch.LeaderEpochFileCache, as KRaft uses it for
// divergence detection (KIP-595; originally KIP-101/KIP-279) (the in-memory part; the
// leader-epoch-checkpoint file is not modelled: ReplicatedLog rebuilds the cache from the log's
// batches on construction, which yields what Kafka's recovery leaves after truncating the
// checkpoint to the recovered log end offset).
//
// Invariant: entries are strictly increasing in both epoch and start offset. An entry's epoch
// owns the offsets [start_offset, next entry's start_offset), the latest one [start_offset, LEO).
// Only the latest entry may own no records (start_offset == LEO): a new leader assigns its epoch
// at the LEO before it appends its LeaderChange batch.
#pragma once

#include <optional>
#include <ostream>
#include <vector>

#include "raft/common/ids.hh"

namespace raft {

// One cache entry (Kafka's EpochEntry).
struct EpochEntry {
  Epoch epoch;
  Offset start_offset;  // offset of the first record written in `epoch`
  bool operator==(const EpochEntry&) const = default;
};

std::ostream& operator<<(std::ostream& os, const EpochEntry& entry);

class LeaderEpochCache {
 public:
  // Records that `epoch` starts at `start_offset` (Kafka: assign).
  //  * epoch > latest epoch: appends an entry. Asserts start_offset >= the latest start offset.
  //    If start_offset equals the latest start offset, the latest entry owns no records and is
  //    replaced (Kafka's maybeTruncateNonMonotonicEntries, the benign case), which keeps start
  //    offsets strictly increasing.
  //  * epoch == latest epoch: no-op (asserts start_offset >= the latest start offset).
  //  * epoch < latest epoch: assertion (Kafka would silently drop the newer entries; here a
  //    non-monotonic epoch is a protocol bug, truncation must come first).
  // Asserts epoch >= 0 and start_offset >= 0.
  void assign(Epoch epoch, Offset start_offset);

  // The largest cached epoch; nullopt if the cache is empty.
  [[nodiscard]] std::optional<Epoch> latest_epoch() const;

  // End offset of the largest cached epoch e' <= requested (Kafka: endOffsetFor, followed by
  // KafkaMetadataLog.endOffsetForEpoch's mapping of its UNDEFINED answers):
  //  * e' exists and is not the latest: (start offset of the next larger cached epoch, e').
  //  * e' is the latest (this includes requested > latest epoch): (log_end_offset, e').
  //    Kafka's cache answers UNDEFINED for requested > latest, which the metadata log maps to
  //    (LEO, lastFetchedEpoch) = (LEO, latest): the same value.
  //  * requested < every cached epoch: (start offset of the first entry, requested). This is
  //    Kafka's answer ("the data has already been removed from the log"); with the log starting
  //    at 0 the first entry starts at 0. With snapshots, ReplicatedLog replaces it
  //    by the earliest snapshot id when that offset is the log start offset.
  //  * empty cache: (log_end_offset, Epoch(0)), the primordial epoch. Kafka's cache answers
  //    UNDEFINED and the metadata log maps it to (LEO, lastFetchedEpoch), which is (LEO, 0)
  //    without a snapshot; ReplicatedLog handles the snapshot case itself.
  [[nodiscard]] OffsetAndEpoch end_offset_for_epoch(Epoch requested, Offset log_end_offset) const;

  // Drops every entry whose start_offset >= end_offset (Kafka: truncateFromEnd). Used after the
  // log is truncated to end_offset.
  void truncate_from_end(Offset end_offset);

  // All entries, oldest first.
  [[nodiscard]] const std::vector<EpochEntry>& entries() const { return entries_; }

  void clear() { entries_.clear(); }

 private:
  // Invariant: strictly increasing in epoch and in start_offset.
  std::vector<EpochEntry> entries_;
};

}  // namespace raft
