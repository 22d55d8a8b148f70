// Unit tests of the pieces of `kraftsim fuzz` that need no simulation: worker processes (fork,
// pipes, a worker killed mid-seed), results put back in order, outcome classes and exit codes,
// the progress bar and lines, the summary, and reproduction file names.
#include <doctest/doctest.h>

#include <signal.h>

#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "sim/fuzz/shrinker.hh"
#include "tools/cli/flags.hh"
#include "tools/cli/fuzz_report.hh"
#include "tools/cli/fuzz_workers.hh"
#include "tools/cli/outcome_class.hh"
#include "tools/cli/progress.hh"
#include "tools/cli/reproduction.hh"
#include "tools/cli/results_file.hh"

using nlohmann::json;
using namespace kraftsim::cli;

namespace {

// What the parent heard, in order.
struct Heard {
  std::vector<std::string> events;                  // "start 5", "note 5 text", "result 5 @2"...
  std::map<std::uint64_t, json> results;            // by position
  std::map<std::uint64_t, std::string> died;        // position -> reason
};

Heard run(const SeedPlan& plan, const SeedTask& task) {
  Heard heard;
  WorkerEvents events;
  events.on_start = [&](std::uint64_t seed, const std::string& summary) {
    heard.events.push_back("start " + std::to_string(seed) + " " + summary);
  };
  events.on_note = [&](std::uint64_t seed, const std::string& text) {
    heard.events.push_back("note " + std::to_string(seed) + " " + text);
  };
  events.on_result = [&](std::uint64_t position, json line) {
    heard.events.push_back("result " + std::to_string(line["seed"].get<std::uint64_t>()));
    CHECK(heard.results.count(position) == 0);
    heard.results[position] = std::move(line);
  };
  events.on_died = [&](std::uint64_t position, std::uint64_t seed, const std::string& reason, double) {
    heard.events.push_back("died " + std::to_string(seed));
    heard.died[position] = reason;
  };
  run_workers(plan, task, events);
  return heard;
}

// The index of `event` in `events`, or -1.
long index_of(const std::vector<std::string>& events, const std::string& event) {
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (events[i] == event) return static_cast<long>(i);
  }
  return -1;
}

}  // namespace

// ---- workers -------------------------------------------------------------------------------

TEST_CASE("fuzz workers: every position runs once, start before note before result") {
  const SeedPlan plan{100, 3, 7, 3};  // seeds 100, 103, ..., 118 in 3 workers
  const Heard heard = run(plan, [](std::uint64_t seed, SeedChannel& channel) {
    channel.start("case\nof " + std::to_string(seed));
    channel.note("wrote seed-" + std::to_string(seed) + ".json");
    channel.result(json{{"seed", seed}, {"square", seed * seed}});
  });
  CHECK(heard.died.empty());
  REQUIRE(heard.results.size() == 7);
  for (std::uint64_t j = 0; j < 7; ++j) {
    const std::uint64_t seed = 100 + 3 * j;
    CAPTURE(seed);
    CHECK(heard.results.at(j)["seed"] == seed);
    CHECK(heard.results.at(j)["square"] == seed * seed);
    const long start = index_of(heard.events, "start " + std::to_string(seed) + " case of " + std::to_string(seed));
    const long note = index_of(heard.events, "note " + std::to_string(seed) + " wrote seed-" + std::to_string(seed) + ".json");
    const long result = index_of(heard.events, "result " + std::to_string(seed));
    CHECK(start >= 0);
    CHECK(start < note);
    CHECK(note < result);
  }
  CHECK(heard.events.size() == 21);
}

TEST_CASE("fuzz workers: a worker killed mid-seed costs that seed only") {
  const SeedPlan plan{0, 1, 6, 2};  // worker 0: seeds 0, 2, 4; worker 1: seeds 1, 3, 5
  const Heard heard = run(plan, [](std::uint64_t seed, SeedChannel& channel) {
    if (seed == 3) ::raise(SIGKILL);  // before its start message
    channel.start("s");
    if (seed == 2) ::raise(SIGKILL);  // mid-seed
    channel.result(json{{"seed", seed}});
  });
  REQUIRE(heard.died.size() == 2);
  CHECK(heard.died.at(2) == "worker died (signal 9)");
  CHECK(heard.died.at(3) == "worker died (signal 9) before starting the seed");
  // The rest of each worker's seeds ran in a new worker.
  REQUIRE(heard.results.size() == 4);
  for (std::uint64_t j : {0ULL, 1ULL, 4ULL, 5ULL}) CHECK(heard.results.at(j)["seed"] == j);
}

TEST_CASE("fuzz workers: a task that throws ends its worker and the seed counts as died") {
  const SeedPlan plan{7, 1, 3, 1};
  const Heard heard = run(plan, [](std::uint64_t seed, SeedChannel& channel) {
    channel.start("s");
    if (seed == 8) throw std::runtime_error("boom");
    channel.result(json{{"seed", seed}});
  });
  REQUIRE(heard.died.size() == 1);
  CHECK(heard.died.at(1) == "worker died (exit status 1)");
  CHECK(index_of(heard.events, "note 8 worker: unexpected exception: boom") >= 0);
  CHECK(heard.results.size() == 2);
  CHECK(heard.results.at(2)["seed"] == 9);
}

TEST_CASE("fuzz workers: more jobs than seeds, and no seeds at all") {
  CHECK(run(SeedPlan{5, 1, 2, 8}, [](std::uint64_t seed, SeedChannel& channel) {
          channel.result(json{{"seed", seed}});
        }).results.size() == 2);
  CHECK(run(SeedPlan{5, 1, 0, 2}, [](std::uint64_t, SeedChannel&) { FAIL("no seed to run"); })
            .events.empty());
}

// ---- ordering, classes, flags -----------------------------------------------------------------

TEST_CASE("fuzz results: InOrder hands results on in position order") {
  InOrder order;
  std::vector<int> out;
  const auto emit = [&out](const json& line) { out.push_back(line.get<int>()); };
  order.add(2, 20, emit);
  order.add(1, 10, emit);
  CHECK(out.empty());
  CHECK(order.waiting() == 2);
  order.add(0, 0, emit);
  CHECK(out == std::vector<int>{0, 10, 20});
  order.add(4, 40, emit);
  order.add(3, 30, emit);
  CHECK(out == std::vector<int>{0, 10, 20, 30, 40});
  CHECK(order.emitted() == 5);
  CHECK(order.waiting() == 0);
}

TEST_CASE("fuzz results: a results line has every field, optionals as null") {
  SeedRecord r;
  r.seed = 42;
  r.budget = "beyond";
  r.outcome = "safety:SingleLeader";
  r.invariant = "SingleLeader";
  r.detail = "two leaders";
  r.events = 1234;
  r.trace_hash = 0xabcdef;
  r.sim_time_ms = 12345.678;
  r.wall_ms = 9.5;
  r.reproduction = "f/seed-42.json";
  r.replays = true;
  const json line = to_json(r);
  CHECK(line.dump() ==
        R"({"budget":"beyond","detail":"two leaders","events":1234,"invariant":"SingleLeader",)"
        R"("outcome":"safety:SingleLeader","replays":true,"reproduction":"f/seed-42.json","seed":42,)"
        R"("settings":null,"shrunk":null,"shrunk_actions":null,"sim_time_ms":12345.678,)"
        R"("trace_hash":"0x0000000000abcdef","wall_ms":9.5})");
  CHECK(parse_results_line(line.dump(), "x", 1) == line);
  CHECK(parse_results_line("  ", "x", 1) == std::nullopt);
}

TEST_CASE("fuzz outcome classes: families, severities and exit codes") {
  CHECK(is_outcome_class("pass"));
  CHECK(is_outcome_class("safety:SingleLeader"));
  CHECK(is_outcome_class("liveness:caught_up"));
  CHECK(is_outcome_class("events_max"));
  CHECK(is_outcome_class("error"));
  CHECK_FALSE(is_outcome_class("safety:"));
  CHECK_FALSE(is_outcome_class("liveness"));
  CHECK_FALSE(is_outcome_class("PASS"));
  CHECK(outcome_exit_code("pass") == 0);
  CHECK(outcome_exit_code("error") == 1);
  CHECK(outcome_exit_code("safety:ProtocolAssertion") == 3);
  CHECK(outcome_exit_code("liveness:active_controller") == 4);
  CHECK(outcome_exit_code("events_max") == 5);
  CHECK(outcome_severity("safety:X") > outcome_severity("liveness:x"));
  CHECK(outcome_severity("liveness:x") > outcome_severity("events_max"));
  CHECK(outcome_severity("events_max") > outcome_severity("error"));
  CHECK(outcome_severity("error") > outcome_severity("pass"));
  CHECK(outcome_family("liveness:caught_up") == "liveness");
}

TEST_CASE("fuzz flags: seed ranges and shards") {
  const SeedRange one = parse_seed_range("7");
  CHECK(one.first == 7);
  CHECK(one.last == 7);
  CHECK(one.count() == 1);
  const SeedRange range = parse_seed_range("10..19");
  CHECK(range.first == 10);
  CHECK(range.count() == 10);
  CHECK(parse_seed_range("1..18446744073709551615").count() == 18446744073709551615ULL);
  const Shard shard = parse_shard("2/5");
  CHECK(shard.index == 2);
  CHECK(shard.count == 5);
}

TEST_CASE("fuzz reproduction: file names") {
  CHECK(reproduction_path("fuzz-failures", 17) == "fuzz-failures/seed-17.json");
  CHECK(reproduction_path("out/", 3) == "out/seed-3.json");
  CHECK(shrunk_path_for("fuzz-failures/seed-17.json") == "fuzz-failures/seed-17.shrunk.json");
  CHECK(shrunk_path_for("bug.scenario") == "bug.scenario.shrunk.json");
  CHECK(shrunk_path_for(".json") == ".json.shrunk.json");
}

TEST_CASE("fuzz reproduction: shrink sizes read before -> after") {
  sim::fuzz::ScenarioSize before{23, 5, 4, sim::Instant::from_ms(61'000), 3, 4};
  sim::fuzz::ScenarioSize after{4, 3, 1, sim::Instant::from_us(12'001'500), 0, 0};
  CHECK(describe_sizes(before, after) ==
        "actions 23 -> 4, controllers 5 -> 3, brokers 4 -> 1, stop 61000 ms -> 12001.5 ms, "
        "topics 3 -> 0, expectations 4 -> 0");
}

// ---- progress ---------------------------------------------------------------------------------

TEST_CASE("fuzz progress: the bar line, fitted to the terminal") {
  std::ostringstream err;
  Progress p(ProgressMode::Bar, 1000, 120, err, 0);
  for (int i = 0; i < 410; ++i) p.seed_done("pass", 0);
  p.seed_done("safety:SingleLeader", 0);
  p.seed_done("liveness:caught_up", 0);
  // 412 seeds in 10.78 s: 38.2 seeds/s; 588 left: 15.4 s.
  CHECK(p.status(10'780) ==
        "412/1000 seeds  38.2 seeds/s  ETA 0:15  pass 410  fail 2 (safety 1, liveness 1)");
  // The bar takes the room left on the line (one column spare): 37 cells here, 15 filled.
  const std::string bar = p.bar_line(10'780);
  CHECK(bar == "[###############......................] " + p.status(10'780));
  CHECK(bar.size() == 119);

  // 40 cells at most, 412/1000 of them filled.
  std::ostringstream wide_err;
  Progress wide(ProgressMode::Bar, 1000, 200, wide_err, 0);
  for (int i = 0; i < 412; ++i) wide.seed_done("pass", 0);
  CHECK(wide.bar_line(10'780).substr(0, 43) == "[################........................] ");

  std::ostringstream narrow_err;
  Progress narrow(ProgressMode::Bar, 10, 40, narrow_err, 0);
  CHECK(narrow.bar_line(0).size() == 39);
  CHECK(narrow.bar_line(0).rfind("[..........] 0/10 seeds", 0) == 0);
}

TEST_CASE("fuzz progress: the bar is redrawn at most every 100 ms and cleared around lines") {
  std::ostringstream err;
  Progress p(ProgressMode::Bar, 10, 100, err, 0);
  p.seed_done("pass", 0);  // first draw
  const std::string first = err.str();
  CHECK(first.rfind("\r\033[K[", 0) == 0);
  p.seed_done("pass", 50);  // too soon
  CHECK(err.str() == first);
  p.tick(99);
  CHECK(err.str() == first);
  p.tick(100);  // dirty and due
  CHECK(err.str().size() > first.size());
  CHECK(err.str().find("2/10 seeds") != std::string::npos);
  const std::size_t drawn = err.str().size();
  p.clear();
  CHECK(err.str().substr(drawn) == "\r\033[K");
  p.clear();  // already cleared
  CHECK(err.str().size() == drawn + 4);
  p.restore(150);  // too soon after the draw at 100: at the next tick
  CHECK(err.str().size() == drawn + 4);
  p.tick(200);
  CHECK(err.str().size() > drawn + 4);
  p.finish();
  CHECK(err.str().substr(err.str().size() - 4) == "\r\033[K");
  const std::size_t final_size = err.str().size();
  p.tick(5000);
  p.seed_done("pass", 6000);
  CHECK(err.str().size() == final_size);
}

TEST_CASE("fuzz progress: lines every 10% of the seeds and every 10 s") {
  std::ostringstream err;
  Progress p(ProgressMode::Lines, 20, 80, err, 0);
  p.seed_done("pass", 1000);
  CHECK(err.str().empty());
  p.seed_done("events_max", 2000);  // 10%
  CHECK(err.str() == "progress: 2/20 seeds (10%), 1.0 seeds/s, ETA 0:18, pass 1, fail 1 (events_max 1)\n");
  const std::size_t first = err.str().size();
  p.tick(11'999);
  p.seed_done("pass", 11'999);  // 15%: no new 10% step
  CHECK(err.str().size() == first);
  p.tick(15'000);  // 10 s after the last line
  CHECK(err.str().substr(first) ==
        "progress: 3/20 seeds (15%), 0.2 seeds/s, ETA 1:25, pass 2, fail 1 (events_max 1)\n");
  CHECK(format_eta(3723) == "1:02:03");
  CHECK(format_eta(59) == "0:59");
}

TEST_CASE("fuzz progress: none writes nothing, auto follows the terminal") {
  std::ostringstream err;
  Progress p(ProgressMode::None, 3, 80, err, 0);
  for (int i = 0; i < 3; ++i) p.seed_done("pass", i * 20'000);
  p.tick(100'000);
  CHECK(err.str().empty());
  CHECK(resolve(ProgressMode::Auto, true) == ProgressMode::Bar);
  CHECK(resolve(ProgressMode::Auto, false) == ProgressMode::Lines);
  CHECK(resolve(ProgressMode::None, true) == ProgressMode::None);
  CHECK(progress_mode_from_string("lines") == ProgressMode::Lines);
  CHECK(progress_mode_from_string("Lines") == std::nullopt);
}

// ---- summary ---------------------------------------------------------------------------------

TEST_CASE("fuzz report: failures by class, the first 10 seeds, files and rates") {
  FuzzReport report;
  for (std::uint64_t seed = 0; seed < 30; ++seed) {
    json line = {{"seed", seed}, {"outcome", seed % 2 == 0 ? "pass" : "liveness:caught_up"}};
    if (seed == 3) {
      line["outcome"] = "safety:SingleLeader";
      line["reproduction"] = "f/seed-3.json";
      line["shrunk"] = "f/seed-3.shrunk.json";
    }
    report.add(line);
  }
  CHECK(report.seeds() == 30);
  CHECK(report.passes() == 15);
  CHECK(report.failures() == 15);
  CHECK(report.exit_code() == 3);
  std::ostringstream out;
  report.print(out, CampaignTiming{12'000.0, false, 2u});
  CHECK(out.str() ==
        "summary: 30 seeds, 15 passed, 15 failed\n"
        "  safety:SingleLeader: 1 seed (3)\n"
        "  liveness:caught_up: 14 seeds (1, 5, 7, 9, 11, 13, 15, 17, 19, 21, ...)\n"
        "files written: 2 (f/seed-3.json, f/seed-3.shrunk.json)\n"
        "wall time: 12.0 s, 2.50 seeds/s, 150.0 seeds/min, 2 jobs\n");
}
