// Decides a scenario's expectations when the run ends: the State ones come from the
// ExpectationMonitor, which watched them during the run; the others (elections, failovers,
// progress windows, broker fencing changes, controlled shutdowns, restarts) are decided here from
// what the run observed.
#pragma once

#include <vector>

#include "sim/cluster_view.hh"
#include "sim/expectation_monitor.hh"
#include "sim/observations.hh"
#include "sim/run_result.hh"
#include "sim/scenario/scenario.hh"

namespace sim {

// Every expectation's result, in file order.
std::vector<ExpectationResult> evaluate_expectations(const std::vector<Expectation>& expectations,
                                                     const ExpectationMonitor& monitor,
                                                     const ClusterView& view);

// An expectation that is not a State one, from the observations (and, for a restart, the
// snapshots the node downloaded since).
ExpectationResult evaluate_event_expectation(const Expectation& e, const ClusterView& view);

}  // namespace sim
