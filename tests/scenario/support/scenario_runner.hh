// Helpers for tests that replay the scenario files shipped in scenarios/.
#pragma once

#include <algorithm>

#include <doctest/doctest.h>
#include <string>

#include "sim/scenario/scenario_loader.hh"
#include "sim/simulation.hh"

namespace kraftsim::test {

// Loads scenarios/<name>.json from the source tree.
inline sim::Scenario load_shipped_scenario(const std::string& name) {
  return sim::load_scenario_file(std::string(KRAFTSIM_SOURCE_DIR) + "/scenarios/" + name + ".json");
}

inline sim::RunResult run_shipped_scenario(const std::string& name, std::uint64_t seed) {
  sim::Simulation simulation(load_shipped_scenario(name), seed);
  return simulation.run();
}

// Failed expectations and the violation, for failure messages.
inline std::string describe_failures(const sim::RunResult& r) {
  std::string out = std::string(sim::to_string(r.outcome)) + " (" + r.stop_reason + ")";
  if (r.violation) out += "; " + r.violation->invariant + ": " + r.violation->detail;
  for (const sim::ExpectationResult& e : r.expectations) {
    if (!e.passed) out += "; FAILED " + e.description + ": " + e.observed;
  }
  return out;
}

// The seeds every shipped scenario is replayed with by the catalogue tests.
inline constexpr std::uint64_t kSeeds[] = {1, 2, 3};

// Stops the test unless the run succeeded: no violation, every expectation passed, and the
// invariants ran after every event.
inline void require_success(const sim::RunResult& r) {
  INFO("seed " << r.seed << ": " << describe_failures(r));
  REQUIRE(r.outcome == sim::Outcome::Success);
  REQUIRE(!r.violation);
  REQUIRE(r.invariant_passes == r.events);
}

// True if some timeline line of `node` contains `text`.
inline bool timeline_has(const sim::RunResult& r, int node, const std::string& text) {
  return std::any_of(r.timeline.begin(), r.timeline.end(), [&](const sim::TimelineEntry& t) {
    return t.node && t.node->value() == node && t.text.find(text) != std::string::npos;
  });
}

}  // namespace kraftsim::test
