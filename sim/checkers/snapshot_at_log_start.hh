// SnapshotAtLogStart (Kafka RaftEventSimulationTest): on every node's disk, the earliest snapshot
// does not start before the log, a log that starts after offset 0 starts exactly at the earliest
// snapshot's end offset, and that snapshot's id is VALID against the log (the log's epoch at that
// offset is the snapshot's epoch). Checked on running nodes through their log, on crashed ones
// through their disk.
#pragma once

#include "sim/checkers/invariant.hh"

namespace sim {

class SnapshotAtLogStart : public Invariant {
 public:
  [[nodiscard]] std::string_view name() const override { return "SnapshotAtLogStart"; }
  std::optional<Violation> check(const CheckContext& ctx) override;
};

}  // namespace sim
