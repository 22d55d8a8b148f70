// Metadata availability (RunResult::availability, sim/availability_tracker.hh): the tracker's
// windows, Availability's arithmetic, the failover that ends when a lost leader regains its
// majority, and whole runs where a leader is paused briefly or loses its followers.
#include <doctest/doctest.h>

#include <string>

#include "sim/availability_tracker.hh"
#include "sim/failover_tracker.hh"
#include "sim/scenario/scenario_loader.hh"
#include "sim/simulation.hh"

using raft::Epoch;
using raft::NodeId;
using sim::Duration;
using sim::Instant;

namespace {

Instant ms(std::int64_t v) { return Instant::from_ms(v); }
std::string why() { return "no leader"; }

sim::RunResult run_text(const std::string& text, std::uint64_t seed = 1) {
  return sim::Simulation(sim::parse_scenario_text(text, "test"), seed).run();
}

}  // namespace

TEST_CASE("AvailabilityTracker: start-up is not a window, later outages are, in order") {
  sim::AvailabilityTracker t;
  t.sample(ms(0), false, why);
  t.sample(ms(1000), true, why);   // first writable moment
  t.sample(ms(5000), false, why);  // window 1 opens
  t.sample(ms(6500), true, why);
  t.sample(ms(9000), false, [] { return std::string("leader 1 (epoch 2) paused"); });
  const sim::Availability a = t.result(ms(11000));
  REQUIRE(a.measured_from.has_value());
  CHECK(*a.measured_from == ms(1000));
  REQUIRE(a.windows.size() == 2);
  CHECK(a.windows[0].start == ms(5000));
  CHECK(a.windows[0].end == ms(6500));
  CHECK(a.windows[0].reason == "no leader");
  CHECK(a.windows[1].start == ms(9000));
  CHECK_FALSE(a.windows[1].end.has_value());
  CHECK(a.windows[1].reason == "leader 1 (epoch 2) paused");
  CHECK(a.measured() == Duration::millis(10'000));
  CHECK(a.unavailable() == Duration::millis(3500));  // 1.5 s + the open 2 s
  CHECK(a.available_ppm() == 650'000);
}

TEST_CASE("AvailabilityTracker: a window closed at the instant it opened is dropped") {
  sim::AvailabilityTracker t;
  t.sample(ms(1000), true, why);
  t.sample(ms(2000), false, why);
  t.sample(ms(2000), true, why);
  const sim::Availability a = t.result(ms(3000));
  CHECK(a.windows.empty());
  CHECK(a.available_ppm() == 1'000'000);
}

TEST_CASE("Availability::unavailable_between clamps to the run and counts the time before start-up") {
  sim::Availability a;
  a.measured_from = ms(1000);
  a.measured_to = ms(20'000);
  a.windows.push_back({ms(5000), ms(8000), "no leader"});
  a.windows.push_back({ms(15'000), std::nullopt, "no leader"});
  CHECK(a.unavailable_between(ms(0), ms(2000)) == Duration::millis(1000));    // before start-up
  CHECK(a.unavailable_between(ms(6000), ms(7000)) == Duration::millis(1000));  // inside window 1
  CHECK(a.unavailable_between(ms(4000), ms(16'000)) == Duration::millis(4000));
  CHECK(a.unavailable_between(ms(18'000), ms(30'000)) == Duration::millis(2000));  // clamped
  CHECK(a.unavailable_between(ms(9000), ms(9000)) == Duration::zero());
  sim::Availability never;
  never.measured_to = ms(5000);
  CHECK(never.available_ppm() == 0);
  CHECK(never.unavailable_between(ms(1000), ms(3000)) == Duration::millis(2000));
}

TEST_CASE("FailoverTracker: a lost leader that regains its majority in its epoch ends the failover") {
  sim::FailoverTracker f;
  CHECK(f.leader_active(NodeId(1), Epoch(1), ms(1000)));
  f.leader_lost(ms(5000), "pause");
  f.leader_regained(NodeId(2), Epoch(1), ms(5500));  // another node: no effect
  f.leader_regained(NodeId(1), Epoch(2), ms(5500));  // another epoch: no effect
  CHECK(f.failover_open());
  f.leader_regained(NodeId(1), Epoch(1), ms(6000));
  CHECK_FALSE(f.failover_open());
  const std::vector<sim::Failover> all = f.failovers();
  REQUIRE(all.size() == 1);
  CHECK(all[0].duration() == Duration::millis(1000));
  CHECK(all[0].new_leader == NodeId(1));
  CHECK(all[0].new_epoch == Epoch(1));
}

TEST_CASE("Availability run: a 1 s pause of the leader is one window and a failover without election") {
  // The pause is shorter than the followers' 2 s fetch timeout: nobody elects, the leader resumes.
  const sim::RunResult r = run_text(R"({
    "name": "short-pause", "description": "d", "cluster": {"controllers": 3, "state_machine": "counter"},
    "workload": {"append_interval_ms": 10},
    "timeline": [{"at_ms": 5000, "action": "pause", "node": "leader", "label": "gc"},
                 {"at_ms": 6000, "action": "resume", "node": "label:gc"}],
    "stop": {"at_ms": 10000}})");
  CHECK(r.elections == 1);
  CHECK(r.committed_records_lost == 0);
  REQUIRE(r.availability.windows.size() == 1);
  const sim::UnavailableWindow& w = r.availability.windows[0];
  CHECK(w.start == ms(5000));
  CHECK(w.end == ms(6000));
  CHECK(w.reason.find("paused") != std::string::npos);
  REQUIRE(r.failovers.size() == 1);
  CHECK(r.failovers[0].duration() == Duration::millis(1000));
  CHECK(r.failovers[0].new_leader == r.failovers[0].old_leader);
  CHECK(r.failovers[0].new_epoch == r.failovers[0].old_epoch);
}

TEST_CASE("Availability run: two of three voters down stops writes at once, until they return") {
  const sim::RunResult r = run_text(R"({
    "name": "majority-down", "description": "d", "cluster": {"controllers": 3, "state_machine": "counter"},
    "workload": {"append_interval_ms": 10},
    "timeline": [{"at_ms": 5000, "action": "crash", "node": "follower", "label": "a"},
                 {"at_ms": 5000, "action": "crash", "node": "follower", "label": "b"},
                 {"at_ms": 15000, "action": "restart", "node": ["label:a", "label:b"]}],
    "stop": {"at_ms": 25000}})");
  REQUIRE_FALSE(r.violation.has_value());
  REQUIRE(r.availability.windows.size() == 1);
  const sim::UnavailableWindow& w = r.availability.windows[0];
  CHECK(w.start == ms(5000));  // at the crash, before the leader resigns by check-quorum
  CHECK(w.reason.find("reaches 1 of 3 voters (2 needed)") != std::string::npos);
  REQUIRE(w.end.has_value());
  CHECK(*w.end > ms(15'000));
  CHECK(*w.end < ms(20'000));
  CHECK(r.availability.available_ppm() < 1'000'000 * 14 / 24);
  CHECK(r.committed_records_lost == 0);
}
