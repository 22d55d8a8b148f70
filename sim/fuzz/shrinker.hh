// The shrinker: makes a failing scenario smaller while it still fails with the same class
// (outcome.hh), so a person can read why it fails.
//
// Every candidate is the current scenario with one edit; it is written with scenario_to_json and
// loaded back with parse_scenario (so it is a valid file and the run is exactly what the written
// file replays; a candidate the loader rejects is skipped), then run with its seed. The candidate
// is kept if run_and_classify() gives the same class. Edits, in rounds until a round keeps
// nothing or the run budget is spent:
//   1. the stop time: just after the failure for a safety failure (stop.at = failed_at + 1 ms);
//   2. expectations: every one but the failing one (a safety failure: all of them);
//   3. timeline actions, delta-debugging style: halves, quarters ... down to single actions; an
//      action is removed together with the actions whose selectors name its label. For a
//      liveness failure an undo (restart, resume, heal, restore_link, slow_disk to 0,
//      clock_drift 0) is only removed with the fault it undoes: removing it alone would leave the
//      cluster broken, a liveness failure that any code would have;
//   4. nodes: the highest broker (actions naming it go too), then 5 -> 3 voters (broker ids
//      renumbered, actions naming removed voters go too);
//   5. operations: topics (admin workload), partitions per topic, the create stream;
//   6. time: every action and the stop moved earlier (gaps between actions halved);
//   7. the network and disks: duplication, loss, latency to a constant 1 ms, class and link
//      overrides, per-node configs, disk latency back to the defaults.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "sim/fuzz/outcome.hh"
#include "sim/scenario/scenario.hh"

namespace sim::fuzz {

struct ShrinkOptions {
  // At most this many candidate runs (the runs of the initial classification included).
  std::size_t max_runs = 500;
  // When the scenario re-introduces historical bugs (Scenario::bugs) and passes with them switched
  // off (one run to find out): a candidate that fails the same way is kept only if it also still
  // PASSES with the bugs off (one more run), so the shrunk scenario still shows the bug rather
  // than a failure any code would have.
  bool require_pass_without_bugs = true;
  // Called after every candidate run (for progress output); may be empty.
  std::function<void(const std::string& edit, bool kept, std::size_t runs)> on_candidate;
};

// Sizes of a scenario, for reports: actions as written (a repeated action counts once), nodes,
// the stop time, topics (admin topics plus the create stream's count), expectations.
struct ScenarioSize {
  std::size_t actions = 0;
  int controllers = 0;
  int brokers = 0;
  Instant stop;
  std::size_t topics = 0;
  std::size_t expectations = 0;
};
ScenarioSize size_of(const Scenario& s);

struct ShrinkResult {
  Scenario scenario;        // the smallest scenario found that fails with `outcome.outcome`
  RunOutcome outcome;       // its run
  std::string target;       // the class kept fixed (the original's)
  ScenarioSize before;
  ScenarioSize after;
  std::size_t runs = 0;     // candidate runs made
  std::vector<std::string> kept_edits;  // the edits that were kept, in order ("removed 7 actions")
  bool budget_exhausted = false;        // stopped by max_runs rather than by a fixed point
};

// Shrinks `failing` (run with failing.seed). Precondition: it fails (the first run checks; a
// passing scenario throws std::invalid_argument "the scenario passes: nothing to shrink").
ShrinkResult shrink(const Scenario& failing, const ShrinkOptions& options = {});

}  // namespace sim::fuzz
