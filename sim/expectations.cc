#include "sim/expectations.hh"
#include "sim/metadata_expectations.hh"

#include <sstream>

#include "sim/time.hh"

namespace sim {

namespace {

ExpectationResult result(const Expectation& e, bool passed, const std::string& detail) {
  return ExpectationResult{e.description, passed, detail};
}

std::string ms(Instant t) { return format_ms(t); }

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
     << ms(action.at);
  return result(e, false, os.str());
}

ExpectationResult leader_at_end(const Expectation& e, const FinalState& f, bool want_leader) {
  const bool has = f.active_leader && f.active_leader->epoch >= f.highest_voter_epoch;
  std::ostringstream os;
  if (f.active_leader) {
    os << "active leader at end: node " << f.active_leader->node << " in epoch "
       << f.active_leader->epoch << " (highest voter epoch " << f.highest_voter_epoch << ")";
  } else {
    os << "no active leader at end (highest voter epoch " << f.highest_voter_epoch << ")";
  }
  return result(e, has == want_leader, os.str());
}

ExpectationResult high_watermark_at_least(const Expectation& e, const FinalState& f) {
  std::ostringstream os;
  bool passed = true;
  std::vector<NodeId> nodes = e.nodes;
  if (nodes.empty()) {
    for (const auto& [id, hw] : f.running_hw) nodes.push_back(id);
  }
  for (NodeId id : nodes) {
    auto it = f.running_hw.find(id);
    if (it == f.running_hw.end()) {
      os << "node " << id << " down; ";
      passed = false;
      continue;
    }
    const std::int64_t hw = it->second ? it->second->value() : -1;
    os << "node " << id << " HW " << hw << "; ";
    if (hw < e.value) passed = false;
  }
  return result(e, passed, os.str());
}

ExpectationResult caught_up_at_end(const Expectation& e, const Observations& obs,
                                   const FinalState& f) {
  if (!f.active_leader) return result(e, false, "no active leader at end");
  const Instant reference = f.at - e.within;
  const std::int64_t target = obs.active_leader_hw.at(reference);
  std::ostringstream os;
  os << "leader HW at " << ms(reference) << " was " << target << "; ";
  bool passed = true;
  for (const auto& [id, hw] : f.running_hw) {
    const std::int64_t v = hw ? hw->value() : -1;
    if (v < target) {
      os << "node " << id << " HW " << v << " behind; ";
      passed = false;
    }
  }
  if (passed) os << "every running node at or past it";
  return result(e, passed, os.str());
}

ExpectationResult progress_between(const Expectation& e, const Observations& obs, bool want) {
  const std::int64_t before = obs.committed_end.at(e.from);
  const std::int64_t after = obs.committed_end.at(e.to);
  std::ostringstream os;
  os << "committed offsets: " << before << " at " << ms(e.from) << ", " << after << " at "
     << ms(e.to);
  return result(e, (after > before) == want, os.str());
}

}  // namespace

std::vector<ExpectationResult> evaluate_expectations(const std::vector<Expectation>& expectations,
                                                     const Observations& obs,
                                                     const FinalState& f) {
  std::vector<ExpectationResult> out;
  for (const Expectation& e : expectations) {
    switch (e.type) {
      case ExpectationType::LeaderElectedWithin: out.push_back(leader_elected_within(e, obs)); break;
      case ExpectationType::LeaderAtEnd: out.push_back(leader_at_end(e, f, true)); break;
      case ExpectationType::NoLeaderAtEnd: out.push_back(leader_at_end(e, f, false)); break;
      case ExpectationType::HighWatermarkAtLeast: out.push_back(high_watermark_at_least(e, f)); break;
      case ExpectationType::CaughtUpAtEnd: out.push_back(caught_up_at_end(e, obs, f)); break;
      case ExpectationType::NoProgressBetween: out.push_back(progress_between(e, obs, false)); break;
      case ExpectationType::ProgressBetween: out.push_back(progress_between(e, obs, true)); break;
      case ExpectationType::ActiveControllerAtEnd:
      case ExpectationType::BrokerFencedWithin:
      case ExpectationType::BrokerUnfencedWithin:
      case ExpectationType::BrokersUnfencedAtEnd:
      case ExpectationType::PartitionsLedAtEnd:
      case ExpectationType::LeaderlessWithin:
      case ExpectationType::ShutdownLeadershipMoved:
      case ExpectationType::AdminOutcomes:
      case ExpectationType::TopicExistsAtEnd:
        out.push_back(evaluate_metadata_expectation(e, obs, f));
        break;
    }
  }
  return out;
}

}  // namespace sim
