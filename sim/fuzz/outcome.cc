// The failure class of a run (see outcome.hh).
#include "sim/fuzz/outcome.hh"

#include <algorithm>
#include <exception>

#include "sim/simulation.hh"

namespace sim::fuzz {

namespace {

RunOutcome base(const RunResult& r) {
  RunOutcome o;
  o.events = r.events;
  o.trace_hash = r.trace_hash;
  o.sim_time = r.sim_time;
  return o;
}

RunOutcome safety(const RunResult& r) {
  RunOutcome o = base(r);
  o.invariant = r.violation ? r.violation->invariant : "unknown";
  o.outcome = "safety:" + o.invariant;
  if (r.violation) {
    o.detail = r.violation->detail;
    o.failed_at = r.violation->at;
  }
  return o;
}

RunOutcome events_max(const RunResult& r) {
  RunOutcome o = base(r);
  o.outcome = "events_max";
  o.detail = r.stop_reason;
  o.failed_at = r.sim_time;
  return o;
}

RunOutcome liveness(const RunResult& r) {
  RunOutcome o = base(r);
  auto failed = std::find_if(r.expectations.begin(), r.expectations.end(),
                             [](const ExpectationResult& e) { return !e.passed; });
  if (failed == r.expectations.end()) return o;  // not an expectation failure after all: pass
  o.invariant = failed->type;
  o.outcome = "liveness:" + o.invariant;
  o.detail = failed->description + ": " + failed->observed;
  o.failed_at = failed->decided_at;
  return o;
}

}  // namespace

RunOutcome classify(const RunResult& r) {
  switch (r.outcome) {
    case Outcome::Success: return base(r);
    case Outcome::SafetyViolation: return safety(r);
    case Outcome::LivenessFailure: return events_max(r);
    case Outcome::ExpectationFailed: return liveness(r);
  }
  return base(r);
}

RunOutcome run_and_classify(const Scenario& scenario) {
  try {
    Simulation simulation(scenario, scenario.seed);
    return classify(simulation.run());
  } catch (const std::exception& e) {
    RunOutcome o;
    o.outcome = "error";
    o.detail = e.what();
    return o;
  }
}

}  // namespace sim::fuzz
