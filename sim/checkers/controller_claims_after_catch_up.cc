// ControllerClaimsAfterCatchUp. See controller_claims_after_catch_up.hh.
#include "sim/checkers/controller_claims_after_catch_up.hh"

#include <sstream>
#include <string>

namespace sim {

namespace {
// "Resigned in epoch 3"
std::string client_state(const raft::RaftClient& client) {
  std::ostringstream os;
  os << raft::to_string(client.quorum().kind()) << " in epoch " << client.quorum().epoch();
  return os.str();
}
}  // namespace

std::optional<Violation> ControllerClaimsAfterCatchUp::check(const CheckContext& ctx) {
  for (const auto& n : ctx.nodes) {
    const raft::RaftClient* client = n->client();
    const raft::controller::QuorumController* controller = n->controller();
    if (client == nullptr || controller == nullptr) continue;
    Seen& seen = seen_[n->id()];
    if (seen.incarnation != n->incarnation()) seen = Seen{n->incarnation(), 0, {}, {}, 0, {}};
    if (const raft::LeaderState* leader = client->quorum().leader_or_null();
        leader != nullptr && seen.led_epoch != leader->epoch()) {
      ++seen.epochs_led;
      seen.led_epoch = leader->epoch();
      seen.led_from = leader->epoch_start_offset();
    }
    if (const std::optional<raft::Epoch> claimed = controller->claimed_epoch();
        claimed && seen.claim_checked != claimed) {
      seen.claim_checked = claimed;
      if (auto v = check_claim(ctx, *n, *claimed, seen)) return v;
    }
    if (auto v = check_activations(ctx, *n, seen)) return v;
  }
  return std::nullopt;
}

std::optional<Violation> ControllerClaimsAfterCatchUp::check_claim(const CheckContext& ctx,
                                                                   const NodeHost& node,
                                                                   raft::Epoch epoch,
                                                                   const Seen& seen) const {
  const raft::RaftClient& client = *node.client();
  std::ostringstream os;
  os << "the controller of node " << node.id() << " claimed epoch " << epoch;
  if (seen.led_epoch != epoch) {
    os << " but its Raft client never led that epoch in this incarnation (it is "
       << client_state(client) << ")";
    return make_violation(ctx, name(), os.str(), {node.id()});
  }
  const raft::Offset listener = client.listener_next_offset();
  const raft::Offset image_end = node.controller()->committed_image().provenance().end_offset;
  if (listener > seen.led_from && image_end > seen.led_from) return std::nullopt;
  os << " before replaying its own LeaderChange at the epoch start offset " << seen.led_from
     << ": the listener's next offset is " << listener << " and the committed image ends at "
     << image_end;
  return make_violation(ctx, name(), os.str(), {node.id()});
}

std::optional<Violation> ControllerClaimsAfterCatchUp::check_activations(const CheckContext& ctx,
                                                                         const NodeHost& node,
                                                                         Seen& seen) const {
  const std::int64_t activations = node.controller()->stats().activations;
  if (activations == seen.activations) return std::nullopt;
  seen.activations = activations;
  // At most one claim per epoch led: a controller never claims an epoch twice.
  if (activations <= seen.epochs_led) return std::nullopt;
  std::ostringstream os;
  os << "the controller of node " << node.id() << " became active " << activations
     << " time(s) in this incarnation but its Raft client led only " << seen.epochs_led
     << " epoch(s) (it is " << client_state(*node.client()) << ")";
  return make_violation(ctx, name(), os.str(), {node.id()});
}

}  // namespace sim
