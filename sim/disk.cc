// One node's simulated disk: volatile appends, flush and slow fsync, durable truncation, the
// temp / fsync / rename file protocol with crash points, torn writes on crash, and wipe.
// See disk.hh for the durability model.
#include "sim/disk.hh"

#include <algorithm>
#include <memory>
#include <sstream>
#include <utility>

#include "raft/common/assert.hh"

namespace sim {

namespace {
std::string describe_snapshot(raft::OffsetAndEpoch id) {
  std::ostringstream os;
  os << "snapshot (" << id.offset.value() << ", " << id.epoch.value() << ")";
  return os.str();
}

// A copy of `batch` as a crash leaves it when its write was cut in the middle: half its records
// and bytes reached the disk, the rest did not; the header still carries the original checksum,
// which therefore no longer matches the content.
raft::BatchPtr torn_copy(const raft::RecordBatch& batch) {
  auto torn = std::make_shared<raft::RecordBatch>(batch);
  torn->records.resize(batch.records.size() / 2);
  torn->leader_change.reset();
  torn->size_bytes = batch.size_bytes / 2;
  torn->checksum = batch.checksum;
  return torn;
}
}  // namespace

// ---- CrashPointReached --------------------------------------------------------------------

CrashPointReached::CrashPointReached(CrashPoint point, std::string file)
    : point_(point), file_(std::move(file)) {
  what_ = file_ + ": " + std::string(step());
}

std::string_view CrashPointReached::step() const {
  switch (point_) {
    case CrashPoint::SnapshotBeforeFsync:
    case CrashPoint::QuorumStateBeforeFsync: return "before fsync";
    case CrashPoint::SnapshotBeforeRename:
    case CrashPoint::QuorumStateBeforeRename: return "before rename";
    case CrashPoint::None: break;
  }
  return "?";
}

// ---- the log ----------------------------------------------------------------------------------

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
  if (fsync_target_) *fsync_target_ -= std::min(*fsync_target_, removed);
  log_start_ = new_start;
}

void Disk::truncate_fully(raft::Offset offset) {
  KR_ASSERT(offset >= raft::Offset(0), "truncate_fully to " << offset);
  batches_.clear();
  flushed_batches_ = 0;
  if (fsync_target_) fsync_target_ = 0;
  log_start_ = offset;
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
  const auto first_removed = std::find_if(batches_.begin(), batches_.end(), [end](const raft::BatchPtr& b) {
    return b->last_offset() >= end || b->base_offset >= end;
  });
  const auto kept = static_cast<std::size_t>(first_removed - batches_.begin());
  if (kept == batches_.size()) return;
  ++stats_.truncations;
  stats_.batches_truncated += batches_.size() - kept;
  batches_.erase(first_removed, batches_.end());
  flushed_batches_ = std::min(flushed_batches_, kept);
  if (fsync_target_) fsync_target_ = std::min(*fsync_target_, kept);
}

void Disk::flush() {
  ++stats_.flushes;
  if (fsync_target_) {
    fsync_target_ = batches_.size();
    return;
  }
  if (flushed_batches_ == batches_.size()) return;
  if (flush_latency_ == raft::Duration::zero()) {
    flushed_batches_ = batches_.size();
    return;
  }
  ++stats_.slow_fsyncs;
  fsync_target_ = batches_.size();
}

void Disk::set_flush_latency(raft::Duration latency) {
  KR_ASSERT(latency >= raft::Duration::zero(), "negative flush latency " << latency);
  flush_latency_ = latency;
}

void Disk::complete_flush() {
  KR_ASSERT(fsync_target_.has_value(), "complete_flush without an fsync in flight");
  flushed_batches_ = std::max(flushed_batches_, std::min(*fsync_target_, batches_.size()));
  fsync_target_.reset();
}

// ---- snapshots --------------------------------------------------------------------------------

std::optional<CrashPoint> Disk::take_armed(CrashPoint a, CrashPoint b) {
  if (armed_ != a && armed_ != b) return std::nullopt;
  const CrashPoint fired = armed_;
  armed_ = CrashPoint::None;
  ++stats_.crash_points_reached;
  return fired;
}

void Disk::write_snapshot(raft::SnapshotPtr snapshot) {
  KR_ASSERT(snapshot != nullptr, "writing a null snapshot");
  const raft::OffsetAndEpoch id = snapshot->id;
  if (auto fired = take_armed(CrashPoint::SnapshotBeforeFsync, CrashPoint::SnapshotBeforeRename)) {
    // The `.part` file exists; before the fsync its content never reached the disk (the
    // zero-length files of KAFKA-15312), before the rename it is complete.
    write_partial_snapshot(id, *fired == CrashPoint::SnapshotBeforeFsync ? 0 : snapshot->size_bytes);
    throw CrashPointReached(*fired, describe_snapshot(id));
  }
  ++stats_.snapshot_writes;
  std::erase_if(partial_snapshots_, [&](const auto& p) { return p.first == id; });
  auto it = std::lower_bound(snapshots_.begin(), snapshots_.end(), id,
                             [](const raft::SnapshotPtr& s, raft::OffsetAndEpoch x) { return s->id < x; });
  if (it != snapshots_.end() && (*it)->id == id) return;  // already there
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

// ---- quorum state ------------------------------------------------------------------------------

void Disk::write_election_state(const raft::ElectionState& state) {
  if (auto fired = take_armed(CrashPoint::QuorumStateBeforeFsync, CrashPoint::QuorumStateBeforeRename)) {
    // The temp file is garbage (empty or complete but never renamed); the old file is intact.
    quorum_state_temp_left_ = true;
    throw CrashPointReached(*fired, "the quorum-state file");
  }
  ++stats_.election_state_writes;
  quorum_state_temp_left_ = false;  // the temp file was rewritten and renamed over the old one
  election_state_ = state;
  election_state_history_.push_back(state);
}

// ---- crash and wipe ---------------------------------------------------------------------------

CrashLoss Disk::crash(bool torn_write) {
  ++stats_.crashes;
  CrashLoss loss;
  if (fsync_target_) {
    loss.fsync_interrupted = true;
    ++stats_.fsyncs_interrupted;
    fsync_target_.reset();
  }
  if (flushed_batches_ < batches_.size()) {
    loss.first_offset = batches_[flushed_batches_]->base_offset;
    loss.end_offset = batches_.back()->end_offset();
    for (std::size_t i = flushed_batches_; i < batches_.size(); ++i) {
      ++loss.batches;
      loss.records += batches_[i]->record_count();
      loss.bytes += batches_[i]->size_bytes;
    }
    stats_.batches_lost_in_crashes += loss.batches;
    stats_.records_lost_in_crashes += loss.records;
    stats_.bytes_lost_in_crashes += loss.bytes;
    if (torn_write) {
      loss.torn_at = loss.first_offset;
      ++stats_.torn_writes;
      batches_[flushed_batches_] = torn_copy(*batches_[flushed_batches_]);
      ++flushed_batches_;  // the torn bytes are on the platter: durable garbage
    }
  }
  batches_.resize(flushed_batches_);
  return loss;
}

void Disk::wipe() {
  ++stats_.wipes;
  batches_.clear();
  flushed_batches_ = 0;
  fsync_target_.reset();
  log_start_ = raft::Offset(0);
  snapshots_.clear();
  partial_snapshots_.clear();
  armed_ = CrashPoint::None;
  quorum_state_temp_left_ = false;
  election_state_.reset();
  election_state_history_.clear();
}

}  // namespace sim
