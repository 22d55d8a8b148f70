// Record batches of the __cluster_metadata log.
//
// Kafka: org.apache.kafka.common.record.RecordBatch / MemoryRecords, and the control records of
// org.apache.kafka.common.message.LeaderChangeMessage (KIP-595).
//
// A batch is immutable once built and shared by pointer (BatchPtr) between the leader that wrote
// it, every follower and observer that fetched it, and their disks: a record batch exists once in
// memory no matter how many nodes hold it.
//
// Data records are opaque byte strings: the raft layer never looks inside them (Kafka's
// RaftClient<T> is generic over T with a serde; here the serde is the state machine's business).
// Simplification: no real Kafka wire encoding; `size_bytes` estimates it (61-byte batch header plus
// per-record overhead and payload) so that byte limits and log sizes are realistic.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "raft/common/ids.hh"
#include "raft/common/time.hh"
#include "raft/decoded_memo.hh"

namespace raft {

// Control record written by a new leader as the first batch of its epoch
// (ControlRecordType.LEADER_CHANGE = 2).
struct LeaderChangeMessage {
  NodeId leader_id;
  std::vector<NodeId> voters;           // the voter set in effect
  std::vector<NodeId> granting_voters;  // voters that granted the winning election
  bool operator==(const LeaderChangeMessage&) const = default;
};

struct RecordBatch {
  Offset base_offset;     // offset of the first record
  Epoch epoch;            // partitionLeaderEpoch: epoch of the leader that wrote the batch
  Instant append_time;    // leader's clock when the batch was appended
  bool is_control = false;
  // Set iff is_control: the batch holds exactly one LeaderChangeMessage record.
  std::optional<LeaderChangeMessage> leader_change;
  // Data records (empty iff is_control). Each is an opaque value written by the state machine.
  std::vector<std::string> records;
  std::int64_t size_bytes = 0;  // estimated encoded size, see header comment
  std::uint64_t checksum = 0;   // hash over every field above (Kafka: the batch CRC)
  // The state machine's decoded form of `records`, filled on first use (decoded_memo.hh).
  DecodedMemo decoded;

  // Number of records (offsets) the batch occupies. Invariant: >= 1.
  [[nodiscard]] std::int64_t record_count() const {
    return is_control ? 1 : static_cast<std::int64_t>(records.size());
  }
  [[nodiscard]] Offset last_offset() const { return base_offset + (record_count() - 1); }
  // Exclusive end: the offset right after the last record.
  [[nodiscard]] Offset end_offset() const { return base_offset + record_count(); }
  // Recomputes the checksum from the content; equals `checksum` iff the batch is intact.
  [[nodiscard]] std::uint64_t compute_checksum() const;
};

using BatchPtr = std::shared_ptr<const RecordBatch>;

// Builds a data batch; asserts records is non-empty. Sets size_bytes and checksum.
BatchPtr make_data_batch(Offset base_offset, Epoch epoch, Instant append_time,
                         std::vector<std::string> records);

// Builds the LeaderChangeMessage control batch that opens an epoch.
BatchPtr make_leader_change_batch(Offset base_offset, Epoch epoch, Instant append_time,
                                  LeaderChangeMessage message);

// Estimated encoded size of one data record with the given value size.
std::int64_t estimated_record_size(std::size_t value_bytes);

// Encoded size of a batch header (Kafka's RECORD_BATCH_OVERHEAD = 61 bytes).
inline constexpr std::int64_t kBatchHeaderBytes = 61;

}  // namespace raft
