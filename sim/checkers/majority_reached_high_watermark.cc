#include "sim/checkers/majority_reached_high_watermark.hh"

#include <sstream>

namespace sim {

std::optional<Violation> MajorityReachedHighWatermark::check(const CheckContext& ctx) {
  const NodeHost* leader = highest_epoch_leader(ctx.nodes);
  if (leader == nullptr) return std::nullopt;
  const std::optional<raft::Offset> hw = leader->client()->high_watermark();
  if (!hw) return std::nullopt;
  std::size_t reached = 0;
  for (const auto& n : ctx.nodes) {
    if (n->is_voter() && n->disk().flushed_end_offset() >= *hw) ++reached;
  }
  const std::size_t majority = ctx.voter_count / 2 + 1;
  if (reached >= majority) return std::nullopt;
  std::ostringstream os;
  os << "leader " << leader->id() << " HW " << *hw << " is durable on only " << reached << " of "
     << ctx.voter_count << " voters (majority " << majority << "); durable ends:";
  for (const auto& n : ctx.nodes) {
    if (n->is_voter()) os << " " << n->id() << "=" << n->disk().flushed_end_offset();
  }
  return make_violation(ctx, name(), os.str(), {leader->id()});
}

}  // namespace sim
