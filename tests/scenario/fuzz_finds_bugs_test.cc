// The fuzzer finds every re-introduced historical bug (raft/common/bugs.hh) within a bounded
// number of seeds of the default profile, and the shrinker cuts each failure down to a handful of
// timeline actions that still fail the same way, replay from the written file, and pass without
// the bug. (Issue 6's proof that the fuzzer finds bugs; `kraftsim fuzz --bug NAME` does the same
// from the command line.)
#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <string>

#include "raft/common/bugs.hh"
#include "sim/fuzz/generator.hh"
#include "sim/fuzz/outcome.hh"
#include "sim/fuzz/shrinker.hh"
#include "sim/scenario/scenario_loader.hh"
#include "sim/scenario/scenario_writer.hh"

namespace {

namespace fz = sim::fuzz;
using raft::Bug;

// Seeds 0 .. kSeedBound - 1 are searched; every bug is found well before (seeds 0..15 today).
constexpr std::uint64_t kSeedBound = 40;
// "A handful": the most timeline actions a shrunk reproduction may keep.
constexpr std::size_t kHandful = 8;

struct BugCase {
  Bug bug;
  const char* outcome;  // the class the fuzzer reports for it
};

constexpr BugCase kCases[] = {
    {Bug::NoCheckQuorum, "safety:CheckQuorum"},
    {Bug::HwAtEpochStart, "safety:LeaderCommitsOwnEpoch"},
    {Bug::RestartAsLeader, "liveness:caught_up"},
    {Bug::PreVotePingPong, "liveness:active_controller"},
    {Bug::ForgetBrokersOnActivation, "liveness:live_partitions_led"},
};

// The first seed below kSeedBound whose case fails with `bug` on, and its case.
std::optional<fz::FuzzCase> first_failing(Bug bug, fz::RunOutcome& outcome) {
  raft::BugSet bugs;
  bugs.insert(bug);
  for (std::uint64_t seed = 0; seed < kSeedBound; ++seed) {
    fz::FuzzCase c = fz::generate_case(fz::default_profile(), seed,
                                       fz::Budget::WithinTolerance, bugs);
    outcome = fz::run_and_classify(c.scenario);
    if (!outcome.passed()) return c;
  }
  return std::nullopt;
}

sim::Scenario without_bugs(sim::Scenario s) {
  s.bugs = raft::BugSet{};
  return s;
}

}  // namespace

TEST_CASE("fuzz finds bugs: every historical bug has a case here") {
  CHECK(std::size(kCases) == raft::kBugCount);
  for (std::size_t i = 0; i < std::size(kCases); ++i) CHECK(kCases[i].bug == raft::kAllBugs[i]);
}

namespace {

// The fuzzer finds `kCases[index]`'s bug, and the shrinker makes it small (one test case per bug,
// so CTest runs them in parallel).
void check_found_and_shrunk(std::size_t index) {
  {
    const BugCase& bc = kCases[index];
    const std::string name(raft::to_string(bc.bug));
    CAPTURE(name);
    fz::RunOutcome found;
    const std::optional<fz::FuzzCase> c = first_failing(bc.bug, found);
    REQUIRE(c.has_value());
    MESSAGE(name, ": found at seed ", c->seed, " as ", found.outcome);
    CHECK(found.outcome == bc.outcome);
    // The same case without the bug passes: the failure is the bug's.
    CHECK(fz::run_and_classify(without_bugs(c->scenario)).passed());
    // The reproduction file replays the failure exactly.
    const sim::Scenario written = sim::parse_scenario_text(sim::scenario_to_text(c->scenario), "repro");
    const fz::RunOutcome replayed = fz::run_and_classify(written);
    CHECK(replayed.outcome == found.outcome);
    CHECK(replayed.trace_hash == found.trace_hash);

    fz::ShrinkOptions options;
    options.max_runs = 250;
    const fz::ShrinkResult shrunk = fz::shrink(c->scenario, options);
    MESSAGE(name, ": shrunk in ", shrunk.runs, " runs, actions ", shrunk.before.actions, " -> ",
            shrunk.after.actions, ", brokers ", shrunk.before.brokers, " -> ", shrunk.after.brokers);
    CHECK(shrunk.outcome.outcome == bc.outcome);
    CHECK(shrunk.after.actions <= kHandful);
    CHECK(shrunk.after.actions < shrunk.before.actions);
    const sim::Scenario shrunk_file =
        sim::parse_scenario_text(sim::scenario_to_text(shrunk.scenario), "shrunk");
    CHECK(fz::run_and_classify(shrunk_file).outcome == bc.outcome);
    CHECK(fz::run_and_classify(without_bugs(shrunk_file)).passed());
  }
}

}  // namespace

TEST_CASE("fuzz finds bugs: no-check-quorum (KAFKA-15489)") { check_found_and_shrunk(0); }
TEST_CASE("fuzz finds bugs: hw-at-epoch-start (KAFKA-12619)") { check_found_and_shrunk(1); }
TEST_CASE("fuzz finds bugs: restart-as-leader (KAFKA-10527)") { check_found_and_shrunk(2); }
TEST_CASE("fuzz finds bugs: pre-vote-ping-pong (KIP-996)") { check_found_and_shrunk(3); }
TEST_CASE("fuzz finds bugs: forget-brokers-on-activation (KAFKA-18138)") { check_found_and_shrunk(4); }
