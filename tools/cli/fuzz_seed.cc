// One seed of a fuzz campaign (fuzz_seed.hh).
#include "tools/cli/fuzz_seed.hh"

#include <chrono>
#include <exception>

#include "sim/fuzz/outcome.hh"
#include "sim/fuzz/shrinker.hh"
#include "sim/scenario/scenario_loader.hh"
#include "sim/simulation.hh"
#include "tools/cli/flags.hh"
#include "tools/cli/reproduction.hh"
#include "tools/cli/results_file.hh"
#include "tools/cli/trace_options.hh"

namespace kraftsim::cli {

namespace {

using Clock = std::chrono::steady_clock;

void record_run(SeedRecord& record, const sim::fuzz::RunOutcome& o) {
  record.outcome = o.outcome;
  record.invariant = o.invariant;
  record.detail = o.detail;
  record.events = o.events;
  record.trace_hash = o.trace_hash;
  record.sim_time_ms = static_cast<double>(o.sim_time.us()) / 1000.0;
}

// With --trace-format, replays the scenario file at `path` into a trace file next to it
// ("seed-3.json" -> "seed-3.trace.jsonl" / "seed-3.trace.json"; the shrunk file's likewise).
void write_trace(const SeedJob& job, const std::string& path, SeedChannel& channel) {
  if (job.trace == SeedJob::TraceFormat::None) return;
  const bool chrome = job.trace == SeedJob::TraceFormat::Chrome;
  const std::string stem = path.size() > 5 ? path.substr(0, path.size() - 5) : path;  // ".json"
  const std::string trace_path = stem + (chrome ? ".trace.json" : ".trace.jsonl");
  try {
    const sim::Scenario scenario = sim::load_scenario_file(path);
    TraceExport trace(trace_path, chrome, sim::trace_export::TraceFilter{}, trace_roles(scenario));
    sim::Simulation(scenario, scenario.seed, &trace.listener()).run();
    trace.finish();
    channel.note("trace: " + trace_path);
  } catch (const UsageError& e) {
    channel.note("no trace: " + e.message);
  } catch (const std::exception& e) {
    channel.note(std::string("no trace: ") + e.what());
  }
}

// Shrinks the reproduction at `path` and writes the shrunk file next to it.
void shrink_reproduction(const SeedJob& job, const std::string& path, const std::string& drawn,
                         SeedRecord& record, SeedChannel& channel) {
  sim::fuzz::ShrinkOptions options;
  options.max_runs = job.max_shrink_runs;
  sim::fuzz::ShrinkResult shrunk;
  try {
    shrunk = sim::fuzz::shrink(sim::load_scenario_file(path), options);
  } catch (const std::invalid_argument& e) {
    channel.note(std::string("not shrunk: ") + e.what());
    return;
  }
  const std::string shrunk_path = shrunk_path_for(path);
  shrunk.scenario.description = shrunk_description(shrunk, path, shrunk_path, drawn);
  write_scenario_file(shrunk_path, shrunk.scenario);
  record.shrunk = shrunk_path;
  record.shrunk_actions = shrunk.after.actions;
  const ReplayCheck replay = check_replay(shrunk_path, shrunk.outcome);
  channel.note(describe_shrink(shrunk) + ": " + shrunk_path + " " +
               describe_replay(replay, shrunk.outcome));
  write_trace(job, shrunk_path, channel);
}

// Writes, checks and shrinks the reproduction of a failing case.
void keep_failure(const SeedJob& job, const sim::fuzz::FuzzCase& fuzz_case,
                  const sim::fuzz::RunOutcome& outcome, SeedRecord& record, SeedChannel& channel) {
  const std::string path = reproduction_path(job.out_dir, fuzz_case.seed);
  sim::Scenario scenario = fuzz_case.scenario;
  scenario.description = reproduction_description(outcome, path, fuzz_case.scenario.description);
  write_scenario_file(path, scenario);
  record.reproduction = path;
  const ReplayCheck replay = check_replay(path, outcome);
  record.replays = replay.same;
  channel.note("reproduction: " + path + " " + describe_replay(replay, outcome));
  write_trace(job, path, channel);
  if (job.shrink) shrink_reproduction(job, path, fuzz_case.scenario.description, record, channel);
}

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

}  // namespace

void run_seed(const SeedJob& job, std::uint64_t seed, SeedChannel& channel) {
  const Clock::time_point start = Clock::now();
  SeedRecord record;
  record.seed = seed;
  record.budget = std::string(sim::fuzz::to_string(job.budget));
  bool ran = false;
  try {
    const sim::fuzz::FuzzCase fuzz_case = sim::fuzz::generate_case(job.profile, seed, job.budget, job.bugs);
    record.settings = fuzz_case.settings;
    channel.start(fuzz_case.summary);
    const sim::fuzz::RunOutcome outcome = sim::fuzz::run_and_classify(fuzz_case.scenario);
    record_run(record, outcome);
    ran = true;
    if (!outcome.passed()) keep_failure(job, fuzz_case, outcome, record, channel);
  } catch (const std::exception& e) {
    if (ran) {
      // The run's class stands; only the files around it failed.
      channel.note(std::string("kraftsim could not keep this failure: ") + e.what());
    } else {
      record.outcome = "error";
      record.invariant.clear();
      record.detail = e.what();
    }
  }
  record.wall_ms = ms_since(start);
  channel.result(to_json(record));
}

nlohmann::json died_seed_line(const SeedJob& job, std::uint64_t seed, const std::string& reason,
                              double wall_ms) {
  SeedRecord record;
  record.seed = seed;
  record.budget = std::string(sim::fuzz::to_string(job.budget));
  try {
    record.settings = sim::fuzz::generate_case(job.profile, seed, job.budget, job.bugs).settings;
  } catch (const std::exception&) {
    record.settings = nullptr;
  }
  record.outcome = "error";
  record.detail = reason;
  record.wall_ms = wall_ms;
  return to_json(record);
}

}  // namespace kraftsim::cli
