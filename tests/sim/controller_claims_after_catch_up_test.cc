// Tests for sim/checkers/controller_claims_after_catch_up: the invariant must report a quorum
// controller that claims an epoch its Raft client does not lead in this incarnation (KAFKA-17333)
// or claims it before replaying the client's LeaderChange (KAFKA-15345), and stay silent on real
// claims. The bad states are hand-built from real NodeHosts running the metadata state machine:
// the controller is told it leads (handle_leader_change) behind its Raft client's back, which is
// what the two historical bugs did.
#include <doctest/doctest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "raft/messages.hh"
#include "sim/checkers/controller_claims_after_catch_up.hh"
#include "sim/checkers/invariant_suite.hh"
#include "sim/node_host.hh"

using raft::Epoch;
using raft::NodeId;
using raft::Offset;
using sim::Instant;
using sim::NodeHost;

namespace {

using Nodes = std::vector<std::unique_ptr<NodeHost>>;

const Instant kStart = Instant::from_ms(100);

// A controller node `id` of the voter set `voters` (not started).
std::unique_ptr<NodeHost> make_controller(int id, const std::vector<int>& voters) {
  std::vector<NodeId> v;
  for (int x : voters) v.emplace_back(x);
  raft::RaftClient::Options options{NodeId(id), v, raft::RaftConfig{}, {}};
  sim::NodeProcessSpec process;
  process.kind = sim::StateMachineKind::Metadata;
  process.controller = true;
  return std::make_unique<NodeHost>(options, sim::Prng(2000 + static_cast<std::uint64_t>(id)),
                                    process);
}

std::optional<sim::Violation> check(sim::Invariant& invariant, const Nodes& nodes,
                                    std::uint64_t event = 1, Instant now = kStart) {
  const sim::CheckContext ctx{now, event, nodes, 3};
  return invariant.check(ctx);
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// The only message in the node's outbox addressed to `to`.
raft::Message sent_to(NodeHost& node, int to) {
  std::optional<raft::Message> found;
  for (raft::Message& m : node.take_outbox()) {
    if (m.destination == NodeId(to)) found = m;
  }
  REQUIRE(found.has_value());
  return *found;
}

// Makes node 0 of voters {0, 1, 2} leader of epoch 1 by answering its pre-vote and its vote from
// node 1. Returns the time of the last input. Its LeaderChange (offset 0) is not committed yet.
Instant elect_node_0(NodeHost& node) {
  node.start(kStart);
  Instant now = kStart;
  while (!node.client()->quorum().is(raft::StateKind::Prospective)) {
    now = node.next_deadline();
    REQUIRE_FALSE(now.is_never());
    node.poll(now);
  }
  const raft::Message pre_vote = sent_to(node, 1);
  REQUIRE(std::get<raft::VoteRequest>(pre_vote.payload).pre_vote);
  node.handle(raft::Message{NodeId(1), NodeId(0), pre_vote.correlation_id,
                            raft::VoteResponse{raft::Errors::NONE, std::nullopt, Epoch(0), true}},
              now);
  REQUIRE(node.client()->quorum().is(raft::StateKind::Candidate));
  const raft::Message vote = sent_to(node, 1);
  REQUIRE_FALSE(std::get<raft::VoteRequest>(vote.payload).pre_vote);
  node.handle(raft::Message{NodeId(1), NodeId(0), vote.correlation_id,
                            raft::VoteResponse{raft::Errors::NONE, std::nullopt, Epoch(1), true}},
              now);
  REQUIRE(node.client()->quorum().is(raft::StateKind::Leader));
  REQUIRE(node.client()->quorum().epoch() == Epoch(1));
  REQUIRE_FALSE(node.client()->high_watermark().has_value());
  return now;
}

// Node 1 fetches from leader node 0 at `offset` (no wait): acknowledges everything below it.
void fetch_from_node_1(NodeHost& leader, Offset offset, Instant now) {
  raft::FetchRequest fetch{NodeId(1), Epoch(1), offset, offset > Offset(0) ? Epoch(1) : Epoch(0),
                           Offset(0), 0, 1 << 20};
  leader.handle(raft::Message{NodeId(1), NodeId(0), raft::CorrelationId(7), fetch}, now);
}

}  // namespace

TEST_CASE("ControllerClaimsAfterCatchUp: a real claim after the LeaderChange commits passes") {
  Nodes nodes;
  nodes.push_back(make_controller(0, {0, 1, 2}));
  const Instant t = elect_node_0(*nodes[0]);
  sim::ControllerClaimsAfterCatchUp inv;
  CHECK(inv.name() == "ControllerClaimsAfterCatchUp");
  // Leader, but not active: nothing to judge.
  CHECK_FALSE(nodes[0]->controller()->is_active());
  CHECK_FALSE(check(inv, nodes, 1, t).has_value());
  // Node 1 acknowledges the LeaderChange at offset 0: HW 1, the listener replays it, and only
  // then the controller is told it leads.
  fetch_from_node_1(*nodes[0], Offset(1), t);
  REQUIRE(nodes[0]->client()->high_watermark() == Offset(1));
  REQUIRE(nodes[0]->controller()->claimed_epoch() == Epoch(1));
  CHECK(nodes[0]->client()->listener_next_offset() == Offset(1));
  CHECK_FALSE(check(inv, nodes, 2, t).has_value());
  CHECK_FALSE(check(inv, nodes, 3, t).has_value());
}

TEST_CASE("ControllerClaimsAfterCatchUp: a single voter claims at start-up and passes") {
  Nodes nodes;
  nodes.push_back(make_controller(0, {0}));
  nodes[0]->start(kStart);
  REQUIRE(nodes[0]->controller()->claimed_epoch() == Epoch(1));
  sim::ControllerClaimsAfterCatchUp inv;
  CHECK_FALSE(check(inv, nodes).has_value());
}

TEST_CASE("ControllerClaimsAfterCatchUp: a claim before the LeaderChange is replayed (KAFKA-15345)") {
  Nodes nodes;
  nodes.push_back(make_controller(1, {0, 1, 2}));  // a bystander, never claims
  nodes.push_back(make_controller(0, {0, 1, 2}));
  nodes[0]->start(kStart);
  const Instant t = elect_node_0(*nodes[1]);
  sim::ControllerClaimsAfterCatchUp inv;
  CHECK_FALSE(check(inv, nodes, 1, t).has_value());
  // The bug: the new leader tells its controller at once, before anything committed.
  nodes[1]->controller()->handle_leader_change(raft::LeaderAndEpoch{NodeId(0), Epoch(1)});
  REQUIRE(nodes[1]->controller()->claimed_epoch() == Epoch(1));
  const auto v = check(inv, nodes, 2, t);
  REQUIRE(v.has_value());
  CHECK(v->invariant == "ControllerClaimsAfterCatchUp");
  CHECK(v->event_index == 2);
  REQUIRE(v->nodes.size() == 1);
  CHECK(v->nodes[0] == NodeId(0));
  CHECK(v->detail ==
        "the controller of node 0 claimed epoch 1 before replaying its own LeaderChange at the "
        "epoch start offset 0: the listener's next offset is 0 and the committed image ends at 0");
  // Reported once per claim.
  CHECK_FALSE(check(inv, nodes, 3, t).has_value());
}

TEST_CASE("ControllerClaimsAfterCatchUp: a restarted leader claims its old epoch as Resigned (KAFKA-17333)") {
  Nodes nodes;
  nodes.push_back(make_controller(2, {0, 1, 2}));
  // Node 2 led epoch 3 before it crashed: its quorum-state names itself.
  raft::ElectionState stored;
  stored.epoch = Epoch(3);
  stored.leader_id = NodeId(2);
  stored.voted_id = NodeId(2);
  nodes[0]->disk().write_election_state(stored);
  nodes[0]->start(kStart);
  REQUIRE(nodes[0]->client()->quorum().is(raft::StateKind::Resigned));
  sim::ControllerClaimsAfterCatchUp inv;
  CHECK_FALSE(check(inv, nodes).has_value());
  // The bug: Resigned reports itself as leader of epoch 3 to the state machine.
  nodes[0]->controller()->handle_leader_change(raft::LeaderAndEpoch{NodeId(2), Epoch(3)});
  REQUIRE(nodes[0]->controller()->claimed_epoch() == Epoch(3));
  const auto v = check(inv, nodes, 5);
  REQUIRE(v.has_value());
  CHECK(v->invariant == "ControllerClaimsAfterCatchUp");
  CHECK(v->detail ==
        "the controller of node 2 claimed epoch 3 but its Raft client never led that epoch in "
        "this incarnation (it is Resigned in epoch 3)");
}

TEST_CASE("ControllerClaimsAfterCatchUp: leading the epoch before a crash does not count after it") {
  Nodes nodes;
  nodes.push_back(make_controller(0, {0, 1, 2}));
  const Instant t = elect_node_0(*nodes[0]);
  sim::ControllerClaimsAfterCatchUp inv;
  REQUIRE_FALSE(check(inv, nodes, 1, t).has_value());  // incarnation 1 leads epoch 1
  nodes[0]->crash();
  nodes[0]->start(t);
  REQUIRE(nodes[0]->incarnation() == 2);
  REQUIRE(nodes[0]->client()->quorum().is(raft::StateKind::Resigned));
  REQUIRE(nodes[0]->client()->quorum().epoch() == Epoch(1));
  REQUIRE_FALSE(check(inv, nodes, 2, t).has_value());
  nodes[0]->controller()->handle_leader_change(raft::LeaderAndEpoch{NodeId(0), Epoch(1)});
  const auto v = check(inv, nodes, 3, t);
  REQUIRE(v.has_value());
  CHECK(v->detail ==
        "the controller of node 0 claimed epoch 1 but its Raft client never led that epoch in "
        "this incarnation (it is Resigned in epoch 1)");
}

TEST_CASE("ControllerClaimsAfterCatchUp: a claim renounced within the same event is still caught") {
  // KAFKA-17333 as it plays out within one event: the restarted leader's controller claims its
  // old epoch, its first write (the activation records) is refused by the Resigned client, and it
  // renounces at once. After the event nothing is claimed any more, but the activation happened.
  Nodes nodes;
  nodes.push_back(make_controller(2, {0, 1, 2}));
  raft::ElectionState stored;
  stored.epoch = Epoch(3);
  stored.leader_id = NodeId(2);
  stored.voted_id = NodeId(2);
  nodes[0]->disk().write_election_state(stored);
  nodes[0]->start(kStart);
  sim::ControllerClaimsAfterCatchUp inv;
  REQUIRE_FALSE(check(inv, nodes).has_value());
  nodes[0]->controller()->handle_leader_change(raft::LeaderAndEpoch{NodeId(2), Epoch(3)});
  nodes[0]->controller()->poll(kStart);  // activation: the write is refused, it renounces
  REQUIRE_FALSE(nodes[0]->controller()->is_active());
  REQUIRE(nodes[0]->controller()->stats().activations == 1);
  REQUIRE(nodes[0]->controller()->stats().renounces == 1);
  const auto v = check(inv, nodes, 2);
  REQUIRE(v.has_value());
  CHECK(v->invariant == "ControllerClaimsAfterCatchUp");
  CHECK(v->detail ==
        "the controller of node 2 became active 1 time(s) in this incarnation but its Raft "
        "client led only 0 epoch(s) (it is Resigned in epoch 3)");
  CHECK_FALSE(check(inv, nodes, 3).has_value());
}

TEST_CASE("ControllerClaimsAfterCatchUp: a claim while Unattached") {
  Nodes nodes;
  nodes.push_back(make_controller(0, {0, 1, 2}));
  nodes[0]->start(kStart);
  REQUIRE(nodes[0]->client()->quorum().is(raft::StateKind::Unattached));
  nodes[0]->controller()->handle_leader_change(raft::LeaderAndEpoch{NodeId(0), Epoch(4)});
  sim::ControllerClaimsAfterCatchUp inv;
  const auto v = check(inv, nodes);
  REQUIRE(v.has_value());
  CHECK(contains(v->detail, "claimed epoch 4 but its Raft client never led that epoch"));
  CHECK(contains(v->detail, "(it is Unattached in epoch 0)"));
}

TEST_CASE("ControllerClaimsAfterCatchUp: part of the metadata invariant suite only") {
  sim::InvariantSuite counter;
  sim::InvariantSuite metadata(true);
  CHECK(metadata.size() == counter.size() + 3);
  Nodes nodes;
  nodes.push_back(make_controller(0, {0, 1, 2}));
  nodes[0]->start(kStart);
  nodes[0]->controller()->handle_leader_change(raft::LeaderAndEpoch{NodeId(0), Epoch(4)});
  const sim::CheckContext ctx{kStart, 1, nodes, 3};
  CHECK_FALSE(counter.check(ctx).has_value());
  const auto v = metadata.check(ctx);
  REQUIRE(v.has_value());
  CHECK(v->invariant == "ControllerClaimsAfterCatchUp");
}
