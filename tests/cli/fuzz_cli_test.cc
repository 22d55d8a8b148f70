// Tests for `kraftsim fuzz`, `kraftsim shrink` and `kraftsim merge` driven in-process (cli::main
// with string streams): flag errors and their exact messages, the results file (every field,
// sorted by seed), worker processes giving the same runs as one worker, shards merging back into
// the whole range, merge's checks, the progress output, and failures found with a historical bug
// written as reproductions that replay with `kraftsim run`.
//
// The campaigns use a small profile (3 controllers, 3 brokers, short phases) written to a temp
// directory, so that they stay fast under ASan too.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "sim/fuzz/profile.hh"
#include "tests/cli/support/cli_harness.hh"
#include "tools/cli/cli.hh"

using kraftsim::cli::testing::CliRun;
using kraftsim::cli::testing::contains;
using kraftsim::cli::testing::line_starting_with;
using kraftsim::cli::testing::read_file;
using kraftsim::cli::testing::run_cli;
using kraftsim::cli::testing::TempDir;
using nlohmann::json;

namespace {

// A small, fast profile: 3 controllers, 3 brokers, safety 8-10 s, liveness 20 s.
std::string write_small_profile(const TempDir& dir) {
  sim::fuzz::Profile p = sim::fuzz::default_profile();
  p.controllers = {3};
  p.brokers = {3, 3};
  p.safety_ms = {8'000, 10'000};
  p.liveness_ms = 20'000;
  p.topics = {1, 2};
  p.partitions = {1, 4};
  return dir.write("small-profile.json", sim::fuzz::profile_to_json(p).dump(2));
}

// The lines of a file or text (without the newlines; a last empty line dropped).
std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<json> results_of(const std::string& path) {
  std::vector<json> out;
  for (const std::string& line : lines_of(read_file(path))) out.push_back(json::parse(line));
  return out;
}

// "seed outcome trace_hash" per line: what must not depend on jobs or shards.
std::vector<std::string> runs_of(const std::vector<json>& results) {
  std::vector<std::string> out;
  for (const json& r : results) {
    out.push_back(std::to_string(r["seed"].get<std::uint64_t>()) + " " + r["outcome"].get<std::string>() +
                  " " + r["trace_hash"].get<std::string>() + " " +
                  std::to_string(r["events"].get<std::uint64_t>()));
  }
  return out;
}

std::vector<std::uint64_t> seeds_of(const std::vector<json>& results) {
  std::vector<std::uint64_t> out;
  for (const json& r : results) out.push_back(r["seed"].get<std::uint64_t>());
  return out;
}

// A campaign over `seeds` with the small profile, no progress output, results to `results`.
CliRun fuzz(const TempDir& dir, const std::string& seeds, const std::string& results,
            std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"fuzz",      "--seeds",   seeds,         "--profile",
                                   write_small_profile(dir), "--results",   results,
                                   "--out",     (dir.path() / "failures").string()};
  if (std::find(extra.begin(), extra.end(), "--progress") == extra.end()) {
    extra.insert(extra.end(), {"--progress", "none"});
  }
  args.insert(args.end(), extra.begin(), extra.end());
  return run_cli(args);
}

// Runs `kraftsim ARGS` as if stderr were a terminal `width` columns wide.
CliRun run_cli_on_terminal(const std::vector<std::string>& args, int width) {
  return run_cli(args, kraftsim::cli::Terminal{true, width});
}

}  // namespace

// ---- flags -----------------------------------------------------------------------------------

TEST_CASE("fuzz cli: a bad flag value exits 2 naming the flag, the value and what was expected") {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"--seeds", "5..2"}, "--seeds: got '5..2', expected A..B with A <= B"},
      {{"--seeds", "abc"}, "--seeds: got 'abc', expected N or A..B (unsigned 64-bit integers, A <= B)"},
      {{"--seeds", "3..x"}, "--seeds: got '3..x', expected N or A..B (unsigned 64-bit integers, A <= B)"},
      {{"--seeds", "-1"}, "--seeds: got '-1', expected N or A..B (unsigned 64-bit integers, A <= B)"},
      {{"--seeds", "0..18446744073709551615"},
       "--seeds: got '0..18446744073709551615', expected a range of at most 18446744073709551615 seeds"},
      {{"--shard", "2/2"}, "--shard: got '2/2', expected K/N with 0 <= K < N"},
      {{"--shard", "0/0"}, "--shard: got '0/0', expected K/N with 0 <= K < N"},
      {{"--shard", "1"}, "--shard: got '1', expected K/N (unsigned integers, 0 <= K < N)"},
      {{"--jobs", "0"}, "--jobs: got '0', expected an integer in 1..256"},
      {{"--jobs", "many"}, "--jobs: got 'many', expected an integer in 1..256"},
      {{"--budget", "sideways"}, "--budget: got 'sideways', expected within or beyond"},
      {{"--progress", "fancy"}, "--progress: got 'fancy', expected auto, bar, lines or none"},
      {{"--max-shrink-runs", "0"}, "--max-shrink-runs: got '0', expected an integer in 1..1000000000"},
      {{"--trace-format", "svg"}, "--trace-format: got 'svg', expected jsonl or chrome"},
      {{"--bug", "no-such-bug"},
       "--bug: got 'no-such-bug', expected one of no-check-quorum, hw-at-epoch-start, "
       "restart-as-leader, pre-vote-ping-pong, forget-brokers-on-activation"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args = {"fuzz"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    CAPTURE(c.message);
    const CliRun r = run_cli(args);
    CHECK(r.code == 2);
    CHECK(r.err == "kraftsim: " + c.message + "\n");
    CHECK(r.out.empty());
  }
}

TEST_CASE("fuzz cli: unknown flags, stray arguments and bad profiles exit 2") {
  const CliRun unknown = run_cli({"fuzz", "--sedes", "1..2"});
  CHECK(unknown.code == 2);
  CHECK(contains(unknown.err, "--sedes"));

  const CliRun stray = run_cli({"fuzz", "extra.json"});
  CHECK(stray.code == 2);
  CHECK(contains(stray.err, "kraftsim: "));

  TempDir dir;
  const CliRun missing = run_cli({"fuzz", "--profile", (dir.path() / "nope.json").string()});
  CHECK(missing.code == 2);
  CHECK(contains(missing.err, "nope.json"));
  CHECK(missing.out.empty());

  const std::string bad = dir.write("bad-profile.json", R"({"liveness_ms": "long"})");
  const CliRun invalid = run_cli({"fuzz", "--profile", bad});
  CHECK(invalid.code == 2);
  CHECK(contains(invalid.err, "bad-profile.json"));
  CHECK(contains(invalid.err, "liveness_ms"));
  CHECK(invalid.out.empty());
}

TEST_CASE("fuzz cli: --help documents fuzz, shrink and merge") {
  const CliRun r = run_cli({"--help"});
  REQUIRE(r.code == 0);
  for (const std::string text :
       {"kraftsim fuzz [--seeds A..B]", "kraftsim shrink FILE", "kraftsim merge FILE...",
        "--shard K/N", "--jobs N", "--results FILE", "--no-shrink", "--max-shrink-runs N",
        "--progress MODE", "--max-runs N"}) {
    CAPTURE(text);
    CHECK(contains(r.out, text));
  }
}

// ---- campaigns ------------------------------------------------------------------------------

TEST_CASE("fuzz cli: seeds 0..3 print each case before its run and write 4 sorted results lines") {
  TempDir dir;
  const std::string results = (dir.path() / "results.jsonl").string();
  const CliRun r = fuzz(dir, "0..3", results, {"--progress", "lines", "--jobs", "2", "--max-shrink-runs", "20"});
  CAPTURE(r.out);
  CAPTURE(r.err);
  REQUIRE((r.code == 0 || r.code == 3 || r.code == 4 || r.code == 5));

  const std::vector<json> lines = results_of(results);
  REQUIRE(lines.size() == 4);
  CHECK(seeds_of(lines) == std::vector<std::uint64_t>{0, 1, 2, 3});
  for (const json& line : lines) {
    CAPTURE(line.dump());
    for (const char* field : {"seed", "budget", "settings", "outcome", "invariant", "detail", "events",
                              "trace_hash", "sim_time_ms", "wall_ms", "reproduction", "shrunk",
                              "shrunk_actions", "replays"}) {
      CAPTURE(field);
      CHECK(line.contains(field));
    }
    CHECK(line["budget"] == "within");
    CHECK(line["settings"].is_object());
    CHECK(line["settings"]["seed"] == line["seed"]);
    CHECK(line["settings"]["controllers"] == 3);
    CHECK(line["trace_hash"].get<std::string>().size() == 18);
    CHECK(line["trace_hash"].get<std::string>().rfind("0x", 0) == 0);
    CHECK(line["events"].get<std::uint64_t>() > 100);
    CHECK(line["sim_time_ms"].get<double>() > 1000.0);
    CHECK(line["wall_ms"].get<double>() > 0.0);
    if (line["outcome"] == "pass") {
      CHECK(line["reproduction"].is_null());
      CHECK(line["shrunk"].is_null());
      CHECK(line["shrunk_actions"].is_null());
      CHECK(line["replays"].is_null());
      CHECK(line["detail"] == "");
    } else {
      CHECK(line["reproduction"].is_string());
      CHECK(line["replays"] == true);
    }
  }
  // Each case's summary comes before its result.
  for (int seed = 0; seed < 4; ++seed) {
    const std::string s = std::to_string(seed);
    CAPTURE(s);
    const std::size_t summary = r.out.find("\nseed " + s + " (within): ");
    const std::size_t result = r.out.find("\nseed " + s + ": ");
    REQUIRE(summary != std::string::npos);
    REQUIRE(result != std::string::npos);
    CHECK(summary < result);
  }
  CHECK(line_starting_with(r.out, "fuzz: seeds 0..3 (4 seeds), budget within, profile ") != "");
  CHECK(contains(r.out, "2 jobs"));
  CHECK(line_starting_with(r.out, "wall time: ").find(" seeds/s, ") != std::string::npos);
  CHECK(contains(line_starting_with(r.out, "wall time: "), " seeds/min, 2 jobs"));
  CHECK(contains(r.out, "results: " + results + " (4 lines, sorted by seed)\n"));

  // --progress lines: one line per 10% step, here one per seed, on stderr.
  const std::vector<std::string> progress = lines_of(r.err);
  REQUIRE(progress.size() == 4);
  for (std::size_t i = 0; i < progress.size(); ++i) {
    CAPTURE(progress[i]);
    const std::string head = "progress: " + std::to_string(i + 1) + "/4 seeds (" +
                             std::to_string((i + 1) * 25) + "%), ";
    CHECK(progress[i].rfind(head, 0) == 0);
    CHECK(contains(progress[i], " seeds/s, ETA "));
    CHECK(contains(progress[i], ", pass "));
    CHECK(contains(progress[i], ", fail "));
  }
  CHECK(contains(progress.back(), "ETA 0:00"));
}

TEST_CASE("fuzz cli: --jobs 2 runs exactly the same cases as --jobs 1") {
  TempDir dir;
  const std::string one = (dir.path() / "one.jsonl").string();
  const std::string two = (dir.path() / "two.jsonl").string();
  const CliRun a = fuzz(dir, "0..7", one, {"--jobs", "1", "--no-shrink"});
  const CliRun b = fuzz(dir, "0..7", two, {"--jobs", "2", "--no-shrink"});
  CHECK(a.code == b.code);
  const std::vector<std::string> runs_one = runs_of(results_of(one));
  CHECK(runs_one.size() == 8);
  CHECK(runs_one == runs_of(results_of(two)));
  CHECK(seeds_of(results_of(two)) == std::vector<std::uint64_t>{0, 1, 2, 3, 4, 5, 6, 7});
  // Different seeds, different runs.
  std::vector<std::string> hashes;
  for (const json& line : results_of(one)) hashes.push_back(line["trace_hash"].get<std::string>());
  std::sort(hashes.begin(), hashes.end());
  CHECK(std::unique(hashes.begin(), hashes.end()) == hashes.end());
}

TEST_CASE("fuzz cli: shards 0/2 and 1/2 merged give the whole range") {
  TempDir dir;
  const std::string whole = (dir.path() / "whole.jsonl").string();
  const std::string even = (dir.path() / "even.jsonl").string();
  const std::string odd = (dir.path() / "odd.jsonl").string();
  const std::string merged = (dir.path() / "merged.jsonl").string();
  const CliRun all = fuzz(dir, "10..15", whole, {"--no-shrink"});
  const CliRun s0 = fuzz(dir, "10..15", even, {"--shard", "0/2", "--jobs", "2", "--no-shrink"});
  const CliRun s1 = fuzz(dir, "10..15", odd, {"--shard", "1/2", "--no-shrink"});
  CHECK(contains(s0.out, "fuzz: seeds 10..15, shard 0/2 (3 seeds)"));
  CHECK(seeds_of(results_of(even)) == std::vector<std::uint64_t>{10, 12, 14});
  CHECK(seeds_of(results_of(odd)) == std::vector<std::uint64_t>{11, 13, 15});

  // Odd first: merge sorts by seed whatever the order of its files.
  const CliRun m = run_cli({"merge", odd, even, "--results", merged});
  CAPTURE(m.err);
  CHECK(m.code == all.code);
  CHECK(runs_of(results_of(merged)) == runs_of(results_of(whole)));
  CHECK(read_file(merged) != "");
  CHECK(contains(m.out, "merged 2 files: 6 lines, 6 seeds\n"));
  CHECK(contains(m.out, "(the sum of the seeds' wall_ms)"));
  CHECK(contains(m.out, " seeds/min per worker"));
  CHECK(contains(m.out, "results: " + merged + " (6 lines, sorted by seed)\n"));
  // The same summary as the campaign over the whole range (apart from the wall time).
  CHECK(line_starting_with(m.out, "summary: ") == line_starting_with(all.out, "summary: "));
  // The same seeds twice with the same outcomes: kept once.
  const CliRun again = run_cli({"merge", whole, even, odd});
  CHECK(again.code == all.code);
  CHECK(contains(again.out, "merged 3 files: 12 lines, 6 seeds\n"));
}

TEST_CASE("fuzz cli: an empty shard runs nothing and passes") {
  TempDir dir;
  const std::string results = (dir.path() / "r.jsonl").string();
  const CliRun r = fuzz(dir, "5", results, {"--shard", "1/2"});
  CHECK(r.code == 0);
  CHECK(contains(r.out, "summary: no failures in 0 seeds\n"));
  CHECK(read_file(results) == "");
}

// ---- merge ----------------------------------------------------------------------------------

TEST_CASE("fuzz cli: merge checks every line and rejects conflicting outcomes") {
  TempDir dir;
  const std::string a = dir.write("a.jsonl", R"({"seed": 1, "outcome": "pass", "wall_ms": 10}
{"seed": 2, "outcome": "safety:SingleLeader", "reproduction": "f/seed-2.json", "wall_ms": 30}
)");
  const std::string b = dir.write("b.jsonl", R"({"seed": 2, "outcome": "pass"}
)");
  const CliRun conflict = run_cli({"merge", a, b});
  CHECK(conflict.code == 2);
  CHECK(conflict.err == "kraftsim: merge: seed 2 has outcome \"safety:SingleLeader\" in " + a +
                            ":2 but \"pass\" in " + b + ":1\n");

  struct Case {
    std::string line;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"not json", ":1: got 'not json', expected a JSON object (one results line)"},
      {"[1, 2]", ":1: got '[1, 2]', expected a JSON object (one results line)"},
      {R"({"outcome": "pass"})", ":1: seed: got missing, expected an unsigned integer"},
      {R"({"seed": -3, "outcome": "pass"})", ":1: seed: got -3, expected an unsigned integer"},
      {R"({"seed": "7", "outcome": "pass"})", ":1: seed: got \"7\", expected an unsigned integer"},
      {R"({"seed": 7})",
       ":1: outcome: got missing, expected a string: pass, safety:<Invariant>, "
       "liveness:<expectation>, events_max or error"},
      {R"({"seed": 7, "outcome": "great"})",
       ":1: outcome: got \"great\", expected a string: pass, safety:<Invariant>, "
       "liveness:<expectation>, events_max or error"},
      {R"({"seed": 7, "outcome": "pass", "wall_ms": "slow"})",
       ":1: wall_ms: got \"slow\", expected a number"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.line);
    const std::string bad = dir.write("bad.jsonl", c.line + "\n");
    const CliRun r = run_cli({"merge", a, bad});
    CHECK(r.code == 2);
    CHECK(r.err == "kraftsim: " + bad + c.message + "\n");
    CHECK(r.out.empty());
  }

  const CliRun missing = run_cli({"merge", (dir.path() / "none.jsonl").string()});
  CHECK(missing.code == 2);
  CHECK(contains(missing.err, "none.jsonl: cannot open the results file for reading"));
  const CliRun nothing = run_cli({"merge"});
  CHECK(nothing.code == 2);
  CHECK(nothing.err == "kraftsim: merge: missing results FILE(s) (see kraftsim --help)\n");
}

TEST_CASE("fuzz cli: merge summarizes by class and exits with the worst class's code") {
  TempDir dir;
  const std::string a = dir.write("a.jsonl", R"({"seed": 4, "outcome": "liveness:active_controller", "wall_ms": 500}
{"seed": 1, "outcome": "pass", "wall_ms": 250}

{"seed": 9, "outcome": "events_max", "wall_ms": 250}
)");
  const std::string b = dir.write("b.jsonl", R"({"seed": 3, "outcome": "liveness:active_controller", "reproduction": "f/seed-3.json", "shrunk": "f/seed-3.shrunk.json", "wall_ms": 1000}
)");
  const CliRun r = run_cli({"merge", a, b});
  CAPTURE(r.err);
  CHECK(r.code == 4);
  CHECK(r.out ==
        "merged 2 files: 4 lines, 4 seeds\n"
        "summary: 4 seeds, 1 passed, 3 failed\n"
        "  liveness:active_controller: 2 seeds (3, 4)\n"
        "  events_max: 1 seed (9)\n"
        "reproduction files: 2 (f/seed-3.json, f/seed-3.shrunk.json)\n"
        "wall time: 2.0 s (the sum of the seeds' wall_ms), 2.00 seeds/s, 120.0 seeds/min per worker\n");

  const std::string c = dir.write("c.jsonl", R"({"seed": 5, "outcome": "safety:SingleLeader"}
{"seed": 6, "outcome": "error"}
)");
  const CliRun worst = run_cli({"merge", a, b, c});
  CHECK(worst.code == 3);
  // Without wall_ms on some lines, the sum is over those that have one.
  CHECK(contains(worst.out, "summary: 6 seeds, 1 passed, 5 failed\n"
                            "  safety:SingleLeader: 1 seed (5)\n"
                            "  liveness:active_controller: 2 seeds (3, 4)\n"
                            "  events_max: 1 seed (9)\n"
                            "  error: 1 seed (6)\n"));
  const std::string d = dir.write("d.jsonl", R"({"seed": 6, "outcome": "error"}
)");
  const CliRun error = run_cli({"merge", d});
  CHECK(error.code == 1);
  CHECK(error.out == "merged 1 file: 1 line, 1 seed\nsummary: 1 seed, 0 passed, 1 failed\n  error: 1 seed (6)\n");
  const std::string e = dir.write("e.jsonl", R"({"seed": 6, "outcome": "pass"}
)");
  const CliRun clean = run_cli({"merge", e});
  CHECK(clean.code == 0);
  CHECK(clean.out == "merged 1 file: 1 line, 1 seed\nsummary: no failures in 1 seed\n");
}

// ---- failures with a historical bug ---------------------------------------------------------

TEST_CASE("fuzz cli: shrink refuses a passing scenario") {
  TempDir dir;
  const std::string file = dir.write("ok.json", R"({
  "name": "ok",
  "description": "three controllers",
  "cluster": {"controllers": 3, "state_machine": "counter"},
  "workload": {"append_interval_ms": 10},
  "stop": {"at_ms": 2000}
}
)");
  const CliRun r = run_cli({"shrink", file, "--seed", "4"});
  CHECK(r.code == 2);
  CHECK(r.err == "kraftsim: " + file + " passes (seed 4): nothing to shrink\n");
  CHECK(!std::filesystem::exists(dir.path() / "ok.shrunk.json"));

  const CliRun bad = run_cli({"shrink", file, "--max-runs", "none"});
  CHECK(bad.code == 2);
  CHECK(bad.err == "kraftsim: --max-runs: got 'none', expected an integer in 1..1000000000\n");
  const CliRun nothing = run_cli({"shrink"});
  CHECK(nothing.code == 2);
  CHECK(nothing.err == "kraftsim: shrink: missing the scenario FILE (see kraftsim --help)\n");
}

TEST_CASE("fuzz cli: with forget-brokers-on-activation, seed 11 fails and its files replay") {
  // KAFKA-18138: a new active controller forgets the brokers' registrations. With the small
  // profile, seed 11 (a crash of the active controller and of a broker) shows it; seeds 10 and
  // 12 pass, and seed 11 passes without the bug.
  TempDir dir;
  const std::string results = (dir.path() / "r.jsonl").string();
  const std::string failures = (dir.path() / "failures").string();
  const CliRun clean = fuzz(dir, "11", results, {"--quiet"});
  CHECK(clean.code == 0);
  CHECK(clean.out == "summary: no failures in 1 seed\n" + line_starting_with(clean.out, "wall time: ") +
                         "\nresults: " + results + " (1 line, sorted by seed)\n");

  const CliRun r = fuzz(dir, "10..12", results,
                        {"--bug", "forget-brokers-on-activation", "--jobs", "2", "--max-shrink-runs", "15"});
  CAPTURE(r.out);
  CAPTURE(r.err);
  CHECK(r.code == 4);
  CHECK(contains(r.out, "bugs re-introduced: forget-brokers-on-activation"));
  CHECK(contains(r.out, "\nseed 11: FAIL liveness:live_partitions_led: "));
  CHECK(contains(r.out, "\nsummary: 3 seeds, 2 passed, 1 failed\n"
                        "  liveness:live_partitions_led: 1 seed (11)\n"
                        "files written: 2 (" + failures + "/seed-11.json, " + failures +
                        "/seed-11.shrunk.json)\n"));
  const std::string repro = failures + "/seed-11.json";
  const std::string shrunk = failures + "/seed-11.shrunk.json";
  CHECK(contains(r.out, "\n  reproduction: " + repro + " (replays: liveness:live_partitions_led, trace hash 0x"));
  CHECK(contains(r.out, "\n  shrunk in "));
  CHECK(contains(r.out, ": " + shrunk + " (replays: liveness:live_partitions_led, trace hash 0x"));

  const std::vector<json> lines = results_of(results);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0]["outcome"] == "pass");
  CHECK(lines[2]["outcome"] == "pass");
  const json& failed = lines[1];
  CHECK(failed["seed"] == 11);
  CHECK(failed["outcome"] == "liveness:live_partitions_led");
  CHECK(failed["invariant"] == "live_partitions_led");
  CHECK(failed["reproduction"] == repro);
  CHECK(failed["shrunk"] == shrunk);
  CHECK(failed["replays"] == true);
  CHECK(failed["shrunk_actions"].get<std::size_t>() >= 1);
  CHECK(failed["shrunk_actions"].get<std::size_t>() <= failed["settings"]["actions"].get<std::size_t>());

  // Both files say how to replay them, and do: the same class (exit 4) and trace hash.
  CHECK(contains(read_file(repro), "Fuzz failure: liveness:live_partitions_led ("));
  CHECK(contains(read_file(repro), "Replay: kraftsim run " + repro + "."));
  CHECK(contains(read_file(shrunk), "Shrunk from " + repro + " in "));
  CHECK(contains(read_file(shrunk), "Replay: kraftsim run " + shrunk + "."));
  const CliRun replay = run_cli({"run", repro, "--quiet"});
  CHECK(replay.code == 4);
  CHECK(contains(replay.out, "trace hash " + failed["trace_hash"].get<std::string>() + ", bugs re-introduced: "
                             "forget-brokers-on-activation"));
  const CliRun replay_shrunk = run_cli({"run", shrunk, "--quiet"});
  CHECK(replay_shrunk.code == 4);

  // `kraftsim shrink` on the reproduction: the same class, its own file.
  const std::string again = (dir.path() / "again.json").string();
  const CliRun s = run_cli({"shrink", repro, "--out", again, "--max-runs", "10"});
  CAPTURE(s.out);
  CHECK(s.code == 4);
  CHECK(s.out.rfind(repro + " (seed 11): liveness:live_partitions_led: ", 0) == 0);
  CHECK(contains(s.out, "\nshrinking, at most 10 runs...\n"));
  CHECK(contains(s.out, "\nshrunk in "));
  CHECK(contains(s.out, "\nkept edits: "));
  CHECK(contains(s.out, "\nwrote " + again + " (replays: liveness:live_partitions_led, trace hash 0x"));
  CHECK(contains(s.out, "\nresult: liveness:live_partitions_led (exit 4), seed 11, trace hash 0x"));
  CHECK(run_cli({"run", again, "--quiet"}).code == 4);
  // Without --out: next to the file, .json -> .shrunk.json.
  const CliRun default_out = run_cli({"shrink", repro, "--max-runs", "3"});
  CHECK(default_out.code == 4);
  CHECK(contains(default_out.out, "\nwrote " + shrunk + " ("));
}

TEST_CASE("fuzz cli: on a terminal, a progress bar on stderr, cleared at the end") {
  TempDir dir;
  const CliRun r = run_cli_on_terminal(
      {"fuzz", "--seeds", "3..4", "--profile", write_small_profile(dir), "--out",
       (dir.path() / "f").string()},
      100);
  CAPTURE(r.err);
  CHECK(r.code == 0);
  CHECK(r.err.rfind("\r\033[K[", 0) == 0);
  // Drawn at the start (later states may fall within 100 ms of the previous draw: they are
  // tested in fuzz_parts_test.cc).
  CHECK(contains(r.err, "] 0/2 seeds  0.0 seeds/s  ETA -  pass 0  fail 0"));
  CHECK(r.err.find('\n') == std::string::npos);
  CHECK(r.err.substr(r.err.size() - 4) == "\r\033[K");
  CHECK(contains(r.out, "\nsummary: no failures in 2 seeds\n"));
  const CliRun none = run_cli_on_terminal(
      {"fuzz", "--seeds", "3", "--profile", write_small_profile(dir), "--progress", "none", "--out",
       (dir.path() / "f").string()},
      100);
  CHECK(none.code == 0);
  CHECK(none.err.empty());
}

TEST_CASE("fuzz cli: --trace-format writes a trace of each failure next to its reproduction") {
  const TempDir dir;
  const CliRun r = run_cli({"fuzz", "--seeds", "3", "--bug", "no-check-quorum", "--no-shrink",
                            "--progress", "none", "--trace-format", "jsonl", "--out", dir.path().string()});
  CHECK(r.code == kraftsim::cli::kExitSafetyViolation);
  const std::filesystem::path trace = dir.path() / "seed-3.trace.jsonl";
  CHECK(contains(r.out, "trace: " + trace.string()));
  std::ifstream in(trace);
  REQUIRE(in.good());
  std::string line;
  std::string last;
  std::size_t lines = 0;
  while (std::getline(in, line)) {
    last = line;
    ++lines;
  }
  CHECK(lines > 100);
  const nlohmann::json end = nlohmann::json::parse(last);
  CHECK(end["kind"] == "end");
  CHECK(end["events"] == lines - 1);
}
