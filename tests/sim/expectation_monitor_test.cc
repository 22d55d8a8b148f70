// Unit tests of sim::ExpectationMonitor (sim/expectation_monitor.hh): a FakeClusterView plays a
// run event by event, calling before() / after_event() / finish() as Simulation does, and each
// timing (at, by, within, always, at the end) must pass and fail exactly where the scenario
// format (scenarios/README.md, "Timing") says, report when it was decided and what it observed.
#include "sim/expectation_monitor.hh"

#include <doctest/doctest.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "sim/support/fake_cluster_view.hh"

namespace {

using kraftsim::test::FakeClusterView;
using sim::ConditionType;
using sim::Duration;
using sim::Expectation;
using sim::ExpectationResult;
using sim::Instant;
using sim::NodeId;
using sim::Timing;

Instant ms(std::int64_t v) { return Instant::from_ms(v); }

Timing at(std::int64_t t) {
  Timing timing;
  timing.kind = Timing::Kind::At;
  timing.at = ms(t);
  return timing;
}

Timing by(std::int64_t t) {
  Timing timing;
  timing.kind = Timing::Kind::By;
  timing.at = ms(t);
  return timing;
}

Timing within(const std::string& label, std::int64_t d) {
  Timing timing;
  timing.kind = Timing::Kind::Within;
  timing.after = label;
  timing.within = Duration::millis(d);
  return timing;
}

Timing always(std::int64_t from, std::int64_t to) {
  Timing timing;
  timing.kind = Timing::Kind::Always;
  timing.from = ms(from);
  timing.to = ms(to);
  return timing;
}

Timing at_end() { return Timing{}; }

// A State expectation of condition `c` with `timing`.
Expectation state(ConditionType c, Timing timing, std::string description = "the condition") {
  Expectation e;
  e.type = sim::ExpectationType::State;
  e.name = std::string(sim::to_string(c));
  e.condition.type = c;
  e.timing = std::move(timing);
  e.description = std::move(description);
  return e;
}

// One simulated run over a FakeClusterView, driving the monitor as Simulation::run does:
// before(next event) / event / after_event, and at the stop time before(stop + 1 us).
class Run {
 public:
  explicit Run(std::vector<Expectation> expectations) : expectations_(std::move(expectations)) {
    for (std::size_t i = 0; i < expectations_.size(); ++i) expectations_[i].index = i;
    monitor_ = std::make_unique<sim::ExpectationMonitor>(expectations_);
  }
  Run(const Run&) = delete;
  Run& operator=(const Run&) = delete;

  // An event at `t` that changes the cluster as `change` says.
  void event(Instant t, const std::function<void(FakeClusterView&)>& change) {
    monitor_->before(t, view);
    view.time = t;
    change(view);
    monitor_->after_event(view);
  }
  // An event at `t` that changes nothing the conditions see (a message, a timer).
  void quiet(Instant t) {
    event(t, [](FakeClusterView&) {});
  }
  // The run reaches its stop time with no event left before it.
  void stop_at(Instant t) {
    monitor_->before(t + Duration::micros(1), view);
    view.time = t;
  }
  [[nodiscard]] std::map<std::size_t, ExpectationResult> finish() const { return monitor_->finish(view); }
  [[nodiscard]] ExpectationResult result(std::size_t index) const { return finish().at(index); }

  FakeClusterView view;

 private:
  std::vector<Expectation> expectations_;
  std::unique_ptr<sim::ExpectationMonitor> monitor_;
};

void lead(FakeClusterView& v) { v.set_leader(1, 4); }
void lose(FakeClusterView& v) { v.leader.reset(); }

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("expectation monitor: at_ms sees the state after the last event at or before it") {
  // Leader from 1 ms to 3 ms; events at 1 and 3 only; the run stops at 10 ms.
  Run run({state(ConditionType::Leader, at(2), "at 2 ms a leader"),    // 0: between the events
           state(ConditionType::Leader, at(3)),                          // 1: at the losing event
           state(ConditionType::NoLeader, at(3)),                        // 2: same moment, opposite
           state(ConditionType::Leader, at(0)),                          // 3: before any event
           state(ConditionType::NoLeader, at(8)),                        // 4: no event after it
           state(ConditionType::Leader, at(1))});                        // 5: at the gaining event
  run.event(ms(1), lead);
  run.event(ms(3), lose);
  run.stop_at(ms(10));
  const auto results = run.finish();
  REQUIRE(results.size() == 6);

  CHECK(results.at(0).passed);
  CHECK(results.at(0).decided_at == ms(2));
  CHECK(results.at(0).description == "at 2 ms a leader");
  CHECK(results.at(0).type == "leader");
  CHECK(contains(results.at(0).observed, "node 1 leads epoch 4"));

  CHECK_FALSE(results.at(1).passed);
  CHECK(results.at(1).decided_at == ms(3));
  CHECK(contains(results.at(1).observed, "no leader able to commit (highest voter epoch 4)"));
  CHECK(results.at(2).passed);

  CHECK_FALSE(results.at(3).passed);  // the state at 0 ms: nobody led yet
  CHECK(results.at(3).decided_at == ms(0));
  CHECK(contains(results.at(3).observed, "highest voter epoch 0"));

  CHECK(results.at(4).passed);  // decided at the stop, from the state after the event at 3 ms
  CHECK(results.at(4).decided_at == ms(8));

  CHECK(results.at(5).passed);
}

TEST_CASE("expectation monitor: at_ms waits for every event at that very time") {
  // Two events at 5 ms: the first loses the leader, the second elects a new one. "at 5 ms" is
  // the state after both.
  Run run({state(ConditionType::Leader, at(5)), state(ConditionType::NoLeader, at(5))});
  run.event(ms(1), lead);
  run.event(ms(5), lose);
  run.event(ms(5), [](FakeClusterView& v) { v.set_leader(2, 5); });
  run.event(ms(7), lose);
  run.stop_at(ms(10));
  CHECK(run.result(0).passed);
  CHECK(contains(run.result(0).observed, "node 2 leads epoch 5"));
  CHECK_FALSE(run.result(1).passed);
}

TEST_CASE("expectation monitor: at_ms after the end of a run ended early fails, at the end it is checked") {
  // stop.when ended the run at 5 ms (no before() for the stop time).
  Run run({state(ConditionType::Leader, at(8)), state(ConditionType::Leader, at(5)),
           state(ConditionType::Leader, at(4))});
  run.event(ms(2), lead);
  run.event(ms(5), [](FakeClusterView& v) { v.set_leader(3, 6); });
  const ExpectationResult late = run.result(0);
  CHECK_FALSE(late.passed);
  CHECK(late.observed == "the run ended at 5.000 ms, before 8.000 ms");
  CHECK_FALSE(late.decided_at.has_value());
  const ExpectationResult at_end = run.result(1);  // at the last event's time: the state now
  CHECK(at_end.passed);
  CHECK(at_end.decided_at == ms(5));
  CHECK(contains(at_end.observed, "node 3 leads epoch 6"));
  const ExpectationResult before = run.result(2);  // decided before the event at 5 ms
  CHECK(before.passed);
  CHECK(contains(before.observed, "node 1 leads epoch 4"));
}

TEST_CASE("expectation monitor: by_ms passes at the first moment it holds, at or before the deadline") {
  Run run({state(ConditionType::Leader, by(5)),     // 0: holds at 3 ms
           state(ConditionType::Leader, by(2)),     // 1: only holds after its deadline
           state(ConditionType::NoLeader, by(20)),  // 2: holds from the first event
           state(ConditionType::Leader, by(3))});   // 3: holds at its deadline exactly
  run.quiet(ms(1));
  run.event(ms(3), lead);
  run.event(ms(7), lose);
  run.stop_at(ms(20));

  const ExpectationResult first = run.result(0);
  CHECK(first.passed);
  CHECK(first.decided_at == ms(3));
  CHECK(contains(first.observed, "node 1 leads epoch 4"));

  const ExpectationResult late = run.result(1);
  CHECK_FALSE(late.passed);
  CHECK_FALSE(late.decided_at.has_value());
  CHECK(late.observed == "never held by 2.000 ms; last seen: no leader able to commit (highest voter epoch 0)");

  const ExpectationResult again = run.result(2);  // the first event after which it held
  CHECK(again.passed);
  CHECK(again.decided_at == ms(1));

  CHECK(run.result(3).passed);
  CHECK(run.result(3).decided_at == ms(3));
}

TEST_CASE("expectation monitor: by_ms that never held reports what it last saw") {
  Expectation e = state(ConditionType::HighWatermarkAtLeast, by(6));
  e.condition.value = 10;
  Run run({e});
  run.event(ms(1), [](FakeClusterView& v) { v.high_watermarks = {{NodeId(0), sim::Offset(3)}}; });
  run.event(ms(4), [](FakeClusterView& v) { v.high_watermarks = {{NodeId(0), sim::Offset(5)}}; });
  // Reached after the deadline: does not count.
  run.event(ms(9), [](FakeClusterView& v) { v.high_watermarks = {{NodeId(0), sim::Offset(50)}}; });
  run.stop_at(ms(10));
  const ExpectationResult r = run.result(0);
  CHECK_FALSE(r.passed);
  CHECK_FALSE(r.decided_at.has_value());
  CHECK(r.observed == "never held by 6.000 ms; last seen: node 0 HW 5; ");
}

TEST_CASE("expectation monitor: within opens at the labelled action's time") {
  // The leader led before the crash (which must not count), the crash at 4 ms loses it, a new
  // leader commits at 6 ms.
  Run run({state(ConditionType::Leader, within("crash", 3)),     // 0: 6 ms is inside [4, 7]
           state(ConditionType::Leader, within("crash", 1)),     // 1: 6 ms is past [4, 5]
           state(ConditionType::NoLeader, within("crash", 1))}); // 2: right after the crash
  run.event(ms(1), lead);
  run.event(ms(4), [](FakeClusterView& v) {
    lose(v);
    v.record_action("crash", ms(4), {NodeId(1)});
  });
  run.event(ms(6), [](FakeClusterView& v) { v.set_leader(2, 5); });
  run.stop_at(ms(20));

  const ExpectationResult in_time = run.result(0);
  CHECK(in_time.passed);
  CHECK(in_time.decided_at == ms(6));
  CHECK(contains(in_time.observed, "node 2 leads epoch 5"));

  const ExpectationResult too_late = run.result(1);
  CHECK_FALSE(too_late.passed);
  CHECK(too_late.observed ==
        "never held within 1.000 ms of 'crash' (at 4.000 ms); last seen: no leader able to commit "
        "(highest voter epoch 4)");

  const ExpectationResult immediately = run.result(2);  // the action's own event counts
  CHECK(immediately.passed);
  CHECK(immediately.decided_at == ms(4));
}

TEST_CASE("expectation monitor: within does not count moments before the action") {
  // The condition holds from 1 ms to 3 ms, before the action at 5 ms, and never after it.
  Run run({state(ConditionType::Leader, within("late", 10))});
  run.event(ms(1), lead);
  run.event(ms(3), lose);
  run.event(ms(5), [](FakeClusterView& v) { v.record_action("late", ms(5)); });
  run.stop_at(ms(30));
  const ExpectationResult r = run.result(0);
  CHECK_FALSE(r.passed);
  CHECK(contains(r.observed, "never held within 10.000 ms of 'late' (at 5.000 ms)"));
}

TEST_CASE("expectation monitor: within fails when its action never ran or was skipped") {
  Run run({state(ConditionType::Leader, within("absent", 5)),
           state(ConditionType::Leader, within("skipped", 5))});
  run.event(ms(1), lead);
  run.event(ms(2), [](FakeClusterView& v) { v.record_action("skipped", ms(2), {}, true); });
  run.event(ms(3), [](FakeClusterView& v) { v.set_leader(2, 5); });
  run.stop_at(ms(10));
  const ExpectationResult never = run.result(0);
  CHECK_FALSE(never.passed);
  CHECK(never.observed == "action 'absent' never ran");
  CHECK_FALSE(never.decided_at.has_value());
  const ExpectationResult skipped = run.result(1);
  CHECK_FALSE(skipped.passed);
  CHECK(skipped.observed == "action 'skipped' was skipped");
}

TEST_CASE("expectation monitor: always reports the first event after which it did not hold") {
  Run run({state(ConditionType::Leader, always(0, 20))});
  run.view.set_leader(1, 4);  // the state at 0 ms holds
  run.quiet(ms(1));
  run.quiet(ms(2));
  run.event(ms(4), lose);                                                // first failure
  run.event(ms(6), [](FakeClusterView& v) { v.set_leader(2, 5); });
  run.event(ms(8), [](FakeClusterView& v) { v.leader.reset(); v.epoch = sim::Epoch(6); });
  run.stop_at(ms(20));
  const ExpectationResult r = run.result(0);
  CHECK_FALSE(r.passed);
  CHECK(r.decided_at == ms(4));
  CHECK(r.observed == "no leader able to commit (highest voter epoch 4)");
}

TEST_CASE("expectation monitor: always respects its window") {
  // No leader before 3 ms and after 9 ms; the window [3, 9] (both ends inclusive) passes.
  Run run({state(ConditionType::Leader, always(3, 9)),    // 0: passes
           state(ConditionType::Leader, always(3, 10)),   // 1: the loss at 10 ms is inside
           state(ConditionType::Leader, always(2, 9)),    // 2: the state at 2 ms: no leader
           state(ConditionType::Leader, always(5, 5))});  // 3: a single moment, no event at it
  run.event(ms(1), [](FakeClusterView& v) { v.epoch = sim::Epoch(1); });
  run.event(ms(3), lead);
  run.quiet(ms(6));
  run.event(ms(9), [](FakeClusterView& v) { v.set_leader(2, 7); });
  run.event(ms(10), lose);
  run.event(ms(12), lead);
  run.stop_at(ms(20));

  const ExpectationResult inside = run.result(0);
  CHECK(inside.passed);
  CHECK_FALSE(inside.decided_at.has_value());
  // The events at 3, 6 and 9 ms.
  CHECK(inside.observed ==
        "held at each of 3 checks from 3.000 ms to 9.000 ms; last seen: node 2 leads epoch 7 and "
        "has committed in it");

  const ExpectationResult to_end = run.result(1);
  CHECK_FALSE(to_end.passed);
  CHECK(to_end.decided_at == ms(10));

  const ExpectationResult from_start = run.result(2);
  CHECK_FALSE(from_start.passed);
  CHECK(contains(from_start.observed, "highest voter epoch 1"));

  const ExpectationResult moment = run.result(3);
  CHECK(moment.passed);
  CHECK(contains(moment.observed, "held at each of 1 checks from 5.000 ms to 5.000 ms"));
}

TEST_CASE("expectation monitor: always counts the state at `from` even without an event there") {
  // No leader from 2 ms (an event) until 7 ms: the window opening at 5 ms starts in that state.
  Run run({state(ConditionType::Leader, always(5, 20))});
  run.event(ms(1), lead);
  run.event(ms(2), lose);
  run.event(ms(7), lead);
  run.stop_at(ms(20));
  const ExpectationResult r = run.result(0);
  CHECK_FALSE(r.passed);
  CHECK(contains(r.observed, "no leader able to commit"));
  // It failed at the window's start: the state at 5 ms (decided from the event at 2 ms, which is
  // outside the window).
  CHECK(r.decided_at == ms(5));
}

TEST_CASE("expectation monitor: always whose window the run never reached or never closed fails") {
  // stop.when ended the run at 4 ms (no before() for the stop time): a window from 6 ms was never
  // watched, like an at_ms after the end; a window to 9 ms was watched only in part; a window
  // without to_ms lasts until the run ends, whenever that is.
  Timing open_ended = always(2, 0);
  open_ended.to = Instant::never();
  Run run({state(ConditionType::Leader, always(6, 9)), state(ConditionType::Leader, always(2, 9)),
           state(ConditionType::Leader, open_ended)});
  run.event(ms(1), lead);
  run.event(ms(4), [](FakeClusterView& v) { v.set_leader(2, 5); });
  const ExpectationResult unreached = run.result(0);
  CHECK_FALSE(unreached.passed);
  CHECK(unreached.observed == "the run ended at 4.000 ms, before 6.000 ms");
  CHECK_FALSE(unreached.decided_at.has_value());
  const ExpectationResult cut = run.result(1);  // watched from 2 ms to the end at 4 ms only
  CHECK_FALSE(cut.passed);
  CHECK(cut.observed == "the run ended at 4.000 ms, before 9.000 ms; it held at each of 2 checks until then");
  const ExpectationResult whole = run.result(2);
  CHECK(whole.passed);
  CHECK(contains(whole.observed, "held at each of 2 checks from 2.000 ms to 4.000 ms"));
}

TEST_CASE("expectation monitor: always checks the whole run when the window is the run") {
  Run run({state(ConditionType::NoCommittedRecordLost, always(0, 10))});
  run.view.voters = {NodeId(0)};
  run.view.log_ends = {{NodeId(0), sim::Offset(0)}};
  run.event(ms(1), [](FakeClusterView& v) {
    v.committed = sim::Offset(3);
    v.log_ends[NodeId(0)] = sim::Offset(3);
  });
  run.event(ms(2), [](FakeClusterView& v) { v.committed = sim::Offset(5); });  // lost 3..4
  run.event(ms(3), [](FakeClusterView& v) { v.log_ends[NodeId(0)] = sim::Offset(5); });
  run.stop_at(ms(10));
  const ExpectationResult r = run.result(0);
  CHECK_FALSE(r.passed);
  CHECK(r.decided_at == ms(2));
  CHECK(r.observed == "committed end 5; longest running voter node 0 log end 3");
}

TEST_CASE("expectation monitor: at the end is decided by the final state") {
  Run run({state(ConditionType::Leader, at_end()), state(ConditionType::NoLeader, at_end())});
  run.event(ms(1), lead);
  run.event(ms(3), lose);
  run.event(ms(5), [](FakeClusterView& v) { v.set_leader(0, 9); });
  run.stop_at(ms(10));
  const ExpectationResult leader = run.result(0);
  CHECK(leader.passed);
  CHECK_FALSE(leader.decided_at.has_value());
  CHECK(contains(leader.observed, "node 0 leads epoch 9"));
  CHECK_FALSE(run.result(1).passed);
}

TEST_CASE("expectation monitor: only state expectations are watched, keyed by their index") {
  Expectation event;
  event.type = sim::ExpectationType::LeaderElectedWithin;
  event.name = "leader_elected_within";
  std::vector<Expectation> list = {event, state(ConditionType::Leader, at_end(), "second")};
  Run run(list);
  run.event(ms(1), lead);
  run.stop_at(ms(2));
  const auto results = run.finish();
  REQUIRE(results.size() == 1);
  REQUIRE(results.count(1) == 1);
  CHECK(results.at(1).description == "second");
  CHECK(results.at(1).passed);
}

TEST_CASE("expectation monitor: a decided expectation is not decided again") {
  // "by" passed at 2 ms; losing the leader later must not turn it into a failure, and "at 3 ms"
  // keeps its verdict when the state changes afterwards.
  Run run({state(ConditionType::Leader, by(5)), state(ConditionType::Leader, at(3))});
  run.event(ms(2), lead);
  run.event(ms(4), lose);
  run.event(ms(6), lose);
  run.stop_at(ms(10));
  CHECK(run.result(0).passed);
  CHECK(run.result(0).decided_at == ms(2));
  CHECK(run.result(1).passed);
  CHECK(run.result(1).decided_at == ms(3));
}
