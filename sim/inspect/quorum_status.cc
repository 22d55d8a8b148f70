// The quorum as kafka-metadata-quorum describe --status / --replication shows it
// (quorum_status.hh).
//
// Everything comes from the leader's LeaderState (what Kafka's DescribeQuorum answers from):
// the replicas' log end offsets and the leader's local clock readings of their last fetch and
// last catch-up. Definitions:
//   Lag                   leader LEO - the replica's LEO; -1 (with LogEndOffset -1) while the
//                         leader has not seen the replica fetch yet
//   MaxFollowerLag        the largest Lag of a voter other than the leader (0 for a lone voter),
//                         over the voters whose LEO the leader knows
//   MaxFollowerLagTimeMs  for that voter (the lowest LEO; ties: the earliest catch-up), how
//                         long ago it last caught up: the leader's clock now minus its last
//                         catch-up time; -1 if it never caught up; 0 for a lone voter
// As in Kafka's DescribeQuorum, the leader's own row shows its clock now as LastFetchTimestamp
// and LastCaughtUpTimestamp (it is always caught up with itself).
// Kafka has no cluster id to show here (the simulator formats no storage): ClusterId is
// "kraftsim".
#include "sim/inspect/quorum_status.hh"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace sim::inspect {

namespace {

using Row = std::vector<std::string>;

// Columns left-aligned, each padded to its widest cell plus two spaces (the last one unpadded).
std::string table(const std::vector<Row>& rows) {
  std::vector<std::size_t> widths;
  for (const Row& r : rows) {
    widths.resize(std::max(widths.size(), r.size()), 0);
    for (std::size_t i = 0; i < r.size(); ++i) widths[i] = std::max(widths[i], r[i].size());
  }
  std::string out;
  for (const Row& r : rows) {
    for (std::size_t i = 0; i < r.size(); ++i) {
      out += r[i];
      if (i + 1 < r.size()) out += std::string(widths[i] - r[i].size() + 2, ' ');
    }
    out += "\n";
  }
  return out;
}

// The node whose process leads the highest epoch (running or paused), if any.
const NodeHost* current_leader(const Simulation& sim) {
  const NodeHost* best = nullptr;
  for (const auto& n : sim.nodes()) {
    const raft::RaftClient* c = n->client();
    if (c == nullptr || c->quorum().leader_or_null() == nullptr) continue;
    if (best == nullptr || c->quorum().epoch() > best->client()->quorum().epoch()) best = n.get();
  }
  return best;
}

std::int64_t or_minus_one(const std::optional<raft::Offset>& o) { return o ? o->value() : -1; }
std::int64_t or_minus_one(const std::optional<raft::Instant>& t) { return t ? t->ms() : -1; }

std::string id_list(const std::vector<raft::NodeId>& ids) {
  std::string out = "[";
  for (std::size_t i = 0; i < ids.size(); ++i) out += (i ? "," : "") + std::to_string(ids[i].value());
  return out + "]";
}

std::int64_t leader_end_offset(const NodeHost& leader) {
  const raft::LeaderState& s = *leader.client()->quorum().leader_or_null();
  const raft::ReplicaState& self = s.voter_states().at(leader.id());
  return self.end_offset ? self.end_offset->value() : leader.client()->log().end_offset().value();
}

std::int64_t lag_of(const raft::ReplicaState& r, std::int64_t leader_leo) {
  return r.end_offset ? leader_leo - r.end_offset->value() : -1;
}

// "no leader" and each node's own view.
std::string describe_without_leader(const Simulation& sim) {
  std::vector<Row> rows{{"NodeId", "Status", "State", "Epoch", "LeaderId", "HighWatermark",
                         "LogEndOffset"}};
  for (const auto& n : sim.nodes()) {
    Row r{std::to_string(n->id().value()), std::string(to_string(n->status()))};
    if (const raft::RaftClient* c = n->client()) {
      const raft::QuorumState& q = c->quorum();
      r.insert(r.end(), {std::string(raft::to_string(q.kind())), std::to_string(q.epoch().value()),
                         std::to_string(q.leader_id() ? q.leader_id()->value() : -1),
                         std::to_string(or_minus_one(c->high_watermark())),
                         std::to_string(c->log().end_offset().value())});
    } else {
      const auto stored = n->disk().read_election_state();
      r.insert(r.end(), {"-", std::to_string(stored ? stored->epoch.value() : 0), "-", "-",
                         std::to_string(n->disk().end_offset().value())});
    }
    rows.push_back(std::move(r));
  }
  return "no leader: no running voter leads an epoch; each node's own view:\n" + table(rows);
}

}  // namespace

std::string describe_quorum_status(const Simulation& sim) {
  const NodeHost* leader = current_leader(sim);
  if (leader == nullptr) return describe_without_leader(sim);
  const raft::RaftClient& client = *leader->client();
  const raft::LeaderState& state = *client.quorum().leader_or_null();
  const std::int64_t leader_leo = leader_end_offset(*leader);

  // The voter other than the leader with the lowest known LEO (ties: earliest catch-up).
  const raft::ReplicaState* laggard = nullptr;
  for (const auto& [id, r] : state.voter_states()) {
    if (id == leader->id() || !r.end_offset) continue;
    const bool behind = laggard == nullptr || *r.end_offset < *laggard->end_offset ||
                        (*r.end_offset == *laggard->end_offset &&
                         or_minus_one(r.last_caught_up_time) < or_minus_one(laggard->last_caught_up_time));
    if (behind) laggard = &r;
  }
  std::int64_t max_lag = 0;
  std::int64_t max_lag_time = 0;
  if (laggard != nullptr) {
    max_lag = lag_of(*laggard, leader_leo);
    const raft::Instant leader_now = leader->local_time(sim.now());
    max_lag_time = laggard->last_caught_up_time
                       ? (leader_now - *laggard->last_caught_up_time).ms()
                       : -1;
  }
  std::vector<raft::NodeId> observers;
  for (const auto& [id, r] : state.observer_states()) observers.push_back(id);

  std::ostringstream out;
  out << "ClusterId:              kraftsim\n"
      << "LeaderId:               " << leader->id() << "\n"
      << "LeaderEpoch:            " << state.epoch() << "\n"
      << "HighWatermark:          " << or_minus_one(state.high_watermark()) << "\n"
      << "MaxFollowerLag:         " << max_lag << "\n"
      << "MaxFollowerLagTimeMs:   " << max_lag_time << "\n"
      << "CurrentVoters:          " << id_list(client.quorum().voters()) << "\n"
      << "CurrentObservers:       " << id_list(observers) << "\n";
  return out.str();
}

std::string describe_quorum_replication(const Simulation& sim) {
  const NodeHost* leader = current_leader(sim);
  if (leader == nullptr) return describe_without_leader(sim);
  const raft::LeaderState& state = *leader->client()->quorum().leader_or_null();
  const std::int64_t leader_leo = leader_end_offset(*leader);

  std::vector<Row> rows{{"NodeId", "LogEndOffset", "Lag", "LastFetchTimestamp",
                         "LastCaughtUpTimestamp", "Status"}};
  auto add = [&](const raft::ReplicaState& r, const char* status) {
    rows.push_back({std::to_string(r.id.value()), std::to_string(or_minus_one(r.end_offset)),
                    std::to_string(lag_of(r, leader_leo)),
                    std::to_string(or_minus_one(r.last_fetch_time)),
                    std::to_string(or_minus_one(r.last_caught_up_time)), status});
  };
  raft::ReplicaState self = state.voter_states().at(leader->id());
  self.last_fetch_time = self.last_caught_up_time = leader->local_time(sim.now());
  add(self, "Leader");
  for (const auto& [id, r] : state.voter_states()) {
    if (id != leader->id()) add(r, "Follower");
  }
  for (const auto& [id, r] : state.observer_states()) add(r, "Observer");
  return table(rows);
}

}  // namespace sim::inspect
