// A snapshot of the replicated state machine: everything committed below its end offset.
//
// Kafka (KIP-630): org.apache.kafka.snapshot.{RawSnapshotWriter, RawSnapshotReader,
// RecordsSnapshotWriter}, SnapshotHeaderRecord / SnapshotFooterRecord, and the snapshot id
// (OffsetAndEpoch) of section 8.1:
//  * id.offset is the END offset (exclusive): the snapshot holds every record below it
//    (KAFKA-14618 fixed an inclusive/exclusive mix-up);
//  * id.epoch is the epoch of the record at id.offset - 1;
//  * the end offset is on a batch boundary (KAFKA-14619).
// The content is the state machine's image as opaque data records (the quorum controller will
// write its MetadataImage here; the replicated counter writes its value). Immutable once built
// and shared by pointer between the node that wrote it, its disk, and every node that fetched it.
//
// Simplification: no byte encoding; size_bytes estimates Kafka's (a header control batch, the
// data batches, a footer control batch), so FetchSnapshot chunking and retention by bytes are
// realistic. kraft.version 0: no KRaftVersionRecord / VotersRecord in the snapshot.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "raft/common/ids.hh"
#include "raft/common/time.hh"
#include "raft/decoded_memo.hh"

namespace raft {

struct Snapshot {
  OffsetAndEpoch id;               // (end offset, epoch of the last contained record)
  Instant last_contained_log_time; // append time of the last contained batch (retention by age)
  std::vector<std::string> records;  // the state machine's image
  std::int64_t size_bytes = 0;     // estimated encoded size, > 0
  std::uint64_t checksum = 0;      // over id, time and records: equal snapshots have equal sums
  // The state machine's decoded form of `records`, filled on first use (decoded_memo.hh).
  DecodedMemo decoded;

  [[nodiscard]] std::uint64_t compute_checksum() const;
};

using SnapshotPtr = std::shared_ptr<const Snapshot>;

// Builds a snapshot (sets size_bytes and checksum). Precondition: id.offset > 0.
SnapshotPtr make_snapshot(OffsetAndEpoch id, Instant last_contained_log_time,
                          std::vector<std::string> records);

}  // namespace raft
