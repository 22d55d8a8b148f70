// MetadataImagesAgree. See metadata_images_agree.hh.
#include "sim/checkers/metadata_images_agree.hh"

#include <sstream>

namespace sim {

std::optional<Violation> MetadataImagesAgree::check(const CheckContext& ctx) {
  for (const auto& n : ctx.nodes) {
    if (!n->is_alive()) continue;
    if (const auto* controller = n->controller()) {
      const auto& image = controller->committed_image();
      if (auto v = check_image(ctx, {n->id(), 0}, image.provenance().end_offset, image.fingerprint())) {
        return v;
      }
    }
    if (const auto* broker = n->broker()) {
      const auto& image = broker->loader().image();
      if (auto v = check_image(ctx, {n->id(), 1}, image.provenance().end_offset, image.fingerprint())) {
        return v;
      }
    }
  }
  return std::nullopt;
}

std::optional<Violation> MetadataImagesAgree::check_image(const CheckContext& ctx, ImageKey key,
                                                          raft::Offset end_offset,
                                                          std::uint64_t fingerprint) {
  if (end_offset == raft::Offset(0)) return std::nullopt;
  auto [last, fresh] = last_checked_.try_emplace(key, end_offset);
  if (!fresh && last->second == end_offset) return std::nullopt;
  last->second = end_offset;
  auto [seen, first] = by_offset_.try_emplace(end_offset, FirstSeen{fingerprint, key.first});
  if (first || seen->second.fingerprint == fingerprint) return std::nullopt;
  std::ostringstream os;
  os << "the " << (key.second == 0 ? "controller" : "broker") << " image of node " << key.first
     << " at end offset " << end_offset << " has fingerprint " << std::hex << fingerprint
     << ", node " << std::dec << seen->second.node << " had " << std::hex
     << seen->second.fingerprint << " at the same offset";
  return make_violation(ctx, name(), os.str(), {key.first, seen->second.node});
}

}  // namespace sim
