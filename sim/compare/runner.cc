// Runs a `kraftsim compare`: the schedule cases, then the sweep, one Simulation at a time, and
// aggregates their figures into a CompareReport. See runner.hh.
#include "sim/compare/runner.hh"

#include <algorithm>
#include <array>
#include <utility>

#include "sim/compare/metrics.hh"
#include "sim/compare/racks.hh"
#include "sim/compare/schedule.hh"
#include "sim/compare/sweep.hh"
#include "sim/simulation.hh"

namespace sim::compare {

namespace {

constexpr std::array<SweepKind, 2> kSweepKinds = {SweepKind::VotersDown, SweepKind::RacksDown};

// Schedule seeds in first_seed..last_seed (none if first_seed > last_seed).
std::uint64_t schedule_seed_count(const CompareSettings& s) {
  return s.first_seed <= s.last_seed ? s.last_seed - s.first_seed + 1 : 0;
}

// The largest `down` of `kind` for a quorum of `voters`.
int max_down(SweepKind kind, int voters) {
  return kind == SweepKind::VotersDown ? voters : kRacks;
}

// The largest `down` of `kind` over every quorum size compared.
int max_down(SweepKind kind, const std::vector<int>& voters) {
  int most = 0;
  for (int v : voters) most = std::max(most, max_down(kind, v));
  return most;
}

// Runs `scenario`, hands it to the observer and returns its result.
class RunCounter {
 public:
  RunCounter(const RunObserver& observer, std::size_t total) : observer_(observer), total_(total) {}

  RunResult run(std::string_view part, const Scenario& scenario, std::uint64_t seed) {
    RunResult result = Simulation(scenario, seed).run();
    ++done_;
    if (observer_) observer_(FinishedRun{part, scenario, result, done_, total_});
    return result;
  }

 private:
  const RunObserver& observer_;
  std::size_t total_;
  std::size_t done_ = 0;
};

void run_schedules(CompareReport& report, RunCounter& counter) {
  const CompareSettings& s = report.settings;
  report.runs.assign(s.voters.size(), {});
  const std::uint64_t seeds = schedule_seed_count(s);
  for (std::uint64_t i = 0; i < seeds; ++i) {
    const std::uint64_t seed = s.first_seed + i;
    for (std::size_t v = 0; v < s.voters.size(); ++v) {
      const ScheduleCase c = schedule_case(s.profile, seed, s.voters[v]);
      const RunResult r = counter.run("schedule", c.scenario, seed);
      report.runs[v].push_back(run_metrics(r, s.voters[v]));
    }
  }
  for (std::size_t v = 0; v < s.voters.size(); ++v) {
    report.sizes.push_back(summarize_size(s.voters[v], report.runs[v]));
  }
}

void run_sweep(CompareReport& report, RunCounter& counter) {
  const CompareSettings& s = report.settings;
  if (s.sweep_seeds == 0) return;
  for (SweepKind kind : kSweepKinds) {
    for (int down = 0; down <= max_down(kind, s.voters); ++down) {
      for (int voters : s.voters) {
        if (down > max_down(kind, voters)) continue;
        std::vector<SweepRun> cell;
        for (std::uint64_t i = 0; i < s.sweep_seeds; ++i) {
          const std::uint64_t seed = s.first_seed + i;
          const SweepCase c = sweep_case(kind, down, voters, seed, s.sweep);
          const RunResult r = counter.run("sweep", c.scenario, seed);
          cell.push_back(sweep_run(r, c));
        }
        report.sweep.push_back(summarize_cell(cell));
        report.sweep_runs.insert(report.sweep_runs.end(), cell.begin(), cell.end());
      }
    }
  }
}

}  // namespace

std::size_t total_runs(const CompareSettings& settings) {
  std::size_t sweep_cells = 0;
  for (int v : settings.voters) {
    for (SweepKind kind : kSweepKinds) sweep_cells += static_cast<std::size_t>(max_down(kind, v) + 1);
  }
  return static_cast<std::size_t>(schedule_seed_count(settings)) * settings.voters.size() +
         sweep_cells * static_cast<std::size_t>(settings.sweep_seeds);
}

CompareReport run_compare(const CompareSettings& settings, const RunObserver& observer) {
  CompareReport report;
  report.settings = settings;
  RunCounter counter(observer, total_runs(settings));
  run_schedules(report, counter);
  run_sweep(report, counter);
  return report;
}

}  // namespace sim::compare
