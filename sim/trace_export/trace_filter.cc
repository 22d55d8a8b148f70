// Which events a trace export keeps (trace_filter.hh).
#include "sim/trace_export/trace_filter.hh"

namespace sim::trace_export {

namespace {

bool is_message(TraceEventKind k) {
  return k == TraceEventKind::Send || k == TraceEventKind::Deliver || k == TraceEventKind::Drop;
}

// The other end of a message event: the receiver of a send, the sender of a delivery or drop.
std::int64_t peer_of(const TraceEvent& e) {
  return e.integer(e.kind == TraceEventKind::Send ? "to" : "from");
}

}  // namespace

bool TraceFilter::keeps(const TraceEvent& e) const {
  if (e.at < from || e.at >= to) return false;
  if (!kinds.empty() && !kinds.contains(e.kind)) return false;
  const bool message = is_message(e.kind);
  if (message) {
    if (message_sample == 0) return false;
    const std::int64_t id = e.integer("id");
    if (id < 0 || static_cast<std::uint64_t>(id) % message_sample != 0) return false;
  }
  if (nodes.empty()) return true;
  if (e.node && nodes.contains(e.node->value())) return true;
  if (!message) return false;
  const std::int64_t peer = peer_of(e);
  return peer >= 0 && nodes.contains(static_cast<int>(peer));
}

}  // namespace sim::trace_export
