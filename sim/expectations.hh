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
};

std::vector<ExpectationResult> evaluate_expectations(const std::vector<Expectation>& expectations,
                                                     const Observations& observations,
                                                     const FinalState& final_state);

}  // namespace sim
