// Broker registration and the broker heartbeat state machine of the active controller.
//
// Kafka: org.apache.kafka.controller.ClusterControlManager (registerBroker) and
// ReplicationControlManager.processBrokerHeartbeat / BrokerHeartbeatManager
// .calculateNextBrokerState (kraft-protocol.md 11.2 and 11.3).
//
// Record generators: each call reads the controller's in-memory image (which includes the
// controller's own uncommitted writes) and returns the records to append plus the reply; the
// QuorumController appends the records, replays them into its image, and answers once they
// commit. Session bookkeeping goes to the BrokerHeartbeatManager at once (it is volatile and
// dropped on renounce anyway).
#pragma once

#include <cstdint>
#include <vector>

#include "raft/common/time.hh"
#include "raft/controller/broker_heartbeat_manager.hh"
#include "raft/controller/controller_messages.hh"
#include "raft/controller/controller_result.hh"
#include "raft/controller/replication_control.hh"
#include "raft/metadata/image.hh"

namespace raft::controller {

// The controller-side state a heartbeat moves a broker to (Kafka's BrokerControlState).
enum class BrokerControlState { FENCED, UNFENCED, CONTROLLED_SHUTDOWN, SHUTDOWN_NOW };

struct HeartbeatResult {
  ControllerResult<BrokerHeartbeatResponse> result;
  BrokerControlState next = BrokerControlState::FENCED;
  // The broker entered controlled shutdown with these records: the caller records the offset of
  // their last record as the broker's controlled-shutdown offset.
  bool entered_controlled_shutdown = false;
};

class ClusterControl {
 public:
  ClusterControl(BrokerHeartbeatManager& heartbeats, ReplicationControl& replication)
      : heartbeats_(heartbeats), replication_(replication) {}

  // Activation: every registered broker starts with a fresh session, as if it had just
  // heartbeated (KAFKA-18138). `forget_registered_brokers` re-introduces the bug (the tracker
  // stays empty, so brokers that never heartbeat again are never fenced); for the fuzzer.
  void activate(const metadata::MetadataImage& image, Instant now,
                bool forget_registered_brokers = false);

  // BrokerRegistration (11.2). `next_write_offset`: the offset the first returned record will
  // get, which becomes the new broker epoch.
  ControllerResult<BrokerRegistrationResponse> register_broker(
      const metadata::MetadataImage& image, const BrokerRegistrationRequest& request,
      std::int64_t next_write_offset, Instant now);

  // BrokerHeartbeat (11.3): validates the epoch, refreshes the session and applies the state
  // table. Errors come back in result.response.error with no records.
  HeartbeatResult process_heartbeat(const metadata::MetadataImage& image,
                                    const BrokerHeartbeatRequest& request, Instant now);

  // The fence path: partition changes that remove the broker from every ISR (new leaders
  // elected), then BrokerRegistrationChangeRecord(fenced). Empty if the broker is unknown or
  // already fenced.
  std::vector<metadata::MetadataRecord> fence_broker(const metadata::MetadataImage& image,
                                                     std::int32_t broker);

 private:
  HeartbeatResult next_state_fenced(const metadata::MetadataImage& image,
                                    const BrokerHeartbeatRequest& request,
                                    const metadata::BrokerRegistration& broker);
  HeartbeatResult next_state_unfenced(const metadata::MetadataImage& image,
                                      const BrokerHeartbeatRequest& request,
                                      const metadata::BrokerRegistration& broker);
  HeartbeatResult next_state_controlled_shutdown(const metadata::MetadataImage& image,
                                                 const metadata::BrokerRegistration& broker);
  std::vector<metadata::MetadataRecord> unfence_broker(const metadata::MetadataImage& image,
                                                       const metadata::BrokerRegistration& broker);

  BrokerHeartbeatManager& heartbeats_;
  ReplicationControl& replication_;
};

}  // namespace raft::controller
