#include "sim/checkers/consistent_committed_data.hh"

#include <algorithm>
#include <sstream>

namespace sim {

std::optional<Violation> ConsistentCommittedData::check(const CheckContext& ctx) {
  std::optional<Violation> violation;
  for (const auto& n : ctx.nodes) {
    if ((violation = check_snapshots(ctx, *n))) break;
    if (n->client() == nullptr || mid_fsync(*n)) continue;
    Progress& p = progress_[n->id()];
    if (p.incarnation != n->incarnation()) p = Progress{n->incarnation(), raft::Offset(0)};
    // Below the log start the node holds a snapshot, checked above.
    p.checked = std::max(p.checked, n->client()->log().start_offset());
    if ((violation = check_node(ctx, *n, p))) break;
  }
  extend_prefix();
  return violation;
}

std::optional<Violation> ConsistentCommittedData::check_snapshots(const CheckContext& ctx,
                                                                  const NodeHost& node) {
  SnapshotsSeen& seen = snapshots_seen_[node.id()];
  if (seen.wipes != node.disk().stats().wipes) seen = SnapshotsSeen{node.disk().stats().wipes, {}};
  const auto& all = node.disk().snapshots();
  // Only the snapshots added since the last check (they are sorted by id).
  auto first_new = all.begin();
  if (seen.last_checked) {
    first_new = std::upper_bound(all.begin(), all.end(), *seen.last_checked,
                                 [](raft::OffsetAndEpoch id, const raft::SnapshotPtr& s) { return id < s->id; });
  }
  if (!all.empty()) seen.last_checked = all.back()->id;
  for (auto s_it = first_new; s_it != all.end(); ++s_it) {
    const raft::SnapshotPtr& s = *s_it;
    auto [it, inserted] = committed_.snapshots.emplace(s->id, s);
    if (!inserted && it->second->checksum != s->checksum) {
      std::ostringstream os;  // built only for a violation
      os << "node " << node.id() << " holds snapshot " << s->id << " with different content ("
         << s->records.size() << " records, checksum " << s->checksum << ") than another node's ("
         << it->second->records.size() << " records, checksum " << it->second->checksum << ")";
      return make_violation(ctx, name(), os.str(), {node.id()});
    }
    // The snapshot must end exactly at a committed batch boundary, in that batch's epoch.
    auto after = committed_.batches.upper_bound(s->id.offset - 1);
    if (after == committed_.batches.begin()) continue;  // that part of history was never seen
    const raft::BatchPtr& last = std::prev(after)->second;
    if (last->end_offset() < s->id.offset) continue;  // not seen either
    if (last->end_offset() != s->id.offset || last->epoch != s->id.epoch) {
      std::ostringstream os;  // built only for a violation
      os << "node " << node.id() << " holds snapshot " << s->id << " but the committed batch at "
         << last->base_offset << " ends at " << last->end_offset() << " in epoch " << last->epoch;
      return make_violation(ctx, name(), os.str(), {node.id()});
    }
  }
  return std::nullopt;
}

void ConsistentCommittedData::extend_prefix() {
  // The committed prefix grows over committed batches, and over snapshots: a snapshot only ever
  // holds committed state, so everything below its end offset was committed.
  for (;;) {
    if (auto b = committed_.batches.find(committed_.end); b != committed_.batches.end()) {
      committed_.end = b->second->end_offset();
      continue;
    }
    if (!committed_.snapshots.empty()) {
      const raft::Offset latest = committed_.snapshots.rbegin()->first.offset;
      if (latest > committed_.end) {
        committed_.end = latest;
        continue;
      }
    }
    return;
  }
}

std::optional<Violation> ConsistentCommittedData::check_node(const CheckContext& ctx,
                                                             const NodeHost& node, Progress& p) {
  const std::optional<raft::Offset> hw = node.client()->high_watermark();
  if (!hw) return std::nullopt;
  const raft::ReplicatedLog& log = node.client()->log();
  while (p.checked < *hw) {
    raft::BatchPtr batch = log.batch_containing(p.checked);
    if (batch == nullptr || batch->base_offset != p.checked) {
      std::ostringstream os;  // built only for a violation
      os << "node " << node.id() << " has HW " << *hw << " but no batch starts at offset "
         << p.checked << " (log end " << log.end_offset() << ")";
      return make_violation(ctx, name(), os.str(), {node.id()});
    }
    if (batch->end_offset() > *hw) break;  // not wholly committed yet
    auto [it, inserted] = committed_.batches.emplace(batch->base_offset, batch);
    const raft::BatchPtr& first = it->second;
    if (!inserted && (first->checksum != batch->checksum || first->end_offset() != batch->end_offset())) {
      std::ostringstream os;  // built only for a violation
      os << "node " << node.id() << " committed a different batch at offset " << batch->base_offset
         << ": epoch " << batch->epoch << ", " << batch->record_count() << " records, checksum "
         << batch->checksum << "; first committed: epoch " << first->epoch << ", "
         << first->record_count() << " records, checksum " << first->checksum;
      return make_violation(ctx, name(), os.str(), {node.id()});
    }
    p.checked = batch->end_offset();
  }
  return std::nullopt;
}

}  // namespace sim
