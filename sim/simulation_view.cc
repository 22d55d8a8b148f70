// SimulationView. See simulation_view.hh.
#include "sim/simulation_view.hh"

#include <algorithm>

#include "sim/simulation.hh"

namespace sim {

Instant SimulationView::now() const { return sim_.now_; }

const Observations& SimulationView::observations() const { return sim_.observations_; }

std::optional<ActiveLeader> SimulationView::active_leader() const {
  const auto& active = sim_.failovers_.active();
  if (!active) return std::nullopt;
  const raft::RaftClient* c = sim_.node(active->node).client();
  if (c == nullptr || !c->quorum().is(raft::StateKind::Leader)) return std::nullopt;
  if (active->epoch < highest_voter_epoch()) return std::nullopt;
  return active;
}

Epoch SimulationView::highest_voter_epoch() const {
  Epoch highest{0};
  for (const auto& n : sim_.nodes_) {
    const raft::RaftClient* c = n->client();
    if (c != nullptr && n->is_voter()) highest = std::max(highest, c->quorum().epoch());
  }
  return highest;
}

std::vector<std::pair<NodeId, std::optional<Offset>>> SimulationView::running_high_watermarks() const {
  std::vector<std::pair<NodeId, std::optional<Offset>>> out;
  for (const auto& n : sim_.nodes_) {
    if (const raft::RaftClient* c = n->client()) out.emplace_back(n->id(), c->high_watermark());
  }
  return out;
}

Offset SimulationView::committed_end() const {
  return Offset(sim_.observations_.committed_end.at(sim_.now_));
}

std::optional<Offset> SimulationView::log_end(NodeId id) const {
  const NodeHost& n = sim_.node(id);
  if (n.client() == nullptr) return std::nullopt;
  return n.disk().end_offset();
}

std::vector<NodeId> SimulationView::running_voters() const {
  std::vector<NodeId> out;
  for (const auto& n : sim_.nodes_) {
    if (n->is_voter() && n->client() != nullptr) out.push_back(n->id());
  }
  return out;
}

std::int64_t SimulationView::snapshots_downloaded(NodeId id) const {
  return sim_.snapshot_books_.at(static_cast<std::size_t>(id.value())).downloaded;
}

std::optional<ActiveController> SimulationView::active_controller() const {
  const Epoch highest = highest_voter_epoch();
  for (const auto& n : sim_.nodes_) {
    const auto* c = n->controller();
    if (c == nullptr || n->status() != NodeStatus::Running || !c->activation_done()) continue;
    if (*c->claimed_epoch() < highest) continue;
    const auto& seen = sim_.observations_.metadata.active_controllers;
    for (auto it = seen.rbegin(); it != seen.rend(); ++it) {
      if (it->node == n->id()) return *it;
    }
  }
  return std::nullopt;
}

const raft::metadata::MetadataImage* SimulationView::committed_image() const {
  const CommittedMetadataModel* model = sim_.invariants_.metadata_model();
  return model == nullptr ? nullptr : &model->image();
}

std::vector<NodeId> SimulationView::running_brokers() const {
  std::vector<NodeId> out;
  for (const auto& n : sim_.nodes_) {
    if (n->broker() != nullptr && n->status() == NodeStatus::Running) out.push_back(n->id());
  }
  return out;
}

std::vector<std::pair<NodeId, const raft::metadata::MetadataImage*>> SimulationView::running_images()
    const {
  std::vector<std::pair<NodeId, const raft::metadata::MetadataImage*>> out;
  for (const auto& n : sim_.nodes_) {
    if (n->status() != NodeStatus::Running) continue;
    if (const auto* c = n->controller()) {
      out.emplace_back(n->id(), &c->committed_image());
    } else if (const auto* b = n->broker(); b != nullptr && b->loader().published()) {
      out.emplace_back(n->id(), &b->loader().image());
    }
  }
  return out;
}

const std::vector<AdminOutcome>* SimulationView::admin_outcomes() const {
  return sim_.admin_ ? &sim_.admin_->outcomes() : nullptr;
}

}  // namespace sim
