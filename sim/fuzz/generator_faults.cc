// The fault schedule of a fuzz case (see fault_schedule.hh).
//
// How a schedule is drawn:
//   1. swarm: per kind, in kAllFaultKinds order, "on" with the kind's probability and a mean
//      interval drawn from its range (both always drawn, so one kind's settings never shift
//      another's draws); the fault times of a kind that is on: exponential gaps with that mean
//      from 1 s on, while before the end of the safety phase (from the kind's own stream);
//   2. the faults of every kind, merged in time order (ties: kind order), each drawn in full
//      (target, duration, parameters) from its kind's stream, then scheduled or skipped: within
//      tolerance a fault that would take the count of voters out above f is skipped;
//   3. heal-all: "heal" labelled "heal-all", then the undo of every fault still open, except
//      the stopped nodes drawn to stay down (frozen).
//
// The schedule keeps the scenario loader's timeline rules by construction: every label is new
// ("f<n>"), undos name the label of their fault, a node is stopped or paused by id (directly or
// through a label) by at most one fault at a time, drops name two different nodes and partition
// groups are disjoint.
#include "sim/fuzz/fault_schedule.hh"

#include <algorithm>
#include <bit>
#include <optional>
#include <set>
#include <utility>

namespace sim::fuzz::detail {

namespace {

using nlohmann::json;

constexpr std::int64_t kFirstFaultMs = 1000;  // faults start 1 s into the run
constexpr Ppm kHalf{500'000};

// Parameters of the faults (the profile gives rates and durations; these shape each fault).
constexpr std::int64_t kSlowDiskMinMs = 10;          // slow_disk flush_ms range
constexpr std::int64_t kSlowDiskMaxMs = 200;
constexpr std::int64_t kDriftPpm = 300'000;          // clock_drift in [-kDriftPpm, kDriftPpm]
constexpr std::int64_t kSlowLinkLatencyMinMs = 5;    // slow_link latency max_ms range
constexpr std::int64_t kSlowLinkLatencyMaxMs = 200;
constexpr std::int64_t kSlowLinkLossPpm = 300'000;   // slow_link loss up to 0.3
constexpr std::int64_t kSlowLinkDupPpm = 100'000;    // slow_link duplicate up to 0.1
constexpr Ppm kTornWrite{200'000};                   // a crash leaves a torn write
constexpr Ppm kCrashSlowedNode{300'000};             // a crash hits the node of an open slow_disk
constexpr Ppm kFreeze{700'000};                      // a node down at heal-all stays down
constexpr Ppm kDeleteTopic{333'333};                 // admin_ops deletes rather than creates
// A graceful or controlled shutdown takes a while (a resigning leader waits up to 5 s of its own
// clock, which a drift may slow to 0.7x; a broker waits for the controller to move its
// leaderships), and a restart while the node still shuts down does nothing. So their restart
// comes at least this long after them, and none starts this close to heal-all.
constexpr std::int64_t kShutdownMinMs = 8000;

// The node a fault targets, as far as the generator knows it.
struct Target {
  enum class Kind { Leader, RandomController, RandomBroker, Id };
  Kind kind = Kind::Leader;
  int id = -1;      // Kind::Id
  std::string via;  // non-empty: written "label:<via>", naming the node of that earlier action
};

Target leader() { return Target{}; }
Target of_kind(Target::Kind k) { return Target{k, -1, {}}; }
Target node_id(int id) { return Target{Target::Kind::Id, id, {}}; }

json selector_json(const Target& t) {
  if (!t.via.empty()) return "label:" + t.via;
  switch (t.kind) {
    case Target::Kind::Leader: return "leader";
    case Target::Kind::RandomController: return "random-controller";
    case Target::Kind::RandomBroker: return "random-broker";
    case Target::Kind::Id: return t.id;
  }
  return nullptr;
}

// How a frozen node is listed in the settings: its id when known, else its selector.
json frozen_json(const Target& t) {
  if (t.kind == Target::Kind::Id) return t.id;
  return selector_json(t);
}

std::int64_t round_to_ms(Duration d) { return (d.us() + 500) / 1000; }

class Scheduler {
 public:
  Scheduler(const Prng& fuzz, const ScheduleInput& in)
      : in_(in),
        p_(*in.profile),
        fuzz_(fuzz),
        f_((in.controllers - 1) / 2),
        nodes_(in.controllers + in.brokers),
        hold_until_(static_cast<std::size_t>(nodes_), 0),
        link_until_(static_cast<std::size_t>(nodes_), 0),
        next_topic_(in.first_free_topic) {}

  FaultSchedule run() {
    struct Candidate {
      std::int64_t at;
      std::size_t kind;
    };
    std::vector<Candidate> candidates;
    std::vector<Prng> streams;
    Prng swarm = fuzz_.fork("swarm");
    for (std::size_t k = 0; k < kFaultKindCount; ++k) {
      const FaultKind kind = kAllFaultKinds[k];
      const FaultProfile& fp = p_.fault(kind);
      const bool on = swarm.chance(fp.enabled);
      const std::int64_t mean = swarm.uniform(fp.mean_interval_ms.min, fp.mean_interval_ms.max);
      streams.push_back(fuzz_.fork("fault:" + std::string(to_string(kind))));
      if (!on) continue;
      out_.kinds_on.emplace_back(kind, mean);
      for (std::int64_t t = kFirstFaultMs;;) {
        t += std::max<std::int64_t>(1, round_to_ms(streams[k].exponential(Duration::millis(mean))));
        if (t >= in_.safety_ms) break;
        candidates.push_back({t, k});
      }
    }
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const Candidate& a, const Candidate& b) { return a.at < b.at; });
    for (const Candidate& c : candidates) draw(kAllFaultKinds[c.kind], c.at, streams[c.kind]);
    heal_all();
    std::sort(out_.actions.begin(), out_.actions.end(),
              [](const TimedAction& a, const TimedAction& b) {
                if (a.at_ms != b.at_ms) return a.at_ms < b.at_ms;
                if (a.phase != b.phase) return a.phase < b.phase;
                return a.seq < b.seq;
              });
    return std::move(out_);
  }

 private:
  // A span during which a fault takes `voters` voters out (within-tolerance accounting); `end`
  // is when it is undone (safety_ms for a fault still open then).
  struct Span {
    int voters = 0;
    std::int64_t end = 0;
  };
  // A fault still open at heal-all.
  struct Open {
    json undo;           // its undo action (without "at_ms")
    bool stops = false;  // it stopped a node (crash, shutdown, wipe...): it may stay down
    Target target;
  };
  struct SlowDisk {
    std::string label;
    Target target;
    std::int64_t end = 0;
  };

  void draw(FaultKind kind, std::int64_t t, Prng& rng) {
    switch (kind) {
      case FaultKind::Crash:
      case FaultKind::Shutdown:
      case FaultKind::Pause: node_down(kind, t, rng); break;
      case FaultKind::Isolate: isolate(t, rng); break;
      case FaultKind::Partition: partition(t, rng); break;
      case FaultKind::OneWayDrop: drop(t, rng); break;
      case FaultKind::SlowLink: slow_link(t, rng); break;
      case FaultKind::SlowDisk: slow_disk(t, rng); break;
      case FaultKind::ClockDrift: clock_drift(t, rng); break;
      case FaultKind::CorrelatedCrash: correlated_crash(t, rng); break;
      case FaultKind::ControlledShutdown:
      case FaultKind::BrokerWipe: broker_down(kind, t, rng); break;
      case FaultKind::AdminOps: admin_op(t, rng); break;
    }
  }

  // --- accounting -----------------------------------------------------------------------------

  [[nodiscard]] int voter_weight(const Target& t) const {
    switch (t.kind) {
      case Target::Kind::Leader:
      case Target::Kind::RandomController: return 1;
      case Target::Kind::RandomBroker: return 0;
      case Target::Kind::Id: return t.id < in_.controllers ? 1 : 0;
    }
    return 1;
  }
  [[nodiscard]] int broker_weight(const Target& t) const {
    switch (t.kind) {
      case Target::Kind::Leader:
      case Target::Kind::RandomController: return 0;
      case Target::Kind::RandomBroker: return 1;
      case Target::Kind::Id: return t.id >= in_.controllers ? 1 : 0;
    }
    return 0;
  }

  // Voters counted out at time t (by the faults scheduled so far; later ones start later).
  [[nodiscard]] int voters_out(std::int64_t t) const {
    int out = 0;
    for (const Span& s : spans_) {
      if (s.end > t) out += s.voters;
    }
    return out;
  }

  // True if a fault taking `voters` more voters out at t stays within the budget.
  [[nodiscard]] bool fits(std::int64_t t, int voters) const {
    return in_.budget == Budget::BeyondTolerance || voters == 0 || voters_out(t) + voters <= f_;
  }

  [[nodiscard]] bool too_late_for_shutdown(std::int64_t t) const {
    return t + kShutdownMinMs > in_.safety_ms;
  }

  [[nodiscard]] bool held(const Target& t, std::int64_t at) const {
    return t.kind == Target::Kind::Id && hold_until_[static_cast<std::size_t>(t.id)] > at;
  }

  // --- targets --------------------------------------------------------------------------------

  // A node id in [lo, hi) not held by another fault at t (any if !need_free), or nullopt.
  std::optional<int> draw_id(Prng& rng, std::int64_t t, int lo, int hi, bool need_free,
                             const std::vector<std::int64_t>& until) {
    std::vector<int> ids;
    for (int id = lo; id < hi; ++id) {
      if (!need_free || until[static_cast<std::size_t>(id)] <= t) ids.push_back(id);
    }
    if (ids.empty()) return std::nullopt;
    return ids[static_cast<std::size_t>(rng.next_int(static_cast<std::int64_t>(ids.size())))];
  }

  // "leader" with probability leader_pct %, else "random-controller", "random-broker" or a node
  // id (one free of other stops and pauses when `hold`), a quarter, a quarter and a half.
  Target draw_target(Prng& rng, std::int64_t t, std::int64_t leader_pct, bool hold) {
    const std::int64_t first = rng.uniform(0, 99);
    const std::int64_t second = rng.uniform(0, 3);
    if (first < leader_pct) return leader();
    if (second == 1 && in_.brokers > 0) return of_kind(Target::Kind::RandomBroker);
    if (second >= 2) {
      if (auto id = draw_id(rng, t, 0, nodes_, hold, hold_until_)) return node_id(*id);
    }
    return of_kind(Target::Kind::RandomController);
  }

  // A broker: "random-broker" or a broker id free of other stops and pauses, half and half.
  Target draw_broker(Prng& rng, std::int64_t t) {
    const bool by_id = rng.chance(kHalf);
    if (by_id) {
      if (auto id = draw_id(rng, t, in_.controllers, nodes_, true, hold_until_)) {
        return node_id(*id);
      }
    }
    return of_kind(Target::Kind::RandomBroker);
  }

  // --- building actions -----------------------------------------------------------------------

  std::string new_label() { return "f" + std::to_string(next_label_++); }

  void add(std::int64_t at, int phase, json action) {
    action["at_ms"] = at;
    out_.actions.push_back(TimedAction{at, phase, seq_++, std::move(action)});
  }

  void add_fault(std::int64_t at, json action) {
    add(at, 2, std::move(action));
    ++out_.faults;
  }

  // Schedules the undo of a fault that started at t and lasts d ms (or keeps it open for
  // heal-all), and accounts for it.
  void undo_after(std::int64_t t, std::int64_t d, int voters, const Target& target, json undo,
                  bool stops, bool hold) {
    const bool open = t + d >= in_.safety_ms;
    const std::int64_t end = open ? in_.safety_ms : t + d;
    if (voters > 0) spans_.push_back({voters, end});
    if (hold && target.kind == Target::Kind::Id) {
      hold_until_[static_cast<std::size_t>(target.id)] = end;
    }
    if (open) {
      open_.push_back({std::move(undo), stops, target});
    } else {
      add(end, 1, std::move(undo));
    }
  }

  // A cut (isolate, partition, drop) from t for d ms: its end is the next heal, which heals
  // every cut; a cut ending before the pending heal moves that heal earlier.
  void cut(std::int64_t t, std::int64_t d, int voters, json action) {
    if (!fits(t, voters)) {
      ++out_.skipped;
      return;
    }
    add_fault(t, std::move(action));
    std::int64_t end = std::min(t + d, in_.safety_ms);
    if (pending_heal_ && *pending_heal_ > t) {
      if (end < *pending_heal_) {
        if (*pending_heal_ < in_.safety_ms) heal_times_.erase(*pending_heal_);
        heal_times_.insert(end);
        pending_heal_ = end;
        for (std::size_t i : open_cuts_) spans_[i].end = end;
      } else {
        end = *pending_heal_;
      }
    } else {
      open_cuts_.clear();
      if (end < in_.safety_ms) heal_times_.insert(end);
      pending_heal_ = end;
    }
    spans_.push_back({voters, end});
    open_cuts_.push_back(spans_.size() - 1);
  }

  // --- the kinds ------------------------------------------------------------------------------

  // crash, shutdown, pause: one node, "leader" half of the time (a crash sometimes hits the node
  // of an open slow_disk instead, as in KAFKA-10527).
  void node_down(FaultKind kind, std::int64_t t, Prng& rng) {
    Target target;
    bool slowed = false;
    if (kind == FaultKind::Crash) {
      slowed = rng.chance(kCrashSlowedNode);
      const SlowDisk* latest = nullptr;
      for (const SlowDisk& s : slow_disks_) {
        if (s.end > t) latest = &s;
      }
      if (slowed && latest != nullptr && !held(latest->target, t)) {
        target = latest->target;
        target.via = latest->label;
      } else {
        slowed = false;
      }
    }
    if (!slowed) target = draw_target(rng, t, 50, true);
    const bool torn = kind == FaultKind::Crash && rng.chance(kTornWrite);
    std::int64_t d = draw_log_uniform(rng, p_.fault(kind).duration_ms);
    const bool shutdown = kind == FaultKind::Shutdown;
    if (shutdown) d = std::max(d, kShutdownMinMs);
    const int voters = voter_weight(target);
    if ((shutdown && too_late_for_shutdown(t)) || held(target, t) || !fits(t, voters)) {
      ++out_.skipped;
      return;
    }
    const std::string label = new_label();
    json action = {{"action", std::string(to_string(kind))}, {"node", selector_json(target)}, {"label", label}};
    if (torn) action["torn_write"] = true;
    add_fault(t, std::move(action));
    const bool pause = kind == FaultKind::Pause;
    json undo = {{"action", pause ? "resume" : "restart"}, {"node", "label:" + label}};
    undo_after(t, d, voters, target, std::move(undo), !pause, true);
  }

  void isolate(std::int64_t t, Prng& rng) {
    const Target target = draw_target(rng, t, 50, false);
    const std::int64_t d = draw_log_uniform(rng, p_.fault(FaultKind::Isolate).duration_ms);
    cut(t, d, voter_weight(target),
        {{"action", "isolate"}, {"node", selector_json(target)}, {"label", new_label()}});
  }

  // Two groups: a minority side of k voters (within tolerance k <= what the budget has left;
  // the leader among them half of the time) and the rest; each broker on either side.
  void partition(std::int64_t t, Prng& rng) {
    const int v = in_.controllers;
    int max_k = v - 1;
    if (in_.budget == Budget::WithinTolerance) max_k = std::min(max_k, f_ - voters_out(t));
    max_k = std::max(max_k, 0);
    const auto k = static_cast<int>(rng.uniform(0, max_k));
    const bool with_leader = rng.chance(kHalf) && k >= 1;
    std::vector<int> voters(static_cast<std::size_t>(v));
    for (int i = 0; i < v; ++i) voters[static_cast<std::size_t>(i)] = i;
    for (std::size_t i = voters.size(); i > 1; --i) {
      const auto j = static_cast<std::size_t>(rng.next_int(static_cast<std::int64_t>(i)));
      std::swap(voters[i - 1], voters[j]);
    }
    const auto explicit_minority = static_cast<std::size_t>(with_leader ? k - 1 : k);
    std::vector<int> side_a(voters.begin(), voters.begin() + static_cast<std::ptrdiff_t>(explicit_minority));
    std::vector<int> side_b(voters.begin() + static_cast<std::ptrdiff_t>(explicit_minority), voters.end());
    for (int b = in_.controllers; b < nodes_; ++b) (rng.chance(kHalf) ? side_a : side_b).push_back(b);
    const std::int64_t d = draw_log_uniform(rng, p_.fault(FaultKind::Partition).duration_ms);
    if (side_a.empty() && !with_leader) {
      // No voter on the minority side: move one broker there (none: nothing to partition).
      if (in_.brokers == 0) {
        ++out_.skipped;
        return;
      }
      const auto pick = in_.controllers + static_cast<int>(rng.next_int(in_.brokers));
      side_b.erase(std::find(side_b.begin(), side_b.end(), pick));
      side_a.push_back(pick);
    }
    std::sort(side_a.begin(), side_a.end());
    std::sort(side_b.begin(), side_b.end());
    json group_a = json::array();
    if (with_leader) group_a.push_back("leader");
    for (int id : side_a) group_a.push_back(id);
    json groups = json::array({group_a, json(side_b)});
    cut(t, d, k, {{"action", "partition"}, {"groups", groups}, {"label", new_label()}});
  }

  // Messages from one node to another lost: "leader" to or from a node id half of the time,
  // else between two node ids.
  void drop(std::int64_t t, Prng& rng) {
    if (nodes_ < 2) {
      ++out_.skipped;
      return;
    }
    const std::int64_t mode = rng.uniform(0, 3);
    const auto a = static_cast<int>(rng.next_int(nodes_));
    auto b = static_cast<int>(rng.next_int(nodes_ - 1));
    if (b >= a) ++b;
    const std::int64_t d = draw_log_uniform(rng, p_.fault(FaultKind::OneWayDrop).duration_ms);
    json from = a;
    json to = b;
    int voters = a < in_.controllers || b < in_.controllers ? 1 : 0;
    if (mode == 0) from = "leader";
    if (mode == 1) to = "leader";
    if (mode <= 1) voters = 1;
    cut(t, d, voters, {{"action", "drop"}, {"from", from}, {"to", to}, {"label", new_label()}});
  }

  // One node's links to every node (one way or both) get slower, lossy and/or duplicating.
  void slow_link(std::int64_t t, Prng& rng) {
    const std::optional<int> id = draw_id(rng, t, 0, nodes_, true, link_until_);
    const bool both = rng.chance(kHalf);
    const std::int64_t latency = rng.uniform(kSlowLinkLatencyMinMs, kSlowLinkLatencyMaxMs);
    const bool lossy = rng.chance(kHalf);
    const std::int64_t loss = rng.uniform(1, kSlowLinkLossPpm);
    const bool dup = rng.chance(Ppm{333'333});
    const std::int64_t duplicate = rng.uniform(1, kSlowLinkDupPpm);
    const std::int64_t d = draw_log_uniform(rng, p_.fault(FaultKind::SlowLink).duration_ms);
    if (!id || nodes_ < 2) {
      ++out_.skipped;
      return;
    }
    json action = {{"action", "slow_link"},
                   {"from", *id},
                   {"to", "all"},
                   {"latency", {{"distribution", "uniform"}, {"min_ms", 1}, {"max_ms", latency}}},
                   {"label", new_label()}};
    if (lossy) action["loss"] = probability_json(Ppm{static_cast<std::uint32_t>(loss)});
    if (dup) action["duplicate"] = probability_json(Ppm{static_cast<std::uint32_t>(duplicate)});
    json undo = {{"action", "restore_link"}, {"from", *id}, {"to", "all"}};
    if (both) {
      action["bidirectional"] = true;
      undo["bidirectional"] = true;
    }
    add_fault(t, std::move(action));
    const std::int64_t end = std::min(t + d, in_.safety_ms);
    link_until_[static_cast<std::size_t>(*id)] = end;
    undo_after(t, d, 0, node_id(*id), std::move(undo), false, false);
  }

  void slow_disk(std::int64_t t, Prng& rng) {
    const Target target = draw_target(rng, t, 50, false);
    const std::int64_t flush = rng.uniform(kSlowDiskMinMs, kSlowDiskMaxMs);
    const std::int64_t d = draw_log_uniform(rng, p_.fault(FaultKind::SlowDisk).duration_ms);
    const std::string label = new_label();
    add_fault(t, {{"action", "slow_disk"},
                  {"node", selector_json(target)},
                  {"flush_ms", flush},
                  {"label", label}});
    slow_disks_.push_back({label, target, std::min(t + d, in_.safety_ms)});
    undo_after(t, d, 0, target,
               {{"action", "slow_disk"}, {"node", "label:" + label}, {"flush_ms", 0}}, false,
               false);
  }

  void clock_drift(std::int64_t t, Prng& rng) {
    const Target target = draw_target(rng, t, 25, false);
    std::int64_t drift = rng.uniform(-kDriftPpm, kDriftPpm);
    if (drift == 0) drift = 1;
    const std::int64_t d = draw_log_uniform(rng, p_.fault(FaultKind::ClockDrift).duration_ms);
    const std::string label = new_label();
    add_fault(t, {{"action", "clock_drift"},
                  {"node", selector_json(target)},
                  {"drift_ppm", drift},
                  {"label", label}});
    undo_after(t, d, 0, target,
               {{"action", "clock_drift"}, {"node", "label:" + label}, {"drift_ppm", 0}}, false,
               false);
  }

  // The active controller and one or two brokers crash at the same instant (a rack fails); each
  // comes back after its own drawn duration.
  void correlated_crash(std::int64_t t, Prng& rng) {
    const int brokers = in_.brokers == 0 ? 0 : static_cast<int>(rng.uniform(1, std::min(2, in_.brokers)));
    const FaultProfile& fp = p_.fault(FaultKind::CorrelatedCrash);
    const std::int64_t d = draw_log_uniform(rng, fp.duration_ms);
    if (!fits(t, 1)) {
      ++out_.skipped;
      return;
    }
    const std::string label = new_label();
    add_fault(t, {{"action", "crash"}, {"node", "leader"}, {"label", label}});
    undo_after(t, d, 1, leader(), {{"action", "restart"}, {"node", "label:" + label}}, true, true);
    for (int i = 0; i < brokers; ++i) {
      const Target target = draw_broker(rng, t);
      const std::int64_t broker_d = draw_log_uniform(rng, fp.duration_ms);
      const std::string broker_label = new_label();
      add_fault(t, {{"action", "crash"}, {"node", selector_json(target)}, {"label", broker_label}});
      undo_after(t, broker_d, 0, target,
                 {{"action", "restart"}, {"node", "label:" + broker_label}}, true, true);
    }
  }

  // controlled_shutdown or wipe of a broker.
  void broker_down(FaultKind kind, std::int64_t t, Prng& rng) {
    if (in_.brokers == 0) {
      ++out_.skipped;
      return;
    }
    const Target target = draw_broker(rng, t);
    std::int64_t d = draw_log_uniform(rng, p_.fault(kind).duration_ms);
    const bool controlled = kind == FaultKind::ControlledShutdown;
    if (controlled) d = std::max(d, kShutdownMinMs);
    if (controlled && too_late_for_shutdown(t)) {
      ++out_.skipped;
      return;
    }
    const std::string label = new_label();
    const char* action = kind == FaultKind::BrokerWipe ? "wipe" : "controlled_shutdown";
    add_fault(t, {{"action", action}, {"node", selector_json(target)}, {"label", label}});
    undo_after(t, d, 0, target, {{"action", "restart"}, {"node", "label:" + label}}, true, true);
  }

  // A topic created ("t<n>") or one that admin_ops created deleted (never the initial ones).
  void admin_op(std::int64_t t, Prng& rng) {
    const bool del = rng.chance(kDeleteTopic);
    const std::int64_t partitions = rng.uniform(p_.partitions.min, p_.partitions.max);
    const std::int64_t factor = rng.uniform(p_.replication_factor.min, p_.replication_factor.max);
    const std::int64_t pick = rng.uniform(0, 1'000'000);
    if (in_.brokers == 0) {
      ++out_.skipped;
      return;
    }
    if (del && !topics_.empty()) {
      const auto i = static_cast<std::size_t>(pick % static_cast<std::int64_t>(topics_.size()));
      const std::string name = topics_[i];
      topics_.erase(topics_.begin() + static_cast<std::ptrdiff_t>(i));
      add_fault(t, {{"action", "delete_topic"}, {"topic", name}, {"label", new_label()}});
      return;
    }
    const std::string name = "t" + std::to_string(next_topic_++);
    topics_.push_back(name);
    add_fault(t, {{"action", "create_topic"},
                  {"topic",
                   {{"name", name},
                    {"partitions", partitions},
                    {"replication_factor", std::min<std::int64_t>(factor, in_.brokers)}}},
                  {"label", new_label()}});
  }

  // --- heal-all -------------------------------------------------------------------------------

  void heal_all() {
    for (std::int64_t at : heal_times_) add(at, 0, {{"action", "heal"}});
    add(in_.safety_ms, 0, {{"action", "heal"}, {"label", std::string(kHealAllLabel)}});
    Prng frozen = fuzz_.fork("frozen");
    int frozen_voters = 0;
    int frozen_brokers = 0;
    for (Open& o : open_) {
      if (o.stops) {
        const bool want = frozen.chance(kFreeze);
        const int v = voter_weight(o.target);
        const int b = broker_weight(o.target);
        const bool allowed = in_.budget == Budget::BeyondTolerance ||
                             (frozen_voters + v <= f_ &&
                              (b == 0 || frozen_brokers + b <= in_.brokers - 1));
        if (want && allowed) {
          frozen_voters += v;
          frozen_brokers += b;
          out_.frozen.push_back(frozen_json(o.target));
          continue;
        }
      }
      add(in_.safety_ms, 1, std::move(o.undo));
    }
  }

  const ScheduleInput& in_;
  const Profile& p_;
  const Prng fuzz_;
  const int f_;      // voters that may be out at once within tolerance
  const int nodes_;  // controllers + brokers
  FaultSchedule out_;
  std::uint64_t seq_ = 0;
  int next_label_ = 0;
  std::vector<Span> spans_;
  std::vector<std::size_t> open_cuts_;        // spans_ of the cuts the pending heal ends
  std::optional<std::int64_t> pending_heal_;  // when the open cuts end (safety_ms: heal-all)
  std::set<std::int64_t> heal_times_;         // heals before heal-all
  std::vector<std::int64_t> hold_until_;      // node id -> end of its stop or pause by id
  std::vector<std::int64_t> link_until_;      // node id -> end of its slow_link
  std::vector<SlowDisk> slow_disks_;
  std::vector<Open> open_;
  std::vector<std::string> topics_;  // created by admin_ops, not deleted
  int next_topic_;
};

}  // namespace

std::int64_t draw_log_uniform(Prng& rng, IntRange range) {
  const auto lo_bits = static_cast<std::int64_t>(std::bit_width(static_cast<std::uint64_t>(range.min)));
  const auto hi_bits = static_cast<std::int64_t>(std::bit_width(static_cast<std::uint64_t>(range.max)));
  const std::int64_t bits = rng.uniform(lo_bits, hi_bits);
  const std::int64_t lo = std::max(range.min, std::int64_t{1} << (bits - 1));
  const std::int64_t hi = std::min(range.max, (std::int64_t{1} << bits) - 1);
  return rng.uniform(lo, hi);
}

FaultSchedule draw_fault_schedule(const Prng& fuzz, const ScheduleInput& in) {
  return Scheduler(fuzz, in).run();
}

}  // namespace sim::fuzz::detail
