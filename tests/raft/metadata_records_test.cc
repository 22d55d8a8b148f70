// Unit tests of raft::metadata records (KIP-631 metadata records) and their binary codec.
#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "raft/common/assert.hh"
#include "raft/metadata/record_codec.hh"
#include "raft/metadata/records.hh"

namespace {

using namespace raft::metadata;

constexpr Uuid kTopicA{0x0102030405060708ULL, 0x090A0B0C0D0E0F10ULL};
constexpr Uuid kMaxUuid{std::numeric_limits<std::uint64_t>::max(),
                        std::numeric_limits<std::uint64_t>::max()};

std::string bytes(std::initializer_list<int> values) {
  std::string out;
  for (int v : values) out.push_back(static_cast<char>(static_cast<unsigned char>(v)));
  return out;
}

// One or more non-trivial instances of every record type.
std::vector<MetadataRecord> samples() {
  std::vector<MetadataRecord> out;
  RegisterBrokerRecord reg;
  reg.broker_id = 7;
  reg.incarnation_id = Uuid{0xDEADBEEFCAFEBABEULL, 42};
  reg.broker_epoch = std::numeric_limits<std::int64_t>::max();
  reg.endpoints = {BrokerEndpoint{"PLAINTEXT", "broker-7.example", 9092},
                   BrokerEndpoint{"", std::string(300, 'h'), 65535}};
  reg.features = {BrokerFeature{"metadata.version", 1, 27}, BrokerFeature{"kraft.version", -1, 1}};
  reg.rack = "rack-a";
  reg.fenced = false;
  reg.in_controlled_shutdown = true;
  out.emplace_back(reg);
  RegisterBrokerRecord bare;  // defaults: no endpoints, no rack, fenced
  bare.broker_id = -1;
  bare.broker_epoch = std::numeric_limits<std::int64_t>::min();
  out.emplace_back(bare);
  out.emplace_back(UnregisterBrokerRecord{2147483647, -5});
  out.emplace_back(BrokerRegistrationChangeRecord{3, 1LL << 40, kChangeClear, kChangeSet});
  out.emplace_back(BrokerRegistrationChangeRecord{3, 0, kChangeSet, kChangeNone});
  out.emplace_back(TopicRecord{"orders", kTopicA});
  out.emplace_back(TopicRecord{std::string(1000, 't'), kMaxUuid});
  out.emplace_back(
      PartitionRecord{5, kTopicA, {1, 2, 3}, {1, 3}, {3}, {4}, 1, kRecovering, 12, 99});
  out.emplace_back(PartitionRecord{0, Uuid{}, {}, {}, {}, {}, kNoLeader, kRecovered,
                                   std::numeric_limits<std::int32_t>::max(),
                                   std::numeric_limits<std::int32_t>::min()});
  out.emplace_back(PartitionChangeRecord{5, kTopicA, std::nullopt, kNoLeaderChange, std::nullopt,
                                         std::nullopt});
  out.emplace_back(PartitionChangeRecord{6, kTopicA, std::vector<std::int32_t>{},
                                         kNoLeader, std::vector<std::int32_t>{2, 1, 1000000},
                                         kRecovering});
  out.emplace_back(PartitionChangeRecord{6, kTopicA, std::vector<std::int32_t>{-7, 2}, 2,
                                         std::nullopt, kRecovered});
  out.emplace_back(RemoveTopicRecord{kTopicA});
  out.emplace_back(ConfigRecord{2, "orders", "min.insync.replicas", "2"});
  out.emplace_back(ConfigRecord{4, "", "log.retention.ms", std::nullopt});
  out.emplace_back(ConfigRecord{-1, "x", "", std::string()});
  out.emplace_back(FeatureLevelRecord{"metadata.version", 27});
  out.emplace_back(FeatureLevelRecord{"", std::numeric_limits<std::int16_t>::min()});
  out.emplace_back(NoOpRecord{});
  out.emplace_back(ProducerIdsRecord{1, 100, 5000});
  out.emplace_back(ProducerIdsRecord{-3, -1, std::numeric_limits<std::int64_t>::min()});
  return out;
}

std::string error_of(std::string_view input) {
  try {
    (void)decode_record(input);
  } catch (const DecodeError& e) {
    return e.what();
  }
  return "no error";
}

std::size_t error_offset(std::string_view input) {
  try {
    (void)decode_record(input);
  } catch (const DecodeError& e) {
    return e.offset();
  }
  return std::numeric_limits<std::size_t>::max();
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("metadata records: api keys and names match Kafka") {
  CHECK(api_key(RegisterBrokerRecord{}) == 0);
  CHECK(api_key(UnregisterBrokerRecord{}) == 1);
  CHECK(api_key(BrokerRegistrationChangeRecord{}) == 17);
  CHECK(api_key(TopicRecord{}) == 2);
  CHECK(api_key(PartitionRecord{}) == 3);
  CHECK(api_key(PartitionChangeRecord{}) == 5);
  CHECK(api_key(RemoveTopicRecord{}) == 9);
  CHECK(api_key(ConfigRecord{}) == 4);
  CHECK(api_key(FeatureLevelRecord{}) == 12);
  CHECK(api_key(NoOpRecord{}) == 20);
  CHECK(api_key(ProducerIdsRecord{}) == 15);
  CHECK(record_name(PartitionChangeRecord{}) == "PartitionChangeRecord");
  CHECK(record_name(NoOpRecord{}) == "NoOpRecord");
  CHECK(RegisterBrokerRecord{}.fenced);
  CHECK(PartitionRecord{}.leader == -1);
  CHECK(PartitionChangeRecord{}.leader == -2);
}

TEST_CASE("metadata codec: every record type round trips") {
  const std::vector<MetadataRecord> all = samples();
  std::vector<bool> seen(std::variant_size_v<MetadataRecord>, false);
  for (const MetadataRecord& record : all) {
    CAPTURE(record_name(record));
    const std::string encoded = encode_record(record);
    CHECK(static_cast<std::int16_t>(encoded[0]) == api_key(record));  // all keys < 128
    CHECK(encoded[1] == '\0');                                         // version 0
    const MetadataRecord decoded = decode_record(encoded);
    CHECK(decoded.index() == record.index());
    CHECK(decoded == record);
    CHECK(encode_record(decoded) == encoded);
    seen[record.index()] = true;
  }
  for (std::size_t i = 0; i < seen.size(); ++i) {
    CAPTURE(i);
    CHECK(seen[i]);
  }
}

TEST_CASE("metadata codec: golden bytes") {
  SUBCASE("TopicRecord") {
    CHECK(encode_record(TopicRecord{"foo", kTopicA}) ==
          bytes({0x02, 0x00, 0x04, 'f', 'o', 'o', 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
                 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F, 0x10}));
  }
  SUBCASE("ProducerIdsRecord with multi-byte zigzag varints") {
    // apiKey 15, version 0, zigzag(300)=600, zigzag(-1)=1, zigzag(1000)=2000.
    CHECK(encode_record(ProducerIdsRecord{300, -1, 1000}) ==
          bytes({0x0F, 0x00, 0xD8, 0x04, 0x01, 0xD0, 0x0F}));
  }
  SUBCASE("PartitionChangeRecord with absent fields") {
    // Isr null, Leader -2 -> zigzag 3, Replicas null, LeaderRecoveryState -1.
    CHECK(encode_record(PartitionChangeRecord{1, Uuid{0, 1}, std::nullopt, kNoLeaderChange,
                                              std::nullopt, std::nullopt}) ==
          bytes({0x05, 0x00, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x00, 0x03,
                 0x00, 0xFF}));
  }
  SUBCASE("ConfigRecord with null value and RegisterBrokerRecord with null rack") {
    CHECK(encode_record(ConfigRecord{2, "t", "k", std::nullopt}) ==
          bytes({0x04, 0x00, 0x02, 0x02, 't', 0x02, 'k', 0x00}));
    RegisterBrokerRecord reg;
    reg.broker_id = 1;
    reg.broker_epoch = 64;  // zigzag 128 -> two bytes
    CHECK(encode_record(reg) ==
          bytes({0x00, 0x00, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80, 0x01,
                 0x01, 0x01, 0x00, 0x01, 0x00}));
  }
}

TEST_CASE("metadata codec: size of a typical PartitionRecord") {
  // 3 replicas, all in sync, leader 1, epochs 0: apiKey 1 + version 1 + PartitionId 1 +
  // TopicId 16 + Replicas 4 + Isr 4 + Removing 1 + Adding 1 + Leader 1 + LRS 1 + 2 epochs 2.
  const PartitionRecord p{0, kTopicA, {1, 2, 3}, {1, 2, 3}, {}, {}, 1, kRecovered, 0, 0};
  CHECK(encode_record(p).size() == 33);
  // Large broker ids and epochs grow the varints.
  const PartitionRecord big{1000, kTopicA, {1001, 1002, 1003}, {1001, 1002, 1003}, {}, {},
                            1001, kRecovered, 70000, 70000};
  CHECK(encode_record(big).size() == 45);
}

TEST_CASE("metadata codec: decode rejects every truncated prefix") {
  for (const MetadataRecord& record : samples()) {
    CAPTURE(record_name(record));
    const std::string encoded = encode_record(record);
    for (std::size_t len = 0; len < encoded.size(); ++len) {
      CAPTURE(len);
      const std::string prefix = encoded.substr(0, len);
      const std::string what = error_of(prefix);
      CHECK(contains(what, "truncated input"));
      CHECK(error_offset(prefix) <= len);
    }
  }
}

TEST_CASE("metadata codec: decode errors name the problem and offset") {
  SUBCASE("unknown apiKey") {
    const std::string input = bytes({0x07, 0x00, 0x02, 0x02});  // legacy FenceBrokerRecord
    CHECK(contains(error_of(input), "unknown apiKey 7"));
    CHECK(error_offset(input) == 0);
    CHECK(contains(error_of(bytes({0xE8, 0x07, 0x00})), "unknown apiKey 1000"));
  }
  SUBCASE("unsupported version") {
    const std::string input = bytes({0x14, 0x01});
    CHECK(contains(error_of(input), "unsupported version 1 for apiKey 20"));
    CHECK(error_offset(input) == 1);
  }
  SUBCASE("trailing garbage") {
    std::string input = encode_record(TopicRecord{"orders", kTopicA});
    const std::size_t valid = input.size();
    input += "zz";
    CHECK(contains(error_of(input), "2 trailing bytes after TopicRecord"));
    CHECK(error_offset(input) == valid);
    CHECK(contains(error_of(bytes({0x14, 0x00, 0x00})), "1 trailing bytes after NoOpRecord"));
  }
  SUBCASE("over-long varint") {
    const std::string input = bytes({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01});
    CHECK(contains(error_of(input), "varint longer than 5 bytes in apiKey"));
    CHECK(error_offset(input) == 0);
  }
  SUBCASE("int32 varint out of range") {
    // UnregisterBrokerRecord.BrokerId = 2^32 (5-byte varint, value too large for 32 bits).
    const std::string input = bytes({0x01, 0x00, 0x80, 0x80, 0x80, 0x80, 0x10, 0x00});
    CHECK(contains(error_of(input), "out of range in UnregisterBrokerRecord.BrokerId"));
    CHECK(error_offset(input) == 2);
  }
  SUBCASE("int64 varint overflowing 64 bits") {
    std::string input = bytes({0x01, 0x00, 0x02});
    input += bytes({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02});
    CHECK(contains(error_of(input), "varint overflows 64 bits in UnregisterBrokerRecord.BrokerEpoch"));
    CHECK(error_offset(input) == 3);
  }
  SUBCASE("null in a non-nullable string and array") {
    CHECK(contains(error_of(bytes({0x02, 0x00, 0x00})), "null string in non-nullable TopicRecord.Name"));
    std::string partition = bytes({0x03, 0x00, 0x00});
    partition += std::string(16, '\0');
    partition += bytes({0x00});
    CHECK(contains(error_of(partition), "null array in non-nullable PartitionRecord.Replicas"));
    CHECK(error_offset(partition) == 19);
  }
  SUBCASE("array count larger than the input") {
    std::string partition = bytes({0x03, 0x00, 0x00});
    partition += std::string(16, '\0');
    partition += bytes({0xFF, 0xFF, 0x03, 0x02});  // count 65534
    CHECK(contains(error_of(partition), "PartitionRecord.Replicas has 65534 elements"));
  }
  SUBCASE("string length larger than the input") {
    CHECK(contains(error_of(bytes({0x02, 0x00, 0x80, 0x08, 'a'})),
                   "truncated input reading TopicRecord.Name: need 1023 bytes, 1 remain"));
  }
  SUBCASE("bool other than 0 or 1") {
    std::string input = encode_record(RegisterBrokerRecord{});
    input[input.size() - 2] = '\2';  // Fenced
    CHECK(contains(error_of(input), "bool RegisterBrokerRecord.Fenced is 2"));
    CHECK(error_offset(input) == input.size() - 2);
  }
  SUBCASE("invalid LeaderRecoveryState") {
    std::string input = encode_record(PartitionChangeRecord{});
    input.back() = static_cast<char>(-2);
    CHECK(contains(error_of(input), "PartitionChangeRecord.LeaderRecoveryState is -2"));
  }
}

TEST_CASE("metadata codec: encoding rejects a present negative LeaderRecoveryState") {
  PartitionChangeRecord change;
  change.leader_recovery_state = std::int8_t{-1};
  CHECK_THROWS_AS((void)encode_record(change), std::invalid_argument);
}

TEST_CASE("metadata codec: corrupted bytes decode or throw DecodeError only") {
  std::uint64_t state = 12345;
  auto next = [&state]() {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 33;
  };
  int errors = 0;
  int decoded = 0;
  for (const MetadataRecord& record : samples()) {
    const std::string encoded = encode_record(record);
    for (int round = 0; round < 50; ++round) {
      std::string mutated = encoded;
      const std::size_t at = static_cast<std::size_t>(next() % mutated.size());
      mutated[at] = static_cast<char>(next() & 0xFFU);
      try {
        const MetadataRecord again = decode_record(mutated);
        CHECK(encode_record(again).size() > 0);
        ++decoded;
      } catch (const DecodeError&) {
        ++errors;
      }
    }
  }
  CHECK(errors > 0);
  CHECK(decoded > 0);
  CHECK(errors + decoded == 50 * static_cast<int>(samples().size()));
}

TEST_CASE("metadata records: apply_partition_change follows PartitionRegistration.merge") {
  const PartitionRecord base{0, kTopicA, {1, 2, 3}, {1, 2, 3}, {}, {}, 1, kRecovered, 4, 10};

  SUBCASE("ISR-only change bumps only the partition epoch") {
    PartitionChangeRecord change{0, kTopicA, std::vector<std::int32_t>{1, 2}, kNoLeaderChange,
                                 std::nullopt, std::nullopt};
    const PartitionRecord after = apply_partition_change(base, change);
    CHECK(after.isr == std::vector<std::int32_t>{1, 2});
    CHECK(after.leader == 1);
    CHECK(after.leader_epoch == 4);
    CHECK(after.partition_epoch == 11);
    CHECK(after.replicas == base.replicas);
  }
  SUBCASE("leader change bumps both epochs") {
    PartitionChangeRecord change{0, kTopicA, std::nullopt, 2, std::vector<std::int32_t>{2, 3, 4},
                                 kRecovering};
    const PartitionRecord after = apply_partition_change(base, change);
    CHECK(after.leader == 2);
    CHECK(after.leader_epoch == 5);
    CHECK(after.partition_epoch == 11);
    CHECK(after.isr == base.isr);
    CHECK(after.replicas == std::vector<std::int32_t>{2, 3, 4});
    CHECK(after.leader_recovery_state == kRecovering);
  }
  SUBCASE("leader -1 means leaderless and still bumps the leader epoch") {
    PartitionChangeRecord change{0, kTopicA, std::nullopt, kNoLeader, std::nullopt, std::nullopt};
    const PartitionRecord after = apply_partition_change(base, change);
    CHECK(after.leader == -1);
    CHECK(after.leader_epoch == 5);
  }
  SUBCASE("change for another partition is an assertion failure") {
    PartitionChangeRecord change{1, kTopicA, std::nullopt, 2, std::nullopt, std::nullopt};
    CHECK_THROWS_AS((void)apply_partition_change(base, change), raft::AssertionFailure);
  }
}
