// Kafka: org.apache.kafka.controller.BrokerHeartbeatManager. See broker_heartbeat_manager.hh.
#include "raft/controller/broker_heartbeat_manager.hh"

#include <limits>

namespace raft::controller {

void BrokerHeartbeatManager::register_broker(std::int32_t broker, bool fenced, Instant now) {
  brokers_[broker] = State{now, fenced, -1, std::nullopt};
}

void BrokerHeartbeatManager::touch(std::int32_t broker, std::int64_t metadata_offset, Instant now) {
  auto it = brokers_.find(broker);
  if (it == brokers_.end()) return;
  it->second.last_contact = now;
  it->second.metadata_offset = metadata_offset;
}

void BrokerHeartbeatManager::set_fenced(std::int32_t broker, bool fenced) {
  auto it = brokers_.find(broker);
  if (it == brokers_.end()) return;
  it->second.fenced = fenced;
  if (fenced) it->second.controlled_shutdown_offset.reset();
}

void BrokerHeartbeatManager::set_controlled_shutdown_offset(std::int32_t broker,
                                                            std::int64_t offset) {
  auto it = brokers_.find(broker);
  if (it != brokers_.end()) it->second.controlled_shutdown_offset = offset;
}

std::optional<std::int64_t> BrokerHeartbeatManager::controlled_shutdown_offset(
    std::int32_t broker) const {
  auto it = brokers_.find(broker);
  if (it == brokers_.end()) return std::nullopt;
  return it->second.controlled_shutdown_offset;
}

bool BrokerHeartbeatManager::has_valid_session(std::int32_t broker, Instant now) const {
  auto it = brokers_.find(broker);
  if (it == brokers_.end() || it->second.fenced) return false;
  return now <= it->second.last_contact + session_timeout_;
}

std::optional<std::int32_t> BrokerHeartbeatManager::find_one_stale_broker(Instant now) const {
  for (const auto& [id, state] : brokers_) {
    if (!state.fenced && now > state.last_contact + session_timeout_) return id;
  }
  return std::nullopt;
}

std::int64_t BrokerHeartbeatManager::lowest_active_offset() const {
  std::int64_t lowest = std::numeric_limits<std::int64_t>::max();
  for (const auto& [id, state] : brokers_) {
    if (state.fenced || state.controlled_shutdown_offset) continue;
    lowest = std::min(lowest, state.metadata_offset);
  }
  return lowest;
}

}  // namespace raft::controller
