// Evaluates a scenario's expectations against what the run observed.
#pragma once

#include <map>
#include <optional>
#include <vector>

#include "sim/observations.hh"
#include "sim/run_result.hh"
#include "sim/scenario/scenario.hh"

namespace sim {

// The cluster as the run ended.
struct FinalState {
  Instant at;
  std::optional<ActiveLeader> active_leader;  // still leading at the end
  Epoch highest_voter_epoch{0};               // highest epoch of any running voter
  // High watermark of every running node (nullopt = unknown).
  std::map<NodeId, std::optional<Offset>> running_hw;

  // ---- metadata scenarios ----
  // The active controller at the end (activated, epoch = the highest voter epoch), if any.
  std::optional<ActiveController> active_controller;
  // Running broker-role nodes and their committed registration: (registered, fenced).
  std::map<NodeId, std::pair<bool, bool>> running_brokers;
  std::int64_t partitions = 0;             // in the committed log
  std::int64_t leaderless_partitions = 0;  // in the committed log
  std::vector<std::string> topics;         // names in the committed log, sorted
  std::int64_t admin_acknowledged = 0;
  std::int64_t admin_failed = 0;
  std::int64_t admin_unknown = 0;
  std::int64_t admin_pending = 0;
};

std::vector<ExpectationResult> evaluate_expectations(const std::vector<Expectation>& expectations,
                                                     const Observations& observations,
                                                     const FinalState& final_state);

}  // namespace sim
