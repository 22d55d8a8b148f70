// Vote tally of one election round (pre-vote or binding vote).
//
// Kafka: org.apache.kafka.raft.internals.EpochElection (KIP-996).
//
// Every voter is in exactly one of three sets: granted, rejected or unrecorded. The local node
// records its own grant when the round starts (a node always votes for itself).
#pragma once

#include <map>
#include <vector>

#include "raft/common/ids.hh"

namespace raft {

class EpochElection {
 public:
  // All voters start unrecorded. Precondition: voters is non-empty, without duplicates.
  explicit EpochElection(const std::vector<NodeId>& voters);

  // Records a grant (or a rejection). Returns false if the voter had already answered the same
  // way. A voter changing its answer within one round is a protocol error (assertion).
  bool record_granted(NodeId voter);
  bool record_rejected(NodeId voter);

  // A majority of voters granted.
  [[nodiscard]] bool is_vote_granted() const;
  // Even if every unrecorded voter granted, there would be no majority.
  [[nodiscard]] bool is_vote_rejected() const;

  [[nodiscard]] std::vector<NodeId> unrecorded_voters() const;
  [[nodiscard]] std::vector<NodeId> granting_voters() const;
  [[nodiscard]] std::vector<NodeId> rejecting_voters() const;
  [[nodiscard]] std::size_t majority() const { return votes_.size() / 2 + 1; }

 private:
  enum class Vote { Unrecorded, Granted, Rejected };
  [[nodiscard]] std::size_t count(Vote v) const;
  [[nodiscard]] std::vector<NodeId> voters_with(Vote v) const;
  bool record(NodeId voter, Vote v);

  std::map<NodeId, Vote> votes_;  // ordered by id: iteration order is deterministic
};

}  // namespace raft
