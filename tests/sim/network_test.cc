// Tests for sim/network.hh: link faults, loss, duplication, latency distributions, determinism
// and counters.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "raft/common/assert.hh"
#include "raft/messages.hh"
#include "sim/network.hh"

using raft::NodeId;
using sim::Duration;
using sim::Instant;
using sim::LatencySpec;
using sim::LinkSpec;
using sim::Network;
using sim::NetworkSpec;
using sim::Ppm;
using sim::Prng;

namespace {

NodeId n(std::int32_t id) { return NodeId(id); }

raft::Message msg(std::int32_t from, std::int32_t to, std::int64_t correlation = 1) {
  return raft::Message{n(from), n(to), raft::CorrelationId(correlation), raft::VoteRequest{}};
}

LatencySpec constant(Duration d) {
  LatencySpec l;
  l.distribution = LatencySpec::Distribution::Constant;
  l.min = d;
  l.max = d;
  return l;
}

NetworkSpec spec_with(LinkSpec link) {
  NetworkSpec s;
  s.default_link = link;
  return s;
}

LinkSpec constant_link(Duration d) {
  LinkSpec l;
  l.latency = constant(d);
  return l;
}

}  // namespace

TEST_CASE("network: no faults, everything is up") {
  Network net(NetworkSpec{}, Prng(1));
  for (int a = 0; a < 4; ++a) {
    for (int b = 0; b < 4; ++b) {
      if (a != b) CHECK(net.link_up(n(a), n(b)));
    }
  }
  CHECK(net.describe_faults() == "none");
}

TEST_CASE("network: partitions are symmetric, ungrouped nodes reach everyone") {
  Network net(NetworkSpec{}, Prng(1));
  net.partition({{n(0), n(1)}, {n(2), n(3), n(4)}});
  CHECK(net.link_up(n(0), n(1)));
  CHECK(net.link_up(n(1), n(0)));
  CHECK(net.link_up(n(3), n(4)));
  CHECK_FALSE(net.link_up(n(0), n(2)));
  CHECK_FALSE(net.link_up(n(2), n(0)));
  CHECK_FALSE(net.link_up(n(1), n(4)));
  CHECK_FALSE(net.link_up(n(4), n(1)));
  CHECK(net.link_up(n(5), n(0)));
  CHECK(net.link_up(n(2), n(5)));
  CHECK(net.describe_faults() == "partition {0,1}|{2,3,4}");
}

TEST_CASE("network: a new partition replaces the old one and keeps other faults") {
  Network net(NetworkSpec{}, Prng(1));
  net.isolate(n(5));
  net.drop(n(3), n(4));
  net.partition({{n(0)}, {n(1), n(2)}});
  CHECK_FALSE(net.link_up(n(0), n(1)));
  CHECK(net.link_up(n(1), n(2)));

  net.partition({{n(2)}, {n(1), n(0)}});
  CHECK(net.link_up(n(0), n(1)));
  CHECK_FALSE(net.link_up(n(1), n(2)));
  CHECK_FALSE(net.link_up(n(0), n(2)));
  CHECK_FALSE(net.link_up(n(5), n(0)));  // isolation kept
  CHECK_FALSE(net.link_up(n(3), n(4)));  // drop kept
  CHECK(net.describe_faults() == "isolated {5}; partition {2}|{0,1}; drop 3->4");

  net.partition({});
  CHECK(net.link_up(n(1), n(2)));
  CHECK(net.describe_faults() == "isolated {5}; drop 3->4");

  CHECK_THROWS_AS(net.partition({{n(0), n(1)}, {n(1), n(2)}}), raft::AssertionFailure);
}

TEST_CASE("network: one-way drop") {
  Network net(NetworkSpec{}, Prng(1));
  net.drop(n(0), n(1));
  CHECK_FALSE(net.link_up(n(0), n(1)));
  CHECK(net.link_up(n(1), n(0)));
  CHECK(net.link_up(n(0), n(2)));
  net.drop(n(2), n(3));
  CHECK(net.describe_faults() == "drop 0->1, 2->3");
  CHECK_THROWS_AS(net.drop(n(1), n(1)), raft::AssertionFailure);
}

TEST_CASE("network: isolate cuts both directions of every link of the node") {
  Network net(NetworkSpec{}, Prng(1));
  net.isolate(n(2));
  net.isolate(n(2));
  for (int other : {0, 1, 3}) {
    CHECK_FALSE(net.link_up(n(2), n(other)));
    CHECK_FALSE(net.link_up(n(other), n(2)));
  }
  CHECK(net.link_up(n(0), n(1)));
  net.isolate(n(0));
  CHECK(net.describe_faults() == "isolated {0,2}");
}

TEST_CASE("network: heal clears isolation, partition and drops") {
  Network net(NetworkSpec{}, Prng(1));
  net.isolate(n(0));
  net.partition({{n(0), n(1)}, {n(2), n(3), n(4)}});
  net.drop(n(0), n(1));
  CHECK(net.describe_faults() == "isolated {0}; partition {0,1}|{2,3,4}; drop 0->1");
  net.heal();
  CHECK(net.describe_faults() == "none");
  CHECK(net.link_up(n(0), n(1)));
  CHECK(net.link_up(n(1), n(3)));
  CHECK(net.link_up(n(4), n(0)));
}

TEST_CASE("network: messages to self are rejected") {
  Network net(NetworkSpec{}, Prng(1));
  CHECK_THROWS_AS(net.route(msg(1, 1), Instant::zero()), raft::AssertionFailure);
  CHECK_THROWS_AS((void)net.link_up(n(1), n(1)), raft::AssertionFailure);
}

TEST_CASE("network: cut messages are counted and draw no randomness") {
  Network a(spec_with(LinkSpec{}), Prng(8));
  Network b(spec_with(LinkSpec{}), Prng(8));
  a.isolate(n(2));
  CHECK(a.route(msg(0, 2), Instant::zero()).empty());
  CHECK(a.route(msg(2, 0), Instant::zero()).empty());
  CHECK(a.stats().cut == 2);
  CHECK(a.stats().sent == 2);
  CHECK(a.stats().delivered == 0);
  // Both networks now route the same message identically: the cuts consumed nothing.
  const auto da = a.route(msg(0, 1), Instant::zero());
  const auto db = b.route(msg(0, 1), Instant::zero());
  REQUIRE(da.size() == 1);
  REQUIRE(db.size() == 1);
  CHECK(da[0].at == db[0].at);
}

TEST_CASE("network: loss 0% delivers, loss 100% loses") {
  LinkSpec link = constant_link(Duration::millis(2));
  SUBCASE("0%") {
    link.loss = Ppm{0};
    Network net(spec_with(link), Prng(3));
    for (int i = 0; i < 100; ++i) {
      const auto d = net.route(msg(0, 1, i), Instant::from_ms(10));
      REQUIRE(d.size() == 1);
      CHECK(d[0].at == Instant::from_ms(12));
      CHECK(d[0].message.correlation_id == raft::CorrelationId(i));
      CHECK(d[0].message.destination == n(1));
    }
    CHECK(net.stats() == sim::NetworkStats{100, 100, 0, 0, 0});
  }
  SUBCASE("100%") {
    link.loss = Ppm{Ppm::kOne};
    Network net(spec_with(link), Prng(3));
    for (int i = 0; i < 100; ++i) CHECK(net.route(msg(0, 1, i), Instant::zero()).empty());
    CHECK(net.stats() == sim::NetworkStats{100, 0, 100, 0, 0});
  }
}

TEST_CASE("network: duplicate 100% gives two deliveries with independent latencies") {
  LinkSpec link;
  link.latency.distribution = LatencySpec::Distribution::Uniform;
  link.latency.min = Duration::millis(1);
  link.latency.max = Duration::millis(50);
  link.duplicate = Ppm{Ppm::kOne};
  Network net(spec_with(link), Prng(4));
  int copy_first = 0;
  for (int i = 0; i < 100; ++i) {
    const auto d = net.route(msg(0, 1, i), Instant::zero());
    REQUIRE(d.size() == 2);
    CHECK(d[0].message.correlation_id == raft::CorrelationId(i));
    CHECK(d[1].message.correlation_id == raft::CorrelationId(i));
    if (d[1].at < d[0].at) ++copy_first;
  }
  CHECK(copy_first > 0);   // the copy sometimes overtakes the original
  CHECK(copy_first < 100);
  CHECK(net.stats() == sim::NetworkStats{100, 200, 0, 0, 100});
}

TEST_CASE("network: latency follows each distribution within its bounds") {
  const Instant now = Instant::from_ms(1'000);
  SUBCASE("constant") {
    Network net(spec_with(constant_link(Duration::millis(3))), Prng(5));
    for (int i = 0; i < 100; ++i) {
      const auto d = net.route(msg(0, 1), now);
      REQUIRE(d.size() == 1);
      CHECK(d[0].at == now + Duration::millis(3));
    }
  }
  SUBCASE("uniform") {
    LinkSpec link;
    link.latency.distribution = LatencySpec::Distribution::Uniform;
    link.latency.min = Duration::millis(1);
    link.latency.max = Duration::millis(5);
    Network net(spec_with(link), Prng(5));
    Duration lowest = Duration::max();
    Duration highest = Duration::zero();
    for (int i = 0; i < 5'000; ++i) {
      const auto d = net.route(msg(0, 1), now);
      REQUIRE(d.size() == 1);
      const Duration latency = d[0].at - now;
      REQUIRE(latency >= Duration::millis(1));
      REQUIRE(latency <= Duration::millis(5));
      lowest = std::min(lowest, latency);
      highest = std::max(highest, latency);
    }
    CHECK(lowest < Duration::micros(1'050));
    CHECK(highest > Duration::micros(4'950));
  }
  SUBCASE("exponential: min plus exponential, capped at max") {
    LinkSpec link;
    link.latency.distribution = LatencySpec::Distribution::Exponential;
    link.latency.min = Duration::millis(1);
    link.latency.mean = Duration::millis(2);
    link.latency.max = Duration::millis(10);
    Network net(spec_with(link), Prng(5));
    std::int64_t sum_us = 0;
    int capped = 0;
    for (int i = 0; i < 10'000; ++i) {
      const auto d = net.route(msg(0, 1), now);
      REQUIRE(d.size() == 1);
      const Duration latency = d[0].at - now;
      REQUIRE(latency >= Duration::millis(1));
      REQUIRE(latency <= Duration::millis(10));
      if (latency == Duration::millis(10)) ++capped;
      sum_us += latency.us();
    }
    // P(extra >= 9 ms) = exp(-4.5), about 1.1%; mean = 1 + 2 * (1 - exp(-4.5)) ms, about 2.98 ms.
    CHECK(capped > 50);
    CHECK(capped < 180);
    CHECK(sum_us / 10'000 > 2'850);
    CHECK(sum_us / 10'000 < 3'100);
  }
}

TEST_CASE("network: per-link overrides, later entries win") {
  NetworkSpec spec = spec_with(constant_link(Duration::millis(1)));
  spec.links.push_back(sim::LinkOverride{n(0), n(1), constant_link(Duration::millis(40))});
  spec.links.push_back(sim::LinkOverride{n(0), n(1), constant_link(Duration::millis(50))});
  Network net(spec, Prng(6));
  CHECK(net.link_spec(n(0), n(1)).latency.min == Duration::millis(50));
  CHECK(net.link_spec(n(1), n(0)).latency.min == Duration::millis(1));
  CHECK(net.route(msg(0, 1), Instant::zero())[0].at == Instant::from_ms(50));
  CHECK(net.route(msg(1, 0), Instant::zero())[0].at == Instant::from_ms(1));
}

TEST_CASE("network: malformed latency specs are rejected") {
  LinkSpec link;
  link.latency.distribution = LatencySpec::Distribution::Uniform;
  link.latency.min = Duration::millis(5);
  link.latency.max = Duration::millis(1);
  CHECK_THROWS_AS(Network(spec_with(link), Prng(1)), raft::AssertionFailure);
  link.latency = constant(Duration::micros(-1));
  CHECK_THROWS_AS(Network(spec_with(link), Prng(1)), raft::AssertionFailure);
}

TEST_CASE("network: reordering follows from the latency distribution") {
  Network net(NetworkSpec{}, Prng(12));  // default: uniform 1..5 ms
  int reordered = 0;
  for (int i = 0; i < 100; ++i) {
    const Instant t = Instant::from_ms(i * 100);
    const auto first = net.route(msg(0, 1, 2 * i), t);
    const auto second = net.route(msg(0, 1, 2 * i + 1), t + Duration::micros(500));
    REQUIRE(first.size() == 1);
    REQUIRE(second.size() == 1);
    if (second[0].at < first[0].at) ++reordered;
  }
  CHECK(reordered > 10);
  CHECK(reordered < 90);
}

namespace {

struct Trace {
  std::vector<std::int64_t> at_us;
  std::vector<std::int64_t> correlation;
  sim::NetworkStats stats;
};

Trace run_mixed(std::uint64_t seed) {
  LinkSpec link;
  link.loss = Ppm{200'000};
  link.duplicate = Ppm{200'000};
  Network net(spec_with(link), Prng(seed));
  net.drop(n(2), n(0));
  Trace t;
  for (int i = 0; i < 1'000; ++i) {
    const int from = i % 3;
    const int to = (i + 1 + (i / 3) % 2) % 3;
    for (const auto& d : net.route(msg(from, to, i), Instant::from_us(i * 100))) {
      t.at_us.push_back(d.at.us());
      t.correlation.push_back(d.message.correlation_id.value());
    }
  }
  t.stats = net.stats();
  return t;
}

}  // namespace

TEST_CASE("network: same seed, same deliveries, counters add up") {
  const Trace a = run_mixed(77);
  const Trace b = run_mixed(77);
  const Trace c = run_mixed(78);
  CHECK(a.at_us == b.at_us);
  CHECK(a.correlation == b.correlation);
  CHECK(a.stats == b.stats);
  CHECK(a.at_us != c.at_us);

  const auto& s = a.stats;
  CHECK(s.sent == 1'000);
  CHECK(s.cut > 0);
  CHECK(s.lost > 0);
  CHECK(s.duplicated > 0);
  CHECK(s.delivered == a.at_us.size());
  CHECK(s.sent == s.cut + s.lost + (s.delivered - s.duplicated));
}
