// Watches a scenario's state expectations while the run goes on and decides them at the right
// moment (Timing in sim/scenario/scenario.hh):
//   at      evaluated once the clock passes the time (the state after every event at or before it)
//   by      passes the first time the condition holds at or before the deadline
//   within  the same, in the window [t, t + within] after the labelled action ran at t
//   always  fails the first time the condition does not hold after an event in [from, to]
//   at end  evaluated when the run ends
// The other expectations (elections, failovers, progress windows, broker fencing changes,
// controlled shutdowns, restarts) are decided from the run's observations at the end
// (expectations.hh). The monitor only reads the cluster: it never changes the run.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <vector>

#include "sim/cluster_view.hh"
#include "sim/conditions.hh"
#include "sim/run_result.hh"
#include "sim/scenario/scenario.hh"

namespace sim {

class ExpectationMonitor {
 public:
  explicit ExpectationMonitor(const std::vector<Expectation>& expectations);

  // Before an event at `next` is processed: decides what the state up to now settles (an "at"
  // time, a "by" deadline, a "within" window or an "always" window that ends before `next`).
  void before(Instant next, const ClusterView& view);
  // After every event (and once at the start of the run).
  void after_event(const ClusterView& view);
  // When the run ends at view.now(): decides the rest. Returns the result of every State
  // expectation, keyed by its index in the scenario's expectations.
  [[nodiscard]] std::map<std::size_t, ExpectationResult> finish(const ClusterView& view) const;

 private:
  struct Watch {
    const Expectation* expectation = nullptr;
    std::optional<ExpectationResult> decided;
    std::optional<ConditionOutcome> last;  // the last evaluation, for an undecided failure
    std::size_t checks = 0;                // evaluations so far (always)
    bool window_opened = false;            // always: the state at `from` was checked
  };
  // The window [start, end] in which a by / within / always condition is watched, if known yet.
  [[nodiscard]] std::optional<std::pair<Instant, Instant>> window(const Watch& w,
                                                                  const ClusterView& view) const;
  void evaluate(Watch& w, const ClusterView& view);
  ExpectationResult settle(const Watch& w, const ClusterView& view) const;
  ExpectationResult make(const Watch& w, bool passed, const std::string& observed,
                         std::optional<Instant> at) const;

  std::vector<Watch> watches_;  // the State expectations, in file order
};

}  // namespace sim
