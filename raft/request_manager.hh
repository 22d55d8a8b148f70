// Per-destination connection state of outbound requests: ready, awaiting a response, or backing
// off after a failure.
//
// Kafka: org.apache.kafka.raft.RequestManager (KIP-595). Guarantees at most one in-flight request per
// destination, and (through find_ready_bootstrap_server / has_any_inflight_request) at most one
// in-flight Fetch per follower across all destinations. A request unanswered after
// controller.quorum.request.timeout.ms is abandoned; a failed response backs the destination off
// for controller.quorum.retry.backoff.ms. Responses whose correlation id is no longer expected
// (the connection was reset on a state change) are ignored by the caller.
#pragma once

#include <map>
#include <optional>
#include <vector>

#include "raft/common/ids.hh"
#include "raft/common/time.hh"
#include "raft/io.hh"

namespace raft {

class RequestManager {
 public:
  // bootstrap_servers: nodes a replica may ask to discover the leader (the static voters,
  // without the local node).
  RequestManager(std::vector<NodeId> bootstrap_servers, Duration retry_backoff,
                 Duration request_timeout, Random& random);

  // May a request be sent to `node` now? (ready, or its backoff / request timeout has passed.)
  // Resets the destination when it becomes ready this way.
  bool is_ready(NodeId node, Instant now);
  [[nodiscard]] bool is_backing_off(NodeId node, Instant now) const;
  [[nodiscard]] bool has_request_timed_out(NodeId node, Instant now) const;
  [[nodiscard]] bool has_any_inflight_request(Instant now) const;
  // A ready bootstrap server chosen from a random start position, or nullopt if none is ready
  // or any request is in flight anywhere.
  std::optional<NodeId> find_ready_bootstrap_server(Instant now);
  // When some bootstrap server may become ready (now if one is ready already).
  [[nodiscard]] Instant backoff_before_available_bootstrap_server(Instant now) const;
  // When `node` changes status by itself (request timeout or end of backoff); now if ready.
  [[nodiscard]] Instant next_ready_time(NodeId node, Instant now) const;

  void on_request_sent(NodeId node, CorrelationId id, Instant now);
  // success=false puts the destination into backoff.
  void on_response_result(NodeId node, CorrelationId id, bool success, Instant now);
  [[nodiscard]] bool is_response_expected(NodeId node, CorrelationId id) const;
  void reset(NodeId node);
  void reset_all();

 private:
  struct Connection {
    enum class Status { Ready, AwaitingResponse, BackingOff };
    Status status = Status::Ready;
    Instant last_send_time;
    Instant last_fail_time;
    std::optional<CorrelationId> in_flight;
  };
  [[nodiscard]] const Connection* find(NodeId node) const;

  std::vector<NodeId> bootstrap_servers_;
  Duration retry_backoff_;
  Duration request_timeout_;
  Random& random_;
  std::map<NodeId, Connection> connections_;
};

}  // namespace raft
