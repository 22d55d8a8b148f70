// The outcome of a controller write operation: the records to append and the answer to give.
//
// Kafka: org.apache.kafka.controller.ControllerResult. Kafka also carries an `isAtomic` flag
// (records that must land in one batch); in this simulator every result of one operation is
// appended as one unit by the QuorumController, so the flag is left out.
#pragma once

#include <vector>

#include "raft/metadata/records.hh"

namespace raft::controller {

// `records` are in the order they must be appended (and replayed); they may be empty, in which
// case the operation changes nothing. `response` is what the caller answers once the records
// are committed (or at once if there are none).
template <typename T>
struct ControllerResult {
  std::vector<metadata::MetadataRecord> records;
  T response{};
};

}  // namespace raft::controller
