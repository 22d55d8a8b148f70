// The timeline's node sets, slow links, clock drift and repeated actions in whole simulated runs
// (issue 5): what set selectors resolve to, the delivery times under slow_link / restore_link,
// the machine clock of a node (sim/node_clock.hh: conversions, rate changes, crash and restart)
// and how a drifted node's timers fire, and the copies of a repeated action.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "sim/node_clock.hh"
#include "sim/node_host.hh"
#include "sim/scenario/scenario_loader.hh"
#include "sim/simulation.hh"

using raft::NodeId;
using sim::Duration;
using sim::Instant;
using sim::NodeClock;

namespace {

// Records the timeline and the messages of a run as they happen.
class Recorder : public sim::TraceSink {
 public:
  struct Seen {
    Instant at;
    std::string kind;
    raft::Message message;
  };
  void on_message(Instant at, std::string_view kind, const raft::Message& m) override {
    messages.push_back(Seen{at, std::string(kind), m});
  }
  void on_note(const sim::TimelineEntry& entry) override { notes.push_back(entry); }

  // Every note containing `text`.
  [[nodiscard]] std::vector<sim::TimelineEntry> notes_with(const std::string& text) const {
    std::vector<sim::TimelineEntry> out;
    for (const sim::TimelineEntry& t : notes) {
      if (t.text.find(text) != std::string::npos) out.push_back(t);
    }
    return out;
  }

  std::vector<Seen> messages;
  std::vector<sim::TimelineEntry> notes;
};

std::vector<NodeId> ids(std::initializer_list<int> v) {
  std::vector<NodeId> out;
  for (int x : v) out.emplace_back(x);
  return out;
}

// The targets the action labelled `label` resolved to (the last copy's, if repeated).
std::vector<NodeId> targets_of(const sim::Simulation& s, const std::string& label) {
  auto it = s.observations().actions_by_label.find(label);
  REQUIRE(it != s.observations().actions_by_label.end());
  return it->second.targets;
}

// The running voter that leads, or nullopt.
std::optional<int> leader_of(const sim::Simulation& simulation, int voters = 3) {
  for (int id = 0; id < voters; ++id) {
    const sim::NodeHost& n = simulation.node(NodeId(id));
    if (n.client() != nullptr && n.client()->quorum().is(raft::StateKind::Leader)) return id;
  }
  return std::nullopt;
}

// A counter cluster of `controllers` voters and `brokers` observers, 1 ms constant latency, no
// workload, stopping at `stop_ms`, with `timeline` (JSON text).
sim::Scenario counter_scenario(int controllers, int brokers, int stop_ms,
                               const std::string& timeline) {
  return sim::parse_scenario_text(
      R"({"name": "t", "description": "d",
          "cluster": {"controllers": )" + std::to_string(controllers) + R"(, "brokers": )" +
          std::to_string(brokers) + R"(, "state_machine": "counter"},
          "network": {"latency": {"distribution": "constant", "ms": 1}},
          "timeline": )" + timeline + R"(,
          "stop": {"at_ms": )" + std::to_string(stop_ms) + "}}",
      "t.json");
}

// For every message of type Payload delivered from `from` to `to` in [begin, end), the time
// from its send to its delivery (matched by correlation id).
template <typename Payload>
std::vector<std::int64_t> transit_times(const Recorder& r, int from, int to, Instant begin,
                                        Instant end) {
  std::map<std::int64_t, Instant> sent;
  std::vector<std::int64_t> out;
  for (const Recorder::Seen& seen : r.messages) {
    const raft::Message& m = seen.message;
    if (m.source != NodeId(from) || m.destination != NodeId(to)) continue;
    if (!std::holds_alternative<Payload>(m.payload)) continue;
    if (seen.kind == "send") sent[m.correlation_id.value()] = seen.at;
    if (seen.kind == "deliver" && seen.at >= begin && seen.at < end) {
      auto it = sent.find(m.correlation_id.value());
      REQUIRE(it != sent.end());
      out.push_back((seen.at - it->second).us());
    }
  }
  return out;
}

bool all_equal(const std::vector<std::int64_t>& v, std::int64_t value) {
  return std::all_of(v.begin(), v.end(), [&](std::int64_t x) { return x == value; });
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// The machine clock

TEST_CASE("node clock: an exact clock is the global clock, bit for bit") {
  NodeClock c;
  for (std::int64_t us : {0L, 1L, 999L, 123'456'789L, 9'000'000'000'000L}) {
    CHECK(c.local(Instant::from_us(us)) == Instant::from_us(us));
    CHECK(c.global(Instant::from_us(us)) == Instant::from_us(us));
  }
  CHECK(c.local(Instant::never()).is_never());
  CHECK(c.global(Instant::never()).is_never());
  CHECK(c.drift_ppm() == 0);
  // Back to drift 0 after a drift: an offset, still exact to the microsecond.
  c.set_drift(Instant::from_us(1000), 1'000'000);
  c.set_drift(Instant::from_us(2000), 0);
  CHECK(c.local(Instant::from_us(2000)) == Instant::from_us(3000));
  CHECK(c.local(Instant::from_us(2001)) == Instant::from_us(3001));
  CHECK(c.global(Instant::from_us(3001)) == Instant::from_us(2001));
}

TEST_CASE("node clock: fast and slow rates, continuity and monotonicity across rate changes") {
  NodeClock c;
  c.set_drift(Instant::zero(), 1'000'000);  // 2x
  CHECK(c.local(Instant::from_ms(1000)) == Instant::from_ms(2000));
  // Rate change at 1 s global (2 s local): 0.5x from there on.
  c.set_drift(Instant::from_ms(1000), -500'000);
  CHECK(c.anchor_global() == Instant::from_ms(1000));
  CHECK(c.local(Instant::from_ms(1000)) == Instant::from_ms(2000));  // continuous
  CHECK(c.local(Instant::from_ms(2000)) == Instant::from_ms(2500));
  CHECK(c.local(Instant::from_us(1'000'001)) == Instant::from_us(2'000'000));  // floor of 0.5 us
  CHECK(c.local(Instant::from_us(1'000'002)) == Instant::from_us(2'000'001));
  // Monotonic, microsecond by microsecond, over a stretch with several rate changes.
  NodeClock m;
  Instant previous = m.local(Instant::zero());
  const std::int64_t rates[] = {300'000, -999'999, 10'000'000, -123'457, 0};
  for (std::int64_t step = 0; step < 5; ++step) {
    m.set_drift(Instant::from_us(step * 10'000), rates[step]);
    for (std::int64_t us = step * 10'000; us < (step + 1) * 10'000; ++us) {
      const Instant now = m.local(Instant::from_us(us));
      REQUIRE(now >= previous);
      previous = now;
    }
  }
}

TEST_CASE("node clock: global() is the earliest global instant at which the local time is reached") {
  for (std::int64_t drift : {-999'999L, -700'001L, -1L, 1L, 333'333L, 1'000'000L, 10'000'000L}) {
    CAPTURE(drift);
    NodeClock c;
    c.set_drift(Instant::from_us(5'000), drift);
    const Instant anchor_local = c.local(Instant::from_us(5'000));
    for (std::int64_t ahead : {1L, 2L, 3L, 7L, 999L, 1'000'000L, 123'456'789L}) {
      const Instant target = anchor_local + Duration::micros(ahead);
      const Instant g = c.global(target);
      CHECK(c.local(g) >= target);                               // reached by then
      CHECK(c.local(g - Duration::micros(1)) < target);          // and not a microsecond earlier
      CHECK(c.global(c.local(g)) <= g);                          // round trip
    }
    // A local time already reached maps to the last rate change, never to the past.
    CHECK(c.global(anchor_local) == Instant::from_us(5'000));
    CHECK(c.global(Instant::zero()) == Instant::from_us(5'000));
  }
  // A deadline that a nearly stopped clock reaches only after the end of representable time.
  NodeClock slow;
  slow.set_drift(Instant::zero(), -999'999);
  CHECK(slow.global(Instant::from_us(9'000'000'000'000'000)).is_never());
  CHECK(slow.global(Instant::from_us(1000)) == Instant::from_us(1'000'000'000));
}

TEST_CASE("node host: at +100% drift its timers fire at half the global delay, across restarts") {
  auto make = [](int id) {
    raft::RaftClient::Options options{NodeId(id), ids({0, 1, 2}), raft::RaftConfig{}, {}};
    return std::make_unique<sim::NodeHost>(options, sim::Prng(91));
  };
  auto exact = make(1);
  auto fast = make(1);
  fast->set_clock_drift(Instant::zero(), 1'000'000);
  exact->start(Instant::zero());
  fast->start(Instant::zero());
  // The same random election timeout on both; the fast one reaches it at half the global time.
  const Instant exact_deadline = exact->next_deadline();
  REQUIRE_FALSE(exact_deadline.is_never());
  CHECK(exact_deadline > Instant::zero());
  CHECK(fast->client()->next_deadline() == exact_deadline);  // the process sees local time
  CHECK(fast->next_deadline().us() == (exact_deadline.us() + 1) / 2);
  CHECK(fast->local_time(Instant::from_ms(300)) == Instant::from_ms(600));

  // The clock belongs to the machine: a crash and a restart keep its time and rate.
  fast->crash();
  CHECK(fast->local_time(Instant::from_ms(400)) == Instant::from_ms(800));
  fast->set_clock_drift(Instant::from_ms(400), -500'000);  // while down: 0.5x from now on
  fast->start(Instant::from_ms(500));
  CHECK(fast->local_time(Instant::from_ms(500)) == Instant::from_ms(850));
  // The new incarnation's timers are local: its deadline is twice as far in global time.
  const Duration local_delay = fast->client()->next_deadline() - Instant::from_ms(850);
  CHECK(local_delay > Duration::zero());
  CHECK(fast->next_deadline() - Instant::from_ms(500) == local_delay * 2);
}

// ---------------------------------------------------------------------------------------------
// Sets

TEST_CASE("sets: named sets, arrays and labels resolve to their nodes, in id order") {
  sim::Scenario s = counter_scenario(3, 2, 8000, R"([
    {"at_ms": 3000, "action": "slow_disk", "node": "controllers", "flush_ms": 0, "label": "voters"},
    {"at_ms": 3000, "action": "slow_disk", "node": "brokers", "flush_ms": 0, "label": "observers"},
    {"at_ms": 3000, "action": "slow_disk", "node": "all", "flush_ms": 0, "label": "everyone"},
    {"at_ms": 3000, "action": "slow_disk", "node": "followers", "flush_ms": 0, "label": "followers"},
    {"at_ms": 3000, "action": "slow_disk", "node": [4, "leader", 0], "flush_ms": 0, "label": "array"},
    {"at_ms": 3000, "action": "slow_disk", "node": "random-controller", "flush_ms": 0, "label": "rc"},
    {"at_ms": 3000, "action": "slow_disk", "node": "random-node", "flush_ms": 0, "label": "rn"},
    {"at_ms": 4000, "action": "crash", "node": [1, 3], "label": "crash-two"},
    {"at_ms": 5000, "action": "restart", "node": "label:crash-two", "label": "restart-two"},
    {"at_ms": 6000, "action": "isolate", "node": "label:observers", "label": "iso"}
  ])");
  Recorder recorder;
  sim::Simulation simulation(s, 3);
  simulation.set_trace_sink(&recorder);
  REQUIRE(simulation.run_until(Instant::from_ms(2999)));
  const std::optional<int> leader = leader_of(simulation);
  REQUIRE(leader.has_value());
  CHECK_FALSE(simulation.run_until(Instant::from_ms(8000)));
  CHECK_FALSE(simulation.violation().has_value());

  CHECK(targets_of(simulation, "voters") == ids({0, 1, 2}));
  CHECK(targets_of(simulation, "observers") == ids({3, 4}));
  CHECK(targets_of(simulation, "everyone") == ids({0, 1, 2, 3, 4}));
  std::vector<NodeId> followers;
  for (int id = 0; id < 3; ++id) {
    if (id != *leader) followers.emplace_back(id);
  }
  CHECK(targets_of(simulation, "followers") == followers);
  std::vector<NodeId> array = ids({0, 4});
  if (*leader != 0) array.emplace_back(*leader);
  std::sort(array.begin(), array.end());
  CHECK(targets_of(simulation, "array") == array);
  REQUIRE(targets_of(simulation, "rc").size() == 1);
  CHECK(targets_of(simulation, "rc").front().value() < 3);
  REQUIRE(targets_of(simulation, "rn").size() == 1);
  CHECK(targets_of(simulation, "rn").front().value() < 5);
  // A set action applies to each node; its label names the whole set.
  CHECK(targets_of(simulation, "crash-two") == ids({1, 3}));
  CHECK(recorder.notes_with("crash 'crash-two' node 1").size() == 1);
  CHECK(recorder.notes_with("crash 'crash-two' node 3").size() == 1);
  CHECK(targets_of(simulation, "restart-two") == ids({1, 3}));
  CHECK(simulation.node(NodeId(1)).incarnation() == 2);
  CHECK(simulation.node(NodeId(3)).incarnation() == 2);
  CHECK(simulation.node(NodeId(0)).incarnation() == 1);
  CHECK(targets_of(simulation, "iso") == ids({3, 4}));
  CHECK(recorder.notes_with("isolate 'iso' node 3").size() == 1);
  CHECK(recorder.notes_with("isolate 'iso' node 4").size() == 1);
}

TEST_CASE("sets: an empty set skips the action, a partition keeps a node named twice in one group") {
  sim::Scenario s = counter_scenario(3, 0, 5000, R"([
    {"at_ms": 2000, "action": "crash", "node": "controllers", "label": "all-down"},
    {"at_ms": 2500, "action": "pause", "node": "followers", "label": "nobody"},
    {"at_ms": 3000, "action": "restart", "node": "label:all-down"},
    {"at_ms": 4000, "action": "partition", "groups": [["controllers"], ["random-controller"]],
     "label": "p"}
  ])");
  Recorder recorder;
  sim::Simulation simulation(s, 5);
  simulation.set_trace_sink(&recorder);
  CHECK_FALSE(simulation.run_until(Instant::from_ms(5000)));
  CHECK_FALSE(simulation.violation().has_value());
  CHECK(simulation.observations().actions_by_label.at("nobody").skipped);
  CHECK(recorder.notes_with("pause 'nobody' skipped: no node matches the selector").size() == 1);
  // "random-controller" is also in "controllers": the first group keeps it.
  const std::vector<sim::TimelineEntry> p = recorder.notes_with("partition 'p' {0,1,2} | {}");
  REQUIRE(p.size() == 1);
  CHECK(p.front().text.find("kept in the first group naming it") != std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// Slow links

TEST_CASE("slow_link delays one direction until restore_link, heal does not restore it") {
  // Node 0 is the only voter (the leader); 1 and 2 observers fetch from it.
  sim::Scenario s = counter_scenario(1, 2, 9000, R"([
    {"at_ms": 3000, "action": "slow_link", "from": 0, "to": [1, 2],
     "latency": {"distribution": "constant", "ms": 200}, "label": "slow"},
    {"at_ms": 5000, "action": "heal"},
    {"at_ms": 6000, "action": "restore_link", "from": 0, "to": 1}
  ])");
  s.workload.enabled = true;
  s.workload.interval = Duration::millis(10);
  Recorder recorder;
  sim::Simulation simulation(s, 1);
  simulation.set_trace_sink(&recorder);
  CHECK_FALSE(simulation.run_until(Instant::from_ms(9000)));
  CHECK_FALSE(simulation.violation().has_value());
  CHECK(recorder.notes_with("slow_link 'slow' 0 -> {1,2}: latency constant 200 ms (2 links)").size() == 1);
  CHECK(recorder.notes_with("restore_link 0 -> 1: back to the configured behaviour (latency constant 1 ms, loss 0, duplicate 0)").size() == 1);

  using Response = raft::FetchResponse;
  using Request = raft::FetchRequest;
  const auto before = transit_times<Response>(recorder, 0, 1, Instant::from_ms(1000), Instant::from_ms(3000));
  const auto slowed = transit_times<Response>(recorder, 0, 1, Instant::from_ms(3201), Instant::from_ms(6000));
  const auto healed = transit_times<Response>(recorder, 0, 2, Instant::from_ms(5201), Instant::from_ms(9000));
  const auto restored = transit_times<Response>(recorder, 0, 1, Instant::from_ms(6201), Instant::from_ms(9000));
  const auto requests = transit_times<Request>(recorder, 1, 0, Instant::from_ms(3201), Instant::from_ms(6000));
  REQUIRE(before.size() > 10);
  REQUIRE(slowed.size() > 5);
  REQUIRE(healed.size() > 5);
  REQUIRE(restored.size() > 10);
  REQUIRE(requests.size() > 5);
  CHECK(all_equal(before, 1000));
  CHECK(all_equal(slowed, 200'000));
  CHECK(all_equal(healed, 200'000));    // heal removed no slowness: 0 -> 2 is still slow
  CHECK(all_equal(restored, 1000));     // restore_link 0 -> 1
  CHECK(all_equal(requests, 1000));     // the other direction was never slowed
}

TEST_CASE("slow_link keeps the fields it does not set, and bidirectional applies both ways") {
  sim::Scenario s = counter_scenario(1, 1, 6000, R"([
    {"at_ms": 2000, "action": "slow_link", "from": 0, "to": 1,
     "latency": {"distribution": "constant", "ms": 50}, "bidirectional": true},
    {"at_ms": 3000, "action": "slow_link", "from": 0, "to": 1, "duplicate": 1}
  ])");
  s.workload.enabled = true;
  Recorder recorder;
  sim::Simulation simulation(s, 2);
  simulation.set_trace_sink(&recorder);
  CHECK_FALSE(simulation.run_until(Instant::from_ms(6000)));
  CHECK_FALSE(simulation.violation().has_value());
  CHECK(recorder.notes_with("slow_link 0 <-> 1: latency constant 50 ms").size() == 1);
  CHECK(recorder.notes_with("slow_link 0 -> 1: duplicate 1").size() == 1);
  const auto requests = transit_times<raft::FetchRequest>(recorder, 1, 0, Instant::from_ms(2100), Instant::from_ms(6000));
  const auto responses = transit_times<raft::FetchResponse>(recorder, 0, 1, Instant::from_ms(3100), Instant::from_ms(6000));
  REQUIRE(requests.size() > 5);
  REQUIRE(responses.size() > 5);
  CHECK(all_equal(requests, 50'000));
  CHECK(all_equal(responses, 50'000));  // the duplicate change kept the 50 ms latency
  CHECK(simulation.trace_hash() != 0);
}

// ---------------------------------------------------------------------------------------------
// Clock drift

TEST_CASE("clock drift: a leader at +100% answers parked fetches after half the global delay") {
  // No workload: the leader parks every follower fetch for fetch_max_wait (500 ms of ITS clock).
  sim::Scenario s = counter_scenario(3, 0, 12000, R"([
    {"at_ms": 4000, "action": "clock_drift", "node": "leader", "drift_ppm": 1000000, "label": "fast"},
    {"at_ms": 8000, "action": "clock_drift", "node": "label:fast", "drift_ppm": -500000}
  ])");
  Recorder recorder;
  sim::Simulation simulation(s, 4);
  simulation.set_trace_sink(&recorder);
  CHECK_FALSE(simulation.run_until(Instant::from_ms(12000)));
  CHECK_FALSE(simulation.violation().has_value());
  const std::vector<NodeId> fast = targets_of(simulation, "fast");
  REQUIRE(fast.size() == 1);
  const int leader = fast.front().value();
  REQUIRE(leader_of(simulation) == leader);  // its fast and slow clock cost it nothing
  CHECK(recorder.notes_with("clock_drift 'fast' node " + std::to_string(leader) +
                            ": +1000000 ppm (runs 2x)").size() == 1);
  CHECK(recorder.notes_with("clock_drift node " + std::to_string(leader) +
                            ": -500000 ppm (runs 0.5x); its clock reads 12000.000 ms").size() == 1);

  // How long the leader held each fetch of a follower: delivered to it -> response sent.
  const int follower = leader == 0 ? 1 : 0;
  std::map<std::int64_t, Instant> arrived;
  std::map<std::string, std::vector<std::int64_t>> held;  // "exact", "fast", "slow"
  for (const Recorder::Seen& seen : recorder.messages) {
    const raft::Message& m = seen.message;
    if (seen.kind == "deliver" && m.source == NodeId(follower) && m.destination == NodeId(leader) &&
        std::holds_alternative<raft::FetchRequest>(m.payload)) {
      arrived[m.correlation_id.value()] = seen.at;
    }
    if (seen.kind == "send" && m.source == NodeId(leader) && m.destination == NodeId(follower) &&
        std::holds_alternative<raft::FetchResponse>(m.payload)) {
      auto it = arrived.find(m.correlation_id.value());
      if (it == arrived.end()) continue;
      const Instant a = it->second;
      if (a >= Instant::from_ms(2000) && seen.at < Instant::from_ms(4000)) held["exact"].push_back((seen.at - a).us());
      if (a >= Instant::from_ms(4000) && seen.at < Instant::from_ms(8000)) held["fast"].push_back((seen.at - a).us());
      if (a >= Instant::from_ms(8000)) held["slow"].push_back((seen.at - a).us());
    }
  }
  REQUIRE(held["exact"].size() >= 3);
  REQUIRE(held["fast"].size() >= 12);
  REQUIRE(held["slow"].size() >= 2);
  CHECK(all_equal(held["exact"], 500'000));
  CHECK(all_equal(held["fast"], 250'000));
  CHECK(all_equal(held["slow"], 1'000'000));
  CHECK(simulation.node(NodeId(leader)).clock().drift_ppm() == -500'000);
}

// ---------------------------------------------------------------------------------------------
// Repeated actions

TEST_CASE("repeat: the copies run at at + k * every_ms, an expectation label means the first run") {
  sim::Scenario s = counter_scenario(3, 0, 10000, R"([
    {"at_ms": 2000, "action": "isolate", "node": "random-controller", "label": "flap",
     "repeat": {"every_ms": 2000, "times": 3}},
    {"at_ms": 2500, "action": "heal", "repeat": {"every_ms": 2000, "times": 3}}
  ])");
  REQUIRE(s.timeline.size() == 6);
  std::vector<std::int64_t> at;
  for (const sim::Action& a : s.timeline) at.push_back(a.at.ms());
  CHECK(at == std::vector<std::int64_t>{2000, 2500, 4000, 4500, 6000, 6500});
  CHECK(s.timeline[4].repetition == 2);
  CHECK(s.timeline[4].index == 0);
  CHECK(s.timeline[4].label == "flap");
  Recorder recorder;
  sim::Simulation simulation(s, 7);
  simulation.set_trace_sink(&recorder);
  CHECK(simulation.run_until(Instant::from_ms(4100)));
  // Expectations measure from the first run ("label:flap" selectors name the latest run's nodes).
  CHECK(simulation.observations().actions_by_label.at("flap").at == Instant::from_ms(2000));
  CHECK_FALSE(simulation.run_until(Instant::from_ms(10000)));
  CHECK_FALSE(simulation.violation().has_value());
  CHECK(recorder.notes_with("isolate 'flap' node").size() == 3);
  CHECK(recorder.notes_with("heal:").size() == 3);
  CHECK(simulation.observations().actions_by_label.at("flap").at == Instant::from_ms(2000));
}
