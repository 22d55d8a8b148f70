// CheckQuorum (ours; KIP-595 check-quorum, the guarantee KAFKA-15489 restored; kraft-protocol.md
// 4.7): a running leader that no majority of voters (itself included) has fetched from for a long
// time has resigned.
//
// What Kafka does: the leader keeps a check-quorum window of T = 1.5 x its OWN
// controller.quorum.fetch.timeout.ms (LeaderState::check_quorum_timeout()), on its own local
// clock. The first window starts at the election. A window restarts as soon as a majority of
// voters fetched during it, the leader counting itself, i.e. once `needed` = majority - 1 distinct
// remote voters did; if a window runs out first, the leader resigns. Fetch times are the voters'
// LeaderState::voter_states()[v].last_fetch_time (the leader's local clock).
//
// What an observer can prove, checked after every event:
//  * An instantaneous bound needs a factor 2. Let M be the `needed`-th most recent last fetch
//    time among the remote voters (a voter that has not fetched in this epoch counting as having
//    fetched at the election). A leader still leading at local time `now` has a window that
//    started at some W > now - T, either at the election (then now - M < T) or because `needed`
//    voters fetched during the previous window, which started no earlier than W - T; their last
//    fetches are then all >= W - T, so M > now - 2T. The factor 2 is needed: a window may start
//    just after one voter's fetch, which then still counts toward the next restart almost T later,
//    and the window started then lasts T more, so that fetch may be almost 2T old.
//  * Remembering the past halves that. A window restart happens at a fetch, at local time W,
//    when `needed` voters fetched within [W - T, W]; right after the event of that fetch W is the
//    latest fetch time of all voters and each of those voters' last fetch is >= W - T. So after
//    every event the checker looks at the latest fetch time L: if `needed` voters have
//    last_fetch_time >= L - T, a restart at L is possible and is remembered (the latest such L,
//    or the election time, is `window_start`, never earlier than Kafka's true window start).
//    Then the leader must have resigned once local_now > window_start + T + kSlack.
// This is at least as strict as the instantaneous 2T bound (a remembered restart at R means
// `needed` voters' last fetches are >= R - T, so M >= R - T, and now - M > 2T implies
// now - R > T), and exact but for ties: fetches handled at the very instant of a restart may
// count in Kafka's old window or in its new one (their order within the instant decides); the
// checker counts them in both, which may give a leader one more window than Kafka does, never
// less. So a leader that never resigns (Bug::NoCheckQuorum) is caught T (rarely 2T) after the
// fetches that last made a majority.
//
// kSlack covers events the simulation handles at the very instant of the leader's deadline before
// its wake-up (and the microsecond rounding of a drifted clock's deadline). Nodes that are paused
// or waiting for an fsync are not checked (their window bookkeeping is kept): they run no timers,
// and once unblocked they handle the fetches that queued up meanwhile before their timers. A
// single-voter quorum never loses its quorum (KAFKA-16144) and is not checked.
//
// Known limit: a FetchSnapshot restarts Kafka's window but does not move the voter's
// last_fetch_time (only a valid Fetch does), so a voter that spends more than T downloading a
// snapshot in many FetchSnapshot round trips, with no other voter completing the majority, would
// be reported although Kafka keeps that leader. Snapshots here fit in one or a few 8 MiB
// FetchSnapshot responses, so a download takes a few round trips.
//
// O(voters) per leader per event.
#pragma once

#include <cstdint>
#include <map>

#include "sim/checkers/invariant.hh"

namespace sim {

class CheckQuorum : public Invariant {
 public:
  // Tolerance added to the bound (see above).
  static constexpr Duration kSlack = Duration::millis(1);

  [[nodiscard]] std::string_view name() const override { return "CheckQuorum"; }
  std::optional<Violation> check(const CheckContext& ctx) override;

 private:
  // One node's current leadership, in its current process incarnation.
  struct Led {
    std::uint32_t incarnation = 0;
    raft::Epoch epoch{0};
    Instant elected_local;  // the node's local time when first seen leading (its election)
    Instant window_start;   // the latest provable window restart (or elected_local), local clock
  };

  // Moves led.window_start to the latest fetch time if a window may have restarted there.
  void update_window(const NodeHost& node, const raft::LeaderState& leader, Led& led);
  // The check of one running, unblocked leader.
  std::optional<Violation> check_leader(const CheckContext& ctx, const NodeHost& node,
                                        const raft::LeaderState& leader, const Led& led) const;

  std::map<raft::NodeId, Led> led_;  // by node id; only nodes currently seen leading
};

}  // namespace sim
