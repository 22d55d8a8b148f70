// Kafka: QuorumController.ControllerWriteEvent / ControllerReadEvent and the RPC entry points
// (registerBroker, processBrokerHeartbeat, createTopics, deleteTopics, incrementalAlterConfigs).
// See quorum_controller.hh.
#include <algorithm>

#include "raft/common/assert.hh"
#include "raft/controller/quorum_controller.hh"
#include "raft/metadata/record_codec.hh"
#include "raft/raft_client.hh"

namespace raft::controller {

namespace md = raft::metadata;

std::optional<NodeId> QuorumController::leader_hint() const {
  if (raft_ == nullptr) return std::nullopt;
  return raft_->leader_and_epoch().leader_id;
}

std::optional<Offset> QuorumController::write(std::vector<md::MetadataRecord> records,
                                              std::optional<NodeId> destination,
                                              CorrelationId correlation_id, Payload response,
                                              Instant now) {
  KR_ASSERT(claimed_epoch_.has_value(), "write on inactive controller " << local_id_);
  if (records.empty()) {
    // A read: answered once everything written before it has committed.
    const Offset wait_for = pending_.empty() ? last_committed_offset_ : pending_.back().offset;
    pending_.push_back(PendingReply{wait_for, destination, correlation_id, std::move(response)});
    send_committed_replies();
    return wait_for;
  }
  std::vector<std::string> encoded;
  encoded.reserve(records.size());
  for (const md::MetadataRecord& r : records) encoded.push_back(md::encode_record(r));
  const std::optional<Offset> last = raft_->append(*claimed_epoch_, std::move(encoded), now);
  if (!last) {
    // Kafka: NotLeaderException from prepareAppend causes a renounce.
    pending_.push_back(PendingReply{Offset(-1), destination, correlation_id, std::move(response)});
    renounce(true);
    return std::nullopt;
  }
  const Offset base = next_write_offset_;
  KR_ASSERT(*last == base + static_cast<std::int64_t>(records.size()) - 1,
            "controller " << local_id_ << " expected its records at " << base << ".., raft put "
                          << "the last at " << *last);
  Offset offset = base;
  for (const md::MetadataRecord& r : records) {
    image_.replay(r, offset);
    offset = offset + 1;
  }
  image_.set_provenance(md::Provenance{*last + 1, *claimed_epoch_});
  next_write_offset_ = *last + 1;
  pending_.push_back(PendingReply{*last, destination, correlation_id, std::move(response)});
  return last;
}

void QuorumController::send_committed_replies() {
  std::size_t done = 0;
  while (done < pending_.size() && pending_[done].offset <= last_committed_offset_) {
    PendingReply& p = pending_[done];
    if (p.destination) channel_.send(Message{local_id_, *p.destination, p.correlation_id, p.response});
    ++stats_.writes_committed;
    ++done;
  }
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(done));
}

void QuorumController::reply_not_controller(const Message& request) {
  auto fail = [&](auto response) {
    response.error = ApiError::NOT_CONTROLLER;
    response.controller_hint = leader_hint();
    channel_.send(Message{local_id_, request.source, request.correlation_id, response});
  };
  std::visit(
      [&](const auto& r) {
        using T = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<T, BrokerRegistrationRequest>) fail(BrokerRegistrationResponse{});
        if constexpr (std::is_same_v<T, BrokerHeartbeatRequest>) fail(BrokerHeartbeatResponse{});
        if constexpr (std::is_same_v<T, CreateTopicsRequest>) fail(CreateTopicsResponse{});
        if constexpr (std::is_same_v<T, DeleteTopicsRequest>) fail(DeleteTopicsResponse{});
        if constexpr (std::is_same_v<T, IncrementalAlterConfigsRequest>) {
          fail(IncrementalAlterConfigsResponse{});
        }
      },
      request.payload);
}

void QuorumController::handle(const Message& message, Instant now) {
  KR_ASSERT(is_request(message.payload) && !is_raft_payload(message.payload),
            "controller " << local_id_ << " handed " << api_name(message.payload));
  // Deferred work first, so that an activation completes before the first request of the epoch.
  poll(now);
  if (!claimed_epoch_ || activation_pending_) {
    reply_not_controller(message);
    return;
  }
  if (const auto* r = std::get_if<BrokerRegistrationRequest>(&message.payload)) {
    handle_registration(message, *r, now);
  } else if (const auto* h = std::get_if<BrokerHeartbeatRequest>(&message.payload)) {
    handle_heartbeat(message, *h, now);
  } else if (const auto* c = std::get_if<CreateTopicsRequest>(&message.payload)) {
    handle_create_topics(message, *c, now);
  } else if (const auto* d = std::get_if<DeleteTopicsRequest>(&message.payload)) {
    handle_delete_topics(message, *d, now);
  } else if (const auto* a = std::get_if<IncrementalAlterConfigsRequest>(&message.payload)) {
    handle_alter_configs(message, *a, now);
  }
}

void QuorumController::handle_registration(const Message& m, const BrokerRegistrationRequest& r,
                                           Instant now) {
  auto result = cluster_.register_broker(image_, r, next_write_offset_.value(), now);
  write(std::move(result.records), m.source, m.correlation_id, result.response, now);
}

void QuorumController::handle_heartbeat(const Message& m, const BrokerHeartbeatRequest& r,
                                        Instant now) {
  HeartbeatResult h = cluster_.process_heartbeat(image_, r, now);
  if (h.result.response.error != ApiError::NONE) {
    channel_.send(Message{local_id_, m.source, m.correlation_id, h.result.response});
    return;
  }
  const bool entered = h.entered_controlled_shutdown;
  const std::optional<Offset> last =
      write(std::move(h.result.records), m.source, m.correlation_id, h.result.response, now);
  // Kafka's processBatchEndOffset: the end of the batch is the broker's controlled-shutdown
  // offset (a broker that entered under a previous controller gets one of this controller here).
  if (entered && last) heartbeats_.set_controlled_shutdown_offset(r.broker_id, last->value());
}

void QuorumController::handle_create_topics(const Message& m, const CreateTopicsRequest& r,
                                            Instant now) {
  auto result = replication_.create_topics(image_, r);
  CreateTopicsResponse response;
  response.topics = std::move(result.response);
  write(std::move(result.records), m.source, m.correlation_id, response, now);
}

void QuorumController::handle_delete_topics(const Message& m, const DeleteTopicsRequest& r,
                                            Instant now) {
  auto result = replication_.delete_topics(image_, r);
  DeleteTopicsResponse response;
  response.topics = std::move(result.response);
  write(std::move(result.records), m.source, m.correlation_id, response, now);
}

void QuorumController::handle_alter_configs(const Message& m,
                                            const IncrementalAlterConfigsRequest& r, Instant now) {
  auto result = replication_.incremental_alter_configs(image_, r);
  IncrementalAlterConfigsResponse response;
  response.responses = std::move(result.response);
  write(std::move(result.records), m.source, m.correlation_id, response, now);
}

}  // namespace raft::controller
