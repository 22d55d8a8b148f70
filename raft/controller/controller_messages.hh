// RPCs served by the active controller (KIP-631) and sent by brokers and admin clients.
//
// Kafka: org.apache.kafka.common.message.{BrokerRegistration,BrokerHeartbeat,CreateTopics,
// DeleteTopics,IncrementalAlterConfigs}{Request,Response}Data, as handled by
// org.apache.kafka.controller.QuorumController (ControllerApis on the controller side).
//
// Simplifications (listed in the README):
//  * Messages are C++ values, not bytes; no API versions.
//  * One cluster id: INCONSISTENT_CLUSTER_ID cannot happen. No listeners/endpoints (node ids are
//    addresses), no log dirs, no PreviousBrokerEpoch (no ELR).
//  * Admin clients talk to the controllers directly (Kafka's Admin with bootstrap.controllers,
//    KIP-919) instead of through a broker that forwards the request.
//  * A NOT_CONTROLLER response carries the sender's view of the active controller
//    (`controller_hint`), the way a client would learn it from a metadata refresh.
//  * The only feature is metadata.version, and the only supported level range is fixed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "raft/common/ids.hh"
#include "raft/metadata/records.hh"

namespace raft::controller {

// The subset of Kafka's org.apache.kafka.common.protocol.Errors the controller RPCs use.
enum class ApiError : std::uint8_t {
  NONE,
  NOT_CONTROLLER,                 // the receiver is not the active controller (outcome unknown)
  STALE_BROKER_EPOCH,             // heartbeat with an old epoch, or before registration
  DUPLICATE_BROKER_REGISTRATION,  // another live incarnation holds this broker id
  UNSUPPORTED_VERSION,            // the broker does not support the finalized metadata.version
  TOPIC_ALREADY_EXISTS,
  UNKNOWN_TOPIC_OR_PARTITION,
  INVALID_TOPIC_EXCEPTION,        // empty or illegal topic name
  INVALID_PARTITIONS,             // partition count < 1
  INVALID_REPLICATION_FACTOR,     // replication factor < 1 or > usable brokers
  INVALID_CONFIG,                 // unknown config resource type or bad value
  INVALID_REQUEST,                // malformed request (e.g. the same topic twice)
  REQUEST_TIMED_OUT,              // client side: no response in time (outcome unknown)
};

std::string_view to_string(ApiError e);

// The feature this simulator finalizes, and the level written by the bootstrap records.
inline constexpr std::string_view kMetadataVersionFeature = "metadata.version";
// metadata.version feature level of Kafka 3.9 (IBP_3_9_IV0 = 21): BrokerRegistrationChangeRecord
// in use, no ELR. Brokers in this simulator support levels 1..kMetadataVersionLevel.
inline constexpr std::int16_t kMetadataVersionLevel = 21;

// ---- BrokerRegistration (api key 62) ----------------------------------------------------------

struct BrokerRegistrationRequest {
  std::int32_t broker_id = 0;
  metadata::Uuid incarnation_id;    // new random id per broker process start
  std::optional<std::string> rack;  // broker.rack
  std::int16_t min_metadata_version = 1;  // Features[metadata.version].MinSupportedVersion
  std::int16_t max_metadata_version = kMetadataVersionLevel;
};

struct BrokerRegistrationResponse {
  ApiError error = ApiError::NONE;
  std::int64_t broker_epoch = -1;  // the broker's new epoch when error == NONE
  std::optional<NodeId> controller_hint;
};

// ---- BrokerHeartbeat (api key 63) ---------------------------------------------------------------

struct BrokerHeartbeatRequest {
  std::int32_t broker_id = 0;
  std::int64_t broker_epoch = -1;
  // Highest metadata offset the broker has applied and published (Kafka: CurrentMetadataOffset).
  std::int64_t current_metadata_offset = -1;
  bool want_fence = false;      // the broker is not ready to be unfenced
  bool want_shut_down = false;  // the broker asks for a controlled shutdown
};

struct BrokerHeartbeatResponse {
  ApiError error = ApiError::NONE;
  bool is_caught_up = false;     // metadata offset >= the broker's RegisterBrokerRecord offset
  bool is_fenced = true;
  bool should_shut_down = false;
  std::optional<NodeId> controller_hint;
};

// ---- CreateTopics (api key 19) ------------------------------------------------------------------

struct CreatableTopicConfig {
  std::string name;
  std::string value;
};

struct CreatableTopic {
  std::string name;
  std::int32_t num_partitions = 1;
  std::int16_t replication_factor = 3;
  std::vector<CreatableTopicConfig> configs;  // topic configs, e.g. unclean.leader.election.enable
};

struct CreateTopicsRequest {
  std::vector<CreatableTopic> topics;
};

struct CreatableTopicResult {
  std::string name;
  ApiError error = ApiError::NONE;
  metadata::Uuid topic_id;  // set when error == NONE
};

struct CreateTopicsResponse {
  ApiError error = ApiError::NONE;  // request-level: NOT_CONTROLLER
  std::vector<CreatableTopicResult> topics;
  std::optional<NodeId> controller_hint;
};

// ---- DeleteTopics (api key 20) ------------------------------------------------------------------

struct DeleteTopicsRequest {
  std::vector<std::string> names;
};

struct DeletableTopicResult {
  std::string name;
  ApiError error = ApiError::NONE;
};

struct DeleteTopicsResponse {
  ApiError error = ApiError::NONE;
  std::vector<DeletableTopicResult> topics;
  std::optional<NodeId> controller_hint;
};

// ---- IncrementalAlterConfigs (api key 44) -------------------------------------------------------

// Kafka's ConfigResource.Type ids.
inline constexpr std::int8_t kResourceTopic = 2;
inline constexpr std::int8_t kResourceBroker = 4;

enum class AlterConfigOp : std::int8_t { SET = 0, DELETE = 1 };

struct AlterableConfig {
  std::string name;
  AlterConfigOp op = AlterConfigOp::SET;
  std::optional<std::string> value;  // required for SET
};

struct AlterConfigsResource {
  std::int8_t resource_type = kResourceTopic;
  std::string resource_name;  // topic name, or broker id as text ("" = cluster default)
  std::vector<AlterableConfig> configs;
};

struct IncrementalAlterConfigsRequest {
  std::vector<AlterConfigsResource> resources;
};

struct AlterConfigsResourceResponse {
  std::int8_t resource_type = kResourceTopic;
  std::string resource_name;
  ApiError error = ApiError::NONE;
};

struct IncrementalAlterConfigsResponse {
  ApiError error = ApiError::NONE;
  std::vector<AlterConfigsResourceResponse> responses;
  std::optional<NodeId> controller_hint;
};

}  // namespace raft::controller
