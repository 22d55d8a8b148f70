// The fuzz outcome classes (sim/fuzz/outcome.hh) as the command line sees them: which strings are
// classes, the family each belongs to (for counts), how bad each is, and its exit code.
//
//   class                      family       exit code (as `kraftsim run`'s)   severity
//   "pass"                     pass         0                                 0 (best)
//   "error"                    error        1 (internal error)                1
//   "events_max"               events_max   5 (liveness failure: event bound) 2
//   "liveness:<expectation>"   liveness     4 (failed expectation)            3
//   "safety:<Invariant>"       safety       3 (safety violation)              4 (worst)
//
// A campaign (fuzz, merge) exits with the code of its worst class.
#pragma once

#include <string_view>

namespace kraftsim::cli {

// True for "pass", "error", "events_max", and "safety:" / "liveness:" followed by a name.
bool is_outcome_class(std::string_view outcome);

// "pass", "safety", "liveness", "events_max" or "error"; "error" for anything that is not a class.
std::string_view outcome_family(std::string_view outcome);

// 0 for pass up to 4 for safety (table above).
int outcome_severity(std::string_view outcome);

// The exit code of the class (table above; cli.hh's ExitCode values).
int outcome_exit_code(std::string_view outcome);

}  // namespace kraftsim::cli
