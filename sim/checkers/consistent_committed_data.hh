// ConsistentCommittedData (Kafka RaftEventSimulationTest, checked there at the end of a run;
// here continuously, after every event): no two nodes ever hold different records at the same
// offset below their high watermarks.
//
// Each node's committed prefix is compared batch by batch (offset range and checksum) with the
// first version of that batch any node committed. Only the part of a node's log that became
// committed since the last check is examined; a restarted node is re-examined from its log start.
// Below the log start the node's state is a snapshot (KIP-630): every snapshot must agree with the
// committed batches (its id ends a committed batch, in that batch's epoch) and with every other
// snapshot of the same id (same content).
#pragma once

#include <map>

#include "sim/checkers/committed_log.hh"
#include "sim/checkers/invariant.hh"

namespace sim {

class ConsistentCommittedData : public Invariant {
 public:
  explicit ConsistentCommittedData(CommittedLog& committed) : committed_(committed) {}
  [[nodiscard]] std::string_view name() const override { return "ConsistentCommittedData"; }
  std::optional<Violation> check(const CheckContext& ctx) override;

 private:
  struct Progress {
    std::uint32_t incarnation = 0;
    raft::Offset checked{0};  // every committed batch below this was compared
  };
  std::optional<Violation> check_node(const CheckContext& ctx, const NodeHost& node, Progress& p);
  std::optional<Violation> check_snapshots(const CheckContext& ctx, const NodeHost& node);
  void extend_prefix();

  // Snapshots of a node's disk already checked: everything up to `last_checked` (snapshots are
  // only ever added at the top; a wipe starts a new disk).
  struct SnapshotsSeen {
    std::uint64_t wipes = 0;
    std::optional<raft::OffsetAndEpoch> last_checked;
  };

  CommittedLog& committed_;
  std::map<raft::NodeId, Progress> progress_;
  std::map<raft::NodeId, SnapshotsSeen> snapshots_seen_;
};

}  // namespace sim
