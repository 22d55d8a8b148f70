// Topic, partition and config record generators of the quorum controller (Kafka:
// ReplicationControlManager and ConfigurationControlManager).
#include "raft/controller/replication_control.hh"

#include <algorithm>
#include <cctype>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "raft/common/assert.hh"
#include "raft/controller/partition_change_builder.hh"
#include "raft/controller/replica_placer.hh"

namespace raft::controller {
namespace {

using metadata::ConfigRecord;
using metadata::MetadataImage;
using metadata::MetadataRecord;
using metadata::PartitionRecord;
using metadata::TopicIdPartition;
using metadata::Uuid;

constexpr std::size_t kMaxTopicNameLength = 249;  // Kafka's Topic.MAX_NAME_LENGTH

// ---- value parsing (Kafka's ConfigDef.parseType for the types we need) --------------------------

std::string_view trim(std::string_view s) {
  const auto blank = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::optional<bool> parse_boolean(std::string_view text) {
  const std::string_view t = trim(text);
  if (iequals(t, "true")) return true;
  if (iequals(t, "false")) return false;
  return std::nullopt;
}

// A decimal integer with an optional sign (like Long.parseLong after trimming), or nullopt.
std::optional<std::int64_t> parse_int64(std::string_view text) {
  std::string_view t = trim(text);
  bool negative = false;
  if (!t.empty() && (t.front() == '-' || t.front() == '+')) {
    negative = t.front() == '-';
    t.remove_prefix(1);
  }
  if (t.empty()) return std::nullopt;
  // Accumulate as a negative number so that the minimum value fits.
  std::int64_t value = 0;
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  for (char c : t) {
    if (c < '0' || c > '9') return std::nullopt;
    const std::int64_t digit = c - '0';
    if (value < (kMin + digit) / 10) return std::nullopt;
    value = value * 10 - digit;
  }
  if (!negative) {
    if (value == kMin) return std::nullopt;
    value = -value;
  }
  return value;
}

std::string validate_cleanup_policy(std::string_view value) {
  std::string_view rest = trim(value);
  if (rest.empty()) return {};
  while (true) {
    const std::size_t comma = rest.find(',');
    const std::string_view item = trim(rest.substr(0, comma));
    if (item != "compact" && item != "delete") {
      return "Invalid value " + std::string(item) + " for configuration cleanup.policy";
    }
    if (comma == std::string_view::npos) return {};
    rest = rest.substr(comma + 1);
  }
}

std::string validate_bounded_int(std::string_view name, std::string_view value, std::int64_t min,
                                 std::int64_t max) {
  const auto parsed = parse_int64(value);
  if (!parsed || *parsed < min || *parsed > max) {
    return "Invalid value " + std::string(value) + " for configuration " + std::string(name);
  }
  return {};
}

// The broker-level configs that share a name with a topic config (and are validated alike).
bool is_validated_broker_config(std::string_view name) {
  return name == kUncleanLeaderElectionEnable || name == kMinInsyncReplicas;
}

// ---- topic names ----------------------------------------------------------------------------

// Kafka's Topic.hasCollisionChars / unifyCollisionChars: '.' and '_' collide in metric names.
bool has_collision_chars(std::string_view name) {
  return name.find_first_of("._") != std::string_view::npos;
}

std::string unify_collision_chars(std::string_view name) {
  std::string out(name);
  std::replace(out.begin(), out.end(), '.', '_');
  return out;
}

// Topic names (existing, then created by this request) by their '.'->'_' normalized form.
class CollisionIndex {
 public:
  explicit CollisionIndex(const MetadataImage& image) {
    for (const auto& [id, topic] : image.topics()) add(topic->name);
  }
  void add(std::string_view name) {
    if (has_collision_chars(name)) by_normalized_.emplace(unify_collision_chars(name), name);
  }
  // The existing name `name` would collide with, if any.
  [[nodiscard]] std::optional<std::string> collision(std::string_view name) const {
    if (!has_collision_chars(name)) return std::nullopt;
    auto it = by_normalized_.find(unify_collision_chars(name));
    if (it == by_normalized_.end()) return std::nullopt;
    return it->second;
  }

 private:
  std::map<std::string, std::string> by_normalized_;
};

// ---- cluster helpers ---------------------------------------------------------------------------

// Kafka: ClusterControlManager.usableBrokers (registered, not in controlled shutdown).
std::vector<UsableBroker> usable_brokers(const MetadataImage& image) {
  std::vector<UsableBroker> out;
  for (const auto& [id, broker] : image.brokers()) {
    if (!broker.in_controlled_shutdown) out.push_back(UsableBroker{id, broker.rack, broker.fenced});
  }
  return out;
}

std::uint64_t random_u64(Random& random) {
  constexpr std::int64_t k32 = std::int64_t{1} << 32;
  const auto hi = static_cast<std::uint64_t>(random.next_int(k32));
  const auto lo = static_cast<std::uint64_t>(random.next_int(k32));
  return (hi << 32) | lo;
}

// A random topic id that is not zero, not Kafka's reserved METADATA_TOPIC_ID (0, 1), and not in
// use by the image or by `taken`.
Uuid random_topic_id(Random& random, const MetadataImage& image, const std::set<Uuid>& taken) {
  while (true) {
    const Uuid id{random_u64(random), random_u64(random)};
    if (id.is_zero() || id == Uuid{0, 1}) continue;
    if (image.topic(id) != nullptr || taken.count(id) != 0) continue;
    return id;
  }
}

// All partitions of the image, in (topic id, partition id) order, that satisfy `pred`.
template <typename Pred>
std::vector<TopicIdPartition> partitions_where(const MetadataImage& image, Pred pred) {
  std::vector<TopicIdPartition> out;
  for (const auto& [id, topic] : image.topics()) {
    for (const metadata::PartitionPtr& partition : topic->partitions) {
      if (pred(*partition)) out.push_back(TopicIdPartition{id, partition->partition_id});
    }
  }
  return out;
}

// Kafka's generateLeaderAndIsrUpdates: for each partition, target ISR = ISR minus
// `broker_to_remove`; acceptable leader = not broker_to_remove and (broker_to_add or active).
template <typename Partitions>
std::vector<MetadataRecord> leader_and_isr_updates(const MetadataImage& image,
                                                   std::optional<std::int32_t> broker_to_remove,
                                                   std::optional<std::int32_t> broker_to_add,
                                                   const Partitions& partitions) {
  const LeaderPredicate acceptable = [&](std::int32_t r) {
    if (broker_to_remove && r == *broker_to_remove) return false;
    return (broker_to_add && r == *broker_to_add) || is_active_broker(image, r);
  };
  std::vector<MetadataRecord> records;
  for (const TopicIdPartition& tp : partitions) {
    const metadata::TopicImage* topic = image.topic(tp.topic_id);
    const PartitionRecord* partition = image.partition(tp);
    KR_ASSERT(topic != nullptr && partition != nullptr,
              "ISR index names unknown partition " << tp.partition_id);
    std::vector<std::int32_t> target_isr;
    for (std::int32_t r : partition->isr) {
      if (!broker_to_remove || r != *broker_to_remove) target_isr.push_back(r);
    }
    const Election election = unclean_leader_election_enabled(image, topic->name)
                                  ? Election::Unclean
                                  : Election::Online;
    if (auto change = build_partition_change(*partition, acceptable, election, target_isr)) {
      records.emplace_back(std::move(*change));
    }
  }
  return records;
}

// ---- create topics -----------------------------------------------------------------------------

struct NewTopic {
  Uuid id;
  std::map<std::string, std::string> configs;
  std::vector<std::vector<std::int32_t>> replicas;
  std::vector<std::vector<std::int32_t>> isrs;
};

ApiError check_topic_name(const MetadataImage& image, const CollisionIndex& collisions,
                          std::string_view name) {
  if (!is_valid_topic_name(name)) return ApiError::INVALID_TOPIC_EXCEPTION;
  if (image.topic_by_name(name) != nullptr) return ApiError::TOPIC_ALREADY_EXISTS;
  if (collisions.collision(name)) return ApiError::INVALID_TOPIC_EXCEPTION;
  return ApiError::NONE;
}

ApiError collect_creation_configs(const CreatableTopic& topic,
                                  std::map<std::string, std::string>& out) {
  for (const CreatableTopicConfig& config : topic.configs) out[config.name] = config.value;
  for (const auto& [name, value] : out) {
    if (!validate_topic_config(name, value).empty()) return ApiError::INVALID_CONFIG;
  }
  return ApiError::NONE;
}

// Replicas and ISRs of the new partitions (Kafka's createTopic, automatic assignment branch).
ApiError assign_partitions(const MetadataImage& image, const CreatableTopic& topic,
                           const ReplicationControlConfig& config, Random& random,
                           NewTopic& out) {
  if (topic.replication_factor == 0 || topic.replication_factor < -1) {
    return ApiError::INVALID_REPLICATION_FACTOR;
  }
  if (topic.num_partitions == 0 || topic.num_partitions < -1) return ApiError::INVALID_PARTITIONS;
  const std::int32_t num_partitions =
      topic.num_partitions == -1 ? config.default_num_partitions : topic.num_partitions;
  const std::int32_t replication_factor = topic.replication_factor == -1
                                              ? config.default_replication_factor
                                              : topic.replication_factor;
  PlacementResult placement =
      place_replicas(num_partitions, replication_factor, usable_brokers(image), random);
  if (!placement.ok()) return ApiError::INVALID_REPLICATION_FACTOR;
  for (auto& replicas : placement.assignments) {
    std::vector<std::int32_t> isr;
    std::copy_if(replicas.begin(), replicas.end(), std::back_inserter(isr),
                 [&](std::int32_t r) { return is_active_broker(image, r); });
    // All replicas fenced or shutting down (cannot happen: the leader is placed on an active
    // broker); Kafka answers like the placer would.
    if (isr.empty()) return ApiError::INVALID_REPLICATION_FACTOR;
    out.isrs.push_back(std::move(isr));
    out.replicas.push_back(std::move(replicas));
  }
  return ApiError::NONE;
}

void append_topic_records(const std::string& name, const NewTopic& topic,
                          std::vector<MetadataRecord>& records) {
  records.emplace_back(metadata::TopicRecord{name, topic.id});
  // Kafka: "ConfigRecords go after TopicRecord but before PartitionRecord(s)".
  for (const auto& [key, value] : topic.configs) {
    records.emplace_back(ConfigRecord{kResourceTopic, name, key, value});
  }
  for (std::size_t p = 0; p < topic.replicas.size(); ++p) {
    PartitionRecord partition;
    partition.partition_id = static_cast<std::int32_t>(p);
    partition.topic_id = topic.id;
    partition.replicas = topic.replicas[p];
    partition.isr = topic.isrs[p];
    partition.leader = topic.isrs[p].front();
    records.emplace_back(std::move(partition));
  }
}

// ---- incremental alter configs -----------------------------------------------------------------

ApiError check_config_resource(const AlterConfigsResource& resource) {
  if (resource.resource_type == kResourceTopic) {
    if (resource.resource_name.empty()) return ApiError::INVALID_REQUEST;
    if (!is_valid_topic_name(resource.resource_name)) return ApiError::INVALID_TOPIC_EXCEPTION;
    return ApiError::NONE;
  }
  if (resource.resource_type == kResourceBroker) {
    if (resource.resource_name.empty()) return ApiError::NONE;  // cluster default
    const auto id = parse_int64(resource.resource_name);
    const bool plain_digits = resource.resource_name.find_first_not_of("0123456789+-") ==
                              std::string::npos;
    if (!id || !plain_digits || *id < 0 || *id > std::numeric_limits<std::int32_t>::max()) {
      return ApiError::INVALID_REQUEST;
    }
    return ApiError::NONE;
  }
  return ApiError::INVALID_REQUEST;  // Kafka: "Unknown resource type"
}

bool has_duplicate_keys(const AlterConfigsResource& resource) {
  std::set<std::string_view> keys;
  for (const AlterableConfig& config : resource.configs) {
    if (!keys.insert(config.name).second) return true;
  }
  return false;
}

// Kafka: ConfigurationControlManager.incrementalAlterConfigResource + validateAlterConfig.
ApiError alter_config_resource(const MetadataImage& image, const AlterConfigsResource& resource,
                               std::vector<MetadataRecord>& out) {
  if (ApiError e = check_config_resource(resource); e != ApiError::NONE) return e;
  if (has_duplicate_keys(resource)) return ApiError::INVALID_REQUEST;
  const metadata::ConfigResource key{resource.resource_type, resource.resource_name};
  std::map<std::string, std::string> configs;
  if (auto it = image.configs().find(key); it != image.configs().end()) configs = it->second;

  std::vector<MetadataRecord> records;
  for (const AlterableConfig& op : resource.configs) {
    auto current = configs.find(op.name);
    if (op.op == AlterConfigOp::SET) {
      if (!op.value) return ApiError::INVALID_CONFIG;
      if (current != configs.end() && current->second == *op.value) continue;
      records.emplace_back(ConfigRecord{key.type, key.name, op.name, op.value});
      configs[op.name] = *op.value;
    } else if (current != configs.end()) {
      records.emplace_back(ConfigRecord{key.type, key.name, op.name, std::nullopt});
      configs.erase(current);
    }
  }
  for (const auto& [name, value] : configs) {
    const bool validated = key.type == kResourceTopic || is_validated_broker_config(name);
    if (validated && !validate_topic_config(name, value).empty()) return ApiError::INVALID_CONFIG;
  }
  if (key.type == kResourceTopic && image.topic_by_name(key.name) == nullptr) {
    return ApiError::UNKNOWN_TOPIC_OR_PARTITION;
  }
  out.insert(out.end(), std::make_move_iterator(records.begin()),
             std::make_move_iterator(records.end()));
  return ApiError::NONE;
}

}  // namespace

// ---- free functions ------------------------------------------------------------------------------

bool is_valid_topic_name(std::string_view name) {
  if (name.empty() || name == "." || name == "..") return false;
  if (name.size() > kMaxTopicNameLength) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '_' || c == '-';
  });
}

std::string validate_topic_config(std::string_view name, std::string_view value) {
  if (name == kUncleanLeaderElectionEnable) {
    if (parse_boolean(value)) return {};
    return "Invalid value " + std::string(value) + " for configuration " + std::string(name) +
           ": Expected value to be either true or false";
  }
  if (name == kMinInsyncReplicas) {
    return validate_bounded_int(name, value, 1, std::numeric_limits<std::int32_t>::max());
  }
  if (name == kRetentionMs) {
    return validate_bounded_int(name, value, -1, std::numeric_limits<std::int64_t>::max());
  }
  if (name == kCleanupPolicy) return validate_cleanup_policy(value);
  return "Unknown topic config name: " + std::string(name);
}

bool unclean_leader_election_enabled(const MetadataImage& image, std::string_view topic) {
  auto value = image.config(kResourceTopic, topic, kUncleanLeaderElectionEnable);
  if (!value) value = image.config(kResourceBroker, "", kUncleanLeaderElectionEnable);
  return value && iequals(*value, "true");
}

bool is_active_broker(const MetadataImage& image, std::int32_t broker) {
  const metadata::BrokerRegistration* registration = image.broker(broker);
  return registration != nullptr && !registration->fenced && !registration->in_controlled_shutdown;
}

// ---- ReplicationControl --------------------------------------------------------------------------

ReplicationControl::ReplicationControl(Random& random, ReplicationControlConfig config)
    : random_(random), config_(config) {}

ControllerResult<std::vector<CreatableTopicResult>> ReplicationControl::create_topics(
    const MetadataImage& image, const CreateTopicsRequest& request) {
  std::map<std::string, int> occurrences;
  for (const CreatableTopic& topic : request.topics) ++occurrences[topic.name];
  CollisionIndex collisions(image);
  std::set<Uuid> new_ids;

  ControllerResult<std::vector<CreatableTopicResult>> result;
  for (const CreatableTopic& topic : request.topics) {
    CreatableTopicResult& out = result.response.emplace_back();
    out.name = topic.name;
    if (occurrences[topic.name] > 1) {
      out.error = ApiError::INVALID_REQUEST;  // Kafka's ControllerApis: duplicate topic name
      continue;
    }
    NewTopic created;
    out.error = check_topic_name(image, collisions, topic.name);
    if (out.error == ApiError::NONE) out.error = collect_creation_configs(topic, created.configs);
    if (out.error == ApiError::NONE) {
      out.error = assign_partitions(image, topic, config_, random_, created);
    }
    if (out.error != ApiError::NONE) continue;
    created.id = random_topic_id(random_, image, new_ids);
    new_ids.insert(created.id);
    collisions.add(topic.name);
    out.topic_id = created.id;
    append_topic_records(topic.name, created, result.records);
  }
  return result;
}

ControllerResult<std::vector<DeletableTopicResult>> ReplicationControl::delete_topics(
    const MetadataImage& image, const DeleteTopicsRequest& request) {
  std::map<std::string, int> occurrences;
  for (const std::string& name : request.names) ++occurrences[name];
  ControllerResult<std::vector<DeletableTopicResult>> result;
  for (const std::string& name : request.names) {
    DeletableTopicResult& out = result.response.emplace_back();
    out.name = name;
    const metadata::TopicImage* topic = image.topic_by_name(name);
    if (occurrences[name] > 1) {
      out.error = ApiError::INVALID_REQUEST;
    } else if (topic == nullptr) {
      out.error = ApiError::UNKNOWN_TOPIC_OR_PARTITION;
    } else {
      result.records.emplace_back(metadata::RemoveTopicRecord{topic->id});
    }
  }
  return result;
}

ControllerResult<std::vector<AlterConfigsResourceResponse>>
ReplicationControl::incremental_alter_configs(const MetadataImage& image,
                                              const IncrementalAlterConfigsRequest& request) {
  std::map<metadata::ConfigResource, int> occurrences;
  for (const AlterConfigsResource& r : request.resources) {
    ++occurrences[metadata::ConfigResource{r.resource_type, r.resource_name}];
  }
  ControllerResult<std::vector<AlterConfigsResourceResponse>> result;
  for (const AlterConfigsResource& resource : request.resources) {
    AlterConfigsResourceResponse& out = result.response.emplace_back();
    out.resource_type = resource.resource_type;
    out.resource_name = resource.resource_name;
    if (occurrences[metadata::ConfigResource{resource.resource_type, resource.resource_name}] > 1) {
      out.error = ApiError::INVALID_REQUEST;  // Kafka's ControllerApis: duplicate resource
      continue;
    }
    out.error = alter_config_resource(image, resource, result.records);
  }
  return result;
}

std::vector<MetadataRecord> ReplicationControl::handle_broker_fenced(const MetadataImage& image,
                                                                     std::int32_t broker) const {
  KR_ASSERT(image.broker(broker) != nullptr, "cannot fence unregistered broker " << broker);
  return leader_and_isr_updates(image, broker, std::nullopt, image.isr_partitions_of(broker));
}

std::vector<MetadataRecord> ReplicationControl::handle_broker_in_controlled_shutdown(
    const MetadataImage& image, std::int32_t broker) const {
  KR_ASSERT(image.broker(broker) != nullptr, "unregistered broker " << broker);
  return leader_and_isr_updates(image, broker, std::nullopt, image.isr_partitions_of(broker));
}

std::vector<MetadataRecord> ReplicationControl::handle_broker_unfenced(const MetadataImage& image,
                                                                       std::int32_t broker) const {
  if (image.leaderless_partition_count() == 0) return {};
  const auto leaderless = partitions_where(
      image, [](const PartitionRecord& p) { return p.leader == metadata::kNoLeader; });
  return leader_and_isr_updates(image, std::nullopt, broker, leaderless);
}

std::vector<MetadataRecord> ReplicationControl::elect_preferred(const MetadataImage& image,
                                                                bool* more) const {
  const auto imbalanced = partitions_where(image, [](const PartitionRecord& p) {
    return !p.replicas.empty() && p.leader != p.replicas.front();
  });
  const LeaderPredicate active = [&](std::int32_t r) { return is_active_broker(image, r); };
  const auto bound = static_cast<std::size_t>(std::max(config_.max_elections_per_imbalance, 1));
  std::vector<MetadataRecord> records;
  if (more != nullptr) *more = false;
  for (const TopicIdPartition& tp : imbalanced) {
    if (records.size() >= bound) {
      if (more != nullptr) *more = true;
      break;
    }
    if (auto change = build_partition_change(*image.partition(tp), active, Election::Preferred)) {
      records.emplace_back(std::move(*change));
    }
  }
  return records;
}

std::vector<MetadataRecord> ReplicationControl::elect_unclean(const MetadataImage& image,
                                                              bool* more) const {
  if (more != nullptr) *more = false;
  if (image.leaderless_partition_count() == 0) return {};
  const auto leaderless = partitions_where(image, [&](const PartitionRecord& p) {
    return p.leader == metadata::kNoLeader;
  });
  const LeaderPredicate active = [&](std::int32_t r) { return is_active_broker(image, r); };
  const auto bound = static_cast<std::size_t>(std::max(config_.max_elections_per_imbalance, 1));
  std::vector<MetadataRecord> records;
  for (const TopicIdPartition& tp : leaderless) {
    if (!unclean_leader_election_enabled(image, image.topic(tp.topic_id)->name)) continue;
    if (records.size() >= bound) {
      if (more != nullptr) *more = true;
      break;
    }
    if (auto change = build_partition_change(*image.partition(tp), active, Election::Unclean)) {
      records.emplace_back(std::move(*change));
    }
  }
  return records;
}

}  // namespace raft::controller
