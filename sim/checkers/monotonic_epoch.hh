// MonotonicEpoch (Kafka RaftEventSimulationTest): each node's persisted epoch never decreases,
// and a running node's in-memory epoch equals its persisted epoch (only durable transitions change
// the epoch). A disk wipe legitimately resets a node's epoch to 0: its history restarts then.
#pragma once

#include <map>

#include "sim/checkers/invariant.hh"

namespace sim {

class MonotonicEpoch : public Invariant {
 public:
  [[nodiscard]] std::string_view name() const override { return "MonotonicEpoch"; }
  std::optional<Violation> check(const CheckContext& ctx) override;

 private:
  std::map<raft::NodeId, raft::Epoch> last_persisted_;
  std::map<raft::NodeId, std::uint64_t> wipes_seen_;
};

}  // namespace sim
