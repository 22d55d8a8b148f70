// SingleLeader (Kafka RaftEventSimulationTest): at most one leader per epoch, ever, across every
// persisted election state and every in-memory Leader state.
#pragma once

#include <map>

#include "sim/checkers/invariant.hh"

namespace sim {

class SingleLeader : public Invariant {
 public:
  [[nodiscard]] std::string_view name() const override { return "SingleLeader"; }
  std::optional<Violation> check(const CheckContext& ctx) override;

 private:
  std::optional<Violation> record(const CheckContext& ctx, raft::Epoch epoch, raft::NodeId leader,
                                  std::string_view where);
  std::map<raft::Epoch, raft::NodeId> leader_of_epoch_;  // first leader seen for each epoch
};

}  // namespace sim
