// The replica's election state machine: the current EpochState and every legal transition.
//
// Kafka: org.apache.kafka.raft.QuorumState (4.x transition table, KIP-595 + KIP-996).
//
// Durable transitions (Unattached, Follower, Candidate, Leader, and a binding vote granted while
// Unattached or Prospective) write the election state to the QuorumStateStore *before* switching
// in memory, so a vote is on disk before the response that grants it leaves the node. Memory-only
// transitions (Prospective, Resigned) do not change (epoch, leader, vote) on disk.
//
// Every transition asserts its preconditions, as Kafka throws IllegalStateException.
//
// Historical bugs (RaftConfig::bugs, raft/common/bugs.hh) checked here: Bug::RestartAsLeader
// (initialize() with itself as the stored leader gives Leader, not Resigned) and
// Bug::PreVotePingPong (a Follower grants no pre-vote).
#pragma once

#include <optional>
#include <variant>
#include <vector>

#include "raft/common/ids.hh"
#include "raft/common/time.hh"
#include "raft/epoch_states.hh"
#include "raft/io.hh"
#include "raft/leader_state.hh"
#include "raft/raft_config.hh"

namespace raft {

class QuorumState {
 public:
  using State = std::variant<UnattachedState, ProspectiveState, CandidateState, LeaderState,
                             FollowerState, ResignedState>;

  // voters: the static voter set (controller.quorum.voters); the node is an observer if its id
  // is not in it.
  QuorumState(NodeId local_id, std::vector<NodeId> voters, const RaftConfig& config,
              QuorumStateStore& store, Random& random);

  // Startup (kraft-protocol.md 3.3): chooses the initial state from the quorum-state file and
  // the log's end. log_end: (log end offset, epoch of the last batch). Never Leader, except with
  // Bug::RestartAsLeader (Leader of the stored epoch, its epoch starting at log_end.offset; the
  // caller must then start the epoch as a newly elected leader does).
  void initialize(OffsetAndEpoch log_end, Instant now);

  // ---- queries ----
  [[nodiscard]] StateKind kind() const;
  [[nodiscard]] Epoch epoch() const;
  // Leader: self. Resigned: self (still the leader of its epoch on disk). Follower: its leader.
  [[nodiscard]] std::optional<NodeId> leader_id() const;
  [[nodiscard]] std::optional<NodeId> voted_id() const;
  [[nodiscard]] std::optional<Offset> high_watermark() const;
  [[nodiscard]] bool has_leader() const { return leader_id().has_value(); }
  [[nodiscard]] bool has_remote_leader() const;
  [[nodiscard]] bool is_voter() const { return is_voter_; }
  [[nodiscard]] bool is_only_voter() const { return is_voter_ && voters_.size() == 1; }
  [[nodiscard]] NodeId local_id() const { return local_id_; }
  [[nodiscard]] const std::vector<NodeId>& voters() const { return voters_; }
  [[nodiscard]] std::vector<NodeId> remote_voters() const;
  // The (epoch, leader, vote) this state implies; equals the file's content after durable ones.
  [[nodiscard]] ElectionState election_state() const;
  // The vote-granting matrix (kraft-protocol.md 4.3). A Leader never grants.
  [[nodiscard]] bool can_grant_vote(NodeId candidate, bool log_up_to_date, bool pre_vote) const;

  [[nodiscard]] bool is(StateKind k) const { return kind() == k; }
  UnattachedState& unattached();
  ProspectiveState& prospective();
  CandidateState& candidate();
  LeaderState& leader();
  FollowerState& follower();
  ResignedState& resigned();
  [[nodiscard]] const LeaderState* leader_or_null() const;

  // ---- transitions ----
  // To Unattached in a higher epoch (or, from Prospective, the same epoch after a lost pre-vote).
  void transition_to_unattached(Epoch epoch, std::optional<NodeId> leader_id, Instant now);
  // Unattached (not voted) grants its binding vote in `epoch`. Resets the election timer.
  void unattached_add_voted(Epoch epoch, NodeId candidate, Instant now);
  // Prospective (not voted) grants its binding vote in its own epoch. Restarts the election
  // timer, as unattached_add_voted does (kraft-protocol.md 4.2 step 7).
  void prospective_add_voted(NodeId candidate, Instant now);
  void transition_to_prospective(Instant now);
  void transition_to_candidate(Instant now);
  LeaderState& transition_to_leader(Offset epoch_start_offset, Instant now);
  void transition_to_follower(Epoch epoch, NodeId leader_id, Instant now);
  void transition_to_resigned(std::vector<NodeId> preferred_successors, Instant now);

 private:
  [[nodiscard]] Instant random_election_deadline(Instant now);
  [[nodiscard]] Instant remaining_or_new_election_deadline(Instant now);
  void durable_transition_to(State next);
  void memory_transition_to(State next);

  NodeId local_id_;
  std::vector<NodeId> voters_;  // sorted
  bool is_voter_;
  const RaftConfig& config_;
  QuorumStateStore& store_;
  Random& random_;
  State state_;
};

}  // namespace raft
