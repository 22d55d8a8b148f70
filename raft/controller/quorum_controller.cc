// Kafka: QuorumController (QuorumMetaLogListener, claim / renounce, OffsetControlManager) and
// ActivationRecordsGenerator. See quorum_controller.hh.
#include "raft/controller/quorum_controller.hh"

#include "raft/common/assert.hh"
#include "raft/metadata/replay_record.hh"
#include "raft/metadata/snapshot_records.hh"
#include "raft/raft_client.hh"

namespace raft::controller {

namespace md = raft::metadata;

namespace {

constexpr md::MetadataImage::Options kControllerImage{.index_isr_by_broker = true};

}  // namespace

QuorumController::QuorumController(NodeId local_id, QuorumControllerConfig config,
                                   NetworkChannel& channel, Random& random)
    : local_id_(local_id),
      config_(config),
      channel_(channel),
      heartbeats_(config.session_timeout),
      replication_(random),
      cluster_(heartbeats_, replication_),
      image_(kControllerImage) {}

// ---- RaftListener ----------------------------------------------------------------------------


void QuorumController::replay_batch(md::MetadataImage& image, const RecordBatch& batch) {
  if (!batch.is_control) {
    Offset offset = batch.base_offset;
    for (const md::ReplayRecord& record : md::committed_records(batch, "controller " + std::to_string(local_id_.value()))) {
      image.replay(record, offset);
      offset = offset + 1;
    }
  }
  image.set_provenance(md::Provenance{batch.end_offset(), batch.epoch});
}

void QuorumController::handle_commit(const RecordBatch& batch) {
  // Batches of another epoch while active: leadership was lost (the leader change callback comes
  // after the commits of the new leader's first batches).
  if (claimed_epoch_ && batch.epoch != *claimed_epoch_) renounce(false);
  if (committed_) {
    // Active: the records were applied to the in-memory image when they were written; only the
    // committed image (the revert target) learns them now.
    replay_batch(*committed_, batch);
  } else {
    replay_batch(image_, batch);
  }
  last_committed_offset_ = batch.last_offset();
  applied_time_ = batch.append_time;
  applied_bytes_ += batch.size_bytes;
}

void QuorumController::handle_load_snapshot(const Snapshot& snapshot) {
  if (claimed_epoch_) loaded_while_active_ = true;
  KR_ASSERT(!claimed_epoch_, "active controller " << local_id_ << " asked to load snapshot "
                                                  << snapshot.id);
  md::MetadataImage fresh(kControllerImage);
  const Offset last_contained = snapshot.id.offset - 1;
  for (const md::ReplayRecord& record : md::committed_records(snapshot, "controller " + std::to_string(local_id_.value()))) fresh.replay(record, last_contained);
  fresh.set_provenance(md::Provenance{snapshot.id.offset, snapshot.id.epoch});
  image_ = std::move(fresh);
  last_committed_offset_ = last_contained;
  applied_time_ = snapshot.last_contained_log_time;
  ++snapshots_loaded_;
}

void QuorumController::handle_leader_change(const LeaderAndEpoch& leader) {
  if (claimed_epoch_ && !(leader.is_leader(local_id_) && leader.epoch == *claimed_epoch_)) {
    renounce(false);
  }
  if (leader.is_leader(local_id_) && !claimed_epoch_) {
    if (raft_ == nullptr) {
      claim_before_attach_ = leader.epoch;
    } else {
      claim(leader.epoch);
    }
  } else {
    claim_before_attach_.reset();
  }
}

void QuorumController::attach(RaftClient& client) {
  raft_ = &client;
  if (claim_before_attach_ && !claimed_epoch_) claim(*claim_before_attach_);
  claim_before_attach_.reset();
}

// ---- claim and renounce -----------------------------------------------------------------------

void QuorumController::claim(Epoch epoch) {
  claimed_epoch_ = epoch;
  next_write_offset_ = raft_->log().end_offset();
  committed_ = image_;
  activation_pending_ = true;  // completeActivation runs first on the next poll (Kafka: prepend)
  ++stats_.activations;
}

void QuorumController::complete_activation(Instant now) {
  activation_pending_ = false;
  // The claim happened inside a listener callback, which has no clock: sessions start now.
  // Bug::ForgetBrokersOnActivation re-introduces KAFKA-18138: the new tracker stays empty.
  cluster_.activate(image_, now, config_.bugs.contains(Bug::ForgetBrokersOnActivation));
  if (!image_.feature_level(kMetadataVersionFeature)) {
    // Empty log: the bootstrap records (Kafka writes them from the bootstrap checkpoint).
    md::FeatureLevelRecord version{std::string(kMetadataVersionFeature), kMetadataVersionLevel};
    if (!write({version}, std::nullopt, CorrelationId(0), Payload{}, now)) return;
  }
  start_periodic_tasks(now);
}

void QuorumController::renounce(bool resign) {
  if (!claimed_epoch_) return;
  const Epoch epoch = *claimed_epoch_;
  claimed_epoch_.reset();
  activation_pending_ = false;
  for (PendingReply& p : pending_) {
    ++stats_.writes_failed;
    if (!p.destination) continue;
    std::visit(
        [&](auto& response) {
          using T = std::decay_t<decltype(response)>;
          if constexpr (requires { response.controller_hint; }) {
            T failed{};
            failed.error = ApiError::NOT_CONTROLLER;
            failed.controller_hint = leader_hint();
            channel_.send(Message{local_id_, *p.destination, p.correlation_id, failed});
          }
        },
        p.response);
  }
  pending_.clear();
  KR_ASSERT(committed_.has_value(), "active controller without a committed image");
  image_ = std::move(*committed_);
  committed_.reset();
  heartbeats_.clear();
  timers_ = Timers{};
  ++stats_.renounces;
  if (resign && raft_ != nullptr) raft_->resign(epoch);
}

// ---- snapshots ------------------------------------------------------------------------------------

std::vector<std::string> QuorumController::snapshot_records() const {
  return md::encode_snapshot_records(committed_image());
}

std::optional<OffsetAndEpoch> QuorumController::applied_end() const {
  const md::Provenance& p = committed_image().provenance();
  if (p.end_offset == Offset(0)) return std::nullopt;
  return OffsetAndEpoch{p.end_offset, p.last_epoch};
}

}  // namespace raft::controller
