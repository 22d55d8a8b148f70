// Tests for tools/cli: the kraftsim command line driven in-process (kraftsim::cli::main with
// string streams): usage errors and their messages, scenario errors, the run summary, the JSON
// summary, determinism of the trace hash, the exit codes of each outcome, and `validate`.
//
// Exit code 3 (safety violation) is not tested here: the command line cannot provoke one without
// a protocol bug. The checkers that produce it are tested in tests/sim/checkers_test.cc.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/cli/support/cli_harness.hh"
#include "tools/cli/cli.hh"

using kraftsim::cli::testing::CliRun;
using kraftsim::cli::testing::contains;
using kraftsim::cli::testing::line_starting_with;
using kraftsim::cli::testing::read_file;
using kraftsim::cli::testing::run_cli;
using kraftsim::cli::testing::TempDir;

namespace {

const std::string kDefaultScenario = std::string(KRAFTSIM_SOURCE_DIR) + "/scenarios/default.json";

// A valid three-controller scenario; `extra` is spliced in as further top-level fields.
std::string small_scenario(const std::string& extra = "") {
  return R"({
  "name": "small",
  "description": "three controllers under load",
  "cluster": {"controllers": 3, "state_machine": "counter"},
  "workload": {"append_interval_ms": 10},
  "stop": {"at_ms": 4000})" +
         (extra.empty() ? std::string() : ",\n  " + extra) + "\n}\n";
}

}  // namespace

// ---- usage ---------------------------------------------------------------------------------

TEST_CASE("cli: no arguments prints the usage on stderr and exits 2") {
  const CliRun r = run_cli({});
  CHECK(r.code == kraftsim::cli::kExitBadInput);
  CHECK(r.code == 2);
  CHECK(contains(r.err, "usage:"));
  CHECK(contains(r.err, "kraftsim run FILE"));
  CHECK(contains(r.err, "kraftsim validate FILE..."));
  CHECK(r.out.empty());
}

TEST_CASE("cli: --help and --version exit 0 on stdout") {
  for (const std::string help : {"--help", "-h", "help"}) {
    CAPTURE(help);
    const CliRun r = run_cli({help});
    CHECK(r.code == 0);
    CHECK(contains(r.out, "usage:"));
    CHECK(contains(r.out, "--summary-json FILE"));
    CHECK(contains(r.out, "exit codes: 0 success"));
    CHECK(r.err.empty());
  }
  const CliRun v = run_cli({"--version"});
  CHECK(v.code == 0);
  CHECK(v.out == "kraftsim 0.1.0\n");
  CHECK(v.err.empty());
}

TEST_CASE("cli: an unknown command exits 2 naming it") {
  const CliRun r = run_cli({"frobnicate", "x.json"});
  CHECK(r.code == 2);
  CHECK(contains(r.err, "unknown command 'frobnicate'"));
  CHECK(contains(r.err, "expected run, validate, fuzz, shrink, merge, compare, trace-diff, inspect or bench"));
  CHECK(r.out.empty());
}

TEST_CASE("cli: an unknown flag exits 2 naming the flag") {
  SUBCASE("run") {
    const CliRun r = run_cli({"run", kDefaultScenario, "--sed", "7"});
    CHECK(r.code == 2);
    CHECK(contains(r.err, "--sed"));
    CHECK(r.out.empty());  // nothing ran
  }
  SUBCASE("validate") {
    const CliRun r = run_cli({"validate", "--frobnicate", kDefaultScenario});
    CHECK(r.code == 2);
    CHECK(contains(r.err, "--frobnicate"));
    CHECK(r.out.empty());
  }
}

TEST_CASE("cli: a bad --seed exits 2 naming the flag, the value and what was expected") {
  for (const std::string bad : {"abc", "-1", "7x", "18446744073709551616", ""}) {
    CAPTURE(bad);
    const CliRun r = run_cli({"run", kDefaultScenario, "--seed", bad});
    CHECK(r.code == 2);
    CHECK(contains(r.err, "--seed"));
    CHECK(contains(r.err, "'" + bad + "'"));
    CHECK(contains(r.err, "expected an unsigned 64-bit integer"));
    CHECK(r.out.empty());
  }
  const CliRun missing_value = run_cli({"run", kDefaultScenario, "--seed"});
  CHECK(missing_value.code == 2);
  CHECK(contains(missing_value.err, "seed"));
}

TEST_CASE("cli: a bad --timeline exits 2") {
  const CliRun r = run_cli({"run", kDefaultScenario, "--timeline", "bogus"});
  CHECK(r.code == 2);
  CHECK(contains(r.err, "--timeline"));
  CHECK(contains(r.err, "'bogus'"));
  CHECK(contains(r.err, "brief, full or none"));
  CHECK(r.out.empty());
}

TEST_CASE("cli: run without a FILE exits 2") {
  const CliRun r = run_cli({"run"});
  CHECK(r.code == 2);
  CHECK(contains(r.err, "missing the scenario FILE"));
  const CliRun flags_only = run_cli({"run", "--seed", "3"});
  CHECK(flags_only.code == 2);
  CHECK(contains(flags_only.err, "missing the scenario FILE"));
  const CliRun validate = run_cli({"validate"});
  CHECK(validate.code == 2);
  CHECK(contains(validate.err, "missing scenario FILE"));
}

TEST_CASE("cli: run takes one FILE only") {
  const CliRun r = run_cli({"run", kDefaultScenario, kDefaultScenario});
  CHECK(r.code == 2);
  CHECK(contains(r.err, "see kraftsim --help"));
  CHECK(r.out.empty());
}

TEST_CASE("cli: a missing scenario file exits 2 naming the file") {
  const TempDir dir;
  const std::string path = (dir.path() / "no-such-scenario.json").string();
  const CliRun r = run_cli({"run", path});
  CHECK(r.code == 2);
  CHECK(contains(r.err, path));
  CHECK(contains(r.err, "cannot open"));
  CHECK(r.out.empty());
}

// ---- scenario errors -------------------------------------------------------------------------

TEST_CASE("cli: a malformed scenario field exits 2 with the file, the JSON path and the value") {
  const TempDir dir;
  SUBCASE("cluster.controllers is a string") {
    const std::string path = dir.write("three-controllers.json", R"({
  "name": "bad", "description": "",
  "cluster": {"controllers": "three"}
})");
    const CliRun r = run_cli({"run", path});
    CHECK(r.code == 2);
    CHECK(contains(r.err, path + ": cluster.controllers: got \"three\""));
    CHECK(contains(r.err, "expected"));
    CHECK(r.out.empty());
  }
  SUBCASE("timeline[1].node is misspelt") {
    const std::string path = dir.write("misspelt-leader.json", small_scenario(R"("timeline": [
    {"at_ms": 1000, "action": "crash", "node": 1},
    {"at_ms": 2000, "action": "crash", "node": "ledaer"}
  ])"));
    const CliRun r = run_cli({"run", path, "--seed", "3"});
    CHECK(r.code == 2);
    CHECK(contains(r.err, path));
    CHECK(contains(r.err, "timeline[1].node"));
    CHECK(contains(r.err, "\"ledaer\""));
    CHECK(contains(r.err, "did you mean \"leader\"?"));
  }
  SUBCASE("an unknown field") {
    const std::string path =
        dir.write("unknown-field.json", small_scenario(R"("stopp": {"at_ms": 10})"));
    const CliRun r = run_cli({"run", path});
    CHECK(r.code == 2);
    CHECK(contains(r.err, path));
    CHECK(contains(r.err, "stopp"));
  }
  SUBCASE("malformed JSON text") {
    const std::string path = dir.write("truncated.json", "{\"name\": \"x\",\n  \"cluster\": {");
    const CliRun r = run_cli({"run", path});
    CHECK(r.code == 2);
    CHECK(contains(r.err, path + ": line "));
    CHECK(contains(r.err, "malformed JSON"));
  }
}

// ---- run -----------------------------------------------------------------------------------

TEST_CASE("cli: run scenarios/default.json --seed 7 prints the summary and exits 0") {
  const CliRun r = run_cli({"run", kDefaultScenario, "--seed", "7"});
  CHECK(r.code == 0);
  CHECK(r.err.empty());
  CHECK(r.out.rfind("seed 7\n", 0) == 0);  // the seed comes first, before anything can fail
  for (const char* part :
       {"seed 7", "scenario 'default'", "timeline:", "won the election", "failovers: 1",
        "is the active controller", "broker 4 fenced", "broker 4 unfenced",
        "metadata (committed __cluster_metadata log", "topics: 4, partitions: 25",
        "admin requests: 4 acknowledged, 0 failed, 0 unknown", "final state:", "expectations:",
        "invariants:", "MetadataImagesAgree", "0 violations", "events:",
        "stopped: stop time reached", "trace hash: 0x", "result: success (exit 0), seed 7"}) {
    CAPTURE(part);
    CHECK(contains(r.out, part));
  }
  // Nine expectations, all passed.
  std::size_t passes = 0;
  for (std::size_t at = r.out.find("  PASS  "); at != std::string::npos;
       at = r.out.find("  PASS  ", at + 1)) {
    ++passes;
  }
  CHECK(passes == 9);
  CHECK_FALSE(contains(r.out, "FAIL"));
  // The result line repeats the summary's trace hash.
  const std::string hash_line = line_starting_with(r.out, "trace hash: ");
  REQUIRE(hash_line.size() == std::string("trace hash: 0x").size() + 16);
  const std::string hash = hash_line.substr(std::string("trace hash: ").size());
  CHECK(contains(line_starting_with(r.out, "result: "), "trace hash " + hash));
}

TEST_CASE("cli: the trace hash depends on the seed only") {
  const CliRun a = run_cli({"run", kDefaultScenario, "--seed", "7"});
  const CliRun b = run_cli({"run", kDefaultScenario, "--seed", "7", "--timeline", "none"});
  const CliRun c = run_cli({"run", kDefaultScenario, "--seed", "8"});
  REQUIRE(a.code == 0);
  REQUIRE(b.code == 0);
  REQUIRE(c.code == 0);
  const std::string hash_a = line_starting_with(a.out, "trace hash: ");
  const std::string hash_b = line_starting_with(b.out, "trace hash: ");
  const std::string hash_c = line_starting_with(c.out, "trace hash: ");
  REQUIRE_FALSE(hash_a.empty());
  CHECK(hash_a == hash_b);
  CHECK(hash_a != hash_c);
  // Same seed, same run: the whole summary but the wall-clock line is identical.
  const CliRun a2 = run_cli({"run", kDefaultScenario, "--seed", "7"});
  CHECK(line_starting_with(a2.out, "trace hash: ") == hash_a);
  CHECK(line_starting_with(a2.out, "final state:") == line_starting_with(a.out, "final state:"));
  CHECK(line_starting_with(a2.out, "  #1 at") == line_starting_with(a.out, "  #1 at"));
  // Without --seed the scenario's own seed (1 in default.json) is used.
  const CliRun own = run_cli({"run", kDefaultScenario, "--quiet"});
  const CliRun one = run_cli({"run", kDefaultScenario, "--seed", "1", "--quiet"});
  CHECK(own.code == 0);
  CHECK(contains(own.out, ", seed 1, trace hash "));
  CHECK(own.out == one.out);
}

TEST_CASE("cli: --quiet prints only the result line, --timeline selects the detail") {
  const CliRun quiet = run_cli({"run", kDefaultScenario, "--seed", "7", "--quiet"});
  CHECK(quiet.code == 0);
  CHECK(quiet.out.rfind("result: success (exit 0), seed 7, trace hash 0x", 0) == 0);
  CHECK(std::count(quiet.out.begin(), quiet.out.end(), '\n') == 1);

  const CliRun none = run_cli({"run", kDefaultScenario, "--seed", "7", "--timeline", "none"});
  const CliRun brief = run_cli({"run", kDefaultScenario, "--seed", "7"});
  const CliRun full = run_cli({"run", kDefaultScenario, "--seed", "7", "--timeline", "full"});
  CHECK_FALSE(contains(none.out, "timeline:"));
  CHECK(contains(brief.out, "timeline:"));
  // Observers (brokers 3 and 4) role changes appear in the full timeline only.
  CHECK_FALSE(contains(brief.out, "node 3: "));
  CHECK(contains(full.out, "node 3: "));
  CHECK(contains(full.out, "node 4: "));
}

TEST_CASE("cli: --summary-json writes a JSON summary that agrees with the printed one") {
  const TempDir dir;
  const std::string json_path = (dir.path() / "summary.json").string();
  const CliRun r = run_cli({"run", kDefaultScenario, "--seed", "7", "--summary-json", json_path});
  REQUIRE(r.code == 0);
  const std::string text = read_file(json_path);
  REQUIRE_FALSE(text.empty());
  const nlohmann::json j = nlohmann::json::parse(text);

  CHECK(j.at("scenario") == "default");
  CHECK(j.at("seed") == 7);
  CHECK(j.at("outcome") == "success");
  const std::string hash_line = line_starting_with(r.out, "trace hash: ");
  CHECK(j.at("trace_hash").get<std::string>() ==
        hash_line.substr(std::string("trace hash: ").size()));
  // "events: N processed, simulated 50000.000 ms, ..."
  CHECK(contains(r.out,
                 "events: " + std::to_string(j.at("events").get<std::uint64_t>()) + " processed"));
  CHECK(j.at("events").get<std::uint64_t>() > 1000);
  CHECK(j.at("sim_time_ms") == 50000.0);
  REQUIRE(j.at("wall_ms").is_number());
  CHECK(j.at("wall_ms").get<double>() >= 0.0);
  // Eleven Raft invariants and the three metadata checkers, after every event.
  CHECK(j.at("invariant_checks").get<std::uint64_t>() ==
        14 * j.at("invariant_passes").get<std::uint64_t>());
  REQUIRE(j.at("violations").is_array());
  CHECK(j.at("violations").empty());

  REQUIRE(j.at("expectations").is_array());
  REQUIRE(j.at("expectations").size() == 9);
  for (const auto& e : j.at("expectations")) {
    REQUIRE(e.at("passed").is_boolean());
    CHECK(e.at("passed").get<bool>());
    CHECK(contains(r.out, "PASS  " + e.at("description").get<std::string>()));
  }

  REQUIRE(j.at("failovers").is_array());
  REQUIRE(j.at("failovers").size() == 1);
  int index = 0;
  for (const auto& f : j.at("failovers")) {
    ++index;
    REQUIRE(f.at("duration_ms").is_number());
    const double duration = f.at("duration_ms").get<double>();
    CHECK(duration > 0.0);
    CHECK(duration <= 5000.0);
    // The printed failover line shows the same duration, with three decimals.
    char printed[64];
    std::snprintf(printed, sizeof printed, " after %.3f ms", duration);
    const std::string line = line_starting_with(r.out, "  #" + std::to_string(index) + " at ");
    CAPTURE(line);
    CHECK(contains(line, printed));
  }
  REQUIRE(j.at("nodes").size() == 6);
  CHECK(j.at("nodes")[3].at("role") == "observer");
  CHECK(j.at("nodes")[3].at("process_roles") == "broker");
  CHECK(j.at("nodes")[0].at("process_roles") == "controller");
  // The metadata figures a Kafka operator looks at.
  const nlohmann::json& m = j.at("metadata");
  CHECK(m.at("topics") == 4);
  CHECK(m.at("partitions") == 25);
  CHECK(m.at("leaderless_partitions") == 0);
  CHECK(m.at("brokers_registered") == 3);
  CHECK(m.at("brokers_fenced") == 0);
  CHECK(m.at("broker_fences") == 1);
  CHECK(m.at("active_controller_changes") == 2);
  CHECK(m.at("admin_requests").at("acknowledged") == 4);
  CHECK(m.at("admin_requests").at("unknown") == 0);
  CHECK(contains(r.out, "brokers: 3 registered, 0 fenced at the end"));
}

TEST_CASE("cli: --summary-json to an unwritable path exits 2") {
  const TempDir dir;
  const std::string json_path = (dir.path() / "no-such-dir" / "summary.json").string();
  const CliRun r = run_cli({"run", kDefaultScenario, "--quiet", "--summary-json", json_path});
  CHECK(r.code == 2);
  CHECK(contains(r.err, "--summary-json"));
  CHECK(contains(r.err, json_path));
}

TEST_CASE("cli: an expectation that cannot hold exits 4") {
  // A new leader can never commit within 1 ms of the leader's crash: the election timeout alone
  // is at least 1000 ms.
  const TempDir dir;
  const std::string path = dir.write("impossible.json", R"({
  "name": "impossible",
  "description": "the leader crashes; a successor is expected within 1 ms",
  "cluster": {"controllers": 3, "state_machine": "counter"},
  "workload": {"append_interval_ms": 10},
  "timeline": [
    {"at_ms": 2000, "action": "crash", "node": "leader", "label": "crash-leader"}
  ],
  "stop": {"at_ms": 10000},
  "expectations": [
    {"type": "leader_elected_within", "after": "crash-leader", "within_ms": 1},
    {"type": "leader_at_end"}
  ]
})");
  const CliRun r = run_cli({"run", path, "--seed", "5"});
  CHECK(r.code == kraftsim::cli::kExitExpectationFailed);
  CHECK(r.code == 4);
  CHECK(contains(r.out, "FAIL  a leader of a newer epoch commits within 1 ms of 'crash-leader'"));
  CHECK(contains(r.out, "PASS  at the end a running leader has committed in its epoch"));
  CHECK(contains(r.out, "result: expectation-failed (exit 4), seed 5"));
}

TEST_CASE("cli: a run that needs more events than stop.events_max exits 5") {
  const TempDir dir;
  const std::string path = dir.write("tiny-bound.json", R"({
  "name": "tiny-bound",
  "description": "a 50-event bound cannot cover 4 s of a loaded cluster",
  "cluster": {"controllers": 3, "state_machine": "counter"},
  "workload": {"append_interval_ms": 10},
  "stop": {"at_ms": 4000, "events_max": 50}
})");
  const std::string json_path = (dir.path() / "summary.json").string();
  const CliRun r = run_cli({"run", path, "--summary-json", json_path});
  CHECK(r.code == kraftsim::cli::kExitLivenessFailure);
  CHECK(r.code == 5);
  CHECK(contains(r.out, "stopped: event bound reached (events_max 50)"));
  CHECK(contains(r.out, "events: 50 processed"));
  CHECK(contains(r.out, "result: liveness-failure (exit 5)"));
  const nlohmann::json j = nlohmann::json::parse(read_file(json_path));
  CHECK(j.at("outcome") == "liveness-failure");
  CHECK(j.at("events") == 50);
  CHECK(j.at("sim_time_ms").get<double>() < 4000.0);
}

// ---- validate ------------------------------------------------------------------------------

TEST_CASE("cli: validate") {
  const TempDir dir;
  const std::string good = dir.write("good.json", small_scenario());
  const std::string bad = dir.write("bad.json", small_scenario(R"("network": {"loss": 1.5})"));
  SUBCASE("a good file") {
    const CliRun r = run_cli({"validate", good});
    CHECK(r.code == 0);
    CHECK(r.out == good + ": ok (small: 3 controllers, 0 brokers, 0 actions, 0 expectations)\n");
    CHECK(r.err.empty());
  }
  SUBCASE("the shipped default scenario") {
    const CliRun r = run_cli({"validate", kDefaultScenario});
    CHECK(r.code == 0);
    CHECK(r.out == kDefaultScenario +
                       ": ok (default: 3 controllers, 3 brokers, 5 actions, 9 expectations)\n");
  }
  SUBCASE("a bad file") {
    const CliRun r = run_cli({"validate", bad});
    CHECK(r.code == 2);
    CHECK(r.out.empty());
    CHECK(contains(r.err, bad + ": network.loss: got 1.5"));
  }
  SUBCASE("several files: each one is reported") {
    const std::string missing = (dir.path() / "missing.json").string();
    const CliRun r = run_cli({"validate", good, bad, kDefaultScenario, missing});
    CHECK(r.code == 2);
    CHECK(contains(r.out, good + ": ok"));
    CHECK(contains(r.out, kDefaultScenario + ": ok"));
    CHECK_FALSE(contains(r.out, bad));
    CHECK(contains(r.err, bad + ": network.loss"));
    CHECK(contains(r.err, missing + ": cannot open"));
    CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 2);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 2);
  }
}
