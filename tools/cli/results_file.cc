// The fuzz results file: JSON Lines writing, reading, checking and merging (results_file.hh).
#include "tools/cli/results_file.hh"

#include <algorithm>
#include <fstream>

#include "sim/run_result_json.hh"
#include "tools/cli/flags.hh"
#include "tools/cli/outcome_class.hh"

namespace kraftsim::cli {

namespace {

using nlohmann::json;

constexpr std::size_t kShownChars = 60;

// `text` cut to kShownChars characters ("..." marks a cut).
std::string shorten(std::string text) {
  if (text.size() > kShownChars) text = text.substr(0, kShownChars) + "...";
  return text;
}

template <typename T>
json or_null(const std::optional<T>& value) {
  return value ? json(*value) : json(nullptr);
}

[[noreturn]] void bad_field(const std::string& where, std::string_view field, const json* value,
                            std::string_view expected) {
  const std::string got = value ? shorten(value->dump()) : "missing";
  throw UsageError{where + ": " + std::string(field) + ": got " + got + ", expected " +
                   std::string(expected)};
}

}  // namespace

json to_json(const SeedRecord& r) {
  json line = json::object();
  line["seed"] = r.seed;
  line["budget"] = r.budget;
  line["settings"] = r.settings;
  line["outcome"] = r.outcome;
  line["invariant"] = r.invariant;
  line["detail"] = r.detail;
  line["events"] = r.events;
  line["trace_hash"] = sim::format_hash(r.trace_hash);
  line["sim_time_ms"] = r.sim_time_ms;
  line["wall_ms"] = r.wall_ms;
  line["reproduction"] = or_null(r.reproduction);
  line["shrunk"] = or_null(r.shrunk);
  line["shrunk_actions"] = or_null(r.shrunk_actions);
  line["replays"] = or_null(r.replays);
  return line;
}

std::optional<json> parse_results_line(std::string_view text, const std::string& file,
                                       std::size_t line_number) {
  if (std::all_of(text.begin(), text.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r'; })) {
    return std::nullopt;
  }
  const std::string where = file + ":" + std::to_string(line_number);
  json line = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (line.is_discarded() || !line.is_object()) {
    throw UsageError{where + ": got '" + shorten(std::string(text)) +
                     "', expected a JSON object (one results line)"};
  }
  const auto seed = line.find("seed");
  if (seed == line.end() || !seed->is_number_unsigned()) {
    bad_field(where, "seed", seed == line.end() ? nullptr : &*seed, "an unsigned integer");
  }
  const auto outcome = line.find("outcome");
  if (outcome == line.end() || !outcome->is_string() ||
      !is_outcome_class(outcome->get_ref<const std::string&>())) {
    bad_field(where, "outcome", outcome == line.end() ? nullptr : &*outcome,
              "a string: pass, safety:<Invariant>, liveness:<expectation>, events_max or error");
  }
  const auto wall = line.find("wall_ms");
  if (wall != line.end() && !wall->is_number()) bad_field(where, "wall_ms", &*wall, "a number");
  return line;
}

ResultsFile read_results_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw UsageError{path + ": cannot open the results file for reading"};
  ResultsFile file{path, {}};
  std::size_t number = 0;
  for (std::string text; std::getline(in, text);) {
    ++number;
    if (std::optional<json> line = parse_results_line(text, path, number)) {
      file.lines.emplace_back(number, std::move(*line));
    }
  }
  if (in.bad()) throw UsageError{path + ": failed reading the results file"};
  return file;
}

std::vector<json> merge_results(const std::vector<ResultsFile>& files) {
  struct Kept {
    json line;
    const std::string* file;
    std::size_t line_number;
  };
  std::map<std::uint64_t, Kept> by_seed;
  for (const ResultsFile& f : files) {
    for (const auto& [number, line] : f.lines) {
      const std::uint64_t seed = line["seed"].get<std::uint64_t>();
      const auto [it, inserted] = by_seed.try_emplace(seed, Kept{line, &f.path, number});
      if (inserted) continue;
      const std::string& kept = it->second.line["outcome"].get_ref<const std::string&>();
      const std::string& other = line["outcome"].get_ref<const std::string&>();
      if (kept != other) {
        throw UsageError{"merge: seed " + std::to_string(seed) + " has outcome \"" + kept +
                         "\" in " + *it->second.file + ":" + std::to_string(it->second.line_number) +
                         " but \"" + other + "\" in " + f.path + ":" + std::to_string(number)};
      }
    }
  }
  std::vector<json> merged;
  merged.reserve(by_seed.size());
  for (auto& [seed, kept] : by_seed) merged.push_back(std::move(kept.line));
  return merged;
}

}  // namespace kraftsim::cli
