// org.apache.kafka.raft.KafkaRaftClient (KIP-595, KIP-996): inbound requests (handleVoteRequest,
// handleBeginQuorumEpochRequest, handleEndQuorumEpochRequest, handleFetchRequest) and the fetch
// purgatory.
#include <algorithm>

#include "raft/common/assert.hh"
#include "raft/raft_client.hh"

namespace raft {

void RaftClient::handle_request(const Message& message, Instant now) {
  const NodeId from = message.source;
  const CorrelationId id = message.correlation_id;
  if (const auto* vote = std::get_if<VoteRequest>(&message.payload)) {
    send(from, id, handle_vote_request(*vote, now));
  } else if (const auto* begin = std::get_if<BeginQuorumEpochRequest>(&message.payload)) {
    send(from, id, handle_begin_quorum_epoch_request(*begin, now));
  } else if (const auto* end = std::get_if<EndQuorumEpochRequest>(&message.payload)) {
    send(from, id, handle_end_quorum_epoch_request(*end, now));
  } else if (const auto* fetch = std::get_if<FetchRequest>(&message.payload)) {
    handle_fetch_request(message, *fetch, now);
  } else if (const auto* snap = std::get_if<FetchSnapshotRequest>(&message.payload)) {
    send(from, id, handle_fetch_snapshot_request(from, *snap, now));
  } else {
    KR_UNREACHABLE("not a request: " << api_name(message.payload));
  }
}

// Vote, BeginQuorumEpoch and EndQuorumEpoch.
std::optional<Errors> RaftClient::validate_voter_only_request(NodeId remote, Epoch epoch) const {
  if (epoch < quorum_.epoch()) return Errors::FENCED_LEADER_EPOCH;
  if (remote.value() < 0) return Errors::INVALID_REQUEST;
  return std::nullopt;
}

// Fetch (and, later, FetchSnapshot).
std::optional<Errors> RaftClient::validate_leader_only_request(Epoch epoch) const {
  if (epoch < quorum_.epoch()) return Errors::FENCED_LEADER_EPOCH;
  if (epoch > quorum_.epoch()) return Errors::UNKNOWN_LEADER_EPOCH;
  if (!quorum_.is(StateKind::Leader)) return Errors::NOT_LEADER_OR_FOLLOWER;
  if (shutdown_deadline_) return Errors::BROKER_NOT_AVAILABLE;
  return std::nullopt;
}

// ---- Vote -----------------------------------------------------------------------------------

VoteResponse RaftClient::handle_vote_request(const VoteRequest& request, Instant now) {
  auto respond = [&](Errors error, bool granted) {
    return VoteResponse{error, quorum_.leader_id(), quorum_.epoch(), granted};
  };
  // A binding vote's candidate already bumped its epoch past its last record; a pre-vote's did not.
  const bool illegal_epoch = request.pre_vote ? request.last_offset_epoch > request.replica_epoch
                                              : request.last_offset_epoch >= request.replica_epoch;
  if (request.last_offset < Offset(0) || request.last_offset_epoch < Epoch(0) || illegal_epoch) {
    return respond(Errors::INVALID_REQUEST, false);
  }
  if (auto error = validate_voter_only_request(request.replica_id, request.replica_epoch)) {
    return respond(*error, false);
  }
  // A higher epoch moves this node there first, for pre-votes too (KIP-996, PR #17807).
  if (request.replica_epoch > quorum_.epoch()) {
    transition_to_unattached(request.replica_epoch, std::nullopt, now);
  }
  KR_ASSERT(request.voter_id == options_.local_id,
            "vote request for " << request.voter_id << " reached " << options_.local_id);
  const OffsetAndEpoch candidate_end{request.last_offset, request.last_offset_epoch};
  const bool log_up_to_date = candidate_end >= log_.end_offset_and_epoch();
  const bool granted = quorum_.can_grant_vote(request.replica_id, log_up_to_date, request.pre_vote);
  if (granted && !request.pre_vote) {
    // The binding vote is on disk before the response leaves (durable transitions).
    if (quorum_.is(StateKind::Unattached) && !quorum_.unattached().voted_id) {
      quorum_.unattached_add_voted(request.replica_epoch, request.replica_id, now);
    } else if (quorum_.is(StateKind::Prospective) && !quorum_.prospective().voted_id) {
      quorum_.prospective_add_voted(request.replica_id, now);
    }
  }
  return respond(Errors::NONE, granted);
}

// ---- BeginQuorumEpoch and EndQuorumEpoch ----------------------------------------------------

BeginQuorumEpochResponse RaftClient::handle_begin_quorum_epoch_request(
    const BeginQuorumEpochRequest& request, Instant now) {
  auto respond = [&](Errors error) {
    return BeginQuorumEpochResponse{error, quorum_.leader_id(), quorum_.epoch()};
  };
  if (auto error = validate_voter_only_request(request.leader_id, request.leader_epoch)) {
    return respond(*error);
  }
  // Makes this node a Follower of the sender. It does not reset the fetch timer: only a
  // successful fetch does.
  maybe_transition(request.leader_id, request.leader_epoch, now);
  return respond(Errors::NONE);
}

EndQuorumEpochResponse RaftClient::handle_end_quorum_epoch_request(
    const EndQuorumEpochRequest& request, Instant now) {
  auto respond = [&](Errors error) {
    return EndQuorumEpochResponse{error, quorum_.leader_id(), quorum_.epoch()};
  };
  if (auto error = validate_voter_only_request(request.leader_id, request.leader_epoch)) {
    return respond(*error);
  }
  maybe_transition(request.leader_id, request.leader_epoch, now);
  if (quorum_.is(StateKind::Follower) && quorum_.follower().leader_id == request.leader_id) {
    // The most up-to-date successors start their election first.
    const auto& successors = request.preferred_successors;
    const auto it = std::find(successors.begin(), successors.end(), options_.local_id);
    const auto position = static_cast<std::size_t>(it - successors.begin());
    quorum_.follower().fetch_deadline =
        now + strict_exponential_election_backoff(position, successors.size());
  }
  return respond(Errors::NONE);
}

// ---- Fetch ----------------------------------------------------------------------------------

FetchResponse RaftClient::build_empty_fetch_response(Errors error) const {
  FetchResponse r;
  r.error = error;
  r.leader_id = quorum_.leader_id();
  r.leader_epoch = quorum_.epoch();
  if (const LeaderState* leader = quorum_.leader_or_null(); leader && error == Errors::NONE) {
    r.high_watermark = leader->high_watermark();
  }
  r.log_start_offset = log_.start_offset();
  return r;
}

void RaftClient::handle_fetch_request(const Message& message, const FetchRequest& request,
                                      Instant now) {
  if (request.max_wait_ms < 0 || request.fetch_offset < Offset(0) ||
      request.last_fetched_epoch < Epoch(0) ||
      request.last_fetched_epoch > request.current_leader_epoch) {
    send(message.source, message.correlation_id, build_empty_fetch_response(Errors::INVALID_REQUEST));
    return;
  }
  FetchResponse response = try_complete_fetch_request(message.source, request, now);
  // Reply at once on an error, with records, without a wait, or when the fetcher must truncate
  // or download a snapshot (KAFKA-15100).
  if (response.error != Errors::NONE || !response.batches.empty() || request.max_wait_ms == 0 ||
      response.diverging_epoch || response.snapshot_id) {
    send(message.source, message.correlation_id, std::move(response));
    return;
  }
  fetch_purgatory_.park(ParkedFetch{message.source, message.correlation_id, request,
                                    std::move(response),
                                    now + Duration::millis(request.max_wait_ms)});
}

FetchResponse RaftClient::try_complete_fetch_request(NodeId replica, const FetchRequest& request,
                                                     Instant now) {
  if (auto error = validate_leader_only_request(request.current_leader_epoch)) {
    return build_empty_fetch_response(*error);
  }
  LeaderState& state = quorum_.leader();
  // KAFKA-15078: a fetcher with an empty log starts from the latest snapshot when there is one.
  const SnapshotPtr latest = log_.latest_snapshot();
  const ValidOffsetAndEpoch valid =
      request.fetch_offset == Offset(0) && latest
          ? ValidOffsetAndEpoch{ValidOffsetAndEpoch::Kind::Snapshot, latest->id}
          : log_.validate_offset_and_epoch(request.fetch_offset, request.last_fetched_epoch);
  FetchResponse response = build_empty_fetch_response(Errors::NONE);
  // No progress and no check-quorum credit for a diverging fetcher or one that needs a snapshot.
  if (valid.kind == ValidOffsetAndEpoch::Kind::Diverging) {
    response.diverging_epoch = valid.offset_and_epoch;
    return response;
  }
  if (valid.kind == ValidOffsetAndEpoch::Kind::Snapshot) {
    response.snapshot_id = valid.offset_and_epoch;
    return response;
  }
  response.batches = log_.read(request.fetch_offset, request.max_bytes);
  // The fetch offset acknowledges everything below it.
  state.update_replica_state(replica, request.fetch_offset, now);
  state.update_check_quorum_for_following_voter(replica, now);
  response.high_watermark = state.high_watermark();
  return response;
}

FetchSnapshotResponse RaftClient::handle_fetch_snapshot_request(NodeId replica,
                                                                const FetchSnapshotRequest& request,
                                                                Instant now) {
  FetchSnapshotResponse r;
  r.leader_id = quorum_.leader_id();
  r.leader_epoch = quorum_.epoch();
  r.snapshot_id = request.snapshot_id;
  if (request.max_bytes < 0) {
    r.error = Errors::INVALID_REQUEST;
    return r;
  }
  if (auto error = validate_leader_only_request(request.current_leader_epoch)) {
    r.error = *error;
    return r;
  }
  const SnapshotPtr snapshot = log_.snapshot(request.snapshot_id);
  if (snapshot == nullptr) {
    r.error = Errors::SNAPSHOT_NOT_FOUND;  // e.g. deleted by retention since the Fetch
    return r;
  }
  if (request.position < 0 || request.position >= snapshot->size_bytes) {
    r.error = Errors::POSITION_OUT_OF_RANGE;
    return r;
  }
  // A snapshot download counts for check-quorum (the fetcher is alive and follows this leader),
  // not for the high watermark.
  quorum_.leader().update_check_quorum_for_following_voter(replica, now);
  r.size = snapshot->size_bytes;
  r.position = request.position;
  r.bytes = std::min<std::int64_t>(request.max_bytes, snapshot->size_bytes - request.position);
  r.snapshot = snapshot;
  return r;
}

void RaftClient::complete_parked_fetches(Instant now) {
  for (ParkedFetch& f : fetch_purgatory_.take_satisfied(log_.end_offset())) {
    send(f.replica, f.correlation_id, try_complete_fetch_request(f.replica, f.request, now));
  }
}

void RaftClient::expire_parked_fetches(Instant now) {
  // KAFKA-15100: on expiry the response computed on arrival is returned unchanged.
  for (ParkedFetch& f : fetch_purgatory_.take_expired(now)) {
    send(f.replica, f.correlation_id, std::move(f.original_response));
  }
}

}  // namespace raft
