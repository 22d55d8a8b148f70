// The --trace flags of `kraftsim run` (tools/cli/trace_options.hh) through their API: parsed with
// the command's parser, checked against the scenario's cluster, every bad value a UsageError with
// its exact message, and an export written by a real run.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/scenario/scenario_loader.hh"
#include "sim/simulation.hh"
#include "tests/cli/support/cli_harness.hh"
#include "tools/cli/flags.hh"
#include "tools/cli/trace_options.hh"

namespace {

namespace po = boost::program_options;
using kraftsim::cli::open_trace_export;
using kraftsim::cli::TraceExport;
using kraftsim::cli::UsageError;
using kraftsim::cli::testing::read_file;
using kraftsim::cli::testing::TempDir;

po::variables_map parse(const std::vector<std::string>& args) {
  po::options_description options("run");
  kraftsim::cli::add_trace_options(options);
  return kraftsim::cli::parse_options(args, options, po::positional_options_description());
}

// 3 controllers (the first combined), 2 brokers, metadata: node ids 0..4 and the admin client.
sim::Scenario metadata_cluster() {
  sim::Scenario s;
  s.cluster.controllers = 3;
  s.cluster.brokers = 2;
  s.cluster.combined = 1;
  return s;
}

sim::Scenario counter_cluster() {
  sim::Scenario s;
  s.cluster.controllers = 3;
  s.cluster.state_machine = sim::StateMachineChoice::Counter;
  return s;
}

// The UsageError message `args` give (with a trace file in `dir`), or "" if none.
std::string usage_error(const std::vector<std::string>& args, const sim::Scenario& s,
                        const TempDir& dir) {
  std::vector<std::string> all = {"--trace", (dir.path() / "t.jsonl").string()};
  all.insert(all.end(), args.begin(), args.end());
  try {
    (void)open_trace_export(parse(all), s);
  } catch (const UsageError& e) {
    return e.message;
  }
  return "";
}

}  // namespace

TEST_CASE("trace options: none given, no export, and --trace-* without --trace is an error") {
  CHECK(open_trace_export(parse({}), metadata_cluster()) == nullptr);
  try {
    (void)open_trace_export(parse({"--trace-kinds", "role"}), metadata_cluster());
    FAIL("no UsageError");
  } catch (const UsageError& e) {
    CHECK(e.message == "--trace-kinds: given without --trace FILE");
  }
}

TEST_CASE("trace options: the filter the flags ask for") {
  const po::variables_map vm =
      parse({"--trace", "x", "--trace-nodes", "4,0,1000", "--trace-kinds", "role,send,role",
             "--trace-from-ms", "1500", "--trace-to-ms", "2000", "--trace-messages", "7"});
  const sim::trace_export::TraceFilter f = kraftsim::cli::parse_trace_filter(vm, metadata_cluster());
  CHECK(f.nodes == std::set<int>{0, 4, 1000});
  CHECK(f.kinds == std::set<sim::TraceEventKind>{sim::TraceEventKind::Send, sim::TraceEventKind::Role});
  CHECK(f.from == raft::Instant::from_us(1'500'000));
  CHECK(f.to == raft::Instant::from_us(2'000'000));
  CHECK(f.message_sample == 7);

  const sim::trace_export::TraceFilter defaults =
      kraftsim::cli::parse_trace_filter(parse({"--trace", "x"}), metadata_cluster());
  CHECK(defaults.nodes.empty());
  CHECK(defaults.kinds.empty());
  CHECK(defaults.from == raft::Instant::zero());
  CHECK(defaults.to == raft::Instant::never());
  CHECK(defaults.message_sample == 1);
  CHECK(kraftsim::cli::parse_trace_filter(parse({"--trace", "x", "--trace-messages", "none"}),
                                          metadata_cluster())
            .message_sample == 0);
  CHECK(kraftsim::cli::parse_trace_filter(parse({"--trace", "x", "--trace-messages", "all"}),
                                          metadata_cluster())
            .message_sample == 1);

  CHECK(kraftsim::cli::trace_roles(metadata_cluster()) ==
        std::map<int, std::string>{{0, "broker,controller"},
                                   {1, "controller"},
                                   {2, "controller"},
                                   {3, "broker"},
                                   {4, "broker"},
                                   {1000, "admin client"}});
  CHECK(kraftsim::cli::trace_roles(counter_cluster()) ==
        std::map<int, std::string>{{0, "controller"}, {1, "controller"}, {2, "controller"}});
}

TEST_CASE("trace options: every bad value names the flag, the value and what was expected") {
  const TempDir dir;
  const sim::Scenario m = metadata_cluster();
  CHECK(usage_error({"--trace-format", "json"}, m, dir) ==
        "--trace-format: got 'json', expected jsonl or chrome");
  CHECK(usage_error({"--trace-nodes", "0,5"}, m, dir) ==
        "--trace-nodes: got '5', expected comma-separated node ids of the cluster (0..4, or 1000 "
        "for the admin client)");
  CHECK(usage_error({"--trace-nodes", "1,,2"}, m, dir) ==
        "--trace-nodes: got '1,,2', expected comma-separated node ids of the cluster (0..4, or "
        "1000 for the admin client)");
  CHECK(usage_error({"--trace-nodes", "1000"}, counter_cluster(), dir) ==
        "--trace-nodes: got '1000', expected comma-separated node ids of the cluster (0..2)");
  CHECK(usage_error({"--trace-nodes", "-1"}, m, dir).rfind("--trace-nodes: got '-1', expected", 0) == 0);
  CHECK(usage_error({"--trace-kinds", "role,vote"}, m, dir) ==
        "--trace-kinds: got 'vote', expected a comma-separated list of send, deliver, drop, role, "
        "election, active, progress, action, fault, note");
  CHECK(usage_error({"--trace-kinds", "role,"}, m, dir) ==
        "--trace-kinds: got 'role,', expected a comma-separated list of send, deliver, drop, role, "
        "election, active, progress, action, fault, note");
  CHECK(usage_error({"--trace-from-ms", "1.5"}, m, dir) ==
        "--trace-from-ms: got '1.5', expected an integer in 0..9223372036854775");
  CHECK(usage_error({"--trace-to-ms", "99999999999999999"}, m, dir) ==
        "--trace-to-ms: got '99999999999999999', expected an integer in 0..9223372036854775");
  CHECK(usage_error({"--trace-from-ms", "2000", "--trace-to-ms", "2000"}, m, dir) ==
        "--trace-to-ms: got '2000', expected a time after --trace-from-ms (2000)");
  CHECK(usage_error({"--trace-to-ms", "0"}, m, dir) ==
        "--trace-to-ms: got '0', expected a time after --trace-from-ms (0)");
  CHECK(usage_error({"--trace-messages", "0"}, m, dir) ==
        "--trace-messages: got '0', expected all, none or an integer N >= 1 (the messages whose id "
        "is a multiple of N)");
  CHECK(usage_error({"--trace-messages", "some"}, m, dir) ==
        "--trace-messages: got 'some', expected all, none or an integer N >= 1 (the messages whose "
        "id is a multiple of N)");
  // A bad flag leaves no file behind.
  CHECK_FALSE(std::filesystem::exists(dir.path() / "t.jsonl"));

  const std::string unwritable = (dir.path() / "no-such-dir" / "t.json").string();
  try {
    (void)open_trace_export(parse({"--trace", unwritable}), m);
    FAIL("no UsageError");
  } catch (const UsageError& e) {
    CHECK(e.message == "--trace: cannot write '" + unwritable + "'");
  }
  try {
    (void)open_trace_export(parse({"--trace", ""}), m);
    FAIL("no UsageError");
  } catch (const UsageError& e) {
    CHECK(e.message == "--trace: got '', expected a file name");
  }
}

TEST_CASE("trace options: a run streams into the export's file in the chosen format") {
  const TempDir dir;
  const sim::Scenario s =
      sim::load_scenario_file(std::string(KRAFTSIM_SOURCE_DIR) + "/scenarios/elect-3-voters.json");
  const auto run = [&s](TraceExport& e) {
    sim::Simulation simulation(s, 1, &e.listener());
    const sim::RunResult result = simulation.run();
    e.finish();
    return result;
  };

  SUBCASE("jsonl, the roles of node 1 only") {
    const std::string path = (dir.path() / "t.jsonl").string();
    const auto e = open_trace_export(
        parse({"--trace", path, "--trace-nodes", "1", "--trace-kinds", "role"}), s);
    REQUIRE(e != nullptr);
    CHECK(e->path() == path);
    const sim::RunResult result = run(*e);
    std::istringstream in(read_file(path));
    std::vector<nlohmann::json> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
    REQUIRE(lines.size() >= 3);  // Unattached, at least Follower, and the end line
    for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
      CHECK(lines[i].at("kind") == "role");
      CHECK(lines[i].at("node") == 1);
    }
    CHECK(lines.back().at("kind") == "end");
    CHECK(lines.back().at("events") == lines.size() - 1);
    CHECK(lines.back().at("t_us") == result.sim_time.us());
  }
  SUBCASE("chrome") {
    const std::string path = (dir.path() / "t.json").string();
    const auto e = open_trace_export(parse({"--trace", path, "--trace-format", "chrome"}), s);
    REQUIRE(e != nullptr);
    run(*e);
    const nlohmann::json trace = nlohmann::json::parse(read_file(path));
    REQUIRE(trace.is_array());
    std::map<int, std::string> names;
    for (const nlohmann::json& m : trace) {
      if (m.at("ph") == "M" && m.at("name") == "process_name") names[m.at("pid")] = m.at("args").at("name");
    }
    CHECK(names == std::map<int, std::string>{{0, "cluster"},
                                              {1, "node 0 (controller)"},
                                              {2, "node 1 (controller)"},
                                              {3, "node 2 (controller)"},
                                              {4, "node 3 (broker)"},
                                              {5, "node 4 (broker)"},
                                              {6, "node 5 (broker)"}});
  }
}
