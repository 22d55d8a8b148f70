// The active controller's view of broker sessions: when each broker was last heard from, its last
// reported metadata offset, and its controlled-shutdown progress.
//
// Kafka: org.apache.kafka.controller.BrokerHeartbeatManager (with BrokerHeartbeatState and
// BrokerControlStates). Volatile: it exists only on the active controller, is rebuilt on every
// activation, and is dropped on renounce.
//
// Sessions (kraft-protocol.md 11.3): only an UNFENCED broker has a session; it expires when the
// broker was last heard from more than broker.session.timeout.ms ago. On activation every
// registered broker is treated as having just heartbeated (the KAFKA-18138 fix: a broker that
// died during the failover is still fenced one session timeout after activation).
//
// Simplification: Kafka gives each heartbeat a queue deadline of half the heartbeat interval and,
// when the controller thread is overloaded, only refreshes the contact time. The simulated
// controller handles every heartbeat at once, so that path does not exist.
#pragma once

#include <cstdint>
#include <map>
#include <optional>

#include "raft/common/time.hh"

namespace raft::controller {

class BrokerHeartbeatManager {
 public:
  explicit BrokerHeartbeatManager(Duration session_timeout) : session_timeout_(session_timeout) {}

  // A broker was (re-)registered or seen: it is tracked from `now` with the given fencing state.
  void register_broker(std::int32_t broker, bool fenced, Instant now);
  // Forgets a broker (unregistered).
  void remove(std::int32_t broker) { brokers_.erase(broker); }
  // A heartbeat arrived: refreshes the contact time and records the reported metadata offset.
  void touch(std::int32_t broker, std::int64_t metadata_offset, Instant now);
  // The broker's fencing state changed (the records that change it were written).
  void set_fenced(std::int32_t broker, bool fenced);
  // Controlled shutdown: the offset of the write that put the broker in controlled shutdown.
  void set_controlled_shutdown_offset(std::int32_t broker, std::int64_t offset);
  [[nodiscard]] std::optional<std::int64_t> controlled_shutdown_offset(std::int32_t broker) const;

  // True if the broker is tracked, unfenced and heard from within the session timeout.
  [[nodiscard]] bool has_valid_session(std::int32_t broker, Instant now) const;
  // The first (lowest id) unfenced broker whose session expired at `now`, if any.
  [[nodiscard]] std::optional<std::int32_t> find_one_stale_broker(Instant now) const;
  // The lowest metadata offset reported by an unfenced broker that is not in controlled
  // shutdown (Kafka: lowestActiveOffset); INT64_MAX if there is none.
  [[nodiscard]] std::int64_t lowest_active_offset() const;

  [[nodiscard]] bool is_tracked(std::int32_t broker) const { return brokers_.contains(broker); }
  [[nodiscard]] std::size_t size() const { return brokers_.size(); }
  void clear() { brokers_.clear(); }
  [[nodiscard]] Duration session_timeout() const { return session_timeout_; }

 private:
  struct State {
    Instant last_contact;
    bool fenced = true;
    std::int64_t metadata_offset = -1;                      // last reported, -1 = none yet
    std::optional<std::int64_t> controlled_shutdown_offset;  // set while in controlled shutdown
  };
  Duration session_timeout_;
  std::map<std::int32_t, State> brokers_;
};

}  // namespace raft::controller
