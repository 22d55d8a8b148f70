// LeaderCommitsOwnEpoch. See leader_commits_own_epoch.hh.
#include "sim/checkers/leader_commits_own_epoch.hh"

#include <sstream>

namespace sim {

std::optional<Violation> LeaderCommitsOwnEpoch::check(const CheckContext& ctx) {
  for (const auto& n : ctx.nodes) {
    const raft::RaftClient* client = n->client();
    const raft::LeaderState* leader =
        client == nullptr ? nullptr : client->quorum().leader_or_null();
    if (leader == nullptr) continue;
    const std::optional<raft::Offset> hw = leader->high_watermark();
    if (!hw || *hw > leader->epoch_start_offset()) continue;
    std::ostringstream os;
    os << "node " << n->id() << " leads epoch " << leader->epoch() << " with high watermark " << *hw
       << ", not past its epoch start offset " << leader->epoch_start_offset()
       << " where its LeaderChange record is: the HW was accepted before a record of its own "
       << "epoch was on a majority";
    if (*hw > raft::Offset(0)) {
      os << ", so the earlier epochs' records below " << *hw << " count as committed";
    }
    return make_violation(ctx, name(), os.str(), {n->id()});
  }
  return std::nullopt;
}

}  // namespace sim
