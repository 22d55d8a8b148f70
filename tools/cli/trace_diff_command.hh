// `kraftsim trace-diff A B [--context N]`: compares two JSON-lines traces (kraftsim run --trace
// FILE --trace-format jsonl) and prints where they first diverge, with the N equal events before
// it (sim/trace_export/trace_diff.hh; default N = 5). Usage: cli.hh and README.md.
//
// Output (stdout): "traces are identical (N events)" (N: A's lines, its final "end" line
// excluded), exit 0; or sim::trace_export::describe of the first divergence, exit 6 ("traces
// differ"). An unreadable file or a malformed line is bad input (exit 2): a UsageError naming the
// file and, for a bad line, its line number.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace kraftsim::cli {

// `args`: the arguments after "trace-diff". Returns 0 (identical) or 6 (they differ); throws
// UsageError for a bad command line, an unreadable file or a malformed line.
int trace_diff_command(const std::vector<std::string>& args, std::ostream& out);

}  // namespace kraftsim::cli
