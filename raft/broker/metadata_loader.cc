// Kafka's MetadataLoader for a broker: replay of committed batches and snapshots, and the
// catch-up gate of publication. See metadata_loader.hh.
#include "raft/broker/metadata_loader.hh"

#include <utility>

#include "raft/common/assert.hh"
#include "raft/metadata/record_codec.hh"

namespace raft::broker {

MetadataLoader::MetadataLoader(metadata::MetadataImage::Options image_options)
    : image_options_(image_options), image_(image_options) {}

void MetadataLoader::replay_encoded(const std::string& bytes, Offset offset) {
  std::optional<metadata::MetadataRecord> record;
  try {
    record = metadata::decode_record(bytes);
  } catch (const metadata::DecodeError& e) {
    KR_UNREACHABLE("undecodable metadata record at offset " << offset << ": " << e.what());
  }
  image_.replay(*record, offset);
  ++records_applied_;
}

void MetadataLoader::handle_commit(const RecordBatch& batch) {
  const Offset expected = image_.provenance().end_offset;
  KR_ASSERT(batch.base_offset == expected,
            "committed batch at " << batch.base_offset << " but the image ends at " << expected);
  if (!batch.is_control) {
    for (std::size_t i = 0; i < batch.records.size(); ++i) {
      replay_encoded(batch.records[i], batch.base_offset + static_cast<std::int64_t>(i));
    }
  }
  image_.set_provenance(metadata::Provenance{batch.end_offset(), batch.epoch});
  applied_log_time_ = batch.append_time;
  applied_bytes_ += batch.size_bytes;
  ++batches_applied_;
  ++applied_generation_;
}

void MetadataLoader::handle_load_snapshot(const Snapshot& snapshot) {
  KR_ASSERT(snapshot.id.offset > Offset(0), "snapshot id " << snapshot.id);
  image_ = metadata::MetadataImage(image_options_);
  const Offset last_contained = snapshot.id.offset - 1;
  for (const std::string& bytes : snapshot.records) replay_encoded(bytes, last_contained);
  image_.set_provenance(metadata::Provenance{snapshot.id.offset, snapshot.id.epoch});
  applied_log_time_ = snapshot.last_contained_log_time;
  ++snapshots_loaded_;
  ++applied_generation_;
}

void MetadataLoader::handle_leader_change(const LeaderAndEpoch& leader) { leader_ = leader; }

bool MetadataLoader::maybe_publish(std::optional<Offset> high_watermark) {
  if (applied_generation_ == published_generation_) return false;  // nothing new (or nothing)
  if (publications_ == 0) {
    // Kafka's stillNeedToCatchUp: HW known and everything below it applied.
    if (!high_watermark) return false;
    if (image_.provenance().end_offset < *high_watermark) return false;
  }
  published_generation_ = applied_generation_;
  published_offset_ = image_.provenance().end_offset.value() - 1;
  ++publications_;
  return true;
}

std::optional<OffsetAndEpoch> MetadataLoader::applied_end() const {
  if (applied_generation_ == 0) return std::nullopt;
  return OffsetAndEpoch{image_.provenance().end_offset, image_.provenance().last_epoch};
}

std::vector<std::string> MetadataLoader::snapshot_records() const {
  std::vector<metadata::MetadataRecord> records = image_.to_records();
  std::vector<std::string> encoded;
  encoded.reserve(records.size());
  for (const metadata::MetadataRecord& r : records) encoded.push_back(metadata::encode_record(r));
  return encoded;
}

}  // namespace raft::broker
