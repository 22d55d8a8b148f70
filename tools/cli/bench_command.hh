// `kraftsim bench [--runs N] [--fuzz-seeds K] [--out FILE] [--cases LIST] [--quick] [--large]
//                 [--label TEXT] [--scenarios DIR]`: the benchmark suite (issue 9).
//
// Runs each case (bench_cases.hh: default, steady-5c10b, fuzz, and 2m with --large) N times in a
// child process of its own (bench_child.hh), prints a table of the medians with min and max (wall
// ms, events per second, simulated seconds per wall second, peak memory; fuzz seeds per minute per
// core) and writes the JSON result file (bench_report.hh). A WARNING line comes first when this
// kraftsim was built without NDEBUG (its figures are not representative). Progress goes to
// stderr, one line per case.
//
// Flags:
//   --runs N         runs per case, 1..1000 (default 5; the 2m case always runs once)
//   --fuzz-seeds K   seeds 0..K-1 per fuzz run, 1..1000000 (default 40)
//   --out FILE       the JSON result file (default bench-results.json in the current directory);
//                    opened before anything runs
//   --cases LIST     comma-separated case names (default: default,steady-5c10b,fuzz, plus 2m
//                    with --large); cases run in that fixed order whatever the list's order
//   --quick          --runs 1 --fuzz-seeds 3 unless those are given (for tests)
//   --large          also the 2,000,000-partition case (2m); naming 2m in --cases needs it too
//   --label TEXT     recorded in the result file (tools/bench passes the git short hash)
//   --scenarios DIR  where the scenario files are (default: the first scenarios/ holding
//                    default.json found walking up from the executable's directory, else
//                    ./scenarios)
//
// Exit: 0 when every case ran and succeeded; 1 when a case failed (its child died, a run's
// outcome was not success, a fuzz seed did not pass, or runs of a case gave different trace
// hashes); the reason is in the table and the result file. A bad command line, a missing
// scenario file or an unwritable --out throws UsageError (exit 2), before anything runs.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace kraftsim::cli {

// `args`: the arguments after "bench". Returns the exit code (above); throws UsageError.
int bench_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace kraftsim::cli
