// org.apache.kafka.raft.KafkaRaftClient (KIP-595, KIP-996): per-state timers and outbound requests
// (pollLeader, pollCandidate, pollProspective, pollFollower, pollUnattached, pollResigned). Each
// returns the instant at which it wants to be polled again.
#include <algorithm>

#include "raft/common/assert.hh"
#include "raft/raft_client.hh"

namespace raft {

Instant RaftClient::poll_current_state(Instant now) {
  switch (quorum_.kind()) {
    case StateKind::Leader: return poll_leader(now);
    case StateKind::Candidate: return poll_candidate(now);
    case StateKind::Prospective: return poll_prospective(now);
    case StateKind::Follower: return poll_follower(now);
    case StateKind::Unattached: return poll_unattached(now);
    case StateKind::Resigned: return poll_resigned(now);
  }
  KR_UNREACHABLE("unknown state");
}

template <typename Build>
Instant RaftClient::maybe_send_request(NodeId destination, Instant now, Build&& build) {
  if (requests_.is_backing_off(destination, now)) return requests_.next_ready_time(destination, now);
  if (requests_.is_ready(destination, now)) {
    const CorrelationId id = next_correlation_id_;
    next_correlation_id_ = CorrelationId(id.value() + 1);
    requests_.on_request_sent(destination, id, now);
    send(destination, id, build());
  }
  return requests_.next_ready_time(destination, now);
}

// ---- Leader ---------------------------------------------------------------------------------

Instant RaftClient::poll_leader(Instant now) {
  LeaderState& state = quorum_.leader();
  const Instant check_quorum = state.check_quorum_deadline();
  if (shutdown_deadline_ || state.is_resign_requested() || now >= check_quorum) {
    transition_to_resigned(state.non_leader_voters_by_descending_fetch_offset(), now);
    return now;
  }
  const Instant drain = maybe_append_batches(state, now);
  const Instant begin_quorum = maybe_send_begin_quorum_epoch_requests(state, now);
  return std::min({drain, begin_quorum, check_quorum});
}

Instant RaftClient::maybe_append_batches(LeaderState& state, Instant now) {
  BatchAccumulator& acc = state.accumulator();
  if (acc.drain_deadline() > now) return acc.drain_deadline();
  for (BatchAccumulator::CompletedBatch& b : acc.drain()) {
    KR_ASSERT(b.base_offset == log_.end_offset(),
              "accumulator base " << b.base_offset << " != log end " << log_.end_offset());
    log_.append_as_leader(make_data_batch(b.base_offset, state.epoch(), now, std::move(b.records)));
  }
  flush_leader_log(state, now);
  return acc.drain_deadline();
}

Instant RaftClient::maybe_send_begin_quorum_epoch_requests(LeaderState& state, Instant now) {
  if (now < state.begin_quorum_epoch_deadline()) return state.begin_quorum_epoch_deadline();
  for (NodeId voter : state.voters_needing_begin_quorum_epoch(now)) {
    maybe_send_request(voter, now, [&] {
      return BeginQuorumEpochRequest{voter, options_.local_id, state.epoch()};
    });
  }
  state.reset_begin_quorum_epoch_timer(now);
  return state.begin_quorum_epoch_deadline();
}

// ---- Candidate and Prospective --------------------------------------------------------------

VoteRequest RaftClient::build_vote_request(NodeId voter) const {
  return VoteRequest{voter,
                     quorum_.epoch(),
                     options_.local_id,
                     log_.last_fetched_epoch(),
                     log_.end_offset(),
                     quorum_.is(StateKind::Prospective)};
}

Instant RaftClient::maybe_send_vote_requests(const EpochElection& election, Instant now) {
  // Keep asking while the election can still be won.
  if (election.is_vote_rejected()) return Instant::never();
  Instant next = Instant::never();
  for (NodeId voter : election.unrecorded_voters()) {
    if (voter == options_.local_id) continue;
    next = std::min(next, maybe_send_request(voter, now, [&] { return build_vote_request(voter); }));
  }
  return next;
}

Instant RaftClient::poll_candidate(Instant now) {
  CandidateState& state = quorum_.candidate();
  if (shutdown_deadline_) {
    // Keep campaigning: once elected it can resign properly.
    return std::min(*shutdown_deadline_, maybe_send_vote_requests(state.election, now));
  }
  if (state.backoff_deadline) {
    if (now >= *state.backoff_deadline) {
      transition_to_voting_state(now);
      return now;
    }
    return *state.backoff_deadline;
  }
  if (now >= state.election_deadline) {
    transition_to_voting_state(now);
    return now;
  }
  return std::min(maybe_send_vote_requests(state.election, now), state.election_deadline);
}

Instant RaftClient::poll_prospective(Instant now) {
  ProspectiveState& state = quorum_.prospective();
  if (shutdown_deadline_) {
    return std::min(*shutdown_deadline_, maybe_send_vote_requests(state.election, now));
  }
  if (now >= state.election_deadline) {
    prospective_transition_after_election_loss(now);
    return now;
  }
  return std::min(maybe_send_vote_requests(state.election, now), state.election_deadline);
}

// ---- Follower, Unattached, Resigned ---------------------------------------------------------

FetchRequest RaftClient::build_fetch_request() const {
  return FetchRequest{options_.local_id,
                      quorum_.epoch(),
                      log_.end_offset(),
                      log_.last_fetched_epoch(),
                      log_.start_offset(),
                      static_cast<std::int32_t>(config_.fetch_max_wait.ms()),
                      config_.fetch_max_bytes};
}

Payload RaftClient::build_fetch_or_fetch_snapshot(const FollowerState& state) const {
  if (!state.fetching_snapshot) return build_fetch_request();
  return FetchSnapshotRequest{options_.local_id, quorum_.epoch(), state.fetching_snapshot->id,
                              state.fetching_snapshot->position, config_.fetch_max_bytes};
}

Instant RaftClient::maybe_send_fetch_to_any_bootstrap(Instant now) {
  if (std::optional<NodeId> node = requests_.find_ready_bootstrap_server(now)) {
    return maybe_send_request(*node, now, [&] { return build_fetch_request(); });
  }
  return requests_.backoff_before_available_bootstrap_server(now);
}

Instant RaftClient::maybe_send_fetch_to_best_node(FollowerState& state, Instant now) {
  // If the leader is failing or slow, ask another voter: it may know a newer leader.
  const NodeId leader = state.leader_id;
  Instant next;
  if (requests_.has_request_timed_out(leader, now)) {
    requests_.reset(leader);
    next = maybe_send_fetch_to_any_bootstrap(now);
  } else if (requests_.is_backing_off(leader, now)) {
    next = maybe_send_fetch_to_any_bootstrap(now);
  } else if (!requests_.has_any_inflight_request(now)) {
    next = maybe_send_request(leader, now, [&] { return build_fetch_or_fetch_snapshot(state); });
  } else {
    next = requests_.backoff_before_available_bootstrap_server(now);
  }
  return std::min(next, state.fetch_deadline);
}

Instant RaftClient::poll_follower(Instant now) {
  FollowerState& state = quorum_.follower();
  if (quorum_.is_voter()) {
    if (shutdown_deadline_) return *shutdown_deadline_;  // completes once polled again
    if (now >= state.fetch_deadline) {
      transition_to_voting_state(now);
      return now;
    }
    return maybe_send_fetch_to_best_node(state, now);
  }
  // Observers never vote: an expired fetch timer only sends the next Fetch to any voter.
  if (now >= state.fetch_deadline) return maybe_send_fetch_to_any_bootstrap(now);
  return maybe_send_fetch_to_best_node(state, now);
}

Instant RaftClient::poll_unattached(Instant now) {
  UnattachedState& state = quorum_.unattached();
  if (quorum_.is_voter()) {
    if (shutdown_deadline_) return *shutdown_deadline_;
    if (now >= state.election_deadline) {
      transition_to_voting_state(now);
      return now;
    }
  }
  // KAFKA-17030: look for the leader by asking any voter while the election timer runs.
  return std::min(maybe_send_fetch_to_any_bootstrap(now), state.election_deadline);
}

Instant RaftClient::poll_resigned(Instant now) {
  ResignedState& state = quorum_.resigned();
  Instant next = Instant::never();
  for (NodeId voter : std::vector<NodeId>(state.unacked_voters.begin(), state.unacked_voters.end())) {
    next = std::min(next, maybe_send_request(voter, now, [&] {
      return EndQuorumEpochRequest{options_.local_id, state.epoch, state.preferred_successors};
    }));
  }
  if (shutdown_deadline_) return std::min(next, *shutdown_deadline_);
  if (now >= state.election_deadline) {
    // Leave with a higher epoch, so Fetch responses naming this node as leader of the old epoch
    // cannot confuse it.
    transition_to_unattached(next_epoch(quorum_.epoch()), std::nullopt, now);
    return now;
  }
  return std::min(next, state.election_deadline);
}

}  // namespace raft
