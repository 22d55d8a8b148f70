// `kraftsim compare` (compare_command.hh).
#include "tools/cli/compare_command.hh"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "sim/compare/runner.hh"
#include "sim/fuzz/profile.hh"
#include "tools/cli/compare_json.hh"
#include "tools/cli/compare_svg.hh"
#include "tools/cli/compare_table.hh"
#include "tools/cli/flags.hh"
#include "tools/cli/reproduction.hh"

namespace kraftsim::cli {

namespace po = boost::program_options;

namespace {

constexpr int kMaxVoters = 9;
constexpr std::uint64_t kMaxSweepSeeds = 1000;

struct CompareOptions {
  sim::compare::CompareSettings settings;
  std::optional<std::string> out_dir;
  bool quiet = false;
};

// "3,5" -> {3, 5}: each 1..9, no repeats, in the order given.
std::vector<int> parse_voters(const std::string& text) {
  const std::string expected =
      "expected a comma-separated list of voter counts in 1.." + std::to_string(kMaxVoters) + ", e.g. 3,5";
  std::vector<int> voters;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    const bool digits = !item.empty() && item.size() <= 2 &&
                        std::all_of(item.begin(), item.end(), [](char c) { return c >= '0' && c <= '9'; });
    const int n = digits ? std::stoi(item) : 0;
    if (n < 1 || n > kMaxVoters) throw UsageError{"--voters: got '" + text + "', " + expected};
    if (std::find(voters.begin(), voters.end(), n) != voters.end()) {
      throw UsageError{"--voters: got '" + text + "', " + expected + " (" + item + " is listed twice)"};
    }
    voters.push_back(n);
  }
  if (voters.empty() || text.back() == ',') throw UsageError{"--voters: got '" + text + "', " + expected};
  return voters;
}

CompareOptions parse_compare(const std::vector<std::string>& args) {
  po::options_description options("compare");
  options.add_options()("voters", po::value<std::string>(), "")("seeds", po::value<std::string>(), "")(
      "sweep-seeds", po::value<std::string>(), "")("profile", po::value<std::string>(), "")(
      "out", po::value<std::string>(), "")("quiet", po::bool_switch(), "");
  const po::variables_map vm = parse_options(args, options, po::positional_options_description());
  const auto text = [&vm](const char* flag) { return vm[flag].as<std::string>(); };

  CompareOptions o;
  sim::compare::CompareSettings& s = o.settings;
  if (vm.count("voters")) s.voters = parse_voters(text("voters"));
  if (vm.count("seeds")) {
    const SeedRange seeds = parse_seed_range(text("seeds"));
    s.first_seed = seeds.first;
    s.last_seed = seeds.last;
  }
  if (vm.count("sweep-seeds")) {
    s.sweep_seeds = parse_u64_in("--sweep-seeds", text("sweep-seeds"), 0, kMaxSweepSeeds);
  }
  if (vm.count("out")) {
    o.out_dir = text("out");
    if (o.out_dir->empty()) throw UsageError{"--out: got '', expected a directory"};
  }
  o.quiet = vm["quiet"].as<bool>();
  if (vm.count("profile")) {
    s.profile_name = text("profile");
    s.profile = sim::fuzz::load_profile_file(s.profile_name);
  } else {
    s.profile = sim::fuzz::default_profile();
  }
  return o;
}

void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream file(path);
  file << text;
  file.close();
  if (!file) throw std::runtime_error(path.string() + ": cannot write the file");
}

// Progress on stderr: one line every tenth of the runs (a bar redrawn in place on a terminal).
class CompareProgress {
 public:
  CompareProgress(std::ostream& err, const Terminal& terminal, bool quiet)
      : err_(err), tty_(terminal.stderr_is_tty), quiet_(quiet) {}
  void update(const sim::compare::FinishedRun& run) {
    if (quiet_) return;
    const std::size_t step = std::max<std::size_t>(1, run.total / 10);
    if (!tty_ && run.done % step != 0 && run.done != run.total) return;
    err_ << (tty_ ? "\r" : "") << "compare: " << run.done << "/" << run.total << " runs (" << run.part
         << ": " << run.scenario.name << ")" << (tty_ ? "\x1b[K" : "\n");
    if (tty_ && run.done == run.total) err_ << "\n";
    err_.flush();
  }

 private:
  std::ostream& err_;
  bool tty_;
  bool quiet_;
};

int exit_code_of(const sim::compare::CompareReport& report) {
  bool safety = false;
  bool liveness = false;
  const auto note = [&](const sim::compare::RunMetrics& m) {
    safety = safety || m.outcome == sim::Outcome::SafetyViolation;
    liveness = liveness || m.outcome == sim::Outcome::LivenessFailure;
  };
  for (const auto& size : report.runs) std::for_each(size.begin(), size.end(), note);
  for (const auto& run : report.sweep_runs) note(run.metrics);
  if (safety) return kExitSafetyViolation;
  if (liveness) return kExitLivenessFailure;
  return kExitSuccess;
}

}  // namespace

int compare_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                    const Terminal& terminal) {
  const CompareOptions o = parse_compare(args);
  std::filesystem::path dir;
  if (o.out_dir) {
    dir = *o.out_dir;
    std::error_code ec;
    std::filesystem::create_directories(dir / "runs", ec);
    if (ec) throw UsageError{"--out: got '" + *o.out_dir + "', cannot create it: " + ec.message()};
  }
  CompareProgress progress(err, terminal, o.quiet);
  const sim::compare::CompareReport report =
      sim::compare::run_compare(o.settings, [&](const sim::compare::FinishedRun& run) {
        if (o.out_dir) write_scenario_file((dir / replay_file(run.scenario.name)).string(), run.scenario);
        progress.update(run);
      });
  print_compare_table(out, report);
  if (o.out_dir) {
    write_text(dir / "compare.json", compare_to_json(report).dump(2) + "\n");
    write_text(dir / "compare.svg", compare_svg(report));
    out << "\nwrote " << (dir / "compare.json").string() << ", " << (dir / "compare.svg").string()
        << " and " << sim::compare::total_runs(o.settings) << " replayable scenarios under "
        << (dir / "runs").string() << "/ (kraftsim run FILE --seed N replays one)\n";
  }
  return exit_code_of(report);
}

}  // namespace kraftsim::cli
