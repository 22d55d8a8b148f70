// LeaderNeverLoadSnapshot (Kafka RaftEventSimulationTest, KAFKA-12958): a state machine that was
// told it leads never receives handleLoadSnapshot while it leads (its state already holds
// everything committed, and a snapshot load would throw away its uncommitted writes).
#pragma once

#include "sim/checkers/invariant.hh"

namespace sim {

class LeaderNeverLoadSnapshot : public Invariant {
 public:
  [[nodiscard]] std::string_view name() const override { return "LeaderNeverLoadSnapshot"; }
  std::optional<Violation> check(const CheckContext& ctx) override;
};

}  // namespace sim
