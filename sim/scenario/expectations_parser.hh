// The scenario's "expectations", for the scenario loader (scenario_loader.hh); internal to it.
// Each expectation is checked against the cluster size, the stop time and the timeline's labels,
// and gets its human-readable description (Expectation::description) here.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "sim/scenario/json_reader.hh"
#include "sim/scenario/scenario.hh"

namespace sim::scenario_detail {

// Context an expectation is checked against.
struct ExpectationContext {
  int node_count;                                    // nodes in the cluster (ids 0..n-1)
  const StopSpec& stop;                              // when the run ends
  const std::map<std::string, std::size_t>& labels;  // the timeline's labels -> action index
};

// The expectations at `path`, in file order. "leader_at_end" and "no_leader_at_end" together are
// rejected as contradictory.
std::vector<Expectation> parse_expectations(const Reporter& r, const json& value,
                                            const JsonPath& path, const ExpectationContext& ctx);

}  // namespace sim::scenario_detail
