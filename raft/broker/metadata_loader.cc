// Kafka's MetadataLoader for a broker: replay of committed batches and snapshots, and the
// catch-up gate of publication. See metadata_loader.hh.
#include "raft/broker/metadata_loader.hh"

#include <utility>

#include "raft/common/assert.hh"
#include "raft/metadata/replay_record.hh"
#include "raft/metadata/snapshot_records.hh"

namespace raft::broker {

MetadataLoader::MetadataLoader(metadata::MetadataImage::Options image_options)
    : image_options_(image_options), image_(image_options) {}


void MetadataLoader::handle_commit(const RecordBatch& batch) {
  const Offset expected = image_.provenance().end_offset;
  KR_ASSERT(batch.base_offset == expected,
            "committed batch at " << batch.base_offset << " but the image ends at " << expected);
  if (!batch.is_control) {
    Offset offset = batch.base_offset;
    for (const metadata::ReplayRecord& record : metadata::committed_records(batch, "broker metadata loader")) {
      image_.replay(record, offset);
      offset = offset + 1;
    }
    records_applied_ += static_cast<std::int64_t>(batch.records.size());
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
  for (const metadata::ReplayRecord& record : metadata::committed_records(snapshot, "broker metadata loader")) {
    image_.replay(record, last_contained);
  }
  records_applied_ += static_cast<std::int64_t>(snapshot.records.size());
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
  return metadata::encode_snapshot_records(image_);
}

}  // namespace raft::broker
