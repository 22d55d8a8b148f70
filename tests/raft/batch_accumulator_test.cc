// Unit tests of raft::BatchAccumulator (Kafka's BatchAccumulator): offsets of appended records,
// the linger drain deadline and batch splitting at batch_max_bytes (kraft-protocol.md 6.4).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "raft/batch_accumulator.hh"
#include "raft/common/assert.hh"
#include "raft/record_batch.hh"

namespace {

using raft::BatchAccumulator;
using raft::Duration;
using raft::Epoch;
using raft::Instant;
using raft::Offset;

const Instant kT0 = Instant::from_ms(100);
const Duration kLinger = Duration::millis(25);

// Records of 10 bytes: 17 encoded bytes each (7 bytes of overhead).
std::vector<std::string> records(int n, char fill = 'x') {
  return std::vector<std::string>(static_cast<std::size_t>(n), std::string(10, fill));
}

std::vector<std::size_t> sizes(const std::vector<BatchAccumulator::CompletedBatch>& batches) {
  std::vector<std::size_t> out;
  for (const auto& b : batches) out.push_back(b.records.size());
  return out;
}

}  // namespace

TEST_CASE("BatchAccumulator: append returns the offset of the last record") {
  BatchAccumulator acc(Epoch(2), Offset(5), kLinger, 1 << 20);
  CHECK(acc.append(records(3), kT0) == Offset(7));
  CHECK(acc.append(records(1), kT0) == Offset(8));
  CHECK(acc.append(records(2), kT0) == Offset(10));
  CHECK(acc.epoch() == Epoch(2));
}

TEST_CASE("BatchAccumulator: drain deadline is first append + linger, never when empty") {
  BatchAccumulator acc(Epoch(2), Offset(5), kLinger, 1 << 20);
  CHECK(acc.empty());
  CHECK(acc.drain_deadline() == Instant::never());
  acc.append(records(1), kT0);
  CHECK(acc.drain_deadline() == kT0 + kLinger);
  // Later appends do not push the deadline back.
  acc.append(records(1), kT0 + Duration::millis(20));
  CHECK(acc.drain_deadline() == kT0 + kLinger);
}

TEST_CASE("BatchAccumulator: drain takes everything in one batch at the right base offset") {
  BatchAccumulator acc(Epoch(2), Offset(5), kLinger, 1 << 20);
  acc.append({"a", "b"}, kT0);
  acc.append({"c"}, kT0);
  auto batches = acc.drain();
  REQUIRE(batches.size() == 1);
  CHECK(batches[0].base_offset == Offset(5));
  CHECK(batches[0].records == std::vector<std::string>{"a", "b", "c"});
  CHECK(acc.empty());
  CHECK(acc.drain_deadline() == Instant::never());
  CHECK(acc.drain().empty());
  // The next batch continues where the last ended, with a new linger window.
  const Instant later = kT0 + Duration::millis(100);
  CHECK(acc.append({"d"}, later) == Offset(8));
  CHECK(acc.drain_deadline() == later + kLinger);
  auto next = acc.drain();
  REQUIRE(next.size() == 1);
  CHECK(next[0].base_offset == Offset(8));
}

TEST_CASE("BatchAccumulator: batches are split at batch_max_bytes") {
  // Header 61 + two records of 17 = 95 bytes: exactly two records per batch.
  const std::int64_t max = raft::kBatchHeaderBytes + 2 * raft::estimated_record_size(10);
  REQUIRE(max == 95);
  BatchAccumulator acc(Epoch(1), Offset(0), kLinger, max);
  acc.append(records(5), kT0);
  auto batches = acc.drain();
  CHECK(sizes(batches) == std::vector<std::size_t>{2, 2, 1});
  REQUIRE(batches.size() == 3);
  CHECK(batches[0].base_offset == Offset(0));
  CHECK(batches[1].base_offset == Offset(2));
  CHECK(batches[2].base_offset == Offset(4));
}

TEST_CASE("BatchAccumulator: a full batch is drained at once, without waiting for the linger") {
  const std::int64_t max = raft::kBatchHeaderBytes + 2 * raft::estimated_record_size(10);
  BatchAccumulator acc(Epoch(1), Offset(0), kLinger, max);
  acc.append(records(1), kT0);
  CHECK(acc.drain_deadline() == kT0 + kLinger);
  acc.append(records(1), kT0 + Duration::millis(3));
  CHECK(acc.drain_deadline() == kT0);
}

TEST_CASE("BatchAccumulator: a record larger than batch_max_bytes forms its own batch") {
  BatchAccumulator acc(Epoch(1), Offset(10), kLinger, 100);
  acc.append({"small", std::string(500, 'y'), "tail"}, kT0);
  auto batches = acc.drain();
  CHECK(sizes(batches) == std::vector<std::size_t>{1, 1, 1});
  REQUIRE(batches.size() == 3);
  CHECK(batches[1].base_offset == Offset(11));
  CHECK(batches[1].records[0].size() == 500);
  CHECK(batches[2].base_offset == Offset(12));
}

TEST_CASE("BatchAccumulator: an empty append and a batch size below the header assert") {
  BatchAccumulator acc(Epoch(1), Offset(0), kLinger, 1000);
  CHECK_THROWS_AS(acc.append({}, kT0), raft::AssertionFailure);
  CHECK_THROWS_AS(BatchAccumulator(Epoch(1), Offset(0), kLinger, raft::kBatchHeaderBytes),
                  raft::AssertionFailure);
}
