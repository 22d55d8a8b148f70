// PartitionChangeRecord generation (Kafka: org.apache.kafka.controller.PartitionChangeBuilder).
#include "raft/controller/partition_change_builder.hh"

#include <algorithm>

#include "raft/common/assert.hh"

namespace raft::controller {
namespace {

using metadata::kNoLeader;
using metadata::kNoLeaderChange;
using metadata::PartitionChangeRecord;
using metadata::PartitionRecord;
using Brokers = std::vector<std::int32_t>;

bool contains(const Brokers& brokers, std::int32_t id) {
  return std::find(brokers.begin(), brokers.end(), id) != brokers.end();
}

// True if every broker of `subset` is in `superset`.
bool contains_all(const Brokers& superset, const Brokers& subset) {
  return std::all_of(subset.begin(), subset.end(),
                     [&](std::int32_t id) { return contains(superset, id); });
}

struct ElectionResult {
  std::int32_t leader = kNoLeader;
  bool unclean = false;  // the leader comes from outside the ISR
};

// The inputs of one election, with the "valid new leader" test of Kafka's isValidNewLeader.
class Elector {
 public:
  Elector(const PartitionRecord& partition, const LeaderPredicate& acceptable,
          const Brokers& target_isr, const Brokers& target_replicas)
      : partition_(partition),
        acceptable_(acceptable),
        target_isr_(target_isr),
        target_replicas_(target_replicas) {}

  ElectionResult elect(Election election) const {
    if (election == Election::Preferred && !target_replicas_.empty() &&
        is_valid(target_replicas_.front())) {
      return {target_replicas_.front(), false};
    }
    if (is_valid(partition_.leader)) return {partition_.leader, false};
    if (auto clean = first_replica([&](std::int32_t r) { return is_valid(r); })) {
      return {*clean, false};
    }
    if (election == Election::Unclean) {
      if (auto unclean = first_replica([&](std::int32_t r) { return acceptable_(r); })) {
        return {*unclean, true};
      }
    }
    return {kNoLeader, false};
  }

 private:
  bool is_valid(std::int32_t replica) const {
    return replica != kNoLeader && contains(target_isr_, replica) && acceptable_(replica);
  }

  template <typename Pred>
  std::optional<std::int32_t> first_replica(Pred pred) const {
    auto it = std::find_if(target_replicas_.begin(), target_replicas_.end(), pred);
    if (it == target_replicas_.end()) return std::nullopt;
    return *it;
  }

  const PartitionRecord& partition_;
  const LeaderPredicate& acceptable_;
  const Brokers& target_isr_;
  const Brokers& target_replicas_;
};

// Step 2: the leader change, and for an unclean winner the forced ISR and recovery state.
void apply_election(const PartitionRecord& partition, const ElectionResult& result,
                    PartitionChangeRecord& record) {
  if (result.leader == partition.leader) return;
  record.leader = result.leader;
  if (!result.unclean) return;
  record.isr = Brokers{result.leader};
  if (partition.leader_recovery_state != metadata::kRecovering) {
    record.leader_recovery_state = metadata::kRecovering;
  }
}

bool is_no_op(const PartitionChangeRecord& record) {
  return !record.isr && record.leader == kNoLeaderChange && !record.replicas &&
         !record.leader_recovery_state;
}

}  // namespace

std::optional<PartitionChangeRecord> build_partition_change(
    const PartitionRecord& partition, const LeaderPredicate& is_acceptable_leader,
    Election election, const std::optional<Brokers>& target_isr,
    const std::optional<Brokers>& target_replicas) {
  const Brokers& isr = target_isr ? *target_isr : partition.isr;
  const Brokers& replicas = target_replicas ? *target_replicas : partition.replicas;

  PartitionChangeRecord record;
  record.topic_id = partition.topic_id;
  record.partition_id = partition.partition_id;

  const ElectionResult result =
      Elector(partition, is_acceptable_leader, isr, replicas).elect(election);
  apply_election(partition, result, record);

  // Step 3: a replica leaving the assignment must bump the leader epoch.
  if (record.leader == kNoLeaderChange && !contains_all(replicas, partition.replicas)) {
    record.leader = partition.leader;
  }
  // Step 4: the ISR, never written empty (no ELR).
  if (!record.isr && !isr.empty() && isr != partition.isr) record.isr = isr;
  // Step 5: the assignment.
  if (!replicas.empty() && replicas != partition.replicas) record.replicas = replicas;

  const std::int32_t new_leader = result.leader;
  const Brokers& new_isr = record.isr ? *record.isr : partition.isr;
  KR_ASSERT(new_leader == kNoLeader || contains(new_isr, new_leader),
            "partition " << partition.partition_id << ": elected leader " << new_leader
                         << " is not in the resulting ISR");

  if (is_no_op(record)) return std::nullopt;
  return record;
}

}  // namespace raft::controller
