// The broker's metadata loader: turns committed metadata-log batches into a MetadataImage and
// decides when that image may be published.
//
// Kafka: org.apache.kafka.image.loader.MetadataLoader (with MetadataBatchLoader), a
// RaftClient.Listener (kraft-protocol.md 13). Simplifications: the image is replayed in place
// (no MetadataDelta), there are no publishers to register (the owner reads the image after each
// publication), and there are no metadata transactions (KIP-868), so every commit callback ends
// at a publishable point.
//
// Flow. The RaftClient calls handle_commit / handle_load_snapshot synchronously; the loader
// applies them to image() at once. Publication is separate: after every call into the raft
// client the owner calls maybe_publish(client.high_watermark()). The catch-up gate (Kafka's
// stillNeedToCatchUp) holds the first publication until
//   * the high watermark is known (the node completed a Fetch from the current leader),
//   * the image has read up to HW - 1 (its end offset >= HW), and
//   * at least one batch or snapshot was applied;
// from then on every maybe_publish call that finds something newly applied publishes it.
// The published offset is what a broker reports as CurrentMetadataOffset in its heartbeats
// (Kafka: MetadataLoader.lastAppliedOffset, updated when an image is published).
//
// A record that does not decode, or does not replay (MetadataImage::replay's strict checks), is a
// protocol invariant violation (Kafka's fatal fault handler): raft::AssertionFailure is thrown.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "raft/common/ids.hh"
#include "raft/common/time.hh"
#include "raft/metadata/image.hh"
#include "raft/raft_listener.hh"
#include "raft/record_batch.hh"
#include "raft/snapshot.hh"

namespace raft::broker {

class MetadataLoader final : public RaftListener {
 public:
  // `image_options` are used for the initial image and for every image built from a snapshot.
  explicit MetadataLoader(metadata::MetadataImage::Options image_options = {});

  // ---- RaftListener ----
  // Data batch: replays each record at its offset (base_offset + index), decoded once for every
  // node (metadata::replay_records); control batch: nothing to replay. Then the image's provenance becomes
  // (batch end offset, batch epoch). Asserts the batch starts at the image's end offset.
  void handle_commit(const RecordBatch& batch) override;
  // Replaces the image with a fresh one built from the snapshot's records (each an encode_record
  // value), all replayed at the snapshot's last contained offset (id.offset - 1, as Kafka does);
  // provenance = (id.offset, id.epoch).
  void handle_load_snapshot(const Snapshot& snapshot) override;
  // Remembers the leader (Kafka passes it to publishers in the LoaderManifest).
  void handle_leader_change(const LeaderAndEpoch& leader) override;

  // ---- publication ----
  // Publishes the applied image if the catch-up gate is open (see the header comment) and
  // something was applied since the last publication. Returns true if it published.
  bool maybe_publish(std::optional<Offset> high_watermark);
  // True once the first publication happened (the catch-up gate opened).
  [[nodiscard]] bool published() const { return publications_ > 0; }
  // Last contained offset of the last published image (its end offset - 1; -1 for an image
  // holding nothing), or -1 before the first publication. Reported in heartbeats.
  [[nodiscard]] std::int64_t published_offset() const { return published_offset_; }
  // Number of publications so far.
  [[nodiscard]] std::int64_t publications() const { return publications_; }

  // ---- the applied image ----
  // Everything applied so far (may be ahead of the last publication until the gate opens).
  [[nodiscard]] const metadata::MetadataImage& image() const { return image_; }
  // (end offset, epoch) of the last applied batch or snapshot; nullopt before any. This is a
  // valid snapshot id for this node's own snapshot of image() (a committed batch boundary).
  [[nodiscard]] std::optional<OffsetAndEpoch> applied_end() const;
  // Append time of the last applied batch (a loaded snapshot's last contained log time);
  // Instant::zero() before any. The `last_contained_log_time` of a snapshot of image().
  [[nodiscard]] Instant applied_log_time() const { return applied_log_time_; }
  // image().to_records(), each encoded with metadata::encode_record: the records of a snapshot
  // of image() (the snapshot generator passes them to RaftClient::create_snapshot).
  [[nodiscard]] std::vector<std::string> snapshot_records() const;
  // Sum of size_bytes of every batch applied by handle_commit (never reset; the snapshot
  // generator compares it with its value at the last snapshot).
  [[nodiscard]] std::int64_t applied_bytes() const { return applied_bytes_; }
  // Number of batches applied by handle_commit (control batches included).
  [[nodiscard]] std::int64_t batches_applied() const { return batches_applied_; }
  // Number of data records replayed (from batches and from snapshots).
  [[nodiscard]] std::int64_t records_applied() const { return records_applied_; }
  // Number of handle_load_snapshot calls.
  [[nodiscard]] std::int64_t snapshots_loaded() const { return snapshots_loaded_; }
  // Last leader reported by handle_leader_change (no leader, epoch 0 before any).
  [[nodiscard]] const LeaderAndEpoch& leader() const { return leader_; }

 private:
  metadata::MetadataImage::Options image_options_;
  metadata::MetadataImage image_;
  LeaderAndEpoch leader_;
  // Incremented by every applied batch or snapshot; compared with published_generation_.
  std::int64_t applied_generation_ = 0;
  std::int64_t published_generation_ = 0;
  std::int64_t publications_ = 0;
  std::int64_t published_offset_ = -1;
  Instant applied_log_time_ = Instant::zero();
  std::int64_t applied_bytes_ = 0;
  std::int64_t batches_applied_ = 0;
  std::int64_t records_applied_ = 0;
  std::int64_t snapshots_loaded_ = 0;
};

}  // namespace raft::broker
