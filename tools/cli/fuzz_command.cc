// `kraftsim fuzz` (fuzz_command.hh).
#include "tools/cli/fuzz_command.hh"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <optional>

#include "sim/fuzz/generator.hh"
#include "sim/fuzz/profile.hh"
#include "tools/cli/flags.hh"
#include "tools/cli/fuzz_report.hh"
#include "tools/cli/fuzz_seed.hh"
#include "tools/cli/fuzz_workers.hh"
#include "tools/cli/progress.hh"
#include "tools/cli/results_file.hh"

namespace kraftsim::cli {

namespace po = boost::program_options;

namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

constexpr std::uint64_t kMaxJobs = 256;

// Everything the command line asked for.
struct FuzzOptions {
  SeedRange seeds{0, 99};
  Shard shard;
  std::string profile_name = "built-in default";
  unsigned jobs = 1;
  std::optional<std::string> results;
  ProgressMode progress = ProgressMode::Auto;
  bool quiet = false;
  SeedJob job;
};

FuzzOptions parse_fuzz(const std::vector<std::string>& args) {
  po::options_description options("fuzz");
  options.add_options()("seeds", po::value<std::string>(), "")("profile", po::value<std::string>(), "")(
      "budget", po::value<std::string>(), "")("bug", po::value<std::vector<std::string>>(), "")(
      "jobs", po::value<std::string>(), "")("shard", po::value<std::string>(), "")(
      "results", po::value<std::string>(), "")("out", po::value<std::string>(), "")(
      "no-shrink", po::bool_switch(), "")("max-shrink-runs", po::value<std::string>(), "")(
      "progress", po::value<std::string>(), "")("quiet", po::bool_switch(), "")(
      "trace-format", po::value<std::string>(), "");
  const po::variables_map vm = parse_options(args, options, po::positional_options_description());
  const auto text = [&vm](const char* flag) { return vm[flag].as<std::string>(); };

  FuzzOptions o;
  if (vm.count("seeds")) o.seeds = parse_seed_range(text("seeds"));
  if (vm.count("shard")) o.shard = parse_shard(text("shard"));
  if (vm.count("jobs")) {
    o.jobs = static_cast<unsigned>(parse_u64_in("--jobs", text("jobs"), 1, kMaxJobs));
  }
  if (vm.count("budget")) {
    const std::optional<sim::fuzz::Budget> budget = sim::fuzz::budget_from_string(text("budget"));
    if (!budget) throw UsageError{"--budget: got '" + text("budget") + "', expected within or beyond"};
    o.job.budget = *budget;
  }
  if (vm.count("progress")) {
    const std::optional<ProgressMode> mode = progress_mode_from_string(text("progress"));
    if (!mode) {
      throw UsageError{"--progress: got '" + text("progress") + "', expected auto, bar, lines or none"};
    }
    o.progress = *mode;
  }
  if (vm.count("max-shrink-runs")) {
    o.job.max_shrink_runs = static_cast<std::size_t>(
        parse_u64_in("--max-shrink-runs", text("max-shrink-runs"), 1, 1'000'000'000));
  }
  if (vm.count("bug")) add_bugs(vm["bug"].as<std::vector<std::string>>(), o.job.bugs);
  if (vm.count("results")) o.results = text("results");
  if (vm.count("out")) {
    o.job.out_dir = text("out");
    if (o.job.out_dir.empty()) throw UsageError{"--out: got '', expected a directory"};
  }
  o.job.shrink = !vm["no-shrink"].as<bool>();
  if (vm.count("trace-format")) {
    const std::string format = text("trace-format");
    if (format == "jsonl") {
      o.job.trace = SeedJob::TraceFormat::Jsonl;
    } else if (format == "chrome") {
      o.job.trace = SeedJob::TraceFormat::Chrome;
    } else {
      throw UsageError{"--trace-format: got '" + format + "', expected jsonl or chrome"};
    }
  }
  o.quiet = vm["quiet"].as<bool>();
  // Last: the profile file's errors come after the flags' (exit 2 either way).
  if (vm.count("profile")) {
    o.profile_name = text("profile");
    o.job.profile = sim::fuzz::load_profile_file(o.profile_name);
  } else {
    o.job.profile = sim::fuzz::default_profile();
  }
  return o;
}

// The positions of the shard: every seed of the range whose index is K mod N.
SeedPlan plan_of(const FuzzOptions& o) {
  SeedPlan plan;
  plan.first = o.seeds.first + o.shard.index;
  plan.stride = o.shard.count;
  const std::uint64_t in_range = o.seeds.count();
  plan.count = o.shard.index >= in_range ? 0 : (in_range - o.shard.index - 1) / o.shard.count + 1;
  plan.jobs = o.jobs;
  return plan;
}

std::string plural(std::uint64_t n, const std::string& noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

std::string header(const FuzzOptions& o, const SeedPlan& plan) {
  std::string text = "fuzz: seeds " + std::to_string(o.seeds.first) + ".." +
                     std::to_string(o.seeds.last);
  if (o.shard.count > 1) {
    text += ", shard " + std::to_string(o.shard.index) + "/" + std::to_string(o.shard.count);
  }
  text += " (" + plural(plan.count, "seed") + "), budget " +
          std::string(sim::fuzz::to_string(o.job.budget)) + ", profile " + o.profile_name;
  std::string bugs;
  for (raft::Bug b : o.job.bugs) bugs += (bugs.empty() ? "" : ", ") + std::string(raft::to_string(b));
  if (!bugs.empty()) text += ", bugs re-introduced: " + bugs;
  text += ", " + plural(o.jobs, "job") + "; failures to " + o.job.out_dir + "/";
  text += o.job.shrink ? " (shrunk, at most " + std::to_string(o.job.max_shrink_runs) + " runs)"
                       : " (not shrunk)";
  return text;
}

std::string fixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

// "seed 17: pass (123456 events, 70000.0 ms simulated, 0.21 s wall)" /
// "seed 17: FAIL safety:SingleLeader: <detail> (...)".
std::string result_text(const json& line) {
  const std::string outcome = line.value("outcome", std::string("error"));
  std::string text = "seed " + std::to_string(line.value("seed", std::uint64_t{0})) + ": ";
  text += outcome == "pass" ? "pass" : "FAIL " + outcome;
  const std::string detail = line.value("detail", std::string());
  if (!detail.empty()) text += ": " + detail;
  text += " (" + std::to_string(line.value("events", std::uint64_t{0})) + " events, " +
          fixed(line.value("sim_time_ms", 0.0), 1) + " ms simulated, " +
          fixed(line.value("wall_ms", 0.0) / 1000.0, 2) + " s wall)";
  return text;
}

std::int64_t ms_since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

// The parent's side of a campaign: output, progress, results in order, the summary.
class Campaign {
 public:
  Campaign(const FuzzOptions& options, const SeedPlan& plan, std::ostream& out, std::ostream& err,
           const Terminal& terminal)
      : options_(options),
        plan_(plan),
        out_(out),
        start_(Clock::now()),
        progress_(resolve(options.progress, terminal.stderr_is_tty), plan.count, terminal.width, err, 0) {
    if (options.results) {
      results_.open(*options.results, std::ios::trunc);
      if (!results_) throw UsageError{"--results: cannot write '" + *options.results + "'"};
    }
  }

  int run() {
    if (!options_.quiet) print(header(options_, plan_));
    WorkerEvents events;
    events.on_start = [this](std::uint64_t, const std::string& summary) {
      if (!options_.quiet) print(summary);
    };
    events.on_note = [this](std::uint64_t seed, const std::string& text) { notes_[seed].push_back(text); };
    events.on_result = [this](std::uint64_t position, json line) { seed_done(position, std::move(line)); };
    events.on_died = [this](std::uint64_t position, std::uint64_t seed, const std::string& reason,
                            double wall_ms) {
      seed_done(position, died_seed_line(options_.job, seed, reason, wall_ms));
    };
    events.on_tick = [this] { progress_.tick(ms_since(start_)); };
    const SeedJob& job = options_.job;
    run_workers(plan_, [&job](std::uint64_t seed, SeedChannel& channel) { run_seed(job, seed, channel); },
                events);
    progress_.finish();
    const double wall_ms = std::chrono::duration<double, std::milli>(Clock::now() - start_).count();
    report_.print(out_, CampaignTiming{wall_ms, false, options_.jobs});
    if (options_.results) {
      out_ << "results: " << *options_.results << " (" << plural(in_order_.emitted(), "line")
           << ", sorted by seed)\n";
    }
    out_ << std::flush;
    return report_.exit_code();
  }

 private:
  // A line on stdout, around the progress bar.
  void print(const std::string& line) {
    progress_.clear();
    out_ << line << "\n" << std::flush;
    progress_.restore(ms_since(start_));
  }

  void seed_done(std::uint64_t position, json line) {
    const std::uint64_t seed = line.value("seed", std::uint64_t{0});
    const std::string outcome = line.value("outcome", std::string("error"));
    const std::vector<std::string> notes = std::move(notes_[seed]);
    notes_.erase(seed);
    if (!options_.quiet || outcome != "pass") {
      print(result_text(line));
      for (const std::string& note : notes) print("  " + note);
    }
    progress_.seed_done(outcome, ms_since(start_));
    in_order_.add(position, std::move(line), [this](const json& ready) { keep(ready); });
  }

  // A result whose lower seeds are all done: into the file and the summary.
  void keep(const json& line) {
    report_.add(line);
    if (!results_.is_open()) return;
    results_ << line.dump(-1, ' ', false, json::error_handler_t::replace) << "\n" << std::flush;
    if (!results_) throw std::runtime_error("--results: failed writing '" + *options_.results + "'");
  }

  const FuzzOptions& options_;
  const SeedPlan& plan_;
  std::ostream& out_;
  Clock::time_point start_;
  Progress progress_;
  std::ofstream results_;
  std::map<std::uint64_t, std::vector<std::string>> notes_;  // per seed, until its result
  InOrder in_order_;
  FuzzReport report_;
};

}  // namespace

int fuzz_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                 const Terminal& terminal) {
  const FuzzOptions options = parse_fuzz(args);
  const SeedPlan plan = plan_of(options);
  Campaign campaign(options, plan, out, err, terminal);
  return campaign.run();
}

}  // namespace kraftsim::cli
