// One node's simulated disk: volatile appends, durable truncation, flush, crash and wipe.
// See disk.hh for the durability model.
#include "sim/disk.hh"

#include <algorithm>
#include <utility>

#include "raft/common/assert.hh"

namespace sim {

raft::Offset Disk::end_offset() const {
  return batches_.empty() ? raft::Offset(0) : batches_.back()->end_offset();
}

raft::Offset Disk::flushed_end_offset() const {
  return flushed_batches_ == 0 ? raft::Offset(0) : batches_[flushed_batches_ - 1]->end_offset();
}

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
  election_state_.reset();
  election_state_history_.clear();
}

}  // namespace sim
