// `kraftsim inspect` (tools/cli/inspect_command.hh) on scenarios/default.json: the sections
// printed by default and per flag, the default nodes, --at, and the messages of bad values.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "tests/cli/support/cli_harness.hh"

namespace {

using kraftsim::cli::testing::CliRun;
using kraftsim::cli::testing::contains;
using kraftsim::cli::testing::line_starting_with;

const std::string kDefault = std::string(KRAFTSIM_SOURCE_DIR) + "/scenarios/default.json";

// `kraftsim inspect ARGS...` through cli::main.
CliRun inspect(std::vector<std::string> args) {
  args.insert(args.begin(), "inspect");
  return kraftsim::cli::testing::run_cli(args);
}

// Offset of `needle` in `text` (npos if absent).
std::size_t at(const std::string& text, const std::string& needle) { return text.find(needle); }

}  // namespace

TEST_CASE("inspect: no section flag prints the quorum, then log and image of the leader and the first broker") {
  const CliRun r = inspect({kDefault});
  REQUIRE(r.code == 0);
  CHECK(r.err.empty());
  CHECK(line_starting_with(r.out, "inspect:") ==
        "inspect: scenario default, seed 1, at 50000 ms: end of the run (stop time reached, success)");
  const std::string leader_line = line_starting_with(r.out, "LeaderId:");
  REQUIRE(leader_line.size() > 24);
  const std::string leader = leader_line.substr(24);
  REQUIRE((leader == "0" || leader == "1" || leader == "2"));
  const std::string node = "== node " + leader + " (controller): ";
  const std::vector<std::string> order{"== quorum: describe --status ==\nClusterId:",
                                       "== quorum: describe --replication ==\nNodeId  LogEndOffset",
                                       node + "metadata log ==\nDumping node " + leader,
                                       node + "metadata image ==\nnode " + leader + " (controller), image at offset ",
                                       "== node 3 (broker): metadata log ==\nDumping node 3 (broker, running)",
                                       "== node 3 (broker): metadata image ==\nnode 3 (broker), image at offset "};
  std::size_t previous = 0;
  for (const std::string& section : order) {
    INFO(section);
    const std::size_t where = at(r.out, section);
    REQUIRE(where != std::string::npos);
    CHECK(where >= previous);
    previous = where;
  }
  CHECK_FALSE(contains(r.out, "== node 4"));
  CHECK_FALSE(contains(r.out, "== node 5"));
}

TEST_CASE("inspect: --at before the first election shows no leader, and --seed is reported") {
  const CliRun r = inspect({kDefault, "--at", "100", "--quorum", "--seed", "7"});
  REQUIRE(r.code == 0);
  CHECK(line_starting_with(r.out, "inspect:") == "inspect: scenario default, seed 7, at 100 ms: --at 100");
  CHECK(contains(r.out, "\n== quorum ==\nno leader: no running voter leads an epoch; each node's own view:\n"));
  CHECK(contains(r.out, "\n0       running  Unattached  0      -1        -1             0\n"));
  CHECK_FALSE(contains(r.out, "LeaderId:"));
  CHECK_FALSE(contains(r.out, "== node"));
}

TEST_CASE("inspect: --node and a section flag print only that section for those nodes") {
  const CliRun r = inspect({kDefault, "--at", "30000", "--log", "--node", "5", "--node", "1", "--node", "5"});
  REQUIRE(r.code == 0);
  const std::size_t five = at(r.out, "\n== node 5 (broker): metadata log ==\nDumping node 5 (broker, running)");
  const std::size_t one = at(r.out, "\n== node 1 (controller): metadata log ==\nDumping node 1 (controller, ");
  REQUIRE(five != std::string::npos);
  REQUIRE(one != std::string::npos);
  CHECK(five < one);
  CHECK(r.out.find("== node 5", five + 2) == std::string::npos);  // once
  CHECK_FALSE(contains(r.out, "metadata image =="));
  CHECK_FALSE(contains(r.out, "== quorum"));

  const CliRun down = inspect({kDefault, "--at", "30000", "--image", "--node", "4"});
  REQUIRE(down.code == 0);
  CHECK(contains(down.out, "\n== node 4 (broker): metadata image ==\nnode 4 (broker) is crashed: no image in memory\n"));
}

TEST_CASE("inspect: bad values exit 2 naming the flag, the value and what was expected") {
  struct Case {
    std::vector<std::string> args;
    std::string err;
  };
  const std::vector<Case> cases{
      {{kDefault, "--node", "9"}, "kraftsim: --node: got '9', expected a node id in 0..5\n"},
      {{kDefault, "--node", "x"}, "kraftsim: --node: got 'x', expected a node id in 0..5\n"},
      {{kDefault, "--at", "60000"},
       "kraftsim: --at: got '60000', expected a time in ms in 0..50000 (the scenario stops at 50000 ms)\n"},
      {{kDefault, "--at", "soon"},
       "kraftsim: --at: got 'soon', expected a time in ms in 0..50000 (the scenario stops at 50000 ms)\n"},
      {{"--log"}, "kraftsim: inspect: missing the scenario FILE (see kraftsim --help)\n"},
  };
  for (const Case& c : cases) {
    INFO(c.args.back());
    const CliRun r = inspect(c.args);
    CHECK(r.code == 2);
    CHECK(r.err == c.err);
    CHECK(r.out.empty());
  }
}
