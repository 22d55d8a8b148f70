// Decides when a node snapshots its own committed state (KIP-630, kraft-protocol.md 8.2).
//
// Kafka: org.apache.kafka.image.publisher.SnapshotGenerator (a metadata publisher on every broker
// and controller). After each batch of committed records the node applied, it emits a snapshot
// when the bytes applied since the last snapshot reach
// metadata.log.max.record.bytes.between.snapshots, or when the last snapshot is older than
// metadata.log.max.snapshot.interval.ms (0 disables the timer). The snapshot is taken at the
// state machine's last applied batch boundary: id = (end offset of the last applied batch, its
// epoch). The counters restart after a snapshot is emitted or loaded.
#pragma once

#include <cstdint>
#include <optional>

#include "raft/common/ids.hh"
#include "raft/common/time.hh"
#include "raft/snapshot.hh"
#include "sim/scenario/scenario.hh"

namespace raft {
class RaftClient;
}

namespace sim {

class NodeHost;
class SharedSnapshots;

class SnapshotGenerator {
 public:
  // `started`: when the node started (the interval timer starts then).
  SnapshotGenerator(const SnapshotConfigValues& config, Instant started);

  // Called after every interaction with the node: snapshots if due. Returns the id of the
  // snapshot created, if any. A snapshot of the same content at the same id that another node
  // made is reused from `shared` (shared_snapshots.hh), else the new one is remembered there.
  std::optional<raft::OffsetAndEpoch> maybe_snapshot(Instant now, raft::RaftClient& client,
                                                     const NodeHost& node, SharedSnapshots& shared);

  [[nodiscard]] std::int64_t snapshots_created() const { return created_; }

 private:
  // The snapshot of `node` at `id`: another node's of the same content, or a new one.
  static raft::SnapshotPtr build(raft::OffsetAndEpoch id, Instant applied_time,
                                 const NodeHost& node, SharedSnapshots& shared);

  std::int64_t max_bytes_;
  Duration interval_;                 // zero = disabled
  Instant last_snapshot_;             // or the node's start
  std::int64_t bytes_at_last_ = 0;    // counter.applied_bytes() when the last snapshot was taken
  std::int64_t loads_seen_ = 0;       // counter.snapshots_loaded() seen so far
  std::int64_t created_ = 0;
};

}  // namespace sim
