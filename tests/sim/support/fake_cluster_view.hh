// A ClusterView (sim/cluster_view.hh) whose every answer is a public field the test sets: drives
// evaluate_condition (sim/conditions.hh) and the ExpectationMonitor (sim/expectation_monitor.hh)
// without a simulation. Nothing is derived: a test that wants a leader sets `leader` (and, for
// consistency, `epoch`) itself.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/cluster_view.hh"

namespace kraftsim::test {

class FakeClusterView final : public sim::ClusterView {
 public:
  sim::Instant time = sim::Instant::zero();
  sim::Observations obs;
  std::optional<sim::ActiveLeader> leader;
  sim::Epoch epoch{0};
  std::vector<std::pair<sim::NodeId, std::optional<sim::Offset>>> high_watermarks;
  sim::Offset committed{0};
  std::map<sim::NodeId, sim::Offset> log_ends;  // running nodes' log end offsets
  std::vector<sim::NodeId> voters;              // running voters
  std::map<sim::NodeId, std::int64_t> downloads;
  std::optional<sim::ActiveController> controller;
  const raft::metadata::MetadataImage* image = nullptr;  // null: a counter cluster
  std::vector<sim::NodeId> brokers;
  std::vector<std::pair<sim::NodeId, const raft::metadata::MetadataImage*>> images;
  const std::vector<sim::AdminOutcome>* admin = nullptr;

  [[nodiscard]] sim::Instant now() const override { return time; }
  [[nodiscard]] const sim::Observations& observations() const override { return obs; }
  [[nodiscard]] std::optional<sim::ActiveLeader> active_leader() const override { return leader; }
  [[nodiscard]] sim::Epoch highest_voter_epoch() const override { return epoch; }
  [[nodiscard]] std::vector<std::pair<sim::NodeId, std::optional<sim::Offset>>>
  running_high_watermarks() const override {
    return high_watermarks;
  }
  [[nodiscard]] sim::Offset committed_end() const override { return committed; }
  [[nodiscard]] std::optional<sim::Offset> log_end(sim::NodeId id) const override {
    auto it = log_ends.find(id);
    if (it == log_ends.end()) return std::nullopt;
    return it->second;
  }
  [[nodiscard]] std::vector<sim::NodeId> running_voters() const override { return voters; }
  [[nodiscard]] std::int64_t snapshots_downloaded(sim::NodeId id) const override {
    auto it = downloads.find(id);
    return it == downloads.end() ? 0 : it->second;
  }
  [[nodiscard]] std::optional<sim::ActiveController> active_controller() const override {
    return controller;
  }
  [[nodiscard]] const raft::metadata::MetadataImage* committed_image() const override { return image; }
  [[nodiscard]] std::vector<sim::NodeId> running_brokers() const override { return brokers; }
  [[nodiscard]] std::vector<std::pair<sim::NodeId, const raft::metadata::MetadataImage*>>
  running_images() const override {
    return images;
  }
  [[nodiscard]] const std::vector<sim::AdminOutcome>* admin_outcomes() const override { return admin; }

  // Makes node `node` the leader of `e` that has committed in it (since `at`).
  void set_leader(int node, std::int32_t e, sim::Instant at = sim::Instant::zero()) {
    leader = sim::ActiveLeader{at, sim::NodeId(node), sim::Epoch(e)};
    epoch = sim::Epoch(e);
  }
  // Records that the action labelled `label` ran at `at` on `targets` (or was skipped).
  void record_action(const std::string& label, sim::Instant at, std::vector<sim::NodeId> targets = {},
                     bool skipped = false) {
    sim::ActionRecord r;
    r.at = at;
    r.targets = std::move(targets);
    r.skipped = skipped;
    obs.actions_by_label[label] = r;
  }
};

}  // namespace kraftsim::test
