// Writes a trace in the Chrome trace-event format (kraftsim run --trace FILE --trace-format
// chrome) that Perfetto (ui.perfetto.dev) and chrome://tracing open: a JSON array streamed event by
// event (constant memory), closed when the run ends.
//   * one process per node (pid = node id + 1; a "process_name" metadata event "node 0
//     (controller)" / "node 3 (broker)"; the admin client, if any, pid 1001);
//   * per node, a thread "raft" with the Raft role as spans (B/E): "Leader e3", "Follower e3",
//     "Candidate e4", ... one span per (state, epoch), so spans nest never and match always;
//     the spans still open at the end are ended at the run's end;
//   * faults, elections, activations, actions and notes as instant events ("ph":"i", scope "p")
//     on a thread "events";
//   * messages as flow arrows: a 1 us slice on a "messages" thread of the sender at send time
//     with a flow start ("ph":"s"), and one on the receiver at delivery with a flow end
//     ("ph":"f", "bp":"e"); lost and dropped messages have a start and no end; a filter may sample
//     them (TraceFilter::message_sample);
//   * counters ("ph":"C") per node: "hw", "leo", "metadata offset".
// "ts" is in simulated microseconds. Within one track, timestamps never go backwards.
#pragma once

#include <cstdint>
#include <map>
#include <ostream>
#include <string>

#include "sim/trace_event.hh"
#include "sim/trace_export/trace_filter.hh"

namespace sim::trace_export {

class ChromeWriter : public TraceListener {
 public:
  // `roles`: process label per node id ("controller", "broker", "broker,controller").
  ChromeWriter(std::ostream& out, TraceFilter filter, std::map<int, std::string> roles);
  void on_event(const TraceEvent& e) override;
  void on_end(raft::Instant at) override;
  [[nodiscard]] std::uint64_t written() const { return written_; }  // trace events written

 private:
  void write(const std::string& json_object);
  std::ostream& out_;
  TraceFilter filter_;
  std::map<int, std::string> roles_;
  std::map<int, std::string> open_span_;  // node -> name of its open role span
  std::uint64_t written_ = 0;
  bool ended_ = false;
};

}  // namespace sim::trace_export
