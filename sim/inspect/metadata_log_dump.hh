// A node's __cluster_metadata log and snapshots, printed the way
// `kafka-dump-log --cluster-metadata-decoder` prints them (kraftsim inspect --log): per batch its
// base and last offset, count, epoch, control flag, and whether it is durable; per record its
// offset and the decoded record (type and every field, as JSON); snapshots on disk first, each
// with its id (end offset, epoch) and records.
#pragma once

#include <string>

#include "raft/common/ids.hh"
#include "sim/simulation.hh"

namespace sim::inspect {

// The dump of node `id`'s disk (log and snapshots) as the simulation holds it now. A node whose
// state machine is the replicated counter gets its batches with the records' raw bytes sizes.
std::string dump_metadata_log(const Simulation& sim, raft::NodeId id);

}  // namespace sim::inspect
