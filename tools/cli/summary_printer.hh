// The human-readable summary of a run, as `kraftsim run` prints it.
#pragma once

#include <optional>
#include <ostream>

#include "sim/run_result.hh"
#include "sim/scenario/scenario.hh"

namespace kraftsim::cli {

enum class TimelineDetail {
  None,   // no timeline
  Brief,  // faults, elections, active leaders, notes and role changes of voters
  Full,   // also role changes of observers (brokers)
};

void print_summary(std::ostream& out, const sim::Scenario& scenario, const sim::RunResult& result,
                   std::optional<double> wall_ms, TimelineDetail detail);

}  // namespace kraftsim::cli
