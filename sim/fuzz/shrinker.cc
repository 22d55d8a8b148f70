// The shrinker (see shrinker.hh): rounds of edits, each tried on a copy of the current scenario
// that is written, loaded back and run; kept when it fails with the same class.
//
// The edits themselves live in scenario_edits.hh (actions and expectations), node_edits.hh,
// time_edits.hh and setting_edits.hh; shrink_support.hh writes and reloads candidates.
#include "sim/fuzz/shrinker.hh"

#include <set>
#include <stdexcept>
#include <utility>

#include "sim/fuzz/node_edits.hh"
#include "sim/fuzz/scenario_edits.hh"
#include "sim/fuzz/setting_edits.hh"
#include "sim/fuzz/shrink_support.hh"
#include "sim/fuzz/time_edits.hh"

namespace sim::fuzz {

namespace {

// An edit of a copy of the current scenario: says what it did, or nullopt if it does not apply.
using Edit = std::function<std::optional<std::string>(Scenario&)>;

class Shrinker {
 public:
  Shrinker(const Scenario& failing, const ShrinkOptions& options);
  ShrinkResult run();

 private:
  bool out_of_budget();
  bool try_edit(const Edit& edit);
  bool attempt(const Scenario& candidate, const std::string& edit);
  bool round();
  bool stop_step();
  bool expectations_step();
  bool actions_step();
  bool nodes_step();
  bool operations_step();
  bool time_step();
  bool network_step();
  [[nodiscard]] std::optional<std::size_t> keep() const {
    return failing_expectation(current_, outcome_);
  }
  [[nodiscard]] bool has_prefix(const char* prefix) const {
    return result_.target.rfind(prefix, 0) == 0;
  }

  const ShrinkOptions& options_;
  // True when the scenario has bugs and passes without them: every kept candidate must too.
  bool check_without_bugs_ = false;
  Scenario current_;
  RunOutcome outcome_;
  ShrinkResult result_;
};

Shrinker::Shrinker(const Scenario& failing, const ShrinkOptions& options)
    : options_(options), current_(write_and_load(failing)) {
  result_.before = size_of(failing);
  outcome_ = run_and_classify(current_);
  result_.runs = 1;
  if (outcome_.passed()) throw std::invalid_argument("the scenario passes: nothing to shrink");
  result_.target = outcome_.outcome;
  if (options_.require_pass_without_bugs && !current_.bugs.empty() && !out_of_budget()) {
    Scenario fixed = current_;
    fixed.bugs = raft::BugSet{};
    ++result_.runs;
    check_without_bugs_ = run_and_classify(fixed).passed();
  }
}

ShrinkResult Shrinker::run() {
  while (!out_of_budget() && round()) {
  }
  result_.scenario = current_;
  result_.outcome = outcome_;
  result_.after = size_of(current_);
  return std::move(result_);
}

bool Shrinker::out_of_budget() {
  if (result_.runs < options_.max_runs) return false;
  result_.budget_exhausted = true;
  return true;
}

bool Shrinker::try_edit(const Edit& edit) {
  if (out_of_budget()) return false;
  Scenario candidate = current_;
  const std::optional<std::string> text = edit(candidate);
  return text && attempt(candidate, *text);
}

bool Shrinker::attempt(const Scenario& candidate, const std::string& edit) {
  // A liveness failure must stay one the code could have passed (time_edits.hh).
  if (has_prefix("liveness:") && windows_fit(current_) && !windows_fit(candidate)) return false;
  std::optional<Scenario> loaded = as_written(candidate);
  if (!loaded) return false;
  ++result_.runs;
  RunOutcome outcome = run_and_classify(*loaded);
  bool kept = outcome.outcome == result_.target;
  if (kept && check_without_bugs_) {
    Scenario fixed = *loaded;
    fixed.bugs = raft::BugSet{};
    kept = result_.runs < options_.max_runs;  // the check is a run too: within the budget
    if (kept) {
      ++result_.runs;
      kept = run_and_classify(fixed).passed();
    }
  }
  if (options_.on_candidate) options_.on_candidate(edit, kept, result_.runs);
  if (kept) {
    current_ = std::move(*loaded);
    outcome_ = std::move(outcome);
    result_.kept_edits.push_back(edit);
  }
  return kept;
}

bool Shrinker::round() {
  bool kept = false;
  for (bool (Shrinker::*step)() : {&Shrinker::stop_step, &Shrinker::expectations_step,
                                   &Shrinker::actions_step, &Shrinker::nodes_step,
                                   &Shrinker::operations_step, &Shrinker::time_step,
                                   &Shrinker::network_step}) {
    if (out_of_budget()) break;
    kept = (this->*step)() || kept;
  }
  return kept;
}

// 1. A safety failure: stop just after it. A liveness failure: stop as soon as every action ran
// and every expectation is decided.
bool Shrinker::stop_step() {
  std::optional<Instant> stop;
  if (has_prefix("safety:") && outcome_.failed_at) stop = *outcome_.failed_at + Duration::millis(1);
  if (has_prefix("liveness:")) stop = earliest_stop(current_);
  if (!stop) return false;
  const std::optional<std::size_t> kept = keep();
  return try_edit([&](Scenario& s) { return cut_stop(s, *stop, kept); });
}

Edit remove_expectation_edit(std::set<std::size_t> positions) {
  return [positions = std::move(positions)](Scenario& s) -> std::optional<std::string> {
    if (positions.empty()) return std::nullopt;
    std::string text = positions.size() == 1
                           ? "removed expectation " + std::to_string(*positions.begin()) + " (" +
                                 s.expectations[*positions.begin()].name + ")"
                           : "removed " + std::to_string(positions.size()) + " expectations";
    remove_expectations(s, positions);
    return text;
  };
}

// 2. Every expectation but the failing one: all at once, else one at a time (the last first).
bool Shrinker::expectations_step() {
  std::set<std::size_t> others;
  for (std::size_t i = 0; i < current_.expectations.size(); ++i) {
    if (keep() != i) others.insert(i);
  }
  if (others.empty()) return false;
  if (try_edit(remove_expectation_edit(others))) return true;
  if (others.size() == 1) return false;
  bool kept = false;
  for (std::size_t i = current_.expectations.size(); i-- > 0;) {
    if (keep() != i) kept = try_edit(remove_expectation_edit({i})) || kept;
  }
  return kept;
}

// True for the actions that undo a fault: restart, resume, heal, restore_link, a disk made fast
// again, a clock set exact again.
bool is_undo(const Action& a) {
  switch (a.type) {
    case ActionType::Restart:
    case ActionType::Resume:
    case ActionType::Heal:
    case ActionType::RestoreLink: return true;
    case ActionType::SlowDisk: return a.flush_latency == Duration::zero();
    case ActionType::ClockDrift: return a.drift_ppm == 0;
    default: return false;
  }
}

// True if `fault` is a fault that the undo action `undo` can undo.
bool undoes(const Action& undo, const Action& fault) {
  if (is_undo(fault)) return false;
  switch (undo.type) {
    case ActionType::Restart:
      return fault.type == ActionType::Crash || fault.type == ActionType::Shutdown ||
             fault.type == ActionType::Wipe || fault.type == ActionType::ControlledShutdown;
    case ActionType::Resume: return fault.type == ActionType::Pause;
    case ActionType::RestoreLink: return fault.type == ActionType::SlowLink;
    default: return fault.type == undo.type;  // slow_disk, clock_drift
  }
}

// The index of the fault `a` undoes: the action its selector names by label, or the latest
// earlier fault of the matching kind on the same node id. nullopt for a heal (it names none).
std::optional<std::size_t> undone_action(const Scenario& s, const Action& a) {
  const NodeSelector* target = a.node ? &*a.node : (a.from ? &*a.from : nullptr);
  if (target == nullptr) return std::nullopt;
  std::optional<std::size_t> found;
  for (const Action& other : s.timeline) {
    if (target->kind == NodeSelector::Kind::Label) {
      if (other.label == target->label) return other.index;
      continue;
    }
    const NodeSelector* site = other.node ? &*other.node : (other.from ? &*other.from : nullptr);
    if (other.index < a.index && site != nullptr && target->kind == NodeSelector::Kind::Id &&
        site->kind == NodeSelector::Kind::Id && site->id == target->id && undoes(a, other)) {
      found = other.index;
    }
  }
  return found;
}

// `doomed` without the undo actions whose fault is not doomed too (a heal, which names no
// fault, is never removed alone).
std::set<std::size_t> without_orphaned_undos(const Scenario& s, std::set<std::size_t> doomed) {
  std::set<std::size_t> orphaned;
  for (const Action& a : s.timeline) {
    if (!doomed.contains(a.index) || !is_undo(a)) continue;
    const std::optional<std::size_t> fault = undone_action(s, a);
    if (!fault || !doomed.contains(*fault)) orphaned.insert(a.index);
  }
  for (std::size_t i : orphaned) doomed.erase(i);
  return doomed;
}

// 3. Timeline actions, delta-debugging style: chunks of half the actions, then quarters ...
// then single actions; a chunk that goes leaves the next one at the same position.
bool Shrinker::actions_step() {
  bool kept = false;
  for (std::size_t chunk = (action_indices(current_).size() + 1) / 2; chunk >= 1;
       chunk = (chunk + 1) / 2) {
    for (std::size_t at = 0; !out_of_budget();) {
      const std::vector<std::size_t> indices = action_indices(current_);
      if (at >= indices.size()) break;
      const std::size_t end = std::min(at + chunk, indices.size());
      std::set<std::size_t> doomed(indices.begin() + static_cast<std::ptrdiff_t>(at),
                                   indices.begin() + static_cast<std::ptrdiff_t>(end));
      if (has_prefix("liveness:")) doomed = without_orphaned_undos(current_, std::move(doomed));
      const std::optional<std::size_t> kept_expectation = keep();
      const bool removed = try_edit([&](Scenario& s) -> std::optional<std::string> {
        if (doomed.empty()) return std::nullopt;
        const std::optional<ActionRemoval> removal = remove_actions(s, doomed, kept_expectation);
        if (!removal) return std::nullopt;
        return describe(*removal);
      });
      kept = removed || kept;
      if (!removed) at = end;
    }
    if (chunk == 1 || out_of_budget()) break;
  }
  return kept;
}

// 4. The highest broker, as long as that keeps failing; then 5 -> 3 voters.
bool Shrinker::nodes_step() {
  bool kept = false;
  while (try_edit([this](Scenario& s) { return remove_highest_broker(s, keep()); })) kept = true;
  return try_edit([this](Scenario& s) { return reduce_voters(s, keep()); }) || kept;
}

// 5. Topics, partitions, the create stream.
bool Shrinker::operations_step() {
  bool kept = false;
  for (const SettingEdit& edit : operation_edits(current_)) kept = try_edit(edit) || kept;
  return kept;
}

// 6. Gaps between actions halved, as long as that keeps failing.
bool Shrinker::time_step() {
  bool kept = false;
  while (try_edit(halve_gaps)) kept = true;
  return kept;
}

// 7. The network and the disks.
bool Shrinker::network_step() {
  bool kept = false;
  for (const SettingEdit& edit : network_and_disk_edits()) kept = try_edit(edit) || kept;
  return kept;
}

}  // namespace

ScenarioSize size_of(const Scenario& s) {
  ScenarioSize size;
  size.actions = action_indices(s).size();
  size.controllers = s.cluster.controllers;
  size.brokers = s.cluster.brokers;
  size.stop = s.stop.at;
  size.topics = s.admin.topics.size() + static_cast<std::size_t>(s.admin.create_stream.count);
  size.expectations = s.expectations.size();
  return size;
}

ShrinkResult shrink(const Scenario& failing, const ShrinkOptions& options) {
  return Shrinker(failing, options).run();
}

}  // namespace sim::fuzz
