// The metadata image: the state that replaying the __cluster_metadata log produces.
//
// Kafka: org.apache.kafka.image.MetadataImage (FeaturesImage, ClusterImage, TopicsImage,
// ConfigurationsImage, ProducerIdsImage) with MetadataProvenance, and the replay logic of
// MetadataDelta / the controller managers (ClusterControlManager.replay, ReplicationControlManager
// .replay, ConfigurationControlManager.replay, FeatureControlManager.replay).
//
// One class serves brokers (MetadataLoader), standby controllers and the active controller's
// in-memory state. Kafka keeps immutable images and builds a new one from a MetadataDelta; here
// an image is a value that replay() mutates, and copies are cheap where it matters: every topic
// is held by shared_ptr<const TopicImage> and copied on write, so copying an image copies the
// topic index, not the partitions (structural sharing between images).
//
// fingerprint() is an order-independent hash of the whole content, maintained incrementally by
// replay() (O(change) per record): two images with equal content have equal fingerprints, so the
// invariant checkers compare images of different nodes at the same offset in O(1).
//
// Replay is strict, like Kafka's fatal replay faults: a record that does not fit the image (a
// PartitionRecord or PartitionChangeRecord for an unknown topic or partition, a change for an
// unknown broker, a stale broker epoch...) throws raft::AssertionFailure.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "raft/common/ids.hh"
#include "raft/metadata/records.hh"

namespace raft::metadata {

struct ReplayRecord;  // replay_record.hh

// A registered broker (Kafka: org.apache.kafka.metadata.BrokerRegistration).
struct BrokerRegistration {
  std::int32_t id = 0;
  Uuid incarnation_id;
  std::int64_t epoch = 0;           // broker epoch from the RegisterBrokerRecord
  std::optional<std::string> rack;
  bool fenced = true;
  bool in_controlled_shutdown = false;
  // Offset of the RegisterBrokerRecord that created this registration (Kafka keeps it in
  // ClusterControlManager.registerBrokerRecordOffsets): heartbeats report IsCaughtUp once the
  // broker applied it (KAFKA-13959). Records loaded from a snapshot are replayed at the
  // snapshot's last contained offset (as Kafka does), so this is not part of the content: it is
  // left out of operator== and of the image fingerprint.
  Offset register_record_offset{0};
  bool operator==(const BrokerRegistration& o) const {
    return id == o.id && incarnation_id == o.incarnation_id && epoch == o.epoch && rack == o.rack &&
           fenced == o.fenced && in_controlled_shutdown == o.in_controlled_shutdown;
  }
};

// A partition as images hold it (Kafka: org.apache.kafka.metadata.PartitionRegistration): the
// record, plus its contribution to the image fingerprint, computed once when the entry is built.
// Immutable, and shared by pointer between every image that holds this exact state of the
// partition: copies of an image, and the images of different nodes that replayed the same
// decoded record (see replay_record.hh). Compares as its PartitionRecord.
struct PartitionEntry : PartitionRecord {
  explicit PartitionEntry(PartitionRecord record);
  std::uint64_t hash = 0;  // order-independent fingerprint term of this partition's content
};
using PartitionPtr = std::shared_ptr<const PartitionEntry>;

// A shared entry for `record`.
[[nodiscard]] PartitionPtr make_partition_entry(PartitionRecord record);

// A topic and its partitions (Kafka: org.apache.kafka.image.TopicImage).
// Invariant: partitions[i]->partition_id == i and partitions[i]->topic_id == id; no null entry.
struct TopicImage {
  std::string name;
  Uuid id;
  std::vector<PartitionPtr> partitions;
  // Same name, id and partition contents (shared entries compare equal without being read).
  bool operator==(const TopicImage& other) const;
};
using TopicImagePtr = std::shared_ptr<const TopicImage>;

// A config resource: (ConfigRecord.ResourceType, ResourceName).
struct ConfigResource {
  std::int8_t type = 0;
  std::string name;
  auto operator<=>(const ConfigResource&) const = default;
};

// The end of what an image contains (Kafka: MetadataProvenance): the exclusive end offset of the
// last applied batch and that batch's epoch. An empty image has end offset 0 and epoch 0.
struct Provenance {
  Offset end_offset{0};
  Epoch last_epoch{0};
  bool operator==(const Provenance&) const = default;
};

// Receives the records of an image in snapshot order (Kafka: org.apache.kafka.image.writer
// .ImageWriter). Partitions come separately so that they are not copied into a MetadataRecord.
class ImageWriter {
 public:
  virtual ~ImageWriter() = default;
  virtual void write(const MetadataRecord& record) = 0;
  virtual void write(const PartitionRecord& record) = 0;
};

class MetadataImage {
 public:
  struct Options {
    // Maintain the broker -> ISR-membership index (isr_partitions_of). The controller needs it
    // to fence a broker in O(its partitions); brokers do not pay for it.
    bool index_isr_by_broker = false;
  };

  MetadataImage() = default;
  explicit MetadataImage(Options options) : options_(options) {}

  // Applies one record, found at `offset` in the log (the offset matters only for
  // RegisterBrokerRecord, see BrokerRegistration::register_record_offset). Semantics per record
  // type as in kraft-protocol.md 11.1:
  //   RegisterBrokerRecord           (re)creates the registration (replacing an older one)
  //   UnregisterBrokerRecord         removes it (asserts the epoch matches)
  //   BrokerRegistrationChangeRecord fence / unfence / enter controlled shutdown (asserts epoch);
  //                                  unfencing also clears in_controlled_shutdown
  //   TopicRecord                    creates the topic with no partitions (asserts new name and id)
  //   PartitionRecord                creates or overwrites a partition; a new partition must be
  //                                  the next id of its topic
  //   PartitionChangeRecord          apply_partition_change (asserts the partition exists)
  //   RemoveTopicRecord              deletes the topic, its partitions and its TOPIC configs
  //   ConfigRecord                   sets or (value absent) deletes a config key; an empty
  //                                  resource map is removed
  //   FeatureLevelRecord             sets the finalized level (level 0 removes the feature)
  //   ProducerIdsRecord              next_producer_id = record.next_producer_id (asserts growth)
  //   NoOpRecord                     nothing
  void replay(const MetadataRecord& record, Offset offset);
  // The same for a record decoded once for every node (replay_record.hh): a PartitionRecord
  // stores the record's shared entry, and a PartitionChangeRecord applied to the partition entry
  // the record's memo saw before reuses the memo's result, so every node that replays the same
  // batch onto the same state shares the resulting partition entries.
  void replay(const ReplayRecord& record, Offset offset);
  // Sets the provenance after the records of a batch were replayed. Asserts it does not go back.
  void set_provenance(Provenance provenance);
  [[nodiscard]] const Provenance& provenance() const { return provenance_; }

  // ---- features ----
  [[nodiscard]] const std::map<std::string, std::int16_t, std::less<>>& features() const {
    return features_;
  }
  // The finalized level of `name`, or nullopt.
  [[nodiscard]] std::optional<std::int16_t> feature_level(std::string_view name) const;

  // ---- cluster ----
  [[nodiscard]] const std::map<std::int32_t, BrokerRegistration>& brokers() const { return brokers_; }
  [[nodiscard]] const BrokerRegistration* broker(std::int32_t id) const;

  // ---- topics ----
  [[nodiscard]] const std::map<Uuid, TopicImagePtr>& topics() const { return topics_; }
  [[nodiscard]] const TopicImage* topic(const Uuid& id) const;
  [[nodiscard]] const TopicImage* topic_by_name(std::string_view name) const;
  [[nodiscard]] const PartitionRecord* partition(const TopicIdPartition& tp) const;
  // Total partitions over all topics, and those with leader == kNoLeader. O(1).
  [[nodiscard]] std::int64_t partition_count() const { return partition_count_; }
  [[nodiscard]] std::int64_t leaderless_partition_count() const { return leaderless_count_; }
  // Partitions whose ISR contains `broker` (so also those it leads), in (topic id, partition
  // id) order. Requires Options::index_isr_by_broker (asserts). O(topics it is in + result).
  [[nodiscard]] std::vector<TopicIdPartition> isr_partitions_of(std::int32_t broker) const;
  // Number of partitions whose leader is `broker`. O(1); maintained for every image.
  [[nodiscard]] std::int64_t leader_count(std::int32_t broker) const;
  // Number of partitions listing `broker` among their replicas (a replica listed twice counts
  // twice). O(1); maintained for every image.
  [[nodiscard]] std::int64_t replica_count(std::int32_t broker) const;

  // ---- configs ----
  [[nodiscard]] const std::map<ConfigResource, std::map<std::string, std::string>>& configs() const {
    return configs_;
  }
  [[nodiscard]] std::optional<std::string> config(std::int8_t type, std::string_view resource,
                                                  std::string_view key) const;

  // ---- producer ids ----
  [[nodiscard]] std::int64_t next_producer_id() const { return next_producer_id_; }

  // ---- comparison and snapshots ----
  // Order-independent hash of the content (features, brokers, topics, partitions, configs,
  // producer ids; not the provenance). Equal content => equal fingerprint. O(1).
  [[nodiscard]] std::uint64_t fingerprint() const { return fingerprint_; }
  // Records that rebuild this image when replayed in order into an empty image (a snapshot's
  // content, Kafka's MetadataImage.write): FeatureLevelRecords first, then RegisterBrokerRecords
  // (with the fenced / controlled-shutdown state folded in), TopicRecords each followed by its
  // PartitionRecords, ConfigRecords, and a ProducerIdsRecord if any id was allocated.
  // Replaying them gives an image equal to this one (operator==, same fingerprint).
  [[nodiscard]] std::vector<MetadataRecord> to_records() const;
  // The records of to_records(), in the same order, handed to `writer` one by one
  // (Kafka: MetadataImage.write). O(image); copies nothing.
  void write(ImageWriter& writer) const;
  // Deep equality of content (not provenance, not options).
  bool operator==(const MetadataImage& other) const;

 private:
  // Replay of one record type each (image.cc); `offset` as in replay(), used only by
  // RegisterBrokerRecord.
  void replay_record(const RegisterBrokerRecord& record, Offset offset);
  void replay_record(const UnregisterBrokerRecord& record, Offset offset);
  void replay_record(const BrokerRegistrationChangeRecord& record, Offset offset);
  void replay_record(const TopicRecord& record, Offset offset);
  void replay_record(const PartitionRecord& record, Offset offset);
  void replay_record(const PartitionChangeRecord& record, Offset offset);
  // A new or overwritten partition: `entry` replaces the partition at entry->partition_id.
  void put_partition(PartitionPtr entry);
  // The partition of `record`, asserting it exists; the slot that holds it.
  PartitionPtr& existing_partition(const PartitionChangeRecord& record);
  // Puts `next` in `slot` (a slot of a writable topic), moving the accounting from the old entry.
  void replace_partition(PartitionPtr& slot, PartitionPtr next);
  void replay_record(const RemoveTopicRecord& record, Offset offset);
  void replay_record(const ConfigRecord& record, Offset offset);
  void replay_record(const FeatureLevelRecord& record, Offset offset);
  void replay_record(const NoOpRecord& record, Offset offset);
  void replay_record(const ProducerIdsRecord& record, Offset offset);
  // The topic held at `slot` made writable: copied first unless this image holds the only
  // reference to it (copy-on-write; other images and TopicImagePtr holders never see a change).
  static TopicImage& writable_topic(TopicImagePtr& slot);
  // Adds (`present` true) or removes the contribution of one partition to partition_count_,
  // leaderless_count_, leader_counts_, isr_index_ (if indexed) and fingerprint_.
  void account_partition(const PartitionEntry& partition, bool present);
  // Sets (`present`) or clears the ISR-index bit of `partition` for each ISR member.
  void index_isr(const PartitionRecord& partition, bool present);

  Options options_;
  Provenance provenance_;
  std::map<std::string, std::int16_t, std::less<>> features_;
  std::map<std::int32_t, BrokerRegistration> brokers_;
  std::map<Uuid, TopicImagePtr> topics_;
  std::map<std::string, Uuid, std::less<>> topic_ids_by_name_;
  std::map<ConfigResource, std::map<std::string, std::string>> configs_;
  std::int64_t next_producer_id_ = 0;
  std::int64_t partition_count_ = 0;
  std::int64_t leaderless_count_ = 0;
  std::map<std::int32_t, std::int64_t> leader_counts_;
  std::map<std::int32_t, std::int64_t> replica_counts_;
  // The ISR index: per broker, per topic, a bit per partition id (set = in the ISR), and the
  // number of bits set. Compact enough that copying an image with millions of partitions is cheap.
  struct PartitionBits {
    std::vector<std::uint64_t> words;  // bit p of words[p / 64] is partition p
    std::int64_t count = 0;            // number of bits set (> 0 while the entry exists)
    bool operator==(const PartitionBits&) const = default;
  };
  std::map<std::int32_t, std::map<Uuid, PartitionBits>> isr_index_;
  std::uint64_t fingerprint_ = 0;
};

}  // namespace raft::metadata
