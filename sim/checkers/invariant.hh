// The interface of an invariant checked after every event of a run.
//
// Invariants carry Kafka's names where RaftEventSimulationTest has one (SingleLeader,
// MonotonicEpoch, MonotonicHighWatermark, MajorityReachedHighWatermark, ConsistentCommittedData);
// the others are ours (LeaderCompleteness). Each keeps whatever history it needs and checks only
// what changed where it can, so a check costs O(nodes) rather than O(log).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "sim/node_host.hh"
#include "sim/run_result.hh"

namespace sim {

struct CheckContext {
  Instant now;
  std::uint64_t event_index = 0;
  const std::vector<std::unique_ptr<NodeHost>>& nodes;
  std::size_t voter_count = 0;
};

class Invariant {
 public:
  virtual ~Invariant() = default;
  [[nodiscard]] virtual std::string_view name() const = 0;
  // Checks the cluster as it is after an event; nullopt when the invariant holds.
  virtual std::optional<Violation> check(const CheckContext& ctx) = 0;
};

// The running node in the Leader state with the highest epoch, or null.
const NodeHost* highest_epoch_leader(const std::vector<std::unique_ptr<NodeHost>>& nodes);

// True while `node` is blocked in an fsync of its own (a slow disk): it is in the middle of a
// poll, like Kafka's raft thread inside log.flush(), and nothing it computed since the fsync began
// is visible to anyone yet (what it sends is held until the fsync completes, and a crash meanwhile
// throws it all away). In particular a leader may already have counted its unflushed end offset
// towards the high watermark, as Kafka's flushLeaderLog does before the flush; with one voter that
// HW is ahead of the durable log until the fsync completes. Checkers that read a node's HW skip
// the node meanwhile and see its state once the fsync is done.
bool mid_fsync(const NodeHost& node);

// Builds a Violation of `invariant` at the context's event.
Violation make_violation(const CheckContext& ctx, std::string_view invariant, std::string detail,
                         std::vector<raft::NodeId> nodes);

}  // namespace sim
