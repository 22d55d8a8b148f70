// The sans-I/O seam: the only ways raft/ code reaches the outside world.
//
// Kafka (KIP-595): org.apache.kafka.raft.NetworkChannel, org.apache.kafka.raft.ReplicatedLog (its storage
// half), org.apache.kafka.raft.QuorumStateStore.
//
// raft/ objects never read a clock, sleep, open files or sockets, start threads or draw from a
// global random source. Time comes in as a parameter; randomness from a raft::Random the node is
// given; messages, log writes and election-state writes go out through these interfaces, which the
// simulator (sim/) implements. A crash destroys the raft objects; a restart builds new ones over
// the same LogStorage and QuorumStateStore, which by then hold only what was durable.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "raft/common/ids.hh"
#include "raft/messages.hh"
#include "raft/record_batch.hh"
#include "raft/snapshot.hh"

namespace raft {

// Outbound messages. Delivery is unreliable: the network may delay, reorder, duplicate or drop.
class NetworkChannel {
 public:
  virtual ~NetworkChannel() = default;
  virtual void send(Message message) = 0;
};

// The persisted election state (Kafka's ElectionState / QuorumStateData, kraft.version 0).
struct ElectionState {
  Epoch epoch{0};
  std::optional<NodeId> leader_id;  // known leader of `epoch`, if any
  std::optional<NodeId> voted_id;   // voter this node gave its binding vote to in `epoch`
  bool operator==(const ElectionState&) const = default;
};

// The quorum-state file. write_election_state is durable when it returns (Kafka writes a temp
// file, fsyncs it and renames it atomically).
class QuorumStateStore {
 public:
  virtual ~QuorumStateStore() = default;
  // nullopt if the file does not exist (a freshly formatted node).
  [[nodiscard]] virtual std::optional<ElectionState> read_election_state() const = 0;
  virtual void write_election_state(const ElectionState& state) = 0;
};

// The metadata log segments on one node's disk.
//
// Appends are volatile until flush(): a crash loses every batch appended after the last flush
// (Kafka's MockLog.reopen drops batches at or beyond firstUnflushedOffset). Truncation is applied
// to the durable state at once, as in MockLog.
class LogStorage {
 public:
  virtual ~LogStorage() = default;
  // Every batch currently in the log, flushed or not, in offset order without gaps, starting at
  // log_start_offset().
  [[nodiscard]] virtual const std::vector<BatchPtr>& batches() const = 0;
  // First offset still in the log: 0 until retention removed a prefix covered by a snapshot.
  // Durable. The log is empty when it equals the end offset.
  [[nodiscard]] virtual Offset log_start_offset() const = 0;
  // Retention (KIP-630, kraft-protocol.md 8.3): removes every batch ending at or before
  // `new_start` and moves the log start there. Precondition: new_start is a batch boundary in
  // [log start, end offset]. Durable at once.
  virtual void advance_log_start(Offset new_start) = 0;
  // After installing a snapshot that ends at `offset` (Kafka truncateToLatestSnapshot): removes
  // every batch and sets log start = end = offset. Durable at once.
  virtual void truncate_fully(Offset offset) = 0;
  // Appends one batch at the end. Precondition: batch->base_offset == current end offset.
  virtual void append(BatchPtr batch) = 0;
  // Removes every batch whose last offset is >= end_offset (so an end_offset inside a batch
  // removes that whole batch, as Kafka's MockLog does). Raft only truncates at batch boundaries.
  virtual void truncate_to(Offset end_offset) = 0;
  // Makes every appended batch durable.
  virtual void flush() = 0;
  // End offset of the durable prefix (what would survive a crash now).
  [[nodiscard]] virtual Offset flushed_end_offset() const = 0;
};

// The snapshot files of the metadata log directory (KIP-630, kraft-protocol.md 2 and 8):
// `<end offset>-<epoch>.checkpoint`, with `.checkpoint.part` for one being written or downloaded
// and `.checkpoint.deleted` for one being removed.
class SnapshotStore {
 public:
  virtual ~SnapshotStore() = default;
  // Complete snapshots on disk, ascending by id.
  [[nodiscard]] virtual const std::vector<SnapshotPtr>& snapshots() const = 0;
  // Writes a complete snapshot the way Kafka must (KAFKA-15312): write `.part`, fsync, then
  // rename atomically. Durable when it returns; a crash in between leaves at most a `.part` file.
  // Replaces a partial download of the same id.
  virtual void write_snapshot(SnapshotPtr snapshot) = 0;
  // Removes a snapshot (Kafka renames it `.deleted`, then deletes it). No-op if absent.
  virtual void delete_snapshot(OffsetAndEpoch id) = 0;
  // A snapshot being downloaded with FetchSnapshot: `bytes` received so far, in a `.part` file.
  virtual void write_partial_snapshot(OffsetAndEpoch id, std::int64_t bytes) = 0;
  // Startup clean-up (section 8.4): removes every `.part` and `.deleted` file.
  virtual void remove_partial_snapshots() = 0;
};

// Deterministic random numbers for one node (election jitter, backoff, bootstrap choice).
// Implemented by the simulator from a per-node stream of the run's seed.
class Random {
 public:
  virtual ~Random() = default;
  // Uniform integer in [0, bound). Precondition: bound > 0.
  virtual std::int64_t next_int(std::int64_t bound) = 0;
};

}  // namespace raft
