#include "sim/checkers/consistent_committed_data.hh"

#include <sstream>

namespace sim {

std::optional<Violation> ConsistentCommittedData::check(const CheckContext& ctx) {
  for (const auto& n : ctx.nodes) {
    if (n->client() == nullptr) continue;
    Progress& p = progress_[n->id()];
    if (p.incarnation != n->incarnation()) p = Progress{n->incarnation(), raft::Offset(0)};
    if (auto v = check_node(ctx, *n, p)) return v;
  }
  return std::nullopt;
}

std::optional<Violation> ConsistentCommittedData::check_node(const CheckContext& ctx,
                                                             const NodeHost& node, Progress& p) {
  const std::optional<raft::Offset> hw = node.client()->high_watermark();
  if (!hw) return std::nullopt;
  const raft::ReplicatedLog& log = node.client()->log();
  while (p.checked < *hw) {
    raft::BatchPtr batch = log.batch_containing(p.checked);
    std::ostringstream os;
    if (batch == nullptr || batch->base_offset != p.checked) {
      os << "node " << node.id() << " has HW " << *hw << " but no batch starts at offset "
         << p.checked << " (log end " << log.end_offset() << ")";
      return make_violation(ctx, name(), os.str(), {node.id()});
    }
    if (batch->end_offset() > *hw) break;  // not wholly committed yet
    auto [it, inserted] = committed_.batches.emplace(batch->base_offset, batch);
    const raft::BatchPtr& first = it->second;
    if (!inserted && (first->checksum != batch->checksum || first->end_offset() != batch->end_offset())) {
      os << "node " << node.id() << " committed a different batch at offset " << batch->base_offset
         << ": epoch " << batch->epoch << ", " << batch->record_count() << " records, checksum "
         << batch->checksum << "; first committed: epoch " << first->epoch << ", "
         << first->record_count() << " records, checksum " << first->checksum;
      return make_violation(ctx, name(), os.str(), {node.id()});
    }
    if (inserted && batch->base_offset == committed_.end) committed_.end = batch->end_offset();
    p.checked = batch->end_offset();
  }
  // Fill the contiguous prefix marker over batches recorded out of order.
  for (auto it = committed_.batches.find(committed_.end); it != committed_.batches.end();
       it = committed_.batches.find(committed_.end)) {
    committed_.end = it->second->end_offset();
  }
  return std::nullopt;
}

}  // namespace sim
