// A simple in-memory raft::LogStorage (and raft::SnapshotStore, below) for unit tests of raft/ (the simulator's disk model, with
// latency and fault injection, lives in sim/).
//
// Follows the LogStorage contract of raft/io.hh, which models Kafka's MockLog: appends are
// volatile until flush(); truncation reaches the durable state at once; crash() drops every batch
// at or beyond the flushed end offset, as a restart after a crash would find the disk.
#pragma once

#include <algorithm>
#include <utility>
#include <vector>

#include "raft/common/assert.hh"
#include "raft/io.hh"

namespace raft::test {

// In-memory snapshot files: complete snapshots and `.part` downloads.
class MemorySnapshotStore final : public SnapshotStore {
 public:
  [[nodiscard]] const std::vector<SnapshotPtr>& snapshots() const override { return snapshots_; }
  void write_snapshot(SnapshotPtr snapshot) override {
    std::erase_if(partials_, [&](const auto& p) { return p.first == snapshot->id; });
    auto it = std::lower_bound(snapshots_.begin(), snapshots_.end(), snapshot->id,
                               [](const SnapshotPtr& s, OffsetAndEpoch id) { return s->id < id; });
    if (it == snapshots_.end() || (*it)->id != snapshot->id) snapshots_.insert(it, std::move(snapshot));
  }
  void delete_snapshot(OffsetAndEpoch id) override {
    std::erase_if(snapshots_, [&](const SnapshotPtr& s) { return s->id == id; });
  }
  void write_partial_snapshot(OffsetAndEpoch id, std::int64_t bytes) override {
    std::erase_if(partials_, [&](const auto& p) { return p.first == id; });
    partials_.emplace_back(id, bytes);
  }
  void remove_partial_snapshots() override { partials_.clear(); }
  [[nodiscard]] const std::vector<std::pair<OffsetAndEpoch, std::int64_t>>& partials() const {
    return partials_;
  }

 private:
  std::vector<SnapshotPtr> snapshots_;
  std::vector<std::pair<OffsetAndEpoch, std::int64_t>> partials_;
};

class MemoryLogStorage final : public LogStorage {
 public:
  // The snapshot files next to this log (for tests that build a ReplicatedLog directly).
  MemorySnapshotStore snapshots;

 public:
  [[nodiscard]] const std::vector<BatchPtr>& batches() const override { return batches_; }

  void append(BatchPtr batch) override {
    KR_ASSERT(batch != nullptr, "null batch");
    KR_ASSERT(batch->base_offset == end_offset(),
              "append at " << batch->base_offset << " but storage ends at " << end_offset());
    batches_.push_back(std::move(batch));
  }

  void truncate_to(Offset end_offset) override {
    while (!batches_.empty() && batches_.back()->base_offset >= end_offset) batches_.pop_back();
    flushed_end_ = std::min(flushed_end_, this->end_offset());
  }

  void flush() override {
    flushed_end_ = end_offset();
    ++flush_count_;
  }

  [[nodiscard]] Offset flushed_end_offset() const override { return flushed_end_; }

  [[nodiscard]] Offset log_start_offset() const override { return log_start_; }

  void advance_log_start(Offset new_start) override {
    KR_ASSERT(new_start >= log_start_ && new_start <= end_offset(), "bad log start " << new_start);
    while (!batches_.empty() && batches_.front()->end_offset() <= new_start) {
      batches_.erase(batches_.begin());
    }
    KR_ASSERT(batches_.empty() || batches_.front()->base_offset == new_start,
              "log start " << new_start << " is not a batch boundary");
    log_start_ = new_start;
    flushed_end_ = std::max(flushed_end_, new_start);
  }

  void truncate_fully(Offset offset) override {
    batches_.clear();
    log_start_ = offset;
    flushed_end_ = offset;
  }

  // Loses every unflushed batch, as a crash would.
  void crash() {
    while (!batches_.empty() && batches_.back()->end_offset() > flushed_end_) batches_.pop_back();
  }

  // Number of flush() calls so far.
  [[nodiscard]] int flush_count() const { return flush_count_; }

 private:
  [[nodiscard]] Offset end_offset() const {
    return batches_.empty() ? log_start_ : batches_.back()->end_offset();
  }

  std::vector<BatchPtr> batches_;  // contiguous from log_start_
  Offset log_start_{0};
  Offset flushed_end_{0};          // end of the durable prefix; a batch boundary
  int flush_count_ = 0;
};

}  // namespace raft::test
