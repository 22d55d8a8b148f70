// Record identity helpers and PartitionChangeRecord replay (Kafka: PartitionRegistration.merge).
#include "raft/metadata/records.hh"

#include <type_traits>

#include "raft/common/assert.hh"

namespace raft::metadata {

std::int16_t api_key(const MetadataRecord& record) {
  return std::visit([](const auto& r) { return std::decay_t<decltype(r)>::kApiKey; }, record);
}

std::string_view record_name(const MetadataRecord& record) {
  return std::visit([](const auto& r) { return std::decay_t<decltype(r)>::kName; }, record);
}

PartitionRecord apply_partition_change(PartitionRecord partition,
                                       const PartitionChangeRecord& change) {
  KR_ASSERT(partition.topic_id == change.topic_id && partition.partition_id == change.partition_id,
            "PartitionChangeRecord for partition " << change.partition_id
                                                   << " applied to partition "
                                                   << partition.partition_id);
  if (change.isr) partition.isr = *change.isr;
  if (change.leader != kNoLeaderChange) {
    partition.leader = change.leader;
    partition.leader_epoch += 1;
  }
  if (change.replicas) partition.replicas = *change.replicas;
  if (change.leader_recovery_state) partition.leader_recovery_state = *change.leader_recovery_state;
  partition.partition_epoch += 1;
  return partition;
}

}  // namespace raft::metadata
