// One simulated Kafka process (a controller or a broker) and the disk it runs on.
//
// The host owns what survives a crash (the Disk) and what does not (the RaftClient, the state
// machine, the random stream of the incarnation, queued inbound and outbound messages). A crash
// destroys the volatile objects and drops the disk's unflushed tail; a restart builds new objects
// from what the disk holds, as a new incarnation.
//
// The process can be blocked in two independent ways, and both can hold at once:
//  * a pause (a long GC pause) freezes it until resumed;
//  * an fsync in flight (a slow disk, Disk::flush_in_progress()): Kafka's raft thread waits for
//    the fsync, so until it completes the process handles no message and no timer, and the
//    messages it sent after the fsync started (later in the same call) wait too.
// While blocked, messages that reach it wait in its socket buffer (hold) and are handled in
// arrival order once it is unblocked; the rest of the cluster keeps going.
//
// The host is also the node's raft::NetworkChannel: the client's outbound messages queue in the
// outbox, which the Simulation drains after every call into the node; those sent while an fsync
// is in flight queue behind it (held outbound) until the Simulation completes the fsync.
//
// The host owns the machine's clock (NodeClock), which a clock_drift action may make run fast or
// slow and which survives crashes and restarts. Every method here that takes `now` takes the
// GLOBAL simulated time and hands the process its LOCAL time (clock().local(now));
// next_deadline() converts the process's local deadline back to a global instant. Whoever calls
// the client, controller or broker directly must pass local_time(now) itself.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "raft/broker/broker_server.hh"
#include "raft/controller/quorum_controller.hh"
#include "raft/raft_client.hh"
#include "sim/disk.hh"
#include "sim/listener_fanout.hh"
#include "sim/node_clock.hh"
#include "sim/node_process.hh"
#include "sim/prng.hh"
#include "sim/replicated_counter.hh"

namespace sim {

enum class NodeStatus {
  Running,  // processing messages and timers
  Paused,   // alive but frozen (GC pause)
  Crashed,  // killed; volatile state gone, unflushed writes lost
  Stopped,  // finished a graceful shutdown
};

std::string_view to_string(NodeStatus s);

class NodeHost : public raft::NetworkChannel {
 public:
  // options: the node's id, the voter set and its Raft config. rng: this node's stream of the
  // run's seed; each incarnation forks its own sub-streams from it. process: what runs on top of
  // the RaftClient (the replicated counter, or a controller and/or a broker).
  NodeHost(raft::RaftClient::Options options, Prng rng, NodeProcessSpec process = {});

  // Starts a new incarnation from the disk (the first start, or a restart).
  // Precondition: not running or paused. If the client's construction throws (an armed crash
  // point fired while it initialized its quorum state), the host is left Running without a
  // client and the caller must crash() it.
  void start(Instant now);
  // Hard kill: destroys the process (and whatever it held: inbound and outbound messages); the
  // disk keeps only what was durable, and with torn_write the first non-durable batch is left
  // torn (Disk::crash). Returns what the crash lost. Precondition: running or paused.
  CrashLoss crash(bool torn_write = false);
  // Ends a graceful shutdown: the process flushes its log, waits for the fsync, and exits.
  // The caller routes take_outbox() and take_held_outbound() first.
  void stop_after_shutdown();
  void pause();
  // Unfreezes a paused process. The messages that arrived meanwhile stay held until the caller
  // takes them (pop_held), which it must not do while an fsync is still in flight.
  void resume();
  // Buffers a message delivered while blocked.
  void hold(raft::Message m) { held_.push_back(std::move(m)); }
  [[nodiscard]] bool has_held() const { return !held_.empty(); }
  // Removes and returns the oldest held inbound message. Precondition: has_held().
  raft::Message pop_held();

  // Paused, or waiting for an fsync: it must not be handed messages or timers.
  [[nodiscard]] bool blocked() const {
    return status_ == NodeStatus::Paused || disk_->flush_in_progress();
  }
  // Completes the disk's in-flight fsync (its data becomes durable). The held outbound messages
  // stay held until the caller takes them, once the process is no longer paused.
  // Precondition: disk().flush_in_progress().
  void complete_flush() { disk_->complete_flush(); }

  // raft::NetworkChannel: into the outbox, or behind the in-flight fsync.
  void send(raft::Message message) override;
  std::vector<raft::Message> take_outbox();
  // Messages sent after the in-flight (or just completed) fsync started, in sending order.
  std::vector<raft::Message> take_held_outbound();

  // ---- driving the process (Precondition: is_alive()) ----
  // A message arrived: Raft RPCs go to the RaftClient, controller requests to the quorum
  // controller, registration and heartbeat responses to the broker (others are dropped). Then
  // the controller and broker run their deferred work (after_call).
  void handle(const raft::Message& message, Instant now);
  // Timers: the client, the controller and the broker.
  void poll(Instant now);
  // After any call into the client: the controller's deferred work (activation, periodic tasks)
  // and the broker's publication and lifecycle.
  void after_call(Instant now);
  // The earliest deadline of the client, the controller and the broker, as the earliest global
  // instant at which the node's local clock reaches it (never() if none; never before the last
  // rate change of the clock).
  [[nodiscard]] Instant next_deadline() const;

  // ---- the machine's clock (kept across crashes and restarts) ----
  // The node's local time at global instant `now` (== now unless its clock drifted).
  [[nodiscard]] Instant local_time(Instant now) const { return clock_.local(now); }
  // From global instant `now` on, the clock runs at (10^6 + drift_ppm) / 10^6 of global time
  // (see NodeClock::set_drift). The caller reschedules the node's wake-up.
  void set_clock_drift(Instant now, std::int64_t drift_ppm) { clock_.set_drift(now, drift_ppm); }
  [[nodiscard]] const NodeClock& clock() const { return clock_; }

  // ---- the state machine, whichever it is (for snapshots and summaries) ----
  struct StateMachineProgress {
    std::optional<raft::OffsetAndEpoch> applied_end;  // last applied batch boundary
    Instant applied_time;  // its append time (the appending leader's local clock)
    std::int64_t applied_bytes = 0;                   // bytes of batches applied
    std::int64_t snapshots_loaded = 0;
    bool loaded_snapshot_while_leader = false;
  };
  [[nodiscard]] StateMachineProgress state_machine_progress() const;
  // The state machine's image as snapshot records.
  [[nodiscard]] std::vector<std::string> snapshot_records() const;
  // The fingerprint of what snapshot_records() would encode (the metadata image's), or nullopt
  // for a state machine without one (the counter): such snapshots are never shared.
  [[nodiscard]] std::optional<std::uint64_t> snapshot_fingerprint() const;

  [[nodiscard]] raft::NodeId id() const { return options_.local_id; }
  [[nodiscard]] const NodeProcessSpec& process() const { return process_; }
  [[nodiscard]] bool is_voter() const;
  [[nodiscard]] NodeStatus status() const { return status_; }
  // Running or paused: the process exists.
  [[nodiscard]] bool is_alive() const { return client_ != nullptr; }
  // 1 for the first start, +1 per restart; 0 before the first start.
  [[nodiscard]] std::uint32_t incarnation() const { return incarnation_; }
  [[nodiscard]] raft::RaftClient* client() { return client_.get(); }
  [[nodiscard]] const raft::RaftClient* client() const { return client_.get(); }
  [[nodiscard]] ReplicatedCounter* counter() { return counter_.get(); }
  [[nodiscard]] const ReplicatedCounter* counter() const { return counter_.get(); }
  [[nodiscard]] raft::controller::QuorumController* controller() { return controller_.get(); }
  [[nodiscard]] const raft::controller::QuorumController* controller() const {
    return controller_.get();
  }
  [[nodiscard]] raft::broker::BrokerServer* broker() { return broker_.get(); }
  [[nodiscard]] const raft::broker::BrokerServer* broker() const { return broker_.get(); }
  [[nodiscard]] Disk& disk() { return *disk_; }
  [[nodiscard]] const Disk& disk() const { return *disk_; }

  // Wake-up bookkeeping of the Simulation: the instant of the pending poll event and its
  // generation (an event whose generation is not current is stale and skipped).
  Instant scheduled_wake = Instant::never();
  std::uint64_t wake_generation = 0;
  // The same for the pending fsync-completion event: whether one is scheduled for the fsync in
  // flight, and its generation (bumped by a crash, which drops the fsync).
  bool flush_completion_scheduled = false;
  std::uint64_t flush_generation = 0;

 private:
  void destroy_process();
  // Builds the state machine(s) of a new incarnation; returns the client's listener. `local`:
  // the node's local time.
  raft::RaftListener* build_state_machine(Instant local);
  // after_call() at local time `local`.
  void run_deferred(Instant local);

  raft::RaftClient::Options options_;
  Prng rng_;
  NodeProcessSpec process_;
  std::unique_ptr<Disk> disk_;
  NodeClock clock_;  // the machine's clock: survives crashes and restarts
  std::uint32_t incarnation_ = 0;
  NodeStatus status_ = NodeStatus::Crashed;
  // Declared before client_: the client holds references to both, so they must outlive it.
  std::unique_ptr<NodeRandom> random_;
  std::unique_ptr<NodeRandom> controller_random_;  // topic ids and replica placement
  std::unique_ptr<ReplicatedCounter> counter_;
  std::unique_ptr<raft::controller::QuorumController> controller_;
  std::unique_ptr<raft::broker::BrokerServer> broker_;
  std::unique_ptr<ListenerFanout> fanout_;
  std::unique_ptr<raft::RaftClient> client_;
  std::vector<raft::Message> outbox_;
  std::vector<raft::Message> held_outbound_;  // sent while an fsync was in flight, in order
  std::deque<raft::Message> held_;            // inbound, delivered while blocked, arrival order
};

}  // namespace sim
