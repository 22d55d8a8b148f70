// Tests for `kraftsim bench` (tools/cli/bench_command.hh): the JSON result file and its figures in
// quick mode (the default scenario's trace hash equal to `kraftsim run`'s), the table, the fuzz
// case, a failing case (exit 1, reason kept), bad flags (exit 2 naming the flag and the value),
// the median/min/max helper (bench_stats.hh) and the child process runner (bench_child.hh).
//
// The command is called through bench_command() with cli::main's handling of UsageError (exit 2,
// "kraftsim: <message>" on stderr), so these tests do not depend on the dispatch in cli.cc.
// Only quick runs of the default scenario and of the fuzz case run here: the steady-5c10b case is
// checked for its name and file only (it takes seconds in a Debug build).
#include <doctest/doctest.h>

#include <csignal>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/cli/support/cli_harness.hh"
#include "tools/cli/bench_child.hh"
#include "tools/cli/bench_command.hh"
#include "tools/cli/bench_stats.hh"
#include "tools/cli/flags.hh"

using kraftsim::cli::testing::CliRun;
using kraftsim::cli::testing::contains;
using kraftsim::cli::testing::read_file;
using kraftsim::cli::testing::run_cli;
using kraftsim::cli::testing::TempDir;
using nlohmann::json;

namespace {

const std::string kSource = KRAFTSIM_SOURCE_DIR;
const std::string kScenarios = kSource + "/scenarios";

// `kraftsim bench ARGS...`, with a bad command line turned into exit 2 as cli::main does.
CliRun bench(const std::vector<std::string>& args) {
  std::ostringstream out;
  std::ostringstream err;
  CliRun r;
  try {
    r.code = kraftsim::cli::bench_command(args, out, err);
  } catch (const kraftsim::cli::UsageError& e) {
    err << "kraftsim: " << e.message << "\n";
    r.code = 2;
  }
  r.out = out.str();
  r.err = err.str();
  return r;
}

// Checks min <= median <= max and a positive median of a {median, min, max} object.
void check_stats(const json& stats, const std::string& what) {
  INFO(what << ": " << stats.dump());
  REQUIRE(stats.is_object());
  CHECK(stats["median"].get<double>() > 0);
  CHECK(stats["min"].get<double>() <= stats["median"].get<double>());
  CHECK(stats["median"].get<double>() <= stats["max"].get<double>());
}

}  // namespace

TEST_CASE("bench stats: median min and max of odd and even counts") {
  using kraftsim::cli::summarize;
  const auto odd = summarize({30.0, 10.0, 20.0});
  CHECK(odd.median == 20.0);
  CHECK(odd.min == 10.0);
  CHECK(odd.max == 30.0);
  // Even: the mean of the two middle values.
  const auto even = summarize({4.0, 1.0, 3.0, 2.0});
  CHECK(even.median == 2.5);
  CHECK(even.min == 1.0);
  CHECK(even.max == 4.0);
  const auto two = summarize({8.0, 5.0});
  CHECK(two.median == 6.5);
  const auto one = summarize({7.25});
  CHECK(one.median == 7.25);
  CHECK(one.min == 7.25);
  CHECK(one.max == 7.25);
  const auto skewed = summarize({1.0, 100.0, 2.0, 3.0, 1000.0});
  CHECK(skewed.median == 3.0);
  CHECK_THROWS_AS(summarize({}), std::invalid_argument);
}

TEST_CASE("bench child: result line and peak memory and a child that fails or dies") {
  using kraftsim::cli::run_in_child;
  const auto ok = run_in_child([] { return json{{"answer", 42}}; });
  CHECK(ok.failure.empty());
  REQUIRE(ok.message.has_value());
  CHECK((*ok.message)["answer"] == 42);
  CHECK(ok.peak_rss_kib > 0);

  const auto threw = run_in_child([]() -> json { throw std::runtime_error("boom"); });
  CHECK(threw.failure == "the child exited with status 1: boom");

  const auto killed = run_in_child([]() -> json {
    std::raise(SIGKILL);
    return json::object();
  });
  CHECK(killed.failure == "the child died (signal 9)");
  CHECK_FALSE(killed.message.has_value());
}

TEST_CASE("bench quick default case: JSON figures and the trace hash of kraftsim run") {
  TempDir dir;
  const std::string results = (dir.path() / "bench.json").string();
  const CliRun r = bench({"--quick", "--cases", "default", "--out", results, "--scenarios",
                          kScenarios, "--label", "test-label"});
  INFO(r.out << r.err);
  REQUIRE(r.code == 0);
  CHECK(contains(r.out, "results written to " + results));
  CHECK(contains(r.err, "bench: default: 1 run of "));

  const json doc = json::parse(read_file(results));
  CHECK(doc["schema_version"] == 1);
  CHECK(doc["label"] == "test-label");
  CHECK((doc["build_type"] == "Release" || doc["build_type"] == "Debug"));
  CHECK(doc["compiler"].get<std::string>().size() > 3);
  CHECK(doc["cores"].get<unsigned>() >= 1);
  CHECK(doc["runs"] == 1);
  CHECK(doc["fuzz_seeds"] == 3);
  CHECK(doc["quick"] == true);
  CHECK(doc["large"] == false);
  CHECK(contains(doc["median_rule"].get<std::string>(), "mean of the two middle values"));
  CHECK(doc["ok"] == true);
  REQUIRE(doc["cases"].size() == 1);

  const json& c = doc["cases"][0];
  CHECK(c["name"] == "default");
  CHECK(c["kind"] == "scenario");
  CHECK(c["ok"] == true);
  CHECK(c["reason"].is_null());
  CHECK(c["run_count"] == 1);
  REQUIRE(c["runs"].size() == 1);
  check_stats(c["wall_ms"], "wall_ms");
  check_stats(c["events_per_s"], "events_per_s");
  check_stats(c["sim_s_per_wall_s"], "sim_s_per_wall_s");
  CHECK(c["simulated_seconds"].get<double>() == 50.0);  // default.json stops at 50000 ms
  CHECK(c["peak_rss_mib"].get<double>() > 0);
  CHECK(c["runs"][0]["trace_hash"] == c["trace_hash"]);
  CHECK(c["runs"][0]["events"] == c["events"]);

  // The same run as `kraftsim run scenarios/default.json`.
  const std::string summary = (dir.path() / "summary.json").string();
  const CliRun run = run_cli({"run", kScenarios + "/default.json", "--summary-json", summary,
                              "--quiet"});
  REQUIRE(run.code == 0);
  const json expected = json::parse(read_file(summary));
  CHECK(c["trace_hash"] == expected["trace_hash"]);
  CHECK(c["events"] == expected["events"]);

  // The table: the header and the case's line.
  // (A Debug build prints a WARNING line first; a Release build starts with the header.)
  CHECK(contains(r.out, "case     runs  wall ms median [min..max]  events/s median [min..max]  "
                        "sim s per wall s median [min..max]  peak MiB\n"));
  CHECK(contains(r.out, "\ndefault  1  "));
}

TEST_CASE("bench runs 3: every run recorded with the same trace hash") {
  TempDir dir;
  const std::string results = (dir.path() / "bench.json").string();
  const CliRun r = bench({"--runs", "3", "--cases", "default", "--out", results, "--scenarios",
                          kScenarios});
  INFO(r.out << r.err);
  REQUIRE(r.code == 0);
  const json doc = json::parse(read_file(results));
  CHECK(doc["label"] == "none");
  const json& c = doc["cases"][0];
  CHECK(c["run_count"] == 3);
  REQUIRE(c["runs"].size() == 3);
  std::vector<double> walls;
  for (const json& run : c["runs"]) {
    CHECK(run["trace_hash"] == c["trace_hash"]);
    CHECK(run["events"] == c["events"]);
    CHECK(run["events_per_s"].get<double>() > 0);
    walls.push_back(run["wall_ms"].get<double>());
  }
  // The stats are those of the raw runs.
  const auto s = kraftsim::cli::summarize(walls);
  CHECK(c["wall_ms"]["median"].get<double>() == s.median);
  CHECK(c["wall_ms"]["min"].get<double>() == s.min);
  CHECK(c["wall_ms"]["max"].get<double>() == s.max);
  CHECK(contains(r.out, "\ndefault  3  "));
}

TEST_CASE("bench quick fuzz case: seeds per minute and outcomes") {
  TempDir dir;
  const std::string results = (dir.path() / "bench.json").string();
  const CliRun r = bench({"--quick", "--cases", "fuzz", "--out", results});
  INFO(r.out << r.err);
  REQUIRE(r.code == 0);
  const json doc = json::parse(read_file(results));
  REQUIRE(doc["cases"].size() == 1);
  const json& c = doc["cases"][0];
  CHECK(c["name"] == "fuzz");
  CHECK(c["kind"] == "fuzz");
  CHECK(c["file"].is_null());
  CHECK(c["seeds"] == 3);
  CHECK(c["outcomes"] == json{{"pass", 3}});
  check_stats(c["seeds_per_min_per_core"], "seeds_per_min_per_core");
  check_stats(c["events_per_s"], "events_per_s");
  CHECK(c["events"].get<std::uint64_t>() > 0);
  CHECK(c["peak_rss_mib"].get<double>() > 0);
  CHECK(contains(r.out, "\nfuzz  1  "));
  CHECK(contains(r.out, "fuzz: 3 seeds per run, seeds per minute per core "));
  CHECK(contains(r.out, "outcomes: pass 3"));
}

TEST_CASE("bench: a case whose run fails is reported and the exit code is 1") {
  TempDir dir;
  // A default.json whose expectation cannot hold: the counter never reaches 1000000.
  std::filesystem::create_directory(dir.path() / "scenarios");
  (void)dir.write("scenarios/default.json", R"({
    "name": "never-enough",
    "description": "The counter cannot reach a million in 3 s.",
    "cluster": {"controllers": 3, "brokers": 0, "state_machine": "counter"},
    "workload": {"append_interval_ms": 100},
    "stop": {"at_ms": 3000},
    "expectations": [{"type": "high_watermark_at_least", "value": 1000000}]
  })");
  const std::string results = (dir.path() / "bench.json").string();
  const CliRun r = bench({"--quick", "--cases", "default", "--out", results, "--scenarios",
                          (dir.path() / "scenarios").string()});
  INFO(r.out << r.err);
  CHECK(r.code == 1);
  const json doc = json::parse(read_file(results));
  CHECK(doc["ok"] == false);
  const json& c = doc["cases"][0];
  CHECK(c["ok"] == false);
  CHECK(contains(c["reason"].get<std::string>(), "run 1: expectation-failed: "));
  CHECK(c["run_count"] == 1);
  CHECK(contains(r.out, "default: FAILED: run 1: expectation-failed: "));
  CHECK(contains(r.err, "bench: default: FAILED: "));

  // A scenario file that does not load: the child's exception is the reason.
  (void)dir.write("scenarios/default.json", R"({"name": "no-description"})");
  const CliRun invalid = bench({"--quick", "--cases", "default", "--out", results, "--scenarios",
                                (dir.path() / "scenarios").string()});
  CHECK(invalid.code == 1);
  const json invalid_doc = json::parse(read_file(results));
  const json& ic = invalid_doc["cases"][0];
  CHECK(ic["ok"] == false);
  CHECK(ic["run_count"] == 0);
  CHECK(ic["events_per_s"].is_null());
  CHECK(contains(ic["reason"].get<std::string>(), "the child exited with status 1: "));
  CHECK(contains(ic["reason"].get<std::string>(), "default.json: description: missing"));
}

TEST_CASE("bench: bad flags exit 2 naming the flag and the value") {
  TempDir dir;
  const std::string out = (dir.path() / "x.json").string();
  struct Bad {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Bad> bad = {
      {{"--runs", "0"}, "--runs: got '0', expected an integer in 1..1000"},
      {{"--runs", "many"}, "--runs: got 'many', expected an integer in 1..1000"},
      {{"--fuzz-seeds", "x"}, "--fuzz-seeds: got 'x', expected an integer in 1..1000000"},
      {{"--cases", "nope"},
       "--cases: got 'nope', expected a comma-separated list of default, steady-5c10b, fuzz, 2m "
       "('nope' is none of them)"},
      {{"--cases", "default,,fuzz"}, "--cases: got 'default,,fuzz', expected a comma-separated"},
      {{"--cases", "2m"}, "--cases: got '2m', expected no '2m' without --large"},
      {{"--bogus"}, "bogus"},
  };
  for (const Bad& b : bad) {
    std::vector<std::string> args = b.args;
    args.insert(args.end(), {"--out", out});
    const CliRun r = bench(args);
    INFO(b.args.front() << ": " << r.err);
    CHECK(r.code == 2);
    CHECK(contains(r.err, b.message));
    CHECK(r.out.empty());
  }
  CHECK_FALSE(std::filesystem::exists(out));  // nothing ran, nothing written

  const CliRun unwritable =
      bench({"--quick", "--cases", "fuzz", "--out", (dir.path() / "no-such-dir" / "x.json").string()});
  CHECK(unwritable.code == 2);
  CHECK(contains(unwritable.err, "--out: cannot write '"));
}

TEST_CASE("bench: the steady and 2m cases name their scenario files") {
  TempDir dir;
  const std::string out = (dir.path() / "x.json").string();
  // An empty scenarios directory: each case says which file it needs, before anything runs.
  const CliRun steady =
      bench({"--cases", "steady-5c10b", "--scenarios", dir.path().string(), "--out", out});
  CHECK(steady.code == 2);
  CHECK(contains(steady.err, "case steady-5c10b: scenario file '" +
                                 (dir.path() / "perf" / "steady-metadata-writes.json").string() +
                                 "' not found"));
  const CliRun large =
      bench({"--large", "--cases", "2m", "--scenarios", dir.path().string(), "--out", out});
  CHECK(large.code == 2);
  CHECK(contains(large.err, "case 2m: scenario file '" +
                                (dir.path() / "perf" / "metadata-2m-partitions.json").string() +
                                "' not found"));
  // The steady scenario ships with the sources and is valid.
  const CliRun valid = run_cli({"validate", kScenarios + "/perf/steady-metadata-writes.json"});
  CHECK(valid.code == 0);
  CHECK(contains(valid.out, "ok (steady-metadata-writes: 5 controllers, 10 brokers, 0 actions"));
}
