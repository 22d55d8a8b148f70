// Tests for sim/admin_client.hh: the simulated Kafka Admin client (KIP-919 bootstrap.controllers):
// request contents, controller discovery through NOT_CONTROLLER (hint and round robin), the
// exponential retry backoff, attempt and API timeouts, final results and stale-response handling.
#include <doctest/doctest.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "raft/common/assert.hh"
#include "raft/io.hh"
#include "sim/admin_client.hh"

using raft::CorrelationId;
using raft::NodeId;
using raft::controller::ApiError;
using sim::AdminClient;
using sim::AdminClientConfig;
using sim::AdminOpKind;
using sim::AdminOutcome;
using sim::Duration;
using sim::Instant;
using Result = sim::AdminOutcome::Result;

namespace {

// A NetworkChannel that records every message sent through it.
struct CapturingChannel : raft::NetworkChannel {
  std::vector<raft::Message> sent;
  void send(raft::Message message) override { sent.push_back(std::move(message)); }
};

constexpr NodeId kClient{1000};

std::vector<NodeId> controllers() { return {NodeId(1), NodeId(2), NodeId(3)}; }

Instant ms(std::int64_t t) { return Instant::from_ms(t); }

// The response to `request` (sent by the client) coming back from its destination.
raft::Message reply(const raft::Message& request, raft::Payload payload) {
  return raft::Message{request.destination, request.source, request.correlation_id,
                       std::move(payload)};
}

raft::Message create_reply(const raft::Message& request, ApiError request_error,
                           ApiError topic_error, std::optional<NodeId> hint = std::nullopt,
                           raft::metadata::Uuid topic_id = {}) {
  const auto& req = std::get<raft::controller::CreateTopicsRequest>(request.payload);
  raft::controller::CreateTopicsResponse r;
  r.error = request_error;
  r.controller_hint = hint;
  if (request_error == ApiError::NONE) {
    r.topics.push_back({req.topics.at(0).name, topic_error, topic_id});
  }
  return reply(request, r);
}

raft::Message not_controller(const raft::Message& request, std::optional<NodeId> hint) {
  return create_reply(request, ApiError::NOT_CONTROLLER, ApiError::NONE, hint);
}

std::uint64_t submit_t1(AdminClient& c, Instant now) {
  return c.submit_create_topic("t1", 3, 2, {}, now);
}

}  // namespace

TEST_CASE("admin client: create topic request goes to the first controller and is acknowledged") {
  CapturingChannel ch;
  AdminClient c(kClient, controllers(), AdminClientConfig{}, ch, ms(0));
  CHECK(c.next_deadline() == Instant::never());

  const std::uint64_t id = c.submit_create_topic(
      "orders", 6, 3, {{"unclean.leader.election.enable", "true"}, {"cleanup.policy", "compact"}},
      ms(7));
  CHECK(id == 1);
  REQUIRE(ch.sent.size() == 1);
  const raft::Message& m = ch.sent[0];
  CHECK(m.source == kClient);
  CHECK(m.destination == NodeId(1));
  const auto& req = std::get<raft::controller::CreateTopicsRequest>(m.payload);
  REQUIRE(req.topics.size() == 1);
  CHECK(req.topics[0].name == "orders");
  CHECK(req.topics[0].num_partitions == 6);
  CHECK(req.topics[0].replication_factor == 3);
  REQUIRE(req.topics[0].configs.size() == 2);  // sorted by name
  CHECK(req.topics[0].configs[0].name == "cleanup.policy");
  CHECK(req.topics[0].configs[0].value == "compact");
  CHECK(req.topics[0].configs[1].name == "unclean.leader.election.enable");
  CHECK(req.topics[0].configs[1].value == "true");

  const AdminOutcome& pending = c.outcome(id);
  CHECK(pending.result == Result::PENDING);
  CHECK(pending.kind == AdminOpKind::create_topic);
  CHECK(pending.target == "orders");
  CHECK(pending.submitted == ms(7));
  CHECK(pending.completed == Instant::never());
  CHECK(pending.attempts == 1);
  CHECK(c.in_flight() == 1);
  CHECK(c.next_deadline() == ms(7) + Duration::seconds(30));

  const raft::metadata::Uuid topic_id{0x1234, 0x5678};
  CHECK(c.handle(create_reply(m, ApiError::NONE, ApiError::NONE, std::nullopt, topic_id), ms(12)));
  const AdminOutcome& done = c.outcome(id);
  CHECK(done.result == Result::ACKNOWLEDGED);
  CHECK(done.error == ApiError::NONE);
  CHECK(done.completed == ms(12));
  REQUIRE(done.topic_id.has_value());
  CHECK(*done.topic_id == topic_id);
  CHECK(c.in_flight() == 0);
  CHECK(c.count(Result::ACKNOWLEDGED) == 1);
  CHECK(c.count(Result::PENDING) == 0);
  CHECK(c.next_deadline() == Instant::never());
  c.poll(ms(100'000));
  CHECK(ch.sent.size() == 1);  // nothing more to do

  // A duplicate of the response (the network may duplicate) is ignored.
  CHECK_FALSE(c.handle(create_reply(m, ApiError::NONE, ApiError::NONE), ms(13)));
  CHECK(c.outcome(id).completed == ms(12));
}

TEST_CASE("admin client: NOT_CONTROLLER with a hint retries at the hint after growing backoff") {
  CapturingChannel ch;
  AdminClient c(kClient, controllers(), AdminClientConfig{}, ch, ms(0));
  const std::uint64_t id = submit_t1(c, ms(0));

  // Controller 1 answers at 5 ms: not the controller, 3 is.
  CHECK(c.handle(not_controller(ch.sent.back(), NodeId(3)), ms(5)));
  CHECK(ch.sent.size() == 1);
  CHECK(c.believed_controller() == NodeId(3));
  CHECK(c.outcome(id).error == ApiError::NOT_CONTROLLER);
  CHECK(c.outcome(id).result == Result::PENDING);
  CHECK(c.next_deadline() == ms(105));  // first backoff: 100 ms
  c.poll(ms(104));
  CHECK(ch.sent.size() == 1);
  c.poll(ms(105));
  REQUIRE(ch.sent.size() == 2);
  CHECK(ch.sent[1].destination == NodeId(3));
  CHECK(ch.sent[1].correlation_id != ch.sent[0].correlation_id);
  CHECK(c.outcome(id).attempts == 2);
  CHECK(c.next_deadline() == ms(105) + Duration::seconds(30));

  // 3 answers at 110 ms pointing to 2: second backoff is 200 ms.
  CHECK(c.handle(not_controller(ch.sent.back(), NodeId(2)), ms(110)));
  CHECK(c.next_deadline() == ms(310));
  c.poll(ms(309));
  CHECK(ch.sent.size() == 2);
  c.poll(ms(310));
  REQUIRE(ch.sent.size() == 3);
  CHECK(ch.sent[2].destination == NodeId(2));

  // Keep failing without a hint: round robin from the responder, backoffs 400, 800, 1000, 1000.
  const std::vector<std::int64_t> backoffs{400, 800, 1000, 1000};
  const std::vector<int> next_dest{3, 1, 2, 3};
  std::int64_t t = 310;
  for (std::size_t i = 0; i < backoffs.size(); ++i) {
    t += 1;
    CHECK(c.handle(not_controller(ch.sent.back(), std::nullopt), ms(t)));
    CHECK(c.next_deadline() == ms(t + backoffs[i]));
    c.poll(ms(t + backoffs[i] - 1));
    CHECK(ch.sent.size() == 3 + i);
    t += backoffs[i];
    c.poll(ms(t));
    REQUIRE(ch.sent.size() == 4 + i);
    CHECK(ch.sent.back().destination == NodeId(next_dest[i]));
  }
  CHECK(c.outcome(id).attempts == 7);

  // Finally acknowledged by 3.
  CHECK(c.handle(create_reply(ch.sent.back(), ApiError::NONE, ApiError::NONE, std::nullopt,
                              {0, 9}),
                 ms(t + 2)));
  CHECK(c.outcome(id).result == Result::ACKNOWLEDGED);
  CHECK(c.outcome(id).error == ApiError::NONE);
  CHECK(c.outcome(id).attempts == 7);
}

TEST_CASE("admin client: NOT_CONTROLLER without a usable hint goes round robin") {
  CapturingChannel ch;
  AdminClient c(kClient, controllers(), AdminClientConfig{}, ch, ms(0));
  submit_t1(c, ms(0));
  std::vector<int> destinations{ch.sent.back().destination.value()};
  Instant now = ms(0);
  for (int i = 0; i < 4; ++i) {
    // The second answer names the responder itself as hint: treated as no hint.
    const std::optional<NodeId> hint =
        i == 1 ? std::optional<NodeId>(ch.sent.back().destination) : std::nullopt;
    CHECK(c.handle(not_controller(ch.sent.back(), hint), now));
    now = c.next_deadline();
    c.poll(now);
    destinations.push_back(ch.sent.back().destination.value());
  }
  CHECK(destinations == std::vector<int>{1, 2, 3, 1, 2});
}

TEST_CASE("admin client: per-topic NOT_CONTROLLER and REQUEST_TIMED_OUT are retried") {
  CapturingChannel ch;
  AdminClient c(kClient, controllers(), AdminClientConfig{}, ch, ms(0));
  const std::uint64_t id = submit_t1(c, ms(0));

  // Topic-level NOT_CONTROLLER with the request-level hint: next attempt to 2.
  CHECK(c.handle(create_reply(ch.sent.back(), ApiError::NONE, ApiError::NOT_CONTROLLER, NodeId(2)),
                 ms(1)));
  c.poll(ms(101));
  REQUIRE(ch.sent.size() == 2);
  CHECK(ch.sent[1].destination == NodeId(2));

  // Topic-level REQUEST_TIMED_OUT: retry the same controller after 200 ms.
  CHECK(c.handle(create_reply(ch.sent.back(), ApiError::NONE, ApiError::REQUEST_TIMED_OUT),
                 ms(150)));
  CHECK(c.outcome(id).error == ApiError::REQUEST_TIMED_OUT);
  CHECK(c.next_deadline() == ms(350));
  c.poll(ms(350));
  REQUIRE(ch.sent.size() == 3);
  CHECK(ch.sent[2].destination == NodeId(2));
  CHECK(c.outcome(id).result == Result::PENDING);
}

TEST_CASE("admin client: an attempt without response times out and moves to the next controller") {
  CapturingChannel ch;
  AdminClient c(kClient, controllers(), AdminClientConfig{}, ch, ms(0));
  const std::uint64_t id = submit_t1(c, ms(0));
  const raft::Message first = ch.sent.back();

  CHECK(c.next_deadline() == ms(30'000));
  c.poll(ms(29'999));
  CHECK(ch.sent.size() == 1);
  c.poll(ms(30'000));
  CHECK(ch.sent.size() == 1);  // backoff first
  CHECK(c.outcome(id).error == ApiError::REQUEST_TIMED_OUT);
  CHECK(c.believed_controller() == NodeId(2));
  CHECK(c.next_deadline() == ms(30'100));
  c.poll(ms(30'100));
  REQUIRE(ch.sent.size() == 2);
  CHECK(ch.sent[1].destination == NodeId(2));
  CHECK(c.outcome(id).attempts == 2);

  // The late answer to the timed-out attempt is stale and ignored.
  CHECK_FALSE(c.handle(create_reply(first, ApiError::NONE, ApiError::NONE), ms(30'200)));
  CHECK(c.outcome(id).result == Result::PENDING);

  // The current attempt's answer counts.
  CHECK(c.handle(create_reply(ch.sent[1], ApiError::NONE, ApiError::NONE, std::nullopt, {1, 1}),
                 ms(30'300)));
  CHECK(c.outcome(id).result == Result::ACKNOWLEDGED);
  CHECK(c.outcome(id).completed == ms(30'300));
}

TEST_CASE("admin client: the API timeout ends the operation UNKNOWN") {
  CapturingChannel ch;
  AdminClient c(kClient, controllers(), AdminClientConfig{}, ch, ms(0));

  SUBCASE("after attempt timeouts: last error REQUEST_TIMED_OUT") {
    const std::uint64_t id = submit_t1(c, ms(1'000));
    c.poll(ms(31'000));  // attempt 1 times out
    c.poll(ms(31'100));  // attempt 2 to controller 2, would time out at 61.1 s
    REQUIRE(ch.sent.size() == 2);
    CHECK(c.next_deadline() == ms(61'000));  // the API deadline comes first
    c.poll(ms(60'999));
    CHECK(c.outcome(id).result == Result::PENDING);
    c.poll(ms(61'000));
    const AdminOutcome& o = c.outcome(id);
    CHECK(o.result == Result::UNKNOWN);
    CHECK(o.error == ApiError::REQUEST_TIMED_OUT);
    CHECK(o.completed == ms(61'000));
    CHECK(o.attempts == 2);
    CHECK(c.in_flight() == 0);
    CHECK(c.count(Result::UNKNOWN) == 1);
    CHECK(c.next_deadline() == Instant::never());
    // The answer to attempt 2 arrives too late.
    CHECK_FALSE(c.handle(create_reply(ch.sent[1], ApiError::NONE, ApiError::NONE), ms(61'050)));
    CHECK(c.outcome(id).result == Result::UNKNOWN);
  }

  SUBCASE("a response exactly at the API deadline is too late") {
    const std::uint64_t id = submit_t1(c, ms(0));
    c.poll(ms(30'000));
    c.poll(ms(30'100));
    CHECK_FALSE(
        c.handle(create_reply(ch.sent.back(), ApiError::NONE, ApiError::NONE), ms(60'000)));
    CHECK(c.outcome(id).result == Result::UNKNOWN);
    CHECK(c.outcome(id).completed == ms(60'000));
  }

  SUBCASE("while backing off: last error NOT_CONTROLLER") {
    AdminClientConfig config;
    config.api_timeout = Duration::millis(250);
    CapturingChannel ch2;
    AdminClient c2(kClient, controllers(), config, ch2, ms(0));
    const std::uint64_t id = submit_t1(c2, ms(0));
    CHECK(c2.handle(not_controller(ch2.sent.back(), std::nullopt), ms(10)));
    c2.poll(c2.next_deadline());  // 110 ms: attempt 2
    CHECK(c2.handle(not_controller(ch2.sent.back(), std::nullopt), ms(120)));
    CHECK(c2.next_deadline() == ms(250));  // API deadline before the 320 ms backoff end
    c2.poll(ms(250));
    CHECK(c2.outcome(id).result == Result::UNKNOWN);
    CHECK(c2.outcome(id).error == ApiError::NOT_CONTROLLER);
    CHECK(ch2.sent.size() == 2);
  }
}

TEST_CASE("admin client: non-retriable errors end the operation FAILED") {
  CapturingChannel ch;
  AdminClient c(kClient, controllers(), AdminClientConfig{}, ch, ms(0));

  SUBCASE("TOPIC_ALREADY_EXISTS") {
    const std::uint64_t id = submit_t1(c, ms(0));
    CHECK(c.handle(create_reply(ch.sent.back(), ApiError::NONE, ApiError::TOPIC_ALREADY_EXISTS),
                   ms(3)));
    const AdminOutcome& o = c.outcome(id);
    CHECK(o.result == Result::FAILED);
    CHECK(o.error == ApiError::TOPIC_ALREADY_EXISTS);
    CHECK(o.completed == ms(3));
    CHECK_FALSE(o.topic_id.has_value());
    CHECK(c.count(Result::FAILED) == 1);
    CHECK(c.next_deadline() == Instant::never());
    c.poll(ms(100'000));
    CHECK(ch.sent.size() == 1);
  }

  SUBCASE("a response without a result for the topic") {
    const std::uint64_t id = submit_t1(c, ms(0));
    raft::controller::CreateTopicsResponse r;
    r.topics.push_back({"other", ApiError::NONE, {1, 2}});
    CHECK(c.handle(reply(ch.sent.back(), r), ms(3)));
    CHECK(c.outcome(id).result == Result::FAILED);
    CHECK(c.outcome(id).error == ApiError::INVALID_REQUEST);
  }
}

TEST_CASE("admin client: stale and foreign messages are ignored") {
  CapturingChannel ch;
  AdminClient c(kClient, controllers(), AdminClientConfig{}, ch, ms(0));
  const std::uint64_t id = submit_t1(c, ms(0));
  const raft::Message req = ch.sent.back();

  raft::Message wrong_correlation = create_reply(req, ApiError::NONE, ApiError::NONE);
  wrong_correlation.correlation_id = CorrelationId(req.correlation_id.value() + 100);
  CHECK_FALSE(c.handle(wrong_correlation, ms(1)));

  raft::Message wrong_source = create_reply(req, ApiError::NONE, ApiError::NONE);
  wrong_source.source = NodeId(2);
  CHECK_FALSE(c.handle(wrong_source, ms(1)));

  raft::Message wrong_destination = create_reply(req, ApiError::NONE, ApiError::NONE);
  wrong_destination.destination = NodeId(1001);
  CHECK_FALSE(c.handle(wrong_destination, ms(1)));

  raft::controller::DeleteTopicsResponse wrong_type;
  wrong_type.topics.push_back({"t1", ApiError::NONE});
  CHECK_FALSE(c.handle(reply(req, wrong_type), ms(1)));

  CHECK(c.outcome(id).result == Result::PENDING);
  CHECK(c.outcome(id).error == ApiError::NONE);
  CHECK(ch.sent.size() == 1);

  // After a retry, the first attempt's correlation id is stale.
  CHECK(c.handle(not_controller(req, NodeId(2)), ms(2)));
  c.poll(ms(102));
  REQUIRE(ch.sent.size() == 2);
  CHECK_FALSE(c.handle(create_reply(req, ApiError::NONE, ApiError::NONE), ms(103)));
  CHECK(c.outcome(id).result == Result::PENDING);
}

TEST_CASE("admin client: delete topic request and results") {
  CapturingChannel ch;
  AdminClient c(kClient, controllers(), AdminClientConfig{}, ch, ms(0));
  const std::uint64_t a = c.submit_delete_topic("gone", ms(4));
  const std::uint64_t b = c.submit_delete_topic("missing", ms(4));
  CHECK(b == a + 1);
  REQUIRE(ch.sent.size() == 2);
  const auto& req = std::get<raft::controller::DeleteTopicsRequest>(ch.sent[0].payload);
  CHECK(req.names == std::vector<std::string>{"gone"});
  CHECK(ch.sent[0].destination == NodeId(1));
  CHECK(ch.sent[0].correlation_id != ch.sent[1].correlation_id);
  CHECK(c.in_flight() == 2);

  raft::controller::DeleteTopicsResponse ok;
  ok.topics.push_back({"gone", ApiError::NONE});
  CHECK(c.handle(reply(ch.sent[0], ok), ms(5)));
  raft::controller::DeleteTopicsResponse unknown;
  unknown.topics.push_back({"missing", ApiError::UNKNOWN_TOPIC_OR_PARTITION});
  CHECK(c.handle(reply(ch.sent[1], unknown), ms(6)));

  CHECK(c.outcome(a).kind == AdminOpKind::delete_topic);
  CHECK(c.outcome(a).result == Result::ACKNOWLEDGED);
  CHECK_FALSE(c.outcome(a).topic_id.has_value());
  CHECK(c.outcome(b).result == Result::FAILED);
  CHECK(c.outcome(b).error == ApiError::UNKNOWN_TOPIC_OR_PARTITION);
  REQUIRE(c.outcomes().size() == 2);
  CHECK(c.outcomes()[0].target == "gone");
  CHECK(c.outcomes()[1].target == "missing");
}

TEST_CASE("admin client: alter config request contents (SET and DELETE) and results") {
  CapturingChannel ch;
  AdminClient c(kClient, controllers(), AdminClientConfig{}, ch, ms(0));
  const std::uint64_t set = c.submit_alter_config(raft::controller::kResourceTopic, "t1",
                                                  "min.insync.replicas", "2", ms(0));
  const std::uint64_t del = c.submit_alter_config(raft::controller::kResourceBroker, "",
                                                  "log.retention.ms", std::nullopt, ms(0));
  REQUIRE(ch.sent.size() == 2);

  const auto& r1 = std::get<raft::controller::IncrementalAlterConfigsRequest>(ch.sent[0].payload);
  REQUIRE(r1.resources.size() == 1);
  CHECK(r1.resources[0].resource_type == raft::controller::kResourceTopic);
  CHECK(r1.resources[0].resource_name == "t1");
  REQUIRE(r1.resources[0].configs.size() == 1);
  CHECK(r1.resources[0].configs[0].name == "min.insync.replicas");
  CHECK(r1.resources[0].configs[0].op == raft::controller::AlterConfigOp::SET);
  CHECK(r1.resources[0].configs[0].value == std::optional<std::string>("2"));

  const auto& r2 = std::get<raft::controller::IncrementalAlterConfigsRequest>(ch.sent[1].payload);
  REQUIRE(r2.resources.size() == 1);
  CHECK(r2.resources[0].resource_type == raft::controller::kResourceBroker);
  CHECK(r2.resources[0].resource_name.empty());
  REQUIRE(r2.resources[0].configs.size() == 1);
  CHECK(r2.resources[0].configs[0].name == "log.retention.ms");
  CHECK(r2.resources[0].configs[0].op == raft::controller::AlterConfigOp::DELETE);
  CHECK_FALSE(r2.resources[0].configs[0].value.has_value());

  raft::controller::IncrementalAlterConfigsResponse ok;
  ok.responses.push_back({raft::controller::kResourceTopic, "t1", ApiError::NONE});
  CHECK(c.handle(reply(ch.sent[0], ok), ms(2)));
  CHECK(c.outcome(set).result == Result::ACKNOWLEDGED);
  CHECK(c.outcome(set).kind == AdminOpKind::alter_config);
  CHECK(c.outcome(set).target == "t1");

  // Results are matched by resource type and name: the topic "" result is not this operation's.
  raft::controller::IncrementalAlterConfigsResponse bad;
  bad.responses.push_back({raft::controller::kResourceTopic, "", ApiError::NONE});
  bad.responses.push_back({raft::controller::kResourceBroker, "", ApiError::INVALID_CONFIG});
  CHECK(c.handle(reply(ch.sent[1], bad), ms(3)));
  CHECK(c.outcome(del).result == Result::FAILED);
  CHECK(c.outcome(del).error == ApiError::INVALID_CONFIG);
}

TEST_CASE("admin client: concurrent operations share the controller belief") {
  CapturingChannel ch;
  AdminClient c(kClient, controllers(), AdminClientConfig{}, ch, ms(0));
  const std::uint64_t a = c.submit_create_topic("a", 1, 1, {}, ms(0));
  const std::uint64_t b = c.submit_create_topic("b", 1, 1, {}, ms(1));
  REQUIRE(ch.sent.size() == 2);
  CHECK(c.in_flight() == 2);
  CHECK(c.next_deadline() == ms(30'000));

  // a learns that 3 is active; b's answer from 1 has no hint, but the belief already moved away
  // from 1, so it stays at 3 instead of advancing to 2.
  CHECK(c.handle(not_controller(ch.sent[0], NodeId(3)), ms(10)));
  CHECK(c.handle(not_controller(ch.sent[1], std::nullopt), ms(20)));
  CHECK(c.believed_controller() == NodeId(3));
  CHECK(c.next_deadline() == ms(110));
  c.poll(ms(110));
  REQUIRE(ch.sent.size() == 3);
  CHECK(ch.sent[2].destination == NodeId(3));
  CHECK(c.next_deadline() == ms(120));
  c.poll(ms(120));
  REQUIRE(ch.sent.size() == 4);
  CHECK(ch.sent[3].destination == NodeId(3));

  // Answers in the opposite order are matched by correlation id.
  CHECK(c.handle(create_reply(ch.sent[3], ApiError::NONE, ApiError::NONE, std::nullopt, {0, 2}),
                 ms(130)));
  CHECK(c.outcome(b).result == Result::ACKNOWLEDGED);
  CHECK(c.outcome(b).topic_id == std::optional<raft::metadata::Uuid>({0, 2}));
  CHECK(c.outcome(a).result == Result::PENDING);
  CHECK(c.in_flight() == 1);
  CHECK(c.handle(create_reply(ch.sent[2], ApiError::NONE, ApiError::NONE, std::nullopt, {0, 1}),
                 ms(140)));
  CHECK(c.outcome(a).topic_id == std::optional<raft::metadata::Uuid>({0, 1}));
  CHECK(c.count(Result::ACKNOWLEDGED) == 2);
}

TEST_CASE("admin client: zero backoff retries immediately, configuration is validated") {
  AdminClientConfig config;
  config.retry_backoff = Duration::zero();
  config.retry_backoff_max = Duration::zero();
  CapturingChannel ch;
  AdminClient c(kClient, controllers(), config, ch, ms(0));
  submit_t1(c, ms(0));
  CHECK(c.handle(not_controller(ch.sent.back(), std::nullopt), ms(5)));
  REQUIRE(ch.sent.size() == 2);
  CHECK(ch.sent[1].destination == NodeId(2));

  CapturingChannel ch2;
  CHECK_THROWS_AS(AdminClient(kClient, {}, AdminClientConfig{}, ch2, ms(0)),
                  raft::AssertionFailure);
  CHECK_THROWS_AS(AdminClient(kClient, {NodeId(1), NodeId(1)}, AdminClientConfig{}, ch2, ms(0)),
                  raft::AssertionFailure);
}

TEST_CASE("admin client: names of kinds and results") {
  CHECK(sim::to_string(AdminOpKind::create_topic) == "create_topic");
  CHECK(sim::to_string(AdminOpKind::delete_topic) == "delete_topic");
  CHECK(sim::to_string(AdminOpKind::alter_config) == "alter_config");
  CHECK(sim::to_string(Result::PENDING) == "PENDING");
  CHECK(sim::to_string(Result::ACKNOWLEDGED) == "ACKNOWLEDGED");
  CHECK(sim::to_string(Result::FAILED) == "FAILED");
  CHECK(sim::to_string(Result::UNKNOWN) == "UNKNOWN");
}
