// The kraftsim command line.
//
//   kraftsim run FILE [--seed N] [--bug NAME]... [--summary-json FILE]
//                [--timeline brief|full|none] [--quiet]
//       --bug adds a historical bug (raft/common/bugs.hh) to the scenario's "bugs"; the summary
//       then says so near its top, the result line ends with the list, and the --summary-json
//       file carries "bugs" (the names, always present, [] when none) besides sim::to_json's
//       fields.
//   kraftsim validate FILE...
//   kraftsim --help | --version
//
// Exit codes (also in the README):
//   0  success: every invariant held and every expectation passed (validate: all files valid)
//   1  internal error: a bug in kraftsim itself (an unexpected exception)
//   2  bad input: unknown command or flag, bad flag value, unreadable or invalid scenario
//   3  safety violation: an invariant or a protocol assertion failed
//   4  failed expectation: the scenario's expectations did not all pass
//   5  liveness failure: the run needed more events than its bound (stop.events_max)
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
};

// Runs the command line; writes results to `out` and diagnostics to `err`; returns the exit code.
int main(int argc, char** argv, std::ostream& out, std::ostream& err);

}  // namespace kraftsim::cli
