// MajorityReachedHighWatermark (Kafka RaftEventSimulationTest): a majority of voters hold every
// record below the current leader's high watermark. Checked against what is durable on each
// voter's disk (running or not), which is stronger than Kafka's check of the in-memory log end:
// committed data must survive any minority of crashes.
//
// A wiped disk (a scenario fault) loses what it held; that loss is the scenario's doing, not the
// protocol's, so until the replaced disk catches up again it is credited with what it held before
// the wipe (Kafka instead turns this invariant off for its disk-loss scenario). Loss of committed
// data itself is CommittedDataDurable's business.
#pragma once

#include <map>

#include "sim/checkers/invariant.hh"

namespace sim {

class MajorityReachedHighWatermark : public Invariant {
 public:
  [[nodiscard]] std::string_view name() const override { return "MajorityReachedHighWatermark"; }
  std::optional<Violation> check(const CheckContext& ctx) override;

 private:
  struct DiskSeen {
    std::uint64_t wipes = 0;
    raft::Offset last_durable_end{0};
    raft::Offset floor{0};  // credited durable end after a wipe, until the disk reaches it
  };
  raft::Offset effective_end(const NodeHost& node);
  std::map<raft::NodeId, DiskSeen> disks_;
};

}  // namespace sim
