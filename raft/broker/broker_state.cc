// Names of the broker lifecycle states (Kafka's BrokerState). See broker_state.hh.
#include "raft/broker/broker_state.hh"

namespace raft::broker {

std::string_view to_string(BrokerState state) {
  switch (state) {
    case BrokerState::NOT_RUNNING: return "NOT_RUNNING";
    case BrokerState::STARTING: return "STARTING";
    case BrokerState::RECOVERY: return "RECOVERY";
    case BrokerState::RUNNING: return "RUNNING";
    case BrokerState::PENDING_CONTROLLED_SHUTDOWN: return "PENDING_CONTROLLED_SHUTDOWN";
    case BrokerState::SHUTTING_DOWN: return "SHUTTING_DOWN";
  }
  return "UNKNOWN";
}

std::ostream& operator<<(std::ostream& os, BrokerState state) { return os << to_string(state); }

}  // namespace raft::broker
