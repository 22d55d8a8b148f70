#include "sim/checkers/invariant_suite.hh"

#include "sim/checkers/check_quorum.hh"
#include "sim/checkers/committed_data_durable.hh"
#include "sim/checkers/consistent_committed_data.hh"
#include "sim/checkers/controller_claims_after_catch_up.hh"
#include "sim/checkers/leader_commits_own_epoch.hh"
#include "sim/checkers/leader_completeness.hh"
#include "sim/checkers/leader_never_load_snapshot.hh"
#include "sim/checkers/majority_reached_high_watermark.hh"
#include "sim/checkers/metadata_images_agree.hh"
#include "sim/checkers/monotonic_epoch.hh"
#include "sim/checkers/monotonic_high_watermark.hh"
#include "sim/checkers/single_leader.hh"
#include "sim/checkers/snapshot_at_log_start.hh"

namespace sim {

InvariantSuite::InvariantSuite(bool metadata) {
  invariants_.push_back(std::make_unique<SingleLeader>());
  invariants_.push_back(std::make_unique<MonotonicEpoch>());
  invariants_.push_back(std::make_unique<MonotonicHighWatermark>());
  invariants_.push_back(std::make_unique<MajorityReachedHighWatermark>());
  invariants_.push_back(std::make_unique<ConsistentCommittedData>(committed_));
  invariants_.push_back(std::make_unique<LeaderCompleteness>(committed_));
  invariants_.push_back(std::make_unique<SnapshotAtLogStart>());
  invariants_.push_back(std::make_unique<LeaderNeverLoadSnapshot>());
  invariants_.push_back(std::make_unique<CommittedDataDurable>(committed_));
  invariants_.push_back(std::make_unique<LeaderCommitsOwnEpoch>());
  invariants_.push_back(std::make_unique<CheckQuorum>());
  if (metadata) {
    invariants_.push_back(std::make_unique<MetadataImagesAgree>());
    auto model = std::make_unique<CommittedMetadataModel>(committed_);
    metadata_model_ = model.get();
    invariants_.push_back(std::move(model));
    invariants_.push_back(std::make_unique<ControllerClaimsAfterCatchUp>());
  }
}

std::optional<Violation> InvariantSuite::check(const CheckContext& ctx) {
  for (auto& inv : invariants_) {
    ++checks_run_;
    if (auto v = inv->check(ctx)) return v;
  }
  return std::nullopt;
}

}  // namespace sim
