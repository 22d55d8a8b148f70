// Delivers the RaftClient's listener callbacks to two listeners in turn (a combined node's quorum
// controller, then its broker's metadata loader).
//
// Kafka registers each listener separately with its own read position; both read the same
// committed log and snapshots from the same client, so calling them one after the other with the
// same batch is equivalent here.
#pragma once

#include "raft/raft_listener.hh"

namespace sim {

class ListenerFanout : public raft::RaftListener {
 public:
  ListenerFanout(raft::RaftListener& first, raft::RaftListener& second)
      : first_(first), second_(second) {}
  void handle_commit(const raft::RecordBatch& batch) override {
    first_.handle_commit(batch);
    second_.handle_commit(batch);
  }
  void handle_load_snapshot(const raft::Snapshot& snapshot) override {
    first_.handle_load_snapshot(snapshot);
    second_.handle_load_snapshot(snapshot);
  }
  void handle_leader_change(const raft::LeaderAndEpoch& leader) override {
    first_.handle_leader_change(leader);
    second_.handle_leader_change(leader);
  }

 private:
  raft::RaftListener& first_;
  raft::RaftListener& second_;
};

}  // namespace sim
