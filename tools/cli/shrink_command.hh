// `kraftsim shrink FILE`: makes a failing scenario file smaller while it keeps failing with the
// same class (sim/fuzz/shrinker.hh), writes the result and says what was removed.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace kraftsim::cli {

// `args`: the arguments after "shrink". Returns the class's exit code (cli.hh). A passing file is
// a UsageError ("FILE passes (seed N): nothing to shrink", exit 2); a bad file a ScenarioError.
int shrink_command(const std::vector<std::string>& args, std::ostream& out);

}  // namespace kraftsim::cli
