// What the simulation records while it runs, for expectations and the summary: when each labelled
// action ran, every leader that became active, and how committed progress moved over time.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "raft/common/ids.hh"
#include "raft/common/time.hh"

namespace sim {

using raft::Duration;
using raft::Epoch;
using raft::Instant;
using raft::NodeId;
using raft::Offset;

// A leader that committed its first record in its epoch (it can serve writes: in KRaft terms
// the controller could become active).
struct ActiveLeader {
  Instant at;
  NodeId node;
  Epoch epoch;
};

struct ActionRecord {
  Instant at;
  // Epoch of the active leader when the action ran (0 if there was none).
  Epoch active_epoch{0};
  std::vector<NodeId> targets;  // the nodes the action resolved to
  bool skipped = false;
  // create_topic / delete_topic / alter_config: the admin operation id it submitted (1, 2, ...).
  std::optional<std::uint64_t> admin_op;
  // restart: the log end offset and snapshots downloaded when the node restarted, and where its
  // first Fetch after the restart started (nullopt until it sent one).
  std::optional<Offset> restart_log_end;
  std::int64_t restart_snapshots_downloaded = 0;
  std::optional<Offset> first_fetch_offset;
  std::optional<Instant> first_fetch_at;
};

// A value that changes over time, sampled at every change.
struct Series {
  std::vector<std::pair<Instant, std::int64_t>> points;
  void record(Instant at, std::int64_t value) {
    if (!points.empty() && points.back().second == value) return;
    points.emplace_back(at, value);
  }
  // Value at `at` (the last sample at or before it), or `initial` before the first sample.
  [[nodiscard]] std::int64_t at(Instant t, std::int64_t initial = 0) const {
    std::int64_t v = initial;
    for (const auto& [when, value] : points) {
      if (when > t) break;
      v = value;
    }
    return v;
  }
};

// A controller that claimed its epoch and completed activation (KIP-631 "active controller").
struct ActiveController {
  Instant at;
  NodeId node;
  Epoch epoch;
};

// A broker registration state seen in the committed metadata log.
struct BrokerStateChange {
  Instant at;
  std::int32_t broker = 0;
  bool registered = false;
  bool fenced = true;
  bool in_controlled_shutdown = false;
  std::int64_t epoch = -1;
};

// How a broker's controlled shutdown ended (the broker left SHUTTING_DOWN / exited).
struct ShutdownExit {
  Instant at;
  bool consented = false;             // the controller answered ShouldShutDown
  std::int64_t leaders_at_exit = 0;   // partitions it led in the committed log when it exited
};

// Metadata-level observations (metadata scenarios only).
struct MetadataObservations {
  std::vector<ActiveController> active_controllers;  // in time order
  std::vector<BrokerStateChange> broker_changes;     // committed registration changes, in order
  Series leaderless_partitions;                      // partitions with no leader, committed
  Series partitions;                                 // partitions in the committed log
  std::map<std::int32_t, ShutdownExit> shutdown_exits;
};

struct Observations {
  MetadataObservations metadata;
  std::map<std::string, ActionRecord> actions_by_label;
  std::vector<ActiveLeader> active_leaders;  // in time order
  Series committed_end;     // end of the cluster's committed prefix (never decreases)
  Series active_leader_hw;  // HW of the active leader
};

}  // namespace sim
