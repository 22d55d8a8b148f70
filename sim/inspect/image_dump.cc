// A node's metadata image as text (image_dump.hh).
//
// The image a node holds: a controller's (or combined node's) committed image, a broker's
// loaded image (what its loader applied, published or not). Body:
//   features:
//     metadata.version: 21
//   brokers:
//     broker 3: epoch 12, fenced: false, inControlledShutdown: false, rack: none
//   topics:
//     orders (topicId k3xT0...), 6 partitions
//       partition 0: leader 3, leaderEpoch 1, partitionEpoch 2, replicas [3,4,5], isr [3,4,5]
//   configs:
//     TOPIC orders: retention.ms=1000
//   nextProducerId: 0
// Topics are listed by name, brokers and partitions by id, so equal content prints equal text.
#include "sim/inspect/image_dump.hh"

#include <algorithm>
#include <sstream>
#include <vector>

#include "sim/inspect/node_roles.hh"
#include "sim/inspect/record_json.hh"

namespace sim::inspect {

namespace md = raft::metadata;

namespace {

// The image node `id` holds, or null (down, or no metadata state machine).
const md::MetadataImage* image_of(const Simulation& sim, raft::NodeId id) {
  const NodeHost& node = sim.node(id);
  if (!node.is_alive()) return nullptr;
  if (const auto* c = node.controller()) return &c->committed_image();
  if (const auto* b = node.broker()) return &b->loader().image();
  return nullptr;
}

std::string id_list(const std::vector<std::int32_t>& ids) {
  std::string out = "[";
  for (std::size_t i = 0; i < ids.size(); ++i) out += (i ? "," : "") + std::to_string(ids[i]);
  return out + "]";
}

// Kafka's ConfigResource.Type names of the ids ConfigRecord uses.
std::string resource_type_name(std::int8_t type) {
  switch (type) {
    case 2: return "TOPIC";
    case 4: return "BROKER";
    case 8: return "BROKER_LOGGER";
    default: return "TYPE_" + std::to_string(type);
  }
}

void print_partition(std::ostream& out, const md::PartitionRecord& p) {
  out << "    partition " << p.partition_id << ": leader " << p.leader << ", leaderEpoch "
      << p.leader_epoch << ", partitionEpoch " << p.partition_epoch << ", replicas "
      << id_list(p.replicas) << ", isr " << id_list(p.isr);
  if (!p.removing_replicas.empty()) out << ", removingReplicas " << id_list(p.removing_replicas);
  if (!p.adding_replicas.empty()) out << ", addingReplicas " << id_list(p.adding_replicas);
  if (p.leader_recovery_state != md::kRecovered) out << ", leader recovering";
  out << "\n";
}

std::string body_of(const md::MetadataImage& image) {
  std::ostringstream out;
  out << "features:\n";
  for (const auto& [name, level] : image.features()) out << "  " << name << ": " << level << "\n";
  out << "brokers:\n";
  for (const auto& [id, b] : image.brokers()) {
    out << "  broker " << id << ": epoch " << b.epoch << ", fenced: " << (b.fenced ? "true" : "false")
        << ", inControlledShutdown: " << (b.in_controlled_shutdown ? "true" : "false")
        << ", rack: " << b.rack.value_or("none") << "\n";
  }
  out << "topics:\n";
  std::vector<const md::TopicImage*> topics;
  for (const auto& [topic_id, t] : image.topics()) topics.push_back(t.get());
  std::sort(topics.begin(), topics.end(),
            [](const md::TopicImage* a, const md::TopicImage* b) { return a->name < b->name; });
  for (const md::TopicImage* t : topics) {
    out << "  " << t->name << " (topicId " << format_uuid(t->id) << "), " << t->partitions.size()
        << " partitions\n";
    for (const md::PartitionPtr& p : t->partitions) print_partition(out, *p);
  }
  out << "configs:\n";
  for (const auto& [resource, entries] : image.configs()) {
    out << "  " << resource_type_name(resource.type) << " '" << resource.name << "':";
    for (const auto& [key, value] : entries) out << " " << key << "=" << value;
    out << "\n";
  }
  out << "nextProducerId: " << image.next_producer_id() << "\n";
  return out.str();
}

}  // namespace

std::optional<std::string> describe_image(const Simulation& sim, raft::NodeId id) {
  const md::MetadataImage* image = image_of(sim, id);
  if (image == nullptr) return std::nullopt;
  std::ostringstream out;
  out << "node " << id << " (" << node_roles(sim.node(id)) << "), image at offset "
      << image_offset(sim, id) << " (epoch " << image->provenance().last_epoch << ")\n";
  return out.str() + body_of(*image);
}

std::optional<std::string> image_body(const Simulation& sim, raft::NodeId id) {
  const md::MetadataImage* image = image_of(sim, id);
  if (image == nullptr) return std::nullopt;
  return body_of(*image);
}

std::int64_t image_offset(const Simulation& sim, raft::NodeId id) {
  const md::MetadataImage* image = image_of(sim, id);
  return image == nullptr ? -1 : image->provenance().end_offset.value() - 1;
}

}  // namespace sim::inspect
