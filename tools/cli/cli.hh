// The kraftsim command line.
//
//   kraftsim run FILE [--seed N] [--bug NAME]... [--summary-json FILE]
//                [--timeline brief|full|none] [--quiet]
//       --bug adds a historical bug (raft/common/bugs.hh) to the scenario's "bugs"; the summary
//       then says so near its top, the result line ends with the list, and the --summary-json
//       file carries "bugs" (the names, always present, [] when none) besides sim::to_json's
//       fields.
//   kraftsim validate FILE...
//   kraftsim fuzz [--seeds A..B] [--profile FILE] [--budget within|beyond] [--bug NAME]...
//                 [--jobs N] [--shard K/N] [--results FILE] [--out DIR] [--no-shrink]
//                 [--max-shrink-runs N] [--progress auto|bar|lines|none] [--quiet]
//       Draws one scenario per seed (sim/fuzz/generator.hh; seeds 0..99, the built-in profile
//       and budget within by default), prints its summary, runs and classifies it; a failure is
//       written to DIR/seed-<N>.json (default DIR: fuzz-failures), replayed to confirm it, and
//       shrunk to DIR/seed-<N>.shrunk.json. --jobs N runs N worker processes (fuzz_workers.hh);
//       --shard K/N keeps the seeds whose index in the range is K mod N; --results FILE writes
//       one JSON line per seed, sorted by seed (results_file.hh). Progress goes to stderr
//       (progress.hh), the per-seed lines and the summary (fuzz_report.hh) to stdout.
//   kraftsim shrink FILE [--seed N] [--bug NAME]... [--out FILE] [--max-runs N]
//       Shrinks a failing scenario (sim/fuzz/shrinker.hh) to --out (default: FILE with .json
//       replaced by .shrunk.json). A passing FILE is bad input (exit 2).
//   kraftsim merge FILE... [--results OUT]
//       Combines fuzz results files (shards), sorted by seed; prints the fuzz summary; writes the
//       merged lines to OUT. A bad line or a seed with two different outcomes: exit 2.
//   kraftsim compare [--voters 3,5] [--seeds A..B] [--sweep-seeds N] [--profile FILE] [--out DIR]
//                    [--quiet]
//       Runs the same fault schedules (one per seed, drawn from the profile with faults on roles,
//       sim/compare/schedule.hh) against each quorum size, and the sweep of voters and racks down
//       at once (sim/compare/sweep.hh); prints the comparison (compare_table.hh); --out DIR writes
//       compare.json, compare.svg and runs/<scenario>.json for every run (compare_command.hh).
//   kraftsim inspect FILE [--seed N] [--at MS] [--node ID]... [--log] [--quorum] [--image]
//       Runs the scenario to MS (default: its end) and prints the quorum status and replication,
//       and each node's metadata log and image (sim/inspect/, inspect_command.hh).
//   kraftsim trace-diff A B [--context N]
//       The first event at which two JSON-lines traces diverge (sim/trace_export/trace_diff.hh).
//   kraftsim --help | --version
//
// Exit codes (also in the README):
//   0  success: every invariant held and every expectation passed (validate: all files valid;
//      fuzz, merge: every seed passed)
//   1  internal error: a bug in kraftsim itself (an unexpected exception; fuzz, merge: the worst
//      class is "error")
//   2  bad input: unknown command or flag, bad flag value, unreadable or invalid scenario,
//      profile or results file; shrink: the scenario passes
//   3  safety violation: an invariant or a protocol assertion failed (fuzz, merge: some seed)
//   4  failed expectation (fuzz, merge: a "liveness:<expectation>" seed and no safety one)
//   5  liveness failure: the run needed more events than its bound (stop.events_max); fuzz,
//      merge: an "events_max" seed and no safety or expectation one
//   6  traces differ: trace-diff found an event at which the two traces diverge
// A campaign exits with the code of its worst class: safety, then liveness, events_max, error
// (tools/cli/outcome_class.hh). compare exits 3 if a run violated an invariant, else 5 if a run
// reached its event bound, else 0 (a sweep case whose quorum stops is a measurement, not a
// failure).
#pragma once

#include <ostream>

namespace kraftsim::cli {

enum ExitCode : int {
  kExitSuccess = 0,
  kExitInternalError = 1,
  kExitBadInput = 2,
  kExitSafetyViolation = 3,
  kExitExpectationFailed = 4,
  kExitLivenessFailure = 5,
  kExitTracesDiffer = 6,
};

// What the command line knows of the terminal it writes to (main.cc fills it in; tests pass their
// own). Only fuzz's progress display uses it.
struct Terminal {
  bool stderr_is_tty = false;  // stderr is a terminal: fuzz draws a progress bar on it
  int width = 80;              // columns of that terminal
};

// Runs the command line; writes results to `out` and diagnostics to `err`; returns the exit code.
int main(int argc, char** argv, std::ostream& out, std::ostream& err, const Terminal& terminal);
// The same for output that is not a terminal (Terminal{}).
int main(int argc, char** argv, std::ostream& out, std::ostream& err);

}  // namespace kraftsim::cli
