// Unit tests of raft::metadata::MetadataImage (Kafka's MetadataImage / MetadataDelta replay):
// replay of every record type, derived counters and ISR index, fingerprint, snapshot records,
// copy-on-write sharing and strict replay.
#include <doctest/doctest.h>

#include <algorithm>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "raft/common/assert.hh"
#include "raft/metadata/image.hh"
#include "raft/metadata/records.hh"

namespace {

using namespace raft::metadata;
using raft::Offset;

constexpr Uuid kTopicA{0xA1, 0xA2};
constexpr Uuid kTopicB{0xB1, 0xB2};
constexpr Uuid kTopicC{0xC1, 0xC2};
constexpr Uuid kIncarnation1{0x11, 1};
constexpr Uuid kIncarnation2{0x22, 2};
constexpr Uuid kIncarnation3{0x33, 3};
constexpr std::int8_t kTopicResource = 2;
constexpr std::int8_t kBrokerResource = 4;

MetadataImage::Options indexed() { return MetadataImage::Options{true}; }

RegisterBrokerRecord register_broker(std::int32_t id, Uuid incarnation, std::int64_t epoch,
                                     std::optional<std::string> rack = std::nullopt) {
  RegisterBrokerRecord r;
  r.broker_id = id;
  r.incarnation_id = incarnation;
  r.broker_epoch = epoch;
  r.endpoints = {BrokerEndpoint{"PLAINTEXT", "broker-" + std::to_string(id), 9092}};
  r.features = {BrokerFeature{"metadata.version", 1, 20}};
  r.rack = std::move(rack);
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

PartitionChangeRecord change_leader(Uuid topic, std::int32_t id, std::int32_t leader) {
  PartitionChangeRecord c;
  c.topic_id = topic;
  c.partition_id = id;
  c.leader = leader;
  return c;
}

PartitionChangeRecord change_isr(Uuid topic, std::int32_t id, std::vector<std::int32_t> isr) {
  PartitionChangeRecord c;
  c.topic_id = topic;
  c.partition_id = id;
  c.isr = std::move(isr);
  return c;
}

// Replays records at consecutive offsets starting at `first`.
void replay_all(MetadataImage& image, const std::vector<MetadataRecord>& records,
                std::int64_t first = 0) {
  for (const MetadataRecord& r : records) image.replay(r, Offset(first++));
}

// Three brokers, topic "a" (2 partitions) and "b" (1 partition).
std::vector<MetadataRecord> base_records() {
  return {
      FeatureLevelRecord{"metadata.version", 20},
      register_broker(1, kIncarnation1, 10, "r1"),
      register_broker(2, kIncarnation2, 11),
      register_broker(3, kIncarnation3, 12, "r3"),
      TopicRecord{"a", kTopicA},
      partition_record(kTopicA, 0, {1, 2, 3}, {1, 2, 3}, 1),
      partition_record(kTopicA, 1, {2, 3, 1}, {2, 3}, 2),
      TopicRecord{"b", kTopicB},
      partition_record(kTopicB, 0, {3, 1}, {3}, kNoLeader),
  };
}

// The partitions of `list` in (topic id, partition id) order, as isr_partitions_of returns them.
std::vector<TopicIdPartition> tps(std::initializer_list<TopicIdPartition> list) {
  std::vector<TopicIdPartition> out(list);
  std::sort(out.begin(), out.end());
  return out;
}

// A fuller image: base records plus broker state changes, configs, producer ids and changes.
std::vector<MetadataRecord> rich_records() {
  std::vector<MetadataRecord> records = base_records();
  records.emplace_back(FeatureLevelRecord{"kraft.version", 1});
  records.emplace_back(BrokerRegistrationChangeRecord{1, 10, kChangeClear, kChangeNone});
  records.emplace_back(BrokerRegistrationChangeRecord{2, 11, kChangeClear, kChangeNone});
  records.emplace_back(BrokerRegistrationChangeRecord{2, 11, kChangeNone, kChangeSet});
  records.emplace_back(change_leader(kTopicA, 1, 3));
  records.emplace_back(change_isr(kTopicB, 0, {3, 1}));
  records.emplace_back(ConfigRecord{kTopicResource, "a", "retention.ms", "1000"});
  records.emplace_back(ConfigRecord{kTopicResource, "a", "cleanup.policy", "compact"});
  records.emplace_back(ConfigRecord{kBrokerResource, "1", "log.retention.ms", "5"});
  records.emplace_back(ConfigRecord{kBrokerResource, "", "num.partitions", "3"});
  records.emplace_back(ProducerIdsRecord{1, 10, 1000});
  records.emplace_back(ProducerIdsRecord{2, 11, 2000});
  records.emplace_back(NoOpRecord{});
  return records;
}

// Partition a-0 of base_records() with only its leader epoch changed.
PartitionRecord leader_epoch_bumped() {
  PartitionRecord p = partition_record(kTopicA, 0, {1, 2, 3}, {1, 2, 3}, 1);
  p.leader_epoch = 5;
  return p;
}

// Partition a-0 of base_records() with only its leader recovery state changed.
PartitionRecord recovering() {
  PartitionRecord p = partition_record(kTopicA, 0, {1, 2, 3}, {1, 2, 3}, 1);
  p.leader_recovery_state = kRecovering;
  return p;
}

}  // namespace

TEST_CASE("metadata image: broker registration records") {
  MetadataImage image;
  image.replay(register_broker(1, kIncarnation1, 10, "rack-1"), Offset(10));
  const BrokerRegistration* b = image.broker(1);
  REQUIRE(b != nullptr);
  CHECK(b->id == 1);
  CHECK(b->incarnation_id == kIncarnation1);
  CHECK(b->epoch == 10);
  CHECK(b->rack == std::optional<std::string>("rack-1"));
  CHECK(b->fenced);
  CHECK_FALSE(b->in_controlled_shutdown);
  CHECK(b->register_record_offset == Offset(10));
  CHECK(image.broker(2) == nullptr);

  SUBCASE("unfence, controlled shutdown, fence") {
    image.replay(BrokerRegistrationChangeRecord{1, 10, kChangeClear, kChangeNone}, Offset(11));
    CHECK_FALSE(image.broker(1)->fenced);
    image.replay(BrokerRegistrationChangeRecord{1, 10, kChangeNone, kChangeSet}, Offset(12));
    CHECK_FALSE(image.broker(1)->fenced);
    CHECK(image.broker(1)->in_controlled_shutdown);
    image.replay(BrokerRegistrationChangeRecord{1, 10, kChangeSet, kChangeNone}, Offset(13));
    CHECK(image.broker(1)->fenced);
    CHECK(image.broker(1)->in_controlled_shutdown);
    // Unfencing clears the controlled shutdown.
    image.replay(BrokerRegistrationChangeRecord{1, 10, kChangeClear, kChangeNone}, Offset(14));
    CHECK_FALSE(image.broker(1)->fenced);
    CHECK_FALSE(image.broker(1)->in_controlled_shutdown);
    CHECK(image.broker(1)->register_record_offset == Offset(10));
  }
  SUBCASE("a new registration replaces the old one") {
    image.replay(BrokerRegistrationChangeRecord{1, 10, kChangeClear, kChangeSet}, Offset(11));
    RegisterBrokerRecord again = register_broker(1, kIncarnation2, 20);
    image.replay(again, Offset(20));
    CHECK(image.brokers().size() == 1);
    CHECK(image.broker(1)->incarnation_id == kIncarnation2);
    CHECK(image.broker(1)->epoch == 20);
    CHECK(image.broker(1)->rack == std::nullopt);
    CHECK(image.broker(1)->fenced);
    CHECK_FALSE(image.broker(1)->in_controlled_shutdown);
    CHECK(image.broker(1)->register_record_offset == Offset(20));
    // The old epoch is no longer accepted.
    CHECK_THROWS_AS(image.replay(UnregisterBrokerRecord{1, 10}, Offset(21)),
                    raft::AssertionFailure);
  }
  SUBCASE("unregister") {
    image.replay(register_broker(2, kIncarnation2, 11), Offset(11));
    image.replay(UnregisterBrokerRecord{1, 10}, Offset(12));
    CHECK(image.broker(1) == nullptr);
    CHECK(image.brokers().size() == 1);
    CHECK(image.brokers().begin()->first == 2);
  }
  SUBCASE("strict: unknown broker or stale epoch") {
    CHECK_THROWS_AS(image.replay(UnregisterBrokerRecord{1, 9}, Offset(11)), raft::AssertionFailure);
    CHECK_THROWS_AS(image.replay(UnregisterBrokerRecord{5, 10}, Offset(11)),
                    raft::AssertionFailure);
    CHECK_THROWS_AS(image.replay(BrokerRegistrationChangeRecord{5, 10, kChangeClear, kChangeNone},
                                 Offset(11)),
                    raft::AssertionFailure);
    CHECK_THROWS_AS(image.replay(BrokerRegistrationChangeRecord{1, 11, kChangeClear, kChangeNone},
                                 Offset(11)),
                    raft::AssertionFailure);
    CHECK(image.broker(1)->fenced);
  }
}

TEST_CASE("metadata image: the register record offset is not content") {
  MetadataImage a;
  MetadataImage b;
  a.replay(register_broker(1, kIncarnation1, 10), Offset(10));
  b.replay(register_broker(1, kIncarnation1, 10), Offset(99));
  CHECK(a.broker(1)->register_record_offset != b.broker(1)->register_record_offset);
  CHECK(a == b);
  CHECK(a.fingerprint() == b.fingerprint());
}

TEST_CASE("metadata image: topic and partition records") {
  MetadataImage image;
  replay_all(image, base_records());
  CHECK(image.topics().size() == 2);
  const TopicImage* a = image.topic(kTopicA);
  REQUIRE(a != nullptr);
  CHECK(a->name == "a");
  CHECK(a->id == kTopicA);
  REQUIRE(a->partitions.size() == 2);
  CHECK(a->partitions[1]->replicas == std::vector<std::int32_t>{2, 3, 1});
  CHECK(image.topic_by_name("b") == image.topic(kTopicB));
  CHECK(image.topic_by_name("c") == nullptr);
  CHECK(image.topic(kTopicC) == nullptr);
  REQUIRE(image.partition({kTopicA, 1}) != nullptr);
  CHECK(image.partition({kTopicA, 1})->leader == 2);
  CHECK(image.partition({kTopicA, 2}) == nullptr);
  CHECK(image.partition({kTopicA, -1}) == nullptr);
  CHECK(image.partition({kTopicC, 0}) == nullptr);
  CHECK(image.partition_count() == 3);

  SUBCASE("a PartitionRecord overwrites an existing partition") {
    PartitionRecord p = partition_record(kTopicA, 0, {1, 2}, {2}, 2);
    p.leader_epoch = 7;
    p.partition_epoch = 9;
    image.replay(p, Offset(100));
    CHECK(*image.partition({kTopicA, 0}) == p);
    CHECK(image.partition_count() == 3);
    CHECK(image.leader_count(1) == 0);
    CHECK(image.leader_count(2) == 2);
  }
  SUBCASE("remove topic") {
    image.replay(RemoveTopicRecord{kTopicA}, Offset(100));
    CHECK(image.topic(kTopicA) == nullptr);
    CHECK(image.topic_by_name("a") == nullptr);
    CHECK(image.topics().size() == 1);
    CHECK(image.partition_count() == 1);
    // The name can be reused by a new topic.
    image.replay(TopicRecord{"a", kTopicC}, Offset(101));
    CHECK(image.topic_by_name("a")->id == kTopicC);
    CHECK(image.topic_by_name("a")->partitions.empty());
  }
  SUBCASE("strict: unknown topic or partition, duplicate topic, gap in partition ids") {
    CHECK_THROWS_AS(image.replay(partition_record(kTopicC, 0, {1}, {1}, 1), Offset(100)),
                    raft::AssertionFailure);
    CHECK_THROWS_AS(image.replay(partition_record(kTopicA, 3, {1}, {1}, 1), Offset(100)),
                    raft::AssertionFailure);
    CHECK_THROWS_AS(image.replay(partition_record(kTopicA, -1, {1}, {1}, 1), Offset(100)),
                    raft::AssertionFailure);
    CHECK_THROWS_AS(image.replay(change_leader(kTopicC, 0, 1), Offset(100)),
                    raft::AssertionFailure);
    CHECK_THROWS_AS(image.replay(change_leader(kTopicA, 2, 1), Offset(100)),
                    raft::AssertionFailure);
    CHECK_THROWS_AS(image.replay(RemoveTopicRecord{kTopicC}, Offset(100)),
                    raft::AssertionFailure);
    CHECK_THROWS_AS(image.replay(TopicRecord{"c", kTopicA}, Offset(100)), raft::AssertionFailure);
    CHECK_THROWS_AS(image.replay(TopicRecord{"a", kTopicC}, Offset(100)), raft::AssertionFailure);
    CHECK_THROWS_AS(image.replay(TopicRecord{"z", Uuid{}}, Offset(100)), raft::AssertionFailure);
    CHECK(image.partition_count() == 3);
    CHECK(image.topics().size() == 2);
  }
  SUBCASE("the next partition id extends the topic") {
    image.replay(partition_record(kTopicA, 2, {3}, {3}, 3), Offset(100));
    CHECK(image.topic(kTopicA)->partitions.size() == 3);
    CHECK(image.partition({kTopicA, 2})->partition_id == 2);
    CHECK(image.partition_count() == 4);
    CHECK(image.leader_count(3) == 1);
  }
}

TEST_CASE("metadata image: PartitionChangeRecord epochs") {
  MetadataImage image;
  replay_all(image, base_records());
  SUBCASE("a leader change bumps both epochs") {
    image.replay(change_leader(kTopicA, 0, 2), Offset(100));
    const PartitionRecord* p = image.partition({kTopicA, 0});
    CHECK(p->leader == 2);
    CHECK(p->leader_epoch == 1);
    CHECK(p->partition_epoch == 1);
    CHECK(p->isr == std::vector<std::int32_t>{1, 2, 3});
  }
  SUBCASE("an ISR change bumps only the partition epoch") {
    image.replay(change_isr(kTopicA, 0, {1, 3}), Offset(100));
    image.replay(change_isr(kTopicA, 0, {1}), Offset(101));
    const PartitionRecord* p = image.partition({kTopicA, 0});
    CHECK(p->isr == std::vector<std::int32_t>{1});
    CHECK(p->leader == 1);
    CHECK(p->leader_epoch == 0);
    CHECK(p->partition_epoch == 2);
  }
  SUBCASE("losing the leader and replicas / recovery state changes") {
    PartitionChangeRecord c = change_leader(kTopicA, 1, kNoLeader);
    c.replicas = std::vector<std::int32_t>{2, 3};
    c.leader_recovery_state = kRecovering;
    image.replay(c, Offset(100));
    const PartitionRecord* p = image.partition({kTopicA, 1});
    CHECK(p->leader == kNoLeader);
    CHECK(p->replicas == std::vector<std::int32_t>{2, 3});
    CHECK(p->leader_recovery_state == kRecovering);
    CHECK(p->leader_epoch == 1);
    CHECK(p->partition_epoch == 1);
  }
  CHECK(image.partition({kTopicA, 0})->topic_id == kTopicA);
  CHECK(image.partition({kTopicB, 0})->partition_epoch == 0);  // other partitions untouched
}

TEST_CASE("metadata image: leaderless and leader counts") {
  MetadataImage image;
  CHECK(image.partition_count() == 0);
  CHECK(image.leaderless_partition_count() == 0);
  replay_all(image, base_records());
  CHECK(image.partition_count() == 3);
  CHECK(image.leaderless_partition_count() == 1);
  CHECK(image.leader_count(1) == 1);
  CHECK(image.leader_count(2) == 1);
  CHECK(image.leader_count(3) == 0);
  CHECK(image.leader_count(42) == 0);

  image.replay(change_leader(kTopicB, 0, 3), Offset(100));
  CHECK(image.leaderless_partition_count() == 0);
  CHECK(image.leader_count(3) == 1);
  image.replay(change_leader(kTopicA, 0, 3), Offset(101));
  CHECK(image.leader_count(1) == 0);
  CHECK(image.leader_count(3) == 2);
  image.replay(change_leader(kTopicA, 1, kNoLeader), Offset(102));
  CHECK(image.leaderless_partition_count() == 1);
  CHECK(image.leader_count(2) == 0);
  // An ISR-only change keeps the counts.
  image.replay(change_isr(kTopicA, 0, {3}), Offset(103));
  CHECK(image.leader_count(3) == 2);
  CHECK(image.partition_count() == 3);

  image.replay(RemoveTopicRecord{kTopicA}, Offset(104));
  CHECK(image.partition_count() == 1);
  CHECK(image.leaderless_partition_count() == 0);
  CHECK(image.leader_count(3) == 1);
  image.replay(RemoveTopicRecord{kTopicB}, Offset(105));
  CHECK(image.partition_count() == 0);
  CHECK(image.leader_count(3) == 0);
}

TEST_CASE("metadata image: ISR index") {
  MetadataImage image(indexed());
  replay_all(image, base_records());
  CHECK(image.isr_partitions_of(1) == tps({{kTopicA, 0}}));
  CHECK(image.isr_partitions_of(2) == tps({{kTopicA, 0}, {kTopicA, 1}}));
  CHECK(image.isr_partitions_of(3) == tps({{kTopicA, 0}, {kTopicA, 1}, {kTopicB, 0}}));
  CHECK(image.isr_partitions_of(4).empty());

  SUBCASE("a change moves the memberships") {
    image.replay(change_isr(kTopicA, 0, {1, 3}), Offset(100));
    image.replay(change_isr(kTopicB, 0, {3, 1}), Offset(101));
    CHECK(image.isr_partitions_of(1) == tps({{kTopicA, 0}, {kTopicB, 0}}));
    CHECK(image.isr_partitions_of(2) == tps({{kTopicA, 1}}));
    image.replay(change_isr(kTopicA, 1, {3}), Offset(102));
    CHECK(image.isr_partitions_of(2).empty());
    // A leader-only change keeps the ISR and the index.
    image.replay(change_leader(kTopicA, 1, 3), Offset(103));
    CHECK(image.isr_partitions_of(3) == tps({{kTopicA, 0}, {kTopicA, 1}, {kTopicB, 0}}));
  }
  SUBCASE("an overwriting PartitionRecord moves the memberships") {
    image.replay(partition_record(kTopicA, 1, {4, 5}, {4, 5}, 4), Offset(100));
    CHECK(image.isr_partitions_of(2) == tps({{kTopicA, 0}}));
    CHECK(image.isr_partitions_of(4) == tps({{kTopicA, 1}}));
  }
  SUBCASE("removing a topic drops its partitions") {
    image.replay(RemoveTopicRecord{kTopicA}, Offset(100));
    CHECK(image.isr_partitions_of(1).empty());
    CHECK(image.isr_partitions_of(2).empty());
    CHECK(image.isr_partitions_of(3) == tps({{kTopicB, 0}}));
  }
  SUBCASE("an image without the index refuses the query") {
    MetadataImage plain;
    replay_all(plain, base_records());
    CHECK_THROWS_AS((void)plain.isr_partitions_of(1), raft::AssertionFailure);
  }
}

TEST_CASE("metadata image: config records") {
  MetadataImage image;
  replay_all(image, base_records());
  image.replay(ConfigRecord{kTopicResource, "a", "retention.ms", "1000"}, Offset(100));
  image.replay(ConfigRecord{kTopicResource, "b", "retention.ms", "2000"}, Offset(101));
  image.replay(ConfigRecord{kBrokerResource, "1", "log.dirs", "/d"}, Offset(102));
  CHECK(image.config(kTopicResource, "a", "retention.ms") == std::optional<std::string>("1000"));
  CHECK(image.config(kTopicResource, "a", "cleanup.policy") == std::nullopt);
  CHECK(image.config(kBrokerResource, "a", "retention.ms") == std::nullopt);
  CHECK(image.configs().size() == 3);

  image.replay(ConfigRecord{kTopicResource, "a", "retention.ms", "5"}, Offset(103));
  CHECK(image.config(kTopicResource, "a", "retention.ms") == std::optional<std::string>("5"));

  SUBCASE("deleting the last key removes the resource") {
    image.replay(ConfigRecord{kTopicResource, "a", "retention.ms", std::nullopt}, Offset(104));
    CHECK(image.config(kTopicResource, "a", "retention.ms") == std::nullopt);
    CHECK(image.configs().size() == 2);
    CHECK_FALSE(image.configs().contains(ConfigResource{kTopicResource, "a"}));
    // Deleting an absent key is a no-op.
    const std::uint64_t before = image.fingerprint();
    image.replay(ConfigRecord{kTopicResource, "a", "retention.ms", std::nullopt}, Offset(105));
    image.replay(ConfigRecord{kTopicResource, "b", "nope", std::nullopt}, Offset(106));
    CHECK(image.configs().size() == 2);
    CHECK(image.fingerprint() == before);
  }
  SUBCASE("removing a topic removes its TOPIC configs only") {
    image.replay(ConfigRecord{kBrokerResource, "a", "x", "y"}, Offset(104));
    image.replay(RemoveTopicRecord{kTopicA}, Offset(105));
    CHECK(image.config(kTopicResource, "a", "retention.ms") == std::nullopt);
    CHECK(image.config(kTopicResource, "b", "retention.ms") == std::optional<std::string>("2000"));
    CHECK(image.config(kBrokerResource, "a", "x") == std::optional<std::string>("y"));
    CHECK(image.configs().size() == 3);
  }
}

TEST_CASE("metadata image: features, producer ids, no-op, provenance") {
  MetadataImage image;
  image.replay(FeatureLevelRecord{"metadata.version", 19}, Offset(0));
  image.replay(FeatureLevelRecord{"kraft.version", 1}, Offset(1));
  image.replay(FeatureLevelRecord{"metadata.version", 20}, Offset(2));
  CHECK(image.feature_level("metadata.version") == std::optional<std::int16_t>(20));
  CHECK(image.feature_level("kraft.version") == std::optional<std::int16_t>(1));
  CHECK(image.feature_level("group.version") == std::nullopt);
  image.replay(FeatureLevelRecord{"kraft.version", 0}, Offset(3));
  CHECK(image.feature_level("kraft.version") == std::nullopt);
  CHECK(image.features().size() == 1);

  CHECK(image.next_producer_id() == 0);
  image.replay(ProducerIdsRecord{1, 10, 1000}, Offset(4));
  CHECK(image.next_producer_id() == 1000);
  CHECK_THROWS_AS(image.replay(ProducerIdsRecord{1, 10, 1000}, Offset(5)), raft::AssertionFailure);
  CHECK_THROWS_AS(image.replay(ProducerIdsRecord{1, 10, 999}, Offset(5)), raft::AssertionFailure);
  image.replay(ProducerIdsRecord{2, 11, 2000}, Offset(5));
  CHECK(image.next_producer_id() == 2000);

  const MetadataImage before = image;
  image.replay(NoOpRecord{}, Offset(6));
  CHECK(image == before);
  CHECK(image.fingerprint() == before.fingerprint());

  CHECK(image.provenance() == Provenance{});
  image.set_provenance(Provenance{Offset(7), raft::Epoch(2)});
  CHECK(image.provenance() == Provenance{Offset(7), raft::Epoch(2)});
  CHECK_THROWS_AS(image.set_provenance(Provenance{Offset(6), raft::Epoch(2)}),
                  raft::AssertionFailure);
  CHECK_THROWS_AS(image.set_provenance(Provenance{Offset(8), raft::Epoch(1)}),
                  raft::AssertionFailure);
  image.set_provenance(Provenance{Offset(7), raft::Epoch(3)});
  CHECK(image.provenance().last_epoch == raft::Epoch(3));
  // Provenance is not content.
  CHECK(image == before);
}

TEST_CASE("metadata image: fingerprint depends on content, not on the path") {
  MetadataImage empty;
  MetadataImage base;
  replay_all(base, base_records());
  CHECK(base.fingerprint() != empty.fingerprint());

  SUBCASE("a topic created then deleted leaves no trace") {
    MetadataImage other;
    replay_all(other, base_records());
    other.replay(TopicRecord{"c", kTopicC}, Offset(100));
    other.replay(partition_record(kTopicC, 0, {1, 2}, {1, 2}, 1), Offset(101));
    other.replay(change_leader(kTopicC, 0, 2), Offset(102));
    other.replay(ConfigRecord{kTopicResource, "c", "retention.ms", "1"}, Offset(103));
    CHECK(other.fingerprint() != base.fingerprint());
    other.replay(RemoveTopicRecord{kTopicC}, Offset(104));
    CHECK(other == base);
    CHECK(other.fingerprint() == base.fingerprint());
  }
  SUBCASE("independent records in another order") {
    std::vector<MetadataRecord> records = {
        TopicRecord{"b", kTopicB},
        register_broker(3, kIncarnation3, 12, "r3"),
        partition_record(kTopicB, 0, {3, 1}, {3}, kNoLeader),
        register_broker(2, kIncarnation2, 11),
        TopicRecord{"a", kTopicA},
        register_broker(1, kIncarnation1, 10, "r1"),
        partition_record(kTopicA, 0, {1, 2, 3}, {1, 2, 3}, 1),
        partition_record(kTopicA, 1, {2, 3, 1}, {2, 3}, 2),
        FeatureLevelRecord{"metadata.version", 20},
    };
    MetadataImage other;
    replay_all(other, records);
    CHECK(other == base);
    CHECK(other.fingerprint() == base.fingerprint());
  }
  SUBCASE("a change and a direct record reaching the same partition") {
    MetadataImage via_change;
    replay_all(via_change, base_records());
    via_change.replay(change_leader(kTopicA, 0, 2), Offset(100));
    via_change.replay(change_isr(kTopicA, 0, {2, 3}), Offset(101));
    MetadataImage direct;
    replay_all(direct, base_records());
    PartitionRecord p = partition_record(kTopicA, 0, {1, 2, 3}, {2, 3}, 2);
    p.leader_epoch = 1;
    p.partition_epoch = 2;
    direct.replay(p, Offset(100));
    CHECK(via_change == direct);
    CHECK(via_change.fingerprint() == direct.fingerprint());
  }
  SUBCASE("broker, config, feature and producer id round trips") {
    MetadataImage other;
    replay_all(other, base_records());
    other.replay(BrokerRegistrationChangeRecord{1, 10, kChangeSet, kChangeSet}, Offset(100));
    other.replay(BrokerRegistrationChangeRecord{1, 10, kChangeClear, kChangeNone}, Offset(101));
    other.replay(BrokerRegistrationChangeRecord{1, 10, kChangeSet, kChangeNone}, Offset(102));
    other.replay(register_broker(4, kIncarnation1, 40), Offset(103));
    other.replay(UnregisterBrokerRecord{4, 40}, Offset(104));
    other.replay(ConfigRecord{kBrokerResource, "", "k", "v"}, Offset(105));
    other.replay(ConfigRecord{kBrokerResource, "", "k", "w"}, Offset(106));
    other.replay(ConfigRecord{kBrokerResource, "", "k", std::nullopt}, Offset(107));
    other.replay(FeatureLevelRecord{"group.version", 1}, Offset(108));
    other.replay(FeatureLevelRecord{"group.version", 0}, Offset(109));
    CHECK(other == base);
    CHECK(other.fingerprint() == base.fingerprint());
  }
  SUBCASE("different content, different fingerprint") {
    std::vector<MetadataRecord> changes = {
        change_isr(kTopicA, 0, {1, 2}),
        change_isr(kTopicA, 0, {1, 2, 3}),  // same ISR: only the partition epoch differs
        leader_epoch_bumped(),
        recovering(),
        change_leader(kTopicB, 0, 3),
        BrokerRegistrationChangeRecord{2, 11, kChangeClear, kChangeNone},
        BrokerRegistrationChangeRecord{3, 12, kChangeNone, kChangeSet},
        register_broker(3, kIncarnation3, 13, "r3"),
        register_broker(3, kIncarnation3, 12, "other-rack"),
        FeatureLevelRecord{"metadata.version", 21},
        FeatureLevelRecord{"kraft.version", 1},
        ConfigRecord{kTopicResource, "a", "k", "v"},
        ConfigRecord{kTopicResource, "b", "k", "v"},
        ConfigRecord{kTopicResource, "a", "k", "w"},
        ProducerIdsRecord{1, 10, 1000},
        TopicRecord{"c", kTopicC},
        RemoveTopicRecord{kTopicB},
        partition_record(kTopicB, 1, {3, 1}, {3}, kNoLeader),
    };
    std::set<std::uint64_t> seen{base.fingerprint()};
    for (const MetadataRecord& change : changes) {
      MetadataImage other;
      replay_all(other, base_records());
      other.replay(change, Offset(100));
      CHECK_FALSE(other == base);
      CHECK(seen.insert(other.fingerprint()).second);  // distinct from base and the others
    }
    CHECK(seen.size() == changes.size() + 1);
  }
}

TEST_CASE("metadata image: to_records round trip") {
  MetadataImage image(indexed());
  replay_all(image, rich_records());
  image.set_provenance(Provenance{Offset(50), raft::Epoch(4)});
  const std::vector<MetadataRecord> records = image.to_records();

  // Order: features, brokers, topics each followed by their partitions, configs, producer ids.
  std::vector<std::int16_t> keys;
  for (const MetadataRecord& r : records) keys.push_back(api_key(r));
  const std::vector<std::int16_t> expected_keys = {
      FeatureLevelRecord::kApiKey,  FeatureLevelRecord::kApiKey,  RegisterBrokerRecord::kApiKey,
      RegisterBrokerRecord::kApiKey, RegisterBrokerRecord::kApiKey, TopicRecord::kApiKey,
      PartitionRecord::kApiKey,     PartitionRecord::kApiKey,     TopicRecord::kApiKey,
      PartitionRecord::kApiKey,     ConfigRecord::kApiKey,        ConfigRecord::kApiKey,
      ConfigRecord::kApiKey,        ConfigRecord::kApiKey,        ProducerIdsRecord::kApiKey};
  CHECK(keys == expected_keys);
  CHECK(std::get<FeatureLevelRecord>(records[0]).name == "kraft.version");
  CHECK(std::get<TopicRecord>(records[5]).topic_id == kTopicA);
  CHECK(std::get<PartitionRecord>(records[7]) == *image.partition({kTopicA, 1}));
  const auto& broker2 = std::get<RegisterBrokerRecord>(records[3]);
  CHECK(broker2.broker_id == 2);
  CHECK(broker2.broker_epoch == 11);
  CHECK(broker2.incarnation_id == kIncarnation2);
  CHECK_FALSE(broker2.fenced);
  CHECK(broker2.in_controlled_shutdown);
  CHECK(std::get<RegisterBrokerRecord>(records[4]).fenced);
  CHECK(std::get<RegisterBrokerRecord>(records[2]).rack == std::optional<std::string>("r1"));
  CHECK(std::get<ProducerIdsRecord>(records.back()).next_producer_id == 2000);

  MetadataImage rebuilt(indexed());
  replay_all(rebuilt, records, 49);
  CHECK(rebuilt == image);
  CHECK(rebuilt.fingerprint() == image.fingerprint());
  CHECK(rebuilt.partition_count() == image.partition_count());
  CHECK(rebuilt.leaderless_partition_count() == image.leaderless_partition_count());
  for (std::int32_t b = 1; b <= 3; ++b) {
    CHECK(rebuilt.leader_count(b) == image.leader_count(b));
    CHECK(rebuilt.isr_partitions_of(b) == image.isr_partitions_of(b));
  }
  CHECK(rebuilt.to_records() == records);
  CHECK(rebuilt.provenance() == Provenance{});

  // An empty image has no records; one without producer ids has no ProducerIdsRecord.
  CHECK(MetadataImage().to_records().empty());
  MetadataImage base;
  replay_all(base, base_records());
  CHECK(api_key(base.to_records().back()) == PartitionRecord::kApiKey);
}

TEST_CASE("metadata image: copies share topics and diverge on write") {
  MetadataImage original(indexed());
  replay_all(original, rich_records());
  const std::uint64_t original_fingerprint = original.fingerprint();
  const PartitionRecord original_a0 = *original.partition({kTopicA, 0});

  MetadataImage copy = original;
  CHECK(copy == original);
  CHECK(copy.topics().at(kTopicA) == original.topics().at(kTopicA));  // same pointer
  CHECK(copy.topics().at(kTopicB) == original.topics().at(kTopicB));

  copy.replay(change_leader(kTopicA, 0, 3), Offset(100));
  CHECK(copy.partition({kTopicA, 0})->leader == 3);
  CHECK(*original.partition({kTopicA, 0}) == original_a0);
  CHECK(original.fingerprint() == original_fingerprint);
  CHECK(original.leader_count(3) == 1);
  CHECK(copy.leader_count(3) == 2);
  const std::vector<TopicIdPartition> held_by_1 = original.isr_partitions_of(1);
  CHECK(std::find(held_by_1.begin(), held_by_1.end(), TopicIdPartition{kTopicA, 0}) !=
        held_by_1.end());
  CHECK(copy.topics().at(kTopicA) != original.topics().at(kTopicA));  // copied on write
  CHECK(copy.topics().at(kTopicB) == original.topics().at(kTopicB));  // still shared
  CHECK_FALSE(copy == original);
  CHECK(copy.fingerprint() != original.fingerprint());

  // Writes to the original do not reach the copy either.
  original.replay(RemoveTopicRecord{kTopicB}, Offset(100));
  CHECK(copy.topic(kTopicB) != nullptr);
  CHECK(copy.partition_count() == 3);
  CHECK(original.partition_count() == 2);

  // Equal content in different objects compares equal.
  original.replay(change_leader(kTopicA, 0, 3), Offset(101));
  copy.replay(RemoveTopicRecord{kTopicB}, Offset(101));
  CHECK(copy.topics().at(kTopicA) != original.topics().at(kTopicA));
  CHECK(copy == original);
  CHECK(copy.fingerprint() == original.fingerprint());
}

TEST_CASE("metadata image: a held TopicImagePtr never changes") {
  MetadataImage image;
  replay_all(image, base_records());
  const TopicImagePtr held = image.topics().at(kTopicA);
  image.replay(change_isr(kTopicA, 1, {2}), Offset(100));
  CHECK(held->partitions[1]->isr == std::vector<std::int32_t>{2, 3});
  CHECK(image.partition({kTopicA, 1})->isr == std::vector<std::int32_t>{2});
  // Once unshared, the image may update its own topic in place; contents stay right.
  const TopicImage* before = image.topic(kTopicB);
  image.replay(change_leader(kTopicB, 0, 3), Offset(101));
  image.replay(change_isr(kTopicB, 0, {3, 1}), Offset(102));
  CHECK(image.topic(kTopicB) == before);
  CHECK(image.partition({kTopicB, 0})->isr == std::vector<std::int32_t>{3, 1});
  CHECK(image.partition({kTopicB, 0})->leader_epoch == 1);
}
