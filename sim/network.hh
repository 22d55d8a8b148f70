// The simulated network: per-link latency, loss and duplication, and the link faults of a scenario
// (isolated nodes, a partition into groups, one-way drops).
//
// Link behaviour (LinkSpec) of a directed link from -> to, highest precedence first:
//   1. set_link(from, to, spec): a runtime override (the timeline's slow_link), until
//      restore_link(from, to);
//   2. the scenario's per-link override (network.links);
//   3. the scenario's class override (network.classes) of (class of from, class of to), where ids
//      below NetworkSpec::controllers are controllers, the rest below NetworkSpec::node_count
//      brokers, and any other id (the admin client) the client;
//   4. the default link.
// 2 to 4 are the configured behaviour (configured_link_spec); link_spec() is what applies now.
//
// Network makes routing decisions only. It does not own the event queue or the clock: route()
// returns the deliveries a sent message turns into (when, and which copy), and the world schedules
// them. Reordering is not a separate knob: it follows from each message drawing its own latency.
//
// Contract with the world (who schedules the deliveries):
//  * route() checks link_up(from, to) at send time; a message over a cut link is never delivered.
//  * The world MUST call link_up(from, to) again when a delivery comes due and discard the message
//    if the link is down by then: a message in flight when a partition, isolation or drop starts
//    is lost (the TCP connection breaks), as it is in Kafka when a broker becomes unreachable.
//
// Randomness comes from the Prng given at construction (the run's "network" stream) and is drawn
// in a fixed order per routed message: loss trial, duplicate trial, latency of the first copy,
// latency of the second copy if duplicated. A message cut by a fault draws nothing.
// No unordered containers: every structure here iterates in a defined order.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "raft/common/ids.hh"
#include "raft/messages.hh"
#include "sim/prng.hh"
#include "sim/scenario/scenario.hh"
#include "sim/time.hh"

namespace sim {

// Counters over the life of a Network. Invariant:
//   sent == cut + lost + (delivered - duplicated)
struct NetworkStats {
  std::uint64_t sent = 0;        // route() calls
  std::uint64_t delivered = 0;   // deliveries returned by route() (a duplicated message counts 2)
  std::uint64_t lost = 0;        // messages lost to the link's random loss
  std::uint64_t cut = 0;         // messages blocked at send time by isolation, partition or drop
  std::uint64_t duplicated = 0;  // extra copies created by the link's duplication
  bool operator==(const NetworkStats&) const = default;
};

// One copy of a routed message, due at its destination at `at` (also reachable as
// Network::Delivery).
struct Delivery {
  Instant at;
  raft::Message message;
};

class Network {
 public:
  using Delivery = sim::Delivery;

  // `spec`: default link behaviour, class overrides (at most one per class pair) and per-link
  // overrides (later overrides of the same directed pair win). Asserts every latency spec is well
  // formed (0 <= min, min <= max unless Constant, mean >= 0). `rng`: the stream all routing
  // randomness is drawn from.
  Network(NetworkSpec spec, Prng rng);

  // Decides the fate of message `m` sent at `now`: 0 deliveries (cut by a fault, or lost),
  // 1, or 2 (duplicated; each copy draws its own latency, so the copy may arrive first).
  // Deliveries are returned in the order they were drawn, not sorted by time.
  // Precondition: m.source != m.destination (raft never messages itself).
  std::vector<Delivery> route(const raft::Message& m, Instant now);

  // True unless `from` or `to` is isolated, the partition puts them in different groups, or the
  // one-way link from -> to is dropped. Precondition: from != to.
  [[nodiscard]] bool link_up(raft::NodeId from, raft::NodeId to) const;

  // Cuts every link to and from `node` until heal(). Isolating twice is the same as once.
  void isolate(raft::NodeId node);

  // Splits nodes into groups that cannot reach each other (symmetric). A node in no group still
  // reaches everyone. REPLACES any previous partition; isolations and drops stay. An empty list
  // removes the partition (a single group cuts nothing either, but is still described).
  // Duplicates within a group are ignored. Precondition: no node is in two groups.
  void partition(const std::vector<std::vector<raft::NodeId>>& groups);

  // Cuts the one-way link from -> to (to -> from stays up) until heal(). Precondition: from != to.
  void drop(raft::NodeId from, raft::NodeId to);

  // Removes every isolation, the partition and every drop.
  void heal();

  // The current faults, e.g. "isolated {0}; partition {0,1}|{2,3,4}; drop 0->1, 2->3", or "none".
  // Parts appear in that order and are omitted when empty; ids are listed in ascending order
  // (partition groups in the order they were given).
  [[nodiscard]] std::string describe_faults() const;

  // Behaviour of the directed link from -> to now: its runtime override (set_link) if any, else
  // its configured behaviour. The reference stays valid until the next set_link / restore_link.
  [[nodiscard]] const LinkSpec& link_spec(raft::NodeId from, raft::NodeId to) const;

  // What the scenario configured for from -> to, ignoring set_link: its per-link override if
  // any, else its class override if any, else the default link.
  [[nodiscard]] const LinkSpec& configured_link_spec(raft::NodeId from, raft::NodeId to) const;

  // Makes `spec` the behaviour of the directed link from -> to (the other direction is not
  // touched) until restore_link(from, to); a later set_link on the same link replaces it. Applies
  // to messages routed from now on; those in flight keep the latency they drew. Asserts the
  // latency spec is well formed and from != to.
  void set_link(raft::NodeId from, raft::NodeId to, const LinkSpec& spec);

  // Removes the runtime override of from -> to: it goes back to configured_link_spec(from, to).
  // No-op if the link has none. heal() does not restore links (slowness is not a cut).
  void restore_link(raft::NodeId from, raft::NodeId to);

  // The class of endpoint `id` for network.classes (see the top of this file).
  [[nodiscard]] NodeClass class_of(raft::NodeId id) const;

  [[nodiscard]] const NetworkStats& stats() const { return stats_; }

 private:
  using Link = std::pair<raft::NodeId, raft::NodeId>;  // (from, to)

  // One latency drawn from `spec`, in whole microseconds.
  Duration draw_latency(const LatencySpec& spec);

  LinkSpec default_link_;
  std::map<std::pair<NodeClass, NodeClass>, LinkSpec> class_overrides_;  // (from, to) classes
  std::map<Link, LinkSpec> overrides_;  // network.links
  std::map<Link, LinkSpec> runtime_;    // set_link
  int controllers_ = 0;                 // NetworkSpec::controllers
  int node_count_ = 0;                  // NetworkSpec::node_count
  Prng rng_;
  NetworkStats stats_;

  std::set<raft::NodeId> isolated_;
  std::vector<std::vector<raft::NodeId>> groups_;  // current partition, each group sorted
  std::map<raft::NodeId, std::size_t> group_of_;   // node -> index into groups_
  std::set<Link> dropped_;
};

}  // namespace sim
