// The shrinker's scenario edits (sim/fuzz/scenario_edits.hh, node_edits.hh, time_edits.hh,
// setting_edits.hh, edit_text.hh) on small scenario files: what each removes, renumbers and moves,
// and that the result is still a file the loader accepts.
#include <doctest/doctest.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sim/fuzz/edit_text.hh"
#include "sim/fuzz/node_edits.hh"
#include "sim/fuzz/scenario_edits.hh"
#include "sim/fuzz/setting_edits.hh"
#include "sim/fuzz/shrink_support.hh"
#include "sim/fuzz/time_edits.hh"
#include "sim/scenario/scenario_loader.hh"

using sim::Action;
using sim::ActionType;
using sim::Instant;
using sim::NodeSelector;
using sim::Scenario;
namespace fz = sim::fuzz;

namespace {

// 5 voters, brokers 5..7; labels c3 (restarted through its label), p6 (resumed through a set
// holding its label) and c57 (a set, restarted through its label).
const char* const kNodes = R"json(
{"name":"edits","description":"d","seed":3,
 "cluster":{"controllers":5,"brokers":3,"racks":{"5":"a","6":"b","7":"c"},
   "node_config":{"4":{"controller.quorum.election.timeout.ms":1500},"6":{"broker.heartbeat.interval.ms":1000}}},
 "network":{"links":[{"from":6,"to":0,"latency":{"distribution":"constant","ms":7}},{"from":3,"to":7,"loss":0.5}]},
 "disk":{"nodes":{"3":{"flush_ms":2},"6":{"flush_ms":3}}},
 "workload":{"admin":{"topics":[{"name":"orders","partitions":4,"replication_factor":2}],"topics_at_ms":1000}},
 "timeline":[
   {"at_ms":2000,"action":"crash","node":3,"label":"c3"},
   {"at_ms":2500,"action":"restart","node":"label:c3"},
   {"at_ms":3000,"action":"pause","node":6,"label":"p6"},
   {"at_ms":3500,"action":"partition","groups":[[0,1,2],[5,7]]},
   {"at_ms":4000,"action":"heal"},
   {"at_ms":4500,"action":"drop","from":7,"to":0},
   {"at_ms":5000,"action":"resume","node":["label:p6"]},
   {"at_ms":6000,"action":"crash","node":[5,7],"label":"c57"},
   {"at_ms":7000,"action":"restart","node":"label:c57"}
 ],
 "stop":{"at_ms":20000},
 "expectations":[
   {"type":"broker_unfenced","broker":6,"at_ms":2900},
   {"type":"broker_fenced_within","broker":7,"after":"c57","within_ms":9000},
   {"type":"high_watermark_at_least","value":1,"nodes":[3,4,5]},
   {"type":"failover_within","after":"c3","within_ms":4000},
   {"type":"images_agree"}
 ]}
)json";

// The counter; a slow_disk repeated 3 times every 1001 ms from 2000 ms.
const char* const kTimes = R"json(
{"name":"time","description":"d","cluster":{"controllers":3,"state_machine":"counter"},
 "workload":{"append_interval_ms":100},
 "timeline":[
   {"at_ms":1000,"action":"crash","node":0,"label":"c0"},
   {"at_ms":2000,"action":"slow_disk","node":1,"flush_ms":1,"repeat":{"every_ms":1001,"times":3}},
   {"at_ms":3000,"action":"restart","node":0}
 ],
 "stop":{"at_ms":10000},
 "expectations":[
   {"type":"leader_elected_within","after":"c0","within_ms":4000},
   {"type":"no_progress_between","from_ms":500,"to_ms":5000},
   {"type":"leader","at_ms":9000}
 ]}
)json";

Scenario parse(const char* text) { return sim::parse_scenario_text(text, "edits-test"); }

std::vector<std::size_t> indices_of(const Scenario& s) {
  std::vector<std::size_t> out;
  for (const Action& a : s.timeline) out.push_back(a.index);
  return out;
}

std::vector<std::int64_t> times_ms(const Scenario& s) {
  std::vector<std::int64_t> out;
  for (const Action& a : s.timeline) out.push_back(a.at.us() / 1000);
  return out;
}

std::vector<std::int64_t> times_us(const Scenario& s) {
  std::vector<std::int64_t> out;
  for (const Action& a : s.timeline) out.push_back(a.at.us());
  return out;
}

std::vector<std::string> expectation_names(const Scenario& s) {
  std::vector<std::string> out;
  for (const sim::Expectation& e : s.expectations) out.push_back(e.name);
  return out;
}

std::vector<int> ids(const std::vector<NodeSelector>& members) {
  std::vector<int> out;
  for (const NodeSelector& m : members) out.push_back(m.id.value());
  return out;
}

}  // namespace

TEST_CASE("fuzz edits: index ranges and texts for edit descriptions") {
  CHECK(fz::index_ranges({}) == "");
  CHECK(fz::index_ranges({3}) == "3");
  CHECK(fz::index_ranges({3, 4, 5, 6, 7}) == "3-7");
  CHECK(fz::index_ranges({0, 1, 4, 6, 7, 8, 9}) == "0-1, 4, 6-9");
  CHECK(fz::ms_text(sim::Instant::from_ms(61'000)) == "61000 ms");
  CHECK(fz::ms_text(std::int64_t{1'500}) == "1.5 ms");
  CHECK(fz::ms_text(std::int64_t{1'234'567}) == "1234.567 ms");
  CHECK(fz::percent_text(sim::Ppm{3'000}) == "0.3%");
  CHECK(fz::percent_text(sim::Ppm{1'000'000}) == "100%");
  CHECK(fz::percent_text(sim::Ppm{1}) == "0.0001%");
  CHECK(fz::percent_text(sim::Ppm{0}) == "0");
  CHECK(fz::latency_text(sim::LatencySpec{}) == "uniform 1-5 ms");
}

TEST_CASE("fuzz edits: removing an action removes what names its label, and renumbers") {
  const Scenario original = parse(kNodes);
  CHECK(fz::action_indices(original).size() == 9);

  Scenario s = original;
  const auto crash = fz::remove_actions(s, {0}, std::nullopt);
  REQUIRE(crash.has_value());
  CHECK(crash->actions == std::vector<std::size_t>{0, 1});  // the restart names "label:c3"
  CHECK(crash->expectations == 1);                          // failover_within after c3
  CHECK(fz::describe(*crash) ==
        "removed actions 0-1 (2 actions) and 1 expectation naming their labels");
  CHECK(indices_of(s) == std::vector<std::size_t>{0, 1, 2, 3, 4, 5, 6});
  CHECK(s.timeline.front().type == ActionType::Pause);
  CHECK(expectation_names(s) ==
        std::vector<std::string>{"broker_unfenced", "broker_fenced_within",
                                 "high_watermark_at_least", "images_agree"});
  CHECK(s.expectations[3].index == 3);
  CHECK(fz::as_written(s).has_value());

  // The pause is named by a label inside the resume's set.
  Scenario p = original;
  const auto pause = fz::remove_actions(p, {2}, std::nullopt);
  REQUIRE(pause.has_value());
  CHECK(pause->actions == std::vector<std::size_t>{2, 6});
  CHECK(fz::describe(*pause) == "removed actions 2, 6 (2 actions)");
  CHECK(fz::as_written(p).has_value());

  // A single action.
  Scenario h = original;
  const auto heal = fz::remove_actions(h, {4}, std::nullopt);
  REQUIRE(heal.has_value());
  CHECK(fz::describe(*heal) == "removed action 4 (1 action)");
  CHECK(h.timeline.size() == 8);
}

TEST_CASE("fuzz edits: an action whose removal takes the failing expectation cannot go") {
  const Scenario original = parse(kNodes);
  Scenario s = original;
  CHECK_FALSE(fz::remove_actions(s, {7}, std::size_t{1}).has_value());  // broker_fenced_within
  CHECK(s.timeline.size() == original.timeline.size());
  CHECK(s.expectations.size() == 5);
  CHECK(fz::remove_actions(s, {7}, std::size_t{0}).has_value());
  CHECK(s.expectations.size() == 4);
  CHECK_FALSE(fz::remove_actions(s, {42}, std::nullopt).has_value());
}

TEST_CASE("fuzz edits: 5 voters to 3 renumbers brokers and drops what names voters 3 and 4") {
  Scenario s = parse(kNodes);
  CHECK_FALSE(fz::reduce_voters(s, std::size_t{3}).has_value());  // failover_within after c3
  const auto text = fz::reduce_voters(s, std::size_t{1});
  REQUIRE(text.has_value());
  CHECK(*text == "voters 5 -> 3");
  CHECK(s.cluster.controllers == 3);
  CHECK(s.cluster.brokers == 3);
  // crash 3 and its restart went; pause 6 -> 4; partition [[0,1,2],[5,7]] -> [[0,1,2],[3,5]];
  // drop 7 -> 0 is now 5 -> 0; crash [5,7] -> [3,5].
  REQUIRE(s.timeline.size() == 7);
  CHECK(s.timeline[0].type == ActionType::Pause);
  CHECK(s.timeline[0].node->id.value() == 4);
  CHECK(ids(s.timeline[1].groups[1]) ==
        std::vector<int>{3, 5});
  CHECK(s.timeline[3].from->id.value() == 5);
  CHECK(s.timeline[3].to->id.value() == 0);
  CHECK(ids(s.timeline[5].node->members) == std::vector<int>{3, 5});
  CHECK(indices_of(s) == std::vector<std::size_t>{0, 1, 2, 3, 4, 5, 6});
  // Expectations: brokers 6 -> 4 and 7 -> 5, nodes [3,4,5] -> [3], failover_within gone.
  CHECK(expectation_names(s) ==
        std::vector<std::string>{"broker_unfenced", "broker_fenced_within",
                                 "high_watermark_at_least", "images_agree"});
  CHECK(s.expectations[0].condition.node->id.value() == 4);  // a state expectation
  CHECK(s.expectations[1].broker->id.value() == 5);
  REQUIRE(s.expectations[2].condition.nodes.size() == 1);
  CHECK(s.expectations[2].condition.nodes[0].value() == 3);
  // Node-keyed settings.
  CHECK(s.cluster.racks == std::map<int, std::string>{{3, "a"}, {4, "b"}, {5, "c"}});
  CHECK(s.cluster.node_config.size() == 1);
  CHECK(s.cluster.node_config.count(4) == 1);
  CHECK(s.cluster.node_config.at(4).metadata.broker_heartbeat_interval_ms == 1000);
  CHECK(s.disk.node_flush_latency.size() == 1);
  CHECK(s.disk.node_flush_latency.at(4) == sim::Duration::millis(3));
  REQUIRE(s.network.links.size() == 1);
  CHECK(s.network.links[0].from.value() == 4);
  CHECK(s.network.links[0].to.value() == 0);
  // Still a valid file, which says the same.
  const std::optional<Scenario> loaded = fz::as_written(s);
  REQUIRE(loaded.has_value());
  CHECK(loaded->cluster.controllers == 3);
  CHECK(loaded->timeline.size() == 7);
  CHECK_FALSE(fz::reduce_voters(s, std::nullopt).has_value());  // 3 voters now
}

TEST_CASE("fuzz edits: removing the highest broker drops actions and expectations on it") {
  Scenario s = parse(kNodes);
  CHECK_FALSE(fz::remove_highest_broker(s, std::size_t{1}).has_value());  // about broker 7
  const auto text = fz::remove_highest_broker(s, std::nullopt);
  REQUIRE(text.has_value());
  CHECK(*text == "brokers 3 -> 2");
  CHECK(s.cluster.brokers == 2);
  REQUIRE(s.timeline.size() == 8);  // drop 7 -> 0 went
  CHECK(ids(s.timeline[3].groups[1]) ==
        std::vector<int>{5});
  CHECK(ids(s.timeline[6].node->members) == std::vector<int>{5});
  CHECK(expectation_names(s) ==
        std::vector<std::string>{"broker_unfenced", "high_watermark_at_least", "failover_within",
                                 "images_agree"});
  CHECK(s.expectations[1].condition.nodes.size() == 3);  // 3, 4, 5 all stay
  CHECK(s.cluster.racks.count(7) == 0);
  REQUIRE(s.network.links.size() == 1);  // 3 -> 7 went
  CHECK(s.network.links[0].from.value() == 6);
  CHECK(fz::as_written(s).has_value());
}

TEST_CASE("fuzz edits: decided_by and the earliest stop") {
  const Scenario s = parse(kTimes);
  CHECK(fz::decided_by(s.expectations[0], s) == Instant::from_ms(5000));  // c0 + 4000
  CHECK(fz::decided_by(s.expectations[1], s) == Instant::from_ms(5000));  // to_ms
  CHECK(fz::decided_by(s.expectations[2], s) == Instant::from_ms(9000));  // at_ms
  CHECK(fz::windows_fit(s));
  CHECK(fz::earliest_stop(s) == Instant::from_ms(9000));

  Scenario at_end = s;
  at_end.expectations[2].timing.kind = sim::Timing::Kind::AtEnd;
  CHECK_FALSE(fz::decided_by(at_end.expectations[2], at_end).has_value());
  CHECK_FALSE(fz::earliest_stop(at_end).has_value());

  Scenario short_run = s;
  short_run.stop.at = Instant::from_ms(4999);
  CHECK_FALSE(fz::windows_fit(short_run));
}

TEST_CASE("fuzz edits: halving the gaps after the first action") {
  Scenario s = parse(kTimes);
  CHECK(times_ms(s) == std::vector<std::int64_t>{1000, 2000, 3000, 3001, 4002});
  const auto text = fz::halve_gaps(s);
  REQUIRE(text.has_value());
  CHECK(*text == "timeline gaps halved, stop 10000 ms -> 5500 ms");
  // The repeated slow_disk: first copy 2000 -> 1500, every 1001 -> 500.5 ms; the restart
  // 3000 -> 2000 now runs before its second copy.
  const std::vector<std::int64_t> halved = {1'000'000, 1'500'000, 2'000'000, 2'000'500, 2'501'000};
  CHECK(times_us(s) == halved);
  CHECK(s.timeline[2].type == ActionType::Restart);
  CHECK(s.stop.at == Instant::from_ms(5500));
  CHECK(s.expectations[0].within == sim::Duration::millis(4000));  // a duration: unchanged
  CHECK(s.expectations[1].from == Instant::from_ms(500));          // before t0: unchanged
  CHECK(s.expectations[1].to == Instant::from_ms(3000));
  CHECK(s.expectations[2].timing.at == Instant::from_ms(5000));
  const std::optional<Scenario> loaded = fz::as_written(s);
  REQUIRE(loaded.has_value());
  CHECK(times_us(*loaded) == halved);
  CHECK(loaded->timeline[2].type == ActionType::Restart);

  Scenario still;
  still.stop.at = Instant::zero();
  CHECK_FALSE(fz::halve_gaps(still).has_value());
}

TEST_CASE("fuzz edits: an earlier stop drops the actions and copies after it") {
  Scenario s = parse(kTimes);
  const auto text = fz::cut_stop(s, Instant::from_ms(3500), std::nullopt);
  REQUIRE(text.has_value());
  CHECK(*text == "stop 10000 ms -> 3500 ms");
  CHECK(times_ms(s) == std::vector<std::int64_t>{1000, 2000, 3000, 3001});
  CHECK(s.stop.at == Instant::from_ms(3500));

  Scenario t = parse(kTimes);
  REQUIRE(fz::cut_stop(t, Instant::from_ms(1500), std::nullopt).has_value());
  CHECK(times_ms(t) == std::vector<std::int64_t>{1000});
  CHECK(indices_of(t) == std::vector<std::size_t>{0});
  CHECK_FALSE(fz::cut_stop(t, Instant::from_ms(1500), std::nullopt).has_value());  // not earlier
}

TEST_CASE("fuzz edits: network, disk and operation edits say what they changed") {
  Scenario s = parse(kNodes);
  s.network.default_link.loss = sim::Ppm{3'000};
  s.network.default_link.duplicate = sim::Ppm{10'000};
  std::vector<std::string> texts;
  for (const fz::SettingEdit& edit : fz::network_and_disk_edits()) {
    if (std::optional<std::string> text = edit(s)) texts.push_back(*text);
  }
  CHECK(texts == std::vector<std::string>{
                     "network: duplicate 1% -> 0", "network: loss 0.3% -> 0",
                     "network: latency uniform 1-5 ms -> constant 1 ms",
                     "network: removed 2 link override(s)",
                     "removed the per-node configs of nodes 4, 6",
                     "disk: removed the flush latencies of nodes 3, 6"});
  CHECK(s.network.default_link.latency.distribution == sim::LatencySpec::Distribution::Constant);
  CHECK(s.network.default_link.latency.min == sim::Duration::millis(1));
  CHECK(s.network.default_link.loss.value == 0);
  CHECK(s.network.default_link.duplicate.value == 0);
  CHECK(s.network.links.empty());
  CHECK(s.cluster.node_config.empty());
  CHECK(s.disk.node_flush_latency.empty());
  for (const fz::SettingEdit& edit : fz::network_and_disk_edits()) CHECK_FALSE(edit(s).has_value());

  const Scenario original = parse(kNodes);
  texts.clear();
  for (const fz::SettingEdit& edit : fz::operation_edits(original)) {
    Scenario copy = original;
    if (std::optional<std::string> text = edit(copy)) texts.push_back(*text);
  }
  CHECK(texts == std::vector<std::string>{"removed topic orders", "topic orders: partitions 4 -> 1",
                                          "topic orders: partitions 4 -> 2"});
}
