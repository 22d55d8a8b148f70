// The leader's write buffer: records appended by the state machine wait here until the linger
// time has passed (or a batch is full), then are drained into the log as batches.
//
// Kafka: org.apache.kafka.raft.internals.BatchAccumulator (KIP-595). Simplification: no memory pool and no
// compression; prepareAppend and schedulePreparedAppend are one call (append).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "raft/common/ids.hh"
#include "raft/common/time.hh"

namespace raft {

class BatchAccumulator {
 public:
  // A batch ready to be written at `base_offset`.
  struct CompletedBatch {
    Offset base_offset;
    std::vector<std::string> records;
  };

  // epoch: the leader epoch every batch is written in. next_offset: the log end offset when
  // the leader was elected plus what it has appended since (the offset of the next record).
  BatchAccumulator(Epoch epoch, Offset next_offset, Duration linger, std::int64_t batch_max_bytes);

  // Buffers records and returns the offset the last of them will have.
  // Precondition: records non-empty.
  Offset append(std::vector<std::string> records, Instant now);

  // When the buffered records must be written: first append + linger, now if a batch is full,
  // never() if nothing is buffered.
  [[nodiscard]] Instant drain_deadline() const;
  [[nodiscard]] bool empty() const { return records_.empty(); }
  [[nodiscard]] Epoch epoch() const { return epoch_; }

  // Takes every buffered record, split into batches of at most batch_max_bytes (a single
  // record larger than that still forms its own batch).
  std::vector<CompletedBatch> drain();

 private:
  Epoch epoch_;
  Offset next_offset_;        // offset of the next record appended
  Offset buffered_base_;      // offset of records_[0]
  Duration linger_;
  std::int64_t batch_max_bytes_;
  std::vector<std::string> records_;
  std::int64_t buffered_bytes_ = 0;
  Instant first_append_time_ = Instant::never();
};

}  // namespace raft
