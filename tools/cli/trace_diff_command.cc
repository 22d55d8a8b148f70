// `kraftsim trace-diff` (trace_diff_command.hh).
#include "tools/cli/trace_diff_command.hh"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "sim/trace_export/trace_diff.hh"
#include "tools/cli/flags.hh"

namespace kraftsim::cli {

namespace po = boost::program_options;

namespace {

constexpr int kTracesIdentical = 0;
constexpr int kTracesDiffer = 6;  // cli.hh: "traces differ"
constexpr std::uint64_t kMaxContext = 10'000;

// Opens a trace for reading; a missing file, a directory or an unreadable file is a UsageError.
std::ifstream open_trace(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw UsageError{"trace-diff: cannot read '" + path + "': it is a directory"};
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError{"trace-diff: cannot read '" + path + "'"};
  return in;
}

// The events of a trace that first_divergence has already read in full: its lines, less the
// final {"kind":"end",...} line that the JSON-lines writer appends.
std::uint64_t count_events(const std::string& path) {
  std::ifstream in = open_trace(path);
  std::uint64_t lines = 0;
  std::string line;
  std::string last;
  while (std::getline(in, line)) {
    ++lines;
    last = std::move(line);
  }
  const nlohmann::json value = nlohmann::json::parse(last, nullptr, false);
  const bool end_line = value.is_object() && value.contains("kind") && value["kind"] == "end";
  return end_line ? lines - 1 : lines;
}

}  // namespace

int trace_diff_command(const std::vector<std::string>& args, std::ostream& out) {
  po::options_description options("trace-diff");
  options.add_options()("files", po::value<std::vector<std::string>>(), "")(
      "context", po::value<std::string>(), "");
  po::positional_options_description positional;
  positional.add("files", -1);
  const po::variables_map vm = parse_options(args, options, positional);
  const std::vector<std::string> paths =
      vm.count("files") ? vm["files"].as<std::vector<std::string>>() : std::vector<std::string>{};
  if (paths.size() != 2) {
    throw UsageError{"trace-diff: expected two trace files A B, got " +
                     std::to_string(paths.size()) + " (see kraftsim --help)"};
  }
  std::size_t context = 5;
  if (vm.count("context")) {
    context = static_cast<std::size_t>(
        parse_u64_in("--context", vm["context"].as<std::string>(), 0, kMaxContext));
  }

  std::ifstream a = open_trace(paths[0]);
  std::ifstream b = open_trace(paths[1]);
  std::optional<sim::trace_export::TraceDivergence> divergence;
  try {
    divergence = sim::trace_export::first_divergence(a, b, context);
  } catch (const std::runtime_error& e) {
    // The message starts with the side, "A, line 3: ..."; name the file instead.
    const std::string what = e.what();
    const bool side_b = what.rfind("B,", 0) == 0;
    const bool side_a = what.rfind("A,", 0) == 0;
    if (!side_a && !side_b) throw;
    throw UsageError{"trace-diff: " + paths[side_b ? 1 : 0] + what.substr(1)};
  }
  if (!divergence) {
    out << "traces are identical (" << count_events(paths[0]) << " events)\n";
    return kTracesIdentical;
  }
  out << sim::trace_export::describe(*divergence);
  return kTracesDiffer;
}

}  // namespace kraftsim::cli
