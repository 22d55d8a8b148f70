// Loading a Scenario (scenario.hh) from its JSON form, with precise errors.
//
// The format is documented in scenarios/README.md and scenarios/schema.json; this loader is the
// enforcer. It rejects anything it does not understand: unknown fields at every level, wrong types,
// out-of-range values, unknown node ids, labels or Kafka config names, forward label references,
// inconsistent timelines and so on. Nothing is silently ignored or clamped.
//
// Conversions (exact, no floating-point arithmetic on the values):
//  * a `..._ms` time value may be fractional; it is rounded to the nearest whole microsecond
//    (halves round up), from the shortest decimal form of the number (what the user typed);
//  * a probability in [0, 1] is rounded to the nearest part per million (Ppm), the same way.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>

#include "sim/scenario/scenario.hh"

namespace sim {

// Everything that can be wrong with a scenario. what() reads, for a bad value:
//   scenarios/x.json: timeline[2].node: got "leder", expected a node id (0..4), "leader", ...
// for a missing field:
//   scenarios/x.json: cluster.controllers: missing, expected an integer in 1..9
// for malformed JSON text:
//   scenarios/x.json: line 3, column 14: malformed JSON: syntax error while parsing ...
// and for an unreadable file:
//   scenarios/x.json: cannot open the file for reading
class ScenarioError : public std::runtime_error {
 public:
  // What `got()` holds when a required field is absent.
  static constexpr std::string_view kMissing = "missing";

  // A bad (or missing: got == kMissing) value at `path` (JsonPath::str(), "" for the root).
  // `got` is the offending value as compact JSON text, or a short phrase such as
  // `unknown field "x"`; `expected` says what would have been accepted.
  ScenarioError(std::string file, std::string path, std::string got, std::string expected);

  // Malformed JSON text at 1-based `line` and `column` (in bytes), with the parser's `detail`.
  static ScenarioError malformed(std::string file, int line, int column, std::string token,
                                 const std::string& detail);
  // The file could not be opened or read.
  static ScenarioError unreadable(std::string file);

  [[nodiscard]] const std::string& file() const { return file_; }
  // JSON path of the bad value ("" for the root, for malformed text and unreadable files).
  [[nodiscard]] const std::string& path() const { return path_; }
  // The bad value as compact JSON (strings quoted), kMissing, or a short phrase.
  [[nodiscard]] const std::string& got() const { return got_; }
  // What was expected instead.
  [[nodiscard]] const std::string& expected() const { return expected_; }
  // 1-based position of a JSON syntax error; 0 for every other kind of error.
  [[nodiscard]] int line() const { return line_; }
  [[nodiscard]] int column() const { return column_; }

 private:
  ScenarioError(std::string file, std::string message, std::string got, std::string expected,
                int line, int column);
  std::string file_;
  std::string path_;
  std::string got_;
  std::string expected_;
  int line_ = 0;
  int column_ = 0;
};

// Reads and parses the scenario file at `path`. The file name in errors and
// Scenario::source_path is `path` as given.
Scenario load_scenario_file(const std::string& path);

// Parses scenario JSON text. `source_name` names it in errors and becomes Scenario::source_path.
// Besides JSON syntax, rejects duplicate keys within one object (nlohmann would keep the last).
Scenario parse_scenario_text(std::string_view text, const std::string& source_name);

// Validates and converts an already parsed document. `source_name` names it in errors and
// becomes Scenario::source_path.
Scenario parse_scenario(const nlohmann::json& doc, const std::string& source_name);

}  // namespace sim
