// Trace export on a real run: scenarios/default.json (3 controllers, 3 brokers, an admin client,
// a controller and a broker crash) streamed through each writer by the Simulation (its
// constructor's listener).
#include <doctest/doctest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "sim/scenario/scenario_loader.hh"
#include "sim/simulation.hh"
#include "sim/support/chrome_trace_checks.hh"
#include "sim/trace_export/chrome_writer.hh"
#include "sim/trace_export/jsonl_writer.hh"

namespace {

using nlohmann::json;
using sim::trace_export::TraceFilter;

sim::Scenario default_scenario() {
  return sim::load_scenario_file(std::string(KRAFTSIM_SOURCE_DIR) + "/scenarios/default.json");
}

// Runs the default scenario with `listener`; returns its result.
sim::RunResult run_with(sim::TraceListener& listener) {
  sim::Simulation simulation(default_scenario(), 1, &listener);
  return simulation.run();
}

struct JsonlRun {
  std::vector<json> lines;
  std::string text;
  sim::RunResult result;
};

JsonlRun jsonl_run(const TraceFilter& filter) {
  std::ostringstream out;
  sim::trace_export::JsonlWriter writer(out, filter);
  JsonlRun run;
  run.result = run_with(writer);
  run.text = out.str();
  std::istringstream in(run.text);
  for (std::string line; std::getline(in, line);) run.lines.push_back(json::parse(line));
  CHECK(writer.written() + 1 == run.lines.size());
  return run;
}

bool is_message(const json& line) {
  return line.at("kind") == "send" || line.at("kind") == "deliver" || line.at("kind") == "drop";
}

// A message line's other end.
int peer(const json& line) { return line.at(line.at("kind") == "send" ? "to" : "from"); }

}  // namespace

TEST_CASE("trace export run: jsonl of the default scenario, whole and filtered") {
  const JsonlRun all = jsonl_run(TraceFilter{});
  REQUIRE(all.lines.size() > 1000);
  const json& end = all.lines.back();
  CHECK(end.at("kind") == "end");
  CHECK(end.at("node").is_null());
  CHECK(end.at("t_us") == all.result.sim_time.us());
  CHECK(end.at("events") == all.lines.size() - 1);
  CHECK(end.at("seq") == all.lines.size() - 1);
  std::map<std::string, std::size_t> kinds;
  std::set<std::int64_t> sent;
  std::size_t unmatched = 0;
  std::size_t out_of_order = 0;
  for (std::size_t i = 0; i + 1 < all.lines.size(); ++i) {
    const json& line = all.lines[i];
    if (line.at("seq") != i) ++out_of_order;
    if (i > 0 && line.at("t_us") < all.lines[i - 1].at("t_us")) ++out_of_order;
    const std::string kind = line.at("kind");
    CHECK(sim::trace_event_kind_from_string(kind).has_value());
    ++kinds[kind];
    if (kind == "send") sent.insert(line.at("id").get<std::int64_t>());
    if ((kind == "deliver" || kind == "drop") && !sent.contains(line.at("id"))) ++unmatched;
  }
  CHECK(out_of_order == 0);
  CHECK(unmatched == 0);
  // The crashes of the scenario, and at least the two elections (at the start, after the crash).
  for (const char* kind : {"send", "deliver", "role", "election", "active", "progress", "action", "fault"}) {
    CHECK_MESSAGE(kinds[kind] > 0, kind);
  }
  CHECK(kinds["election"] >= 2);
  CHECK(kinds["action"] == 5);

  SUBCASE("the same run writes the same bytes") {
    CHECK(jsonl_run(TraceFilter{}).text == all.text);
  }
  SUBCASE("node 4, and only roles, faults and messages, after 20 s, 1 message in 4") {
    TraceFilter f;
    f.nodes = {4};
    f.kinds = {sim::TraceEventKind::Send, sim::TraceEventKind::Deliver, sim::TraceEventKind::Drop,
               sim::TraceEventKind::Role, sim::TraceEventKind::Fault};
    f.from = raft::Instant::from_ms(20'000);
    f.message_sample = 4;
    const JsonlRun some = jsonl_run(f);
    REQUIRE(some.lines.size() > 10);
    std::size_t expected = 0;  // what the filter keeps of the whole trace, recomputed here
    for (std::size_t i = 0; i + 1 < all.lines.size(); ++i) {
      const json& line = all.lines[i];
      if (line.at("t_us") < 20'000'000) continue;
      const std::string kind = line.at("kind");
      if (kind != "role" && kind != "fault" && !is_message(line)) continue;
      if (is_message(line) && line.at("id").get<std::int64_t>() % 4 != 0) continue;
      if (line.at("node") != 4 && !(is_message(line) && peer(line) == 4)) continue;
      CHECK(line == some.lines[expected]);
      ++expected;
    }
    CHECK(some.lines.size() == expected + 1);
    CHECK(some.lines.back().at("events") == expected);
    CHECK(some.lines.back().at("seq") == all.lines.back().at("seq"));
    // Node 4 crashes at 25 s and restarts at 40 s: its "down" role and the crash fault are in.
    bool down = false;
    for (const json& line : some.lines) down |= line.at("kind") == "role" && line.at("state") == "down";
    CHECK(down);
  }
}

TEST_CASE("trace export run: chrome trace of the default scenario") {
  std::ostringstream out;
  const sim::Scenario scenario = default_scenario();
  sim::trace_export::ChromeWriter writer(
      out, TraceFilter{},
      {{0, "controller"}, {1, "controller"}, {2, "controller"}, {3, "broker"}, {4, "broker"},
       {5, "broker"}, {1000, "admin client"}});
  const sim::RunResult result = run_with(writer);
  const json trace = json::parse(out.str());
  REQUIRE(trace.is_array());
  CHECK(writer.written() == trace.size());
  CHECK(kraftsim::test::process_names(trace) ==
        std::map<int, std::string>{{0, "cluster"},
                                   {1, "node 0 (controller)"},
                                   {2, "node 1 (controller)"},
                                   {3, "node 2 (controller)"},
                                   {4, "node 3 (broker)"},
                                   {5, "node 4 (broker)"},
                                   {6, "node 5 (broker)"},
                                   {1001, "node 1000 (admin client)"}});
  CHECK(kraftsim::test::check_ordered(trace) > 1000);
  const std::vector<kraftsim::test::Span> spans = kraftsim::test::spans(trace);
  // Every node's role spans: back to back on its own track, the last one ending at the end.
  std::map<int, std::vector<kraftsim::test::Span>> by_pid;
  for (const kraftsim::test::Span& s : spans) by_pid[s.pid].push_back(s);
  CHECK(by_pid.size() == 6);
  std::size_t leaders = 0;
  for (const auto& [pid, list] : by_pid) {
    CAPTURE(pid);
    for (std::size_t i = 1; i < list.size(); ++i) CHECK(list[i].begin == list[i - 1].end);
    CHECK(list.back().end == result.sim_time.us());
    for (const kraftsim::test::Span& s : list) if (s.name.rfind("Leader e", 0) == 0) ++leaders;
  }
  CHECK(leaders >= 2);  // the first leader, and its successor after the crash at 10 s
  const auto [starts, ends] = kraftsim::test::check_flows(trace);
  CHECK(starts > 1000);
  CHECK(ends > 1000);
  CHECK(!kraftsim::test::with_ph(trace, "C").empty());
  CHECK(!kraftsim::test::with_ph(trace, "i").empty());
}
