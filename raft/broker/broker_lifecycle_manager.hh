// The broker side of broker registration and heartbeats: owns the broker's lifecycle state.
//
// Kafka: kafka.server.BrokerLifecycleManager (KIP-631; kraft-protocol.md 11.4), together with
// the request-timeout half of the NodeToControllerChannelManager it sends through. Sans-I/O: the
// owner feeds it time (poll), controller responses (handle_response) and commands
// (begin_controlled_shutdown); requests go out through the NetworkChannel.
//
// Behaviour (Kafka 3.9/4.0, the version this simulator models):
//  * Created STARTING (Kafka's StartupEvent): sends a BrokerRegistrationRequest at once. If no
//    registration has succeeded within initial_registration_timeout, it gives up:
//    registration_timed_out() and SHUTTING_DOWN (Kafka shuts the broker down).
//  * Registration success: broker epoch known; a heartbeat is sent immediately. Every heartbeat
//    carries the latest metadata offset the owner passed to poll (CurrentMetadataOffset),
//    want_fence = !ready_to_unfence and want_shut_down = (state == PENDING_CONTROLLED_SHUTDOWN).
//  * STARTING: heartbeats every 10 ms until a reply says is_caught_up -> RECOVERY.
//  * RECOVERY: heartbeats every heartbeat_interval; a reply with !is_fenced -> RUNNING.
//  * RUNNING: heartbeats every heartbeat_interval (a fenced reply changes nothing).
//  * begin_controlled_shutdown: RUNNING -> PENDING_CONTROLLED_SHUTDOWN with an immediate
//    heartbeat; the first reply without should_shut_down schedules the next one after 50 ms,
//    later ones after heartbeat_interval; a reply with should_shut_down -> SHUTTING_DOWN. From
//    any other state except PENDING_CONTROLLED_SHUTDOWN it goes straight to SHUTTING_DOWN (Kafka
//    "skips controlled shutdown"). SHUTTING_DOWN sends nothing and ignores every response.
//  * The owner's ready_to_unfence turning true (Kafka's setReadyToUnfence) asks for an immediate
//    heartbeat; it stays true.
//  * Any error response (NOT_CONTROLLER, STALE_BROKER_EPOCH, DUPLICATE_BROKER_REGISTRATION,
//    UNSUPPORTED_VERSION...) and any timeout is a failure: retry after an exponential backoff
//    (retry_backoff * 2^failures, capped at retry_backoff_max; reset by any success). Failures
//    never change the state and never cause a re-registration: like Kafka, a broker that gets
//    STALE_BROKER_EPOCH while RUNNING keeps heartbeating with its epoch (Kafka re-registers only
//    for the JBOD metadata.version upgrade of BrokerRegistrationTracker, not modelled).
//  * One request at a time. A request is created when it is due (its fields are fixed then), sent
//    to the active controller as soon as one is known, and fails with a timeout if no response
//    came within request_timeout of its creation (Kafka's channel manager measures the retry
//    timeout from the request's creation, and holds it while no controller is known). An
//    immediate request asked for while one is outstanding is sent right after its response
//    (Kafka's nextSchedulingShouldBeImmediate), unless that response is a failure.
//  * Responses whose correlation id is not the outstanding request's are ignored (late replies
//    to timed-out requests, duplicates).
//
// Differences from Kafka:
//  * Kafka's NodeToControllerChannelManager re-queues a request that got NOT_CONTROLLER (or a
//    disconnect) and resends it to the next known controller within the same retry timeout;
//    here NOT_CONTROLLER is a failure with backoff and the next attempt is a fresh request.
//  * No jitter on the backoff (Kafka's ExponentialBackoff uses 2%).
//  * After a successful response, poll() must be called for the next request to be sent
//    (handle_response never sends: it does not know the active controller). BrokerServer does.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "raft/broker/broker_state.hh"
#include "raft/common/ids.hh"
#include "raft/common/time.hh"
#include "raft/controller/controller_messages.hh"
#include "raft/io.hh"
#include "raft/messages.hh"
#include "raft/metadata/records.hh"

namespace raft::broker {

struct BrokerLifecycleConfig {
  // broker.heartbeat.interval.ms: heartbeat period outside STARTING.
  Duration heartbeat_interval = Duration::millis(2000);
  // initial.broker.registration.timeout.ms: give up (shut down) if not registered by then.
  Duration initial_registration_timeout = Duration::seconds(60);
  // How long a request may wait for its response, counted from its creation: the controller
  // channel's retry timeout, broker.session.timeout.ms / 2 = 4500 ms since KAFKA-14392 (3.4).
  // (Kafka 4.1, KAFKA-19294, lowered it to broker.heartbeat.interval.ms.)
  Duration request_timeout = Duration::millis(4500);
  // Kafka's ExponentialBackoff(100 ms, x2, broker.session.timeout.ms, jitter 0.02): the delay
  // after the n-th consecutive failure (n = 0, 1, ...) is min(retry_backoff * 2^n,
  // retry_backoff_max). (apache/kafka PR 19061, Feb 2025, lowered the cap to 4500 ms; Kafka 4.1,
  // KAFKA-19294, retries after heartbeat_interval instead: set both to heartbeat_interval to
  // model it.) Invariant: 0 < retry_backoff <= retry_backoff_max.
  Duration retry_backoff = Duration::millis(100);
  Duration retry_backoff_max = Duration::millis(9000);
  // broker.rack, sent in the registration.
  std::optional<std::string> rack;
};

// Delay before the next attempt in STARTING after a successful heartbeat (Kafka: 10 ms).
inline constexpr Duration kStartingHeartbeatDelay = Duration::millis(10);
// Delay after the first PENDING_CONTROLLED_SHUTDOWN reply without should_shut_down (50 ms).
inline constexpr Duration kFirstControlledShutdownRetry = Duration::millis(50);

// Counters for summaries and traces.
struct BrokerLifecycleCounters {
  std::int64_t registrations_sent = 0;
  std::int64_t heartbeats_sent = 0;
  std::int64_t registrations_succeeded = 0;
  std::int64_t heartbeats_succeeded = 0;
  std::int64_t timeouts = 0;            // requests with no response within request_timeout
  std::int64_t ignored_responses = 0;   // stale or unexpected correlation ids
  std::map<controller::ApiError, std::int64_t> errors;  // error responses by error code
  [[nodiscard]] std::int64_t failures() const;          // timeouts + every error response
};

class BrokerLifecycleManager {
 public:
  // Starts the lifecycle (Kafka's start()): state STARTING, registration due at `now`, the
  // registration deadline at now + initial_registration_timeout. `channel` must outlive this
  // object; correlation ids are first_correlation_id, +1, +2, ... (one per send).
  BrokerLifecycleManager(NodeId broker_id, metadata::Uuid incarnation_id,
                         BrokerLifecycleConfig config, NetworkChannel& channel,
                         CorrelationId first_correlation_id, Instant now);
  BrokerLifecycleManager(const BrokerLifecycleManager&) = delete;
  BrokerLifecycleManager& operator=(const BrokerLifecycleManager&) = delete;

  // ---- inputs ----
  // Time passed or the broker's view changed. `active_controller`: where requests go (the
  // metadata quorum's leader; nullopt = unknown, requests wait). `metadata_offset`: the offset
  // of the last published metadata image, -1 if none (CurrentMetadataOffset of heartbeats
  // created now). `ready_to_unfence`: the broker finished starting up (sticky once true).
  // Expires timeouts, creates the due request and sends a waiting one.
  void poll(Instant now, std::optional<NodeId> active_controller, std::int64_t metadata_offset,
            bool ready_to_unfence);
  // A BrokerRegistrationResponse or BrokerHeartbeatResponse. Anything that does not answer the
  // outstanding request (by correlation id) is ignored. Asserts the payload type matches the
  // outstanding request's.
  void handle_response(const Message& message, Instant now);
  // Kafka's beginControlledShutdown (see the header comment).
  void begin_controlled_shutdown(Instant now);

  // ---- outputs ----
  // When poll() must be called next: the due time of the next request, the timeout of the
  // outstanding one, or the registration deadline; never() once SHUTTING_DOWN. A request waiting
  // for a controller does not make poll() due again before its timeout: poll when the
  // controller becomes known.
  [[nodiscard]] Instant next_deadline() const;
  [[nodiscard]] BrokerState state() const { return state_; }
  // The epoch of the successful registration; nullopt before.
  [[nodiscard]] std::optional<std::int64_t> broker_epoch() const { return broker_epoch_; }
  // is_fenced of the last successful heartbeat reply; true before any.
  [[nodiscard]] bool is_fenced() const { return fenced_; }
  // The broker process should stop: state SHUTTING_DOWN (the controller said should_shut_down,
  // registration timed out, or shutdown was requested outside RUNNING).
  [[nodiscard]] bool should_shut_down() const { return state_ == BrokerState::SHUTTING_DOWN; }
  // No registration succeeded within initial_registration_timeout (then should_shut_down()).
  [[nodiscard]] bool registration_timed_out() const { return registration_timed_out_; }
  // The broker registered at least once.
  [[nodiscard]] bool registered() const { return registered_; }
  // A request was created and has not been answered or timed out yet.
  [[nodiscard]] bool request_outstanding() const { return pending_.has_value(); }
  // It was also sent (false while it waits for a controller).
  [[nodiscard]] bool request_in_flight() const { return pending_ && pending_->sent_id.has_value(); }
  [[nodiscard]] bool ready_to_unfence() const { return ready_to_unfence_; }
  [[nodiscard]] const BrokerLifecycleCounters& counters() const { return counters_; }
  [[nodiscard]] NodeId broker_id() const { return broker_id_; }
  [[nodiscard]] const metadata::Uuid& incarnation_id() const { return incarnation_id_; }
  [[nodiscard]] const BrokerLifecycleConfig& config() const { return config_; }

 private:
  // The outstanding request: created when due, sent once a controller is known.
  struct Pending {
    Payload payload;                   // BrokerRegistrationRequest or BrokerHeartbeatRequest
    Instant created;                   // the timeout counts from here
    std::optional<CorrelationId> sent_id;  // set once sent
    std::optional<NodeId> sent_to;
  };

  [[nodiscard]] Payload build_request(std::int64_t metadata_offset) const;
  void send_pending(NodeId controller);
  void on_registration_response(const controller::BrokerRegistrationResponse& r, Instant now);
  void on_heartbeat_response(const controller::BrokerHeartbeatResponse& r, Instant now);
  // Kafka's scheduleNextCommunication(delay), honouring a pending "immediate" request.
  void schedule_next(Instant now, Duration delay);
  void schedule_immediately(Instant now);
  void schedule_after_failure(Instant now);
  [[nodiscard]] Duration backoff(std::int64_t failures) const;
  void shut_down();

  NodeId broker_id_;
  metadata::Uuid incarnation_id_;
  BrokerLifecycleConfig config_;
  NetworkChannel& channel_;
  CorrelationId next_correlation_id_;

  BrokerState state_ = BrokerState::STARTING;
  Instant registration_deadline_;
  bool registered_ = false;
  bool registration_timed_out_ = false;
  std::optional<std::int64_t> broker_epoch_;
  bool fenced_ = true;
  bool ready_to_unfence_ = false;
  bool got_controlled_shutdown_response_ = false;
  std::int64_t failed_attempts_ = 0;  // consecutive failures (backoff exponent)
  // Due time of the next request; never() while one is outstanding or after SHUTTING_DOWN.
  Instant next_communication_;
  // An immediate request was asked for while one was outstanding.
  bool immediate_after_response_ = false;
  std::optional<Pending> pending_;
  BrokerLifecycleCounters counters_;
};

}  // namespace raft::broker
