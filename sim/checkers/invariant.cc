#include "sim/checkers/invariant.hh"

namespace sim {

const NodeHost* highest_epoch_leader(const std::vector<std::unique_ptr<NodeHost>>& nodes) {
  const NodeHost* best = nullptr;
  for (const auto& n : nodes) {
    const raft::RaftClient* c = n->client();
    if (c == nullptr || !c->quorum().is(raft::StateKind::Leader)) continue;
    if (best == nullptr || c->quorum().epoch() > best->client()->quorum().epoch()) best = n.get();
  }
  return best;
}

bool mid_fsync(const NodeHost& node) { return node.is_alive() && node.disk().flush_in_progress(); }

Violation make_violation(const CheckContext& ctx, std::string_view invariant, std::string detail,
                         std::vector<raft::NodeId> nodes) {
  return Violation{std::string(invariant), std::move(detail), ctx.event_index, ctx.now,
                   std::move(nodes)};
}

}  // namespace sim
