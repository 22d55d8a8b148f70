// The metadata half of Kafka's BrokerServer. See broker_server.hh.
#include "raft/broker/broker_server.hh"

#include <algorithm>
#include <utility>
#include <variant>

#include "raft/raft_client.hh"

namespace raft::broker {

BrokerServer::BrokerServer(NodeId broker_id, metadata::Uuid incarnation_id,
                           BrokerLifecycleConfig config, NetworkChannel& channel,
                           CorrelationId first_correlation_id, Instant now,
                           metadata::MetadataImage::Options image_options)
    : broker_id_(broker_id),
      loader_(image_options),
      lifecycle_(broker_id, incarnation_id, std::move(config), channel, first_correlation_id,
                 now) {}

bool BrokerServer::handle(const Message& message, Instant now) {
  if (!std::holds_alternative<controller::BrokerRegistrationResponse>(message.payload) &&
      !std::holds_alternative<controller::BrokerHeartbeatResponse>(message.payload)) {
    return false;
  }
  lifecycle_.handle_response(message, now);
  // A success may make the next request due at once (the heartbeat right after registering).
  poll_lifecycle(now);
  return true;
}

void BrokerServer::after_raft_call(const RaftClient& client, Instant now) {
  update(client.high_watermark(), client.leader_and_epoch().leader_id, now);
}

void BrokerServer::poll(const RaftClient& client, Instant now) { after_raft_call(client, now); }

void BrokerServer::update(std::optional<Offset> high_watermark, std::optional<NodeId> leader,
                          Instant now) {
  leader_ = leader;
  maybe_publish(high_watermark);
  poll_lifecycle(now);
}

void BrokerServer::begin_controlled_shutdown(Instant now) {
  lifecycle_.begin_controlled_shutdown(now);
  poll_lifecycle(now);
}

bool BrokerServer::ready_to_unfence() const {
  return loader_.published() && lifecycle_.state() != BrokerState::STARTING;
}

void BrokerServer::maybe_publish(std::optional<Offset> high_watermark) {
  if (!loader_.maybe_publish(high_watermark)) return;
  const std::uint64_t fingerprint = loader_.image().fingerprint();
  if (local_replicas_fingerprint_ == fingerprint) return;  // content unchanged
  local_replicas_ = compute_local_replicas();
  local_replicas_fingerprint_ = fingerprint;
}

void BrokerServer::poll_lifecycle(Instant now) {
  lifecycle_.poll(now, leader_, loader_.published_offset(), ready_to_unfence());
}

LocalReplicas BrokerServer::compute_local_replicas() const {
  const metadata::MetadataImage& image = loader_.image();
  const std::int32_t id = broker_id_.value();
  LocalReplicas view;
  view.leaders = image.leader_count(id);
  // A leader is always one of its partition's replicas (the controller elects only replicas).
  view.followers = image.replica_count(id) - view.leaders;
  return view;
}

}  // namespace raft::broker
