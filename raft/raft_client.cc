// org.apache.kafka.raft.KafkaRaftClient (KIP-595, KIP-996): construction, the poll loop, listener
// notification, local commands and the transition helpers that wrap QuorumState with their side
// effects (connection resets, failing parked fetches, starting the new leader's epoch).
#include "raft/raft_client.hh"

#include <algorithm>

#include "raft/common/assert.hh"

namespace raft {

namespace {
// Polls that return a deadline <= now are re-run at once; more than this many in a row is a
// busy loop (cf. KAFKA-17751), which the simulator would otherwise spin on forever.
constexpr int kPollIterationsMax = 64;

std::vector<NodeId> without(std::vector<NodeId> ids, NodeId id) {
  ids.erase(std::remove(ids.begin(), ids.end(), id), ids.end());
  return ids;
}
}  // namespace

RaftClient::RaftClient(Options options, LogStorage& storage, SnapshotStore& snapshots,
                       QuorumStateStore& state_store, NetworkChannel& channel, Random& random,
                       RaftListener* listener, Instant now)
    : options_(std::move(options)),
      config_(options_.config),
      storage_(storage),
      snapshots_(snapshots),
      channel_(channel),
      random_(random),
      listener_(listener),
      log_(storage, snapshots),
      quorum_(options_.local_id, options_.voters, options_.config, state_store, random),
      requests_(without(options_.voters, options_.local_id), options_.config.retry_backoff,
                options_.config.request_timeout, random),
      next_correlation_id_(options_.first_correlation_id),
      next_log_clean_(now + options_.config.log_clean_interval) {
  quorum_.initialize(log_.end_offset_and_epoch(), now);
  if (quorum_.is(StateKind::Leader)) {
    // Only with Bug::RestartAsLeader (KAFKA-10527): Kafka's old initialize() then ran
    // onBecomeLeader, so the epoch starts again at the log end, with a new LeaderChange batch.
    KR_ASSERT(config_.bugs.contains(Bug::RestartAsLeader), "a replica never starts as Leader");
    start_leader_epoch(quorum_.leader(), now);
  } else if (quorum_.is_only_voter() && !quorum_.is(StateKind::Candidate)) {
    // A single voter elects itself at once, without any network traffic.
    if (config_.pre_vote) {
      transition_to_prospective(now);
    } else {
      transition_to_candidate(now);
    }
  } else if (quorum_.is(StateKind::Candidate)) {
    maybe_transition_forward(now);
  }
  poll(now);
}

LeaderAndEpoch RaftClient::leader_and_epoch() const {
  return LeaderAndEpoch{quorum_.leader_id(), quorum_.epoch()};
}

// ---- poll loop ------------------------------------------------------------------------------

void RaftClient::handle(const Message& message, Instant now) {
  KR_ASSERT(message.destination == options_.local_id,
            "message for " << message.destination << " delivered to " << options_.local_id);
  KR_ASSERT(is_raft_payload(message.payload),
            "the node must route " << api_name(message.payload) << " to its controller or broker");
  if (shutdown_complete_) return;
  if (is_request(message.payload)) {
    handle_request(message, now);
  } else if (requests_.is_response_expected(message.source, message.correlation_id)) {
    handle_response(message, now);
  }
  poll(now);
}

void RaftClient::poll(Instant now) {
  for (int i = 0; i < kPollIterationsMax; ++i) {
    if (shutdown_complete_) {
      next_deadline_ = Instant::never();
      return;
    }
    poll_once(now);
    if (next_deadline_ > now) return;
  }
  KR_UNREACHABLE("busy loop: node " << options_.local_id << " in state "
                                    << to_string(quorum_.kind()) << " wants to be polled again at "
                                    << next_deadline_ << " after " << kPollIterationsMax
                                    << " polls at " << now);
}

void RaftClient::poll_once(Instant now) {
  if (maybe_complete_shutdown(now)) {
    next_deadline_ = Instant::never();
    return;
  }
  Instant deadline = poll_current_state(now);
  deadline = std::min(deadline, maybe_clean_log(now));
  expire_parked_fetches(now);
  deadline = std::min(deadline, fetch_purgatory_.next_deadline());
  poll_listeners();
  if (shutdown_deadline_) deadline = std::min(deadline, *shutdown_deadline_);
  next_deadline_ = deadline;
}

bool RaftClient::maybe_complete_shutdown(Instant now) {
  if (!shutdown_deadline_) return false;
  if (now >= *shutdown_deadline_ || !quorum_.is_voter() || quorum_.is_only_voter() ||
      quorum_.has_remote_leader()) {
    shutdown_complete_ = true;
    return true;
  }
  return false;
}

// ---- listener -------------------------------------------------------------------------------

Instant RaftClient::maybe_clean_log(Instant now) {
  if (now >= next_log_clean_) {
    log_.maybe_clean(now, config_.max_retention_bytes, config_.max_retention);
    next_log_clean_ = now + config_.log_clean_interval;
  }
  return next_log_clean_;
}

bool RaftClient::create_snapshot(OffsetAndEpoch id, Instant last_contained_log_time,
                                 std::vector<std::string> records) {
  if (log_.snapshot(id) != nullptr) return false;
  return create_snapshot(make_snapshot(id, last_contained_log_time, std::move(records)));
}

bool RaftClient::create_snapshot(SnapshotPtr snapshot) {
  if (log_.snapshot(snapshot->id) != nullptr) return false;
  return log_.create_snapshot(std::move(snapshot), quorum_.high_watermark());
}

void RaftClient::poll_listeners() {
  if (const std::optional<Offset> hw = quorum_.high_watermark()) {
    // KAFKA-15076: a new listener starts from the latest snapshot if there is one; a listener
    // whose next offset fell below the log start must reload one (KIP-630).
    const SnapshotPtr latest = log_.latest_snapshot();
    if (latest && listener_next_offset_ < *hw &&
        (!listener_started_ || listener_next_offset_ < log_.start_offset())) {
      KR_ASSERT(latest->id.offset <= *hw,
                "latest snapshot " << latest->id << " beyond the HW " << *hw);
      if (listener_ != nullptr) listener_->handle_load_snapshot(*latest);
      listener_next_offset_ = latest->id.offset;
    }
    KR_ASSERT(listener_next_offset_ >= log_.start_offset() || listener_next_offset_ >= *hw,
              "listener at " << listener_next_offset_ << " below the log start "
                             << log_.start_offset() << " without a snapshot");
    listener_started_ = true;
    // Deliver every batch wholly below the high watermark, in order.
    while (listener_next_offset_ < *hw) {
      BatchPtr batch = log_.batch_containing(listener_next_offset_);
      KR_ASSERT(batch != nullptr && batch->base_offset == listener_next_offset_,
                "no batch starts at listener offset " << listener_next_offset_ << " (hw=" << *hw
                                                      << ", leo=" << log_.end_offset() << ")");
      if (batch->end_offset() > *hw) break;  // partially committed: wait for the rest
      if (listener_ != nullptr) listener_->handle_commit(*batch);
      listener_next_offset_ = batch->end_offset();
    }
  }
  maybe_fire_leader_change();
}

void RaftClient::maybe_fire_leader_change() {
  // A resigned leader must not be reported as leader (KAFKA-17333).
  if (quorum_.is(StateKind::Resigned)) return;
  const LeaderAndEpoch current = leader_and_epoch();
  if (last_fired_leader_change_) {
    const LeaderAndEpoch& last = *last_fired_leader_change_;
    if (current == last) return;
    const bool newer = current.epoch > last.epoch;
    const bool learned_leader = current.epoch == last.epoch && current.leader_id && !last.leader_id;
    if (!newer && !learned_leader) return;
  }
  if (const LeaderState* leader = quorum_.leader_or_null()) {
    // KAFKA-15345: the local leader is announced only once the listener consumed everything up
    // to and including its LeaderChange batch (which implies the HW is known in this epoch).
    if (listener_next_offset_ <= leader->epoch_start_offset()) return;
  }
  last_fired_leader_change_ = current;
  if (listener_ != nullptr) listener_->handle_leader_change(current);
}

// ---- local commands -------------------------------------------------------------------------

std::optional<Offset> RaftClient::append(Epoch epoch, std::vector<std::string> records,
                                         Instant now) {
  if (shutdown_complete_ || !quorum_.is(StateKind::Leader)) return std::nullopt;
  LeaderState& leader = quorum_.leader();
  if (leader.epoch() != epoch || leader.is_resign_requested() || shutdown_deadline_) {
    return std::nullopt;
  }
  const Offset last = leader.accumulator().append(std::move(records), now);
  poll(now);
  return last;
}

void RaftClient::resign(Epoch epoch) {
  if (!quorum_.is(StateKind::Leader)) return;  // already transitioned: the call is fulfilled
  LeaderState& leader = quorum_.leader();
  KR_ASSERT(epoch <= leader.epoch(), "resign from future epoch " << epoch);
  if (epoch == leader.epoch()) leader.request_resign();
}

void RaftClient::begin_shutdown(Instant now) {
  if (shutdown_deadline_) return;
  shutdown_deadline_ = now + config_.shutdown_timeout;
  poll(now);
}

// ---- transitions with side effects ----------------------------------------------------------

void RaftClient::fail_parked_fetches(Instant now) {
  (void)now;
  for (ParkedFetch& f : fetch_purgatory_.take_all()) {
    send(f.replica, f.correlation_id, build_empty_fetch_response(Errors::NOT_LEADER_OR_FOLLOWER));
  }
}

void RaftClient::abandon_snapshot_download() {
  if (quorum_.is(StateKind::Follower) && quorum_.follower().fetching_snapshot) {
    snapshots_.remove_partial_snapshots();
  }
}

void RaftClient::transition_to_unattached(Epoch epoch, std::optional<NodeId> leader, Instant now) {
  abandon_snapshot_download();
  const bool was_leader = quorum_.is(StateKind::Leader);
  quorum_.transition_to_unattached(epoch, leader, now);
  // Kafka lets parked fetches of a deposed leader expire; answering at once is equivalent for
  // the fetcher and keeps the purgatory empty outside the Leader state.
  if (was_leader) fail_parked_fetches(now);
  reset_connections();
}

void RaftClient::transition_to_follower(Epoch epoch, NodeId leader, Instant now) {
  abandon_snapshot_download();
  quorum_.transition_to_follower(epoch, leader, now);
  reset_connections();
  // Pending fetches are answered now so the fetchers can go to the new leader.
  fail_parked_fetches(now);
}

void RaftClient::transition_to_prospective(Instant now) {
  abandon_snapshot_download();
  quorum_.transition_to_prospective(now);
  // A single voter grants itself the pre-vote: go on at once.
  if (quorum_.prospective().election.is_vote_granted()) {
    transition_to_candidate(now);
    return;
  }
  reset_connections();
}

void RaftClient::transition_to_candidate(Instant now) {
  abandon_snapshot_download();
  quorum_.transition_to_candidate(now);
  if (quorum_.candidate().election.is_vote_granted()) {
    on_become_leader(now);
    return;
  }
  reset_connections();
}

void RaftClient::transition_to_voting_state(Instant now) {
  if (config_.pre_vote) {
    transition_to_prospective(now);
  } else {
    transition_to_candidate(now);
  }
}

void RaftClient::transition_to_resigned(std::vector<NodeId> successors, Instant now) {
  fail_parked_fetches(now);  // KAFKA-10677
  quorum_.transition_to_resigned(std::move(successors), now);
  reset_connections();
}

void RaftClient::on_become_leader(Instant now) {
  start_leader_epoch(quorum_.transition_to_leader(log_.end_offset(), now), now);
}

void RaftClient::start_leader_epoch(LeaderState& state, Instant now) {
  const Offset epoch_start = state.epoch_start_offset();
  KR_ASSERT(epoch_start == log_.end_offset(),
            "epoch start " << epoch_start << " != log end " << log_.end_offset());
  log_.initialize_leader_epoch(state.epoch());
  // The HW can only advance once a record of the new epoch is committed, so the LeaderChange
  // control batch is written at once rather than waiting for data.
  LeaderChangeMessage message{options_.local_id, quorum_.voters(), state.granting_voters()};
  log_.append_as_leader(make_leader_change_batch(epoch_start, state.epoch(), now, message));
  flush_leader_log(state, now);
  reset_connections();
}

void RaftClient::flush_leader_log(LeaderState& state, Instant now) {
  // Kafka updates the leader's end offset before the fsync so parked fetches return sooner; in
  // the simulator both happen in one event, so a crash cannot fall between them.
  state.update_local_state(log_.end_offset(), now);
  log_.flush();
  complete_parked_fetches(now);
}

void RaftClient::maybe_transition_forward(Instant now) {
  if (quorum_.is(StateKind::Prospective)) {
    if (quorum_.prospective().election.is_vote_granted()) transition_to_candidate(now);
  } else if (quorum_.is(StateKind::Candidate)) {
    if (quorum_.candidate().election.is_vote_granted()) on_become_leader(now);
  } else {
    KR_UNREACHABLE("maybe_transition_forward in " << to_string(quorum_.kind()));
  }
}

void RaftClient::maybe_handle_election_loss(Instant now) {
  if (quorum_.is(StateKind::Candidate)) {
    CandidateState& c = quorum_.candidate();
    if (c.election.is_vote_rejected() && !c.backoff_deadline) {
      // Back off at once (a random, exponential delay) instead of waiting for the election
      // timeout, then try again through Prospective.
      c.backoff_deadline = now + binary_exponential_election_backoff(c.retries);
    }
  } else if (quorum_.is(StateKind::Prospective)) {
    if (quorum_.prospective().election.is_vote_rejected()) {
      prospective_transition_after_election_loss(now);
    }
  } else {
    KR_UNREACHABLE("maybe_handle_election_loss in " << to_string(quorum_.kind()));
  }
}

void RaftClient::prospective_transition_after_election_loss(Instant now) {
  // Back to the leader it knew, or to Unattached in the same epoch to rediscover one.
  const ProspectiveState& p = quorum_.prospective();
  if (p.leader_id) {
    transition_to_follower(quorum_.epoch(), *p.leader_id, now);
  } else {
    transition_to_unattached(quorum_.epoch(), std::nullopt, now);
  }
}

Duration RaftClient::binary_exponential_election_backoff(int retries) {
  KR_ASSERT(retries > 0, "retries=" << retries);
  // Kafka: min(RETRY_BACKOFF_BASE_MS * random.nextInt(2 << min(20, retries - 1)), max).
  const int shift = std::min(20, retries - 1);
  const std::int64_t bound = std::int64_t{2} << shift;
  const Duration backoff = config_.election_backoff_base * random_.next_int(bound);
  return std::min(backoff, config_.election_backoff_max);
}

Duration RaftClient::strict_exponential_election_backoff(std::size_t position,
                                                         std::size_t total) const {
  // Position 0 (the most up-to-date voter) starts an election at once; the others wait
  // exponentially longer; voters not in the list wait the maximum.
  if (position == 0) return Duration::zero();
  if (position >= total) return config_.election_backoff_max;
  const std::int64_t max_ms = config_.election_backoff_max.ms();
  const std::int64_t base_ms = max_ms >> (total - 1);
  return std::min(config_.election_backoff_max, Duration::millis(base_ms << (position - 1)));
}

void RaftClient::send(NodeId destination, CorrelationId id, Payload payload) {
  KR_ASSERT(destination != options_.local_id, "node " << destination << " sending to itself");
  channel_.send(Message{options_.local_id, destination, id, std::move(payload)});
}

}  // namespace raft
