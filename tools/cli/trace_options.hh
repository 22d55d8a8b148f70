// `kraftsim run --trace FILE ...`: the flags that export a run's trace (sim/trace_event.hh) and
// the open export (file + writer) the run streams into.
//
//   --trace FILE             write the trace to FILE
//   --trace-format F         jsonl (default: JSON lines, sim/trace_export/jsonl_writer.hh) or
//                            chrome (Chrome trace events for Perfetto, chrome_writer.hh)
//   --trace-nodes LIST       comma-separated node ids of the cluster (and the admin client's,
//                            1000, in a metadata scenario): only events on them, and messages
//                            to or from them
//   --trace-kinds LIST       comma-separated kinds: send, deliver, drop, role, election, active,
//                            progress, action, fault, note
//   --trace-from-ms MS       only events at or after MS (simulated milliseconds)
//   --trace-to-ms MS         only events before MS (MS > --trace-from-ms)
//   --trace-messages M       all (default), none, or N: the messages whose id is a multiple of N
// Every bad value, a --trace-* flag without --trace, and an unwritable FILE are UsageErrors
// naming the flag, the value and what was expected.
#pragma once

#include <boost/program_options.hpp>
#include <fstream>
#include <map>
#include <memory>
#include <string>

#include "sim/scenario/scenario.hh"
#include "sim/trace_event.hh"
#include "sim/trace_export/trace_filter.hh"

namespace kraftsim::cli {

// One trace export being written: the file and the writer that streams into it. Not movable (the
// writer refers to the stream); held by unique_ptr.
class TraceExport {
 public:
  TraceExport(const std::string& path, bool chrome, sim::trace_export::TraceFilter filter,
              std::map<int, std::string> roles);
  TraceExport(const TraceExport&) = delete;
  TraceExport& operator=(const TraceExport&) = delete;

  // What the run streams into (Simulation::set_trace_listener).
  [[nodiscard]] sim::TraceListener& listener() { return *writer_; }
  // After the run (the writer's on_end has been called): throws a UsageError if writing failed.
  void finish();
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::ofstream file_;  // declared before writer_: the writer refers to it
  std::unique_ptr<sim::TraceListener> writer_;
};

// Adds --trace and the --trace-* flags (all taking a string value) to `options`.
void add_trace_options(boost::program_options::options_description& options);

// The trace filter the --trace-* flags ask for, checked against `scenario`'s cluster.
sim::trace_export::TraceFilter parse_trace_filter(const boost::program_options::variables_map& vm,
                                                  const sim::Scenario& scenario);

// The process label of every node of `scenario` for the Chrome format ("controller", "broker",
// "broker,controller"; "admin client" for id 1000 in a metadata scenario).
std::map<int, std::string> trace_roles(const sim::Scenario& scenario);

// nullptr without --trace; else the export, its file opened (truncated) for writing.
std::unique_ptr<TraceExport> open_trace_export(const boost::program_options::variables_map& vm,
                                               const sim::Scenario& scenario);

}  // namespace kraftsim::cli
