// Names of the controller RPC errors (Kafka's Errors enum names). See controller_messages.hh.
#include "raft/controller/controller_messages.hh"

namespace raft::controller {

std::string_view to_string(ApiError e) {
  switch (e) {
    case ApiError::NONE: return "NONE";
    case ApiError::NOT_CONTROLLER: return "NOT_CONTROLLER";
    case ApiError::STALE_BROKER_EPOCH: return "STALE_BROKER_EPOCH";
    case ApiError::DUPLICATE_BROKER_REGISTRATION: return "DUPLICATE_BROKER_REGISTRATION";
    case ApiError::UNSUPPORTED_VERSION: return "UNSUPPORTED_VERSION";
    case ApiError::TOPIC_ALREADY_EXISTS: return "TOPIC_ALREADY_EXISTS";
    case ApiError::UNKNOWN_TOPIC_OR_PARTITION: return "UNKNOWN_TOPIC_OR_PARTITION";
    case ApiError::INVALID_TOPIC_EXCEPTION: return "INVALID_TOPIC_EXCEPTION";
    case ApiError::INVALID_PARTITIONS: return "INVALID_PARTITIONS";
    case ApiError::INVALID_REPLICATION_FACTOR: return "INVALID_REPLICATION_FACTOR";
    case ApiError::INVALID_CONFIG: return "INVALID_CONFIG";
    case ApiError::INVALID_REQUEST: return "INVALID_REQUEST";
    case ApiError::REQUEST_TIMED_OUT: return "REQUEST_TIMED_OUT";
  }
  return "UNKNOWN";
}

}  // namespace raft::controller
