// What one simulated run produced: the outcome, the trace hash, statistics, the timeline of
// notable events, failovers, invariant violations and expectation results. Printed by
// `kraftsim run` and written as JSON by --summary-json (run_result_json.hh).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "raft/common/ids.hh"
#include "raft/common/time.hh"
#include "sim/disk.hh"
#include "sim/network.hh"

namespace sim {

using raft::Epoch;
using raft::Offset;

// How the run ended, in order of severity (the worst one wins).
enum class Outcome {
  Success,            // every invariant held and every expectation passed
  ExpectationFailed,  // an expectation failed
  LivenessFailure,    // a run bound was hit (events_max) before the stop time
  SafetyViolation,    // an invariant or a protocol assertion failed
};

std::string_view to_string(Outcome o);

// An invariant that failed: the run stops at the first one.
struct Violation {
  std::string invariant;       // Kafka's name where it has one (SingleLeader, MonotonicEpoch...)
  std::string detail;          // what was observed, with the values involved
  std::uint64_t event_index = 0;
  Instant at;
  std::vector<raft::NodeId> nodes;  // nodes involved
};

struct ExpectationResult {
  std::string description;
  bool passed = false;
  std::string observed;  // the observed values that decided it
  std::string type;      // the expectation's "type" as written in the scenario
  // When it was decided (the moment a "by"/"within" condition first held, an "always" one first
  // failed, an "at" one was checked); nullopt for those decided when the run ended.
  std::optional<Instant> decided_at;
};

// From the moment the active leader was lost (fault on it, or it stepped down) to the moment a
// leader of a newer epoch committed its first record (it can serve writes again).
struct Failover {
  Instant start;
  std::optional<Instant> end;  // nullopt: no new leader before the run ended
  std::string cause;           // the action label/type, or what the leader did
  std::optional<raft::NodeId> old_leader;
  Epoch old_epoch{0};
  std::optional<raft::NodeId> new_leader;
  std::optional<Epoch> new_epoch;
  std::optional<Instant> elected_at;  // when the new leader won its election
  [[nodiscard]] std::optional<Duration> duration() const {
    if (!end) return std::nullopt;
    return *end - start;
  }
};

// A stretch of simulated time in which no active controller could commit a write (see
// Availability).
struct UnavailableWindow {
  Instant start;
  std::optional<Instant> end;  // nullopt: still unavailable when the run ended
  // Why writes could not commit when it began, e.g. "no leader", "leader 2 (epoch 5) has not
  // committed in its epoch yet", "leader 0 (epoch 3) paused", "leader 1 (epoch 4) reaches 1 of 3
  // voters (2 needed)".
  std::string reason;
  // Its length, an open window counted to `run_end`.
  [[nodiscard]] Duration length(Instant run_end) const { return end.value_or(run_end) - start; }
};

// Metadata availability over a run. At every moment (sampled after every event) a write "could
// commit" when the running leader of the highest epoch (a) is not paused, (b) has committed a
// record in its epoch (in KRaft terms: it is the active controller) and (c) can exchange messages
// with a majority of the voters, itself included, that are running and not paused, over links that
// are up in both directions. This is a structural test: it does not wait for a probe write, so a
// follower that has just restarted counts at once, and slow disks or lossy links do not make the
// cluster unavailable (they make it slow). The run is measured from the first moment a write
// could commit (the cluster's first start-up is not counted as unavailability) to its end.
struct Availability {
  std::optional<Instant> measured_from;  // nullopt: no write could ever commit
  Instant measured_to;                   // the end of the run
  std::vector<UnavailableWindow> windows;  // in time order, disjoint, all after measured_from

  // Length of the measured span (zero if nothing was measured).
  [[nodiscard]] Duration measured() const;
  // Total length of the windows.
  [[nodiscard]] Duration unavailable() const;
  // The available fraction of the measured span in parts per million; 0 if nothing was measured.
  [[nodiscard]] std::int64_t available_ppm() const;
  // Unavailable time within [from, to), clamped to the run; time before measured_from counts as
  // unavailable (no write could commit yet).
  [[nodiscard]] Duration unavailable_between(Instant from, Instant to) const;
};

// One line of the human timeline.
struct TimelineEntry {
  Instant at;
  enum class Kind { Fault, Role, Election, Active, Note };
  Kind kind = Kind::Note;
  std::optional<raft::NodeId> node;
  std::string text;
};

std::string_view to_string(TimelineEntry::Kind k);

// A node's state when the run ended.
struct NodeSummary {
  raft::NodeId id;
  bool voter = false;
  std::string status;  // running, paused, crashed, stopped
  std::string state;   // Raft state, or "-" when the process is down
  Epoch epoch{0};      // in-memory epoch, or the persisted one when down
  std::optional<raft::NodeId> leader;
  std::optional<Offset> high_watermark;
  Offset log_end_offset;
  Offset flushed_end_offset;
  std::int64_t committed_value = 0;  // the replicated counter's committed value
  // Metadata scenarios: process.roles ("controller", "broker", "broker,controller"; "" for the
  // counter), the broker's lifecycle state ("-" if none) and epoch, and the highest metadata
  // offset the node applied (its image's last contained offset; -1 if none).
  std::string roles;
  std::string broker_state = "-";
  std::optional<std::int64_t> broker_epoch;
  std::int64_t metadata_offset = -1;
  std::uint32_t incarnation = 0;
  // Disk faults over the whole run (DiskStats): hard crashes of the process, the non-durable
  // batches and bytes they lost (a torn batch included), crashes that left a torn write, wipes.
  std::uint64_t crashes = 0;
  std::uint64_t batches_lost_in_crashes = 0;
  std::int64_t bytes_lost_in_crashes = 0;
  std::uint64_t torn_writes = 0;
  std::uint64_t wipes = 0;
  // Snapshots (KIP-630): the log start offset, the snapshots on disk and the latest one, how many
  // this node created over the run and how many it downloaded from a leader.
  Offset log_start_offset;
  std::size_t snapshots_on_disk = 0;
  std::optional<raft::OffsetAndEpoch> latest_snapshot;
  std::int64_t snapshots_created = 0;
  std::int64_t snapshots_downloaded = 0;
};

// The metadata layer over the run (metadata scenarios only): what a Kafka operator looks at.
struct MetadataSummary {
  bool enabled = false;
  std::int64_t active_controller_changes = 0;  // activations of a controller (incl. the first)
  std::optional<raft::NodeId> active_controller;  // at the end
  std::int64_t broker_registrations = 0;      // committed registrations with a new epoch
  std::int64_t broker_fences = 0;             // committed fence transitions
  std::int64_t broker_unfences = 0;           // committed unfence transitions
  std::int64_t brokers_registered = 0;        // at the end
  std::int64_t brokers_fenced = 0;            // at the end
  std::int64_t topics = 0;                    // at the end
  std::int64_t partitions = 0;                // at the end
  std::int64_t leaderless_partitions = 0;     // at the end
  std::int64_t max_leaderless_partitions = 0; // over the run
  // Partitions without a leader over time: (time, count) at every change.
  std::vector<std::pair<Instant, std::int64_t>> leaderless_over_time;
  // Admin requests by outcome.
  std::int64_t admin_acknowledged = 0;
  std::int64_t admin_failed = 0;
  std::int64_t admin_unknown = 0;
  std::int64_t admin_pending = 0;
  Offset committed_end{0};  // end of the committed metadata log
};

struct RunResult {
  std::string scenario_name;
  std::uint64_t seed = 0;
  std::uint64_t trace_hash = 0;
  std::uint64_t events = 0;            // events processed (stale wake-ups excluded)
  std::uint64_t invariant_checks = 0;  // individual invariant evaluations
  std::uint64_t invariant_passes = 0;  // times the whole invariant suite ran
  Instant sim_time;                    // simulated time when the run ended
  Outcome outcome = Outcome::Success;
  std::string stop_reason;
  std::optional<Violation> violation;
  std::vector<ExpectationResult> expectations;
  std::vector<Failover> failovers;
  std::vector<TimelineEntry> timeline;
  std::vector<NodeSummary> nodes;
  NetworkStats network;
  std::uint64_t messages_dropped_down = 0;  // to a node that was down or restarted meanwhile
  std::uint64_t appends = 0;                // workload appends accepted by a leader
  MetadataSummary metadata;
  Availability availability;
  std::int64_t elections = 0;  // elections won over the run (the timeline's Election entries)
  // Committed records that no voter holds durably at the end of the run: the committed end that
  // any node ever saw minus the furthest durable log end of a voter (0 when one reaches it). Must
  // be 0 unless a majority of the voters' disks were wiped.
  std::int64_t committed_records_lost = 0;
};

}  // namespace sim
