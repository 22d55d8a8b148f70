// Writing a Scenario (scenario.hh) back as a scenario file: the inverse of the loader
// (scenario_loader.hh). The fuzzer writes the scenario of a failing seed with it, and the shrinker
// writes the scenarios it edits.
//
// What is written loads back (parse_scenario_text) into an equivalent scenario: the same run and
// trace hash for every seed. Writing a loaded scenario, loading the text and writing it again
// gives the same text (a fixed point). The output is:
//  * minimal where the format has defaults: Kafka configs only where they differ from Kafka's
//    defaults (per node: only where a node's effective value differs from the cluster-wide one, and
//    only configs that the node's roles read), network fields only where they differ from what the
//    link would have without them, optional fields only when not at their default. The name,
//    description and seed are always written (the seed is what a replay needs), and so are the
//    partition counts and replication factors of topics (explicit, so a file stays the same run
//    when someone edits cluster.config later);
//  * exact: times are microseconds written as milliseconds with up to three decimals (1234.567;
//    a whole number of milliseconds as an integer), probabilities parts per million written with
//    up to six decimals (0.001), both as the shortest decimals that read back to the same value;
//  * in run order of the file: actions in the order of Action::index, a repeated action (its
//    copies share Action::index, Action::repetition 0..n-1, at evenly spaced times) folded back
//    into one action with "repeat": {"every_ms", "times"}; expectations in the order of
//    Expectation::index. A scenario whose indices have gaps (an edited one) is written densely;
//    the trace records action indices, so the rewritten run then hashes differently from the
//    edited one (it is the run of the file as written);
//  * an expectation is written under the type name the file used (Expectation::name), shorthands
//    (leader_at_end, leaderless_within...) included, when that name still fits its condition and
//    timing; otherwise (an empty or stale name, in a scenario built or edited in code) under its
//    condition's name with explicit timing fields.
//
// Scenario::bugs is written as the top-level "bugs" list, in the fixed order of raft/common/bugs.hh.
//
// A scenario that no file can express throws std::invalid_argument naming the problem: a
// repeated action whose copies are not evenly spaced or misnumbered, an action without a field
// its type requires, a class override of a link class the format does not have, negative times,
// or a setting of the other state machine (a controller or broker config, the admin workload or
// a counter workload in the wrong cluster). Descriptions filled by the loader
// (Condition::description, Expectation::description) and Scenario::source_path are not written;
// the loader recomputes them.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "sim/scenario/scenario.hh"

namespace sim {

// The scenario's JSON document. (nlohmann::json sorts keys; parse_scenario() accepts it as is.)
nlohmann::json scenario_to_json(const Scenario& s);

// The scenario file text: the document with its keys in the order scenarios/README.md documents
// them, indented by 2 spaces. A value is written on one line when it fits in 100 columns, else one
// member per line; the timeline and the expectations always have one action / expectation per
// line (one too long for a line continues on the next ones, aligned after its "{", as in
// scenarios/README.md). Ends with a newline.
std::string scenario_to_text(const Scenario& s);

}  // namespace sim
