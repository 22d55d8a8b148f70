// One replica of the KRaft metadata quorum: elections, replication and commit.
//
// Kafka: org.apache.kafka.raft.KafkaRaftClient (KIP-595 Raft, KIP-996 pre-vote, KIP-630 snapshots;
// dynamic voters of KIP-853 are not in this version).
//
// Sans-I/O: the client never reads a clock or touches the world. It is driven by three inputs,
//   handle(message, now)  a message arrived (request or response),
//   poll(now)             time passed (timers),
//   append/resign/begin_shutdown  local commands,
// and its outputs go through the NetworkChannel, LogStorage and QuorumStateStore it was given,
// plus RaftListener callbacks. After every input, next_deadline() says when it must be polled.
//
// The implementation is split by concern:
//   raft_client.cc            construction, poll loop, listeners, local commands, transitions
//   raft_client_poll.cc       per-state timers and outbound requests (pollLeader, pollFollower...)
//   raft_client_requests.cc   inbound Vote/BeginQuorumEpoch/EndQuorumEpoch/Fetch requests
//   raft_client_responses.cc  common response handling (5.2) and per-API response handlers
//
// Simplifications are listed in messages.hh and the README (static voters, no KIP-853).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "raft/common/ids.hh"
#include "raft/common/time.hh"
#include "raft/fetch_purgatory.hh"
#include "raft/io.hh"
#include "raft/messages.hh"
#include "raft/quorum_state.hh"
#include "raft/raft_config.hh"
#include "raft/raft_listener.hh"
#include "raft/replicated_log.hh"
#include "raft/request_manager.hh"

namespace raft {

class RaftClient {
 public:
  struct Options {
    NodeId local_id;
    std::vector<NodeId> voters;  // controller.quorum.voters
    RaftConfig config;
    // First correlation id this incarnation uses (unique per incarnation, for readable traces).
    CorrelationId first_correlation_id{0};
  };

  // Builds the client over the node's disk and initializes the election state from it
  // (kraft-protocol.md 3.3). `listener` may be null. Every reference must outlive the client.
  RaftClient(Options options, LogStorage& storage, SnapshotStore& snapshots,
             QuorumStateStore& state_store, NetworkChannel& channel, Random& random,
             RaftListener* listener, Instant now);
  RaftClient(const RaftClient&) = delete;
  RaftClient& operator=(const RaftClient&) = delete;

  // ---- inputs ----
  void handle(const Message& message, Instant now);
  void poll(Instant now);
  // Leader only: buffers records for the next batch (Kafka prepareAppend +
  // schedulePreparedAppend). Returns the offset of the last record, or nullopt if this node is
  // not the leader of `epoch` (Kafka's NotLeaderException).
  std::optional<Offset> append(Epoch epoch, std::vector<std::string> records, Instant now);
  // The state machine asks to give up leadership of `epoch` (ignored if no longer leading it).
  void resign(Epoch epoch);
  // KIP-630: the state machine snapshots its state at `id` (end offset, epoch of the last
  // contained record: a committed batch boundary). Kafka's createSnapshot + freeze. Returns false
  // if a snapshot with this id exists already.
  bool create_snapshot(OffsetAndEpoch id, Instant last_contained_log_time,
                       std::vector<std::string> records);
  // The same with a snapshot already built (make_snapshot), e.g. one shared with other nodes
  // that snapshotted the same content at the same id.
  bool create_snapshot(SnapshotPtr snapshot);
  // Graceful shutdown: a leader resigns and tells the voters (EndQuorumEpoch); completes when
  // another leader is known, the node is an observer or the only voter, or the timeout passes.
  void begin_shutdown(Instant now);

  // ---- outputs and observation ----
  // When poll() must be called next (never() if no timer runs).
  [[nodiscard]] Instant next_deadline() const { return next_deadline_; }
  [[nodiscard]] bool is_shutting_down() const { return shutdown_deadline_.has_value(); }
  [[nodiscard]] bool is_shutdown_complete() const { return shutdown_complete_; }
  [[nodiscard]] const QuorumState& quorum() const { return quorum_; }
  [[nodiscard]] const ReplicatedLog& log() const { return log_; }
  [[nodiscard]] NodeId local_id() const { return options_.local_id; }
  [[nodiscard]] LeaderAndEpoch leader_and_epoch() const;
  [[nodiscard]] std::optional<Offset> high_watermark() const { return quorum_.high_watermark(); }
  // Offset of the next record the listener expects (everything below was delivered).
  [[nodiscard]] Offset listener_next_offset() const { return listener_next_offset_; }
  [[nodiscard]] std::size_t parked_fetches() const { return fetch_purgatory_.size(); }

 private:
  // ---- raft_client.cc ----
  void poll_once(Instant now);
  void poll_listeners();
  void maybe_fire_leader_change();
  bool maybe_complete_shutdown(Instant now);
  void reset_connections() { requests_.reset_all(); }
  // A follower leaving its state drops an unfinished snapshot download and its `.part` file.
  void abandon_snapshot_download();
  void fail_parked_fetches(Instant now);
  void on_become_leader(Instant now);
  // The new epoch of `state` (just entered, its epoch start at the log end): epoch cache entry,
  // LeaderChange batch, flush, connection reset (Kafka's onBecomeLeader).
  void start_leader_epoch(LeaderState& state, Instant now);
  void flush_leader_log(LeaderState& state, Instant now);
  void transition_to_unattached(Epoch epoch, std::optional<NodeId> leader, Instant now);
  void transition_to_follower(Epoch epoch, NodeId leader, Instant now);
  void transition_to_prospective(Instant now);
  void transition_to_candidate(Instant now);
  void transition_to_voting_state(Instant now);
  void transition_to_resigned(std::vector<NodeId> successors, Instant now);
  void maybe_transition_forward(Instant now);
  void maybe_handle_election_loss(Instant now);
  void prospective_transition_after_election_loss(Instant now);
  [[nodiscard]] Duration binary_exponential_election_backoff(int retries);
  [[nodiscard]] Duration strict_exponential_election_backoff(std::size_t position,
                                                             std::size_t total) const;
  void send(NodeId destination, CorrelationId id, Payload payload);

  // ---- raft_client_poll.cc ----
  Instant poll_current_state(Instant now);
  Instant poll_leader(Instant now);
  Instant poll_candidate(Instant now);
  Instant poll_prospective(Instant now);
  Instant poll_follower(Instant now);
  Instant poll_unattached(Instant now);
  Instant poll_resigned(Instant now);
  Instant maybe_append_batches(LeaderState& state, Instant now);
  Instant maybe_send_begin_quorum_epoch_requests(LeaderState& state, Instant now);
  Instant maybe_send_vote_requests(const EpochElection& election, Instant now);
  Instant maybe_send_fetch_to_best_node(FollowerState& state, Instant now);
  Instant maybe_send_fetch_to_any_bootstrap(Instant now);
  template <typename Build>
  Instant maybe_send_request(NodeId destination, Instant now, Build&& build);
  [[nodiscard]] FetchRequest build_fetch_request() const;
  [[nodiscard]] Payload build_fetch_or_fetch_snapshot(const FollowerState& state) const;
  Instant maybe_clean_log(Instant now);
  [[nodiscard]] VoteRequest build_vote_request(NodeId voter) const;

  // ---- raft_client_requests.cc ----
  void handle_request(const Message& message, Instant now);
  VoteResponse handle_vote_request(const VoteRequest& request, Instant now);
  BeginQuorumEpochResponse handle_begin_quorum_epoch_request(const BeginQuorumEpochRequest& r,
                                                             Instant now);
  EndQuorumEpochResponse handle_end_quorum_epoch_request(const EndQuorumEpochRequest& r,
                                                         Instant now);
  void handle_fetch_request(const Message& message, const FetchRequest& request, Instant now);
  FetchResponse try_complete_fetch_request(NodeId replica, const FetchRequest& request,
                                           Instant now);
  FetchSnapshotResponse handle_fetch_snapshot_request(NodeId replica,
                                                      const FetchSnapshotRequest& request,
                                                      Instant now);
  [[nodiscard]] FetchResponse build_empty_fetch_response(Errors error) const;
  [[nodiscard]] std::optional<Errors> validate_voter_only_request(NodeId remote, Epoch epoch) const;
  [[nodiscard]] std::optional<Errors> validate_leader_only_request(Epoch epoch) const;
  void complete_parked_fetches(Instant now);
  void expire_parked_fetches(Instant now);

  // ---- raft_client_responses.cc ----
  void handle_response(const Message& message, Instant now);
  // kraft-protocol.md 5.2: nullopt = not handled here, continue with the API handler;
  // otherwise handled, and whether the connection may be used again at once.
  std::optional<bool> maybe_handle_common_response(Errors error, std::optional<NodeId> leader,
                                                   Epoch epoch, Instant now);
  void maybe_transition(std::optional<NodeId> leader, Epoch epoch, Instant now);
  [[nodiscard]] bool has_consistent_leader(Epoch epoch, std::optional<NodeId> leader) const;
  bool handle_vote_response(NodeId source, const VoteResponse& response, Instant now);
  bool handle_begin_quorum_epoch_response(NodeId source, const BeginQuorumEpochResponse& r,
                                          Instant now);
  bool handle_end_quorum_epoch_response(NodeId source, const EndQuorumEpochResponse& r,
                                        Instant now);
  bool handle_fetch_response(const FetchResponse& response, Instant now);
  bool handle_fetch_snapshot_response(const FetchSnapshotResponse& response, Instant now);
  void append_as_follower(const std::vector<BatchPtr>& batches);
  void update_follower_high_watermark(FollowerState& state, std::optional<Offset> leader_hw);

  Options options_;
  RaftConfig& config_;  // == options_.config
  LogStorage& storage_;
  SnapshotStore& snapshots_;
  NetworkChannel& channel_;
  Random& random_;
  RaftListener* listener_;
  ReplicatedLog log_;
  QuorumState quorum_;
  RequestManager requests_;
  FetchPurgatory fetch_purgatory_;
  CorrelationId next_correlation_id_;
  Offset listener_next_offset_{0};
  bool listener_started_ = false;  // false until the listener got its first commit or snapshot
  Instant next_log_clean_;
  std::optional<LeaderAndEpoch> last_fired_leader_change_;
  std::optional<Instant> shutdown_deadline_;
  bool shutdown_complete_ = false;
  Instant next_deadline_ = Instant::zero();
};

}  // namespace raft
