// The ClusterView of a live Simulation: what expectations and stop.when see of it (read only).
#pragma once

#include "sim/cluster_view.hh"

namespace sim {

class Simulation;

class SimulationView final : public ClusterView {
 public:
  explicit SimulationView(const Simulation& sim) : sim_(sim) {}

  [[nodiscard]] Instant now() const override;
  [[nodiscard]] const Observations& observations() const override;
  [[nodiscard]] std::optional<ActiveLeader> active_leader() const override;
  [[nodiscard]] Epoch highest_voter_epoch() const override;
  [[nodiscard]] std::vector<std::pair<NodeId, std::optional<Offset>>> running_high_watermarks()
      const override;
  [[nodiscard]] Offset committed_end() const override;
  [[nodiscard]] std::optional<Offset> log_end(NodeId id) const override;
  [[nodiscard]] std::vector<NodeId> running_voters() const override;
  [[nodiscard]] std::int64_t snapshots_downloaded(NodeId id) const override;
  [[nodiscard]] std::optional<ActiveController> active_controller() const override;
  [[nodiscard]] const raft::metadata::MetadataImage* committed_image() const override;
  [[nodiscard]] std::vector<NodeId> running_brokers() const override;
  [[nodiscard]] std::vector<std::pair<NodeId, const raft::metadata::MetadataImage*>> running_images()
      const override;
  [[nodiscard]] const std::vector<AdminOutcome>* admin_outcomes() const override;

 private:
  const Simulation& sim_;
};

}  // namespace sim
