#include "sim/checkers/leader_never_load_snapshot.hh"

#include <sstream>

namespace sim {

std::optional<Violation> LeaderNeverLoadSnapshot::check(const CheckContext& ctx) {
  for (const auto& n : ctx.nodes) {
    if (!n->is_alive() || !n->state_machine_progress().loaded_snapshot_while_leader) continue;
    std::ostringstream os;
    os << "node " << n->id() << " loaded a snapshot while its state machine was leading";
    return make_violation(ctx, name(), os.str(), {n->id()});
  }
  return std::nullopt;
}

}  // namespace sim
