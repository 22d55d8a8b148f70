// Unit tests of raft::controller::ReplicationControl (Kafka's ReplicationControlManager and
// ConfigurationControlManager record generators), over images built by replaying records.
#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "raft/common/assert.hh"
#include "raft/controller/replication_control.hh"
#include "raft/io.hh"
#include "raft/metadata/image.hh"

namespace {

using namespace raft::controller;
using namespace raft::metadata;
using Ids = std::vector<std::int32_t>;
using Records = std::vector<MetadataRecord>;

// A small deterministic generator (64-bit LCG, high bits).
class LcgRandom : public raft::Random {
 public:
  explicit LcgRandom(std::uint64_t seed) : state_(seed) {}
  std::int64_t next_int(std::int64_t bound) override {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::int64_t>((state_ >> 33) % static_cast<std::uint64_t>(bound));
  }

 private:
  std::uint64_t state_;
};

constexpr Uuid kTopicT{0x10, 1};
constexpr Uuid kTopicU{0x20, 2};

std::int64_t epoch_of(std::int32_t broker) { return 100 + broker; }

// The controller's in-memory state, built by replaying records.
struct Cluster {
  MetadataImage image{MetadataImage::Options{.index_isr_by_broker = true}};
  std::int64_t next_offset = 0;

  void apply(const MetadataRecord& record) { image.replay(record, raft::Offset(next_offset++)); }
  void apply(const Records& records) {
    for (const auto& r : records) apply(r);
  }
  void add_broker(std::int32_t id, std::optional<std::string> rack = std::nullopt) {
    RegisterBrokerRecord reg;
    reg.broker_id = id;
    reg.incarnation_id = Uuid{1, static_cast<std::uint64_t>(id)};
    reg.broker_epoch = epoch_of(id);
    reg.rack = std::move(rack);
    reg.fenced = false;
    apply(reg);
  }
  void fence(std::int32_t id) {
    apply(BrokerRegistrationChangeRecord{id, epoch_of(id), kChangeSet, kChangeNone});
  }
  void unfence(std::int32_t id) {
    apply(BrokerRegistrationChangeRecord{id, epoch_of(id), kChangeClear, kChangeNone});
  }
  void shut_down(std::int32_t id) {
    apply(BrokerRegistrationChangeRecord{id, epoch_of(id), kChangeNone, kChangeSet});
  }
  void add_topic(const std::string& name, Uuid id) { apply(TopicRecord{name, id}); }
  void add_partition(Uuid topic, Ids replicas, Ids isr, std::int32_t leader) {
    PartitionRecord p;
    p.topic_id = topic;
    p.partition_id = static_cast<std::int32_t>(image.topic(topic)->partitions.size());
    p.replicas = std::move(replicas);
    p.isr = std::move(isr);
    p.leader = leader;
    apply(p);
  }
  void set_config(std::int8_t type, const std::string& resource, const std::string& key,
                  const std::string& value) {
    apply(ConfigRecord{type, resource, key, value});
  }
  const PartitionRecord& part(Uuid topic, std::int32_t id) const {
    return *image.partition(TopicIdPartition{topic, id});
  }
};

PartitionChangeRecord change(Uuid topic, std::int32_t partition, std::int32_t leader,
                             std::optional<Ids> isr,
                             std::optional<std::int8_t> recovery = std::nullopt) {
  PartitionChangeRecord r;
  r.topic_id = topic;
  r.partition_id = partition;
  r.leader = leader;
  r.isr = std::move(isr);
  r.leader_recovery_state = recovery;
  return r;
}

CreatableTopic topic(std::string name, std::int32_t partitions = 1, std::int16_t rf = 1,
                     std::vector<CreatableTopicConfig> configs = {}) {
  return CreatableTopic{std::move(name), partitions, rf, std::move(configs)};
}

ApiError create_one(ReplicationControl& rc, const Cluster& c, CreatableTopic t) {
  auto result = rc.create_topics(c.image, CreateTopicsRequest{{std::move(t)}});
  REQUIRE(result.response.size() == 1);
  if (result.response[0].error != ApiError::NONE) CHECK(result.records.empty());
  return result.response[0].error;
}

// Brokers 1, 2, 3 and topic "t" with:
//   p0 replicas [1,2,3] isr [1,2,3] leader 1
//   p1 replicas [2,3,1] isr [2,3,1] leader 2
//   p2 replicas [1,2,3] isr [1]     leader 1
Cluster three_partitions() {
  Cluster c;
  for (std::int32_t id = 1; id <= 3; ++id) c.add_broker(id);
  c.add_topic("t", kTopicT);
  c.add_partition(kTopicT, {1, 2, 3}, {1, 2, 3}, 1);
  c.add_partition(kTopicT, {2, 3, 1}, {2, 3, 1}, 2);
  c.add_partition(kTopicT, {1, 2, 3}, {1}, 1);
  return c;
}

}  // namespace

// ---- create topics -----------------------------------------------------------------------------

TEST_CASE("create_topics: records of a new topic") {
  Cluster c;
  for (std::int32_t id = 1; id <= 3; ++id) c.add_broker(id);
  LcgRandom random(5);
  ReplicationControl rc(random);
  const auto result = rc.create_topics(
      c.image, CreateTopicsRequest{{topic("orders", 4, 3,
                                          {{"retention.ms", "1000"},
                                           {"cleanup.policy", "compact"},
                                           {"retention.ms", "2000"}})}});
  REQUIRE(result.response.size() == 1);
  const CreatableTopicResult& r = result.response[0];
  CHECK(r.name == "orders");
  CHECK(r.error == ApiError::NONE);
  CHECK_FALSE(r.topic_id.is_zero());

  // TopicRecord, ConfigRecords sorted by key (last value wins), then the PartitionRecords.
  REQUIRE(result.records.size() == 1 + 2 + 4);
  CHECK(std::get<TopicRecord>(result.records[0]) == TopicRecord{"orders", r.topic_id});
  CHECK(std::get<ConfigRecord>(result.records[1]) ==
        ConfigRecord{kResourceTopic, "orders", "cleanup.policy", "compact"});
  CHECK(std::get<ConfigRecord>(result.records[2]) ==
        ConfigRecord{kResourceTopic, "orders", "retention.ms", "2000"});
  std::set<std::int32_t> leaders;
  for (std::int32_t p = 0; p < 4; ++p) {
    const auto& part = std::get<PartitionRecord>(result.records[static_cast<std::size_t>(3 + p)]);
    CHECK(part.partition_id == p);
    CHECK(part.topic_id == r.topic_id);
    CHECK(std::set<std::int32_t>(part.replicas.begin(), part.replicas.end()) ==
          std::set<std::int32_t>{1, 2, 3});
    CHECK(part.isr == part.replicas);
    CHECK(part.leader == part.replicas.front());
    CHECK(part.leader_epoch == 0);
    CHECK(part.partition_epoch == 0);
    CHECK(part.leader_recovery_state == kRecovered);
    leaders.insert(part.leader);
  }
  CHECK(leaders.size() == 3);  // striped: 4 partitions over 3 brokers use every broker as leader

  c.apply(result.records);
  REQUIRE(c.image.topic_by_name("orders") != nullptr);
  CHECK(c.image.topic_by_name("orders")->partitions.size() == 4);
  CHECK(c.image.config(kResourceTopic, "orders", "retention.ms") == "2000");
}

TEST_CASE("create_topics: deterministic for a given seed") {
  Cluster c;
  for (std::int32_t id = 1; id <= 5; ++id) c.add_broker(id);
  const CreateTopicsRequest request{{topic("a", 6, 3), topic("b", 2, 2)}};
  LcgRandom r1(11);
  LcgRandom r2(11);
  ReplicationControl a(r1);
  ReplicationControl b(r2);
  const auto ra = a.create_topics(c.image, request);
  const auto rb = b.create_topics(c.image, request);
  CHECK(ra.records == rb.records);
  REQUIRE(ra.response.size() == 2);
  CHECK(ra.response[0].topic_id != ra.response[1].topic_id);
}

TEST_CASE("create_topics: fenced and shutting-down brokers") {
  Cluster c;
  for (std::int32_t id = 1; id <= 4; ++id) c.add_broker(id);
  c.fence(3);
  c.shut_down(4);
  LcgRandom random(3);
  ReplicationControl rc(random);
  SUBCASE("a fenced broker may hold a follower, but is not in the ISR and never leads") {
    const auto result = rc.create_topics(c.image, CreateTopicsRequest{{topic("t", 6, 3)}});
    REQUIRE(result.response.at(0).error == ApiError::NONE);
    REQUIRE(result.records.size() == 7);
    for (std::size_t i = 1; i < result.records.size(); ++i) {
      const auto& part = std::get<PartitionRecord>(result.records[i]);
      CHECK(std::set<std::int32_t>(part.replicas.begin(), part.replicas.end()) ==
            std::set<std::int32_t>{1, 2, 3});
      CHECK(part.leader != 3);
      CHECK(part.leader == part.replicas.front());
      CHECK(std::set<std::int32_t>(part.isr.begin(), part.isr.end()) ==
            std::set<std::int32_t>{1, 2});
    }
  }
  SUBCASE("a broker in controlled shutdown is not usable") {
    CHECK(create_one(rc, c, topic("t", 1, 4)) == ApiError::INVALID_REPLICATION_FACTOR);
  }
  SUBCASE("all usable brokers fenced") {
    c.fence(1);
    c.fence(2);
    CHECK(create_one(rc, c, topic("t", 1, 1)) == ApiError::INVALID_REPLICATION_FACTOR);
  }
}

TEST_CASE("create_topics: per-topic errors") {
  Cluster c;
  for (std::int32_t id = 1; id <= 3; ++id) c.add_broker(id);
  c.add_topic("existing", kTopicT);
  c.add_topic("foo_bar", kTopicU);
  LcgRandom random(1);
  ReplicationControl rc(random);

  SUBCASE("invalid names") {
    const std::vector<std::string> bad{"", ".", "..", "a b", "tab\t", "x/y", std::string(250, 'n')};
    for (const std::string& name : bad) {
      CAPTURE(name);
      CHECK(create_one(rc, c, topic(name)) == ApiError::INVALID_TOPIC_EXCEPTION);
    }
    CHECK(create_one(rc, c, topic(std::string(249, 'n'))) == ApiError::NONE);
    CHECK(create_one(rc, c, topic("A-z_0.9")) == ApiError::NONE);
  }
  SUBCASE("existing topic") {
    CHECK(create_one(rc, c, topic("existing")) == ApiError::TOPIC_ALREADY_EXISTS);
    CHECK(create_one(rc, c, topic("foo_bar")) == ApiError::TOPIC_ALREADY_EXISTS);
  }
  SUBCASE("name colliding with an existing topic once '.' becomes '_'") {
    CHECK(create_one(rc, c, topic("foo.bar")) == ApiError::INVALID_TOPIC_EXCEPTION);
  }
  SUBCASE("partition count") {
    CHECK(create_one(rc, c, topic("p", 0)) == ApiError::INVALID_PARTITIONS);
    CHECK(create_one(rc, c, topic("p", -2)) == ApiError::INVALID_PARTITIONS);
    const auto result = rc.create_topics(c.image, CreateTopicsRequest{{topic("p", -1, -1)}});
    CHECK(result.response.at(0).error == ApiError::NONE);
    CHECK(result.records.size() == 2);  // defaults: 1 partition of 1 replica
    CHECK(std::get<PartitionRecord>(result.records.at(1)).replicas.size() == 1);
  }
  SUBCASE("replication factor") {
    CHECK(create_one(rc, c, topic("r", 1, 0)) == ApiError::INVALID_REPLICATION_FACTOR);
    CHECK(create_one(rc, c, topic("r", 1, -2)) == ApiError::INVALID_REPLICATION_FACTOR);
    CHECK(create_one(rc, c, topic("r", 1, 4)) == ApiError::INVALID_REPLICATION_FACTOR);
    // Kafka checks the replication factor before the partition count.
    CHECK(create_one(rc, c, topic("r", 0, 0)) == ApiError::INVALID_REPLICATION_FACTOR);
  }
  SUBCASE("configs") {
    CHECK(create_one(rc, c, topic("c", 1, 1, {{"no.such.config", "1"}})) ==
          ApiError::INVALID_CONFIG);
    CHECK(create_one(rc, c, topic("c", 1, 1, {{"min.insync.replicas", "0"}})) ==
          ApiError::INVALID_CONFIG);
    CHECK(create_one(rc, c, topic("c", 1, 1, {{"min.insync.replicas", "two"}})) ==
          ApiError::INVALID_CONFIG);
    CHECK(create_one(rc, c, topic("c", 1, 1, {{"retention.ms", "-2"}})) ==
          ApiError::INVALID_CONFIG);
    CHECK(create_one(rc, c, topic("c", 1, 1, {{"unclean.leader.election.enable", "yes"}})) ==
          ApiError::INVALID_CONFIG);
    CHECK(create_one(rc, c, topic("c", 1, 1, {{"cleanup.policy", "compact,shrink"}})) ==
          ApiError::INVALID_CONFIG);
    CHECK(create_one(rc, c,
                     topic("c", 1, 1,
                           {{"unclean.leader.election.enable", "TRUE"},
                            {"min.insync.replicas", "2"},
                            {"retention.ms", "-1"},
                            {"cleanup.policy", "compact, delete"}})) == ApiError::NONE);
  }
}

TEST_CASE("create_topics: topics of one request are independent") {
  Cluster c;
  for (std::int32_t id = 1; id <= 3; ++id) c.add_broker(id);
  c.add_topic("existing", kTopicT);
  LcgRandom random(9);
  ReplicationControl rc(random);
  const auto result = rc.create_topics(
      c.image, CreateTopicsRequest{{topic("dup"), topic("a.b", 2, 2), topic("existing"),
                                    topic("dup"), topic("a_b"), topic("ok", 1, 9),
                                    topic("ok2", 3, 3)}});
  REQUIRE(result.response.size() == 7);
  CHECK(result.response[0].error == ApiError::INVALID_REQUEST);
  CHECK(result.response[1].error == ApiError::NONE);
  CHECK(result.response[2].error == ApiError::TOPIC_ALREADY_EXISTS);
  CHECK(result.response[3].error == ApiError::INVALID_REQUEST);
  CHECK(result.response[4].error == ApiError::INVALID_TOPIC_EXCEPTION);  // collides with a.b
  CHECK(result.response[5].error == ApiError::INVALID_REPLICATION_FACTOR);
  CHECK(result.response[6].error == ApiError::NONE);
  CHECK(result.response[0].topic_id.is_zero());
  // a.b: 1 + 2 records, ok2: 1 + 3 records.
  REQUIRE(result.records.size() == 7);
  CHECK(std::get<TopicRecord>(result.records[0]).name == "a.b");
  CHECK(std::get<TopicRecord>(result.records[3]).name == "ok2");
  c.apply(result.records);
  CHECK(c.image.topic_by_name("a.b")->id == result.response[1].topic_id);
  CHECK(c.image.topic_by_name("ok2")->id == result.response[6].topic_id);
}

// ---- delete topics -----------------------------------------------------------------------------

TEST_CASE("delete_topics") {
  Cluster c = three_partitions();
  c.add_topic("u", kTopicU);
  LcgRandom random(1);
  ReplicationControl rc(random);
  const auto result =
      rc.delete_topics(c.image, DeleteTopicsRequest{{"t", "missing", "u", "u"}});
  REQUIRE(result.response.size() == 4);
  CHECK(result.response[0].name == "t");
  CHECK(result.response[0].error == ApiError::NONE);
  CHECK(result.response[1].error == ApiError::UNKNOWN_TOPIC_OR_PARTITION);
  CHECK(result.response[2].error == ApiError::INVALID_REQUEST);
  CHECK(result.response[3].error == ApiError::INVALID_REQUEST);
  CHECK(result.records == Records{RemoveTopicRecord{kTopicT}});
  c.apply(result.records);
  CHECK(c.image.topic_by_name("t") == nullptr);
  CHECK(c.image.topic_by_name("u") != nullptr);
}

// ---- incremental alter configs -----------------------------------------------------------------

namespace {

AlterConfigsResource resource(std::int8_t type, std::string name,
                              std::vector<AlterableConfig> configs) {
  return AlterConfigsResource{type, std::move(name), std::move(configs)};
}

AlterableConfig set(std::string key, std::optional<std::string> value) {
  return AlterableConfig{std::move(key), AlterConfigOp::SET, std::move(value)};
}

AlterableConfig del(std::string key) {
  return AlterableConfig{std::move(key), AlterConfigOp::DELETE, std::nullopt};
}

}  // namespace

TEST_CASE("incremental_alter_configs: records") {
  Cluster c = three_partitions();
  c.set_config(kResourceTopic, "t", "retention.ms", "1000");
  LcgRandom random(1);
  ReplicationControl rc(random);
  auto alter = [&](AlterConfigsResource r) {
    return rc.incremental_alter_configs(c.image, IncrementalAlterConfigsRequest{{std::move(r)}});
  };

  SUBCASE("SET a new key and change an existing one") {
    const auto result = alter(resource(kResourceTopic, "t",
                                       {set("cleanup.policy", "delete"), set("retention.ms", "5")}));
    CHECK(result.response.at(0).error == ApiError::NONE);
    CHECK(result.response.at(0).resource_name == "t");
    CHECK(result.records ==
          Records{ConfigRecord{kResourceTopic, "t", "cleanup.policy", "delete"},
                  ConfigRecord{kResourceTopic, "t", "retention.ms", "5"}});
  }
  SUBCASE("SET to the same value and DELETE of an unset key are no-ops") {
    const auto result = alter(
        resource(kResourceTopic, "t", {set("retention.ms", "1000"), del("cleanup.policy")}));
    CHECK(result.response.at(0).error == ApiError::NONE);
    CHECK(result.records.empty());
  }
  SUBCASE("DELETE of a set key") {
    const auto result = alter(resource(kResourceTopic, "t", {del("retention.ms")}));
    CHECK(result.response.at(0).error == ApiError::NONE);
    CHECK(result.records ==
          Records{ConfigRecord{kResourceTopic, "t", "retention.ms", std::nullopt}});
    c.apply(result.records);
    CHECK_FALSE(c.image.config(kResourceTopic, "t", "retention.ms").has_value());
  }
  SUBCASE("broker resources: cluster default and one broker, any key") {
    const auto result = rc.incremental_alter_configs(
        c.image, IncrementalAlterConfigsRequest{
                     {resource(kResourceBroker, "", {set("unclean.leader.election.enable", "true")}),
                      resource(kResourceBroker, "2", {set("log.retention.ms", "7")})}});
    CHECK(result.response.at(0).error == ApiError::NONE);
    CHECK(result.response.at(1).error == ApiError::NONE);
    CHECK(result.response.at(1).resource_type == kResourceBroker);
    CHECK(result.records ==
          Records{ConfigRecord{kResourceBroker, "", "unclean.leader.election.enable", "true"},
                  ConfigRecord{kResourceBroker, "2", "log.retention.ms", "7"}});
  }
}

TEST_CASE("incremental_alter_configs: errors reject the whole resource") {
  Cluster c = three_partitions();
  LcgRandom random(1);
  ReplicationControl rc(random);
  auto error_of = [&](AlterConfigsResource r) {
    const auto result =
        rc.incremental_alter_configs(c.image, IncrementalAlterConfigsRequest{{std::move(r)}});
    CHECK(result.records.empty());
    return result.response.at(0).error;
  };
  CHECK(error_of(resource(kResourceTopic, "t", {set("retention.ms", "1"), set("x", std::nullopt)})) ==
        ApiError::INVALID_CONFIG);
  CHECK(error_of(resource(kResourceTopic, "t",
                          {set("retention.ms", "1"), set("segment.bytes", "1")})) ==
        ApiError::INVALID_CONFIG);
  CHECK(error_of(resource(kResourceTopic, "t", {set("min.insync.replicas", "-1")})) ==
        ApiError::INVALID_CONFIG);
  CHECK(error_of(resource(kResourceTopic, "missing", {set("retention.ms", "1")})) ==
        ApiError::UNKNOWN_TOPIC_OR_PARTITION);
  // Kafka validates the configs before checking that the topic exists.
  CHECK(error_of(resource(kResourceTopic, "missing", {set("retention.ms", "soon")})) ==
        ApiError::INVALID_CONFIG);
  CHECK(error_of(resource(kResourceTopic, "", {set("retention.ms", "1")})) ==
        ApiError::INVALID_REQUEST);
  CHECK(error_of(resource(kResourceTopic, "bad name", {set("retention.ms", "1")})) ==
        ApiError::INVALID_TOPIC_EXCEPTION);
  CHECK(error_of(resource(kResourceTopic, "t", {set("retention.ms", "1"), del("retention.ms")})) ==
        ApiError::INVALID_REQUEST);
  CHECK(error_of(resource(kResourceBroker, "abc", {set("a", "1")})) == ApiError::INVALID_REQUEST);
  CHECK(error_of(resource(kResourceBroker, "-1", {set("a", "1")})) == ApiError::INVALID_REQUEST);
  CHECK(error_of(resource(kResourceBroker, "",
                          {set("unclean.leader.election.enable", "maybe")})) ==
        ApiError::INVALID_CONFIG);
  CHECK(error_of(resource(8, "1", {set("a", "1")})) == ApiError::INVALID_REQUEST);

  SUBCASE("a duplicated resource fails, other resources go on") {
    const auto result = rc.incremental_alter_configs(
        c.image,
        IncrementalAlterConfigsRequest{{resource(kResourceTopic, "t", {set("retention.ms", "1")}),
                                        resource(kResourceBroker, "1", {set("k", "v")}),
                                        resource(kResourceTopic, "t", {set("retention.ms", "2")})}});
    REQUIRE(result.response.size() == 3);
    CHECK(result.response[0].error == ApiError::INVALID_REQUEST);
    CHECK(result.response[1].error == ApiError::NONE);
    CHECK(result.response[2].error == ApiError::INVALID_REQUEST);
    CHECK(result.records == Records{ConfigRecord{kResourceBroker, "1", "k", "v"}});
  }
}

// ---- broker fencing and unfencing --------------------------------------------------------------

TEST_CASE("fencing a broker moves leadership and shrinks ISRs, unfencing recovers") {
  Cluster c = three_partitions();
  LcgRandom random(1);
  ReplicationControl rc(random);

  const Records fenced = rc.handle_broker_fenced(c.image, 1);
  CHECK(fenced == Records{change(kTopicT, 0, 2, Ids{2, 3}),
                          change(kTopicT, 1, kNoLeaderChange, Ids{2, 3}),
                          change(kTopicT, 2, kNoLeader, std::nullopt)});
  c.apply(fenced);
  c.fence(1);
  CHECK(c.part(kTopicT, 0).leader == 2);
  CHECK(c.part(kTopicT, 0).leader_epoch == 1);
  CHECK(c.part(kTopicT, 1).isr == Ids{2, 3});
  CHECK(c.part(kTopicT, 1).leader_epoch == 0);
  CHECK(c.part(kTopicT, 2).leader == kNoLeader);
  CHECK(c.part(kTopicT, 2).isr == Ids{1});  // the last ISR member stays
  CHECK(c.image.leaderless_partition_count() == 1);

  // Fencing again finds it only in p2's ISR, which is already leaderless: nothing to do.
  CHECK(rc.handle_broker_fenced(c.image, 1).empty());

  // The image still shows broker 1 fenced: the unfence record comes first in the log.
  const Records unfenced = rc.handle_broker_unfenced(c.image, 1);
  CHECK(unfenced == Records{change(kTopicT, 2, 1, std::nullopt)});
  c.unfence(1);
  c.apply(unfenced);
  CHECK(c.part(kTopicT, 2).leader == 1);
  CHECK(c.part(kTopicT, 2).leader_epoch == 2);
  CHECK(c.image.leaderless_partition_count() == 0);

  // Unfencing a broker with no leaderless partition to take over changes nothing.
  CHECK(rc.handle_broker_unfenced(c.image, 2).empty());
}

TEST_CASE("unfencing a broker outside the ISR does not elect it (clean topics)") {
  Cluster c = three_partitions();
  LcgRandom random(1);
  ReplicationControl rc(random);
  c.apply(rc.handle_broker_fenced(c.image, 1));
  c.fence(1);
  c.fence(2);
  CHECK(rc.handle_broker_unfenced(c.image, 2).empty());
}

TEST_CASE("fencing skips brokers in controlled shutdown as leaders") {
  Cluster c = three_partitions();
  c.shut_down(3);
  LcgRandom random(1);
  ReplicationControl rc(random);
  const Records records = rc.handle_broker_fenced(c.image, 2);
  // p0: leader 1 kept; p1 [2,3,1]: 3 is shutting down, so 1 leads.
  CHECK(records == Records{change(kTopicT, 0, kNoLeaderChange, Ids{1, 3}),
                           change(kTopicT, 1, 1, Ids{3, 1})});
}

TEST_CASE("controlled shutdown moves leadership away and shrinks ISRs") {
  Cluster c = three_partitions();
  LcgRandom random(1);
  ReplicationControl rc(random);
  const Records records = rc.handle_broker_in_controlled_shutdown(c.image, 2);
  CHECK(records == Records{change(kTopicT, 0, kNoLeaderChange, Ids{1, 3}),
                           change(kTopicT, 1, 3, Ids{3, 1})});
  c.shut_down(2);
  c.apply(records);
  CHECK(c.image.leader_count(2) == 0);
  CHECK(c.image.isr_partitions_of(2).empty());
}

TEST_CASE("fence and unfence use UNCLEAN elections where the topic enables them") {
  Cluster c;
  for (std::int32_t id = 1; id <= 3; ++id) c.add_broker(id);
  c.add_topic("u", kTopicU);
  c.add_partition(kTopicU, {1, 2, 3}, {1}, 1);
  c.add_partition(kTopicU, {3, 1}, {3}, 3);
  LcgRandom random(1);
  ReplicationControl rc(random);

  SUBCASE("clean topic: the partition goes leaderless") {
    CHECK(rc.handle_broker_fenced(c.image, 1) ==
          Records{change(kTopicU, 0, kNoLeader, std::nullopt)});
  }
  SUBCASE("topic config true: an out-of-sync replica takes over, RECOVERING") {
    c.set_config(kResourceTopic, "u", "unclean.leader.election.enable", "true");
    CHECK(rc.handle_broker_fenced(c.image, 1) ==
          Records{change(kTopicU, 0, 2, Ids{2}, kRecovering)});
  }
  SUBCASE("cluster default true, topic false: clean") {
    c.set_config(kResourceBroker, "", "unclean.leader.election.enable", "true");
    c.set_config(kResourceTopic, "u", "unclean.leader.election.enable", "false");
    CHECK(rc.handle_broker_fenced(c.image, 1) ==
          Records{change(kTopicU, 0, kNoLeader, std::nullopt)});
  }
  SUBCASE("unfencing a non-ISR replica of a leaderless unclean topic elects it") {
    c.apply(rc.handle_broker_fenced(c.image, 1));
    c.fence(1);
    c.fence(2);
    c.fence(3);
    c.set_config(kResourceBroker, "", "unclean.leader.election.enable", "true");
    // p0 (ISR [1]) is leaderless, every broker is fenced; broker 2 is outside p0's ISR.
    CHECK(rc.handle_broker_unfenced(c.image, 2) ==
          Records{change(kTopicU, 0, 2, Ids{2}, kRecovering)});
  }
}

// ---- periodic elections ------------------------------------------------------------------------

TEST_CASE("elect_preferred moves leadership back to the first replica") {
  Cluster c;
  for (std::int32_t id = 1; id <= 3; ++id) c.add_broker(id);
  c.add_topic("t", kTopicT);
  c.add_partition(kTopicT, {1, 2, 3}, {1, 2, 3}, 2);  // imbalanced, 1 eligible
  c.add_partition(kTopicT, {2, 3, 1}, {3, 1}, 3);     // imbalanced, 2 not in ISR
  c.add_partition(kTopicT, {3, 1, 2}, {3, 1, 2}, 3);  // balanced
  c.add_partition(kTopicT, {2, 1, 3}, {2, 1, 3}, 1);  // imbalanced, 2 eligible
  LcgRandom random(1);
  ReplicationControl rc(random);
  bool more = true;
  CHECK(rc.elect_preferred(c.image, &more) ==
        Records{change(kTopicT, 0, 1, std::nullopt), change(kTopicT, 3, 2, std::nullopt)});
  CHECK_FALSE(more);

  SUBCASE("an unavailable preferred replica is left alone") {
    c.fence(1);
    CHECK(rc.elect_preferred(c.image) == Records{change(kTopicT, 3, 2, std::nullopt)});
  }
  SUBCASE("bounded per call") {
    LcgRandom random2(1);
    ReplicationControl bounded(random2, ReplicationControlConfig{1, 1, 1});
    CHECK(bounded.elect_preferred(c.image, &more) ==
          Records{change(kTopicT, 0, 1, std::nullopt)});
    CHECK(more);
  }
}

TEST_CASE("elect_unclean elects out-of-sync replicas only where enabled") {
  Cluster c;
  for (std::int32_t id = 1; id <= 3; ++id) c.add_broker(id);
  c.add_topic("t", kTopicT);
  c.add_partition(kTopicT, {1, 2, 3}, {1}, kNoLeader);
  c.add_partition(kTopicT, {1, 3}, {1}, kNoLeader);
  c.add_partition(kTopicT, {2, 3}, {2, 3}, 2);
  c.fence(1);
  LcgRandom random(1);
  ReplicationControl rc(random);
  CHECK(rc.elect_unclean(c.image).empty());

  c.set_config(kResourceTopic, "t", "unclean.leader.election.enable", "true");
  bool more = true;
  const Records records = rc.elect_unclean(c.image, &more);
  CHECK(records == Records{change(kTopicT, 0, 2, Ids{2}, kRecovering),
                           change(kTopicT, 1, 3, Ids{3}, kRecovering)});
  CHECK_FALSE(more);
  c.apply(records);
  CHECK(c.part(kTopicT, 0).leader_recovery_state == kRecovering);
  CHECK(c.image.leaderless_partition_count() == 0);

  SUBCASE("bounded per call") {
    Cluster d;
    for (std::int32_t id = 1; id <= 3; ++id) d.add_broker(id);
    d.add_topic("t", kTopicT);
    d.add_partition(kTopicT, {1, 2, 3}, {1}, kNoLeader);
    d.add_partition(kTopicT, {1, 3}, {1}, kNoLeader);
    d.fence(1);
    d.set_config(kResourceBroker, "", "unclean.leader.election.enable", "True");
    LcgRandom random2(1);
    ReplicationControl bounded(random2, ReplicationControlConfig{1, 1, 1});
    CHECK(bounded.elect_unclean(d.image, &more) ==
          Records{change(kTopicT, 0, 2, Ids{2}, kRecovering)});
    CHECK(more);
  }
}

TEST_CASE("helpers: topic names, configs, unclean flag") {
  CHECK(is_valid_topic_name("a"));
  CHECK_FALSE(is_valid_topic_name("a+b"));
  CHECK(validate_topic_config("retention.ms", " 9223372036854775807 ").empty());
  CHECK_FALSE(validate_topic_config("retention.ms", "9223372036854775808").empty());
  CHECK(validate_topic_config("min.insync.replicas", "+3").empty());
  CHECK_FALSE(validate_topic_config("min.insync.replicas", "2147483648").empty());
  CHECK(validate_topic_config("cleanup.policy", "").empty());
  CHECK_FALSE(validate_topic_config("cleanup.policy", "compact,").empty());
  Cluster c = three_partitions();
  CHECK_FALSE(unclean_leader_election_enabled(c.image, "t"));
  c.set_config(kResourceTopic, "t", "unclean.leader.election.enable", "TRUE");
  CHECK(unclean_leader_election_enabled(c.image, "t"));
  CHECK(is_active_broker(c.image, 1));
  CHECK_FALSE(is_active_broker(c.image, 9));
  c.shut_down(1);
  CHECK_FALSE(is_active_broker(c.image, 1));
}
