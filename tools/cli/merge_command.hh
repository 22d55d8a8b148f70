// `kraftsim merge FILE... [--results OUT]`: combines the results files of several fuzz runs (for
// example the shards of one range run on several machines), sorted by seed; prints the fuzz
// summary of the whole and optionally writes the merged lines.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace kraftsim::cli {

// `args`: the arguments after "merge". Returns the worst class's exit code (cli.hh); bad lines
// and conflicting seeds are UsageErrors (exit 2).
int merge_command(const std::vector<std::string>& args, std::ostream& out);

}  // namespace kraftsim::cli
