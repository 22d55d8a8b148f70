// Kafka: org.apache.kafka.raft.internals.EpochElection (KIP-996). See epoch_election.hh.
#include "raft/epoch_election.hh"

#include "raft/common/assert.hh"

namespace raft {

EpochElection::EpochElection(const std::vector<NodeId>& voters) {
  KR_ASSERT(!voters.empty(), "an election needs voters");
  for (NodeId v : voters) {
    auto [it, inserted] = votes_.emplace(v, Vote::Unrecorded);
    KR_ASSERT(inserted, "duplicate voter " << v);
  }
}

bool EpochElection::record(NodeId voter, Vote v) {
  auto it = votes_.find(voter);
  KR_ASSERT(it != votes_.end(), "vote from non-voter " << voter);
  if (it->second == v) return false;
  KR_ASSERT(it->second == Vote::Unrecorded,
            "voter " << voter << " changed its answer within one election round");
  it->second = v;
  return true;
}

bool EpochElection::record_granted(NodeId voter) { return record(voter, Vote::Granted); }
bool EpochElection::record_rejected(NodeId voter) { return record(voter, Vote::Rejected); }

std::size_t EpochElection::count(Vote v) const {
  std::size_t n = 0;
  for (const auto& [id, vote] : votes_) n += (vote == v) ? 1 : 0;
  return n;
}

std::vector<NodeId> EpochElection::voters_with(Vote v) const {
  std::vector<NodeId> out;
  for (const auto& [id, vote] : votes_) {
    if (vote == v) out.push_back(id);
  }
  return out;
}

bool EpochElection::is_vote_granted() const { return count(Vote::Granted) >= majority(); }

bool EpochElection::is_vote_rejected() const {
  return count(Vote::Granted) + count(Vote::Unrecorded) < majority();
}

std::vector<NodeId> EpochElection::unrecorded_voters() const { return voters_with(Vote::Unrecorded); }
std::vector<NodeId> EpochElection::granting_voters() const { return voters_with(Vote::Granted); }
std::vector<NodeId> EpochElection::rejecting_voters() const { return voters_with(Vote::Rejected); }

}  // namespace raft
