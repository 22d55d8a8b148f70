// LeaderCommitsOwnEpoch (ours; Raft's commitment rule, the guarantee KAFKA-12619 restored;
// kraft-protocol.md 6.3): a leader commits records of earlier epochs only by committing a record
// of its own epoch. In KRaft the first record of a leader's epoch is its LeaderChange batch at
// the epoch start offset, so a leader's high watermark, once it has one in its epoch
// (LeaderState::high_watermark(), undefined until the first commit of the epoch), is strictly
// greater than LeaderState::epoch_start_offset().
//
// With the old off-by-one (Bug::HwAtEpochStart) the HW is accepted as soon as a majority reached
// the epoch start offset, i.e. it can equal it: records of older epochs become committed although
// no record of the new epoch is on a majority, and a later leader may legally truncate them.
// That HW usually lasts until the next fetch, so the invariant is checked after every event. It
// also holds the first leader on an empty log to the rule (HW 0 at epoch start 0 exposes nothing,
// but was accepted too early all the same), so with the bug it fires at the first election of
// every multi-voter run, and a failover to a non-empty log breaks it again.
//
// Checked for every node whose process exists (running or paused) and is in the Leader state.
// O(1) per node per event.
#pragma once

#include "sim/checkers/invariant.hh"

namespace sim {

class LeaderCommitsOwnEpoch : public Invariant {
 public:
  [[nodiscard]] std::string_view name() const override { return "LeaderCommitsOwnEpoch"; }
  std::optional<Violation> check(const CheckContext& ctx) override;
};

}  // namespace sim
