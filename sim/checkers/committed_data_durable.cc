#include "sim/checkers/committed_data_durable.hh"

#include <sstream>

namespace sim {

std::optional<Violation> CommittedDataDurable::check(const CheckContext& ctx) {
  if (committed_.end == raft::Offset(0)) return std::nullopt;
  std::size_t wiped_voters = 0;
  for (const auto& n : ctx.nodes) {
    if (!n->is_voter()) continue;
    if (n->disk().stats().wipes > 0) ++wiped_voters;
    // A durable log reaching the committed end: everything below it is in the log or in the
    // snapshot the log starts at (SnapshotAtLogStart).
    if (n->disk().flushed_end_offset() >= committed_.end) return std::nullopt;
  }
  if (wiped_voters >= ctx.voter_count / 2 + 1) return std::nullopt;  // the scenario lost a majority
  std::ostringstream os;
  os << "records committed up to offset " << committed_.end
     << " are durable on no voter; durable ends:";
  for (const auto& n : ctx.nodes) {
    if (n->is_voter()) os << " " << n->id() << "=" << n->disk().flushed_end_offset();
  }
  return make_violation(ctx, name(), os.str(), {});
}

}  // namespace sim
