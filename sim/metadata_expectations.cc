// Metadata expectations. See metadata_expectations.hh.
#include "sim/metadata_expectations.hh"

#include <algorithm>
#include <sstream>

#include "sim/time.hh"

namespace sim {

namespace {

ExpectationResult result(const Expectation& e, bool passed, const std::string& detail) {
  return ExpectationResult{e.description, passed, detail};
}

// The broker an expectation names: a fixed id, or the node a labelled action resolved to.
std::optional<std::int32_t> broker_of(const Expectation& e, const Observations& obs) {
  if (!e.broker) return std::nullopt;
  if (e.broker->kind == NodeSelector::Kind::Id) return e.broker->id.value();
  if (e.broker->kind == NodeSelector::Kind::Label) {
    auto it = obs.actions_by_label.find(e.broker->label);
    if (it != obs.actions_by_label.end() && !it->second.targets.empty()) {
      return it->second.targets.front().value();
    }
  }
  return std::nullopt;
}

ExpectationResult active_controller_at_end(const Expectation& e, const FinalState& f) {
  if (!f.active_controller) return result(e, false, "no active controller at the end");
  std::ostringstream os;
  os << "node " << f.active_controller->node << " active in epoch " << f.active_controller->epoch
     << " since " << format_ms(f.active_controller->at);
  return result(e, true, os.str());
}

// BrokerFencedWithin / BrokerUnfencedWithin.
ExpectationResult broker_state_within(const Expectation& e, const Observations& obs, bool fenced) {
  auto action = obs.actions_by_label.find(e.after_label);
  if (action == obs.actions_by_label.end() || action->second.skipped) {
    return result(e, false, "action '" + e.after_label + "' never ran");
  }
  const std::optional<std::int32_t> broker = broker_of(e, obs);
  if (!broker) return result(e, false, "the broker selector names no node");
  const Instant start = action->second.at;
  for (const BrokerStateChange& c : obs.metadata.broker_changes) {
    if (c.broker != *broker || c.at < start) continue;
    if (c.registered && c.fenced == fenced) {
      std::ostringstream os;
      os << "broker " << *broker << (fenced ? " fenced " : " unfenced ") << format_ms(c.at - start)
         << " after '" << e.after_label << "' (broker epoch " << c.epoch << ")";
      return result(e, c.at - start <= e.within, os.str());
    }
  }
  std::ostringstream os;
  os << "broker " << *broker << " never became " << (fenced ? "fenced" : "unfenced") << " after '"
     << e.after_label << "'";
  return result(e, false, os.str());
}

ExpectationResult brokers_unfenced_at_end(const Expectation& e, const FinalState& f) {
  std::ostringstream os;
  bool passed = true;
  for (const auto& [id, state] : f.running_brokers) {
    if (!state.first || state.second) {
      passed = false;
      os << "broker " << id << (state.first ? " fenced; " : " not registered; ");
    }
  }
  if (passed) os << f.running_brokers.size() << " running broker(s), all unfenced";
  return result(e, passed, os.str());
}

ExpectationResult partitions_led_at_end(const Expectation& e, const FinalState& f) {
  std::ostringstream os;
  os << f.leaderless_partitions << " of " << f.partitions << " partition(s) without a leader";
  return result(e, f.leaderless_partitions == 0 && f.partitions > 0, os.str());
}

ExpectationResult leaderless_within(const Expectation& e, const Observations& obs) {
  auto action = obs.actions_by_label.find(e.after_label);
  if (action == obs.actions_by_label.end() || action->second.skipped) {
    return result(e, false, "action '" + e.after_label + "' never ran");
  }
  const Instant start = action->second.at;
  for (const auto& [at, count] : obs.metadata.leaderless_partitions.points) {
    if (at < start || count == 0) continue;
    std::ostringstream os;
    os << count << " partition(s) without a leader " << format_ms(at - start) << " after '"
       << e.after_label << "'";
    return result(e, at - start <= e.within, os.str());
  }
  return result(e, false, "no partition lost its leader after '" + e.after_label + "'");
}

ExpectationResult shutdown_leadership_moved(const Expectation& e, const Observations& obs) {
  const std::optional<std::int32_t> broker = broker_of(e, obs);
  if (!broker) return result(e, false, "the broker selector names no node");
  auto it = obs.metadata.shutdown_exits.find(*broker);
  if (it == obs.metadata.shutdown_exits.end()) {
    return result(e, false, "broker " + std::to_string(*broker) + " never finished a controlled shutdown");
  }
  std::ostringstream os;
  os << "broker " << *broker << (it->second.consented ? " got ShouldShutDown" : " exited without consent")
     << " at " << format_ms(it->second.at) << ", leading " << it->second.leaders_at_exit
     << " partition(s)";
  return result(e, it->second.consented && it->second.leaders_at_exit == 0, os.str());
}

ExpectationResult admin_outcomes(const Expectation& e, const FinalState& f) {
  std::ostringstream os;
  os << f.admin_acknowledged << " acknowledged, " << f.admin_failed << " failed, " << f.admin_unknown
     << " unknown, " << f.admin_pending << " pending";
  const bool passed = f.admin_acknowledged >= e.value && f.admin_failed <= e.max_failed &&
                      f.admin_unknown <= e.max_unknown;
  return result(e, passed, os.str());
}

ExpectationResult topic_exists_at_end(const Expectation& e, const FinalState& f) {
  const bool exists = std::binary_search(f.topics.begin(), f.topics.end(), e.topic);
  return result(e, exists, "topic '" + e.topic + (exists ? "' exists" : "' does not exist"));
}

}  // namespace

ExpectationResult evaluate_metadata_expectation(const Expectation& e, const Observations& obs,
                                                const FinalState& f) {
  switch (e.type) {
    case ExpectationType::ActiveControllerAtEnd: return active_controller_at_end(e, f);
    case ExpectationType::BrokerFencedWithin: return broker_state_within(e, obs, true);
    case ExpectationType::BrokerUnfencedWithin: return broker_state_within(e, obs, false);
    case ExpectationType::BrokersUnfencedAtEnd: return brokers_unfenced_at_end(e, f);
    case ExpectationType::PartitionsLedAtEnd: return partitions_led_at_end(e, f);
    case ExpectationType::LeaderlessWithin: return leaderless_within(e, obs);
    case ExpectationType::ShutdownLeadershipMoved: return shutdown_leadership_moved(e, obs);
    case ExpectationType::AdminOutcomes: return admin_outcomes(e, f);
    case ExpectationType::TopicExistsAtEnd: return topic_exists_at_end(e, f);
    default: break;
  }
  return result(e, false, "not a metadata expectation");
}

}  // namespace sim
