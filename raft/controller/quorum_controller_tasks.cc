// Kafka: QuorumController's periodic tasks (PeriodicTaskControlManager: writeNoOpRecord,
// maybeFenceStaleBroker, electPreferred, electUnclean) and its poll loop. See
// quorum_controller.hh and kraft-protocol.md 10.3.
#include <algorithm>

#include "raft/controller/quorum_controller.hh"

namespace raft::controller {

namespace md = raft::metadata;

namespace {
Instant after(Instant now, Duration period, bool enabled) {
  return enabled && period > Duration::zero() ? now + period : Instant::never();
}
}  // namespace

void QuorumController::start_periodic_tasks(Instant now) {
  timers_.noop = after(now, config_.max_idle_interval, true);
  timers_.fence_check = after(now, config_.session_timeout / 8, true);
  timers_.preferred_election =
      after(now, config_.leader_imbalance_check_interval, config_.auto_leader_rebalance);
  timers_.unclean_election = after(now, config_.unclean_election_interval, true);
}

void QuorumController::poll(Instant now) {
  if (claimed_epoch_ && activation_pending_) complete_activation(now);
  send_committed_replies();
  if (claimed_epoch_ && !activation_pending_) run_due_tasks(now);
}

Instant QuorumController::next_deadline() const {
  if (!claimed_epoch_) return Instant::never();
  if (activation_pending_) return Instant::zero();
  return std::min({timers_.noop, timers_.fence_check, timers_.preferred_election,
                   timers_.unclean_election});
}

void QuorumController::run_due_tasks(Instant now) {
  // Each task may renounce (a refused append); stop as soon as the controller is inactive.
  if (claimed_epoch_ && timers_.fence_check <= now) maybe_fence_stale_broker(now);
  if (claimed_epoch_ && timers_.noop <= now) write_noop(now);
  if (claimed_epoch_ && timers_.preferred_election <= now) elect_preferred(now);
  if (claimed_epoch_ && timers_.unclean_election <= now) elect_unclean(now);
}

void QuorumController::write_noop(Instant now) {
  timers_.noop = after(now, config_.max_idle_interval, true);
  if (write({md::NoOpRecord{}}, std::nullopt, CorrelationId(0), Payload{}, now)) {
    ++stats_.noop_records;
  }
}

void QuorumController::maybe_fence_stale_broker(Instant now) {
  timers_.fence_check = after(now, config_.session_timeout / 8, true);
  // Kafka fences one stale broker per run of the task and reschedules it at once while more are
  // stale; on one clock that is the same instant, so every stale broker is fenced now, each in its
  // own batch. Each round fences (or marks fenced) a different broker, so the loop ends.
  for (std::size_t round = 0; claimed_epoch_ && round <= image_.brokers().size(); ++round) {
    const std::optional<std::int32_t> stale = heartbeats_.find_one_stale_broker(now);
    if (!stale) return;
    std::vector<md::MetadataRecord> records = cluster_.fence_broker(image_, *stale);
    if (records.empty()) {
      heartbeats_.set_fenced(*stale, true);  // fenced already in the image: no session to expire
    } else if (write(std::move(records), std::nullopt, CorrelationId(0), Payload{}, now)) {
      ++stats_.brokers_fenced_by_session;
    }
  }
}

void QuorumController::elect_preferred(Instant now) {
  timers_.preferred_election =
      after(now, config_.leader_imbalance_check_interval, config_.auto_leader_rebalance);
  std::vector<md::MetadataRecord> records = replication_.elect_preferred(image_);
  if (!records.empty()) write(std::move(records), std::nullopt, CorrelationId(0), Payload{}, now);
}

void QuorumController::elect_unclean(Instant now) {
  timers_.unclean_election = after(now, config_.unclean_election_interval, true);
  std::vector<md::MetadataRecord> records = replication_.elect_unclean(image_);
  if (!records.empty()) write(std::move(records), std::nullopt, CorrelationId(0), Payload{}, now);
}

}  // namespace raft::controller
