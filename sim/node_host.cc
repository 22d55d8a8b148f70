// One simulated process: lifecycle (start, crash, stop, pause, resume), and the messages held
// while it is blocked by a pause or an fsync. See node_host.hh.
#include "sim/node_host.hh"

#include <algorithm>
#include <string>

#include "raft/common/assert.hh"

namespace sim {

std::string_view to_string(NodeStatus s) {
  switch (s) {
    case NodeStatus::Running: return "running";
    case NodeStatus::Paused: return "paused";
    case NodeStatus::Crashed: return "crashed";
    case NodeStatus::Stopped: return "stopped";
  }
  return "?";
}

NodeHost::NodeHost(raft::RaftClient::Options options, Prng rng, NodeProcessSpec process)
    : options_(std::move(options)),
      rng_(rng),
      process_(std::move(process)),
      disk_(std::make_unique<Disk>()) {
  KR_ASSERT(!process_.controller || is_voter(), "node " << id() << " runs a controller but is no voter");
}

bool NodeHost::is_voter() const {
  return std::find(options_.voters.begin(), options_.voters.end(), options_.local_id) !=
         options_.voters.end();
}

void NodeHost::start(Instant now) {
  KR_ASSERT(status_ != NodeStatus::Running && status_ != NodeStatus::Paused,
            "node " << id() << " started while " << to_string(status_));
  ++incarnation_;
  const Instant local = clock_.local(now);
  random_ = std::make_unique<NodeRandom>(rng_.fork("incarnation-" + std::to_string(incarnation_)));
  raft::RaftListener* listener = build_state_machine(local);
  raft::RaftClient::Options options = options_;
  // Correlation ids never repeat across incarnations, so a response to a previous incarnation's
  // request can never be mistaken for an answer to a new one.
  options.first_correlation_id = raft::CorrelationId(std::int64_t{incarnation_} << 40);
  status_ = NodeStatus::Running;
  client_ = std::make_unique<raft::RaftClient>(options, *disk_, *disk_, *disk_, *this, *random_,
                                               listener, local);
  if (controller_) controller_->attach(*client_);
  run_deferred(local);
}

raft::RaftListener* NodeHost::build_state_machine(Instant local) {
  if (process_.kind == StateMachineKind::Counter) {
    counter_ = std::make_unique<ReplicatedCounter>(id());
    return counter_.get();
  }
  const std::string suffix = "-incarnation-" + std::to_string(incarnation_);
  if (process_.controller) {
    controller_random_ = std::make_unique<NodeRandom>(rng_.fork("controller" + suffix));
    controller_ = std::make_unique<raft::controller::QuorumController>(
        id(), process_.controller_config, *this, *controller_random_);
  }
  if (process_.broker) {
    Prng ids = rng_.fork("broker" + suffix);
    raft::metadata::Uuid incarnation_id{ids.next_u64() | 1U, ids.next_u64()};
    // Broker requests use correlation ids in their own range of the incarnation's block.
    const auto first = raft::CorrelationId((std::int64_t{incarnation_} << 40) + (std::int64_t{1} << 39));
    broker_ = std::make_unique<raft::broker::BrokerServer>(id(), incarnation_id,
                                                           process_.broker_config, *this, first, local);
  }
  if (controller_ && broker_) {
    fanout_ = std::make_unique<ListenerFanout>(*controller_, broker_->loader());
    return fanout_.get();
  }
  if (controller_) return controller_.get();
  KR_ASSERT(broker_ != nullptr, "metadata node " << id() << " runs neither a controller nor a broker");
  return &broker_->loader();
}

void NodeHost::handle(const raft::Message& message, Instant now) {
  const Instant local = clock_.local(now);
  if (raft::is_raft_payload(message.payload)) {
    client_->handle(message, local);
  } else if (raft::is_request(message.payload)) {
    if (controller_) controller_->handle(message, local);
  } else if (broker_) {
    broker_->handle(message, local);
  }
  run_deferred(local);
}

void NodeHost::poll(Instant now) {
  const Instant local = clock_.local(now);
  client_->poll(local);
  run_deferred(local);  // the controller's and the broker's timers run there
}

void NodeHost::after_call(Instant now) { run_deferred(clock_.local(now)); }

void NodeHost::run_deferred(Instant local) {
  if (client_ == nullptr) return;
  if (controller_) controller_->poll(local);
  if (broker_) broker_->after_raft_call(*client_, local);
}

Instant NodeHost::next_deadline() const {
  // Local deadlines; the clock is monotonic, so the earliest local one is the earliest global one.
  Instant deadline = client_->next_deadline();
  if (controller_) deadline = std::min(deadline, controller_->next_deadline());
  if (broker_) deadline = std::min(deadline, broker_->next_deadline());
  return clock_.global(deadline);
}

NodeHost::StateMachineProgress NodeHost::state_machine_progress() const {
  StateMachineProgress p;
  if (counter_) {
    p.applied_end = counter_->applied_end();
    p.applied_time = counter_->applied_time();
    p.applied_bytes = counter_->applied_bytes();
    p.snapshots_loaded = counter_->snapshots_loaded();
    p.loaded_snapshot_while_leader = counter_->loaded_snapshot_while_leader();
  } else if (controller_) {
    p.applied_end = controller_->applied_end();
    p.applied_time = controller_->applied_time();
    p.applied_bytes = controller_->applied_bytes();
    p.snapshots_loaded = controller_->snapshots_loaded();
    p.loaded_snapshot_while_leader = controller_->loaded_snapshot_while_active();
  } else if (broker_) {
    const raft::broker::MetadataLoader& loader = broker_->loader();
    p.applied_end = loader.applied_end();
    p.applied_time = loader.applied_log_time();
    p.applied_bytes = loader.applied_bytes();
    p.snapshots_loaded = loader.snapshots_loaded();
  }
  return p;
}

std::vector<std::string> NodeHost::snapshot_records() const {
  if (counter_) return counter_->snapshot_records();
  if (controller_) return controller_->snapshot_records();
  if (broker_) return broker_->loader().snapshot_records();
  return {};
}

std::optional<std::uint64_t> NodeHost::snapshot_fingerprint() const {
  if (controller_) return controller_->committed_image().fingerprint();
  if (broker_) return broker_->loader().image().fingerprint();
  return std::nullopt;
}

void NodeHost::destroy_process() {
  client_.reset();
  fanout_.reset();
  broker_.reset();
  controller_.reset();
  counter_.reset();
  controller_random_.reset();
  random_.reset();
  outbox_.clear();
  held_outbound_.clear();
  held_.clear();
  scheduled_wake = Instant::never();
  ++wake_generation;
  flush_completion_scheduled = false;
  ++flush_generation;
}

CrashLoss NodeHost::crash(bool torn_write) {
  // Status rather than client_: a crash point can fire while the client is being built.
  KR_ASSERT(status_ == NodeStatus::Running || status_ == NodeStatus::Paused,
            "node " << id() << " crashed while " << to_string(status_));
  destroy_process();
  status_ = NodeStatus::Crashed;
  return disk_->crash(torn_write);
}

void NodeHost::stop_after_shutdown() {
  KR_ASSERT(client_ != nullptr, "node " << id() << " stopped while " << to_string(status_));
  // Kafka closes the log with a final flush on a clean shutdown, and waits for it.
  disk_->flush();
  if (disk_->flush_in_progress()) disk_->complete_flush();
  destroy_process();
  status_ = NodeStatus::Stopped;
}

void NodeHost::pause() {
  KR_ASSERT(status_ == NodeStatus::Running, "node " << id() << " paused while " << to_string(status_));
  status_ = NodeStatus::Paused;
  scheduled_wake = Instant::never();
  ++wake_generation;
}

void NodeHost::resume() {
  KR_ASSERT(status_ == NodeStatus::Paused, "node " << id() << " resumed while " << to_string(status_));
  status_ = NodeStatus::Running;
}

raft::Message NodeHost::pop_held() {
  KR_ASSERT(!held_.empty(), "node " << id() << " has no held message");
  raft::Message m = std::move(held_.front());
  held_.pop_front();
  return m;
}

void NodeHost::send(raft::Message message) {
  if (disk_->flush_in_progress()) {
    held_outbound_.push_back(std::move(message));
  } else {
    outbox_.push_back(std::move(message));
  }
}

std::vector<raft::Message> NodeHost::take_held_outbound() {
  std::vector<raft::Message> out = std::move(held_outbound_);
  held_outbound_.clear();
  return out;
}

std::vector<raft::Message> NodeHost::take_outbox() {
  std::vector<raft::Message> out = std::move(outbox_);
  outbox_.clear();
  return out;
}

}  // namespace sim
