// `kraftsim run FILE --trace FILE [--trace-format ...] [--trace-nodes ...] ...`: the exported
// trace of a run in both formats, the run's result unchanged by it, and bad trace flags (exit 2).
#include <doctest/doctest.h>

#include <map>
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

const std::string kElect = std::string(KRAFTSIM_SOURCE_DIR) + "/scenarios/elect-3-voters.json";
const std::string kDefault = std::string(KRAFTSIM_SOURCE_DIR) + "/scenarios/default.json";

std::vector<nlohmann::json> json_lines(const std::string& text) {
  std::vector<nlohmann::json> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
  return lines;
}

}  // namespace

TEST_CASE("kraftsim run --trace: JSON lines by default, the run's result unchanged") {
  const TempDir dir;
  const std::string path = (dir.path() / "elect.jsonl").string();
  const CliRun plain = run_cli({"run", kElect, "--quiet"});
  const CliRun traced = run_cli({"run", kElect, "--quiet", "--trace", path});
  CHECK(traced.code == 0);
  CHECK(traced.err == "");
  CHECK(traced.out == plain.out);  // same result line, same trace hash
  const std::vector<nlohmann::json> lines = json_lines(read_file(path));
  REQUIRE(lines.size() > 100);
  CHECK(lines.front().at("seq") == 0);
  CHECK(lines.front().at("t_us") == 0);
  CHECK(lines.back().at("kind") == "end");
  CHECK(lines.back().at("t_us") == 8'000'000);  // stop.at_ms
  CHECK(lines.back().at("events") == lines.size() - 1);
  std::size_t elections = 0;
  for (const nlohmann::json& l : lines) elections += l.at("kind") == "election" ? 1U : 0U;
  CHECK(elections == 1);  // the scenario's one election
}

TEST_CASE("kraftsim run --trace with filters keeps only what they ask for") {
  const TempDir dir;
  const std::string path = (dir.path() / "some.jsonl").string();
  const CliRun r = run_cli({"run", kElect, "--quiet", "--trace", path, "--trace-format", "jsonl",
                            "--trace-nodes", "2,4", "--trace-kinds", "send,deliver,role",
                            "--trace-from-ms", "1000", "--trace-to-ms", "3000",
                            "--trace-messages", "5"});
  CHECK(r.code == 0);
  const std::vector<nlohmann::json> lines = json_lines(read_file(path));
  REQUIRE(lines.size() > 10);
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
    const nlohmann::json& l = lines[i];
    CAPTURE(l.dump());
    CHECK(l.at("t_us") >= 1'000'000);
    CHECK(l.at("t_us") < 3'000'000);
    const std::string kind = l.at("kind");
    CHECK((kind == "send" || kind == "deliver" || kind == "role"));
    if (kind == "role") {
      CHECK((l.at("node") == 2 || l.at("node") == 4));
    } else {
      CHECK(l.at("id").get<std::int64_t>() % 5 == 0);
      const int peer = l.at(kind == "send" ? "to" : "from");
      CHECK((l.at("node") == 2 || l.at("node") == 4 || peer == 2 || peer == 4));
    }
  }
  CHECK(lines.back().at("events") == lines.size() - 1);
}

TEST_CASE("kraftsim run --trace-format chrome: a Chrome trace-event array") {
  const TempDir dir;
  const std::string path = (dir.path() / "default.json").string();
  const CliRun r = run_cli({"run", kDefault, "--quiet", "--trace", path, "--trace-format", "chrome"});
  CHECK(r.code == 0);
  const nlohmann::json trace = nlohmann::json::parse(read_file(path));
  REQUIRE(trace.is_array());
  std::map<int, std::string> names;
  std::size_t begins = 0;
  std::size_t ends = 0;
  for (const nlohmann::json& e : trace) {
    if (e.at("ph") == "M" && e.at("name") == "process_name") names[e.at("pid")] = e.at("args").at("name");
    begins += e.at("ph") == "B" ? 1U : 0U;
    ends += e.at("ph") == "E" ? 1U : 0U;
  }
  CHECK(names == std::map<int, std::string>{{0, "cluster"},
                                            {1, "node 0 (controller)"},
                                            {2, "node 1 (controller)"},
                                            {3, "node 2 (controller)"},
                                            {4, "node 3 (broker)"},
                                            {5, "node 4 (broker)"},
                                            {6, "node 5 (broker)"},
                                            {1001, "node 1000 (admin client)"}});
  CHECK(begins > 6);
  CHECK(begins == ends);
}

TEST_CASE("kraftsim run: bad trace flags exit 2 naming the flag, the value and what was expected") {
  const TempDir dir;
  const std::string path = (dir.path() / "t.jsonl").string();
  const auto error = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = {"run", kElect, "--trace", path};
    args.insert(args.end(), extra.begin(), extra.end());
    const CliRun r = run_cli(args);
    CHECK(r.code == 2);
    CHECK(r.out == "");
    return r.err;
  };
  CHECK(error({"--trace-format", "perfetto"}) ==
        "kraftsim: --trace-format: got 'perfetto', expected jsonl or chrome\n");
  CHECK(error({"--trace-nodes", "0,6"}) ==
        "kraftsim: --trace-nodes: got '6', expected comma-separated node ids of the cluster (0..5)\n");
  CHECK(error({"--trace-kinds", "elections"}) ==
        "kraftsim: --trace-kinds: got 'elections', expected a comma-separated list of send, "
        "deliver, drop, role, election, active, progress, action, fault, note\n");
  CHECK(error({"--trace-from-ms", "5000", "--trace-to-ms", "4000"}) ==
        "kraftsim: --trace-to-ms: got '4000', expected a time after --trace-from-ms (5000)\n");
  CHECK(error({"--trace-messages", "-3"}) ==
        "kraftsim: --trace-messages: got '-3', expected all, none or an integer N >= 1 (the "
        "messages whose id is a multiple of N)\n");
  CHECK_FALSE(std::filesystem::exists(path));

  const std::string unwritable = (dir.path() / "missing-dir" / "t.jsonl").string();
  const CliRun r = run_cli({"run", kElect, "--trace", unwritable});
  CHECK(r.code == 2);
  CHECK(r.err == "kraftsim: --trace: cannot write '" + unwritable + "'\n");
  const CliRun lone = run_cli({"run", kElect, "--trace-messages", "none"});
  CHECK(lone.code == 2);
  CHECK(lone.err == "kraftsim: --trace-messages: given without --trace FILE\n");
}

TEST_CASE("kraftsim --help lists the trace flags") {
  const CliRun r = run_cli({"--help"});
  CHECK(r.code == 0);
  CHECK(contains(r.out, "  --trace FILE          export every event of the run to FILE"));
  CHECK(contains(r.out, "  --trace-format F      jsonl (default)"));
  CHECK(contains(r.out, "  --trace-messages M    all (default), none, or N"));
}
