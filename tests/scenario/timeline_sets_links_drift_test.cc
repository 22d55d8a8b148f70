// Tests of the timeline's node sets, slow_link / restore_link, clock_drift and "repeat" in the
// scenario loader (sim/scenario/timeline.hh, selectors.hh): what they parse to, and every
// rejection, each naming the JSON path, the bad value and what was expected.
#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/scenario/scenario_loader.hh"
#include "sim/scenario/timeline.hh"

namespace {

using nlohmann::json;
using sim::ActionType;
using sim::Instant;
using sim::NodeSelector;
using sim::ScenarioError;
using Kind = sim::NodeSelector::Kind;

// A scenario of `cluster` (JSON text) with `timeline` (JSON text), stopping at 30 s.
std::string scenario_text(const std::string& cluster, const std::string& timeline) {
  return R"({"name": "t", "description": "d", "cluster": )" + cluster +
         R"(, "timeline": )" + timeline + R"(, "stop": {"at_ms": 30000}})";
}

const std::string kCounter = R"({"controllers": 3, "brokers": 2, "state_machine": "counter"})";
const std::string kMetadata = R"({"controllers": 3, "brokers": 2, "combined": 1})";

sim::Scenario parse(const std::string& timeline, const std::string& cluster = kCounter) {
  return sim::parse_scenario_text(scenario_text(cluster, timeline), "t.json");
}

// "ok", or the message of the ScenarioError the timeline raises.
std::string outcome(const std::string& timeline, const std::string& cluster = kCounter) {
  try {
    parse(timeline, cluster);
    return "ok";
  } catch (const ScenarioError& e) {
    return e.what();
  }
}

// A timeline that must be rejected at `path`, the message naming the bad value `got` and
// containing `fragment`.
struct Bad {
  const char* what;
  std::string timeline;
  std::string path;
  std::string got;
  std::string fragment;
  std::string cluster = kCounter;
};

void check_bad(const std::vector<Bad>& cases) {
  std::set<std::string> names;
  for (const Bad& c : cases) {
    const std::string name = c.what;
    CAPTURE(name);
    names.insert(name);
    try {
      parse(c.timeline, c.cluster);
      FAIL("parsed, but must be rejected: " << c.timeline);
    } catch (const ScenarioError& e) {
      const std::string message = e.what();
      CAPTURE(message);
      CHECK(e.path() == c.path);
      CHECK(message.rfind("t.json: " + c.path + ": ", 0) == 0);
      const std::string shown = c.got == "missing" ? c.path + ": missing, expected "
                                                   : "got " + c.got + ", expected ";
      CHECK(message.find(shown) != std::string::npos);
      CHECK(message.find(c.fragment) != std::string::npos);
    }
  }
  CHECK(names.size() == cases.size());
}

}  // namespace

TEST_CASE("timeline sets: selectors parse to their kinds, arrays to sets") {
  const sim::Scenario s = parse(R"([
    {"at_ms": 1, "action": "isolate", "node": "any-follower"},
    {"at_ms": 2, "action": "isolate", "node": "random-controller"},
    {"at_ms": 3, "action": "isolate", "node": "random-node"},
    {"at_ms": 4, "action": "isolate", "node": "controllers"},
    {"at_ms": 5, "action": "isolate", "node": "followers"},
    {"at_ms": 6, "action": "isolate", "node": "brokers"},
    {"at_ms": 7, "action": "isolate", "node": "all"},
    {"at_ms": 8, "action": "crash", "node": [4, "leader", "label:x"], "label": "set"},
    {"at_ms": 0, "action": "pause", "node": 1, "label": "x"},
    {"at_ms": 9, "action": "partition", "groups": [["brokers"], [[0, 1]]]},
    {"at_ms": 10, "action": "restart", "node": ["label:set"]}
  ])");
  REQUIRE(s.timeline.size() == 11);
  // In run order: the pause at 0 ms first.
  const std::vector<Kind> kinds = {Kind::Id,      Kind::Follower, Kind::RandomController,
                                   Kind::RandomNode, Kind::Voters, Kind::Followers,
                                   Kind::Brokers, Kind::All,      Kind::Set};
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    CAPTURE(i);
    CHECK(s.timeline[i].node->kind == kinds[i]);
  }
  const NodeSelector& set = *s.timeline[8].node;
  CHECK(set.is_set());
  REQUIRE(set.members.size() == 3);
  CHECK(set.members[0].kind == Kind::Id);
  CHECK(set.members[0].id == raft::NodeId(4));
  CHECK(set.members[1].kind == Kind::Leader);
  CHECK(set.members[2].kind == Kind::Label);
  CHECK(set.members[2].label == "x");
  CHECK_FALSE(s.timeline[1].node->is_set());
  CHECK(s.timeline[5].node->is_set());
  const sim::Action& partition = s.timeline[9];
  REQUIRE(partition.groups.size() == 2);
  CHECK(partition.groups[0][0].kind == Kind::Brokers);
  REQUIRE(partition.groups[1][0].kind == Kind::Set);
  CHECK(partition.groups[1][0].members.size() == 2);
  CHECK(s.timeline[10].node->kind == Kind::Set);
  // A metadata cluster also has "random-broker", in sets too.
  const sim::Scenario m = parse(R"([{"at_ms": 1, "action": "crash", "node": ["random-broker", 0]}])",
                                kMetadata);
  CHECK(m.timeline[0].node->members[0].kind == Kind::RandomBroker);
}

TEST_CASE("timeline sets: labels of set actions, and what the checker knows of each kind") {
  // A restart of a label of a set action restarts its whole set.
  CHECK(outcome(R"([{"at_ms": 1, "action": "crash", "node": [1, 3], "label": "crash-two"},
                    {"at_ms": 2, "action": "restart", "node": "label:crash-two"},
                    {"at_ms": 3, "action": "crash", "node": 1},
                    {"at_ms": 4, "action": "crash", "node": 3}])") == "ok");
  CHECK(outcome(R"([{"at_ms": 1, "action": "crash", "node": [1, 3], "label": "crash-two"},
                    {"at_ms": 2, "action": "restart", "node": "label:crash-two"},
                    {"at_ms": 3, "action": "restart", "node": 3}])") ==
        "t.json: timeline[2].node: got 3, expected a node that an earlier crash, shutdown or wipe "
        "stopped (node 3 is already restarted by timeline[1] (restart at 2 ms))");
  // Named sets that do not depend on who runs are exact: after a crash of "all" every node is
  // down (a second crash of one is an error, a restart of each is fine).
  CHECK(outcome(R"([{"at_ms": 1, "action": "crash", "node": 2},
                    {"at_ms": 2, "action": "crash", "node": "all"},
                    {"at_ms": 3, "action": "restart", "node": [0, 2, 4]},
                    {"at_ms": 4, "action": "restart", "node": "brokers"}])") == "ok");
  // "leader", "random-controller" and "followers" may stop any voter, never an observer.
  CHECK(outcome(R"([{"at_ms": 1, "action": "crash", "node": "leader"},
                    {"at_ms": 2, "action": "restart", "node": 1}])") == "ok");
  CHECK(outcome(R"([{"at_ms": 1, "action": "crash", "node": "followers"},
                    {"at_ms": 2, "action": "restart", "node": 3}])") ==
        "t.json: timeline[1].node: got 3, expected a node that an earlier crash, shutdown or wipe "
        "stopped (no earlier action crashes, shuts down or wipes node 3)");
  // "random-node" may stop any node.
  CHECK(outcome(R"([{"at_ms": 1, "action": "crash", "node": "random-node"},
                    {"at_ms": 2, "action": "restart", "node": 3}])") == "ok");
  // An array mixing an id and a drawn node: the id is explicit.
  CHECK(outcome(R"([{"at_ms": 1, "action": "crash", "node": ["random-node", 4]},
                    {"at_ms": 2, "action": "crash", "node": 4}])") ==
        "t.json: timeline[1].node: got 4, expected a running node (node 4 is already stopped by "
        "timeline[0] (crash at 1 ms))");
  // Pauses: a resume after a pause that may have paused the node is fine.
  CHECK(outcome(R"([{"at_ms": 1, "action": "pause", "node": "followers"},
                    {"at_ms": 2, "action": "resume", "node": 1}])") == "ok");
  CHECK(outcome(R"([{"at_ms": 1, "action": "pause", "node": [1, 2], "label": "gc"},
                    {"at_ms": 2, "action": "resume", "node": "label:gc"},
                    {"at_ms": 3, "action": "pause", "node": 2},
                    {"at_ms": 4, "action": "crash", "node": 2},
                    {"at_ms": 5, "action": "restart", "node": 2}])") == "ok");
  // A crash ends a pause: resuming the crashed node is an error.
  CHECK(outcome(R"([{"at_ms": 1, "action": "pause", "node": 2},
                    {"at_ms": 2, "action": "crash", "node": 2},
                    {"at_ms": 3, "action": "resume", "node": 2}])") ==
        "t.json: timeline[2].node: got 2, expected a node that an earlier pause paused (node 2 is "
        "not paused since timeline[1] (crash at 2 ms))");
  // A shutdown of a paused node does nothing: it is not surely stopped.
  CHECK(outcome(R"([{"at_ms": 1, "action": "pause", "node": 2},
                    {"at_ms": 2, "action": "shutdown", "node": 2},
                    {"at_ms": 3, "action": "crash", "node": 2}])") == "ok");
  // A pause of a stopped node does nothing either.
  CHECK(outcome(R"([{"at_ms": 1, "action": "crash", "node": 2},
                    {"at_ms": 2, "action": "pause", "node": 2},
                    {"at_ms": 3, "action": "resume", "node": 2}])") ==
        "t.json: timeline[2].node: got 2, expected a node that an earlier pause paused (node 2 is "
        "not paused since timeline[0] (crash at 1 ms))");
  // A controlled shutdown of a set of broker-role nodes stops them all.
  CHECK(outcome(R"([{"at_ms": 1, "action": "controlled_shutdown", "node": "brokers", "label": "cs"},
                    {"at_ms": 2, "action": "restart", "node": "label:cs"},
                    {"at_ms": 3, "action": "restart", "node": 0}])",
                kMetadata) ==
        "t.json: timeline[2].node: got 0, expected a node that an earlier crash, shutdown or wipe "
        "stopped (node 0 is already restarted by timeline[1] (restart at 2 ms))");
}

TEST_CASE("timeline sets: resolve_label names one node only when the file determines one") {
  const sim::Scenario s = parse(R"([
    {"at_ms": 1, "action": "isolate", "node": [3], "label": "one"},
    {"at_ms": 2, "action": "isolate", "node": [1, 3], "label": "two"},
    {"at_ms": 3, "action": "isolate", "node": "brokers", "label": "named"},
    {"at_ms": 4, "action": "isolate", "node": "label:one", "label": "again"},
    {"at_ms": 5, "action": "isolate", "node": ["label:one"], "label": "wrapped"},
    {"at_ms": 6, "action": "isolate", "node": 4, "label": "id"},
    {"at_ms": 7, "action": "heal", "label": "h"}
  ])");
  std::map<std::string, std::size_t> labels;
  for (const sim::Action& a : s.timeline) labels[a.label] = a.index;
  using sim::scenario_detail::resolve_label;
  CHECK(resolve_label(s.timeline, labels, "one") == raft::NodeId(3));
  CHECK_FALSE(resolve_label(s.timeline, labels, "two").has_value());
  CHECK_FALSE(resolve_label(s.timeline, labels, "named").has_value());
  CHECK(resolve_label(s.timeline, labels, "again") == raft::NodeId(3));
  CHECK(resolve_label(s.timeline, labels, "wrapped") == raft::NodeId(3));
  CHECK(resolve_label(s.timeline, labels, "id") == raft::NodeId(4));
  CHECK_FALSE(resolve_label(s.timeline, labels, "h").has_value());
}

TEST_CASE("slow_link, restore_link and clock_drift parse to exact values") {
  const sim::Scenario t = parse(R"([
    {"at_ms": 1000, "action": "slow_link", "from": 0, "to": "brokers", "label": "sl",
     "latency": {"distribution": "uniform", "min_ms": 100, "max_ms": 300.5}, "loss": 0.25,
     "duplicate": 0.000001, "bidirectional": true},
    {"at_ms": 1500, "action": "slow_link", "from": [1, 2], "to": 0, "loss": 1},
    {"at_ms": 2000, "action": "restore_link", "from": "all", "to": 3, "bidirectional": true},
    {"at_ms": 2500, "action": "restore_link", "from": 0, "to": 1},
    {"at_ms": 3000, "action": "clock_drift", "node": 2, "drift_ppm": 200000, "label": "d"},
    {"at_ms": 3500, "action": "clock_drift", "node": ["leader", 4], "drift_ppm": -999999},
    {"at_ms": 4000, "action": "clock_drift", "node": "label:d", "drift_ppm": 10000000}
  ])");
  REQUIRE(t.timeline.size() == 7);
  const sim::Action& slow = t.timeline[0];
  CHECK(slow.type == ActionType::SlowLink);
  CHECK(slow.from->kind == Kind::Id);
  CHECK(slow.to->kind == Kind::Brokers);
  REQUIRE(slow.link_latency.has_value());
  CHECK(slow.link_latency->distribution == sim::LatencySpec::Distribution::Uniform);
  CHECK(slow.link_latency->min == sim::Duration::millis(100));
  CHECK(slow.link_latency->max == sim::Duration::micros(300'500));
  CHECK(slow.link_loss == sim::Ppm{250'000});
  CHECK(slow.link_duplicate == sim::Ppm{1});
  CHECK(slow.bidirectional);
  const sim::Action& loss_only = t.timeline[1];
  CHECK_FALSE(loss_only.link_latency.has_value());
  CHECK(loss_only.link_loss == sim::Ppm{1'000'000});
  CHECK_FALSE(loss_only.link_duplicate.has_value());
  CHECK_FALSE(loss_only.bidirectional);
  CHECK(loss_only.from->kind == Kind::Set);
  CHECK(t.timeline[2].type == ActionType::RestoreLink);
  CHECK(t.timeline[2].bidirectional);
  CHECK_FALSE(t.timeline[3].bidirectional);
  CHECK(t.timeline[4].type == ActionType::ClockDrift);
  CHECK(t.timeline[4].drift_ppm == 200'000);
  CHECK(t.timeline[5].drift_ppm == -999'999);
  CHECK(t.timeline[6].drift_ppm == 10'000'000);
  CHECK(t.timeline[6].node->kind == Kind::Label);
}

TEST_CASE("repeat expands an action into copies with the same index") {
  const sim::Scenario s = parse(R"([
    {"at_ms": 1000, "action": "isolate", "node": 1, "repeat": {"every_ms": 2000, "times": 3}},
    {"at_ms": 1500, "action": "heal", "label": "h", "repeat": {"every_ms": 2000, "times": 3}},
    {"at_ms": 4000, "action": "crash", "node": 2, "label": "c"},
    {"at_ms": 4100, "action": "restart", "node": 2},
    {"at_ms": 4200, "action": "isolate", "node": 2, "repeat": {"every_ms": 0.5, "times": 2}}
  ])");
  REQUIRE(s.timeline.size() == 10);
  struct Copy {
    std::int64_t at_us;
    ActionType type;
    std::size_t index;
    std::size_t repetition;
  };
  const std::vector<Copy> expected = {
      {1'000'000, ActionType::Isolate, 0, 0}, {1'500'000, ActionType::Heal, 1, 0},
      {3'000'000, ActionType::Isolate, 0, 1}, {3'500'000, ActionType::Heal, 1, 1},
      {4'000'000, ActionType::Crash, 2, 0},   {4'100'000, ActionType::Restart, 3, 0},
      {4'200'000, ActionType::Isolate, 4, 0}, {4'200'500, ActionType::Isolate, 4, 1},
      {5'000'000, ActionType::Isolate, 0, 2}, {5'500'000, ActionType::Heal, 1, 2}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    CAPTURE(i);
    CHECK(s.timeline[i].at == Instant::from_us(expected[i].at_us));
    CHECK(s.timeline[i].type == expected[i].type);
    CHECK(s.timeline[i].index == expected[i].index);
    CHECK(s.timeline[i].repetition == expected[i].repetition);
  }
  CHECK(s.timeline[3].label == "h");
  CHECK(s.timeline[9].label == "h");
}

TEST_CASE("repeat: the flapping link of the README, and the last copy exactly at the stop time") {
  const sim::Scenario s = parse(R"([
    {"at_ms": 10000, "action": "isolate", "node": "leader", "label": "flap",
     "repeat": {"every_ms": 2000, "times": 5}},
    {"at_ms": 10500, "action": "heal", "repeat": {"every_ms": 2000, "times": 5}},
    {"at_ms": 20000, "action": "heal", "repeat": {"every_ms": 5000, "times": 3}}
  ])");
  CHECK(s.timeline.size() == 13);
  CHECK(s.timeline.back().at == Instant::from_ms(30000));
  CHECK(s.timeline.back().repetition == 2);
}

TEST_CASE("bad sets, slow links, clock drifts and repeats name the path, the value and the rule") {
  const std::string sel = R"("leader", "follower", "random-controller", "random-node", )";
  check_bad({
      {"empty set", R"([{"at_ms": 1, "action": "crash", "node": []}])", "timeline[0].node", "[]",
       "a non-empty array of node selectors (each a node id (0..4)"},
      {"nested set", R"([{"at_ms": 1, "action": "crash", "node": [0, [1]]}])",
       "timeline[0].node[1]", "[1]", "a node selector other than an array (sets do not nest)"},
      {"id twice in a set", R"([{"at_ms": 1, "action": "crash", "node": [1, 1]}])",
       "timeline[0].node[1]", "1",
       "a selector not already in the set (timeline[0].node[0] is 1)"},
      {"alias twice in a set",
       R"([{"at_ms": 1, "action": "crash", "node": ["follower", "any-follower"]}])",
       "timeline[0].node[1]", R"("any-follower")",
       R"(a selector not already in the set (timeline[0].node[0] is "follower"))"},
      {"id inside a named set", R"([{"at_ms": 1, "action": "crash", "node": [4, "brokers"]}])",
       "timeline[0].node[1]", R"("brokers")",
       "a selector naming no node already in the set (node 4 is also named by "
       "timeline[0].node[0], 4)"},
      {"label naming an id of the set",
       R"([{"at_ms": 1, "action": "isolate", "node": 3, "label": "i"},
           {"at_ms": 2, "action": "crash", "node": [3, "label:i"]}])",
       "timeline[1].node[1]", R"("label:i")",
       "a selector naming no node already in the set (node 3 is also named by"},
      {"bad member", R"([{"at_ms": 1, "action": "crash", "node": [0, "leder"]}])",
       "timeline[0].node[1]", R"("leder")", "(did you mean \"leader\"?)"},
      {"unknown label in a set", R"([{"at_ms": 1, "action": "crash", "node": [0, "label:nope"]}])",
       "timeline[0].node[1]", R"("label:nope")", R"(no action is labelled "nope")"},
      {"misspelt random-controller",
       R"([{"at_ms": 1, "action": "crash", "node": "random-controler"}])", "timeline[0].node",
       R"("random-controler")",
       sel + R"("controllers", "followers", "brokers", "all", "label:<name>" or an array of )"
             R"(them (did you mean "random-controller"?))"},
      {"misspelt controllers", R"([{"at_ms": 1, "action": "crash", "node": "controlers"}])",
       "timeline[0].node", R"("controlers")", R"((did you mean "controllers"?))"},
      {"random-broker in a set of a counter cluster",
       R"([{"at_ms": 1, "action": "crash", "node": [0, "random-broker"]}])",
       "timeline[0].node[1]", R"("random-broker")",
       R"("random-broker" needs cluster.state_machine "metadata")"},
      {"brokers without brokers", R"([{"at_ms": 1, "action": "crash", "node": "brokers"}])",
       "timeline[0].node", R"("brokers")", R"("brokers" names no node here: cluster.brokers is 0)",
       R"({"controllers": 3, "state_machine": "counter"})"},
      {"brokers without broker role", R"([{"at_ms": 1, "action": "crash", "node": "brokers"}])",
       "timeline[0].node", R"("brokers")", "no node runs the broker role",
       R"({"controllers": 3})"},
      {"restart of followers", R"([{"at_ms": 1, "action": "restart", "node": "followers"}])",
       "timeline[0].node", R"("followers")",
       R"("controllers", "brokers", "all", "label:<name>" of an earlier crash, shutdown or wipe, )"
       R"(or an array of them (a restart targets stopped nodes)"},
      {"restart of a random node in a set",
       R"([{"at_ms": 1, "action": "crash", "node": 1},
           {"at_ms": 2, "action": "restart", "node": [1, "random-node"]}])",
       "timeline[1].node[1]", R"("random-node")", "(a restart targets stopped nodes"},
      {"restart of a set member never stopped",
       R"([{"at_ms": 1, "action": "crash", "node": 1},
           {"at_ms": 2, "action": "restart", "node": [1, 2]}])",
       "timeline[1].node", "[1,2]",
       "a node that an earlier crash, shutdown or wipe stopped (no earlier action crashes, shuts "
       "down or wipes node 2)"},
      {"crash of a set with a stopped id",
       R"([{"at_ms": 1, "action": "shutdown", "node": 2},
           {"at_ms": 2, "action": "crash", "node": [0, 2]}])",
       "timeline[1].node", "[0,2]",
       "a running node (node 2 is already stopped by timeline[0] (shutdown at 1 ms))"},
      {"crash of an id after a crash of all",
       R"([{"at_ms": 1, "action": "crash", "node": "all"},
           {"at_ms": 2, "action": "crash", "node": 3}])",
       "timeline[1].node", "3", "node 3 is already stopped by timeline[0] (crash at 1 ms)"},
      {"partition with a node in a set and by id",
       R"([{"at_ms": 1, "action": "partition", "groups": [["controllers"], [3, 1]]}])",
       "timeline[0].groups[1][1]", "1",
       "a node that is in no other group (node 1 is already in groups[0])"},
      {"partition with two overlapping arrays",
       R"([{"at_ms": 1, "action": "partition", "groups": [[[0, 1]], [[1, 2]]]}])",
       "timeline[0].groups[1][0]", "[1,2]",
       "a node that is in no other group (node 1 is already in groups[0])"},
      {"drop from a one-node set to itself",
       R"([{"at_ms": 1, "action": "drop", "from": [2], "to": 2}])", "timeline[0].to", "2",
       R"(a node other than "from" (both name node 2))"},
      {"slow_link to itself through a label",
       R"([{"at_ms": 1, "action": "isolate", "node": 2, "label": "i"},
           {"at_ms": 2, "action": "slow_link", "from": "label:i", "to": 2, "loss": 0.5}])",
       "timeline[1].to", "2", R"(a node other than "from" (both name node 2))"},
      {"restore_link from leader to leader",
       R"([{"at_ms": 1, "action": "restore_link", "from": "leader", "to": "leader"}])",
       "timeline[0].to", R"("leader")", R"(a node other than "from" (both name "leader"))"},
      {"slow_link without a change",
       R"([{"at_ms": 1, "action": "slow_link", "from": 0, "to": 1, "bidirectional": true}])",
       "timeline[0]", "a slow_link that changes nothing",
       R"(at least one of "latency", "loss" or "duplicate" in a slow_link)"},
      {"slow_link bad latency",
       R"([{"at_ms": 1, "action": "slow_link", "from": 0, "to": 1,
            "latency": {"distribution": "uniform", "min_ms": 5, "max_ms": 2}}])",
       "timeline[0].latency.max_ms", "2", "a number of milliseconds >= min_ms (5)"},
      {"slow_link latency kind",
       R"([{"at_ms": 1, "action": "slow_link", "from": 0, "to": 1,
            "latency": {"distribution": "constnt", "ms": 2}}])",
       "timeline[0].latency.distribution", R"("constnt")", R"((did you mean "constant"?))"},
      {"slow_link loss above one",
       R"([{"at_ms": 1, "action": "slow_link", "from": 0, "to": 1, "loss": 1.5}])",
       "timeline[0].loss", "1.5", "a probability, a number in [0, 1]"},
      {"slow_link negative duplicate",
       R"([{"at_ms": 1, "action": "slow_link", "from": 0, "to": 1, "duplicate": -0.1}])",
       "timeline[0].duplicate", "-0.1", "a probability, a number in [0, 1]"},
      {"slow_link bidirectional not a boolean",
       R"([{"at_ms": 1, "action": "slow_link", "from": 0, "to": 1, "loss": 0.1,
            "bidirectional": "yes"}])",
       "timeline[0].bidirectional", R"("yes")", "true or false"},
      {"slow_link missing to",
       R"([{"at_ms": 1, "action": "slow_link", "from": 0, "loss": 0.1}])", "timeline[0].to",
       "missing", "timeline[0].to: missing, expected a node id (0..4)"},
      {"slow_link with a node",
       R"([{"at_ms": 1, "action": "slow_link", "node": 0, "from": 0, "to": 1, "loss": 0.1}])",
       "timeline[0].node", R"(unknown field "node")",
       "one of the fields of a slow_link action: at_ms, action, label, from, to, latency, loss, "
       "duplicate, bidirectional, repeat"},
      {"restore_link with a latency",
       R"([{"at_ms": 1, "action": "restore_link", "from": 0, "to": 1,
            "latency": {"distribution": "constant", "ms": 1}}])",
       "timeline[0].latency", R"(unknown field "latency")",
       "one of the fields of a restore_link action: at_ms, action, label, from, to, "
       "bidirectional, repeat"},
      {"clock_drift without drift",
       R"([{"at_ms": 1, "action": "clock_drift", "node": 0}])", "timeline[0].drift_ppm",
       "missing", "timeline[0].drift_ppm: missing, expected an integer in -999999..10000000"},
      {"clock_drift too slow",
       R"([{"at_ms": 1, "action": "clock_drift", "node": 0, "drift_ppm": -1000000}])",
       "timeline[0].drift_ppm", "-1000000", "an integer in -999999..10000000"},
      {"clock_drift too fast",
       R"([{"at_ms": 1, "action": "clock_drift", "node": 0, "drift_ppm": 10000001}])",
       "timeline[0].drift_ppm", "10000001", "an integer in -999999..10000000"},
      {"clock_drift fractional",
       R"([{"at_ms": 1, "action": "clock_drift", "node": 0, "drift_ppm": 1.5}])",
       "timeline[0].drift_ppm", "1.5", "an integer in -999999..10000000"},
      {"clock_drift without node",
       R"([{"at_ms": 1, "action": "clock_drift", "drift_ppm": 5}])", "timeline[0].node",
       "missing", "timeline[0].node: missing, expected a node id (0..4)"},
      {"clock_drift misspelt action",
       R"([{"at_ms": 1, "action": "clock-drift", "node": 0, "drift_ppm": 5}])",
       "timeline[0].action", R"("clock-drift")",
       "slow_disk|slow_link|restore_link|clock_drift (did you mean \"clock_drift\"?)"},
      {"repeat not an object",
       R"([{"at_ms": 1, "action": "heal", "repeat": 3}])", "timeline[0].repeat", "3",
       "an object with the fields every_ms, times"},
      {"repeat unknown field",
       R"([{"at_ms": 1, "action": "heal", "repeat": {"every_ms": 5, "times": 2, "count": 3}}])",
       "timeline[0].repeat.count", R"(unknown field "count")",
       "one of the fields of repeat: every_ms, times"},
      {"repeat without every_ms",
       R"([{"at_ms": 1, "action": "heal", "repeat": {"times": 2}}])",
       "timeline[0].repeat.every_ms", "missing", "a number of milliseconds > 0"},
      {"repeat every 0",
       R"([{"at_ms": 1, "action": "heal", "repeat": {"every_ms": 0, "times": 2}}])",
       "timeline[0].repeat.every_ms", "0", "a number of milliseconds > 0"},
      {"repeat once", R"([{"at_ms": 1, "action": "heal", "repeat": {"every_ms": 5, "times": 1}}])",
       "timeline[0].repeat.times", "1", "an integer in 2..10000"},
      {"repeat too often",
       R"([{"at_ms": 1, "action": "heal", "repeat": {"every_ms": 0.001, "times": 10001}}])",
       "timeline[0].repeat.times", "10001", "an integer in 2..10000"},
      {"repeat without times",
       R"([{"at_ms": 1, "action": "heal", "repeat": {"every_ms": 5}}])",
       "timeline[0].repeat.times", "missing", "an integer in 2..10000"},
      {"repeat past the stop time",
       R"([{"at_ms": 25000, "action": "heal", "repeat": {"every_ms": 2000, "times": 4}}])",
       "timeline[0].repeat.times", "4",
       "such that every copy runs by stop.at_ms 30000 (from at_ms 25000 every 2000 ms, at most "
       "3 copies fit)"},
      {"repeat of a crash without a restart in between",
       R"([{"at_ms": 1000, "action": "crash", "node": 1, "repeat": {"every_ms": 1000, "times": 3}},
           {"at_ms": 1500, "action": "restart", "node": 1}])",
       "timeline[0].node", "1",
       "a running node (node 1 is already stopped by timeline[0] (crash at 2000 ms, repetition "
       "1)); in repetition 2 of timeline[0], at 3000 ms"},
      {"repeated restart without a crash in between",
       R"([{"at_ms": 1000, "action": "crash", "node": 1},
           {"at_ms": 1500, "action": "restart", "node": 1, "repeat": {"every_ms": 100, "times": 2}}])",
       "timeline[1].node", "1",
       "(node 1 is already restarted by timeline[1] (restart at 1500 ms)); in repetition 1 of "
       "timeline[1], at 1600 ms"},
      {"repeated pause without a resume",
       R"([{"at_ms": 1000, "action": "pause", "node": [1, 2], "repeat": {"every_ms": 100, "times": 2}}])",
       "timeline[0].node", "[1,2]",
       "a node that is not paused (node 1 is already paused by timeline[0] (pause at 1000 ms)); "
       "in repetition 1"},
      {"resume never paused", R"([{"at_ms": 1, "action": "resume", "node": 2}])",
       "timeline[0].node", "2",
       "a node that an earlier pause paused (no earlier action pauses node 2)"},
      {"resume twice",
       R"([{"at_ms": 1, "action": "pause", "node": 2}, {"at_ms": 2, "action": "resume", "node": 2},
           {"at_ms": 3, "action": "resume", "node": [2]}])",
       "timeline[2].node", "[2]",
       "(node 2 is already resumed by timeline[1] (resume at 2 ms))"},
      {"pause twice through a named set",
       R"([{"at_ms": 1, "action": "pause", "node": "brokers"},
           {"at_ms": 2, "action": "pause", "node": 4}])",
       "timeline[1].node", "4",
       "a node that is not paused (node 4 is already paused by timeline[0] (pause at 1 ms))"},
      {"label of a repeated action used by itself",
       R"([{"at_ms": 1, "action": "isolate", "node": "label:f", "label": "f",
            "repeat": {"every_ms": 5, "times": 2}}])",
       "timeline[0].node", R"("label:f")", "which is this action itself"},
      {"label of an action that runs later",
       R"([{"at_ms": 9, "action": "isolate", "node": 2, "label": "f",
            "repeat": {"every_ms": 5, "times": 2}},
           {"at_ms": 10, "action": "crash", "node": "label:f"},
           {"at_ms": 1, "action": "crash", "node": "label:f"}])",
       "timeline[2].node", R"("label:f")",
       "\"f\" labels timeline[0] (isolate at 9 ms), which does not run before timeline[2] (crash "
       "at 1 ms)"},
      {"label of a drop",
       R"([{"at_ms": 1, "action": "drop", "from": 0, "to": 1, "label": "d"},
           {"at_ms": 2, "action": "isolate", "node": "label:d"}])",
       "timeline[1].node", R"("label:d")",
       R"(the label of an earlier action on nodes (one with a "node"); "d" labels timeline[0] )"
       "(drop at 1 ms)"},
      {"controlled_shutdown of the controllers",
       R"([{"at_ms": 1, "action": "controlled_shutdown", "node": "controllers"}])",
       "timeline[0].node", R"("controllers")",
       R"(("controllers" names node 1, which runs only the controller role))", kMetadata},
      {"controlled_shutdown of a set with a controller",
       R"([{"at_ms": 1, "action": "controlled_shutdown", "node": [3, 2]}])",
       "timeline[0].node[1]", "2", "(node 2 runs only the controller role)", kMetadata},
      {"controlled_shutdown of the followers without combined controllers",
       R"([{"at_ms": 1, "action": "controlled_shutdown", "node": "followers"}])",
       "timeline[0].node", R"("followers")",
       "names a controller, and no controller runs the broker role: cluster.combined is 0",
       R"({"controllers": 3, "brokers": 2})"},
  });
}

TEST_CASE("the schema describes the new actions, selectors and repeat as the loader reads them") {
  std::ifstream in(std::string(KRAFTSIM_SOURCE_DIR) + "/scenarios/schema.json");
  REQUIRE(in.good());
  const json schema = json::parse(in);
  const json& defs = schema.at("$defs");
  std::map<std::string, std::set<std::string>> fields;
  for (const json& variant : defs.at("action").at("oneOf")) {
    std::set<std::string> names;
    for (const auto& [name, unused] : variant.at("properties").items()) names.insert(name);
    fields[variant.at("properties").at("action").at("const").get<std::string>()] = names;
  }
  CHECK(fields.at("slow_link") == std::set<std::string>{"at_ms", "action", "label", "repeat", "from",
                                                        "to", "latency", "loss", "duplicate",
                                                        "bidirectional"});
  CHECK(fields.at("restore_link") ==
        std::set<std::string>{"at_ms", "action", "label", "repeat", "from", "to", "bidirectional"});
  CHECK(fields.at("clock_drift") ==
        std::set<std::string>{"at_ms", "action", "label", "repeat", "node", "drift_ppm"});
  for (const auto& [action, names] : fields) {
    CAPTURE(action);
    CHECK(names.count("repeat") == 1);
  }
  CHECK(defs.at("repeat").at("properties").at("times").at("minimum") == 2);
  CHECK(defs.at("repeat").at("properties").at("times").at("maximum") == 10000);
  CHECK(defs.at("nodeSelectorOne").at("oneOf").at(1).at("enum") ==
        json::array({"leader", "follower", "any-follower", "random-controller", "random-node",
                     "random-broker", "controllers", "followers", "brokers", "all"}));
  CHECK(defs.at("restartSelectorOne").at("oneOf").at(1).at("enum") ==
        json::array({"controllers", "brokers", "all"}));
  // The README's examples of the timeline section parse.
  CHECK(outcome(R"([
    {"at_ms": 10000, "action": "slow_link", "from": 0, "to": [1, 2, 3], "bidirectional": true,
     "latency": {"distribution": "uniform", "min_ms": 50, "max_ms": 400}, "loss": 0.3},
    {"at_ms": 20000, "action": "restore_link", "from": 0, "to": [1, 2, 3], "bidirectional": true},
    {"at_ms": 10000, "action": "isolate", "node": "leader", "repeat": {"every_ms": 2000, "times": 5}},
    {"at_ms": 10500, "action": "heal", "repeat": {"every_ms": 2000, "times": 5}}
  ])") == "ok");
}
