// Tests for sim/network.hh's link behaviour precedence: runtime set_link over the scenario's
// per-link override, over its class override (network.classes), over the default link; and
// set_link / restore_link.
#include <doctest/doctest.h>

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
using sim::NodeClass;
using sim::Ppm;
using sim::Prng;

namespace {

NodeId n(std::int32_t id) { return NodeId(id); }

constexpr std::int32_t kClient = 1000;  // Simulation::kAdminClientId

LinkSpec constant_link(std::int64_t ms) {
  LinkSpec l;
  l.latency.distribution = LatencySpec::Distribution::Constant;
  l.latency.min = Duration::millis(ms);
  l.latency.max = Duration::millis(ms);
  return l;
}

// Controllers 0-2, brokers 3-4. Default 1 ms; controller->broker 10 ms; client->controller
// 20 ms; broker->broker 15 ms; per-link 0->3 30 ms and 3->4 35 ms.
NetworkSpec layered_spec() {
  NetworkSpec s;
  s.controllers = 3;
  s.node_count = 5;
  s.default_link = constant_link(1);
  s.classes.push_back({NodeClass::Controller, NodeClass::Broker, constant_link(10)});
  s.classes.push_back({NodeClass::Client, NodeClass::Controller, constant_link(20)});
  s.classes.push_back({NodeClass::Broker, NodeClass::Broker, constant_link(15)});
  s.links.push_back({n(0), n(3), constant_link(30)});
  s.links.push_back({n(3), n(4), constant_link(35)});
  return s;
}

// The latency (ms) of the constant link spec `l`.
std::int64_t ms_of(const LinkSpec& l) {
  REQUIRE(l.latency.distribution == LatencySpec::Distribution::Constant);
  return l.latency.min.us() / 1000;
}

// When a message from -> to sent at time 0 arrives (one copy expected).
std::int64_t arrival_ms(Network& net, std::int32_t from, std::int32_t to) {
  const raft::Message m{n(from), n(to), raft::CorrelationId(1), raft::VoteRequest{}};
  const std::vector<sim::Delivery> out = net.route(m, Instant::zero());
  REQUIRE(out.size() == 1);
  return out[0].at.us() / 1000;
}

}  // namespace

TEST_CASE("network classes: node classes follow the spec's controller and node counts") {
  Network net(layered_spec(), Prng(1));
  CHECK(net.class_of(n(0)) == NodeClass::Controller);
  CHECK(net.class_of(n(2)) == NodeClass::Controller);
  CHECK(net.class_of(n(3)) == NodeClass::Broker);
  CHECK(net.class_of(n(4)) == NodeClass::Broker);
  CHECK(net.class_of(n(5)) == NodeClass::Client);
  CHECK(net.class_of(n(kClient)) == NodeClass::Client);
}

TEST_CASE("network classes: per-link override > class > default") {
  Network net(layered_spec(), Prng(1));
  CHECK(ms_of(net.link_spec(n(0), n(3))) == 30);  // per-link override
  CHECK(ms_of(net.link_spec(n(3), n(4))) == 35);  // per-link override over broker->broker
  CHECK(ms_of(net.link_spec(n(1), n(3))) == 10);  // controller->broker class
  CHECK(ms_of(net.link_spec(n(2), n(4))) == 10);
  CHECK(ms_of(net.link_spec(n(4), n(3))) == 15);  // broker->broker class
  CHECK(ms_of(net.link_spec(n(3), n(0))) == 1);   // broker->controller: no class, default
  CHECK(ms_of(net.link_spec(n(0), n(1))) == 1);   // controller->controller: default
  CHECK(ms_of(net.link_spec(n(kClient), n(1))) == 20);  // client->controller class
  CHECK(ms_of(net.link_spec(n(1), n(kClient))) == 1);   // controller->client: default
  // Routing uses the same precedence.
  CHECK(arrival_ms(net, 0, 3) == 30);
  CHECK(arrival_ms(net, 1, 3) == 10);
  CHECK(arrival_ms(net, 3, 1) == 1);
  CHECK(arrival_ms(net, kClient, 2) == 20);
  CHECK(arrival_ms(net, 4, 3) == 15);
}

TEST_CASE("network classes: a class's loss applies to every link of the class") {
  NetworkSpec spec = layered_spec();
  spec.classes[0].spec.loss = Ppm{Ppm::kOne};  // controller->broker always lost
  Network net(spec, Prng(3));
  for (std::int32_t controller = 0; controller < 3; ++controller) {
    for (std::int32_t broker = 3; broker < 5; ++broker) {
      const raft::Message m{n(controller), n(broker), raft::CorrelationId(1), raft::VoteRequest{}};
      const bool overridden = controller == 0 && broker == 3;  // 0->3 has its own spec
      CHECK(net.route(m, Instant::zero()).size() == (overridden ? 1U : 0U));
    }
  }
  CHECK(net.stats().lost == 5);
  CHECK(arrival_ms(net, 3, 0) == 1);  // the other direction is another class
}

TEST_CASE("network: set_link overrides one direction until restore_link") {
  Network net(layered_spec(), Prng(1));
  net.set_link(n(1), n(3), constant_link(200));
  CHECK(ms_of(net.link_spec(n(1), n(3))) == 200);
  CHECK(ms_of(net.configured_link_spec(n(1), n(3))) == 10);
  CHECK(ms_of(net.link_spec(n(3), n(1))) == 1);  // the reverse direction is untouched
  CHECK(ms_of(net.link_spec(n(2), n(3))) == 10);  // so is the rest of the class
  CHECK(arrival_ms(net, 1, 3) == 200);

  net.set_link(n(1), n(3), constant_link(300));  // a later call replaces the earlier one
  CHECK(ms_of(net.link_spec(n(1), n(3))) == 300);
  CHECK(arrival_ms(net, 1, 3) == 300);

  net.restore_link(n(1), n(3));  // back to its class
  CHECK(ms_of(net.link_spec(n(1), n(3))) == 10);
  CHECK(arrival_ms(net, 1, 3) == 10);
  net.restore_link(n(1), n(3));  // restoring again changes nothing
  CHECK(ms_of(net.link_spec(n(1), n(3))) == 10);
}

TEST_CASE("network: restore_link goes back to the link override, the class or the default") {
  Network net(layered_spec(), Prng(1));
  net.set_link(n(0), n(3), constant_link(500));  // has a per-link override
  net.set_link(n(4), n(3), constant_link(500));  // has a class
  net.set_link(n(0), n(1), constant_link(500));  // has neither
  net.set_link(n(kClient), n(0), constant_link(500));  // the client's link
  CHECK(ms_of(net.link_spec(n(0), n(3))) == 500);
  CHECK(ms_of(net.link_spec(n(4), n(3))) == 500);
  CHECK(ms_of(net.link_spec(n(0), n(1))) == 500);
  CHECK(ms_of(net.link_spec(n(kClient), n(0))) == 500);
  net.restore_link(n(0), n(3));
  net.restore_link(n(4), n(3));
  net.restore_link(n(0), n(1));
  net.restore_link(n(kClient), n(0));
  CHECK(ms_of(net.link_spec(n(0), n(3))) == 30);
  CHECK(ms_of(net.link_spec(n(4), n(3))) == 15);
  CHECK(ms_of(net.link_spec(n(0), n(1))) == 1);
  CHECK(ms_of(net.link_spec(n(kClient), n(0))) == 20);
}

TEST_CASE("network: a slowed link's loss and duplication apply, and heal does not restore it") {
  Network net(layered_spec(), Prng(5));
  LinkSpec lossy = constant_link(7);
  lossy.loss = Ppm{Ppm::kOne};
  net.set_link(n(0), n(1), lossy);
  const raft::Message m{n(0), n(1), raft::CorrelationId(1), raft::VoteRequest{}};
  CHECK(net.route(m, Instant::zero()).empty());
  CHECK(net.stats().lost == 1);
  net.heal();  // slowness is not a cut: heal leaves it
  CHECK(net.route(m, Instant::zero()).empty());
  CHECK(net.stats().lost == 2);

  LinkSpec doubled = constant_link(7);
  doubled.duplicate = Ppm{Ppm::kOne};
  net.set_link(n(0), n(1), doubled);
  const std::vector<sim::Delivery> out = net.route(m, Instant::from_ms(10));
  REQUIRE(out.size() == 2);
  CHECK(out[0].at == Instant::from_ms(17));
  CHECK(out[1].at == Instant::from_ms(17));
  // A cut link still cuts a slowed one.
  net.drop(n(0), n(1));
  CHECK(net.route(m, Instant::zero()).empty());
  CHECK(net.stats().cut == 1);
}

TEST_CASE("network: set_link rejects a link to itself and a malformed latency") {
  Network net(layered_spec(), Prng(1));
  CHECK_THROWS_AS(net.set_link(n(2), n(2), constant_link(5)), raft::AssertionFailure);
  LinkSpec bad;
  bad.latency.distribution = LatencySpec::Distribution::Uniform;
  bad.latency.min = Duration::millis(9);
  bad.latency.max = Duration::millis(3);
  CHECK_THROWS_AS(net.set_link(n(0), n(1), bad), raft::AssertionFailure);
  CHECK(ms_of(net.link_spec(n(0), n(1))) == 1);  // unchanged
}

TEST_CASE("network: a spec without node counts treats every node as the client") {
  NetworkSpec spec;
  spec.default_link = constant_link(1);
  spec.classes.push_back({NodeClass::Controller, NodeClass::Controller, constant_link(9)});
  Network net(spec, Prng(1));
  CHECK(net.class_of(n(0)) == NodeClass::Client);
  CHECK(ms_of(net.link_spec(n(0), n(1))) == 1);
}

TEST_CASE("network: two class overrides for the same pair are rejected") {
  NetworkSpec spec = layered_spec();
  spec.classes.push_back({NodeClass::Broker, NodeClass::Broker, constant_link(2)});
  CHECK_THROWS_AS(Network(spec, Prng(1)), raft::AssertionFailure);
}
