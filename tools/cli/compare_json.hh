// The JSON report of `kraftsim compare` (written to DIR/compare.json under --out): settings,
// per-size summaries, every run with its figures and the file that replays it, and the sweep.
// Durations are in milliseconds with up to three decimals (microsecond precision), fractions in
// parts per million and as percentages. Every field is documented in the README ("Comparing
// quorum sizes").
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "sim/compare/report.hh"

namespace kraftsim::cli {

// The file a run is written to under --out, relative to DIR: "runs/<scenario name>.json".
std::string replay_file(const std::string& scenario_name);

nlohmann::json compare_to_json(const sim::compare::CompareReport& report);

}  // namespace kraftsim::cli
