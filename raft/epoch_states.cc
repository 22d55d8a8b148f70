// Kafka: org.apache.kafka.raft.{Unattached,Prospective,Candidate,Follower,Resigned}State
// (KIP-595, KIP-996): their vote-granting rules. See epoch_states.hh.
#include "raft/epoch_states.hh"

namespace raft {

std::string_view to_string(StateKind k) {
  switch (k) {
    case StateKind::Unattached: return "Unattached";
    case StateKind::Prospective: return "Prospective";
    case StateKind::Candidate: return "Candidate";
    case StateKind::Leader: return "Leader";
    case StateKind::Follower: return "Follower";
    case StateKind::Resigned: return "Resigned";
  }
  return "?";
}

namespace {
// Shared rule of Unattached and Prospective (kraft-protocol.md 4.3, first three rows).
bool unattached_rule(const std::optional<NodeId>& voted_id, const std::optional<NodeId>& leader_id,
                     NodeId candidate, bool log_up_to_date, bool pre_vote) {
  if (pre_vote) return log_up_to_date;
  if (voted_id) return *voted_id == candidate;
  if (leader_id) return false;
  return log_up_to_date;
}
}  // namespace

bool UnattachedState::can_grant_vote(NodeId candidate, bool log_up_to_date, bool pre_vote) const {
  return unattached_rule(voted_id, leader_id, candidate, log_up_to_date, pre_vote);
}

bool ProspectiveState::can_grant_vote(NodeId candidate, bool log_up_to_date, bool pre_vote) const {
  return unattached_rule(voted_id, leader_id, candidate, log_up_to_date, pre_vote);
}

bool CandidateState::can_grant_vote(NodeId, bool log_up_to_date, bool pre_vote) const {
  // Its binding vote went to itself; pre-votes follow the log.
  return pre_vote && log_up_to_date;
}

bool FollowerState::can_grant_vote(NodeId, bool log_up_to_date, bool pre_vote) const {
  return pre_vote && !has_fetched_from_leader && log_up_to_date;
}

bool ResignedState::can_grant_vote(NodeId, bool log_up_to_date, bool pre_vote) const {
  return pre_vote && log_up_to_date;
}

}  // namespace raft
