#include "sim/checkers/majority_reached_high_watermark.hh"

#include <algorithm>
#include <sstream>

namespace sim {

raft::Offset MajorityReachedHighWatermark::effective_end(const NodeHost& node) {
  DiskSeen& seen = disks_[node.id()];
  const raft::Offset durable = node.disk().flushed_end_offset();
  if (seen.wipes != node.disk().stats().wipes) {
    seen.wipes = node.disk().stats().wipes;
    seen.floor = std::max(seen.floor, seen.last_durable_end);
  }
  seen.last_durable_end = durable;
  if (durable >= seen.floor) seen.floor = raft::Offset(0);
  return std::max(durable, seen.floor);
}

std::optional<Violation> MajorityReachedHighWatermark::check(const CheckContext& ctx) {
  for (const auto& n : ctx.nodes) {
    if (n->is_voter()) effective_end(*n);  // keep the wipe bookkeeping current
  }
  const NodeHost* leader = highest_epoch_leader(ctx.nodes);
  if (leader == nullptr || mid_fsync(*leader)) return std::nullopt;
  const std::optional<raft::Offset> hw = leader->client()->high_watermark();
  if (!hw) return std::nullopt;
  std::size_t reached = 0;
  for (const auto& n : ctx.nodes) {
    if (n->is_voter() && std::max(n->disk().flushed_end_offset(), disks_[n->id()].floor) >= *hw) ++reached;
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
