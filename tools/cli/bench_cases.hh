// The cases of `kraftsim bench` (bench_command.hh) and how one is measured, in the calling process
// (bench_child.hh runs this in a child process, so that its peak memory is the case's own).
//
// Cases, by the name --cases takes:
//   default        scenarios/default.json (3 controllers, 3 brokers, failovers; 50 simulated s)
//   steady-5c10b   scenarios/perf/steady-metadata-writes.json (5 controllers, 10 brokers, a topic
//                  of 4 partitions every 100 ms, no faults; 120 simulated s)
//   fuzz           seeds 0..K-1 of the built-in fuzz profile (sim/fuzz/profile.hh), budget within
//                  tolerance, no shrinking: generate_case + run_and_classify, one after the other
//                  in this one thread
//   2m             scenarios/perf/metadata-2m-partitions.json (2,000,000 partitions; only with
//                  --large; always one run)
//
// One run of a scenario case is Simulation(scenario, scenario.seed) constructed and run to its end
// (what `kraftsim run` times: loading the file and destroying the simulation are not counted). One
// run of the fuzz case is all K seeds, drawn, run and classified. Runs are deterministic, so every
// run of a case must give the same trace hash (fuzz: the same hash of the seeds' trace hashes and
// the same outcome counts); only the timing differs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace kraftsim::cli {

// Case names, in the order they run and are reported.
inline constexpr std::string_view kCaseDefault = "default";
inline constexpr std::string_view kCaseSteady = "steady-5c10b";
inline constexpr std::string_view kCaseFuzz = "fuzz";
inline constexpr std::string_view kCaseLarge = "2m";
inline constexpr std::string_view kAllCases[] = {kCaseDefault, kCaseSteady, kCaseFuzz, kCaseLarge};

// What to run for one case.
struct CaseSpec {
  enum class Kind { Scenario, Fuzz };
  std::string name;            // one of kAllCases
  Kind kind = Kind::Scenario;
  std::filesystem::path file;  // Scenario: the scenario file; empty for Fuzz
  std::size_t runs = 5;        // >= 1
  std::uint64_t fuzz_seeds = 40;  // Fuzz: seeds 0..fuzz_seeds-1 per run, >= 1
};

// The spec of case `name` (one of kAllCases) with scenario files under `scenarios_dir`. The 2m
// case always gets runs = 1.
CaseSpec make_case(std::string_view name, const std::filesystem::path& scenarios_dir,
                   std::size_t runs, std::uint64_t fuzz_seeds);

// What one run measured.
struct BenchRun {
  double wall_ms = 0;           // wall-clock milliseconds (steady_clock)
  std::uint64_t events = 0;     // events processed (fuzz: summed over the seeds)
  std::int64_t sim_us = 0;      // simulated microseconds at the end (fuzz: summed over the seeds)
  // The run's trace hash; fuzz: a hash of the seeds' trace hashes, in seed order.
  std::uint64_t trace_hash = 0;
  // Fuzz only: seeds per outcome class ("pass", "safety:SingleLeader"...).
  std::map<std::string, std::uint64_t> outcomes;
};

// A case's runs and verdict.
struct CaseMeasurement {
  // The runs made, in order: all spec.runs of them, or fewer when a run failed (the failing run
  // is included when it finished).
  std::vector<BenchRun> runs;
  bool ok = true;
  // Why not ok: a run's outcome was not success ("run 2: expectation-failed: ..."), a fuzz seed
  // did not pass ("run 1: seed 7: safety:SingleLeader: ..."), or a run's trace hash differed from
  // the first run's ("determinism broke: ...").
  std::string reason;
};

// Runs the case `spec.runs` times in this process and thread. Stops at the first failed run.
// Throws sim::ScenarioError for a missing or invalid scenario file.
CaseMeasurement measure_case(const CaseSpec& spec);

}  // namespace kraftsim::cli
