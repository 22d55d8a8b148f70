// The replicated state machine's view of the Raft client.
//
// Kafka (KIP-595): org.apache.kafka.raft.RaftClient.Listener and org.apache.kafka.raft.LeaderAndEpoch.
//
// Contract (kraft-protocol.md 6.5): handle_commit receives only batches wholly below the high
// watermark, in offset order, each exactly once per client lifetime, control batches included
// (so the state machine can track committed offsets); after handle_load_snapshot the next batch
// starts at the snapshot's end offset. handle_leader_change fires on every change
// of (leader, epoch); for the local leader only once every committed record up to the epoch start
// (the new leader's LeaderChange batch) has been delivered (KAFKA-15345), and never while
// Resigned (KAFKA-17333). Callbacks run synchronously inside RaftClient calls and must not call
// back into the client.
#pragma once

#include <optional>
#include <ostream>

#include "raft/common/ids.hh"
#include "raft/record_batch.hh"
#include "raft/snapshot.hh"

namespace raft {

struct LeaderAndEpoch {
  std::optional<NodeId> leader_id;
  Epoch epoch{0};
  bool operator==(const LeaderAndEpoch&) const = default;
  [[nodiscard]] bool is_leader(NodeId id) const { return leader_id && *leader_id == id; }
};

inline std::ostream& operator<<(std::ostream& os, const LeaderAndEpoch& le) {
  os << "(leader=";
  if (le.leader_id) {
    os << *le.leader_id;
  } else {
    os << "none";
  }
  return os << ", epoch=" << le.epoch << ")";
}

class RaftListener {
 public:
  virtual ~RaftListener() = default;
  virtual void handle_commit(const RecordBatch& batch) = 0;
  // Replace the whole state with the snapshot's (KIP-630): when the listener is new and a
  // snapshot exists (KAFKA-15076), or when its next offset fell below the log start. Never called
  // on a listener that was told it leads (KAFKA-12958, the LeaderNeverLoadSnapshot invariant).
  virtual void handle_load_snapshot(const Snapshot& snapshot) = 0;
  virtual void handle_leader_change(const LeaderAndEpoch& leader) = 0;
};

}  // namespace raft
