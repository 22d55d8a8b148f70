// Helpers for tests that replay the scenario files shipped in scenarios/.
#pragma once

#include <algorithm>
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
    if (!e.passed) out += "; FAILED " + e.description + ": " + e.detail;
  }
  return out;
}

// True if some timeline line of `node` contains `text`.
inline bool timeline_has(const sim::RunResult& r, int node, const std::string& text) {
  return std::any_of(r.timeline.begin(), r.timeline.end(), [&](const sim::TimelineEntry& t) {
    return t.node && t.node->value() == node && t.text.find(text) != std::string::npos;
  });
}

}  // namespace kraftsim::test
