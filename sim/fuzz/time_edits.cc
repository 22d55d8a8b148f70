// Time edits for the shrinker (see time_edits.hh).
#include "sim/fuzz/time_edits.hh"

#include <algorithm>
#include <map>
#include <set>

#include "sim/fuzz/edit_text.hh"
#include "sim/fuzz/scenario_edits.hh"

namespace sim::fuzz {

namespace {

// When the last copy of the action labelled `label` runs (the timeline is in run order).
std::optional<Instant> label_time(const Scenario& s, const std::string& label) {
  std::optional<Instant> latest;
  for (const Action& a : s.timeline) {
    if (a.label == label) latest = a.at;
  }
  return latest;
}

std::optional<Instant> window_end(const Scenario& s, const std::string& label, Duration within) {
  const std::optional<Instant> start = label_time(s, label);
  if (!start) return std::nullopt;
  return *start + within;
}

std::optional<Instant> state_decided_by(const Expectation& e, const Scenario& s) {
  const Timing& t = e.timing;
  switch (t.kind) {
    case Timing::Kind::AtEnd: return std::nullopt;
    case Timing::Kind::At:
    case Timing::Kind::By: return t.at;
    case Timing::Kind::Within: return window_end(s, t.after, t.within);
    case Timing::Kind::Always:
      if (t.to.is_never()) return std::nullopt;
      return t.to;
  }
  return std::nullopt;
}

// t0 + (t - t0) / 2 for t after t0; t itself otherwise (and never() stays never()).
Instant halved(Instant t, Instant t0) {
  if (t <= t0 || t.is_never()) return t;
  return t0 + (t - t0) / 2;
}

// Where the first copy of each action (by index) runs, and its repeat interval (0 if none).
struct Schedule {
  Instant first;
  Duration every = Duration::zero();
};

std::map<std::size_t, Schedule> schedules(const std::vector<Action>& timeline) {
  std::map<std::size_t, Schedule> out;
  for (const Action& a : timeline) {
    if (a.repetition == 0) out[a.index].first = a.at;
  }
  for (const Action& a : timeline) {
    if (a.repetition == 1) out[a.index].every = a.at - out[a.index].first;
  }
  return out;
}

void halve_actions(std::vector<Action>& timeline, Instant t0) {
  std::map<std::size_t, Schedule> plan = schedules(timeline);
  for (auto& [index, schedule] : plan) {
    schedule.first = halved(schedule.first, t0);
    if (schedule.every > Duration::micros(1)) schedule.every = schedule.every / 2;
  }
  for (Action& a : timeline) {
    const Schedule& schedule = plan.at(a.index);
    a.at = schedule.first + schedule.every * static_cast<std::int64_t>(a.repetition);
  }
  std::stable_sort(timeline.begin(), timeline.end(), [](const Action& x, const Action& y) {
    if (x.at != y.at) return x.at < y.at;
    if (x.index != y.index) return x.index < y.index;
    return x.repetition < y.repetition;
  });
}

void halve_expectation(Expectation& e, Instant t0) {
  e.timing.at = halved(e.timing.at, t0);
  e.timing.from = halved(e.timing.from, t0);
  e.timing.to = halved(e.timing.to, t0);
  e.from = halved(e.from, t0);
  e.to = halved(e.to, t0);
}

bool same_times(const std::vector<Action>& a, const std::vector<Action>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](const Action& x, const Action& y) { return x.at == y.at; });
}

}  // namespace

std::optional<Instant> decided_by(const Expectation& e, const Scenario& s) {
  switch (e.type) {
    case ExpectationType::State: return state_decided_by(e, s);
    case ExpectationType::LeaderElectedWithin:
    case ExpectationType::FailoverWithin:
    case ExpectationType::BrokerFencedWithin:
    case ExpectationType::BrokerUnfencedWithin: return window_end(s, e.after_label, e.within);
    case ExpectationType::NoProgressBetween:
    case ExpectationType::ProgressBetween: return e.to;
    case ExpectationType::ShutdownLeadershipMoved:
    case ExpectationType::RestartResumesFromLocalLog: return std::nullopt;
  }
  return std::nullopt;
}

bool windows_fit(const Scenario& s) {
  return std::all_of(s.expectations.begin(), s.expectations.end(), [&](const Expectation& e) {
    const std::optional<Instant> by = decided_by(e, s);
    return !by || *by <= s.stop.at;
  });
}

std::optional<Instant> earliest_stop(const Scenario& s) {
  Instant stop = s.timeline.empty() ? Instant::zero() : s.timeline.back().at;
  for (const Expectation& e : s.expectations) {
    const std::optional<Instant> by = decided_by(e, s);
    if (!by) return std::nullopt;
    stop = std::max(stop, *by);
  }
  return stop;
}

std::optional<std::string> cut_stop(Scenario& s, Instant stop, std::optional<std::size_t> keep) {
  if (stop >= s.stop.at) return std::nullopt;
  Scenario edited = s;
  std::set<std::size_t> after;  // actions whose first copy runs after `stop`
  for (const Action& a : edited.timeline) {
    if (a.repetition == 0 && a.at > stop) after.insert(a.index);
  }
  if (!after.empty() && !remove_actions(edited, after, keep)) return std::nullopt;
  std::erase_if(edited.timeline, [stop](const Action& a) { return a.at > stop; });
  const std::string text = "stop " + ms_text(s.stop.at) + " -> " + ms_text(stop);
  edited.stop.at = stop;
  s = std::move(edited);
  return text;
}

std::optional<std::string> halve_gaps(Scenario& s) {
  const Instant t0 = s.timeline.empty() ? Instant::zero() : s.timeline.front().at;
  Scenario edited = s;
  halve_actions(edited.timeline, t0);
  for (Expectation& e : edited.expectations) halve_expectation(e, t0);
  edited.stop.at = halved(s.stop.at, t0);
  edited.stop.when_from = halved(s.stop.when_from, t0);
  if (edited.stop.at == s.stop.at && same_times(edited.timeline, s.timeline)) return std::nullopt;
  const std::string text =
      "timeline gaps halved, stop " + ms_text(s.stop.at) + " -> " + ms_text(edited.stop.at);
  s = std::move(edited);
  return text;
}

}  // namespace sim::fuzz
