// The human summary names everything a user needs to reproduce a violation: the invariant, the
// event index, the simulated time, the nodes involved and the seed.
#include <doctest/doctest.h>

#include <sstream>

#include "tools/cli/summary_printer.hh"

namespace {

sim::Scenario tiny_scenario() {
  sim::Scenario s;
  s.name = "printer";
  s.cluster.controllers = 3;
  s.cluster.brokers = 1;
  return s;
}

sim::RunResult violated_result() {
  sim::RunResult r;
  r.scenario_name = "printer";
  r.seed = 4242;
  r.trace_hash = 0xabcdef0123456789ULL;
  r.events = 1234;
  r.invariant_passes = 1234;
  r.invariant_checks = 7404;
  r.sim_time = raft::Instant::from_ms(2500);
  r.outcome = sim::Outcome::SafetyViolation;
  r.stop_reason = "invariant SingleLeader violated";
  r.violation = sim::Violation{"SingleLeader", "two leaders in epoch 3: node 0 and node 2", 1234,
                               raft::Instant::from_us(2'499'875), {raft::NodeId(0), raft::NodeId(2)}};
  return r;
}

}  // namespace

TEST_CASE("Summary: a violation is printed with invariant, event index, time, nodes and seed") {
  std::ostringstream out;
  kraftsim::cli::print_summary(out, tiny_scenario(), violated_result(), 12.5,
                               kraftsim::cli::TimelineDetail::Brief);
  const std::string text = out.str();
  CHECK(text.find("VIOLATION SingleLeader at event 1234, 2499.875 ms, nodes 0 2, seed 4242") !=
        std::string::npos);
  CHECK(text.find("two leaders in epoch 3: node 0 and node 2") != std::string::npos);
  CHECK(text.find("1 violation") != std::string::npos);
  CHECK(text.find("trace hash: 0xabcdef0123456789") != std::string::npos);
  CHECK(text.find("stopped: invariant SingleLeader violated") != std::string::npos);
}

TEST_CASE("Summary: a clean run reports zero violations and the speed figures") {
  sim::RunResult r = violated_result();
  r.violation.reset();
  r.outcome = sim::Outcome::Success;
  std::ostringstream out;
  kraftsim::cli::print_summary(out, tiny_scenario(), r, 1000.0, kraftsim::cli::TimelineDetail::None);
  const std::string text = out.str();
  CHECK(text.find("0 violations") != std::string::npos);
  CHECK(text.find("VIOLATION") == std::string::npos);
  CHECK(text.find("timeline:") == std::string::npos);  // --timeline none
  CHECK(text.find("1234 events/s") != std::string::npos);                // 1234 events in 1 s
  CHECK(text.find("2.5 simulated s per wall s") != std::string::npos);   // 2.5 s in 1 s
}
