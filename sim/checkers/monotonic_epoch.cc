#include "sim/checkers/monotonic_epoch.hh"

#include <sstream>

namespace sim {

std::optional<Violation> MonotonicEpoch::check(const CheckContext& ctx) {
  for (const auto& n : ctx.nodes) {
    const auto stored = n->disk().read_election_state();
    const raft::Epoch persisted = stored ? stored->epoch : raft::Epoch(0);
    if (std::uint64_t& wipes = wipes_seen_[n->id()]; wipes != n->disk().stats().wipes) {
      wipes = n->disk().stats().wipes;
      last_persisted_.erase(n->id());  // a replaced disk starts from scratch
    }
    auto [it, inserted] = last_persisted_.emplace(n->id(), persisted);
    if (!inserted) {
      if (persisted < it->second) {
        std::ostringstream os;
        os << "node " << n->id() << " persisted epoch went back from " << it->second << " to "
           << persisted;
        return make_violation(ctx, name(), os.str(), {n->id()});
      }
      it->second = persisted;
    }
    const raft::RaftClient* c = n->client();
    if (c != nullptr && c->quorum().epoch() != persisted) {
      std::ostringstream os;
      os << "node " << n->id() << " runs in epoch " << c->quorum().epoch()
         << " but its quorum-state file says " << persisted;
      return make_violation(ctx, name(), os.str(), {n->id()});
    }
  }
  return std::nullopt;
}

}  // namespace sim
