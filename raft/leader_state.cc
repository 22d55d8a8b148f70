// Kafka: org.apache.kafka.raft.LeaderState (KIP-595, KAFKA-12619, KAFKA-15489). See
// leader_state.hh.
#include "raft/leader_state.hh"

#include <algorithm>

#include "raft/common/assert.hh"

namespace raft {

LeaderState::LeaderState(NodeId local_id, Epoch epoch, Offset epoch_start_offset,
                         const std::vector<NodeId>& voters, std::vector<NodeId> granting_voters,
                         const RaftConfig& config, Instant now)
    : local_id_(local_id),
      epoch_(epoch),
      epoch_start_offset_(epoch_start_offset),
      granting_voters_(std::move(granting_voters)),
      check_quorum_timeout_(config.check_quorum_timeout()),
      begin_quorum_epoch_period_(config.begin_quorum_epoch_period()),
      bugs_(config.bugs),
      check_quorum_deadline_(now + config.check_quorum_timeout()),
      begin_quorum_epoch_deadline_(now),  // announce the new epoch at once
      // The LeaderChange control batch takes epoch_start_offset; data records follow it.
      accumulator_(epoch, epoch_start_offset + 1, config.append_linger, config.batch_max_bytes) {
  for (NodeId v : voters) voters_.emplace(v, ReplicaState{v, {}, {}, {}, v == local_id});
  KR_ASSERT(voters_.count(local_id) == 1, "leader " << local_id << " is not a voter");
}

ReplicaState& LeaderState::replica(NodeId id) {
  if (auto it = voters_.find(id); it != voters_.end()) return it->second;
  auto [it, inserted] = observers_.emplace(id, ReplicaState{id, {}, {}, {}, false});
  return it->second;
}

bool LeaderState::update_local_state(Offset log_end_offset, Instant now) {
  ReplicaState& self = voters_.at(local_id_);
  KR_ASSERT(!self.end_offset || *self.end_offset <= log_end_offset,
            "leader LEO went backwards: " << *self.end_offset << " -> " << log_end_offset);
  self.end_offset = log_end_offset;
  self.last_fetch_time = now;
  self.last_caught_up_time = now;
  return maybe_update_high_watermark();
}

bool LeaderState::update_replica_state(NodeId id, Offset fetch_offset, Instant now) {
  KR_ASSERT(id != local_id_, "the leader does not fetch from itself");
  ReplicaState& r = replica(id);
  // A smaller fetch offset than before is legal (the replica lost its disk; KAFKA-12181): Kafka
  // only logs it. The HW cannot go down because of it (the HW never decreases).
  r.end_offset = fetch_offset;
  r.last_fetch_time = now;
  r.has_acknowledged_leader = true;
  const std::optional<Offset>& leader_end = voters_.at(local_id_).end_offset;
  if (leader_end && fetch_offset >= *leader_end) r.last_caught_up_time = now;
  return voters_.count(id) == 1 && maybe_update_high_watermark();
}

bool LeaderState::maybe_update_high_watermark() {
  // Voters by end offset, descending; unknown offsets sort last.
  std::vector<std::optional<Offset>> offsets;
  offsets.reserve(voters_.size());
  for (const auto& [id, r] : voters_) offsets.push_back(r.end_offset);
  std::sort(offsets.begin(), offsets.end(), [](const auto& a, const auto& b) {
    if (a && b) return *a > *b;
    return a.has_value() && !b.has_value();
  });
  // The entry at index n/2 is the largest offset that a majority of voters has reached.
  const std::optional<Offset>& candidate = offsets[voters_.size() / 2];
  if (!candidate) return false;
  // KAFKA-12619: commit only once the first record of this epoch (the LeaderChange batch at
  // epoch_start_offset) is on a majority, i.e. strictly past the epoch start. Bug::HwAtEpochStart
  // restores the old off-by-one: reaching the epoch start is enough, so a majority holding only
  // older epochs' records up to it commits them (Raft's "commit only through your own term" rule
  // broken).
  if (bugs_.contains(Bug::HwAtEpochStart) ? *candidate < epoch_start_offset_
                                          : *candidate <= epoch_start_offset_) {
    return false;
  }
  if (high_watermark_ && *candidate <= *high_watermark_) return false;  // HW never decreases
  high_watermark_ = *candidate;
  return true;
}

void LeaderState::update_check_quorum_for_following_voter(NodeId voter, Instant now) {
  if (voters_.count(voter) == 0 || voter == local_id_) return;
  if (std::find(fetched_voters_.begin(), fetched_voters_.end(), voter) == fetched_voters_.end()) {
    fetched_voters_.push_back(voter);
  }
  // The leader is a voter and implicitly part of the majority.
  const std::size_t needed = voters_.size() / 2 + 1 - 1;
  if (fetched_voters_.size() >= needed) {
    fetched_voters_.clear();
    check_quorum_deadline_ = now + check_quorum_timeout_;
  }
}

Instant LeaderState::check_quorum_deadline() const {
  // Bug::NoCheckQuorum re-introduces KAFKA-15489: check-quorum does not exist, so nothing makes a
  // leader cut off from the majority resign.
  if (bugs_.contains(Bug::NoCheckQuorum)) return Instant::never();
  // KAFKA-16144: a single voter never loses its quorum.
  if (voters_.size() == 1) return Instant::never();
  return check_quorum_deadline_;
}

std::vector<NodeId> LeaderState::voters_needing_begin_quorum_epoch(Instant now) const {
  std::vector<NodeId> out;
  for (const auto& [id, r] : voters_) {
    if (id == local_id_) continue;
    if (!r.last_fetch_time || now - *r.last_fetch_time >= begin_quorum_epoch_period_) {
      out.push_back(id);
    }
  }
  return out;
}

void LeaderState::reset_begin_quorum_epoch_timer(Instant now) {
  begin_quorum_epoch_deadline_ = now + begin_quorum_epoch_period_;
}

void LeaderState::add_acknowledgement_from(NodeId voter) {
  if (auto it = voters_.find(voter); it != voters_.end()) it->second.has_acknowledged_leader = true;
}

std::vector<NodeId> LeaderState::non_leader_voters_by_descending_fetch_offset() const {
  std::vector<const ReplicaState*> remote;
  for (const auto& [id, r] : voters_) {
    if (id != local_id_) remote.push_back(&r);
  }
  std::stable_sort(remote.begin(), remote.end(), [](const ReplicaState* a, const ReplicaState* b) {
    if (a->end_offset && b->end_offset) return *a->end_offset > *b->end_offset;
    return a->end_offset.has_value() && !b->end_offset.has_value();
  });
  std::vector<NodeId> out;
  for (const ReplicaState* r : remote) out.push_back(r->id);
  return out;
}

}  // namespace raft
