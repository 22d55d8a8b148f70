// Scenario loader (see scenario_loader.hh): JSON text -> checked JSON document -> Scenario.
//
// Layout of this file:
//   1. ScenarioError
//   2. text parsing (a SAX document builder that also rejects duplicate keys)
//   3. message helpers and typed readers (every reader either returns a valid value or throws)
//   4. one parser per section: cluster, stop, network, workload, timeline, expectations
//   5. cross-checks of the timeline (labels, partitions, drops, which nodes are stopped)
//   6. the public entry points
#include "sim/scenario/scenario_loader.hh"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <utility>
#include <vector>

#include "sim/scenario/json_path.hh"

namespace sim {

// ---------------------------------------------------------------------------------------------
// 1. ScenarioError

namespace {

std::string describe_problem(const std::string& path, const std::string& got,
                             const std::string& expected) {
  std::string out = path.empty() ? "(top level)" : path;
  out += ": ";
  out += got == ScenarioError::kMissing ? std::string(got) : "got " + got;
  out += ", expected " + expected;
  return out;
}

}  // namespace

ScenarioError::ScenarioError(std::string file, std::string path, std::string got,
                             std::string expected)
    : std::runtime_error(file + ": " + describe_problem(path, got, expected)),
      file_(std::move(file)),
      path_(std::move(path)),
      got_(std::move(got)),
      expected_(std::move(expected)) {}

ScenarioError::ScenarioError(std::string file, std::string message, std::string got,
                             std::string expected, int line, int column)
    : std::runtime_error(file + ": " + message),
      file_(std::move(file)),
      got_(std::move(got)),
      expected_(std::move(expected)),
      line_(line),
      column_(column) {}

ScenarioError ScenarioError::malformed(std::string file, int line, int column, std::string token,
                                       const std::string& detail) {
  std::string message = "line " + std::to_string(line) + ", column " + std::to_string(column) +
                        ": malformed JSON: " + detail;
  return ScenarioError(std::move(file), std::move(message), std::move(token), "well-formed JSON",
                       line, column);
}

ScenarioError ScenarioError::unreadable(std::string file) {
  return ScenarioError(std::move(file), "cannot open the file for reading", "", "a readable file",
                       0, 0);
}

namespace {

using nlohmann::json;

// ---------------------------------------------------------------------------------------------
// 2. Text parsing

// The parser's message without nlohmann's "[json.exception.parse_error.101] parse error at line
// L, column C: " prefix (we compute line and column ourselves, from the byte position), or
// without "[json.exception.out_of_range.406] " for a number too large for a double.
std::string parse_error_detail(const std::string& what) {
  std::string_view text = what;
  if (text.rfind("[json.exception.", 0) == 0) {
    if (auto end = text.find("] "); end != std::string_view::npos) text.remove_prefix(end + 2);
  }
  if (auto at = text.find("parse error"); at == 0) {
    text.remove_prefix(at);
    if (auto colon = text.find(": "); colon != std::string_view::npos) {
      text.remove_prefix(colon + 2);
    }
  }
  return std::string(text);
}

// Builds a json document from SAX events, like nlohmann's own parser, but stops at the first key
// that appears twice in one object (nlohmann would silently keep the last value).
class DocumentBuilder : public json::json_sax_t {
 public:
  struct SyntaxError {
    std::size_t position = 0;  // 1-based byte position of the offending character
    std::string token;         // the last token read
    std::string detail;        // the parser's message
  };

  json& root() { return root_; }
  [[nodiscard]] const std::optional<JsonPath>& duplicate_key() const { return duplicate_key_; }
  [[nodiscard]] const std::optional<SyntaxError>& syntax_error() const { return syntax_error_; }

  bool null() override { return add(json(nullptr)); }
  bool boolean(bool value) override { return add(json(value)); }
  bool number_integer(json::number_integer_t value) override { return add(json(value)); }
  bool number_unsigned(json::number_unsigned_t value) override { return add(json(value)); }
  bool number_float(json::number_float_t value, const json::string_t& /*text*/) override {
    return add(json(value));
  }
  bool string(json::string_t& value) override { return add(json(std::move(value))); }
  bool binary(json::binary_t& value) override { return add(json::binary(std::move(value))); }
  bool start_object(std::size_t /*elements*/) override { return open(json::object()); }
  bool end_object() override { return close(); }
  bool start_array(std::size_t /*elements*/) override { return open(json::array()); }
  bool end_array() override { return close(); }

  bool key(json::string_t& name) override {
    Frame& frame = stack_.back();
    if (frame.node->contains(name)) {
      duplicate_key_ = frame.path.field(name);
      return false;
    }
    frame.key = std::move(name);
    return true;
  }

  bool parse_error(std::size_t position, const std::string& last_token,
                   const json::exception& error) override {
    syntax_error_ = SyntaxError{position, last_token, parse_error_detail(error.what())};
    return false;
  }

 private:
  struct Frame {
    json* node;     // the open object or array (stable: its parent does not grow while it is open)
    JsonPath path;  // where it is
    std::string key;  // objects: the key whose value comes next
  };

  // Stores `value` at the current position; returns where it now lives and its path.
  std::pair<json*, JsonPath> place(json value) {
    if (stack_.empty()) {
      root_ = std::move(value);
      return {&root_, JsonPath()};
    }
    Frame& frame = stack_.back();
    if (frame.node->is_array()) {
      JsonPath path = frame.path.index(frame.node->size());
      frame.node->push_back(std::move(value));
      return {&frame.node->back(), std::move(path)};
    }
    json& slot = (*frame.node)[frame.key];
    slot = std::move(value);
    return {&slot, frame.path.field(frame.key)};
  }

  bool add(json value) {
    place(std::move(value));
    return true;
  }
  bool open(json container) {
    auto [node, path] = place(std::move(container));
    stack_.push_back(Frame{node, std::move(path), {}});
    return true;
  }
  bool close() {
    stack_.pop_back();
    return true;
  }

  json root_;
  std::vector<Frame> stack_;
  std::optional<JsonPath> duplicate_key_;
  std::optional<SyntaxError> syntax_error_;
};

// 1-based line and column (in bytes) of the character at 1-based byte `position` of `text`.
std::pair<int, int> line_and_column(std::string_view text, std::size_t position) {
  std::size_t offset = std::min(position == 0 ? 0 : position - 1, text.size());
  std::string_view before = text.substr(0, offset);
  auto line = static_cast<int>(std::count(before.begin(), before.end(), '\n')) + 1;
  std::size_t line_start = before.rfind('\n');
  line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
  auto column = static_cast<int>(offset - line_start) + 1;
  return {line, column};
}

// ---------------------------------------------------------------------------------------------
// 3. Message helpers and typed readers

constexpr std::int64_t kMaxMs = 1'000'000'000'000;  // 10^12 ms (~31 years): any larger is a typo
constexpr std::int64_t kMaxKafkaInt = std::numeric_limits<std::int32_t>::max();

std::string compact(const json& value) {
  std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
  constexpr std::size_t kMaxShown = 80;
  if (text.size() > kMaxShown) text = text.substr(0, kMaxShown - 3) + "...";
  return text;
}

std::string quote(std::string_view text) {
  return compact(json(std::string(text)));
}

std::string join(const std::vector<std::string_view>& items, std::string_view separator = ", ") {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += separator;
    out += items[i];
  }
  return out;
}

std::string join_quoted(const std::vector<std::string_view>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? " or " : ", ";
    out += quote(items[i]);
  }
  return out;
}

// Microseconds as a millisecond count for messages: 5000000 -> "5000", 2500 -> "2.5".
std::string format_ms(std::int64_t us) {
  std::string out = std::to_string(us / 1000);
  if (std::int64_t frac = us % 1000; frac != 0) {
    std::string digits = std::to_string(frac);
    digits.insert(0, 3 - digits.size(), '0');
    while (digits.back() == '0') digits.pop_back();
    out += "." + digits;
  }
  return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      std::size_t substitute = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      row[j] = std::min({above + 1, row[j - 1] + 1, substitute});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// " (did you mean "x"?)" when one of `options` is close to `got`, else "".
std::string did_you_mean(std::string_view got, const std::vector<std::string_view>& options) {
  std::string_view best;
  std::size_t best_distance = std::numeric_limits<std::size_t>::max();
  for (std::string_view option : options) {
    std::size_t distance = edit_distance(got, option);
    if (distance < best_distance) {
      best = option;
      best_distance = distance;
    }
  }
  std::size_t tolerated = std::max<std::size_t>(2, best.size() / 3);
  if (best_distance == 0 || best_distance > tolerated) return "";
  return " (did you mean " + quote(best) + "?)";
}

// Throws ScenarioErrors naming the scenario's source.
class Reporter {
 public:
  explicit Reporter(std::string source) : source_(std::move(source)) {}

  // `got` is the offending JSON value.
  [[noreturn]] void bad(const JsonPath& path, const json& got, const std::string& expected) const {
    throw ScenarioError(source_, path.str(), compact(got), expected);
  }
  // `got` is already rendered (e.g. `unknown field "x"`).
  [[noreturn]] void bad_text(const JsonPath& path, std::string got,
                             const std::string& expected) const {
    throw ScenarioError(source_, path.str(), std::move(got), expected);
  }
  [[noreturn]] void missing(const JsonPath& path, const std::string& expected) const {
    throw ScenarioError(source_, path.str(), std::string(ScenarioError::kMissing), expected);
  }

 private:
  std::string source_;
};

// A JSON object whose member names have been checked against a list of allowed fields.
class Object {
 public:
  // Throws unless `value` is an object whose members all appear in `allowed`. `what` names the
  // object in messages ("cluster", "a crash action").
  Object(const Reporter& reporter, const json& value, JsonPath path, std::string what,
         std::vector<std::string_view> allowed)
      : reporter_(reporter), value_(value), path_(std::move(path)) {
    if (!value.is_object()) {
      reporter.bad(path_, value, "an object with the fields " + join(allowed));
    }
    for (const auto& [name, member] : value.items()) {
      if (std::find(allowed.begin(), allowed.end(), name) != allowed.end()) continue;
      std::string expected = allowed.empty()
                                 ? "no fields in " + what
                                 : "one of the fields of " + what + ": " + join(allowed);
      reporter.bad_text(path_.field(name), "unknown field " + quote(name),
                        expected + did_you_mean(name, allowed));
    }
  }

  [[nodiscard]] const json* find(std::string_view name) const {
    auto it = value_.find(name);
    return it == value_.end() ? nullptr : &*it;
  }
  [[nodiscard]] const json& need(std::string_view name, const std::string& expected) const {
    const json* member = find(name);
    if (member == nullptr) reporter_.missing(at(name), expected);
    return *member;
  }
  [[nodiscard]] JsonPath at(std::string_view name) const { return path_.field(name); }
  [[nodiscard]] const JsonPath& path() const { return path_; }

 private:
  const Reporter& reporter_;
  const json& value_;
  JsonPath path_;
};

std::string int_range(std::int64_t lo, std::int64_t hi) {
  return "an integer in " + std::to_string(lo) + ".." + std::to_string(hi);
}

// An integer in [lo, hi] (lo >= 0 or hi <= INT64_MAX; floats such as 3.0 are rejected).
std::int64_t read_int(const Reporter& r, const json& value, const JsonPath& path, std::int64_t lo,
                      std::int64_t hi, const std::string& expected) {
  if (value.is_number_unsigned()) {
    auto u = value.get<std::uint64_t>();
    if (hi >= 0 && u <= static_cast<std::uint64_t>(hi) && static_cast<std::int64_t>(u) >= lo) {
      return static_cast<std::int64_t>(u);
    }
  } else if (value.is_number_integer()) {
    auto v = value.get<std::int64_t>();
    if (v >= lo && v <= hi) return v;
  }
  r.bad(path, value, expected);
}

std::int64_t read_int(const Reporter& r, const json& value, const JsonPath& path, std::int64_t lo,
                      std::int64_t hi) {
  return read_int(r, value, path, lo, hi, int_range(lo, hi));
}

std::uint64_t read_uint64(const Reporter& r, const json& value, const JsonPath& path,
                          std::uint64_t lo) {
  if (value.is_number_unsigned() && value.get<std::uint64_t>() >= lo) {
    return value.get<std::uint64_t>();
  }
  r.bad(path, value,
        "an integer in " + std::to_string(lo) + ".." +
            std::to_string(std::numeric_limits<std::uint64_t>::max()));
}

bool read_bool(const Reporter& r, const json& value, const JsonPath& path) {
  if (!value.is_boolean()) r.bad(path, value, "true or false");
  return value.get<bool>();
}

std::string read_string(const Reporter& r, const json& value, const JsonPath& path,
                        const std::string& expected, bool allow_empty) {
  if (!value.is_string() || (!allow_empty && value.get_ref<const std::string&>().empty())) {
    r.bad(path, value, expected);
  }
  return value.get<std::string>();
}

std::int64_t power_of_ten(int digits) {
  std::int64_t out = 1;
  for (int i = 0; i < digits; ++i) out *= 10;
  return out;
}

// `value` * 10^digits rounded to the nearest integer (halves up), for a finite 0 <= value <= 10^12.
// Works on the shortest decimal text of the double (what the user wrote), so 0.0015 ms is
// exactly 1.5 us and rounds to 2 us, where floating-point arithmetic could give 1.
std::int64_t scale_decimal(double value, int digits) {
  std::array<char, 512> buffer{};
  auto result =
      std::to_chars(buffer.data(), buffer.data() + buffer.size(), value, std::chars_format::fixed);
  std::string_view text(buffer.data(), static_cast<std::size_t>(result.ptr - buffer.data()));
  if (!text.empty() && text.front() == '-') text.remove_prefix(1);  // -0
  std::size_t i = 0;
  std::int64_t whole = 0;
  for (; i < text.size() && text[i] != '.'; ++i) whole = whole * 10 + (text[i] - '0');
  if (i < text.size()) ++i;  // the '.'
  std::int64_t fraction = 0;
  for (int taken = 0; taken < digits; ++taken) {
    int digit = i < text.size() ? text[i++] - '0' : 0;
    fraction = fraction * 10 + digit;
  }
  bool round_up = i < text.size() && text[i] >= '5';
  return whole * power_of_ten(digits) + fraction + (round_up ? 1 : 0);
}

// A number in [0, max_whole], returned times 10^digits, rounded to the nearest integer.
std::int64_t read_scaled(const Reporter& r, const json& value, const JsonPath& path, int digits,
                         std::int64_t max_whole, const std::string& expected) {
  if (value.is_number_unsigned()) {
    auto u = value.get<std::uint64_t>();
    if (u <= static_cast<std::uint64_t>(max_whole)) {
      return static_cast<std::int64_t>(u) * power_of_ten(digits);
    }
  } else if (value.is_number_integer()) {
    auto v = value.get<std::int64_t>();
    if (v >= 0 && v <= max_whole) return v * power_of_ten(digits);
  } else if (value.is_number_float()) {
    auto v = value.get<double>();
    if (std::isfinite(v) && v >= 0.0 && v <= static_cast<double>(max_whole)) {
      return scale_decimal(v, digits);
    }
  }
  r.bad(path, value, expected);
}

// How a millisecond value is bounded below.
enum class Lower { Zero, Positive };

// A (possibly fractional) number of milliseconds, returned in whole microseconds, within
// [0 or 1 us, max_us]. `expected` describes the accepted range.
std::int64_t read_ms(const Reporter& r, const json& value, const JsonPath& path, Lower lower,
                     std::int64_t max_us, const std::string& expected) {
  std::int64_t us = read_scaled(r, value, path, 3, kMaxMs, expected);
  if ((lower == Lower::Positive && us == 0) || us > max_us) r.bad(path, value, expected);
  return us;
}

std::string ms_expected(Lower lower) {
  return lower == Lower::Positive
             ? "a number of milliseconds > 0 (at least 1 microsecond after rounding, at most " +
                   format_ms(kMaxMs * 1000) + ")"
             : "a number of milliseconds >= 0 (at most " + format_ms(kMaxMs * 1000) + ")";
}

std::int64_t read_ms(const Reporter& r, const json& value, const JsonPath& path, Lower lower) {
  return read_ms(r, value, path, lower, kMaxMs * 1000, ms_expected(lower));
}

Ppm read_probability(const Reporter& r, const json& value, const JsonPath& path) {
  std::int64_t ppm = read_scaled(r, value, path, 6, 1, "a probability, a number in [0, 1]");
  if (ppm > Ppm::kOne) r.bad(path, value, "a probability, a number in [0, 1]");
  return Ppm{static_cast<std::uint32_t>(ppm)};
}

const json& read_array(const Reporter& r, const json& value, const JsonPath& path,
                       const std::string& expected) {
  if (!value.is_array()) r.bad(path, value, expected);
  return value;
}

std::string node_range(int node_count) {
  return "(0.." + std::to_string(node_count - 1) + ")";
}

NodeId read_node_id(const Reporter& r, const json& value, const JsonPath& path, int node_count) {
  std::string expected = "a node id " + node_range(node_count);
  return NodeId(static_cast<std::int32_t>(read_int(r, value, path, 0, node_count - 1, expected)));
}

// ---------------------------------------------------------------------------------------------
// 4. Sections

std::vector<std::string_view> top_level_fields() {
  return {"name",     "description", "seed", "cluster",     "network",
          "workload", "timeline",    "stop", "expectations"};
}

// Kafka config name -> field of RaftConfigValues, and its smallest valid value.
struct ConfigKey {
  std::string_view name;
  std::int64_t RaftConfigValues::*field;
  std::int64_t min;  // 1 for timeouts, 0 where Kafka allows 0
};

constexpr std::array<ConfigKey, 6> kConfigKeys = {{
    {"controller.quorum.election.timeout.ms", &RaftConfigValues::election_timeout_ms, 1},
    {"controller.quorum.fetch.timeout.ms", &RaftConfigValues::fetch_timeout_ms, 1},
    {"controller.quorum.election.backoff.max.ms", &RaftConfigValues::election_backoff_max_ms, 1},
    {"controller.quorum.request.timeout.ms", &RaftConfigValues::request_timeout_ms, 1},
    {"controller.quorum.retry.backoff.ms", &RaftConfigValues::retry_backoff_ms, 0},
    {"controller.quorum.append.linger.ms", &RaftConfigValues::append_linger_ms, 0},
}};

RaftConfigValues parse_config(const Reporter& r, const json& value, const JsonPath& path) {
  std::vector<std::string_view> names;
  for (const ConfigKey& key : kConfigKeys) names.push_back(key.name);
  if (!value.is_object()) r.bad(path, value, "an object of Kafka config names to integers");
  RaftConfigValues config;
  for (const auto& [name, setting] : value.items()) {
    auto key = std::find_if(kConfigKeys.begin(), kConfigKeys.end(),
                            [&](const ConfigKey& k) { return k.name == name; });
    if (key == kConfigKeys.end()) {
      r.bad_text(path.field(name), "unknown config " + quote(name),
                 "one of the supported Kafka configs: " + join(names) + did_you_mean(name, names));
    }
    std::string expected = int_range(key->min, kMaxKafkaInt) + " (milliseconds" +
                           (key->min > 0 ? ", a timeout must be positive)" : ")");
    config.*(key->field) = read_int(r, setting, path.field(name), key->min, kMaxKafkaInt, expected);
  }
  return config;
}

ClusterSpec parse_cluster(const Reporter& r, const json& value, const JsonPath& path) {
  Object obj(r, value, path, "cluster", {"controllers", "brokers", "config"});
  ClusterSpec cluster;
  cluster.controllers = static_cast<int>(
      read_int(r, obj.need("controllers", int_range(1, 9)), obj.at("controllers"), 1, 9));
  if (const json* brokers = obj.find("brokers")) {
    cluster.brokers = static_cast<int>(read_int(r, *brokers, obj.at("brokers"), 0, 64));
  }
  if (const json* config = obj.find("config")) {
    cluster.config = parse_config(r, *config, obj.at("config"));
  }
  return cluster;
}

StopSpec parse_stop(const Reporter& r, const json& value, const JsonPath& path) {
  Object obj(r, value, path, "stop", {"at_ms", "events_max"});
  StopSpec stop;
  if (const json* at = obj.find("at_ms")) {
    stop.at = Instant::from_us(read_ms(r, *at, obj.at("at_ms"), Lower::Positive));
  }
  if (const json* events = obj.find("events_max")) {
    stop.events_max = read_uint64(r, *events, obj.at("events_max"), 1);
  }
  return stop;
}

std::vector<std::string_view> distribution_names() {
  return {"constant", "uniform", "exponential"};
}

LatencySpec parse_latency(const Reporter& r, const json& value, const JsonPath& path) {
  std::string shapes =
      R"(an object: {"distribution": "constant", "ms": x}, {"distribution": "uniform", )"
      R"("min_ms": a, "max_ms": b} or {"distribution": "exponential", "min_ms": a, )"
      R"("mean_ms": m, "max_ms": cap})";
  if (!value.is_object()) r.bad(path, value, shapes);
  const std::vector<std::string_view> kinds = distribution_names();
  JsonPath kind_path = path.field("distribution");
  auto kind_it = value.find("distribution");
  if (kind_it == value.end()) {
    Object any(r, value, path, "a latency", {"distribution", "ms", "min_ms", "mean_ms", "max_ms"});
    r.missing(kind_path, join_quoted(kinds));
  }
  std::string kind = kind_it->is_string() ? kind_it->get<std::string>() : "";
  if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) {
    r.bad(kind_path, *kind_it, join_quoted(kinds) + did_you_mean(kind, kinds));
  }

  LatencySpec latency;
  std::string zero_ms = ms_expected(Lower::Zero);
  if (kind == "constant") {
    Object obj(r, value, path, "a constant latency", {"distribution", "ms"});
    latency.distribution = LatencySpec::Distribution::Constant;
    latency.min = Duration::micros(read_ms(r, obj.need("ms", zero_ms), obj.at("ms"), Lower::Zero));
    latency.max = latency.min;  // unused by Constant; keeps min <= max
    return latency;
  }
  bool uniform = kind == "uniform";
  Object obj(r, value, path, "an " + kind + " latency",
             uniform
                 ? std::vector<std::string_view>{"distribution", "min_ms", "max_ms"}
                 : std::vector<std::string_view>{"distribution", "min_ms", "mean_ms", "max_ms"});
  latency.distribution =
      uniform ? LatencySpec::Distribution::Uniform : LatencySpec::Distribution::Exponential;
  latency.min =
      Duration::micros(read_ms(r, obj.need("min_ms", zero_ms), obj.at("min_ms"), Lower::Zero));
  if (!uniform) {
    latency.mean = Duration::micros(read_ms(r, obj.need("mean_ms", ms_expected(Lower::Positive)),
                                            obj.at("mean_ms"), Lower::Positive));
  }
  std::string max_expected =
      "a number of milliseconds >= min_ms (" + format_ms(latency.min.us()) + ")";
  const json& max = obj.need("max_ms", max_expected);
  std::int64_t max_us = read_ms(r, max, obj.at("max_ms"), Lower::Zero);
  if (max_us < latency.min.us()) r.bad(obj.at("max_ms"), max, max_expected);
  latency.max = Duration::micros(max_us);
  return latency;
}

// Applies the optional "latency", "loss" and "duplicate" members of `obj` over `base`.
LinkSpec parse_link_fields(const Reporter& r, const Object& obj, LinkSpec base) {
  if (const json* latency = obj.find("latency")) {
    base.latency = parse_latency(r, *latency, obj.at("latency"));
  }
  if (const json* loss = obj.find("loss")) base.loss = read_probability(r, *loss, obj.at("loss"));
  if (const json* dup = obj.find("duplicate")) {
    base.duplicate = read_probability(r, *dup, obj.at("duplicate"));
  }
  return base;
}

void add_link(const Reporter& r, NetworkSpec& network,
              std::map<std::pair<int, int>, JsonPath>& seen, const LinkOverride& link,
              const JsonPath& path, const json& raw) {
  auto key = std::make_pair(link.from.value(), link.to.value());
  if (auto it = seen.find(key); it != seen.end()) {
    r.bad(path, raw,
          "each directed link at most once (" + it->second.str() + " already sets " +
              std::to_string(key.first) + " -> " + std::to_string(key.second) + ")");
  }
  seen.emplace(key, path);
  network.links.push_back(link);
}

NetworkSpec parse_network(const Reporter& r, const json& value, const JsonPath& path,
                          int node_count) {
  Object obj(r, value, path, "network", {"latency", "loss", "duplicate", "links"});
  NetworkSpec network;
  network.default_link = parse_link_fields(r, obj, LinkSpec{});
  const json* links = obj.find("links");
  if (links == nullptr) return network;
  read_array(r, *links, obj.at("links"), "an array of link overrides");
  std::map<std::pair<int, int>, JsonPath> seen;
  for (std::size_t i = 0; i < links->size(); ++i) {
    const json& raw = (*links)[i];
    Object link(r, raw, obj.at("links").index(i), obj.at("links").index(i).str(),
                {"from", "to", "latency", "loss", "duplicate", "bidirectional"});
    std::string id_expected = "a node id " + node_range(node_count);
    LinkOverride link_override;
    link_override.from =
        read_node_id(r, link.need("from", id_expected), link.at("from"), node_count);
    link_override.to = read_node_id(r, link.need("to", id_expected), link.at("to"), node_count);
    if (link_override.to == link_override.from) {
      r.bad(link.at("to"), link.need("to", ""),
            "a node other than \"from\" (" + std::to_string(link_override.from.value()) + ")");
    }
    if (link.find("latency") == nullptr && link.find("loss") == nullptr &&
        link.find("duplicate") == nullptr) {
      r.bad(link.path(), raw, "at least one of latency, loss, duplicate (else it changes nothing)");
    }
    link_override.spec = parse_link_fields(r, link, network.default_link);
    bool both_ways = false;
    if (const json* bidirectional = link.find("bidirectional")) {
      both_ways = read_bool(r, *bidirectional, link.at("bidirectional"));
    }
    add_link(r, network, seen, link_override, link.path(), raw);
    if (both_ways) {
      LinkOverride reverse{link_override.to, link_override.from, link_override.spec};
      add_link(r, network, seen, reverse, link.path(), raw);
    }
  }
  return network;
}

WorkloadSpec parse_workload(const Reporter& r, const json& value, const JsonPath& path) {
  Object obj(r, value, path, "workload",
             {"append_interval_ms", "records_per_append", "record_bytes"});
  WorkloadSpec workload;
  workload.enabled = true;
  workload.interval =
      Duration::micros(read_ms(r, obj.need("append_interval_ms", ms_expected(Lower::Positive)),
                               obj.at("append_interval_ms"), Lower::Positive));
  if (const json* records = obj.find("records_per_append")) {
    workload.records_per_append =
        static_cast<int>(read_int(r, *records, obj.at("records_per_append"), 1, 10'000));
  }
  if (const json* bytes = obj.find("record_bytes")) {
    workload.record_bytes =
        static_cast<int>(read_int(r, *bytes, obj.at("record_bytes"), 1, 1'048'576));
  }
  return workload;
}

// --- timeline ---

// One node selector as written in the file, kept for the cross-checks.
struct SelectorSite {
  NodeSelector selector;
  JsonPath path;
  std::string raw;        // compact JSON of what the file says
  std::size_t group = 0;  // Partition: which group it is in
};

struct ParsedAction {
  Action action;
  JsonPath path;                    // timeline[i]
  std::vector<SelectorSite> sites;  // node; or from, to; or every group member, in file order
};

constexpr std::array<ActionType, 9> kActionTypes = {
    ActionType::Crash, ActionType::Restart,   ActionType::Shutdown,
    ActionType::Isolate, ActionType::Partition, ActionType::Drop,
    ActionType::Heal,  ActionType::Pause,     ActionType::Resume};

std::vector<std::string_view> action_names() {
  std::vector<std::string_view> names;
  for (ActionType t : kActionTypes) names.push_back(to_string(t));
  return names;
}

bool targets_one_node(ActionType t) {
  return t == ActionType::Crash || t == ActionType::Restart || t == ActionType::Shutdown ||
         t == ActionType::Isolate || t == ActionType::Pause || t == ActionType::Resume;
}

std::vector<std::string_view> action_fields(std::optional<ActionType> type) {
  std::vector<std::string_view> fields = {"at_ms", "action", "label"};
  if (!type || targets_one_node(*type)) fields.emplace_back("node");
  if (!type || *type == ActionType::Partition) fields.emplace_back("groups");
  if (!type || *type == ActionType::Drop) {
    fields.emplace_back("from");
    fields.emplace_back("to");
  }
  return fields;
}

std::string article(std::string_view word) {
  bool vowel =
      !word.empty() && std::string_view("aeiou").find(word.front()) != std::string_view::npos;
  return std::string(vowel ? "an " : "a ") + std::string(word);
}

bool is_label_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.';
}

bool is_valid_label(std::string_view label) {
  return !label.empty() && std::all_of(label.begin(), label.end(), is_label_char);
}

constexpr const char* kLabelRule = "letters, digits, '_', '-' or '.', at least one";

std::string selector_expected(int node_count) {
  return "a node id " + node_range(node_count) + R"(, "leader", "follower" or "label:<name>")";
}

std::string restart_selector_expected(int node_count) {
  return "a node id " + node_range(node_count) +
         R"( or "label:<name>" of an earlier crash or shutdown (a restart targets a stopped )"
         R"(node, never "leader" or "follower"))";
}

// Reads a node selector (syntax only; labels are resolved by check_timeline).
SelectorSite read_selector(const Reporter& r, const json& value, const JsonPath& path,
                           int node_count, bool for_restart) {
  std::string expected =
      for_restart ? restart_selector_expected(node_count) : selector_expected(node_count);
  SelectorSite site{NodeSelector{}, path, compact(value), 0};
  if (value.is_number()) {
    site.selector.kind = NodeSelector::Kind::Id;
    site.selector.id =
        NodeId(static_cast<std::int32_t>(read_int(r, value, path, 0, node_count - 1, expected)));
    return site;
  }
  if (!value.is_string()) r.bad(path, value, expected);
  const auto& text = value.get_ref<const std::string&>();
  constexpr std::string_view kLabelPrefix = "label:";
  if (text.rfind(kLabelPrefix, 0) == 0) {
    std::string label = text.substr(kLabelPrefix.size());
    if (!is_valid_label(label)) {
      r.bad(path, value, R"("label:<name>" where <name> is )" + std::string(kLabelRule));
    }
    site.selector.kind = NodeSelector::Kind::Label;
    site.selector.label = std::move(label);
    return site;
  }
  if (!for_restart && text == "leader") {
    site.selector.kind = NodeSelector::Kind::Leader;
    return site;
  }
  if (!for_restart && text == "follower") {
    site.selector.kind = NodeSelector::Kind::Follower;
    return site;
  }
  std::vector<std::string_view> words = {"leader", "follower", "label:"};
  r.bad(path, value, expected + (for_restart ? "" : did_you_mean(text, words)));
}

ActionType read_action_type(const Reporter& r, const json& value, const JsonPath& path) {
  std::vector<std::string_view> names = action_names();
  if (value.is_string()) {
    for (ActionType t : kActionTypes) {
      if (to_string(t) == value.get_ref<const std::string&>()) return t;
    }
  }
  std::string got = value.is_string() ? value.get<std::string>() : "";
  r.bad(path, value, "one of " + join(names, "|") + did_you_mean(got, names));
}

void parse_groups(const Reporter& r, const Object& obj, int node_count, ParsedAction& out) {
  const std::string expected =
      "an array of at least two non-empty arrays of node selectors, e.g. [[0], [1, 2]]";
  const json& groups = read_array(r, obj.need("groups", expected), obj.at("groups"), expected);
  if (groups.size() < 2) r.bad(obj.at("groups"), groups, expected);
  for (std::size_t g = 0; g < groups.size(); ++g) {
    JsonPath group_path = obj.at("groups").index(g);
    const json& group = groups[g];
    if (!group.is_array() || group.empty()) {
      r.bad(group_path, group,
            "a non-empty array of node selectors (" + selector_expected(node_count) + ")");
    }
    out.action.groups.emplace_back();
    for (std::size_t m = 0; m < group.size(); ++m) {
      SelectorSite site = read_selector(r, group[m], group_path.index(m), node_count, false);
      site.group = g;
      out.action.groups.back().push_back(site.selector);
      out.sites.push_back(std::move(site));
    }
  }
}

ParsedAction parse_action(const Reporter& r, const json& value, const JsonPath& path,
                          std::size_t index, int node_count, const StopSpec& stop) {
  if (!value.is_object()) {
    r.bad(path, value, R"(an action object, e.g. {"at_ms": 5000, "action": "crash", "node": 0})");
  }
  const std::string type_expected = "one of " + join(action_names(), "|");
  auto type_it = value.find("action");
  if (type_it == value.end()) {
    Object any(r, value, path, "an action", action_fields(std::nullopt));
    r.missing(path.field("action"), type_expected);
  }
  ActionType type = read_action_type(r, *type_it, path.field("action"));
  Object obj(r, value, path, article(std::string(to_string(type))) + " action",
             action_fields(type));

  ParsedAction out;
  out.path = path;
  out.action.type = type;
  out.action.index = index;
  std::string at_expected =
      "a time in milliseconds in [0, " + format_ms(stop.at.us()) + "] (not after stop.at_ms)";
  out.action.at = Instant::from_us(read_ms(r, obj.need("at_ms", at_expected), obj.at("at_ms"),
                                           Lower::Zero, stop.at.us(), at_expected));
  if (const json* label = obj.find("label")) {
    out.action.label =
        read_string(r, *label, obj.at("label"), std::string("a label: ") + kLabelRule, false);
    if (!is_valid_label(out.action.label)) {
      r.bad(obj.at("label"), *label, std::string("a label: ") + kLabelRule);
    }
  }
  if (targets_one_node(type)) {
    bool restart = type == ActionType::Restart;
    std::string expected =
        restart ? restart_selector_expected(node_count) : selector_expected(node_count);
    SelectorSite site =
        read_selector(r, obj.need("node", expected), obj.at("node"), node_count, restart);
    out.action.node = site.selector;
    out.sites.push_back(std::move(site));
  } else if (type == ActionType::Partition) {
    parse_groups(r, obj, node_count, out);
  } else if (type == ActionType::Drop) {
    for (std::string_view end : {"from", "to"}) {
      SelectorSite site = read_selector(r, obj.need(end, selector_expected(node_count)),
                                        obj.at(end), node_count, false);
      (end == "from" ? out.action.from : out.action.to) = site.selector;
      out.sites.push_back(std::move(site));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// 5. Timeline cross-checks

std::string describe_action(const ParsedAction& a) {
  return a.path.str() + " (" + std::string(to_string(a.action.type)) + " at " +
         format_ms(a.action.at.us()) + " ms)";
}

std::string list_labels(const std::map<std::string, std::size_t>& labels) {
  if (labels.empty()) return "the timeline has no labels";
  std::vector<std::string_view> names;
  for (const auto& entry : labels) names.push_back(entry.first);
  return "labels: " + join_quoted(names);
}

std::vector<std::string_view> label_names(const std::map<std::string, std::size_t>& labels) {
  std::vector<std::string_view> names;
  for (const auto& entry : labels) names.push_back(entry.first);
  return names;
}

// Walks the timeline in run order, checking label references, partitions, drops and restarts.
class TimelineChecker {
 public:
  TimelineChecker(const Reporter& r, const std::vector<ParsedAction>& actions,
                  const std::vector<std::size_t>& run_order,
                  const std::map<std::string, std::size_t>& labels, int node_count)
      : r_(r),
        actions_(actions),
        run_order_(run_order),
        labels_(labels),
        run_position_(actions.size()),
        resolved_(actions.size()),
        state_(static_cast<std::size_t>(node_count), Liveness::Running),
        changed_by_(static_cast<std::size_t>(node_count)) {
    for (std::size_t k = 0; k < run_order.size(); ++k) run_position_[run_order[k]] = k;
  }

  void check() {
    for (std::size_t k = 0; k < run_order_.size(); ++k) {
      const ParsedAction& a = actions_[run_order_[k]];
      for (const SelectorSite& site : a.sites) check_label_reference(a, k, site);
      switch (a.action.type) {
        case ActionType::Partition: check_partition(a); break;
        case ActionType::Drop: check_drop(a); break;
        case ActionType::Crash:
        case ActionType::Shutdown: check_stop(a); break;
        case ActionType::Restart: check_restart(a); break;
        case ActionType::Isolate:
        case ActionType::Heal:
        case ActionType::Pause:
        case ActionType::Resume: break;
      }
      if (targets_one_node(a.action.type)) {
        resolved_[a.action.index] = resolve(a.sites.front().selector);
      }
    }
  }

 private:
  // What the file tells about a node at this point of the timeline.
  enum class Liveness { Running, Stopped, Unknown };

  void check_label_reference(const ParsedAction& a, std::size_t position,
                             const SelectorSite& site) const {
    if (site.selector.kind != NodeSelector::Kind::Label) return;
    const std::string& label = site.selector.label;
    std::string expected = a.action.type == ActionType::Restart
                               ? "the label of an earlier crash or shutdown"
                               : "the label of an earlier action that targets one node";
    auto it = labels_.find(label);
    if (it == labels_.end()) {
      r_.bad_text(site.path, site.raw,
                  expected + "; no action is labelled " + quote(label) + " (" +
                      list_labels(labels_) + ")" + did_you_mean(label, label_names(labels_)));
    }
    const ParsedAction& target = actions_[it->second];
    if (run_position_[it->second] >= position) {
      std::string when = &target == &a ? "which is this action itself"
                                       : "which does not run before " + describe_action(a);
      r_.bad_text(
          site.path, site.raw,
          expected + "; " + quote(label) + " labels " + describe_action(target) + ", " + when);
    }
    bool fits = a.action.type == ActionType::Restart ? (target.action.type == ActionType::Crash ||
                                                        target.action.type == ActionType::Shutdown)
                                                     : targets_one_node(target.action.type);
    if (!fits) {
      r_.bad_text(site.path, site.raw,
                  expected + "; " + quote(label) + " labels " + describe_action(target));
    }
  }

  // The node id a selector surely names, if the file alone determines it.
  [[nodiscard]] std::optional<NodeId> resolve(const NodeSelector& s) const {
    if (s.kind == NodeSelector::Kind::Id) return s.id;
    if (s.kind == NodeSelector::Kind::Label) return resolved_[labels_.at(s.label)];
    return std::nullopt;
  }

  // Two selectors naming the same node for sure compare equal under this key.
  [[nodiscard]] std::string identity(const NodeSelector& s) const {
    if (auto id = resolve(s)) return "node " + std::to_string(id->value());
    if (s.kind == NodeSelector::Kind::Leader) return "\"leader\"";
    if (s.kind == NodeSelector::Kind::Follower) return "\"follower\"";
    return quote("label:" + s.label);
  }

  void check_partition(const ParsedAction& a) const {
    std::map<std::string, const SelectorSite*> seen;
    for (const SelectorSite& site : a.sites) {
      std::string who = identity(site.selector);
      auto [it, fresh] = seen.emplace(who, &site);
      if (fresh) continue;
      std::string where = it->second->group == site.group
                              ? "listed twice in this group"
                              : "already in groups[" + std::to_string(it->second->group) + "]";
      r_.bad_text(site.path, site.raw,
                  "a node that is in no other group (" + who + " is " + where + ")");
    }
  }

  void check_drop(const ParsedAction& a) const {
    const SelectorSite& from = a.sites[0];
    const SelectorSite& to = a.sites[1];
    if (identity(from.selector) == identity(to.selector)) {
      r_.bad_text(to.path, to.raw,
                  "a node other than \"from\" (both name " + identity(to.selector) + ")");
    }
  }

  void check_stop(const ParsedAction& a) {
    std::optional<NodeId> id = resolve(a.sites.front().selector);
    if (!id) {  // "leader", "follower" or an unresolved label: any running node may stop
      for (Liveness& s : state_) {
        if (s == Liveness::Running) s = Liveness::Unknown;
      }
      return;
    }
    auto n = static_cast<std::size_t>(id->value());
    if (state_[n] == Liveness::Stopped) {
      r_.bad_text(a.sites.front().path, a.sites.front().raw,
                  "a running node (node " + std::to_string(id->value()) +
                      " is already stopped by " + describe_action(*changed_by_[n]) + ")");
    }
    state_[n] = Liveness::Stopped;
    changed_by_[n] = &a;
  }

  void check_restart(const ParsedAction& a) {
    std::optional<NodeId> id = resolve(a.sites.front().selector);
    if (!id) {  // restarts whatever an unresolved crash stopped
      for (Liveness& s : state_) {
        if (s == Liveness::Stopped) s = Liveness::Unknown;
      }
      return;
    }
    auto n = static_cast<std::size_t>(id->value());
    if (state_[n] == Liveness::Running) {
      std::string why =
          changed_by_[n] == nullptr
              ? "no earlier action crashes or shuts down node " + std::to_string(id->value())
              : "node " + std::to_string(id->value()) + " is already restarted by " +
                    describe_action(*changed_by_[n]);
      r_.bad_text(a.sites.front().path, a.sites.front().raw,
                  "a node that an earlier crash or shutdown stopped (" + why + ")");
    }
    state_[n] = Liveness::Running;
    changed_by_[n] = &a;
  }

  const Reporter& r_;
  const std::vector<ParsedAction>& actions_;
  const std::vector<std::size_t>& run_order_;
  const std::map<std::string, std::size_t>& labels_;
  std::vector<std::size_t> run_position_;        // file index -> position in run order
  std::vector<std::optional<NodeId>> resolved_;  // file index -> node it surely targets
  std::vector<Liveness> state_;                  // node id -> liveness so far
  std::vector<const ParsedAction*> changed_by_;  // node id -> last action that stopped/restarted it
};

std::vector<Action> parse_timeline(const Reporter& r, const json& value, const JsonPath& path,
                                   int node_count, const StopSpec& stop,
                                   std::map<std::string, std::size_t>& labels) {
  read_array(r, value, path, "an array of actions");
  std::vector<ParsedAction> actions;
  for (std::size_t i = 0; i < value.size(); ++i) {
    actions.push_back(parse_action(r, value[i], path.index(i), i, node_count, stop));
    const Action& action = actions.back().action;
    if (action.label.empty()) continue;
    auto [it, fresh] = labels.emplace(action.label, i);
    if (!fresh) {
      r.bad(path.index(i).field("label"), json(action.label),
            "a label not used by another action (" + path.index(it->second).str() +
                " already has it)");
    }
  }
  std::vector<std::size_t> run_order(actions.size());
  for (std::size_t i = 0; i < run_order.size(); ++i) run_order[i] = i;
  std::stable_sort(run_order.begin(), run_order.end(), [&](std::size_t a, std::size_t b) {
    return actions[a].action.at < actions[b].action.at;
  });
  TimelineChecker(r, actions, run_order, labels, node_count).check();

  std::vector<Action> timeline;
  for (std::size_t i : run_order) timeline.push_back(actions[i].action);
  return timeline;
}

// --- expectations ---

constexpr std::array<ExpectationType, 7> kExpectationTypes = {
    ExpectationType::LeaderElectedWithin, ExpectationType::LeaderAtEnd,
    ExpectationType::NoLeaderAtEnd,       ExpectationType::HighWatermarkAtLeast,
    ExpectationType::CaughtUpAtEnd,       ExpectationType::NoProgressBetween,
    ExpectationType::ProgressBetween};

std::vector<std::string_view> expectation_fields(ExpectationType t) {
  switch (t) {
    case ExpectationType::LeaderElectedWithin: return {"type", "after", "within_ms"};
    case ExpectationType::HighWatermarkAtLeast: return {"type", "value", "nodes"};
    case ExpectationType::NoProgressBetween:
    case ExpectationType::ProgressBetween: return {"type", "from_ms", "to_ms"};
    case ExpectationType::CaughtUpAtEnd: return {"type", "max_lag_ms"};
    case ExpectationType::LeaderAtEnd:
    case ExpectationType::NoLeaderAtEnd: break;
  }
  return {"type"};
}

ExpectationType read_expectation_type(const Reporter& r, const json& value, const JsonPath& path) {
  std::vector<std::string_view> names;
  for (ExpectationType t : kExpectationTypes) names.push_back(to_string(t));
  if (value.is_string()) {
    for (ExpectationType t : kExpectationTypes) {
      if (to_string(t) == value.get_ref<const std::string&>()) return t;
    }
  }
  std::string got = value.is_string() ? value.get<std::string>() : "";
  r.bad(path, value, "one of " + join(names, "|") + did_you_mean(got, names));
}

std::vector<NodeId> read_node_list(const Reporter& r, const json& value, const JsonPath& path,
                                   int node_count) {
  std::string expected = "a non-empty array of distinct node ids " + node_range(node_count) +
                         " (leave \"nodes\" out to mean every running node)";
  if (!value.is_array() || value.empty()) r.bad(path, value, expected);
  std::vector<NodeId> nodes;
  for (std::size_t i = 0; i < value.size(); ++i) {
    NodeId id = read_node_id(r, value[i], path.index(i), node_count);
    if (std::find(nodes.begin(), nodes.end(), id) != nodes.end()) {
      r.bad(path.index(i), value[i], "a node id not already in the list");
    }
    nodes.push_back(id);
  }
  return nodes;
}

std::string describe_nodes(const std::vector<NodeId>& nodes) {
  if (nodes.empty()) return "every running node";
  std::string out = "every running node of ";
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    out += (i == 0 ? "" : ", ") + std::to_string(nodes[i].value());
  }
  return out;
}

// Context an expectation is checked against.
struct ExpectationContext {
  int node_count;
  const StopSpec& stop;
  const std::map<std::string, std::size_t>& labels;
};

Expectation parse_expectation(const Reporter& r, const json& value, const JsonPath& path,
                              std::size_t index, const ExpectationContext& ctx) {
  if (!value.is_object()) {
    r.bad(path, value, R"(an expectation object, e.g. {"type": "leader_at_end"})");
  }
  std::vector<std::string_view> names;
  for (ExpectationType t : kExpectationTypes) names.push_back(to_string(t));
  std::string type_expected = "one of " + join(names, "|");
  auto type_it = value.find("type");
  if (type_it == value.end()) {  // a misspelt "type" key is reported as an unknown field first
    Object any(r, value, path, "an expectation",
               {"type", "after", "within_ms", "value", "nodes", "from_ms", "to_ms", "max_lag_ms"});
    r.missing(path.field("type"), type_expected);
  }
  Expectation e;
  e.index = index;
  e.type = read_expectation_type(r, *type_it, path.field("type"));
  Object obj(r, value, path, article(std::string(to_string(e.type))) + " expectation",
             expectation_fields(e.type));
  switch (e.type) {
    case ExpectationType::LeaderElectedWithin: {
      e.after_label = read_string(r, obj.need("after", "the label of a timeline action"),
                                  obj.at("after"), "the label of a timeline action", false);
      if (ctx.labels.count(e.after_label) == 0) {
        r.bad(obj.at("after"), json(e.after_label),
              "the label of a timeline action (" + list_labels(ctx.labels) + ")" +
                  did_you_mean(e.after_label, label_names(ctx.labels)));
      }
      e.within = Duration::micros(read_ms(r, obj.need("within_ms", ms_expected(Lower::Positive)),
                                          obj.at("within_ms"), Lower::Positive));
      e.description = "a leader of a newer epoch commits within " + format_ms(e.within.us()) +
                      " ms of '" + e.after_label + "'";
      break;
    }
    case ExpectationType::LeaderAtEnd:
      e.description = "at the end a running leader has committed in its epoch";
      break;
    case ExpectationType::NoLeaderAtEnd:
      e.description = "at the end no running node is a leader able to commit";
      break;
    case ExpectationType::HighWatermarkAtLeast: {
      e.value =
          read_int(r, obj.need("value", int_range(0, std::numeric_limits<std::int64_t>::max())),
                   obj.at("value"), 0, std::numeric_limits<std::int64_t>::max());
      if (const json* nodes = obj.find("nodes")) {
        e.nodes = read_node_list(r, *nodes, obj.at("nodes"), ctx.node_count);
      }
      e.description = "at the end " + describe_nodes(e.nodes) +
                      " has a high watermark >= " + std::to_string(e.value);
      break;
    }
    case ExpectationType::CaughtUpAtEnd: {
      // Followers learn the HW one fetch after the leader, so under a steady load they always
      // trail it slightly: "caught up" means reaching the leader's HW of max_lag_ms earlier.
      e.within = Duration::millis(1000);
      if (obj.find("max_lag_ms") != nullptr) {
        e.within = Duration::micros(read_ms(r, *obj.find("max_lag_ms"), obj.at("max_lag_ms"),
                                            Lower::Zero));
      }
      e.description = "at the end every running node's high watermark has reached the leader's of " +
                      format_ms(e.within.us()) + " ms earlier";
      break;
    }
    case ExpectationType::NoProgressBetween:
    case ExpectationType::ProgressBetween: {
      std::string stop_ms = format_ms(ctx.stop.at.us());
      std::string from_expected = "a time in milliseconds in [0, " + stop_ms + ")";
      std::int64_t from = read_ms(r, obj.need("from_ms", from_expected), obj.at("from_ms"),
                                  Lower::Zero, ctx.stop.at.us() - 1, from_expected);
      std::string to_expected = "a time in milliseconds in (from_ms, stop.at_ms] = (" +
                                format_ms(from) + ", " + stop_ms + "]";
      const json& to_value = obj.need("to_ms", to_expected);
      std::int64_t to =
          read_ms(r, to_value, obj.at("to_ms"), Lower::Zero, ctx.stop.at.us(), to_expected);
      if (to <= from) r.bad(obj.at("to_ms"), to_value, to_expected);
      e.from = Instant::from_us(from);
      e.to = Instant::from_us(to);
      bool grows = e.type == ExpectationType::ProgressBetween;
      e.description = std::string("the highest high watermark ") +
                      (grows ? "grows" : "does not grow") + " between " + format_ms(from) +
                      " ms and " + format_ms(to) + " ms";
      break;
    }
  }
  return e;
}

std::vector<Expectation> parse_expectations(const Reporter& r, const json& value,
                                            const JsonPath& path, const ExpectationContext& ctx) {
  read_array(r, value, path, "an array of expectations");
  std::vector<Expectation> out;
  std::optional<std::size_t> leader_at_end;
  std::optional<std::size_t> no_leader_at_end;
  for (std::size_t i = 0; i < value.size(); ++i) {
    out.push_back(parse_expectation(r, value[i], path.index(i), i, ctx));
    if (out.back().type == ExpectationType::LeaderAtEnd) leader_at_end = i;
    if (out.back().type == ExpectationType::NoLeaderAtEnd) no_leader_at_end = i;
    if (leader_at_end && no_leader_at_end) {
      std::size_t other =
          out.back().type == ExpectationType::LeaderAtEnd ? *no_leader_at_end : *leader_at_end;
      r.bad(path.index(i).field("type"), json(to_string(out.back().type)),
            "an expectation that does not contradict " + path.index(other).str() + " (" +
                std::string(to_string(out[other].type)) + ")");
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// 6. The whole document

Scenario parse_document(const Reporter& r, const json& doc, const std::string& source_name) {
  Object top(r, doc, JsonPath(), "the scenario", top_level_fields());
  Scenario s;
  s.source_path = source_name;
  s.name = read_string(r, top.need("name", "a non-empty string"), top.at("name"),
                       "a non-empty string", false);
  s.description =
      read_string(r, top.need("description", "a string"), top.at("description"), "a string", true);
  if (const json* seed = top.find("seed")) s.seed = read_uint64(r, *seed, top.at("seed"), 0);
  s.cluster =
      parse_cluster(r, top.need("cluster", R"(an object such as {"controllers": 3, "brokers": 2})"),
                    top.at("cluster"));
  int node_count = s.cluster.node_count();
  if (const json* stop = top.find("stop")) s.stop = parse_stop(r, *stop, top.at("stop"));
  if (const json* network = top.find("network")) {
    s.network = parse_network(r, *network, top.at("network"), node_count);
  }
  if (const json* workload = top.find("workload")) {
    s.workload = parse_workload(r, *workload, top.at("workload"));
  }
  std::map<std::string, std::size_t> labels;
  if (const json* timeline = top.find("timeline")) {
    s.timeline = parse_timeline(r, *timeline, top.at("timeline"), node_count, s.stop, labels);
  }
  if (const json* expectations = top.find("expectations")) {
    s.expectations = parse_expectations(r, *expectations, top.at("expectations"),
                                        ExpectationContext{node_count, s.stop, labels});
  }
  return s;
}

}  // namespace

Scenario parse_scenario(const json& doc, const std::string& source_name) {
  return parse_document(Reporter(source_name), doc, source_name);
}

Scenario parse_scenario_text(std::string_view text, const std::string& source_name) {
  DocumentBuilder builder;
  bool ok = json::sax_parse(text.begin(), text.end(), &builder, json::input_format_t::json,
                            /*strict=*/true, /*ignore_comments=*/false);
  if (!ok) {
    if (const auto& dup = builder.duplicate_key()) {
      throw ScenarioError(source_name, dup->str(), "a second value for this key",
                          "each key at most once per object");
    }
    const auto& error = builder.syntax_error();
    std::size_t position = error ? error->position : 0;
    auto [line, column] = line_and_column(text, position);
    throw ScenarioError::malformed(source_name, line, column, error ? error->token : "",
                                   error ? error->detail : "unknown syntax error");
  }
  return parse_scenario(builder.root(), source_name);
}

Scenario load_scenario_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ScenarioError::unreadable(path);
  std::ostringstream contents;
  contents << in.rdbuf();
  if (in.bad()) throw ScenarioError::unreadable(path);
  return parse_scenario_text(contents.str(), path);
}

}  // namespace sim
