// The simulated Kafka Admin client used by a scenario's admin workload: it creates and deletes
// topics and alters configs by talking to the controllers directly (bootstrap.controllers,
// KIP-919), retrying until an answer is definite or its API timeout expires.
//
// Kafka: org.apache.kafka.clients.admin.KafkaAdminClient (its Call retry loop: fail() with
// retryBackoff.backoff(tries++), the per-call deadline of default.api.timeout.ms, and
// request.timeout.ms per attempt) with the ControllerNodeProvider of KIP-919.
//
// Sans-I/O like the raft/ code: requests go out through the raft::NetworkChannel given at
// construction; the simulator delivers responses with handle(), fires timers with poll() at (or
// after) next_deadline(), and submits operations with submit_*(). `now` always comes in.
//
// Behaviour of one operation (one request with one topic/resource):
//  * Each attempt goes to the controller the client currently believes active (initially the first
//    of bootstrap.controllers). Only one attempt of an operation is in flight at a time;
//    operations run concurrently and share the belief.
//  * Response matched by (source, correlation id) of the operation's outstanding attempt; any other
//    message (stale, duplicate, unknown, wrong type) is ignored.
//  * Request-level or per-topic NOT_CONTROLLER: the belief moves to controller_hint when present
//    and different from the responder, else to the controller after the responder in list order
//    (only if the belief still is the responder: another operation may already have moved it);
//    retry after the backoff. REQUEST_TIMED_OUT: retry after the backoff (same controller).
//    NONE: ACKNOWLEDGED. Any other error: FAILED(error). A response without a result for the
//    operation's target: FAILED(INVALID_REQUEST) (Kafka fails the future with an ApiException).
//  * No response within request_timeout: the attempt times out (last error REQUEST_TIMED_OUT); the
//    belief moves to the next controller after the one that did not answer (same proviso as
//    above); retry after the backoff (Kafka: the timed-out call goes through fail() too).
//  * Backoff after the n-th failed attempt (n >= 1): min(retry_backoff * 2^(n-1),
//    retry_backoff_max), no jitter: 100 ms, 200 ms, 400 ms, 800 ms, 1 s, 1 s, ...
//  * When now >= submitted + api_timeout the operation ends UNKNOWN (Kafka: TimeoutException; the
//    write may or may not have happened), whatever it was doing; a response arriving at or after
//    that instant is ignored. The error recorded is the last error seen, or REQUEST_TIMED_OUT if
//    none was seen.
//  * Caveat for checkers: after a retry, FAILED(TOPIC_ALREADY_EXISTS) for a create or
//    FAILED(UNKNOWN_TOPIC_OR_PARTITION) for a delete may be caused by an earlier attempt of the
//    same operation that did take effect (attempts > 1), exactly as with Kafka's Admin.
//
// Determinism: state lives in ordered containers iterated in operation id order; no randomness.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "raft/common/ids.hh"
#include "raft/controller/controller_messages.hh"
#include "raft/io.hh"
#include "raft/messages.hh"
#include "raft/metadata/records.hh"
#include "sim/time.hh"

namespace sim {

// Kafka AdminClientConfig values the simulated client honours.
struct AdminClientConfig {
  // request.timeout.ms: how long one attempt waits for its response. > 0.
  Duration request_timeout = Duration::seconds(30);
  // default.api.timeout.ms: how long an operation may take in total, from submission. > 0.
  Duration api_timeout = Duration::seconds(60);
  // retry.backoff.ms: wait after the first failed attempt; doubles after each further one. >= 0.
  Duration retry_backoff = Duration::millis(100);
  // retry.backoff.max.ms: cap of the exponential backoff. >= retry_backoff.
  Duration retry_backoff_max = Duration::seconds(1);
};

enum class AdminOpKind : std::uint8_t { create_topic, delete_topic, alter_config };

// "create_topic", "delete_topic", "alter_config".
std::string_view to_string(AdminOpKind kind);

// What is known about one submitted operation.
struct AdminOutcome {
  enum class Result : std::uint8_t {
    PENDING,       // still running (an attempt in flight or waiting for its backoff)
    ACKNOWLEDGED,  // a controller answered NONE: the change is committed
    FAILED,        // a controller answered a non-retriable error: see `error`
    UNKNOWN,       // api_timeout expired: the change may or may not have happened
  };

  std::uint64_t id = 0;  // operation id: 1, 2, 3, ... in submission order
  AdminOpKind kind = AdminOpKind::create_topic;
  std::string target;    // topic name, or the config resource name for alter_config
  Result result = Result::PENDING;
  // FAILED: the final error. UNKNOWN: the last error seen (REQUEST_TIMED_OUT if none).
  // ACKNOWLEDGED: NONE. PENDING: the last error seen so far (NONE if none).
  raft::controller::ApiError error = raft::controller::ApiError::NONE;
  Instant submitted;               // when submit_*() was called
  Instant completed = Instant::never();  // when the result became final; never() while PENDING
  int attempts = 0;                // requests sent so far (>= 1 once submitted)
  std::optional<raft::metadata::Uuid> topic_id;  // set for an ACKNOWLEDGED create_topic
};

// "PENDING", "ACKNOWLEDGED", "FAILED", "UNKNOWN".
std::string_view to_string(AdminOutcome::Result result);

class AdminClient {
 public:
  // `client_id`: the node id the simulation reserves for this client (source of its requests).
  // `controllers`: bootstrap.controllers, in the order used for round robin; non-empty, distinct.
  // `channel` must outlive the client. `now` is the creation time (the client sends nothing yet).
  AdminClient(raft::NodeId client_id, std::vector<raft::NodeId> controllers,
              AdminClientConfig config, raft::NetworkChannel& channel, Instant now);

  // Submit an operation; its first attempt is sent at once. Each returns the operation id.
  // CreateTopics with one topic (`configs`: topic configs as name -> value).
  std::uint64_t submit_create_topic(std::string name, std::int32_t partitions,
                                    std::int16_t replication_factor,
                                    std::map<std::string, std::string> configs, Instant now);
  // DeleteTopics with one topic name.
  std::uint64_t submit_delete_topic(std::string name, Instant now);
  // IncrementalAlterConfigs with one resource and one config: SET `key` to `*value`, or DELETE it
  // when `value` is nullopt. `resource_type`: raft::controller::kResourceTopic/kResourceBroker.
  std::uint64_t submit_alter_config(std::int8_t resource_type, std::string resource_name,
                                    std::string key, std::optional<std::string> value,
                                    Instant now);

  // Delivers a message addressed to this client. Returns true if it was the response to an
  // outstanding attempt and was acted upon, false if it was ignored. (A response arriving at or
  // after its operation's API deadline is ignored, but that operation is ended UNKNOWN at once.)
  bool handle(const raft::Message& message, Instant now);

  // Fires every timer due at or before `now`: API timeouts, attempt timeouts, ends of backoff
  // (which send the next attempt), in operation id order.
  void poll(Instant now);

  // The process at `node` died or refused the connection (the simulation knows the TCP connection
  // broke: a request to a crashed node, or a crash while a request was outstanding): every attempt
  // in flight to it fails at once, as a disconnect does in Kafka's NetworkClient, instead of
  // waiting for request.timeout.ms; the belief moves on as after a timeout.
  void node_down(raft::NodeId node, Instant now);

  // Earliest instant at which poll() has something to do: the minimum over running operations of
  // their attempt timeout or backoff end, and their API timeout. Instant::never() if idle.
  [[nodiscard]] Instant next_deadline() const;

  // Every submitted operation, in id order (index = id - 1).
  [[nodiscard]] const std::vector<AdminOutcome>& outcomes() const { return outcomes_; }
  // The outcome of one operation. Precondition: 1 <= id <= number submitted.
  [[nodiscard]] const AdminOutcome& outcome(std::uint64_t id) const;
  // Number of operations with the given result.
  [[nodiscard]] std::size_t count(AdminOutcome::Result result) const;
  // Number of operations still PENDING.
  [[nodiscard]] std::size_t in_flight() const { return running_.size(); }
  // The controller the next attempt would be sent to.
  [[nodiscard]] raft::NodeId believed_controller() const { return believed_; }
  [[nodiscard]] raft::NodeId client_id() const { return client_id_; }

 private:
  // Bookkeeping of one PENDING operation.
  struct Running {
    raft::Payload request;         // the request re-sent by every attempt
    Instant api_deadline;          // submitted + api_timeout
    // Exactly one of the two is meaningful: `in_flight` says which.
    bool in_flight = false;
    raft::NodeId destination;      // controller of the outstanding attempt (if in_flight)
    raft::CorrelationId correlation_id;  // of the outstanding attempt (if in_flight)
    Instant attempt_deadline = Instant::never();  // sent + request_timeout (if in_flight)
    Instant retry_at = Instant::never();          // end of the backoff (if !in_flight)
  };

  std::uint64_t submit(AdminOpKind kind, std::string target, raft::Payload request, Instant now);
  void send_attempt(std::uint64_t id, Running& op, Instant now);
  // Ends an attempt with a retriable error: records it and starts the backoff.
  void schedule_retry(std::uint64_t id, Running& op, raft::controller::ApiError error,
                      Instant now);
  // Ends the operation with a final result; removes it from running_ (invalidates `op`).
  void finish(std::uint64_t id, AdminOutcome::Result result, raft::controller::ApiError error,
              Instant now);
  // The responder said it is not the controller (see the header comment for the rule).
  void on_not_controller(raft::NodeId responder, std::optional<raft::NodeId> hint);
  // The controller after `node` in list order (the first one if `node` is not in the list).
  [[nodiscard]] raft::NodeId next_controller_after(raft::NodeId node) const;
  [[nodiscard]] Duration backoff_after_attempts(int attempts) const;
  // Ends the operation UNKNOWN because its API timeout expired.
  void expire(std::uint64_t id, Instant now);

  raft::NodeId client_id_;
  std::vector<raft::NodeId> controllers_;  // bootstrap.controllers; non-empty
  AdminClientConfig config_;
  raft::NetworkChannel& channel_;
  raft::NodeId believed_;                  // controller believed active
  std::int64_t next_correlation_ = 1;      // correlation id of the next request sent
  std::vector<AdminOutcome> outcomes_;     // every operation, index = id - 1
  std::map<std::uint64_t, Running> running_;               // PENDING operations by id
  std::map<raft::CorrelationId, std::uint64_t> outstanding_;  // in-flight attempt -> op id
};

}  // namespace sim
