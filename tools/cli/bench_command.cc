// `kraftsim bench` (bench_command.hh).
#include "tools/cli/bench_command.hh"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iterator>
#include <optional>
#include <system_error>

#include "tools/cli/bench_cases.hh"
#include "tools/cli/bench_child.hh"
#include "tools/cli/bench_report.hh"
#include "tools/cli/cli.hh"
#include "tools/cli/flags.hh"

namespace kraftsim::cli {

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

using nlohmann::json;

constexpr std::uint64_t kMaxRuns = 1000;
constexpr std::uint64_t kMaxFuzzSeeds = 1'000'000;

// Everything the command line asked for.
struct BenchOptions {
  BenchSettings settings;
  std::string out = "bench-results.json";
  std::vector<std::string_view> cases;  // in kAllCases order
  std::optional<fs::path> scenarios;
};

std::string case_list() {
  std::string text;
  for (std::string_view name : kAllCases) text += (text.empty() ? "" : ", ") + std::string(name);
  return text;
}

// --cases LIST: the named cases, in kAllCases order.
std::vector<std::string_view> parse_cases(const std::string& text) {
  std::vector<bool> chosen(std::size(kAllCases), false);
  std::size_t begin = 0;
  for (;;) {
    const std::size_t comma = text.find(',', begin);
    const std::string name = text.substr(begin, comma == std::string::npos ? comma : comma - begin);
    bool known = false;
    for (std::size_t i = 0; i < std::size(kAllCases); ++i) {
      if (kAllCases[i] == name) chosen[i] = known = true;
    }
    if (!known) {
      throw UsageError{"--cases: got '" + text + "', expected a comma-separated list of " +
                       case_list() + " ('" + name + "' is none of them)"};
    }
    if (comma == std::string::npos) break;
    begin = comma + 1;
  }
  std::vector<std::string_view> cases;
  for (std::size_t i = 0; i < std::size(kAllCases); ++i) {
    if (chosen[i]) cases.push_back(kAllCases[i]);
  }
  return cases;
}

BenchOptions parse_bench(const std::vector<std::string>& args) {
  po::options_description options("bench");
  options.add_options()("runs", po::value<std::string>(), "")("fuzz-seeds", po::value<std::string>(), "")(
      "out", po::value<std::string>(), "")("cases", po::value<std::string>(), "")(
      "quick", po::bool_switch(), "")("large", po::bool_switch(), "")(
      "label", po::value<std::string>(), "")("scenarios", po::value<std::string>(), "");
  const po::variables_map vm = parse_options(args, options, po::positional_options_description());
  const auto text = [&vm](const char* flag) { return vm[flag].as<std::string>(); };

  BenchOptions o;
  BenchSettings& s = o.settings;
  s.label = vm.count("label") ? text("label") : "none";
  s.quick = vm["quick"].as<bool>();
  s.large = vm["large"].as<bool>();
  if (s.quick) {
    s.runs = 1;
    s.fuzz_seeds = 3;
  }
  if (vm.count("runs")) s.runs = parse_u64_in("--runs", text("runs"), 1, kMaxRuns);
  if (vm.count("fuzz-seeds")) {
    s.fuzz_seeds = parse_u64_in("--fuzz-seeds", text("fuzz-seeds"), 1, kMaxFuzzSeeds);
  }
  if (vm.count("out")) o.out = text("out");
  if (o.out.empty()) throw UsageError{"--out: got '', expected a file name"};
  if (vm.count("scenarios")) o.scenarios = fs::path(text("scenarios"));
  if (vm.count("cases")) {
    o.cases = parse_cases(text("cases"));
    for (std::string_view name : o.cases) {
      if (name == kCaseLarge && !s.large) {
        throw UsageError{"--cases: got '" + text("cases") + "', expected no '" +
                         std::string(kCaseLarge) +
                         "' without --large (2,000,000 partitions: gigabytes of memory)"};
      }
    }
  } else {
    for (std::string_view name : kAllCases) {
      if (name != kCaseLarge || s.large) o.cases.push_back(name);
    }
  }
  return o;
}

// The first <dir>/scenarios holding default.json, walking up from the executable's directory;
// else ./scenarios if it holds one; else nullopt.
std::optional<fs::path> find_scenarios_dir() {
  std::error_code ec;
  fs::path dir = fs::read_symlink("/proc/self/exe", ec).parent_path();
  for (int level = 0; !ec && !dir.empty() && level < 5; ++level) {
    if (fs::exists(dir / "scenarios" / "default.json", ec)) return dir / "scenarios";
    if (dir == dir.parent_path()) break;
    dir = dir.parent_path();
  }
  if (fs::exists(fs::path("scenarios") / "default.json", ec)) return fs::path("scenarios");
  return std::nullopt;
}

// The specs of the chosen cases; every scenario file must exist.
std::vector<CaseSpec> make_specs(const BenchOptions& o) {
  bool needs_scenarios = false;
  for (std::string_view name : o.cases) needs_scenarios = needs_scenarios || name != kCaseFuzz;
  fs::path dir;
  if (needs_scenarios) {
    const std::optional<fs::path> found = o.scenarios ? o.scenarios : find_scenarios_dir();
    if (!found) {
      throw UsageError{"--scenarios: not given, and no scenarios/ directory holding default.json "
                       "was found above the executable or in the current directory"};
    }
    dir = *found;
  }
  std::vector<CaseSpec> specs;
  for (std::string_view name : o.cases) {
    CaseSpec spec = make_case(name, dir, o.settings.runs, o.settings.fuzz_seeds);
    std::error_code ec;
    if (!spec.file.empty() && !fs::is_regular_file(spec.file, ec)) {
      throw UsageError{"bench: case " + spec.name + ": scenario file '" + spec.file.string() +
                       "' not found" +
                       (o.scenarios ? "" : " (pass --scenarios DIR if scenarios/ is elsewhere)")};
    }
    specs.push_back(std::move(spec));
  }
  return specs;
}

// Runs one case in a child process; its JSON, with peak_rss_mib.
json run_case(const CaseSpec& spec) {
  const ChildOutcome child = run_in_child([&spec] { return case_json(spec, measure_case(spec)); });
  json c = child.failure.empty() && child.message && child.message->is_object() &&
                   child.message->contains("name")
               ? *child.message
               : failed_case_json(spec, child.failure.empty() ? "the child sent a malformed result"
                                                              : child.failure);
  c["peak_rss_mib"] =
      child.peak_rss_kib > 0 ? json(static_cast<double>(child.peak_rss_kib) / 1024) : json(nullptr);
  return c;
}

}  // namespace

int bench_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const BenchOptions o = parse_bench(args);
  const std::vector<CaseSpec> specs = make_specs(o);
  std::ofstream file(o.out);
  if (!file) throw UsageError{"--out: cannot write '" + o.out + "'"};

  const BuildInfo build = build_info();
  if (build.assertions) {
    out << "WARNING: this kraftsim was built without NDEBUG (build type " << build.build_type
        << "): its figures are not representative; measure a Release build (tools/bench)\n";
  }
  std::vector<json> cases;
  for (const CaseSpec& spec : specs) {
    err << "bench: " << spec.name << ": "
        << (spec.kind == CaseSpec::Kind::Fuzz
                ? std::to_string(spec.fuzz_seeds) + " seeds x " + std::to_string(spec.runs) + " runs"
                : std::to_string(spec.runs) + (spec.runs == 1 ? " run of " : " runs of ") +
                      spec.file.string())
        << "...\n"
        << std::flush;
    const auto start = std::chrono::steady_clock::now();
    json c = run_case(spec);
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    err << "bench: " << spec.name << ": "
        << (c["ok"].get<bool>() ? std::string("done") : "FAILED: " + c["reason"].get<std::string>())
        << " (" << std::fixed << std::setprecision(1) << took.count() << " s)\n"
        << std::defaultfloat << std::flush;
    cases.push_back(std::move(c));
  }

  const json document = result_document(o.settings, build, cases);
  print_table(out, document);
  file << document.dump(2) << "\n";
  file.close();
  if (!file) throw UsageError{"--out: failed writing '" + o.out + "'"};
  out << "results written to " << o.out << "\n";
  return document["ok"].get<bool>() ? kExitSuccess : kExitInternalError;
}

}  // namespace kraftsim::cli
