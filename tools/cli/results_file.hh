// The fuzz results file (`kraftsim fuzz --results FILE`, `kraftsim merge`): JSON Lines, one object
// per seed, sorted by seed. Fields of a line (README.md, "Fuzzing", documents them too):
//
//   seed            unsigned integer: the seed
//   budget          "within" | "beyond": the fault budget (sim/fuzz/generator.hh)
//   settings        object: every drawn setting (sim::fuzz::FuzzCase::settings); null when unknown
//   outcome         string: the class (sim/fuzz/outcome.hh): "pass", "safety:<Invariant>",
//                   "liveness:<expectation>", "events_max" or "error"
//   invariant       string: the invariant or expectation name alone; "" for pass and events_max
//   detail          string: what was observed ("" for pass)
//   events          unsigned integer: events the run processed
//   trace_hash      string: "0x" + 16 hex digits, as the run summary prints it
//   sim_time_ms     number: simulated time at the end of the run (ms, microsecond precision)
//   wall_ms         number: wall time the seed took in its worker (ms): drawing, running, and for
//                   a failure writing, replaying and shrinking its reproduction
//   reproduction    string | null: the reproduction file written for a failure
//   shrunk          string | null: the shrunk reproduction file
//   shrunk_actions  unsigned integer | null: actions left in the shrunk reproduction
//   replays         bool | null: whether the reproduction file replayed with the same class and
//                   trace hash (null when no reproduction was written)
//
// Reading (merge) checks only what the summary needs: every line is an object with "seed" (an
// unsigned integer) and "outcome" (a class), and "wall_ms", when present, a number.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kraftsim::cli {

// The values of one results line, before it is written.
struct SeedRecord {
  std::uint64_t seed = 0;
  std::string budget;
  nlohmann::json settings;  // null when unknown
  std::string outcome = "pass";
  std::string invariant;
  std::string detail;
  std::uint64_t events = 0;
  std::uint64_t trace_hash = 0;
  double sim_time_ms = 0;
  double wall_ms = 0;
  std::optional<std::string> reproduction;
  std::optional<std::string> shrunk;
  std::optional<std::size_t> shrunk_actions;
  std::optional<bool> replays;
};

// The line's object, with every field above (absent optionals as null).
nlohmann::json to_json(const SeedRecord& r);

// One line of a results file. Returns nullopt for a blank line; throws UsageError
// "FILE:LINE: FIELD: got VALUE, expected WHAT" (or "FILE:LINE: got TEXT, expected a JSON object")
// for a bad one.
std::optional<nlohmann::json> parse_results_line(std::string_view text, const std::string& file,
                                                 std::size_t line_number);

// A results file as read: its valid lines, in file order, with their line numbers.
struct ResultsFile {
  std::string path;
  std::vector<std::pair<std::size_t, nlohmann::json>> lines;  // (1-based line number, object)
};
// Reads and checks a whole file; an unreadable file or a bad line is a UsageError.
ResultsFile read_results_file(const std::string& path);

// Every line of `files`, sorted by seed. A seed in several lines with the same outcome is kept
// once (the first one read); with different outcomes it is a UsageError naming the seed, both
// outcomes and both files.
std::vector<nlohmann::json> merge_results(const std::vector<ResultsFile>& files);

// Puts results that arrive in any order back in order: add() stores the result of position
// `index` (0, 1, 2... with no gaps, each once) and hands on every stored result whose lower
// positions have all been handed on.
class InOrder {
 public:
  template <typename Emit>
  void add(std::uint64_t index, nlohmann::json line, Emit&& emit) {
    pending_.emplace(index, std::move(line));
    while (!pending_.empty() && pending_.begin()->first == next_) {
      emit(pending_.begin()->second);
      pending_.erase(pending_.begin());
      ++next_;
    }
  }
  // Results handed on so far (the next position expected).
  [[nodiscard]] std::uint64_t emitted() const { return next_; }
  // Results stored, waiting for a lower position.
  [[nodiscard]] std::size_t waiting() const { return pending_.size(); }

 private:
  std::uint64_t next_ = 0;
  std::map<std::uint64_t, nlohmann::json> pending_;
};

}  // namespace kraftsim::cli
