// `kraftsim merge` (merge_command.hh).
#include "tools/cli/merge_command.hh"

#include <fstream>

#include "tools/cli/flags.hh"
#include "tools/cli/fuzz_report.hh"
#include "tools/cli/results_file.hh"

namespace kraftsim::cli {

namespace po = boost::program_options;

int merge_command(const std::vector<std::string>& args, std::ostream& out) {
  po::options_description options("merge");
  options.add_options()("files", po::value<std::vector<std::string>>(), "")(
      "results", po::value<std::string>(), "");
  po::positional_options_description positional;
  positional.add("files", -1);
  const po::variables_map vm = parse_options(args, options, positional);
  if (!vm.count("files")) throw UsageError{"merge: missing results FILE(s) (see kraftsim --help)"};
  const auto& paths = vm["files"].as<std::vector<std::string>>();

  std::vector<ResultsFile> files;
  for (const std::string& path : paths) files.push_back(read_results_file(path));
  const std::vector<nlohmann::json> merged = merge_results(files);

  if (vm.count("results")) {
    const std::string target = vm["results"].as<std::string>();
    std::ofstream file(target, std::ios::trunc);
    for (const nlohmann::json& line : merged) {
      file << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    }
    file.close();
    if (!file) throw UsageError{"--results: cannot write '" + target + "'"};
  }

  FuzzReport report("reproduction files");
  for (const nlohmann::json& line : merged) report.add(line);
  std::size_t lines = 0;
  for (const ResultsFile& f : files) lines += f.lines.size();
  out << "merged " << files.size() << " file" << (files.size() == 1 ? "" : "s") << ": " << lines
      << " line" << (lines == 1 ? "" : "s") << ", " << merged.size() << " seed"
      << (merged.size() == 1 ? "" : "s") << "\n";
  std::optional<CampaignTiming> timing;
  if (report.wall_ms_sum()) timing = CampaignTiming{*report.wall_ms_sum(), true, std::nullopt};
  report.print(out, timing);
  if (vm.count("results")) {
    out << "results: " << vm["results"].as<std::string>() << " (" << merged.size()
        << " lines, sorted by seed)\n";
  }
  return report.exit_code();
}

}  // namespace kraftsim::cli
