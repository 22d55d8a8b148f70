// Kafka: snapshot files of KIP-630 (RecordsSnapshotWriter, header/footer records). See snapshot.hh.
#include "raft/snapshot.hh"

#include "raft/common/assert.hh"
#include "raft/common/hash.hh"
#include "raft/record_batch.hh"

namespace raft {

namespace {
// A control batch holding one SnapshotHeaderRecord (version, last contained log time) or one
// SnapshotFooterRecord (version).
constexpr std::int64_t kHeaderBytes = kBatchHeaderBytes + 7 + 10;
constexpr std::int64_t kFooterBytes = kBatchHeaderBytes + 7 + 2;
}  // namespace

std::uint64_t Snapshot::compute_checksum() const {
  Hasher h;
  h.add_signed(id.offset.value());
  h.add_signed(id.epoch.value());
  h.add_signed(last_contained_log_time.us());
  h.add(static_cast<std::uint64_t>(records.size()));
  for (const std::string& r : records) h.add(r);
  return h.digest();
}

SnapshotPtr make_snapshot(OffsetAndEpoch id, Instant last_contained_log_time,
                          std::vector<std::string> records) {
  KR_ASSERT(id.offset > Offset(0), "snapshot end offset " << id.offset);
  KR_ASSERT(id.epoch >= Epoch(0), "snapshot epoch " << id.epoch);
  auto s = std::make_shared<Snapshot>();
  s->id = id;
  s->last_contained_log_time = last_contained_log_time;
  s->size_bytes = kHeaderBytes + kFooterBytes;
  if (!records.empty()) s->size_bytes += kBatchHeaderBytes;
  for (const std::string& r : records) s->size_bytes += estimated_record_size(r.size());
  s->records = std::move(records);
  s->checksum = s->compute_checksum();
  return s;
}

}  // namespace raft
