// Tests for sim/disk.hh: volatile appends, flush, crash, durable truncation, election state and
// wipe.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "raft/common/assert.hh"
#include "raft/record_batch.hh"
#include "sim/disk.hh"

using raft::Epoch;
using raft::NodeId;
using raft::Offset;
using sim::Disk;

namespace {

// A data batch at `base` with `count` one-byte records.
raft::BatchPtr batch(std::int64_t base, int count, std::int32_t epoch = 1) {
  std::vector<std::string> records(static_cast<std::size_t>(count), "x");
  return raft::make_data_batch(Offset(base), Epoch(epoch), raft::Instant::zero(), records);
}

// Base offsets of the batches on the disk.
std::vector<std::int64_t> bases(const Disk& d) {
  std::vector<std::int64_t> out;
  for (const auto& b : d.batches()) out.push_back(b->base_offset.value());
  return out;
}

}  // namespace

TEST_CASE("disk: empty disk") {
  Disk d;
  CHECK(d.batches().empty());
  CHECK(d.end_offset() == Offset(0));
  CHECK(d.flushed_end_offset() == Offset(0));
  CHECK_FALSE(d.read_election_state().has_value());
  CHECK(d.election_state_history().empty());
  CHECK(d.stats() == sim::DiskStats{});
}

TEST_CASE("disk: crash keeps the flushed prefix only") {
  Disk d;
  d.append(batch(0, 2));  // offsets 0-1
  d.append(batch(2, 3));  // 2-4
  d.flush();
  d.append(batch(5, 1));  // 5
  d.append(batch(6, 4));  // 6-9
  CHECK(d.end_offset() == Offset(10));
  CHECK(d.flushed_end_offset() == Offset(5));
  CHECK(d.flushed_batch_count() == 2);

  const std::int64_t lost_bytes = d.batches()[2]->size_bytes + d.batches()[3]->size_bytes;
  d.crash();
  CHECK(bases(d) == std::vector<std::int64_t>{0, 2});
  CHECK(d.end_offset() == Offset(5));
  CHECK(d.flushed_end_offset() == Offset(5));
  CHECK(d.stats().crashes == 1);
  CHECK(d.stats().batches_lost_in_crashes == 2);
  CHECK(d.stats().bytes_lost_in_crashes == lost_bytes);
  CHECK(d.stats().batches_appended == 4);
  CHECK(d.stats().flushes == 1);

  // The log continues from the durable end.
  d.append(batch(5, 1, 2));
  CHECK(d.end_offset() == Offset(6));
}

TEST_CASE("disk: crash with nothing flushed loses everything") {
  Disk d;
  d.append(batch(0, 1));
  d.append(batch(1, 1));
  const std::int64_t appended = d.stats().bytes_appended;
  CHECK(appended == 2 * d.batches()[0]->size_bytes);
  d.crash();
  CHECK(d.batches().empty());
  CHECK(d.end_offset() == Offset(0));
  CHECK(d.stats().bytes_lost_in_crashes == appended);
  d.crash();  // nothing more to lose
  CHECK(d.stats().bytes_lost_in_crashes == appended);
  CHECK(d.stats().crashes == 2);
}

TEST_CASE("disk: truncation is durable at once") {
  Disk d;
  d.append(batch(0, 2));  // 0-1
  d.append(batch(2, 2));  // 2-3
  d.append(batch(4, 2));  // 4-5
  d.flush();
  d.truncate_to(Offset(2));
  CHECK(bases(d) == std::vector<std::int64_t>{0});
  CHECK(d.flushed_end_offset() == Offset(2));

  d.append(batch(2, 1, 2));  // new, unflushed batch at the truncation point
  d.crash();
  // The truncated batches do not come back; the unflushed replacement is lost.
  CHECK(bases(d) == std::vector<std::int64_t>{0});
  CHECK(d.end_offset() == Offset(2));
  CHECK(d.stats().truncations == 1);
  CHECK(d.stats().batches_truncated == 2);
}

TEST_CASE("disk: truncating the volatile tail keeps the durable prefix") {
  Disk d;
  d.append(batch(0, 2));
  d.flush();
  d.append(batch(2, 2));
  d.append(batch(4, 2));
  d.truncate_to(Offset(4));
  CHECK(bases(d) == std::vector<std::int64_t>{0, 2});
  CHECK(d.flushed_end_offset() == Offset(2));
  d.crash();
  CHECK(bases(d) == std::vector<std::int64_t>{0});
}

TEST_CASE("disk: truncating inside a batch removes the whole batch") {
  Disk d;
  d.append(batch(0, 3));  // 0-2
  d.append(batch(3, 3));  // 3-5
  d.flush();
  d.truncate_to(Offset(5));  // inside the second batch
  CHECK(bases(d) == std::vector<std::int64_t>{0});
  CHECK(d.end_offset() == Offset(3));
  CHECK(d.flushed_end_offset() == Offset(3));

  d.truncate_to(Offset(3));  // at the end: nothing to remove
  d.truncate_to(Offset(100));
  CHECK(bases(d) == std::vector<std::int64_t>{0});
  CHECK(d.stats().truncations == 1);

  d.truncate_to(Offset(0));
  CHECK(d.batches().empty());
  CHECK(d.flushed_end_offset() == Offset(0));
  CHECK_THROWS_AS(d.truncate_to(Offset(-1)), raft::AssertionFailure);
}

TEST_CASE("disk: appends must be contiguous from offset 0") {
  Disk d;
  CHECK_THROWS_AS(d.append(batch(1, 1)), raft::AssertionFailure);
  d.append(batch(0, 2));
  CHECK_THROWS_AS(d.append(batch(3, 1)), raft::AssertionFailure);  // gap
  CHECK_THROWS_AS(d.append(batch(1, 1)), raft::AssertionFailure);  // overlap
  CHECK_THROWS_AS(d.append(nullptr), raft::AssertionFailure);
  CHECK(bases(d) == std::vector<std::int64_t>{0});
  CHECK(d.stats().batches_appended == 1);
  d.append(raft::make_leader_change_batch(Offset(2), Epoch(1), raft::Instant::zero(),
                                          raft::LeaderChangeMessage{NodeId(0), {}, {}}));
  CHECK(d.end_offset() == Offset(3));
}

TEST_CASE("disk: election state round trip, history, survives crash") {
  Disk d;
  const raft::ElectionState voted{Epoch(3), std::nullopt, NodeId(2)};
  const raft::ElectionState leader{Epoch(3), NodeId(2), NodeId(2)};
  const raft::ElectionState next{Epoch(4), std::nullopt, std::nullopt};
  d.write_election_state(voted);
  REQUIRE(d.read_election_state().has_value());
  CHECK(*d.read_election_state() == voted);
  d.write_election_state(leader);
  d.crash();
  CHECK(*d.read_election_state() == leader);
  d.write_election_state(next);
  CHECK(*d.read_election_state() == next);
  CHECK(d.election_state_history() == std::vector<raft::ElectionState>{voted, leader, next});
  CHECK(d.stats().election_state_writes == 3);
}

TEST_CASE("disk: wipe loses log and election state, keeps stats") {
  Disk d;
  d.append(batch(0, 2));
  d.flush();
  d.write_election_state(raft::ElectionState{Epoch(5), NodeId(1), std::nullopt});
  d.wipe();
  CHECK(d.batches().empty());
  CHECK(d.end_offset() == Offset(0));
  CHECK(d.flushed_end_offset() == Offset(0));
  CHECK_FALSE(d.read_election_state().has_value());
  CHECK(d.election_state_history().empty());
  CHECK(d.stats().wipes == 1);
  CHECK(d.stats().batches_appended == 1);
  d.append(batch(0, 1));  // a blank disk starts again at offset 0
  CHECK(d.end_offset() == Offset(1));
}
