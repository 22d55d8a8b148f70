// What the expectations and stop.when can see of the running cluster at one moment: the Raft
// leader, high watermarks, the active controller, the committed metadata image, every running
// node's published image, snapshots downloaded and the admin client's requests. Implemented over
// the live Simulation (sim/simulation_view.cc); conditions.hh evaluates conditions against it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "raft/metadata/image.hh"
#include "sim/admin_client.hh"
#include "sim/observations.hh"

namespace sim {

class ClusterView {
 public:
  virtual ~ClusterView() = default;

  [[nodiscard]] virtual Instant now() const = 0;
  [[nodiscard]] virtual const Observations& observations() const = 0;

  // ---- Raft ----
  // The running leader of the highest epoch if it has committed in its epoch, else nullopt.
  [[nodiscard]] virtual std::optional<ActiveLeader> active_leader() const = 0;
  // Highest in-memory epoch of any running voter (0 if none runs).
  [[nodiscard]] virtual Epoch highest_voter_epoch() const = 0;
  // High watermark of every running node, in id order (nullopt = unknown).
  [[nodiscard]] virtual std::vector<std::pair<NodeId, std::optional<Offset>>> running_high_watermarks()
      const = 0;
  // End of the committed prefix: every offset below it was committed at some point.
  [[nodiscard]] virtual Offset committed_end() const = 0;
  // Log end offset of the running node `id` (nullopt if it is down).
  [[nodiscard]] virtual std::optional<Offset> log_end(NodeId id) const = 0;
  // Running voters, in id order.
  [[nodiscard]] virtual std::vector<NodeId> running_voters() const = 0;
  // Snapshots node `id` downloaded from a leader (FetchSnapshot) over the run.
  [[nodiscard]] virtual std::int64_t snapshots_downloaded(NodeId id) const = 0;

  // ---- metadata (null / empty for the counter) ----
  // The controller active in the highest voter epoch, if any.
  [[nodiscard]] virtual std::optional<ActiveController> active_controller() const = 0;
  // The reference image of the committed metadata log.
  [[nodiscard]] virtual const raft::metadata::MetadataImage* committed_image() const = 0;
  // Running nodes with the broker role, in id order.
  [[nodiscard]] virtual std::vector<NodeId> running_brokers() const = 0;
  // Every running node's published image (a controller's committed image; a broker's loaded
  // image once published), in id order.
  [[nodiscard]] virtual std::vector<std::pair<NodeId, const raft::metadata::MetadataImage*>>
  running_images() const = 0;
  // Every admin request so far (null for the counter).
  [[nodiscard]] virtual const std::vector<AdminOutcome>* admin_outcomes() const = 0;
};

}  // namespace sim
