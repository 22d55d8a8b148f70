// The simulated world of one run: the clock and event queue, the network, one NodeHost per
// controller and broker, the workload, the scenario's timeline, and the invariant checkers.
//
// One thread, one clock. Events are processed in (time, sequence) order:
//   WakeNode      a node's timer deadline (RaftClient::next_deadline) is reached
//   Deliver       a message reaches its destination
//   RunAction     a timeline action (crash, restart, partition...) runs
//   WorkloadTick  the active leader's state machine appends the next records
//   FlushComplete a slow fsync finishes: its data becomes durable and the node, blocked since it
//                 started, sends what it held back, handles the messages that waited, and polls
// After every event every invariant is checked; the first violation stops the run. Every event
// is folded into the trace hash. Randomness comes only from the run's seed, split into
// independent streams (network, faults, one per node), so the same scenario and seed always
// produce the same run.
//
// Implementation files: simulation.cc (loop, node calls, delivery), simulation_actions.cc
// (timeline actions), simulation_observe.cc (role changes, failovers, the result).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sim/admin_client.hh"
#include "sim/availability_tracker.hh"
#include "sim/checkers/invariant_suite.hh"
#include "sim/client_outbox.hh"
#include "sim/metadata_observer.hh"
#include "sim/event_queue.hh"
#include "sim/expectation_monitor.hh"
#include "sim/expectations.hh"
#include "sim/failover_tracker.hh"
#include "sim/network.hh"
#include "sim/node_host.hh"
#include "sim/observations.hh"
#include "sim/prng.hh"
#include "sim/run_result.hh"
#include "sim/scenario/scenario.hh"
#include "sim/simulation_view.hh"
#include "sim/shared_snapshots.hh"
#include "sim/snapshot_generator.hh"
#include "sim/trace.hh"

namespace sim {

class Simulation {
 public:
  // The network address of the scenario's admin client (metadata scenarios).
  static constexpr NodeId kAdminClientId{1000};

  // `listener`, if given, receives the exported trace (sim/trace_event.hh) from the very first
  // event (the nodes start, and send, at time 0 in the constructor).
  Simulation(Scenario scenario, std::uint64_t seed, TraceListener* listener = nullptr);
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  // Runs to the scenario's stop time (or the first violation, or the event bound).
  RunResult run();

  // Runs until simulated time `t` (for tests); returns false if the run has ended.
  bool run_until(Instant t);
  [[nodiscard]] Instant now() const { return now_; }
  // Events processed so far (stale wake-ups excluded).
  [[nodiscard]] std::uint64_t events() const { return events_; }
  [[nodiscard]] const NodeHost& node(NodeId id) const;
  [[nodiscard]] const std::vector<std::unique_ptr<NodeHost>>& nodes() const { return nodes_; }
  [[nodiscard]] const std::optional<Violation>& violation() const { return violation_; }
  [[nodiscard]] std::uint64_t trace_hash() const { return trace_.hash(); }
  // The admin client of a metadata scenario (null otherwise).
  [[nodiscard]] const AdminClient* admin() const { return admin_.get(); }
  [[nodiscard]] const Observations& observations() const { return observations_; }
  // Streams every message and timeline entry to `sink` (null to stop); it must outlive the run.
  void set_trace_sink(TraceSink* sink) { trace_.set_sink(sink); }
  // Streams the exported trace (sim/trace_event.hh) to `listener` from now on (what happened
  // before, such as the start-up sends in the constructor, is missed: pass the listener to the
  // constructor to get everything); its on_end() is called when run() returns. Costs nothing when
  // unset.
  void set_trace_listener(TraceListener* listener) { trace_.set_listener(listener); }

 private:
  friend class SimulationView;

  struct WakeNode {
    NodeId node;
    std::uint64_t generation;
  };
  struct Deliver {
    raft::Message message;
    std::uint32_t destination_incarnation;
    std::uint64_t message_id;  // the exported trace's id of the send (copies share it)
  };
  struct RunAction {
    std::size_t position;  // index into scenario_.timeline (sorted by time)
  };
  struct WorkloadTick {};
  struct FlushComplete {
    NodeId node;
    std::uint64_t generation;  // NodeHost::flush_generation when scheduled
  };
  struct WakeAdmin {
    std::uint64_t generation;
  };
  struct AdminTopics {};      // the admin workload's initial topics are created
  struct AdminStreamTick {};  // the next topic of the admin workload's creation stream
  using Event = std::variant<WakeNode, Deliver, RunAction, WorkloadTick, FlushComplete, WakeAdmin,
                             AdminTopics, AdminStreamTick>;

  // ---- simulation.cc ----
  bool step();
  void dispatch(const WakeNode& e);
  void dispatch(Deliver& e);
  void dispatch(const RunAction& e);
  void dispatch(const WorkloadTick& e);
  void dispatch(const FlushComplete& e);
  void dispatch(const WakeAdmin& e);
  void dispatch(const AdminTopics& e);
  void dispatch(const AdminStreamTick& e);
  // ---- simulation_admin.cc ----
  void build_metadata_world();
  void deliver_to_admin(const raft::Message& m);
  // Routes what the admin client sent and reschedules its wake-up.
  void after_admin_call();
  void submit_admin(const Action& action);
  // Metadata bookkeeping after every event: observations and broker shutdown exits.
  void observe_metadata();
  void begin_controlled_shutdown(NodeId id);
  // AcknowledgedWritesCommitted (ours): every admin write the client saw acknowledged is in the
  // committed metadata log (a created topic's TopicRecord, a deleted topic's RemoveTopicRecord).
  // Checked when the run ends.
  void check_acknowledged_admin_writes();
  // Runs `f` on the node, then routes its outbound messages, observes it and reschedules its
  // wake-up; a protocol assertion thrown inside becomes the run's violation, and a disk crash
  // point reached inside (CrashPointReached) crashes the node, after which the run goes on.
  void call_node(NodeHost& node, const std::function<void(NodeHost&)>& f);
  void after_node_call(NodeHost& node);
  // Lets the node's snapshot generator snapshot its state if due (KIP-630, section 8.2).
  void maybe_snapshot(NodeHost& node);
  // Schedules the completion of an fsync the last call started (at now + the disk's latency).
  void schedule_flush_completion(NodeHost& node);
  // Once a node is neither paused nor waiting for an fsync: routes the messages it held back,
  // hands it the messages that waited for it, in arrival order (stopping if one blocks it
  // again), then polls it.
  void unblock(NodeHost& node);
  void route(const raft::Message& m);
  void deliver_to(NodeHost& node, const raft::Message& m);
  void reschedule(NodeHost& node);
  void check_invariants();
  void record_violation(Violation v);
  // After every event: the expectation monitor, and stop.when (which may finish the run).
  void watch_expectations();
  // Observations for the restart_resumes_from_local_log expectation: a labelled restart's log
  // end, and the first Fetch the restarted node sends.
  void record_restart(const Action& action);
  void observe_first_fetch(const raft::Message& m);
  NodeHost& host(NodeId id);

  // ---- simulation_actions.cc ----
  void run_action(const Action& action);
  // The node a single-node selector resolves to now (for a set: its lowest id), if any.
  std::optional<NodeId> resolve(const NodeSelector& s);
  // Every node `s` resolves to now, in ascending id order without duplicates (a label: what its
  // action last resolved to).
  std::vector<NodeId> resolve_targets(const NodeSelector& s);
  // The union of what `selectors` resolve to, in order of first appearance.
  std::vector<NodeId> resolve_all(const std::vector<NodeSelector>& selectors);
  // An action with a "node" (crash ... clock_drift), on one node it resolved to.
  void run_node_action(const Action& action, NodeId id);
  // drop / slow_link / restore_link on `links` (the (from, to) pairs of the resolved ends).
  void change_links(const Action& action, const std::vector<NodeId>& from,
                    const std::vector<NodeId>& to,
                    const std::vector<std::pair<NodeId, NodeId>>& links);
  // From now on node `id`'s clock runs at (10^6 + drift_ppm) / 10^6; reschedules its timers.
  void clock_drift(NodeId id, std::int64_t drift_ppm, const std::string& what);
  void crash(NodeId id, const std::string& what, bool torn_write);
  void arm_crash_point(NodeId id, CrashPoint point, const std::string& what);
  // Kills a running or paused node: the failover tracker loses it if it was the active leader
  // (cause `what`), the timeline gets "<what><separator><what the crash lost>", and the node is
  // observed.
  void kill(NodeHost& node, const std::string& what, bool torn_write, std::string_view separator = ": ");
  void crash_at_crash_point(NodeHost& node, const CrashPointReached& reached);
  void wipe(NodeId id, const std::string& what);
  void slow_disk(NodeId id, Duration latency, const std::string& what);
  void restart(NodeId id);
  void shutdown(NodeId id);
  void pause(NodeId id, const std::string& cause);
  void resume(NodeId id);
  void check_active_leader_reachable(const std::string& cause);
  // Metadata availability (RunResult::availability): whether a write could commit now.
  struct WriteCapacity {
    const NodeHost* leader = nullptr;  // the running leader of the highest epoch, if any
    bool paused = false;               // it is paused
    bool committed_in_epoch = false;   // it has a high watermark in its epoch
    std::size_t reachable = 0;         // voters it can exchange messages with, itself included
    std::size_t needed = 0;            // a majority of the voters
    [[nodiscard]] bool writable() const {
      return leader != nullptr && !paused && committed_in_epoch && reachable >= needed;
    }
  };
  [[nodiscard]] WriteCapacity write_capacity() const;
  [[nodiscard]] std::string describe_unwritable(const WriteCapacity& c) const;
  void observe_availability();
  // Committed records no voter holds durably (RunResult::committed_records_lost).
  [[nodiscard]] std::int64_t committed_records_lost() const;
  std::string describe(const Action& action, const std::vector<NodeId>& targets) const;

  // ---- simulation_observe.cc ----
  void observe(NodeHost& node);
  void observe_progress();
  // Exported trace: a "progress" event for every node whose HW, LEO, durable end or metadata
  // offset changed since the last one (only while a listener is set).
  void trace_progress();
  // The last metadata offset the node's image applied (-1: none, or no metadata process).
  static std::int64_t metadata_offset_of(const NodeHost& n);
  void trace_message(TraceEventKind kind, const raft::Message& m, std::uint64_t id,
                     std::string_view reason = {});
  RunResult build_result(const std::string& stop_reason);
  std::vector<NodeSummary> node_summaries() const;
  // The metadata summary and the metadata part of the final state (metadata runs only).
  void fill_metadata(MetadataSummary& m) const;

  // The node whose held messages unblock() is handing over (its timers may have expired while it
  // was blocked; it is polled right after), if any.
  std::optional<NodeId> draining_;

  // What the simulation last saw of a node, to detect changes.
  struct Seen {
    bool alive = false;
    raft::StateKind kind = raft::StateKind::Unattached;
    Epoch epoch{0};
    std::optional<NodeId> leader;
    bool active = false;  // leader that committed in its epoch
    Offset log_start{0};
    std::optional<raft::OffsetAndEpoch> latest_snapshot;
  };
  // Snapshots of one node: its generator (rebuilt per incarnation) and counts over the run.
  struct SnapshotBook {
    std::unique_ptr<SnapshotGenerator> generator;
    std::uint32_t incarnation = 0;
    std::int64_t created = 0;
    std::int64_t downloaded = 0;
  };
  void observe_snapshots(NodeHost& node, const Seen& previous, const Seen& after);

  Scenario scenario_;
  std::uint64_t seed_;
  Prng root_rng_;
  Prng fault_rng_;
  Network network_;
  std::vector<std::unique_ptr<NodeHost>> nodes_;
  std::vector<Seen> seen_;
  std::vector<SnapshotBook> snapshot_books_;
  SharedSnapshots shared_snapshots_;  // snapshots of equal content made by several nodes
  EventQueue<Event> queue_;
  Instant now_ = Instant::zero();
  std::uint64_t events_ = 0;
  std::uint64_t messages_dropped_down_ = 0;
  std::uint64_t appends_ = 0;
  InvariantSuite invariants_;
  std::uint64_t invariant_passes_ = 0;
  std::optional<Violation> violation_;
  bool events_exhausted_ = false;
  Trace trace_;
  FailoverTracker failovers_;
  AvailabilityTracker availability_;
  std::int64_t elections_ = 0;  // elections won (Election timeline entries)
  std::uint64_t next_message_id_ = 0;  // exported trace: id of the next send
  // Exported trace: the last progress event's values per node (hw, leo, flushed, metadata offset).
  std::vector<std::array<std::int64_t, 4>> traced_progress_;
  Observations observations_;
  std::map<std::string, std::vector<NodeId>> label_targets_;
  bool finished_ = false;
  SimulationView view_{*this};
  ExpectationMonitor monitor_{scenario_.expectations};
  std::optional<std::string> stopped_when_;  // stop.when held: what was observed
  // Labels of restarts whose node has not sent its first Fetch yet, by node.
  std::map<NodeId, std::string> awaiting_first_fetch_;
  // The last Fetch each node sent: (fetch offset, when).
  std::map<NodeId, std::pair<Offset, Instant>> last_fetch_;
  // ---- metadata scenarios ----
  ClientOutbox admin_outbox_;
  std::unique_ptr<AdminClient> admin_;
  Instant admin_wake_ = Instant::never();
  std::uint64_t admin_wake_generation_ = 0;
  std::int64_t stream_sent_ = 0;  // topics of the creation stream submitted so far
  std::unique_ptr<MetadataObserver> metadata_observer_;
  // Brokers whose controlled shutdown was requested and that have not exited yet.
  std::map<NodeId, bool> shutting_down_brokers_;
};

}  // namespace sim
