// MetadataImagesAgree (ours, kraft-protocol.md 18): every controller and broker that applied the
// committed log up to the same offset holds the same metadata image, whether it replayed records
// or loaded a snapshot. So controllers' images agree at equal offsets, and every broker's image
// equals the controllers' image at the broker's offset.
//
// Each node's committed image (a standby's image, the active controller's committed image, a
// broker's loaded image) is recorded by its end offset with its fingerprint, the first time any
// node reaches that offset; a node reaching it later must have the same fingerprint. An image is
// examined only when its end offset changed, so a check costs O(nodes).
#pragma once

#include <cstdint>
#include <map>
#include <utility>

#include "sim/checkers/invariant.hh"

namespace sim {

class MetadataImagesAgree : public Invariant {
 public:
  [[nodiscard]] std::string_view name() const override { return "MetadataImagesAgree"; }
  std::optional<Violation> check(const CheckContext& ctx) override;

 private:
  struct FirstSeen {
    std::uint64_t fingerprint = 0;
    raft::NodeId node;
  };
  // Which image of a node: 0 = its controller, 1 = its broker.
  using ImageKey = std::pair<raft::NodeId, int>;
  std::optional<Violation> check_image(const CheckContext& ctx, ImageKey key,
                                       raft::Offset end_offset, std::uint64_t fingerprint);

  std::map<raft::Offset, FirstSeen> by_offset_;
  std::map<ImageKey, raft::Offset> last_checked_;
};

}  // namespace sim
