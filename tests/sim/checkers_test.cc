// Tests for sim/checkers/: every invariant must report a violation (with its name, the nodes
// involved and the offending values) when one is built from real objects, and stay silent on a
// healthy cluster. The situations are made of NodeHosts: single-voter quorums (voters = {self})
// that elect themselves at start and commit at once, and Disks whose election state or log is
// written directly, behind the node's back.
#include <doctest/doctest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "raft/common/assert.hh"
#include "raft/record_batch.hh"
#include "sim/checkers/committed_log.hh"
#include "sim/checkers/consistent_committed_data.hh"
#include "sim/checkers/invariant.hh"
#include "sim/checkers/invariant_suite.hh"
#include "sim/checkers/leader_completeness.hh"
#include "sim/checkers/majority_reached_high_watermark.hh"
#include "sim/checkers/monotonic_epoch.hh"
#include "sim/checkers/monotonic_high_watermark.hh"
#include "sim/checkers/single_leader.hh"
#include "sim/node_host.hh"

using raft::Epoch;
using raft::NodeId;
using raft::Offset;
using sim::Duration;
using sim::Instant;
using sim::NodeHost;

namespace {

using Nodes = std::vector<std::unique_ptr<NodeHost>>;

const Instant kStart = Instant::from_ms(100);

// A host for node `id` with the given voter set (not started).
std::unique_ptr<NodeHost> make_host(int id, const std::vector<int>& voters) {
  std::vector<NodeId> v;
  for (int x : voters) v.emplace_back(x);
  raft::RaftClient::Options options{NodeId(id), v, raft::RaftConfig{}, {}};
  return std::make_unique<NodeHost>(options, sim::Prng(1000 + static_cast<std::uint64_t>(id)));
}

// A started single-voter quorum {id}: it elected itself and committed its LeaderChange.
std::unique_ptr<NodeHost> single_voter_leader(int id, Instant now = kStart) {
  auto host = make_host(id, {id});
  host->start(now);
  REQUIRE(host->client()->quorum().is(raft::StateKind::Leader));
  REQUIRE(host->client()->high_watermark().has_value());
  return host;
}

// Makes a running single-voter leader append `count` counter records in one batch and commit
// them (polling after the append linger). Returns the time of the last poll.
Instant commit_records(NodeHost& node, int count, Instant now) {
  sim::ReplicatedCounter* counter = node.counter();
  REQUIRE(counter->writable_epoch().has_value());
  const Offset target = *node.client()->high_watermark() + count;
  REQUIRE(node.client()->append(*counter->writable_epoch(), counter->next_records(count, 8), now));
  for (int i = 0; i < 10 && *node.client()->high_watermark() < target; ++i) {
    now = node.client()->next_deadline();
    REQUIRE_FALSE(now.is_never());
    node.client()->poll(now);
  }
  REQUIRE(*node.client()->high_watermark() == target);
  return now;
}

raft::ElectionState election(int epoch, std::optional<int> leader = std::nullopt,
                             std::optional<int> voted = std::nullopt) {
  raft::ElectionState s;
  s.epoch = Epoch(epoch);
  if (leader) s.leader_id = NodeId(*leader);
  if (voted) s.voted_id = NodeId(*voted);
  return s;
}

std::optional<sim::Violation> check(sim::Invariant& invariant, const Nodes& nodes,
                                    std::size_t voter_count, std::uint64_t event = 1,
                                    Instant now = kStart) {
  const sim::CheckContext ctx{now, event, nodes, voter_count};
  return invariant.check(ctx);
}

std::vector<int> ids(const std::vector<NodeId>& v) {
  std::vector<int> out;
  for (NodeId id : v) out.push_back(id.value());
  return out;
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// A one-record counter batch at offset 0 written in epoch 1 by some earlier leader.
raft::BatchPtr first_counter_batch() {
  return raft::make_data_batch(Offset(0), Epoch(1), Instant::from_ms(1),
                               {sim::ReplicatedCounter::encode(1, 8)});
}

}  // namespace

// ---- helpers sanity ----------------------------------------------------------------------

TEST_CASE("checkers: a single-voter quorum leads epoch 1 and commits at once") {
  auto n = single_voter_leader(0);
  CHECK(n->client()->quorum().epoch() == Epoch(1));
  CHECK(*n->client()->high_watermark() == Offset(1));
  CHECK(n->disk().flushed_end_offset() == Offset(1));
  CHECK(n->disk().read_election_state() == election(1, 0, 0));
  const Instant t = commit_records(*n, 4, kStart);
  CHECK(t > kStart);
  CHECK(*n->client()->high_watermark() == Offset(5));
  CHECK(n->counter()->committed() == 4);
}

// ---- SingleLeader --------------------------------------------------------------------------

TEST_CASE("SingleLeader: two disks persisting different leaders of one epoch") {
  Nodes nodes;
  nodes.push_back(make_host(0, {0, 1, 2}));
  nodes.push_back(make_host(1, {0, 1, 2}));
  nodes.push_back(make_host(2, {0, 1, 2}));
  nodes[0]->disk().write_election_state(election(1, 0, 0));
  nodes[1]->disk().write_election_state(election(1, std::nullopt, 0));  // voted, no leader known
  nodes[2]->disk().write_election_state(election(1, 2, 2));
  sim::SingleLeader inv;
  CHECK(inv.name() == "SingleLeader");
  const auto v = check(inv, nodes, 3, 42, Instant::from_ms(7));
  REQUIRE(v.has_value());
  CHECK(v->invariant == "SingleLeader");
  CHECK(ids(v->nodes) == std::vector<int>{0, 2});
  CHECK(v->event_index == 42);
  CHECK(v->at == Instant::from_ms(7));
  CHECK(v->detail == "two leaders in epoch 1: node 0 and node 2 (persisted quorum-state)");
}

TEST_CASE("SingleLeader: two single-voter nodes both leading epoch 1") {
  Nodes nodes;
  nodes.push_back(single_voter_leader(0));
  nodes.push_back(single_voter_leader(1));
  sim::SingleLeader inv;
  const auto v = check(inv, nodes, 1);
  REQUIRE(v.has_value());
  CHECK(v->invariant == "SingleLeader");
  CHECK(ids(v->nodes) == std::vector<int>{0, 1});
  CHECK(contains(v->detail, "two leaders in epoch 1: node 0 and node 1"));
}

TEST_CASE("SingleLeader: an in-memory Leader state conflicting with what was seen before") {
  // Node 1 leads epoch 1 in memory, but its quorum-state file was overwritten behind its back
  // with no leader: the conflict can only be seen in memory.
  Nodes nodes;
  nodes.push_back(single_voter_leader(0));
  nodes.push_back(single_voter_leader(1));
  nodes[1]->disk().write_election_state(election(1));
  sim::SingleLeader inv;
  const auto v = check(inv, nodes, 1);
  REQUIRE(v.has_value());
  CHECK(ids(v->nodes) == std::vector<int>{0, 1});
  CHECK(v->detail == "two leaders in epoch 1: node 0 and node 1 (in-memory Leader state)");
}

TEST_CASE("SingleLeader: remembers the leader of an epoch across checks") {
  sim::SingleLeader inv;
  Nodes first;
  first.push_back(single_voter_leader(0));
  CHECK_FALSE(check(inv, first, 1, 1).has_value());
  CHECK_FALSE(check(inv, first, 1, 2).has_value());
  // Node 0 is gone; later node 1 claims epoch 1 alone: still two leaders of epoch 1, ever.
  Nodes second;
  second.push_back(make_host(1, {1}));
  second[0]->disk().write_election_state(election(1, 1, 1));
  const auto v = check(inv, second, 1, 3);
  REQUIRE(v.has_value());
  CHECK(ids(v->nodes) == std::vector<int>{0, 1});
  CHECK(v->event_index == 3);
  CHECK(contains(v->detail, "epoch 1: node 0 and node 1"));
}

TEST_CASE("SingleLeader: one leader per epoch, different leaders in different epochs") {
  Nodes nodes;
  for (int i = 0; i < 3; ++i) nodes.push_back(make_host(i, {0, 1, 2}));
  sim::SingleLeader inv;
  // Epoch 1: node 0 leads; node 1 voted for it and follows; node 2 knows no leader.
  nodes[0]->disk().write_election_state(election(1, 0, 0));
  nodes[1]->disk().write_election_state(election(1, 0, 0));
  nodes[2]->disk().write_election_state(election(1));
  CHECK_FALSE(check(inv, nodes, 3, 1).has_value());
  // Epoch 2: node 1 leads, and everyone learns it.
  for (auto& n : nodes) n->disk().write_election_state(election(2, 1));
  CHECK_FALSE(check(inv, nodes, 3, 2).has_value());
  CHECK_FALSE(check(inv, nodes, 3, 3).has_value());
  // A running leader whose persisted and in-memory states agree.
  Nodes running;
  running.push_back(single_voter_leader(5));
  sim::SingleLeader inv2;
  CHECK_FALSE(check(inv2, running, 1, 1).has_value());
  CHECK_FALSE(check(inv2, running, 1, 2).has_value());
}

// ---- MonotonicEpoch ----------------------------------------------------------------------

TEST_CASE("MonotonicEpoch: a persisted epoch going back from 3 to 2") {
  Nodes nodes;
  nodes.push_back(make_host(0, {0, 1, 2}));
  nodes.push_back(make_host(1, {0, 1, 2}));
  sim::MonotonicEpoch inv;
  CHECK(inv.name() == "MonotonicEpoch");
  nodes[1]->disk().write_election_state(election(3, std::nullopt, 2));
  CHECK_FALSE(check(inv, nodes, 3, 1).has_value());
  nodes[1]->disk().write_election_state(election(2));
  const auto v = check(inv, nodes, 3, 2);
  REQUIRE(v.has_value());
  CHECK(v->invariant == "MonotonicEpoch");
  CHECK(ids(v->nodes) == std::vector<int>{1});
  CHECK(v->event_index == 2);
  CHECK(v->detail == "node 1 persisted epoch went back from 3 to 2");
}

TEST_CASE("MonotonicEpoch: a running client whose epoch differs from its quorum-state file") {
  Nodes nodes;
  nodes.push_back(single_voter_leader(0));
  sim::MonotonicEpoch inv;
  CHECK_FALSE(check(inv, nodes, 1, 1).has_value());
  // Epoch 4 written behind the client's back: it still runs in epoch 1.
  nodes[0]->disk().write_election_state(election(4));
  const auto v = check(inv, nodes, 1, 2);
  REQUIRE(v.has_value());
  CHECK(v->invariant == "MonotonicEpoch");
  CHECK(ids(v->nodes) == std::vector<int>{0});
  CHECK(v->detail == "node 0 runs in epoch 1 but its quorum-state file says 4");
}

TEST_CASE("MonotonicEpoch: growing epochs, a crash and a restart are fine") {
  Nodes nodes;
  nodes.push_back(make_host(0, {0, 1, 2}));
  nodes.push_back(make_host(1, {1}));
  sim::MonotonicEpoch inv;
  CHECK_FALSE(check(inv, nodes, 1, 1).has_value());  // no file yet: epoch 0
  nodes[0]->disk().write_election_state(election(1));
  CHECK_FALSE(check(inv, nodes, 1, 2).has_value());
  nodes[0]->disk().write_election_state(election(1, 2));  // same epoch, leader learned
  CHECK_FALSE(check(inv, nodes, 1, 3).has_value());
  nodes[0]->disk().write_election_state(election(5));
  CHECK_FALSE(check(inv, nodes, 1, 4).has_value());
  // Node 1, a single voter: leads epoch 1, crashes (no client: only the file counts), restarts
  // and elects itself again in epoch 2.
  nodes[1]->start(kStart);
  CHECK_FALSE(check(inv, nodes, 1, 5).has_value());
  nodes[1]->crash();
  CHECK_FALSE(check(inv, nodes, 1, 6).has_value());
  nodes[1]->start(kStart + Duration::millis(10));
  REQUIRE(nodes[1]->client()->quorum().is(raft::StateKind::Leader));
  CHECK(nodes[1]->client()->quorum().epoch() == Epoch(2));
  CHECK_FALSE(check(inv, nodes, 1, 7).has_value());
}

// ---- MonotonicHighWatermark --------------------------------------------------------------

TEST_CASE("MonotonicHighWatermark: a newer leader reporting a lower HW") {
  sim::MonotonicHighWatermark inv;
  CHECK(inv.name() == "MonotonicHighWatermark");
  Nodes nodes;
  nodes.push_back(single_voter_leader(0));
  CHECK_FALSE(check(inv, nodes, 1, 1).has_value());  // epoch 1, HW 1
  const Instant t = commit_records(*nodes[0], 4, kStart);
  CHECK_FALSE(check(inv, nodes, 1, 2, t).has_value());  // epoch 1, HW 5
  // Node 1 is a single voter whose disk says epoch 1: it elects itself in epoch 2 over an empty
  // log, so its HW is 1.
  nodes.push_back(make_host(1, {1}));
  nodes[1]->disk().write_election_state(election(1));
  nodes[1]->start(t);
  REQUIRE(nodes[1]->client()->quorum().epoch() == Epoch(2));
  REQUIRE(*nodes[1]->client()->high_watermark() == Offset(1));
  const auto v = check(inv, nodes, 1, 3, t);
  REQUIRE(v.has_value());
  CHECK(v->invariant == "MonotonicHighWatermark");
  CHECK(ids(v->nodes) == std::vector<int>{1});
  CHECK(v->event_index == 3);
  CHECK(v->detail == "leader 1 of epoch 2 reports HW 1 below HW 5 reported in epoch 1");
}

TEST_CASE("MonotonicHighWatermark: growing HW, and a stale leader compared only with its epoch") {
  sim::MonotonicHighWatermark inv;
  Nodes nodes;
  nodes.push_back(single_voter_leader(0));  // epoch 1, HW 1
  CHECK_FALSE(check(inv, nodes, 1, 1).has_value());
  nodes.push_back(make_host(1, {1}));
  nodes[1]->disk().write_election_state(election(1));
  nodes[1]->start(kStart);  // epoch 2, HW 1: not below epoch 1's HW 1
  CHECK_FALSE(check(inv, nodes, 1, 2).has_value());
  Instant t = commit_records(*nodes[1], 2, kStart);  // epoch 2, HW 3
  CHECK_FALSE(check(inv, nodes, 1, 3, t).has_value());
  t = commit_records(*nodes[1], 3, t);  // epoch 2, HW 6
  CHECK_FALSE(check(inv, nodes, 1, 4, t).has_value());
  // The epoch-2 leader crashes: the stale epoch-1 leader (HW 1) is now the highest-epoch leader;
  // it is compared with epoch 1 only.
  nodes[1]->crash();
  CHECK_FALSE(check(inv, nodes, 1, 5, t).has_value());
  // No leader at all: nothing to check.
  nodes[0]->crash();
  CHECK_FALSE(check(inv, nodes, 1, 6, t).has_value());
}

TEST_CASE("MonotonicHighWatermark: a second leader of the same epoch reporting a lower HW") {
  // Node 0 leads epoch 1 up to HW 5 and crashes; node 2, another single voter, then leads
  // epoch 1 too (which SingleLeader would report) with HW 1: epoch 1's HW went back.
  sim::MonotonicHighWatermark inv;
  Nodes nodes;
  nodes.push_back(single_voter_leader(0));
  const Instant t = commit_records(*nodes[0], 4, kStart);  // epoch 1, HW 5
  CHECK_FALSE(check(inv, nodes, 1, 1, t).has_value());
  nodes[0]->crash();
  nodes.push_back(single_voter_leader(2, t));  // epoch 1, HW 1
  const auto v = check(inv, nodes, 1, 2, t);
  REQUIRE(v.has_value());
  CHECK(ids(v->nodes) == std::vector<int>{2});
  CHECK(v->detail == "leader 2 of epoch 1 reports HW 1 below HW 5 reported in epoch 1");
}

// ---- MajorityReachedHighWatermark --------------------------------------------------------

TEST_CASE("MajorityReachedHighWatermark: HW durable on only the leader of three voters") {
  // Node 0 thinks it is the only voter; the cluster has three. Nodes 1 and 2 have empty disks.
  Nodes nodes;
  nodes.push_back(single_voter_leader(0));
  nodes.push_back(make_host(1, {0, 1, 2}));
  nodes.push_back(make_host(2, {0, 1, 2}));
  sim::MajorityReachedHighWatermark inv;
  CHECK(inv.name() == "MajorityReachedHighWatermark");
  const auto v = check(inv, nodes, 3, 9);
  REQUIRE(v.has_value());
  CHECK(v->invariant == "MajorityReachedHighWatermark");
  CHECK(ids(v->nodes) == std::vector<int>{0});
  CHECK(v->event_index == 9);
  CHECK(v->detail ==
        "leader 0 HW 1 is durable on only 1 of 3 voters (majority 2); durable ends: 0=1 1=0 2=0");
}

TEST_CASE("MajorityReachedHighWatermark: only flushed copies on voters count") {
  Nodes nodes;
  nodes.push_back(single_voter_leader(0));
  nodes.push_back(make_host(1, {0, 1, 2}));
  nodes.push_back(make_host(2, {0, 1, 2}));
  nodes.push_back(make_host(3, {0, 1, 2}));  // an observer
  sim::MajorityReachedHighWatermark inv;
  const raft::BatchPtr leader_change = nodes[0]->disk().batches().at(0);
  // The observer holds the committed batch durably: observers do not count.
  nodes[3]->disk().append(leader_change);
  nodes[3]->disk().flush();
  // Voter 1 holds it, but not durably.
  nodes[1]->disk().append(leader_change);
  auto v = check(inv, nodes, 3, 1);
  REQUIRE(v.has_value());
  CHECK(contains(v->detail, "HW 1 is durable on only 1 of 3 voters"));
  CHECK(contains(v->detail, "durable ends: 0=1 1=0 2=0"));
  CHECK_FALSE(contains(v->detail, "3="));
  // Once voter 1 flushes, a majority (2 of 3) holds the HW.
  nodes[1]->disk().flush();
  CHECK_FALSE(check(inv, nodes, 3, 2).has_value());
  // The leader commits more: the majority is lost again until node 1 copies it.
  const Instant t = commit_records(*nodes[0], 3, kStart);
  v = check(inv, nodes, 3, 3, t);
  REQUIRE(v.has_value());
  CHECK(contains(v->detail, "leader 0 HW 4 is durable on only 1 of 3 voters"));
  CHECK(contains(v->detail, "0=4 1=1 2=0"));
  nodes[1]->disk().append(nodes[0]->disk().batches().at(1));
  nodes[1]->disk().flush();
  CHECK_FALSE(check(inv, nodes, 3, 4, t).has_value());
}

TEST_CASE("MajorityReachedHighWatermark: silent for a single voter and without a leader") {
  Nodes nodes;
  nodes.push_back(single_voter_leader(0));
  sim::MajorityReachedHighWatermark inv;
  CHECK_FALSE(check(inv, nodes, 1, 1).has_value());
  commit_records(*nodes[0], 2, kStart);
  CHECK_FALSE(check(inv, nodes, 1, 2).has_value());
  // A crashed leader is not a leader: nothing to check, even counting three voters.
  nodes[0]->crash();
  CHECK_FALSE(check(inv, nodes, 3, 3).has_value());
}

// ---- ConsistentCommittedData -------------------------------------------------------------

TEST_CASE("ConsistentCommittedData: two nodes committing different batches at offset 1") {
  // Both disks hold the same committed batch at offset 0 (epoch 1). Each node is a single voter
  // and elects itself in epoch 2, writing its own LeaderChange batch at offset 1.
  const raft::BatchPtr shared = first_counter_batch();
  Nodes nodes;
  for (int id : {0, 1}) {
    auto n = make_host(id, {id});
    n->disk().append(shared);
    n->disk().flush();
    n->disk().write_election_state(election(1));
    n->start(kStart);
    REQUIRE(n->client()->quorum().epoch() == Epoch(2));
    REQUIRE(*n->client()->high_watermark() == Offset(2));
    nodes.push_back(std::move(n));
  }
  const raft::BatchPtr first = nodes[0]->disk().batches().at(1);
  const raft::BatchPtr second = nodes[1]->disk().batches().at(1);
  REQUIRE(first->checksum != second->checksum);

  sim::CommittedLog committed;
  sim::ConsistentCommittedData inv(committed);
  CHECK(inv.name() == "ConsistentCommittedData");
  const auto v = check(inv, nodes, 1, 11);
  REQUIRE(v.has_value());
  CHECK(v->invariant == "ConsistentCommittedData");
  CHECK(ids(v->nodes) == std::vector<int>{1});
  CHECK(v->event_index == 11);
  const std::string expected =
      "node 1 committed a different batch at offset 1: epoch 2, 1 records, checksum " +
      std::to_string(second->checksum) + "; first committed: epoch 2, 1 records, checksum " +
      std::to_string(first->checksum);
  CHECK(v->detail == expected);
  // Offset 0 matched; what node 0 committed first is what the record holds.
  REQUIRE(committed.batches.size() == 2);
  CHECK(committed.batches.at(Offset(0)) == shared);
  CHECK(committed.batches.at(Offset(1)) == first);
  CHECK(committed.end == Offset(2));
}

TEST_CASE(
    "ConsistentCommittedData: records the committed prefix, and re-examines a restarted node") {
  Nodes nodes;
  nodes.push_back(single_voter_leader(0));
  sim::CommittedLog committed;
  sim::ConsistentCommittedData inv(committed);
  CHECK_FALSE(check(inv, nodes, 1, 1).has_value());
  CHECK(committed.end == Offset(1));
  Instant t = commit_records(*nodes[0], 3, kStart);
  t = commit_records(*nodes[0], 2, t);
  CHECK_FALSE(check(inv, nodes, 1, 2, t).has_value());
  CHECK(committed.end == Offset(6));
  REQUIRE(committed.batches.size() == 3);
  CHECK(committed.batches.at(Offset(0)) == nodes[0]->disk().batches().at(0));
  CHECK(committed.batches.at(Offset(1)) == nodes[0]->disk().batches().at(1));
  CHECK(committed.batches.at(Offset(4)) == nodes[0]->disk().batches().at(2));
  // Appended but not yet committed: not recorded.
  REQUIRE(nodes[0]->client()->append(*nodes[0]->counter()->writable_epoch(),
                                     nodes[0]->counter()->next_records(1, 8), t));
  CHECK_FALSE(check(inv, nodes, 1, 3, t).has_value());
  CHECK(committed.end == Offset(6));
  // The node restarts over the same disk (incarnation 2, epoch 2): its log is compared again
  // from offset 0 with the recorded batches, which are the same ones.
  nodes[0]->crash();
  nodes[0]->start(t);
  REQUIRE(nodes[0]->incarnation() == 2);
  REQUIRE(*nodes[0]->client()->high_watermark() == Offset(7));
  CHECK_FALSE(check(inv, nodes, 1, 4, t).has_value());
  CHECK(committed.end == Offset(7));
  CHECK(committed.batches.size() == 4);
}

// ---- LeaderCompleteness ------------------------------------------------------------------

TEST_CASE("LeaderCompleteness: a new leader without a committed batch") {
  // Node 1 commits batches at offsets 0 (shared), 1 (its LeaderChange) and 2 in epoch 2; node 0
  // holds only the shared batch and elects itself in epoch 2 too, writing a different batch at
  // offset 1.
  const raft::BatchPtr shared = first_counter_batch();
  auto make = [&](int id) {
    auto n = make_host(id, {id});
    n->disk().append(shared);
    n->disk().flush();
    n->disk().write_election_state(election(1));
    return n;
  };
  Nodes reference;
  reference.push_back(make(1));
  reference[0]->start(kStart);
  commit_records(*reference[0], 2, kStart);
  sim::CommittedLog committed;
  sim::ConsistentCommittedData record(committed);
  REQUIRE_FALSE(check(record, reference, 1).has_value());
  REQUIRE(committed.end == Offset(4));

  Nodes nodes;
  nodes.push_back(make(0));
  nodes[0]->start(kStart);
  REQUIRE(nodes[0]->client()->quorum().epoch() == Epoch(2));
  sim::LeaderCompleteness inv(committed);
  CHECK(inv.name() == "LeaderCompleteness");
  const auto v = check(inv, nodes, 1, 5);
  REQUIRE(v.has_value());
  CHECK(v->invariant == "LeaderCompleteness");
  CHECK(ids(v->nodes) == std::vector<int>{0});
  CHECK(v->event_index == 5);
  CHECK(v->detail ==
        "node 0 became leader of epoch 2 without the batch committed at offset 1 (epoch 2); its "
        "log ends at 2");
}

TEST_CASE("LeaderCompleteness: a leader holding every committed batch, checked once per epoch") {
  Nodes nodes;
  nodes.push_back(single_voter_leader(0));
  sim::CommittedLog committed;
  sim::ConsistentCommittedData record(committed);
  sim::LeaderCompleteness inv(committed);
  REQUIRE_FALSE(check(record, nodes, 1, 1).has_value());
  CHECK_FALSE(check(inv, nodes, 1, 1).has_value());
  const Instant t = commit_records(*nodes[0], 3, kStart);
  REQUIRE_FALSE(check(record, nodes, 1, 2, t).has_value());
  REQUIRE(committed.batches.size() == 2);
  // Restarted, the node leads epoch 2 with its whole log: complete.
  nodes[0]->crash();
  nodes[0]->start(t);
  REQUIRE(nodes[0]->client()->quorum().epoch() == Epoch(2));
  CHECK_FALSE(check(inv, nodes, 1, 3, t).has_value());
  // The (epoch 2, node 0) pair was checked: a batch recorded later, which the node does not
  // have, is not held against it.
  committed.batches.emplace(Offset(100), raft::make_data_batch(Offset(100), Epoch(2), t, {"zz"}));
  CHECK_FALSE(check(inv, nodes, 1, 4, t).has_value());
  // A leader not yet checked is.
  Nodes other;
  other.push_back(single_voter_leader(1, t));
  const auto v = check(inv, other, 1, 5, t);
  REQUIRE(v.has_value());
  CHECK(ids(v->nodes) == std::vector<int>{1});
  CHECK(contains(
      v->detail,
      "node 1 became leader of epoch 1 without the batch committed at offset 0 (epoch 1)"));
}

// ---- InvariantSuite ----------------------------------------------------------------------

namespace {
std::optional<sim::Violation> check_suite(sim::InvariantSuite& suite, const Nodes& nodes,
                                          std::size_t voter_count, std::uint64_t event = 1,
                                          Instant now = kStart) {
  const sim::CheckContext ctx{now, event, nodes, voter_count};
  return suite.check(ctx);
}
}  // namespace

TEST_CASE("InvariantSuite: a healthy leader passes all eleven checks, every pass") {
  sim::InvariantSuite suite;
  CHECK(suite.size() == 11);
  CHECK(suite.checks_run() == 0);
  Nodes nodes;
  nodes.push_back(single_voter_leader(0));
  CHECK_FALSE(check_suite(suite, nodes, 1, 1).has_value());
  CHECK(suite.checks_run() == 11);
  // The suite's ConsistentCommittedData fills the shared committed log.
  CHECK(suite.committed().end == Offset(1));
  const Instant t = commit_records(*nodes[0], 2, kStart);
  CHECK_FALSE(check_suite(suite, nodes, 1, 2, t).has_value());
  CHECK(suite.checks_run() == 22);
  CHECK(suite.committed().end == Offset(3));
  CHECK(suite.committed().batches.size() == 2);
}

TEST_CASE("InvariantSuite: stops at the first violation, in the fixed order") {
  // The number of checks run when a violation is returned gives the position of the invariant
  // that reported it: SingleLeader 1, MonotonicEpoch 2, MonotonicHighWatermark 3,
  // MajorityReachedHighWatermark 4, ConsistentCommittedData 5, LeaderCompleteness 6.
  SUBCASE("SingleLeader first") {
    sim::InvariantSuite suite;
    Nodes nodes;
    nodes.push_back(single_voter_leader(0));
    nodes.push_back(single_voter_leader(1));
    const auto v = check_suite(suite, nodes, 1);
    REQUIRE(v.has_value());
    CHECK(v->invariant == "SingleLeader");
    CHECK(suite.checks_run() == 1);
  }
  SUBCASE("MonotonicEpoch second") {
    sim::InvariantSuite suite;
    Nodes nodes;
    nodes.push_back(single_voter_leader(0));
    nodes[0]->disk().write_election_state(election(4, std::nullopt, std::nullopt));
    const auto v = check_suite(suite, nodes, 1);
    REQUIRE(v.has_value());
    CHECK(v->invariant == "MonotonicEpoch");
    CHECK(suite.checks_run() == 2);
  }
  SUBCASE("MonotonicHighWatermark third") {
    sim::InvariantSuite suite;
    Nodes nodes;
    nodes.push_back(single_voter_leader(0));
    const Instant t = commit_records(*nodes[0], 4, kStart);
    REQUIRE_FALSE(check_suite(suite, nodes, 1, 1, t).has_value());
    REQUIRE(suite.checks_run() == 11);
    nodes[0]->crash();
    nodes.push_back(make_host(1, {1}));
    nodes[1]->disk().write_election_state(election(1));
    nodes[1]->start(t);  // epoch 2, HW 1
    const auto v = check_suite(suite, nodes, 1, 2, t);
    REQUIRE(v.has_value());
    CHECK(v->invariant == "MonotonicHighWatermark");
    CHECK(suite.checks_run() == 11 + 3);
  }
  SUBCASE("MajorityReachedHighWatermark fourth") {
    sim::InvariantSuite suite;
    Nodes nodes;
    nodes.push_back(single_voter_leader(0));
    nodes.push_back(make_host(1, {0, 1, 2}));
    nodes.push_back(make_host(2, {0, 1, 2}));
    const auto v = check_suite(suite, nodes, 3);
    REQUIRE(v.has_value());
    CHECK(v->invariant == "MajorityReachedHighWatermark");
    CHECK(suite.checks_run() == 4);
  }
  SUBCASE("ConsistentCommittedData fifth") {
    // Node 0 commits a data batch at offset 1 (HW 2) and crashes; node 1, with only node 0's
    // LeaderChange batch at offset 0, elects itself in epoch 2 and commits its own LeaderChange
    // batch at offset 1 (HW 2, so the HW did not go back).
    sim::InvariantSuite suite;
    Nodes nodes;
    nodes.push_back(single_voter_leader(0));
    const Instant t = commit_records(*nodes[0], 1, kStart);
    REQUIRE_FALSE(check_suite(suite, nodes, 1, 1, t).has_value());
    nodes[0]->crash();
    auto n1 = make_host(1, {1});
    n1->disk().append(nodes[0]->disk().batches().at(0));
    n1->disk().flush();
    n1->disk().write_election_state(election(1, 0));
    n1->start(t);  // epoch 2, LeaderChange at offset 1, HW 2
    REQUIRE(n1->client()->quorum().epoch() == Epoch(2));
    nodes.push_back(std::move(n1));
    const auto v = check_suite(suite, nodes, 1, 2, t);
    REQUIRE(v.has_value());
    CHECK(v->invariant == "ConsistentCommittedData");
    CHECK(ids(v->nodes) == std::vector<int>{1});
    CHECK(contains(v->detail, "node 1 committed a different batch at offset 1: epoch 2"));
    CHECK(suite.checks_run() == 11 + 5);
  }
}
