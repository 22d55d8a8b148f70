#include "sim/checkers/snapshot_at_log_start.hh"

#include <sstream>

namespace sim {

std::optional<Violation> SnapshotAtLogStart::check(const CheckContext& ctx) {
  for (const auto& n : ctx.nodes) {
    const Disk& disk = n->disk();
    const raft::Offset start = disk.log_start_offset();
    const auto& snapshots = disk.snapshots();
    if (snapshots.empty()) {
      if (start == raft::Offset(0)) continue;
      std::ostringstream os;  // built only for a violation
      os << "node " << n->id() << " log starts at " << start << " without any snapshot";
      return make_violation(ctx, name(), os.str(), {n->id()});
    }
    const raft::OffsetAndEpoch earliest = snapshots.front()->id;
    if (earliest.offset < start) {
      std::ostringstream os;  // built only for a violation
      os << "node " << n->id() << " keeps snapshot " << earliest << " below its log start " << start;
      return make_violation(ctx, name(), os.str(), {n->id()});
    }
    if (start > raft::Offset(0) && earliest.offset != start) {
      std::ostringstream os;  // built only for a violation
      os << "node " << n->id() << " log starts at " << start << " but its earliest snapshot is "
         << earliest;
      return make_violation(ctx, name(), os.str(), {n->id()});
    }
    // The snapshot's epoch must be the epoch of the log record just before its end, if the log
    // still holds that record.
    if (const raft::RaftClient* c = n->client()) {
      raft::BatchPtr before = c->log().batch_containing(earliest.offset - 1);
      if (before != nullptr && (before->end_offset() != earliest.offset || before->epoch != earliest.epoch)) {
        std::ostringstream os;  // built only for a violation
        os << "node " << n->id() << " snapshot " << earliest << " does not match its log: the batch at "
           << before->base_offset << " ends at " << before->end_offset() << " in epoch " << before->epoch;
        return make_violation(ctx, name(), os.str(), {n->id()});
      }
    }
  }
  return std::nullopt;
}

}  // namespace sim
