// MajorityReachedHighWatermark (Kafka RaftEventSimulationTest): a majority of voters hold every
// record below the current leader's high watermark. Checked against what is durable on each
// voter's disk (running or not), which is stronger than Kafka's check of the in-memory log end:
// committed data must survive any minority of crashes.
#pragma once

#include "sim/checkers/invariant.hh"

namespace sim {

class MajorityReachedHighWatermark : public Invariant {
 public:
  [[nodiscard]] std::string_view name() const override { return "MajorityReachedHighWatermark"; }
  std::optional<Violation> check(const CheckContext& ctx) override;
};

}  // namespace sim
