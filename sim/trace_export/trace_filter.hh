// Which events a trace export keeps (kraftsim run --trace-nodes/--trace-kinds/--trace-from-ms/
// --trace-to-ms/--trace-messages).
#pragma once

#include <cstdint>
#include <optional>
#include <set>

#include "sim/trace_event.hh"

namespace sim::trace_export {

struct TraceFilter {
  // Keep only events on these nodes; a message event (send, deliver, drop) is kept when either
  // end is one of them. Empty: every node (and the events on no node).
  std::set<int> nodes;
  // Keep only these kinds. Empty: every kind.
  std::set<TraceEventKind> kinds;
  // Keep only events with from <= at < to.
  raft::Instant from = raft::Instant::zero();
  raft::Instant to = raft::Instant::never();
  // Messages (send, deliver, drop): keep those whose message id is a multiple of this (1: all;
  // 0: none). Sampling by id keeps a message's send and deliveries together.
  std::uint64_t message_sample = 1;

  [[nodiscard]] bool keeps(const TraceEvent& e) const;
};

}  // namespace sim::trace_export
