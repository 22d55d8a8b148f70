// Detects failovers: a failover starts when the active leader is lost (a fault hits it or cuts
// it from a majority of voters, or it stops leading) and ends when a leader of a newer epoch
// commits its first record. Its duration is what a metadata client of KRaft waits.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/observations.hh"
#include "sim/run_result.hh"

namespace sim {

class FailoverTracker {
 public:
  // The current active leader (highest epoch that committed in its epoch), if any.
  [[nodiscard]] const std::optional<ActiveLeader>& active() const { return active_; }
  [[nodiscard]] bool failover_open() const { return open_.has_value(); }

  // The active leader was lost for `cause` (no-op if there is none or a failover is open).
  void leader_lost(Instant now, std::string cause);
  // `node` won the election of `epoch`.
  void leader_elected(raft::NodeId node, Epoch epoch, Instant now);
  // `node`, leader of `epoch`, committed its first record. Returns true if it is the new active
  // leader (its epoch is newer than the current one's).
  bool leader_active(raft::NodeId node, Epoch epoch, Instant now);
  // `node`, still the leader of `epoch`, can commit again without an election (the pause or the
  // network cut that lost it ended before it resigned): if it is the lost leader of the open
  // failover, that failover ends now, with the same leader and epoch.
  void leader_regained(raft::NodeId node, Epoch epoch, Instant now);
  // The active leader's process stopped leading or died: it is no longer active.
  void active_gone();

  // Failovers so far; an open one is reported with no end.
  [[nodiscard]] std::vector<Failover> failovers() const;

 private:
  std::optional<ActiveLeader> active_;
  Epoch last_active_epoch_{-1};  // epochs only grow: a new active leader must be newer than this
  std::optional<Failover> open_;
  std::vector<Failover> closed_;
};

}  // namespace sim
