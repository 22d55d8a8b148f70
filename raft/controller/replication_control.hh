// Record generators of the quorum controller for topics, partitions and configs.
//
// Kafka: org.apache.kafka.controller.ReplicationControlManager (createTopics, deleteTopics,
// generateLeaderAndIsrUpdates, handleBrokerFenced / Unfenced / InControlledShutdown,
// maybeBalancePartitionLeaders, maybeElectUncleanLeaders) and ConfigurationControlManager
// (incrementalAlterConfigs, uncleanLeaderElectionEnabledForTopic), with the request checks of
// ControllerApis and ControllerConfigurationValidator.
//
// Every operation is a pure function of a MetadataImage: the controller's in-memory state, which
// already contains its own uncommitted records (an image built with index_isr_by_broker = true).
// Nothing here mutates the image; the QuorumController appends the returned records and replays
// them into the image, in order. The only state is the Random used for topic ids and placement.
// Iteration is always in a deterministic order (topic id, then partition id).
//
// Simplifications (no ELR, metadata.version 3.9, no manual assignments, no validateOnly, no
// policies or quotas, no 10 000-record bound per operation); the topic configs understood are
// the ones listed at validate_topic_config.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "raft/controller/controller_messages.hh"
#include "raft/controller/controller_result.hh"
#include "raft/io.hh"
#include "raft/metadata/image.hh"

namespace raft::controller {

// Config keys with meaning to the controller (Kafka's TopicConfig names).
inline constexpr std::string_view kUncleanLeaderElectionEnable = "unclean.leader.election.enable";
inline constexpr std::string_view kMinInsyncReplicas = "min.insync.replicas";
inline constexpr std::string_view kRetentionMs = "retention.ms";
inline constexpr std::string_view kCleanupPolicy = "cleanup.policy";

// Kafka's ReplicationControlManager.MAX_ELECTIONS_PER_IMBALANCE.
inline constexpr std::int32_t kMaxElectionsPerImbalance = 1000;

struct ReplicationControlConfig {
  std::int32_t default_num_partitions = 1;       // num.partitions (used for -1 in CreateTopics)
  std::int16_t default_replication_factor = 1;   // default.replication.factor (used for -1)
  // Most PartitionChangeRecords one elect_preferred / elect_unclean call produces.
  std::int32_t max_elections_per_imbalance = kMaxElectionsPerImbalance;
};

// Kafka's Topic.validate: non-empty, not "." or "..", at most 249 characters, only
// [a-zA-Z0-9._-].
[[nodiscard]] bool is_valid_topic_name(std::string_view name);

// Validates one topic config (Kafka's LogConfig for the supported subset):
//   unclean.leader.election.enable  boolean ("true"/"false", any case, surrounding blanks allowed)
//   min.insync.replicas             int32 >= 1
//   retention.ms                    int64 >= -1
//   cleanup.policy                  comma-separated list of "compact" / "delete" (may be empty)
// Returns an error message, or "" if the config is valid. Unknown names are errors.
[[nodiscard]] std::string validate_topic_config(std::string_view name, std::string_view value);

// Kafka's ConfigurationControlManager.uncleanLeaderElectionEnabledForTopic: the topic's
// unclean.leader.election.enable, else the cluster default (BROKER resource ""), parsed as
// Boolean.parseBoolean (case-insensitive "true"); false when neither is set.
// Simplification: the active controller's own node-level config is not consulted.
[[nodiscard]] bool unclean_leader_election_enabled(const metadata::MetadataImage& image,
                                                   std::string_view topic);

// Kafka's ClusterControlManager.isActive: registered, unfenced and not in controlled shutdown.
[[nodiscard]] bool is_active_broker(const metadata::MetadataImage& image, std::int32_t broker);

class ReplicationControl {
 public:
  // `random` (which must outlive this object) draws topic ids and replica placements.
  explicit ReplicationControl(Random& random, ReplicationControlConfig config = {});

  // CreateTopics. One result per request entry, in request order. Checks per topic, in Kafka's
  // order: a name given more than once -> INVALID_REQUEST (every entry of it); invalid name, or
  // a name that collides with an existing topic (or one created earlier in this request) once
  // '.' is replaced by '_' -> INVALID_TOPIC_EXCEPTION; existing name -> TOPIC_ALREADY_EXISTS;
  // bad config -> INVALID_CONFIG; replication factor 0 or < -1 -> INVALID_REPLICATION_FACTOR;
  // partition count 0 or < -1 -> INVALID_PARTITIONS; placement impossible (too few usable
  // brokers, none unfenced) -> INVALID_REPLICATION_FACTOR.
  // Records of a created topic, in Kafka's order: TopicRecord (random non-zero id, unique),
  // ConfigRecords (resource TOPIC, sorted by key; a key given twice keeps the last value), then
  // one PartitionRecord per partition (replicas from place_replicas, ISR = the active replicas,
  // leader = first of them, epochs 0). Failed topics produce no records; other topics go on.
  ControllerResult<std::vector<CreatableTopicResult>> create_topics(
      const metadata::MetadataImage& image, const CreateTopicsRequest& request);

  // DeleteTopics. One result per request entry: a name given twice -> INVALID_REQUEST; unknown
  // -> UNKNOWN_TOPIC_OR_PARTITION; else a RemoveTopicRecord (which also drops the topic's
  // configs on replay).
  ControllerResult<std::vector<DeletableTopicResult>> delete_topics(
      const metadata::MetadataImage& image, const DeleteTopicsRequest& request);

  // IncrementalAlterConfigs. One response per request resource. A resource is checked as a whole
  // before any of its records is emitted: same resource twice in the request, or same key twice
  // in a resource -> INVALID_REQUEST; type not TOPIC/BROKER -> INVALID_REQUEST; TOPIC name "" ->
  // INVALID_REQUEST, invalid -> INVALID_TOPIC_EXCEPTION; BROKER name neither "" nor a
  // non-negative int -> INVALID_REQUEST; SET without value -> INVALID_CONFIG; the resulting TOPIC
  // configs must all pass validate_topic_config, and known keys of a BROKER resource too ->
  // INVALID_CONFIG; then a TOPIC must exist -> UNKNOWN_TOPIC_OR_PARTITION.
  // Records: SET emits a ConfigRecord when the value changes; DELETE emits one with no value
  // when the key is set; otherwise nothing.
  ControllerResult<std::vector<AlterConfigsResourceResponse>> incremental_alter_configs(
      const metadata::MetadataImage& image, const IncrementalAlterConfigsRequest& request);

  // Partition changes when `broker` (registered, asserted) is fenced: for every partition whose
  // ISR contains it, target ISR = ISR minus broker; acceptable leader = another active broker.
  // Election ONLINE, or UNCLEAN for topics with unclean leader election enabled (as Kafka).
  // Kafka appends these BEFORE the fencing BrokerRegistrationChangeRecord.
  [[nodiscard]] std::vector<metadata::MetadataRecord> handle_broker_fenced(
      const metadata::MetadataImage& image, std::int32_t broker) const;

  // The same partition changes for a broker entering controlled shutdown (Kafka's
  // handleBrokerInControlledShutdown). Kafka appends these AFTER the BrokerRegistrationChange
  // Record that sets InControlledShutdown.
  [[nodiscard]] std::vector<metadata::MetadataRecord> handle_broker_in_controlled_shutdown(
      const metadata::MetadataImage& image, std::int32_t broker) const;

  // Partition changes when `broker` is unfenced: an election for every leaderless partition
  // (Kafka's partitionsWithNoLeader), where `broker` counts as acceptable although `image` still
  // shows it fenced (Kafka appends these AFTER the unfencing BrokerRegistrationChangeRecord).
  // Election ONLINE, or UNCLEAN where enabled for the topic; ISR targets are unchanged.
  [[nodiscard]] std::vector<metadata::MetadataRecord> handle_broker_unfenced(
      const metadata::MetadataImage& image, std::int32_t broker) const;

  // Kafka's maybeBalancePartitionLeaders: a PREFERRED election (acceptable = active broker) for
  // every partition whose leader is not its first replica, until max_elections_per_imbalance
  // records are produced. If `more` is given, *more = true when it stopped at that bound with
  // partitions left to look at (Kafka then runs it again at once), false otherwise.
  [[nodiscard]] std::vector<metadata::MetadataRecord> elect_preferred(
      const metadata::MetadataImage& image, bool* more = nullptr) const;

  // Kafka's maybeElectUncleanLeaders: an UNCLEAN election (acceptable = active broker) for every
  // leaderless partition of a topic with unclean leader election enabled, with the same bound and
  // the same meaning of `more` as elect_preferred.
  [[nodiscard]] std::vector<metadata::MetadataRecord> elect_unclean(
      const metadata::MetadataImage& image, bool* more = nullptr) const;

 private:
  Random& random_;
  ReplicationControlConfig config_;
};

}  // namespace raft::controller
