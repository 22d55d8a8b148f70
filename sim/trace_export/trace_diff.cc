// The first divergence between two JSON-lines traces (trace_diff.hh). Both files are read one line
// at a time, side by side; only the last `context` equal lines are kept, so memory stays constant
// whatever the length of the traces.
#include "sim/trace_export/trace_diff.hh"

#include <cstdlib>
#include <deque>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <utility>

namespace sim::trace_export {

namespace {

using Json = nlohmann::ordered_json;  // keeps the keys in file order: the order is compared too

// One event of a trace: its line as read, and its content without "seq".
struct Line {
  std::string text;
  Json content;
};

// One of the two traces being read.
class TraceReader {
 public:
  TraceReader(std::istream& in, std::string side) : in_(in), side_(std::move(side)) {}

  // The next event, or nullopt at the end of the trace. Throws std::runtime_error for a line
  // that is not an event, and for a read error.
  std::optional<Line> next() {
    std::string text;
    if (!std::getline(in_, text)) {
      if (in_.bad()) fail("read error");
      return std::nullopt;
    }
    ++line_number_;
    if (!text.empty() && text.back() == '\r') text.pop_back();
    return Line{text, parse(text)};
  }

 private:
  [[noreturn]] void fail(const std::string& problem) const {
    throw std::runtime_error(side_ + ", line " + std::to_string(line_number_) + ": " + problem);
  }

  Json parse(const std::string& text) const {
    if (text.find_first_not_of(" \t") == std::string::npos) fail("empty line, expected an event");
    Json value;
    try {
      value = Json::parse(text);
    } catch (const Json::parse_error& e) {
      // e.what() is "[json.exception.parse_error.101] parse error at line 1, column 14: ...";
      // keep the column and the problem (the line is always 1 here).
      const std::string what = e.what();
      const std::size_t start = what.find("column ");
      fail("not JSON (" + (start == std::string::npos ? what : what.substr(start)) + ")");
    }
    if (!value.is_object()) fail("expected a JSON object, got " + std::string(value.type_name()));
    if (!value.contains("t_us") || !value["t_us"].is_number_integer()) {
      fail("expected an integer \"t_us\"");
    }
    if (!value.contains("kind") || !value["kind"].is_string()) fail("expected a string \"kind\"");
    value.erase("seq");
    return value;
  }

  std::istream& in_;
  std::string side_;                // "A" or "B", for messages
  std::uint64_t line_number_ = 0;  // 1-based number of the last line read
};

// A field's value for people: a string as is ("" when empty), anything else as JSON.
std::string show(const Json& value) {
  if (value.is_string()) {
    const std::string& s = value.get_ref<const std::string&>();
    return s.empty() ? "\"\"" : s;
  }
  return value.dump();
}

// The keys of an event, space-separated, for a difference in their order.
std::string keys_of(const Json& event) {
  std::string out;
  for (const auto& item : event.items()) out += (out.empty() ? "" : " ") + item.key();
  return out;
}

// The first field that differs between two unequal events, in A's key order, then B's extra
// keys; the key order when only that differs.
std::string first_differing_field(const Json& a, const Json& b) {
  for (const auto& item : a.items()) {
    if (!b.contains(item.key())) return item.key() + ": " + show(item.value()) + " vs (absent)";
    const Json& other = b[item.key()];
    if (other != item.value()) return item.key() + ": " + show(item.value()) + " vs " + show(other);
  }
  for (const auto& item : b.items()) {
    if (!a.contains(item.key())) return item.key() + ": (absent) vs " + show(item.value());
  }
  return "field order: " + keys_of(a) + " vs " + keys_of(b);
}

// "10.000250" for 10000250 microseconds.
std::string seconds(std::int64_t t_us) {
  const bool negative = t_us < 0;
  const std::uint64_t magnitude =
      negative ? 0 - static_cast<std::uint64_t>(t_us) : static_cast<std::uint64_t>(t_us);
  std::string micros = std::to_string(magnitude % 1'000'000);
  micros.insert(0, 6 - micros.size(), '0');
  return (negative ? "-" : "") + std::to_string(magnitude / 1'000'000) + "." + micros;
}

// The "t_us" of an event line, if the line is an event.
std::optional<std::int64_t> time_of(const std::optional<std::string>& line) {
  if (!line) return std::nullopt;
  const Json value = Json::parse(*line, nullptr, false);
  if (!value.is_object() || !value.contains("t_us") || !value["t_us"].is_number_integer()) {
    return std::nullopt;
  }
  return value["t_us"].get<std::int64_t>();
}

}  // namespace

std::optional<TraceDivergence> first_divergence(std::istream& a, std::istream& b,
                                                std::size_t context) {
  TraceReader reader_a(a, "A");
  TraceReader reader_b(b, "B");
  std::deque<std::string> recent;  // the last `context` equal lines (A's text)
  for (std::uint64_t index = 0;; ++index) {
    std::optional<Line> line_a = reader_a.next();
    std::optional<Line> line_b = reader_b.next();
    if (!line_a && !line_b) return std::nullopt;
    if (line_a && line_b && line_a->content == line_b->content) {
      if (context == 0) continue;
      if (recent.size() == context) recent.pop_front();
      recent.push_back(std::move(line_a->text));
      continue;
    }
    TraceDivergence d;
    d.index = index;
    d.context.assign(std::make_move_iterator(recent.begin()), std::make_move_iterator(recent.end()));
    if (!line_a) {
      d.difference = "A ended";
    } else if (!line_b) {
      d.difference = "B ended";
    } else {
      d.difference = first_differing_field(line_a->content, line_b->content);
    }
    if (line_a) d.a = std::move(line_a->text);
    if (line_b) d.b = std::move(line_b->text);
    return d;
  }
}

std::string describe(const TraceDivergence& d) {
  std::ostringstream out;
  out << "traces diverge at event " << d.index;
  std::optional<std::int64_t> t = time_of(d.a);
  if (!t) t = time_of(d.b);
  if (t) out << " (t " << seconds(*t) << " s)";
  out << ": " << d.difference << "\n";
  if (!d.context.empty()) {
    out << "the " << d.context.size() << " equal event" << (d.context.size() == 1 ? "" : "s")
        << " before it:\n";
    for (const std::string& line : d.context) out << "  " << line << "\n";
  }
  out << "A: " << (d.a ? *d.a : "(ended after " + std::to_string(d.index) + " events)") << "\n";
  out << "B: " << (d.b ? *d.b : "(ended after " + std::to_string(d.index) + " events)") << "\n";
  return out.str();
}

}  // namespace sim::trace_export
