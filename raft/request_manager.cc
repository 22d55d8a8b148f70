// Kafka: org.apache.kafka.raft.RequestManager (KIP-595). See request_manager.hh.
#include "raft/request_manager.hh"

#include <algorithm>

#include "raft/common/assert.hh"

namespace raft {

RequestManager::RequestManager(std::vector<NodeId> bootstrap_servers, Duration retry_backoff,
                               Duration request_timeout, Random& random)
    : bootstrap_servers_(std::move(bootstrap_servers)),
      retry_backoff_(retry_backoff),
      request_timeout_(request_timeout),
      random_(random) {
  std::sort(bootstrap_servers_.begin(), bootstrap_servers_.end());
}

const RequestManager::Connection* RequestManager::find(NodeId node) const {
  auto it = connections_.find(node);
  return it == connections_.end() ? nullptr : &it->second;
}

bool RequestManager::is_ready(NodeId node, Instant now) {
  const Connection* c = find(node);
  if (c == nullptr) return true;
  bool ready = false;
  switch (c->status) {
    case Connection::Status::Ready: ready = true; break;
    case Connection::Status::BackingOff: ready = now >= c->last_fail_time + retry_backoff_; break;
    case Connection::Status::AwaitingResponse:
      ready = now >= c->last_send_time + request_timeout_;
      break;
  }
  if (ready) reset(node);
  return ready;
}

bool RequestManager::is_backing_off(NodeId node, Instant now) const {
  const Connection* c = find(node);
  return c != nullptr && c->status == Connection::Status::BackingOff &&
         now < c->last_fail_time + retry_backoff_;
}

bool RequestManager::has_request_timed_out(NodeId node, Instant now) const {
  const Connection* c = find(node);
  return c != nullptr && c->status == Connection::Status::AwaitingResponse &&
         now >= c->last_send_time + request_timeout_;
}

bool RequestManager::has_any_inflight_request(Instant now) const {
  for (const auto& [node, c] : connections_) {
    if (c.status == Connection::Status::AwaitingResponse && now < c.last_send_time + request_timeout_) {
      return true;
    }
  }
  return false;
}

std::optional<NodeId> RequestManager::find_ready_bootstrap_server(Instant now) {
  if (bootstrap_servers_.empty() || has_any_inflight_request(now)) return std::nullopt;
  const auto n = static_cast<std::int64_t>(bootstrap_servers_.size());
  const std::int64_t start = random_.next_int(n);
  for (std::int64_t i = 0; i < n; ++i) {
    NodeId node = bootstrap_servers_[static_cast<std::size_t>((start + i) % n)];
    if (is_ready(node, now)) return node;
  }
  return std::nullopt;
}

Instant RequestManager::next_ready_time(NodeId node, Instant now) const {
  const Connection* c = find(node);
  if (c == nullptr) return now;
  switch (c->status) {
    case Connection::Status::Ready: return now;
    case Connection::Status::BackingOff: return std::max(now, c->last_fail_time + retry_backoff_);
    case Connection::Status::AwaitingResponse:
      return std::max(now, c->last_send_time + request_timeout_);
  }
  return now;
}

Instant RequestManager::backoff_before_available_bootstrap_server(Instant now) const {
  Instant best = Instant::never();
  for (NodeId node : bootstrap_servers_) best = std::min(best, next_ready_time(node, now));
  // While any request is in flight, no bootstrap server may be used before it completes.
  for (const auto& [node, c] : connections_) {
    if (c.status == Connection::Status::AwaitingResponse && now < c.last_send_time + request_timeout_) {
      best = std::max(best, c.last_send_time + request_timeout_);
    }
  }
  return best;
}

void RequestManager::on_request_sent(NodeId node, CorrelationId id, Instant now) {
  Connection& c = connections_[node];
  c.status = Connection::Status::AwaitingResponse;
  c.last_send_time = now;
  c.in_flight = id;
}

void RequestManager::on_response_result(NodeId node, CorrelationId id, bool success, Instant now) {
  if (!is_response_expected(node, id)) return;
  Connection& c = connections_[node];
  c.in_flight.reset();
  if (success) {
    c.status = Connection::Status::Ready;
  } else {
    c.status = Connection::Status::BackingOff;
    c.last_fail_time = now;
  }
}

bool RequestManager::is_response_expected(NodeId node, CorrelationId id) const {
  const Connection* c = find(node);
  return c != nullptr && c->in_flight && *c->in_flight == id;
}

void RequestManager::reset(NodeId node) { connections_.erase(node); }

void RequestManager::reset_all() { connections_.clear(); }

}  // namespace raft
