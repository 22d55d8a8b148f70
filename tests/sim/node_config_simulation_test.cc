// Per-node configuration in whole simulated runs (issue 5): cluster.node_config reaches each
// node's RaftConfig, quorum controller / broker configs and snapshot generator; disk.nodes each
// node's disk; network.classes the links of the run. Scenarios are built in code.
#include <doctest/doctest.h>

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

#include "sim/simulation.hh"

using raft::NodeId;
using sim::Duration;
using sim::Instant;

namespace {

constexpr std::int64_t kNever = 1'000'000'000;  // ms: a timeout that never fires in these runs

// 3 voters (0-2) and `brokers` observers of the counter, stopping at `stop_ms`.
sim::Scenario counter_scenario(int brokers, std::int64_t stop_ms) {
  sim::Scenario s;
  s.name = "per-node";
  s.cluster.controllers = 3;
  s.cluster.brokers = brokers;
  s.cluster.state_machine = sim::StateMachineChoice::Counter;
  s.stop.at = Instant::from_ms(stop_ms);
  return s;
}

// Sets node `id`'s effective configuration: the cluster's, changed by `change`.
template <typename Change>
void override_node(sim::ClusterSpec& cluster, int id, Change change) {
  sim::NodeConfigValues values = cluster.config_of(id);
  change(values);
  cluster.node_config[id] = values;
}

sim::Action crash_leader(std::int64_t at_ms) {
  sim::Action a;
  a.at = Instant::from_ms(at_ms);
  a.type = sim::ActionType::Crash;
  sim::NodeSelector leader;
  leader.kind = sim::NodeSelector::Kind::Leader;
  a.node = leader;
  a.label = "crash-leader";
  return a;
}

// Records messages: who sent VoteRequests, and each delivery's latency.
class Recorder : public sim::TraceSink {
 public:
  void on_message(Instant at, std::string_view kind, const raft::Message& m) override {
    const Key key{m.source.value(), m.destination.value(), m.correlation_id.value(),
                  m.payload.index()};
    if (kind == "send") {
      if (std::holds_alternative<raft::VoteRequest>(m.payload)) ++vote_requests[m.source.value()];
      sent[key].push_back(at);
    } else if (kind == "deliver" && !sent[key].empty()) {
      const Instant at_send = sent[key].front();
      sent[key].pop_front();
      latencies_us[{m.source.value(), m.destination.value()}].push_back((at - at_send).us());
    }
  }
  void on_note(const sim::TimelineEntry&) override {}

  using Key = std::tuple<std::int32_t, std::int32_t, std::int64_t, std::size_t>;
  std::map<Key, std::deque<Instant>> sent;
  std::map<std::int32_t, int> vote_requests;  // by sender
  std::map<std::pair<std::int32_t, std::int32_t>, std::vector<std::int64_t>> latencies_us;
};

std::optional<int> leader_of(const sim::Simulation& simulation) {
  for (int id = 0; id < 3; ++id) {
    const sim::NodeHost& n = simulation.node(NodeId(id));
    if (n.client() != nullptr && n.client()->quorum().is(raft::StateKind::Leader)) return id;
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("node config: the only voter with a normal election timeout is elected first") {
  for (std::uint64_t seed : {1U, 2U, 3U}) {
    CAPTURE(seed);
    sim::Scenario s = counter_scenario(0, 4000);
    for (int id : {0, 1}) {
      override_node(s.cluster, id, [](sim::NodeConfigValues& v) {
        v.config.election_timeout_ms = kNever;
      });
    }
    Recorder recorder;
    sim::Simulation simulation(s, seed);
    simulation.set_trace_sink(&recorder);
    simulation.run_until(Instant::from_ms(4000));
    CHECK_FALSE(simulation.violation().has_value());
    CHECK(leader_of(simulation) == std::optional<int>(2));
    CHECK(recorder.vote_requests[0] == 0);
    CHECK(recorder.vote_requests[1] == 0);
    CHECK(recorder.vote_requests[2] > 0);
  }
}

// KIP-996: a follower rejects pre-votes until its own fetch timeout expires. With node 2's fetch
// timeout (and election timeout) huge, it stays loyal to a crashed leader and the survivor can
// never win; with the cluster's values (the control run), the survivor takes over.
TEST_CASE("node config: a follower's own fetch timeout decides if a crashed leader is replaced") {
  for (std::uint64_t seed : {1U, 2U, 3U}) {
    for (bool loyal : {true, false}) {
      CAPTURE(seed);
      CAPTURE(loyal);
      sim::Scenario s = counter_scenario(0, 12'000);
      if (loyal) {
        override_node(s.cluster, 2, [](sim::NodeConfigValues& v) {
          v.config.election_timeout_ms = kNever;
          v.config.fetch_timeout_ms = kNever;
        });
      }
      s.timeline.push_back(crash_leader(3000));
      Recorder recorder;
      sim::Simulation simulation(s, seed);
      simulation.set_trace_sink(&recorder);
      simulation.run_until(Instant::from_ms(2999));
      const std::optional<int> first = leader_of(simulation);
      REQUIRE(first.has_value());
      if (loyal) CHECK(*first != 2);  // node 2 never times out, so never runs
      simulation.run_until(Instant::from_ms(12'000));
      CHECK_FALSE(simulation.violation().has_value());
      const std::optional<int> second = leader_of(simulation);
      if (loyal) {
        CHECK_FALSE(second.has_value());
        CHECK(simulation.node(NodeId(2)).client()->quorum().is(raft::StateKind::Follower));
        CHECK(recorder.vote_requests[2] == 0);
        CHECK(recorder.vote_requests[1 - *first] > 0);  // the survivor keeps asking
      } else {
        REQUIRE(second.has_value());
        CHECK(*second != *first);
      }
    }
  }
}

TEST_CASE("node config: controller and broker configs reach each node's process") {
  sim::Scenario s;
  s.name = "per-node-metadata";
  s.cluster.controllers = 3;
  s.cluster.brokers = 2;
  s.cluster.metadata.broker_session_timeout_ms = 12'000;
  override_node(s.cluster, 1, [](sim::NodeConfigValues& v) {
    v.metadata.metadata_max_idle_interval_ms = 100;
    v.metadata.auto_leader_rebalance_enable = false;
  });
  override_node(s.cluster, 3, [](sim::NodeConfigValues& v) {
    v.metadata.broker_heartbeat_interval_ms = 500;
    v.metadata.broker_session_timeout_ms = 4000;
  });
  sim::Simulation simulation(s, 1);
  const auto& c0 = simulation.node(NodeId(0)).process().controller_config;
  const auto& c1 = simulation.node(NodeId(1)).process().controller_config;
  CHECK(c0.max_idle_interval == Duration::millis(500));
  CHECK(c0.auto_leader_rebalance);
  CHECK(c0.session_timeout == Duration::millis(12'000));
  CHECK(c1.max_idle_interval == Duration::millis(100));
  CHECK_FALSE(c1.auto_leader_rebalance);
  CHECK(c1.session_timeout == Duration::millis(12'000));
  const auto& b3 = simulation.node(NodeId(3)).process().broker_config;
  const auto& b4 = simulation.node(NodeId(4)).process().broker_config;
  CHECK(b3.heartbeat_interval == Duration::millis(500));
  CHECK(b3.request_timeout == Duration::millis(2000));  // half its session timeout
  CHECK(b3.retry_backoff_max == Duration::millis(4000));
  CHECK(b4.heartbeat_interval == Duration::millis(2000));
  CHECK(b4.request_timeout == Duration::millis(6000));
  CHECK(b4.retry_backoff_max == Duration::millis(12'000));
}

TEST_CASE("node config: per-node snapshot settings and per-node disks") {
  sim::Scenario s = counter_scenario(1, 3000);
  s.workload.enabled = true;
  s.workload.interval = Duration::millis(10);
  override_node(s.cluster, 1, [](sim::NodeConfigValues& v) {
    v.snapshot.max_record_bytes_between_snapshots = 1000;
  });
  s.disk.flush_latency = Duration::micros(100);
  s.disk.node_flush_latency[3] = Duration::millis(2);
  s.disk.node_flush_latency[0] = Duration::zero();
  sim::Simulation simulation(s, 7);
  CHECK(simulation.node(NodeId(0)).disk().flush_latency() == Duration::zero());
  CHECK(simulation.node(NodeId(1)).disk().flush_latency() == Duration::micros(100));
  CHECK(simulation.node(NodeId(2)).disk().flush_latency() == Duration::micros(100));
  CHECK(simulation.node(NodeId(3)).disk().flush_latency() == Duration::millis(2));
  simulation.run_until(Instant::from_ms(3000));
  CHECK_FALSE(simulation.violation().has_value());
  // Only node 1 reached its (small) snapshot threshold; the others keep Kafka's 20 MiB.
  CHECK(simulation.node(NodeId(1)).disk().snapshots().size() >= 2);
  CHECK(simulation.node(NodeId(0)).disk().snapshots().empty());
  CHECK(simulation.node(NodeId(2)).disk().snapshots().empty());
  CHECK(simulation.node(NodeId(3)).disk().snapshots().empty());
}

TEST_CASE("network classes: the run's links follow the classes of its cluster") {
  sim::Scenario s = counter_scenario(1, 3000);
  s.workload.enabled = true;
  s.network.default_link.latency.distribution = sim::LatencySpec::Distribution::Constant;
  s.network.default_link.latency.min = Duration::millis(1);
  sim::LinkSpec slow = s.network.default_link;
  slow.latency.min = Duration::millis(7);
  s.network.classes.push_back({sim::NodeClass::Controller, sim::NodeClass::Controller, slow});
  // network.controllers / node_count are left unset: the simulation takes them from the cluster.
  Recorder recorder;
  sim::Simulation simulation(s, 4);
  simulation.set_trace_sink(&recorder);
  simulation.run_until(Instant::from_ms(3000));
  CHECK_FALSE(simulation.violation().has_value());
  std::size_t voter_links = 0;
  std::size_t observer_links = 0;
  for (const auto& [link, latencies] : recorder.latencies_us) {
    const bool voters = link.first < 3 && link.second < 3;
    CAPTURE(link.first);
    CAPTURE(link.second);
    for (std::int64_t us : latencies) CHECK(us == (voters ? 7000 : 1000));
    if (!latencies.empty()) ++(voters ? voter_links : observer_links);
  }
  CHECK(voter_links >= 4);     // leader <-> two followers, both ways
  CHECK(observer_links >= 2);  // leader <-> observer 3
}
