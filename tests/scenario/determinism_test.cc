// Determinism: the same scenario and seed always give the same run (the same trace hash and the
// same result), and different seeds give different runs.
#include <doctest/doctest.h>

#include <set>

#include "sim/run_result_json.hh"
#include "support/scenario_runner.hh"

using kraftsim::test::run_shipped_scenario;

TEST_CASE("Determinism: the same seed twice gives the same trace hash and the same result") {
  for (const char* name : {"default", "leader-partitioned", "majority-reachable-one-way"}) {
    CAPTURE(name);
    const sim::RunResult a = run_shipped_scenario(name, 7);
    const sim::RunResult b = run_shipped_scenario(name, 7);
    CHECK(a.trace_hash == b.trace_hash);
    CHECK(a.events == b.events);
    // The whole summary (timeline, failovers, final state) is identical, wall time aside.
    CHECK(sim::to_json(a, std::nullopt).dump() == sim::to_json(b, std::nullopt).dump());
  }
}

TEST_CASE("Determinism: different seeds give different trace hashes") {
  std::set<std::uint64_t> hashes;
  for (std::uint64_t seed = 1; seed <= 8; ++seed) hashes.insert(run_shipped_scenario("default", seed).trace_hash);
  CHECK(hashes.size() == 8);
}

TEST_CASE("Determinism: two simulations interleaved step by step do not influence each other") {
  // No hidden global state: running A and B alternately gives the same hashes as running each alone.
  const sim::Scenario scenario = kraftsim::test::load_shipped_scenario("leader-crash");
  sim::Simulation a(scenario, 11);
  sim::Simulation b(scenario, 12);
  for (std::int64_t t = 500; t <= 15000; t += 500) {
    a.run_until(raft::Instant::from_ms(t));
    b.run_until(raft::Instant::from_ms(t));
  }
  CHECK(a.trace_hash() == run_shipped_scenario("leader-crash", 11).trace_hash);
  CHECK(b.trace_hash() == run_shipped_scenario("leader-crash", 12).trace_hash);
}
