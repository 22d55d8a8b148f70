// Writes a trace as JSON lines (jsonl_writer.hh).
#include "sim/trace_export/jsonl_writer.hh"

#include <nlohmann/json.hpp>
#include <type_traits>

namespace sim::trace_export {

namespace {

// `text` as a JSON string literal (quoted and escaped; invalid UTF-8 replaced, never thrown).
std::string json_string(std::string_view text) {
  return nlohmann::json(std::string(text))
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void append_value(std::string& line, const TraceValue& value) {
  std::visit(
      [&line](const auto& v) {
        if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::string>) {
          line += json_string(v);
        } else {
          line += std::to_string(v);
        }
      },
      value);
}

// The keys every line starts with: seq, t_us, node, kind.
std::string line_head(std::uint64_t seq, raft::Instant at, std::optional<raft::NodeId> node,
                      std::string_view kind) {
  return "{\"seq\":" + std::to_string(seq) + ",\"t_us\":" + std::to_string(at.us()) +
         ",\"node\":" + (node ? std::to_string(node->value()) : std::string("null")) +
         ",\"kind\":" + json_string(kind);
}

}  // namespace

std::string jsonl_line(const TraceEvent& e) {
  std::string line = line_head(e.seq, e.at, e.node, to_string(e.kind));
  for (const auto& [name, value] : e.fields) {
    line += ',';
    line += json_string(name);
    line += ':';
    append_value(line, value);
  }
  line += '}';
  return line;
}

JsonlWriter::JsonlWriter(std::ostream& out, TraceFilter filter)
    : out_(out), filter_(std::move(filter)) {}

void JsonlWriter::on_event(const TraceEvent& e) {
  // last_seq_ holds the seq the end line takes: one past the last event seen, kept or not.
  last_seq_ = e.seq + 1;
  if (!filter_.keeps(e)) return;
  out_ << jsonl_line(e) << '\n';
  ++written_;
}

void JsonlWriter::on_end(raft::Instant at) {
  out_ << line_head(last_seq_, at, std::nullopt, "end") << ",\"events\":" << written_ << "}\n";
  out_.flush();
}

}  // namespace sim::trace_export
