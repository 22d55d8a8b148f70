// One seed of `kraftsim fuzz`, as a worker runs it: draw the case (sim::fuzz::generate_case), tell
// the parent its summary, run and classify it (sim::fuzz::run_and_classify) and, for a failure,
// write the reproduction DIR/seed-<N>.json, load it back and run it again to confirm that it
// replays (same class and trace hash), shrink it (sim::fuzz::shrink) and write
// DIR/seed-<N>.shrunk.json (checked the same way). Ends with the seed's results line.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "raft/common/bugs.hh"
#include "sim/fuzz/generator.hh"
#include "sim/fuzz/profile.hh"
#include "tools/cli/fuzz_workers.hh"

namespace kraftsim::cli {

// What every seed of a campaign shares.
struct SeedJob {
  sim::fuzz::Profile profile;
  sim::fuzz::Budget budget = sim::fuzz::Budget::WithinTolerance;
  raft::BugSet bugs;
  std::string out_dir = "fuzz-failures";  // created at the first failure
  bool shrink = true;
  std::size_t max_shrink_runs = 500;      // sim::fuzz::ShrinkOptions::max_runs
  // --trace-format: each failure's reproduction (and shrunk file) is also replayed into a trace
  // next to it, DIR/seed-<N>.trace.jsonl (jsonl) or DIR/seed-<N>.trace.json (chrome);
  // none by default.
  enum class TraceFormat { None, Jsonl, Chrome };
  TraceFormat trace = TraceFormat::None;
};

// Runs `seed` and reports it through `channel`: start, notes (files written, replay checks, the
// shrink), result. Never throws: a failure of kraftsim itself becomes the outcome "error".
void run_seed(const SeedJob& job, std::uint64_t seed, SeedChannel& channel);

// The results line of a seed that got no result because its worker died: outcome "error", detail
// `reason`, the settings drawn again (null if that fails too).
nlohmann::json died_seed_line(const SeedJob& job, std::uint64_t seed, const std::string& reason,
                              double wall_ms);

}  // namespace kraftsim::cli
