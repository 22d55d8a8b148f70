#include "sim/checkers/leader_completeness.hh"

#include <sstream>

namespace sim {

std::optional<Violation> LeaderCompleteness::check(const CheckContext& ctx) {
  for (const auto& n : ctx.nodes) {
    const raft::RaftClient* c = n->client();
    if (c == nullptr || !c->quorum().is(raft::StateKind::Leader)) continue;
    if (!checked_.emplace(c->quorum().epoch(), n->id()).second) continue;
    const raft::ReplicatedLog& log = c->log();
    for (const auto& [base, batch] : committed_.batches) {
      // Below the log start the leader's state is the snapshot the log starts at.
      if (batch->end_offset() <= log.start_offset()) continue;
      raft::BatchPtr mine = log.batch_containing(base);
      if (mine != nullptr && mine->checksum == batch->checksum) continue;
      std::ostringstream os;
      os << "node " << n->id() << " became leader of epoch " << c->quorum().epoch()
         << " without the batch committed at offset " << base << " (epoch " << batch->epoch
         << "); its log ends at " << log.end_offset();
      return make_violation(ctx, name(), os.str(), {n->id()});
    }
  }
  return std::nullopt;
}

}  // namespace sim
