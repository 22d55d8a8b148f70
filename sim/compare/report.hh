// A `kraftsim compare` report: the settings it ran with, the schedule runs per quorum size and
// their summaries, and the sweep. Built by run_compare() (runner.hh); printed, written as JSON and
// drawn as SVG by tools/cli/compare_*.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/compare/metrics.hh"
#include "sim/compare/sweep.hh"
#include "sim/fuzz/profile.hh"

namespace sim::compare {

struct CompareSettings {
  std::vector<int> voters = {3, 5};  // quorum sizes, each 1..9, no repeats, in the order given
  std::uint64_t first_seed = 0;      // the schedule seeds, first_seed..last_seed
  std::uint64_t last_seed = 99;
  fuzz::Profile profile = fuzz::default_profile();  // what the schedules are drawn from
  std::string profile_name = "built-in default";
  // Seeds per sweep cell: first_seed .. first_seed + sweep_seeds - 1. 0 skips the sweep.
  std::uint64_t sweep_seeds = 5;
  SweepSettings sweep;
};

struct CompareReport {
  CompareSettings settings;
  std::vector<SizeSummary> sizes;             // one per settings.voters entry, same order
  std::vector<std::vector<RunMetrics>> runs;  // runs[i]: sizes[i]'s schedule runs, by seed
  // The cells, ordered by kind (VotersDown first), then down, then settings.voters order. A
  // VotersDown cell exists for every down in 0..voters; a RacksDown one for down 0..3.
  std::vector<SweepCell> sweep;
  std::vector<SweepRun> sweep_runs;  // every sweep run, in the cells' order, then by seed
};

}  // namespace sim::compare
