// org.apache.kafka.raft.KafkaRaftClient (KIP-595): inbound responses. Every response first goes
// through the common handling of kraft-protocol.md 5.2 (maybeHandleCommonResponse), then through
// its API's handler.
#include "raft/common/assert.hh"
#include "raft/raft_client.hh"

namespace raft {

void RaftClient::handle_response(const Message& message, Instant now) {
  const NodeId from = message.source;
  bool success = false;
  if (const auto* vote = std::get_if<VoteResponse>(&message.payload)) {
    success = handle_vote_response(from, *vote, now);
  } else if (const auto* begin = std::get_if<BeginQuorumEpochResponse>(&message.payload)) {
    success = handle_begin_quorum_epoch_response(from, *begin, now);
  } else if (const auto* end = std::get_if<EndQuorumEpochResponse>(&message.payload)) {
    success = handle_end_quorum_epoch_response(from, *end, now);
  } else if (const auto* fetch = std::get_if<FetchResponse>(&message.payload)) {
    success = handle_fetch_response(*fetch, now);
  } else if (const auto* snap = std::get_if<FetchSnapshotResponse>(&message.payload)) {
    success = handle_fetch_snapshot_response(*snap, now);
  } else {
    KR_UNREACHABLE("not a response: " << api_name(message.payload));
  }
  requests_.on_response_result(from, message.correlation_id, success, now);
}

bool RaftClient::has_consistent_leader(Epoch epoch, std::optional<NodeId> leader) const {
  // A message naming this node as leader must find it leading.
  if (leader && *leader == options_.local_id) return quorum_.is(StateKind::Leader);
  return epoch != quorum_.epoch() || !leader || !quorum_.leader_id() || *leader == *quorum_.leader_id();
}

void RaftClient::maybe_transition(std::optional<NodeId> leader, Epoch epoch, Instant now) {
  // Two leaders in one epoch is a safety violation (SingleLeader at the protocol level).
  KR_ASSERT(has_consistent_leader(epoch, leader),
            "node " << options_.local_id << " got leader " << (leader ? leader->value() : -1)
                    << " for epoch " << epoch << " but knows leader "
                    << (quorum_.leader_id() ? quorum_.leader_id()->value() : -1) << " in epoch "
                    << quorum_.epoch() << " as " << to_string(quorum_.kind()));
  if (epoch > quorum_.epoch()) {
    if (leader) {
      transition_to_follower(epoch, *leader, now);
    } else {
      transition_to_unattached(epoch, std::nullopt, now);
    }
  } else if (leader && !quorum_.has_leader()) {
    // The leader of the current epoch, previously unknown.
    transition_to_follower(epoch, *leader, now);
  }
}

std::optional<bool> RaftClient::maybe_handle_common_response(Errors error,
                                                             std::optional<NodeId> leader,
                                                             Epoch epoch, Instant now) {
  if (epoch < quorum_.epoch() || error == Errors::UNKNOWN_LEADER_EPOCH) {
    return true;  // stale: this node already knows a larger epoch
  }
  if (epoch > quorum_.epoch() || error == Errors::FENCED_LEADER_EPOCH ||
      error == Errors::NOT_LEADER_OR_FOLLOWER) {
    maybe_transition(leader, epoch, now);
    return true;
  }
  if (leader && !quorum_.has_leader()) {
    // Discovered the leader of this epoch; with no error the response is handled further (an
    // observer can discover the leader and append from the same Fetch).
    transition_to_follower(epoch, *leader, now);
    if (error == Errors::NONE) return std::nullopt;
    return true;
  }
  if (error == Errors::BROKER_NOT_AVAILABLE) return false;
  KR_ASSERT(error != Errors::INVALID_REQUEST,
            "node " << options_.local_id << " sent a request its peer found invalid");
  return std::nullopt;
}

// ---- per API ----------------------------------------------------------------------------------

bool RaftClient::handle_vote_response(NodeId source, const VoteResponse& response, Instant now) {
  if (auto handled = maybe_handle_common_response(response.error, response.leader_id,
                                                  response.leader_epoch, now)) {
    return *handled;
  }
  if (response.error != Errors::NONE) return false;
  // Responses to requests of an earlier state were dropped when connections were reset, so a
  // response reaching here answers the current Prospective or Candidate round.
  if (!quorum_.is(StateKind::Prospective) && !quorum_.is(StateKind::Candidate)) return true;
  EpochElection& election = quorum_.is(StateKind::Prospective) ? quorum_.prospective().election
                                                               : quorum_.candidate().election;
  if (response.vote_granted) {
    election.record_granted(source);
    maybe_transition_forward(now);
  } else {
    election.record_rejected(source);
    maybe_handle_election_loss(now);
  }
  return true;
}

bool RaftClient::handle_begin_quorum_epoch_response(NodeId source,
                                                    const BeginQuorumEpochResponse& response,
                                                    Instant now) {
  if (auto handled = maybe_handle_common_response(response.error, response.leader_id,
                                                  response.leader_epoch, now)) {
    return *handled;
  }
  if (response.error != Errors::NONE) return false;
  if (quorum_.is(StateKind::Leader)) quorum_.leader().add_acknowledgement_from(source);
  return true;
}

bool RaftClient::handle_end_quorum_epoch_response(NodeId source,
                                                  const EndQuorumEpochResponse& response,
                                                  Instant now) {
  if (auto handled = maybe_handle_common_response(response.error, response.leader_id,
                                                  response.leader_epoch, now)) {
    return *handled;
  }
  if (response.error != Errors::NONE) return false;
  if (quorum_.is(StateKind::Resigned)) quorum_.resigned().unacked_voters.erase(source);
  return true;
}

bool RaftClient::handle_fetch_response(const FetchResponse& response, Instant now) {
  if (auto handled = maybe_handle_common_response(response.error, response.leader_id,
                                                  response.leader_epoch, now)) {
    return *handled;
  }
  if (response.error != Errors::NONE) return false;
  FollowerState& state = quorum_.follower();
  if (response.diverging_epoch) {
    // The leader asks this node to truncate; never below what it knows to be committed.
    log_.truncate_to_end_offset(*response.diverging_epoch, state.high_watermark);
  } else if (response.snapshot_id) {
    // The leader asks this node to download a snapshot first. Its id may be beyond the local log
    // end and HW: it is not validated against the local log (createNewSnapshotUnchecked).
    KR_ASSERT(response.snapshot_id->offset > Offset(0) && response.snapshot_id->epoch >= Epoch(0),
              "invalid snapshot id " << *response.snapshot_id);
    if (log_.snapshot(*response.snapshot_id) == nullptr) {
      state.fetching_snapshot = FollowerState::SnapshotDownload{*response.snapshot_id, 0};
    }
  } else {
    if (!response.batches.empty()) append_as_follower(response.batches);
    update_follower_high_watermark(state, response.high_watermark);
  }
  state.fetch_deadline = now + config_.fetch_timeout;
  state.has_fetched_from_leader = true;
  return true;
}

bool RaftClient::handle_fetch_snapshot_response(const FetchSnapshotResponse& response,
                                                Instant now) {
  if (auto handled = maybe_handle_common_response(response.error, response.leader_id,
                                                  response.leader_epoch, now)) {
    return *handled;
  }
  if (!quorum_.is(StateKind::Follower) || !quorum_.follower().fetching_snapshot) return true;
  FollowerState& state = quorum_.follower();
  FollowerState::SnapshotDownload& download = *state.fetching_snapshot;
  if (response.error == Errors::SNAPSHOT_NOT_FOUND) {
    // The leader deleted it meanwhile: drop the partial download and fetch again.
    state.fetching_snapshot.reset();
    // Kafka closes the unfrozen writer, which deletes its `.part` file (section 8.5 step 3);
    // a node downloads one snapshot at a time and writes its own atomically, so the only
    // partial file is this one.
    snapshots_.remove_partial_snapshots();
    // The leader answered: reset the fetch timer as after any successful fetch (Kafka's
    // resetFetchTimeoutForSuccessfulFetch in handleFetchSnapshotResponse).
    state.fetch_deadline = now + config_.fetch_timeout;
    return true;
  }
  if (response.error != Errors::NONE) return false;
  KR_ASSERT(response.snapshot_id == download.id && response.position == download.position,
            "FetchSnapshot response for " << response.snapshot_id << " at " << response.position
                                          << " while downloading " << download.id << " at "
                                          << download.position);
  KR_ASSERT(response.snapshot != nullptr && response.snapshot->size_bytes == response.size,
            "FetchSnapshot response without its snapshot");
  download.position += response.bytes;
  snapshots_.write_partial_snapshot(download.id, download.position);
  if (download.position >= response.size) {
    // Complete: freeze it, truncate the log to it, and take its end offset as the HW.
    const Offset end = response.snapshot->id.offset;
    log_.install_snapshot(response.snapshot);
    state.fetching_snapshot.reset();
    if (!state.high_watermark || *state.high_watermark < end) state.high_watermark = end;
  }
  state.fetch_deadline = now + config_.fetch_timeout;
  state.has_fetched_from_leader = true;
  return true;
}

void RaftClient::append_as_follower(const std::vector<BatchPtr>& batches) {
  log_.append_as_follower(batches);
  // Voters flush before their next Fetch, whose offset the leader counts toward the HW.
  // Observers (brokers) do not fsync per fetch (KAFKA-13884).
  if (quorum_.is_voter()) log_.flush();
}

void RaftClient::update_follower_high_watermark(FollowerState& state,
                                                std::optional<Offset> leader_hw) {
  if (!leader_hw) return;
  const Offset hw = std::min(*leader_hw, log_.end_offset());
  if (state.high_watermark) {
    KR_ASSERT(hw >= *state.high_watermark,
              "follower HW would go back from " << *state.high_watermark << " to " << hw);
    if (hw == *state.high_watermark) return;
  }
  state.high_watermark = hw;
}

}  // namespace raft
