// Measuring one case of `kraftsim bench` (bench_cases.hh).
#include "tools/cli/bench_cases.hh"

#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>
#include <utility>

#include "raft/common/hash.hh"
#include "sim/fuzz/generator.hh"
#include "sim/fuzz/outcome.hh"
#include "sim/fuzz/profile.hh"
#include "sim/run_result_json.hh"
#include "sim/scenario/scenario_loader.hh"
#include "sim/simulation.hh"

namespace kraftsim::cli {

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// Why a finished scenario run did not succeed: its outcome, then the violation or the first failed
// expectation.
std::string failure_of(const sim::RunResult& r) {
  std::string text(sim::to_string(r.outcome));
  if (r.violation) {
    text += ": " + r.violation->invariant + ": " + r.violation->detail;
  } else {
    for (const sim::ExpectationResult& e : r.expectations) {
      if (e.passed) continue;
      text += ": " + e.description + " (observed: " + e.observed + ")";
      break;
    }
  }
  if (r.outcome == sim::Outcome::LivenessFailure) text += ": " + r.stop_reason;
  return text;
}

// One run of a scenario case; `failure` is set when its outcome is not success.
BenchRun run_scenario(const sim::Scenario& scenario, std::optional<std::string>& failure) {
  sim::Scenario copy = scenario;  // copied outside the timed part
  const Clock::time_point start = Clock::now();
  auto simulation = std::make_unique<sim::Simulation>(std::move(copy), scenario.seed);
  const sim::RunResult result = simulation->run();
  BenchRun run;
  run.wall_ms = ms_since(start);
  simulation.reset();  // destroyed outside the timed part, as `kraftsim run` does
  run.events = result.events;
  run.sim_us = result.sim_time.us();
  run.trace_hash = result.trace_hash;
  if (result.outcome != sim::Outcome::Success) failure = failure_of(result);
  return run;
}

// One run of the fuzz case; `failure` is set at the first seed that does not pass (the other
// seeds still run, so the run's figures stay comparable).
BenchRun run_fuzz(const sim::fuzz::Profile& profile, std::uint64_t seeds,
                  std::optional<std::string>& failure) {
  BenchRun run;
  raft::Hasher hashes;
  const Clock::time_point start = Clock::now();
  for (std::uint64_t seed = 0; seed < seeds; ++seed) {
    const sim::fuzz::FuzzCase c =
        sim::fuzz::generate_case(profile, seed, sim::fuzz::Budget::WithinTolerance);
    const sim::fuzz::RunOutcome o = sim::fuzz::run_and_classify(c.scenario);
    run.events += o.events;
    run.sim_us += o.sim_time.us();
    hashes.add(o.trace_hash);
    ++run.outcomes[o.outcome];
    if (!o.passed() && !failure) {
      failure = "seed " + std::to_string(seed) + ": " + o.outcome + ": " + o.detail;
    }
  }
  run.wall_ms = ms_since(start);
  run.trace_hash = hashes.digest();
  return run;
}

// "" when `run` gave what `first` gave, else why determinism broke.
std::string mismatch(const BenchRun& first, const BenchRun& run, std::size_t index) {
  const std::string which = "run " + std::to_string(index + 1);
  if (run.trace_hash != first.trace_hash) {
    return "determinism broke: " + which + " gave trace hash " + sim::format_hash(run.trace_hash) +
           ", run 1 gave " + sim::format_hash(first.trace_hash);
  }
  if (run.events != first.events || run.sim_us != first.sim_us || run.outcomes != first.outcomes) {
    return "determinism broke: " + which + " processed " + std::to_string(run.events) +
           " events, run 1 " + std::to_string(first.events) + " (same trace hash)";
  }
  return "";
}

}  // namespace

CaseSpec make_case(std::string_view name, const std::filesystem::path& scenarios_dir,
                   std::size_t runs, std::uint64_t fuzz_seeds) {
  CaseSpec spec;
  spec.name = std::string(name);
  spec.runs = runs;
  spec.fuzz_seeds = fuzz_seeds;
  if (name == kCaseDefault) {
    spec.file = scenarios_dir / "default.json";
  } else if (name == kCaseSteady) {
    spec.file = scenarios_dir / "perf" / "steady-metadata-writes.json";
  } else if (name == kCaseFuzz) {
    spec.kind = CaseSpec::Kind::Fuzz;
  } else if (name == kCaseLarge) {
    spec.file = scenarios_dir / "perf" / "metadata-2m-partitions.json";
    spec.runs = 1;
  } else {
    throw std::invalid_argument("make_case: unknown case '" + std::string(name) + "'");
  }
  return spec;
}

CaseMeasurement measure_case(const CaseSpec& spec) {
  CaseMeasurement m;
  std::optional<sim::Scenario> scenario;
  if (spec.kind == CaseSpec::Kind::Scenario) scenario = sim::load_scenario_file(spec.file.string());
  const sim::fuzz::Profile profile = sim::fuzz::default_profile();
  for (std::size_t i = 0; i < spec.runs; ++i) {
    std::optional<std::string> failure;
    BenchRun run = scenario ? run_scenario(*scenario, failure)
                            : run_fuzz(profile, spec.fuzz_seeds, failure);
    m.runs.push_back(std::move(run));
    if (failure) {
      m.ok = false;
      m.reason = "run " + std::to_string(i + 1) + ": " + *failure;
      return m;
    }
    if (std::string broke = mismatch(m.runs.front(), m.runs.back(), i); !broke.empty()) {
      m.ok = false;
      m.reason = std::move(broke);
      return m;
    }
  }
  return m;
}

}  // namespace kraftsim::cli
