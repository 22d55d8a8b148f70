// Generic reading of the scenario JSON, for the scenario loader (scenario_loader.hh); internal to
// it. Holds:
//   * the message helpers (compact JSON, quoting, joining lists, milliseconds, "did you mean");
//   * Reporter, which throws ScenarioErrors naming the scenario file;
//   * Object, a JSON object whose member names are checked against the allowed fields;
//   * the typed readers (integers, booleans, strings, milliseconds, probabilities, arrays).
// Every reader either returns a valid value or throws a ScenarioError through the Reporter.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/scenario/json_path.hh"
#include "sim/scenario/scenario.hh"
#include "sim/scenario/scenario_loader.hh"

namespace sim::scenario_detail {

using nlohmann::json;

// ---------------------------------------------------------------------------------------------
// Message helpers

// `value` as compact JSON text, cut to 80 characters ("..." at the end) if longer.
std::string compact(const json& value);

// `text` as a (compact) JSON string literal: "text".
std::string quote(std::string_view text);

// The items separated by `separator`: "a, b, c".
std::string join(const std::vector<std::string_view>& items, std::string_view separator = ", ");

// The items quoted, the last one after "or": "\"a\", \"b\" or \"c\"".
std::string join_quoted(const std::vector<std::string_view>& items);

// Microseconds as a millisecond count for messages: 5000000 -> "5000", 2500 -> "2.5".
std::string format_ms(std::int64_t us);

// " (did you mean "x"?)" when one of `options` is close to `got`, else "".
std::string did_you_mean(std::string_view got, const std::vector<std::string_view>& options);

// `word` with its indefinite article: "a crash", "an isolate".
std::string article(std::string_view word);

// "an integer in lo..hi".
std::string int_range(std::int64_t lo, std::int64_t hi);

// ---------------------------------------------------------------------------------------------
// Reporting and objects

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
  // A required field is absent.
  [[noreturn]] void missing(const JsonPath& path, const std::string& expected) const {
    throw ScenarioError(source_, path.str(), std::string(ScenarioError::kMissing), expected);
  }

 private:
  std::string source_;
};

// A JSON object whose member names have been checked against a list of allowed fields.
// Refers to `reporter` and `value`, which must outlive it.
class Object {
 public:
  // Throws unless `value` is an object whose members all appear in `allowed`. `what` names the
  // object in messages ("cluster", "a crash action").
  Object(const Reporter& reporter, const json& value, JsonPath path, std::string what,
         std::vector<std::string_view> allowed);

  // The member `name`, or nullptr if absent.
  [[nodiscard]] const json* find(std::string_view name) const {
    auto it = value_.find(name);
    return it == value_.end() ? nullptr : &*it;
  }
  // The member `name`; throws "missing, expected <expected>" if absent.
  [[nodiscard]] const json& need(std::string_view name, const std::string& expected) const {
    const json* member = find(name);
    if (member == nullptr) reporter_.missing(at(name), expected);
    return *member;
  }
  // The path of member `name`.
  [[nodiscard]] JsonPath at(std::string_view name) const { return path_.field(name); }
  // The path of the object itself.
  [[nodiscard]] const JsonPath& path() const { return path_; }

 private:
  const Reporter& reporter_;
  const json& value_;
  JsonPath path_;
};

// ---------------------------------------------------------------------------------------------
// Typed readers: each returns the value at `path` or throws "got <value>, expected <expected>".

// An integer in [lo, hi] (lo >= 0 or hi <= INT64_MAX; floats such as 3.0 are rejected).
std::int64_t read_int(const Reporter& r, const json& value, const JsonPath& path, std::int64_t lo,
                      std::int64_t hi, const std::string& expected);

// The same, with int_range(lo, hi) as the expectation.
std::int64_t read_int(const Reporter& r, const json& value, const JsonPath& path, std::int64_t lo,
                      std::int64_t hi);

// An integer in [lo, UINT64_MAX].
std::uint64_t read_uint64(const Reporter& r, const json& value, const JsonPath& path,
                          std::uint64_t lo);

// true or false.
bool read_bool(const Reporter& r, const json& value, const JsonPath& path);

// A string (non-empty unless `allow_empty`).
std::string read_string(const Reporter& r, const json& value, const JsonPath& path,
                        const std::string& expected, bool allow_empty);

// How a millisecond value is bounded below.
enum class Lower { Zero, Positive };

// A (possibly fractional) number of milliseconds, returned in whole microseconds, within
// [0 or 1 us, max_us]. `expected` describes the accepted range.
std::int64_t read_ms(const Reporter& r, const json& value, const JsonPath& path, Lower lower,
                     std::int64_t max_us, const std::string& expected);

// What a millisecond value bounded by `lower` (and at most 10^12 ms) must be, for messages.
std::string ms_expected(Lower lower);

// A number of milliseconds in [0 or 1 us, 10^12 ms], in whole microseconds.
std::int64_t read_ms(const Reporter& r, const json& value, const JsonPath& path, Lower lower);

// A probability in [0, 1], rounded to the nearest part per million.
Ppm read_probability(const Reporter& r, const json& value, const JsonPath& path);

// `value` itself, if it is an array.
const json& read_array(const Reporter& r, const json& value, const JsonPath& path,
                       const std::string& expected);

}  // namespace sim::scenario_detail
