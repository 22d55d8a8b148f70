// RaftTestContext and its test doubles; see raft_test_context.hh.
#include "raft/support/raft_test_context.hh"

#include <algorithm>
#include <sstream>

#include "raft/common/assert.hh"

namespace raft::test {

// ---- MemoryQuorumStateStore ---------------------------------------------------------------

void MemoryQuorumStateStore::write_election_state(const ElectionState& state) {
  last_write_tick_ = clock_ != nullptr ? clock_->tick() : last_write_tick_ + 1;
  writes_.push_back(state);
  state_ = state;
}

// ---- CapturingChannel ---------------------------------------------------------------------

void CapturingChannel::send(Message message) {
  const std::int64_t tick = clock_ != nullptr ? clock_->tick() : 0;
  sent_.push_back(Sent{std::move(message), tick});
}

// ---- ScriptedRandom -----------------------------------------------------------------------

std::int64_t ScriptedRandom::next_int(std::int64_t bound) {
  KR_ASSERT(bound > 0, "next_int(" << bound << ")");
  bounds_.push_back(bound);
  std::int64_t value = 0;
  auto queued = queued_.find(bound);
  if (queued != queued_.end() && !queued->second.empty()) {
    value = queued->second.front();
    queued->second.pop_front();
  } else if (auto d = defaults_.find(bound); d != defaults_.end()) {
    value = d->second;
  }
  KR_ASSERT(value >= 0 && value < bound, "scripted value " << value << " for bound " << bound);
  return value;
}

void ScriptedRandom::queue(std::int64_t bound, std::vector<std::int64_t> values) {
  for (std::int64_t v : values) queued_[bound].push_back(v);
}

int ScriptedRandom::calls_with_bound(std::int64_t bound) const {
  return static_cast<int>(std::count(bounds_.begin(), bounds_.end(), bound));
}

// ---- Builder ------------------------------------------------------------------------------

RaftTestContext::Builder::Builder(NodeId local_id, std::vector<NodeId> voters)
    : local_id_(local_id), voters_(std::move(voters)) {}

RaftTestContext::Builder& RaftTestContext::Builder::with_election_state(ElectionState state) {
  election_state_ = state;
  return *this;
}

RaftTestContext::Builder& RaftTestContext::Builder::with_log_start(Offset start) {
  log_start_ = start;
  return *this;
}

RaftTestContext::Builder& RaftTestContext::Builder::with_snapshot(
    OffsetAndEpoch id, Instant last_contained_log_time, std::vector<std::string> records) {
  snapshots_.push_back(make_snapshot(id, last_contained_log_time, std::move(records)));
  return *this;
}

RaftTestContext::Builder& RaftTestContext::Builder::with_log_batch(Epoch epoch, int records) {
  batches_.emplace_back(epoch, records);
  return *this;
}

RaftTestContext::Builder& RaftTestContext::Builder::with_log_epochs(
    const std::vector<std::int32_t>& epochs) {
  for (std::int32_t e : epochs) batches_.emplace_back(Epoch(e), 1);
  return *this;
}

RaftTestContext::Builder& RaftTestContext::Builder::with_config(const RaftConfig& config) {
  config_ = config;
  return *this;
}

RaftTestContext::Builder& RaftTestContext::Builder::configure(
    const std::function<void(RaftConfig&)>& edit) {
  edit(config_);
  return *this;
}

RaftTestContext::Builder& RaftTestContext::Builder::with_random_default(std::int64_t bound,
                                                                         std::int64_t value) {
  random_defaults_.emplace_back(bound, value);
  return *this;
}

RaftTestContext::Builder& RaftTestContext::Builder::with_random_queue(
    std::int64_t bound, std::vector<std::int64_t> values) {
  random_queues_.emplace_back(bound, std::move(values));
  return *this;
}

RaftTestContext::Builder& RaftTestContext::Builder::with_start_time(Instant start) {
  start_ = start;
  return *this;
}

RaftTestContext::Builder& RaftTestContext::Builder::without_listener() {
  listener_ = false;
  return *this;
}

std::unique_ptr<RaftTestContext> RaftTestContext::Builder::build() {
  std::unique_ptr<RaftTestContext> ctx(
      new RaftTestContext(local_id_, voters_, config_, start_, listener_));
  if (election_state_) ctx->store_.preset(*election_state_);
  if (log_start_ > Offset(0)) ctx->storage_.truncate_fully(log_start_);
  for (const SnapshotPtr& snapshot : snapshots_) ctx->snapshots_.write_snapshot(snapshot);
  Offset next = log_start_;
  for (const auto& [epoch, records] : batches_) {
    BatchPtr batch = ctx->data_batch(next, epoch, records);
    next = batch->end_offset();
    ctx->storage_.append(std::move(batch));
  }
  ctx->storage_.flush();  // the initial log is what a previous incarnation left on disk
  for (const auto& [bound, value] : random_defaults_) ctx->random_.set_default(bound, value);
  for (const auto& [bound, values] : random_queues_) ctx->random_.queue(bound, values);
  ctx->start_client();
  return ctx;
}

// ---- RaftTestContext ----------------------------------------------------------------------

RaftTestContext::RaftTestContext(NodeId local_id, std::vector<NodeId> voters,
                                 const RaftConfig& config, Instant start, bool with_listener)
    : local_id_(local_id),
      voters_(std::move(voters)),
      config_(config),
      with_listener_(with_listener),
      now_(start) {}

void RaftTestContext::start_client() {
  RaftClient::Options options{local_id_, voters_, config_,
                              CorrelationId(incarnation_ * 1'000'000)};
  client_ = std::make_unique<RaftClient>(options, storage_, snapshots_, store_, channel_, random_,
                                         with_listener_ ? &listener_ : nullptr, now_);
}

void RaftTestContext::restart() {
  client_.reset();
  storage_.crash();
  channel_.clear();
  ++incarnation_;
  start_client();
}

std::vector<NodeId> RaftTestContext::remote_voters() const {
  std::vector<NodeId> out;
  for (NodeId v : voters_) {
    if (v != local_id_) out.push_back(v);
  }
  std::sort(out.begin(), out.end());
  return out;
}

const LeaderState& RaftTestContext::leader_state() const {
  const LeaderState* leader = client_->quorum().leader_or_null();
  REQUIRE_MESSAGE(leader != nullptr, "node " << local_id_.value() << " is not the leader");
  return *leader;
}

void RaftTestContext::advance(Duration d) { advance_to(now_ + d); }

void RaftTestContext::advance_to(Instant t) {
  if (t < now_) FAIL("advance_to(" << t << ") would move the clock back from " << now_);
  for (int i = 0; client_->next_deadline() <= t; ++i) {
    if (i >= 100'000) FAIL("the client never stops asking to be polled before " << t);
    now_ = std::max(now_, client_->next_deadline());
    poll();
  }
  now_ = t;
  poll();
}

void RaftTestContext::advance_until(const std::function<bool()>& done, Duration limit) {
  const Instant end = now_ + limit;
  for (int i = 0; !done(); ++i) {
    if (i >= 100'000) FAIL("advance_until spins at " << now_);
    const Instant next = client_->next_deadline();
    if (next > end) FAIL("condition not reached by " << end << " (next deadline " << next << ")");
    now_ = std::max(now_, next);
    poll();
  }
}

CorrelationId RaftTestContext::deliver(NodeId from, Payload request) {
  if (!is_request(request)) FAIL("deliver() takes requests; use respond() for responses");
  const CorrelationId id(next_remote_correlation_id_++);
  client_->handle(Message{from, local_id_, id, std::move(request)}, now_);
  return id;
}

void RaftTestContext::respond(const Message& request, Payload response) {
  if (request.source != local_id_ || is_request(response)) {
    FAIL("respond() answers a request the client sent with a response");
  }
  client_->handle(
      Message{request.destination, request.source, request.correlation_id, std::move(response)},
      now_);
}

VoteRequest RaftTestContext::vote_request(NodeId candidate, Epoch epoch, Epoch last_epoch,
                                          Offset last_offset, bool pre_vote) const {
  return VoteRequest{local_id_, epoch, candidate, last_epoch, last_offset, pre_vote};
}

FetchRequest RaftTestContext::fetch_request(NodeId replica, Epoch epoch, Offset fetch_offset,
                                            Epoch last_fetched_epoch,
                                            std::int32_t max_wait_ms) const {
  return FetchRequest{replica,   epoch,       fetch_offset,           last_fetched_epoch,
                      Offset(0), max_wait_ms, config_.fetch_max_bytes};
}

std::optional<FetchResponse> RaftTestContext::fetch(NodeId replica, Epoch epoch,
                                                    Offset fetch_offset, Epoch last_fetched_epoch,
                                                    std::int32_t max_wait_ms) {
  const CorrelationId id =
      deliver(replica, fetch_request(replica, epoch, fetch_offset, last_fetched_epoch, max_wait_ms));
  return take_response<FetchResponse>(replica, id);
}

VoteResponse RaftTestContext::vote(NodeId candidate, Epoch epoch, Epoch last_epoch,
                                   Offset last_offset, bool pre_vote) {
  return exchange<VoteResponse>(candidate,
                                vote_request(candidate, epoch, last_epoch, last_offset, pre_vote));
}

void RaftTestContext::answer_vote(NodeId voter, bool granted) {
  const Message request = pop_request<VoteRequest>(voter);
  const VoteRequest& vote = std::get<VoteRequest>(request.payload);
  respond(request, VoteResponse{Errors::NONE, std::nullopt, vote.replica_epoch, granted});
}

void RaftTestContext::become_leader() {
  REQUIRE(!is(StateKind::Leader));
  advance_until([&] {
    return is(StateKind::Prospective) || is(StateKind::Candidate) || is(StateKind::Leader);
  });
  for (NodeId voter : remote_voters()) {
    if (!is(StateKind::Prospective)) break;
    answer_vote(voter, true);
  }
  for (NodeId voter : remote_voters()) {
    if (!is(StateKind::Candidate)) break;
    answer_vote(voter, true);
  }
  REQUIRE(is(StateKind::Leader));
}

BatchPtr RaftTestContext::data_batch(Offset base, Epoch epoch, int records) const {
  std::vector<std::string> values;
  for (int i = 0; i < records; ++i) values.push_back("v" + std::to_string(base.value() + i));
  return make_data_batch(base, epoch, now_, std::move(values));
}

FetchResponse RaftTestContext::fetch_response(NodeId leader, Epoch epoch,
                                              std::vector<BatchPtr> batches,
                                              std::optional<Offset> high_watermark) {
  FetchResponse r;
  r.error = Errors::NONE;
  r.leader_id = leader;
  r.leader_epoch = epoch;
  r.high_watermark = high_watermark;
  r.log_start_offset = Offset(0);
  r.batches = std::move(batches);
  return r;
}

}  // namespace raft::test

namespace doctest {

String StringMaker<std::optional<raft::Offset>>::convert(const std::optional<raft::Offset>& v) {
  if (!v) return "none";
  return std::to_string(v->value()).c_str();
}

String StringMaker<std::optional<raft::NodeId>>::convert(const std::optional<raft::NodeId>& v) {
  if (!v) return "none";
  return std::to_string(v->value()).c_str();
}

String StringMaker<std::optional<raft::OffsetAndEpoch>>::convert(
    const std::optional<raft::OffsetAndEpoch>& v) {
  if (!v) return "none";
  std::ostringstream os;
  os << *v;
  return os.str().c_str();
}

String StringMaker<std::vector<raft::NodeId>>::convert(const std::vector<raft::NodeId>& v) {
  std::ostringstream os;
  os << "[";
  for (std::size_t i = 0; i < v.size(); ++i) os << (i > 0 ? ", " : "") << v[i].value();
  os << "]";
  return os.str().c_str();
}

String StringMaker<raft::ElectionState>::convert(const raft::ElectionState& v) {
  std::ostringstream os;
  os << "(epoch=" << v.epoch << ", leader=" << (v.leader_id ? v.leader_id->value() : -1)
     << ", voted=" << (v.voted_id ? v.voted_id->value() : -1) << ")";
  return os.str().c_str();
}

String StringMaker<std::optional<raft::ElectionState>>::convert(
    const std::optional<raft::ElectionState>& v) {
  if (!v) return "none";
  return StringMaker<raft::ElectionState>::convert(*v);
}

}  // namespace doctest
