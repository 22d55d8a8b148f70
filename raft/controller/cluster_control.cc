// Kafka: ClusterControlManager.registerBroker and the heartbeat state table of
// BrokerHeartbeatManager.calculateNextBrokerState. See cluster_control.hh.
#include "raft/controller/cluster_control.hh"

#include "raft/common/assert.hh"

namespace raft::controller {

namespace md = raft::metadata;

namespace {

md::BrokerRegistrationChangeRecord change_record(const md::BrokerRegistration& broker) {
  md::BrokerRegistrationChangeRecord r;
  r.broker_id = broker.id;
  r.broker_epoch = broker.epoch;
  return r;
}

HeartbeatResult reply(BrokerControlState next, bool caught_up,
                      std::vector<md::MetadataRecord> records = {}) {
  HeartbeatResult h;
  h.next = next;
  h.result.records = std::move(records);
  h.result.response.is_caught_up = caught_up;
  h.result.response.is_fenced =
      next == BrokerControlState::FENCED || next == BrokerControlState::SHUTDOWN_NOW;
  h.result.response.should_shut_down = next == BrokerControlState::SHUTDOWN_NOW;
  return h;
}

}  // namespace

void ClusterControl::activate(const md::MetadataImage& image, Instant now,
                              bool forget_registered_brokers) {
  heartbeats_.clear();
  if (forget_registered_brokers) return;
  for (const auto& [id, broker] : image.brokers()) {
    heartbeats_.register_broker(id, broker.fenced, now);
  }
}

ControllerResult<BrokerRegistrationResponse> ClusterControl::register_broker(
    const md::MetadataImage& image, const BrokerRegistrationRequest& request,
    std::int64_t next_write_offset, Instant now) {
  ControllerResult<BrokerRegistrationResponse> out;
  const std::int16_t level =
      image.feature_level(kMetadataVersionFeature).value_or(kMetadataVersionLevel);
  if (level < request.min_metadata_version || level > request.max_metadata_version) {
    out.response.error = ApiError::UNSUPPORTED_VERSION;
    return out;
  }
  md::RegisterBrokerRecord record;
  record.broker_id = request.broker_id;
  record.incarnation_id = request.incarnation_id;
  record.rack = request.rack;
  record.features.push_back(md::BrokerFeature{std::string(kMetadataVersionFeature),
                                              request.min_metadata_version,
                                              request.max_metadata_version});
  const md::BrokerRegistration* existing = image.broker(request.broker_id);
  if (existing != nullptr && existing->incarnation_id == request.incarnation_id) {
    // A retried registration of the same process: amend it, keeping its epoch and state.
    record.broker_epoch = existing->epoch;
    record.fenced = existing->fenced;
    record.in_controlled_shutdown = existing->in_controlled_shutdown;
  } else {
    if (existing != nullptr && heartbeats_.has_valid_session(request.broker_id, now)) {
      out.response.error = ApiError::DUPLICATE_BROKER_REGISTRATION;
      return out;
    }
    // A new incarnation of a broker whose old one is still unfenced (its session expired but the
    // fence check has not run yet): the old incarnation shut down uncleanly, so it leaves every
    // ISR and its leaderships move first (Kafka's handleBrokerUncleanShutdown), in the same
    // batch. The broker epoch is still the batch's base offset.
    if (existing != nullptr && !existing->fenced) {
      out.records = replication_.handle_broker_fenced(image, request.broker_id);
    }
    record.broker_epoch = next_write_offset;
    record.fenced = true;
    heartbeats_.register_broker(request.broker_id, true, now);
  }
  out.response.broker_epoch = record.broker_epoch;
  out.records.emplace_back(std::move(record));
  return out;
}

HeartbeatResult ClusterControl::process_heartbeat(const md::MetadataImage& image,
                                                  const BrokerHeartbeatRequest& request,
                                                  Instant now) {
  const md::BrokerRegistration* broker = image.broker(request.broker_id);
  if (broker == nullptr || broker->epoch != request.broker_epoch) {
    HeartbeatResult stale;
    stale.result.response.error = ApiError::STALE_BROKER_EPOCH;
    return stale;
  }
  if (!heartbeats_.is_tracked(broker->id)) heartbeats_.register_broker(broker->id, broker->fenced, now);
  heartbeats_.touch(broker->id, request.current_metadata_offset, now);
  if (broker->fenced) return next_state_fenced(image, request, *broker);
  // Kafka's currentBrokerState asks the heartbeat manager, not the registration: a broker is in
  // controlled shutdown for this controller only once it holds a shutdown offset. So a broker
  // that entered controlled shutdown under a previous controller counts as unfenced here until
  // its next want_shut_down heartbeat: that one is answered SHUTDOWN_NOW at once if it leads
  // nothing, else it enters controlled shutdown again (and gets an offset of this controller).
  if (heartbeats_.controlled_shutdown_offset(broker->id)) {
    return next_state_controlled_shutdown(image, *broker);
  }
  return next_state_unfenced(image, request, *broker);
}

HeartbeatResult ClusterControl::next_state_fenced(const md::MetadataImage& image,
                                                  const BrokerHeartbeatRequest& request,
                                                  const md::BrokerRegistration& broker) {
  const bool caught_up = request.current_metadata_offset >= broker.register_record_offset.value();
  if (request.want_shut_down) {
    // Already fenced: the fence path again removes it from any ISR it still sits in (as the last
    // member of a leaderless partition).
    auto records = replication_.handle_broker_fenced(image, broker.id);
    return reply(BrokerControlState::SHUTDOWN_NOW, caught_up, std::move(records));
  }
  if (!request.want_fence && caught_up) {
    return reply(BrokerControlState::UNFENCED, caught_up, unfence_broker(image, broker));
  }
  return reply(BrokerControlState::FENCED, caught_up);
}

HeartbeatResult ClusterControl::next_state_unfenced(const md::MetadataImage& image,
                                                    const BrokerHeartbeatRequest& request,
                                                    const md::BrokerRegistration& broker) {
  const bool caught_up = request.current_metadata_offset >= broker.register_record_offset.value();
  if (request.want_fence) {
    const auto next = request.want_shut_down ? BrokerControlState::SHUTDOWN_NOW
                                             : BrokerControlState::FENCED;
    return reply(next, caught_up, fence_broker(image, broker.id));
  }
  if (!request.want_shut_down) return reply(BrokerControlState::UNFENCED, caught_up);
  if (image.leader_count(broker.id) == 0) {
    return reply(BrokerControlState::SHUTDOWN_NOW, caught_up, fence_broker(image, broker.id));
  }
  // Kafka's handleBrokerInControlledShutdown: the flag is written only if not set yet (it is set
  // already for a broker that entered controlled shutdown under a previous controller).
  std::vector<md::MetadataRecord> records;
  if (!broker.in_controlled_shutdown) {
    md::BrokerRegistrationChangeRecord enter = change_record(broker);
    enter.in_controlled_shutdown = md::kChangeSet;
    records.emplace_back(enter);
  }
  for (auto& r : replication_.handle_broker_in_controlled_shutdown(image, broker.id)) {
    records.push_back(std::move(r));
  }
  HeartbeatResult h = reply(BrokerControlState::CONTROLLED_SHUTDOWN, caught_up, std::move(records));
  h.entered_controlled_shutdown = true;
  return h;
}

HeartbeatResult ClusterControl::next_state_controlled_shutdown(
    const md::MetadataImage& image, const md::BrokerRegistration& broker) {
  const std::optional<std::int64_t> offset = heartbeats_.controlled_shutdown_offset(broker.id);
  KR_ASSERT(offset.has_value(), "broker " << broker.id << " in controlled shutdown has no offset");
  const bool done =
      image.leader_count(broker.id) == 0 && *offset <= heartbeats_.lowest_active_offset();
  if (!done) return reply(BrokerControlState::CONTROLLED_SHUTDOWN, true);
  return reply(BrokerControlState::SHUTDOWN_NOW, true, fence_broker(image, broker.id));
}

std::vector<md::MetadataRecord> ClusterControl::fence_broker(const md::MetadataImage& image,
                                                             std::int32_t broker_id) {
  const md::BrokerRegistration* broker = image.broker(broker_id);
  if (broker == nullptr || broker->fenced) return {};
  std::vector<md::MetadataRecord> records = replication_.handle_broker_fenced(image, broker_id);
  md::BrokerRegistrationChangeRecord fence = change_record(*broker);
  fence.fenced = md::kChangeSet;
  records.emplace_back(fence);
  heartbeats_.set_fenced(broker_id, true);
  return records;
}

std::vector<md::MetadataRecord> ClusterControl::unfence_broker(
    const md::MetadataImage& image, const md::BrokerRegistration& broker) {
  md::BrokerRegistrationChangeRecord unfence = change_record(broker);
  unfence.fenced = md::kChangeClear;
  std::vector<md::MetadataRecord> records{unfence};
  for (auto& r : replication_.handle_broker_unfenced(image, broker.id)) records.push_back(std::move(r));
  heartbeats_.set_fenced(broker.id, false);
  return records;
}

}  // namespace raft::controller
