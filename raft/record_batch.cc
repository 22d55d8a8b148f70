// Kafka: DefaultRecordBatch / MemoryRecords and the LeaderChangeMessage control record (KIP-595).
// See record_batch.hh.
#include "raft/record_batch.hh"

#include "raft/common/assert.hh"
#include "raft/common/hash.hh"

namespace raft {

std::int64_t estimated_record_size(std::size_t value_bytes) {
  // Kafka's DefaultRecord: length, attributes, timestamp/offset deltas, key length, value
  // length, headers count (varints; ~7 bytes for small records) plus the value.
  return 7 + static_cast<std::int64_t>(value_bytes);
}

std::uint64_t RecordBatch::compute_checksum() const {
  Hasher h;
  h.add_signed(base_offset.value());
  h.add_signed(epoch.value());
  h.add_signed(append_time.us());
  h.add(is_control ? 1U : 0U);
  if (leader_change) {
    h.add_signed(leader_change->leader_id.value());
    h.add(static_cast<std::uint64_t>(leader_change->voters.size()));
    for (NodeId v : leader_change->voters) h.add_signed(v.value());
    h.add(static_cast<std::uint64_t>(leader_change->granting_voters.size()));
    for (NodeId v : leader_change->granting_voters) h.add_signed(v.value());
  }
  h.add(static_cast<std::uint64_t>(records.size()));
  for (const std::string& r : records) h.add(r);
  h.add_signed(size_bytes);
  return h.digest();
}

BatchPtr make_data_batch(Offset base_offset, Epoch epoch, Instant append_time,
                         std::vector<std::string> records) {
  KR_ASSERT(!records.empty(), "a data batch needs at least one record");
  KR_ASSERT(base_offset >= Offset(0), "base_offset=" << base_offset);
  auto batch = std::make_shared<RecordBatch>();
  batch->base_offset = base_offset;
  batch->epoch = epoch;
  batch->append_time = append_time;
  batch->size_bytes = kBatchHeaderBytes;
  for (const std::string& r : records) batch->size_bytes += estimated_record_size(r.size());
  batch->records = std::move(records);
  batch->checksum = batch->compute_checksum();
  return batch;
}

BatchPtr make_leader_change_batch(Offset base_offset, Epoch epoch, Instant append_time,
                                  LeaderChangeMessage message) {
  KR_ASSERT(base_offset >= Offset(0), "base_offset=" << base_offset);
  auto batch = std::make_shared<RecordBatch>();
  batch->base_offset = base_offset;
  batch->epoch = epoch;
  batch->append_time = append_time;
  batch->is_control = true;
  // version(2) + leader id(4) + two arrays of int32 ids with 4-byte lengths.
  const auto ids = static_cast<std::int64_t>(message.voters.size() + message.granting_voters.size());
  batch->size_bytes = kBatchHeaderBytes + estimated_record_size(static_cast<std::size_t>(14 + 4 * ids));
  batch->leader_change = std::move(message);
  batch->checksum = batch->compute_checksum();
  return batch;
}

}  // namespace raft
