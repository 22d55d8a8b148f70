// Reproduction files of fuzz failures (reproduction.hh).
#include "tools/cli/reproduction.hh"

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "sim/run_result_json.hh"
#include "sim/scenario/scenario_loader.hh"
#include "sim/scenario/scenario_writer.hh"

namespace kraftsim::cli {

namespace {

constexpr std::size_t kDetailChars = 300;

std::string cut(const std::string& text) {
  return text.size() <= kDetailChars ? text : text.substr(0, kDetailChars) + "...";
}

// The class with its detail: "safety:SingleLeader (two leaders in epoch 3...)".
std::string class_and_detail(const sim::fuzz::RunOutcome& o) {
  return o.outcome + (o.detail.empty() ? "" : " (" + cut(o.detail) + ")");
}

// Milliseconds without needless decimals: "61000 ms", "12001.5 ms".
std::string ms(sim::Instant t) {
  std::string text = std::to_string(t.us() / 1000);
  if (const std::int64_t us = t.us() % 1000; us != 0) {
    std::string frac = std::to_string(us < 0 ? -us : us);
    frac.insert(0, 3 - frac.size(), '0');
    while (frac.back() == '0') frac.pop_back();
    text += "." + frac;
  }
  return text + " ms";
}

template <typename T>
std::string change(const char* what, T before, T after) {
  return std::string(what) + " " + std::to_string(before) + " -> " + std::to_string(after);
}

}  // namespace

std::string reproduction_path(const std::string& dir, std::uint64_t seed) {
  return (std::filesystem::path(dir) / ("seed-" + std::to_string(seed) + ".json")).string();
}

std::string shrunk_path_for(const std::string& path) {
  const std::string suffix = ".json";
  if (path.size() > suffix.size() && path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0) {
    return path.substr(0, path.size() - suffix.size()) + ".shrunk.json";
  }
  return path + ".shrunk.json";
}

std::string reproduction_description(const sim::fuzz::RunOutcome& outcome, const std::string& path,
                                     const std::string& drawn) {
  return "Fuzz failure: " + class_and_detail(outcome) + ". Replay: kraftsim run " + path + "." +
         (drawn.empty() ? "" : " " + drawn);
}

std::string shrunk_description(const sim::fuzz::ShrinkResult& shrunk, const std::string& from,
                               const std::string& path, const std::string& original) {
  std::string edits;
  for (const std::string& e : shrunk.kept_edits) edits += (edits.empty() ? "" : "; ") + e;
  return "Shrunk from " + from + " in " + std::to_string(shrunk.runs) + " runs (" +
         (edits.empty() ? "no edit kept" : "kept: " + edits) +
         "); still fails: " + class_and_detail(shrunk.outcome) + ". Replay: kraftsim run " + path +
         "." + (original.empty() ? "" : " Original description: " + original);
}

void write_scenario_file(const std::string& path, const sim::Scenario& s) {
  const std::string text = sim::scenario_to_text(s);
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  std::error_code ec;
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  std::ofstream file(path);
  file << text;
  file.close();
  if (!file) throw std::runtime_error(path + ": cannot write the scenario file");
}

ReplayCheck check_replay(const std::string& path, const sim::fuzz::RunOutcome& expected) {
  ReplayCheck check;
  check.replayed = sim::fuzz::run_and_classify(sim::load_scenario_file(path));
  check.same = check.replayed.outcome == expected.outcome &&
               check.replayed.trace_hash == expected.trace_hash;
  return check;
}

std::string describe_replay(const ReplayCheck& check, const sim::fuzz::RunOutcome& expected) {
  if (check.same) {
    return "(replays: " + expected.outcome + ", trace hash " + sim::format_hash(expected.trace_hash) + ")";
  }
  return "(DOES NOT REPLAY: the file gives " + check.replayed.outcome + ", trace hash " +
         sim::format_hash(check.replayed.trace_hash) + "; the run gave " + expected.outcome +
         ", trace hash " + sim::format_hash(expected.trace_hash) + ")";
}

std::string describe_sizes(const sim::fuzz::ScenarioSize& before,
                           const sim::fuzz::ScenarioSize& after) {
  return change("actions", before.actions, after.actions) + ", " +
         change("controllers", before.controllers, after.controllers) + ", " +
         change("brokers", before.brokers, after.brokers) + ", stop " + ms(before.stop) + " -> " +
         ms(after.stop) + ", " + change("topics", before.topics, after.topics) + ", " +
         change("expectations", before.expectations, after.expectations);
}

std::string describe_shrink(const sim::fuzz::ShrinkResult& shrunk) {
  return "shrunk in " + std::to_string(shrunk.runs) + " runs: " +
         describe_sizes(shrunk.before, shrunk.after) +
         (shrunk.budget_exhausted ? " (run budget exhausted)" : "");
}

}  // namespace kraftsim::cli
