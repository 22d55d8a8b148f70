// The quorum controller (KIP-631): the metadata state machine of a controller node.
//
// Kafka: org.apache.kafka.controller.QuorumController with OffsetControlManager,
// ActivationRecordsGenerator, PeriodicTaskControlManager and the QuorumMetaLogListener
// (kraft-protocol.md section 10).
//
// Every controller replays the committed __cluster_metadata log into a MetadataImage (its
// RaftListener callbacks). The one whose Raft client leads becomes ACTIVE once its listener
// consumed its own LeaderChange (handle_leader_change to itself, which the RaftClient delivers only
// then, KAFKA-15345): it claims the epoch, starts fresh broker sessions, and on its next poll
// writes the activation records (metadata.version bootstrap on an empty log). Then:
//  * a write (registration, heartbeat, admin request, periodic task) generates records against the
//    in-memory image, which already holds the controller's own uncommitted writes; the records are
//    appended to Raft, replayed into the image at once, and the reply waits until they commit
//    (or fails with NOT_CONTROLLER on renounce: outcome unknown to the client);
//  * a write that produces no records is a read: it is answered at once if nothing is pending,
//    otherwise when the highest pending offset commits;
//  * periodic tasks: NoOpRecord every metadata.max.idle.interval.ms, fencing of one stale broker per
//    run every broker.session.timeout.ms / 8 (Kafka 4.0), preferred-leader elections every
//    leader.imbalance.check.interval.seconds, unclean elections every
//    unclean.leader.election.interval.ms.
// It RENOUNCES when the Raft client reports another leader or epoch, or refuses an append
// (NotLeader): pending writes fail with NOT_CONTROLLER, the in-memory state reverts to the last
// committed offset, broker sessions are dropped, periodic tasks stop.
//
// Revert: Kafka keeps timeline data structures with an in-memory snapshot per batch. Here the
// active controller keeps two images, the in-memory one and the committed one; its committed
// batches are replayed into both, and renounce replaces the in-memory image by the committed one.
// Images share their topics (copy on write), so claim copies only indexes.
//
// Sans-I/O: the controller sends replies through the NetworkChannel, appends through the
// RaftClient it is attached to, and is driven by handle (controller RPCs), poll (deferred work and
// timers) and the listener callbacks. Listener callbacks run inside RaftClient calls and never
// call back into it: work they trigger (activation, replies) runs on the next poll, which the node
// runs after every call into the client.
//
// Simplifications (also in the README): events are handled at once (no event queue, so no queue
// deadlines and no prepend); no metadata transactions (the bootstrap is one atomic batch); no
// controller registration records (KIP-919), no ELR, no AlterPartition from partition leaders
// (ISRs change only through fencing, unfencing, controlled shutdown and elections).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "raft/common/bugs.hh"
#include "raft/common/ids.hh"
#include "raft/common/time.hh"
#include "raft/controller/broker_heartbeat_manager.hh"
#include "raft/controller/cluster_control.hh"
#include "raft/controller/controller_messages.hh"
#include "raft/controller/replication_control.hh"
#include "raft/io.hh"
#include "raft/messages.hh"
#include "raft/metadata/image.hh"
#include "raft/raft_listener.hh"

namespace raft {
class RaftClient;
}

namespace raft::controller {

// Kafka's controller configs, with Kafka's defaults.
struct QuorumControllerConfig {
  Duration session_timeout = Duration::millis(9000);      // broker.session.timeout.ms
  Duration max_idle_interval = Duration::millis(500);     // metadata.max.idle.interval.ms; 0 = off
  bool auto_leader_rebalance = true;                      // auto.leader.rebalance.enable
  Duration leader_imbalance_check_interval = Duration::seconds(300);  // ...interval.seconds
  Duration unclean_election_interval = Duration::seconds(300);  // unclean.leader.election.interval.ms
  // Historical bugs to re-introduce (raft/common/bugs.hh); empty = Kafka's fixed behaviour. The
  // controller checks forget-brokers-on-activation (KAFKA-18138: on activation the heartbeat
  // tracker does not register the brokers already in the image).
  BugSet bugs;
};

// Counters over the controller's life (one process incarnation).
struct QuorumControllerStats {
  std::int64_t activations = 0;
  std::int64_t renounces = 0;
  std::int64_t writes_committed = 0;       // writes answered with their records committed
  std::int64_t writes_failed = 0;          // writes failed with NOT_CONTROLLER on renounce
  std::int64_t brokers_fenced_by_session = 0;
  std::int64_t noop_records = 0;
};

class QuorumController : public RaftListener {
 public:
  QuorumController(NodeId local_id, QuorumControllerConfig config, NetworkChannel& channel,
                   Random& random);
  QuorumController(const QuorumController&) = delete;
  QuorumController& operator=(const QuorumController&) = delete;

  // The client this controller writes through (built after the controller, which is its
  // listener). Must be called before any other input.
  // If the client reported this node as leader while it was being built (a single voter elects
  // itself in its constructor), the claim happens here.
  void attach(RaftClient& client);

  // ---- RaftListener ----
  void handle_commit(const RecordBatch& batch) override;
  void handle_load_snapshot(const Snapshot& snapshot) override;
  void handle_leader_change(const LeaderAndEpoch& leader) override;

  // ---- inputs ----
  // A controller RPC request (BrokerRegistration, BrokerHeartbeat, CreateTopics, DeleteTopics,
  // IncrementalAlterConfigs). Precondition: is_request(message.payload).
  void handle(const Message& message, Instant now);
  // Deferred work: activation, replies whose records committed, due periodic tasks.
  void poll(Instant now);
  // When poll must run next (Instant::never() when idle).
  [[nodiscard]] Instant next_deadline() const;

  // ---- observation ----
  [[nodiscard]] bool is_active() const { return claimed_epoch_.has_value(); }
  [[nodiscard]] std::optional<Epoch> claimed_epoch() const { return claimed_epoch_; }
  // Active and its activation records written: it serves requests.
  [[nodiscard]] bool activation_done() const { return claimed_epoch_ && !activation_pending_; }
  // The in-memory image: committed state plus, while active, the controller's own uncommitted
  // writes.
  [[nodiscard]] const metadata::MetadataImage& image() const { return image_; }
  // The committed image (what a standby has; the revert target of the active controller).
  [[nodiscard]] const metadata::MetadataImage& committed_image() const {
    return committed_ ? *committed_ : image_;
  }
  // Offset the next appended record will get (meaningful while active).
  [[nodiscard]] Offset next_write_offset() const { return next_write_offset_; }
  // Writes appended and not yet committed (while active).
  [[nodiscard]] std::size_t pending_writes() const { return pending_.size(); }
  [[nodiscard]] const QuorumControllerStats& stats() const { return stats_; }
  [[nodiscard]] const BrokerHeartbeatManager& heartbeats() const { return heartbeats_; }

  // ---- snapshots (KIP-630) ----
  // The committed image as snapshot records (encoded), and where it ends.
  [[nodiscard]] std::vector<std::string> snapshot_records() const;
  [[nodiscard]] std::optional<OffsetAndEpoch> applied_end() const;
  [[nodiscard]] Instant applied_time() const { return applied_time_; }
  [[nodiscard]] std::int64_t applied_bytes() const { return applied_bytes_; }
  [[nodiscard]] std::int64_t snapshots_loaded() const { return snapshots_loaded_; }
  [[nodiscard]] bool loaded_snapshot_while_active() const { return loaded_while_active_; }

 private:
  // A reply waiting for its records to commit: sent when the committed offset reaches
  // `offset`, or failed with NOT_CONTROLLER on renounce.
  struct PendingReply {
    Offset offset;
    std::optional<NodeId> destination;  // nullopt: an internal write, nobody to answer
    CorrelationId correlation_id;
    Payload response;
  };
  // Periodic tasks of the active controller: when each runs next (never() = off).
  struct Timers {
    Instant noop = Instant::never();
    Instant fence_check = Instant::never();
    Instant preferred_election = Instant::never();
    Instant unclean_election = Instant::never();
  };

  // ---- quorum_controller.cc: replay, claim and renounce ----
  void replay_batch(metadata::MetadataImage& image, const RecordBatch& batch);
  void claim(Epoch epoch);
  void complete_activation(Instant now);
  // `resign`: also ask the Raft client to resign the epoch (renounce caused by the controller).
  void renounce(bool resign);

  // ---- quorum_controller_writes.cc: the write path and RPC handlers ----
  // Appends `records` and parks `response` until they commit; no records = a read. Returns the
  // offset of the last appended record, or nullopt if not active or the append was refused (the
  // reply was then answered NOT_CONTROLLER). A null destination means no reply (internal write).
  std::optional<Offset> write(std::vector<metadata::MetadataRecord> records,
                              std::optional<NodeId> destination, CorrelationId correlation_id,
                              Payload response, Instant now);
  void reply_not_controller(const Message& request);
  void handle_registration(const Message& m, const BrokerRegistrationRequest& r, Instant now);
  void handle_heartbeat(const Message& m, const BrokerHeartbeatRequest& r, Instant now);
  void handle_create_topics(const Message& m, const CreateTopicsRequest& r, Instant now);
  void handle_delete_topics(const Message& m, const DeleteTopicsRequest& r, Instant now);
  void handle_alter_configs(const Message& m, const IncrementalAlterConfigsRequest& r,
                            Instant now);
  void send_committed_replies();
  [[nodiscard]] std::optional<NodeId> leader_hint() const;

  // ---- quorum_controller_tasks.cc: periodic tasks ----
  void start_periodic_tasks(Instant now);
  void run_due_tasks(Instant now);
  void write_noop(Instant now);
  void maybe_fence_stale_broker(Instant now);
  void elect_preferred(Instant now);
  void elect_unclean(Instant now);

  NodeId local_id_;
  QuorumControllerConfig config_;
  NetworkChannel& channel_;
  RaftClient* raft_ = nullptr;
  BrokerHeartbeatManager heartbeats_;
  ReplicationControl replication_;
  ClusterControl cluster_;
  metadata::MetadataImage image_;
  std::optional<metadata::MetadataImage> committed_;  // set while active
  std::optional<Epoch> claimed_epoch_;
  std::optional<Epoch> claim_before_attach_;  // leader change to self seen before attach()
  bool activation_pending_ = false;
  Offset next_write_offset_{0};
  Offset last_committed_offset_{-1};  // last offset of the last committed batch replayed
  std::vector<PendingReply> pending_;  // in offset order
  Timers timers_;
  QuorumControllerStats stats_;
  Instant applied_time_ = Instant::zero();
  std::int64_t applied_bytes_ = 0;
  std::int64_t snapshots_loaded_ = 0;
  bool loaded_while_active_ = false;
};

}  // namespace raft::controller
