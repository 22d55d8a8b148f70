// The exported trace as the Simulation emits it (sim/trace_event.hh): ordered, every delivery
// matched to its send, role, election and action events consistent with the run's result, and
// the same trace hash with or without a listener.
#include <doctest/doctest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "sim/scenario/scenario_loader.hh"
#include "sim/simulation.hh"

namespace {

struct Recorder : sim::TraceListener {
  std::vector<sim::TraceEvent> events;
  std::vector<raft::Instant> ends;
  void on_event(const sim::TraceEvent& e) override { events.push_back(e); }
  void on_end(raft::Instant at) override { ends.push_back(at); }
};

std::int64_t field_int(const sim::TraceEvent& e, std::string_view name) {
  for (const auto& [key, value] : e.fields) {
    if (key == name) return std::get<std::int64_t>(value);
  }
  FAIL("no field " << name);
  return 0;
}

std::size_t count(const Recorder& r, sim::TraceEventKind kind) {
  std::size_t n = 0;
  for (const sim::TraceEvent& e : r.events) n += e.kind == kind ? 1 : 0;
  return n;
}

}  // namespace

TEST_CASE("trace emission: default scenario events are ordered, matched and agree with the result") {
  const sim::Scenario s = sim::load_scenario_file(std::string(KRAFTSIM_SOURCE_DIR) + "/scenarios/default.json");
  const sim::RunResult plain = sim::Simulation(s, 1).run();
  Recorder r;
  sim::Simulation traced(s, 1, &r);
  const sim::RunResult result = traced.run();
  CHECK(result.trace_hash == plain.trace_hash);  // listening changes nothing
  REQUIRE(r.ends.size() == 1);
  CHECK(r.ends[0] == result.sim_time);
  REQUIRE(r.events.size() > 1000);

  std::set<std::int64_t> sent;
  for (std::size_t i = 0; i < r.events.size(); ++i) {
    const sim::TraceEvent& e = r.events[i];
    CHECK(e.seq == i);
    if (i > 0) CHECK(e.at >= r.events[i - 1].at);
    if (e.kind == sim::TraceEventKind::Send) sent.insert(field_int(e, "id"));
    if (e.kind == sim::TraceEventKind::Deliver || e.kind == sim::TraceEventKind::Drop) {
      CHECK(sent.count(field_int(e, "id")) == 1);
    }
  }
  CHECK(count(r, sim::TraceEventKind::Election) == static_cast<std::size_t>(result.elections));
  CHECK(count(r, sim::TraceEventKind::Action) == s.timeline.size());
  CHECK(count(r, sim::TraceEventKind::Active) == 2);  // the first leader and the one after the crash
  CHECK(count(r, sim::TraceEventKind::Fault) >= 1);
  // Every node reports progress, and the last progress of the leader has the final HW.
  std::map<int, std::int64_t> last_hw;
  for (const sim::TraceEvent& e : r.events) {
    if (e.kind == sim::TraceEventKind::Progress) last_hw[e.node->value()] = field_int(e, "hw");
  }
  CHECK(last_hw.size() == result.nodes.size());
  for (const sim::NodeSummary& n : result.nodes) {
    if (n.high_watermark) CHECK(last_hw[n.id.value()] == n.high_watermark->value());
  }
}
