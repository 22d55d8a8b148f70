// The run's trace: a running hash over every processed event (the determinism fingerprint:
// same scenario + same seed = same hash), and the human timeline of notable events.
//
// Every event the simulation dispatches is folded into the hash with its time, kind and key
// fields, so two runs that diverge anywhere, even in a message nobody prints, get different
// hashes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "raft/common/hash.hh"
#include "raft/messages.hh"
#include "sim/run_result.hh"
#include "sim/trace_event.hh"

namespace sim {

// Receives every traced event as it happens (for exports and debugging); optional.
class TraceSink {
 public:
  virtual ~TraceSink() = default;
  // kind: send, deliver, drop-down (destination down or restarted), drop-cut (a fault started
  // while the message was in flight).
  virtual void on_message(Instant at, std::string_view kind, const raft::Message& m) = 0;
  virtual void on_note(const TimelineEntry& entry) = 0;
};

class Trace {
 public:
  void set_sink(TraceSink* sink) { sink_ = sink; }
  // The exported trace (trace_event.hh): events go to `listener` as they happen; none by default.
  void set_listener(TraceListener* listener) { listener_ = listener; }
  [[nodiscard]] bool listening() const { return listener_ != nullptr; }
  // Hands one event to the listener (numbering it); callers check listening() first.
  void emit(Instant at, TraceEventKind kind, std::optional<raft::NodeId> node,
            std::vector<std::pair<std::string_view, TraceValue>> fields);
  // The run ended at `at`.
  void end(Instant at);
  // Folds one event into the hash.
  void event(Instant at, std::string_view kind, std::int64_t node, std::int64_t a = 0,
             std::int64_t b = 0, std::int64_t c = 0);
  // Folds a message (api, endpoints, correlation id and the fields that drive the protocol).
  void message(Instant at, std::string_view kind, const raft::Message& m);
  // Adds a line to the timeline (and folds it into the hash).
  void note(Instant at, TimelineEntry::Kind kind, std::optional<raft::NodeId> node, std::string text);

  [[nodiscard]] std::uint64_t hash() const { return hasher_.digest(); }
  [[nodiscard]] const std::vector<TimelineEntry>& timeline() const { return timeline_; }
  std::vector<TimelineEntry> take_timeline() { return std::move(timeline_); }

 private:
  TraceSink* sink_ = nullptr;
  TraceListener* listener_ = nullptr;
  std::uint64_t next_seq_ = 0;  // seq of the next exported event
  raft::Hasher hasher_;
  std::vector<TimelineEntry> timeline_;
};

}  // namespace sim
