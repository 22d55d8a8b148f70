// A scenario: the cluster, network, workload, timeline of faults, stop condition and
// expectations of one simulated run. Loaded from JSON by scenario_loader.hh; the format is
// documented in scenarios/README.md and scenarios/schema.json.
//
// Every value here has already been validated by the loader: ids exist, times are ordered,
// probabilities are within [0, 1] and so on. Probabilities are stored as parts per million so the
// simulation never computes with floating point.
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

namespace sim {

using raft::Duration;
using raft::Instant;
using raft::NodeId;

// A probability in parts per million: 0 = never, 1'000'000 = always.
struct Ppm {
  std::uint32_t value = 0;
  static constexpr std::uint32_t kOne = 1'000'000;
  bool operator==(const Ppm&) const = default;
};

// Kafka configuration of the controllers (Kafka's names and defaults).
struct RaftConfigValues {
  std::int64_t election_timeout_ms = 1000;      // controller.quorum.election.timeout.ms
  std::int64_t fetch_timeout_ms = 2000;         // controller.quorum.fetch.timeout.ms
  std::int64_t election_backoff_max_ms = 1000;  // controller.quorum.election.backoff.max.ms
  std::int64_t request_timeout_ms = 2000;       // controller.quorum.request.timeout.ms
  std::int64_t retry_backoff_ms = 20;           // controller.quorum.retry.backoff.ms
  std::int64_t append_linger_ms = 25;           // controller.quorum.append.linger.ms
  bool operator==(const RaftConfigValues&) const = default;
};

// Snapshot and retention configuration of every node (KIP-630; Kafka's names and defaults).
struct SnapshotConfigValues {
  // metadata.log.max.record.bytes.between.snapshots: snapshot once this many bytes of records
  // were committed since the last snapshot.
  std::int64_t max_record_bytes_between_snapshots = 20 * 1024 * 1024;
  // metadata.log.max.snapshot.interval.ms: snapshot once the last one is this old (0 disables).
  std::int64_t max_snapshot_interval_ms = 3'600'000;
  // metadata.max.retention.bytes: log + snapshot bytes above which old snapshots and the log
  // prefix they cover are deleted.
  std::int64_t max_retention_bytes = 100 * 1024 * 1024;
  // metadata.max.retention.ms: snapshots older than this are deleted (with the log they cover).
  std::int64_t max_retention_ms = 604'800'000;
  bool operator==(const SnapshotConfigValues&) const = default;
};

// Configuration of the quorum controllers and brokers (Kafka's names and defaults).
struct MetadataConfigValues {
  std::int64_t broker_session_timeout_ms = 9000;             // broker.session.timeout.ms
  std::int64_t broker_heartbeat_interval_ms = 2000;          // broker.heartbeat.interval.ms
  std::int64_t initial_broker_registration_timeout_ms = 60'000;  // initial.broker.registration.timeout.ms
  std::int64_t metadata_max_idle_interval_ms = 500;          // metadata.max.idle.interval.ms (0 = off)
  bool auto_leader_rebalance_enable = true;                  // auto.leader.rebalance.enable
  std::int64_t leader_imbalance_check_interval_seconds = 300;  // leader.imbalance.check.interval.seconds
  std::int64_t unclean_leader_election_interval_ms = 300'000;  // unclean.leader.election.interval.ms
  std::int32_t default_replication_factor = 1;               // default.replication.factor
  std::int32_t num_partitions = 1;                           // num.partitions
  bool operator==(const MetadataConfigValues&) const = default;
};

// One node's effective configuration where it differs from the cluster's (cluster.node_config):
// the cluster-wide values with that node's overrides applied.
struct NodeConfigValues {
  RaftConfigValues config;
  SnapshotConfigValues snapshot;
  MetadataConfigValues metadata;
  bool operator==(const NodeConfigValues&) const = default;
};

// What the nodes run on top of Raft (see sim/node_process.hh).
enum class StateMachineChoice {
  Metadata,  // quorum controllers on the voters, brokers on the observers (KIP-631)
  Counter,   // the replicated counter of Kafka's Raft simulation (workload.append_interval_ms)
};

struct ClusterSpec {
  int controllers = 3;  // voters, node ids 0 .. controllers-1
  int brokers = 0;      // observers, node ids controllers .. controllers+brokers-1
  // Metadata only: the first `combined` controllers also run a broker
  // (process.roles=broker,controller). 0 <= combined <= controllers.
  int combined = 0;
  StateMachineChoice state_machine = StateMachineChoice::Metadata;
  // broker.rack per broker node id (brokers and combined nodes); absent = no rack.
  std::map<int, std::string> racks;
  // Cluster-wide configuration (every node's, unless node_config overrides it).
  RaftConfigValues config;
  SnapshotConfigValues snapshot;
  MetadataConfigValues metadata;
  // Nodes with per-node overrides (cluster.node_config), keyed by node id: their full effective
  // configuration. Nodes not listed use the cluster-wide values.
  std::map<int, NodeConfigValues> node_config;
  [[nodiscard]] int node_count() const { return controllers + brokers; }
  // The effective configuration of node `id`.
  [[nodiscard]] NodeConfigValues config_of(int id) const {
    if (auto it = node_config.find(id); it != node_config.end()) return it->second;
    return NodeConfigValues{config, snapshot, metadata};
  }
  // True if node `id` runs the broker role (a broker, or a combined controller).
  [[nodiscard]] bool runs_broker(int id) const {
    return state_machine == StateMachineChoice::Metadata &&
           (id >= controllers ? id < node_count() : id < combined);
  }
};

// Message latency on a link.
struct LatencySpec {
  enum class Distribution { Constant, Uniform, Exponential };
  Distribution distribution = Distribution::Uniform;
  Duration min = Duration::millis(1);   // Constant: the value. Uniform: lower bound.
  Duration max = Duration::millis(5);   // Uniform: upper bound (inclusive). Exponential: cap.
  Duration mean = Duration::millis(2);  // Exponential only: mean of the part above `min`.
  bool operator==(const LatencySpec&) const = default;
};

// Behaviour of one directed link (or the default for every link).
struct LinkSpec {
  LatencySpec latency;
  Ppm loss;       // each message is lost with this probability
  Ppm duplicate;  // each delivered message is delivered twice with this probability
  bool operator==(const LinkSpec&) const = default;
};

// Per-link override of the default link behaviour, for messages from `from` to `to`.
struct LinkOverride {
  NodeId from;
  NodeId to;
  LinkSpec spec;
};

// The class of a network endpoint, for per-class link behaviour (network.classes).
enum class NodeClass {
  Controller,  // a voter (a combined node counts as a controller)
  Broker,      // an observer
  Client,      // the admin client of a metadata scenario
};

// Behaviour of every link from a node of class `from` to a node of class `to`.
struct ClassOverride {
  NodeClass from = NodeClass::Controller;
  NodeClass to = NodeClass::Controller;
  LinkSpec spec;
};

// Which spec applies to a message: the per-link override if any, else the class override of
// (class of sender, class of receiver) if any, else the default link.
struct NetworkSpec {
  LinkSpec default_link;
  std::vector<ClassOverride> classes;  // at most one per (from, to) class pair
  std::vector<LinkOverride> links;     // later entries win over earlier ones for the same pair
  // Node ids below this are controllers (voters); the rest of the cluster's ids are brokers; any
  // other id (Simulation::kAdminClientId) is the client. Filled by the loader from the cluster.
  int controllers = 0;
  // The cluster's node count: ids controllers .. node_count-1 are brokers. Filled by the loader;
  // the Simulation sets both fields from its cluster again (for scenarios built in code).
  int node_count = 0;
};

// The disks of every node at the start (a slow_disk action changes one later).
struct DiskSpec {
  // How long an fsync takes. During it the node is blocked (Kafka's raft thread waits on the
  // fsync) and the data it covers is not durable yet: a crash loses it.
  Duration flush_latency = Duration::zero();
  // Per-node fsync latency at the start (disk.nodes), overriding flush_latency for those ids.
  std::map<int, Duration> node_flush_latency;
  [[nodiscard]] Duration flush_latency_of(int id) const {
    auto it = node_flush_latency.find(id);
    return it == node_flush_latency.end() ? flush_latency : it->second;
  }
};

// The steady append workload: every `interval`, the active leader appends one batch of
// `records_per_append` records of `record_bytes` bytes (a replicated counter: values 1, 2, 3...).
struct WorkloadSpec {
  bool enabled = false;
  Duration interval = Duration::millis(10);
  int records_per_append = 1;
  int record_bytes = 64;
};

// A topic for the admin workload: CreateTopics arguments (Kafka's NewTopic).
struct TopicSpec {
  std::string name;
  std::int32_t partitions = 1;
  std::int16_t replication_factor = 3;
  std::map<std::string, std::string> configs;  // topic configs (unclean.leader.election.enable...)
  bool operator==(const TopicSpec&) const = default;
};

// The admin workload of a metadata scenario, sent by one simulated admin client (Kafka's Admin
// with bootstrap.controllers) that retries like Kafka's: NOT_CONTROLLER and timeouts are retried
// until default.api.timeout.ms; every request's outcome is recorded.
struct AdminWorkloadSpec {
  // Created at `topics_at` (one CreateTopics request per topic, all at once).
  std::vector<TopicSpec> topics;
  Instant topics_at = Instant::zero();
  // A steady stream of topic creations: every `interval`, starting at `start`, create topic
  // "<prefix><n>" (n = 0, 1, ...) until `count` were sent. count == 0: off.
  struct Stream {
    std::int64_t count = 0;
    Duration interval = Duration::millis(1000);
    Instant start = Instant::zero();
    std::string prefix = "topic-";
    std::int32_t partitions = 1;
    std::int16_t replication_factor = 3;
  };
  Stream create_stream;
  // Admin client settings (Kafka's names and defaults).
  std::int64_t request_timeout_ms = 30'000;       // request.timeout.ms
  std::int64_t default_api_timeout_ms = 60'000;   // default.api.timeout.ms
  std::int64_t retry_backoff_ms = 100;            // retry.backoff.ms
  std::int64_t retry_backoff_max_ms = 1000;       // retry.backoff.max.ms
};

// Which node(s) an action targets, resolved when the action runs. Single-node kinds resolve to
// at most one node; set kinds to any number (the action then applies to each, in id order).
struct NodeSelector {
  enum class Kind {
    Id,        // a fixed node id
    Leader,    // "leader": the current Raft leader (highest epoch); skipped if there is none
    Follower,  // "follower" / "any-follower": a running voter that is not the leader, drawn
               // from the fault stream of the seed
    Label,     // "label:<name>": the node(s) that the earlier action with this label resolved to
    // Metadata scenarios: a running broker, chosen by the fault stream of the seed; the action is
    // skipped if there is none. ("leader" is the Raft leader, i.e. the active controller.)
    RandomBroker,
    RandomController,  // "random-controller": a running voter, drawn from the fault stream
    RandomNode,        // "random-node": any running node, drawn from the fault stream
    // Sets:
    Voters,     // "controllers": every voter (running or not)
    Followers,  // "followers": every running voter that is not the leader
    Brokers,    // "brokers": every node running the broker role (metadata) / every observer
    All,        // "all": every node
    Set,        // a JSON array of selectors: the union of what `members` resolve to
  };
  Kind kind = Kind::Id;
  NodeId id;                          // Kind::Id
  std::string label;                  // Kind::Label
  std::vector<NodeSelector> members;  // Kind::Set
  // True for the kinds that may resolve to more than one node.
  [[nodiscard]] bool is_set() const {
    return kind == Kind::Voters || kind == Kind::Followers || kind == Kind::Brokers ||
           kind == Kind::All || kind == Kind::Set || kind == Kind::Label;
  }
};

enum class ActionType {
  Crash,      // hard kill: volatile state and unflushed writes are lost
  Restart,    // start a crashed or shut-down node from what its disk holds
  Shutdown,   // graceful shutdown: a leader resigns with EndQuorumEpoch first
  Isolate,    // cut every link to and from the node
  Partition,  // split nodes into groups that cannot reach each other
  Drop,       // one-way: messages from `from` to `to` are lost (responses still flow the other way)
  Heal,       // remove every isolation, partition and drop
  Pause,      // freeze the node's process (a long GC pause): no messages, no timers
  Resume,     // unfreeze it: it handles what arrived meanwhile, then its expired timers
  Wipe,       // crash the node (if running) and replace its disk: everything on it is gone
  SlowDisk,   // set the node's fsync latency (0 restores a fast disk)
  // Metadata scenarios:
  ControlledShutdown,  // a broker asks the controller to move its leadership, then exits
  CreateTopic,         // the admin client creates `topic`
  DeleteTopic,         // the admin client deletes `topic.name`
  AlterConfig,         // the admin client sets (or deletes) one config
  // Links and clocks:
  SlowLink,     // override the behaviour (latency, loss, duplication) of links from -> to
  RestoreLink,  // links from -> to go back to the scenario's configured behaviour
  ClockDrift,   // the node's clock runs at rate 1 + drift_ppm / 10^6 from now on
};

// Where an armed crash strikes (Action::crash_point): the next time the node writes such a file,
// it crashes between two steps of Kafka's write-temp / fsync / rename sequence.
enum class CrashPoint {
  None,
  SnapshotBeforeFsync,      // the `.part` file is written but not synced: restart finds garbage
  SnapshotBeforeRename,     // the `.part` file is synced but not renamed: restart removes it
  QuorumStateBeforeFsync,   // the temp quorum-state file is not synced: the old state survives
  QuorumStateBeforeRename,  // synced but not renamed: the old state survives
};

struct Action {
  Instant at;
  ActionType type = ActionType::Crash;
  std::string label;                         // optional, unique among actions; "" if none
  std::optional<NodeSelector> node;          // the actions on nodes (crash ... clock_drift)
  std::vector<std::vector<NodeSelector>> groups;  // Partition: at least two non-empty groups
  std::optional<NodeSelector> from;          // Drop, SlowLink, RestoreLink
  std::optional<NodeSelector> to;            // Drop, SlowLink, RestoreLink
  // Crash only: leave the first unflushed batch torn (half written, bad checksum) instead of
  // losing it cleanly; restart must detect it by checksum and truncate it.
  bool torn_write = false;
  // Crash only: not now, but at the next write of this kind (CrashPoint::None = now).
  CrashPoint crash_point = CrashPoint::None;
  Duration flush_latency;                    // SlowDisk: the new fsync latency
  TopicSpec topic;                           // CreateTopic; DeleteTopic uses topic.name
  std::int8_t config_resource_type = 2;      // AlterConfig: 2 = topic, 4 = broker
  std::string config_resource;               // AlterConfig: topic name, broker id, "" = cluster
  std::string config_name;                   // AlterConfig: the key
  std::optional<std::string> config_value;   // AlterConfig: nullopt = delete the key
  // SlowLink: what changes on each link from -> to (nullopt keeps the link's current value);
  // SlowLink and RestoreLink: bidirectional also applies it to to -> from.
  std::optional<LatencySpec> link_latency;
  std::optional<Ppm> link_loss;
  std::optional<Ppm> link_duplicate;
  bool bidirectional = false;
  // ClockDrift: parts per million the node's clock gains (> 0) or loses (< 0) per real second;
  // -999'999 .. 10'000'000 (a clock running at 0.000001x .. 11x). 0 restores an exact clock.
  std::int64_t drift_ppm = 0;
  std::size_t index = 0;                     // position in the scenario's timeline (0-based)
  // 0 for the action as written; k >= 1 for its k-th repetition ("repeat": the loader expands a
  // repeated action into copies at at + k * every_ms, which share `index`).
  std::size_t repetition = 0;
};

// A state the cluster is in, or not, at one moment: what an expectation checks (with a timing)
// and what stop.when waits for. "Committed" facts come from the committed metadata log (the
// reference image every node must converge to), not from one node's view.
enum class ConditionType {
  Leader,                // a running Raft leader of the highest voter epoch has committed in it
  NoLeader,              // no running node is such a leader
  HighWatermarkAtLeast,  // every running node of `nodes` (default: all) has HW >= value
  CaughtUp,              // every running node's HW >= the leader's HW of `max_lag` earlier
  NoCommittedRecordLost, // the active leader's log still holds every offset ever committed
  SnapshotsDownloadedAtLeast,  // `node` downloaded >= value snapshots (FetchSnapshot) so far
  // Metadata scenarios:
  ActiveController,      // a controller claimed the highest voter epoch and finished activating
  NoActiveController,    // no controller is active in the highest voter epoch
  BrokersUnfenced,       // every running broker-role node is registered and unfenced
  BrokerFenced,          // `node` is registered and fenced
  BrokerUnfenced,        // `node` is registered and unfenced
  BrokerLeadsNothing,    // `node` leads no partition
  PartitionsLed,         // there is at least one partition and every partition has a leader
  PartitionLeaderless,   // some partition has no leader
  // Every partition with a running broker in its ISR is led by a running broker (the fuzzer's
  // liveness phase, where failed nodes may stay down); true when there is no such partition.
  LivePartitionsLed,
  TopicExists,           // topic `topic` exists
  TopicAbsent,           // topic `topic` does not exist
  ImagesAgree,           // every running node's published metadata image has the same content
  AdminRequest,          // the request of the action labelled `request` has outcome `outcome`
                         // (and error `error` if given)
  AdminOutcomes,         // admin requests so far: acknowledged >= value, failed <= max_failed,
                         // unknown <= max_unknown
};

// The outcome an admin_request condition asks for (AdminOutcome::Result, in lower case).
enum class AdminResult { Acknowledged, Failed, Unknown, Pending };

struct Condition {
  ConditionType type = ConditionType::Leader;
  std::int64_t value = 0;               // HighWatermarkAtLeast, SnapshotsDownloadedAtLeast,
                                        // AdminOutcomes (acknowledged at least)
  std::vector<NodeId> nodes;            // HighWatermarkAtLeast: empty = every running node
  Duration max_lag = Duration::millis(1000);  // CaughtUp
  std::optional<NodeSelector> node;     // Broker*: an id or "label:<name>"; SnapshotsDownloaded...
  std::string topic;                    // TopicExists / TopicAbsent
  std::string request;                  // AdminRequest: label of a create_topic, delete_topic or
                                        // alter_config action
  AdminResult outcome = AdminResult::Acknowledged;  // AdminRequest
  std::optional<std::string> error;     // AdminRequest: Kafka error name (e.g. "INVALID_CONFIG")
  std::int64_t max_failed = 0;          // AdminOutcomes
  std::int64_t max_unknown = 0;         // AdminOutcomes
  std::string description;              // "an active controller exists", filled by the loader
};

// When a condition must hold.
struct Timing {
  enum class Kind {
    AtEnd,   // when the run ends
    At,      // at `at`: the state after every event at or before it
    By,      // at some moment at or before `at`
    Within,  // at some moment in [t, t + within], t = when the action labelled `after` ran
    Always,  // after every event in [from, to]
  };
  Kind kind = Kind::AtEnd;
  Instant at;               // At, By
  std::string after;        // Within
  Duration within;          // Within
  Instant from;             // Always
  Instant to;               // Always (never() when not given: until the run ends)
};

enum class ExpectationType {
  State,                 // `condition` must hold as `timing` says
  LeaderElectedWithin,   // after the labelled action, a leader of a higher epoch commits within
  FailoverWithin,        // metadata: after the labelled action, a controller of a higher epoch
                         // becomes active within `within`
  NoProgressBetween,     // the highest HW of any node does not grow in [from, to]
  ProgressBetween,       // the highest HW of any node grows in [from, to]
  BrokerFencedWithin,    // metadata: `broker` becomes fenced (a committed change) within
                         // `within` after the labelled action
  BrokerUnfencedWithin,  // metadata: `broker` becomes registered and unfenced (a committed
                         // change) within `within` after it
  ShutdownLeadershipMoved,  // metadata: `broker`'s controlled shutdown completed with the
                            // controller's consent and it led no partition when it exited
  RestartResumesFromLocalLog,  // after the labelled restart, the node's first Fetch starts at
                               // the log end offset its disk held (> 0) and it downloads no
                               // snapshot: it fetches only the missing suffix
};

struct Expectation {
  ExpectationType type = ExpectationType::State;
  std::string name;          // the "type" as written in the file (e.g. "leader_at_end")
  Condition condition;       // State
  Timing timing;             // State
  std::string after_label;   // *Within, RestartResumesFromLocalLog: the action the clock starts at
  Duration within;           // *Within
  Instant from;              // NoProgressBetween / ProgressBetween
  Instant to;                // NoProgressBetween / ProgressBetween
  std::optional<NodeSelector> broker;  // BrokerFencedWithin / BrokerUnfencedWithin / ShutdownLeadershipMoved
  std::string description;   // human-readable form, filled by the loader
  std::size_t index = 0;     // position in the scenario's expectations (0-based)
};

struct StopSpec {
  Instant at = Instant::from_ms(30'000);  // simulated time at which the run ends
  std::uint64_t events_max = 10'000'000;  // the run fails (liveness) if it needs more events
  // stop.when: the run also ends (successfully) after the first event at or after `when_from`
  // after which this condition holds.
  std::optional<Condition> when;
  Instant when_from = Instant::zero();
};

struct Scenario {
  std::string name;
  std::string description;
  std::uint64_t seed = 1;  // --seed on the command line overrides it
  ClusterSpec cluster;
  NetworkSpec network;
  DiskSpec disk;
  WorkloadSpec workload;
  AdminWorkloadSpec admin;
  std::vector<Action> timeline;  // sorted by `at` (stable: file order among equal times)
  StopSpec stop;
  std::vector<Expectation> expectations;
  // Historical KRaft bugs to re-introduce in every node (top-level "bugs", plus `kraftsim run
  // --bug`; raft/common/bugs.hh). Empty (the default) = Kafka's fixed behaviour. The Simulation
  // puts the set in every node's RaftConfig and QuorumControllerConfig.
  raft::BugSet bugs;
  std::string source_path;  // file it was loaded from, or "" when built in code
};

std::string_view to_string(ActionType t);
std::string_view to_string(CrashPoint p);
std::string_view to_string(ConditionType t);
std::string_view to_string(AdminResult r);

}  // namespace sim
