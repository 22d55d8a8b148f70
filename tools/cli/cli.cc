// kraftsim command line: argument parsing (Boost.Program_options), the `run` and `validate`
// commands, and the mapping of outcomes to exit codes (cli.hh).
#include "tools/cli/cli.hh"

#include <boost/program_options.hpp>
#include <charconv>
#include <chrono>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "raft/common/bugs.hh"
#include "sim/run_result_json.hh"
#include "sim/scenario/scenario_loader.hh"
#include "sim/simulation.hh"
#include "tools/cli/summary_printer.hh"

namespace kraftsim::cli {

namespace po = boost::program_options;

namespace {

// "1 broker", "3 brokers".
template <typename N>
std::string count(N n, const std::string& noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

constexpr const char* kVersion = "kraftsim 0.1.0";

// A bad command line: the message names the flag, the bad value and what was expected.
struct UsageError {
  std::string message;
};

// "no-check-quorum, hw-at-epoch-start, ..." for messages.
std::string bug_list() {
  std::string out;
  for (raft::Bug b : raft::kAllBugs) {
    if (!out.empty()) out += ", ";
    out += raft::to_string(b);
  }
  return out;
}

void print_usage(std::ostream& out) {
  out << "kraftsim: a deterministic simulator of an Apache Kafka KRaft cluster\n\n"
         "usage:\n"
         "  kraftsim run FILE [--seed N] [--bug NAME]... [--summary-json FILE]\n"
         "               [--timeline brief|full|none] [--quiet]\n"
         "      Replays the scenario FILE and prints what happened: elections, role changes,\n"
         "      faults, failover durations, the final state of every node, expectations,\n"
         "      invariant checks, speed and the trace hash.\n"
         "  kraftsim validate FILE...\n"
         "      Checks scenario files without running them.\n"
         "  kraftsim --help | --version\n\n"
         "run options:\n"
         "  --seed N              seed of the run (default: the scenario's \"seed\", else 1)\n"
         "  --bug NAME            re-introduce a historical KRaft bug in every node, in addition\n"
         "                        to the scenario's \"bugs\" (repeatable; see below)\n"
         "  --summary-json FILE   also write the summary as JSON to FILE\n"
         "  --timeline MODE       brief (default): faults, elections and voter roles;\n"
         "                        full: also broker roles; none: no timeline\n"
         "  --quiet               print only the result line\n\n"
         "exit codes: 0 success, 1 internal error, 2 bad input, 3 safety violation,\n"
         "            4 failed expectation, 5 liveness failure (event bound reached)\n\n"
         "historical bugs (--bug NAME, or a scenario's \"bugs\"; all off by default):\n";
  for (raft::Bug b : raft::kAllBugs) {
    out << "  " << raft::to_string(b) << " (" << raft::jira_key(b) << ")\n"
        << "      " << raft::describe(b) << "\n";
  }
}

// The bugs named by --bug, added to `bugs`.
void add_bugs(const std::vector<std::string>& names, raft::BugSet& bugs) {
  for (const std::string& name : names) {
    const std::optional<raft::Bug> bug = raft::bug_from_string(name);
    if (!bug) throw UsageError{"--bug: got '" + name + "', expected one of " + bug_list()};
    bugs.insert(*bug);
  }
}

// ", bugs re-introduced: a, b" when any is on, else "".
std::string bugs_suffix(raft::BugSet bugs) {
  std::string out;
  for (raft::Bug b : bugs) {
    out += out.empty() ? ", bugs re-introduced: " : ", ";
    out += raft::to_string(b);
  }
  return out;
}

std::uint64_t parse_seed(const std::string& text) {
  std::uint64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end) {
    throw UsageError{"--seed: got '" + text + "', expected an unsigned 64-bit integer (0.." +
                     std::to_string(UINT64_MAX) + ")"};
  }
  return value;
}

TimelineDetail parse_timeline(const std::string& text) {
  if (text == "brief") return TimelineDetail::Brief;
  if (text == "full") return TimelineDetail::Full;
  if (text == "none") return TimelineDetail::None;
  throw UsageError{"--timeline: got '" + text + "', expected brief, full or none"};
}

po::variables_map parse(const std::vector<std::string>& args, const po::options_description& options,
                        const po::positional_options_description& positional) {
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(options).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError{std::string(e.what()) + " (see kraftsim --help)"};
  }
  return vm;
}

int exit_code(sim::Outcome outcome) {
  switch (outcome) {
    case sim::Outcome::Success: return kExitSuccess;
    case sim::Outcome::ExpectationFailed: return kExitExpectationFailed;
    case sim::Outcome::LivenessFailure: return kExitLivenessFailure;
    case sim::Outcome::SafetyViolation: return kExitSafetyViolation;
  }
  return kExitInternalError;
}

int run_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  po::options_description options("run");
  options.add_options()("file", po::value<std::string>(), "scenario file")(
      "seed", po::value<std::string>(), "seed")("bug", po::value<std::vector<std::string>>(),
                                                "historical bug")(
      "summary-json", po::value<std::string>(), "JSON summary")(
      "timeline", po::value<std::string>()->default_value("brief"), "timeline detail")(
      "quiet", po::bool_switch(), "only the result line");
  po::positional_options_description positional;
  positional.add("file", 1);
  const po::variables_map vm = parse(args, options, positional);
  if (!vm.count("file")) throw UsageError{"run: missing the scenario FILE (see kraftsim --help)"};
  const TimelineDetail detail = parse_timeline(vm["timeline"].as<std::string>());
  std::optional<std::uint64_t> seed;
  if (vm.count("seed")) seed = parse_seed(vm["seed"].as<std::string>());
  std::optional<std::string> json_path;
  if (vm.count("summary-json")) json_path = vm["summary-json"].as<std::string>();

  raft::BugSet extra_bugs;
  if (vm.count("bug")) add_bugs(vm["bug"].as<std::vector<std::string>>(), extra_bugs);

  sim::Scenario scenario = sim::load_scenario_file(vm["file"].as<std::string>());
  for (raft::Bug b : extra_bugs) scenario.bugs.insert(b);
  const std::uint64_t run_seed = seed.value_or(scenario.seed);
  if (!vm["quiet"].as<bool>()) out << "seed " << run_seed << "\n" << std::flush;

  // Wall time is measured around the run, never inside it: it is only reported.
  const auto wall_start = std::chrono::steady_clock::now();
  sim::Simulation simulation(scenario, run_seed);
  const sim::RunResult result = simulation.run();
  const std::chrono::duration<double, std::milli> wall = std::chrono::steady_clock::now() - wall_start;

  if (!vm["quiet"].as<bool>()) print_summary(out, scenario, result, wall.count(), detail);
  const int code = exit_code(result.outcome);
  out << "result: " << sim::to_string(result.outcome) << " (exit " << code << "), seed " << run_seed
      << ", trace hash " << sim::format_hash(result.trace_hash) << bugs_suffix(scenario.bugs)
      << "\n";
  if (json_path) {
    std::ofstream file(*json_path);
    if (!file) throw UsageError{"--summary-json: cannot write '" + *json_path + "'"};
    nlohmann::json summary = sim::to_json(result, wall.count());
    summary["bugs"] = nlohmann::json::array();
    for (raft::Bug b : scenario.bugs) summary["bugs"].push_back(std::string(raft::to_string(b)));
    file << summary.dump(2) << "\n";
    if (!file) throw UsageError{"--summary-json: failed writing '" + *json_path + "'"};
  }
  (void)err;
  return code;
}

int validate_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  po::options_description options("validate");
  options.add_options()("files", po::value<std::vector<std::string>>(), "scenario files");
  po::positional_options_description positional;
  positional.add("files", -1);
  const po::variables_map vm = parse(args, options, positional);
  if (!vm.count("files")) throw UsageError{"validate: missing scenario FILE(s) (see kraftsim --help)"};
  int code = kExitSuccess;
  for (const std::string& file : vm["files"].as<std::vector<std::string>>()) {
    try {
      const sim::Scenario s = sim::load_scenario_file(file);
      out << file << ": ok (" << s.name << ": " << count(s.cluster.controllers, "controller") << ", "
          << count(s.cluster.brokers, "broker") << ", " << count(s.timeline.size(), "action") << ", "
          << count(s.expectations.size(), "expectation") << ")\n";
    } catch (const sim::ScenarioError& e) {
      err << "kraftsim: " << e.what() << "\n";
      code = kExitBadInput;
    }
  }
  return code;
}

}  // namespace

int main(int argc, char** argv, std::ostream& out, std::ostream& err) {
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    if (args.empty()) {
      print_usage(err);
      return kExitBadInput;
    }
    const std::string command = args.front();
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    if (command == "--help" || command == "-h" || command == "help") {
      print_usage(out);
      return kExitSuccess;
    }
    if (command == "--version") {
      out << kVersion << "\n";
      return kExitSuccess;
    }
    if (command == "run") return run_command(rest, out, err);
    if (command == "validate") return validate_command(rest, out, err);
    throw UsageError{"unknown command '" + command + "', expected run or validate (see kraftsim --help)"};
  } catch (const UsageError& e) {
    err << "kraftsim: " << e.message << "\n";
    return kExitBadInput;
  } catch (const sim::ScenarioError& e) {
    err << "kraftsim: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const std::exception& e) {
    err << "kraftsim: internal error: " << e.what() << "\n";
    return kExitInternalError;
  }
}

}  // namespace kraftsim::cli
