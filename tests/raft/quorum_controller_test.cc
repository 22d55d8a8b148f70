// Unit tests of raft::controller::QuorumController (Kafka's QuorumController, KIP-631) driven
// through a real RaftClient over the in-memory test doubles of tests/raft/support.
//
// Most tests use a single-voter quorum: node 0 is the only voter, so its client elects itself when
// it is built, writes its LeaderChange batch at offset 0 (epoch 1) and commits every batch as soon
// as it flushes it, i.e. append.linger.ms (25 ms) after the controller appended the records. The
// renounce and "not yet active" tests use three voters {0, 1, 2} whose peers the test plays.
//
// The harness drives node 0 the way sim::NodeHost does: client.poll then controller.poll at every
// deadline either asks for, and controller.poll after every request handed to the controller.
// The controller is the client's listener through HeldListener, which holds back the callbacks the
// client makes inside its own constructor until the controller is attached (see the first test
// for why the controller cannot take them directly).
//
// Clock: the harness starts at T0 = 1000 ms. With one voter and a fresh log the controller claims
// epoch 1, writes the metadata.version bootstrap record at offset 1 on its first poll (T0), and
// that batch commits at T0 + 25 ms.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "raft/common/assert.hh"
#include "raft/controller/quorum_controller.hh"
#include "raft/metadata/image.hh"
#include "raft/metadata/record_codec.hh"
#include "raft/metadata/records.hh"
#include "raft/raft_client.hh"
#include "raft/support/memory_log_storage.hh"
#include "raft/support/raft_test_context.hh"

namespace {

using raft::BeginQuorumEpochRequest;
using raft::CorrelationId;
using raft::Duration;
using raft::Epoch;
using raft::Errors;
using raft::FetchRequest;
using raft::Instant;
using raft::LeaderAndEpoch;
using raft::Message;
using raft::NodeId;
using raft::Offset;
using raft::Payload;
using raft::RaftClient;
using raft::RaftListener;
using raft::RecordBatch;
using raft::StateKind;
using raft::VoteRequest;
using raft::VoteResponse;
using raft::controller::ApiError;
using raft::controller::BrokerHeartbeatRequest;
using raft::controller::BrokerHeartbeatResponse;
using raft::controller::BrokerRegistrationRequest;
using raft::controller::BrokerRegistrationResponse;
using raft::controller::CreatableTopic;
using raft::controller::CreateTopicsRequest;
using raft::controller::CreateTopicsResponse;
using raft::controller::DeleteTopicsRequest;
using raft::controller::DeleteTopicsResponse;
using raft::controller::QuorumController;
using raft::controller::QuorumControllerConfig;
namespace md = raft::metadata;

constexpr Instant kT0 = Instant::from_ms(1000);
constexpr NodeId kLocal{0};

// A small deterministic generator (64-bit LCG, high bits) for the controller's topic ids and
// replica placement.
class LcgRandom final : public raft::Random {
 public:
  explicit LcgRandom(std::uint64_t seed) : state_(seed) {}
  std::int64_t next_int(std::int64_t bound) override {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::int64_t>((state_ >> 33) % static_cast<std::uint64_t>(bound));
  }

 private:
  std::uint64_t state_;
};

// Forwards the client's callbacks to the controller, except that those made before open()
// (inside the RaftClient constructor, before the controller could be attached) are held and
// delivered, in order, by open().
class HeldListener final : public RaftListener {
 public:
  explicit HeldListener(RaftListener& target) : target_(target) {}

  void open() {
    open_ = true;
    for (const auto& event : held_) {
      if (const auto* batch = std::get_if<RecordBatch>(&event)) {
        target_.handle_commit(*batch);
      } else {
        target_.handle_leader_change(std::get<LeaderAndEpoch>(event));
      }
    }
    held_.clear();
  }
  [[nodiscard]] std::size_t held() const { return held_.size(); }

  void handle_commit(const RecordBatch& batch) override {
    if (open_) {
      target_.handle_commit(batch);
    } else {
      held_.emplace_back(batch);
    }
  }
  void handle_load_snapshot(const raft::Snapshot& snapshot) override {
    REQUIRE_MESSAGE(open_, "snapshot load before the controller was attached");
    target_.handle_load_snapshot(snapshot);
  }
  void handle_leader_change(const LeaderAndEpoch& leader) override {
    if (open_) {
      target_.handle_leader_change(leader);
    } else {
      held_.emplace_back(leader);
    }
  }

 private:
  RaftListener& target_;
  bool open_ = false;
  std::vector<std::variant<RecordBatch, LeaderAndEpoch>> held_;
};

// A record of the log with its offset and the batch it sits in.
struct LoggedRecord {
  Offset offset;
  Epoch epoch;
  Instant append_time;
  md::MetadataRecord record;
};

md::Uuid incarnation(std::uint64_t n) { return md::Uuid{0xB0, n}; }

BrokerRegistrationRequest registration(std::int32_t broker, md::Uuid incarnation_id) {
  BrokerRegistrationRequest r;
  r.broker_id = broker;
  r.incarnation_id = incarnation_id;
  return r;
}

BrokerHeartbeatRequest heartbeat(std::int32_t broker, std::int64_t epoch, std::int64_t offset,
                                 bool want_fence = false, bool want_shut_down = false) {
  BrokerHeartbeatRequest r;
  r.broker_id = broker;
  r.broker_epoch = epoch;
  r.current_metadata_offset = offset;
  r.want_fence = want_fence;
  r.want_shut_down = want_shut_down;
  return r;
}

CreateTopicsRequest create_topic(std::string name, std::int32_t partitions,
                                 std::int16_t replication_factor) {
  CreatableTopic t;
  t.name = std::move(name);
  t.num_partitions = partitions;
  t.replication_factor = replication_factor;
  CreateTopicsRequest r;
  r.topics.push_back(std::move(t));
  return r;
}

// One controller node (id 0) with its Raft client over in-memory storage.
class Harness {
 public:
  explicit Harness(std::vector<NodeId> voters, QuorumControllerConfig config = {})
      : voters_(std::move(voters)), config_(config) {}

  // Builds the controller and its client over the current disk (a restart if it ran before),
  // attaches them and, if `open`, delivers the callbacks the client made while being built.
  void start(bool open = true) {
    client_.reset();
    listener_.reset();
    controller_.reset();
    controller_random_ = std::make_unique<LcgRandom>(static_cast<std::uint64_t>(0x5EED + restarts_));
    controller_ = std::make_unique<QuorumController>(kLocal, config_, channel_, *controller_random_);
    listener_ = std::make_unique<HeldListener>(*controller_);
    RaftClient::Options options{kLocal, voters_, raft::RaftConfig{},
                                CorrelationId(restarts_ * 1'000'000)};
    client_ = std::make_unique<RaftClient>(options, storage_, snapshots_, store_, channel_,
                                           raft_random_, listener_.get(), now_);
    controller_->attach(*client_);
    ++restarts_;
    if (open) open_listener();
  }
  void open_listener() {
    listener_->open();
    controller_->poll(now_);
  }
  // Crash and restart over the same disk (everything flushed survives).
  void restart() {
    storage_.crash();
    channel_.clear();
    start();
  }

  // Single voter: start, activate and commit the bootstrap record (now = T0 + 25 ms).
  void start_active() {
    start();
    advance(Duration::millis(25));
    REQUIRE(controller_->activation_done());
    REQUIRE(controller_->committed_image().feature_level("metadata.version").has_value());
  }

  QuorumController& controller() { return *controller_; }
  RaftClient& client() { return *client_; }
  HeldListener& listener() { return *listener_; }
  raft::test::CapturingChannel& channel() { return channel_; }
  raft::test::MemoryLogStorage& storage() { return storage_; }
  raft::test::MemoryQuorumStateStore& store() { return store_; }
  [[nodiscard]] Instant now() const { return now_; }

  // ---- time ----
  void poll() {
    client_->poll(now_);
    controller_->poll(now_);
  }
  void advance_to(Instant t) {
    REQUIRE(t >= now_);
    for (int i = 0;; ++i) {
      REQUIRE_MESSAGE(i < 1'000'000, "the node never stops asking to be polled before " << t);
      const Instant next = std::min(client_->next_deadline(), controller_->next_deadline());
      if (next > t) break;
      now_ = std::max(now_, next);
      poll();
    }
    now_ = t;
    poll();
  }
  void advance(Duration d) { advance_to(now_ + d); }

  // ---- controller RPCs ----
  CorrelationId request(NodeId from, Payload payload) {
    const CorrelationId id(next_correlation_++);
    controller_->handle(Message{from, kLocal, id, std::move(payload)}, now_);
    controller_->poll(now_);
    return id;
  }
  template <typename T>
  std::optional<T> reply(NodeId to, CorrelationId id) {
    auto sent = channel_.take_response<T>(to, id);
    if (!sent) return std::nullopt;
    CHECK(sent->message.source == kLocal);
    return std::get<T>(sent->message.payload);
  }
  // A request answered within `limit` (REQUIREd).
  template <typename T>
  T call(NodeId from, Payload payload, Duration limit = Duration::millis(100)) {
    const CorrelationId id = request(from, std::move(payload));
    const Instant end = now_ + limit;
    for (;;) {
      if (auto r = reply<T>(from, id)) return *r;
      const Instant next = std::min(client_->next_deadline(), controller_->next_deadline());
      REQUIRE_MESSAGE(next <= end, "no reply to request " << id.value() << " by " << end);
      now_ = std::max(now_, next);
      poll();
    }
  }

  // Registers `broker` (new incarnation `inc`) and unfences it; returns its broker epoch.
  std::int64_t add_unfenced_broker(std::int32_t broker, md::Uuid inc) {
    const auto reg = call<BrokerRegistrationResponse>(NodeId(broker), registration(broker, inc));
    REQUIRE(reg.error == ApiError::NONE);
    const auto hb = call<BrokerHeartbeatResponse>(
        NodeId(broker), heartbeat(broker, reg.broker_epoch, log_end().value()));
    REQUIRE(hb.error == ApiError::NONE);
    REQUIRE(!hb.is_fenced);
    return reg.broker_epoch;
  }

  // ---- Raft peers (multi-voter tests) ----
  // Delivers a request from a peer to the client; returns the correlation id.
  CorrelationId deliver_raft(NodeId from, Payload payload) {
    const CorrelationId id(next_correlation_++);
    client_->handle(Message{from, kLocal, id, std::move(payload)}, now_);
    controller_->poll(now_);
    return id;
  }
  // From Unattached: waits for the election timer and grants every pre-vote and vote.
  void win_election() {
    for (int i = 0; i < 100 && !client_->quorum().is(StateKind::Prospective); ++i) {
      REQUIRE(client_->next_deadline() < Instant::never());
      advance_to(client_->next_deadline());
    }
    for (int round = 0; round < 2; ++round) {
      for (NodeId voter : voters_) {
        if (voter == kLocal || client_->quorum().is(StateKind::Leader)) continue;
        auto sent = channel_.take_last<VoteRequest>(voter);
        REQUIRE(sent.has_value());
        const auto& vote = std::get<VoteRequest>(sent->message.payload);
        client_->handle(Message{voter, kLocal, sent->message.correlation_id,
                                VoteResponse{Errors::NONE, std::nullopt, vote.replica_epoch, true}},
                        now_);
        controller_->poll(now_);
      }
    }
    REQUIRE(client_->quorum().is(StateKind::Leader));
  }
  // A follower fetch at the leader's log end: the follower has everything, the HW moves there.
  void follower_fetch(NodeId voter) {
    const FetchRequest fetch{voter,
                             client_->quorum().epoch(),
                             client_->log().end_offset(),
                             client_->log().last_fetched_epoch(),
                             Offset(0),
                             0,
                             8 * 1024 * 1024};
    deliver_raft(voter, fetch);
  }

  // ---- the log ----
  [[nodiscard]] Offset log_end() const { return client_->log().end_offset(); }
  // Every data record in the log, decoded.
  [[nodiscard]] std::vector<LoggedRecord> log_records() const {
    std::vector<LoggedRecord> out;
    for (const raft::BatchPtr& batch : storage_.batches()) {
      if (batch->is_control) continue;
      Offset offset = batch->base_offset;
      for (const std::string& bytes : batch->records) {
        out.push_back(LoggedRecord{offset, batch->epoch, batch->append_time, md::decode_record(bytes)});
        offset = offset + 1;
      }
    }
    return out;
  }
  template <typename T>
  [[nodiscard]] std::vector<std::pair<LoggedRecord, T>> records_of() const {
    std::vector<std::pair<LoggedRecord, T>> out;
    for (const LoggedRecord& r : log_records()) {
      if (const auto* t = std::get_if<T>(&r.record)) out.emplace_back(r, *t);
    }
    return out;
  }

 private:
  std::vector<NodeId> voters_;
  QuorumControllerConfig config_;
  raft::test::MemoryLogStorage storage_;
  raft::test::MemorySnapshotStore snapshots_;
  raft::test::MemoryQuorumStateStore store_;
  raft::test::CapturingChannel channel_;
  raft::test::ScriptedRandom raft_random_;
  std::unique_ptr<LcgRandom> controller_random_;
  std::unique_ptr<QuorumController> controller_;
  std::unique_ptr<HeldListener> listener_;
  std::unique_ptr<RaftClient> client_;
  Instant now_ = kT0;
  std::int64_t next_correlation_ = 1;
  std::int64_t restarts_ = 0;
};

// ---- regressions of two bugs these tests found ------------------------------------------------

// A single-voter client elects itself, commits its LeaderChange batch and reports the local
// leader inside its constructor, before controller.attach(client) can have run (sim::NodeHost
// attaches after construction, as this test does). The controller used to assert "not attached
// to its client"; it now claims in attach().
TEST_CASE("quorum controller as the listener of a single voter client from its construction") {
  raft::test::MemoryLogStorage storage;
  raft::test::MemorySnapshotStore snapshots;
  raft::test::MemoryQuorumStateStore store;
  raft::test::CapturingChannel channel;
  raft::test::ScriptedRandom raft_random;
  LcgRandom controller_random(1);
  QuorumController controller(kLocal, QuorumControllerConfig{}, channel, controller_random);
  std::unique_ptr<RaftClient> client;
  RaftClient::Options options{kLocal, {kLocal}, raft::RaftConfig{}, CorrelationId(0)};
  CHECK_NOTHROW(client = std::make_unique<RaftClient>(options, storage, snapshots, store, channel,
                                                      raft_random, &controller, kT0));
  REQUIRE(client != nullptr);
  controller.attach(*client);
  controller.poll(kT0);
  CHECK(controller.is_active());
  CHECK(controller.activation_done());
  CHECK(controller.image().feature_level("metadata.version") == std::optional<std::int16_t>(21));
}

// ---- activation --------------------------------------------------------------------------------

TEST_CASE("quorum controller activates on its own leader change and bootstraps metadata.version") {
  Harness h({kLocal});
  h.start(/*open=*/false);
  // The client leads epoch 1 already, but the controller has not heard of it.
  REQUIRE(h.client().quorum().is(StateKind::Leader));
  CHECK(h.client().quorum().epoch() == Epoch(1));
  CHECK(h.listener().held() == 2);  // the LeaderChange batch, then the leader change
  CHECK_FALSE(h.controller().is_active());
  CHECK(h.controller().next_deadline() == Instant::never());

  h.listener().open();
  CHECK(h.controller().is_active());
  CHECK(h.controller().claimed_epoch() == std::optional<Epoch>(Epoch(1)));
  CHECK_FALSE(h.controller().activation_done());
  CHECK(h.controller().next_deadline() == Instant::zero());  // activation runs on the next poll
  CHECK(h.controller().next_write_offset() == Offset(1));
  CHECK_FALSE(h.controller().image().feature_level("metadata.version").has_value());
  CHECK(h.controller().stats().activations == 1);

  h.controller().poll(h.now());
  CHECK(h.controller().activation_done());
  // Written and applied to the in-memory image at once, not committed yet.
  CHECK(h.controller().image().feature_level("metadata.version") == std::optional<std::int16_t>(21));
  CHECK_FALSE(h.controller().committed_image().feature_level("metadata.version").has_value());
  CHECK(h.controller().pending_writes() == 1);
  CHECK(h.controller().next_write_offset() == Offset(2));
  // The first periodic task: the NoOpRecord, metadata.max.idle.interval.ms (500 ms) later.
  CHECK(h.controller().next_deadline() == kT0 + Duration::millis(500));

  h.advance(Duration::millis(24));
  CHECK_FALSE(h.controller().committed_image().feature_level("metadata.version").has_value());
  h.advance(Duration::millis(1));  // append.linger.ms: the batch is written, flushed, committed
  CHECK(h.controller().committed_image().feature_level("metadata.version") ==
        std::optional<std::int16_t>(21));
  CHECK(h.controller().pending_writes() == 0);
  CHECK(h.controller().stats().writes_committed == 1);
  CHECK(h.controller().committed_image().fingerprint() == h.controller().image().fingerprint());
  CHECK(h.controller().applied_end() ==
        std::optional<raft::OffsetAndEpoch>(raft::OffsetAndEpoch{Offset(2), Epoch(1)}));

  // The log: LeaderChange at 0, then one data batch at 1 holding exactly the bootstrap record.
  const auto& batches = h.storage().batches();
  REQUIRE(batches.size() == 2);
  CHECK(batches[0]->is_control);
  CHECK(batches[1]->base_offset == Offset(1));
  CHECK(batches[1]->epoch == Epoch(1));
  const auto records = h.log_records();
  REQUIRE(records.size() == 1);
  CHECK(records[0].offset == Offset(1));
  CHECK(std::get<md::FeatureLevelRecord>(records[0].record) ==
        md::FeatureLevelRecord{"metadata.version", 21});
}

TEST_CASE("quorum controller of three voters stays inactive until its LeaderChange commits") {
  Harness h({kLocal, NodeId(1), NodeId(2)});
  h.start();
  h.win_election();
  const Epoch epoch = h.client().quorum().epoch();
  CHECK_FALSE(h.controller().is_active());

  // Leader in Raft, but not yet the active controller: NOT_CONTROLLER, no records.
  const auto early = h.call<BrokerRegistrationResponse>(NodeId(5), registration(5, incarnation(1)),
                                                        Duration::zero());
  CHECK(early.error == ApiError::NOT_CONTROLLER);
  CHECK(early.controller_hint == std::optional<NodeId>(kLocal));
  CHECK(early.broker_epoch == -1);

  // A follower reaches the LeaderChange batch: it commits and the client reports the leader.
  h.follower_fetch(NodeId(1));
  CHECK(h.controller().is_active());
  CHECK(h.controller().claimed_epoch() == std::optional<Epoch>(epoch));
  CHECK(h.controller().activation_done());  // deliver_raft polls the controller
  CHECK(h.controller().image().feature_level("metadata.version") == std::optional<std::int16_t>(21));
  CHECK_FALSE(h.controller().committed_image().feature_level("metadata.version").has_value());

  // The bootstrap batch is written after the linger, and commits once a follower has it.
  h.advance(Duration::millis(25));
  CHECK_FALSE(h.controller().committed_image().feature_level("metadata.version").has_value());
  h.follower_fetch(NodeId(2));
  CHECK(h.controller().committed_image().feature_level("metadata.version") ==
        std::optional<std::int16_t>(21));
}

TEST_CASE("quorum controller activation on a non-empty log writes no bootstrap record") {
  Harness h({kLocal});
  h.start_active();
  const std::int64_t epoch5 = h.add_unfenced_broker(5, incarnation(1));
  const std::uint64_t before = h.controller().committed_image().fingerprint();
  const std::size_t records_before = h.log_records().size();

  h.restart();
  CHECK(h.client().quorum().epoch() == Epoch(2));
  CHECK(h.controller().claimed_epoch() == std::optional<Epoch>(Epoch(2)));
  CHECK(h.controller().activation_done());
  CHECK(h.controller().pending_writes() == 0);
  CHECK(h.controller().next_write_offset() == h.log_end());
  CHECK(h.log_records().size() == records_before);
  CHECK(h.records_of<md::FeatureLevelRecord>().size() == 1);
  CHECK(h.controller().image().fingerprint() == before);
  const md::BrokerRegistration* b5 = h.controller().image().broker(5);
  REQUIRE(b5 != nullptr);
  CHECK(b5->epoch == epoch5);
  CHECK_FALSE(b5->fenced);
  // KAFKA-18138: the registered broker gets a fresh session on activation.
  CHECK(h.controller().heartbeats().is_tracked(5));
  CHECK(h.controller().heartbeats().has_valid_session(5, h.now()));
}

// ---- broker registration -----------------------------------------------------------------------

TEST_CASE("quorum controller answers NOT_CONTROLLER with the leader as hint when standby") {
  Harness h({kLocal, NodeId(1), NodeId(2)});
  h.store().preset(raft::ElectionState{Epoch(5), NodeId(1), std::nullopt});
  h.start();
  REQUIRE(h.client().quorum().is(StateKind::Follower));
  CHECK_FALSE(h.controller().is_active());

  const auto reg = h.call<BrokerRegistrationResponse>(NodeId(5), registration(5, incarnation(1)),
                                                      Duration::zero());
  CHECK(reg.error == ApiError::NOT_CONTROLLER);
  CHECK(reg.controller_hint == std::optional<NodeId>(NodeId(1)));
  const auto hb = h.call<BrokerHeartbeatResponse>(NodeId(5), heartbeat(5, 3, 0), Duration::zero());
  CHECK(hb.error == ApiError::NOT_CONTROLLER);
  CHECK(hb.controller_hint == std::optional<NodeId>(NodeId(1)));
  const auto ct = h.call<CreateTopicsResponse>(NodeId(9), create_topic("t", 1, 1), Duration::zero());
  CHECK(ct.error == ApiError::NOT_CONTROLLER);
  CHECK(ct.controller_hint == std::optional<NodeId>(NodeId(1)));
  CHECK(h.storage().batches().empty());
}

TEST_CASE("quorum controller registration reply waits for the commit and carries the epoch") {
  Harness h({kLocal});
  h.start_active();
  REQUIRE(h.now() == kT0 + Duration::millis(25));
  REQUIRE(h.controller().next_write_offset() == Offset(2));

  const CorrelationId id = h.request(NodeId(5), registration(5, incarnation(1)));
  CHECK_FALSE(h.reply<BrokerRegistrationResponse>(NodeId(5), id).has_value());
  CHECK(h.controller().pending_writes() == 1);
  // The in-memory image has the broker already (fenced), the committed one not yet.
  REQUIRE(h.controller().image().broker(5) != nullptr);
  CHECK(h.controller().image().broker(5)->fenced);
  CHECK(h.controller().committed_image().broker(5) == nullptr);

  h.advance(Duration::millis(24));
  CHECK_FALSE(h.reply<BrokerRegistrationResponse>(NodeId(5), id).has_value());
  h.advance(Duration::millis(1));
  const auto r = h.reply<BrokerRegistrationResponse>(NodeId(5), id);
  REQUIRE(r.has_value());
  CHECK(r->error == ApiError::NONE);
  CHECK(r->broker_epoch == 2);

  // The broker epoch is the offset of the RegisterBrokerRecord.
  const auto regs = h.records_of<md::RegisterBrokerRecord>();
  REQUIRE(regs.size() == 1);
  CHECK(regs[0].first.offset == Offset(2));
  CHECK(regs[0].second.broker_id == 5);
  CHECK(regs[0].second.broker_epoch == 2);
  CHECK(regs[0].second.fenced);
  CHECK(regs[0].second.incarnation_id == incarnation(1));
  const md::BrokerRegistration* b = h.controller().committed_image().broker(5);
  REQUIRE(b != nullptr);
  CHECK(b->epoch == 2);
  CHECK(b->fenced);
  CHECK(b->register_record_offset == Offset(2));
}

TEST_CASE("quorum controller rejects a second incarnation while the session is valid") {
  Harness h({kLocal});
  h.start_active();
  const std::int64_t epoch = h.add_unfenced_broker(5, incarnation(1));
  CHECK(epoch == 2);
  const Offset end = h.log_end();

  // Another process with the same id while the first one heartbeats: refused, nothing written.
  const auto dup = h.call<BrokerRegistrationResponse>(NodeId(5), registration(5, incarnation(2)));
  CHECK(dup.error == ApiError::DUPLICATE_BROKER_REGISTRATION);
  CHECK(h.controller().next_write_offset() == end);
  CHECK(h.controller().image().broker(5)->incarnation_id == incarnation(1));

  // The same incarnation again (a retried request): amended, same epoch, still unfenced.
  const auto again = h.call<BrokerRegistrationResponse>(NodeId(5), registration(5, incarnation(1)));
  CHECK(again.error == ApiError::NONE);
  CHECK(again.broker_epoch == epoch);
  const auto regs = h.records_of<md::RegisterBrokerRecord>();
  REQUIRE(regs.size() == 2);
  CHECK(regs[1].first.offset == end);
  CHECK(regs[1].second.broker_epoch == epoch);
  CHECK_FALSE(regs[1].second.fenced);
  const md::BrokerRegistration* b = h.controller().committed_image().broker(5);
  REQUIRE(b != nullptr);
  CHECK(b->epoch == epoch);
  CHECK_FALSE(b->fenced);
}

TEST_CASE("quorum controller accepts a new incarnation of a fenced broker with a new epoch") {
  Harness h({kLocal});
  h.start_active();
  const auto first = h.call<BrokerRegistrationResponse>(NodeId(5), registration(5, incarnation(1)));
  REQUIRE(first.error == ApiError::NONE);
  // Never unfenced, so it has no session: a restarted process may take over the id.
  const Offset end = h.log_end();
  const auto second = h.call<BrokerRegistrationResponse>(NodeId(5), registration(5, incarnation(2)));
  CHECK(second.error == ApiError::NONE);
  CHECK(second.broker_epoch == end.value());
  CHECK(second.broker_epoch != first.broker_epoch);
  const md::BrokerRegistration* b = h.controller().committed_image().broker(5);
  REQUIRE(b != nullptr);
  CHECK(b->incarnation_id == incarnation(2));
  CHECK(b->epoch == second.broker_epoch);
  // The old epoch is now stale.
  const auto hb = h.call<BrokerHeartbeatResponse>(NodeId(5), heartbeat(5, first.broker_epoch, 99));
  CHECK(hb.error == ApiError::STALE_BROKER_EPOCH);
}

TEST_CASE("quorum controller answers a read after the writes before it commit") {
  Harness h({kLocal});
  h.start_active();
  const CorrelationId reg = h.request(NodeId(5), registration(5, incarnation(1)));
  // A heartbeat that changes nothing (not caught up): a read, queued behind the registration.
  const CorrelationId hb = h.request(NodeId(5), heartbeat(5, 2, 0));
  CHECK(h.controller().pending_writes() == 2);
  CHECK(h.controller().next_write_offset() == Offset(3));  // the heartbeat wrote nothing
  CHECK(h.channel().sent().empty());
  h.advance(Duration::millis(25));
  const auto r = h.reply<BrokerRegistrationResponse>(NodeId(5), reg);
  const auto b = h.reply<BrokerHeartbeatResponse>(NodeId(5), hb);
  REQUIRE(r.has_value());
  REQUIRE(b.has_value());
  CHECK(b->error == ApiError::NONE);
  CHECK(b->is_fenced);
  CHECK_FALSE(b->is_caught_up);
  CHECK(h.controller().pending_writes() == 0);
}

// ---- heartbeats --------------------------------------------------------------------------------

TEST_CASE("quorum controller heartbeat state machine for a fenced broker") {
  Harness h({kLocal});
  h.start_active();
  const auto reg = h.call<BrokerRegistrationResponse>(NodeId(5), registration(5, incarnation(1)));
  REQUIRE(reg.broker_epoch == 2);

  SUBCASE("a wrong epoch or an unknown broker is STALE_BROKER_EPOCH at once") {
    const CorrelationId id = h.request(NodeId(5), heartbeat(5, 7, 2));
    const auto stale = h.reply<BrokerHeartbeatResponse>(NodeId(5), id);
    REQUIRE(stale.has_value());
    CHECK(stale->error == ApiError::STALE_BROKER_EPOCH);
    const CorrelationId unknown = h.request(NodeId(6), heartbeat(6, 2, 2));
    const auto u = h.reply<BrokerHeartbeatResponse>(NodeId(6), unknown);
    REQUIRE(u.has_value());
    CHECK(u->error == ApiError::STALE_BROKER_EPOCH);
    CHECK(h.controller().pending_writes() == 0);
  }

  SUBCASE("below its registration offset it stays fenced and is not caught up") {
    const Offset end = h.log_end();
    const auto hb = h.call<BrokerHeartbeatResponse>(NodeId(5), heartbeat(5, 2, 1));
    CHECK(hb.error == ApiError::NONE);
    CHECK(hb.is_fenced);
    CHECK_FALSE(hb.is_caught_up);
    CHECK_FALSE(hb.should_shut_down);
    CHECK(h.controller().next_write_offset() == end);
    CHECK(h.controller().committed_image().broker(5)->fenced);
  }

  SUBCASE("caught up but wanting to stay fenced: fenced, caught up") {
    const auto hb = h.call<BrokerHeartbeatResponse>(NodeId(5), heartbeat(5, 2, 2, true));
    CHECK(hb.is_fenced);
    CHECK(hb.is_caught_up);
    CHECK(h.controller().committed_image().broker(5)->fenced);
    CHECK(h.records_of<md::BrokerRegistrationChangeRecord>().empty());
  }

  SUBCASE("at its registration offset it is unfenced once the change commits") {
    const Offset change_at = h.controller().next_write_offset();
    const CorrelationId id = h.request(NodeId(5), heartbeat(5, 2, 2));
    CHECK_FALSE(h.reply<BrokerHeartbeatResponse>(NodeId(5), id).has_value());
    CHECK_FALSE(h.controller().image().broker(5)->fenced);
    CHECK(h.controller().committed_image().broker(5)->fenced);
    h.advance(Duration::millis(25));
    const auto hb = h.reply<BrokerHeartbeatResponse>(NodeId(5), id);
    REQUIRE(hb.has_value());
    CHECK(hb->error == ApiError::NONE);
    CHECK_FALSE(hb->is_fenced);
    CHECK(hb->is_caught_up);
    CHECK_FALSE(h.controller().committed_image().broker(5)->fenced);
    const auto changes = h.records_of<md::BrokerRegistrationChangeRecord>();
    REQUIRE(changes.size() == 1);
    CHECK(changes[0].first.offset == change_at);
    CHECK(changes[0].second.broker_id == 5);
    CHECK(changes[0].second.broker_epoch == 2);
    CHECK(changes[0].second.fenced == md::kChangeClear);
    CHECK(h.controller().heartbeats().has_valid_session(5, h.now()));
  }
}

TEST_CASE("quorum controller moves leadership away on controlled shutdown") {
  Harness h({kLocal});
  h.start_active();
  const std::int64_t e5 = h.add_unfenced_broker(5, incarnation(5));
  const std::int64_t e6 = h.add_unfenced_broker(6, incarnation(6));
  const auto created = h.call<CreateTopicsResponse>(NodeId(9), create_topic("cs", 1, 2));
  REQUIRE(created.topics.size() == 1);
  REQUIRE(created.topics[0].error == ApiError::NONE);
  const md::TopicIdPartition tp{created.topics[0].topic_id, 0};
  const md::PartitionRecord* p = h.controller().committed_image().partition(tp);
  REQUIRE(p != nullptr);
  const std::int32_t leader = p->leader;
  REQUIRE((leader == 5 || leader == 6));
  const std::int32_t other = leader == 5 ? 6 : 5;
  const std::int64_t leader_epoch = leader == 5 ? e5 : e6;
  const std::int64_t other_epoch = leader == 5 ? e6 : e5;
  const std::int64_t other_offset = h.log_end().value() - 1;
  // The other broker reports how far it has applied the log.
  REQUIRE(h.call<BrokerHeartbeatResponse>(NodeId(other), heartbeat(other, other_epoch, other_offset))
              .error == ApiError::NONE);

  // The leader asks to shut down: it enters controlled shutdown and its partition moves.
  const auto first = h.call<BrokerHeartbeatResponse>(
      NodeId(leader), heartbeat(leader, leader_epoch, other_offset, false, true));
  CHECK(first.error == ApiError::NONE);
  CHECK_FALSE(first.is_fenced);
  CHECK_FALSE(first.should_shut_down);
  const md::MetadataImage& committed = h.controller().committed_image();
  CHECK(committed.broker(leader)->in_controlled_shutdown);
  CHECK_FALSE(committed.broker(leader)->fenced);
  CHECK(committed.partition(tp)->leader == other);
  CHECK(committed.partition(tp)->isr == std::vector<std::int32_t>{other});
  CHECK(committed.leader_count(leader) == 0);
  const auto changes = h.records_of<md::BrokerRegistrationChangeRecord>();
  REQUIRE_FALSE(changes.empty());
  CHECK(changes.back().second.broker_id == leader);
  CHECK(changes.back().second.in_controlled_shutdown == md::kChangeSet);
  CHECK(changes.back().second.fenced == md::kChangeNone);
  const auto partition_changes = h.records_of<md::PartitionChangeRecord>();
  REQUIRE(partition_changes.size() == 1);
  CHECK(partition_changes[0].first.offset > changes.back().first.offset);  // after the BRCR

  // The other broker has not applied that change yet: the leader must keep waiting.
  const auto waiting = h.call<BrokerHeartbeatResponse>(
      NodeId(leader), heartbeat(leader, leader_epoch, other_offset, false, true));
  CHECK_FALSE(waiting.should_shut_down);
  CHECK_FALSE(waiting.is_fenced);

  // Once it has, the leader may shut down now, and is fenced.
  REQUIRE(h.call<BrokerHeartbeatResponse>(NodeId(other),
                                          heartbeat(other, other_epoch, h.log_end().value() - 1))
              .error == ApiError::NONE);
  const auto done = h.call<BrokerHeartbeatResponse>(
      NodeId(leader), heartbeat(leader, leader_epoch, other_offset, false, true));
  CHECK(done.error == ApiError::NONE);
  CHECK(done.should_shut_down);
  CHECK(done.is_fenced);
  CHECK(h.controller().committed_image().broker(leader)->fenced);
  CHECK(h.records_of<md::BrokerRegistrationChangeRecord>().back().second.fenced == md::kChangeSet);
}

// Brokers 5 and 6 unfenced, a topic with one partition of replication factor 2, and the
// partition's leader in controlled shutdown (its leadership moved to the other broker).
struct ControlledShutdownSetup {
  std::int32_t leader = 0;  // the broker in controlled shutdown
  std::int64_t leader_epoch = 0;
  std::int32_t other = 0;
  std::int64_t other_epoch = 0;
};

ControlledShutdownSetup enter_controlled_shutdown(Harness& h) {
  h.start_active();
  const std::int64_t e5 = h.add_unfenced_broker(5, incarnation(5));
  const std::int64_t e6 = h.add_unfenced_broker(6, incarnation(6));
  const auto created = h.call<CreateTopicsResponse>(NodeId(9), create_topic("cs", 1, 2));
  REQUIRE(created.topics[0].error == ApiError::NONE);
  const md::TopicIdPartition tp{created.topics[0].topic_id, 0};
  ControlledShutdownSetup c;
  c.leader = h.controller().committed_image().partition(tp)->leader;
  REQUIRE((c.leader == 5 || c.leader == 6));
  c.other = c.leader == 5 ? 6 : 5;
  c.leader_epoch = c.leader == 5 ? e5 : e6;
  c.other_epoch = c.leader == 5 ? e6 : e5;
  const auto entered = h.call<BrokerHeartbeatResponse>(
      NodeId(c.leader), heartbeat(c.leader, c.leader_epoch, h.log_end().value() - 1, false, true));
  REQUIRE(entered.error == ApiError::NONE);
  REQUIRE_FALSE(entered.should_shut_down);
  REQUIRE(h.controller().committed_image().broker(c.leader)->in_controlled_shutdown);
  return c;
}

// A broker that entered controlled shutdown under one activation keeps heartbeating with
// want_shut_down after a controller failover. The new controller has no controlled-shutdown
// offset for it, so (Kafka's currentBrokerState) it treats the heartbeat as an unfenced broker's
// request to shut down: granted at once when it leads nothing (see the next test), else it
// enters controlled shutdown again with an offset of its own. The controller used to record the offset only
// when the broker entered controlled shutdown, so after a failover
// next_state_controlled_shutdown never answered
// SHUTDOWN_NOW: the broker is stuck in CONTROLLED_SHUTDOWN for ever.
TEST_CASE("quorum controller lets a broker in controlled shutdown go after a failover") {
  Harness h({kLocal});
  const auto [leader, leader_epoch, other, other_epoch] = enter_controlled_shutdown(h);

  // Failover: the controller restarts and activates again, the brokers keep heartbeating.
  h.restart();
  REQUIRE(h.controller().activation_done());
  bool shut_down = false;
  for (int round = 0; round < 10 && !shut_down; ++round) {
    h.advance(Duration::millis(100));
    const std::int64_t applied = h.log_end().value() - 1;
    REQUIRE(h.call<BrokerHeartbeatResponse>(NodeId(other), heartbeat(other, other_epoch, applied))
                .error == ApiError::NONE);
    const auto r = h.call<BrokerHeartbeatResponse>(
        NodeId(leader), heartbeat(leader, leader_epoch, applied, false, true));
    REQUIRE(r.error == ApiError::NONE);
    shut_down = r.should_shut_down;
  }
  CHECK(shut_down);
  CHECK(h.controller().committed_image().broker(leader)->fenced);
  // Fenced now: it has no session and no controlled-shutdown offset any more.
  CHECK_FALSE(h.controller().heartbeats().controlled_shutdown_offset(leader).has_value());
}

// After a failover the new controller knows a broker in controlled shutdown only from its
// registration (in_controlled_shutdown), not from a shutdown offset of its own. Kafka's
// BrokerHeartbeatManager.currentBrokerState then calls it UNFENCED, so its next want_shut_down
// heartbeat is answered SHUTDOWN_NOW at once when it leads nothing, whatever the other brokers
// have reported. kraftsim used to record the controller's log end as the broker's shutdown offset
// and wait until every active broker had heartbeated past it: while another broker had not
// heartbeated to the new controller yet (offset -1), the broker waited, for seconds (fuzz seed
// 512: 12 s, long enough for a pause to end the process's controlled shutdown uncleanly).
TEST_CASE("quorum controller grants a controlled shutdown begun under its predecessor at once") {
  Harness h({kLocal});
  const ControlledShutdownSetup setup = enter_controlled_shutdown(h);
  const std::int32_t leader = setup.leader;
  const std::int64_t leader_epoch = setup.leader_epoch;
  REQUIRE(h.controller().committed_image().leader_count(leader) == 0);
  const std::size_t changes_before = h.records_of<md::BrokerRegistrationChangeRecord>().size();

  // Failover. The other broker has not heartbeated to the new controller: its offset there is -1.
  h.restart();
  REQUIRE(h.controller().activation_done());
  CHECK_FALSE(h.controller().heartbeats().controlled_shutdown_offset(leader).has_value());
  CHECK(h.controller().heartbeats().lowest_active_offset() == -1);
  const auto first = h.call<BrokerHeartbeatResponse>(
      NodeId(leader), heartbeat(leader, leader_epoch, h.log_end().value() - 1, false, true));
  CHECK(first.error == ApiError::NONE);
  CHECK(first.should_shut_down);
  CHECK(first.is_fenced);
  CHECK(h.controller().committed_image().broker(leader)->fenced);
  // The only new registration change is the fence: no second in_controlled_shutdown record.
  const auto changes = h.records_of<md::BrokerRegistrationChangeRecord>();
  REQUIRE(changes.size() == changes_before + 1);
  CHECK(changes.back().second.fenced == md::kChangeSet);
  CHECK(changes.back().second.in_controlled_shutdown == md::kChangeNone);
}

TEST_CASE("quorum controller shuts a broker without leaderships down at once") {
  Harness h({kLocal});
  h.start_active();
  const std::int64_t e5 = h.add_unfenced_broker(5, incarnation(5));
  const auto r = h.call<BrokerHeartbeatResponse>(NodeId(5), heartbeat(5, e5, 3, false, true));
  CHECK(r.error == ApiError::NONE);
  CHECK(r.should_shut_down);
  CHECK(r.is_fenced);
  CHECK(h.controller().committed_image().broker(5)->fenced);
  CHECK_FALSE(h.controller().committed_image().broker(5)->in_controlled_shutdown);
}

TEST_CASE("quorum controller fences a broker whose session expired") {
  Harness h({kLocal});
  h.start_active();
  const std::int64_t e5 = h.add_unfenced_broker(5, incarnation(5));
  const std::int64_t e6 = h.add_unfenced_broker(6, incarnation(6));
  const auto created = h.call<CreateTopicsResponse>(NodeId(9), create_topic("s", 2, 2));
  REQUIRE(created.topics[0].error == ApiError::NONE);
  const md::Uuid topic = created.topics[0].topic_id;
  // Broker 5's last heartbeat.
  REQUIRE(h.call<BrokerHeartbeatResponse>(NodeId(5), heartbeat(5, e5, 0)).error == ApiError::NONE);
  const Instant last_contact = h.now();
  const Instant expiry = last_contact + Duration::millis(9000);
  const Instant latest_fence = expiry + Duration::millis(9000 / 8);

  // Broker 6 keeps heartbeating every second; broker 5 is silent.
  while (h.now() + Duration::millis(1100) <= expiry) {
    h.advance(Duration::seconds(1));
    REQUIRE(h.call<BrokerHeartbeatResponse>(NodeId(6), heartbeat(6, e6, 0)).error == ApiError::NONE);
  }
  h.advance_to(expiry);
  CHECK_FALSE(h.controller().image().broker(5)->fenced);
  CHECK(h.controller().stats().brokers_fenced_by_session == 0);
  CHECK(h.controller().heartbeats().has_valid_session(5, expiry));

  h.advance_to(latest_fence + Duration::millis(25));  // + append.linger.ms to commit
  CHECK(h.controller().stats().brokers_fenced_by_session == 1);
  const md::MetadataImage& committed = h.controller().committed_image();
  CHECK(committed.broker(5)->fenced);
  CHECK_FALSE(committed.broker(6)->fenced);
  CHECK(committed.leader_count(5) == 0);
  for (std::int32_t i = 0; i < 2; ++i) {
    const md::PartitionRecord* p = committed.partition(md::TopicIdPartition{topic, i});
    REQUIRE(p != nullptr);
    CHECK(p->leader == 6);
    CHECK(p->isr == std::vector<std::int32_t>{6});
  }
  // The fencing record, written after the session expired and within one check period.
  std::vector<LoggedRecord> fences;
  for (const auto& [logged, change] : h.records_of<md::BrokerRegistrationChangeRecord>()) {
    if (change.broker_id == 5 && change.fenced == md::kChangeSet) {
      CHECK(change.broker_epoch == e5);
      fences.push_back(logged);
    }
  }
  REQUIRE(fences.size() == 1);
  CHECK(fences[0].append_time > expiry);
  CHECK(fences[0].append_time <= latest_fence + Duration::millis(25));
  CHECK_FALSE(h.controller().heartbeats().has_valid_session(5, h.now()));

  // The fenced broker, still at its epoch, is told it is fenced.
  const auto hb = h.call<BrokerHeartbeatResponse>(NodeId(5), heartbeat(5, e5, 0, true));
  CHECK(hb.error == ApiError::NONE);
  CHECK(hb.is_fenced);
}

TEST_CASE("quorum controller fences a silent broker one session after a failover") {
  for (const bool bug : {false, true}) {
    CAPTURE(bug);
    QuorumControllerConfig config;
    if (bug) config.bugs.insert(raft::Bug::ForgetBrokersOnActivation);
    Harness h({kLocal}, config);
    h.start_active();
    h.add_unfenced_broker(5, incarnation(5));
    // The controller process restarts (a new activation); broker 5 never heartbeats again.
    h.advance(Duration::seconds(3));
    h.restart();
    REQUIRE(h.controller().activation_done());
    const Instant activated = h.now();
    CHECK(h.controller().heartbeats().is_tracked(5) == !bug);
    h.advance_to(activated + Duration::millis(9000 + 9000 / 8 + 25));
    if (bug) {
      // KAFKA-18138: the broker is never fenced.
      CHECK(h.controller().stats().brokers_fenced_by_session == 0);
      CHECK_FALSE(h.controller().committed_image().broker(5)->fenced);
    } else {
      CHECK(h.controller().stats().brokers_fenced_by_session == 1);
      CHECK(h.controller().committed_image().broker(5)->fenced);
    }
  }
}

// ---- topics and periodic tasks -----------------------------------------------------------------

TEST_CASE("quorum controller creates topics led by unfenced brokers") {
  Harness h({kLocal});
  h.start_active();
  h.add_unfenced_broker(5, incarnation(5));
  h.add_unfenced_broker(6, incarnation(6));
  h.add_unfenced_broker(7, incarnation(7));
  // Broker 8 is registered but stays fenced.
  REQUIRE(h.call<BrokerRegistrationResponse>(NodeId(8), registration(8, incarnation(8))).error ==
          ApiError::NONE);

  const Offset first = h.controller().next_write_offset();
  const CorrelationId id = h.request(NodeId(9), create_topic("orders", 3, 2));
  CHECK_FALSE(h.reply<CreateTopicsResponse>(NodeId(9), id).has_value());
  CHECK(h.controller().image().topic_by_name("orders") != nullptr);
  CHECK(h.controller().committed_image().topic_by_name("orders") == nullptr);
  h.advance(Duration::millis(25));
  const auto r = h.reply<CreateTopicsResponse>(NodeId(9), id);
  REQUIRE(r.has_value());
  CHECK(r->error == ApiError::NONE);
  REQUIRE(r->topics.size() == 1);
  CHECK(r->topics[0].name == "orders");
  CHECK(r->topics[0].error == ApiError::NONE);
  CHECK_FALSE(r->topics[0].topic_id.is_zero());

  const md::MetadataImage& image = h.controller().committed_image();
  const md::TopicImage* topic = image.topic_by_name("orders");
  REQUIRE(topic != nullptr);
  CHECK(topic->id == r->topics[0].topic_id);
  REQUIRE(topic->partitions.size() == 3);
  const std::set<std::int32_t> unfenced{5, 6, 7};
  std::int64_t leaders = 0;
  for (const md::PartitionPtr& entry : topic->partitions) {
    const md::PartitionRecord& p = *entry;
    REQUIRE(p.replicas.size() == 2);
    CHECK(p.replicas[0] != p.replicas[1]);
    CHECK(p.leader == p.replicas[0]);
    CHECK(unfenced.count(p.leader) == 1);
    CHECK(p.leader_epoch == 0);
    // The ISR holds the unfenced replicas only.
    for (std::int32_t isr : p.isr) CHECK(unfenced.count(isr) == 1);
    CHECK(p.isr.front() == p.leader);
  }
  for (std::int32_t b : {5, 6, 7, 8}) leaders += image.leader_count(b);
  CHECK(leaders == 3);
  CHECK(image.leader_count(8) == 0);
  // TopicRecord first, then the three PartitionRecords, in one batch.
  const auto topics = h.records_of<md::TopicRecord>();
  REQUIRE(topics.size() == 1);
  CHECK(topics[0].first.offset == first);
  CHECK(h.records_of<md::PartitionRecord>().size() == 3);

  SUBCASE("an existing name or too few brokers are refused without records") {
    const Offset end = h.log_end();
    const auto dup = h.call<CreateTopicsResponse>(NodeId(9), create_topic("orders", 1, 1));
    REQUIRE(dup.topics.size() == 1);
    CHECK(dup.topics[0].error == ApiError::TOPIC_ALREADY_EXISTS);
    const auto big = h.call<CreateTopicsResponse>(NodeId(9), create_topic("big", 1, 5));
    REQUIRE(big.topics.size() == 1);
    CHECK(big.topics[0].error == ApiError::INVALID_REPLICATION_FACTOR);
    CHECK(h.controller().next_write_offset() == end);
  }
  SUBCASE("a deleted topic is gone once the deletion commits") {
    DeleteTopicsRequest del;
    del.names = {"orders", "nope"};
    const auto d = h.call<DeleteTopicsResponse>(NodeId(9), del);
    REQUIRE(d.topics.size() == 2);
    CHECK(d.topics[0].error == ApiError::NONE);
    CHECK(d.topics[1].error == ApiError::UNKNOWN_TOPIC_OR_PARTITION);
    CHECK(h.controller().committed_image().topic_by_name("orders") == nullptr);
    CHECK(h.controller().committed_image().partition_count() == 0);
  }
}

TEST_CASE("quorum controller with only a fenced broker cannot create a topic") {
  Harness h({kLocal});
  h.start_active();
  REQUIRE(h.call<BrokerRegistrationResponse>(NodeId(5), registration(5, incarnation(5))).error ==
          ApiError::NONE);
  const auto r = h.call<CreateTopicsResponse>(NodeId(9), create_topic("t", 1, 1));
  REQUIRE(r.topics.size() == 1);
  CHECK(r.topics[0].error == ApiError::INVALID_REPLICATION_FACTOR);
  CHECK(h.records_of<md::TopicRecord>().empty());
}

TEST_CASE("quorum controller writes a NoOpRecord every metadata.max.idle.interval.ms") {
  Harness h({kLocal});
  h.start();  // activated at T0
  h.advance_to(kT0 + Duration::millis(499));
  CHECK(h.controller().stats().noop_records == 0);
  h.advance_to(kT0 + Duration::millis(500));
  CHECK(h.controller().stats().noop_records == 1);
  CHECK(h.controller().next_write_offset() == Offset(3));
  h.advance_to(kT0 + Duration::millis(2600));
  CHECK(h.controller().stats().noop_records == 5);  // at 500, 1000, 1500, 2000 and 2500 ms
  const auto noops = h.records_of<md::NoOpRecord>();
  REQUIRE(noops.size() == 5);
  for (std::size_t i = 0; i < noops.size(); ++i) {
    CHECK(noops[i].first.offset == Offset(2 + static_cast<std::int64_t>(i)));
    CHECK(noops[i].first.append_time ==
          kT0 + Duration::millis(500 * static_cast<std::int64_t>(i + 1) + 25));
  }
  CHECK(h.controller().committed_image().provenance().end_offset == Offset(7));
  CHECK(h.controller().stats().writes_committed == 6);  // the bootstrap and five no-ops
}

TEST_CASE("quorum controller writes no NoOpRecord when metadata.max.idle.interval.ms is 0") {
  QuorumControllerConfig off;
  off.max_idle_interval = Duration::zero();
  Harness h({kLocal}, off);
  h.start();
  h.advance_to(kT0 + Duration::seconds(10));
  CHECK(h.controller().stats().noop_records == 0);
  CHECK(h.records_of<md::NoOpRecord>().empty());
  CHECK(h.log_end() == Offset(2));  // LeaderChange and the bootstrap record only
}

// ---- renounce ----------------------------------------------------------------------------------

TEST_CASE("quorum controller renounces when another leader takes over") {
  Harness h({kLocal, NodeId(1), NodeId(2)});
  h.start();
  h.win_election();
  h.follower_fetch(NodeId(1));
  REQUIRE(h.controller().activation_done());
  h.advance(Duration::millis(25));
  h.follower_fetch(NodeId(1));
  REQUIRE(h.controller().committed_image().feature_level("metadata.version").has_value());
  const Epoch epoch = h.client().quorum().epoch();
  const std::uint64_t committed = h.controller().committed_image().fingerprint();

  // A registration is written but not committed (no follower fetches it)...
  const CorrelationId id = h.request(NodeId(5), registration(5, incarnation(1)));
  h.advance(Duration::millis(25));
  CHECK(h.controller().pending_writes() == 1);
  CHECK(h.controller().image().broker(5) != nullptr);
  CHECK(h.controller().image().fingerprint() != committed);

  // ...when node 1 announces itself leader of the next epoch.
  h.deliver_raft(NodeId(1), BeginQuorumEpochRequest{kLocal, NodeId(1), raft::next_epoch(epoch)});
  CHECK(h.client().quorum().is(StateKind::Follower));
  CHECK_FALSE(h.controller().is_active());
  CHECK_FALSE(h.controller().claimed_epoch().has_value());
  CHECK(h.controller().next_deadline() == Instant::never());
  const auto r = h.reply<BrokerRegistrationResponse>(NodeId(5), id);
  REQUIRE(r.has_value());
  CHECK(r->error == ApiError::NOT_CONTROLLER);
  CHECK(r->controller_hint == std::optional<NodeId>(NodeId(1)));
  CHECK(h.controller().pending_writes() == 0);
  CHECK(h.controller().image().broker(5) == nullptr);
  CHECK(h.controller().image().fingerprint() == committed);
  CHECK(h.controller().image().fingerprint() == h.controller().committed_image().fingerprint());
  CHECK(h.controller().image() == h.controller().committed_image());
  CHECK(h.controller().stats().renounces == 1);
  CHECK(h.controller().stats().writes_failed == 1);
  CHECK(h.controller().heartbeats().size() == 0);

  // A standby answers NOT_CONTROLLER, pointing at the new leader.
  const auto later = h.call<BrokerRegistrationResponse>(NodeId(5), registration(5, incarnation(1)),
                                                        Duration::zero());
  CHECK(later.error == ApiError::NOT_CONTROLLER);
  CHECK(later.controller_hint == std::optional<NodeId>(NodeId(1)));
}

TEST_CASE("quorum controller renounces when its client resigns and reactivates later") {
  Harness h({kLocal});
  h.start_active();
  const std::uint64_t committed = h.controller().committed_image().fingerprint();
  const Epoch epoch = *h.controller().claimed_epoch();

  const CorrelationId first = h.request(NodeId(5), registration(5, incarnation(5)));
  CHECK(h.controller().pending_writes() == 1);
  h.client().resign(epoch);
  // The client refuses the next append: the controller renounces (and fails every pending write).
  const CorrelationId second = h.request(NodeId(6), registration(6, incarnation(6)));
  CHECK_FALSE(h.controller().is_active());
  for (auto [node, id] : {std::pair{NodeId(5), first}, std::pair{NodeId(6), second}}) {
    const auto r = h.reply<BrokerRegistrationResponse>(node, id);
    REQUIRE(r.has_value());
    CHECK(r->error == ApiError::NOT_CONTROLLER);
  }
  CHECK(h.controller().stats().renounces == 1);
  CHECK(h.controller().stats().writes_failed == 2);
  CHECK(h.controller().image().fingerprint() == committed);
  CHECK(h.controller().image().fingerprint() == h.controller().committed_image().fingerprint());
  CHECK(h.controller().image().broker(5) == nullptr);
  CHECK(h.controller().image().broker(6) == nullptr);

  // The single voter elects itself again in a later epoch; the controller claims it.
  for (int i = 0; i < 100 && !h.controller().is_active(); ++i) h.advance(Duration::millis(100));
  REQUIRE(h.controller().is_active());
  CHECK(*h.controller().claimed_epoch() > epoch);
  CHECK(h.controller().claimed_epoch() == std::optional<Epoch>(h.client().quorum().epoch()));
  CHECK(h.controller().stats().activations == 2);
  // The lost registrations were never committed; a new one gets the next free offset.
  CHECK(h.records_of<md::RegisterBrokerRecord>().empty());
  const Offset next = h.controller().next_write_offset();
  CHECK(next == h.log_end());
  const auto again = h.call<BrokerRegistrationResponse>(NodeId(5), registration(5, incarnation(5)));
  CHECK(again.error == ApiError::NONE);
  CHECK(again.broker_epoch == next.value());
}

}  // namespace
