// LeaderCompleteness (Raft's Leader Completeness property; kraft-protocol.md section 18 (b)):
// a node elected leader holds every batch committed before its election. Checked once per
// (leader, epoch), against the committed batches recorded by ConsistentCommittedData.
#pragma once

#include <set>
#include <utility>

#include "sim/checkers/committed_log.hh"
#include "sim/checkers/invariant.hh"

namespace sim {

class LeaderCompleteness : public Invariant {
 public:
  explicit LeaderCompleteness(const CommittedLog& committed) : committed_(committed) {}
  [[nodiscard]] std::string_view name() const override { return "LeaderCompleteness"; }
  std::optional<Violation> check(const CheckContext& ctx) override;

 private:
  const CommittedLog& committed_;
  std::set<std::pair<raft::Epoch, raft::NodeId>> checked_;
};

}  // namespace sim
