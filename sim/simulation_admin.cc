// Simulation: the metadata layer's world: the admin client and its workload, controlled
// shutdowns of brokers, and the metadata observations (active controller, broker states,
// leaderless partitions).
#include <sstream>

#include "raft/common/assert.hh"
#include "sim/simulation.hh"
#include "sim/time.hh"

namespace sim {

void Simulation::build_metadata_world() {
  const AdminWorkloadSpec& w = scenario_.admin;
  std::vector<NodeId> controllers;
  for (int i = 0; i < scenario_.cluster.controllers; ++i) controllers.emplace_back(i);
  AdminClientConfig config;
  config.request_timeout = Duration::millis(w.request_timeout_ms);
  config.api_timeout = Duration::millis(w.default_api_timeout_ms);
  config.retry_backoff = Duration::millis(w.retry_backoff_ms);
  config.retry_backoff_max = Duration::millis(w.retry_backoff_max_ms);
  admin_ = std::make_unique<AdminClient>(kAdminClientId, controllers, config, admin_outbox_, now_);
  metadata_observer_ = std::make_unique<MetadataObserver>(observations_.metadata, trace_);
  if (!w.topics.empty()) queue_.push(w.topics_at, AdminTopics{});
  if (w.create_stream.count > 0) queue_.push(w.create_stream.start, AdminStreamTick{});
}

void Simulation::dispatch(const WakeAdmin&) {
  trace_.event(now_, "wake", kAdminClientId.value());
  admin_wake_ = Instant::never();
  admin_->poll(now_);
  after_admin_call();
}

void Simulation::dispatch(const AdminTopics&) {
  for (const TopicSpec& t : scenario_.admin.topics) {
    admin_->submit_create_topic(t.name, t.partitions, t.replication_factor, t.configs, now_);
  }
  trace_.note(now_, TimelineEntry::Kind::Note, std::nullopt,
              "admin: create " + std::to_string(scenario_.admin.topics.size()) + " topic(s)");
  after_admin_call();
}

void Simulation::dispatch(const AdminStreamTick&) {
  const AdminWorkloadSpec::Stream& s = scenario_.admin.create_stream;
  admin_->submit_create_topic(s.prefix + std::to_string(stream_sent_), s.partitions,
                              s.replication_factor, {}, now_);
  ++stream_sent_;
  if (stream_sent_ < s.count) queue_.push(now_ + s.interval, AdminStreamTick{});
  after_admin_call();
}

void Simulation::deliver_to_admin(const raft::Message& m) {
  admin_->handle(m, now_);
  after_admin_call();
}

void Simulation::after_admin_call() {
  for (const raft::Message& m : admin_outbox_.take()) route(m);
  const Instant deadline = admin_->next_deadline();
  if (deadline == admin_wake_) return;
  admin_wake_ = deadline;
  ++admin_wake_generation_;
  if (!deadline.is_never()) queue_.push(std::max(deadline, now_), WakeAdmin{admin_wake_generation_});
}

void Simulation::submit_admin(const Action& action) {
  std::ostringstream os;
  os << "admin: " << to_string(action.type) << " ";
  switch (action.type) {
    case ActionType::CreateTopic:
      admin_->submit_create_topic(action.topic.name, action.topic.partitions,
                                  action.topic.replication_factor, action.topic.configs, now_);
      os << action.topic.name << " (" << action.topic.partitions
         << (action.topic.partitions == 1 ? " partition" : " partitions") << ", replication factor "
         << action.topic.replication_factor << ")";
      break;
    case ActionType::DeleteTopic:
      admin_->submit_delete_topic(action.topic.name, now_);
      os << action.topic.name;
      break;
    case ActionType::AlterConfig:
      admin_->submit_alter_config(action.config_resource_type, action.config_resource,
                                  action.config_name, action.config_value, now_);
      os << (action.config_resource.empty() ? std::string("cluster") : action.config_resource) << " "
         << action.config_name << "=" << action.config_value.value_or("(deleted)");
      break;
    default:
      KR_UNREACHABLE("not an admin action: " << to_string(action.type));
  }
  trace_.note(now_, TimelineEntry::Kind::Fault, std::nullopt, os.str());
  after_admin_call();
}

void Simulation::check_acknowledged_admin_writes() {
  const CommittedMetadataModel* model = invariants_.metadata_model();
  if (model == nullptr || admin_ == nullptr || violation_) return;
  for (const AdminOutcome& o : admin_->outcomes()) {
    if (o.result != AdminOutcome::Result::ACKNOWLEDGED) continue;
    bool committed = true;
    if (o.kind == AdminOpKind::create_topic) committed = o.topic_id && model->topic_created(*o.topic_id);
    if (o.kind == AdminOpKind::delete_topic) committed = model->topic_removed(o.target);
    if (committed) continue;
    std::ostringstream os;
    os << "admin request #" << o.id << " (" << to_string(o.kind) << " " << o.target
       << ") was acknowledged at " << format_ms(o.completed)
       << " but its record is not in the committed metadata log";
    record_violation(Violation{"AcknowledgedWritesCommitted", os.str(), events_, now_, {}});
    return;
  }
}

void Simulation::begin_controlled_shutdown(NodeId id) {
  NodeHost& n = host(id);
  if (n.status() != NodeStatus::Running || n.broker() == nullptr) {
    trace_.note(now_, TimelineEntry::Kind::Note, id,
                "node " + std::to_string(id.value()) + " is not a running broker");
    return;
  }
  shutting_down_brokers_[id] = true;
  call_node(n, [&](NodeHost& h) { h.broker()->begin_controlled_shutdown(h.local_time(now_)); });
}

void Simulation::observe_metadata() {
  const CommittedMetadataModel* model = invariants_.metadata_model();
  if (model == nullptr) return;
  metadata_observer_->observe(now_, nodes_, model->image());
  for (auto it = shutting_down_brokers_.begin(); it != shutting_down_brokers_.end();) {
    NodeHost& n = host(it->first);
    // A paused broker is frozen, not gone: its controlled shutdown resumes with it (and when the
    // controller grants it, the process must still exit, or it would stay up fenced for good).
    const bool alive = (n.status() == NodeStatus::Running || n.status() == NodeStatus::Paused) &&
                       n.broker() != nullptr;
    const bool granted = alive && n.broker()->lifecycle().should_shut_down();
    if (alive && (!granted || n.status() == NodeStatus::Paused)) {
      ++it;
      continue;
    }
    ShutdownExit exit{now_, granted, model->image().leader_count(it->first.value())};
    observations_.metadata.shutdown_exits[it->first.value()] = exit;
    std::ostringstream os;
    os << "broker " << it->first << (granted ? " may shut down (controlled shutdown done, leads "
                                             : " left its controlled shutdown early (leads ")
       << exit.leaders_at_exit << " partition(s))";
    trace_.note(now_, TimelineEntry::Kind::Fault, it->first, os.str());
    it = shutting_down_brokers_.erase(it);
    if (granted) shutdown(n.id());
  }
}

}  // namespace sim
