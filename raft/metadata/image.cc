// MetadataImage: replay of metadata records, incremental counters and fingerprint, snapshot
// records.
//
// Kafka: org.apache.kafka.image.MetadataImage / MetadataDelta and the replay methods of
// ClusterControlManager, ReplicationControlManager, ConfigurationControlManager,
// FeatureControlManager and ProducerIdControlManager; to_records() is MetadataImage.write.
//
// Every replay is O(size of the change): a partition record copies at most the one TopicImage it
// touches (and not even that when no other image shares it), and the derived state (partition
// and leaderless counts, leader counts, the ISR index, the fingerprint) is adjusted by removing
// the old entity's contribution and adding the new one's.
#include "raft/metadata/image.hh"

#include <bit>
#include <iomanip>
#include <ostream>
#include <sstream>
#include <type_traits>
#include <variant>

#include "raft/common/assert.hh"
#include "raft/common/hash.hh"
#include "raft/metadata/replay_record.hh"

namespace raft::metadata {

namespace {

// ConfigRecord.ResourceType of topic configs (Kafka ConfigResource.Type.TOPIC).
constexpr std::int8_t kTopicConfigResource = 2;

// One distinct tag per entity kind, mixed first into the entity's hash, so that entities of
// different kinds with similar fields do not hash alike.
enum class EntityTag : std::uint64_t {
  kFeature = 1,
  kBroker = 2,
  kTopic = 3,
  kPartition = 4,
  kConfig = 5,
  kProducerIds = 6,
};

Hasher tagged(EntityTag tag) {
  Hasher h;
  h.add(static_cast<std::uint64_t>(tag));
  return h;
}

void add_uuid(Hasher& h, const Uuid& id) {
  h.add(id.hi);
  h.add(id.lo);
}

void add_ids(Hasher& h, const std::vector<std::int32_t>& ids) {
  h.add(static_cast<std::uint64_t>(ids.size()));
  for (std::int32_t id : ids) h.add_signed(id);
}

std::uint64_t feature_hash(std::string_view name, std::int16_t level) {
  Hasher h = tagged(EntityTag::kFeature);
  h.add(name);
  h.add_signed(level);
  return h.digest();
}

// Everything operator== compares; not register_record_offset.
std::uint64_t broker_hash(const BrokerRegistration& b) {
  Hasher h = tagged(EntityTag::kBroker);
  h.add_signed(b.id);
  add_uuid(h, b.incarnation_id);
  h.add_signed(b.epoch);
  h.add(static_cast<std::uint64_t>(b.rack.has_value()));
  if (b.rack) h.add(*b.rack);
  h.add(static_cast<std::uint64_t>(b.fenced));
  h.add(static_cast<std::uint64_t>(b.in_controlled_shutdown));
  return h.digest();
}

// The topic's identity only; its partitions are separate entities.
std::uint64_t topic_hash(const Uuid& id, std::string_view name) {
  Hasher h = tagged(EntityTag::kTopic);
  add_uuid(h, id);
  h.add(name);
  return h.digest();
}

std::uint64_t partition_hash(const PartitionRecord& p) {
  Hasher h = tagged(EntityTag::kPartition);
  add_uuid(h, p.topic_id);
  h.add_signed(p.partition_id);
  add_ids(h, p.replicas);
  add_ids(h, p.isr);
  add_ids(h, p.removing_replicas);
  add_ids(h, p.adding_replicas);
  h.add_signed(p.leader);
  h.add_signed(p.leader_recovery_state);
  h.add_signed(p.leader_epoch);
  h.add_signed(p.partition_epoch);
  return h.digest();
}

std::uint64_t config_hash(const ConfigResource& resource, std::string_view key,
                          std::string_view value) {
  Hasher h = tagged(EntityTag::kConfig);
  h.add_signed(resource.type);
  h.add(resource.name);
  h.add(key);
  h.add(value);
  return h.digest();
}

// Only an allocated id (> 0) is an entity; an empty image has fingerprint 0.
std::uint64_t producer_ids_hash(std::int64_t next_producer_id) {
  if (next_producer_id == 0) return 0;
  Hasher h = tagged(EntityTag::kProducerIds);
  h.add_signed(next_producer_id);
  return h.digest();
}

// Prints a Uuid as 32 hex digits, for assertion messages.
struct UuidText {
  const Uuid& id;
};
std::ostream& operator<<(std::ostream& os, UuidText u) {
  std::ostringstream s;
  s << std::hex << std::setfill('0') << std::setw(16) << u.id.hi << std::setw(16) << u.id.lo;
  return os << s.str();
}

std::int32_t as_partition_index(std::size_t size) { return static_cast<std::int32_t>(size); }

}  // namespace

// ---- partition entries and topics ----

PartitionEntry::PartitionEntry(PartitionRecord record)
    : PartitionRecord(std::move(record)), hash(partition_hash(*this)) {}

PartitionPtr make_partition_entry(PartitionRecord record) {
  return std::make_shared<const PartitionEntry>(std::move(record));
}

bool TopicImage::operator==(const TopicImage& other) const {
  if (name != other.name || id != other.id || partitions.size() != other.partitions.size()) {
    return false;
  }
  for (std::size_t i = 0; i < partitions.size(); ++i) {
    const PartitionPtr& mine = partitions[i];
    const PartitionPtr& theirs = other.partitions[i];
    if (mine != theirs && static_cast<const PartitionRecord&>(*mine) != *theirs) return false;
  }
  return true;
}

// ---- replay ----

void MetadataImage::replay(const MetadataRecord& record, Offset offset) {
  std::visit([&](const auto& r) { replay_record(r, offset); }, record);
}

void MetadataImage::set_provenance(Provenance provenance) {
  KR_ASSERT(provenance.end_offset >= provenance_.end_offset &&
                provenance.last_epoch >= provenance_.last_epoch,
            "image provenance goes back: end_offset " << provenance_.end_offset << " -> "
                                                      << provenance.end_offset << ", epoch "
                                                      << provenance_.last_epoch << " -> "
                                                      << provenance.last_epoch);
  provenance_ = provenance;
}

void MetadataImage::replay_record(const RegisterBrokerRecord& record, Offset offset) {
  KR_ASSERT(record.broker_id >= 0,
            "RegisterBrokerRecord with negative broker id " << record.broker_id);
  BrokerRegistration next;
  next.id = record.broker_id;
  next.incarnation_id = record.incarnation_id;
  next.epoch = record.broker_epoch;
  next.rack = record.rack;
  next.fenced = record.fenced;
  next.in_controlled_shutdown = record.in_controlled_shutdown;
  next.register_record_offset = offset;
  auto [it, inserted] = brokers_.try_emplace(record.broker_id, next);
  if (!inserted) {
    fingerprint_ -= broker_hash(it->second);
    it->second = next;
  }
  fingerprint_ += broker_hash(next);
}

void MetadataImage::replay_record(const UnregisterBrokerRecord& record, Offset /*offset*/) {
  auto it = brokers_.find(record.broker_id);
  KR_ASSERT(it != brokers_.end(),
            "UnregisterBrokerRecord for unregistered broker " << record.broker_id);
  KR_ASSERT(it->second.epoch == record.broker_epoch,
            "UnregisterBrokerRecord for broker " << record.broker_id << " with epoch "
                                                 << record.broker_epoch
                                                 << ", registered epoch is " << it->second.epoch);
  fingerprint_ -= broker_hash(it->second);
  brokers_.erase(it);
}

void MetadataImage::replay_record(const BrokerRegistrationChangeRecord& record,
                                  Offset /*offset*/) {
  auto it = brokers_.find(record.broker_id);
  KR_ASSERT(it != brokers_.end(),
            "BrokerRegistrationChangeRecord for unregistered broker " << record.broker_id);
  BrokerRegistration& b = it->second;
  KR_ASSERT(b.epoch == record.broker_epoch,
            "BrokerRegistrationChangeRecord for broker " << record.broker_id << " with epoch "
                                                         << record.broker_epoch
                                                         << ", registered epoch is " << b.epoch);
  KR_ASSERT(record.fenced == kChangeNone || record.fenced == kChangeSet ||
                record.fenced == kChangeClear,
            "BrokerRegistrationChangeRecord for broker " << record.broker_id
                                                         << " with invalid Fenced value "
                                                         << int{record.fenced});
  KR_ASSERT(record.in_controlled_shutdown == kChangeNone ||
                record.in_controlled_shutdown == kChangeSet,
            "BrokerRegistrationChangeRecord for broker "
                << record.broker_id << " with invalid InControlledShutdown value "
                << int{record.in_controlled_shutdown});
  fingerprint_ -= broker_hash(b);
  if (record.fenced == kChangeSet) b.fenced = true;
  if (record.fenced == kChangeClear) {
    b.fenced = false;
    b.in_controlled_shutdown = false;
  }
  if (record.in_controlled_shutdown == kChangeSet) b.in_controlled_shutdown = true;
  fingerprint_ += broker_hash(b);
}

void MetadataImage::replay_record(const TopicRecord& record, Offset /*offset*/) {
  KR_ASSERT(!record.topic_id.is_zero(), "TopicRecord " << record.name << " with the zero topic id");
  KR_ASSERT(!topics_.contains(record.topic_id),
            "TopicRecord " << record.name << " with existing topic id "
                           << UuidText{record.topic_id});
  KR_ASSERT(!topic_ids_by_name_.contains(record.name),
            "TopicRecord with existing topic name " << record.name << " (new id "
                                                    << UuidText{record.topic_id} << ")");
  auto topic = std::make_shared<TopicImage>();
  topic->name = record.name;
  topic->id = record.topic_id;
  topics_.emplace(record.topic_id, std::move(topic));
  topic_ids_by_name_.emplace(record.name, record.topic_id);
  fingerprint_ += topic_hash(record.topic_id, record.name);
}

void MetadataImage::replay_record(const PartitionRecord& record, Offset /*offset*/) {
  put_partition(make_partition_entry(record));
}

void MetadataImage::replay_record(const PartitionChangeRecord& record, Offset /*offset*/) {
  PartitionPtr& slot = existing_partition(record);
  replace_partition(slot, make_partition_entry(apply_partition_change(*slot, record)));
}

void MetadataImage::replace_partition(PartitionPtr& slot, PartitionPtr next) {
  account_partition(*slot, false);
  slot = std::move(next);
  account_partition(*slot, true);
}

void MetadataImage::put_partition(PartitionPtr entry) {
  const PartitionRecord& record = *entry;
  auto it = topics_.find(record.topic_id);
  KR_ASSERT(it != topics_.end(), "PartitionRecord " << record.partition_id << " for unknown topic "
                                                    << UuidText{record.topic_id});
  const std::size_t count = it->second->partitions.size();
  KR_ASSERT(record.partition_id >= 0 && record.partition_id <= as_partition_index(count),
            "PartitionRecord " << record.partition_id << " for topic " << it->second->name
                               << " which has " << count
                               << " partitions (a new partition must be the next id)");
  KR_ASSERT(record.leader >= kNoLeader,
            "PartitionRecord " << it->second->name << "-" << record.partition_id
                               << " with leader " << record.leader);
  TopicImage& topic = writable_topic(it->second);
  const auto index = static_cast<std::size_t>(record.partition_id);
  if (index < count) {
    account_partition(*topic.partitions[index], false);
    topic.partitions[index] = std::move(entry);
  } else {
    topic.partitions.push_back(std::move(entry));
  }
  account_partition(*topic.partitions[index], true);
}

PartitionPtr& MetadataImage::existing_partition(const PartitionChangeRecord& record) {
  auto it = topics_.find(record.topic_id);
  KR_ASSERT(it != topics_.end(), "PartitionChangeRecord " << record.partition_id
                                                          << " for unknown topic "
                                                          << UuidText{record.topic_id});
  const std::size_t count = it->second->partitions.size();
  KR_ASSERT(record.partition_id >= 0 && record.partition_id < as_partition_index(count),
            "PartitionChangeRecord for unknown partition " << it->second->name << "-"
                                                           << record.partition_id << " (topic has "
                                                           << count << " partitions)");
  return writable_topic(it->second).partitions[static_cast<std::size_t>(record.partition_id)];
}

void MetadataImage::replay(const ReplayRecord& record, Offset offset) {
  if (record.partition) {
    put_partition(record.partition);
    return;
  }
  const ReplayRecord::Other& other = *record.other;
  const auto* change = std::get_if<PartitionChangeRecord>(&other.record);
  if (change == nullptr) {
    replay(other.record, offset);
    return;
  }
  PartitionPtr& slot = existing_partition(*change);
  if (other.change_input != slot) {
    // Not the state the memo saw (or no memo yet): this image computes the result.
    other.change_output = make_partition_entry(apply_partition_change(*slot, *change));
    other.change_input = slot;
  }
  replace_partition(slot, other.change_output);
}

void MetadataImage::replay_record(const RemoveTopicRecord& record, Offset /*offset*/) {
  auto it = topics_.find(record.topic_id);
  KR_ASSERT(it != topics_.end(),
            "RemoveTopicRecord for unknown topic " << UuidText{record.topic_id});
  const TopicImagePtr topic = it->second;  // keeps the topic alive while its entry is erased
  for (const PartitionPtr& p : topic->partitions) account_partition(*p, false);
  fingerprint_ -= topic_hash(topic->id, topic->name);
  topic_ids_by_name_.erase(topic->name);
  topics_.erase(it);
  auto configs = configs_.find(ConfigResource{kTopicConfigResource, topic->name});
  if (configs != configs_.end()) {
    for (const auto& [key, value] : configs->second) {
      fingerprint_ -= config_hash(configs->first, key, value);
    }
    configs_.erase(configs);
  }
}

void MetadataImage::replay_record(const ConfigRecord& record, Offset /*offset*/) {
  ConfigResource resource{record.resource_type, record.resource_name};
  if (record.value) {
    auto& entries = configs_[resource];
    auto [it, inserted] = entries.try_emplace(record.name, *record.value);
    if (!inserted) {
      fingerprint_ -= config_hash(resource, record.name, it->second);
      it->second = *record.value;
    }
    fingerprint_ += config_hash(resource, record.name, *record.value);
    return;
  }
  auto entries = configs_.find(resource);
  if (entries == configs_.end()) return;
  auto it = entries->second.find(record.name);
  if (it == entries->second.end()) return;
  fingerprint_ -= config_hash(resource, record.name, it->second);
  entries->second.erase(it);
  if (entries->second.empty()) configs_.erase(entries);
}

void MetadataImage::replay_record(const FeatureLevelRecord& record, Offset /*offset*/) {
  KR_ASSERT(record.feature_level >= 0, "FeatureLevelRecord " << record.name
                                                             << " with negative level "
                                                             << record.feature_level);
  auto it = features_.find(record.name);
  if (it != features_.end()) {
    fingerprint_ -= feature_hash(it->first, it->second);
    features_.erase(it);
  }
  if (record.feature_level == 0) return;
  features_.emplace(record.name, record.feature_level);
  fingerprint_ += feature_hash(record.name, record.feature_level);
}

void MetadataImage::replay_record(const NoOpRecord& /*record*/, Offset /*offset*/) {}

void MetadataImage::replay_record(const ProducerIdsRecord& record, Offset /*offset*/) {
  KR_ASSERT(record.next_producer_id > next_producer_id_,
            "ProducerIdsRecord from broker " << record.broker_id << " sets next producer id "
                                             << record.next_producer_id << ", not above "
                                             << next_producer_id_);
  fingerprint_ -= producer_ids_hash(next_producer_id_);
  next_producer_id_ = record.next_producer_id;
  fingerprint_ += producer_ids_hash(next_producer_id_);
}

TopicImage& MetadataImage::writable_topic(TopicImagePtr& slot) {
  if (slot.use_count() != 1) slot = std::make_shared<TopicImage>(*slot);
  // Every TopicImage is created non-const by this class (make_shared<TopicImage>), and this
  // image holds the only reference, so writing through it is well-defined and unobservable.
  return const_cast<TopicImage&>(*slot);
}

void MetadataImage::account_partition(const PartitionEntry& partition, bool present) {
  const std::int64_t delta = present ? 1 : -1;
  partition_count_ += delta;
  if (partition.leader == kNoLeader) {
    leaderless_count_ += delta;
  } else {
    std::int64_t& led = leader_counts_[partition.leader];
    led += delta;
    if (led == 0) leader_counts_.erase(partition.leader);
  }
  for (std::int32_t broker : partition.replicas) {
    std::int64_t& hosted = replica_counts_[broker];
    hosted += delta;
    if (hosted == 0) replica_counts_.erase(broker);
  }
  if (present) {
    fingerprint_ += partition.hash;
  } else {
    fingerprint_ -= partition.hash;
  }
  if (options_.index_isr_by_broker) index_isr(partition, present);
}

void MetadataImage::index_isr(const PartitionRecord& partition, bool present) {
  const auto index = static_cast<std::size_t>(partition.partition_id);
  const std::size_t word = index / 64;
  const std::uint64_t bit = std::uint64_t{1} << (index % 64);
  for (std::int32_t broker : partition.isr) {
    if (present) {
      PartitionBits& bits = isr_index_[broker][partition.topic_id];
      if (bits.words.size() <= word) bits.words.resize(word + 1, 0);
      if ((bits.words[word] & bit) != 0) continue;  // a duplicate ISR entry
      bits.words[word] |= bit;
      ++bits.count;
      continue;
    }
    auto by_broker = isr_index_.find(broker);
    if (by_broker == isr_index_.end()) continue;
    auto by_topic = by_broker->second.find(partition.topic_id);
    if (by_topic == by_broker->second.end()) continue;
    PartitionBits& bits = by_topic->second;
    if (word >= bits.words.size() || (bits.words[word] & bit) == 0) continue;  // duplicate
    bits.words[word] &= ~bit;
    if (--bits.count > 0) continue;
    by_broker->second.erase(by_topic);
    if (by_broker->second.empty()) isr_index_.erase(by_broker);
  }
}

// ---- queries ----

std::optional<std::int16_t> MetadataImage::feature_level(std::string_view name) const {
  auto it = features_.find(name);
  if (it == features_.end()) return std::nullopt;
  return it->second;
}

const BrokerRegistration* MetadataImage::broker(std::int32_t id) const {
  auto it = brokers_.find(id);
  return it == brokers_.end() ? nullptr : &it->second;
}

const TopicImage* MetadataImage::topic(const Uuid& id) const {
  auto it = topics_.find(id);
  return it == topics_.end() ? nullptr : it->second.get();
}

const TopicImage* MetadataImage::topic_by_name(std::string_view name) const {
  auto it = topic_ids_by_name_.find(name);
  return it == topic_ids_by_name_.end() ? nullptr : topic(it->second);
}

const PartitionRecord* MetadataImage::partition(const TopicIdPartition& tp) const {
  const TopicImage* t = topic(tp.topic_id);
  if (t == nullptr || tp.partition_id < 0 ||
      tp.partition_id >= as_partition_index(t->partitions.size())) {
    return nullptr;
  }
  return t->partitions[static_cast<std::size_t>(tp.partition_id)].get();
}

std::vector<TopicIdPartition> MetadataImage::isr_partitions_of(std::int32_t broker) const {
  KR_ASSERT(options_.index_isr_by_broker,
            "isr_partitions_of(" << broker << ") on an image without the ISR index");
  std::vector<TopicIdPartition> out;
  auto by_broker = isr_index_.find(broker);
  if (by_broker == isr_index_.end()) return out;
  for (const auto& [topic_id, bits] : by_broker->second) {
    for (std::size_t w = 0; w < bits.words.size(); ++w) {
      for (std::uint64_t word = bits.words[w]; word != 0; word &= word - 1) {
        const auto index = w * 64 + static_cast<std::size_t>(std::countr_zero(word));
        out.push_back(TopicIdPartition{topic_id, static_cast<std::int32_t>(index)});
      }
    }
  }
  return out;
}

std::int64_t MetadataImage::replica_count(std::int32_t broker) const {
  auto it = replica_counts_.find(broker);
  return it == replica_counts_.end() ? 0 : it->second;
}

std::int64_t MetadataImage::leader_count(std::int32_t broker) const {
  auto it = leader_counts_.find(broker);
  return it == leader_counts_.end() ? 0 : it->second;
}

std::optional<std::string> MetadataImage::config(std::int8_t type, std::string_view resource,
                                                 std::string_view key) const {
  auto entries = configs_.find(ConfigResource{type, std::string(resource)});
  if (entries == configs_.end()) return std::nullopt;
  auto it = entries->second.find(std::string(key));
  if (it == entries->second.end()) return std::nullopt;
  return it->second;
}

// ---- comparison and snapshots ----

void MetadataImage::write(ImageWriter& writer) const {
  for (const auto& [name, level] : features_) writer.write(FeatureLevelRecord{name, level});
  for (const auto& [id, b] : brokers_) {
    RegisterBrokerRecord r;
    r.broker_id = id;
    r.incarnation_id = b.incarnation_id;
    r.broker_epoch = b.epoch;
    r.rack = b.rack;
    r.fenced = b.fenced;
    r.in_controlled_shutdown = b.in_controlled_shutdown;
    writer.write(MetadataRecord(std::move(r)));
  }
  for (const auto& [id, topic] : topics_) {
    writer.write(TopicRecord{topic->name, id});
    for (const PartitionPtr& p : topic->partitions) {
      writer.write(static_cast<const PartitionRecord&>(*p));
    }
  }
  for (const auto& [resource, entries] : configs_) {
    for (const auto& [key, value] : entries) {
      writer.write(ConfigRecord{resource.type, resource.name, key, value});
    }
  }
  // Kafka's ProducerIdsImage.write uses broker id -1 and broker epoch -1.
  if (next_producer_id_ != 0) writer.write(ProducerIdsRecord{-1, -1, next_producer_id_});
}

std::vector<MetadataRecord> MetadataImage::to_records() const {
  struct Collect final : ImageWriter {
    std::vector<MetadataRecord> out;
    void write(const MetadataRecord& record) override { out.push_back(record); }
    void write(const PartitionRecord& record) override { out.emplace_back(record); }
  } collect;
  write(collect);
  return std::move(collect.out);
}

bool MetadataImage::operator==(const MetadataImage& other) const {
  if (features_ != other.features_ || brokers_ != other.brokers_ ||
      configs_ != other.configs_ || next_producer_id_ != other.next_producer_id_ ||
      topics_.size() != other.topics_.size()) {
    return false;
  }
  auto theirs = other.topics_.begin();
  for (const auto& [id, topic] : topics_) {
    if (id != theirs->first) return false;
    if (topic != theirs->second && !(*topic == *theirs->second)) return false;
    ++theirs;
  }
  return true;
}

}  // namespace raft::metadata
