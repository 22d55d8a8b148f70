// Binary encoding of one metadata record (the value bytes of a record in a RecordBatch).
//
// Kafka: org.apache.kafka.metadata.MetadataRecordSerde / AbstractApiMessageSerde and the
// generated *Record.write/read methods (KIP-631). The encoding is Kafka-like but simplified:
//   frame  = apiKey (unsigned varint) + version (unsigned varint) + fields
//   fields = in a fixed order per (apiKey, version); no tagged fields, no frame-version byte.
// Primitives:
//   int8 / int16 / uint16: fixed width, big endian (two's complement)
//   bool: int8 0 or 1
//   int32 / int64: signed varint (zigzag), at most 5 / 10 bytes
//   Uuid: 16 bytes, hi then lo, big endian
//   compact string: unsigned varint (length + 1), then the bytes; nullable strings use 0 for null
//   compact array: unsigned varint (count + 1), then the elements; nullable arrays use 0 for null
//   PartitionChangeRecord.LeaderRecoveryState: int8, -1 = absent (as Kafka)
// Every record is currently encoded at version 0 (the layout of this codec, not Kafka's schema
// version); decoding any other version is an error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "raft/metadata/records.hh"

namespace raft::metadata {

// The encoding version written for every record type.
inline constexpr std::uint32_t kRecordVersion = 0;

// Malformed input to decode_record. `offset()` is the byte offset (from the start of the
// buffer) where the problem was detected; what() names the problem, the field and the offset.
class DecodeError : public std::runtime_error {
 public:
  DecodeError(const std::string& problem, std::size_t offset);
  [[nodiscard]] std::size_t offset() const { return offset_; }

 private:
  std::size_t offset_;
};

// Encodes one record. Throws std::invalid_argument for values the encoding cannot represent
// (a present PartitionChangeRecord.leader_recovery_state < 0).
[[nodiscard]] std::string encode_record(const MetadataRecord& record);
// The same for a PartitionRecord, without copying it into a MetadataRecord.
[[nodiscard]] std::string encode_record(const PartitionRecord& record);

// Decodes exactly one record occupying all of `bytes`. Throws DecodeError on truncated input,
// an unknown apiKey or version, an over-long or overflowing varint, a null value in a
// non-nullable field, a bool other than 0/1, or trailing bytes. Never reads out of bounds.
[[nodiscard]] MetadataRecord decode_record(std::string_view bytes);

}  // namespace raft::metadata
