// Writes a trace as JSON lines (kraftsim run --trace FILE --trace-format jsonl): one event per
// line, streamed (constant memory), e.g.
//   {"seq":41,"t_us":1000250,"node":0,"kind":"send","id":17,"to":1,"api":"FetchResponse",...}
// Keys: seq, t_us (simulated microseconds), node (null when none), kind, then the kind's fields
// in the order sim/trace_event.hh lists them. The last line is
//   {"seq":N,"t_us":END,"node":null,"kind":"end","events":KEPT}
// (KEPT: events written, the end line excluded). The format is documented in the README.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "sim/trace_event.hh"
#include "sim/trace_export/trace_filter.hh"

namespace sim::trace_export {

// One event as its JSON line (no newline).
std::string jsonl_line(const TraceEvent& e);

class JsonlWriter : public TraceListener {
 public:
  JsonlWriter(std::ostream& out, TraceFilter filter);
  void on_event(const TraceEvent& e) override;
  void on_end(raft::Instant at) override;
  [[nodiscard]] std::uint64_t written() const { return written_; }

 private:
  std::ostream& out_;
  TraceFilter filter_;
  std::uint64_t written_ = 0;
  std::uint64_t last_seq_ = 0;
};

}  // namespace sim::trace_export
