// What runs inside one simulated process on top of its RaftClient (Kafka's process.roles).
//
//  * Counter: the replicated counter of Kafka's own Raft simulation (RaftEventSimulationTest), a
//    Raft-level test of the quorum with opaque records (scenarios with `workload.appends`).
//  * Metadata: the real KRaft metadata layer: a voter runs the quorum controller
//    (process.roles=controller), an observer runs a broker (process.roles=broker), and a combined
//    node runs both on one RaftClient (process.roles=broker,controller).
#pragma once

#include "raft/broker/broker_lifecycle_manager.hh"
#include "raft/controller/quorum_controller.hh"

namespace sim {

enum class StateMachineKind { Counter, Metadata };

struct NodeProcessSpec {
  StateMachineKind kind = StateMachineKind::Counter;
  bool controller = false;  // Metadata only: runs the quorum controller (must be a voter)
  bool broker = false;      // Metadata only: runs the broker metadata pipeline
  raft::controller::QuorumControllerConfig controller_config;
  raft::broker::BrokerLifecycleConfig broker_config;
};

}  // namespace sim
