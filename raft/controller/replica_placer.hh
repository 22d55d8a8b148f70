// Chooses the replicas of new partitions: rack-aware, striped, with a random start.
//
// Kafka: org.apache.kafka.metadata.placement.StripedReplicaPlacer (KIP-660). Summary of the
// algorithm (same steps and the same use of randomness as Kafka, except that racks are visited
// in sorted order where Kafka walks a HashMap):
//  * Brokers are grouped by rack (brokers without a rack form one group, sorted first). Each rack
//    keeps a sorted list of unfenced brokers and one of fenced brokers, each with a random start
//    offset; the rack list gets a random start offset too.
//  * Partition p: the leader (first replica) is the next UNFENCED broker of the first rack, from
//    the current rack offset, that still has one; the followers come from the following racks in
//    round-robin order (each rack gives its next unfenced broker, then its next fenced one), so
//    replicas spread over racks. After each partition the rack offset moves by one and every
//    broker list starts a new round (its own offset moves by one): the "striped" pattern spreads
//    leaders and replicas evenly.
//  * After as many partitions as there are unfenced brokers, racks and broker lists are shuffled
//    (Fisher-Yates with raft::Random, like java.util.Collections.shuffle) so patterns do not
//    repeat.
//  * Fenced brokers may hold followers (only when the unfenced ones of their rack are used up),
//    never leaders.
// Errors (the caller answers INVALID_REPLICATION_FACTOR): replication factor < 1, no unfenced
// broker, or more replicas than usable brokers.
// Simplification: Kafka 3.9+ continues the stripes of a topic's existing partitions
// (CreatePartitions); only new topics are placed here, so every placement starts at random.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "raft/io.hh"

namespace raft::controller {

// A broker that may receive replicas (Kafka: placement.UsableBroker): a registered broker that is
// not in controlled shutdown.
struct UsableBroker {
  std::int32_t id = 0;
  std::optional<std::string> rack;  // absent = no rack
  bool fenced = false;
};

struct PlacementResult {
  // One replica list per partition (index = partition id), replication_factor distinct brokers
  // each, the first (leader) always unfenced. Empty when error is set.
  std::vector<std::vector<std::int32_t>> assignments;
  // Why no placement is possible (empty on success).
  std::string error;
  [[nodiscard]] bool ok() const { return error.empty(); }
};

// Places `num_partitions` (>= 0, asserted) partitions of `replication_factor` replicas on
// `brokers` (distinct ids, asserted; any order). Deterministic for a given state of `random`.
[[nodiscard]] PlacementResult place_replicas(std::int32_t num_partitions,
                                             std::int32_t replication_factor,
                                             const std::vector<UsableBroker>& brokers,
                                             Random& random);

}  // namespace raft::controller
