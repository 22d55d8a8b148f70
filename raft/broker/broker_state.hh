// The lifecycle state of a broker process.
//
// Kafka: org.apache.kafka.metadata.BrokerState (KIP-631), owned on a broker by the
// BrokerLifecycleManager (kraft-protocol.md 11.4). The numeric values are Kafka's (they are what
// the BrokerState metric reports); 4 and 5 belonged to ZooKeeper-era states and are unused.
// Kafka's UNKNOWN(127) is not modelled.
#pragma once

#include <cstdint>
#include <ostream>
#include <string_view>

namespace raft::broker {

enum class BrokerState : std::uint8_t {
  NOT_RUNNING = 0,                  // the process has not started the lifecycle manager
  STARTING = 1,                     // registering, then catching up with the metadata log
  RECOVERY = 2,                     // caught up; waiting for the controller to unfence it
  RUNNING = 3,                      // unfenced and serving
  PENDING_CONTROLLED_SHUTDOWN = 6,  // asked the controller to move its leaderships away
  SHUTTING_DOWN = 7,                // the process is stopping; no more controller traffic
};

// Kafka's name of the state, e.g. "PENDING_CONTROLLED_SHUTDOWN".
[[nodiscard]] std::string_view to_string(BrokerState state);

// Kafka's numeric value of the state (0, 1, 2, 3, 6, 7).
[[nodiscard]] constexpr int value_of(BrokerState state) { return static_cast<int>(state); }

std::ostream& operator<<(std::ostream& os, BrokerState state);

}  // namespace raft::broker
