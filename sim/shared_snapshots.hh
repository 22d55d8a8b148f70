// Snapshots shared between nodes: when several nodes snapshot the same content at the same id,
// they hold one Snapshot object instead of building one each.
//
// In a real cluster every broker and controller writes its own snapshot file; the simulator
// keeps the snapshots of all nodes in one process, and with millions of partitions building and
// holding one copy per node would dominate the run's time and memory. Nodes replay the same
// committed log, so their snapshots at the same id normally have identical records. A node
// reuses another node's snapshot only if it has the same id (end offset and epoch), the same
// last contained log time and the same content fingerprint (MetadataImage::fingerprint, an
// order-independent 64-bit hash of the whole image, the one MetadataImagesAgree compares):
// equal content up to a 64-bit hash collision. A node whose image differs builds its own.
// Not observable otherwise: a Snapshot is immutable and already shared by pointer between a
// node, its disk and every node that fetched it.
//
// Entries are weak: a snapshot no node holds any more is freed as before.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <tuple>

#include "raft/common/ids.hh"
#include "raft/common/time.hh"
#include "raft/snapshot.hh"

namespace sim {

class SharedSnapshots {
 public:
  // What identifies a snapshot's content.
  struct Key {
    raft::OffsetAndEpoch id;           // the snapshot id
    raft::Instant last_contained_log_time;  // append time of its last batch
    std::uint64_t content_fingerprint; // fingerprint of the state snapshotted
    auto operator<=>(const Key&) const = default;
  };

  // A live snapshot made earlier with this key, or null.
  [[nodiscard]] raft::SnapshotPtr find(const Key& key) const;
  // Remembers `snapshot` under `key` (and forgets entries nobody holds any more).
  void remember(const Key& key, const raft::SnapshotPtr& snapshot);
  // How many snapshot builds were saved by reuse (for tests and statistics).
  [[nodiscard]] std::int64_t reused() const { return reused_; }
  void count_reuse() { ++reused_; }

 private:
  std::map<Key, std::weak_ptr<const raft::Snapshot>> entries_;
  std::int64_t reused_ = 0;
};

}  // namespace sim
