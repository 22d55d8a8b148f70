// Simulation: the scenario's timeline actions (crash with an optional torn write or crash point,
// restart, graceful shutdown, isolate, partition, one-way drop, heal, pause, resume, wipe, slow
// disk, slow_link / restore_link, clock drift) and node selectors (id, leader, follower,
// random-controller / -node / -broker, the sets controllers, followers, brokers, all and arrays,
// label:<name>).
#include <algorithm>
#include <sstream>

#include "raft/common/assert.hh"
#include "sim/simulation.hh"
#include "sim/time.hh"

namespace sim {

namespace {
std::string ids(const std::vector<NodeId>& v) {
  std::ostringstream os;
  for (std::size_t i = 0; i < v.size(); ++i) os << (i ? "," : "") << v[i];
  return os.str();
}

// What a crash lost, for the timeline: "lost the unflushed tail, 3 batches / 12 records
// (offsets 120..131)", with the torn write and an interrupted fsync when there were some.
std::string describe_loss(const CrashLoss& loss) {
  std::ostringstream os;
  if (loss.batches == 0) {
    os << "nothing unflushed to lose";
  } else {
    os << "lost the unflushed tail, " << loss.batches << (loss.batches == 1 ? " batch / " : " batches / ")
       << loss.records << (loss.records == 1 ? " record" : " records") << " (offsets "
       << loss.first_offset.value() << ".." << loss.end_offset.value() - 1 << ", " << loss.bytes
       << " bytes)";
  }
  if (loss.fsync_interrupted) os << "; an fsync was in flight";
  if (loss.torn_at) {
    os << "; torn write at offset " << loss.torn_at->value()
       << " left on disk (its checksum no longer matches)";
  }
  return os.str();
}

// A span as a number of milliseconds without trailing zeros: "200", "0.5".
std::string ms_number(Duration d) {
  std::string out = std::to_string(d.us() / 1000);
  if (const std::int64_t frac = d.us() % 1000; frac != 0) {
    std::string digits = std::to_string(frac);
    digits.insert(0, 3 - digits.size(), '0');
    while (digits.back() == '0') digits.pop_back();
    out += "." + digits;
  }
  return out;
}

// "200 ms", "0.5 ms".
std::string plain_ms(Duration d) { return ms_number(d) + " ms"; }

// `millionths` / 10^6 as a decimal without trailing zeros: 1'200'000 -> "1.2", 50'000 -> "0.05".
std::string decimal_millionths(std::int64_t millionths) {
  std::string out = std::to_string(millionths / 1'000'000);
  if (const std::int64_t frac = millionths % 1'000'000; frac != 0) {
    std::string digits = std::to_string(frac);
    digits.insert(0, 6 - digits.size(), '0');
    while (digits.back() == '0') digits.pop_back();
    out += "." + digits;
  }
  return out;
}

// "constant 200 ms", "uniform 1..5 ms", "exponential min 1 ms, mean 2 ms, cap 50 ms".
std::string describe_latency(const LatencySpec& l) {
  switch (l.distribution) {
    case LatencySpec::Distribution::Constant: return "constant " + plain_ms(l.min);
    case LatencySpec::Distribution::Uniform: return "uniform " + ms_number(l.min) + ".." + plain_ms(l.max);
    case LatencySpec::Distribution::Exponential:
      return "exponential min " + plain_ms(l.min) + ", mean " + plain_ms(l.mean) + ", cap " + plain_ms(l.max);
  }
  return "?";
}

// What a slow_link sets: "latency constant 200 ms, loss 0.1, duplicate 0.05" (given fields only).
std::string describe_link_change(const Action& a) {
  std::vector<std::string> parts;
  if (a.link_latency) parts.push_back("latency " + describe_latency(*a.link_latency));
  if (a.link_loss) parts.push_back("loss " + decimal_millionths(a.link_loss->value));
  if (a.link_duplicate) parts.push_back("duplicate " + decimal_millionths(a.link_duplicate->value));
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : ", ") + p;
  return out;
}

// A whole link behaviour: "latency uniform 1..5 ms, loss 0, duplicate 0".
std::string describe_link(const LinkSpec& spec) {
  return "latency " + describe_latency(spec.latency) + ", loss " + decimal_millionths(spec.loss.value) +
         ", duplicate " + decimal_millionths(spec.duplicate.value);
}

// "+200000 ppm (runs 1.2x)", "-500000 ppm (runs 0.5x)", "0 ppm (runs 1x: exact)".
std::string describe_drift(std::int64_t drift_ppm) {
  std::string out = (drift_ppm > 0 ? "+" : "") + std::to_string(drift_ppm) + " ppm (runs " +
                    decimal_millionths(NodeClock::kExactRate + drift_ppm) + "x";
  return out + (drift_ppm == 0 ? ": exact)" : ")");
}

// "0", or "{0,1}" for several nodes.
std::string id_set(const std::vector<NodeId>& v) {
  return v.size() == 1 ? ids(v) : "{" + ids(v) + "}";
}

// When an armed crash point strikes, in words.
std::string_view crash_point_moment(CrashPoint p) {
  switch (p) {
    case CrashPoint::SnapshotBeforeFsync: return "at its next snapshot write, before the fsync";
    case CrashPoint::SnapshotBeforeRename: return "at its next snapshot write, before the rename";
    case CrashPoint::QuorumStateBeforeFsync: return "at its next quorum-state write, before the fsync";
    case CrashPoint::QuorumStateBeforeRename: return "at its next quorum-state write, before the rename";
    case CrashPoint::None: break;
  }
  return "now";
}
}  // namespace

std::optional<NodeId> Simulation::resolve(const NodeSelector& s) {
  switch (s.kind) {
    case NodeSelector::Kind::Id: return s.id;
    case NodeSelector::Kind::Leader: {
      // Whoever leads at this moment: the running Leader with the highest epoch.
      const NodeHost* leader = highest_epoch_leader(nodes_);
      if (leader == nullptr) return std::nullopt;
      return leader->id();
    }
    case NodeSelector::Kind::Follower: {
      const NodeHost* leader = highest_epoch_leader(nodes_);
      std::vector<NodeId> candidates;
      for (const auto& n : nodes_) {
        if (n->is_voter() && n->is_alive() && (leader == nullptr || n.get() != leader)) {
          candidates.push_back(n->id());
        }
      }
      if (candidates.empty()) return std::nullopt;
      const auto pick = fault_rng_.next_int(static_cast<std::int64_t>(candidates.size()));
      return candidates[static_cast<std::size_t>(pick)];
    }
    case NodeSelector::Kind::RandomBroker: {
      std::vector<NodeId> candidates;
      for (const auto& n : nodes_) {
        if (n->broker() != nullptr && n->status() == NodeStatus::Running) candidates.push_back(n->id());
      }
      if (candidates.empty()) return std::nullopt;
      const auto pick = fault_rng_.next_int(static_cast<std::int64_t>(candidates.size()));
      return candidates[static_cast<std::size_t>(pick)];
    }
    case NodeSelector::Kind::RandomController:
    case NodeSelector::Kind::RandomNode: {
      const bool voters_only = s.kind == NodeSelector::Kind::RandomController;
      std::vector<NodeId> candidates;
      for (const auto& n : nodes_) {
        if ((!voters_only || n->is_voter()) && n->status() == NodeStatus::Running) {
          candidates.push_back(n->id());
        }
      }
      if (candidates.empty()) return std::nullopt;
      const auto pick = fault_rng_.next_int(static_cast<std::int64_t>(candidates.size()));
      return candidates[static_cast<std::size_t>(pick)];
    }
    case NodeSelector::Kind::Voters:
    case NodeSelector::Kind::Followers:
    case NodeSelector::Kind::Brokers:
    case NodeSelector::Kind::All:
    case NodeSelector::Kind::Set: {
      const std::vector<NodeId> all = resolve_targets(s);
      if (all.empty()) return std::nullopt;
      return all.front();
    }
    case NodeSelector::Kind::Label: {
      auto it = label_targets_.find(s.label);
      if (it == label_targets_.end() || it->second.empty()) return std::nullopt;
      return it->second.front();
    }
  }
  return std::nullopt;
}

std::vector<NodeId> Simulation::resolve_targets(const NodeSelector& s) {
  std::vector<NodeId> out;
  const NodeHost* leader = nullptr;
  switch (s.kind) {
    case NodeSelector::Kind::Label: {
      auto it = label_targets_.find(s.label);
      if (it != label_targets_.end()) out = it->second;
      break;
    }
    case NodeSelector::Kind::Voters:
      for (const auto& n : nodes_) {
        if (n->is_voter()) out.push_back(n->id());
      }
      break;
    case NodeSelector::Kind::Followers:
      // Every node "follower" draws from: the running voters but the leader.
      leader = highest_epoch_leader(nodes_);
      for (const auto& n : nodes_) {
        if (n->is_voter() && n->is_alive() && n.get() != leader) out.push_back(n->id());
      }
      break;
    case NodeSelector::Kind::Brokers:
      // The broker role of a metadata cluster (brokers and combined controllers); the
      // observers of a counter cluster.
      for (const auto& n : nodes_) {
        const bool broker = n->process().kind == StateMachineKind::Metadata ? n->process().broker
                                                                             : !n->is_voter();
        if (broker) out.push_back(n->id());
      }
      break;
    case NodeSelector::Kind::All:
      for (const auto& n : nodes_) out.push_back(n->id());
      break;
    case NodeSelector::Kind::Set:
      // Members in file order (so random ones draw in a fixed order), then the union.
      for (const NodeSelector& member : s.members) {
        for (NodeId id : resolve_targets(member)) out.push_back(id);
      }
      break;
    case NodeSelector::Kind::Id:
    case NodeSelector::Kind::Leader:
    case NodeSelector::Kind::Follower:
    case NodeSelector::Kind::RandomBroker:
    case NodeSelector::Kind::RandomController:
    case NodeSelector::Kind::RandomNode:
      if (const std::optional<NodeId> id = resolve(s)) out.push_back(*id);
      break;
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<NodeId> Simulation::resolve_all(const std::vector<NodeSelector>& selectors) {
  std::vector<NodeId> out;
  for (const NodeSelector& s : selectors) {
    for (NodeId id : resolve_targets(s)) {
      if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
    }
  }
  return out;
}

std::string Simulation::describe(const Action& action, const std::vector<NodeId>& targets) const {
  std::ostringstream os;
  os << to_string(action.type);
  if (!action.label.empty()) os << " '" << action.label << "'";
  if (!targets.empty()) os << " node" << (targets.size() > 1 ? "s " : " ") << ids(targets);
  return os.str();
}

void Simulation::run_action(const Action& action) {
  trace_.event(now_, "action", static_cast<std::int64_t>(action.index));
  ActionRecord record;
  record.at = now_;
  record.active_epoch = failovers_.active() ? failovers_.active()->epoch : Epoch(0);
  std::string skipped;
  switch (action.type) {
    case ActionType::Crash:
    case ActionType::Restart:
    case ActionType::Shutdown:
    case ActionType::Isolate:
    case ActionType::Pause:
    case ActionType::Resume:
    case ActionType::Wipe:
    case ActionType::SlowDisk:
    case ActionType::ControlledShutdown:
    case ActionType::ClockDrift: {
      // Every node the selector resolves to (all of them first: random draws happen before any
      // node changes), in id order.
      const std::vector<NodeId> targets = resolve_targets(*action.node);
      if (targets.empty()) {
        skipped = "no node matches the selector";
        break;
      }
      record.targets = targets;
      for (NodeId id : targets) run_node_action(action, id);
      if (action.type == ActionType::Isolate) check_active_leader_reachable(describe(action, targets));
      break;
    }
    case ActionType::CreateTopic:
    case ActionType::DeleteTopic:
    case ActionType::AlterConfig:
      submit_admin(action);
      break;
    case ActionType::Partition: {
      std::vector<std::vector<NodeId>> groups;
      std::ostringstream os;
      os << "partition";
      if (!action.label.empty()) os << " '" << action.label << "'";
      std::vector<NodeId> twice;  // nodes that selectors of several groups resolved to
      for (const auto& g : action.groups) {
        std::vector<NodeId> group;
        for (NodeId id : resolve_all(g)) {
          // A node in two groups ("leader" in one, its id in another): the first group keeps it.
          const bool placed = std::find(record.targets.begin(), record.targets.end(), id) != record.targets.end();
          (placed ? twice : group).push_back(id);
          if (!placed) record.targets.push_back(id);
        }
        groups.push_back(std::move(group));
        os << (groups.size() == 1 ? " " : " | ") << "{" << ids(groups.back()) << "}";
      }
      if (!twice.empty()) os << " (node" << (twice.size() > 1 ? "s " : " ") << ids(twice) << " kept in the first group naming it)";
      network_.partition(groups);
      trace_.note(now_, TimelineEntry::Kind::Fault, std::nullopt, os.str());
      check_active_leader_reachable(os.str());
      break;
    }
    case ActionType::Drop:
    case ActionType::SlowLink:
    case ActionType::RestoreLink: {
      const std::vector<NodeId> from = resolve_targets(*action.from);
      const std::vector<NodeId> to = resolve_targets(*action.to);
      std::vector<std::pair<NodeId, NodeId>> links;  // (from, to), from != to, ascending
      for (NodeId f : from) {
        for (NodeId t : to) {
          if (f == t) continue;
          links.emplace_back(f, t);
          if (action.bidirectional) links.emplace_back(t, f);
        }
      }
      std::sort(links.begin(), links.end());
      links.erase(std::unique(links.begin(), links.end()), links.end());
      if (links.empty()) {
        skipped = "the selectors do not name two different nodes";
        break;
      }
      record.targets = from;
      for (NodeId t : to) {
        if (std::find(from.begin(), from.end(), t) == from.end()) record.targets.push_back(t);
      }
      change_links(action, from, to, links);
      break;
    }
    case ActionType::Heal:
      // Slowed links (slow_link) stay slow: heal removes cuts only; restore_link undoes them.
      network_.heal();
      trace_.note(now_, TimelineEntry::Kind::Fault, std::nullopt, "heal: every partition, drop and isolation removed");
      break;
  }
  if (!skipped.empty()) {
    record.skipped = true;
    trace_.note(now_, TimelineEntry::Kind::Note, std::nullopt,
                describe(action, {}) + " skipped: " + skipped);
  }
  if (!action.label.empty()) {
    // Expectations measure from the first run of a repeated action; "label:<name>" selectors
    // name the nodes of its latest run.
    if (action.repetition == 0) observations_.actions_by_label[action.label] = record;
    label_targets_[action.label] = record.targets;
  }
  if (trace_.listening()) {
    std::string targets;
    for (NodeId id : record.targets) targets += (targets.empty() ? "" : " ") + std::to_string(id.value());
    std::optional<NodeId> first;
    if (!record.targets.empty()) first = record.targets.front();
    trace_.emit(now_, TraceEventKind::Action, first,
                {{"index", static_cast<std::int64_t>(action.index)},
                 {"type", std::string(to_string(action.type))},
                 {"label", action.label},
                 {"targets", targets}});
  }
}

void Simulation::run_node_action(const Action& action, NodeId id) {
  std::string what = describe(action, {id});
  if (action.type == ActionType::Crash && action.torn_write) what += " (torn write)";
  // A crash, a wipe, a slow disk and a clock drift write their own notes, with what they lost
  // or set.
  if (action.type != ActionType::Crash && action.type != ActionType::Wipe &&
      action.type != ActionType::SlowDisk && action.type != ActionType::ClockDrift) {
    trace_.note(now_, TimelineEntry::Kind::Fault, id, what);
  }
  switch (action.type) {
    case ActionType::Crash:
      if (action.crash_point == CrashPoint::None) {
        crash(id, what, action.torn_write);
      } else {
        arm_crash_point(id, action.crash_point, what);
      }
      break;
    case ActionType::Restart: restart(id); break;
    case ActionType::Shutdown: shutdown(id); break;
    case ActionType::Isolate: network_.isolate(id); break;  // the caller checks the leader
    case ActionType::Pause: pause(id, what); break;
    case ActionType::Resume: resume(id); break;
    case ActionType::Wipe: wipe(id, what); break;
    case ActionType::SlowDisk: slow_disk(id, action.flush_latency, what); break;
    case ActionType::ControlledShutdown: begin_controlled_shutdown(id); break;
    case ActionType::ClockDrift: clock_drift(id, action.drift_ppm, what); break;
    default: KR_ASSERT(false, "action " << to_string(action.type) << " does not target nodes");
  }
}

void Simulation::change_links(const Action& action, const std::vector<NodeId>& from,
                              const std::vector<NodeId>& to,
                              const std::vector<std::pair<NodeId, NodeId>>& links) {
  std::ostringstream os;
  os << to_string(action.type);
  if (!action.label.empty()) os << " '" << action.label << "'";
  const bool one = links.size() == 1 || (action.bidirectional && links.size() == 2);
  const std::string arrow = action.bidirectional ? " <-> " : " -> ";
  const std::string ends = id_set(from) + arrow + id_set(to);
  const std::string count = one ? "" : " (" + std::to_string(links.size()) + " links)";
  switch (action.type) {
    case ActionType::Drop:
      for (const auto& [f, t] : links) network_.drop(f, t);
      os << " messages " << ends << " (one-way" << (one ? "" : ", " + std::to_string(links.size()) + " links")
         << ")";
      trace_.note(now_, TimelineEntry::Kind::Fault, std::nullopt, os.str());
      check_active_leader_reachable(os.str());
      return;
    case ActionType::SlowLink:
      // Each link keeps what the action does not set from its current behaviour.
      for (const auto& [f, t] : links) {
        LinkSpec spec = network_.link_spec(f, t);
        if (action.link_latency) spec.latency = *action.link_latency;
        if (action.link_loss) spec.loss = *action.link_loss;
        if (action.link_duplicate) spec.duplicate = *action.link_duplicate;
        network_.set_link(f, t, spec);
      }
      os << " " << ends << ": " << describe_link_change(action) << count;
      break;
    case ActionType::RestoreLink:
      for (const auto& [f, t] : links) network_.restore_link(f, t);
      os << " " << ends << ": back to the configured behaviour";
      if (one) {
        os << " (" << describe_link(network_.configured_link_spec(links.front().first, links.front().second))
           << ")";
      } else {
        os << count;
      }
      break;
    default: KR_ASSERT(false, "action " << to_string(action.type) << " does not change links");
  }
  trace_.note(now_, TimelineEntry::Kind::Fault, std::nullopt, os.str());
}

void Simulation::clock_drift(NodeId id, std::int64_t drift_ppm, const std::string& what) {
  NodeHost& n = host(id);
  n.set_clock_drift(now_, drift_ppm);
  std::string note = what + ": " + describe_drift(drift_ppm);
  if (const Instant local = n.local_time(now_); local != now_) {
    note += "; its clock reads " + format_ms(local);
  }
  trace_.note(now_, TimelineEntry::Kind::Fault, id, note);
  // Its timers now come due at other global times.
  reschedule(n);
}

void Simulation::crash(NodeId id, const std::string& what, bool torn_write) {
  NodeHost& n = host(id);
  if (n.status() != NodeStatus::Running && n.status() != NodeStatus::Paused) {
    trace_.note(now_, TimelineEntry::Kind::Fault, id, what);
    trace_.note(now_, TimelineEntry::Kind::Note, id, "node " + std::to_string(id.value()) + " already down");
    return;
  }
  kill(n, what, torn_write);
}

void Simulation::kill(NodeHost& node, const std::string& what, bool torn_write, std::string_view separator) {
  if (failovers_.active() && failovers_.active()->node == node.id()) failovers_.leader_lost(now_, what);
  const CrashLoss loss = node.crash(torn_write);
  trace_.note(now_, TimelineEntry::Kind::Fault, node.id(), what + std::string(separator) + describe_loss(loss));
  observe(node);
  if (admin_) {
    // The admin client's connections to the dead process break.
    admin_->node_down(node.id(), now_);
    after_admin_call();
  }
}

void Simulation::arm_crash_point(NodeId id, CrashPoint point, const std::string& what) {
  // The disk keeps the arming across crashes and restarts: a node that is down now may write
  // such a file when it comes back.
  host(id).disk().arm_crash(point);
  trace_.note(now_, TimelineEntry::Kind::Fault, id,
              what + " armed (" + std::string(to_string(point)) + "): node " + std::to_string(id.value()) +
                  " crashes " + std::string(crash_point_moment(point)));
}

void Simulation::crash_at_crash_point(NodeHost& node, const CrashPointReached& reached) {
  // e.g. "node 2 crashed in the middle of writing snapshot (1234, 3): before fsync; nothing ..."
  kill(node, "node " + std::to_string(node.id().value()) + " crashed in the middle of writing " + reached.what(),
       false, "; ");
}

void Simulation::wipe(NodeId id, const std::string& what) {
  NodeHost& n = host(id);
  if (n.status() == NodeStatus::Running || n.status() == NodeStatus::Paused) kill(n, what, false);
  Disk& disk = n.disk();
  std::ostringstream os;
  os << what << ": the disk is replaced by a blank one (" << disk.batches().size() << " batches, "
     << disk.snapshots().size() << " snapshots";
  if (const auto state = disk.read_election_state()) os << ", the quorum state of epoch " << state->epoch;
  os << " gone); node " << id << " stays down until restarted";
  disk.wipe();
  trace_.note(now_, TimelineEntry::Kind::Fault, id, os.str());
}

void Simulation::slow_disk(NodeId id, Duration latency, const std::string& what) {
  // An fsync already in flight keeps its completion time; the next one takes `latency`.
  host(id).disk().set_flush_latency(latency);
  trace_.note(now_, TimelineEntry::Kind::Fault, id,
              what + ": fsync latency " + (latency == Duration::zero() ? "back to 0" : format_ms(latency)));
}

void Simulation::restart(NodeId id) {
  NodeHost& n = host(id);
  if (n.is_alive()) {
    trace_.note(now_, TimelineEntry::Kind::Note, id, "node " + std::to_string(id.value()) + " already running");
    return;
  }
  call_node(n, [&](NodeHost& h) { h.start(now_); });
}

void Simulation::shutdown(NodeId id) {
  NodeHost& n = host(id);
  if (n.status() != NodeStatus::Running) {
    trace_.note(now_, TimelineEntry::Kind::Note, id, "node " + std::to_string(id.value()) + " not running");
    return;
  }
  if (failovers_.active() && failovers_.active()->node == id) {
    failovers_.leader_lost(now_, "graceful shutdown of node " + std::to_string(id.value()));
  }
  call_node(n, [&](NodeHost& h) { h.client()->begin_shutdown(h.local_time(now_)); });
}

void Simulation::pause(NodeId id, const std::string& cause) {
  NodeHost& n = host(id);
  if (n.status() != NodeStatus::Running) {
    trace_.note(now_, TimelineEntry::Kind::Note, id, "node " + std::to_string(id.value()) + " not running");
    return;
  }
  // A paused leader still believes it leads but answers nobody: for clients it is lost.
  if (failovers_.active() && failovers_.active()->node == id) failovers_.leader_lost(now_, cause);
  n.pause();
}

void Simulation::resume(NodeId id) {
  NodeHost& n = host(id);
  if (n.status() != NodeStatus::Paused) {
    trace_.note(now_, TimelineEntry::Kind::Note, id, "node " + std::to_string(id.value()) + " not paused");
    return;
  }
  // What arrived during the pause is handled in arrival order, then the (long expired) timers;
  // if an fsync is still in flight, all that waits for its completion.
  n.resume();
  unblock(n);
}

void Simulation::check_active_leader_reachable(const std::string& cause) {
  const auto& active = failovers_.active();
  if (!active) return;
  // The active leader is lost if it can no longer exchange messages with a majority of voters
  // (itself included).
  std::size_t reachable = 0;
  for (const auto& n : nodes_) {
    if (!n->is_voter()) continue;
    if (n->id() == active->node ||
        (network_.link_up(active->node, n->id()) && network_.link_up(n->id(), active->node))) {
      ++reachable;
    }
  }
  const auto majority = static_cast<std::size_t>(scenario_.cluster.controllers / 2 + 1);
  if (reachable < majority) failovers_.leader_lost(now_, cause);
}

}  // namespace sim
