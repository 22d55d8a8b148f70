// The shrinker (sim/fuzz/shrinker.hh) on real runs: bug-16 padded with noise shrinks back to
// its two crashes, the result replays from its file text; a passing scenario is refused, the
// run budget holds, and a candidate the loader rejects is never run.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/fuzz/outcome.hh"
#include "sim/fuzz/scenario_edits.hh"
#include "sim/fuzz/shrink_support.hh"
#include "sim/fuzz/shrinker.hh"
#include "sim/scenario/scenario_loader.hh"
#include "sim/scenario/scenario_writer.hh"

using sim::ActionType;
using sim::Instant;
using sim::Scenario;
namespace fz = sim::fuzz;

namespace {

const std::string kBug16 = std::string(KRAFTSIM_SOURCE_DIR) +
                           "/scenarios/bug-16-kafka-18138-broker-dies-during-failover.json";

nlohmann::json read_json(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return nlohmann::json::parse(text.str());
}

// bug-16 with its bug on, plus noise that has nothing to do with the failure: two more brokers
// (6, 7), 0.3% loss, a second topic, and 10 actions on the brokers' links and clocks and a
// pause of broker 7 long after the crashes.
Scenario padded_bug16() {
  nlohmann::json doc = read_json(kBug16);
  doc["bugs"] = {"forget-brokers-on-activation"};
  doc["cluster"]["brokers"] = 5;
  doc["network"] = {{"loss", 0.003}};
  doc["workload"]["admin"]["topics"].push_back(
      {{"name", "noise"}, {"partitions", 2}, {"replication_factor", 2}});
  const nlohmann::json noise = nlohmann::json::parse(R"json([
    {"at_ms": 2000, "action": "slow_link", "from": 3, "to": 4,
     "latency": {"distribution": "constant", "ms": 20}},
    {"at_ms": 4000, "action": "restore_link", "from": 3, "to": 4},
    {"at_ms": 5000, "action": "slow_link", "from": 6, "to": 7, "loss": 0.1, "bidirectional": true},
    {"at_ms": 6000, "action": "restore_link", "from": 6, "to": 7, "bidirectional": true},
    {"at_ms": 12000, "action": "slow_link", "from": 4, "to": 6, "duplicate": 0.05},
    {"at_ms": 13000, "action": "restore_link", "from": 4, "to": 6},
    {"at_ms": 15000, "action": "clock_drift", "node": 6, "drift_ppm": 1000},
    {"at_ms": 20000, "action": "clock_drift", "node": 6, "drift_ppm": 0},
    {"at_ms": 26000, "action": "pause", "node": 7, "label": "pause-7"},
    {"at_ms": 27000, "action": "resume", "node": "label:pause-7"}
  ])json");
  std::vector<nlohmann::json> timeline(doc["timeline"].begin(), doc["timeline"].end());
  timeline.insert(timeline.end(), noise.begin(), noise.end());
  std::stable_sort(timeline.begin(), timeline.end(), [](const auto& a, const auto& b) {
    return a["at_ms"].template get<double>() < b["at_ms"].template get<double>();
  });
  doc["timeline"] = timeline;
  return sim::parse_scenario(doc, "padded-bug-16");
}

bool is_noise(ActionType t) {
  return t == ActionType::SlowLink || t == ActionType::RestoreLink ||
         t == ActionType::ClockDrift || t == ActionType::Pause || t == ActionType::Resume;
}

// Broker 3 crashes and restarts (the restart is labelled); the only expectation, that it is
// unfenced again within 1 ms of the restart, always fails. Removing the crash alone leaves a
// restart of a running node, which the loader rejects.
const char* const kRestartNeedsCrash = R"json({
  "name": "restart-needs-crash", "description": "shrinker test", "seed": 1,
  "cluster": {"controllers": 3, "brokers": 1},
  "timeline": [
    {"at_ms": 2000, "action": "crash", "node": 3},
    {"at_ms": 3000, "action": "restart", "node": 3, "label": "r"},
    {"at_ms": 4000, "action": "slow_link", "from": 0, "to": 1,
     "latency": {"distribution": "constant", "ms": 3}}
  ],
  "stop": {"at_ms": 10000},
  "expectations": [{"type": "broker_unfenced_within", "broker": 3, "after": "r", "within_ms": 1}]
})json";

}  // namespace

TEST_CASE("fuzz shrinker: size_of counts actions as written, nodes, stop, topics, expectations") {
  Scenario s = padded_bug16();
  s.admin.create_stream.count = 4;
  const fz::ScenarioSize size = fz::size_of(s);
  CHECK(size.actions == 12);
  CHECK(size.controllers == 3);
  CHECK(size.brokers == 5);
  CHECK(size.stop == Instant::from_ms(30'000));
  CHECK(size.topics == 6);  // orders, noise, and 4 from the stream
  CHECK(size.expectations == 6);
}

TEST_CASE("fuzz shrinker: padded bug-16 shrinks back to its crashes and replays from its file") {
  const Scenario padded = padded_bug16();
  REQUIRE(fz::run_and_classify(padded).outcome == "liveness:broker_fenced_within");

  std::size_t calls = 0;
  fz::ShrinkOptions options;
  // The padded scenario fails without its bug too (the noise breaks other expectations), so
  // there is no "passes without the bug" property to keep (tested below on bug-16 itself).
  options.on_candidate = [&](const std::string&, bool, std::size_t runs) {
    ++calls;
    CHECK(runs == calls + 2);  // the initial run and the run without the bug count
  };
  const fz::ShrinkResult r = fz::shrink(padded, options);
  MESSAGE("runs: ", r.runs, ", kept: ", r.kept_edits.size());
  for (const std::string& edit : r.kept_edits) MESSAGE("kept: ", edit);

  CHECK(r.target == "liveness:broker_fenced_within");
  CHECK(r.outcome.outcome == r.target);
  CHECK_FALSE(r.budget_exhausted);
  CHECK(r.runs == calls + 2);
  CHECK(r.runs <= options.max_runs);
  CHECK(r.before.actions == 12);
  CHECK(r.before.brokers == 5);
  CHECK(r.before.topics == 2);
  CHECK(r.before.expectations == 6);
  // The noise is gone.
  CHECK(r.after.actions <= 3);
  CHECK(r.after.actions < r.before.actions);
  for (const sim::Action& a : r.scenario.timeline) CHECK_FALSE(is_noise(a.type));
  CHECK(r.after.brokers == 3);
  CHECK(r.scenario.network.default_link.loss.value == 0);
  for (const sim::TopicSpec& t : r.scenario.admin.topics) CHECK(t.name != "noise");
  // The failing expectation stays, the others went; the run ends once its window closed.
  REQUIRE(r.scenario.expectations.size() == 1);
  CHECK(r.scenario.expectations[0].name == "broker_fenced_within");
  CHECK(r.after.stop < r.before.stop);
  CHECK(r.after.stop >= Instant::from_ms(10'000 + 14'500));
  CHECK(std::find(r.kept_edits.begin(), r.kept_edits.end(), "brokers 5 -> 4") !=
        r.kept_edits.end());
  CHECK(std::find(r.kept_edits.begin(), r.kept_edits.end(), "network: loss 0.3% -> 0") !=
        r.kept_edits.end());

  // What the shrinker returns is exactly what its file replays.
  const Scenario replayed = sim::parse_scenario_text(sim::scenario_to_text(r.scenario), "shrunk");
  const fz::RunOutcome again = fz::run_and_classify(replayed);
  CHECK(again.outcome == r.target);
  CHECK(again.trace_hash == r.outcome.trace_hash);
  CHECK(again.events == r.outcome.events);
}

TEST_CASE("fuzz shrinker: a bug's scenario that passes without it keeps passing without it") {
  Scenario with_bug = sim::load_scenario_file(kBug16);
  with_bug.bugs.insert(raft::Bug::ForgetBrokersOnActivation);
  std::size_t kept_calls = 0;
  std::size_t last_runs = 2;  // the initial run and the run without the bug
  fz::ShrinkOptions options;
  options.on_candidate = [&](const std::string&, bool kept, std::size_t runs) {
    // A candidate that fails the same way costs one more run: without the bug it must pass.
    CHECK(runs >= last_runs + 1);
    CHECK(runs <= last_runs + 2);
    if (kept) ++kept_calls;
    last_runs = runs;
  };
  const fz::ShrinkResult r = fz::shrink(with_bug, options);
  CHECK(r.outcome.outcome == "liveness:broker_fenced_within");
  CHECK(kept_calls == r.kept_edits.size());
  CHECK(kept_calls > 0);
  CHECK(r.after.actions <= 2);
  Scenario fixed = r.scenario;
  fixed.bugs = raft::BugSet{};
  CHECK(fz::run_and_classify(fixed).passed());

  options.require_pass_without_bugs = false;
  options.on_candidate = nullptr;
  const fz::ShrinkResult unchecked = fz::shrink(with_bug, options);
  CHECK(unchecked.outcome.outcome == "liveness:broker_fenced_within");
}

TEST_CASE("fuzz shrinker: a passing scenario has nothing to shrink") {
  const Scenario passing = sim::load_scenario_file(kBug16);  // without its bug
  CHECK_THROWS_WITH_AS(fz::shrink(passing), "the scenario passes: nothing to shrink",
                       std::invalid_argument);
}

TEST_CASE("fuzz shrinker: the run budget counts the initial run and is never exceeded") {
  std::vector<std::size_t> seen;
  fz::ShrinkOptions options;
  options.require_pass_without_bugs = false;  // one run per candidate
  options.max_runs = 6;
  options.on_candidate = [&](const std::string&, bool, std::size_t runs) { seen.push_back(runs); };
  const fz::ShrinkResult r = fz::shrink(padded_bug16(), options);
  CHECK(r.runs == 6);
  CHECK(r.budget_exhausted);
  CHECK(seen == std::vector<std::size_t>{2, 3, 4, 5, 6});
  CHECK(r.outcome.outcome == "liveness:broker_fenced_within");
  CHECK(r.kept_edits.size() <= 5);

  options.max_runs = 1;
  seen.clear();
  const fz::ShrinkResult only_first = fz::shrink(padded_bug16(), options);
  CHECK(only_first.runs == 1);
  CHECK(only_first.budget_exhausted);
  CHECK(seen.empty());
  CHECK(only_first.after.actions == 12);
}

TEST_CASE("fuzz shrinker: a candidate the loader rejects is skipped, not run or kept") {
  const Scenario failing = sim::parse_scenario_text(kRestartNeedsCrash, "restart-needs-crash");
  REQUIRE(fz::run_and_classify(failing).outcome == "liveness:broker_unfenced_within");
  // The candidate without the crash is one the loader rejects.
  Scenario without_crash = failing;
  REQUIRE(fz::remove_actions(without_crash, {0}, std::nullopt).has_value());
  CHECK(without_crash.timeline.size() == 2);
  CHECK_FALSE(fz::as_written(without_crash).has_value());

  std::vector<std::string> run_edits;
  fz::ShrinkOptions options;
  options.on_candidate = [&](const std::string& edit, bool, std::size_t) {
    run_edits.push_back(edit);
  };
  const fz::ShrinkResult r = fz::shrink(failing, options);
  CHECK(r.outcome.outcome == "liveness:broker_unfenced_within");
  // The slow_link went; the crash could not go without the restart it makes valid, and the
  // restart is what the failing expectation is about.
  REQUIRE(r.scenario.timeline.size() == 2);
  CHECK(r.scenario.timeline[0].type == ActionType::Crash);
  CHECK(r.scenario.timeline[1].type == ActionType::Restart);
  CHECK(std::find(r.kept_edits.begin(), r.kept_edits.end(), "removed action 2 (1 action)") !=
        r.kept_edits.end());
  // Removing the crash alone ("removed action 0") was a candidate, but the loader rejected it:
  // it was never run.
  CHECK(std::find(run_edits.begin(), run_edits.end(), "removed action 0 (1 action)") ==
        run_edits.end());
  CHECK(r.runs == run_edits.size() + 1);
  CHECK(r.after.stop >= r.scenario.timeline[1].at + sim::Duration::millis(1));
}
