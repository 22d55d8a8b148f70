// kraftsim command line: the usage text, the `run` and `validate` commands, the mapping of run
// outcomes to exit codes, and the dispatch to the other commands (fuzz_command.hh,
// shrink_command.hh, merge_command.hh). Flag parsing helpers are in flags.hh.
#include "tools/cli/cli.hh"

#include <boost/program_options.hpp>
#include <chrono>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "raft/common/bugs.hh"
#include "sim/run_result_json.hh"
#include "sim/scenario/scenario_loader.hh"
#include "sim/simulation.hh"
#include "tools/cli/flags.hh"
#include "tools/cli/bench_command.hh"
#include "tools/cli/compare_command.hh"
#include "tools/cli/fuzz_command.hh"
#include "tools/cli/inspect_command.hh"
#include "tools/cli/merge_command.hh"
#include "tools/cli/shrink_command.hh"
#include "tools/cli/summary_printer.hh"
#include "tools/cli/trace_diff_command.hh"
#include "tools/cli/trace_options.hh"

namespace kraftsim::cli {

namespace po = boost::program_options;

namespace {

// "1 broker", "3 brokers".
template <typename N>
std::string count(N n, const std::string& noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

constexpr const char* kVersion = "kraftsim 0.1.0";

void print_usage(std::ostream& out) {
  out << "kraftsim: a deterministic simulator of an Apache Kafka KRaft cluster\n\n"
         "usage:\n"
         "  kraftsim run FILE [--seed N] [--bug NAME]... [--summary-json FILE]\n"
         "               [--timeline brief|full|none] [--quiet]\n"
         "               [--trace FILE [--trace-format jsonl|chrome] [--trace-nodes LIST]\n"
         "                [--trace-kinds LIST] [--trace-from-ms MS] [--trace-to-ms MS]\n"
         "                [--trace-messages all|none|N]]\n"
         "      Replays the scenario FILE and prints what happened: elections, role changes,\n"
         "      faults, failover durations, the final state of every node, expectations,\n"
         "      invariant checks, speed and the trace hash.\n"
         "  kraftsim validate FILE...\n"
         "      Checks scenario files without running them.\n"
         "  kraftsim fuzz [--seeds A..B] [--profile FILE] [--budget within|beyond] [--bug NAME]...\n"
         "                [--jobs N] [--shard K/N] [--results FILE] [--out DIR] [--no-shrink]\n"
         "                [--max-shrink-runs N] [--progress auto|bar|lines|none] [--quiet]\n"
         "                [--trace-format jsonl|chrome]\n"
         "      Draws a scenario per seed from a fuzz profile (faults, network, workload), runs\n"
         "      it with every invariant checked, then heals everything and demands recovery;\n"
         "      keeps each failure as a replayable, shrunk scenario file.\n"
         "  kraftsim shrink FILE [--seed N] [--bug NAME]... [--out FILE] [--max-runs N]\n"
         "      Makes a failing scenario smaller while it fails the same way.\n"
         "  kraftsim merge FILE... [--results OUT]\n"
         "      Combines fuzz results files (e.g. shards) sorted by seed and summarizes them.\n"
         "  kraftsim compare [--voters 3,5] [--seeds A..B] [--sweep-seeds N] [--profile FILE]\n"
         "                   [--out DIR] [--quiet]\n"
         "      Runs the same fault schedules against each quorum size, and a sweep of voters\n"
         "      and racks down at once; prints availability, failover times and where each size\n"
         "      stops making progress; --out writes compare.json, compare.svg and every run.\n"
         "  kraftsim trace-diff A B [--context N]\n"
         "      Compares two JSON-lines traces (run --trace FILE --trace-format jsonl) and prints\n"
         "      the first event at which they diverge, with the equal events before it.\n"
         "  kraftsim inspect FILE [--seed N] [--at MS] [--node ID]... [--log] [--quorum] [--image]\n"
         "      Runs the scenario to MS (default: its end) and prints the quorum as\n"
         "      kafka-metadata-quorum describe --status/--replication shows it, and each node's\n"
         "      metadata log (kafka-dump-log style) and metadata image.\n"
         "  kraftsim bench [--runs N] [--fuzz-seeds K] [--cases LIST] [--quick] [--large]\n"
         "                 [--out FILE] [--label TEXT] [--scenarios DIR]\n"
         "      Benchmarks this build (tools/bench builds Release): median, min and max over N\n"
         "      runs of wall time, events per second and simulated seconds per wall second, peak\n"
         "      memory per case, fuzz seeds per minute per core; prints a table and writes JSON.\n"
         "  kraftsim --help | --version\n\n"
         "run options:\n"
         "  --seed N              seed of the run (default: the scenario's \"seed\", else 1)\n"
         "  --bug NAME            re-introduce a historical KRaft bug in every node, in addition\n"
         "                        to the scenario's \"bugs\" (repeatable; see below)\n"
         "  --summary-json FILE   also write the summary as JSON to FILE\n"
         "  --timeline MODE       brief (default): faults, elections and voter roles;\n"
         "                        full: also broker roles; none: no timeline\n"
         "  --quiet               print only the result line\n"
         "  --trace FILE          export every event of the run to FILE (streamed)\n"
         "  --trace-format F      jsonl (default): one JSON object per line; chrome: Chrome\n"
         "                        trace events for ui.perfetto.dev or chrome://tracing\n"
         "  --trace-nodes LIST    only these node ids (comma-separated) and their messages\n"
         "  --trace-kinds LIST    only these kinds: send, deliver, drop, role, election, active,\n"
         "                        progress, action, fault, note (comma-separated)\n"
         "  --trace-from-ms MS    only events at or after MS (simulated milliseconds)\n"
         "  --trace-to-ms MS      only events before MS\n"
         "  --trace-messages M    all (default), none, or N: the messages whose id is a\n"
         "                        multiple of N (a message's send and deliveries together)\n\n"
         "fuzz options:\n"
         "  --seeds A..B          the seeds to run, inclusive, or a single seed N (default 0..99)\n"
         "  --profile FILE        the fuzz profile (default: the built-in one, the same as\n"
         "                        scenarios/fuzz/default-profile.json)\n"
         "  --budget B            within (default): faults within the quorum's tolerance, then\n"
         "                        recovery demanded; beyond: any number of faults, safety only\n"
         "  --bug NAME            re-introduce a historical bug in every case (repeatable)\n"
         "  --jobs N              worker processes (default 1, at most 256)\n"
         "  --shard K/N           only the seeds whose index in the range is K mod N\n"
         "  --results FILE        one JSON line per seed, sorted by seed\n"
         "  --out DIR             where failures are written (default fuzz-failures)\n"
         "  --no-shrink           keep failures as drawn\n"
         "  --max-shrink-runs N   runs allowed to shrink one failure (default 500)\n"
         "  --progress MODE       auto (default: bar on a terminal, else lines), bar, lines, none\n"
         "  --quiet               print only failures and the summary\n"
         "  --trace-format F      also replay each failure (and its shrunk file) into a trace\n"
         "                        next to it: DIR/seed-N.trace.jsonl (jsonl) or .trace.json\n"
         "                        (chrome)\n\n"
         "shrink options:\n"
         "  --seed N              seed of the runs (default: the scenario's)\n"
         "  --bug NAME            re-introduce a historical bug (repeatable)\n"
         "  --out FILE            where to write (default: FILE with .json -> .shrunk.json)\n"
         "  --max-runs N          runs allowed (default 500)\n\n"
         "merge options:\n"
         "  --results OUT         also write the merged lines to OUT\n\n"
         "compare options:\n"
         "  --voters LIST         quorum sizes to compare, each 1..9 (default 3,5)\n"
         "  --seeds A..B          fault schedules, one per seed (default 0..99)\n"
         "  --sweep-seeds N       seeds per sweep cell (default 5; 0: no sweep)\n"
         "  --profile FILE        the fuzz profile the schedules are drawn from (default: the\n"
         "                        built-in one)\n"
         "  --out DIR             write compare.json, compare.svg and runs/*.json there\n"
         "  --quiet               no progress on stderr\n\n"
         "inspect options:\n"
         "  --seed N              seed of the run (default: the scenario's \"seed\", else 1)\n"
         "  --at MS               stop at simulated time MS, at most the scenario's stop time\n"
         "                        (default: run to the end)\n"
         "  --node ID             whose log and image to print (repeatable; default: the\n"
         "                        leader and the first broker, or node 0 if neither)\n"
         "  --log                 the metadata log and snapshots\n"
         "  --quorum              the quorum status and replication\n"
         "  --image               the metadata image (no section flag: all three)\n\n"
         "trace-diff options:\n"
         "  --context N           equal events shown before the divergence (default 5, at most\n"
         "                        10000)\n\n"
         "bench options:\n"
         "  --runs N              runs per case, 1..1000 (default 5; the 2m case runs once)\n"
         "  --fuzz-seeds K        seeds 0..K-1 per run of the fuzz case, 1..1000000 (default 40)\n"
         "  --cases LIST          comma-separated: default, steady-5c10b, fuzz, 2m (default: all\n"
         "                        but 2m; 2m needs --large)\n"
         "  --quick               --runs 1 --fuzz-seeds 3 unless given\n"
         "  --large               also the 2,000,000-partition case (2m)\n"
         "  --out FILE            the JSON result file (default bench-results.json)\n"
         "  --label TEXT          recorded in the result file (tools/bench: the git short hash)\n"
         "  --scenarios DIR       the scenario files (default: found from the binary's location)\n\n"
         "exit codes: 0 success, 1 internal error, 2 bad input, 3 safety violation,\n"
         "            4 failed expectation, 5 liveness failure (event bound reached),\n"
         "            6 traces differ (trace-diff);\n"
         "            fuzz and merge exit with the code of the worst failure (safety, then\n"
         "            liveness, events_max, error); compare exits 3 if a run violated an\n"
         "            invariant, else 5 if a run reached its event bound; bench exits 1 if a\n"
         "            case failed (a run not a success, runs of a case with different trace\n"
         "            hashes, or a measuring process that died)\n\n"
         "historical bugs (--bug NAME, or a scenario's \"bugs\"; all off by default):\n";
  for (raft::Bug b : raft::kAllBugs) {
    out << "  " << raft::to_string(b) << " (" << raft::jira_key(b) << ")\n"
        << "      " << raft::describe(b) << "\n";
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

TimelineDetail parse_timeline(const std::string& text) {
  if (text == "brief") return TimelineDetail::Brief;
  if (text == "full") return TimelineDetail::Full;
  if (text == "none") return TimelineDetail::None;
  throw UsageError{"--timeline: got '" + text + "', expected brief, full or none"};
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
  add_trace_options(options);
  po::positional_options_description positional;
  positional.add("file", 1);
  const po::variables_map vm = parse_options(args, options, positional);
  if (!vm.count("file")) throw UsageError{"run: missing the scenario FILE (see kraftsim --help)"};
  const TimelineDetail detail = parse_timeline(vm["timeline"].as<std::string>());
  std::optional<std::uint64_t> seed;
  if (vm.count("seed")) seed = parse_u64("--seed", vm["seed"].as<std::string>());
  std::optional<std::string> json_path;
  if (vm.count("summary-json")) json_path = vm["summary-json"].as<std::string>();

  raft::BugSet extra_bugs;
  if (vm.count("bug")) add_bugs(vm["bug"].as<std::vector<std::string>>(), extra_bugs);

  sim::Scenario scenario = sim::load_scenario_file(vm["file"].as<std::string>());
  for (raft::Bug b : extra_bugs) scenario.bugs.insert(b);
  // Opened before the run: a bad --trace-* value or an unwritable FILE exits 2 at once.
  const std::unique_ptr<TraceExport> trace = open_trace_export(vm, scenario);
  const std::uint64_t run_seed = seed.value_or(scenario.seed);
  if (!vm["quiet"].as<bool>()) out << "seed " << run_seed << "\n" << std::flush;

  // Wall time is measured around the run, never inside it: it is only reported.
  const auto wall_start = std::chrono::steady_clock::now();
  sim::Simulation simulation(scenario, run_seed, trace ? &trace->listener() : nullptr);
  const sim::RunResult result = simulation.run();
  if (trace) trace->finish();
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
  const po::variables_map vm = parse_options(args, options, positional);
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
  return main(argc, argv, out, err, Terminal{});
}

int main(int argc, char** argv, std::ostream& out, std::ostream& err, const Terminal& terminal) {
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
    if (command == "fuzz") return fuzz_command(rest, out, err, terminal);
    if (command == "shrink") return shrink_command(rest, out);
    if (command == "merge") return merge_command(rest, out);
    if (command == "compare") return compare_command(rest, out, err, terminal);
    if (command == "trace-diff") return trace_diff_command(rest, out);
    if (command == "inspect") return inspect_command(rest, out);
    if (command == "bench") return bench_command(rest, out, err);
    throw UsageError{"unknown command '" + command +
                     "', expected run, validate, fuzz, shrink, merge, compare, trace-diff, inspect or bench (see kraftsim --help)"};
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
