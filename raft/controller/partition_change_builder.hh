// Computes the PartitionChangeRecord (if any) that moves a partition to a target ISR / replica
// set and elects its leader.
//
// Kafka: org.apache.kafka.controller.PartitionChangeBuilder (metadata.version 3.9, ELR disabled,
// no reassignment in progress), see kraft-protocol.md 12.1. The steps of build(), in Kafka's
// order:
//   1. elect a leader (rules below) against the target ISR;
//   2. if the leader changes, set Leader; an unclean winner also sets Isr = [leader] and
//      LeaderRecoveryState = RECOVERING (unless the partition is already RECOVERING);
//   3. if the target replicas drop a current replica and the leader is not changing, set Leader to
//      the current leader anyway, to bump the leader epoch (reassignment epoch bump);
//   4. if Isr is not set yet, the target ISR is not empty and differs from the current ISR, set
//      it. Without ELR the ISR is never written empty: an empty target leaves the ISR as it is
//      (so the last member of the ISR stays in it, and the partition becomes leaderless);
//   5. if the target replicas are not empty and differ from the current ones, set Replicas.
// Nothing set -> no record. There is no leader-epoch bump on ISR shrink (that is only for
// metadata versions before 3.6, KAFKA-15021).
//
// Election rules ("valid" = in the target ISR and acceptable):
//   ONLINE    keep the current leader if valid; else the first valid replica in assignment order.
//   PREFERRED the first replica of the assignment if valid; else as ONLINE.
//   UNCLEAN   as ONLINE; else the first acceptable replica in assignment order (unclean).
//   None      kNoLeader.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "raft/metadata/records.hh"

namespace raft::controller {

// Kafka: PartitionChangeBuilder.Election.
enum class Election : std::uint8_t {
  Online,     // keep the partition online from the ISR
  Preferred,  // move leadership to the preferred (first) replica when possible
  Unclean,    // like Online, but fall back to any acceptable replica outside the ISR
};

// Whether a broker may lead (Kafka's isAcceptableLeader): typically registered, unfenced and not
// in controlled shutdown. Must return false for kNoLeader.
using LeaderPredicate = std::function<bool(std::int32_t broker)>;

// Returns the change for `partition` (its topic_id and partition_id are copied into the record),
// or nullopt when nothing changes.
//   target_isr      the wanted ISR (nullopt = keep the current ISR). Order is kept as given.
//   target_replicas the wanted assignment (nullopt = keep the current replicas).
// Asserts (raft::AssertionFailure) that the resulting leader, if any, is in the resulting ISR.
[[nodiscard]] std::optional<metadata::PartitionChangeRecord> build_partition_change(
    const metadata::PartitionRecord& partition, const LeaderPredicate& is_acceptable_leader,
    Election election = Election::Online,
    const std::optional<std::vector<std::int32_t>>& target_isr = std::nullopt,
    const std::optional<std::vector<std::int32_t>>& target_replicas = std::nullopt);

}  // namespace raft::controller
