// Metadata records as JSON lines (record_json.hh).
#include "sim/inspect/record_json.hh"

#include <array>
#include <cctype>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <type_traits>
#include <variant>

#include "raft/metadata/record_codec.hh"

namespace sim::inspect {

namespace md = raft::metadata;
using Json = nlohmann::ordered_json;

namespace {

Json node_list(const std::vector<raft::NodeId>& ids, const char* key) {
  Json out = Json::array();
  for (raft::NodeId id : ids) out.push_back(Json{{key, id.value()}});
  return out;
}

Json optional_string(const std::optional<std::string>& s) { return s ? Json(*s) : Json(nullptr); }

Json data_of(const md::RegisterBrokerRecord& r) {
  Json endpoints = Json::array();
  for (const md::BrokerEndpoint& e : r.endpoints) {
    endpoints.push_back(Json{{"name", e.name}, {"host", e.host}, {"port", e.port}});
  }
  Json features = Json::array();
  for (const md::BrokerFeature& f : r.features) {
    features.push_back(Json{{"name", f.name},
                            {"minSupportedVersion", f.min_supported},
                            {"maxSupportedVersion", f.max_supported}});
  }
  return Json{{"brokerId", r.broker_id},       {"incarnationId", format_uuid(r.incarnation_id)},
              {"brokerEpoch", r.broker_epoch}, {"endPoints", endpoints},
              {"features", features},          {"rack", optional_string(r.rack)},
              {"fenced", r.fenced},            {"inControlledShutdown", r.in_controlled_shutdown}};
}

Json data_of(const md::UnregisterBrokerRecord& r) {
  return Json{{"brokerId", r.broker_id}, {"brokerEpoch", r.broker_epoch}};
}

Json data_of(const md::BrokerRegistrationChangeRecord& r) {
  return Json{{"brokerId", r.broker_id},
              {"brokerEpoch", r.broker_epoch},
              {"fenced", static_cast<int>(r.fenced)},
              {"inControlledShutdown", static_cast<int>(r.in_controlled_shutdown)}};
}

Json data_of(const md::TopicRecord& r) {
  return Json{{"name", r.name}, {"topicId", format_uuid(r.topic_id)}};
}

Json data_of(const md::PartitionRecord& r) {
  return Json{{"partitionId", r.partition_id},
              {"topicId", format_uuid(r.topic_id)},
              {"replicas", r.replicas},
              {"isr", r.isr},
              {"removingReplicas", r.removing_replicas},
              {"addingReplicas", r.adding_replicas},
              {"leader", r.leader},
              {"leaderRecoveryState", static_cast<int>(r.leader_recovery_state)},
              {"leaderEpoch", r.leader_epoch},
              {"partitionEpoch", r.partition_epoch}};
}

// Absent fields (unchanged) are left out, as Kafka leaves out tagged fields at their default.
Json data_of(const md::PartitionChangeRecord& r) {
  Json out{{"partitionId", r.partition_id}, {"topicId", format_uuid(r.topic_id)}};
  if (r.isr) out["isr"] = *r.isr;
  out["leader"] = r.leader;
  if (r.replicas) out["replicas"] = *r.replicas;
  if (r.leader_recovery_state) out["leaderRecoveryState"] = static_cast<int>(*r.leader_recovery_state);
  return out;
}

Json data_of(const md::RemoveTopicRecord& r) { return Json{{"topicId", format_uuid(r.topic_id)}}; }

Json data_of(const md::ConfigRecord& r) {
  return Json{{"resourceType", static_cast<int>(r.resource_type)},
              {"resourceName", r.resource_name},
              {"name", r.name},
              {"value", optional_string(r.value)}};
}

Json data_of(const md::FeatureLevelRecord& r) {
  return Json{{"name", r.name}, {"featureLevel", r.feature_level}};
}

Json data_of(const md::NoOpRecord&) { return Json::object(); }

Json data_of(const md::ProducerIdsRecord& r) {
  return Json{{"brokerId", r.broker_id},
              {"brokerEpoch", r.broker_epoch},
              {"nextProducerId", r.next_producer_id}};
}

}  // namespace

std::string format_uuid(const md::Uuid& id) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::array<std::uint8_t, 16> bytes{};
  for (std::size_t i = 0; i < 8; ++i) {
    bytes[i] = static_cast<std::uint8_t>(id.hi >> (56 - 8 * i));
    bytes[8 + i] = static_cast<std::uint8_t>(id.lo >> (56 - 8 * i));
  }
  std::string out;
  // Five groups of three bytes give 20 characters; the 16th byte gives the last two.
  for (std::size_t i = 0; i < 15; i += 3) {
    const std::uint32_t group = (std::uint32_t{bytes[i]} << 16) |
                                (std::uint32_t{bytes[i + 1]} << 8) | std::uint32_t{bytes[i + 2]};
    for (int shift = 18; shift >= 0; shift -= 6) out += kAlphabet[(group >> shift) & 0x3fU];
  }
  out += kAlphabet[bytes[15] >> 2];
  out += kAlphabet[(bytes[15] & 0x3U) << 4];
  return out;
}

std::string record_type_name(const md::MetadataRecord& record) {
  std::string out;
  for (char c : md::record_name(record)) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isupper(u) && !out.empty()) out += '_';
    out += static_cast<char>(std::toupper(u));
  }
  return out;
}

std::string record_json(const md::MetadataRecord& record) {
  const Json data = std::visit([](const auto& r) { return data_of(r); }, record);
  const Json out{{"type", record_type_name(record)}, {"version", md::kRecordVersion}, {"data", data}};
  return out.dump();
}

std::string leader_change_json(const raft::LeaderChangeMessage& message) {
  const Json out{{"version", 0},
                 {"leaderId", message.leader_id.value()},
                 {"voters", node_list(message.voters, "voterId")},
                 {"grantingVoters", node_list(message.granting_voters, "voterId")}};
  return out.dump();
}

}  // namespace sim::inspect
