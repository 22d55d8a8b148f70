// The quorum as `kafka-metadata-quorum describe --status` and `--replication` show it (kraftsim
// inspect --quorum), from the point of view of the current leader (the running leader of the
// highest epoch):
//   --status:      ClusterId, LeaderId, LeaderEpoch, HighWatermark, MaxFollowerLag,
//                  MaxFollowerLagTimeMs, CurrentVoters, CurrentObservers;
//   --replication: per replica NodeId, LogEndOffset, Lag, LastFetchTimestamp,
//                  LastCaughtUpTimestamp (simulated ms; -1 when never), Status (Leader, Follower,
//                  Observer).
// Without a leader it says so and lists each node's own view (state, epoch, leader, HW, LEO).
#pragma once

#include <string>

#include "sim/simulation.hh"

namespace sim::inspect {

std::string describe_quorum_status(const Simulation& sim);
std::string describe_quorum_replication(const Simulation& sim);

}  // namespace sim::inspect
