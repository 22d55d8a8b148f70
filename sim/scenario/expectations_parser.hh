// The scenario's "expectations", for the scenario loader (scenario_loader.hh); internal to it.
// Each expectation is checked against the cluster (its size, its state machine and which nodes run
// the broker role), the stop time, the timeline and its labels, and the admin workload, and gets
// its human-readable description (Expectation::description) here.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario/json_reader.hh"
#include "sim/scenario/scenario.hh"

namespace sim::scenario_detail {

// Context an expectation is checked against.
struct ExpectationContext {
  const ClusterSpec& cluster;                        // nodes 0..node_count()-1, state machine
  const StopSpec& stop;                              // when the run ends
  const std::map<std::string, std::size_t>& labels;  // the timeline's labels -> action index
  const std::vector<Action>& timeline;               // the parsed timeline (run order)
  const AdminWorkloadSpec& admin;                    // the admin workload (metadata only)
};

// The expectations at `path`, in file order. Two expectations that demand opposite states at the
// same moment (leader and no_leader at the end, for instance) are rejected as contradictory. The
// metadata expectations are rejected unless the cluster runs the metadata state machine.
std::vector<Expectation> parse_expectations(const Reporter& r, const json& value,
                                            const JsonPath& path, const ExpectationContext& ctx);

// Every expectation "type" name, in the order the format documents them.
std::vector<std::string_view> expectation_type_names();

// stop.when: a condition object {"type": <condition name>, <its fields>} (no timing).
Condition parse_stop_condition(const Reporter& r, const json& value, const JsonPath& path,
                               const ExpectationContext& ctx);

}  // namespace sim::scenario_detail
