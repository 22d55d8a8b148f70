// `kraftsim fuzz`: runs a range of seeds, each a scenario drawn from a profile (sim/fuzz/), in
// worker processes (fuzz_workers.hh); prints each case's summary before its run and its result
// after it, keeps the failures as reproduction files (fuzz_seed.hh), writes the results file in
// seed order (results_file.hh), shows progress on stderr (progress.hh) and ends with the summary
// (fuzz_report.hh). Usage and flags: cli.hh and README.md ("Fuzzing").
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "tools/cli/cli.hh"

namespace kraftsim::cli {

// `args`: the arguments after "fuzz". Returns the exit code (the worst class's, cli.hh).
// Throws UsageError for a bad command line and sim::ScenarioError for a bad profile file.
int fuzz_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                 const Terminal& terminal);

}  // namespace kraftsim::cli
