// MetadataObserver. See metadata_observer.hh.
#include "sim/metadata_observer.hh"

#include <sstream>

namespace sim {

namespace md = raft::metadata;

void MetadataObserver::observe(Instant now, const std::vector<std::unique_ptr<NodeHost>>& nodes,
                               const md::MetadataImage& committed) {
  observe_active_controller(now, nodes);
  if (committed.provenance().end_offset == seen_end_) return;
  seen_end_ = committed.provenance().end_offset;
  observe_brokers(now, committed);
  observe_partitions(now, committed);
}

void MetadataObserver::observe_active_controller(Instant now,
                                                 const std::vector<std::unique_ptr<NodeHost>>& nodes) {
  // The active controller of the highest epoch (a deposed one may still believe it is active
  // until it learns of the new epoch).
  std::optional<std::pair<NodeId, Epoch>> best;
  for (const auto& n : nodes) {
    const auto* controller = n->controller();
    if (controller == nullptr || n->status() != NodeStatus::Running) continue;
    if (!controller->is_active() || !controller->activation_done()) continue;
    const Epoch epoch = *controller->claimed_epoch();
    if (!best || epoch > best->second) best = std::make_pair(n->id(), epoch);
  }
  if (best == active_) return;
  active_ = best;
  if (!best) {
    trace_.note(now, TimelineEntry::Kind::Active, std::nullopt, "no active controller");
    return;
  }
  out_.active_controllers.push_back(ActiveController{now, best->first, best->second});
  std::ostringstream os;
  os << "node " << best->first << " is the active controller (epoch " << best->second << ")";
  trace_.note(now, TimelineEntry::Kind::Active, best->first, os.str());
}

void MetadataObserver::observe_brokers(Instant now, const md::MetadataImage& committed) {
  std::map<std::int32_t, BrokerStateChange> current;
  for (const auto& [id, b] : committed.brokers()) {
    current[id] = BrokerStateChange{now, id, true, b.fenced, b.in_controlled_shutdown, b.epoch};
  }
  for (const auto& [id, before] : brokers_) {
    if (!current.contains(id)) current[id] = BrokerStateChange{now, id, false, true, false, -1};
  }
  for (auto& [id, after] : current) {
    auto it = brokers_.find(id);
    const BrokerStateChange* before = it == brokers_.end() ? nullptr : &it->second;
    const bool same = before != nullptr && before->registered == after.registered &&
                      before->fenced == after.fenced &&
                      before->in_controlled_shutdown == after.in_controlled_shutdown &&
                      before->epoch == after.epoch;
    if (same) continue;
    std::ostringstream os;
    os << "broker " << id;
    if (!after.registered) {
      os << " unregistered";
    } else if (before == nullptr || before->epoch != after.epoch) {
      ++registrations_;
      os << " registered with broker epoch " << after.epoch << (after.fenced ? " (fenced)" : "");
    } else if (after.fenced && !before->fenced) {
      ++fences_;
      os << " fenced";
    } else if (!after.fenced && before->fenced) {
      ++unfences_;
      os << " unfenced";
    } else if (after.in_controlled_shutdown && !before->in_controlled_shutdown) {
      os << " in controlled shutdown";
    } else {
      os << " changed";
    }
    trace_.note(now, TimelineEntry::Kind::Fault, NodeId(id), os.str());
    out_.broker_changes.push_back(after);
  }
  brokers_ = std::move(current);
}

void MetadataObserver::observe_partitions(Instant now, const md::MetadataImage& committed) {
  const std::int64_t leaderless = committed.leaderless_partition_count();
  out_.partitions.record(now, committed.partition_count());
  out_.leaderless_partitions.record(now, leaderless);
  max_leaderless_ = std::max(max_leaderless_, leaderless);
  if ((leaderless == 0) != (leaderless_ == 0)) {
    std::ostringstream os;
    if (leaderless == 0) {
      os << "every partition has a leader again";
    } else {
      os << leaderless << " partition(s) without a leader";
    }
    trace_.note(now, TimelineEntry::Kind::Note, std::nullopt, os.str());
  }
  leaderless_ = leaderless;
}

}  // namespace sim
