// Candidate reloading and the failing expectation for the shrinker (see shrink_support.hh).
#include "sim/fuzz/shrink_support.hh"

#include <stdexcept>

#include "sim/scenario/scenario_loader.hh"
#include "sim/scenario/scenario_writer.hh"

namespace sim::fuzz {

Scenario write_and_load(const Scenario& s) {
  const nlohmann::json doc = scenario_to_json(s);
  return parse_scenario(doc, s.name);
}

std::optional<Scenario> as_written(const Scenario& s) {
  try {
    return write_and_load(s);
  } catch (const ScenarioError&) {
    return std::nullopt;
  } catch (const std::invalid_argument&) {
    return std::nullopt;
  }
}

std::optional<std::size_t> failing_expectation(const Scenario& s, const RunOutcome& outcome) {
  if (outcome.outcome.rfind("liveness:", 0) != 0) return std::nullopt;
  std::optional<std::size_t> first_of_type;
  for (std::size_t i = 0; i < s.expectations.size(); ++i) {
    const Expectation& e = s.expectations[i];
    if (e.name != outcome.invariant) continue;
    if (outcome.detail.rfind(e.description + ": ", 0) == 0) return i;
    if (!first_of_type) first_of_type = i;
  }
  return first_of_type;
}

}  // namespace sim::fuzz
