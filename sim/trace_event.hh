// The exported trace of a run: one TraceEvent per thing that happened, in order, handed to a
// TraceListener as it happens (Simulation::set_trace_listener). Writers stream them to disk
// (sim/trace_export/: JSON lines, Chrome trace events), so a large run costs constant memory.
//
// Kinds and their fields (every field is always present, in this order; ids are node ids;
// "-1" stands for none):
//   send      node = sender.   id (message id: unique per send, shared by the copies of a
//             duplicated message), to, api ("FetchRequest", "VoteResponse", ...), correlation,
//             copies (deliveries the network scheduled: 0 = lost on the wire or over a cut link,
//             2 = duplicated; loopback 1)
//   deliver   node = receiver. id, from, api, correlation
//   drop      node = the intended receiver. id, from, api, correlation, reason ("down": the
//             receiver was down or restarted meanwhile; "cut": a fault cut the link in flight)
//   role      node.            state (Raft state: Unattached, Prospective, Candidate, Leader,
//             Resigned, Follower; "down" when the process is not running), epoch, leader
//   election  node = winner.   epoch, voters (the granting voters, e.g. "0 2")
//   active    node = leader.   epoch, hw (the leader committed its first record in its epoch)
//   progress  node.            hw, leo (log end offset), flushed (durable end offset),
//             metadata_offset (last offset its metadata image applied; -1 for none): emitted
//             after an event whenever one of them changed
//   action    node = first target (or none). index, type (the scenario action's "action"),
//             label ("" if none), targets (e.g. "0 3"); emitted once the action has run, after
//             the fault and note events it caused
//   fault     node (or none).  text: what the fault did (the timeline's "!!" line)
//   note      node (or none).  text (the timeline's other lines: skipped actions, snapshots...)
// Timestamps are simulated microseconds; `seq` counts events from 0 in emission order, so
// (at, seq) is strictly increasing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "raft/common/ids.hh"
#include "raft/common/time.hh"

namespace sim {

enum class TraceEventKind { Send, Deliver, Drop, Role, Election, Active, Progress, Action, Fault, Note };

inline constexpr std::size_t kTraceEventKindCount = 10;

// "send", "deliver", "drop", "role", "election", "active", "progress", "action", "fault", "note".
std::string_view to_string(TraceEventKind k);
std::optional<TraceEventKind> trace_event_kind_from_string(std::string_view name);

using TraceValue = std::variant<std::int64_t, std::string>;

struct TraceEvent {
  raft::Instant at;
  std::uint64_t seq = 0;
  TraceEventKind kind = TraceEventKind::Note;
  std::optional<raft::NodeId> node;
  std::vector<std::pair<std::string_view, TraceValue>> fields;  // names are string literals

  // The value of field `name` (KR_ASSERT if absent or of the other type).
  [[nodiscard]] std::int64_t integer(std::string_view name) const;
  [[nodiscard]] const std::string& text(std::string_view name) const;
};

class TraceListener {
 public:
  virtual ~TraceListener() = default;
  virtual void on_event(const TraceEvent& e) = 0;
  // The run ended at `at` (writers close open spans and flush).
  virtual void on_end(raft::Instant at) = 0;
};

}  // namespace sim
