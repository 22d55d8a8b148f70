// Runs a comparison: every schedule seed against every quorum size, then the sweep, and
// aggregates the figures into a CompareReport (report.hh).
#pragma once

#include <cstddef>
#include <functional>
#include <string_view>

#include "sim/compare/report.hh"
#include "sim/run_result.hh"
#include "sim/scenario/scenario.hh"

namespace sim::compare {

// One finished run, as the runner hands it to its observer (to write the scenario as a replay
// file, to show progress).
struct FinishedRun {
  std::string_view part;      // "schedule" or "sweep"
  const Scenario& scenario;   // what ran: Simulation(scenario, result.seed)
  const RunResult& result;
  std::size_t done = 0;       // runs finished so far, this one included
  std::size_t total = 0;      // runs in the whole comparison
};

using RunObserver = std::function<void(const FinishedRun&)>;

// Runs in this order: for each seed, for each voter count, the schedule case; then for each sweep
// kind, down, voter count (skipping down > voters for VotersDown) and sweep seed, the sweep case.
// Deterministic: the same settings give the same report.
CompareReport run_compare(const CompareSettings& settings, const RunObserver& observer = {});

// Total runs run_compare() will make for `settings`.
std::size_t total_runs(const CompareSettings& settings);

}  // namespace sim::compare
