// Metadata records decoded once per batch and shared by every node. See replay_record.hh.
#include "raft/metadata/replay_record.hh"

#include <string>
#include <utility>

#include "raft/common/assert.hh"


namespace raft::metadata {

BatchDecodeError::BatchDecodeError(Offset offset, const DecodeError& error)
    : std::runtime_error("record at offset " + std::to_string(offset.value()) + ": " +
                         error.what()),
      offset_(offset) {}

MetadataRecord ReplayRecord::record() const {
  if (partition) return static_cast<const PartitionRecord&>(*partition);
  return other->record;
}

std::int16_t ReplayRecord::api_key() const {
  return partition ? PartitionRecord::kApiKey : metadata::api_key(other->record);
}

ReplayRecord make_replay_record(MetadataRecord record) {
  ReplayRecord out;
  if (auto* p = std::get_if<PartitionRecord>(&record)) {
    out.partition = make_partition_entry(std::move(*p));
  } else {
    out.other = std::make_unique<const ReplayRecord::Other>(ReplayRecord::Other{std::move(record), {}, {}});
  }
  return out;
}

ReplayRecord decode_replay_record(std::string_view bytes) {
  return make_replay_record(decode_record(bytes));
}

namespace {

// Decodes `records` into the memo; the record at index i is at offset offset_of(i).
template <typename OffsetOf>
const ReplayRecords& decode_into(const DecodedMemo& memo, const std::vector<std::string>& records,
                                 OffsetOf offset_of) {
  if (const ReplayRecords* cached = memo.get<ReplayRecords>()) return *cached;
  auto decoded = std::make_shared<ReplayRecords>();
  decoded->reserve(records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    try {
      decoded->push_back(decode_replay_record(records[i]));
    } catch (const DecodeError& e) {
      throw BatchDecodeError(offset_of(i), e);
    }
  }
  return memo.set<ReplayRecords>(std::move(decoded));
}

// The records of `source`, or an AssertionFailure.
template <typename Source>
const ReplayRecords& decoded_or_fatal(const Source& source, std::string_view who) {
  try {
    return replay_records(source);
  } catch (const BatchDecodeError& e) {
    KR_UNREACHABLE(who << " cannot decode the committed metadata " << e.what());
  }
}

}  // namespace

const ReplayRecords& committed_records(const RecordBatch& batch, std::string_view who) {
  return decoded_or_fatal(batch, who);
}

const ReplayRecords& committed_records(const Snapshot& snapshot, std::string_view who) {
  return decoded_or_fatal(snapshot, who);
}

const ReplayRecords& replay_records(const RecordBatch& batch) {
  return decode_into(batch.decoded, batch.records, [&batch](std::size_t i) {
    return batch.base_offset + static_cast<std::int64_t>(i);
  });
}

const ReplayRecords& replay_records(const Snapshot& snapshot) {
  return decode_into(snapshot.decoded, snapshot.records,
                     [&snapshot](std::size_t) { return snapshot.id.offset - 1; });
}

}  // namespace raft::metadata
