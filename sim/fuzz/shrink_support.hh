// What the shrinker (shrinker.hh) needs besides the edits: a candidate as its file replays it,
// and which expectation a liveness failure is about.
#pragma once

#include <cstddef>
#include <optional>

#include "sim/fuzz/outcome.hh"
#include "sim/scenario/scenario.hh"

namespace sim::fuzz {

// `s` as the file the scenario writer makes of it replays it: scenario_to_json(s) loaded back
// with parse_scenario (source name: s.name). Throws std::invalid_argument if the writer cannot
// write it and ScenarioError if the loader rejects what it wrote.
Scenario write_and_load(const Scenario& s);

// The same, or nullopt where write_and_load() throws.
std::optional<Scenario> as_written(const Scenario& s);

// The position in s.expectations of the expectation whose failure `outcome` (a run of `s`)
// reports: the first one of its type whose description begins outcome.detail (else the first of
// its type). nullopt unless the outcome is "liveness:<type>" and `s` has such an expectation.
std::optional<std::size_t> failing_expectation(const Scenario& s, const RunOutcome& outcome);

}  // namespace sim::fuzz
