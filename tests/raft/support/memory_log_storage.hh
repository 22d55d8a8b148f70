// A simple in-memory raft::LogStorage for unit tests of raft/ (the simulator's disk model, with
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

class MemoryLogStorage final : public LogStorage {
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

  // Loses every unflushed batch, as a crash would.
  void crash() {
    while (!batches_.empty() && batches_.back()->end_offset() > flushed_end_) batches_.pop_back();
  }

  // Number of flush() calls so far.
  [[nodiscard]] int flush_count() const { return flush_count_; }

 private:
  [[nodiscard]] Offset end_offset() const {
    return batches_.empty() ? Offset(0) : batches_.back()->end_offset();
  }

  std::vector<BatchPtr> batches_;  // contiguous from offset 0
  Offset flushed_end_{0};          // end of the durable prefix; a batch boundary
  int flush_count_ = 0;
};

}  // namespace raft::test
