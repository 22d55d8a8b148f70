// Unit tests of raft::metadata::ReplayRecord (replay_record.hh): records of a batch or snapshot
// decoded once and cached in its DecodedMemo, BatchDecodeError, partition entries shared between
// the images that replay the same decoded records (and the PartitionChangeRecord memo, hit and
// miss), agreement of images built from ReplayRecords and from MetadataRecords (counters, ISR
// index, fingerprint), and encode_snapshot_records (snapshot_records.hh).
#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "raft/metadata/image.hh"
#include "raft/metadata/record_codec.hh"
#include "raft/metadata/records.hh"
#include "raft/metadata/replay_record.hh"
#include "raft/metadata/snapshot_records.hh"
#include "raft/record_batch.hh"
#include "raft/snapshot.hh"

namespace {

using namespace raft::metadata;
using raft::BatchPtr;
using raft::Epoch;
using raft::Instant;
using raft::Offset;
using raft::OffsetAndEpoch;

constexpr Uuid kTopicT{0x7001, 0x7002};
constexpr Uuid kTopicU{0x7501, 0x7502};
constexpr std::int8_t kTopicResource = 2;

MetadataImage::Options indexed() { return MetadataImage::Options{true}; }

RegisterBrokerRecord register_broker(std::int32_t id, std::int64_t epoch) {
  RegisterBrokerRecord r;
  r.broker_id = id;
  r.incarnation_id = Uuid{0x100, static_cast<std::uint64_t>(id)};
  r.broker_epoch = epoch;
  r.endpoints = {BrokerEndpoint{"PLAINTEXT", "broker-" + std::to_string(id), 9092}};
  return r;
}

PartitionRecord partition_record(Uuid topic, std::int32_t id, std::vector<std::int32_t> replicas,
                                 std::vector<std::int32_t> isr, std::int32_t leader) {
  PartitionRecord p;
  p.topic_id = topic;
  p.partition_id = id;
  p.replicas = std::move(replicas);
  p.isr = std::move(isr);
  p.leader = leader;
  return p;
}

PartitionChangeRecord change(Uuid topic, std::int32_t id, std::optional<std::vector<std::int32_t>> isr,
                             std::int32_t leader = kNoLeaderChange) {
  PartitionChangeRecord c;
  c.topic_id = topic;
  c.partition_id = id;
  c.isr = std::move(isr);
  c.leader = leader;
  return c;
}

std::vector<std::string> encode_all(const std::vector<MetadataRecord>& records) {
  std::vector<std::string> out;
  for (const MetadataRecord& r : records) out.push_back(encode_record(r));
  return out;
}

BatchPtr data_batch(std::int64_t base, const std::vector<MetadataRecord>& records) {
  return raft::make_data_batch(Offset(base), Epoch(1), Instant::from_ms(base),
                               encode_all(records));
}

// Replays a batch the way the loader and the controller do: its shared decoded records.
void replay_shared(MetadataImage& image, const raft::RecordBatch& batch) {
  Offset offset = batch.base_offset;
  for (const ReplayRecord& r : replay_records(batch)) {
    image.replay(r, offset);
    offset = offset + 1;
  }
  image.set_provenance(Provenance{batch.end_offset(), batch.epoch});
}

// Replays the same batch record by record, each decoded on its own (no shared entries).
void replay_plain(MetadataImage& image, const raft::RecordBatch& batch) {
  Offset offset = batch.base_offset;
  for (const std::string& bytes : batch.records) {
    image.replay(decode_record(bytes), offset);
    offset = offset + 1;
  }
  image.set_provenance(Provenance{batch.end_offset(), batch.epoch});
}

// Four brokers, topic "t" with three partitions.
std::vector<MetadataRecord> setup_records() {
  return {
      FeatureLevelRecord{"metadata.version", 21},
      register_broker(1, 10),
      register_broker(2, 11),
      register_broker(3, 12),
      register_broker(4, 13),
      TopicRecord{"t", kTopicT},
      partition_record(kTopicT, 0, {1, 2, 3}, {1, 2, 3}, 1),
      partition_record(kTopicT, 1, {2, 3, 4}, {2, 3, 4}, 2),
      partition_record(kTopicT, 2, {3, 4, 1}, {3, 4}, kNoLeader),
  };
}

// Index in setup_records() of PartitionRecord t-i.
std::size_t setup_partition_index(std::size_t i) { return 6 + i; }

// ISR shrink of t-0, leader change of t-1, ISR and leader change of t-2.
std::vector<MetadataRecord> change_records() {
  return {
      change(kTopicT, 0, std::vector<std::int32_t>{1, 3}),
      change(kTopicT, 1, std::nullopt, 3),
      change(kTopicT, 2, std::vector<std::int32_t>{3, 4, 1}, 4),
  };
}

const PartitionEntry* entry_of(const MetadataImage& image, const Uuid& topic, std::size_t i) {
  const TopicImage* t = image.topic(topic);
  REQUIRE(t != nullptr);
  REQUIRE(i < t->partitions.size());
  return t->partitions[i].get();
}

const PartitionRecord& as_record(const MetadataRecord& r) { return std::get<PartitionRecord>(r); }

// isr_partitions_of computed the slow way: every partition of the image whose ISR lists
// `broker`, in (topic id, partition id) order, each once.
std::vector<TopicIdPartition> scanned_isr_partitions(const MetadataImage& image,
                                                     std::int32_t broker) {
  std::set<TopicIdPartition> found;
  for (const auto& [id, topic] : image.topics()) {
    for (const PartitionPtr& p : topic->partitions) {
      for (std::int32_t member : p->isr) {
        if (member == broker) found.insert(TopicIdPartition{id, p->partition_id});
      }
    }
  }
  return {found.begin(), found.end()};
}

// Every derived query of `shared` equals that of `plain` (both indexed), and the ISR index equals
// a scan of the partitions.
void check_images_agree(const MetadataImage& shared, const MetadataImage& plain) {
  CHECK(shared == plain);
  CHECK(shared.fingerprint() == plain.fingerprint());
  CHECK(shared.partition_count() == plain.partition_count());
  CHECK(shared.leaderless_partition_count() == plain.leaderless_partition_count());
  for (std::int32_t broker = 0; broker <= 5; ++broker) {
    CAPTURE(broker);
    CHECK(shared.leader_count(broker) == plain.leader_count(broker));
    CHECK(shared.replica_count(broker) == plain.replica_count(broker));
    CHECK(shared.isr_partitions_of(broker) == plain.isr_partitions_of(broker));
    CHECK(shared.isr_partitions_of(broker) == scanned_isr_partitions(shared, broker));
  }
}

}  // namespace

TEST_CASE("replay record: a batch is decoded once and a copy starts with an empty memo") {
  const BatchPtr batch = data_batch(5, setup_records());
  REQUIRE(batch->decoded.get<ReplayRecords>() == nullptr);

  const ReplayRecords& first = replay_records(*batch);
  const ReplayRecords& second = replay_records(*batch);
  CHECK(&first == &second);
  CHECK(batch->decoded.get<ReplayRecords>() == &first);
  REQUIRE(first.size() == 9);
  // A PartitionRecord becomes a shared entry; every other record is kept as is.
  CHECK(first[0].partition == nullptr);
  CHECK(first[0].api_key() == FeatureLevelRecord::kApiKey);
  CHECK(first[0].record() == MetadataRecord(FeatureLevelRecord{"metadata.version", 21}));
  CHECK(first[5].api_key() == TopicRecord::kApiKey);
  REQUIRE(first[6].partition != nullptr);
  CHECK(first[6].other == nullptr);
  CHECK(first[6].api_key() == PartitionRecord::kApiKey);
  CHECK(static_cast<const PartitionRecord&>(*first[6].partition) ==
        as_record(setup_records()[setup_partition_index(0)]));
  CHECK(first[6].record() == setup_records()[6]);

  // A copy does not carry the memo: it decodes its own records.
  raft::RecordBatch copy = *batch;
  CHECK(copy.decoded.get<ReplayRecords>() == nullptr);
  const ReplayRecords& of_copy = replay_records(copy);
  CHECK(&of_copy != &first);
  REQUIRE(of_copy.size() == first.size());
  CHECK(of_copy[6].partition.get() != first[6].partition.get());
  for (std::size_t i = 0; i < first.size(); ++i) CHECK(of_copy[i].record() == first[i].record());
  CHECK(&replay_records(*batch) == &first);  // the original keeps its own

  // A copy whose bytes were changed (as disk corruption would) decodes the changed bytes.
  raft::RecordBatch edited = *batch;
  const PartitionRecord replacement = partition_record(kTopicT, 0, {4, 3, 2}, {4}, 4);
  edited.records[6] = encode_record(MetadataRecord(replacement));
  const ReplayRecords& of_edited = replay_records(edited);
  REQUIRE(of_edited[6].partition != nullptr);
  CHECK(static_cast<const PartitionRecord&>(*of_edited[6].partition) == replacement);
  CHECK(static_cast<const PartitionRecord&>(*first[6].partition) ==
        as_record(setup_records()[6]));

  // Assigning over a batch that already decoded drops its memo.
  raft::RecordBatch assigned = edited;
  (void)replay_records(assigned);
  REQUIRE(assigned.decoded.get<ReplayRecords>() != nullptr);
  assigned = *batch;
  CHECK(assigned.decoded.get<ReplayRecords>() == nullptr);
  CHECK(replay_records(assigned)[6].record() == setup_records()[6]);

  // A control batch has no records to decode.
  const BatchPtr control = raft::make_leader_change_batch(
      Offset(0), Epoch(1), Instant::zero(),
      raft::LeaderChangeMessage{raft::NodeId(0), {raft::NodeId(0)}, {raft::NodeId(0)}});
  CHECK(replay_records(*control).empty());

  // A snapshot is decoded once the same way.
  const raft::SnapshotPtr snapshot = raft::make_snapshot(
      OffsetAndEpoch{Offset(14), Epoch(1)}, Instant::from_ms(7), encode_all(setup_records()));
  const ReplayRecords& of_snapshot = replay_records(*snapshot);
  CHECK(&replay_records(*snapshot) == &of_snapshot);
  CHECK(of_snapshot.size() == 9);
  raft::Snapshot snapshot_copy = *snapshot;
  CHECK(snapshot_copy.decoded.get<ReplayRecords>() == nullptr);
  CHECK(&replay_records(snapshot_copy) != &of_snapshot);
}

TEST_CASE("replay record: an undecodable record throws BatchDecodeError with its offset") {
  std::vector<std::string> records = encode_all(setup_records());
  // Record 3 (offset 40 + 3) loses its last byte: a truncated record.
  records[3].pop_back();
  const BatchPtr batch =
      raft::make_data_batch(Offset(40), Epoch(2), Instant::from_ms(1), std::move(records));

  for (int attempt = 0; attempt < 2; ++attempt) {
    CAPTURE(attempt);
    bool thrown = false;
    try {
      (void)replay_records(*batch);
    } catch (const BatchDecodeError& e) {
      thrown = true;
      CHECK(e.offset() == Offset(43));
      const std::string what = e.what();
      CHECK(what.find("record at offset 43: ") == 0);
      CHECK(what.size() > std::string("record at offset 43: ").size());  // the DecodeError
    }
    CHECK(thrown);
    // Nothing was cached: the next call decodes (and fails) again.
    CHECK(batch->decoded.get<ReplayRecords>() == nullptr);
  }

  // The first bad record is reported even when a later one is bad too.
  std::vector<std::string> two_bad = encode_all(setup_records());
  two_bad[1] = std::string("\x7f\x00", 2);  // unknown apiKey 127
  two_bad[7] += '\x00';                     // trailing byte
  const BatchPtr batch2 =
      raft::make_data_batch(Offset(100), Epoch(2), Instant::from_ms(1), std::move(two_bad));
  CHECK_THROWS_AS((void)replay_records(*batch2), BatchDecodeError);
  try {
    (void)replay_records(*batch2);
  } catch (const BatchDecodeError& e) {
    CHECK(e.offset() == Offset(101));
  }

  // A snapshot's bad record is reported at the snapshot's last contained offset.
  std::vector<std::string> snapshot_records = encode_all(setup_records());
  snapshot_records[8].pop_back();
  const raft::SnapshotPtr snapshot = raft::make_snapshot(
      OffsetAndEpoch{Offset(250), Epoch(3)}, Instant::from_ms(1), std::move(snapshot_records));
  bool snapshot_thrown = false;
  try {
    (void)replay_records(*snapshot);
  } catch (const BatchDecodeError& e) {
    snapshot_thrown = true;
    CHECK(e.offset() == Offset(249));
    CHECK(std::string(e.what()).find("record at offset 249: ") == 0);
  }
  CHECK(snapshot_thrown);
  CHECK(snapshot->decoded.get<ReplayRecords>() == nullptr);
}

TEST_CASE("replay record: images that replay the same batches share partition entries") {
  const BatchPtr setup = data_batch(0, setup_records());
  const BatchPtr changes = data_batch(9, change_records());
  MetadataImage a(indexed());
  MetadataImage b;
  replay_shared(a, *setup);
  replay_shared(b, *setup);

  const ReplayRecords& setup_decoded = replay_records(*setup);
  for (std::size_t i = 0; i < 3; ++i) {
    CAPTURE(i);
    const PartitionEntry* in_a = entry_of(a, kTopicT, i);
    CHECK(in_a == entry_of(b, kTopicT, i));
    CHECK(in_a == setup_decoded[setup_partition_index(i)].partition.get());
    CHECK(static_cast<const PartitionRecord&>(*in_a) ==
          as_record(setup_records()[setup_partition_index(i)]));
  }
  // The entries are shared, the topics are not (each image has its own TopicImage).
  CHECK(a.topic(kTopicT) != b.topic(kTopicT));

  const PartitionEntry* before_a0 = entry_of(a, kTopicT, 0);
  replay_shared(a, *changes);
  replay_shared(b, *changes);
  const ReplayRecords& change_decoded = replay_records(*changes);
  const std::vector<MetadataRecord> change_list = change_records();
  for (std::size_t i = 0; i < 3; ++i) {
    CAPTURE(i);
    const PartitionEntry* in_a = entry_of(a, kTopicT, i);
    CHECK(in_a == entry_of(b, kTopicT, i));  // b hit the memo a left
    const PartitionRecord expected =
        apply_partition_change(as_record(setup_records()[setup_partition_index(i)]),
                               std::get<PartitionChangeRecord>(change_list[i]));
    CHECK(static_cast<const PartitionRecord&>(*in_a) == expected);
    // The memo holds the input both images had and the output both now hold.
    REQUIRE(change_decoded[i].other != nullptr);
    CHECK(change_decoded[i].other->change_input.get() ==
          setup_decoded[setup_partition_index(i)].partition.get());
    CHECK(change_decoded[i].other->change_output.get() == in_a);
  }
  CHECK(entry_of(a, kTopicT, 0) != before_a0);
  // Concrete results of the changes.
  CHECK(entry_of(a, kTopicT, 0)->isr == std::vector<std::int32_t>{1, 3});
  CHECK(entry_of(a, kTopicT, 0)->partition_epoch == 1);
  CHECK(entry_of(a, kTopicT, 1)->leader == 3);
  CHECK(entry_of(a, kTopicT, 1)->leader_epoch == 1);
  CHECK(entry_of(a, kTopicT, 2)->leader == 4);
  CHECK(a == b);
  CHECK(a.fingerprint() == b.fingerprint());
  CHECK(a.leaderless_partition_count() == 0);
  CHECK(b.leaderless_partition_count() == 0);
  CHECK(a.leader_count(3) == 1);
  CHECK(b.leader_count(4) == 1);
  CHECK(a.isr_partitions_of(2) == std::vector<TopicIdPartition>{{kTopicT, 1}});
}

TEST_CASE("replay record: a memo miss computes its own result and the memo follows it") {
  const BatchPtr setup = data_batch(0, setup_records());
  const BatchPtr changes = data_batch(9, change_records());
  const std::vector<MetadataRecord> change_list = change_records();

  MetadataImage shared(indexed());
  replay_shared(shared, *setup);
  MetadataImage other_entries(indexed());
  replay_plain(other_entries, *setup);  // same content, entries of its own
  REQUIRE(other_entries == shared);
  REQUIRE(entry_of(other_entries, kTopicT, 0) != entry_of(shared, kTopicT, 0));
  MetadataImage copy_of_other = other_entries;  // shares other_entries' entries
  REQUIRE(entry_of(copy_of_other, kTopicT, 0) == entry_of(other_entries, kTopicT, 0));
  MetadataImage also_shared;  // shares `shared`'s entries (from the decoded setup batch)
  replay_shared(also_shared, *setup);

  // An image whose partition t-0 has a different content: the memo must not apply.
  MetadataImage diverged(indexed());
  replay_shared(diverged, *setup);
  const BatchPtr extra = data_batch(9, {change(kTopicT, 0, std::nullopt, 2)});
  replay_shared(diverged, *extra);

  replay_shared(shared, *changes);  // fills the memo: input = shared's entries
  const ReplayRecords& decoded = replay_records(*changes);
  const PartitionEntry* memo_output_0 = decoded[0].other->change_output.get();
  REQUIRE(memo_output_0 == entry_of(shared, kTopicT, 0));

  // A miss: other_entries holds other objects; the result is equal but its own.
  replay_shared(other_entries, *changes);
  CHECK(other_entries == shared);
  CHECK(other_entries.fingerprint() == shared.fingerprint());
  CHECK(entry_of(other_entries, kTopicT, 0) != memo_output_0);
  CHECK(static_cast<const PartitionRecord&>(*entry_of(other_entries, kTopicT, 0)) ==
        static_cast<const PartitionRecord&>(*memo_output_0));
  for (std::size_t i = 0; i < 3; ++i) {
    CAPTURE(i);
    CHECK(entry_of(other_entries, kTopicT, i) != entry_of(shared, kTopicT, i));
    // The memo now remembers the miss.
    CHECK(decoded[i].other->change_output.get() == entry_of(other_entries, kTopicT, i));
  }
  check_images_agree(other_entries, shared);

  // An image holding the memo's new input gets the memo's (shared) result.
  replay_shared(copy_of_other, *changes);
  for (std::size_t i = 0; i < 3; ++i) {
    CAPTURE(i);
    CHECK(entry_of(copy_of_other, kTopicT, i) == entry_of(other_entries, kTopicT, i));
  }
  CHECK(copy_of_other == shared);
  CHECK(copy_of_other.fingerprint() == shared.fingerprint());
  check_images_agree(copy_of_other, shared);

  // An image holding the memo's old input misses now, and still gets the right content.
  replay_shared(also_shared, *changes);
  CHECK(also_shared == shared);
  CHECK(also_shared.fingerprint() == shared.fingerprint());
  CHECK(entry_of(also_shared, kTopicT, 0) != entry_of(other_entries, kTopicT, 0));
  CHECK(entry_of(also_shared, kTopicT, 0) != memo_output_0);
  CHECK(decoded[0].other->change_output.get() == entry_of(also_shared, kTopicT, 0));

  // A different input content: the result is that of its own partition, not the memo's.
  replay_shared(diverged, *changes);
  const PartitionRecord led_by_2 = apply_partition_change(
      as_record(setup_records()[setup_partition_index(0)]), change(kTopicT, 0, std::nullopt, 2));
  const PartitionRecord expected_0 =
      apply_partition_change(led_by_2, std::get<PartitionChangeRecord>(change_list[0]));
  CHECK(static_cast<const PartitionRecord&>(*entry_of(diverged, kTopicT, 0)) == expected_0);
  CHECK(entry_of(diverged, kTopicT, 0)->leader == 2);
  CHECK(entry_of(diverged, kTopicT, 0)->isr == std::vector<std::int32_t>{1, 3});
  CHECK(entry_of(diverged, kTopicT, 0)->partition_epoch == 2);
  CHECK_FALSE(diverged == shared);
  CHECK(diverged.fingerprint() != shared.fingerprint());
  CHECK(diverged.leader_count(2) == 1);  // t-0 only (t-1 moved to 3)
  CHECK(diverged.leader_count(1) == 0);
  // t-1 and t-2 of `diverged` are the setup batch's entries, the memo's input since
  // also_shared missed: they hit and share also_shared's results.
  for (std::size_t i = 1; i < 3; ++i) {
    CAPTURE(i);
    CHECK(entry_of(diverged, kTopicT, i) == entry_of(also_shared, kTopicT, i));
    CHECK(static_cast<const PartitionRecord&>(*entry_of(diverged, kTopicT, i)) ==
          static_cast<const PartitionRecord&>(*entry_of(shared, kTopicT, i)));
  }
}

TEST_CASE("replay record: images built from replay records and metadata records agree") {
  // Batches that exercise the ISR index: a broker leaves and rejoins an ISR, a PartitionRecord
  // overwrites a partition whose ISR keeps the same broker, a second topic, a removed topic,
  // broker and config changes.
  const std::vector<std::vector<MetadataRecord>> batches = {
      setup_records(),
      {TopicRecord{"u", kTopicU}, partition_record(kTopicU, 0, {2, 4}, {2, 4}, 2),
       partition_record(kTopicU, 1, {4, 2}, {4}, 4)},
      {change(kTopicT, 0, std::vector<std::int32_t>{1, 3}),  // 2 leaves t-0's ISR
       change(kTopicU, 0, std::vector<std::int32_t>{4}, 4)},   // 2 leaves u-0's ISR and leadership
      {change(kTopicT, 0, std::vector<std::int32_t>{1, 3, 2}),  // 2 rejoins t-0's ISR
       BrokerRegistrationChangeRecord{2, 11, kChangeClear, kChangeNone}},
      // t-1 overwritten: 2 stays in the ISR (now last), leader changes.
      {partition_record(kTopicT, 1, {2, 3, 4}, {3, 4, 2}, 3),
       ConfigRecord{kTopicResource, "t", "retention.ms", "60000"}},
      // u-1's ISR gains 2 then loses 4 (same batch), t-2 loses its leader.
      {change(kTopicU, 1, std::vector<std::int32_t>{4, 2}),
       change(kTopicU, 1, std::vector<std::int32_t>{2}, 2),
       change(kTopicT, 2, std::vector<std::int32_t>{}, kNoLeader)},
      {RemoveTopicRecord{kTopicU}, ProducerIdsRecord{1, 10, 1000}},
  };

  MetadataImage shared_indexed(indexed());
  MetadataImage shared_plain;
  MetadataImage decoded_indexed(indexed());
  MetadataImage decoded_plain;
  std::int64_t base = 0;
  for (std::size_t n = 0; n < batches.size(); ++n) {
    CAPTURE(n);
    const BatchPtr batch = data_batch(base, batches[n]);
    base += batch->record_count();
    replay_shared(shared_indexed, *batch);
    replay_shared(shared_plain, *batch);
    for (std::size_t i = 0; i < batches[n].size(); ++i) {
      decoded_indexed.replay(batches[n][i], batch->base_offset + static_cast<std::int64_t>(i));
      decoded_plain.replay(batches[n][i], batch->base_offset + static_cast<std::int64_t>(i));
    }
    check_images_agree(shared_indexed, decoded_indexed);
    CHECK(shared_plain == decoded_plain);
    CHECK(shared_plain.fingerprint() == decoded_indexed.fingerprint());
    CHECK(shared_plain.partition_count() == decoded_plain.partition_count());
    CHECK(shared_plain.leaderless_partition_count() == decoded_plain.leaderless_partition_count());
    for (std::int32_t broker = 1; broker <= 4; ++broker) {
      CAPTURE(broker);
      CHECK(shared_plain.leader_count(broker) == decoded_plain.leader_count(broker));
      CHECK(shared_plain.replica_count(broker) == decoded_plain.replica_count(broker));
    }

    // Concrete ISR-index states along the way.
    const std::vector<TopicIdPartition> of_2 = shared_indexed.isr_partitions_of(2);
    switch (n) {
      case 0:
        CHECK(of_2 == std::vector<TopicIdPartition>{{kTopicT, 0}, {kTopicT, 1}});
        CHECK(shared_indexed.leaderless_partition_count() == 1);
        break;
      case 1:
        CHECK(of_2 == std::vector<TopicIdPartition>{{kTopicT, 0}, {kTopicT, 1}, {kTopicU, 0}});
        CHECK(shared_indexed.partition_count() == 5);
        break;
      case 2:
        CHECK(of_2 == std::vector<TopicIdPartition>{{kTopicT, 1}});
        CHECK(shared_indexed.leader_count(2) == 1);
        CHECK(shared_indexed.leader_count(4) == 2);
        break;
      case 3:
        CHECK(of_2 == std::vector<TopicIdPartition>{{kTopicT, 0}, {kTopicT, 1}});
        break;
      case 4:
        // The overwrite removed t-1's old ISR bits and set the new ones: 2 is still listed.
        CHECK(of_2 == std::vector<TopicIdPartition>{{kTopicT, 0}, {kTopicT, 1}});
        CHECK(shared_indexed.isr_partitions_of(3) ==
              std::vector<TopicIdPartition>{{kTopicT, 0}, {kTopicT, 1}, {kTopicT, 2}});
        CHECK(shared_indexed.leader_count(3) == 1);
        CHECK(shared_indexed.leader_count(2) == 0);  // u-0 moved to 4; t-1 now led by 3
        break;
      case 5:
        CHECK(of_2 == std::vector<TopicIdPartition>{{kTopicT, 0}, {kTopicT, 1}, {kTopicU, 1}});
        CHECK(shared_indexed.isr_partitions_of(4) ==
              std::vector<TopicIdPartition>{{kTopicT, 1}, {kTopicU, 0}});
        CHECK(shared_indexed.leaderless_partition_count() == 1);
        break;
      case 6:
        CHECK(of_2 == std::vector<TopicIdPartition>{{kTopicT, 0}, {kTopicT, 1}});
        CHECK(shared_indexed.isr_partitions_of(4) ==
              std::vector<TopicIdPartition>{{kTopicT, 1}});
        CHECK(shared_indexed.partition_count() == 3);
        CHECK(shared_indexed.replica_count(4) == 2);
        break;
      default:
        FAIL("unexpected batch");
    }
  }
}

TEST_CASE("replay record: snapshot records are the image's records encoded in order") {
  MetadataImage empty;
  CHECK(encode_snapshot_records(empty).empty());

  MetadataImage image(indexed());
  replay_shared(image, *data_batch(0, setup_records()));
  replay_shared(image, *data_batch(9, change_records()));
  replay_shared(image, *data_batch(12, {ConfigRecord{kTopicResource, "t", "cleanup.policy", "compact"},
                                        BrokerRegistrationChangeRecord{3, 12, kChangeClear, kChangeNone},
                                        ProducerIdsRecord{3, 12, 2000}}));

  const std::vector<MetadataRecord> records = image.to_records();
  const std::vector<std::string> encoded = encode_snapshot_records(image);
  // 1 feature, 4 brokers, 1 topic, 3 partitions, 1 config, 1 producer ids record.
  CHECK(records.size() == 11);
  REQUIRE(encoded.size() == records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    CAPTURE(i);
    CHECK(encoded[i] == encode_record(records[i]));
  }

  const raft::SnapshotPtr snapshot = raft::make_snapshot(
      OffsetAndEpoch{Offset(15), Epoch(1)}, Instant::from_ms(15), encoded);
  MetadataImage loaded(indexed());
  for (const ReplayRecord& r : replay_records(*snapshot)) loaded.replay(r, Offset(14));
  CHECK(loaded == image);
  CHECK(loaded.fingerprint() == image.fingerprint());
  CHECK(loaded.partition_count() == 3);
  check_images_agree(loaded, image);
  // Encoding the loaded image again gives the same bytes.
  CHECK(encode_snapshot_records(loaded) == encoded);
}
