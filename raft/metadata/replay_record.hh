// Metadata records decoded once for every node: the decoded form of a batch's (or a snapshot's)
// records that MetadataImage::replay consumes, cached in the batch's DecodedMemo.
//
// Kafka has no counterpart (every node decodes and builds its own PartitionRegistrations); this
// is how the simulator holds millions of partitions on many nodes in one process. Because every
// node that holds a batch holds the same immutable RecordBatch object, the records are decoded
// once, and a PartitionRecord becomes one shared PartitionEntry that every image stores. A
// PartitionChangeRecord keeps a memo of the entry it was last applied to and the result: a node
// applying it to that same entry (so the same content) reuses the result instead of building
// its own, so the images of all nodes keep sharing their partition entries through changes.
// None of this is observable: replay gives the same image content either way.
#pragma once

#include <memory>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "raft/metadata/image.hh"
#include "raft/metadata/record_codec.hh"
#include "raft/metadata/records.hh"
#include "raft/record_batch.hh"
#include "raft/snapshot.hh"

namespace raft::metadata {

struct ReplayRecord {
  // Any record but a PartitionRecord, with the memo of a PartitionChangeRecord.
  struct Other {
    MetadataRecord record;
    // PartitionChangeRecord only: the entry it was last applied to, and the entry that gave.
    mutable PartitionPtr change_input;
    mutable PartitionPtr change_output;
  };
  // Exactly one of the two is set.
  PartitionPtr partition;              // a PartitionRecord, as the entry images store
  std::unique_ptr<const Other> other;  // any other record

  // The record itself (a copy), e.g. for printing or checks.
  [[nodiscard]] MetadataRecord record() const;
  // The record's type id (Kafka apiKey).
  [[nodiscard]] std::int16_t api_key() const;
};
using ReplayRecords = std::vector<ReplayRecord>;

// Decodes one record (metadata::decode_record). Throws DecodeError.
[[nodiscard]] ReplayRecord decode_replay_record(std::string_view bytes);
// Wraps an already decoded record.
[[nodiscard]] ReplayRecord make_replay_record(MetadataRecord record);

// A record of a batch that does not decode: what() names its log offset and the DecodeError.
class BatchDecodeError : public std::runtime_error {
 public:
  BatchDecodeError(Offset offset, const DecodeError& error);
  [[nodiscard]] Offset offset() const { return offset_; }  // log offset of the record

 private:
  Offset offset_;
};

// The records of `batch` (none for a control batch), decoded on the first call and cached in
// batch.decoded for every later call, from any node. Throws BatchDecodeError for the first
// record that does not decode (nothing is cached then).
[[nodiscard]] const ReplayRecords& replay_records(const RecordBatch& batch);
// The records of `snapshot`, decoded once and cached in snapshot.decoded the same way. Throws
// BatchDecodeError with the snapshot's last contained offset.
[[nodiscard]] const ReplayRecords& replay_records(const Snapshot& snapshot);

// replay_records for a node that must replay what it committed: a record that does not decode
// is a fatal fault (Kafka's fatal fault handler), thrown as raft::AssertionFailure naming `who`
// (e.g. "controller 1") and the record's offset.
[[nodiscard]] const ReplayRecords& committed_records(const RecordBatch& batch, std::string_view who);
[[nodiscard]] const ReplayRecords& committed_records(const Snapshot& snapshot, std::string_view who);

}  // namespace raft::metadata
