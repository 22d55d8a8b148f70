// Timeline and expectation edits for the shrinker (see scenario_edits.hh).
#include "sim/fuzz/scenario_edits.hh"

#include <algorithm>
#include <map>

namespace sim::fuzz {

std::vector<std::size_t> action_indices(const Scenario& s) {
  std::set<std::size_t> indices;
  for (const Action& a : s.timeline) indices.insert(a.index);
  return {indices.begin(), indices.end()};
}

bool selector_names_label(const NodeSelector& selector, const std::set<std::string>& labels) {
  if (selector.kind == NodeSelector::Kind::Label) return labels.count(selector.label) > 0;
  return std::any_of(selector.members.begin(), selector.members.end(),
                     [&](const NodeSelector& m) { return selector_names_label(m, labels); });
}

namespace {

bool optional_names_label(const std::optional<NodeSelector>& selector,
                          const std::set<std::string>& labels) {
  return selector && selector_names_label(*selector, labels);
}

// The labels of the actions whose index is in `indices`.
std::set<std::string> labels_of(const Scenario& s, const std::set<std::size_t>& indices) {
  std::set<std::string> labels;
  for (const Action& a : s.timeline) {
    if (!a.label.empty() && indices.count(a.index) > 0) labels.insert(a.label);
  }
  return labels;
}

// Adds to `doomed` every action that names a label of a doomed action, until nothing changes.
void close_over_labels(const Scenario& s, std::set<std::size_t>& doomed) {
  for (;;) {
    const std::set<std::string> labels = labels_of(s, doomed);
    const std::size_t before = doomed.size();
    for (const Action& a : s.timeline) {
      if (action_names_label(a, labels)) doomed.insert(a.index);
    }
    if (doomed.size() == before) return;
  }
}

// Positions in s.expectations of the expectations that name a label in `labels`.
std::vector<std::size_t> expectations_naming(const Scenario& s,
                                             const std::set<std::string>& labels) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < s.expectations.size(); ++i) {
    if (expectation_names_label(s.expectations[i], labels)) out.push_back(i);
  }
  return out;
}

void erase_expectations(Scenario& s, const std::vector<std::size_t>& positions) {
  for (auto it = positions.rbegin(); it != positions.rend(); ++it) {
    s.expectations.erase(s.expectations.begin() + static_cast<std::ptrdiff_t>(*it));
  }
}

}  // namespace

bool action_names_label(const Action& a, const std::set<std::string>& labels) {
  if (optional_names_label(a.node, labels) || optional_names_label(a.from, labels) ||
      optional_names_label(a.to, labels)) {
    return true;
  }
  for (const std::vector<NodeSelector>& group : a.groups) {
    for (const NodeSelector& m : group) {
      if (selector_names_label(m, labels)) return true;
    }
  }
  return false;
}

bool condition_names_label(const Condition& c, const std::set<std::string>& labels) {
  if (c.type == ConditionType::AdminRequest && labels.count(c.request) > 0) return true;
  return optional_names_label(c.node, labels);
}

bool expectation_names_label(const Expectation& e, const std::set<std::string>& labels) {
  if (!e.after_label.empty() && labels.count(e.after_label) > 0) return true;
  if (e.type == ExpectationType::State) {
    if (e.timing.kind == Timing::Kind::Within && labels.count(e.timing.after) > 0) return true;
    if (condition_names_label(e.condition, labels)) return true;
  }
  return optional_names_label(e.broker, labels);
}

std::optional<ActionRemoval> remove_actions(Scenario& s, const std::set<std::size_t>& indices,
                                            std::optional<std::size_t> keep) {
  std::set<std::size_t> doomed;
  for (const Action& a : s.timeline) {
    if (indices.count(a.index) > 0) doomed.insert(a.index);
  }
  if (doomed.empty()) return std::nullopt;
  close_over_labels(s, doomed);
  const std::set<std::string> labels = labels_of(s, doomed);
  const std::vector<std::size_t> expectations = expectations_naming(s, labels);
  if (keep && std::find(expectations.begin(), expectations.end(), *keep) != expectations.end()) {
    return std::nullopt;
  }
  if (s.stop.when && condition_names_label(*s.stop.when, labels)) return std::nullopt;
  std::erase_if(s.timeline, [&](const Action& a) { return doomed.count(a.index) > 0; });
  erase_expectations(s, expectations);
  renumber(s);
  return ActionRemoval{{doomed.begin(), doomed.end()}, expectations.size()};
}

void remove_expectations(Scenario& s, const std::set<std::size_t>& positions) {
  erase_expectations(s, {positions.begin(), positions.end()});
  renumber(s);
}

void renumber(Scenario& s) {
  std::map<std::size_t, std::size_t> dense;
  for (const Action& a : s.timeline) dense.emplace(a.index, 0);
  std::size_t next = 0;
  for (auto& [old_index, new_index] : dense) new_index = next++;
  for (Action& a : s.timeline) a.index = dense.at(a.index);
  for (std::size_t i = 0; i < s.expectations.size(); ++i) s.expectations[i].index = i;
}

std::string index_ranges(const std::vector<std::size_t>& sorted) {
  std::string out;
  for (std::size_t i = 0; i < sorted.size();) {
    std::size_t j = i;
    while (j + 1 < sorted.size() && sorted[j + 1] == sorted[j] + 1) ++j;
    if (!out.empty()) out += ", ";
    out += std::to_string(sorted[i]);
    if (j > i) out += "-" + std::to_string(sorted[j]);
    i = j + 1;
  }
  return out;
}

std::string describe(const ActionRemoval& removal) {
  const std::size_t n = removal.actions.size();
  std::string out = std::string(n == 1 ? "removed action " : "removed actions ") +
                    index_ranges(removal.actions) + " (" + std::to_string(n) +
                    (n == 1 ? " action)" : " actions)");
  if (removal.expectations > 0) {
    out += " and " + std::to_string(removal.expectations) +
           (removal.expectations == 1 ? " expectation" : " expectations") + " naming " +
           (n == 1 ? "its label" : "their labels");
  }
  return out;
}

}  // namespace sim::fuzz
