// Kafka: the Vote/BeginQuorumEpoch/EndQuorumEpoch/Fetch messages (KIP-595, KIP-996). See
// messages.hh.
#include "raft/messages.hh"

namespace raft {

std::string_view to_string(Errors e) {
  switch (e) {
    case Errors::NONE: return "NONE";
    case Errors::FENCED_LEADER_EPOCH: return "FENCED_LEADER_EPOCH";
    case Errors::UNKNOWN_LEADER_EPOCH: return "UNKNOWN_LEADER_EPOCH";
    case Errors::NOT_LEADER_OR_FOLLOWER: return "NOT_LEADER_OR_FOLLOWER";
    case Errors::BROKER_NOT_AVAILABLE: return "BROKER_NOT_AVAILABLE";
    case Errors::INVALID_REQUEST: return "INVALID_REQUEST";
    case Errors::REQUEST_TIMED_OUT: return "REQUEST_TIMED_OUT";
    case Errors::SNAPSHOT_NOT_FOUND: return "SNAPSHOT_NOT_FOUND";
    case Errors::POSITION_OUT_OF_RANGE: return "POSITION_OUT_OF_RANGE";
  }
  return "UNKNOWN";
}

bool is_request(const Payload& p) {
  return std::holds_alternative<VoteRequest>(p) ||
         std::holds_alternative<BeginQuorumEpochRequest>(p) ||
         std::holds_alternative<EndQuorumEpochRequest>(p) ||
         std::holds_alternative<FetchRequest>(p) ||
         std::holds_alternative<FetchSnapshotRequest>(p) ||
         std::holds_alternative<controller::BrokerRegistrationRequest>(p) ||
         std::holds_alternative<controller::BrokerHeartbeatRequest>(p) ||
         std::holds_alternative<controller::CreateTopicsRequest>(p) ||
         std::holds_alternative<controller::DeleteTopicsRequest>(p) ||
         std::holds_alternative<controller::IncrementalAlterConfigsRequest>(p);
}

std::string_view api_name(const Payload& p) {
  static constexpr std::string_view names[] = {
      "VoteRequest",           "VoteResponse",           "BeginQuorumEpochRequest",
      "BeginQuorumEpochResponse", "EndQuorumEpochRequest", "EndQuorumEpochResponse",
      "FetchRequest",          "FetchResponse",          "FetchSnapshotRequest",
      "FetchSnapshotResponse", "BrokerRegistrationRequest", "BrokerRegistrationResponse",
      "BrokerHeartbeatRequest", "BrokerHeartbeatResponse", "CreateTopicsRequest",
      "CreateTopicsResponse", "DeleteTopicsRequest", "DeleteTopicsResponse",
      "IncrementalAlterConfigsRequest", "IncrementalAlterConfigsResponse"};
  static_assert(std::size(names) == std::variant_size_v<Payload>);
  return names[p.index()];
}

std::string_view api_key_name(const Payload& p) {
  static constexpr std::string_view names[] = {"Vote",           "Vote",  "BeginQuorumEpoch",
                                               "BeginQuorumEpoch", "EndQuorumEpoch",
                                               "EndQuorumEpoch", "Fetch", "Fetch",
                                               "FetchSnapshot", "FetchSnapshot",
                                               "BrokerRegistration", "BrokerRegistration",
                                               "BrokerHeartbeat", "BrokerHeartbeat",
                                               "CreateTopics", "CreateTopics",
                                               "DeleteTopics", "DeleteTopics",
                                               "IncrementalAlterConfigs",
                                               "IncrementalAlterConfigs"};
  static_assert(std::size(names) == std::variant_size_v<Payload>);
  return names[p.index()];
}

}  // namespace raft
