// What `kraftsim bench` (bench_command.hh) reports: each case as JSON, the JSON result file
// around them, and the table printed on stdout.
//
// A case (case_json), for every case kind:
//   name, kind ("scenario" or "fuzz"), file (the scenario file; null for fuzz), ok (bool), reason
//   (why it failed; null when ok), run_count (runs made), events and simulated_seconds (of one run;
//   fuzz: summed over its seeds; equal in every run), trace_hash (of one run, "0x" + 16 hex
//   digits; fuzz: a hash of the seeds' trace hashes in seed order), wall_ms, events_per_s and
//   sim_s_per_wall_s as {median, min, max} over the runs, runs (every run's raw figures: wall_ms,
//   events, simulated_seconds, events_per_s, sim_s_per_wall_s, trace_hash), and peak_rss_mib (the
//   peak resident set size of the child process that ran the case, MiB; null if unknown). A
//   case without any finished run has null events, simulated_seconds, trace_hash and stats.
// The fuzz case also has: seeds (per run), seeds_per_min_per_core as {median, min, max} (one
//   thread: seeds / wall minutes of the run), outcomes (seeds per outcome class, e.g.
//   {"pass": 40}), and seeds_per_min_per_core in each run.
//
// The result file (result_document): schema_version (kSchemaVersion), label, build_type
// ("Release" or "Debug"), build_type_source (how build_type was found), optimized (compiled with
// optimization), compiler, cores (std::thread::hardware_concurrency), runs, fuzz_seeds, quick,
// large, median_rule (bench_stats.hh), timestamp_utc, ok (every case ok), cases (in run order),
// units (what each figure means).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "tools/cli/bench_cases.hh"

namespace kraftsim::cli {

inline constexpr int kSchemaVersion = 1;

// The case's JSON (without peak_rss_mib: the parent adds it).
nlohmann::json case_json(const CaseSpec& spec, const CaseMeasurement& m);

// The JSON of a case that could not be measured (its child died, or the case could not start).
nlohmann::json failed_case_json(const CaseSpec& spec, const std::string& reason);

// How this kraftsim was built, as the result file says it.
struct BuildInfo {
  std::string build_type;         // "Release" or "Debug"
  std::string build_type_source;  // how build_type was decided
  bool optimized = false;         // compiled with optimization (__OPTIMIZE__)
  bool assertions = true;         // NDEBUG not defined: a Debug build, figures not representative
  std::string compiler;           // e.g. "g++ 12.2.0"
  unsigned cores = 0;             // std::thread::hardware_concurrency (0: unknown)
};
BuildInfo build_info();

// The command line's settings, as the result file says them.
struct BenchSettings {
  std::string label;
  std::size_t runs = 5;
  std::uint64_t fuzz_seeds = 40;
  bool quick = false;
  bool large = false;
};

// The whole result file.
nlohmann::json result_document(const BenchSettings& settings, const BuildInfo& build,
                               const std::vector<nlohmann::json>& cases);

// The table: a header line, one line per case (a failed case: "FAILED: <reason>"), and for the
// fuzz case one more line with its seeds per minute and outcomes. Reads the cases of a
// result_document.
void print_table(std::ostream& out, const nlohmann::json& document);

}  // namespace kraftsim::cli
