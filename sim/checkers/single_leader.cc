#include "sim/checkers/single_leader.hh"

#include <sstream>

namespace sim {

std::optional<Violation> SingleLeader::record(const CheckContext& ctx, raft::Epoch epoch,
                                              raft::NodeId leader, std::string_view where) {
  auto [it, inserted] = leader_of_epoch_.emplace(epoch, leader);
  if (inserted || it->second == leader) return std::nullopt;
  std::ostringstream os;
  os << "two leaders in epoch " << epoch << ": node " << it->second << " and node " << leader
     << " (" << where << ")";
  return make_violation(ctx, name(), os.str(), {it->second, leader});
}

std::optional<Violation> SingleLeader::check(const CheckContext& ctx) {
  for (const auto& n : ctx.nodes) {
    if (auto stored = n->disk().read_election_state(); stored && stored->leader_id) {
      if (auto v = record(ctx, stored->epoch, *stored->leader_id, "persisted quorum-state")) return v;
    }
    const raft::RaftClient* c = n->client();
    if (c != nullptr && c->quorum().is(raft::StateKind::Leader)) {
      if (auto v = record(ctx, c->quorum().epoch(), n->id(), "in-memory Leader state")) return v;
    }
  }
  return std::nullopt;
}

}  // namespace sim
