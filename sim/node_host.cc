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

NodeHost::NodeHost(raft::RaftClient::Options options, Prng rng)
    : options_(std::move(options)), rng_(rng), disk_(std::make_unique<Disk>()) {}

bool NodeHost::is_voter() const {
  return std::find(options_.voters.begin(), options_.voters.end(), options_.local_id) !=
         options_.voters.end();
}

void NodeHost::start(Instant now) {
  KR_ASSERT(status_ != NodeStatus::Running && status_ != NodeStatus::Paused,
            "node " << id() << " started while " << to_string(status_));
  ++incarnation_;
  random_ = std::make_unique<NodeRandom>(rng_.fork("incarnation-" + std::to_string(incarnation_)));
  counter_ = std::make_unique<ReplicatedCounter>(id());
  raft::RaftClient::Options options = options_;
  // Correlation ids never repeat across incarnations, so a response to a previous incarnation's
  // request can never be mistaken for an answer to a new one.
  options.first_correlation_id = raft::CorrelationId(std::int64_t{incarnation_} << 40);
  status_ = NodeStatus::Running;
  client_ = std::make_unique<raft::RaftClient>(options, *disk_, *disk_, *disk_, *this, *random_,
                                               counter_.get(), now);
}

void NodeHost::destroy_process() {
  client_.reset();
  counter_.reset();
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
