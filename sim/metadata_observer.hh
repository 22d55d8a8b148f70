// Watches a metadata run for the summary and the expectations: which controller is active, how
// brokers' registrations change in the committed metadata log (registered, fenced, unfenced,
// controlled shutdown), and how many partitions have no leader, over time.
//
// Broker states and partition counts come from the committed log (the CommittedMetadataModel's
// reference image), so they are what the cluster agreed on, not one node's view. The active
// controller is the controller that claimed its epoch and finished activating.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "raft/metadata/image.hh"
#include "sim/node_host.hh"
#include "sim/observations.hh"
#include "sim/trace.hh"

namespace sim {

class MetadataObserver {
 public:
  MetadataObserver(MetadataObservations& out, Trace& trace) : out_(out), trace_(trace) {}

  // After every event: `committed` is the reference image of the committed log.
  void observe(Instant now, const std::vector<std::unique_ptr<NodeHost>>& nodes,
               const raft::metadata::MetadataImage& committed);

  // Counters for the summary.
  [[nodiscard]] std::int64_t fences() const { return fences_; }
  [[nodiscard]] std::int64_t unfences() const { return unfences_; }
  [[nodiscard]] std::int64_t registrations() const { return registrations_; }
  [[nodiscard]] std::int64_t max_leaderless() const { return max_leaderless_; }

 private:
  void observe_active_controller(Instant now, const std::vector<std::unique_ptr<NodeHost>>& nodes);
  void observe_brokers(Instant now, const raft::metadata::MetadataImage& committed);
  void observe_partitions(Instant now, const raft::metadata::MetadataImage& committed);

  MetadataObservations& out_;
  Trace& trace_;
  std::optional<std::pair<NodeId, Epoch>> active_;
  raft::Offset seen_end_{-1};
  std::map<std::int32_t, BrokerStateChange> brokers_;  // last state per broker id
  std::int64_t leaderless_ = 0;
  std::int64_t fences_ = 0;
  std::int64_t unfences_ = 0;
  std::int64_t registrations_ = 0;
  std::int64_t max_leaderless_ = 0;
};

}  // namespace sim
