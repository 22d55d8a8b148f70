// Raft-level conditions and the dispatch over every condition. The metadata ones are in
// sim/conditions_metadata.cc. See conditions.hh.
#include "sim/conditions.hh"
#include "sim/conditions_metadata.hh"

#include <algorithm>
#include <sstream>

#include "sim/time.hh"

namespace sim {

std::optional<NodeId> condition_node(const NodeSelector& s, const Observations& obs) {
  if (s.kind == NodeSelector::Kind::Id) return s.id;
  if (s.kind != NodeSelector::Kind::Label) return std::nullopt;
  auto it = obs.actions_by_label.find(s.label);
  if (it == obs.actions_by_label.end() || it->second.targets.empty()) return std::nullopt;
  return it->second.targets.front();
}

namespace {

ConditionOutcome leader(const ClusterView& view, bool want) {
  const std::optional<ActiveLeader> active = view.active_leader();
  std::ostringstream os;
  if (active) {
    os << "node " << active->node << " leads epoch " << active->epoch << " and has committed in it";
  } else {
    os << "no leader able to commit (highest voter epoch " << view.highest_voter_epoch() << ")";
  }
  return {active.has_value() == want, os.str()};
}

std::int64_t hw_value(const std::optional<Offset>& hw) { return hw ? hw->value() : -1; }

ConditionOutcome high_watermark_at_least(const Condition& c, const ClusterView& view) {
  const auto running = view.running_high_watermarks();
  std::vector<NodeId> nodes = c.nodes;
  if (nodes.empty()) {
    for (const auto& [id, hw] : running) nodes.push_back(id);
  }
  std::ostringstream os;
  bool holds = true;
  for (NodeId id : nodes) {
    auto it = std::find_if(running.begin(), running.end(), [&](const auto& p) { return p.first == id; });
    if (it == running.end()) {
      os << "node " << id << " down; ";
      holds = false;
      continue;
    }
    os << "node " << id << " HW " << hw_value(it->second) << "; ";
    if (hw_value(it->second) < c.value) holds = false;
  }
  return {holds, os.str()};
}

ConditionOutcome caught_up(const Condition& c, const ClusterView& view) {
  if (!view.active_leader()) return {false, "no leader able to commit"};
  const Instant reference = view.now() - c.max_lag;
  const std::int64_t target = view.observations().active_leader_hw.at(reference);
  std::ostringstream os;
  os << "leader HW at " << format_ms(reference) << " was " << target << "; ";
  bool holds = true;
  for (const auto& [id, hw] : view.running_high_watermarks()) {
    if (hw_value(hw) >= target) continue;
    os << "node " << id << " HW " << hw_value(hw) << " behind; ";
    holds = false;
  }
  if (holds) os << "every running node at or past it";
  return {holds, os.str()};
}

// Every offset ever committed is still on the leader (or, with no leader, on the longest log of
// a running voter): a committed record can only be lost if no voter that could lead has it.
ConditionOutcome no_committed_record_lost(const ClusterView& view) {
  const Offset committed = view.committed_end();
  std::optional<NodeId> holder;
  Offset longest{-1};
  if (const auto active = view.active_leader()) {
    holder = active->node;
    longest = view.log_end(active->node).value_or(Offset(-1));
  } else {
    for (NodeId id : view.running_voters()) {
      const Offset end = view.log_end(id).value_or(Offset(-1));
      if (!holder || end > longest) {
        holder = id;
        longest = end;
      }
    }
  }
  std::ostringstream os;
  os << "committed end " << committed.value() << "; ";
  if (!holder) return {committed.value() == 0, os.str() + "no running voter"};
  os << (view.active_leader() ? "leader node " : "longest running voter node ") << *holder
     << " log end " << longest.value();
  return {longest >= committed, os.str()};
}

ConditionOutcome snapshots_downloaded(const Condition& c, const ClusterView& view) {
  const std::optional<NodeId> id = condition_node(*c.node, view.observations());
  if (!id) return {false, "the node selector names no node (yet)"};
  const std::int64_t n = view.snapshots_downloaded(*id);
  return {n >= c.value, "node " + std::to_string(id->value()) + " downloaded " + std::to_string(n) +
                            " snapshot(s)"};
}

}  // namespace

ConditionOutcome evaluate_condition(const Condition& c, const ClusterView& view) {
  switch (c.type) {
    case ConditionType::Leader: return leader(view, true);
    case ConditionType::NoLeader: return leader(view, false);
    case ConditionType::HighWatermarkAtLeast: return high_watermark_at_least(c, view);
    case ConditionType::CaughtUp: return caught_up(c, view);
    case ConditionType::NoCommittedRecordLost: return no_committed_record_lost(view);
    case ConditionType::SnapshotsDownloadedAtLeast: return snapshots_downloaded(c, view);
    default: break;
  }
  return evaluate_metadata_condition(c, view);
}

}  // namespace sim
