#include "sim/snapshot_generator.hh"

#include "raft/raft_client.hh"
#include "sim/node_host.hh"
#include "sim/shared_snapshots.hh"

namespace sim {

SnapshotGenerator::SnapshotGenerator(const SnapshotConfigValues& config, Instant started)
    : max_bytes_(config.max_record_bytes_between_snapshots),
      interval_(Duration::millis(config.max_snapshot_interval_ms)),
      last_snapshot_(started) {}

std::optional<raft::OffsetAndEpoch> SnapshotGenerator::maybe_snapshot(Instant now,
                                                                      raft::RaftClient& client,
                                                                      const NodeHost& node,
                                                                      SharedSnapshots& shared) {
  const NodeHost::StateMachineProgress progress = node.state_machine_progress();
  if (progress.snapshots_loaded != loads_seen_) {
    // A loaded snapshot restarts both counters, as in Kafka.
    loads_seen_ = progress.snapshots_loaded;
    bytes_at_last_ = progress.applied_bytes;
    last_snapshot_ = now;
  }
  const std::optional<raft::OffsetAndEpoch> applied = progress.applied_end;
  if (!applied) return std::nullopt;  // nothing applied yet: nothing to snapshot
  const bool by_bytes = progress.applied_bytes - bytes_at_last_ >= max_bytes_;
  const bool by_time = interval_ > Duration::zero() && now - last_snapshot_ >= interval_ &&
                       progress.applied_bytes > bytes_at_last_;
  if (!by_bytes && !by_time) return std::nullopt;
  bytes_at_last_ = progress.applied_bytes;
  last_snapshot_ = now;
  if (client.log().snapshot(*applied) != nullptr) {
    return std::nullopt;  // a snapshot at this offset exists already (e.g. downloaded)
  }
  if (!client.create_snapshot(build(*applied, progress.applied_time, node, shared))) {
    return std::nullopt;
  }
  ++created_;
  return applied;
}

raft::SnapshotPtr SnapshotGenerator::build(raft::OffsetAndEpoch id, Instant applied_time,
                                           const NodeHost& node, SharedSnapshots& shared) {
  const std::optional<std::uint64_t> fingerprint = node.snapshot_fingerprint();
  if (!fingerprint) return raft::make_snapshot(id, applied_time, node.snapshot_records());
  const SharedSnapshots::Key key{id, applied_time, *fingerprint};
  if (raft::SnapshotPtr same = shared.find(key)) {
    shared.count_reuse();
    return same;
  }
  raft::SnapshotPtr made = raft::make_snapshot(id, applied_time, node.snapshot_records());
  shared.remember(key, made);
  return made;
}

}  // namespace sim
