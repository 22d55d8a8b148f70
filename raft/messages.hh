// KRaft RPCs: Vote (with KIP-996 PreVote), BeginQuorumEpoch, EndQuorumEpoch and Fetch.
//
// Kafka: org.apache.kafka.common.message.{Vote,BeginQuorumEpoch,EndQuorumEpoch,Fetch}
// {Request,Response}Data as used by org.apache.kafka.raft.KafkaRaftClient (KIP-595, KIP-996).
//
// Simplifications (listed in the README):
//  * Messages are C++ values, not bytes: no wire encoding, no API versions (every node speaks the
//    latest version: PreVote supported, so UNSUPPORTED_VERSION never occurs).
//  * One cluster id and one topic-partition (__cluster_metadata-0): the INCONSISTENT_CLUSTER_ID and
//    INVALID_REQUEST/UNKNOWN_TOPIC_OR_PARTITION paths for a wrong cluster or partition do not exist.
//  * Static voters (kraft.version 0): endpoints are node ids known to everyone, so the
//    NodeEndpoints/LeaderEndpoints fields are implicit, and there are no directory ids.
//  * A response carries the leader as std::optional<NodeId> instead of Kafka's -1.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <variant>
#include <vector>

#include "raft/common/ids.hh"
#include "raft/controller/controller_messages.hh"
#include "raft/record_batch.hh"
#include "raft/snapshot.hh"

namespace raft {

// The subset of Kafka's Errors used by the raft module.
enum class Errors : std::uint8_t {
  NONE,
  FENCED_LEADER_EPOCH,
  UNKNOWN_LEADER_EPOCH,
  NOT_LEADER_OR_FOLLOWER,
  BROKER_NOT_AVAILABLE,
  INVALID_REQUEST,
  REQUEST_TIMED_OUT,
  SNAPSHOT_NOT_FOUND,     // FetchSnapshot for a snapshot the leader does not have (any more)
  POSITION_OUT_OF_RANGE,  // FetchSnapshot position < 0 or >= the snapshot's size
};

std::string_view to_string(Errors e);

// ---- Vote (api key 52) --------------------------------------------------------------------

struct VoteRequest {
  NodeId voter_id;            // the receiver (KIP-853 VoterId)
  Epoch replica_epoch;        // candidate's epoch (pre-vote: its current epoch, not +1)
  NodeId replica_id;          // the candidate
  Epoch last_offset_epoch;    // epoch of the candidate's last log entry
  Offset last_offset;         // candidate's log end offset (exclusive)
  bool pre_vote = false;      // KIP-996: true for a pre-vote (not binding, not persisted)
};

struct VoteResponse {
  Errors error = Errors::NONE;  // partition-level error (top-level errors are not modelled)
  std::optional<NodeId> leader_id;
  Epoch leader_epoch;           // the responder's current epoch
  bool vote_granted = false;
};

// ---- BeginQuorumEpoch (api key 53) --------------------------------------------------------

struct BeginQuorumEpochRequest {
  NodeId voter_id;     // the receiver
  NodeId leader_id;    // the new leader (the sender)
  Epoch leader_epoch;
};

struct BeginQuorumEpochResponse {
  Errors error = Errors::NONE;
  std::optional<NodeId> leader_id;
  Epoch leader_epoch;
};

// ---- EndQuorumEpoch (api key 54) ----------------------------------------------------------

struct EndQuorumEpochRequest {
  NodeId leader_id;    // the resigning leader (the sender)
  Epoch leader_epoch;
  // Voters ordered by preference (most up to date first); the receiver's position in this list
  // decides how soon it starts an election.
  std::vector<NodeId> preferred_successors;
};

struct EndQuorumEpochResponse {
  Errors error = Errors::NONE;
  std::optional<NodeId> leader_id;
  Epoch leader_epoch;
};

// ---- Fetch (api key 1, KRaft usage) -------------------------------------------------------

struct FetchRequest {
  NodeId replica_id;             // the fetching follower or observer
  Epoch current_leader_epoch;    // the fetcher's epoch
  Offset fetch_offset;           // fetcher's log end offset
  Epoch last_fetched_epoch;      // epoch of the fetcher's last batch (0 if empty)
  Offset log_start_offset;
  std::int32_t max_wait_ms = 0;  // long-poll: the leader may park the request this long
  std::int32_t max_bytes = 0;    // byte budget for the returned batches
};

struct FetchResponse {
  Errors error = Errors::NONE;
  std::optional<NodeId> leader_id;  // CurrentLeader.LeaderId
  Epoch leader_epoch;               // CurrentLeader.LeaderEpoch
  std::optional<Offset> high_watermark;  // nullopt = the leader does not know it yet (-1)
  Offset log_start_offset;
  // Set when the fetcher's log diverges: truncate to this (end offset, epoch) and refetch.
  std::optional<OffsetAndEpoch> diverging_epoch;
  // Set when the fetcher must download this snapshot first (KIP-630): its offset is below the
  // leader's log start, or it has an empty log and the leader has a snapshot (KAFKA-15078).
  std::optional<OffsetAndEpoch> snapshot_id;
  std::vector<BatchPtr> batches;    // consecutive batches starting at fetch_offset
};

// ---- FetchSnapshot (api key 59, KIP-630) ------------------------------------------------

struct FetchSnapshotRequest {
  NodeId replica_id;             // the fetcher
  Epoch current_leader_epoch;
  OffsetAndEpoch snapshot_id;    // the snapshot being downloaded
  std::int64_t position = 0;     // bytes already received
  std::int32_t max_bytes = 0;    // bytes wanted in this chunk
};

struct FetchSnapshotResponse {
  Errors error = Errors::NONE;
  std::optional<NodeId> leader_id;
  Epoch leader_epoch;
  OffsetAndEpoch snapshot_id;
  std::int64_t size = 0;         // total size of the snapshot in bytes
  std::int64_t position = 0;     // where this chunk starts
  std::int64_t bytes = 0;        // length of this chunk (Kafka's UnalignedRecords)
  // Simplification: messages are not bytes, so every chunk carries the (shared, immutable)
  // snapshot; the fetcher uses it only once it has received all `size` bytes.
  SnapshotPtr snapshot;
};

// ---- Envelope -----------------------------------------------------------------------------

// Every RPC of the simulated cluster: the Raft RPCs above, then the controller RPCs of KIP-631
// (raft/controller/controller_messages.hh), which the RaftClient never sees: the node routes them
// to its controller, broker or admin client.
using Payload = std::variant<VoteRequest, VoteResponse, BeginQuorumEpochRequest,
                             BeginQuorumEpochResponse, EndQuorumEpochRequest,
                             EndQuorumEpochResponse, FetchRequest, FetchResponse,
                             FetchSnapshotRequest, FetchSnapshotResponse,
                             controller::BrokerRegistrationRequest,
                             controller::BrokerRegistrationResponse,
                             controller::BrokerHeartbeatRequest,
                             controller::BrokerHeartbeatResponse,
                             controller::CreateTopicsRequest, controller::CreateTopicsResponse,
                             controller::DeleteTopicsRequest, controller::DeleteTopicsResponse,
                             controller::IncrementalAlterConfigsRequest,
                             controller::IncrementalAlterConfigsResponse>;

// True for the Raft RPCs (the first ten alternatives), which the RaftClient handles.
[[nodiscard]] inline bool is_raft_payload(const Payload& p) { return p.index() < 10; }

// One message on the wire. A response carries the correlation id of its request.
struct Message {
  NodeId source;
  NodeId destination;
  CorrelationId correlation_id;
  Payload payload;
};

// True for the *Request alternatives of Payload.
bool is_request(const Payload& p);

// Short API name ("Vote", "FetchResponse", ...), for traces.
std::string_view api_name(const Payload& p);

// Kafka's request API name of a payload, shared by a request and its response ("Vote", "Fetch").
std::string_view api_key_name(const Payload& p);

}  // namespace raft
