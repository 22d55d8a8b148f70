// Disk faults in whole simulated runs (issue 3): a crash that tears the last write, crash points
// in the quorum-state write, slow fsyncs that block a node, a crash during an fsync, and a wipe.
// Scenarios are built in code; each test runs one seed and checks the disks and the timeline.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "sim/simulation.hh"

using raft::Epoch;
using raft::NodeId;
using raft::Offset;
using sim::Duration;
using sim::Instant;
using sim::NodeStatus;

namespace {

// 3 voters (0-2) and `brokers` observers with the steady workload, stopping at `stop_ms`.
sim::Scenario base_scenario(const std::string& name, int brokers, std::int64_t stop_ms) {
  sim::Scenario s;
  s.name = name;
  s.cluster.controllers = 3;
  s.cluster.brokers = brokers;
  s.cluster.state_machine = sim::StateMachineChoice::Counter;
  s.workload.enabled = true;
  s.workload.interval = Duration::millis(10);
  s.stop.at = Instant::from_ms(stop_ms);
  return s;
}

sim::NodeSelector by_id(int id) {
  sim::NodeSelector n;
  n.kind = sim::NodeSelector::Kind::Id;
  n.id = NodeId(id);
  return n;
}

sim::NodeSelector by_kind(sim::NodeSelector::Kind kind, const std::string& label = "") {
  sim::NodeSelector n;
  n.kind = kind;
  n.label = label;
  return n;
}

sim::Action action(std::int64_t at_ms, sim::ActionType type, sim::NodeSelector node,
                   const std::string& label = "") {
  sim::Action a;
  a.at = Instant::from_ms(at_ms);
  a.type = type;
  a.node = std::move(node);
  a.label = label;
  return a;
}

// Appends the actions in time order and numbers them.
void set_timeline(sim::Scenario& s, std::vector<sim::Action> actions) {
  std::stable_sort(actions.begin(), actions.end(),
                   [](const sim::Action& a, const sim::Action& b) { return a.at < b.at; });
  for (std::size_t i = 0; i < actions.size(); ++i) actions[i].index = i;
  s.timeline = std::move(actions);
}

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

  // The first note of `node` containing `text`, if any.
  [[nodiscard]] std::optional<sim::TimelineEntry> note(int node, const std::string& text) const {
    for (const sim::TimelineEntry& t : notes) {
      if (t.node && t.node->value() == node && t.text.find(text) != std::string::npos) return t;
    }
    return std::nullopt;
  }

  std::vector<Seen> messages;
  std::vector<sim::TimelineEntry> notes;
};

// The running voter that leads, or nullopt.
std::optional<int> leader_of(const sim::Simulation& simulation) {
  for (int id = 0; id < 3; ++id) {
    const sim::NodeHost& n = simulation.node(NodeId(id));
    if (n.client() != nullptr && n.client()->quorum().is(raft::StateKind::Leader)) return id;
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("disk faults: a torn crash of an observer leaves a torn batch that restart removes") {
  // Observers never flush per fetch: at the crash their whole log is an unflushed tail.
  sim::Scenario s = base_scenario("torn-observer", 1, 5000);
  sim::Action crash = action(2000, sim::ActionType::Crash, by_id(3), "tear");
  crash.torn_write = true;
  set_timeline(s, {crash, action(3000, sim::ActionType::Restart, by_id(3))});
  Recorder recorder;
  sim::Simulation simulation(s, 5);
  simulation.set_trace_sink(&recorder);

  REQUIRE(simulation.run_until(Instant::from_ms(2000) - Duration::micros(1)));
  const sim::NodeHost& observer = simulation.node(NodeId(3));
  const std::size_t batches_before = observer.disk().batches().size();
  const Offset end_before = observer.disk().end_offset();
  REQUIRE(batches_before > 10);
  REQUIRE(observer.disk().flushed_end_offset() == Offset(0));

  REQUIRE(simulation.run_until(Instant::from_ms(2000)));
  CHECK(observer.status() == NodeStatus::Crashed);
  REQUIRE(observer.disk().batches().size() == 1);
  const raft::RecordBatch& torn = *observer.disk().batches()[0];
  CHECK(torn.base_offset == Offset(0));
  CHECK(torn.compute_checksum() != torn.checksum);
  CHECK(observer.disk().flushed_batch_count() == 1);
  CHECK(observer.disk().stats().torn_writes == 1);
  CHECK(observer.disk().stats().batches_lost_in_crashes == batches_before);
  const auto note = recorder.note(3, "crash 'tear' node 3 (torn write): lost the unflushed tail, " +
                                         std::to_string(batches_before) + " batches");
  REQUIRE(note.has_value());
  CHECK(note->kind == sim::TimelineEntry::Kind::Fault);
  CHECK(note->text.find("(offsets 0.." + std::to_string(end_before.value() - 1) + ",") != std::string::npos);
  CHECK(note->text.find("torn write at offset 0 left on disk") != std::string::npos);

  // The restarted observer's log recovery truncates the torn batch and it fetches again.
  CHECK_FALSE(simulation.run_until(Instant::from_ms(5000)));
  CHECK_FALSE(simulation.violation().has_value());
  CHECK(observer.status() == NodeStatus::Running);
  CHECK(observer.disk().end_offset() > end_before);
  for (const raft::BatchPtr& b : observer.disk().batches()) CHECK(b->compute_checksum() == b->checksum);
}

TEST_CASE("disk faults: a crash point in the quorum-state write keeps the old state") {
  for (sim::CrashPoint point : {sim::CrashPoint::QuorumStateBeforeFsync, sim::CrashPoint::QuorumStateBeforeRename}) {
    CAPTURE(sim::to_string(point));
    // A follower is armed; the leader's crash then makes it write its quorum state (a vote or
    // its own candidacy) in a new epoch: it crashes in the middle of that write.
    sim::Scenario s = base_scenario("quorum-state-crash-point", 0, 12000);
    sim::Action arm = action(2000, sim::ActionType::Crash, by_kind(sim::NodeSelector::Kind::Follower), "armed");
    arm.crash_point = point;
    set_timeline(s, {arm, action(3000, sim::ActionType::Crash, by_kind(sim::NodeSelector::Kind::Leader), "kill"),
                     action(3500, sim::ActionType::Restart, by_kind(sim::NodeSelector::Kind::Label, "kill")),
                     action(8000, sim::ActionType::Restart, by_kind(sim::NodeSelector::Kind::Label, "armed"))});
    Recorder recorder;
    sim::Simulation simulation(s, 9);
    simulation.set_trace_sink(&recorder);

    REQUIRE(simulation.run_until(Instant::from_ms(2000)));
    std::optional<int> armed;
    for (int id = 0; id < 3; ++id) {
      if (simulation.node(NodeId(id)).disk().armed_crash_point() == point) armed = id;
    }
    REQUIRE(armed.has_value());
    const sim::NodeHost& n = simulation.node(NodeId(*armed));
    const auto note = recorder.note(*armed, "armed (" + std::string(sim::to_string(point)) + ")");
    REQUIRE(note.has_value());
    CHECK(note->text.find("crashes at its next quorum-state write") != std::string::npos);
    CHECK(n.status() == NodeStatus::Running);  // arming does not crash it
    const raft::ElectionState before = *n.disk().read_election_state();
    const std::size_t history = n.disk().election_state_history().size();

    REQUIRE(simulation.run_until(Instant::from_ms(7900)));
    CHECK(n.status() == NodeStatus::Crashed);
    CHECK(n.disk().stats().crash_points_reached == 1);
    CHECK(n.disk().armed_crash_point() == sim::CrashPoint::None);
    CHECK(*n.disk().read_election_state() == before);
    CHECK(n.disk().election_state_history().size() == history);
    CHECK(n.disk().quorum_state_temp_left());
    const std::string step = point == sim::CrashPoint::QuorumStateBeforeFsync ? "before fsync" : "before rename";
    const auto crashed = recorder.note(*armed, "node " + std::to_string(*armed) +
                                                   " crashed in the middle of writing the quorum-state file: " + step);
    REQUIRE(crashed.has_value());
    CHECK(crashed->kind == sim::TimelineEntry::Kind::Fault);
    CHECK(crashed->at > Instant::from_ms(3000));
    CHECK(crashed->text.find(step + "; nothing unflushed to lose") != std::string::npos);

    // Restarted over the old state, it rejoins; the next write replaces the temp file.
    CHECK_FALSE(simulation.run_until(Instant::from_ms(12000)));
    CHECK_FALSE(simulation.violation().has_value());
    CHECK(n.status() == NodeStatus::Running);
    CHECK(n.incarnation() == 2);
    CHECK_FALSE(n.disk().quorum_state_temp_left());
    CHECK(n.disk().read_election_state()->epoch > before.epoch);
    CHECK(leader_of(simulation).has_value());
  }
}

TEST_CASE("disk faults: a crash point that never fires is reported at the end") {
  sim::Scenario s = base_scenario("snapshot-crash-point-unused", 0, 1500);
  s.workload.enabled = false;
  sim::Action arm = action(100, sim::ActionType::Crash, by_id(1));
  arm.crash_point = sim::CrashPoint::SnapshotBeforeRename;
  set_timeline(s, {arm});
  sim::Simulation simulation(s, 2);
  const sim::RunResult r = simulation.run();
  CHECK(r.outcome == sim::Outcome::Success);
  CHECK(simulation.node(NodeId(1)).status() == NodeStatus::Running);
  CHECK(std::any_of(r.timeline.begin(), r.timeline.end(), [](const sim::TimelineEntry& t) {
    return t.node == NodeId(1) && t.text == "node 1: crash point snapshot-before-rename still armed at the end "
                                            "(the node never wrote such a file)";
  }));
}

TEST_CASE("disk faults: a slow follower disk delays its next Fetch by the fsync latency") {
  sim::Scenario s = base_scenario("slow-follower", 0, 5000);
  sim::Action slow = action(3000, sim::ActionType::SlowDisk, by_kind(sim::NodeSelector::Kind::Follower), "slow");
  slow.flush_latency = Duration::millis(50);
  set_timeline(s, {slow});
  Recorder recorder;
  sim::Simulation simulation(s, 21);
  simulation.set_trace_sink(&recorder);
  CHECK_FALSE(simulation.run_until(Instant::from_ms(5000)));
  CHECK_FALSE(simulation.violation().has_value());

  std::optional<int> follower;
  for (int id = 0; id < 3; ++id) {
    if (simulation.node(NodeId(id)).disk().flush_latency() == Duration::millis(50)) follower = id;
  }
  REQUIRE(follower.has_value());
  const auto note = recorder.note(*follower, "slow_disk 'slow' node " + std::to_string(*follower) +
                                                 ": fsync latency 50.000 ms");
  REQUIRE(note.has_value());
  CHECK(simulation.node(NodeId(*follower)).disk().stats().slow_fsyncs > 10);

  // For each Fetch response with records the follower receives, the delay until it sends its
  // next Fetch: nothing with a fast disk, the fsync latency once the disk is slow.
  std::vector<std::int64_t> fast;
  std::vector<std::int64_t> slowed;
  std::optional<Instant> appended_at;
  for (const Recorder::Seen& seen : recorder.messages) {
    const raft::Message& m = seen.message;
    if (seen.kind == "deliver" && m.destination == NodeId(*follower)) {
      const auto* r = std::get_if<raft::FetchResponse>(&m.payload);
      if (r != nullptr && !r->batches.empty()) appended_at = seen.at;
    }
    if (seen.kind == "send" && m.source == NodeId(*follower) &&
        std::holds_alternative<raft::FetchRequest>(m.payload) && appended_at) {
      (*appended_at < Instant::from_ms(3000) ? fast : slowed).push_back((seen.at - *appended_at).us());
      appended_at.reset();
    }
  }
  REQUIRE(fast.size() > 20);
  REQUIRE(slowed.size() > 10);
  CHECK(std::all_of(fast.begin(), fast.end(), [](std::int64_t us) { return us == 0; }));
  CHECK(std::all_of(slowed.begin(), slowed.end(), [](std::int64_t us) { return us == 50'000; }));
  // The leader keeps committing through the other follower.
  REQUIRE(leader_of(simulation).has_value());
  CHECK(simulation.node(NodeId(*leader_of(simulation))).client()->high_watermark()->value() > 200);
}

TEST_CASE("disk faults: a crash during a slow fsync loses what it covered, torn") {
  // Every disk takes 30 ms per fsync: the leader is blocked in one about half of the time.
  sim::Scenario s = base_scenario("crash-during-fsync", 0, 8000);
  s.disk.flush_latency = Duration::millis(30);
  constexpr std::uint64_t kSeed = 4;
  // A probe run finds an instant after 3 s at which the leader is in the middle of an fsync; the
  // run with the crash is identical up to that instant.
  std::int64_t crash_ms = 3000;
  {
    sim::Simulation probe(s, kSeed);
    for (;; ++crash_ms) {
      REQUIRE(crash_ms < 3200);
      REQUIRE(probe.run_until(Instant::from_ms(crash_ms) - Duration::micros(1)));
      const std::optional<int> l = leader_of(probe);
      if (l && probe.node(NodeId(*l)).disk().flush_in_progress()) break;
    }
  }
  sim::Action crash = action(crash_ms, sim::ActionType::Crash, by_kind(sim::NodeSelector::Kind::Leader), "kill");
  crash.torn_write = true;
  set_timeline(s, {crash, action(3500, sim::ActionType::Restart, by_kind(sim::NodeSelector::Kind::Label, "kill"))});
  Recorder recorder;
  sim::Simulation simulation(s, kSeed);
  simulation.set_trace_sink(&recorder);
  for (const auto& n : simulation.nodes()) CHECK(n->disk().flush_latency() == Duration::millis(30));

  REQUIRE(simulation.run_until(Instant::from_ms(crash_ms) - Duration::micros(1)));
  const std::optional<int> leader = leader_of(simulation);
  REQUIRE(leader.has_value());
  const sim::NodeHost& n = simulation.node(NodeId(*leader));
  REQUIRE(n.disk().flush_in_progress());
  const Offset durable = n.disk().flushed_end_offset();
  const Offset end = n.disk().end_offset();
  REQUIRE(end > durable);
  const std::size_t durable_batches = n.disk().flushed_batch_count();

  REQUIRE(simulation.run_until(Instant::from_ms(crash_ms)));
  CHECK(n.status() == NodeStatus::Crashed);
  CHECK(n.disk().stats().fsyncs_interrupted == 1);
  REQUIRE(n.disk().batches().size() == durable_batches + 1);
  const raft::RecordBatch& torn = *n.disk().batches().back();
  CHECK(torn.base_offset == durable);
  CHECK(torn.compute_checksum() != torn.checksum);
  const auto note = recorder.note(*leader, "crash 'kill' node " + std::to_string(*leader) + " (torn write): lost the unflushed tail");
  REQUIRE(note.has_value());
  CHECK(note->text.find("(offsets " + std::to_string(durable.value()) + ".." + std::to_string(end.value() - 1)) !=
        std::string::npos);
  CHECK(note->text.find("an fsync was in flight; torn write at offset " + std::to_string(durable.value())) !=
        std::string::npos);

  // KAFKA-10527: it restarts Resigned over its recovered log; the cluster stays safe.
  const sim::RunResult r = simulation.run();
  CHECK(r.outcome == sim::Outcome::Success);
  CHECK(n.status() == NodeStatus::Running);
  const sim::NodeSummary& summary = r.nodes[static_cast<std::size_t>(*leader)];
  CHECK(summary.crashes == 1);
  CHECK(summary.torn_writes == 1);
  CHECK(summary.batches_lost_in_crashes == n.disk().stats().batches_lost_in_crashes);
  CHECK(summary.batches_lost_in_crashes >= 1);
  CHECK(summary.bytes_lost_in_crashes > 0);
}

TEST_CASE("disk faults: a slow leader holds its responses and timers during each fsync") {
  sim::Scenario s = base_scenario("slow-leader", 0, 5000);
  s.disk.flush_latency = Duration::millis(20);
  Recorder recorder;
  sim::Simulation simulation(s, 8);
  simulation.set_trace_sink(&recorder);
  CHECK_FALSE(simulation.run_until(Instant::from_ms(5000)));
  CHECK_FALSE(simulation.violation().has_value());
  const std::optional<int> leader = leader_of(simulation);
  REQUIRE(leader.has_value());
  // A record leaves the leader only once its fsync completed: every Fetch response carrying
  // records is sent at least 20 ms after the last of them was appended, and those that answer
  // a fetch parked while the records were written leave exactly then.
  const sim::NodeHost& n = simulation.node(NodeId(*leader));
  CHECK(n.disk().stats().slow_fsyncs > 20);
  CHECK(n.client()->high_watermark()->value() > 100);
  std::int64_t with_records = 0;
  std::int64_t at_fsync_end = 0;
  std::int64_t too_early = 0;
  for (const Recorder::Seen& seen : recorder.messages) {
    if (seen.kind != "send" || seen.message.source != NodeId(*leader)) continue;
    const auto* r = std::get_if<raft::FetchResponse>(&seen.message.payload);
    if (r == nullptr || r->batches.empty() || r->leader_epoch != n.client()->quorum().epoch()) continue;
    ++with_records;
    const Duration since_append = seen.at - r->batches.back()->append_time;
    if (since_append < Duration::millis(20)) ++too_early;
    if (since_append == Duration::millis(20)) ++at_fsync_end;
  }
  CHECK(with_records > 20);
  CHECK(too_early == 0);
  CHECK(at_fsync_end > 10);
}

TEST_CASE("disk faults: a wipe crashes the node and leaves it down on a blank disk") {
  sim::Scenario s = base_scenario("wipe-follower", 0, 8000);
  set_timeline(s, {action(3000, sim::ActionType::Wipe, by_kind(sim::NodeSelector::Kind::Follower), "wipe"),
                   action(4000, sim::ActionType::Restart, by_kind(sim::NodeSelector::Kind::Label, "wipe"))});
  Recorder recorder;
  sim::Simulation simulation(s, 6);
  simulation.set_trace_sink(&recorder);
  REQUIRE(simulation.run_until(Instant::from_ms(3000) - Duration::micros(1)));
  std::vector<Offset> ends;
  for (int id = 0; id < 3; ++id) ends.push_back(simulation.node(NodeId(id)).disk().end_offset());

  simulation.run_until(Instant::from_ms(3000));
  std::optional<int> wiped;
  for (int id = 0; id < 3; ++id) {
    if (simulation.node(NodeId(id)).disk().stats().wipes == 1) wiped = id;
  }
  REQUIRE(wiped.has_value());
  const sim::NodeHost& n = simulation.node(NodeId(*wiped));
  CHECK(n.status() == NodeStatus::Crashed);
  CHECK(n.disk().batches().empty());
  CHECK(n.disk().end_offset() == Offset(0));
  CHECK(n.disk().snapshots().empty());
  CHECK_FALSE(n.disk().read_election_state().has_value());
  CHECK(n.disk().stats().crashes == 1);
  const std::string name = "wipe 'wipe' node " + std::to_string(*wiped);
  REQUIRE(recorder.note(*wiped, name + ": nothing unflushed to lose").has_value());
  const auto replaced = recorder.note(*wiped, name + ": the disk is replaced by a blank one");
  REQUIRE(replaced.has_value());
  CHECK(replaced->text.find("stays down until restarted") != std::string::npos);

  // Still down just before the restart; afterwards it fetches the whole log again.
  REQUIRE(simulation.run_until(Instant::from_ms(3999)));
  CHECK(n.status() == NodeStatus::Crashed);
  CHECK(n.disk().end_offset() == Offset(0));
  CHECK_FALSE(simulation.run_until(Instant::from_ms(8000)));
  CHECK_FALSE(simulation.violation().has_value());
  CHECK(n.status() == NodeStatus::Running);
  CHECK(n.disk().end_offset() > ends[static_cast<std::size_t>(*wiped)]);
}

TEST_CASE("disk faults: a crash point can strike while a restarted node initializes") {
  // A wiped follower has no quorum-state file: its restart writes one at once, and the armed
  // crash point stops that write inside the node's start. The next restart succeeds.
  sim::Scenario s = base_scenario("crash-point-at-start", 0, 6000);
  sim::Action arm = action(2500, sim::ActionType::Crash, by_kind(sim::NodeSelector::Kind::Label, "wipe"));
  arm.crash_point = sim::CrashPoint::QuorumStateBeforeRename;
  set_timeline(s, {action(2000, sim::ActionType::Wipe, by_kind(sim::NodeSelector::Kind::Follower), "wipe"), arm,
                   action(3000, sim::ActionType::Restart, by_kind(sim::NodeSelector::Kind::Label, "wipe")),
                   action(3500, sim::ActionType::Restart, by_kind(sim::NodeSelector::Kind::Label, "wipe"))});
  Recorder recorder;
  sim::Simulation simulation(s, 13);
  simulation.set_trace_sink(&recorder);
  REQUIRE(simulation.run_until(Instant::from_ms(3000)));
  std::optional<int> wiped;
  for (int id = 0; id < 3; ++id) {
    if (simulation.node(NodeId(id)).disk().stats().wipes == 1) wiped = id;
  }
  REQUIRE(wiped.has_value());
  const sim::NodeHost& n = simulation.node(NodeId(*wiped));
  CHECK(n.status() == NodeStatus::Crashed);
  CHECK(n.incarnation() == 2);
  CHECK(n.client() == nullptr);
  CHECK_FALSE(n.disk().read_election_state().has_value());
  CHECK(n.disk().quorum_state_temp_left());
  const auto note = recorder.note(*wiped, "node " + std::to_string(*wiped) +
                                              " crashed in the middle of writing the quorum-state file: before rename");
  REQUIRE(note.has_value());
  CHECK(note->at == Instant::from_ms(3000));

  const sim::RunResult r = simulation.run();
  CHECK(r.outcome == sim::Outcome::Success);
  CHECK(n.status() == NodeStatus::Running);
  CHECK(n.incarnation() == 3);
  CHECK_FALSE(n.disk().quorum_state_temp_left());
  CHECK(r.nodes[static_cast<std::size_t>(*wiped)].wipes == 1);
  CHECK(r.nodes[static_cast<std::size_t>(*wiped)].crashes == 2);
}
