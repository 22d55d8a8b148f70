// Data records of the __cluster_metadata log (KIP-631).
//
// Kafka: the generated classes org.apache.kafka.common.metadata.*Record (RegisterBrokerRecord,
// UnregisterBrokerRecord, BrokerRegistrationChangeRecord, TopicRecord, PartitionRecord,
// PartitionChangeRecord, RemoveTopicRecord, ConfigRecord, FeatureLevelRecord, NoOpRecord,
// ProducerIdsRecord), described by metadata/src/main/resources/common/metadata/*.json.
// Each record type is identified by its Kafka `apiKey` (the record type id).
//
// Simplifications: only the fields a core simulator needs (no IsMigratingZkBroker, LogDirs,
// Directories, ELR, SecurityProtocol, Removing/AddingReplicas in PartitionChangeRecord).
// Integer widths follow Kafka: int32 for broker ids, partition ids and leader/partition epochs,
// int64 for broker epochs and producer ids. Kafka's "absent" sentinels are kept where they are
// part of the record's meaning (Leader -1 / -2); nullable fields are std::optional.
// The binary encoding lives in record_codec.hh.
#pragma once

#include <cstdint>
#include <compare>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace raft::metadata {

// A 128-bit id (Kafka's org.apache.kafka.common.Uuid): broker incarnation ids and topic ids.
struct Uuid {
  std::uint64_t hi = 0;  // most significant 64 bits
  std::uint64_t lo = 0;  // least significant 64 bits
  auto operator<=>(const Uuid&) const = default;
  // Kafka's Uuid.ZERO_UUID means "no id"; valid topic and incarnation ids are never zero.
  [[nodiscard]] bool is_zero() const { return hi == 0 && lo == 0; }
};

// A partition of a topic, by topic id (Kafka's org.apache.kafka.common.TopicIdPartition).
struct TopicIdPartition {
  Uuid topic_id;
  std::int32_t partition_id = 0;
  auto operator<=>(const TopicIdPartition&) const = default;
};

// Leader value meaning "the partition has no leader" (PartitionRecord and PartitionChangeRecord).
inline constexpr std::int32_t kNoLeader = -1;
// PartitionChangeRecord.Leader value meaning "leader unchanged" (Kafka's NO_LEADER_CHANGE).
inline constexpr std::int32_t kNoLeaderChange = -2;

// LeaderRecoveryState values (Kafka's org.apache.kafka.metadata.LeaderRecoveryState).
inline constexpr std::int8_t kRecovered = 0;
inline constexpr std::int8_t kRecovering = 1;

// BrokerRegistrationChangeRecord Fenced / InControlledShutdown values (BrokerRegistrationFencingChange
// and BrokerRegistrationInControlledShutdownChange).
inline constexpr std::int8_t kChangeNone = 0;
inline constexpr std::int8_t kChangeSet = 1;     // fence / enter controlled shutdown
inline constexpr std::int8_t kChangeClear = -1;  // unfence (InControlledShutdown has no "clear")

// A listener of a broker: RegisterBrokerRecord.EndPoints[].
struct BrokerEndpoint {
  std::string name;        // listener name, e.g. "PLAINTEXT"
  std::string host;        // hostname
  std::uint16_t port = 0;  // TCP port
  bool operator==(const BrokerEndpoint&) const = default;
};

// A feature range the broker supports: RegisterBrokerRecord.Features[]. Invariant: min <= max.
struct BrokerFeature {
  std::string name;                  // e.g. "metadata.version"
  std::int16_t min_supported = 0;    // lowest supported feature level
  std::int16_t max_supported = 0;    // highest supported feature level
  bool operator==(const BrokerFeature&) const = default;
};

// apiKey 0: (re)creates a broker registration.
struct RegisterBrokerRecord {
  static constexpr std::int16_t kApiKey = 0;
  static constexpr std::string_view kName = "RegisterBrokerRecord";
  std::int32_t broker_id = 0;
  Uuid incarnation_id;             // new random id per broker process start
  std::int64_t broker_epoch = 0;   // offset of the controller's write that registered the broker
  std::vector<BrokerEndpoint> endpoints;
  std::vector<BrokerFeature> features;
  std::optional<std::string> rack;  // absent = no rack
  bool fenced = true;               // new registrations start fenced
  bool in_controlled_shutdown = false;
  bool operator==(const RegisterBrokerRecord&) const = default;
};

// apiKey 1: removes a broker registration.
struct UnregisterBrokerRecord {
  static constexpr std::int16_t kApiKey = 1;
  static constexpr std::string_view kName = "UnregisterBrokerRecord";
  std::int32_t broker_id = 0;
  std::int64_t broker_epoch = 0;
  bool operator==(const UnregisterBrokerRecord&) const = default;
};

// apiKey 17: changes the fencing / controlled-shutdown state of a registered broker.
struct BrokerRegistrationChangeRecord {
  static constexpr std::int16_t kApiKey = 17;
  static constexpr std::string_view kName = "BrokerRegistrationChangeRecord";
  std::int32_t broker_id = 0;
  std::int64_t broker_epoch = 0;
  std::int8_t fenced = kChangeNone;                  // kChangeSet fence, kChangeClear unfence
  std::int8_t in_controlled_shutdown = kChangeNone;  // kChangeSet = entered controlled shutdown
  bool operator==(const BrokerRegistrationChangeRecord&) const = default;
};

// apiKey 2: creates a topic.
struct TopicRecord {
  static constexpr std::int16_t kApiKey = 2;
  static constexpr std::string_view kName = "TopicRecord";
  std::string name;
  Uuid topic_id;
  bool operator==(const TopicRecord&) const = default;
};

// apiKey 3: creates or overwrites a partition.
struct PartitionRecord {
  static constexpr std::int16_t kApiKey = 3;
  static constexpr std::string_view kName = "PartitionRecord";
  std::int32_t partition_id = 0;
  Uuid topic_id;
  std::vector<std::int32_t> replicas;           // assignment order (first = preferred leader)
  std::vector<std::int32_t> isr;                // in-sync replicas
  std::vector<std::int32_t> removing_replicas;  // reassignment: replicas being removed
  std::vector<std::int32_t> adding_replicas;    // reassignment: replicas being added
  std::int32_t leader = kNoLeader;              // broker id, or kNoLeader
  std::int8_t leader_recovery_state = kRecovered;
  std::int32_t leader_epoch = 0;     // +1 on every leader change
  std::int32_t partition_epoch = 0;  // +1 on every PartitionChangeRecord
  bool operator==(const PartitionRecord&) const = default;
};

// apiKey 5: changes a partition; absent fields are unchanged (see apply_partition_change).
struct PartitionChangeRecord {
  static constexpr std::int16_t kApiKey = 5;
  static constexpr std::string_view kName = "PartitionChangeRecord";
  std::int32_t partition_id = 0;
  Uuid topic_id;
  std::optional<std::vector<std::int32_t>> isr;       // absent = unchanged
  std::int32_t leader = kNoLeaderChange;              // kNoLeaderChange, kNoLeader or a broker id
  std::optional<std::vector<std::int32_t>> replicas;  // absent = unchanged
  // Absent = unchanged. When present, must be >= 0 (Kafka encodes "absent" as -1).
  std::optional<std::int8_t> leader_recovery_state;
  bool operator==(const PartitionChangeRecord&) const = default;
};

// apiKey 9: deletes a topic and all its partitions.
struct RemoveTopicRecord {
  static constexpr std::int16_t kApiKey = 9;
  static constexpr std::string_view kName = "RemoveTopicRecord";
  Uuid topic_id;
  bool operator==(const RemoveTopicRecord&) const = default;
};

// apiKey 4: sets (value present) or deletes (value absent) one config entry.
struct ConfigRecord {
  static constexpr std::int16_t kApiKey = 4;
  static constexpr std::string_view kName = "ConfigRecord";
  std::int8_t resource_type = 0;  // Kafka ConfigResource.Type id (2 = TOPIC, 4 = BROKER)
  std::string resource_name;      // e.g. topic name, broker id as text, "" for cluster default
  std::string name;               // config key
  std::optional<std::string> value;
  bool operator==(const ConfigRecord&) const = default;
};

// apiKey 12: sets a finalized feature level (e.g. metadata.version).
struct FeatureLevelRecord {
  static constexpr std::int16_t kApiKey = 12;
  static constexpr std::string_view kName = "FeatureLevelRecord";
  std::string name;
  std::int16_t feature_level = 0;
  bool operator==(const FeatureLevelRecord&) const = default;
};

// apiKey 20: no content; written periodically by the active controller to advance offsets.
struct NoOpRecord {
  static constexpr std::int16_t kApiKey = 20;
  static constexpr std::string_view kName = "NoOpRecord";
  bool operator==(const NoOpRecord&) const = default;
};

// apiKey 15: allocates a block of producer ids to a broker.
struct ProducerIdsRecord {
  static constexpr std::int16_t kApiKey = 15;
  static constexpr std::string_view kName = "ProducerIdsRecord";
  std::int32_t broker_id = 0;
  std::int64_t broker_epoch = 0;
  std::int64_t next_producer_id = 0;  // first id not yet allocated
  bool operator==(const ProducerIdsRecord&) const = default;
};

using MetadataRecord =
    std::variant<RegisterBrokerRecord, UnregisterBrokerRecord, BrokerRegistrationChangeRecord,
                 TopicRecord, PartitionRecord, PartitionChangeRecord, RemoveTopicRecord,
                 ConfigRecord, FeatureLevelRecord, NoOpRecord, ProducerIdsRecord>;

// The Kafka apiKey (record type id) of the record.
[[nodiscard]] std::int16_t api_key(const MetadataRecord& record);
// The Kafka class name of the record, e.g. "PartitionRecord".
[[nodiscard]] std::string_view record_name(const MetadataRecord& record);

// Replays a PartitionChangeRecord onto a partition (Kafka: PartitionRegistration.merge):
// present fields replace the old ones; Leader != kNoLeaderChange sets the leader and bumps the
// leader epoch by 1; the partition epoch always grows by 1. Throws raft::AssertionFailure if the
// change is for another partition.
[[nodiscard]] PartitionRecord apply_partition_change(PartitionRecord partition,
                                                     const PartitionChangeRecord& change);

}  // namespace raft::metadata
