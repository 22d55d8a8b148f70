// MonotonicHighWatermark (Kafka RaftEventSimulationTest): the high watermark reported by the
// leader with the highest epoch never decreases.
//
// Stated precisely (Kafka compares consecutive events only): whenever the highest-epoch running
// leader knows its HW, that HW is at least every HW any leader of the same or a lower epoch ever
// reported. A stale leader of a lower epoch, still running while a newer leader crashed, is only
// compared with epochs up to its own.
#pragma once

#include <map>

#include "sim/checkers/invariant.hh"

namespace sim {

class MonotonicHighWatermark : public Invariant {
 public:
  [[nodiscard]] std::string_view name() const override { return "MonotonicHighWatermark"; }
  std::optional<Violation> check(const CheckContext& ctx) override;

 private:
  std::map<raft::Epoch, raft::Offset> max_hw_by_epoch_;  // highest HW reported per leader epoch
};

}  // namespace sim
