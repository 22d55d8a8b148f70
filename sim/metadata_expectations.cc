// Metadata event expectations. See metadata_expectations.hh.
#include "sim/metadata_expectations.hh"

#include <sstream>

#include "sim/conditions.hh"
#include "sim/time.hh"

namespace sim {

namespace {

ExpectationResult result(const Expectation& e, bool passed, const std::string& observed) {
  return ExpectationResult{e.description, passed, observed, e.name, std::nullopt};
}

// The labelled action, or the reason it cannot start a clock.
const ActionRecord* started(const Expectation& e, const Observations& obs, std::string& why) {
  auto action = obs.actions_by_label.find(e.after_label);
  if (action == obs.actions_by_label.end()) {
    why = "action '" + e.after_label + "' never ran";
    return nullptr;
  }
  if (action->second.skipped) {
    why = "action '" + e.after_label + "' was skipped";
    return nullptr;
  }
  return &action->second;
}

// A controller of a newer epoch than the one active when the action ran became active in time.
ExpectationResult failover_within(const Expectation& e, const Observations& obs) {
  std::string why;
  const ActionRecord* action = started(e, obs, why);
  if (action == nullptr) return result(e, false, why);
  for (const ActiveController& a : obs.metadata.active_controllers) {
    if (a.at < action->at || a.epoch <= action->active_epoch) continue;
    std::ostringstream os;
    os << "node " << a.node << " active controller in epoch " << a.epoch << " after "
       << format_ms(a.at - action->at);
    return result(e, a.at - action->at <= e.within, os.str());
  }
  std::ostringstream os;
  os << "no controller newer than epoch " << action->active_epoch << " became active after "
     << format_ms(action->at);
  return result(e, false, os.str());
}

// BrokerFencedWithin / BrokerUnfencedWithin: a committed change after the action.
ExpectationResult broker_state_within(const Expectation& e, const Observations& obs, bool fenced) {
  std::string why;
  const ActionRecord* action = started(e, obs, why);
  if (action == nullptr) return result(e, false, why);
  const std::optional<NodeId> broker = condition_node(*e.broker, obs);
  if (!broker) return result(e, false, "the broker selector names no node");
  for (const BrokerStateChange& c : obs.metadata.broker_changes) {
    if (c.broker != broker->value() || c.at < action->at) continue;
    if (c.registered && c.fenced == fenced) {
      std::ostringstream os;
      os << "broker " << *broker << (fenced ? " fenced " : " unfenced ") << format_ms(c.at - action->at)
         << " after '" << e.after_label << "' (broker epoch " << c.epoch << ")";
      return result(e, c.at - action->at <= e.within, os.str());
    }
  }
  std::ostringstream os;
  os << "broker " << *broker << " never became " << (fenced ? "fenced" : "unfenced") << " after '"
     << e.after_label << "'";
  return result(e, false, os.str());
}

ExpectationResult shutdown_leadership_moved(const Expectation& e, const Observations& obs) {
  const std::optional<NodeId> broker = condition_node(*e.broker, obs);
  if (!broker) return result(e, false, "the broker selector names no node");
  auto it = obs.metadata.shutdown_exits.find(broker->value());
  if (it == obs.metadata.shutdown_exits.end()) {
    return result(e, false, "broker " + std::to_string(broker->value()) +
                                " never finished a controlled shutdown");
  }
  std::ostringstream os;
  os << "broker " << *broker << (it->second.consented ? " got ShouldShutDown" : " exited without consent")
     << " at " << format_ms(it->second.at) << ", leading " << it->second.leaders_at_exit
     << " partition(s)";
  return result(e, it->second.consented && it->second.leaders_at_exit == 0, os.str());
}

}  // namespace

ExpectationResult evaluate_metadata_expectation(const Expectation& e, const Observations& obs) {
  switch (e.type) {
    case ExpectationType::FailoverWithin: return failover_within(e, obs);
    case ExpectationType::BrokerFencedWithin: return broker_state_within(e, obs, true);
    case ExpectationType::BrokerUnfencedWithin: return broker_state_within(e, obs, false);
    case ExpectationType::ShutdownLeadershipMoved: return shutdown_leadership_moved(e, obs);
    default: break;
  }
  return result(e, false, "not a metadata event expectation");
}

}  // namespace sim
