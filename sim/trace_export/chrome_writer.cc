// Writes a trace in the Chrome trace-event format (chrome_writer.hh).
//
// Layout of the output: "[", then one JSON object per line separated by commas, then "]". Every
// process gets its metadata (process_name, process_sort_index, thread_name per thread) up front.
// Events on no node (an action with no target, a cluster-wide note) go to a process "cluster"
// (pid 0), written only when the filter keeps every node.
#include "sim/trace_export/chrome_writer.hh"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace sim::trace_export {

namespace {

constexpr int kClusterPid = 0;
// Threads of a node's process.
constexpr int kRaftTid = 1;      // role spans
constexpr int kEventsTid = 2;    // instant events
constexpr int kMessagesTid = 3;  // message slices and flow arrows

// `text` as a JSON string literal (quoted and escaped; invalid UTF-8 replaced, never thrown).
std::string json_string(std::string_view text) {
  return nlohmann::json(std::string(text))
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

int pid_of(const TraceEvent& e) { return e.node ? e.node->value() + 1 : kClusterPid; }

// `"key":value` pairs for an "args" object, built in order.
class Args {
 public:
  Args& add(std::string_view key, std::int64_t value) {
    return raw(key, std::to_string(value));
  }
  Args& add(std::string_view key, std::string_view value) { return raw(key, json_string(value)); }
  [[nodiscard]] std::string str() const { return "{" + body_ + "}"; }

 private:
  Args& raw(std::string_view key, const std::string& json) {
    if (!body_.empty()) body_ += ',';
    body_ += json_string(key) + ":" + json;
    return *this;
  }
  std::string body_;
};

// The start of an event object: name, cat, ph, ts, pid and tid (no closing brace).
std::string head(std::string_view name, std::string_view cat, std::string_view ph,
                 std::int64_t ts, int pid, int tid) {
  return "{\"name\":" + json_string(name) + ",\"cat\":" + json_string(cat) + ",\"ph\":\"" +
         std::string(ph) + "\",\"ts\":" + std::to_string(ts) + ",\"pid\":" + std::to_string(pid) +
         ",\"tid\":" + std::to_string(tid);
}

std::string metadata(std::string_view name, int pid, int tid, const Args& args) {
  return "{\"name\":" + json_string(name) + ",\"ph\":\"M\",\"pid\":" + std::to_string(pid) +
         ",\"tid\":" + std::to_string(tid) + ",\"args\":" + args.str() + "}";
}

// The role span's name: "Leader e3", or "down" when the process is not running.
std::string span_name(const TraceEvent& e) {
  const std::string& state = e.text("state");
  if (state == "down") return state;
  return state + " e" + std::to_string(e.integer("epoch"));
}

// What an instant event is called and carries.
struct InstantEvent {
  std::string name;
  std::string_view category;
  Args args;
};

InstantEvent instant_of(const TraceEvent& e) {
  switch (e.kind) {
    case TraceEventKind::Election:
      return {"elected e" + std::to_string(e.integer("epoch")), "election",
              Args().add("voters", e.text("voters"))};
    case TraceEventKind::Active:
      return {"active e" + std::to_string(e.integer("epoch")), "election",
              Args().add("hw", e.integer("hw"))};
    case TraceEventKind::Action: {
      const std::string& label = e.text("label");
      return {e.text("type") + (label.empty() ? "" : " (" + label + ")"), "action",
              Args().add("index", e.integer("index")).add("targets", e.text("targets"))};
    }
    case TraceEventKind::Fault: return {e.text("text"), "fault", Args()};
    default: return {e.text("text"), "note", Args()};
  }
}

}  // namespace

ChromeWriter::ChromeWriter(std::ostream& out, TraceFilter filter, std::map<int, std::string> roles)
    : out_(out), filter_(std::move(filter)), roles_(std::move(roles)) {
  out_ << "[";
  if (filter_.nodes.empty()) {
    write(metadata("process_name", kClusterPid, 0, Args().add("name", "cluster")));
    write(metadata("process_sort_index", kClusterPid, 0, Args().add("sort_index", 0)));
    write(metadata("thread_name", kClusterPid, kEventsTid, Args().add("name", "events")));
  }
  for (const auto& [id, label] : roles_) {
    const int pid = id + 1;
    write(metadata("process_name", pid, 0,
                   Args().add("name", "node " + std::to_string(id) + " (" + label + ")")));
    write(metadata("process_sort_index", pid, 0, Args().add("sort_index", pid)));
    write(metadata("thread_name", pid, kRaftTid, Args().add("name", "raft")));
    write(metadata("thread_name", pid, kEventsTid, Args().add("name", "events")));
    write(metadata("thread_name", pid, kMessagesTid, Args().add("name", "messages")));
  }
}

void ChromeWriter::write(const std::string& json_object) {
  out_ << (written_ == 0 ? "\n" : ",\n") << json_object;
  ++written_;
}

void ChromeWriter::on_event(const TraceEvent& e) {
  if (ended_ || !filter_.keeps(e)) return;
  const std::int64_t ts = e.at.us();
  const int pid = pid_of(e);
  switch (e.kind) {
    case TraceEventKind::Send:
    case TraceEventKind::Deliver: {
      const bool send = e.kind == TraceEventKind::Send;
      const std::string& api = e.text("api");
      Args args;
      args.add("id", e.integer("id"));
      if (send) {
        args.add("to", e.integer("to"));
      } else {
        args.add("from", e.integer("from"));
      }
      args.add("correlation", e.integer("correlation"));
      if (send) args.add("copies", e.integer("copies"));
      write(head(api, "message", "X", ts, pid, kMessagesTid) + ",\"dur\":1,\"args\":" + args.str() +
            "}");
      write(head(api, "message", send ? "s" : "f", ts, pid, kMessagesTid) +
            ",\"id\":" + std::to_string(e.integer("id")) + (send ? "" : ",\"bp\":\"e\"") + "}");
      return;
    }
    case TraceEventKind::Drop:
      // A dropped message keeps its flow start and gets no end.
      return;
    case TraceEventKind::Role: {
      const int node = e.node ? e.node->value() : -1;
      std::string name = span_name(e);
      auto open = open_span_.find(node);
      if (open != open_span_.end() && open->second == name) return;
      if (open != open_span_.end()) {
        write(head(open->second, "role", "E", ts, pid, kRaftTid) + "}");
      }
      write(head(name, "role", "B", ts, pid, kRaftTid) +
            ",\"args\":" + Args().add("leader", e.integer("leader")).str() + "}");
      open_span_[node] = std::move(name);
      return;
    }
    case TraceEventKind::Progress: {
      const auto counter = [&](std::string_view name, std::int64_t value) {
        write("{\"name\":" + json_string(name) + ",\"ph\":\"C\",\"ts\":" + std::to_string(ts) +
              ",\"pid\":" + std::to_string(pid) + ",\"args\":" + Args().add(name, value).str() +
              "}");
      };
      counter("hw", e.integer("hw"));
      counter("leo", e.integer("leo"));
      const std::int64_t metadata_offset = e.integer("metadata_offset");
      if (metadata_offset >= 0) counter("metadata offset", metadata_offset);
      return;
    }
    case TraceEventKind::Election:
    case TraceEventKind::Active:
    case TraceEventKind::Action:
    case TraceEventKind::Fault:
    case TraceEventKind::Note: {
      const InstantEvent i = instant_of(e);
      write(head(i.name, i.category, "i", ts, pid, kEventsTid) +
            ",\"s\":\"p\",\"args\":" + i.args.str() + "}");
      return;
    }
  }
}

void ChromeWriter::on_end(raft::Instant at) {
  if (ended_) return;
  ended_ = true;
  // Kept events are all before filter_.to, so ending there keeps every track in order.
  const std::int64_t end = std::min(at, filter_.to).us();
  for (const auto& [node, name] : open_span_) {
    write(head(name, "role", "E", end, node + 1, kRaftTid) + "}");
  }
  open_span_.clear();
  out_ << "\n]\n";
  out_.flush();
}

}  // namespace sim::trace_export
