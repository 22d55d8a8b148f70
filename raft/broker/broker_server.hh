// The metadata half of a broker process: its metadata loader and its lifecycle manager, and the
// glue between them and the node's RaftClient (an observer of the metadata quorum).
//
// Kafka: kafka.server.BrokerServer (only the metadata parts: SharedServer's MetadataLoader, the
// BrokerLifecycleManager, and the startup sequence that ties them together), plus the local
// replica view the BrokerMetadataPublisher derives from each published image.
//
// Wiring (done by the owner, i.e. the simulated node):
//  * loader() is the RaftClient's listener (in combined mode the owner fans callbacks out).
//  * After every call into the RaftClient (handle, poll, ...) the owner calls after_raft_call;
//    when next_deadline() passes it calls poll; broker-bound controller responses
//    (BrokerRegistrationResponse, BrokerHeartbeatResponse) go to handle.
//  * Each of these publishes the loader's image if the catch-up gate allows, then polls the
//    lifecycle manager with the quorum leader as the active controller, the published offset as
//    CurrentMetadataOffset, and ready_to_unfence.
//
// ready_to_unfence follows Kafka's BrokerServer.startup order: it waits for the lifecycle
// manager's initial catch-up (state past STARTING), then for the first metadata publication,
// and only then calls setReadyToUnfence. So it is published() && state != STARTING (sticky in
// the lifecycle manager once true).
#pragma once

#include <cstdint>
#include <optional>

#include "raft/broker/broker_lifecycle_manager.hh"
#include "raft/broker/metadata_loader.hh"
#include "raft/common/ids.hh"
#include "raft/common/time.hh"
#include "raft/io.hh"
#include "raft/messages.hh"
#include "raft/metadata/image.hh"
#include "raft/metadata/records.hh"

namespace raft {
class RaftClient;
}

namespace raft::broker {

// What this broker hosts according to the last published image (Kafka: the local replica
// changes the BrokerMetadataPublisher hands to the ReplicaManager).
struct LocalReplicas {
  std::int64_t leaders = 0;    // partitions whose leader is this broker
  std::int64_t followers = 0;  // partitions listing this broker as a replica, led by another
                               // broker or by none
  bool operator==(const LocalReplicas&) const = default;
};

class BrokerServer {
 public:
  // `channel` and every reference must outlive the server. The lifecycle manager starts at
  // `now` (registration due at once); its correlation ids start at first_correlation_id.
  BrokerServer(NodeId broker_id, metadata::Uuid incarnation_id, BrokerLifecycleConfig config,
               NetworkChannel& channel, CorrelationId first_correlation_id, Instant now,
               metadata::MetadataImage::Options image_options = {});
  BrokerServer(const BrokerServer&) = delete;
  BrokerServer& operator=(const BrokerServer&) = delete;

  // ---- inputs ----
  // A broker-bound controller response. Returns false (and does nothing) for any other payload.
  bool handle(const Message& message, Instant now);
  // After every call into the node's RaftClient: update(client.high_watermark(),
  // client.leader_and_epoch().leader_id, now).
  void after_raft_call(const RaftClient& client, Instant now);
  // Timer: same as after_raft_call.
  void poll(const RaftClient& client, Instant now);
  // The same without a RaftClient (what after_raft_call and poll do): publish if the gate
  // allows, refresh the local replica view, poll the lifecycle manager.
  void update(std::optional<Offset> high_watermark, std::optional<NodeId> leader, Instant now);
  // Controlled shutdown (Kafka: BrokerServer.shutdown -> beginControlledShutdown).
  void begin_controlled_shutdown(Instant now);

  // ---- outputs ----
  // When poll must be called next (the lifecycle manager's deadline).
  [[nodiscard]] Instant next_deadline() const { return lifecycle_.next_deadline(); }
  [[nodiscard]] MetadataLoader& loader() { return loader_; }
  [[nodiscard]] const MetadataLoader& loader() const { return loader_; }
  [[nodiscard]] const BrokerLifecycleManager& lifecycle() const { return lifecycle_; }
  [[nodiscard]] NodeId broker_id() const { return broker_id_; }
  // The local replica view as of the last publication (zeros before the first).
  [[nodiscard]] const LocalReplicas& local_replicas() const { return local_replicas_; }
  // The ready_to_unfence value passed to the lifecycle manager (see the header comment).
  [[nodiscard]] bool ready_to_unfence() const;

 private:
  void maybe_publish(std::optional<Offset> high_watermark);
  void poll_lifecycle(Instant now);
  [[nodiscard]] LocalReplicas compute_local_replicas() const;

  NodeId broker_id_;
  MetadataLoader loader_;
  BrokerLifecycleManager lifecycle_;
  std::optional<NodeId> leader_;  // the quorum leader at the last update (the active controller)
  LocalReplicas local_replicas_;
  // Fingerprint of the image local_replicas_ was computed from (skip recomputing when only
  // offsets moved, e.g. NoOpRecords).
  std::optional<std::uint64_t> local_replicas_fingerprint_;
};

}  // namespace raft::broker
