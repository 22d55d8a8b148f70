// Kafka: org.apache.kafka.raft.internals.BatchAccumulator (KIP-595). See batch_accumulator.hh.
#include "raft/batch_accumulator.hh"

#include "raft/common/assert.hh"
#include "raft/record_batch.hh"

namespace raft {

BatchAccumulator::BatchAccumulator(Epoch epoch, Offset next_offset, Duration linger,
                                   std::int64_t batch_max_bytes)
    : epoch_(epoch),
      next_offset_(next_offset),
      buffered_base_(next_offset),
      linger_(linger),
      batch_max_bytes_(batch_max_bytes) {
  KR_ASSERT(batch_max_bytes > kBatchHeaderBytes, "batch_max_bytes=" << batch_max_bytes);
}

Offset BatchAccumulator::append(std::vector<std::string> records, Instant now) {
  KR_ASSERT(!records.empty(), "append of no records");
  if (records_.empty()) {
    first_append_time_ = now;
    buffered_base_ = next_offset_;
  }
  for (std::string& r : records) {
    buffered_bytes_ += estimated_record_size(r.size());
    records_.push_back(std::move(r));
  }
  next_offset_ = next_offset_ + static_cast<std::int64_t>(records.size());
  return next_offset_ - 1;
}

Instant BatchAccumulator::drain_deadline() const {
  if (records_.empty()) return Instant::never();
  if (buffered_bytes_ + kBatchHeaderBytes >= batch_max_bytes_) return first_append_time_;
  return first_append_time_ + linger_;
}

std::vector<BatchAccumulator::CompletedBatch> BatchAccumulator::drain() {
  std::vector<CompletedBatch> out;
  Offset base = buffered_base_;
  CompletedBatch current{base, {}};
  std::int64_t current_bytes = kBatchHeaderBytes;
  for (std::string& r : records_) {
    const std::int64_t size = estimated_record_size(r.size());
    if (!current.records.empty() && current_bytes + size > batch_max_bytes_) {
      base = base + static_cast<std::int64_t>(current.records.size());
      out.push_back(std::move(current));
      current = CompletedBatch{base, {}};
      current_bytes = kBatchHeaderBytes;
    }
    current_bytes += size;
    current.records.push_back(std::move(r));
  }
  if (!current.records.empty()) out.push_back(std::move(current));
  records_.clear();
  buffered_bytes_ = 0;
  first_append_time_ = Instant::never();
  buffered_base_ = next_offset_;
  return out;
}

}  // namespace raft
