// The metadata event expectations (failover_within, broker_fenced_within,
// broker_unfenced_within, shutdown_leadership_moved), decided from the observations when the run
// ends. Internal to sim/expectations.cc.
#pragma once

#include "sim/expectations.hh"

namespace sim {

ExpectationResult evaluate_metadata_expectation(const Expectation& e, const Observations& obs);

}  // namespace sim
