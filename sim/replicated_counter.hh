// The replicated state machine of the walking skeleton: a counter, as in Kafka's own Raft
// simulation (org.apache.kafka.raft.ReplicatedCounter in RaftEventSimulationTest).
//
// The leader appends the values uncommitted+1, uncommitted+2, ...; every node applies committed
// values and asserts each is exactly the previous one plus one, which catches a lost, duplicated
// or reordered committed record at the moment it is applied. It may append only after the Raft
// client told it that it leads (handle_leader_change to itself), which happens once it has applied
// every record committed before its epoch (KAFKA-15345): so its appends continue the sequence.
//
// Record format: 8-byte little-endian value, zero-padded to the workload's record size.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "raft/raft_listener.hh"
#include "sim/time.hh"

namespace sim {

class ReplicatedCounter : public raft::RaftListener {
 public:
  explicit ReplicatedCounter(raft::NodeId local_id) : local_id_(local_id) {}

  void handle_commit(const raft::RecordBatch& batch) override;
  void handle_leader_change(const raft::LeaderAndEpoch& leader) override;
  void handle_load_snapshot(const raft::Snapshot& snapshot) override;

  // The image to put in a snapshot: one record holding the committed value.
  [[nodiscard]] std::vector<std::string> snapshot_records() const;
  // Snapshots loaded so far, and whether one was loaded while this node was told it leads
  // (the LeaderNeverLoadSnapshot invariant, KAFKA-12958).
  [[nodiscard]] std::int64_t snapshots_loaded() const { return snapshots_loaded_; }
  [[nodiscard]] bool loaded_snapshot_while_leader() const { return loaded_while_leader_; }

  // The epoch in which this node may write, if it currently leads.
  [[nodiscard]] std::optional<raft::Epoch> writable_epoch() const { return claimed_epoch_; }
  // Builds the next `count` values as records of `record_bytes` bytes and counts them as
  // uncommitted. Precondition: writable_epoch() is set.
  std::vector<std::string> next_records(int count, int record_bytes);

  // The last applied batch boundary: (end offset, epoch of the last applied record); after a
  // snapshot load, the snapshot's id. nullopt before anything was applied.
  [[nodiscard]] std::optional<raft::OffsetAndEpoch> applied_end() const { return applied_end_; }
  // Append time of the last applied batch (a snapshot's last contained log time).
  [[nodiscard]] Instant applied_time() const { return applied_time_; }
  // Bytes of every committed batch applied by this instance (control batches included).
  [[nodiscard]] std::int64_t applied_bytes() const { return applied_bytes_; }

  // Forgets the last `count` values handed out by next_records (the append was refused).
  void cancel_uncommitted(int count);

  [[nodiscard]] std::int64_t committed() const { return committed_; }
  [[nodiscard]] std::int64_t uncommitted() const { return uncommitted_; }
  [[nodiscard]] std::int64_t committed_batches() const { return committed_batches_; }

  static std::string encode(std::int64_t value, int record_bytes);
  static std::int64_t decode(const std::string& record);

 private:
  raft::NodeId local_id_;
  std::int64_t committed_ = 0;    // last value applied
  std::int64_t uncommitted_ = 0;  // last value appended (leader only)
  std::int64_t committed_batches_ = 0;
  std::int64_t snapshots_loaded_ = 0;
  std::optional<raft::OffsetAndEpoch> applied_end_;
  Instant applied_time_;
  std::int64_t applied_bytes_ = 0;
  bool loaded_while_leader_ = false;
  std::optional<raft::Epoch> claimed_epoch_;
};

}  // namespace sim
