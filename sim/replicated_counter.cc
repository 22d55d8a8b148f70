#include "sim/replicated_counter.hh"

#include <algorithm>

#include "raft/common/assert.hh"

namespace sim {

std::string ReplicatedCounter::encode(std::int64_t value, int record_bytes) {
  std::string out(static_cast<std::size_t>(std::max(record_bytes, 8)), '\0');
  auto v = static_cast<std::uint64_t>(value);
  for (std::size_t i = 0; i < 8; ++i) out[i] = static_cast<char>((v >> (8 * i)) & 0xffU);
  return out;
}

std::int64_t ReplicatedCounter::decode(const std::string& record) {
  KR_ASSERT(record.size() >= 8, "counter record of " << record.size() << " bytes");
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    v |= static_cast<std::uint64_t>(static_cast<unsigned char>(record[i])) << (8 * i);
  }
  return static_cast<std::int64_t>(v);
}

void ReplicatedCounter::handle_commit(const raft::RecordBatch& batch) {
  ++committed_batches_;
  applied_end_ = raft::OffsetAndEpoch{batch.end_offset(), batch.epoch};
  applied_time_ = batch.append_time;
  applied_bytes_ += batch.size_bytes;
  if (batch.is_control) return;
  for (const std::string& r : batch.records) {
    const std::int64_t value = decode(r);
    KR_ASSERT(value == committed_ + 1, "node " << local_id_ << " committed value " << value
                                               << " at batch offset " << batch.base_offset
                                               << " after " << committed_ << " (lost or duplicated record)");
    committed_ = value;
  }
  // A follower never appends, so its uncommitted count just tracks the committed one.
  if (!claimed_epoch_) uncommitted_ = committed_;
}

void ReplicatedCounter::handle_load_snapshot(const raft::Snapshot& snapshot) {
  ++snapshots_loaded_;
  if (claimed_epoch_) loaded_while_leader_ = true;
  KR_ASSERT(snapshot.records.size() == 1,
            "counter snapshot " << snapshot.id << " has " << snapshot.records.size() << " records");
  committed_ = decode(snapshot.records.front());
  applied_end_ = snapshot.id;
  applied_time_ = snapshot.last_contained_log_time;
  if (!claimed_epoch_) uncommitted_ = committed_;
}

std::vector<std::string> ReplicatedCounter::snapshot_records() const {
  return {encode(committed_, 8)};
}

void ReplicatedCounter::handle_leader_change(const raft::LeaderAndEpoch& leader) {
  if (leader.is_leader(local_id_)) {
    claimed_epoch_ = leader.epoch;
    uncommitted_ = committed_;
  } else {
    claimed_epoch_.reset();
    uncommitted_ = committed_;
  }
}

std::vector<std::string> ReplicatedCounter::next_records(int count, int record_bytes) {
  KR_ASSERT(claimed_epoch_.has_value(), "node " << local_id_ << " appends without leading");
  KR_ASSERT(count > 0, "count=" << count);
  std::vector<std::string> out;
  out.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) out.push_back(encode(++uncommitted_, record_bytes));
  return out;
}

void ReplicatedCounter::cancel_uncommitted(int count) {
  KR_ASSERT(uncommitted_ - count >= committed_,
            "cancel " << count << " from " << uncommitted_ << " below committed " << committed_);
  uncommitted_ -= count;
}

}  // namespace sim
