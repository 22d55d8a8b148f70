// MonotonicEpoch (Kafka RaftEventSimulationTest): each node's persisted epoch never decreases,
// and a running node's in-memory epoch equals its persisted epoch (only durable transitions change
// the epoch). A disk wipe (issue 3) legitimately resets it; wipes are not modelled yet.
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
};

}  // namespace sim
