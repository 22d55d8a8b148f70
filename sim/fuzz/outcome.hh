// The outcome of one fuzz or shrink run, reduced to a failure class that the shrinker keeps
// fixed while it edits a scenario.
//
// Classes:
//   "pass"                   every invariant held and every expectation passed
//   "safety:<Invariant>"     an invariant (or a protocol assertion: "safety:ProtocolAssertion")
//                            failed; e.g. "safety:SingleLeader"
//   "liveness:<expectation>" an expectation failed (the first failing one, in file order), named
//                            by its type as written; e.g. "liveness:active_controller"
//   "events_max"             the run needed more events than stop.events_max (a livelock)
//   "error"                  kraftsim itself failed (an unexpected exception): a kraftsim bug
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "raft/common/time.hh"
#include "sim/run_result.hh"
#include "sim/scenario/scenario.hh"

namespace sim::fuzz {

struct RunOutcome {
  std::string outcome = "pass";  // the class, as above
  // The invariant or expectation name alone ("SingleLeader", "active_controller"); "" for pass
  // and events_max.
  std::string invariant;
  // What was observed: the violation's detail, the failed expectation's description and observed
  // values, or the exception's message.
  std::string detail;
  std::uint64_t events = 0;
  std::uint64_t trace_hash = 0;
  Instant sim_time;                 // simulated time when the run ended
  std::optional<Instant> failed_at; // when the violation happened / the expectation was decided
  [[nodiscard]] bool passed() const { return outcome == "pass"; }
};

// The class of a finished run.
RunOutcome classify(const RunResult& r);

// Runs Simulation(scenario, scenario.seed) to the end and classifies it; an exception escaping
// the simulation becomes "error" with its message.
RunOutcome run_and_classify(const Scenario& scenario);

}  // namespace sim::fuzz
