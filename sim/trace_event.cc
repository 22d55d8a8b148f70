// The exported trace's event kinds by name, and field lookup on one event (trace_event.hh).
#include "sim/trace_event.hh"

#include <array>

#include "raft/common/assert.hh"

namespace sim {

namespace {

// Indexed by the enum's value; the order of TraceEventKind.
constexpr std::array<std::string_view, kTraceEventKindCount> kKindNames = {
    "send", "deliver", "drop", "role", "election", "active", "progress", "action", "fault", "note"};

// The value of field `name`, or null when the event has none.
const TraceValue* find_field(const TraceEvent& e, std::string_view name) {
  for (const auto& [key, value] : e.fields) {
    if (key == name) return &value;
  }
  return nullptr;
}

}  // namespace

std::string_view to_string(TraceEventKind k) {
  const auto index = static_cast<std::size_t>(k);
  KR_ASSERT(index < kKindNames.size(), "trace event kind " << index);
  return kKindNames[index];
}

std::optional<TraceEventKind> trace_event_kind_from_string(std::string_view name) {
  for (std::size_t i = 0; i < kKindNames.size(); ++i) {
    if (kKindNames[i] == name) return static_cast<TraceEventKind>(i);
  }
  return std::nullopt;
}

std::int64_t TraceEvent::integer(std::string_view name) const {
  const TraceValue* value = find_field(*this, name);
  KR_ASSERT(value != nullptr, "trace event " << to_string(kind) << " #" << seq << " has no field "
                                             << name);
  const auto* number = std::get_if<std::int64_t>(value);
  KR_ASSERT(number != nullptr,
            "trace event " << to_string(kind) << " #" << seq << ": field " << name << " is text");
  return *number;
}

const std::string& TraceEvent::text(std::string_view name) const {
  const TraceValue* value = find_field(*this, name);
  KR_ASSERT(value != nullptr, "trace event " << to_string(kind) << " #" << seq << " has no field "
                                             << name);
  const auto* str = std::get_if<std::string>(value);
  KR_ASSERT(str != nullptr,
            "trace event " << to_string(kind) << " #" << seq << ": field " << name
                           << " is an integer");
  return *str;
}

}  // namespace sim
