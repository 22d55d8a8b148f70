// The fault plan of a compare schedule case (see schedule_faults.hh and schedule.hh).
//
// How the plan is drawn (the draw order is fixed):
//   1. swarm: per kind, in kAllFaultKinds order, "on" with the kind's probability and a mean
//      interval drawn from its range (both always drawn) from the "swarm" stream; the fault times
//      of a kind that is on: exponential gaps with that mean from 5 s on, while before the end of
//      the fault phase, from the kind's own stream "fault:<kind>";
//   2. the faults of every kind merged in time order (ties: kind order), each drawn in full from
//      its kind's stream (target, then the kind's parameters, then the duration), then scheduled
//      or skipped. A skip never depends on the voter count: it looks only at what the plan itself
//      holds (brokers and racks down or paused, the open network cut, slowed broker links), at
//      the broker count and at the fault phase's end;
//   3. heal-all at the end of the fault phase: "heal" labelled "heal-all", then the undo of every
//      fault still open.
//
// The plan keeps the scenario loader's timeline rules by construction: every label is new
// ("f<n>"); undos name the label of their fault; a broker (or a rack's nodes) is stopped or
// paused by at most one fault at a time; the two sides of a partition are disjoint and non-empty,
// and a crashed rack holds at least one node, for every voter count (checked with one voter, the
// smallest rack).
#include "sim/compare/schedule_faults.hh"

#include <algorithm>
#include <array>

#include "sim/compare/racks.hh"
#include "sim/fuzz/environment.hh"
#include "sim/fuzz/fault_schedule.hh"

namespace sim::compare::detail {

namespace {

using fuzz::FaultKind;
using fuzz::detail::draw_log_uniform;
using fuzz::detail::probability_json;
using nlohmann::json;

// Faults start 5 s into the run, once the brokers have registered and the topics created at 1 s
// exist: a comparison measures a settled cluster under faults, not start-up races.
constexpr std::int64_t kFirstFaultMs = 5000;
constexpr Ppm kHalf{500'000};

// Who a node fault targets: "leader" below kLeaderBelow, "follower" below kFollowerBelow, else a
// broker (out of a uniform draw in 0..99).
constexpr std::int64_t kLeaderBelow = 40;
constexpr std::int64_t kFollowerBelow = 80;

// Parameters of the faults (the profile gives rates and durations; these shape each fault).
constexpr Ppm kTornWrite{200'000};                  // a crash leaves a torn write
constexpr std::int64_t kSlowDiskMinMs = 10;         // slow_disk flush_ms range
constexpr std::int64_t kSlowDiskMaxMs = 200;
constexpr std::int64_t kDriftPpm = 300'000;         // clock_drift in [-kDriftPpm, kDriftPpm]
constexpr std::int64_t kSlowLinkLatencyMinMs = 5;   // slow_link latency max_ms range
constexpr std::int64_t kSlowLinkLatencyMaxMs = 200;
constexpr std::int64_t kSlowLinkLossPpm = 300'000;  // slow_link loss up to 0.3
constexpr std::int64_t kSlowLinkDupPpm = 100'000;   // slow_link duplicate up to 0.1
constexpr Ppm kDuplicating{333'333};                // a slow_link duplicates
constexpr Ppm kDeleteTopic{333'333};                // admin_ops deletes rather than creates
// A graceful or controlled shutdown takes a while (a resigning leader waits up to 5 s; a broker
// waits for its leaderships to move), and a restart while it still shuts down does nothing: the
// restart comes at least this long after it, and none starts this close to heal-all.
constexpr std::int64_t kShutdownMinMs = 8000;

std::int64_t round_to_ms(Duration d) { return (d.us() + 500) / 1000; }

Ref label_ref(const std::string& label) { return Ref{Ref::Who::Label, 0, label}; }

std::string ref_text(const Ref& r) {
  switch (r.who) {
    case Ref::Who::Leader: return "leader";
    case Ref::Who::Follower: return "follower";
    case Ref::Who::Broker: return "broker " + std::to_string(r.index);
    case Ref::Who::Rack:
    case Ref::Who::RackSplit: return rack_name(r.index);
    case Ref::Who::Label: return "label:" + r.label;
  }
  return "?";
}

json ids_json(const std::vector<int>& ids) {
  json out = json::array();
  for (int id : ids) out.push_back(id);
  return out;
}

json render_ref(const Ref& r, int voters, int brokers) {
  switch (r.who) {
    case Ref::Who::Leader: return "leader";
    case Ref::Who::Follower: return "follower";
    case Ref::Who::Broker: return voters + r.index;
    case Ref::Who::Rack: return ids_json(rack_node_ids(r.index, voters, brokers));
    case Ref::Who::RackSplit: {
      std::vector<int> rest;
      for (int rack = 0; rack < kRacks; ++rack) {
        if (rack == r.index) continue;
        for (int id : rack_node_ids(rack, voters, brokers)) rest.push_back(id);
      }
      std::sort(rest.begin(), rest.end());
      return json::array({ids_json(rack_node_ids(r.index, voters, brokers)), ids_json(rest)});
    }
    case Ref::Who::Label: return "label:" + r.label;
  }
  return nullptr;
}

class Planner {
 public:
  Planner(const Prng& root, const PlanInput& in)
      : in_(in),
        p_(*in.profile),
        root_(root),
        broker_hold_(static_cast<std::size_t>(in.brokers), 0),
        link_until_(static_cast<std::size_t>(in.brokers), 0),
        next_topic_(in.first_free_topic) {}

  FaultPlan run() {
    struct Candidate {
      std::int64_t at;
      std::size_t kind;
    };
    std::vector<Candidate> candidates;
    std::vector<Prng> streams;
    Prng swarm = root_.fork("swarm");
    for (std::size_t k = 0; k < fuzz::kFaultKindCount; ++k) {
      const FaultKind kind = fuzz::kAllFaultKinds[k];
      const fuzz::FaultProfile& fp = p_.fault(kind);
      const bool on = swarm.chance(fp.enabled);
      const std::int64_t mean = swarm.uniform(fp.mean_interval_ms.min, fp.mean_interval_ms.max);
      streams.push_back(root_.fork("fault:" + std::string(fuzz::to_string(kind))));
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
    for (const Candidate& c : candidates) draw(fuzz::kAllFaultKinds[c.kind], c.at, streams[c.kind]);
    heal_all();
    std::sort(out_.actions.begin(), out_.actions.end(),
              [](const PlannedAction& a, const PlannedAction& b) {
                if (a.at_ms != b.at_ms) return a.at_ms < b.at_ms;
                if (a.phase != b.phase) return a.phase < b.phase;
                return a.seq < b.seq;
              });
    return std::move(out_);
  }

 private:
  using Refs = std::vector<std::pair<std::string, Ref>>;

  void draw(FaultKind kind, std::int64_t t, Prng& rng) {
    switch (kind) {
      case FaultKind::Crash:
      case FaultKind::Shutdown:
      case FaultKind::Pause: node_down(kind, t, rng); break;
      case FaultKind::Isolate: isolate(t, rng); break;
      case FaultKind::Partition: partition(t, rng); break;
      case FaultKind::OneWayDrop: drop(t, rng); break;
      case FaultKind::SlowLink: slow_link(t, rng); break;
      case FaultKind::SlowDisk:
      case FaultKind::ClockDrift: node_setting(kind, t, rng); break;
      case FaultKind::CorrelatedCrash: correlated_crash(t, rng); break;
      case FaultKind::ControlledShutdown:
      case FaultKind::BrokerWipe: broker_down(kind, t, rng); break;
      case FaultKind::AdminOps: admin_op(t, rng); break;
    }
  }

  // --- targets and holds ----------------------------------------------------------------------

  // The broker index every fault that may name a broker draws (0 without brokers).
  std::int64_t draw_broker(Prng& rng) const {
    return rng.uniform(0, std::max(in_.brokers, 1) - 1);
  }

  // "leader", "follower" or a broker (kLeaderBelow / kFollowerBelow).
  Ref draw_node(Prng& rng) const {
    const std::int64_t role = rng.uniform(0, 99);
    const std::int64_t broker = draw_broker(rng);
    if (role < kLeaderBelow) return Ref{Ref::Who::Leader, 0, {}};
    if (role < kFollowerBelow) return Ref{Ref::Who::Follower, 0, {}};
    return Ref{Ref::Who::Broker, static_cast<int>(broker), {}};
  }

  [[nodiscard]] bool broker_free(int index, std::int64_t t) const {
    return index < in_.brokers && broker_hold_[static_cast<std::size_t>(index)] <= t;
  }

  // A role can always be named; a broker must exist and be neither down nor paused by the plan.
  [[nodiscard]] bool usable(const Ref& r, std::int64_t t) const {
    return r.who != Ref::Who::Broker || broker_free(r.index, t);
  }

  void hold(const Ref& r, std::int64_t until) {
    if (r.who == Ref::Who::Broker) broker_hold_[static_cast<std::size_t>(r.index)] = until;
  }

  [[nodiscard]] bool cut_open(std::int64_t t) const { return cut_until_ > t; }
  [[nodiscard]] bool too_late_for_shutdown(std::int64_t t) const {
    return t + kShutdownMinMs > in_.safety_ms;
  }

  // The nodes of `rack` with the fewest voters possible (one): not empty for any voter count.
  [[nodiscard]] bool rack_has_nodes(int rack) const {
    return !rack_node_ids(rack, 1, in_.brokers).empty();
  }
  // The other two racks hold a node for every voter count.
  [[nodiscard]] bool rest_has_nodes(int rack) const {
    const auto in_rack = static_cast<int>(rack_node_ids(rack, 1, in_.brokers).size());
    return 1 + in_.brokers - in_rack > 0;
  }

  // --- building actions -----------------------------------------------------------------------

  std::string new_label() { return "f" + std::to_string(next_label_++); }

  void add(std::int64_t at, int phase, json body, Refs refs) {
    out_.actions.push_back(PlannedAction{at, phase, seq_++, std::move(body), std::move(refs)});
  }

  // When a fault starting at t and lasting d ms is undone (heal-all at the latest).
  [[nodiscard]] std::int64_t end_of(std::int64_t t, std::int64_t d) const {
    return std::min(t + d, in_.safety_ms);
  }

  // Schedules a fault at t that lasts until `end`, described as "<what> for <s> s (<extra>)".
  void add_fault(std::int64_t t, std::int64_t end, json body, Refs refs, const std::string& what,
                 const std::string& extra = {}) {
    add(t, 2, std::move(body), std::move(refs));
    std::string line = exact_seconds(t) + " s " + what + " for " + exact_seconds(end - t) + " s";
    if (!extra.empty()) line += " (" + extra + ")";
    out_.faults.push_back(std::move(line));
  }

  // The undo of a fault, at `end`, or at heal-all when the fault lasts that long.
  void add_undo(std::int64_t end, json body, Refs refs) {
    if (end >= in_.safety_ms) {
      open_.push_back({in_.safety_ms, 1, 0, std::move(body), std::move(refs)});
    } else {
      add(end, 1, std::move(body), std::move(refs));
    }
  }

  // A network cut (isolate, partition, drop) from t to `end`, healed then.
  void add_cut(std::int64_t t, std::int64_t end, json body, Refs refs, const std::string& what) {
    add_fault(t, end, std::move(body), std::move(refs), what);
    cut_until_ = end;
    if (end < in_.safety_ms) add(end, 0, {{"action", "heal"}}, {});
  }

  void skip() { ++out_.skipped; }

  // --- the kinds ------------------------------------------------------------------------------

  // crash, shutdown, pause: "leader", "follower" or a broker; undo restart / resume.
  void node_down(FaultKind kind, std::int64_t t, Prng& rng) {
    const Ref target = draw_node(rng);
    const bool torn = kind == FaultKind::Crash && rng.chance(kTornWrite);
    std::int64_t d = draw_log_uniform(rng, p_.fault(kind).duration_ms);
    const bool shutdown = kind == FaultKind::Shutdown;
    if (shutdown) d = std::max(d, kShutdownMinMs);
    if (!usable(target, t) || (shutdown && too_late_for_shutdown(t))) return skip();
    const std::string label = new_label();
    const std::string name(fuzz::to_string(kind));
    json body = {{"action", name}, {"label", label}};
    if (torn) body["torn_write"] = true;
    const std::int64_t end = end_of(t, d);
    add_fault(t, end, std::move(body), {{"node", target}}, name + " " + ref_text(target),
              torn ? "torn write" : "");
    hold(target, end);
    const bool pause = kind == FaultKind::Pause;
    add_undo(end, {{"action", pause ? "resume" : "restart"}}, {{"node", label_ref(label)}});
  }

  void isolate(std::int64_t t, Prng& rng) {
    const Ref target = draw_node(rng);
    const std::int64_t d = draw_log_uniform(rng, p_.fault(FaultKind::Isolate).duration_ms);
    if (!usable(target, t) || cut_open(t)) return skip();
    add_cut(t, end_of(t, d), {{"action", "isolate"}, {"label", new_label()}}, {{"node", target}},
            "isolate " + ref_text(target));
  }

  // One rack cut off from the two others.
  void partition(std::int64_t t, Prng& rng) {
    const auto rack = static_cast<int>(rng.uniform(0, kRacks - 1));
    const std::int64_t d = draw_log_uniform(rng, p_.fault(FaultKind::Partition).duration_ms);
    const bool rack_down = rack_hold_[static_cast<std::size_t>(rack)] > t;
    if (cut_open(t) || rack_down || !rack_has_nodes(rack) || !rest_has_nodes(rack)) return skip();
    const Ref split{Ref::Who::RackSplit, rack, {}};
    add_cut(t, end_of(t, d), {{"action", "partition"}, {"label", new_label()}},
            {{"groups", split}}, "partition " + ref_text(split));
  }

  // leader -> follower, follower -> leader, leader -> broker or broker -> leader.
  void drop(std::int64_t t, Prng& rng) {
    const std::int64_t mode = rng.uniform(0, 3);
    const std::int64_t broker = draw_broker(rng);
    const std::int64_t d = draw_log_uniform(rng, p_.fault(FaultKind::OneWayDrop).duration_ms);
    const Ref leader{Ref::Who::Leader, 0, {}};
    const Ref other = mode <= 1 ? Ref{Ref::Who::Follower, 0, {}}
                                : Ref{Ref::Who::Broker, static_cast<int>(broker), {}};
    const bool leader_first = mode == 0 || mode == 2;
    const Ref& from = leader_first ? leader : other;
    const Ref& to = leader_first ? other : leader;
    if (cut_open(t) || !usable(other, t)) return skip();
    add_cut(t, end_of(t, d), {{"action", "drop"}, {"label", new_label()}},
            {{"from", from}, {"to", to}}, "one_way_drop " + ref_text(from) + " -> " + ref_text(to));
  }

  // A broker's links to every node (one way or both) get slower, lossy and/or duplicating.
  void slow_link(std::int64_t t, Prng& rng) {
    const auto broker = static_cast<int>(draw_broker(rng));
    const bool both = rng.chance(kHalf);
    const std::int64_t latency = rng.uniform(kSlowLinkLatencyMinMs, kSlowLinkLatencyMaxMs);
    const bool lossy = rng.chance(kHalf);
    const std::int64_t loss = rng.uniform(1, kSlowLinkLossPpm);
    const bool dup = rng.chance(kDuplicating);
    const std::int64_t duplicate = rng.uniform(1, kSlowLinkDupPpm);
    const std::int64_t d = draw_log_uniform(rng, p_.fault(FaultKind::SlowLink).duration_ms);
    if (!broker_free(broker, t) || link_until_[static_cast<std::size_t>(broker)] > t) return skip();
    const Ref target{Ref::Who::Broker, broker, {}};
    json body = {{"action", "slow_link"},
                 {"to", "all"},
                 {"latency", {{"distribution", "uniform"}, {"min_ms", 1}, {"max_ms", latency}}},
                 {"label", new_label()}};
    json undo = {{"action", "restore_link"}, {"to", "all"}};
    std::string extra = "1-" + std::to_string(latency) + " ms";
    if (lossy) {
      body["loss"] = probability_json(Ppm{static_cast<std::uint32_t>(loss)});
      extra += ", loss " + fuzz::detail::percent(loss) + "%";
    }
    if (dup) {
      body["duplicate"] = probability_json(Ppm{static_cast<std::uint32_t>(duplicate)});
      extra += ", dup " + fuzz::detail::percent(duplicate) + "%";
    }
    if (both) {
      body["bidirectional"] = true;
      undo["bidirectional"] = true;
      extra += ", both ways";
    }
    const std::int64_t end = end_of(t, d);
    add_fault(t, end, std::move(body), {{"from", target}}, "slow_link " + ref_text(target), extra);
    link_until_[static_cast<std::size_t>(broker)] = end;
    add_undo(end, std::move(undo), {{"from", target}});
  }

  // slow_disk and clock_drift: a setting of "leader", "follower" or a broker, set back to normal.
  void node_setting(FaultKind kind, std::int64_t t, Prng& rng) {
    const Ref target = draw_node(rng);
    const bool disk = kind == FaultKind::SlowDisk;
    std::int64_t value = disk ? rng.uniform(kSlowDiskMinMs, kSlowDiskMaxMs)
                              : rng.uniform(-kDriftPpm, kDriftPpm);
    if (!disk && value == 0) value = 1;
    const std::int64_t d = draw_log_uniform(rng, p_.fault(kind).duration_ms);
    if (!usable(target, t)) return skip();
    const std::string label = new_label();
    const char* field = disk ? "flush_ms" : "drift_ppm";
    const std::string name(fuzz::to_string(kind));
    const std::int64_t end = end_of(t, d);
    const std::string extra = disk ? "fsync " + std::to_string(value) + " ms"
                                   : (value > 0 ? "+" : "") + std::to_string(value) + " ppm";
    add_fault(t, end, {{"action", name}, {field, value}, {"label", label}}, {{"node", target}},
              name + " " + ref_text(target), extra);
    add_undo(end, {{"action", name}, {field, 0}}, {{"node", label_ref(label)}});
  }

  // Every node of one rack crashes at the same instant; they restart together.
  void correlated_crash(std::int64_t t, Prng& rng) {
    const auto rack = static_cast<int>(rng.uniform(0, kRacks - 1));
    const std::int64_t d =
        draw_log_uniform(rng, p_.fault(FaultKind::CorrelatedCrash).duration_ms);
    bool free = rack_hold_[static_cast<std::size_t>(rack)] <= t && rack_has_nodes(rack);
    for (int b = 0; b < in_.brokers; ++b) {
      if (broker_rack(b) == rack && !broker_free(b, t)) free = false;
    }
    if (!free) return skip();
    const Ref target{Ref::Who::Rack, rack, {}};
    const std::string label = new_label();
    const std::int64_t end = end_of(t, d);
    add_fault(t, end, {{"action", "crash"}, {"label", label}}, {{"node", target}},
              "correlated_crash " + ref_text(target));
    rack_hold_[static_cast<std::size_t>(rack)] = end;
    for (int b = 0; b < in_.brokers; ++b) {
      if (broker_rack(b) == rack) broker_hold_[static_cast<std::size_t>(b)] = end;
    }
    add_undo(end, {{"action", "restart"}}, {{"node", label_ref(label)}});
  }

  // controlled_shutdown or wipe of a broker.
  void broker_down(FaultKind kind, std::int64_t t, Prng& rng) {
    const auto broker = static_cast<int>(draw_broker(rng));
    std::int64_t d = draw_log_uniform(rng, p_.fault(kind).duration_ms);
    const bool controlled = kind == FaultKind::ControlledShutdown;
    if (controlled) d = std::max(d, kShutdownMinMs);
    if (!broker_free(broker, t) || (controlled && too_late_for_shutdown(t))) return skip();
    const Ref target{Ref::Who::Broker, broker, {}};
    const std::string label = new_label();
    const std::int64_t end = end_of(t, d);
    add_fault(t, end, {{"action", controlled ? "controlled_shutdown" : "wipe"}, {"label", label}},
              {{"node", target}}, std::string(fuzz::to_string(kind)) + " " + ref_text(target));
    hold(target, end);
    add_undo(end, {{"action", "restart"}}, {{"node", label_ref(label)}});
  }

  // A topic created ("t<n>") or one that admin_ops created deleted (never the initial ones).
  void admin_op(std::int64_t t, Prng& rng) {
    const bool del = rng.chance(kDeleteTopic);
    const std::int64_t partitions = rng.uniform(p_.partitions.min, p_.partitions.max);
    const std::int64_t factor = rng.uniform(p_.replication_factor.min, p_.replication_factor.max);
    const std::int64_t pick = rng.uniform(0, 1'000'000);
    if (in_.brokers == 0) return skip();
    std::string line = exact_seconds(t) + " s ";
    if (del && !topics_.empty()) {
      const auto i = static_cast<std::size_t>(pick % static_cast<std::int64_t>(topics_.size()));
      const std::string name = topics_[i];
      topics_.erase(topics_.begin() + static_cast<std::ptrdiff_t>(i));
      add(t, 2, {{"action", "delete_topic"}, {"topic", name}, {"label", new_label()}}, {});
      out_.faults.push_back(line + "delete_topic " + name);
      return;
    }
    const std::string name = "t" + std::to_string(next_topic_++);
    const std::int64_t rf = std::min<std::int64_t>(factor, in_.brokers);
    topics_.push_back(name);
    add(t, 2,
        {{"action", "create_topic"},
         {"topic", {{"name", name}, {"partitions", partitions}, {"replication_factor", rf}}},
         {"label", new_label()}},
        {});
    out_.faults.push_back(line + "create_topic " + name + " (" + std::to_string(partitions) +
                          " partitions, replication factor " + std::to_string(rf) + ")");
  }

  // --- heal-all -------------------------------------------------------------------------------

  void heal_all() {
    add(in_.safety_ms, 0, {{"action", "heal"}, {"label", std::string(fuzz::kHealAllLabel)}}, {});
    for (PlannedAction& undo : open_) {
      add(in_.safety_ms, 1, std::move(undo.body), std::move(undo.refs));
    }
  }

  const PlanInput& in_;
  const fuzz::Profile& p_;
  const Prng root_;
  FaultPlan out_;
  std::uint64_t seq_ = 0;
  int next_label_ = 0;
  std::int64_t cut_until_ = 0;                // end of the open network cut (0: none yet)
  std::vector<std::int64_t> broker_hold_;     // broker index -> end of its stop or pause
  std::array<std::int64_t, kRacks> rack_hold_{};  // rack -> end of its correlated crash
  std::vector<std::int64_t> link_until_;      // broker index -> end of its slow_link
  std::vector<PlannedAction> open_;           // undos left for heal-all, in creation order
  std::vector<std::string> topics_;           // created by admin_ops, not deleted
  int next_topic_;
};

}  // namespace

std::string exact_seconds(std::int64_t ms) {
  std::string out = std::to_string(ms / 1000);
  std::string fraction = std::to_string(ms % 1000);
  fraction.insert(0, 3 - fraction.size(), '0');
  while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  if (!fraction.empty()) out += "." + fraction;
  return out;
}

FaultPlan draw_fault_plan(const Prng& root, const PlanInput& in) { return Planner(root, in).run(); }

nlohmann::json render_actions(const FaultPlan& plan, int voters, int brokers) {
  json out = json::array();
  for (const PlannedAction& a : plan.actions) {
    json action = a.body;
    action["at_ms"] = a.at_ms;
    for (const auto& [field, ref] : a.refs) action[field] = render_ref(ref, voters, brokers);
    out.push_back(std::move(action));
  }
  return out;
}

}  // namespace sim::compare::detail
