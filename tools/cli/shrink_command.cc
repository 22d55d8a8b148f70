// `kraftsim shrink` (shrink_command.hh).
#include "tools/cli/shrink_command.hh"

#include "sim/fuzz/outcome.hh"
#include "sim/fuzz/shrinker.hh"
#include "sim/run_result_json.hh"
#include "sim/scenario/scenario_loader.hh"
#include "tools/cli/flags.hh"
#include "tools/cli/outcome_class.hh"
#include "tools/cli/reproduction.hh"

namespace kraftsim::cli {

namespace po = boost::program_options;

int shrink_command(const std::vector<std::string>& args, std::ostream& out) {
  po::options_description options("shrink");
  options.add_options()("file", po::value<std::string>(), "")("seed", po::value<std::string>(), "")(
      "bug", po::value<std::vector<std::string>>(), "")("out", po::value<std::string>(), "")(
      "max-runs", po::value<std::string>(), "");
  po::positional_options_description positional;
  positional.add("file", 1);
  const po::variables_map vm = parse_options(args, options, positional);
  if (!vm.count("file")) throw UsageError{"shrink: missing the scenario FILE (see kraftsim --help)"};
  const std::string file = vm["file"].as<std::string>();
  sim::fuzz::ShrinkOptions shrink_options;
  if (vm.count("max-runs")) {
    shrink_options.max_runs = static_cast<std::size_t>(
        parse_u64_in("--max-runs", vm["max-runs"].as<std::string>(), 1, 1'000'000'000));
  }
  raft::BugSet bugs;
  if (vm.count("bug")) add_bugs(vm["bug"].as<std::vector<std::string>>(), bugs);
  std::optional<std::uint64_t> seed;
  if (vm.count("seed")) seed = parse_u64("--seed", vm["seed"].as<std::string>());
  const std::string out_path = vm.count("out") ? vm["out"].as<std::string>() : shrunk_path_for(file);

  sim::Scenario scenario = sim::load_scenario_file(file);
  if (seed) scenario.seed = *seed;
  for (raft::Bug b : bugs) scenario.bugs.insert(b);
  const sim::fuzz::RunOutcome first = sim::fuzz::run_and_classify(scenario);
  if (first.passed()) {
    throw UsageError{file + " passes (seed " + std::to_string(scenario.seed) + "): nothing to shrink"};
  }
  out << file << " (seed " << scenario.seed << "): " << first.outcome
      << (first.detail.empty() ? "" : ": " + first.detail) << "\n"
      << "shrinking, at most " << shrink_options.max_runs << " runs...\n"
      << std::flush;
  shrink_options.on_candidate = [&out](const std::string& edit, bool kept, std::size_t runs) {
    if (kept) out << "  run " << runs << ": kept: " << edit << "\n" << std::flush;
  };
  sim::fuzz::ShrinkResult shrunk = sim::fuzz::shrink(scenario, shrink_options);
  shrunk.scenario.description = shrunk_description(shrunk, file, out_path, scenario.description);
  write_scenario_file(out_path, shrunk.scenario);
  const ReplayCheck replay = check_replay(out_path, shrunk.outcome);
  out << describe_shrink(shrunk) << "\n";
  out << "kept edits: " << shrunk.kept_edits.size() << (shrunk.kept_edits.empty() ? "" : ":") << "\n";
  for (const std::string& edit : shrunk.kept_edits) out << "  " << edit << "\n";
  out << "wrote " << out_path << " " << describe_replay(replay, shrunk.outcome) << "\n";
  const int code = outcome_exit_code(shrunk.outcome.outcome);
  out << "result: " << shrunk.outcome.outcome << " (exit " << code << "), seed " << scenario.seed
      << ", trace hash " << sim::format_hash(shrunk.outcome.trace_hash) << "\n";
  return code;
}

}  // namespace kraftsim::cli
