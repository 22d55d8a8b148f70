// Unit tests of evaluate_condition (sim/conditions.hh): every ConditionType on a FakeClusterView,
// holding and not holding, with the observed values it reports. The metadata conditions read a
// real raft::metadata::MetadataImage built by replaying records, and admin_request /
// admin_outcomes a list of AdminOutcomes.
#include "sim/conditions.hh"

#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "raft/metadata/image.hh"
#include "raft/controller/controller_messages.hh"
#include "raft/metadata/records.hh"
#include "sim/support/fake_cluster_view.hh"

namespace {

using kraftsim::test::FakeClusterView;
using raft::Offset;
using sim::Condition;
using sim::ConditionOutcome;
using sim::ConditionType;
using sim::Instant;
using sim::NodeId;
using sim::NodeSelector;
namespace md = raft::metadata;

constexpr md::Uuid kOrders{0x0A, 0x01};
constexpr md::Uuid kAudit{0x0B, 0x02};

Condition condition(ConditionType type) {
  Condition c;
  c.type = type;
  return c;
}

NodeSelector id_selector(int id) {
  NodeSelector s;
  s.kind = NodeSelector::Kind::Id;
  s.id = NodeId(id);
  return s;
}

NodeSelector label_selector(const std::string& label) {
  NodeSelector s;
  s.kind = NodeSelector::Kind::Label;
  s.label = label;
  return s;
}

Condition with_node(ConditionType type, NodeSelector node) {
  Condition c = condition(type);
  c.node = std::move(node);
  return c;
}

md::RegisterBrokerRecord register_broker(std::int32_t id, std::int64_t epoch) {
  md::RegisterBrokerRecord r;
  r.broker_id = id;
  r.incarnation_id = md::Uuid{0x100, static_cast<std::uint64_t>(id)};
  r.broker_epoch = epoch;
  r.endpoints = {md::BrokerEndpoint{"PLAINTEXT", "broker-" + std::to_string(id), 9092}};
  return r;
}

md::PartitionRecord partition(md::Uuid topic, std::int32_t id, std::int32_t leader) {
  md::PartitionRecord p;
  p.topic_id = topic;
  p.partition_id = id;
  p.replicas = {3, 4, 5};
  p.isr = {3, 4, 5};
  p.leader = leader;
  return p;
}

// Brokers 3 (unfenced, epoch 10), 4 (fenced, epoch 11) and 5 (unfenced, epoch 12); topic
// "orders" with partitions led by 3, 3 and 5, then the records of `more`.
md::MetadataImage image(const std::vector<md::MetadataRecord>& more = {}) {
  std::vector<md::MetadataRecord> records = {
      md::FeatureLevelRecord{"metadata.version", 21},
      register_broker(3, 10),
      register_broker(4, 11),
      register_broker(5, 12),
      md::BrokerRegistrationChangeRecord{3, 10, md::kChangeClear, md::kChangeNone},
      md::BrokerRegistrationChangeRecord{5, 12, md::kChangeClear, md::kChangeNone},
      md::TopicRecord{"orders", kOrders},
      partition(kOrders, 0, 3),
      partition(kOrders, 1, 3),
      partition(kOrders, 2, 5),
  };
  records.insert(records.end(), more.begin(), more.end());
  md::MetadataImage out{md::MetadataImage::Options{true}};  // as the committed reference image
  std::int64_t offset = 0;
  for (const md::MetadataRecord& r : records) out.replay(r, Offset(offset++));
  out.set_provenance(md::Provenance{Offset(offset), raft::Epoch(1)});
  return out;
}

md::PartitionChangeRecord change_leader(md::Uuid topic, std::int32_t id, std::int32_t leader) {
  md::PartitionChangeRecord c;
  c.topic_id = topic;
  c.partition_id = id;
  c.leader = leader;
  return c;
}

sim::AdminOutcome outcome(std::uint64_t id, sim::AdminOutcome::Result result,
                          raft::controller::ApiError error, int attempts) {
  sim::AdminOutcome o;
  o.id = id;
  o.result = result;
  o.error = error;
  o.attempts = attempts;
  return o;
}

ConditionOutcome eval(const Condition& c, const FakeClusterView& v) { return sim::evaluate_condition(c, v); }

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("conditions: leader and no_leader") {
  FakeClusterView v;
  v.epoch = sim::Epoch(3);
  ConditionOutcome none = eval(condition(ConditionType::Leader), v);
  CHECK_FALSE(none.holds);
  CHECK(none.observed == "no leader able to commit (highest voter epoch 3)");
  CHECK(eval(condition(ConditionType::NoLeader), v).holds);

  v.set_leader(2, 4);
  ConditionOutcome led = eval(condition(ConditionType::Leader), v);
  CHECK(led.holds);
  CHECK(led.observed == "node 2 leads epoch 4 and has committed in it");
  ConditionOutcome no = eval(condition(ConditionType::NoLeader), v);
  CHECK_FALSE(no.holds);
  CHECK(no.observed == led.observed);
}

TEST_CASE("conditions: high_watermark_at_least") {
  FakeClusterView v;
  v.high_watermarks = {{NodeId(0), Offset(12)}, {NodeId(1), Offset(9)}, {NodeId(3), std::nullopt}};
  Condition c = condition(ConditionType::HighWatermarkAtLeast);
  c.value = 9;
  SUBCASE("every running node: an unknown HW counts as -1") {
    ConditionOutcome o = eval(c, v);
    CHECK_FALSE(o.holds);
    CHECK(o.observed == "node 0 HW 12; node 1 HW 9; node 3 HW -1; ");
    v.high_watermarks.pop_back();
    CHECK(eval(c, v).holds);
    c.value = 10;
    CHECK_FALSE(eval(c, v).holds);
  }
  SUBCASE("listed nodes only; a listed node that is down fails it") {
    c.nodes = {NodeId(0), NodeId(1)};
    CHECK(eval(c, v).holds);
    c.nodes = {NodeId(0), NodeId(2)};
    ConditionOutcome o = eval(c, v);
    CHECK_FALSE(o.holds);
    CHECK(o.observed == "node 0 HW 12; node 2 down; ");
  }
}

TEST_CASE("conditions: caught_up compares with the leader's HW of max_lag earlier") {
  FakeClusterView v;
  Condition c = condition(ConditionType::CaughtUp);
  c.max_lag = sim::Duration::millis(1000);
  v.time = Instant::from_ms(5000);
  v.high_watermarks = {{NodeId(0), Offset(40)}, {NodeId(1), Offset(30)}, {NodeId(2), Offset(25)}};
  CHECK(eval(c, v).observed == "no leader able to commit");
  CHECK_FALSE(eval(c, v).holds);

  v.set_leader(0, 2);
  v.obs.active_leader_hw.record(Instant::from_ms(1000), 10);
  v.obs.active_leader_hw.record(Instant::from_ms(3900), 30);  // the HW at 4000 ms
  v.obs.active_leader_hw.record(Instant::from_ms(4500), 40);
  ConditionOutcome o = eval(c, v);
  CHECK_FALSE(o.holds);
  CHECK(o.observed == "leader HW at 4000.000 ms was 30; node 2 HW 25 behind; ");

  v.high_watermarks[2].second = Offset(30);
  ConditionOutcome ok = eval(c, v);
  CHECK(ok.holds);
  CHECK(ok.observed == "leader HW at 4000.000 ms was 30; every running node at or past it");

  c.max_lag = sim::Duration::millis(0);  // the leader's HW now: 40
  CHECK_FALSE(eval(c, v).holds);
}

TEST_CASE("conditions: no_committed_record_lost") {
  FakeClusterView v;
  v.committed = Offset(20);
  v.voters = {NodeId(0), NodeId(1), NodeId(2)};
  v.log_ends = {{NodeId(0), Offset(15)}, {NodeId(1), Offset(22)}, {NodeId(2), Offset(20)}};
  SUBCASE("the leader's log decides") {
    v.set_leader(0, 3);
    ConditionOutcome o = eval(condition(ConditionType::NoCommittedRecordLost), v);
    CHECK_FALSE(o.holds);
    CHECK(o.observed == "committed end 20; leader node 0 log end 15");
    v.set_leader(2, 4);
    ConditionOutcome ok = eval(condition(ConditionType::NoCommittedRecordLost), v);
    CHECK(ok.holds);
    CHECK(ok.observed == "committed end 20; leader node 2 log end 20");
  }
  SUBCASE("without a leader, the longest running voter") {
    ConditionOutcome o = eval(condition(ConditionType::NoCommittedRecordLost), v);
    CHECK(o.holds);
    CHECK(o.observed == "committed end 20; longest running voter node 1 log end 22");
    v.voters = {NodeId(0)};
    CHECK_FALSE(eval(condition(ConditionType::NoCommittedRecordLost), v).holds);
  }
  SUBCASE("no running voter: holds only if nothing was committed") {
    v.voters.clear();
    ConditionOutcome o = eval(condition(ConditionType::NoCommittedRecordLost), v);
    CHECK_FALSE(o.holds);
    CHECK(o.observed == "committed end 20; no running voter");
    v.committed = Offset(0);
    CHECK(eval(condition(ConditionType::NoCommittedRecordLost), v).holds);
  }
}

TEST_CASE("conditions: snapshots_downloaded_at_least by id and by label") {
  FakeClusterView v;
  v.downloads = {{NodeId(4), 2}};
  Condition c = with_node(ConditionType::SnapshotsDownloadedAtLeast, id_selector(4));
  c.value = 2;
  ConditionOutcome o = eval(c, v);
  CHECK(o.holds);
  CHECK(o.observed == "node 4 downloaded 2 snapshot(s)");
  c.value = 3;
  CHECK_FALSE(eval(c, v).holds);

  Condition labelled = with_node(ConditionType::SnapshotsDownloadedAtLeast, label_selector("wipe-4"));
  labelled.value = 1;
  ConditionOutcome not_yet = eval(labelled, v);
  CHECK_FALSE(not_yet.holds);
  CHECK(not_yet.observed == "the node selector names no node (yet)");
  v.record_action("wipe-4", Instant::from_ms(1), {NodeId(4)});
  CHECK(eval(labelled, v).holds);
  v.record_action("wipe-4", Instant::from_ms(1), {NodeId(2)});
  ConditionOutcome other = eval(labelled, v);
  CHECK_FALSE(other.holds);
  CHECK(other.observed == "node 2 downloaded 0 snapshot(s)");
}

TEST_CASE("conditions: metadata conditions on a counter cluster never hold") {
  FakeClusterView v;  // no committed image
  v.controller = sim::ActiveController{Instant::from_ms(1), NodeId(0), sim::Epoch(1)};
  for (ConditionType t : {ConditionType::ActiveController, ConditionType::NoActiveController,
                          ConditionType::BrokersUnfenced, ConditionType::PartitionsLed,
                          ConditionType::PartitionLeaderless, ConditionType::ImagesAgree,
                          ConditionType::AdminOutcomes, ConditionType::LivePartitionsLed}) {
    const std::string name(sim::to_string(t));
    CAPTURE(name);
    ConditionOutcome o = eval(condition(t), v);
    CHECK_FALSE(o.holds);
    CHECK(o.observed == "not a metadata cluster");
  }
}

TEST_CASE("conditions: active_controller and no_active_controller") {
  md::MetadataImage committed = image();
  FakeClusterView v;
  v.image = &committed;
  v.epoch = sim::Epoch(5);
  ConditionOutcome none = eval(condition(ConditionType::ActiveController), v);
  CHECK_FALSE(none.holds);
  CHECK(none.observed == "no active controller (highest voter epoch 5)");
  CHECK(eval(condition(ConditionType::NoActiveController), v).holds);

  v.controller = sim::ActiveController{Instant::from_us(12'345'678), NodeId(1), sim::Epoch(5)};
  ConditionOutcome active = eval(condition(ConditionType::ActiveController), v);
  CHECK(active.holds);
  CHECK(active.observed == "node 1 active in epoch 5 since 12345.678 ms");
  CHECK_FALSE(eval(condition(ConditionType::NoActiveController), v).holds);
}

TEST_CASE("conditions: brokers_unfenced reads the committed image for the running brokers") {
  md::MetadataImage committed = image();
  FakeClusterView v;
  v.image = &committed;
  v.brokers = {NodeId(3), NodeId(5)};
  ConditionOutcome ok = eval(condition(ConditionType::BrokersUnfenced), v);
  CHECK(ok.holds);
  CHECK(ok.observed == "2 running broker(s), all unfenced");

  v.brokers = {NodeId(3), NodeId(4), NodeId(6)};
  ConditionOutcome bad = eval(condition(ConditionType::BrokersUnfenced), v);
  CHECK_FALSE(bad.holds);
  CHECK(bad.observed == "broker 4 fenced; broker 6 not registered; ");

  md::MetadataImage unfenced =
      image({md::BrokerRegistrationChangeRecord{4, 11, md::kChangeClear, md::kChangeNone},
             register_broker(6, 20),
             md::BrokerRegistrationChangeRecord{6, 20, md::kChangeClear, md::kChangeNone}});
  v.image = &unfenced;
  CHECK(eval(condition(ConditionType::BrokersUnfenced), v).holds);
}

TEST_CASE("conditions: broker_fenced, broker_unfenced, broker_leads_nothing") {
  md::MetadataImage committed = image();
  FakeClusterView v;
  v.image = &committed;
  SUBCASE("by id") {
    ConditionOutcome fenced = eval(with_node(ConditionType::BrokerFenced, id_selector(4)), v);
    CHECK(fenced.holds);
    CHECK(fenced.observed == "broker 4 fenced (broker epoch 11)");
    CHECK_FALSE(eval(with_node(ConditionType::BrokerUnfenced, id_selector(4)), v).holds);
    ConditionOutcome unfenced = eval(with_node(ConditionType::BrokerUnfenced, id_selector(3)), v);
    CHECK(unfenced.holds);
    CHECK(unfenced.observed == "broker 3 unfenced (broker epoch 10)");
    CHECK_FALSE(eval(with_node(ConditionType::BrokerFenced, id_selector(3)), v).holds);

    ConditionOutcome absent = eval(with_node(ConditionType::BrokerFenced, id_selector(7)), v);
    CHECK_FALSE(absent.holds);
    CHECK(absent.observed == "broker 7 is not registered");
    CHECK_FALSE(eval(with_node(ConditionType::BrokerUnfenced, id_selector(7)), v).holds);

    ConditionOutcome leads = eval(with_node(ConditionType::BrokerLeadsNothing, id_selector(3)), v);
    CHECK_FALSE(leads.holds);
    CHECK(leads.observed == "broker 3 leads 2 partition(s)");
    ConditionOutcome idle = eval(with_node(ConditionType::BrokerLeadsNothing, id_selector(4)), v);
    CHECK(idle.holds);
    CHECK(idle.observed == "broker 4 leads 0 partition(s)");
  }
  SUBCASE("leadership moved away by partition changes") {
    md::MetadataImage moved =
        image({change_leader(kOrders, 0, 5), change_leader(kOrders, 1, 4)});
    v.image = &moved;
    CHECK(eval(with_node(ConditionType::BrokerLeadsNothing, id_selector(3)), v).holds);
    CHECK(eval(with_node(ConditionType::BrokerLeadsNothing, id_selector(5)), v).observed ==
          "broker 5 leads 2 partition(s)");
  }
  SUBCASE("by label: the node the labelled action resolved to") {
    const Condition c = with_node(ConditionType::BrokerFenced, label_selector("crash-b"));
    ConditionOutcome not_yet = eval(c, v);
    CHECK_FALSE(not_yet.holds);
    CHECK(not_yet.observed == "the broker selector names no node (yet)");
    v.record_action("crash-b", Instant::from_ms(2), {NodeId(4)});
    CHECK(eval(c, v).holds);
    v.record_action("crash-b", Instant::from_ms(2), {NodeId(5)});
    CHECK_FALSE(eval(c, v).holds);
  }
}

TEST_CASE("conditions: partitions_led and partition_leaderless") {
  FakeClusterView v;
  md::MetadataImage empty;
  v.image = &empty;
  ConditionOutcome none = eval(condition(ConditionType::PartitionsLed), v);
  CHECK_FALSE(none.holds);  // at least one partition is required
  CHECK(none.observed == "0 of 0 partition(s) without a leader");
  CHECK_FALSE(eval(condition(ConditionType::PartitionLeaderless), v).holds);

  md::MetadataImage led = image();
  v.image = &led;
  ConditionOutcome all = eval(condition(ConditionType::PartitionsLed), v);
  CHECK(all.holds);
  CHECK(all.observed == "0 of 3 partition(s) without a leader");
  CHECK_FALSE(eval(condition(ConditionType::PartitionLeaderless), v).holds);

  md::MetadataImage one_lost = image({change_leader(kOrders, 2, md::kNoLeader)});
  v.image = &one_lost;
  ConditionOutcome lost = eval(condition(ConditionType::PartitionLeaderless), v);
  CHECK(lost.holds);
  CHECK(lost.observed == "1 of 3 partition(s) without a leader");
  CHECK_FALSE(eval(condition(ConditionType::PartitionsLed), v).holds);
}

TEST_CASE("conditions: live_partitions_led") {
  // orders-0 and orders-1 are led by broker 3, orders-2 by broker 5; every ISR is {3, 4, 5}.
  FakeClusterView v;
  md::MetadataImage led = image();
  v.image = &led;
  v.brokers = {NodeId(3), NodeId(4), NodeId(5)};
  ConditionOutcome all = eval(condition(ConditionType::LivePartitionsLed), v);
  CHECK(all.holds);
  CHECK(all.observed ==
        "0 of 3 partition(s) with a running ISR member not led by a running broker");

  // Broker 3 stopped but still named leader (not fenced yet): two partitions fail.
  v.brokers = {NodeId(4), NodeId(5)};
  ConditionOutcome stale = eval(condition(ConditionType::LivePartitionsLed), v);
  CHECK_FALSE(stale.holds);
  CHECK(stale.observed == "2 of 3 partition(s) with a running ISR member not led by a running "
                          "broker (orders-0 is led by stopped broker 3)");

  // A leaderless partition with a running ISR member fails too.
  md::MetadataImage one_lost = image({change_leader(kOrders, 2, md::kNoLeader)});
  v.image = &one_lost;
  v.brokers = {NodeId(3), NodeId(4), NodeId(5)};
  ConditionOutcome lost = eval(condition(ConditionType::LivePartitionsLed), v);
  CHECK_FALSE(lost.holds);
  CHECK(lost.observed == "1 of 3 partition(s) with a running ISR member not led by a running "
                         "broker (orders-2 has no leader)");

  // No broker of any ISR runs: no partition is required to be led.
  v.image = &led;
  v.brokers = {NodeId(6)};
  ConditionOutcome none = eval(condition(ConditionType::LivePartitionsLed), v);
  CHECK(none.holds);
  CHECK(none.observed ==
        "0 of 0 partition(s) with a running ISR member not led by a running broker");
}

TEST_CASE("conditions: topic_exists and topic_absent") {
  FakeClusterView v;
  md::MetadataImage committed = image({md::TopicRecord{"audit", kAudit}});
  v.image = &committed;
  Condition exists = condition(ConditionType::TopicExists);
  exists.topic = "audit";
  Condition absent = condition(ConditionType::TopicAbsent);
  absent.topic = "audit";
  CHECK(eval(exists, v).holds);
  CHECK(eval(exists, v).observed == "topic 'audit' exists");
  CHECK_FALSE(eval(absent, v).holds);

  md::MetadataImage deleted = image({md::TopicRecord{"audit", kAudit}, md::RemoveTopicRecord{kAudit}});
  v.image = &deleted;
  CHECK_FALSE(eval(exists, v).holds);
  CHECK(eval(absent, v).holds);
  CHECK(eval(absent, v).observed == "topic 'audit' does not exist");

  exists.topic = "orders";
  CHECK(eval(exists, v).holds);
}

TEST_CASE("conditions: images_agree compares content, not provenance") {
  FakeClusterView v;
  md::MetadataImage committed = image();
  v.image = &committed;
  ConditionOutcome nobody = eval(condition(ConditionType::ImagesAgree), v);
  CHECK_FALSE(nobody.holds);
  CHECK(nobody.observed == "no running node has published an image");

  // The same content at a later offset (a NoOpRecord changes nothing).
  md::MetadataImage same = image({md::NoOpRecord{}});
  md::MetadataImage other = image({change_leader(kOrders, 0, 4)});
  REQUIRE(same.fingerprint() == committed.fingerprint());
  REQUIRE(other.fingerprint() != committed.fingerprint());

  v.images = {{NodeId(0), &committed}, {NodeId(3), &same}};
  ConditionOutcome agree = eval(condition(ConditionType::ImagesAgree), v);
  CHECK(agree.holds);
  CHECK(agree.observed.rfind("all 2 images equal: node 0 @9 #", 0) == 0);
  CHECK(contains(agree.observed, "; node 3 @10 #"));

  v.images.emplace_back(NodeId(4), &other);
  ConditionOutcome differ = eval(condition(ConditionType::ImagesAgree), v);
  CHECK_FALSE(differ.holds);
  CHECK(differ.observed.rfind("differ: node 0 @9 #", 0) == 0);
  CHECK(contains(differ.observed, "node 4 @10 #"));
}

TEST_CASE("conditions: admin_request by label, outcome and error") {
  using R = sim::AdminOutcome::Result;
  using raft::controller::ApiError;
  md::MetadataImage committed = image();
  const std::vector<sim::AdminOutcome> outcomes = {
      outcome(1, R::ACKNOWLEDGED, ApiError::NONE, 1),
      outcome(2, R::FAILED, ApiError::TOPIC_ALREADY_EXISTS, 2),
      outcome(3, R::UNKNOWN, ApiError::REQUEST_TIMED_OUT, 7),
      outcome(4, R::PENDING, ApiError::NOT_CONTROLLER, 3),
  };
  FakeClusterView v;
  v.image = &committed;
  v.admin = &outcomes;
  auto request = [](const std::string& label, sim::AdminResult result,
                    std::optional<std::string> error = std::nullopt) {
    Condition c = condition(ConditionType::AdminRequest);
    c.request = label;
    c.outcome = result;
    c.error = std::move(error);
    return c;
  };
  auto submitted = [&v](const std::string& label, std::uint64_t op) {
    v.record_action(label, Instant::from_ms(1));
    v.obs.actions_by_label[label].admin_op = op;
  };

  ConditionOutcome unseen = eval(request("create", sim::AdminResult::Acknowledged), v);
  CHECK_FALSE(unseen.holds);
  CHECK(unseen.observed == "'create' has not submitted its request (yet)");

  submitted("create", 1);
  submitted("dup", 2);
  submitted("slow", 3);
  submitted("waiting", 4);
  ConditionOutcome ack = eval(request("create", sim::AdminResult::Acknowledged), v);
  CHECK(ack.holds);
  CHECK(ack.observed == "'create' acknowledged after 1 attempt(s)");
  CHECK_FALSE(eval(request("create", sim::AdminResult::Failed), v).holds);

  ConditionOutcome dup = eval(request("dup", sim::AdminResult::Failed, "TOPIC_ALREADY_EXISTS"), v);
  CHECK(dup.holds);
  CHECK(dup.observed == "'dup' failed (TOPIC_ALREADY_EXISTS) after 2 attempt(s)");
  CHECK(eval(request("dup", sim::AdminResult::Failed), v).holds);
  CHECK_FALSE(eval(request("dup", sim::AdminResult::Failed, "INVALID_CONFIG"), v).holds);
  CHECK_FALSE(eval(request("dup", sim::AdminResult::Acknowledged), v).holds);

  ConditionOutcome slow = eval(request("slow", sim::AdminResult::Unknown, "REQUEST_TIMED_OUT"), v);
  CHECK(slow.holds);
  CHECK(slow.observed == "'slow' unknown (REQUEST_TIMED_OUT) after 7 attempt(s)");

  ConditionOutcome waiting = eval(request("waiting", sim::AdminResult::Pending), v);
  CHECK(waiting.holds);
  CHECK(waiting.observed == "'waiting' pending (NOT_CONTROLLER) after 3 attempt(s)");
  CHECK_FALSE(eval(request("waiting", sim::AdminResult::Unknown), v).holds);

  // A labelled action that submitted nothing (e.g. a crash) never satisfies it.
  v.record_action("crash", Instant::from_ms(1), {NodeId(0)});
  CHECK_FALSE(eval(request("crash", sim::AdminResult::Pending), v).holds);
}

TEST_CASE("conditions: admin_outcomes counts every request") {
  using R = sim::AdminOutcome::Result;
  using raft::controller::ApiError;
  md::MetadataImage committed = image();
  const std::vector<sim::AdminOutcome> outcomes = {
      outcome(1, R::ACKNOWLEDGED, ApiError::NONE, 1), outcome(2, R::ACKNOWLEDGED, ApiError::NONE, 1),
      outcome(3, R::FAILED, ApiError::INVALID_CONFIG, 1), outcome(4, R::UNKNOWN, ApiError::REQUEST_TIMED_OUT, 4),
      outcome(5, R::PENDING, ApiError::NONE, 1)};
  FakeClusterView v;
  v.image = &committed;
  v.admin = &outcomes;
  Condition c = condition(ConditionType::AdminOutcomes);
  c.value = 2;
  c.max_failed = 1;
  c.max_unknown = 1;
  ConditionOutcome o = eval(c, v);
  CHECK(o.holds);
  CHECK(o.observed == "2 acknowledged, 1 failed, 1 unknown, 1 pending");
  c.value = 3;
  CHECK_FALSE(eval(c, v).holds);
  c.value = 2;
  c.max_failed = 0;
  CHECK_FALSE(eval(c, v).holds);
  c.max_failed = 1;
  c.max_unknown = 0;
  CHECK_FALSE(eval(c, v).holds);
}

TEST_CASE("conditions: condition_node resolves ids and labels") {
  sim::Observations obs;
  CHECK(sim::condition_node(id_selector(3), obs) == std::optional<NodeId>(NodeId(3)));
  CHECK_FALSE(sim::condition_node(label_selector("x"), obs).has_value());
  obs.actions_by_label["x"].targets = {};
  CHECK_FALSE(sim::condition_node(label_selector("x"), obs).has_value());
  obs.actions_by_label["x"].targets = {NodeId(4), NodeId(1)};
  CHECK(sim::condition_node(label_selector("x"), obs) == std::optional<NodeId>(NodeId(4)));
  NodeSelector leader;
  leader.kind = NodeSelector::Kind::Leader;
  CHECK_FALSE(sim::condition_node(leader, obs).has_value());
}
