// Raft-level event expectations and the merge of every result. See expectations.hh.
#include "sim/expectations.hh"
#include "sim/metadata_expectations.hh"

#include <sstream>

#include "sim/time.hh"

namespace sim {

namespace {

ExpectationResult result(const Expectation& e, bool passed, const std::string& observed) {
  return ExpectationResult{e.description, passed, observed, e.name, std::nullopt};
}

ExpectationResult leader_elected_within(const Expectation& e, const Observations& obs) {
  auto it = obs.actions_by_label.find(e.after_label);
  if (it == obs.actions_by_label.end()) {
    return result(e, false, "action '" + e.after_label + "' never ran");
  }
  const ActionRecord& action = it->second;
  if (action.skipped) return result(e, false, "action '" + e.after_label + "' was skipped");
  for (const ActiveLeader& a : obs.active_leaders) {
    if (a.at < action.at || a.epoch <= action.active_epoch) continue;
    std::ostringstream os;
    os << "node " << a.node << " active in epoch " << a.epoch << " after "
       << format_ms(a.at - action.at);
    return result(e, a.at - action.at <= e.within, os.str());
  }
  std::ostringstream os;
  os << "no leader newer than epoch " << action.active_epoch << " became active after "
     << format_ms(action.at);
  return result(e, false, os.str());
}

ExpectationResult progress_between(const Expectation& e, const ClusterView& view, bool want) {
  const Observations& obs = view.observations();
  if (e.to > view.now()) {  // stop.when ended the run inside the window
    return result(e, false, "the run ended at " + format_ms(view.now()) + ", before " + format_ms(e.to));
  }
  const std::int64_t before = obs.committed_end.at(e.from);
  const std::int64_t after = obs.committed_end.at(e.to);
  std::ostringstream os;
  os << "committed offsets: " << before << " at " << format_ms(e.from) << ", " << after << " at "
     << format_ms(e.to);
  return result(e, (after > before) == want, os.str());
}

// The restarted node's first Fetch starts where its disk's log ended, past 0, and it downloads
// no snapshot in between: it fetches only the suffix it missed.
ExpectationResult restart_resumes_from_local_log(const Expectation& e, const ClusterView& view) {
  const Observations& obs = view.observations();
  auto it = obs.actions_by_label.find(e.after_label);
  if (it == obs.actions_by_label.end() || it->second.skipped || !it->second.restart_log_end) {
    return result(e, false, "restart '" + e.after_label + "' never ran");
  }
  const ActionRecord& r = it->second;
  if (!r.first_fetch_offset) {
    return result(e, false, "the node sent no Fetch after restart '" + e.after_label + "'");
  }
  std::ostringstream os;
  os << "node " << r.targets.front() << " restarted with log end " << r.restart_log_end->value()
     << "; its first Fetch, " << format_ms(*r.first_fetch_at - r.at) << " later, asked for offset "
     << r.first_fetch_offset->value();
  const std::int64_t downloads =
      view.snapshots_downloaded(r.targets.front()) - r.restart_snapshots_downloaded;
  os << "; " << downloads << " snapshot(s) downloaded since the restart";
  const bool passed = r.restart_log_end->value() > 0 && *r.first_fetch_offset == *r.restart_log_end &&
                      downloads == 0;
  return result(e, passed, os.str());
}

}  // namespace

ExpectationResult evaluate_event_expectation(const Expectation& e, const ClusterView& view) {
  const Observations& obs = view.observations();
  switch (e.type) {
    case ExpectationType::LeaderElectedWithin: return leader_elected_within(e, obs);
    case ExpectationType::NoProgressBetween: return progress_between(e, view, false);
    case ExpectationType::ProgressBetween: return progress_between(e, view, true);
    case ExpectationType::RestartResumesFromLocalLog: return restart_resumes_from_local_log(e, view);
    case ExpectationType::FailoverWithin:
    case ExpectationType::BrokerFencedWithin:
    case ExpectationType::BrokerUnfencedWithin:
    case ExpectationType::ShutdownLeadershipMoved: return evaluate_metadata_expectation(e, obs);
    case ExpectationType::State: break;
  }
  return result(e, false, "a state expectation is decided by the monitor");
}

std::vector<ExpectationResult> evaluate_expectations(const std::vector<Expectation>& expectations,
                                                     const ExpectationMonitor& monitor,
                                                     const ClusterView& view) {
  std::map<std::size_t, ExpectationResult> states = monitor.finish(view);
  std::vector<ExpectationResult> out;
  for (const Expectation& e : expectations) {
    if (e.type == ExpectationType::State) {
      out.push_back(states.at(e.index));
    } else {
      out.push_back(evaluate_event_expectation(e, view));
    }
  }
  return out;
}

}  // namespace sim
