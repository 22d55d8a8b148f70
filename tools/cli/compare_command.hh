// `kraftsim compare`: runs the same fault schedules against several quorum sizes, and the sweep of
// voters and racks down at once (sim/compare/), prints the comparison table (compare_table.hh) and
// writes, under --out DIR, compare.json (compare_json.hh), compare.svg (compare_svg.hh) and every
// run's scenario under runs/ so `kraftsim run` replays it. Usage and flags: cli.hh and README.md
// ("Comparing quorum sizes").
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "tools/cli/cli.hh"

namespace kraftsim::cli {

// `args`: the arguments after "compare". Returns the exit code: 0, or 3 if a run violated an
// invariant, or 5 if a run hit its events bound (cli.hh). Throws UsageError for a bad command line
// and sim::ScenarioError for a bad profile file.
int compare_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                    const Terminal& terminal);

}  // namespace kraftsim::cli
