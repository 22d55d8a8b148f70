#include "sim/failover_tracker.hh"

namespace sim {

void FailoverTracker::leader_lost(Instant now, std::string cause) {
  if (!active_ || open_) return;
  Failover f;
  f.start = now;
  f.cause = std::move(cause);
  f.old_leader = active_->node;
  f.old_epoch = active_->epoch;
  open_ = f;
}

void FailoverTracker::leader_elected(raft::NodeId node, Epoch epoch, Instant now) {
  if (open_ && epoch > open_->old_epoch && !open_->elected_at) {
    open_->elected_at = now;
    open_->new_leader = node;
    open_->new_epoch = epoch;
  }
}

bool FailoverTracker::leader_active(raft::NodeId node, Epoch epoch, Instant now) {
  if (epoch <= last_active_epoch_) return false;
  active_ = ActiveLeader{now, node, epoch};
  last_active_epoch_ = epoch;
  if (open_ && epoch > open_->old_epoch) {
    open_->end = now;
    open_->new_leader = node;
    open_->new_epoch = epoch;
    if (!open_->elected_at) open_->elected_at = now;
    closed_.push_back(*open_);
    open_.reset();
  }
  return true;
}

void FailoverTracker::leader_regained(raft::NodeId node, Epoch epoch, Instant now) {
  if (!open_ || open_->old_leader != node || open_->old_epoch != epoch) return;
  open_->end = now;
  open_->new_leader = node;
  open_->new_epoch = epoch;
  closed_.push_back(*open_);
  open_.reset();
}

void FailoverTracker::active_gone() {
  active_.reset();
}

std::vector<Failover> FailoverTracker::failovers() const {
  std::vector<Failover> out = closed_;
  if (open_) out.push_back(*open_);
  return out;
}

}  // namespace sim
