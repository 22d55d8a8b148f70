// ControllerClaimsAfterCatchUp (ours; the guarantee of KAFKA-15345 and KAFKA-17333,
// kraft-protocol.md 6.5 and 10.2): a quorum controller claims an epoch (becomes the active
// controller) only
//  (a) while its own Raft client leads that epoch in the same process incarnation: a node that
//      restarted as Resigned after leading the epoch before its crash must never claim it
//      (KAFKA-17333: Resigned reported itself as leader to the state machine), and
//  (b) once it has replayed the committed log up to and including its client's LeaderChange
//      record, the first record of the epoch at the epoch start offset: the client's listener
//      offset and the controller's committed image both end past the epoch start offset
//      (KAFKA-15345: on an empty log the leader notified the listener at once, before the
//      committed state was replayed).
//
// Checked after every event, from what the event left behind:
//  * a claimed epoch not seen before is judged against (a) and (b), once;
//  * a claim can also be made and renounced within one event (the wrongly active controller's
//    first write is refused by its client, which does not lead): the controller's activation
//    count then grew although the client led no new epoch, which breaks (a).
// A claim made and caught up within one event is judged on the state after it: the listener
// replays committed batches before it learns of the leadership within one poll, so this loses
// nothing for the fixed client. The start offset of the last epoch the client was seen leading
// is kept, so a claim checked after the client already resigned that epoch is judged correctly.
#pragma once

#include <cstdint>
#include <map>
#include <optional>

#include "sim/checkers/invariant.hh"

namespace sim {

class ControllerClaimsAfterCatchUp : public Invariant {
 public:
  [[nodiscard]] std::string_view name() const override { return "ControllerClaimsAfterCatchUp"; }
  std::optional<Violation> check(const CheckContext& ctx) override;

 private:
  // What was seen of one node's current process incarnation.
  struct Seen {
    std::uint32_t incarnation = 0;
    std::int64_t epochs_led = 0;              // distinct epochs its client was seen leading
    std::optional<raft::Epoch> led_epoch;     // the last of them
    raft::Offset led_from{0};                 // its epoch start offset
    std::int64_t activations = 0;             // controller activations seen (claims)
    std::optional<raft::Epoch> claim_checked; // the last claimed epoch judged
  };

  std::optional<Violation> check_claim(const CheckContext& ctx, const NodeHost& node,
                                       raft::Epoch epoch, const Seen& seen) const;
  std::optional<Violation> check_activations(const CheckContext& ctx, const NodeHost& node,
                                             Seen& seen) const;

  std::map<raft::NodeId, Seen> seen_;  // by node id
};

}  // namespace sim
