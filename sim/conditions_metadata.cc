// Metadata conditions. See conditions_metadata.hh.
#include "sim/conditions_metadata.hh"

#include <algorithm>
#include <set>
#include <sstream>

#include "sim/time.hh"

namespace sim {

namespace {

using raft::metadata::MetadataImage;

ConditionOutcome active_controller(const ClusterView& view, bool want) {
  const std::optional<ActiveController> active = view.active_controller();
  std::ostringstream os;
  if (active) {
    os << "node " << active->node << " active in epoch " << active->epoch << " since "
       << format_ms(active->at);
  } else {
    os << "no active controller (highest voter epoch " << view.highest_voter_epoch() << ")";
  }
  return {active.has_value() == want, os.str()};
}

ConditionOutcome brokers_unfenced(const MetadataImage& image, const ClusterView& view) {
  std::ostringstream os;
  bool holds = true;
  const std::vector<NodeId> running = view.running_brokers();
  for (NodeId id : running) {
    const auto* b = image.broker(id.value());
    if (b != nullptr && !b->fenced) continue;
    holds = false;
    os << "broker " << id << (b == nullptr ? " not registered; " : " fenced; ");
  }
  if (holds) os << running.size() << " running broker(s), all unfenced";
  return {holds, os.str()};
}

// BrokerFenced / BrokerUnfenced / BrokerLeadsNothing.
ConditionOutcome broker_state(const Condition& c, const MetadataImage& image, const ClusterView& view) {
  const std::optional<NodeId> id = condition_node(*c.node, view.observations());
  if (!id) return {false, "the broker selector names no node (yet)"};
  const std::string name = "broker " + std::to_string(id->value());
  if (c.type == ConditionType::BrokerLeadsNothing) {
    const std::int64_t led = image.leader_count(id->value());
    return {led == 0, name + " leads " + std::to_string(led) + " partition(s)"};
  }
  const auto* b = image.broker(id->value());
  if (b == nullptr) return {false, name + " is not registered"};
  const bool want_fenced = c.type == ConditionType::BrokerFenced;
  std::string observed = name + (b->fenced ? " fenced" : " unfenced") + " (broker epoch " +
                         std::to_string(b->epoch) + ")";
  return {b->fenced == want_fenced, observed};
}

ConditionOutcome partitions(const Condition& c, const MetadataImage& image) {
  std::ostringstream os;
  os << image.leaderless_partition_count() << " of " << image.partition_count()
     << " partition(s) without a leader";
  if (c.type == ConditionType::PartitionLeaderless) {
    return {image.leaderless_partition_count() > 0, os.str()};
  }
  return {image.leaderless_partition_count() == 0 && image.partition_count() > 0, os.str()};
}

// LivePartitionsLed: every partition with a running broker in its ISR is led by a running
// broker. Costs O(running brokers x the partitions whose ISR holds them): it reads the image's
// ISR index, which the committed reference image (CommittedMetadataModel) keeps.
ConditionOutcome live_partitions_led(const MetadataImage& image, const ClusterView& view) {
  const std::vector<NodeId> running = view.running_brokers();
  auto is_running = [&running](std::int32_t id) {
    return std::find(running.begin(), running.end(), NodeId(id)) != running.end();
  };
  std::set<raft::metadata::TopicIdPartition> seen;
  std::int64_t unled = 0;
  std::string first;
  for (NodeId b : running) {
    for (const auto& tp : image.isr_partitions_of(b.value())) {
      if (!seen.insert(tp).second) continue;
      const auto* p = image.partition(tp);
      if (p == nullptr || (p->leader != raft::metadata::kNoLeader && is_running(p->leader))) continue;
      if (unled++ == 0) {
        const auto* t = image.topic(tp.topic_id);
        first = (t != nullptr ? t->name : std::string("?")) + "-" + std::to_string(tp.partition_id) +
                (p->leader == raft::metadata::kNoLeader ? " has no leader"
                                                        : " is led by stopped broker " + std::to_string(p->leader));
      }
    }
  }
  std::ostringstream os;
  os << unled << " of " << seen.size() << " partition(s) with a running ISR member not led by a running broker";
  if (unled > 0) os << " (" << first << ")";
  return {unled == 0, os.str()};
}

ConditionOutcome topic(const Condition& c, const MetadataImage& image) {
  const bool exists = image.topic_by_name(c.topic) != nullptr;
  const bool want = c.type == ConditionType::TopicExists;
  return {exists == want, "topic '" + c.topic + (exists ? "' exists" : "' does not exist")};
}

ConditionOutcome images_agree(const ClusterView& view) {
  const auto images = view.running_images();
  if (images.empty()) return {false, "no running node has published an image"};
  std::ostringstream os;
  bool holds = true;
  const std::uint64_t first = images.front().second->fingerprint();
  for (const auto& [id, image] : images) {
    if (image->fingerprint() != first) holds = false;
    os << "node " << id << " @" << image->provenance().end_offset.value() - 1 << " #"
       << std::hex << (image->fingerprint() & 0xffff) << std::dec << "; ";
  }
  return {holds, (holds ? "all " + std::to_string(images.size()) + " images equal: " : "differ: ") +
                     os.str()};
}

AdminResult result_of(AdminOutcome::Result r) {
  switch (r) {
    case AdminOutcome::Result::ACKNOWLEDGED: return AdminResult::Acknowledged;
    case AdminOutcome::Result::FAILED: return AdminResult::Failed;
    case AdminOutcome::Result::UNKNOWN: return AdminResult::Unknown;
    case AdminOutcome::Result::PENDING: break;
  }
  return AdminResult::Pending;
}

ConditionOutcome admin_request(const Condition& c, const ClusterView& view) {
  const auto& labels = view.observations().actions_by_label;
  auto it = labels.find(c.request);
  if (it == labels.end() || !it->second.admin_op) {
    return {false, "'" + c.request + "' has not submitted its request (yet)"};
  }
  const AdminOutcome& o = view.admin_outcomes()->at(*it->second.admin_op - 1);
  const AdminResult got = result_of(o.result);
  const std::string error(raft::controller::to_string(o.error));
  std::string observed = "'" + c.request + "' " + std::string(to_string(got));
  if (got != AdminResult::Acknowledged) observed += " (" + error + ")";
  observed += " after " + std::to_string(o.attempts) + " attempt(s)";
  return {got == c.outcome && (!c.error || *c.error == error), observed};
}

ConditionOutcome admin_outcomes(const Condition& c, const ClusterView& view) {
  std::int64_t counts[4] = {0, 0, 0, 0};  // acknowledged, failed, unknown, pending
  for (const AdminOutcome& o : *view.admin_outcomes()) ++counts[static_cast<int>(result_of(o.result))];
  std::ostringstream os;
  os << counts[0] << " acknowledged, " << counts[1] << " failed, " << counts[2] << " unknown, "
     << counts[3] << " pending";
  return {counts[0] >= c.value && counts[1] <= c.max_failed && counts[2] <= c.max_unknown, os.str()};
}

}  // namespace

ConditionOutcome evaluate_metadata_condition(const Condition& c, const ClusterView& view) {
  const MetadataImage* image = view.committed_image();
  if (image == nullptr) return {false, "not a metadata cluster"};
  switch (c.type) {
    case ConditionType::ActiveController: return active_controller(view, true);
    case ConditionType::NoActiveController: return active_controller(view, false);
    case ConditionType::BrokersUnfenced: return brokers_unfenced(*image, view);
    case ConditionType::BrokerFenced:
    case ConditionType::BrokerUnfenced:
    case ConditionType::BrokerLeadsNothing: return broker_state(c, *image, view);
    case ConditionType::PartitionsLed:
    case ConditionType::PartitionLeaderless: return partitions(c, *image);
    case ConditionType::LivePartitionsLed: return live_partitions_led(*image, view);
    case ConditionType::TopicExists:
    case ConditionType::TopicAbsent: return topic(c, *image);
    case ConditionType::ImagesAgree: return images_agree(view);
    case ConditionType::AdminRequest: return admin_request(c, view);
    case ConditionType::AdminOutcomes: return admin_outcomes(c, view);
    default: break;
  }
  return {false, "not a metadata condition"};
}

}  // namespace sim
