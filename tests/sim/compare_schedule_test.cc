// Tests of the compare schedule cases (sim/compare/schedule.hh): the same faults at the same
// times for every quorum size (only the ids of brokers and racks follow the voter count),
// determinism, replay through the scenario writer, the switched-off profile, role targets, and
// short runs of 3 and 5 voters without invariant violations.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/compare/racks.hh"
#include "sim/compare/schedule.hh"
#include "sim/scenario/scenario_loader.hh"
#include "sim/scenario/scenario_writer.hh"
#include "sim/simulation.hh"

namespace {

using sim::Action;
using sim::ActionType;
using sim::NodeSelector;
using sim::compare::ScheduleCase;
using sim::compare::schedule_case;
using sim::fuzz::default_profile;
using Kind = NodeSelector::Kind;

constexpr std::uint64_t kSeeds = 50;
const std::vector<int> kSizes = {1, 3, 5, 7};

// Milliseconds as the faults list writes them: "12.345", "15".
std::string exact_seconds(std::int64_t ms) {
  std::string out = std::to_string(ms / 1000);
  std::string fraction = std::to_string(ms % 1000);
  fraction.insert(0, 3 - fraction.size(), '0');
  while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  return fraction.empty() ? out : out + "." + fraction;
}

std::vector<int> ids_of(const std::vector<NodeSelector>& members) {
  std::vector<int> out;
  for (const NodeSelector& m : members) {
    REQUIRE(m.kind == Kind::Id);
    out.push_back(m.id.value());
  }
  return out;
}

// The rack whose nodes are exactly `ids`, or -1; checked against the placement rule directly
// (voter v in rack v % 3, broker j = id voters + j in rack j % 3).
int rack_of(const std::vector<int>& ids, int voters, int brokers) {
  for (int rack = 0; rack < sim::compare::kRacks; ++rack) {
    std::vector<int> expected;
    for (int id = 0; id < voters + brokers; ++id) {
      const int r = id < voters ? id % 3 : (id - voters) % 3;
      if (r == rack) expected.push_back(id);
    }
    if (expected == ids) return rack;
  }
  return -1;
}

// A selector in voter-independent terms: its kind, and for an id the broker index; for a set, the
// rack it names.
std::string abstract(const NodeSelector& s, int voters, int brokers) {
  switch (s.kind) {
    case Kind::Leader: return "leader";
    case Kind::Follower: return "follower";
    case Kind::Label: return "label:" + s.label;
    case Kind::Id:
      REQUIRE(s.id.value() >= voters);  // only brokers are named by id
      return "broker " + std::to_string(s.id.value() - voters);
    case Kind::Set: {
      const int rack = rack_of(ids_of(s.members), voters, brokers);
      REQUIRE(rack >= 0);
      return "rack " + std::to_string(rack);
    }
    case Kind::Brokers: return "brokers";
    case Kind::All: return "all";
    default: FAIL("unexpected selector kind"); return {};
  }
}

// One action in voter-independent terms.
std::string abstract(const Action& a, int voters, int brokers) {
  std::string out = std::to_string(a.at.us()) + " " + std::string(sim::to_string(a.type)) + " " +
                    a.label;
  if (a.node) out += " node=" + abstract(*a.node, voters, brokers);
  if (a.from) out += " from=" + abstract(*a.from, voters, brokers);
  if (a.to) out += " to=" + abstract(*a.to, voters, brokers);
  for (const auto& group : a.groups) {
    REQUIRE(group.size() >= 1);
    out += " group=";
    const int rack = rack_of(ids_of(group), voters, brokers);
    // The first group is one rack; the second, the two other racks.
    out += rack >= 0 ? "rack " + std::to_string(rack) : "rest";
  }
  if (a.type == ActionType::Partition) {
    REQUIRE(a.groups.size() == 2);
    const std::vector<int> first = ids_of(a.groups[0]);
    const std::vector<int> second = ids_of(a.groups[1]);
    CHECK(first.size() + second.size() == static_cast<std::size_t>(voters + brokers));
    CHECK(rack_of(first, voters, brokers) >= 0);
  }
  return out;
}

std::vector<std::string> abstract_timeline(const ScheduleCase& c) {
  const int brokers = c.scenario.cluster.brokers;
  std::vector<std::string> out;
  for (const Action& a : c.scenario.timeline) out.push_back(abstract(a, c.voters, brokers));
  return out;
}

bool has_role_target(const ScheduleCase& c) {
  for (const Action& a : c.scenario.timeline) {
    for (const auto* s : {&a.node, &a.from, &a.to}) {
      if (*s && ((*s)->kind == Kind::Leader || (*s)->kind == Kind::Follower)) return true;
    }
  }
  return false;
}

// A profile that injects every kind, often.
sim::fuzz::Profile busy_profile() {
  sim::fuzz::Profile p = default_profile();
  for (auto& f : p.faults) {
    f.enabled = sim::Ppm{sim::Ppm::kOne};
    f.mean_interval_ms = {1000, 2000};
  }
  return p;
}

}  // namespace

TEST_CASE("compare schedule: the same faults at the same times for every quorum size") {
  const sim::fuzz::Profile profile = default_profile();
  std::size_t partitions = 0;
  std::size_t rack_crashes = 0;
  for (std::uint64_t seed = 0; seed < kSeeds; ++seed) {
    CAPTURE(seed);
    const ScheduleCase base = schedule_case(profile, seed, 3);
    const std::vector<std::string> base_timeline = abstract_timeline(base);
    nlohmann::json base_settings = base.settings;
    base_settings.erase("voters");
    for (int voters : kSizes) {
      CAPTURE(voters);
      const ScheduleCase c = schedule_case(profile, seed, voters);
      CHECK(c.faults == base.faults);
      CHECK(abstract_timeline(c) == base_timeline);
      CHECK(c.scenario.stop.at == base.scenario.stop.at);
      CHECK(c.scenario.cluster.controllers == voters);
      CHECK(c.scenario.cluster.brokers == base.scenario.cluster.brokers);
      CHECK(c.settings["voters"] == voters);
      nlohmann::json settings = c.settings;
      settings.erase("voters");
      CHECK(settings == base_settings);
    }
    for (const Action& a : base.scenario.timeline) {
      if (a.type == ActionType::Partition) ++partitions;
      if (a.type == ActionType::Crash && a.node->kind == Kind::Set) ++rack_crashes;
    }
  }
  // The comparison covered rack faults.
  CHECK(partitions > 0);
  CHECK(rack_crashes > 0);
}

TEST_CASE("compare schedule: rack faults name the rack's ids for each quorum size") {
  // Find a seed with a partition and a seed with a rack crash, then check their ids by hand.
  const sim::fuzz::Profile profile = busy_profile();
  const ScheduleCase c3 = schedule_case(profile, 4, 3);
  const ScheduleCase c5 = schedule_case(profile, 4, 5);
  const int brokers = c3.scenario.cluster.brokers;
  REQUIRE(brokers >= 3);
  bool saw_partition = false;
  bool saw_crash = false;
  REQUIRE(c3.scenario.timeline.size() == c5.scenario.timeline.size());
  for (std::size_t i = 0; i < c3.scenario.timeline.size(); ++i) {
    const Action& a3 = c3.scenario.timeline[i];
    const Action& a5 = c5.scenario.timeline[i];
    if (a3.type == ActionType::Partition) {
      saw_partition = true;
      const int rack = rack_of(ids_of(a3.groups[0]), 3, brokers);
      REQUIRE(rack >= 0);
      // 3 voters: voter `rack` alone; 5 voters: voters rack and rack + 3 when below 5.
      std::vector<int> voters5 = {rack};
      if (rack + 3 < 5) voters5.push_back(rack + 3);
      std::vector<int> got5 = ids_of(a5.groups[0]);
      got5.resize(voters5.size());  // voters come first (ascending ids)
      CHECK(got5 == voters5);
      CHECK(ids_of(a3.groups[0]).front() == rack);
      CHECK(ids_of(a5.groups[0]) == sim::compare::rack_node_ids(rack, 5, brokers));
    }
    if (a3.type == ActionType::Crash && a3.node->kind == Kind::Set) {
      saw_crash = true;
      const int rack = rack_of(ids_of(a3.node->members), 3, brokers);
      REQUIRE(rack >= 0);
      CHECK(rack_of(ids_of(a5.node->members), 5, brokers) == rack);
      // Rack b of 5 voters holds voters 1 and 4; rack c only voter 2.
      const std::vector<int> ids5 = ids_of(a5.node->members);
      const auto voters_in = std::count_if(ids5.begin(), ids5.end(), [](int id) { return id < 5; });
      CHECK(voters_in == (rack == 2 ? 1 : 2));
    }
  }
  CHECK(saw_partition);
  CHECK(saw_crash);
}

TEST_CASE("compare schedule: deterministic, named and shaped as the header says") {
  const sim::fuzz::Profile profile = default_profile();
  const ScheduleCase a = schedule_case(profile, 7, 5);
  const ScheduleCase b = schedule_case(profile, 7, 5);
  CHECK(sim::scenario_to_text(a.scenario) == sim::scenario_to_text(b.scenario));
  CHECK(a.faults == b.faults);
  CHECK(a.summary == b.summary);
  CHECK(a.settings == b.settings);
  CHECK(sim::scenario_to_text(schedule_case(profile, 8, 5).scenario) !=
        sim::scenario_to_text(a.scenario));

  CHECK(a.seed == 7);
  CHECK(a.voters == 5);
  CHECK(a.scenario.name == "compare-v5-seed-7");
  CHECK(a.scenario.seed == 7);
  CHECK(a.scenario.expectations.empty());
  CHECK(a.summary.rfind("seed 7: 5 voters, ", 0) == 0);
  for (const char* key : {"seed", "voters", "brokers", "safety_ms", "recovery_ms", "network",
                          "topics", "faults", "actions"}) {
    CHECK(a.settings.contains(key));
  }
  CHECK(a.settings["actions"] == a.scenario.timeline.size());
  const std::int64_t safety = a.settings["safety_ms"].get<std::int64_t>();
  CHECK(a.scenario.stop.at.us() == (safety + profile.liveness_ms) * 1000);

  // Every broker has its rack; dense action indices; heal-all at the end of the fault phase.
  const int brokers = a.scenario.cluster.brokers;
  CHECK(a.scenario.cluster.racks.size() == static_cast<std::size_t>(brokers));
  bool heal_all = false;
  for (std::size_t i = 0; i < a.scenario.timeline.size(); ++i) {
    const Action& act = a.scenario.timeline[i];
    CHECK(act.index == i);
    if (act.label == "heal-all") {
      heal_all = true;
      CHECK(act.type == ActionType::Heal);
      CHECK(act.at.us() == safety * 1000);
    }
    CHECK(act.at.us() <= safety * 1000);
  }
  CHECK(heal_all);
}

TEST_CASE("compare schedule: the faults list follows the labelled actions") {
  const sim::fuzz::Profile profile = busy_profile();
  for (std::uint64_t seed = 0; seed < 10; ++seed) {
    CAPTURE(seed);
    const ScheduleCase c = schedule_case(profile, seed, 3);
    std::vector<const Action*> faults;
    for (const Action& a : c.scenario.timeline) {
      if (!a.label.empty() && a.label.front() == 'f') faults.push_back(&a);
    }
    REQUIRE(faults.size() == c.faults.size());
    REQUIRE(!faults.empty());
    for (std::size_t i = 0; i < faults.size(); ++i) {
      const std::string prefix = exact_seconds(faults[i]->at.us() / 1000) + " s ";
      CHECK(c.faults[i].rfind(prefix, 0) == 0);
      CHECK(faults[i]->label == "f" + std::to_string(i));
    }
  }
  // One concrete line shape: a partition names its rack and lasts until its heal.
  bool found = false;
  for (std::uint64_t seed = 0; seed < 10 && !found; ++seed) {
    for (const std::string& line : schedule_case(profile, seed, 3).faults) {
      if (line.find(" partition rack-") != std::string::npos) {
        found = true;
        CHECK(line.find(" for ") != std::string::npos);
        CHECK(line.substr(line.size() - 2) == " s");
      }
    }
  }
  CHECK(found);
}

TEST_CASE("compare schedule: busy and tiny clusters load for every voter count") {
  sim::fuzz::Profile profile = busy_profile();
  profile.brokers = {0, 2};  // racks may be empty for some voter counts
  for (std::uint64_t seed = 0; seed < 10; ++seed) {
    CAPTURE(seed);
    const ScheduleCase base = schedule_case(profile, seed, 1);
    for (int voters = 1; voters <= 9; ++voters) {
      CAPTURE(voters);
      ScheduleCase c;
      REQUIRE_NOTHROW(c = schedule_case(profile, seed, voters));
      CHECK(c.faults == base.faults);
      CHECK(c.scenario.timeline.size() == base.scenario.timeline.size());
    }
  }
}

TEST_CASE("compare schedule: no faults when the profile switches every kind off") {
  sim::fuzz::Profile profile = default_profile();
  for (auto& f : profile.faults) f.enabled = sim::Ppm{0};
  for (std::uint64_t seed = 0; seed < 5; ++seed) {
    const ScheduleCase c = schedule_case(profile, seed, 3);
    CHECK(c.faults.empty());
    REQUIRE(c.scenario.timeline.size() == 1);  // heal-all only
    CHECK(c.scenario.timeline[0].label == "heal-all");
    CHECK(c.settings["faults"].empty());
    CHECK(c.summary.find("no faults") != std::string::npos);
  }
}

TEST_CASE("compare schedule: faults name roles") {
  const sim::fuzz::Profile profile = default_profile();
  int with_roles = 0;
  for (std::uint64_t seed = 0; seed <= 20; ++seed) {
    with_roles += has_role_target(schedule_case(profile, seed, 3)) ? 1 : 0;
  }
  CHECK(with_roles > 0);
}

TEST_CASE("compare schedule: written and reloaded, a case replays with the same trace hash") {
  const ScheduleCase c = schedule_case(default_profile(), 3, 3);
  const std::string text = sim::scenario_to_text(c.scenario);
  const sim::Scenario reloaded = sim::parse_scenario_text(text, "compare-v3-seed-3.json");
  CHECK(sim::scenario_to_text(reloaded) == text);
  const sim::RunResult first = sim::Simulation(c.scenario, c.seed).run();
  const sim::RunResult second = sim::Simulation(reloaded, c.seed).run();
  CHECK(first.trace_hash == second.trace_hash);
  CHECK(first.events == second.events);
  CHECK(first.outcome == sim::Outcome::Success);
}

TEST_CASE("compare schedule: runs of 3 and 5 voters complete without invariant violations") {
  const sim::fuzz::Profile profile = default_profile();
  for (std::uint64_t seed = 10; seed < 12; ++seed) {
    for (int voters : {3, 5}) {
      CAPTURE(seed);
      CAPTURE(voters);
      const ScheduleCase c = schedule_case(profile, seed, voters);
      const sim::RunResult r = sim::Simulation(c.scenario, c.seed).run();
      CHECK(r.outcome == sim::Outcome::Success);
      CHECK_FALSE(r.violation.has_value());
      CHECK(r.sim_time == c.scenario.stop.at);
    }
  }
}
