// The cluster-wide record of committed batches: for every batch any node has seen committed
// (below its own high watermark), the first version seen. Shared by ConsistentCommittedData
// (which fills and checks it) and LeaderCompleteness (which checks new leaders against it).
#pragma once

#include <map>
#include <optional>

#include "raft/record_batch.hh"
#include "raft/snapshot.hh"

namespace sim {

struct CommittedLog {
  // base offset -> the batch first seen committed there. Batches are immutable and shared, so
  // this costs one pointer per batch.
  std::map<raft::Offset, raft::BatchPtr> batches;
  // End of the contiguous committed prefix recorded so far (batches or snapshots).
  raft::Offset end{0};
  // Every snapshot seen on any node, by id: equal ids must have equal content.
  std::map<raft::OffsetAndEpoch, raft::SnapshotPtr> snapshots;
};

}  // namespace sim
