// CheckQuorum. See check_quorum.hh.
#include "sim/checkers/check_quorum.hh"

#include <sstream>

namespace sim {

std::optional<Violation> CheckQuorum::check(const CheckContext& ctx) {
  for (const auto& n : ctx.nodes) {
    const raft::RaftClient* client = n->client();
    const raft::LeaderState* leader =
        client == nullptr ? nullptr : client->quorum().leader_or_null();
    if (leader == nullptr) {
      led_.erase(n->id());
      continue;
    }
    // Recorded even while blocked: a new leader often waits at once for the fsync of its
    // LeaderChange batch, and its first window started when it was elected.
    auto [it, inserted] = led_.try_emplace(n->id());
    Led& led = it->second;
    if (inserted || led.incarnation != n->incarnation() || led.epoch != leader->epoch()) {
      const Instant local = n->local_time(ctx.now);
      led = Led{n->incarnation(), leader->epoch(), local, local};
    }
    if (leader->voter_states().size() <= 1) continue;
    update_window(*n, *leader, led);
    if (n->status() != NodeStatus::Running || n->blocked()) continue;
    if (auto v = check_leader(ctx, *n, *leader, led)) return v;
  }
  return std::nullopt;
}

void CheckQuorum::update_window(const NodeHost& node, const raft::LeaderState& leader, Led& led) {
  // The latest fetch of any remote voter: the only instant a restart may have happened since the
  // previous event (all of an event's fetches happen at its instant).
  std::optional<Instant> latest;
  for (const auto& [id, replica] : leader.voter_states()) {
    if (id == node.id() || !replica.last_fetch_time) continue;
    if (!latest || *replica.last_fetch_time > *latest) latest = replica.last_fetch_time;
  }
  if (!latest || *latest <= led.window_start) return;
  const Instant from = *latest - leader.check_quorum_timeout();
  std::size_t fetched = 0;
  for (const auto& [id, replica] : leader.voter_states()) {
    if (id != node.id() && replica.last_fetch_time && *replica.last_fetch_time >= from) ++fetched;
  }
  const std::size_t needed = leader.voter_states().size() / 2;  // majority - 1: the leader counts
  if (fetched >= needed) led.window_start = *latest;
}

std::optional<Violation> CheckQuorum::check_leader(const CheckContext& ctx, const NodeHost& node,
                                                   const raft::LeaderState& leader,
                                                   const Led& led) const {
  const Instant local_now = node.local_time(ctx.now);
  const Duration bound = leader.check_quorum_timeout() + kSlack;
  if (local_now - led.window_start <= bound) return std::nullopt;
  std::ostringstream os;
  os << "node " << node.id() << " still leads epoch " << leader.epoch() << " at local "
     << local_now << " but no majority of its " << leader.voter_states().size()
     << " voters (itself and " << leader.voter_states().size() / 2
     << " other(s)) fetched within a check-quorum window since ";
  if (led.window_start == led.elected_local) {
    os << "its election at " << led.elected_local;
  } else {
    os << led.window_start;
  }
  os << ", " << (local_now - led.window_start) << " ago, beyond the bound 1.5 x fetch timeout + "
     << "slack = " << leader.check_quorum_timeout() << " + " << kSlack << " = " << bound
     << "; last fetches on the leader's clock:";
  for (const auto& [id, replica] : leader.voter_states()) {
    if (id == node.id()) continue;
    os << " " << id << "=";
    if (replica.last_fetch_time) {
      os << *replica.last_fetch_time;
    } else {
      os << "none";
    }
  }
  return make_violation(ctx, name(), os.str(), {node.id()});
}

}  // namespace sim
