// Tests of sim/compare/runner.hh: the run count, the order of the runs and cells, what the
// observer sees, and that a comparison is deterministic. The comparisons are tiny: one schedule
// seed with every fault kind off, one seed per sweep cell, short phases.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "sim/compare/runner.hh"
#include "sim/fuzz/profile.hh"

namespace sim::compare {
namespace {

// One seed (7), voters {1, 3}, a quiet short schedule, a short sweep with one seed per cell.
CompareSettings tiny_settings() {
  CompareSettings s;
  s.voters = {1, 3};
  s.first_seed = 7;
  s.last_seed = 7;
  s.profile = fuzz::default_profile();
  for (fuzz::FaultProfile& f : s.profile.faults) f.enabled = Ppm{0};
  s.profile.brokers = {1, 1};
  s.profile.safety_ms = {3'000, 3'000};
  s.profile.liveness_ms = 2'000;
  s.profile.topics = {1, 1};
  s.profile.partitions = {1, 1};
  s.profile_name = "tiny";
  s.sweep_seeds = 1;
  s.sweep.brokers = 3;
  s.sweep.topics = 1;
  s.sweep.partitions = 3;
  s.sweep.fault_at_ms = 3'000;
  s.sweep.hold_ms = 4'000;
  s.sweep.recovery_ms = 3'000;
  return s;
}

struct Seen {
  std::string part;
  std::string scenario_name;
  std::string result_name;
  std::uint64_t seed = 0;
  std::size_t done = 0;
  std::size_t total = 0;
};

struct CellKey {
  SweepKind kind;
  int down;
  int voters;
};

TEST_CASE("compare total runs counts schedule and sweep runs") {
  CompareSettings s;  // voters {3, 5}, seeds 0..99, 5 sweep seeds
  // 100 seeds x 2 sizes + 5 x (VotersDown 0..3 + RacksDown 0..3 + VotersDown 0..5 + RacksDown 0..3)
  CHECK(total_runs(s) == 200 + 5 * (4 + 4 + 6 + 4));
  s.sweep_seeds = 0;
  CHECK(total_runs(s) == 200);
  s.first_seed = 5;
  s.last_seed = 4;
  CHECK(total_runs(s) == 0);
  s.voters = {1};
  s.first_seed = 0;
  s.last_seed = 0;
  s.sweep_seeds = 2;
  CHECK(total_runs(s) == 1 + 2 * (2 + 4));
}

TEST_CASE("compare runner runs a tiny comparison in order") {
  const CompareSettings settings = tiny_settings();
  std::vector<Seen> seen;
  const CompareReport report = run_compare(settings, [&](const FinishedRun& run) {
    seen.push_back(Seen{std::string(run.part), run.scenario.name, run.result.scenario_name,
                        run.result.seed, run.done, run.total});
  });

  // 2 schedule runs, then 14 sweep cells of one run each.
  REQUIRE(total_runs(settings) == 16);
  REQUIRE(seen.size() == 16);
  for (std::size_t i = 0; i < seen.size(); ++i) {
    CHECK(seen[i].done == i + 1);
    CHECK(seen[i].total == 16);
    CHECK(seen[i].seed == 7);
    CHECK(seen[i].scenario_name == seen[i].result_name);
    CHECK(seen[i].part == (i < 2 ? "schedule" : "sweep"));
  }
  CHECK(seen[0].scenario_name == "compare-v1-seed-7");
  CHECK(seen[1].scenario_name == "compare-v3-seed-7");
  CHECK(seen[2].scenario_name == "sweep-voters-down-0-v1-seed-7");
  CHECK(seen[15].scenario_name == "sweep-racks-down-3-v3-seed-7");

  CHECK(report.settings.profile_name == "tiny");
  REQUIRE(report.sizes.size() == 2);
  CHECK(report.sizes[0].voters == 1);
  CHECK(report.sizes[1].voters == 3);
  CHECK(report.sizes[0].runs == 1);
  CHECK(report.sizes[1].runs == 1);
  REQUIRE(report.runs.size() == 2);
  REQUIRE(report.runs[0].size() == 1);
  REQUIRE(report.runs[1].size() == 1);
  CHECK(report.runs[0][0].voters == 1);
  CHECK(report.runs[0][0].seed == 7);
  CHECK(report.runs[0][0].scenario_name == "compare-v1-seed-7");
  CHECK(report.runs[1][0].voters == 3);
  CHECK(report.sizes[1].measured == report.runs[1][0].measured);

  const std::vector<CellKey> expected = {
      {SweepKind::VotersDown, 0, 1}, {SweepKind::VotersDown, 0, 3}, {SweepKind::VotersDown, 1, 1},
      {SweepKind::VotersDown, 1, 3}, {SweepKind::VotersDown, 2, 3}, {SweepKind::VotersDown, 3, 3},
      {SweepKind::RacksDown, 0, 1},  {SweepKind::RacksDown, 0, 3},  {SweepKind::RacksDown, 1, 1},
      {SweepKind::RacksDown, 1, 3},  {SweepKind::RacksDown, 2, 1},  {SweepKind::RacksDown, 2, 3},
      {SweepKind::RacksDown, 3, 1},  {SweepKind::RacksDown, 3, 3},
  };
  REQUIRE(report.sweep.size() == expected.size());
  REQUIRE(report.sweep_runs.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    CAPTURE(i);
    CHECK(report.sweep[i].kind == expected[i].kind);
    CHECK(report.sweep[i].down == expected[i].down);
    CHECK(report.sweep[i].voters == expected[i].voters);
    CHECK(report.sweep[i].runs == 1);
    CHECK(report.sweep_runs[i].kind == expected[i].kind);
    CHECK(report.sweep_runs[i].down == expected[i].down);
    CHECK(report.sweep_runs[i].metrics.voters == expected[i].voters);
    CHECK(report.sweep_runs[i].metrics.scenario_name == seen[i + 2].scenario_name);
    CHECK(report.sweep_runs[i].window == Duration::millis(4'000));
  }
  // The baselines keep making progress; a quorum with every voter down does not.
  CHECK(report.sweep[0].progress_runs == 1);  // VotersDown 0, 1 voter
  CHECK(report.sweep[1].progress_runs == 1);  // VotersDown 0, 3 voters
  CHECK(report.sweep[2].progress_runs == 0);  // VotersDown 1, 1 voter: the only voter is down
  CHECK(report.sweep[4].progress_runs == 0);  // VotersDown 2, 3 voters: no majority
  CHECK(report.sweep[5].progress_runs == 0);  // VotersDown 3, 3 voters
  CHECK(report.sweep[4].voters_down_max == 2);
  CHECK(report.sweep[5].voters_down_max == 3);

  // The same settings give the same report.
  const CompareReport again = run_compare(settings);
  CHECK(again.runs[0][0].trace_hash == report.runs[0][0].trace_hash);
  CHECK(again.runs[1][0].trace_hash == report.runs[1][0].trace_hash);
  REQUIRE(again.sweep_runs.size() == report.sweep_runs.size());
  for (std::size_t i = 0; i < again.sweep_runs.size(); ++i) {
    CHECK(again.sweep_runs[i].metrics.trace_hash == report.sweep_runs[i].metrics.trace_hash);
    CHECK(again.sweep_runs[i].window_available_ppm == report.sweep_runs[i].window_available_ppm);
  }
}

TEST_CASE("compare runner skips the sweep with no sweep seeds") {
  CompareSettings settings = tiny_settings();
  settings.voters = {3};
  settings.sweep_seeds = 0;
  std::size_t calls = 0;
  const CompareReport report = run_compare(settings, [&](const FinishedRun&) { ++calls; });
  CHECK(calls == 1);
  CHECK(total_runs(settings) == 1);
  CHECK(report.sweep.empty());
  CHECK(report.sweep_runs.empty());
  REQUIRE(report.sizes.size() == 1);
  CHECK(report.sizes[0].runs == 1);
}

}  // namespace
}  // namespace sim::compare
