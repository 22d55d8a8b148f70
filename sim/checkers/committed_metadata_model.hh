// Metadata invariants on the committed __cluster_metadata log (ours, kraft-protocol.md 18 (g)-(k)),
// checked against a reference image that replays every committed batch once, in offset order,
// as soon as any node has seen it committed (from the CommittedLog of ConsistentCommittedData):
//
//  PartitionLeaderEligible  after each committed batch, every partition it changed has no leader
//                           or a leader that is registered, unfenced, not in controlled shutdown
//                           and in the ISR; and every broker it fenced or put in controlled
//                           shutdown leads no partition. So a fenced broker is never elected.
//  TopicsCreatedWhole       a topic is committed with its partitions, in the same batch as its
//                           TopicRecord (CreateTopics is never half applied).
//  MetadataEpochsGrow       a PartitionRecord never lowers the leader or partition epoch of a
//                           partition it overwrites (a PartitionChangeRecord only ever adds one),
//                           and a RegisterBrokerRecord never lowers its broker id's epoch.
//
// Snapshots are not replayed: the reference consumes batches only; if the committed batches it
// needs are gone from every log (cleaned after a snapshot), it reloads from a committed snapshot.
// Cost: O(records committed) over the run, O(1) per event otherwise.
#pragma once

#include <cstdint>
#include <map>
#include <set>

#include "raft/metadata/image.hh"
#include "sim/checkers/committed_log.hh"
#include "sim/checkers/invariant.hh"

namespace sim {

class CommittedMetadataModel : public Invariant {
 public:
  explicit CommittedMetadataModel(const CommittedLog& committed) : committed_(committed) {}
  [[nodiscard]] std::string_view name() const override { return "CommittedMetadataModel"; }
  std::optional<Violation> check(const CheckContext& ctx) override;

  // The reference image (every committed record so far).
  [[nodiscard]] const raft::metadata::MetadataImage& image() const { return image_; }
  // Topic ids ever created by a committed TopicRecord, and topic names ever removed.
  [[nodiscard]] bool topic_created(const raft::metadata::Uuid& id) const {
    return created_topics_.contains(id);
  }
  [[nodiscard]] bool topic_removed(const std::string& name) const {
    return removed_topics_.contains(name);
  }
  [[nodiscard]] raft::Offset end() const { return next_; }

 private:
  std::optional<Violation> apply_batch(const CheckContext& ctx, const raft::RecordBatch& batch);
  // MetadataEpochsGrow for one PartitionRecord; records the partition as touched.
  std::optional<Violation> check_partition_record(const CheckContext& ctx,
                                                  const raft::metadata::PartitionRecord& r,
                                                  raft::Offset offset);
  std::optional<Violation> check_record(const CheckContext& ctx, const raft::metadata::MetadataRecord& r,
                                        raft::Offset offset);
  std::optional<Violation> check_batch_effects(const CheckContext& ctx, raft::Offset batch_base);
  void load_snapshot(const raft::Snapshot& snapshot);

  const CommittedLog& committed_;
  raft::metadata::MetadataImage image_{raft::metadata::MetadataImage::Options{true}};
  raft::Offset next_{0};  // offset of the next committed record to replay
  // Touched by the batch being applied: partitions changed and brokers fenced / shut down.
  std::set<raft::metadata::TopicIdPartition> touched_partitions_;
  std::set<std::int32_t> demoted_brokers_;
  std::set<raft::metadata::Uuid> topics_created_in_batch_;
  std::map<std::int32_t, std::int64_t> broker_epochs_;  // highest epoch seen per broker id
  std::set<raft::metadata::Uuid> created_topics_;
  std::set<std::string> removed_topics_;
};

}  // namespace sim
