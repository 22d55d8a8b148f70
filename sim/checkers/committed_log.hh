// The cluster-wide record of committed batches: for every batch any node has seen committed
// (below its own high watermark), the first version seen. Shared by ConsistentCommittedData
// (which fills and checks it) and LeaderCompleteness (which checks new leaders against it).
#pragma once

#include <map>
#include <optional>

#include "raft/record_batch.hh"

namespace sim {

struct CommittedLog {
  // base offset -> the batch first seen committed there. Batches are immutable and shared, so
  // this costs one pointer per batch.
  std::map<raft::Offset, raft::BatchPtr> batches;
  // End of the contiguous committed prefix recorded so far.
  raft::Offset end{0};
};

}  // namespace sim
