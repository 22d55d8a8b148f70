// One node's simulated disk: volatile appends, durable truncation, flush, crash and wipe.
// See disk.hh for the durability model.
#include "sim/disk.hh"

#include <algorithm>
#include <utility>

#include "raft/common/assert.hh"

namespace sim {

raft::Offset Disk::end_offset() const {
  return batches_.empty() ? log_start_ : batches_.back()->end_offset();
}

raft::Offset Disk::flushed_end_offset() const {
  return flushed_batches_ == 0 ? log_start_ : batches_[flushed_batches_ - 1]->end_offset();
}

void Disk::advance_log_start(raft::Offset new_start) {
  KR_ASSERT(new_start >= log_start_ && new_start <= end_offset(),
            "log start " << new_start << " outside [" << log_start_ << ", " << end_offset() << "]");
  std::size_t removed = 0;
  while (removed < batches_.size() && batches_[removed]->end_offset() <= new_start) ++removed;
  KR_ASSERT(removed == batches_.size() || batches_[removed]->base_offset == new_start,
            "log start " << new_start << " is not a batch boundary");
  batches_.erase(batches_.begin(), batches_.begin() + static_cast<std::ptrdiff_t>(removed));
  flushed_batches_ -= std::min(flushed_batches_, removed);
  log_start_ = new_start;
}

void Disk::truncate_fully(raft::Offset offset) {
  KR_ASSERT(offset >= raft::Offset(0), "truncate_fully to " << offset);
  batches_.clear();
  flushed_batches_ = 0;
  log_start_ = offset;
}

void Disk::write_snapshot(raft::SnapshotPtr snapshot) {
  KR_ASSERT(snapshot != nullptr, "writing a null snapshot");
  std::erase_if(partial_snapshots_, [&](const auto& p) { return p.first == snapshot->id; });
  auto it = std::lower_bound(snapshots_.begin(), snapshots_.end(), snapshot->id,
                             [](const raft::SnapshotPtr& s, raft::OffsetAndEpoch id) { return s->id < id; });
  if (it != snapshots_.end() && (*it)->id == snapshot->id) return;  // already there
  snapshots_.insert(it, std::move(snapshot));
}

void Disk::delete_snapshot(raft::OffsetAndEpoch id) {
  std::erase_if(snapshots_, [&](const raft::SnapshotPtr& s) { return s->id == id; });
}

void Disk::write_partial_snapshot(raft::OffsetAndEpoch id, std::int64_t bytes) {
  for (auto& p : partial_snapshots_) {
    if (p.first == id) {
      p.second = bytes;
      return;
    }
  }
  partial_snapshots_.emplace_back(id, bytes);
}

void Disk::remove_partial_snapshots() { partial_snapshots_.clear(); }

void Disk::append(raft::BatchPtr batch) {
  KR_ASSERT(batch != nullptr, "append of a null batch");
  KR_ASSERT(batch->base_offset == end_offset(),
            "non-contiguous append: batch base_offset=" << batch->base_offset
                                                        << " log end_offset=" << end_offset());
  ++stats_.batches_appended;
  stats_.bytes_appended += batch->size_bytes;
  batches_.push_back(std::move(batch));
}

void Disk::truncate_to(raft::Offset end) {
  KR_ASSERT(end >= raft::Offset(0), "truncate_to a negative offset " << end);
  // Batches are in offset order, so the ones to remove form a suffix.
  const auto first_removed =
      std::find_if(batches_.begin(), batches_.end(),
                   [end](const raft::BatchPtr& b) { return b->last_offset() >= end; });
  const auto kept = static_cast<std::size_t>(first_removed - batches_.begin());
  if (kept == batches_.size()) return;
  ++stats_.truncations;
  stats_.batches_truncated += batches_.size() - kept;
  batches_.erase(first_removed, batches_.end());
  flushed_batches_ = std::min(flushed_batches_, kept);
}

void Disk::flush() {
  ++stats_.flushes;
  flushed_batches_ = batches_.size();
}

void Disk::write_election_state(const raft::ElectionState& state) {
  ++stats_.election_state_writes;
  election_state_ = state;
  election_state_history_.push_back(state);
}

void Disk::crash() {
  ++stats_.crashes;
  for (std::size_t i = flushed_batches_; i < batches_.size(); ++i) {
    ++stats_.batches_lost_in_crashes;
    stats_.bytes_lost_in_crashes += batches_[i]->size_bytes;
  }
  batches_.resize(flushed_batches_);
}

void Disk::wipe() {
  ++stats_.wipes;
  batches_.clear();
  flushed_batches_ = 0;
  log_start_ = raft::Offset(0);
  snapshots_.clear();
  partial_snapshots_.clear();
  election_state_.reset();
  election_state_history_.clear();
}

}  // namespace sim
