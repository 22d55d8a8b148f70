// Unit tests of raft::RequestManager (Kafka's RequestManager): per-destination connection
// states, retry backoff, request timeout, and the "at most one in-flight fetch" rule of
// kraft-protocol.md 5.2.
#include <doctest/doctest.h>

#include <optional>
#include <vector>

#include "raft/request_manager.hh"
#include "raft/support/raft_test_context.hh"

namespace {

using raft::CorrelationId;
using raft::Duration;
using raft::Instant;
using raft::NodeId;
using raft::RequestManager;
using raft::test::ScriptedRandom;

const Instant kT0 = Instant::from_ms(1'000);
const Duration kRetry = Duration::millis(20);
const Duration kTimeout = Duration::millis(2000);

struct Fixture {
  ScriptedRandom random;
  RequestManager manager{{NodeId(3), NodeId(1), NodeId(2)}, kRetry, kTimeout, random};
};

}  // namespace

TEST_CASE("RequestManager: a destination never contacted is ready") {
  Fixture f;
  CHECK(f.manager.is_ready(NodeId(1), kT0));
  CHECK_FALSE(f.manager.is_backing_off(NodeId(1), kT0));
  CHECK_FALSE(f.manager.has_request_timed_out(NodeId(1), kT0));
  CHECK_FALSE(f.manager.has_any_inflight_request(kT0));
  CHECK(f.manager.next_ready_time(NodeId(1), kT0) == kT0);
}

TEST_CASE("RequestManager: a sent request makes the destination busy and its response expected") {
  Fixture f;
  f.manager.on_request_sent(NodeId(2), CorrelationId(7), kT0);
  CHECK_FALSE(f.manager.is_ready(NodeId(2), kT0 + Duration::millis(1999)));
  CHECK(f.manager.has_any_inflight_request(kT0));
  CHECK(f.manager.is_response_expected(NodeId(2), CorrelationId(7)));
  CHECK_FALSE(f.manager.is_response_expected(NodeId(2), CorrelationId(6)));
  CHECK_FALSE(f.manager.is_response_expected(NodeId(1), CorrelationId(7)));
  CHECK(f.manager.next_ready_time(NodeId(2), kT0) == kT0 + kTimeout);
}

TEST_CASE("RequestManager: a successful response makes the destination ready again") {
  Fixture f;
  f.manager.on_request_sent(NodeId(2), CorrelationId(7), kT0);
  f.manager.on_response_result(NodeId(2), CorrelationId(7), true, kT0 + Duration::millis(5));
  CHECK(f.manager.is_ready(NodeId(2), kT0 + Duration::millis(5)));
  CHECK_FALSE(f.manager.is_response_expected(NodeId(2), CorrelationId(7)));
  CHECK_FALSE(f.manager.has_any_inflight_request(kT0 + Duration::millis(5)));
}

TEST_CASE("RequestManager: a failed response backs the destination off for retry_backoff") {
  Fixture f;
  const Instant failed = kT0 + Duration::millis(5);
  f.manager.on_request_sent(NodeId(2), CorrelationId(7), kT0);
  f.manager.on_response_result(NodeId(2), CorrelationId(7), false, failed);
  CHECK(f.manager.is_backing_off(NodeId(2), failed + Duration::millis(19)));
  CHECK_FALSE(f.manager.is_ready(NodeId(2), failed + Duration::millis(19)));
  CHECK(f.manager.next_ready_time(NodeId(2), failed) == failed + kRetry);
  CHECK_FALSE(f.manager.has_any_inflight_request(failed));
  CHECK_FALSE(f.manager.is_backing_off(NodeId(2), failed + kRetry));
  CHECK(f.manager.is_ready(NodeId(2), failed + kRetry));
}

TEST_CASE("RequestManager: a request timeout makes the destination ready again and drops the response") {
  Fixture f;
  f.manager.on_request_sent(NodeId(2), CorrelationId(7), kT0);
  CHECK_FALSE(f.manager.has_request_timed_out(NodeId(2), kT0 + Duration::millis(1999)));
  CHECK(f.manager.has_request_timed_out(NodeId(2), kT0 + kTimeout));
  CHECK_FALSE(f.manager.has_any_inflight_request(kT0 + kTimeout));
  CHECK(f.manager.is_ready(NodeId(2), kT0 + kTimeout));
  // The late response is no longer expected and changes nothing.
  CHECK_FALSE(f.manager.is_response_expected(NodeId(2), CorrelationId(7)));
  f.manager.on_response_result(NodeId(2), CorrelationId(7), false, kT0 + kTimeout);
  CHECK_FALSE(f.manager.is_backing_off(NodeId(2), kT0 + kTimeout));
}

TEST_CASE("RequestManager: a response with an unexpected correlation id is ignored") {
  Fixture f;
  f.manager.on_request_sent(NodeId(2), CorrelationId(7), kT0);
  f.manager.on_response_result(NodeId(2), CorrelationId(8), false, kT0);
  CHECK(f.manager.is_response_expected(NodeId(2), CorrelationId(7)));
  CHECK_FALSE(f.manager.is_backing_off(NodeId(2), kT0));
}

TEST_CASE("RequestManager: reset forgets in-flight requests") {
  Fixture f;
  f.manager.on_request_sent(NodeId(1), CorrelationId(1), kT0);
  f.manager.on_request_sent(NodeId(2), CorrelationId(2), kT0);
  f.manager.reset(NodeId(1));
  CHECK_FALSE(f.manager.is_response_expected(NodeId(1), CorrelationId(1)));
  CHECK(f.manager.is_response_expected(NodeId(2), CorrelationId(2)));
  f.manager.reset_all();
  CHECK_FALSE(f.manager.is_response_expected(NodeId(2), CorrelationId(2)));
  CHECK_FALSE(f.manager.has_any_inflight_request(kT0));
}

TEST_CASE("RequestManager: a bootstrap server is chosen from a random start in id order") {
  Fixture f;
  // Bootstrap servers are sorted: [1, 2, 3]; the random start index picks the first candidate.
  f.random.queue(3, {1, 2, 0});
  CHECK(f.manager.find_ready_bootstrap_server(kT0) == NodeId(2));
  CHECK(f.manager.find_ready_bootstrap_server(kT0) == NodeId(3));
  CHECK(f.manager.find_ready_bootstrap_server(kT0) == NodeId(1));
  CHECK(f.random.bounds_requested() == std::vector<std::int64_t>{3, 3, 3});
}

TEST_CASE("RequestManager: a bootstrap server backing off is skipped") {
  Fixture f;
  f.manager.on_request_sent(NodeId(2), CorrelationId(1), kT0);
  f.manager.on_response_result(NodeId(2), CorrelationId(1), false, kT0);
  f.random.queue(3, {1});
  CHECK(f.manager.find_ready_bootstrap_server(kT0) == NodeId(3));
}

TEST_CASE("RequestManager: no bootstrap server while any request is in flight (one fetch at a time)") {
  Fixture f;
  f.manager.on_request_sent(NodeId(3), CorrelationId(1), kT0);
  CHECK_FALSE(f.manager.find_ready_bootstrap_server(kT0 + Duration::millis(10)).has_value());
  // The in-flight request bounds when a bootstrap server can be used.
  CHECK(f.manager.backoff_before_available_bootstrap_server(kT0) == kT0 + kTimeout);
  // Once it has timed out, a server is available again.
  CHECK(f.manager.find_ready_bootstrap_server(kT0 + kTimeout).has_value());
}

TEST_CASE("RequestManager: with every bootstrap server backing off, the earliest end of backoff is reported") {
  Fixture f;
  for (std::int32_t n = 1; n <= 3; ++n) {
    f.manager.on_request_sent(NodeId(n), CorrelationId(n), kT0);
    // Failures at +10, +12 and +14 ms: backoffs end at +30, +32 and +34 ms.
    f.manager.on_response_result(NodeId(n), CorrelationId(n), false,
                                 kT0 + Duration::millis(8 + 2 * n));
  }
  const Instant at = kT0 + Duration::millis(15);
  CHECK_FALSE(f.manager.find_ready_bootstrap_server(at).has_value());
  CHECK(f.manager.backoff_before_available_bootstrap_server(at) == kT0 + Duration::millis(30));
  CHECK(f.manager.find_ready_bootstrap_server(kT0 + Duration::millis(30)) == NodeId(1));
}
