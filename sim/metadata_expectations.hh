// Evaluates the metadata expectations of a scenario (active controller, broker fencing,
// partition leadership, controlled shutdown, admin outcomes, topics) against the observations
// and the final state. See ExpectationType in sim/scenario/scenario.hh.
#pragma once

#include "sim/expectations.hh"

namespace sim {

ExpectationResult evaluate_metadata_expectation(const Expectation& e, const Observations& obs,
                                                const FinalState& f);

}  // namespace sim
