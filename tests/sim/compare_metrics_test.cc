// Tests of sim/compare/metrics.hh: percentiles, one run's figures read off a hand-built
// RunResult, the per-size aggregate, sweep window figures and the per-cell aggregate.
#include <doctest/doctest.h>

#include "raft/common/assert.hh"
#include "sim/compare/metrics.hh"

namespace sim::compare {
namespace {

Duration ms(std::int64_t v) { return Duration::millis(v); }
Instant at_ms(std::int64_t v) { return Instant::from_ms(v); }

std::vector<Duration> ms_list(std::initializer_list<std::int64_t> values) {
  std::vector<Duration> out;
  for (std::int64_t v : values) out.push_back(ms(v));
  return out;
}

// A run measured from 1 s to 10 s, unavailable [2 s, 3 s) and from 8 s to the end (open).
RunResult sample_run() {
  RunResult r;
  r.scenario_name = "sample";
  r.seed = 42;
  r.trace_hash = 0xabcdef;
  r.sim_time = at_ms(10'000);
  r.outcome = Outcome::Success;
  r.availability.measured_from = at_ms(1'000);
  r.availability.measured_to = at_ms(10'000);
  r.availability.windows = {UnavailableWindow{at_ms(2'000), at_ms(3'000), "no leader"},
                            UnavailableWindow{at_ms(8'000), std::nullopt, "no leader"}};
  Failover done;
  done.start = at_ms(2'000);
  done.end = at_ms(2'750);
  Failover open;
  open.start = at_ms(8'000);
  r.failovers = {done, open};
  r.elections = 4;
  NodeSummary n0;
  n0.id = raft::NodeId(0);
  n0.epoch = Epoch(3);
  NodeSummary n1;
  n1.id = raft::NodeId(1);
  n1.epoch = Epoch(7);
  NodeSummary n2;
  n2.id = raft::NodeId(2);
  n2.epoch = Epoch(5);
  r.nodes = {n0, n1, n2};
  r.metadata.enabled = true;
  r.metadata.admin_acknowledged = 11;
  r.metadata.admin_failed = 2;
  r.metadata.admin_unknown = 1;
  r.metadata.admin_pending = 9;  // not reported
  r.metadata.broker_fences = 3;
  r.metadata.max_leaderless_partitions = 3;
  r.metadata.leaderless_over_time = {{at_ms(0), 0}, {at_ms(2'000), 3}, {at_ms(4'000), 0}};
  r.committed_records_lost = 0;
  return r;
}

TEST_CASE("compare percentiles use the nearest rank") {
  SUBCASE("ten values 1..10 ms, unsorted") {
    const Percentiles p = percentiles(ms_list({7, 3, 10, 1, 5, 2, 9, 4, 8, 6}));
    CHECK(p.count == 10);
    CHECK(p.p50 == ms(5));
    CHECK(p.p90 == ms(9));
    CHECK(p.p99 == ms(10));
    CHECK(p.max == ms(10));
  }
  SUBCASE("one value") {
    const Percentiles p = percentiles(ms_list({42}));
    CHECK(p.count == 1);
    CHECK(p.p50 == ms(42));
    CHECK(p.p90 == ms(42));
    CHECK(p.p99 == ms(42));
    CHECK(p.max == ms(42));
  }
  SUBCASE("no values") {
    const Percentiles p = percentiles({});
    CHECK(p.count == 0);
    CHECK(p.p50 == Duration::zero());
    CHECK(p.p90 == Duration::zero());
    CHECK(p.p99 == Duration::zero());
    CHECK(p.max == Duration::zero());
  }
  SUBCASE("three values: p50 is the second, p90 and p99 the third") {
    const Percentiles p = percentiles(ms_list({30, 10, 20}));
    CHECK(p.p50 == ms(20));
    CHECK(p.p90 == ms(30));
    CHECK(p.p99 == ms(30));
  }
  SUBCASE("two hundred values: p99 is rank 198") {
    std::vector<Duration> values;
    for (std::int64_t i = 1; i <= 200; ++i) values.push_back(ms(i));
    const Percentiles p = percentiles(values);
    CHECK(p.p50 == ms(100));
    CHECK(p.p90 == ms(180));
    CHECK(p.p99 == ms(198));
    CHECK(p.max == ms(200));
  }
}

TEST_CASE("compare run metrics read the run result") {
  const RunMetrics m = run_metrics(sample_run(), 3);
  CHECK(m.voters == 3);
  CHECK(m.seed == 42);
  CHECK(m.scenario_name == "sample");
  CHECK(m.outcome == Outcome::Success);
  CHECK(m.violation.empty());
  CHECK(m.trace_hash == 0xabcdef);
  CHECK(m.sim_time == at_ms(10'000));
  CHECK(m.measured == ms(9'000));
  CHECK(m.unavailable == ms(3'000));
  CHECK(m.available_ppm == 666'666);
  CHECK(m.windows == ms_list({1'000, 2'000}));
  CHECK(m.failovers == ms_list({750}));
  CHECK(m.failovers_open == 1);
  CHECK(m.elections == 4);
  CHECK(m.max_epoch == 7);
  CHECK(m.admin_acknowledged == 11);
  CHECK(m.admin_failed == 2);
  CHECK(m.admin_timed_out == 1);
  CHECK(m.broker_fences == 3);
  CHECK(m.max_leaderless == 3);
  CHECK(m.leaderless_partition_ms == 6'000);
  CHECK(m.committed_records_lost == 0);
}

TEST_CASE("compare run metrics integrate leaderless partitions") {
  RunResult r = sample_run();
  SUBCASE("a count still nonzero at the end integrates to the end of the run") {
    r.metadata.leaderless_over_time = {{at_ms(0), 0}, {at_ms(2'000), 3}, {at_ms(4'000), 0},
                                       {at_ms(7'500), 2}};
    CHECK(run_metrics(r, 3).leaderless_partition_ms == 6'000 + 2 * 2'500);
  }
  SUBCASE("sub-millisecond pieces add up before rounding") {
    r.metadata.leaderless_over_time = {{Instant::from_us(1'000), 1}, {Instant::from_us(1'600), 0},
                                       {Instant::from_us(5'000), 1}, {Instant::from_us(5'600), 0}};
    CHECK(run_metrics(r, 3).leaderless_partition_ms == 1);  // 1200 partition-us
  }
  SUBCASE("no series: zero") {
    r.metadata.leaderless_over_time.clear();
    CHECK(run_metrics(r, 3).leaderless_partition_ms == 0);
  }
}

TEST_CASE("compare run metrics of a violated run") {
  RunResult r = sample_run();
  r.outcome = Outcome::SafetyViolation;
  r.violation = Violation{"SingleLeader", "two leaders", 12, at_ms(5'000), {}};
  r.committed_records_lost = 4;
  const RunMetrics m = run_metrics(r, 5);
  CHECK(m.voters == 5);
  CHECK(m.outcome == Outcome::SafetyViolation);
  CHECK(m.violation == "SingleLeader");
  CHECK(m.committed_records_lost == 4);
}

TEST_CASE("compare run metrics of a run where no write ever committed") {
  RunResult r;
  r.sim_time = at_ms(5'000);
  r.availability.measured_to = at_ms(5'000);
  const RunMetrics m = run_metrics(r, 1);
  CHECK(m.measured == Duration::zero());
  CHECK(m.unavailable == Duration::zero());
  CHECK(m.available_ppm == 0);
  CHECK(m.windows.empty());
  CHECK(m.max_epoch == 0);
}

RunMetrics metrics_of(std::int64_t measured_ms, std::int64_t unavailable_ms, std::int64_t ppm) {
  RunMetrics m;
  m.measured = ms(measured_ms);
  m.unavailable = ms(unavailable_ms);
  m.available_ppm = ppm;
  return m;
}

TEST_CASE("compare size summary aggregates the runs") {
  RunMetrics a = metrics_of(10'000, 1'000, 900'000);
  a.windows = ms_list({400, 600});
  a.failovers = ms_list({300});
  a.failovers_open = 1;
  a.elections = 3;
  a.max_epoch = 4;
  a.admin_acknowledged = 10;
  a.admin_failed = 1;
  a.admin_timed_out = 2;
  a.broker_fences = 5;
  a.max_leaderless = 6;
  a.leaderless_partition_ms = 700;
  a.committed_records_lost = 0;
  RunMetrics b = metrics_of(30'000, 0, 1'000'000);
  b.windows = {};
  b.failovers = ms_list({100, 200});
  b.elections = 2;
  b.max_epoch = 9;
  b.admin_acknowledged = 20;
  b.admin_failed = 0;
  b.admin_timed_out = 1;
  b.broker_fences = 1;
  b.max_leaderless = 2;
  b.leaderless_partition_ms = 50;
  b.committed_records_lost = 3;
  b.outcome = Outcome::SafetyViolation;
  b.violation = "SingleLeader";

  const SizeSummary s = summarize_size(5, {a, b});
  CHECK(s.voters == 5);
  CHECK(s.runs == 2);
  CHECK(s.measured == ms(40'000));
  CHECK(s.unavailable == ms(1'000));
  CHECK(s.available_ppm == 975'000);  // of the sums, not the mean of 900'000 and 1'000'000
  CHECK(s.worst_available_ppm == 900'000);
  CHECK(s.windows.count == 2);
  CHECK(s.windows.p50 == ms(400));
  CHECK(s.windows.max == ms(600));
  CHECK(s.failovers.count == 3);
  CHECK(s.failovers.p50 == ms(200));
  CHECK(s.failovers.max == ms(300));
  CHECK(s.failovers_open == 1);
  CHECK(s.elections == 5);
  CHECK(s.max_epoch == 9);
  CHECK(s.admin_acknowledged == 30);
  CHECK(s.admin_failed == 1);
  CHECK(s.admin_timed_out == 3);
  CHECK(s.broker_fences == 6);
  CHECK(s.max_leaderless == 6);
  CHECK(s.leaderless_partition_ms == 750);
  CHECK(s.committed_records_lost == 3);
  CHECK(s.violations == 1);
}

TEST_CASE("compare size summary of no runs") {
  const SizeSummary s = summarize_size(3, {});
  CHECK(s.voters == 3);
  CHECK(s.runs == 0);
  CHECK(s.measured == Duration::zero());
  CHECK(s.available_ppm == 0);
  CHECK(s.worst_available_ppm == 1'000'000);
  CHECK(s.windows.count == 0);
  CHECK(s.failovers.count == 0);
  CHECK(s.violations == 0);
}

// A sweep case with the fault window [10 s, 30 s).
SweepCase sweep_case_of(SweepKind kind, int down, int voters, int voters_down) {
  SweepCase c;
  c.kind = kind;
  c.down = down;
  c.voters = voters;
  c.seed = 1;
  c.fault_start = at_ms(10'000);
  c.fault_end = at_ms(30'000);
  c.progress_from = at_ms(20'000);
  c.voters_down = voters_down;
  return c;
}

// A run to 50 s, measured from 2 s, with `windows`, and a progress_between result `progress`
// after an unrelated expectation that passed.
RunResult sweep_result(std::vector<UnavailableWindow> windows, bool progress) {
  RunResult r;
  r.sim_time = at_ms(50'000);
  r.availability.measured_from = at_ms(2'000);
  r.availability.measured_to = at_ms(50'000);
  r.availability.windows = std::move(windows);
  r.expectations = {ExpectationResult{"state", true, "", "state", std::nullopt},
                    ExpectationResult{"progress", progress, "", "progress_between", std::nullopt}};
  return r;
}

TEST_CASE("compare sweep run measures the fault window") {
  const SweepCase c = sweep_case_of(SweepKind::VotersDown, 2, 3, 2);
  SUBCASE("a window open at the restart and closing later") {
    const RunResult r = sweep_result({UnavailableWindow{at_ms(10'000), at_ms(34'500), "no leader"}}, false);
    const SweepRun s = sweep_run(r, c);
    CHECK(s.kind == SweepKind::VotersDown);
    CHECK(s.down == 2);
    CHECK(s.voters_down == 2);
    CHECK(s.metrics.voters == 3);
    CHECK(s.window == ms(20'000));
    CHECK(s.window_unavailable == ms(20'000));
    CHECK(s.window_available_ppm == 0);
    CHECK_FALSE(s.progress);
    REQUIRE(s.recovery.has_value());
    CHECK(*s.recovery == ms(4'500));
  }
  SUBCASE("a short failover inside the window: available at the restart") {
    const RunResult r = sweep_result({UnavailableWindow{at_ms(10'000), at_ms(11'000), "no leader"},
                                      UnavailableWindow{at_ms(30'500), at_ms(31'000), "no leader"}},
                                     true);
    const SweepRun s = sweep_run(r, c);
    CHECK(s.window_unavailable == ms(1'000));
    CHECK(s.window_available_ppm == 950'000);
    CHECK(s.progress);
    REQUIRE(s.recovery.has_value());
    CHECK(*s.recovery == Duration::zero());
  }
  SUBCASE("a window that ends exactly at the restart: zero") {
    const RunResult r = sweep_result({UnavailableWindow{at_ms(29'000), at_ms(30'000), "x"}}, true);
    const SweepRun s = sweep_run(r, c);
    CHECK(s.window_unavailable == ms(1'000));
    REQUIRE(s.recovery.has_value());
    CHECK(*s.recovery == Duration::zero());
  }
  SUBCASE("a window that starts exactly at the restart") {
    const RunResult r = sweep_result({UnavailableWindow{at_ms(30'000), at_ms(30'200), "x"}}, true);
    const SweepRun s = sweep_run(r, c);
    CHECK(s.window_unavailable == Duration::zero());
    CHECK(s.window_available_ppm == 1'000'000);
    REQUIRE(s.recovery.has_value());
    CHECK(*s.recovery == ms(200));
  }
  SUBCASE("a window open until the end of the run: no recovery") {
    const RunResult r = sweep_result({UnavailableWindow{at_ms(15'000), std::nullopt, "no leader"}}, false);
    const SweepRun s = sweep_run(r, c);
    CHECK(s.window_unavailable == ms(15'000));
    CHECK(s.window_available_ppm == 250'000);
    CHECK_FALSE(s.recovery.has_value());
  }
  SUBCASE("no write ever committed: all unavailable, no recovery") {
    RunResult r = sweep_result({}, false);
    r.availability.measured_from.reset();
    const SweepRun s = sweep_run(r, c);
    CHECK(s.window_unavailable == ms(20'000));
    CHECK_FALSE(s.recovery.has_value());
  }
  SUBCASE("the first write after the restart: recovery to measured_from") {
    RunResult r = sweep_result({}, false);
    r.availability.measured_from = at_ms(33'000);
    const SweepRun s = sweep_run(r, c);
    CHECK(s.window_unavailable == ms(20'000));
    REQUIRE(s.recovery.has_value());
    CHECK(*s.recovery == ms(3'000));
  }
  SUBCASE("no progress_between result: no progress") {
    RunResult r = sweep_result({}, true);
    r.expectations.pop_back();
    CHECK_FALSE(sweep_run(r, c).progress);
  }
}

SweepRun cell_run(std::int64_t ppm, bool progress, int voters_down, std::optional<Duration> recovery,
                  std::vector<Duration> failovers) {
  SweepRun s;
  s.kind = SweepKind::RacksDown;
  s.down = 1;
  s.voters_down = voters_down;
  s.metrics.voters = 5;
  s.metrics.failovers = std::move(failovers);
  s.window_available_ppm = ppm;
  s.progress = progress;
  s.recovery = recovery;
  return s;
}

TEST_CASE("compare sweep cell aggregates its runs") {
  std::vector<SweepRun> runs = {
      cell_run(900'000, true, 2, ms(0), ms_list({400})),
      cell_run(100'000, false, 1, std::nullopt, {}),
      cell_run(500'000, true, 2, ms(1'500), ms_list({300, 800})),
      cell_run(700'000, true, 1, ms(200), {}),
  };
  runs[1].metrics.outcome = Outcome::SafetyViolation;
  const SweepCell cell = summarize_cell(runs);
  CHECK(cell.kind == SweepKind::RacksDown);
  CHECK(cell.down == 1);
  CHECK(cell.voters == 5);
  CHECK(cell.runs == 4);
  CHECK(cell.progress_runs == 3);
  CHECK(cell.voters_down_min == 1);
  CHECK(cell.voters_down_max == 2);
  CHECK(cell.window_available_ppm_median == 500'000);  // rank 2 of 4
  CHECK(cell.window_available_ppm_min == 100'000);
  CHECK(cell.window_available_ppm_max == 900'000);
  CHECK(cell.failovers.count == 3);
  CHECK(cell.failovers.p50 == ms(400));
  CHECK(cell.failovers.max == ms(800));
  CHECK(cell.recovery.count == 3);
  CHECK(cell.recovery.p50 == ms(200));
  CHECK(cell.recovery.max == ms(1'500));
  CHECK(cell.never_recovered == 1);
  CHECK(cell.violations == 1);

  SUBCASE("an odd count takes the middle one") {
    runs.pop_back();
    CHECK(summarize_cell(runs).window_available_ppm_median == 500'000);
    runs.pop_back();
    CHECK(summarize_cell(runs).window_available_ppm_median == 100'000);  // rank 1 of 2
  }
  SUBCASE("runs of different cells are refused") {
    runs[2].down = 2;
    CHECK_THROWS_AS(summarize_cell(runs), raft::AssertionFailure);
  }
  SUBCASE("no runs are refused") {
    CHECK_THROWS_AS(summarize_cell({}), raft::AssertionFailure);
  }
}

}  // namespace
}  // namespace sim::compare
