// Simulation: watching the nodes (role changes, elections, active leaders, failovers, committed
// progress) and assembling the RunResult.
#include <algorithm>
#include <sstream>

#include "sim/expectations.hh"
#include "sim/simulation.hh"
#include "sim/time.hh"

namespace sim {

namespace {
std::string describe_state(raft::StateKind kind, Epoch epoch, const std::optional<NodeId>& leader) {
  std::ostringstream os;
  os << raft::to_string(kind) << "(epoch " << epoch;
  if (leader && kind != raft::StateKind::Leader && kind != raft::StateKind::Resigned) {
    os << ", leader " << *leader;
  }
  os << ")";
  return os.str();
}
}  // namespace

void Simulation::observe(NodeHost& node) {
  const auto index = static_cast<std::size_t>(node.id().value());
  const Seen before = seen_[index];
  Seen after;
  if (const raft::RaftClient* c = node.client()) {
    after.alive = true;
    after.kind = c->quorum().kind();
    after.epoch = c->quorum().epoch();
    after.leader = c->quorum().leader_id();
    after.active = after.kind == raft::StateKind::Leader && c->high_watermark().has_value();
  }
  after.log_start = node.disk().log_start_offset();
  if (!node.disk().snapshots().empty()) after.latest_snapshot = node.disk().snapshots().back()->id;
  seen_[index] = after;
  if (before.alive && after.alive) observe_snapshots(node, before, after);
  const bool changed = before.alive != after.alive || before.kind != after.kind ||
                       before.epoch != after.epoch || before.leader != after.leader;
  const std::string name = "node " + std::to_string(node.id().value());
  if (changed) {
    const std::string from = before.alive ? describe_state(before.kind, before.epoch, before.leader) : "down";
    const std::string to = after.alive ? describe_state(after.kind, after.epoch, after.leader) : "down";
    trace_.note(now_, TimelineEntry::Kind::Role, node.id(), name + ": " + from + " -> " + to);
    if (trace_.listening()) {
      trace_.emit(now_, TraceEventKind::Role, node.id(),
                  {{"state", after.alive ? std::string(raft::to_string(after.kind)) : std::string("down")},
                   {"epoch", after.epoch.value()},
                   {"leader", after.leader ? std::int64_t{after.leader->value()} : std::int64_t{-1}}});
    }
  }
  const bool was_leader = before.alive && before.kind == raft::StateKind::Leader;
  const bool is_leader = after.alive && after.kind == raft::StateKind::Leader;
  if (is_leader && (!was_leader || before.epoch != after.epoch)) {
    std::ostringstream os;
    os << name << " won the election of epoch " << after.epoch << " (votes from";
    for (NodeId v : node.client()->quorum().leader_or_null()->granting_voters()) os << " " << v;
    os << ")";
    trace_.note(now_, TimelineEntry::Kind::Election, node.id(), os.str());
    ++elections_;
    if (trace_.listening()) {
      std::string voters;
      for (NodeId v : node.client()->quorum().leader_or_null()->granting_voters()) {
        voters += (voters.empty() ? "" : " ") + std::to_string(v.value());
      }
      trace_.emit(now_, TraceEventKind::Election, node.id(), {{"epoch", after.epoch.value()}, {"voters", voters}});
    }
    failovers_.leader_elected(node.id(), after.epoch, now_);
  }
  const auto& active = failovers_.active();
  if (active && active->node == node.id() && !(is_leader && after.epoch == active->epoch)) {
    failovers_.leader_lost(now_, name + " stopped leading (" + (after.alive ? std::string(raft::to_string(after.kind)) : "down") + ")");
    failovers_.active_gone();
  }
  if (after.active && !before.active && failovers_.leader_active(node.id(), after.epoch, now_)) {
    observations_.active_leaders.push_back(ActiveLeader{now_, node.id(), after.epoch});
    std::ostringstream os;
    os << name << " is the active leader of epoch " << after.epoch
       << " (its LeaderChange record committed, HW " << *node.client()->high_watermark() << ")";
    trace_.note(now_, TimelineEntry::Kind::Active, node.id(), os.str());
    if (trace_.listening()) {
      trace_.emit(now_, TraceEventKind::Active, node.id(),
                  {{"epoch", after.epoch.value()}, {"hw", node.client()->high_watermark()->value()}});
    }
  }
}

void Simulation::observe_snapshots(NodeHost& node, const Seen& previous, const Seen& after) {
  if (after.log_start == previous.log_start) return;
  std::ostringstream os;
  os << "node " << node.id();
  if (node.disk().end_offset() == after.log_start && after.latest_snapshot &&
      after.latest_snapshot != previous.latest_snapshot && after.latest_snapshot->offset == after.log_start) {
    // The whole log was replaced by a snapshot downloaded with FetchSnapshot.
    ++snapshot_books_[static_cast<std::size_t>(node.id().value())].downloaded;
    os << " installed snapshot " << *after.latest_snapshot
       << " downloaded from the leader (FetchSnapshot); its log now starts there";
  } else {
    os << " log start moved from " << previous.log_start << " to " << after.log_start
       << " (retention deleted older snapshots and the log they cover)";
  }
  trace_.note(now_, TimelineEntry::Kind::Note, node.id(), os.str());
}

void Simulation::observe_progress() {
  observations_.committed_end.record(now_, invariants_.committed().end.value());
  if (const auto& active = failovers_.active()) {
    const raft::RaftClient* c = host(active->node).client();
    if (c != nullptr && c->high_watermark()) {
      observations_.active_leader_hw.record(now_, c->high_watermark()->value());
    }
  }
}

std::int64_t Simulation::metadata_offset_of(const NodeHost& n) {
  // A combined node reports its controller's image (the broker's follows it).
  if (const auto* ctl = n.controller()) return ctl->committed_image().provenance().end_offset.value() - 1;
  if (const auto* b = n.broker()) return b->loader().image().provenance().end_offset.value() - 1;
  return -1;
}

Simulation::WriteCapacity Simulation::write_capacity() const {
  WriteCapacity c;
  c.needed = static_cast<std::size_t>(scenario_.cluster.controllers / 2 + 1);
  c.leader = highest_epoch_leader(nodes_);
  if (c.leader == nullptr) return c;
  c.paused = c.leader->status() != NodeStatus::Running;
  c.committed_in_epoch = c.leader->client()->high_watermark().has_value();
  const NodeId leader = c.leader->id();
  for (const auto& n : nodes_) {
    if (!n->is_voter()) continue;
    if (n->id() == leader || (n->status() == NodeStatus::Running && network_.link_up(leader, n->id()) &&
                              network_.link_up(n->id(), leader))) {
      ++c.reachable;
    }
  }
  return c;
}

std::string Simulation::describe_unwritable(const WriteCapacity& c) const {
  if (c.leader == nullptr) return "no leader";
  std::ostringstream os;
  os << "leader " << c.leader->id() << " (epoch " << c.leader->client()->quorum().epoch() << ") ";
  if (c.paused) {
    os << "paused";
  } else if (!c.committed_in_epoch) {
    os << "has not committed in its epoch yet";
  } else {
    os << "reaches " << c.reachable << " of " << scenario_.cluster.controllers << " voters (" << c.needed
       << " needed)";
  }
  return os.str();
}

void Simulation::observe_availability() {
  const WriteCapacity c = write_capacity();
  const bool writable = c.writable();
  if (writable && !availability_.writable()) {
    // A lost leader that can commit again in the same epoch (its pause or cut ended before it
    // resigned) ends its failover without an election.
    failovers_.leader_regained(c.leader->id(), c.leader->client()->quorum().epoch(), now_);
  }
  availability_.sample(now_, writable, [&] { return describe_unwritable(c); });
}

std::int64_t Simulation::committed_records_lost() const {
  const Offset committed = invariants_.committed().end;
  Offset durable{0};
  for (const auto& n : nodes_) {
    if (n->is_voter()) durable = std::max(durable, n->disk().flushed_end_offset());
  }
  return committed > durable ? committed.value() - durable.value() : 0;
}

void Simulation::fill_metadata(MetadataSummary& m) const {
  const CommittedMetadataModel* model = invariants_.metadata_model();
  if (model == nullptr) return;
  const raft::metadata::MetadataImage& image = model->image();
  const MetadataObservations& obs = observations_.metadata;
  m.enabled = true;
  m.active_controller_changes = static_cast<std::int64_t>(obs.active_controllers.size());
  if (const auto active = view_.active_controller()) m.active_controller = active->node;
  m.broker_registrations = metadata_observer_->registrations();
  m.broker_fences = metadata_observer_->fences();
  m.broker_unfences = metadata_observer_->unfences();
  for (const auto& [id, b] : image.brokers()) {
    ++m.brokers_registered;
    if (b.fenced) ++m.brokers_fenced;
  }
  m.topics = static_cast<std::int64_t>(image.topics().size());
  m.partitions = image.partition_count();
  m.leaderless_partitions = image.leaderless_partition_count();
  m.max_leaderless_partitions = metadata_observer_->max_leaderless();
  m.leaderless_over_time = obs.leaderless_partitions.points;
  m.committed_end = model->end();
  for (const AdminOutcome& o : admin_->outcomes()) {
    switch (o.result) {
      case AdminOutcome::Result::ACKNOWLEDGED: ++m.admin_acknowledged; break;
      case AdminOutcome::Result::FAILED: ++m.admin_failed; break;
      case AdminOutcome::Result::UNKNOWN: ++m.admin_unknown; break;
      case AdminOutcome::Result::PENDING: ++m.admin_pending; break;
    }
  }
}

std::vector<NodeSummary> Simulation::node_summaries() const {
  std::vector<NodeSummary> out;
  for (const auto& n : nodes_) {
    NodeSummary s;
    s.id = n->id();
    s.voter = n->is_voter();
    s.status = std::string(to_string(n->status()));
    s.incarnation = n->incarnation();
    s.flushed_end_offset = n->disk().flushed_end_offset();
    s.log_end_offset = n->disk().end_offset();
    const DiskStats& disk = n->disk().stats();
    s.crashes = disk.crashes;
    s.batches_lost_in_crashes = disk.batches_lost_in_crashes;
    s.bytes_lost_in_crashes = disk.bytes_lost_in_crashes;
    s.torn_writes = disk.torn_writes;
    s.wipes = disk.wipes;
    s.log_start_offset = n->disk().log_start_offset();
    s.snapshots_on_disk = n->disk().snapshots().size();
    if (!n->disk().snapshots().empty()) s.latest_snapshot = n->disk().snapshots().back()->id;
    const NodeProcessSpec& p = n->process();
    if (p.kind == StateMachineKind::Metadata) {
      s.roles = p.broker && p.controller ? "broker,controller" : (p.controller ? "controller" : "broker");
    }
    const SnapshotBook& book = snapshot_books_[static_cast<std::size_t>(n->id().value())];
    s.snapshots_created = book.created;
    s.snapshots_downloaded = book.downloaded;
    if (const raft::RaftClient* c = n->client()) {
      s.state = std::string(raft::to_string(c->quorum().kind()));
      s.epoch = c->quorum().epoch();
      s.leader = c->quorum().leader_id();
      s.high_watermark = c->high_watermark();
      if (n->counter() != nullptr) s.committed_value = n->counter()->committed();
      if (const auto* b = n->broker()) {
        s.broker_state = std::string(raft::broker::to_string(b->lifecycle().state()));
        s.broker_epoch = b->lifecycle().broker_epoch();
      }
      s.metadata_offset = metadata_offset_of(*n);
    } else {
      s.state = "-";
      const auto stored = n->disk().read_election_state();
      s.epoch = stored ? stored->epoch : Epoch(0);
    }
    out.push_back(std::move(s));
  }
  return out;
}

RunResult Simulation::build_result(const std::string& stop_reason) {
  for (const auto& n : nodes_) {
    const CrashPoint armed = n->disk().armed_crash_point();
    if (armed == CrashPoint::None) continue;
    trace_.note(now_, TimelineEntry::Kind::Note, n->id(),
                "node " + std::to_string(n->id().value()) + ": crash point " + std::string(to_string(armed)) +
                    " still armed at the end (the node never wrote such a file)");
  }
  RunResult r;
  r.scenario_name = scenario_.name;
  r.seed = seed_;
  r.events = events_;
  r.invariant_checks = invariants_.checks_run();
  r.invariant_passes = invariant_passes_;
  r.sim_time = now_;
  r.stop_reason = stop_reason;
  r.violation = violation_;
  r.failovers = failovers_.failovers();
  r.availability = availability_.result(now_);
  r.elections = elections_;
  r.committed_records_lost = committed_records_lost();
  r.nodes = node_summaries();
  r.network = network_.stats();
  r.messages_dropped_down = messages_dropped_down_;
  r.appends = appends_;

  fill_metadata(r.metadata);
  r.expectations = evaluate_expectations(scenario_.expectations, monitor_, view_);

  if (violation_) {
    r.outcome = Outcome::SafetyViolation;
  } else if (events_exhausted_) {
    r.outcome = Outcome::LivenessFailure;
  } else if (std::any_of(r.expectations.begin(), r.expectations.end(),
                         [](const ExpectationResult& e) { return !e.passed; })) {
    r.outcome = Outcome::ExpectationFailed;
  }
  r.trace_hash = trace_.hash();
  r.timeline = trace_.timeline();
  return r;
}

}  // namespace sim
