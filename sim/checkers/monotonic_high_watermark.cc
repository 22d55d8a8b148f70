#include "sim/checkers/monotonic_high_watermark.hh"

#include <sstream>

namespace sim {

std::optional<Violation> MonotonicHighWatermark::check(const CheckContext& ctx) {
  const NodeHost* leader = highest_epoch_leader(ctx.nodes);
  if (leader == nullptr || mid_fsync(*leader)) return std::nullopt;
  const raft::Epoch epoch = leader->client()->quorum().epoch();
  const std::optional<raft::Offset> hw = leader->client()->high_watermark();
  if (!hw) return std::nullopt;
  // Highest HW reported at this epoch or any lower one.
  for (auto it = max_hw_by_epoch_.begin(); it != max_hw_by_epoch_.end() && it->first <= epoch; ++it) {
    if (*hw < it->second) {
      std::ostringstream os;
      os << "leader " << leader->id() << " of epoch " << epoch << " reports HW " << *hw
         << " below HW " << it->second << " reported in epoch " << it->first;
      return make_violation(ctx, name(), os.str(), {leader->id()});
    }
  }
  raft::Offset& recorded = max_hw_by_epoch_[epoch];
  if (*hw > recorded) recorded = *hw;
  return std::nullopt;
}

}  // namespace sim
