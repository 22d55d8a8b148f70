// Tests for sim/node_host.hh: the lifecycle of one simulated process (start, crash, restart,
// pause/hold/resume, stop after a graceful shutdown), what survives on its disk, correlation ids
// across incarnations, and the assertions on illegal lifecycle calls.
#include <doctest/doctest.h>

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "raft/common/assert.hh"
#include "raft/record_batch.hh"
#include "sim/node_host.hh"
#include "sim/scenario/scenario_loader.hh"
#include "sim/simulation.hh"

using raft::CorrelationId;
using raft::Epoch;
using raft::NodeId;
using raft::Offset;
using sim::Duration;
using sim::Instant;
using sim::NodeHost;
using sim::NodeStatus;

namespace {

std::unique_ptr<NodeHost> make_host(int id, const std::vector<int>& voters) {
  std::vector<NodeId> v;
  for (int x : voters) v.emplace_back(x);
  raft::RaftClient::Options options{NodeId(id), v, raft::RaftConfig{}, {}};
  return std::make_unique<NodeHost>(options, sim::Prng(77));
}

raft::Message fetch_from(int source, int destination, std::int64_t correlation,
                         std::int64_t offset) {
  raft::FetchRequest f;
  f.replica_id = NodeId(source);
  f.current_leader_epoch = Epoch(1);
  f.fetch_offset = Offset(offset);
  return raft::Message{NodeId(source), NodeId(destination), CorrelationId(correlation), f};
}

// Polls a running node at its next deadline until it has sent pre-vote requests (at most
// `polls` times); returns everything it sent, in order.
std::vector<raft::Message> poll_until_vote_requests(NodeHost& n, int polls = 20) {
  std::vector<raft::Message> sent;
  for (int i = 0; i < polls; ++i) {
    const Instant t = n.client()->next_deadline();
    REQUIRE_FALSE(t.is_never());
    n.client()->poll(t);
    bool voted = false;
    for (raft::Message& m : n.take_outbox()) {
      if (const auto* v = std::get_if<raft::VoteRequest>(&m.payload)) voted = voted || v->pre_vote;
      sent.push_back(std::move(m));
    }
    if (voted) return sent;
  }
  FAIL("node ", n.id(), " sent no pre-vote request in ", polls, " polls");
  return sent;
}

// The detail of the AssertionFailure `f` throws (empty if it throws nothing).
template <typename F>
std::string assertion_detail(F f) {
  try {
    f();
  } catch (const raft::AssertionFailure& e) {
    return e.detail();
  }
  return "";
}

}  // namespace

TEST_CASE("node host: a new host is down, incarnation 0, with an empty disk") {
  auto n = make_host(4, {0, 1, 2});
  CHECK(n->id() == NodeId(4));
  CHECK_FALSE(n->is_voter());
  CHECK(make_host(1, {0, 1, 2})->is_voter());
  CHECK(n->incarnation() == 0);
  CHECK_FALSE(n->is_alive());
  CHECK(n->status() == NodeStatus::Crashed);
  CHECK(n->client() == nullptr);
  CHECK(n->counter() == nullptr);
  CHECK(n->disk().end_offset() == Offset(0));
  CHECK(n->scheduled_wake == Instant::never());
  CHECK(sim::to_string(NodeStatus::Running) == "running");
  CHECK(sim::to_string(NodeStatus::Paused) == "paused");
  CHECK(sim::to_string(NodeStatus::Crashed) == "crashed");
  CHECK(sim::to_string(NodeStatus::Stopped) == "stopped");
}

TEST_CASE("node host: start builds incarnation 1 over the disk") {
  auto n = make_host(0, {0, 1, 2});
  n->start(Instant::from_ms(10));
  CHECK(n->incarnation() == 1);
  CHECK(n->status() == NodeStatus::Running);
  CHECK(n->is_alive());
  REQUIRE(n->client() != nullptr);
  REQUIRE(n->counter() != nullptr);
  CHECK(n->client()->local_id() == NodeId(0));
  CHECK(n->client()->quorum().is(raft::StateKind::Unattached));
  CHECK(n->client()->quorum().epoch() == Epoch(0));
  // The client persisted its initial election state on the host's disk.
  REQUIRE(n->disk().read_election_state().has_value());
  CHECK(n->disk().read_election_state()->epoch == Epoch(0));
  // It wants to be polled again, at the latest when its election timer expires ([T, 2T) after
  // the start, with Kafka's 1000 ms default T).
  const Instant deadline = n->client()->next_deadline();
  CHECK(deadline > Instant::from_ms(10));
  CHECK(deadline < Instant::from_ms(2010));
}

TEST_CASE("node host: a restart is a new incarnation with new correlation ids") {
  const std::int64_t kIncarnation1 = std::int64_t{1} << 40;
  const std::int64_t kIncarnation2 = std::int64_t{2} << 40;
  auto n = make_host(0, {0, 1, 2});
  n->start(Instant::zero());
  // Until its election timer expires and it sends pre-vote requests to voters 1 and 2, the
  // Unattached voter looks for a leader by fetching from the other voters.
  const std::vector<raft::Message> first = poll_until_vote_requests(*n);
  REQUIRE(first.size() >= 2);
  std::set<std::int64_t> first_ids;
  for (const raft::Message& m : first) {
    CHECK(m.source == NodeId(0));
    first_ids.insert(m.correlation_id.value());
  }
  CHECK(first_ids.size() == first.size());     // all different
  CHECK(*first_ids.begin() == kIncarnation1);  // incarnation 1 counts from 1 << 40
  CHECK(*first_ids.rbegin() < kIncarnation2);
  CHECK(n->take_outbox().empty());  // take_outbox empties the outbox

  n->crash();
  CHECK(n->status() == NodeStatus::Crashed);
  CHECK(n->incarnation() == 1);
  n->start(Instant::from_ms(5000));
  CHECK(n->incarnation() == 2);
  CHECK(n->status() == NodeStatus::Running);
  const std::vector<raft::Message> second = poll_until_vote_requests(*n);
  REQUIRE(second.size() >= 2);
  std::set<std::int64_t> second_ids;
  for (const raft::Message& m : second) {
    CHECK(m.source == NodeId(0));
    second_ids.insert(m.correlation_id.value());
    CHECK(first_ids.count(m.correlation_id.value()) == 0);
  }
  CHECK(second_ids.size() == second.size());
  CHECK(*second_ids.begin() == kIncarnation2);  // incarnation 2 counts from 2 << 40
  CHECK(*second_ids.rbegin() < (std::int64_t{3} << 40));
}

TEST_CASE("node host: crash drops unflushed writes, stop after a graceful shutdown flushes them") {
  // A single voter leads epoch 1 with its flushed LeaderChange batch at offset 0. A batch then
  // written to its disk without a flush is lost by a crash and kept by a clean stop.
  auto unflushed_batch = [](const NodeHost& n) {
    return raft::make_data_batch(n.disk().end_offset(), Epoch(1), Instant::zero(),
                                 {sim::ReplicatedCounter::encode(1, 8)});
  };
  auto n = make_host(0, {0});
  n->start(Instant::zero());
  REQUIRE(n->client()->quorum().is(raft::StateKind::Leader));
  REQUIRE(n->disk().flushed_end_offset() == Offset(1));

  SUBCASE("crash") {
    n->disk().append(unflushed_batch(*n));
    REQUIRE(n->disk().end_offset() == Offset(2));
    n->crash();
    CHECK(n->status() == NodeStatus::Crashed);
    CHECK_FALSE(n->is_alive());
    CHECK(n->client() == nullptr);
    CHECK(n->disk().end_offset() == Offset(1));
    CHECK(n->disk().stats().batches_lost_in_crashes == 1);
  }
  SUBCASE("graceful shutdown then stop") {
    n->client()->begin_shutdown(Instant::from_ms(1));
    CHECK(n->client()->is_shutdown_complete());  // the only voter completes at once
    n->disk().append(unflushed_batch(*n));
    const std::uint64_t flushes = n->disk().stats().flushes;
    n->stop_after_shutdown();
    CHECK(n->status() == NodeStatus::Stopped);
    CHECK_FALSE(n->is_alive());
    CHECK(n->client() == nullptr);
    CHECK(n->counter() == nullptr);
    CHECK(n->disk().stats().flushes == flushes + 1);
    CHECK(n->disk().flushed_end_offset() == Offset(2));
    CHECK(n->disk().end_offset() == Offset(2));
    CHECK(n->disk().stats().crashes == 0);
    // A stopped node restarts as the next incarnation over everything it had.
    n->start(Instant::from_ms(2));
    CHECK(n->incarnation() == 2);
    CHECK(n->client()->log().end_offset() >= Offset(2));
  }
}

TEST_CASE("node host: pause holds messages and they come back in order after resume") {
  auto n = make_host(0, {0, 1, 2});
  n->start(Instant::zero());
  const std::uint64_t generation = n->wake_generation;
  n->scheduled_wake = Instant::from_ms(1500);
  n->pause();
  CHECK(n->status() == NodeStatus::Paused);
  CHECK(n->is_alive());
  CHECK(n->client() != nullptr);
  // The pending wake-up is cancelled.
  CHECK(n->scheduled_wake == Instant::never());
  CHECK(n->wake_generation == generation + 1);
  n->hold(fetch_from(1, 0, 7, 10));
  n->hold(fetch_from(2, 0, 3, 20));
  n->hold(fetch_from(1, 0, 8, 30));
  CHECK(n->blocked());
  n->resume();
  CHECK(n->status() == NodeStatus::Running);
  CHECK_FALSE(n->blocked());
  std::vector<raft::Message> held;
  while (n->has_held()) held.push_back(n->pop_held());
  REQUIRE(held.size() == 3);
  CHECK(held[0].source == NodeId(1));
  CHECK(held[0].correlation_id == CorrelationId(7));
  CHECK(std::get<raft::FetchRequest>(held[0].payload).fetch_offset == Offset(10));
  CHECK(held[1].source == NodeId(2));
  CHECK(held[1].correlation_id == CorrelationId(3));
  CHECK(held[2].correlation_id == CorrelationId(8));
  CHECK(std::get<raft::FetchRequest>(held[2].payload).fetch_offset == Offset(30));
  // Nothing is returned twice.
  n->pause();
  n->resume();
  CHECK_FALSE(n->has_held());
  CHECK_THROWS_AS(n->pop_held(), raft::AssertionFailure);
}

TEST_CASE("node host: a crash while paused loses the held messages") {
  auto n = make_host(0, {0, 1, 2});
  n->start(Instant::zero());
  n->pause();
  n->hold(fetch_from(1, 0, 7, 0));
  n->crash();
  CHECK(n->status() == NodeStatus::Crashed);
  n->start(Instant::from_ms(100));
  CHECK_FALSE(n->has_held());
}

TEST_CASE("node host: illegal lifecycle calls assert") {
  auto n = make_host(0, {0, 1, 2});
  SUBCASE("before the first start") {
    CHECK_THROWS_AS(n->crash(), raft::AssertionFailure);
    CHECK_THROWS_AS(n->stop_after_shutdown(), raft::AssertionFailure);
    CHECK_THROWS_AS(n->pause(), raft::AssertionFailure);
    CHECK_THROWS_AS(n->resume(), raft::AssertionFailure);
    CHECK(assertion_detail([&] { n->crash(); }) == "node 0 crashed while crashed");
    CHECK(assertion_detail([&] { n->pause(); }) == "node 0 paused while crashed");
    CHECK(n->incarnation() == 0);
  }
  SUBCASE("while running") {
    n->start(Instant::zero());
    CHECK_THROWS_AS(n->start(Instant::zero()), raft::AssertionFailure);
    CHECK(assertion_detail([&] { n->start(Instant::zero()); }) == "node 0 started while running");
    CHECK(assertion_detail([&] { n->resume(); }) == "node 0 resumed while running");
    CHECK(n->incarnation() == 1);  // the refused starts did not count
    CHECK(n->status() == NodeStatus::Running);
  }
  SUBCASE("while paused") {
    n->start(Instant::zero());
    n->pause();
    CHECK(assertion_detail([&] { n->start(Instant::zero()); }) == "node 0 started while paused");
    CHECK(assertion_detail([&] { n->pause(); }) == "node 0 paused while paused");
    CHECK(n->status() == NodeStatus::Paused);
  }
  SUBCASE("after a crash") {
    n->start(Instant::zero());
    n->crash();
    CHECK(assertion_detail([&] { n->crash(); }) == "node 0 crashed while crashed");
    CHECK(assertion_detail([&] { n->pause(); }) == "node 0 paused while crashed");
    CHECK(assertion_detail([&] { n->resume(); }) == "node 0 resumed while crashed");
    CHECK(assertion_detail([&] { n->stop_after_shutdown(); }) == "node 0 stopped while crashed");
  }
  SUBCASE("after a stop") {
    n->start(Instant::zero());
    n->stop_after_shutdown();
    CHECK(assertion_detail([&] { n->crash(); }) == "node 0 crashed while stopped");
    CHECK(assertion_detail([&] { n->stop_after_shutdown(); }) == "node 0 stopped while stopped");
    CHECK(assertion_detail([&] { n->resume(); }) == "node 0 resumed while stopped");
  }
}

// ---- a slow disk: the process is blocked while an fsync is in flight ---------------------------

namespace {
// A long-poll Fetch from observer `source` at `offset` in epoch 1.
raft::Message observer_fetch(int source, std::int64_t correlation, std::int64_t offset) {
  raft::FetchRequest f;
  f.replica_id = NodeId(source);
  f.current_leader_epoch = Epoch(1);
  f.fetch_offset = Offset(offset);
  f.last_fetched_epoch = Epoch(1);
  f.max_wait_ms = 500;
  f.max_bytes = 1 << 20;
  return raft::Message{NodeId(source), NodeId(0), CorrelationId(correlation), f};
}
}  // namespace

TEST_CASE("node host: messages sent while an fsync is in flight wait for it, in order") {
  // A single voter with a 10 ms fsync: its LeaderChange batch is flushed at start.
  auto n = make_host(0, {0});
  n->disk().set_flush_latency(Duration::millis(10));
  n->start(Instant::zero());
  REQUIRE(n->client()->quorum().is(raft::StateKind::Leader));
  CHECK(n->disk().flush_in_progress());
  CHECK(n->blocked());
  CHECK(n->status() == NodeStatus::Running);
  CHECK(n->disk().flushed_end_offset() == Offset(0));
  CHECK(n->disk().end_offset() == Offset(1));
  n->complete_flush();
  CHECK_FALSE(n->blocked());
  CHECK(n->disk().flushed_end_offset() == Offset(1));

  // Observers 3 and 4 are caught up: the leader parks their fetches.
  n->client()->handle(observer_fetch(3, 11, 1), Instant::from_ms(10));
  n->client()->handle(observer_fetch(4, 12, 1), Instant::from_ms(10));
  CHECK(n->take_outbox().empty());
  // An append is drained after the linger; the drain appends, starts the fsync, then answers
  // the parked fetches: those answers wait behind the fsync.
  REQUIRE(n->client()->append(Epoch(1), {sim::ReplicatedCounter::encode(1, 8)}, Instant::from_ms(10)));
  const Instant drain = n->client()->next_deadline();
  REQUIRE(drain <= Instant::from_ms(40));
  n->client()->poll(drain);
  CHECK(n->disk().flush_in_progress());
  CHECK(n->blocked());
  CHECK(n->disk().end_offset() == Offset(2));
  CHECK(n->disk().flushed_end_offset() == Offset(1));
  CHECK(n->take_outbox().empty());
  // A message that arrives meanwhile is held by the caller.
  n->hold(observer_fetch(3, 13, 2));
  CHECK(n->has_held());

  n->complete_flush();
  CHECK_FALSE(n->blocked());
  CHECK(n->disk().flushed_end_offset() == Offset(2));
  const std::vector<raft::Message> released = n->take_held_outbound();
  REQUIRE(released.size() == 2);
  CHECK(released[0].destination == NodeId(3));
  CHECK(released[0].correlation_id == CorrelationId(11));
  CHECK(released[1].destination == NodeId(4));
  CHECK(released[1].correlation_id == CorrelationId(12));
  const auto& response = std::get<raft::FetchResponse>(released[0].payload);
  REQUIRE(response.batches.size() == 1);
  CHECK(response.batches[0]->base_offset == Offset(1));
  CHECK(n->take_held_outbound().empty());
  const raft::Message waiting = n->pop_held();
  CHECK(waiting.correlation_id == CorrelationId(13));
  CHECK_FALSE(n->has_held());
  // With the fsync done, sends go to the outbox again.
  n->send(observer_fetch(0, 99, 0));
  CHECK(n->take_outbox().size() == 1);
}

TEST_CASE("node host: paused and flushing are independent, a crash drops everything held") {
  auto n = make_host(0, {0});
  n->disk().set_flush_latency(Duration::millis(10));
  n->start(Instant::zero());
  REQUIRE(n->disk().flush_in_progress());
  n->send(observer_fetch(0, 1, 0));  // stands for a message sent after the fsync started
  n->pause();
  CHECK(n->blocked());
  n->complete_flush();  // the fsync completes during the GC pause: still blocked
  CHECK(n->blocked());
  n->hold(observer_fetch(3, 2, 1));
  n->resume();
  CHECK_FALSE(n->blocked());
  CHECK(n->take_held_outbound().size() == 1);

  // A new fsync, then a pause on top; the crash loses the fsync's data and the held messages.
  n->disk().append(raft::make_data_batch(Offset(1), Epoch(1), Instant::zero(), {"x"}));
  n->disk().flush();
  n->send(observer_fetch(0, 3, 0));
  n->pause();
  const std::uint64_t generation = n->flush_generation;
  const sim::CrashLoss loss = n->crash(true);
  CHECK(loss.fsync_interrupted);
  CHECK(loss.batches == 1);
  CHECK(*loss.torn_at == Offset(1));
  CHECK(n->flush_generation == generation + 1);
  CHECK_FALSE(n->flush_completion_scheduled);
  CHECK_FALSE(n->has_held());
  CHECK(n->take_held_outbound().empty());
  CHECK(n->status() == NodeStatus::Crashed);
}

TEST_CASE("node host: a clean stop waits for the fsync in flight") {
  auto n = make_host(0, {0});
  n->disk().set_flush_latency(Duration::millis(10));
  n->start(Instant::zero());
  REQUIRE(n->disk().flush_in_progress());
  n->client()->begin_shutdown(Instant::from_ms(1));
  REQUIRE(n->client()->is_shutdown_complete());
  n->stop_after_shutdown();
  CHECK(n->status() == NodeStatus::Stopped);
  CHECK_FALSE(n->disk().flush_in_progress());
  CHECK(n->disk().flushed_end_offset() == Offset(1));
}

TEST_CASE("node host: a crash point reached while the client starts leaves a host to crash") {
  auto n = make_host(0, {0, 1, 2});
  n->disk().arm_crash(sim::CrashPoint::QuorumStateBeforeFsync);
  // The first start persists the initial election state: the armed write throws.
  CHECK_THROWS_AS(n->start(Instant::zero()), sim::CrashPointReached);
  CHECK(n->client() == nullptr);
  CHECK_FALSE(n->is_alive());
  CHECK(n->status() == NodeStatus::Running);
  CHECK_FALSE(n->disk().read_election_state().has_value());
  CHECK(n->disk().quorum_state_temp_left());
  n->crash();
  CHECK(n->status() == NodeStatus::Crashed);
  n->start(Instant::from_ms(5));
  CHECK(n->incarnation() == 2);
  REQUIRE(n->disk().read_election_state().has_value());
  CHECK_FALSE(n->disk().quorum_state_temp_left());
}

TEST_CASE("node host: a crash point in a snapshot write leaves a .part file that restart removes") {
  // A single voter commits one record (offsets 0-1), then snapshots at (2, 1).
  auto n = make_host(0, {0});
  n->start(Instant::zero());
  REQUIRE(n->client()->append(Epoch(1), {sim::ReplicatedCounter::encode(1, 8)}, Instant::zero()));
  n->client()->poll(n->client()->next_deadline());
  REQUIRE(n->client()->high_watermark() == Offset(2));
  const raft::OffsetAndEpoch id{Offset(2), Epoch(1)};
  for (sim::CrashPoint p : {sim::CrashPoint::SnapshotBeforeFsync, sim::CrashPoint::SnapshotBeforeRename}) {
    CAPTURE(sim::to_string(p));
    n->disk().arm_crash(p);
    CHECK_THROWS_AS(n->client()->create_snapshot(id, Instant::zero(), {"1"}), sim::CrashPointReached);
    n->crash();
    CHECK(n->disk().snapshots().empty());
    REQUIRE(n->disk().partial_snapshots().size() == 1);
    CHECK(n->disk().partial_snapshots()[0].first == id);
    CHECK((n->disk().partial_snapshots()[0].second == 0) == (p == sim::CrashPoint::SnapshotBeforeFsync));
    // Startup recovery deletes the .part file; the log is intact.
    n->start(Instant::from_ms(100));
    CHECK(n->disk().partial_snapshots().empty());
    CHECK(n->disk().snapshots().empty());
    // The log is intact (the restarted single voter then opens a new epoch with a LeaderChange).
    REQUIRE(n->disk().batches().size() >= 2);
    CHECK(n->disk().batches()[1]->records == std::vector<std::string>{sim::ReplicatedCounter::encode(1, 8)});
    n->client()->poll(n->client()->next_deadline());
    REQUIRE(n->client()->quorum().is(raft::StateKind::Leader));
    n->client()->poll(n->client()->next_deadline());
  }
  // Disarmed, the next snapshot write succeeds.
  REQUIRE(n->client()->high_watermark().has_value());
  CHECK(n->client()->create_snapshot(id, Instant::zero(), {"1"}));
  REQUIRE(n->disk().snapshots().size() == 1);
  CHECK(n->disk().snapshots()[0]->id == id);
}

// ---- in a running cluster ----------------------------------------------------------------

namespace {
// 3 voters and 2 observers under load. At 3000 ms a follower voter and observer 3 crash and
// observer 4 shuts down; observer 3 restarts at 3500 ms.
constexpr const char* kClusterScenario = R"({
  "name": "node-host-lifecycle",
  "description": "what a crash and a clean stop leave on voters' and observers' disks",
  "cluster": {"controllers": 3, "brokers": 2, "state_machine": "counter"},
  "workload": {"append_interval_ms": 10},
  "timeline": [
    {"at_ms": 3000, "action": "crash", "node": 3},
    {"at_ms": 3000, "action": "crash", "node": "follower"},
    {"at_ms": 3000, "action": "shutdown", "node": 4},
    {"at_ms": 3500, "action": "restart", "node": 3}
  ],
  "stop": {"at_ms": 4000}
})";

struct DiskSnapshot {
  Offset end;
  Offset flushed;
  std::size_t batches = 0;
};

DiskSnapshot snapshot(const NodeHost& n) {
  return DiskSnapshot{n.disk().end_offset(), n.disk().flushed_end_offset(),
                      n.disk().batches().size()};
}
}  // namespace

TEST_CASE(
    "node host: in a cluster, an observer loses its unflushed log on a crash, a voter does not") {
  sim::Simulation simulation(sim::parse_scenario_text(kClusterScenario, "node-host-lifecycle"), 3);
  const Instant crash_at = Instant::from_ms(3000);
  REQUIRE(simulation.run_until(crash_at - Duration::micros(1)));
  // Just before the faults: voters flush what they append (a leader at once, a follower before
  // its next fetch), observers never flush per fetch.
  for (int id = 0; id < 3; ++id) {
    const NodeHost& n = simulation.node(NodeId(id));
    CAPTURE(id);
    CHECK(n.disk().end_offset() > Offset(100));
    CHECK(n.disk().flushed_end_offset() == n.disk().end_offset());
  }
  std::vector<DiskSnapshot> voters;
  for (int id = 0; id < 3; ++id) voters.push_back(snapshot(simulation.node(NodeId(id))));
  const DiskSnapshot observer = snapshot(simulation.node(NodeId(3)));
  const DiskSnapshot stopping = snapshot(simulation.node(NodeId(4)));
  CHECK(observer.end > Offset(100));
  CHECK(observer.flushed == Offset(0));
  CHECK(stopping.end > Offset(100));
  CHECK(stopping.flushed == Offset(0));

  REQUIRE(simulation.run_until(crash_at));
  // Exactly one voter (a follower, drawn from the seed) crashed; it kept its whole log.
  std::vector<int> crashed;
  for (int id = 0; id < 3; ++id) {
    if (simulation.node(NodeId(id)).status() == NodeStatus::Crashed) crashed.push_back(id);
  }
  REQUIRE(crashed.size() == 1);
  const NodeHost& v = simulation.node(NodeId(crashed[0]));
  const DiskSnapshot& voter = voters[static_cast<std::size_t>(crashed[0])];
  CHECK(v.disk().end_offset() == voter.end);
  CHECK(v.disk().batches().size() == voter.batches);
  CHECK(v.disk().stats().crashes == 1);
  CHECK(v.disk().stats().batches_lost_in_crashes == 0);

  const NodeHost& o = simulation.node(NodeId(3));
  CHECK(o.status() == NodeStatus::Crashed);
  CHECK(o.disk().end_offset() == Offset(0));
  CHECK(o.disk().batches().empty());
  CHECK(o.disk().stats().batches_lost_in_crashes == observer.batches);

  // Observer 4 shut down gracefully: an observer completes at once, and the stop flushed its log.
  const NodeHost& s = simulation.node(NodeId(4));
  CHECK(s.status() == NodeStatus::Stopped);
  CHECK(s.disk().end_offset() == stopping.end);
  CHECK(s.disk().flushed_end_offset() == stopping.end);
  CHECK(s.disk().stats().crashes == 0);

  // Observer 3 restarts as incarnation 2 and fetches the log again from offset 0.
  CHECK_FALSE(simulation.run_until(Instant::from_ms(4000)));
  CHECK_FALSE(simulation.violation().has_value());
  CHECK(o.incarnation() == 2);
  CHECK(o.status() == NodeStatus::Running);
  CHECK(o.disk().end_offset() > observer.end);
  CHECK(v.incarnation() == 1);
  CHECK(s.incarnation() == 1);
}
