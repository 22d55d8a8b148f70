// The non-leader election states of a KRaft replica.
//
// Kafka: org.apache.kafka.raft.{UnattachedState, ProspectiveState, CandidateState,
// FollowerState, ResignedState} (KIP-595, KIP-996 for Prospective). LeaderState is in
// leader_state.hh. Each state carries its epoch, its timers as absolute deadlines, and the high
// watermark it knows (nullopt = unknown), which Kafka also keeps per state.
//
// The vote-granting rules of each state (kraft-protocol.md 4.3) live here as can_grant_vote().
#pragma once

#include <optional>
#include <set>
#include <string_view>
#include <vector>

#include "raft/common/ids.hh"
#include "raft/common/time.hh"
#include "raft/epoch_election.hh"
#include "raft/snapshot.hh"

namespace raft {

// Which state a replica is in (used by traces, checkers and the vote matrix).
enum class StateKind { Unattached, Prospective, Candidate, Leader, Follower, Resigned };

std::string_view to_string(StateKind k);

// Knows the epoch but not (necessarily) the leader. Voters wait for their election timer;
// observers wait forever and keep looking for a leader.
struct UnattachedState {
  Epoch epoch;
  std::optional<NodeId> leader_id;  // leader known by id only (rare with static voters)
  std::optional<NodeId> voted_id;   // binding vote given in this epoch
  Instant election_deadline;        // never() for observers
  std::optional<Offset> high_watermark;

  [[nodiscard]] bool can_grant_vote(NodeId candidate, bool log_up_to_date, bool pre_vote) const;
};

// KIP-996: a voter whose timer expired asks for pre-votes before bumping the epoch. Not persisted.
struct ProspectiveState {
  Epoch epoch;
  std::optional<NodeId> leader_id;  // leader of this epoch it last knew, returned to on loss
  std::optional<NodeId> voted_id;
  EpochElection election;
  int retries = 1;  // election attempts so far (drives the candidate backoff)
  Instant election_deadline;
  std::optional<Offset> high_watermark;

  [[nodiscard]] bool can_grant_vote(NodeId candidate, bool log_up_to_date, bool pre_vote) const;
};

// Voted for itself in a new epoch and asks for binding votes.
struct CandidateState {
  Epoch epoch;
  EpochElection election;
  int retries = 1;
  Instant election_deadline;
  std::optional<Instant> backoff_deadline;  // set once the vote is lost: wait, then Prospective
  std::optional<Offset> high_watermark;

  [[nodiscard]] bool can_grant_vote(NodeId candidate, bool log_up_to_date, bool pre_vote) const;
};

// Knows the leader of its epoch and fetches from it.
struct FollowerState {
  Epoch epoch;
  NodeId leader_id;
  std::optional<NodeId> voted_id;  // vote given earlier in this epoch, kept in the persisted state
  Instant fetch_deadline;          // voters: become Prospective after it; observers: refetch
  std::optional<Offset> high_watermark;
  // KIP-996 Follower rule: pre-votes are granted only until the first successful fetch from the
  // leader in this Follower stint (prevents the pre-vote "ping-pong").
  bool has_fetched_from_leader = false;
  // A snapshot being downloaded with FetchSnapshot (KIP-630): while set, the follower sends
  // FetchSnapshot instead of Fetch.
  struct SnapshotDownload {
    OffsetAndEpoch id;
    std::int64_t position = 0;  // bytes received so far
  };
  std::optional<SnapshotDownload> fetching_snapshot;

  [[nodiscard]] bool can_grant_vote(NodeId candidate, bool log_up_to_date, bool pre_vote) const;
};

// A leader that gave up (graceful shutdown, check-quorum, resign()) or restarted after leading.
// Memory only: on disk it is still the leader of its epoch, so it can never lead that epoch again.
struct ResignedState {
  Epoch epoch;
  std::vector<NodeId> preferred_successors;  // voters by descending fetch offset
  std::set<NodeId> unacked_voters;           // still to receive EndQuorumEpoch
  Instant election_deadline;                 // then Unattached(epoch + 1)
  std::optional<Offset> high_watermark;      // always nullopt, as in Kafka

  [[nodiscard]] bool can_grant_vote(NodeId candidate, bool log_up_to_date, bool pre_vote) const;
};

}  // namespace raft
