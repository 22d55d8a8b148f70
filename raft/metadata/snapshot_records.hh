// The records of a metadata snapshot: an image written out (MetadataImage::write) and encoded
// record by record (record_codec.hh), as every broker's and controller's snapshot generator
// hands them to RaftClient::create_snapshot.
//
// Kafka: org.apache.kafka.image.publisher.SnapshotGenerator writing MetadataImage.write through
// a RecordsSnapshotWriter.
#pragma once

#include <string>
#include <vector>

#include "raft/metadata/image.hh"

namespace raft::metadata {

// Every record of `image` in snapshot order, encoded. O(image); no per-record copies.
[[nodiscard]] std::vector<std::string> encode_snapshot_records(const MetadataImage& image);

}  // namespace raft::metadata
