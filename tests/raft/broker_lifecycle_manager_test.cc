// Unit tests of raft::broker::BrokerLifecycleManager (Kafka's BrokerLifecycleManager, KIP-631)
// and of the lifecycle half of raft::broker::BrokerServer.
#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "raft/broker/broker_lifecycle_manager.hh"
#include "raft/broker/broker_server.hh"
#include "raft/broker/broker_state.hh"
#include "raft/common/assert.hh"
#include "raft/io.hh"
#include "raft/messages.hh"
#include "raft/metadata/record_codec.hh"
#include "raft/metadata/records.hh"
#include "raft/record_batch.hh"

namespace {

using raft::CorrelationId;
using raft::Duration;
using raft::Instant;
using raft::Message;
using raft::NodeId;
using raft::broker::BrokerLifecycleConfig;
using raft::broker::BrokerLifecycleManager;
using raft::broker::BrokerState;
using raft::controller::ApiError;
using raft::controller::BrokerHeartbeatRequest;
using raft::controller::BrokerHeartbeatResponse;
using raft::controller::BrokerRegistrationRequest;
using raft::controller::BrokerRegistrationResponse;

constexpr NodeId kBroker{4};
constexpr NodeId kController{1};
constexpr NodeId kOtherController{2};
constexpr raft::metadata::Uuid kIncarnation{0xABCDULL, 0x1234ULL};

Instant ms(std::int64_t v) { return Instant::from_ms(v); }

class FakeChannel final : public raft::NetworkChannel {
 public:
  void send(Message message) override { sent.push_back(std::move(message)); }
  // Removes and returns the only message sent since the last take; fails the test otherwise.
  Message take() {
    REQUIRE(sent.size() == 1);
    Message m = sent.front();
    sent.clear();
    return m;
  }
  std::vector<Message> sent;
};

Message reply(const Message& request, raft::Payload payload) {
  return Message{request.destination, request.source, request.correlation_id, std::move(payload)};
}

BrokerRegistrationResponse registered(std::int64_t epoch) {
  BrokerRegistrationResponse r;
  r.broker_epoch = epoch;
  return r;
}

BrokerRegistrationResponse registration_error(ApiError e) {
  BrokerRegistrationResponse r;
  r.error = e;
  return r;
}

BrokerHeartbeatResponse heartbeat_ok(bool caught_up, bool fenced, bool shut_down = false) {
  BrokerHeartbeatResponse r;
  r.is_caught_up = caught_up;
  r.is_fenced = fenced;
  r.should_shut_down = shut_down;
  return r;
}

BrokerHeartbeatResponse heartbeat_error(ApiError e) {
  BrokerHeartbeatResponse r;
  r.error = e;
  return r;
}

const BrokerHeartbeatRequest& heartbeat_of(const Message& m) {
  REQUIRE(std::holds_alternative<BrokerHeartbeatRequest>(m.payload));
  return std::get<BrokerHeartbeatRequest>(m.payload);
}

BrokerLifecycleConfig rack_config() {
  BrokerLifecycleConfig c;
  c.rack = "rack-a";
  return c;
}

// Registers at t=0 (epoch 42, reply at 1 ms) and returns the manager's first heartbeat (sent at
// 1 ms with metadata offset -1 and not ready).
Message register_broker(BrokerLifecycleManager& m, FakeChannel& ch) {
  m.poll(ms(0), kController, -1, false);
  const Message reg = ch.take();
  m.handle_response(reply(reg, registered(42)), ms(1));
  CHECK(m.next_deadline() == ms(1));
  m.poll(ms(1), kController, -1, false);
  return ch.take();
}

}  // namespace

TEST_CASE("broker state names and Kafka values") {
  CHECK(raft::broker::to_string(BrokerState::NOT_RUNNING) == "NOT_RUNNING");
  CHECK(raft::broker::to_string(BrokerState::PENDING_CONTROLLED_SHUTDOWN) ==
        "PENDING_CONTROLLED_SHUTDOWN");
  CHECK(raft::broker::value_of(BrokerState::NOT_RUNNING) == 0);
  CHECK(raft::broker::value_of(BrokerState::STARTING) == 1);
  CHECK(raft::broker::value_of(BrokerState::RECOVERY) == 2);
  CHECK(raft::broker::value_of(BrokerState::RUNNING) == 3);
  CHECK(raft::broker::value_of(BrokerState::PENDING_CONTROLLED_SHUTDOWN) == 6);
  CHECK(raft::broker::value_of(BrokerState::SHUTTING_DOWN) == 7);
}

TEST_CASE("broker lifecycle: STARTING -> RECOVERY -> RUNNING -> controlled shutdown") {
  FakeChannel ch;
  BrokerLifecycleManager m(kBroker, kIncarnation, rack_config(), ch, CorrelationId(100), ms(0));
  CHECK(m.state() == BrokerState::STARTING);
  CHECK(m.next_deadline() == ms(0));
  CHECK_FALSE(m.broker_epoch().has_value());

  // Registration goes out at once.
  m.poll(ms(0), kController, -1, false);
  const Message reg = ch.take();
  CHECK(reg.source == kBroker);
  CHECK(reg.destination == kController);
  CHECK(reg.correlation_id == CorrelationId(100));
  REQUIRE(std::holds_alternative<BrokerRegistrationRequest>(reg.payload));
  const auto& r = std::get<BrokerRegistrationRequest>(reg.payload);
  CHECK(r.broker_id == 4);
  CHECK(r.incarnation_id == kIncarnation);
  CHECK(r.rack == std::optional<std::string>("rack-a"));
  CHECK(r.min_metadata_version == 1);
  CHECK(r.max_metadata_version == raft::controller::kMetadataVersionLevel);
  // One request at a time; its timeout (4.5 s) bounds the next poll, before the 60 s
  // registration deadline.
  CHECK(m.next_deadline() == ms(4500));
  m.poll(ms(2), kController, -1, false);
  CHECK(ch.sent.empty());

  // Registered: heartbeat immediately, want_fence since not ready.
  m.handle_response(reply(reg, registered(42)), ms(5));
  CHECK(m.broker_epoch() == std::optional<std::int64_t>(42));
  CHECK(m.state() == BrokerState::STARTING);
  CHECK(m.next_deadline() == ms(5));
  m.poll(ms(5), kController, -1, false);
  Message hb = ch.take();
  CHECK(hb.correlation_id == CorrelationId(101));
  CHECK(heartbeat_of(hb).broker_id == 4);
  CHECK(heartbeat_of(hb).broker_epoch == 42);
  CHECK(heartbeat_of(hb).current_metadata_offset == -1);
  CHECK(heartbeat_of(hb).want_fence);
  CHECK_FALSE(heartbeat_of(hb).want_shut_down);

  // Not caught up yet: the next heartbeat 10 ms after the reply.
  m.handle_response(reply(hb, heartbeat_ok(false, true)), ms(7));
  CHECK(m.state() == BrokerState::STARTING);
  CHECK(m.next_deadline() == ms(17));
  m.poll(ms(16), kController, 3, false);
  CHECK(ch.sent.empty());
  m.poll(ms(17), kController, 10, false);
  hb = ch.take();
  CHECK(heartbeat_of(hb).current_metadata_offset == 10);
  CHECK(heartbeat_of(hb).want_fence);

  // Caught up: RECOVERY, still 10 ms to the next heartbeat.
  m.handle_response(reply(hb, heartbeat_ok(true, true)), ms(18));
  CHECK(m.state() == BrokerState::RECOVERY);
  CHECK(m.is_fenced());
  CHECK(m.next_deadline() == ms(28));

  // Ready to unfence: a heartbeat at once with want_fence = false.
  m.poll(ms(20), kController, 11, true);
  hb = ch.take();
  CHECK(heartbeat_of(hb).current_metadata_offset == 11);
  CHECK_FALSE(heartbeat_of(hb).want_fence);
  CHECK_FALSE(heartbeat_of(hb).want_shut_down);

  // Unfenced: RUNNING, heartbeats every 2 s.
  m.handle_response(reply(hb, heartbeat_ok(true, false)), ms(21));
  CHECK(m.state() == BrokerState::RUNNING);
  CHECK_FALSE(m.is_fenced());
  CHECK(m.next_deadline() == ms(2021));
  m.poll(ms(2020), kController, 12, true);
  CHECK(ch.sent.empty());
  m.poll(ms(2021), kController, 12, true);
  hb = ch.take();
  CHECK(heartbeat_of(hb).current_metadata_offset == 12);
  CHECK_FALSE(heartbeat_of(hb).want_fence);
  m.handle_response(reply(hb, heartbeat_ok(true, false)), ms(2022));
  CHECK(m.next_deadline() == ms(4022));

  // Controlled shutdown: a want_shut_down heartbeat at once.
  m.begin_controlled_shutdown(ms(2500));
  CHECK(m.state() == BrokerState::PENDING_CONTROLLED_SHUTDOWN);
  CHECK(m.next_deadline() == ms(2500));
  m.poll(ms(2500), kController, 13, true);
  hb = ch.take();
  CHECK(heartbeat_of(hb).want_shut_down);
  CHECK_FALSE(heartbeat_of(hb).want_fence);
  CHECK(heartbeat_of(hb).current_metadata_offset == 13);

  // First "not yet": retry after 50 ms; then every interval.
  m.handle_response(reply(hb, heartbeat_ok(true, false, false)), ms(2501));
  CHECK(m.state() == BrokerState::PENDING_CONTROLLED_SHUTDOWN);
  CHECK(m.next_deadline() == ms(2551));
  m.poll(ms(2551), kController, 14, true);
  hb = ch.take();
  CHECK(heartbeat_of(hb).want_shut_down);
  m.handle_response(reply(hb, heartbeat_ok(true, false, false)), ms(2552));
  CHECK(m.next_deadline() == ms(4552));
  m.poll(ms(4552), kController, 15, true);
  hb = ch.take();
  CHECK(heartbeat_of(hb).want_shut_down);

  // should_shut_down: SHUTTING_DOWN, nothing more is sent.
  m.handle_response(reply(hb, heartbeat_ok(true, true, true)), ms(4553));
  CHECK(m.state() == BrokerState::SHUTTING_DOWN);
  CHECK(m.should_shut_down());
  CHECK_FALSE(m.registration_timed_out());
  CHECK(m.next_deadline() == Instant::never());
  m.poll(ms(10000), kController, 16, true);
  CHECK(ch.sent.empty());

  const auto& c = m.counters();
  CHECK(c.registrations_sent == 1);
  CHECK(c.heartbeats_sent == 7);
  CHECK(c.heartbeats_succeeded == 7);
  CHECK(c.failures() == 0);
}

TEST_CASE("broker lifecycle: errors retry with exponential backoff and never change state") {
  FakeChannel ch;
  BrokerLifecycleManager m(kBroker, kIncarnation, BrokerLifecycleConfig{}, ch, CorrelationId(0),
                           ms(0));
  m.poll(ms(0), kController, -1, false);
  Message reg = ch.take();

  // NOT_CONTROLLER: retry after 100 ms, then 200 ms, then 400 ms.
  m.handle_response(reply(reg, registration_error(ApiError::NOT_CONTROLLER)), ms(1));
  CHECK(m.state() == BrokerState::STARTING);
  CHECK(m.next_deadline() == ms(101));
  m.poll(ms(100), kController, -1, false);
  CHECK(ch.sent.empty());
  m.poll(ms(101), kOtherController, -1, false);
  reg = ch.take();
  CHECK(reg.destination == kOtherController);
  CHECK(reg.correlation_id == CorrelationId(1));
  CHECK(std::holds_alternative<BrokerRegistrationRequest>(reg.payload));

  m.handle_response(reply(reg, registration_error(ApiError::NOT_CONTROLLER)), ms(102));
  CHECK(m.next_deadline() == ms(302));
  m.poll(ms(302), kController, -1, false);
  reg = ch.take();
  m.handle_response(reply(reg, registration_error(ApiError::DUPLICATE_BROKER_REGISTRATION)),
                    ms(303));
  CHECK(m.next_deadline() == ms(703));
  CHECK(m.state() == BrokerState::STARTING);
  CHECK_FALSE(m.registered());

  // Success resets the backoff: the heartbeat goes out at once.
  m.poll(ms(703), kController, -1, false);
  reg = ch.take();
  m.handle_response(reply(reg, registered(7)), ms(704));
  m.poll(ms(704), kController, -1, false);
  Message hb = ch.take();
  CHECK(heartbeat_of(hb).broker_epoch == 7);

  // A heartbeat error: first backoff again (100 ms), state unchanged.
  m.handle_response(reply(hb, heartbeat_error(ApiError::NOT_CONTROLLER)), ms(705));
  CHECK(m.state() == BrokerState::STARTING);
  CHECK(m.next_deadline() == ms(805));

  const auto& c = m.counters();
  CHECK(c.errors.at(ApiError::NOT_CONTROLLER) == 3);
  CHECK(c.errors.at(ApiError::DUPLICATE_BROKER_REGISTRATION) == 1);
  CHECK(c.registrations_sent == 4);
  CHECK(c.heartbeats_sent == 1);
  CHECK(c.failures() == 4);
}

TEST_CASE("broker lifecycle: STALE_BROKER_EPOCH while RUNNING keeps the epoch (no re-register)") {
  FakeChannel ch;
  BrokerLifecycleManager m(kBroker, kIncarnation, BrokerLifecycleConfig{}, ch, CorrelationId(0),
                           ms(0));
  Message hb = register_broker(m, ch);
  m.handle_response(reply(hb, heartbeat_ok(true, true)), ms(2));
  CHECK(m.state() == BrokerState::RECOVERY);
  m.poll(ms(12), kController, 5, true);
  hb = ch.take();
  m.handle_response(reply(hb, heartbeat_ok(true, false)), ms(13));
  REQUIRE(m.state() == BrokerState::RUNNING);

  m.poll(ms(2013), kController, 6, true);
  hb = ch.take();
  m.handle_response(reply(hb, heartbeat_error(ApiError::STALE_BROKER_EPOCH)), ms(2014));
  CHECK(m.state() == BrokerState::RUNNING);
  CHECK_FALSE(m.is_fenced());  // only a successful reply changes it
  CHECK(m.next_deadline() == ms(2114));
  m.poll(ms(2114), kController, 6, true);
  hb = ch.take();
  CHECK(heartbeat_of(hb).broker_epoch == 42);  // a heartbeat, not a registration
  m.handle_response(reply(hb, heartbeat_error(ApiError::STALE_BROKER_EPOCH)), ms(2115));
  CHECK(m.next_deadline() == ms(2315));
  CHECK(m.counters().registrations_sent == 1);
  CHECK(m.counters().errors.at(ApiError::STALE_BROKER_EPOCH) == 2);
}

TEST_CASE("broker lifecycle: timeouts, backoff cap and late replies") {
  FakeChannel ch;
  BrokerLifecycleConfig config;
  config.request_timeout = Duration::millis(1000);
  config.retry_backoff = Duration::millis(100);
  config.retry_backoff_max = Duration::millis(350);
  BrokerLifecycleManager m(kBroker, kIncarnation, config, ch, CorrelationId(0), ms(0));

  m.poll(ms(0), kController, -1, false);
  const Message first = ch.take();
  CHECK(m.next_deadline() == ms(1000));
  m.poll(ms(999), kController, -1, false);
  CHECK(ch.sent.empty());
  CHECK(m.request_in_flight());

  // Timeout at 1000: nothing sent then, retry after 100 ms.
  m.poll(ms(1000), kController, -1, false);
  CHECK(ch.sent.empty());
  CHECK_FALSE(m.request_outstanding());
  CHECK(m.counters().timeouts == 1);
  CHECK(m.next_deadline() == ms(1100));
  m.poll(ms(1100), kController, -1, false);
  const Message second = ch.take();
  CHECK(second.correlation_id == CorrelationId(1));

  // The late reply to the first request is ignored.
  m.handle_response(reply(first, registered(9)), ms(1101));
  CHECK_FALSE(m.registered());
  CHECK(m.counters().ignored_responses == 1);
  CHECK(m.request_in_flight());

  // Further timeouts: 200 ms, then capped at 350 ms, and 350 ms again.
  m.poll(ms(2100), kController, -1, false);
  CHECK(m.next_deadline() == ms(2300));
  m.poll(ms(2300), kController, -1, false);
  ch.take();
  m.poll(ms(3300), kController, -1, false);
  CHECK(m.next_deadline() == ms(3650));
  m.poll(ms(3650), kController, -1, false);
  ch.take();
  m.poll(ms(4650), kController, -1, false);
  CHECK(m.next_deadline() == ms(5000));
  CHECK(m.counters().timeouts == 4);

  // A reply to the current request counts.
  m.poll(ms(5000), kController, -1, false);
  const Message fifth = ch.take();
  m.handle_response(reply(fifth, registered(9)), ms(5001));
  CHECK(m.registered());
  CHECK(m.broker_epoch() == std::optional<std::int64_t>(9));
  CHECK(m.next_deadline() == ms(5001));
}

TEST_CASE("broker lifecycle: no controller known, nothing is sent") {
  FakeChannel ch;
  BrokerLifecycleManager m(kBroker, kIncarnation, BrokerLifecycleConfig{}, ch, CorrelationId(0),
                           ms(0));
  m.poll(ms(0), std::nullopt, -1, false);
  CHECK(ch.sent.empty());
  CHECK(m.request_outstanding());
  CHECK_FALSE(m.request_in_flight());
  CHECK(m.next_deadline() == ms(4500));
  m.poll(ms(3000), std::nullopt, -1, false);
  CHECK(ch.sent.empty());

  SUBCASE("sent once a controller is known, within the timeout") {
    m.poll(ms(3500), kOtherController, -1, false);
    const Message reg = ch.take();
    CHECK(reg.destination == kOtherController);
    CHECK(reg.correlation_id == CorrelationId(0));
    // The timeout still counts from the request's creation.
    CHECK(m.next_deadline() == ms(4500));
  }
  SUBCASE("times out when no controller shows up") {
    m.poll(ms(4500), std::nullopt, -1, false);
    CHECK(ch.sent.empty());
    CHECK(m.counters().timeouts == 1);
    CHECK(m.next_deadline() == ms(4600));
    CHECK(m.counters().registrations_sent == 0);
  }
}

TEST_CASE("broker lifecycle: registration gives up after the initial registration timeout") {
  FakeChannel ch;
  BrokerLifecycleManager m(kBroker, kIncarnation, BrokerLifecycleConfig{}, ch, CorrelationId(0),
                           ms(1000));
  m.poll(ms(1000), kController, -1, false);
  Message reg = ch.take();
  m.handle_response(reply(reg, registration_error(ApiError::UNSUPPORTED_VERSION)), ms(1001));
  // Backoff delays stay well before the deadline at 61 s.
  CHECK(m.next_deadline() == ms(1101));
  m.poll(ms(60999), std::nullopt, -1, false);
  CHECK(m.state() == BrokerState::STARTING);
  CHECK(m.next_deadline() <= ms(61000));
  m.poll(ms(61000), std::nullopt, -1, false);
  CHECK(m.registration_timed_out());
  CHECK(m.state() == BrokerState::SHUTTING_DOWN);
  CHECK(m.should_shut_down());
  CHECK(m.next_deadline() == Instant::never());
  m.poll(ms(61001), kController, -1, false);
  CHECK(ch.sent.empty());
}

TEST_CASE("broker lifecycle: stale correlation ids are ignored") {
  FakeChannel ch;
  BrokerLifecycleManager m(kBroker, kIncarnation, BrokerLifecycleConfig{}, ch, CorrelationId(50),
                           ms(0));
  const Message hb = register_broker(m, ch);
  CHECK(hb.correlation_id == CorrelationId(51));
  Message stale = reply(hb, heartbeat_ok(true, false));
  stale.correlation_id = CorrelationId(50);
  m.handle_response(stale, ms(3));
  CHECK(m.state() == BrokerState::STARTING);
  CHECK(m.request_in_flight());
  CHECK(m.counters().ignored_responses == 1);
  // A duplicate of an answered reply is ignored too.
  m.handle_response(reply(hb, heartbeat_ok(true, true)), ms(4));
  CHECK(m.state() == BrokerState::RECOVERY);
  m.handle_response(reply(hb, heartbeat_ok(true, false)), ms(5));
  CHECK(m.state() == BrokerState::RECOVERY);
  CHECK(m.counters().ignored_responses == 2);
  CHECK(m.counters().heartbeats_succeeded == 1);
}

TEST_CASE("broker lifecycle: an immediate request while one is outstanding follows its reply") {
  FakeChannel ch;
  BrokerLifecycleManager m(kBroker, kIncarnation, BrokerLifecycleConfig{}, ch, CorrelationId(0),
                           ms(0));
  Message hb = register_broker(m, ch);
  m.handle_response(reply(hb, heartbeat_ok(true, true)), ms(2));
  m.poll(ms(12), kController, 5, false);
  hb = ch.take();
  CHECK(heartbeat_of(hb).want_fence);
  // Ready while the heartbeat is in flight: nothing more is sent now...
  m.poll(ms(13), kController, 5, true);
  CHECK(ch.sent.empty());
  // ...but the next one goes out right after the reply, not after the interval.
  m.handle_response(reply(hb, heartbeat_ok(true, true)), ms(14));
  CHECK(m.next_deadline() == ms(14));
  m.poll(ms(14), kController, 6, true);
  hb = ch.take();
  CHECK_FALSE(heartbeat_of(hb).want_fence);

  SUBCASE("a failure cancels the immediate resend") {
    m.poll(ms(15), kController, 6, true);  // nothing new
    CHECK(ch.sent.empty());
    m.handle_response(reply(hb, heartbeat_error(ApiError::NOT_CONTROLLER)), ms(16));
    CHECK(m.next_deadline() == ms(116));
  }
}

TEST_CASE("broker lifecycle: controlled shutdown outside RUNNING shuts down at once") {
  FakeChannel ch;
  BrokerLifecycleManager m(kBroker, kIncarnation, BrokerLifecycleConfig{}, ch, CorrelationId(0),
                           ms(0));
  register_broker(m, ch);
  m.begin_controlled_shutdown(ms(2));
  CHECK(m.state() == BrokerState::SHUTTING_DOWN);
  CHECK_FALSE(m.request_outstanding());
  m.poll(ms(3), kController, 0, true);
  CHECK(ch.sent.empty());
}

TEST_CASE("broker lifecycle: a response of the wrong type is a protocol violation") {
  FakeChannel ch;
  BrokerLifecycleManager m(kBroker, kIncarnation, BrokerLifecycleConfig{}, ch, CorrelationId(0),
                           ms(0));
  m.poll(ms(0), kController, -1, false);
  const Message reg = ch.take();
  CHECK_THROWS_AS(m.handle_response(reply(reg, heartbeat_ok(true, false)), ms(1)),
                  raft::AssertionFailure);
}

// ---- BrokerServer: loader + lifecycle -------------------------------------------------------

namespace {

namespace md = raft::metadata;

std::vector<std::string> encode_all(const std::vector<md::MetadataRecord>& records) {
  std::vector<std::string> out;
  for (const auto& r : records) out.push_back(md::encode_record(r));
  return out;
}

md::RegisterBrokerRecord broker_record(std::int32_t id, std::int64_t epoch) {
  md::RegisterBrokerRecord r;
  r.broker_id = id;
  r.incarnation_id = md::Uuid{0, static_cast<std::uint64_t>(id)};
  r.broker_epoch = epoch;
  return r;
}

md::PartitionRecord partition(const md::Uuid& topic, std::int32_t id,
                              std::vector<std::int32_t> replicas, std::int32_t leader) {
  md::PartitionRecord p;
  p.partition_id = id;
  p.topic_id = topic;
  p.replicas = replicas;
  p.isr = replicas;
  p.leader = leader;
  return p;
}

}  // namespace

TEST_CASE("broker server: heartbeats report the published offset, unfence after catch-up") {
  FakeChannel ch;
  raft::broker::BrokerServer server(kBroker, kIncarnation, BrokerLifecycleConfig{}, ch,
                                    CorrelationId(0), ms(0));
  const md::Uuid topic{7, 7};
  // Offsets 0-1: broker 4 and 5 registered; 2-5: a topic with 3 partitions.
  server.loader().handle_commit(*raft::make_data_batch(
      raft::Offset(0), raft::Epoch(1), ms(0), encode_all({broker_record(4, 0), broker_record(5, 1)})));

  // HW unknown: not published; the registration goes to the leader.
  server.update(std::nullopt, kController, ms(0));
  CHECK_FALSE(server.loader().published());
  const Message reg = ch.take();
  CHECK(std::holds_alternative<BrokerRegistrationRequest>(reg.payload));
  CHECK(server.next_deadline() == ms(4500));

  // Registered: the heartbeat (sent from handle) carries -1 and want_fence.
  CHECK(server.handle(reply(reg, registered(0)), ms(1)));
  Message hb = ch.take();
  CHECK(heartbeat_of(hb).current_metadata_offset == -1);
  CHECK(heartbeat_of(hb).want_fence);

  // The loader catches up to HW 6.
  server.loader().handle_commit(*raft::make_data_batch(
      raft::Offset(2), raft::Epoch(1), ms(2),
      encode_all({md::TopicRecord{"t", topic}, partition(topic, 0, {4, 5}, 4),
                  partition(topic, 1, {5, 4}, 5), partition(topic, 2, {5, 6}, 5)})));
  server.update(raft::Offset(6), kController, ms(2));
  CHECK(server.loader().published());
  CHECK(server.loader().published_offset() == 5);
  CHECK(server.local_replicas() == raft::broker::LocalReplicas{1, 1});
  // Published, but still STARTING: not ready to unfence yet (Kafka waits for the catch-up).
  CHECK_FALSE(server.ready_to_unfence());

  // Not caught up reply: next heartbeat 10 ms later, with the published offset.
  server.handle(reply(hb, heartbeat_ok(false, true)), ms(3));
  CHECK(ch.sent.empty());
  server.update(raft::Offset(6), kController, ms(13));
  hb = ch.take();
  CHECK(heartbeat_of(hb).current_metadata_offset == 5);
  CHECK(heartbeat_of(hb).want_fence);

  // Caught up -> RECOVERY; now ready: the want_fence=false heartbeat goes out at once.
  server.handle(reply(hb, heartbeat_ok(true, true)), ms(14));
  CHECK(server.lifecycle().state() == BrokerState::RECOVERY);
  CHECK(server.ready_to_unfence());
  hb = ch.take();
  CHECK_FALSE(heartbeat_of(hb).want_fence);
  server.handle(reply(hb, heartbeat_ok(true, false)), ms(15));
  CHECK(server.lifecycle().state() == BrokerState::RUNNING);

  // Non-lifecycle payloads are not the server's.
  CHECK_FALSE(server.handle(Message{kController, kBroker, CorrelationId(0), raft::VoteResponse{}},
                            ms(16)));

  // Controlled shutdown sends at once.
  server.begin_controlled_shutdown(ms(20));
  hb = ch.take();
  CHECK(heartbeat_of(hb).want_shut_down);
}
