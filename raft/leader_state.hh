// The Leader election state: replica progress, the high watermark, check-quorum and the
// BeginQuorumEpoch schedule.
//
// Kafka: org.apache.kafka.raft.LeaderState (KIP-595; check-quorum from KAFKA-15489; HW rule with
// the KAFKA-12619 fix; BeginQuorumEpoch as heartbeat from KAFKA-16536, 4.x targeting).
//
// Historical bugs (RaftConfig::bugs, raft/common/bugs.hh) checked here: Bug::NoCheckQuorum
// (check_quorum_deadline() is never()) and Bug::HwAtEpochStart (the HW may equal the epoch start).
#pragma once

#include <map>
#include <optional>
#include <vector>

#include "raft/batch_accumulator.hh"
#include "raft/common/bugs.hh"
#include "raft/common/ids.hh"
#include "raft/common/time.hh"
#include "raft/raft_config.hh"

namespace raft {

// What the leader knows about one replica (voter, observer, or itself).
struct ReplicaState {
  NodeId id;
  std::optional<Offset> end_offset;    // last fetch offset (its LEO); nullopt until it fetches
  std::optional<Instant> last_fetch_time;
  std::optional<Instant> last_caught_up_time;  // last time its LEO reached the leader's LEO
  bool has_acknowledged_leader = false;        // answered BeginQuorumEpoch or fetched
};

class LeaderState {
 public:
  // epoch_start_offset: the leader's LEO when it won (where its LeaderChange batch goes).
  LeaderState(NodeId local_id, Epoch epoch, Offset epoch_start_offset,
              const std::vector<NodeId>& voters, std::vector<NodeId> granting_voters,
              const RaftConfig& config, Instant now);

  [[nodiscard]] Epoch epoch() const { return epoch_; }
  [[nodiscard]] Offset epoch_start_offset() const { return epoch_start_offset_; }
  [[nodiscard]] const std::vector<NodeId>& granting_voters() const { return granting_voters_; }
  // nullopt until the first record of this epoch is on a majority (HW is never inherited); with
  // Bug::HwAtEpochStart, until a majority reached the epoch start offset.
  [[nodiscard]] std::optional<Offset> high_watermark() const { return high_watermark_; }

  // The leader's own log end offset moved (after an append). Returns true if the HW advanced.
  bool update_local_state(Offset log_end_offset, Instant now);
  // A replica fetched at fetch_offset (its LEO). Returns true if the HW advanced. Observers are
  // tracked but never count toward the HW.
  bool update_replica_state(NodeId replica, Offset fetch_offset, Instant now);

  // Check-quorum: a voter fetched in the current window. When a majority (the leader counts
  // itself) has fetched, the window restarts.
  void update_check_quorum_for_following_voter(NodeId voter, Instant now);
  // When the leader must resign for lack of a fetching majority; never() for a single voter, and
  // always never() with Bug::NoCheckQuorum.
  [[nodiscard]] Instant check_quorum_deadline() const;
  // The length of a check-quorum window: 1.5 x this leader's fetch_timeout (its own config),
  // with or without Bug::NoCheckQuorum. For observers (the CheckQuorum invariant).
  [[nodiscard]] Duration check_quorum_timeout() const { return check_quorum_timeout_; }

  // BeginQuorumEpoch: the voters to (re)send it to now (those that have not fetched within the
  // last fetch_timeout/2), and when to look again.
  [[nodiscard]] std::vector<NodeId> voters_needing_begin_quorum_epoch(Instant now) const;
  [[nodiscard]] Instant begin_quorum_epoch_deadline() const { return begin_quorum_epoch_deadline_; }
  void reset_begin_quorum_epoch_timer(Instant now);
  void add_acknowledgement_from(NodeId voter);

  // Remote voters sorted by descending end offset (unknown last, ties by id): the preferred
  // successors sent in EndQuorumEpoch.
  [[nodiscard]] std::vector<NodeId> non_leader_voters_by_descending_fetch_offset() const;

  [[nodiscard]] const std::map<NodeId, ReplicaState>& voter_states() const { return voters_; }
  [[nodiscard]] const std::map<NodeId, ReplicaState>& observer_states() const { return observers_; }

  BatchAccumulator& accumulator() { return accumulator_; }
  void request_resign() { resign_requested_ = true; }
  [[nodiscard]] bool is_resign_requested() const { return resign_requested_; }

 private:
  bool maybe_update_high_watermark();
  ReplicaState& replica(NodeId id);

  NodeId local_id_;
  Epoch epoch_;
  Offset epoch_start_offset_;
  std::vector<NodeId> granting_voters_;
  Duration check_quorum_timeout_;
  Duration begin_quorum_epoch_period_;
  BugSet bugs_;  // the historical bugs switched on (RaftConfig::bugs)
  std::optional<Offset> high_watermark_;
  std::map<NodeId, ReplicaState> voters_;     // includes the leader itself
  std::map<NodeId, ReplicaState> observers_;  // brokers (and non-voting controllers)
  std::vector<NodeId> fetched_voters_;        // remote voters that fetched in this window
  Instant check_quorum_deadline_;
  Instant begin_quorum_epoch_deadline_;
  BatchAccumulator accumulator_;
  bool resign_requested_ = false;
};

}  // namespace raft
