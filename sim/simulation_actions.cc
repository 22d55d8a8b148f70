// Simulation: the scenario's timeline actions (crash with an optional torn write or crash point,
// restart, graceful shutdown, isolate, partition, one-way drop, heal, pause, resume, wipe, slow
// disk) and node selectors (id, leader, follower, label:<name>).
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
    case NodeSelector::Kind::RandomController:  // TODO(issue 5): set selectors in progress
    case NodeSelector::Kind::RandomNode:
    case NodeSelector::Kind::Voters:
    case NodeSelector::Kind::Followers:
    case NodeSelector::Kind::Brokers:
    case NodeSelector::Kind::All:
    case NodeSelector::Kind::Set:
      return std::nullopt;
    case NodeSelector::Kind::Label: {
      auto it = label_targets_.find(s.label);
      if (it == label_targets_.end() || it->second.empty()) return std::nullopt;
      return it->second.front();
    }
  }
  return std::nullopt;
}

std::vector<NodeId> Simulation::resolve_all(const std::vector<NodeSelector>& selectors) {
  std::vector<NodeId> out;
  for (const NodeSelector& s : selectors) {
    if (auto id = resolve(s)) {
      if (std::find(out.begin(), out.end(), *id) == out.end()) out.push_back(*id);
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
  ActionRecord record{now_, failovers_.active() ? failovers_.active()->epoch : Epoch(0), {}, false};
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
    case ActionType::ControlledShutdown: {
      const std::optional<NodeId> id = resolve(*action.node);
      if (!id) {
        skipped = "no node matches the selector";
        break;
      }
      record.targets = {*id};
      std::string what = describe(action, record.targets);
      if (action.type == ActionType::Crash && action.torn_write) what += " (torn write)";
      // A crash, a wipe and a slow disk write their own notes, with what they lost or set.
      if (action.type != ActionType::Crash && action.type != ActionType::Wipe &&
          action.type != ActionType::SlowDisk) {
        trace_.note(now_, TimelineEntry::Kind::Fault, *id, what);
      }
      if (action.type == ActionType::Crash) {
        if (action.crash_point == CrashPoint::None) {
          crash(*id, what, action.torn_write);
        } else {
          arm_crash_point(*id, action.crash_point, what);
        }
      }
      if (action.type == ActionType::Restart) restart(*id);
      if (action.type == ActionType::Shutdown) shutdown(*id);
      if (action.type == ActionType::Isolate) {
        network_.isolate(*id);
        check_active_leader_reachable(what);
      }
      if (action.type == ActionType::Pause) pause(*id, what);
      if (action.type == ActionType::Resume) resume(*id);
      if (action.type == ActionType::Wipe) wipe(*id, what);
      if (action.type == ActionType::SlowDisk) slow_disk(*id, action.flush_latency, what);
      if (action.type == ActionType::ControlledShutdown) begin_controlled_shutdown(*id);
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
      for (const auto& g : action.groups) {
        groups.push_back(resolve_all(g));
        os << (groups.size() == 1 ? " " : " | ") << "{" << ids(groups.back()) << "}";
        record.targets.insert(record.targets.end(), groups.back().begin(), groups.back().end());
      }
      network_.partition(groups);
      trace_.note(now_, TimelineEntry::Kind::Fault, std::nullopt, os.str());
      check_active_leader_reachable(os.str());
      break;
    }
    case ActionType::Drop: {
      const std::optional<NodeId> from = resolve(*action.from);
      const std::optional<NodeId> to = resolve(*action.to);
      if (!from || !to || *from == *to) {
        skipped = "the selectors do not name two different nodes";
        break;
      }
      record.targets = {*from, *to};
      network_.drop(*from, *to);
      std::ostringstream os;
      os << "drop";
      if (!action.label.empty()) os << " '" << action.label << "'";
      os << " messages " << *from << " -> " << *to << " (one-way)";
      trace_.note(now_, TimelineEntry::Kind::Fault, std::nullopt, os.str());
      check_active_leader_reachable(os.str());
      break;
    }
    case ActionType::SlowLink:  // TODO(issue 5): in progress
    case ActionType::RestoreLink:
    case ActionType::ClockDrift:
      skipped = "not implemented yet";
      break;
    case ActionType::Heal:
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
    observations_.actions_by_label[action.label] = record;
    label_targets_[action.label] = record.targets;
  }
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
  call_node(n, [&](NodeHost& h) { h.client()->begin_shutdown(now_); });
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
