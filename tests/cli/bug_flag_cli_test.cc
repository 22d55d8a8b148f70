// `kraftsim run FILE --bug NAME` (historical KRaft bugs, raft/common/bugs.hh): the flag adds to
// the scenario's "bugs", the summary and the result line say so, the JSON summary carries
// "bugs", unknown names exit 2, and --help lists the names.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <sstream>
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

const std::string kCheckQuorum =
    std::string(KRAFTSIM_SOURCE_DIR) + "/scenarios/bug-4-kafka-15489-check-quorum.json";

// A short three-controller counter scenario; `extra` is spliced in as further top-level fields.
std::string small_scenario(const std::string& extra = "") {
  return R"({
  "name": "small",
  "description": "three controllers under load",
  "cluster": {"controllers": 3, "state_machine": "counter"},
  "workload": {"append_interval_ms": 10},
  "stop": {"at_ms": 3000})" +
         (extra.empty() ? std::string() : ",\n  " + extra) + "\n}\n";
}

// The 0-based index of the first line of `text` starting with `prefix`, or -1.
int line_index(const std::string& text, const std::string& prefix) {
  std::istringstream in(text);
  int i = 0;
  for (std::string line; std::getline(in, line); ++i) {
    if (line.rfind(prefix, 0) == 0) return i;
  }
  return -1;
}

}  // namespace

TEST_CASE("cli --bug: --help lists every bug with its JIRA key") {
  const CliRun r = run_cli({"--help"});
  REQUIRE(r.code == 0);
  CHECK(contains(r.out, "--bug NAME"));
  for (const std::string line :
       {"  no-check-quorum (KAFKA-15489)", "  hw-at-epoch-start (KAFKA-12619)",
        "  restart-as-leader (KAFKA-10527)", "  pre-vote-ping-pong (KAFKA-17641)",
        "  forget-brokers-on-activation (KAFKA-18138)"}) {
    CAPTURE(line);
    CHECK(contains(r.out, line + "\n"));
  }
}

TEST_CASE("cli --bug: the regression scenario passes without and fails with its bug, loudly") {
  const CliRun fixed = run_cli({"run", kCheckQuorum, "--timeline", "none"});
  CHECK(fixed.code == 0);
  CHECK_FALSE(contains(fixed.out, "bugs re-introduced"));

  const CliRun buggy = run_cli({"run", kCheckQuorum, "--timeline", "none", "--bug", "no-check-quorum"});
  // The CheckQuorum invariant stops the run as soon as the isolated leader outlives its window.
  CHECK(buggy.code == kraftsim::cli::kExitSafetyViolation);
  CHECK(buggy.err.empty());
  CHECK(contains(buggy.out, "VIOLATION CheckQuorum at event "));
  // Near the top: right after the seed of the header.
  CHECK(line_index(buggy.out, "bugs re-introduced: no-check-quorum (KAFKA-15489)") ==
        line_index(buggy.out, "seed: ") + 1);
  CHECK(line_index(buggy.out, "bugs re-introduced: ") < 5);
  const std::string result = line_starting_with(buggy.out, "result: ");
  CHECK(result.rfind("result: safety-violation (exit 3), seed 1, trace hash 0x", 0) == 0);
  CHECK(result.size() > std::string(", bugs re-introduced: no-check-quorum").size());
  CHECK(result.substr(result.size() - std::string(", bugs re-introduced: no-check-quorum").size()) ==
        ", bugs re-introduced: no-check-quorum");
}

TEST_CASE("cli --bug: repeated flags add up, in the fixed order, and add to the file's list") {
  const TempDir dir;
  const std::string file = dir.write("s.json", small_scenario(R"("bugs": ["restart-as-leader"])"));
  const CliRun r = run_cli({"run", file, "--timeline", "none", "--bug", "pre-vote-ping-pong",
                            "--bug", "no-check-quorum", "--bug", "restart-as-leader"});
  CHECK(r.code == 0);  // a quiet run: none of them acts
  CHECK(line_starting_with(r.out, "bugs re-introduced: ") ==
        "bugs re-introduced: no-check-quorum (KAFKA-15489), restart-as-leader (KAFKA-10527), "
        "pre-vote-ping-pong (KAFKA-17641)");
  const std::string result = line_starting_with(r.out, "result: ");
  CHECK(contains(result, ", bugs re-introduced: no-check-quorum, restart-as-leader, pre-vote-ping-pong"));

  // The file's list alone.
  const CliRun from_file = run_cli({"run", file, "--quiet"});
  CHECK(from_file.code == 0);
  CHECK(contains(from_file.out, ", bugs re-introduced: restart-as-leader\n"));
}

TEST_CASE("cli --bug: the JSON summary carries the bugs, () when none") {
  const TempDir dir;
  const std::string file = dir.write("s.json", small_scenario());
  const std::string plain_json = (dir.path() / "plain.json").string();
  const std::string buggy_json = (dir.path() / "buggy.json").string();
  REQUIRE(run_cli({"run", file, "--quiet", "--summary-json", plain_json}).code == 0);
  // Two bugs that do not act in this run (hw-at-epoch-start would stop it at the first election).
  REQUIRE(run_cli({"run", file, "--quiet", "--summary-json", buggy_json, "--bug",
                   "forget-brokers-on-activation", "--bug", "restart-as-leader"})
              .code == 0);
  const nlohmann::json plain = nlohmann::json::parse(read_file(plain_json));
  const nlohmann::json buggy = nlohmann::json::parse(read_file(buggy_json));
  CHECK(plain.at("bugs") == nlohmann::json::array());
  CHECK(buggy.at("bugs") ==
        nlohmann::json::array({"restart-as-leader", "forget-brokers-on-activation"}));
  CHECK(buggy.at("scenario") == "small");
}

TEST_CASE("cli --bug: an unknown name exits 2 with the flag, the value and the names") {
  const TempDir dir;
  const std::string file = dir.write("s.json", small_scenario());
  for (const std::string bad : {"split-brain", "KAFKA-15489", "No-Check-Quorum", ""}) {
    CAPTURE(bad);
    const CliRun r = run_cli({"run", file, "--bug", "no-check-quorum", "--bug", bad});
    CHECK(r.code == kraftsim::cli::kExitBadInput);
    CHECK(r.out.empty());
    CHECK(r.err == "kraftsim: --bug: got '" + bad +
                       "', expected one of no-check-quorum, hw-at-epoch-start, restart-as-leader, "
                       "pre-vote-ping-pong, forget-brokers-on-activation\n");
  }
  const CliRun missing = run_cli({"run", file, "--bug"});
  CHECK(missing.code == kraftsim::cli::kExitBadInput);
  CHECK(contains(missing.err, "bug"));
}

TEST_CASE("cli --bug: a bug in the file that is unknown is a scenario error, exit 2") {
  const TempDir dir;
  const std::string file = dir.write("s.json", small_scenario(R"("bugs": ["no-check-quorom"])"));
  const CliRun r = run_cli({"run", file});
  CHECK(r.code == kraftsim::cli::kExitBadInput);
  CHECK(contains(r.err, R"(bugs[0]: got "no-check-quorom", expected a bug name, one of )"));
  CHECK(contains(r.err, R"((did you mean "no-check-quorum"?))"));
}
