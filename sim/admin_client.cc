// The simulated Kafka Admin client (see admin_client.hh).
#include "sim/admin_client.hh"

#include <algorithm>
#include <utility>
#include <variant>

#include "raft/common/assert.hh"

namespace sim {

using raft::controller::ApiError;
using Result = AdminOutcome::Result;

std::string_view to_string(AdminOpKind kind) {
  switch (kind) {
    case AdminOpKind::create_topic: return "create_topic";
    case AdminOpKind::delete_topic: return "delete_topic";
    case AdminOpKind::alter_config: return "alter_config";
  }
  return "?";
}

std::string_view to_string(AdminOutcome::Result result) {
  switch (result) {
    case Result::PENDING: return "PENDING";
    case Result::ACKNOWLEDGED: return "ACKNOWLEDGED";
    case Result::FAILED: return "FAILED";
    case Result::UNKNOWN: return "UNKNOWN";
  }
  return "?";
}

AdminClient::AdminClient(raft::NodeId client_id, std::vector<raft::NodeId> controllers,
                         AdminClientConfig config, raft::NetworkChannel& channel, Instant now)
    : client_id_(client_id),
      controllers_(std::move(controllers)),
      config_(config),
      channel_(channel) {
  (void)now;  // nothing is scheduled at creation; kept for symmetry with the other sans-I/O types
  KR_ASSERT(!controllers_.empty(), "admin client needs at least one bootstrap controller");
  for (std::size_t i = 0; i < controllers_.size(); ++i) {
    for (std::size_t j = i + 1; j < controllers_.size(); ++j) {
      KR_ASSERT(controllers_[i] != controllers_[j], "duplicate controller " << controllers_[i]);
    }
  }
  KR_ASSERT(config_.request_timeout > Duration::zero(), "request_timeout must be > 0");
  KR_ASSERT(config_.api_timeout > Duration::zero(), "api_timeout must be > 0");
  KR_ASSERT(config_.retry_backoff >= Duration::zero(), "retry_backoff must be >= 0");
  KR_ASSERT(config_.retry_backoff_max >= config_.retry_backoff,
            "retry_backoff_max must be >= retry_backoff");
  believed_ = controllers_.front();
}

// ---- submission --------------------------------------------------------------------------------

std::uint64_t AdminClient::submit_create_topic(std::string name, std::int32_t partitions,
                                               std::int16_t replication_factor,
                                               std::map<std::string, std::string> configs,
                                               Instant now) {
  raft::controller::CreatableTopic topic;
  topic.name = name;
  topic.num_partitions = partitions;
  topic.replication_factor = replication_factor;
  for (auto& [key, value] : configs) topic.configs.push_back({key, std::move(value)});
  raft::controller::CreateTopicsRequest request;
  request.topics.push_back(std::move(topic));
  return submit(AdminOpKind::create_topic, std::move(name), std::move(request), now);
}

std::uint64_t AdminClient::submit_delete_topic(std::string name, Instant now) {
  raft::controller::DeleteTopicsRequest request;
  request.names.push_back(name);
  return submit(AdminOpKind::delete_topic, std::move(name), std::move(request), now);
}

std::uint64_t AdminClient::submit_alter_config(std::int8_t resource_type,
                                               std::string resource_name, std::string key,
                                               std::optional<std::string> value, Instant now) {
  raft::controller::AlterableConfig config;
  config.name = std::move(key);
  using raft::controller::AlterConfigOp;
  config.op = value ? AlterConfigOp::SET : AlterConfigOp::DELETE;
  config.value = std::move(value);
  raft::controller::AlterConfigsResource resource;
  resource.resource_type = resource_type;
  resource.resource_name = resource_name;
  resource.configs.push_back(std::move(config));
  raft::controller::IncrementalAlterConfigsRequest request;
  request.resources.push_back(std::move(resource));
  return submit(AdminOpKind::alter_config, std::move(resource_name), std::move(request), now);
}

std::uint64_t AdminClient::submit(AdminOpKind kind, std::string target, raft::Payload request,
                                  Instant now) {
  const std::uint64_t id = outcomes_.size() + 1;
  AdminOutcome outcome;
  outcome.id = id;
  outcome.kind = kind;
  outcome.target = std::move(target);
  outcome.submitted = now;
  outcomes_.push_back(std::move(outcome));

  Running op;
  op.request = std::move(request);
  op.api_deadline = now + config_.api_timeout;
  Running& stored = running_.emplace(id, std::move(op)).first->second;
  send_attempt(id, stored, now);
  return id;
}

// ---- attempts ----------------------------------------------------------------------------------

void AdminClient::send_attempt(std::uint64_t id, Running& op, Instant now) {
  const raft::CorrelationId correlation(next_correlation_++);
  op.in_flight = true;
  op.destination = believed_;
  op.correlation_id = correlation;
  op.attempt_deadline = now + config_.request_timeout;
  op.retry_at = Instant::never();
  outstanding_.emplace(correlation, id);
  outcomes_[id - 1].attempts += 1;
  channel_.send(raft::Message{client_id_, op.destination, correlation, op.request});
}

Duration AdminClient::backoff_after_attempts(int attempts) const {
  // attempts >= 1 failed so far: retry_backoff * 2^(attempts - 1), capped without overflowing.
  Duration backoff = config_.retry_backoff;
  for (int i = 1; i < attempts && backoff < config_.retry_backoff_max; ++i) {
    backoff = backoff.us() > config_.retry_backoff_max.us() / 2 ? config_.retry_backoff_max
                                                                 : backoff * 2;
  }
  return std::min(backoff, config_.retry_backoff_max);
}

void AdminClient::schedule_retry(std::uint64_t id, Running& op, ApiError error, Instant now) {
  AdminOutcome& outcome = outcomes_[id - 1];
  outcome.error = error;
  if (op.in_flight) outstanding_.erase(op.correlation_id);
  op.in_flight = false;
  op.attempt_deadline = Instant::never();
  op.retry_at = now + backoff_after_attempts(outcome.attempts);
}

void AdminClient::finish(std::uint64_t id, Result result, ApiError error, Instant now) {
  auto it = running_.find(id);
  KR_ASSERT(it != running_.end(), "finishing operation " << id << " that is not running");
  if (it->second.in_flight) outstanding_.erase(it->second.correlation_id);
  running_.erase(it);
  AdminOutcome& outcome = outcomes_[id - 1];
  outcome.result = result;
  outcome.error = error;
  outcome.completed = now;
}

void AdminClient::expire(std::uint64_t id, Instant now) {
  const ApiError last = outcomes_[id - 1].error;
  finish(id, Result::UNKNOWN, last == ApiError::NONE ? ApiError::REQUEST_TIMED_OUT : last, now);
}

raft::NodeId AdminClient::next_controller_after(raft::NodeId node) const {
  const auto it = std::find(controllers_.begin(), controllers_.end(), node);
  if (it == controllers_.end()) return controllers_.front();
  const auto next = it + 1;
  return next == controllers_.end() ? controllers_.front() : *next;
}

void AdminClient::on_not_controller(raft::NodeId responder, std::optional<raft::NodeId> hint) {
  if (hint && *hint != responder) {
    believed_ = *hint;
  } else if (believed_ == responder) {
    believed_ = next_controller_after(responder);
  }
}

// ---- responses ---------------------------------------------------------------------------------

namespace {

// The request-level error, the hint and the result for `target` of one response type.
struct ParsedResponse {
  ApiError request_error = ApiError::NONE;
  std::optional<ApiError> target_error;  // nullopt: the response has no result for the target
  std::optional<raft::NodeId> hint;
  std::optional<raft::metadata::Uuid> topic_id;
};

// `request` is the operation's request (for the resource type of an alter_config); `payload` the
// response. nullopt if the response is not of the request's type.
std::optional<ParsedResponse> parse(AdminOpKind kind, const std::string& target,
                                    const raft::Payload& request, const raft::Payload& payload) {
  ParsedResponse parsed;
  switch (kind) {
    case AdminOpKind::create_topic: {
      const auto* r = std::get_if<raft::controller::CreateTopicsResponse>(&payload);
      if (r == nullptr) return std::nullopt;
      parsed.request_error = r->error;
      parsed.hint = r->controller_hint;
      for (const auto& t : r->topics) {
        if (t.name != target) continue;
        parsed.target_error = t.error;
        parsed.topic_id = t.topic_id;
        break;
      }
      return parsed;
    }
    case AdminOpKind::delete_topic: {
      const auto* r = std::get_if<raft::controller::DeleteTopicsResponse>(&payload);
      if (r == nullptr) return std::nullopt;
      parsed.request_error = r->error;
      parsed.hint = r->controller_hint;
      for (const auto& t : r->topics) {
        if (t.name != target) continue;
        parsed.target_error = t.error;
        break;
      }
      return parsed;
    }
    case AdminOpKind::alter_config: {
      const auto* r = std::get_if<raft::controller::IncrementalAlterConfigsResponse>(&payload);
      const auto* q = std::get_if<raft::controller::IncrementalAlterConfigsRequest>(&request);
      if (r == nullptr || q == nullptr || q->resources.empty()) return std::nullopt;
      const std::int8_t type = q->resources.front().resource_type;
      parsed.request_error = r->error;
      parsed.hint = r->controller_hint;
      for (const auto& res : r->responses) {
        if (res.resource_name != target || res.resource_type != type) continue;
        parsed.target_error = res.error;
        break;
      }
      return parsed;
    }
  }
  return std::nullopt;
}

bool is_retriable(ApiError e) {
  return e == ApiError::NOT_CONTROLLER || e == ApiError::REQUEST_TIMED_OUT;
}

}  // namespace

bool AdminClient::handle(const raft::Message& message, Instant now) {
  if (message.destination != client_id_) return false;
  const auto out = outstanding_.find(message.correlation_id);
  if (out == outstanding_.end()) return false;
  const std::uint64_t id = out->second;
  Running& op = running_.at(id);
  if (message.source != op.destination) return false;
  if (now >= op.api_deadline) {
    // Too late: the operation has expired (poll() at its deadline would have ended it already).
    expire(id, now);
    return false;
  }
  const AdminOutcome& outcome = outcomes_[id - 1];
  const std::optional<ParsedResponse> parsed =
      parse(outcome.kind, outcome.target, op.request, message.payload);
  if (!parsed) return false;  // not the response type of this request

  const ApiError error = parsed->request_error != ApiError::NONE
                             ? parsed->request_error
                             : parsed->target_error.value_or(ApiError::INVALID_REQUEST);
  if (error == ApiError::NONE) {
    if (outcome.kind == AdminOpKind::create_topic) outcomes_[id - 1].topic_id = parsed->topic_id;
    finish(id, Result::ACKNOWLEDGED, ApiError::NONE, now);
  } else if (is_retriable(error)) {
    if (error == ApiError::NOT_CONTROLLER) on_not_controller(message.source, parsed->hint);
    schedule_retry(id, op, error, now);
    if (op.retry_at <= now) send_attempt(id, op, now);  // zero backoff
  } else {
    finish(id, Result::FAILED, error, now);
  }
  return true;
}

// ---- timers ------------------------------------------------------------------------------------

void AdminClient::poll(Instant now) {
  // Collect first: finishing an operation erases it from running_.
  std::vector<std::uint64_t> ids;
  ids.reserve(running_.size());
  for (const auto& [id, op] : running_) ids.push_back(id);

  for (const std::uint64_t id : ids) {
    Running& op = running_.at(id);
    if (now >= op.api_deadline) {
      expire(id, now);
      continue;
    }
    if (op.in_flight && now >= op.attempt_deadline) {
      if (believed_ == op.destination) believed_ = next_controller_after(op.destination);
      schedule_retry(id, op, ApiError::REQUEST_TIMED_OUT, now);
    }
    if (!op.in_flight && now >= op.retry_at) send_attempt(id, op, now);
  }
}

void AdminClient::node_down(raft::NodeId node, Instant now) {
  std::vector<std::uint64_t> ids;
  for (const auto& [id, op] : running_) {
    if (op.in_flight && op.destination == node) ids.push_back(id);
  }
  for (const std::uint64_t id : ids) {
    Running& op = running_.at(id);
    if (believed_ == node) believed_ = next_controller_after(node);
    // Kafka's NetworkClient sees the broken connection as a disconnect: the call is retried
    // (with the backoff) and its last error is a timeout-like network failure.
    schedule_retry(id, op, ApiError::REQUEST_TIMED_OUT, now);
  }
}

Instant AdminClient::next_deadline() const {
  Instant earliest = Instant::never();
  for (const auto& [id, op] : running_) {
    earliest = std::min(earliest, op.api_deadline);
    earliest = std::min(earliest, op.in_flight ? op.attempt_deadline : op.retry_at);
  }
  return earliest;
}

// ---- queries -----------------------------------------------------------------------------------

const AdminOutcome& AdminClient::outcome(std::uint64_t id) const {
  KR_ASSERT(id >= 1 && id <= outcomes_.size(), "no admin operation " << id);
  return outcomes_[id - 1];
}

std::size_t AdminClient::count(Result result) const {
  return static_cast<std::size_t>(
      std::count_if(outcomes_.begin(), outcomes_.end(),
                    [result](const AdminOutcome& o) { return o.result == result; }));
}

}  // namespace sim
