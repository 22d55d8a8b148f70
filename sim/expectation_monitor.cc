// ExpectationMonitor. See expectation_monitor.hh.
#include "sim/expectation_monitor.hh"

#include "sim/time.hh"

namespace sim {

ExpectationMonitor::ExpectationMonitor(const std::vector<Expectation>& expectations) {
  for (const Expectation& e : expectations) {
    if (e.type == ExpectationType::State) watches_.push_back(Watch{&e, {}, {}, 0, false});
  }
}

std::optional<std::pair<Instant, Instant>> ExpectationMonitor::window(const Watch& w,
                                                                      const ClusterView& view) const {
  const Timing& t = w.expectation->timing;
  switch (t.kind) {
    case Timing::Kind::By: return std::make_pair(Instant::zero(), t.at);
    case Timing::Kind::Always: return std::make_pair(t.from, t.to);
    case Timing::Kind::Within: {
      const auto& labels = view.observations().actions_by_label;
      auto it = labels.find(t.after);
      if (it == labels.end() || it->second.skipped) return std::nullopt;
      return std::make_pair(it->second.at, it->second.at + t.within);
    }
    case Timing::Kind::At:
    case Timing::Kind::AtEnd: break;
  }
  return std::nullopt;
}

ExpectationResult ExpectationMonitor::make(const Watch& w, bool passed, const std::string& observed,
                                           std::optional<Instant> at) const {
  return ExpectationResult{w.expectation->description, passed, observed, w.expectation->name, at};
}

void ExpectationMonitor::evaluate(Watch& w, const ClusterView& view) {
  const ConditionOutcome outcome = evaluate_condition(w.expectation->condition, view);
  ++w.checks;
  w.last = outcome;
  const Timing::Kind kind = w.expectation->timing.kind;
  if (kind == Timing::Kind::At) {
    w.decided = make(w, outcome.holds, outcome.observed, w.expectation->timing.at);
  } else if (kind == Timing::Kind::Always) {
    if (!outcome.holds) w.decided = make(w, false, outcome.observed, view.now());
  } else if (outcome.holds) {  // By, Within
    w.decided = make(w, true, outcome.observed, view.now());
  }
}

void ExpectationMonitor::before(Instant next, const ClusterView& view) {
  for (Watch& w : watches_) {
    if (w.decided) continue;
    const Timing& t = w.expectation->timing;
    if (t.kind == Timing::Kind::At && t.at < next) {
      evaluate(w, view);
    } else if (t.kind == Timing::Kind::Always && !w.window_opened && t.from < next) {
      // The state at `from` is the state after the last event before it.
      w.window_opened = true;
      evaluate(w, view);
      if (w.decided) w.decided->decided_at = t.from;  // not the earlier event's time
    }
  }
}

void ExpectationMonitor::after_event(const ClusterView& view) {
  const Instant now = view.now();
  for (Watch& w : watches_) {
    if (w.decided) continue;
    const Timing::Kind kind = w.expectation->timing.kind;
    if (kind == Timing::Kind::At || kind == Timing::Kind::AtEnd) continue;
    const auto win = window(w, view);
    if (!win || now < win->first || now > win->second) continue;
    if (kind == Timing::Kind::Always) w.window_opened = true;
    evaluate(w, view);
  }
}

ExpectationResult ExpectationMonitor::settle(const Watch& w, const ClusterView& view) const {
  if (w.decided) return *w.decided;
  const Timing& t = w.expectation->timing;
  const std::string last = w.last ? w.last->observed : "never checked";
  switch (t.kind) {
    case Timing::Kind::AtEnd: {
      const ConditionOutcome o = evaluate_condition(w.expectation->condition, view);
      return make(w, o.holds, o.observed, std::nullopt);
    }
    case Timing::Kind::At: {
      if (t.at <= view.now()) {  // no event came after it: the state now is the state then
        const ConditionOutcome o = evaluate_condition(w.expectation->condition, view);
        return make(w, o.holds, o.observed, t.at);
      }
      return make(w, false, "the run ended at " + format_ms(view.now()) + ", before " + format_ms(t.at),
                  std::nullopt);
    }
    case Timing::Kind::By:
      return make(w, false, "never held by " + format_ms(t.at) + "; last seen: " + last, std::nullopt);
    case Timing::Kind::Within: {
      const auto& labels = view.observations().actions_by_label;
      auto it = labels.find(t.after);
      if (it == labels.end()) return make(w, false, "action '" + t.after + "' never ran", std::nullopt);
      if (it->second.skipped) return make(w, false, "action '" + t.after + "' was skipped", std::nullopt);
      return make(w, false,
                  "never held within " + format_ms(t.within) + " of '" + t.after + "' (at " +
                      format_ms(it->second.at) + "); last seen: " + last,
                  std::nullopt);
    }
    case Timing::Kind::Always:
      if (t.from > view.now()) {  // stop.when ended the run before the window opened
        return make(w, false, "the run ended at " + format_ms(view.now()) + ", before " + format_ms(t.from),
                    std::nullopt);
      }
      if (!t.to.is_never() && t.to > view.now()) {  // ... or before it closed
        return make(w, false,
                    "the run ended at " + format_ms(view.now()) + ", before " + format_ms(t.to) +
                        "; it held at each of " + std::to_string(w.checks) + " checks until then",
                    std::nullopt);
      }
      return make(w, true,
                  "held at each of " + std::to_string(w.checks) + " checks from " +
                      format_ms(t.from) + " to " + format_ms(std::min(t.to, view.now())) +
                      "; last seen: " + last,
                  std::nullopt);
  }
  return make(w, false, "unknown timing", std::nullopt);
}

std::map<std::size_t, ExpectationResult> ExpectationMonitor::finish(const ClusterView& view) const {
  std::map<std::size_t, ExpectationResult> out;
  for (const Watch& w : watches_) out.emplace(w.expectation->index, settle(w, view));
  return out;
}

}  // namespace sim
