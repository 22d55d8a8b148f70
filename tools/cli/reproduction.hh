// Reproduction files of fuzz failures (`kraftsim fuzz`, `kraftsim shrink`): their paths and
// descriptions, writing them, checking that a written file replays the run it was written from,
// and the one-line account of a shrink.
//
// A reproduction is a scenario file (sim/scenario/scenario_writer.hh) whose description says the
// outcome class and how to replay it ("kraftsim run PATH"); the replay check loads the file back
// and runs it (sim::fuzz::run_and_classify) and compares the class and the trace hash.
#pragma once

#include <string>

#include "sim/fuzz/outcome.hh"
#include "sim/fuzz/shrinker.hh"
#include "sim/scenario/scenario.hh"

namespace kraftsim::cli {

// "DIR/seed-17.json" (the directory as given, "" meaning the current one).
std::string reproduction_path(const std::string& dir, std::uint64_t seed);

// "x/seed-17.shrunk.json" for "x/seed-17.json"; a path not ending in ".json" gets
// ".shrunk.json" appended.
std::string shrunk_path_for(const std::string& path);

// The description of a reproduction written to `path`: the class, the detail (cut to a few
// hundred characters), the replay command, then `drawn` (how the case was drawn).
std::string reproduction_description(const sim::fuzz::RunOutcome& outcome, const std::string& path,
                                     const std::string& drawn);

// The description of a shrunk reproduction of `from` written to `path`: the class it still fails
// with, the runs, the kept edits, the replay command, then the `original` description.
std::string shrunk_description(const sim::fuzz::ShrinkResult& shrunk, const std::string& from,
                               const std::string& path, const std::string& original);

// Writes `s` (scenario_to_text) to `path`, creating its directory; throws std::runtime_error
// naming the path when that fails.
void write_scenario_file(const std::string& path, const sim::Scenario& s);

// The run of the file at `path` compared with `expected`.
struct ReplayCheck {
  sim::fuzz::RunOutcome replayed;
  bool same = false;  // same class and trace hash
};
ReplayCheck check_replay(const std::string& path, const sim::fuzz::RunOutcome& expected);

// "(replays: safety:SingleLeader, trace hash 0x...)" or "(DOES NOT REPLAY: the file gives pass,
// trace hash 0x..., the run gave safety:SingleLeader, trace hash 0x...)".
std::string describe_replay(const ReplayCheck& check, const sim::fuzz::RunOutcome& expected);

// "actions 23 -> 4, controllers 5 -> 3, brokers 4 -> 1, stop 61000 ms -> 12001 ms, topics 3 -> 1,
// expectations 4 -> 0".
std::string describe_sizes(const sim::fuzz::ScenarioSize& before,
                           const sim::fuzz::ScenarioSize& after);

// "shrunk in 57 runs: actions 23 -> 4, ..." (+ " (run budget exhausted)").
std::string describe_shrink(const sim::fuzz::ShrinkResult& shrunk);

}  // namespace kraftsim::cli
