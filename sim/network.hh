// The simulated network: per-link latency, loss and duplication, and the link faults of a scenario
// (isolated nodes, a partition into groups, one-way drops).
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

  // `spec`: default link behaviour and per-link overrides (later overrides of the same directed
  // pair win). Asserts every latency spec is well formed (0 <= min, min <= max unless Constant,
  // mean >= 0). `rng`: the stream all routing randomness is drawn from.
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

  // Behaviour of the directed link from -> to: its override if any, else the default.
  [[nodiscard]] const LinkSpec& link_spec(raft::NodeId from, raft::NodeId to) const;

  [[nodiscard]] const NetworkStats& stats() const { return stats_; }

 private:
  using Link = std::pair<raft::NodeId, raft::NodeId>;  // (from, to)

  // One latency drawn from `spec`, in whole microseconds.
  Duration draw_latency(const LatencySpec& spec);

  LinkSpec default_link_;
  std::map<Link, LinkSpec> overrides_;
  Prng rng_;
  NetworkStats stats_;

  std::set<raft::NodeId> isolated_;
  std::vector<std::vector<raft::NodeId>> groups_;  // current partition, each group sorted
  std::map<raft::NodeId, std::size_t> group_of_;   // node -> index into groups_
  std::set<Link> dropped_;
};

}  // namespace sim
