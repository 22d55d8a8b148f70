// Simulation: construction, the event loop, calls into nodes, message routing and delivery.
#include "sim/simulation.hh"

#include <algorithm>
#include <sstream>

#include "raft/common/assert.hh"

namespace sim {

namespace {
raft::RaftConfig raft_config(const RaftConfigValues& v) {
  raft::RaftConfig c;
  c.election_timeout = Duration::millis(v.election_timeout_ms);
  c.fetch_timeout = Duration::millis(v.fetch_timeout_ms);
  c.election_backoff_max = Duration::millis(v.election_backoff_max_ms);
  c.request_timeout = Duration::millis(v.request_timeout_ms);
  c.retry_backoff = Duration::millis(v.retry_backoff_ms);
  c.append_linger = Duration::millis(v.append_linger_ms);
  return c;
}

// What node `id` runs, with its own configuration (cluster.node_config, else the cluster's) and
// the scenario's re-introduced historical bugs.
NodeProcessSpec process_spec(const ClusterSpec& cluster, int id, raft::BugSet bugs) {
  NodeProcessSpec p;
  p.controller_config.bugs = bugs;
  if (cluster.state_machine == StateMachineChoice::Counter) return p;
  const MetadataConfigValues m = cluster.config_of(id).metadata;
  p.kind = StateMachineKind::Metadata;
  p.controller = id < cluster.controllers;
  p.broker = cluster.runs_broker(id);
  p.controller_config.session_timeout = Duration::millis(m.broker_session_timeout_ms);
  p.controller_config.max_idle_interval = Duration::millis(m.metadata_max_idle_interval_ms);
  p.controller_config.auto_leader_rebalance = m.auto_leader_rebalance_enable;
  p.controller_config.leader_imbalance_check_interval =
      Duration::seconds(m.leader_imbalance_check_interval_seconds);
  p.controller_config.unclean_election_interval =
      Duration::millis(m.unclean_leader_election_interval_ms);
  p.broker_config.heartbeat_interval = Duration::millis(m.broker_heartbeat_interval_ms);
  p.broker_config.initial_registration_timeout =
      Duration::millis(m.initial_broker_registration_timeout_ms);
  // Kafka: the controller channel's retry timeout and backoff cap follow the session timeout.
  p.broker_config.request_timeout = Duration::millis(m.broker_session_timeout_ms / 2);
  p.broker_config.retry_backoff_max = Duration::millis(m.broker_session_timeout_ms);
  if (auto rack = cluster.racks.find(id); rack != cluster.racks.end()) p.broker_config.rack = rack->second;
  return p;
}

// The RaftConfig of a node whose effective configuration is `node`, with the scenario's
// re-introduced historical bugs.
raft::RaftConfig raft_config(const NodeConfigValues& node, raft::BugSet bugs) {
  raft::RaftConfig c = raft_config(node.config);
  c.max_retention_bytes = node.snapshot.max_retention_bytes;
  c.max_retention = Duration::millis(node.snapshot.max_retention_ms);
  c.bugs = bugs;
  return c;
}

// The scenario's network, with the node classes of its cluster (whoever built the scenario).
NetworkSpec network_spec(const Scenario& scenario) {
  NetworkSpec spec = scenario.network;
  spec.controllers = scenario.cluster.controllers;
  spec.node_count = scenario.cluster.node_count();
  return spec;
}
}  // namespace

Simulation::Simulation(Scenario scenario, std::uint64_t seed, TraceListener* listener)
    : scenario_(std::move(scenario)),
      seed_(seed),
      root_rng_(seed),
      fault_rng_(root_rng_.fork("faults")),
      network_(network_spec(scenario_), root_rng_.fork("network")),
      invariants_(scenario_.cluster.state_machine == StateMachineChoice::Metadata) {
  trace_.set_listener(listener);
  const ClusterSpec& cluster = scenario_.cluster;
  std::vector<NodeId> voters;
  for (int i = 0; i < cluster.controllers; ++i) voters.emplace_back(i);
  for (int i = 0; i < cluster.node_count(); ++i) {
    raft::RaftClient::Options options{NodeId(i), voters,
                                      raft_config(cluster.config_of(i), scenario_.bugs), {}};
    nodes_.push_back(std::make_unique<NodeHost>(options, root_rng_.fork("node-" + std::to_string(i)),
                                                 process_spec(cluster, i, scenario_.bugs)));
  }
  seen_.resize(nodes_.size());
  snapshot_books_.resize(nodes_.size());
  for (std::size_t i = 0; i < scenario_.timeline.size(); ++i) {
    queue_.push(scenario_.timeline[i].at, RunAction{i});
  }
  if (scenario_.workload.enabled) queue_.push(Instant::zero() + scenario_.workload.interval, WorkloadTick{});
  if (cluster.state_machine == StateMachineChoice::Metadata) build_metadata_world();
  trace_.event(now_, "start", -1, static_cast<std::int64_t>(seed_));
  for (auto& n : nodes_) {
    n->disk().set_flush_latency(scenario_.disk.flush_latency_of(n->id().value()));
  }
  for (auto& n : nodes_) {
    call_node(*n, [&](NodeHost& h) { h.start(now_); });
  }
  watch_expectations();  // the state at 0, before any event
}

NodeHost& Simulation::host(NodeId id) {
  KR_ASSERT(id.value() >= 0 && static_cast<std::size_t>(id.value()) < nodes_.size(), "no node " << id);
  return *nodes_[static_cast<std::size_t>(id.value())];
}

const NodeHost& Simulation::node(NodeId id) const {
  KR_ASSERT(id.value() >= 0 && static_cast<std::size_t>(id.value()) < nodes_.size(), "no node " << id);
  return *nodes_[static_cast<std::size_t>(id.value())];
}

// ---- the loop ---------------------------------------------------------------------------------

RunResult Simulation::run() {
  run_until(scenario_.stop.at);
  check_acknowledged_admin_writes();
  trace_.end(now_);
  std::string reason;
  if (violation_) {
    reason = "invariant " + violation_->invariant + " violated";
  } else if (events_exhausted_) {
    reason = "event bound reached (events_max " + std::to_string(scenario_.stop.events_max) + ")";
  } else if (stopped_when_) {
    reason = "stop.when held (" + *stopped_when_ + ")";
  } else {
    reason = "stop time reached";
  }
  return build_result(reason);
}

bool Simulation::run_until(Instant t) {
  while (!finished_) {
    if (queue_.empty() || queue_.next_time() > t) {
      monitor_.before(std::min(t, scenario_.stop.at) + Duration::micros(1), view_);
      now_ = std::max(now_, t);
      if (t >= scenario_.stop.at) finished_ = true;
      return !finished_;
    }
    if (events_ >= scenario_.stop.events_max) {
      events_exhausted_ = true;
      finished_ = true;
      return false;
    }
    monitor_.before(queue_.next_time(), view_);
    step();
  }
  return false;
}

bool Simulation::step() {
  auto entry = queue_.pop();
  now_ = entry.at;
  const bool counted = std::visit(
      [&](auto& e) -> bool {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, WakeNode>) {
          const NodeHost& n = host(e.node);
          if (e.generation != n.wake_generation || n.status() != NodeStatus::Running) return false;
        }
        if constexpr (std::is_same_v<T, WakeAdmin>) {
          if (e.generation != admin_wake_generation_) return false;
        }
        if constexpr (std::is_same_v<T, FlushComplete>) {
          // Stale when the node crashed (or stopped) after the fsync started.
          if (e.generation != host(e.node).flush_generation) return false;
        }
        dispatch(e);
        return true;
      },
      entry.payload);
  if (!counted) return true;
  ++events_;
  if (trace_.listening()) trace_progress();
  check_invariants();
  observe_progress();
  observe_availability();
  if (metadata_observer_) observe_metadata();
  watch_expectations();
  return true;
}

void Simulation::watch_expectations() {
  monitor_.after_event(view_);
  const StopSpec& stop = scenario_.stop;
  if (!stop.when || now_ < stop.when_from || violation_) return;
  const ConditionOutcome outcome = evaluate_condition(*stop.when, view_);
  if (!outcome.holds) return;
  stopped_when_ = stop.when->description + ": " + outcome.observed;
  trace_.note(now_, TimelineEntry::Kind::Note, std::nullopt, "stop.when held: " + *stopped_when_);
  finished_ = true;
}

void Simulation::record_restart(const Action& action) {
  if (action.type != ActionType::Restart || action.label.empty()) return;
  auto it = observations_.actions_by_label.find(action.label);
  if (it == observations_.actions_by_label.end() || it->second.skipped) return;
  ActionRecord& record = it->second;
  if (record.targets.empty()) return;
  const NodeId id = record.targets.front();
  record.restart_log_end = host(id).disk().end_offset();
  record.restart_snapshots_downloaded = snapshot_books_[static_cast<std::size_t>(id.value())].downloaded;
  // The restart itself may already have sent the first Fetch (the node knew its leader).
  if (auto sent = last_fetch_.find(id); sent != last_fetch_.end() && sent->second.second == now_) {
    record.first_fetch_offset = sent->second.first;
    record.first_fetch_at = now_;
    return;
  }
  awaiting_first_fetch_[id] = action.label;
}

void Simulation::observe_first_fetch(const raft::Message& m) {
  const auto* fetch = std::get_if<raft::FetchRequest>(&m.payload);
  if (fetch == nullptr) return;
  last_fetch_[m.source] = {fetch->fetch_offset, now_};
  auto it = awaiting_first_fetch_.find(m.source);
  if (it == awaiting_first_fetch_.end()) return;
  ActionRecord& record = observations_.actions_by_label[it->second];
  record.first_fetch_offset = fetch->fetch_offset;
  record.first_fetch_at = now_;
  awaiting_first_fetch_.erase(it);
}
void Simulation::check_invariants() {
  if (violation_) return;
  ++invariant_passes_;
  const CheckContext ctx{now_, events_, nodes_, static_cast<std::size_t>(scenario_.cluster.controllers)};
  if (auto v = invariants_.check(ctx)) record_violation(std::move(*v));
}

void Simulation::record_violation(Violation v) {
  if (violation_) return;
  trace_.note(now_, TimelineEntry::Kind::Note, std::nullopt, "VIOLATION " + v.invariant + ": " + v.detail);
  violation_ = std::move(v);
  finished_ = true;
}

// ---- events -------------------------------------------------------------------------------------

void Simulation::dispatch(const WakeNode& e) {
  NodeHost& n = host(e.node);
  trace_.event(now_, "wake", e.node.value());
  // This wake-up is used up: if the node asks for the same instant again, reschedule must see it
  // (and refuse it) instead of taking it for the wake-up still pending.
  n.scheduled_wake = Instant::never();
  call_node(n, [&](NodeHost& h) { h.poll(now_); });
}

void Simulation::dispatch(Deliver& e) {
  if (e.message.destination == kAdminClientId) {
    const bool cut = !network_.link_up(e.message.source, e.message.destination);
    trace_.message(now_, cut ? "drop-cut" : "deliver", e.message);
    if (trace_.listening()) {
      trace_message(cut ? TraceEventKind::Drop : TraceEventKind::Deliver, e.message, e.message_id, "cut");
    }
    if (!cut) deliver_to_admin(e.message);
    return;
  }
  NodeHost& n = host(e.message.destination);
  const bool down = !n.is_alive() || n.incarnation() != e.destination_incarnation;
  // A combined node's broker talks to its own controller over loopback: no link to cut.
  const bool local = e.message.source == e.message.destination;
  const bool cut = !local && !network_.link_up(e.message.source, e.message.destination);
  if (down || cut) {
    // The connection died (destination restarted or down) or a fault started while in flight.
    trace_.message(now_, down ? "drop-down" : "drop-cut", e.message);
    if (trace_.listening()) trace_message(TraceEventKind::Drop, e.message, e.message_id, down ? "down" : "cut");
    if (down) ++messages_dropped_down_;
    if (down && e.message.source == kAdminClientId && admin_) {
      admin_->node_down(e.message.destination, now_);
      after_admin_call();
    }
    return;
  }
  trace_.message(now_, "deliver", e.message);
  if (trace_.listening()) trace_message(TraceEventKind::Deliver, e.message, e.message_id);
  if (n.blocked()) {
    n.hold(std::move(e.message));
    return;
  }
  deliver_to(n, e.message);
}

void Simulation::deliver_to(NodeHost& node, const raft::Message& m) {
  call_node(node, [&](NodeHost& h) { h.handle(m, now_); });
}

void Simulation::dispatch(const RunAction& e) {
  const Action& action = scenario_.timeline[e.position];
  const std::size_t admin_ops = admin_ ? admin_->outcomes().size() : 0;
  run_action(action);
  if (action.repetition > 0) return;  // expectations look at the first run (see run_action)
  if (!action.label.empty() && admin_ && admin_->outcomes().size() > admin_ops) {
    observations_.actions_by_label[action.label].admin_op = admin_->outcomes().back().id;
  }
  record_restart(action);
}

void Simulation::dispatch(const WorkloadTick&) {
  trace_.event(now_, "workload", -1);
  const WorkloadSpec& w = scenario_.workload;
  for (auto& n : nodes_) {
    // A node blocked in an fsync is skipped like a paused one (simplification: Kafka's controller
    // thread could still queue records into the accumulator meanwhile).
    if (n->status() != NodeStatus::Running || n->blocked()) continue;
    ReplicatedCounter* counter = n->counter();
    if (counter == nullptr || !counter->writable_epoch()) continue;
    call_node(*n, [&](NodeHost& h) {
      std::vector<std::string> records = counter->next_records(w.records_per_append, w.record_bytes);
      if (h.client()->append(*counter->writable_epoch(), std::move(records), h.local_time(now_))) {
        ++appends_;
      } else {
        counter->cancel_uncommitted(w.records_per_append);
      }
    });
  }
  queue_.push(now_ + w.interval, WorkloadTick{});
}

void Simulation::dispatch(const FlushComplete& e) {
  NodeHost& n = host(e.node);
  trace_.event(now_, "fsync-done", e.node.value());
  n.flush_completion_scheduled = false;
  n.complete_flush();
  unblock(n);
}

void Simulation::unblock(NodeHost& node) {
  if (node.status() != NodeStatus::Running || node.blocked() || violation_) return;
  // What it sent after the fsync started leaves now, before anything it sends from now on.
  for (const raft::Message& m : node.take_held_outbound()) route(m);
  // Its timers expired while it was blocked: no wake-up is scheduled for them until the poll
  // below (reschedule() skips the node meanwhile), which runs them.
  draining_ = node.id();
  while (node.has_held() && node.is_alive() && !node.blocked() && !violation_) {
    const raft::Message m = node.pop_held();
    deliver_to(node, m);
  }
  draining_.reset();
  // Then its (possibly long expired) timers.
  if (node.is_alive() && !node.blocked() && !violation_) {
    call_node(node, [&](NodeHost& h) { h.poll(now_); });
  } else {
    reschedule(node);  // blocked again by a handled message: no wake-up until it completes
  }
}

// ---- calls into nodes -----------------------------------------------------------------------

void Simulation::call_node(NodeHost& node, const std::function<void(NodeHost&)>& f) {
  try {
    f(node);
    maybe_snapshot(node);
    after_node_call(node);
  } catch (const raft::AssertionFailure& failure) {
    // An assertion in raft/ is a protocol invariant: a safety violation of this run.
    record_violation(Violation{"ProtocolAssertion", failure.what(), events_, now_, {node.id()}});
  } catch (const CrashPointReached& reached) {
    // The process died in the middle of a file write. Whatever the raft objects were doing is
    // moot: the crash destroys them, with their queued messages; the disk keeps what it had made
    // durable (Disk::write_snapshot / write_election_state changed it before throwing).
    crash_at_crash_point(node, reached);
  }
}

void Simulation::maybe_snapshot(NodeHost& node) {
  raft::RaftClient* client = node.client();
  if (client == nullptr || node.status() != NodeStatus::Running || node.blocked()) return;
  SnapshotBook& book = snapshot_books_[static_cast<std::size_t>(node.id().value())];
  if (!book.generator || book.incarnation != node.incarnation()) {
    book.generator = std::make_unique<SnapshotGenerator>(
        scenario_.cluster.config_of(node.id().value()).snapshot, node.local_time(now_));
    book.incarnation = node.incarnation();
  }
  // The generator's interval timer runs on the node's own clock.
  if (book.generator->maybe_snapshot(node.local_time(now_), *client, node, shared_snapshots_)) {
    ++book.created;
  }
}

void Simulation::after_node_call(NodeHost& node) {
  if (node.client() != nullptr && node.client()->is_shutdown_complete()) {
    for (const raft::Message& m : node.take_outbox()) route(m);
    // It waits for an fsync in flight, sends what it held back, and exits.
    for (const raft::Message& m : node.take_held_outbound()) route(m);
    node.stop_after_shutdown();
    trace_.note(now_, TimelineEntry::Kind::Fault, node.id(),
                "node " + std::to_string(node.id().value()) + " finished its graceful shutdown");
  }
  for (const raft::Message& m : node.take_outbox()) route(m);
  schedule_flush_completion(node);
  observe(node);
  reschedule(node);
}

void Simulation::schedule_flush_completion(NodeHost& node) {
  if (!node.disk().flush_in_progress() || node.flush_completion_scheduled) return;
  node.flush_completion_scheduled = true;
  const Duration latency = node.disk().flush_latency();
  trace_.event(now_, "fsync", node.id().value(), latency.us());
  queue_.push(now_ + latency, FlushComplete{node.id(), node.flush_generation});
}

void Simulation::route(const raft::Message& m) {
  trace_.message(now_, "send", m);
  observe_first_fetch(m);
  const std::uint64_t id = next_message_id_++;
  const std::uint32_t incarnation = m.destination == kAdminClientId ? 0 : host(m.destination).incarnation();
  if (m.source == m.destination) {
    // Loopback (a combined node's broker and controller): delivered at once, never lost.
    if (trace_.listening()) trace_message(TraceEventKind::Send, m, id);
    queue_.push(now_, Deliver{m, incarnation, id});
    return;
  }
  std::vector<Delivery> deliveries = network_.route(m, now_);
  if (trace_.listening()) {
    trace_.emit(now_, TraceEventKind::Send, m.source,
                {{"id", static_cast<std::int64_t>(id)},
                 {"to", m.destination.value()},
                 {"api", std::string(raft::api_name(m.payload))},
                 {"correlation", m.correlation_id.value()},
                 {"copies", static_cast<std::int64_t>(deliveries.size())}});
  }
  for (Delivery& d : deliveries) {
    queue_.push(d.at, Deliver{std::move(d.message), incarnation, id});
  }
}

void Simulation::trace_message(TraceEventKind kind, const raft::Message& m, std::uint64_t id,
                               std::string_view reason) {
  const bool send = kind == TraceEventKind::Send;
  std::vector<std::pair<std::string_view, TraceValue>> fields = {
      {"id", static_cast<std::int64_t>(id)},
      {send ? "to" : "from", (send ? m.destination : m.source).value()},
      {"api", std::string(raft::api_name(m.payload))},
      {"correlation", m.correlation_id.value()}};
  if (send) fields.emplace_back("copies", std::int64_t{1});
  if (kind == TraceEventKind::Drop) fields.emplace_back("reason", std::string(reason));
  trace_.emit(now_, kind, send ? m.source : m.destination, std::move(fields));
}

void Simulation::trace_progress() {
  traced_progress_.resize(nodes_.size(), {-2, -2, -2, -2});
  for (const auto& n : nodes_) {
    const raft::RaftClient* c = n->client();
    const std::array<std::int64_t, 4> now{
        c != nullptr && c->high_watermark() ? c->high_watermark()->value() : -1,
        n->disk().end_offset().value(), n->disk().flushed_end_offset().value(),
        c != nullptr ? metadata_offset_of(*n) : -1};
    auto& last = traced_progress_[static_cast<std::size_t>(n->id().value())];
    if (now == last) continue;
    last = now;
    trace_.emit(now_, TraceEventKind::Progress, n->id(),
                {{"hw", now[0]}, {"leo", now[1]}, {"flushed", now[2]}, {"metadata_offset", now[3]}});
  }
}

void Simulation::reschedule(NodeHost& node) {
  if (node.status() != NodeStatus::Running || node.client() == nullptr) return;
  if (draining_ == node.id()) return;  // unblock() polls it once the held messages are handled
  if (node.disk().flush_in_progress()) {
    // Blocked in an fsync: no timer fires until it completes (the completion polls the node).
    if (!node.scheduled_wake.is_never()) {
      node.scheduled_wake = Instant::never();
      ++node.wake_generation;
    }
    return;
  }
  const Instant deadline = node.next_deadline();
  if (deadline == node.scheduled_wake) return;
  KR_ASSERT(deadline > now_, "node " << node.id() << " asks to be polled at " << deadline
                                     << ", not after now " << now_);
  node.scheduled_wake = deadline;
  ++node.wake_generation;
  if (!deadline.is_never()) queue_.push(deadline, WakeNode{node.id(), node.wake_generation});
}

}  // namespace sim
