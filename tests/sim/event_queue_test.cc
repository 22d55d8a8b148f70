// Tests for sim/event_queue.hh: ordering by (time, push order), never by payload.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "raft/common/assert.hh"
#include "sim/event_queue.hh"
#include "sim/prng.hh"

using sim::EventQueue;
using sim::Instant;

TEST_CASE("event_queue: empty queue") {
  EventQueue<int> q;
  CHECK(q.empty());
  CHECK(q.size() == 0);
  CHECK_THROWS_AS((void)q.next_time(), raft::AssertionFailure);
  CHECK_THROWS_AS(q.pop(), raft::AssertionFailure);
}

TEST_CASE("event_queue: pops in time order and returns sequence numbers") {
  EventQueue<std::string> q;
  CHECK(q.push(Instant::from_ms(30), "c") == 0);
  CHECK(q.push(Instant::from_ms(10), "a") == 1);
  CHECK(q.push(Instant::from_ms(20), "b") == 2);
  CHECK(q.size() == 3);
  CHECK(q.next_time() == Instant::from_ms(10));

  auto e = q.pop();
  CHECK(e.at == Instant::from_ms(10));
  CHECK(e.seq == 1);
  CHECK(e.payload == "a");
  e = q.pop();
  CHECK(e.payload == "b");
  CHECK(e.seq == 2);
  CHECK(q.next_time() == Instant::from_ms(30));
  e = q.pop();
  CHECK(e.payload == "c");
  CHECK(e.seq == 0);
  CHECK(q.empty());
}

TEST_CASE("event_queue: FIFO among equal times, whatever the payload") {
  EventQueue<int> q;
  // Payloads in descending order: ordering by payload would pop them reversed.
  for (int i = 0; i < 10; ++i) q.push(Instant::from_ms(5), 100 - i);
  for (int i = 0; i < 10; ++i) {
    auto e = q.pop();
    CHECK(e.seq == static_cast<std::uint64_t>(i));
    CHECK(e.payload == 100 - i);
  }
}

TEST_CASE("event_queue: interleaved push and pop") {
  EventQueue<int> q;
  q.push(Instant::from_ms(10), 1);
  q.push(Instant::from_ms(5), 2);
  CHECK(q.pop().payload == 2);
  q.push(Instant::from_ms(7), 3);
  q.push(Instant::from_ms(10), 4);  // same time as payload 1, pushed later
  CHECK(q.pop().payload == 3);
  q.push(Instant::from_ms(8), 5);
  CHECK(q.pop().payload == 5);
  CHECK(q.pop().payload == 1);
  auto last = q.pop();
  CHECK(last.payload == 4);
  CHECK(last.seq == 3);  // sequence numbers keep counting across pops
  CHECK(q.push(Instant::from_ms(1), 6) == 5);
}

TEST_CASE("event_queue: move-only payloads") {
  EventQueue<std::unique_ptr<int>> q;
  q.push(Instant::from_us(2), std::make_unique<int>(2));
  q.push(Instant::from_us(1), std::make_unique<int>(1));
  CHECK(*q.pop().payload == 1);
  CHECK(*q.pop().payload == 2);
}

TEST_CASE("event_queue: 100k random pushes pop sorted by (time, seq)") {
  EventQueue<std::uint64_t> q;
  sim::Prng rng(31);
  std::vector<std::pair<std::int64_t, std::uint64_t>> expected;
  for (int i = 0; i < 100'000; ++i) {
    // A small time range forces many ties.
    const std::int64_t at = rng.uniform(0, 5'000);
    const std::uint64_t seq = q.push(Instant::from_us(at), static_cast<std::uint64_t>(i));
    CHECK(seq == static_cast<std::uint64_t>(i));
    expected.emplace_back(at, seq);
  }
  std::sort(expected.begin(), expected.end());
  REQUIRE(q.size() == 100'000);
  bool in_order = true;
  for (const auto& [at, seq] : expected) {
    auto e = q.pop();
    in_order = in_order && e.at.us() == at && e.seq == seq && e.payload == seq;
  }
  CHECK(in_order);
  CHECK(q.empty());
}
