// Edits of a scenario's timeline and expectations for the shrinker (shrinker.hh): removing
// actions together with everything that names their labels, removing expectations, and
// renumbering what is left so the scenario writer (scenario_writer.hh) can write it.
//
// An action here is an action as written: every copy of a repeated action (the copies share
// Action::index) is one action; removing it removes all its copies. Every edit leaves the
// timeline in run order and the indices dense (0..n-1, in the order they had), and the
// expectations' indices dense in vector order.
#pragma once

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sim/scenario/scenario.hh"

namespace sim::fuzz {

// The distinct Action::index values of the timeline, ascending (one per action as written).
std::vector<std::size_t> action_indices(const Scenario& s);

// True if `selector` (or one of its set members) is "label:<name>" with a name in `labels`.
bool selector_names_label(const NodeSelector& selector, const std::set<std::string>& labels);

// True if any selector of `a` (node, from, to, partition groups) names a label in `labels`.
bool action_names_label(const Action& a, const std::set<std::string>& labels);

// True if `c` names a label in `labels` (its node as "label:<name>", or its admin request).
bool condition_names_label(const Condition& c, const std::set<std::string>& labels);

// True if `e` names a label in `labels`: the action its clock starts at (after), its broker,
// or anything its condition names.
bool expectation_names_label(const Expectation& e, const std::set<std::string>& labels);

// What remove_actions() removed.
struct ActionRemoval {
  std::vector<std::size_t> actions;  // the indices removed (before renumbering), ascending
  std::size_t expectations = 0;      // expectations removed because they named a removed label
};

// Removes the actions with the indices in `indices`, then (repeatedly) every action whose
// selectors name the label of a removed action, and every expectation that names such a label.
// Returns nullopt (leaving `s` unchanged) if that would remove the expectation at position
// `keep` of s.expectations, or if stop.when names a removed label; also if `indices` names no
// action of the timeline.
std::optional<ActionRemoval> remove_actions(Scenario& s, const std::set<std::size_t>& indices,
                                            std::optional<std::size_t> keep);

// Removes the expectations at the positions in `positions` of s.expectations (and renumbers).
void remove_expectations(Scenario& s, const std::set<std::size_t>& positions);

// Renumbers the actions' indices densely (0..n-1), keeping their order, and the expectations'
// indices to their positions.
void renumber(Scenario& s);

// "3", "3-7", "0-1, 4, 6-9": sorted indices as ranges, for edit descriptions.
std::string index_ranges(const std::vector<std::size_t>& sorted);

// "removed actions 3-7 (5 actions)", "removed action 2 (1 action) and 1 expectation naming its
// label".
std::string describe(const ActionRemoval& removal);

}  // namespace sim::fuzz
