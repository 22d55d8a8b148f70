// Snapshots shared between nodes. See shared_snapshots.hh.
#include "sim/shared_snapshots.hh"

namespace sim {

raft::SnapshotPtr SharedSnapshots::find(const Key& key) const {
  auto it = entries_.find(key);
  return it == entries_.end() ? nullptr : it->second.lock();
}

void SharedSnapshots::remember(const Key& key, const raft::SnapshotPtr& snapshot) {
  std::erase_if(entries_, [](const auto& entry) { return entry.second.expired(); });
  entries_[key] = snapshot;
}

}  // namespace sim
