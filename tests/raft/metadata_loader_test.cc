// Unit tests of raft::broker::MetadataLoader (Kafka's MetadataLoader on a broker): replay of
// committed batches and snapshots, provenance, and the catch-up gate of publication.
#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "raft/broker/metadata_loader.hh"
#include "raft/common/assert.hh"
#include "raft/metadata/image.hh"
#include "raft/metadata/record_codec.hh"
#include "raft/metadata/records.hh"
#include "raft/record_batch.hh"
#include "raft/snapshot.hh"

namespace {

namespace md = raft::metadata;
using raft::Epoch;
using raft::Instant;
using raft::Offset;
using raft::OffsetAndEpoch;
using raft::broker::MetadataLoader;

constexpr md::Uuid kTopicA{0xA, 0x1};
constexpr md::Uuid kTopicB{0xB, 0x2};

Instant ms(std::int64_t v) { return Instant::from_ms(v); }

raft::BatchPtr data_batch(std::int64_t base, std::int32_t epoch, std::int64_t time_ms,
                          const std::vector<md::MetadataRecord>& records) {
  std::vector<std::string> encoded;
  for (const auto& r : records) encoded.push_back(md::encode_record(r));
  return raft::make_data_batch(Offset(base), Epoch(epoch), ms(time_ms), std::move(encoded));
}

raft::BatchPtr leader_change(std::int64_t base, std::int32_t epoch, std::int32_t leader) {
  return raft::make_leader_change_batch(
      Offset(base), Epoch(epoch), ms(base),
      raft::LeaderChangeMessage{raft::NodeId(leader), {raft::NodeId(leader)}, {raft::NodeId(leader)}});
}

md::FeatureLevelRecord metadata_version() { return md::FeatureLevelRecord{"metadata.version", 21}; }

md::RegisterBrokerRecord broker(std::int32_t id, std::int64_t epoch) {
  md::RegisterBrokerRecord r;
  r.broker_id = id;
  r.incarnation_id = md::Uuid{1, static_cast<std::uint64_t>(id)};
  r.broker_epoch = epoch;
  return r;
}

md::PartitionRecord partition(const md::Uuid& topic, std::int32_t id, std::int32_t leader) {
  md::PartitionRecord p;
  p.topic_id = topic;
  p.partition_id = id;
  p.replicas = {1, 2, 3};
  p.isr = {1, 2, 3};
  p.leader = leader;
  return p;
}

// The log used by most tests:
//   0      LeaderChange (epoch 1)                     control
//   1-2    FeatureLevel, RegisterBroker(1, epoch 1)   epoch 1, t=10
//   3-5    Topic a, Partition a-0, Partition a-1      epoch 1, t=20
//   6      LeaderChange (epoch 2)                     control
//   7      RegisterBroker(2, epoch 7)                 epoch 2, t=30
std::vector<raft::BatchPtr> sample_log() {
  return {leader_change(0, 1, 9000),
          data_batch(1, 1, 10, {metadata_version(), broker(1, 1)}),
          data_batch(3, 1, 20,
                     {md::TopicRecord{"a", kTopicA}, partition(kTopicA, 0, 1),
                      partition(kTopicA, 1, 2)}),
          leader_change(6, 2, 9001),
          data_batch(7, 2, 30, {broker(2, 7)})};
}

}  // namespace

TEST_CASE("metadata loader: replays committed batches at their offsets") {
  MetadataLoader loader;
  CHECK_FALSE(loader.applied_end().has_value());
  const auto log = sample_log();
  for (const auto& b : log) loader.handle_commit(*b);

  const md::MetadataImage& image = loader.image();
  CHECK(image.feature_level("metadata.version") == std::optional<std::int16_t>(21));
  REQUIRE(image.broker(1) != nullptr);
  CHECK(image.broker(1)->epoch == 1);
  CHECK(image.broker(1)->register_record_offset == Offset(2));
  REQUIRE(image.broker(2) != nullptr);
  CHECK(image.broker(2)->register_record_offset == Offset(7));
  REQUIRE(image.topic_by_name("a") != nullptr);
  CHECK(image.partition_count() == 2);
  CHECK(image.leader_count(2) == 1);

  // Provenance: end offset and epoch of the last batch.
  CHECK(image.provenance().end_offset == Offset(8));
  CHECK(image.provenance().last_epoch == Epoch(2));
  CHECK(loader.applied_end() == std::optional<OffsetAndEpoch>(OffsetAndEpoch{Offset(8), Epoch(2)}));
  CHECK(loader.applied_log_time() == ms(30));
  CHECK(loader.batches_applied() == 5);
  CHECK(loader.records_applied() == 6);
  std::int64_t bytes = 0;
  for (const auto& b : log) bytes += b->size_bytes;
  CHECK(loader.applied_bytes() == bytes);
  CHECK(loader.snapshots_loaded() == 0);
}

TEST_CASE("metadata loader: a control batch only advances the provenance") {
  MetadataLoader loader;
  loader.handle_commit(*leader_change(0, 3, 1));
  CHECK(loader.image().provenance() == md::Provenance{Offset(1), Epoch(3)});
  CHECK(loader.image().brokers().empty());
  CHECK(loader.records_applied() == 0);
  CHECK(loader.applied_end() == std::optional<OffsetAndEpoch>(OffsetAndEpoch{Offset(1), Epoch(3)}));
}

TEST_CASE("metadata loader: the catch-up gate holds publication until HW - 1 is applied") {
  MetadataLoader loader;
  const auto log = sample_log();
  // Nothing applied: never published, whatever the HW.
  CHECK_FALSE(loader.maybe_publish(Offset(0)));
  CHECK_FALSE(loader.maybe_publish(std::nullopt));

  loader.handle_commit(*log[0]);
  loader.handle_commit(*log[1]);  // image ends at 3
  // HW unknown: hold.
  CHECK_FALSE(loader.maybe_publish(std::nullopt));
  // HW 6: offsets 3-5 are still missing.
  CHECK_FALSE(loader.maybe_publish(Offset(6)));
  CHECK_FALSE(loader.published());
  CHECK(loader.published_offset() == -1);
  CHECK(loader.publications() == 0);

  loader.handle_commit(*log[2]);  // image ends at 6
  // HW 7: offset 6 not read yet.
  CHECK_FALSE(loader.maybe_publish(Offset(7)));
  // HW 6: everything below it applied.
  CHECK(loader.maybe_publish(Offset(6)));
  CHECK(loader.published());
  CHECK(loader.published_offset() == 5);
  CHECK(loader.publications() == 1);

  // Nothing new: no second publication.
  CHECK_FALSE(loader.maybe_publish(Offset(8)));
  CHECK(loader.publications() == 1);

  // After the first publication, whatever is applied is published, HW or not.
  loader.handle_commit(*log[3]);
  CHECK(loader.maybe_publish(std::nullopt));
  CHECK(loader.published_offset() == 6);
  loader.handle_commit(*log[4]);
  CHECK(loader.maybe_publish(Offset(100)));
  CHECK(loader.published_offset() == 7);
  CHECK(loader.publications() == 3);
}

TEST_CASE("metadata loader: snapshots replace the image") {
  MetadataLoader source;
  for (const auto& b : sample_log()) source.handle_commit(*b);
  const OffsetAndEpoch id = *source.applied_end();
  const raft::SnapshotPtr snapshot =
      raft::make_snapshot(id, source.applied_log_time(), source.snapshot_records());
  CHECK(snapshot->records.size() == source.image().to_records().size());

  // A loader with other content (topic b) loads the snapshot: topic b is gone.
  MetadataLoader loader;
  loader.handle_commit(*data_batch(0, 1, 1, {md::TopicRecord{"b", kTopicB}, partition(kTopicB, 0, 3)}));
  REQUIRE(loader.image().topic(kTopicB) != nullptr);
  loader.handle_load_snapshot(*snapshot);

  CHECK(loader.snapshots_loaded() == 1);
  CHECK(loader.image().topic(kTopicB) == nullptr);
  CHECK(loader.image() == source.image());
  CHECK(loader.image().fingerprint() == source.image().fingerprint());
  CHECK(loader.image().provenance() == md::Provenance{Offset(8), Epoch(2)});
  CHECK(loader.applied_end() == std::optional<OffsetAndEpoch>(id));
  CHECK(loader.applied_log_time() == ms(30));
  // Records from a snapshot are replayed at its last contained offset.
  REQUIRE(loader.image().broker(1) != nullptr);
  CHECK(loader.image().broker(1)->register_record_offset == Offset(7));
  CHECK(loader.image().broker(2)->register_record_offset == Offset(7));

  // The log continues at the snapshot's end offset.
  loader.handle_commit(*data_batch(8, 2, 40, {broker(3, 8)}));
  CHECK(loader.image().broker(3) != nullptr);
  CHECK(loader.image().broker(3)->register_record_offset == Offset(8));
  CHECK(loader.applied_end() == std::optional<OffsetAndEpoch>(OffsetAndEpoch{Offset(9), Epoch(2)}));
}

TEST_CASE("metadata loader: a snapshot alone opens the gate") {
  MetadataLoader source;
  for (const auto& b : sample_log()) source.handle_commit(*b);
  const raft::SnapshotPtr snapshot = raft::make_snapshot(
      OffsetAndEpoch{Offset(8), Epoch(2)}, ms(30), source.snapshot_records());
  MetadataLoader loader;
  loader.handle_load_snapshot(*snapshot);
  CHECK_FALSE(loader.maybe_publish(Offset(9)));
  CHECK(loader.maybe_publish(Offset(8)));
  CHECK(loader.published_offset() == 7);

  SUBCASE("a later snapshot is published as it loads") {
    loader.handle_commit(*data_batch(8, 2, 40, {broker(3, 8)}));
    MetadataLoader other;
    other.handle_load_snapshot(*snapshot);
    other.handle_commit(*data_batch(8, 2, 40, {broker(3, 8)}));
    other.handle_commit(*data_batch(9, 2, 41, {md::NoOpRecord{}}));
    loader.handle_load_snapshot(*raft::make_snapshot(OffsetAndEpoch{Offset(10), Epoch(2)}, ms(41),
                                                     other.snapshot_records()));
    CHECK(loader.maybe_publish(std::nullopt));
    CHECK(loader.published_offset() == 9);
    CHECK(loader.publications() == 2);
    CHECK(loader.snapshots_loaded() == 2);
  }
}

TEST_CASE("metadata loader: leader changes are remembered") {
  MetadataLoader loader;
  loader.handle_leader_change(raft::LeaderAndEpoch{raft::NodeId(3), Epoch(5)});
  CHECK(loader.leader() == raft::LeaderAndEpoch{raft::NodeId(3), Epoch(5)});
}

TEST_CASE("metadata loader: undecodable or unreplayable records are protocol violations") {
  MetadataLoader loader;
  SUBCASE("garbage bytes") {
    auto batch = raft::make_data_batch(Offset(0), Epoch(1), ms(0), {std::string("\xff\xff\xff", 3)});
    CHECK_THROWS_AS(loader.handle_commit(*batch), raft::AssertionFailure);
  }
  SUBCASE("a partition of an unknown topic") {
    CHECK_THROWS_AS(loader.handle_commit(*data_batch(0, 1, 0, {partition(kTopicA, 0, 1)})),
                    raft::AssertionFailure);
  }
  SUBCASE("a gap in the committed offsets") {
    loader.handle_commit(*leader_change(0, 1, 1));
    CHECK_THROWS_AS(loader.handle_commit(*data_batch(2, 1, 0, {broker(1, 2)})),
                    raft::AssertionFailure);
  }
}
