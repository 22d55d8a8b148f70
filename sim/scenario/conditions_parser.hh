// Reading the fields of a condition (ConditionType in scenario.hh), for the scenario loader:
// used by the State expectations (expectations_parser.cc) and by stop.when. Internal to the
// loader. Fields are checked against the cluster, the timeline's labels and the admin workload.
#pragma once

#include <string_view>
#include <vector>

#include "sim/scenario/expectations_parser.hh"
#include "sim/scenario/json_reader.hh"
#include "sim/scenario/scenario.hh"

namespace sim::scenario_detail {

// Every condition, in the order the format documents them.
std::vector<ConditionType> all_conditions();

// True for the conditions only the metadata state machine has.
bool metadata_only(ConditionType t);

// The fields a condition of type `t` has, "type" excluded.
std::vector<std::string_view> condition_fields(ConditionType t);

// Reads the condition's fields from `obj` (whose field names were already checked) and fills
// its description.
Condition read_condition(const Reporter& r, const Object& obj, ConditionType type,
                         const ExpectationContext& ctx);

// Reads "broker": a broker-role node id or "label:<name>" of an action that targets one node
// (which must run the broker role when the file determines it). `controlled_shutdown`: it must
// also be the target of a controlled_shutdown action.
NodeSelector read_broker(const Reporter& r, const Object& obj, const ExpectationContext& ctx,
                         bool controlled_shutdown);

// "broker 4", or "the broker of 'crash-broker'".
std::string describe_broker(const NodeSelector& broker);

}  // namespace sim::scenario_detail
