// Kafka's BrokerLifecycleManager: registration, heartbeats and the broker state machine.
// See broker_lifecycle_manager.hh.
#include "raft/broker/broker_lifecycle_manager.hh"

#include <algorithm>
#include <utility>
#include <variant>

#include "raft/common/assert.hh"

namespace raft::broker {

std::int64_t BrokerLifecycleCounters::failures() const {
  std::int64_t total = timeouts;
  for (const auto& [error, count] : errors) total += count;
  return total;
}

BrokerLifecycleManager::BrokerLifecycleManager(NodeId broker_id, metadata::Uuid incarnation_id,
                                               BrokerLifecycleConfig config,
                                               NetworkChannel& channel,
                                               CorrelationId first_correlation_id, Instant now)
    : broker_id_(broker_id),
      incarnation_id_(incarnation_id),
      config_(std::move(config)),
      channel_(channel),
      next_correlation_id_(first_correlation_id),
      registration_deadline_(now + config_.initial_registration_timeout),
      next_communication_(now) {
  KR_ASSERT(config_.heartbeat_interval > Duration::zero(),
            "heartbeat interval " << config_.heartbeat_interval);
  KR_ASSERT(config_.request_timeout > Duration::zero(),
            "request timeout " << config_.request_timeout);
  KR_ASSERT(config_.retry_backoff > Duration::zero() &&
                config_.retry_backoff <= config_.retry_backoff_max,
            "retry backoff " << config_.retry_backoff << " max " << config_.retry_backoff_max);
  KR_ASSERT(!incarnation_id_.is_zero(), "broker " << broker_id_ << " has a zero incarnation id");
}

// ---- inputs -------------------------------------------------------------------------------

void BrokerLifecycleManager::poll(Instant now, std::optional<NodeId> active_controller,
                                  std::int64_t metadata_offset, bool ready_to_unfence) {
  if (state_ == BrokerState::SHUTTING_DOWN) return;
  if (!registered_ && now >= registration_deadline_) {
    // Kafka's RegistrationTimeoutEvent: the broker gives up and shuts down.
    registration_timed_out_ = true;
    shut_down();
    return;
  }
  if (ready_to_unfence && !ready_to_unfence_) {
    ready_to_unfence_ = true;  // Kafka's SetReadyToUnfenceEvent
    schedule_immediately(now);
  }
  if (pending_ && now >= pending_->created + config_.request_timeout) {
    ++counters_.timeouts;
    pending_.reset();
    schedule_after_failure(now);
  }
  if (!pending_ && now >= next_communication_) {
    pending_ = Pending{build_request(metadata_offset), now, std::nullopt, std::nullopt};
    next_communication_ = Instant::never();
  }
  if (pending_ && !pending_->sent_id && active_controller) send_pending(*active_controller);
}

void BrokerLifecycleManager::handle_response(const Message& message, Instant now) {
  if (state_ == BrokerState::SHUTTING_DOWN || !pending_ || !pending_->sent_id ||
      message.correlation_id != *pending_->sent_id) {
    ++counters_.ignored_responses;
    return;
  }
  if (const auto* r = std::get_if<controller::BrokerRegistrationResponse>(&message.payload)) {
    KR_ASSERT(std::holds_alternative<controller::BrokerRegistrationRequest>(pending_->payload),
              "BrokerRegistrationResponse answers a " << api_name(pending_->payload));
    pending_.reset();
    on_registration_response(*r, now);
  } else if (const auto* h = std::get_if<controller::BrokerHeartbeatResponse>(&message.payload)) {
    KR_ASSERT(std::holds_alternative<controller::BrokerHeartbeatRequest>(pending_->payload),
              "BrokerHeartbeatResponse answers a " << api_name(pending_->payload));
    pending_.reset();
    on_heartbeat_response(*h, now);
  } else {
    KR_UNREACHABLE("broker lifecycle manager got a " << api_name(message.payload));
  }
}

void BrokerLifecycleManager::begin_controlled_shutdown(Instant now) {
  switch (state_) {
    case BrokerState::PENDING_CONTROLLED_SHUTDOWN:
    case BrokerState::SHUTTING_DOWN:
      return;  // already on the way
    case BrokerState::RUNNING:
      state_ = BrokerState::PENDING_CONTROLLED_SHUTDOWN;
      // The first want_shut_down heartbeat goes out at once so the controller starts moving
      // leaderships away as soon as possible.
      schedule_immediately(now);
      return;
    case BrokerState::NOT_RUNNING:
    case BrokerState::STARTING:
    case BrokerState::RECOVERY:
      shut_down();  // Kafka: "Skipping controlled shutdown because we are in state ..."
      return;
  }
}

// ---- outputs ------------------------------------------------------------------------------

Instant BrokerLifecycleManager::next_deadline() const {
  if (state_ == BrokerState::SHUTTING_DOWN) return Instant::never();
  Instant deadline = registered_ ? Instant::never() : registration_deadline_;
  if (pending_) return std::min(deadline, pending_->created + config_.request_timeout);
  return std::min(deadline, next_communication_);
}

// ---- requests and responses ---------------------------------------------------------------

Payload BrokerLifecycleManager::build_request(std::int64_t metadata_offset) const {
  if (!registered_) {
    controller::BrokerRegistrationRequest r;
    r.broker_id = broker_id_.value();
    r.incarnation_id = incarnation_id_;
    r.rack = config_.rack;
    return r;
  }
  controller::BrokerHeartbeatRequest h;
  h.broker_id = broker_id_.value();
  h.broker_epoch = *broker_epoch_;
  h.current_metadata_offset = metadata_offset;
  h.want_fence = !ready_to_unfence_;
  h.want_shut_down = state_ == BrokerState::PENDING_CONTROLLED_SHUTDOWN;
  return h;
}

void BrokerLifecycleManager::send_pending(NodeId controller) {
  const CorrelationId id = next_correlation_id_;
  next_correlation_id_ = CorrelationId(id.value() + 1);
  pending_->sent_id = id;
  pending_->sent_to = controller;
  if (std::holds_alternative<controller::BrokerRegistrationRequest>(pending_->payload)) {
    ++counters_.registrations_sent;
  } else {
    ++counters_.heartbeats_sent;
  }
  channel_.send(Message{broker_id_, controller, id, pending_->payload});
}

void BrokerLifecycleManager::on_registration_response(
    const controller::BrokerRegistrationResponse& r, Instant now) {
  if (r.error != controller::ApiError::NONE) {
    ++counters_.errors[r.error];
    schedule_after_failure(now);
    return;
  }
  failed_attempts_ = 0;
  broker_epoch_ = r.broker_epoch;
  registered_ = true;
  ++counters_.registrations_succeeded;
  schedule_immediately(now);  // the first heartbeat goes out at once
}

void BrokerLifecycleManager::on_heartbeat_response(const controller::BrokerHeartbeatResponse& r,
                                                   Instant now) {
  if (r.error != controller::ApiError::NONE) {
    ++counters_.errors[r.error];
    schedule_after_failure(now);
    return;
  }
  failed_attempts_ = 0;
  fenced_ = r.is_fenced;
  ++counters_.heartbeats_succeeded;
  switch (state_) {
    case BrokerState::STARTING:
      if (r.is_caught_up) state_ = BrokerState::RECOVERY;  // initialCatchUpFuture completes
      // Kafka keeps the 10 ms delay for the heartbeat right after catching up too, so a broker
      // with no recovery work to do gets unfenced quickly.
      schedule_next(now, kStartingHeartbeatDelay);
      return;
    case BrokerState::RECOVERY:
      if (!r.is_fenced) state_ = BrokerState::RUNNING;  // initialUnfenceFuture completes
      schedule_next(now, config_.heartbeat_interval);
      return;
    case BrokerState::RUNNING:
      schedule_next(now, config_.heartbeat_interval);
      return;
    case BrokerState::PENDING_CONTROLLED_SHUTDOWN:
      if (r.should_shut_down) {
        shut_down();
      } else {
        schedule_next(now, got_controlled_shutdown_response_ ? config_.heartbeat_interval
                                                             : kFirstControlledShutdownRetry);
      }
      got_controlled_shutdown_response_ = true;
      return;
    case BrokerState::NOT_RUNNING:
    case BrokerState::SHUTTING_DOWN:
      break;
  }
  KR_UNREACHABLE("heartbeat response in state " << state_);
}

// ---- scheduling ---------------------------------------------------------------------------

void BrokerLifecycleManager::schedule_next(Instant now, Duration delay) {
  next_communication_ = now + (immediate_after_response_ ? Duration::zero() : delay);
  immediate_after_response_ = false;
}

void BrokerLifecycleManager::schedule_immediately(Instant now) {
  if (pending_) {
    immediate_after_response_ = true;  // one at a time: right after the outstanding one
  } else {
    next_communication_ = now;
  }
}

void BrokerLifecycleManager::schedule_after_failure(Instant now) {
  immediate_after_response_ = false;  // never resend at once after a failure
  next_communication_ = now + backoff(failed_attempts_);
  ++failed_attempts_;
}

Duration BrokerLifecycleManager::backoff(std::int64_t failures) const {
  Duration delay = config_.retry_backoff;
  for (std::int64_t i = 0; i < failures && delay < config_.retry_backoff_max; ++i) {
    delay = delay * 2;
  }
  return std::min(delay, config_.retry_backoff_max);
}

void BrokerLifecycleManager::shut_down() {
  state_ = BrokerState::SHUTTING_DOWN;
  pending_.reset();
  next_communication_ = Instant::never();
  immediate_after_response_ = false;
}

}  // namespace raft::broker
