// Tests of the fuzz case generator (sim/fuzz/generator.hh): determinism, valid scenario files
// for many seeds and both budgets, the within-tolerance budget (recomputed from the timeline
// with the header's conservative counting), frozen nodes, the heal-all and liveness phase, the
// settings and the swarm draws.
#include <doctest/doctest.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sim/fuzz/generator.hh"
#include "sim/scenario/scenario_loader.hh"
#include "sim/scenario/scenario_writer.hh"

namespace {

using sim::Action;
using sim::ActionType;
using sim::NodeSelector;
using sim::fuzz::Budget;
using sim::fuzz::default_profile;
using sim::fuzz::FuzzCase;
using sim::fuzz::generate_case;
using Kind = NodeSelector::Kind;

constexpr std::uint64_t kSeeds = 200;

// What a selector may take out, conservatively: "leader" and the random controller selectors
// count as one voter, "random-broker" as one broker, ids as what they are, labels as what the
// labelled action named.
struct Weight {
  int voters = 0;
  int brokers = 0;
};

class TimelineModel {
 public:
  explicit TimelineModel(const sim::Scenario& s) : s_(s) {
    for (std::size_t i = 0; i < s.timeline.size(); ++i) {
      if (!s.timeline[i].label.empty()) by_label_[s.timeline[i].label] = i;
    }
  }

  [[nodiscard]] Weight weight(const NodeSelector& sel) const {
    switch (sel.kind) {
      case Kind::Leader:
      case Kind::Follower:
      case Kind::RandomController: return {1, 0};
      case Kind::RandomBroker: return {0, 1};
      case Kind::RandomNode: return {1, 1};
      case Kind::Id: return is_voter(sel.id.value()) ? Weight{1, 0} : Weight{0, 1};
      case Kind::Label: {
        const Action& labelled = s_.timeline.at(by_label_.at(sel.label));
        REQUIRE(labelled.node.has_value());
        return weight(*labelled.node);
      }
      default: FAIL("unexpected selector kind in a fuzz case"); return {};
    }
  }

  // Voters a fault action takes out (0 for actions that take nothing out).
  [[nodiscard]] int voters_out(const Action& a) const {
    switch (a.type) {
      case ActionType::Crash:
      case ActionType::Shutdown:
      case ActionType::Pause:
      case ActionType::Isolate: return weight(*a.node).voters;
      case ActionType::Drop: {
        const bool voter_end = weight(*a.from).voters > 0 || weight(*a.to).voters > 0;
        return voter_end ? 1 : 0;
      }
      case ActionType::Partition: return partition_minority(a);
      default: return 0;
    }
  }

  // Voters outside the side surely holding the most voters: a "leader" selector in an earlier
  // group may take one voter from a later group.
  [[nodiscard]] int partition_minority(const Action& a) const {
    int best = 0;
    bool leader_before = false;
    for (const auto& group : a.groups) {
      int sure = 0;
      bool leader_here = false;
      for (const NodeSelector& m : group) {
        if (m.kind == Kind::Id && is_voter(m.id.value())) ++sure;
        if (m.kind == Kind::Leader) leader_here = true;
        CHECK((m.kind == Kind::Id || m.kind == Kind::Leader));
      }
      if (leader_before) sure = std::max(0, sure - 1);
      best = std::max(best, sure);
      leader_before = leader_before || leader_here;
    }
    return s_.cluster.controllers - best;
  }

  // Position of the action that ends the fault at position i (timeline.size() if none).
  [[nodiscard]] std::size_t end_of(std::size_t i) const {
    const Action& a = s_.timeline[i];
    const bool cut = a.type == ActionType::Isolate || a.type == ActionType::Partition ||
                     a.type == ActionType::Drop;
    for (std::size_t j = i + 1; j < s_.timeline.size(); ++j) {
      const Action& b = s_.timeline[j];
      if (cut && b.type == ActionType::Heal) return j;
      if (!cut && b.node && b.node->kind == Kind::Label && b.node->label == a.label &&
          (b.type == ActionType::Restart || b.type == ActionType::Resume)) {
        return j;
      }
    }
    return s_.timeline.size();
  }

  [[nodiscard]] bool is_voter(int id) const { return id < s_.cluster.controllers; }

 private:
  const sim::Scenario& s_;
  std::map<std::string, std::size_t> by_label_;
};

bool stops_node(ActionType t) {
  return t == ActionType::Crash || t == ActionType::Shutdown || t == ActionType::Wipe ||
         t == ActionType::ControlledShutdown;
}

// The most voters counted out at once (at the start of each fault, in run order).
int max_voters_out(const sim::Scenario& s) {
  const TimelineModel model(s);
  struct Open {
    int voters;
    std::size_t end;
  };
  std::vector<Open> open;
  int most = 0;
  for (std::size_t i = 0; i < s.timeline.size(); ++i) {
    const int voters = model.voters_out(s.timeline[i]);
    if (voters == 0) continue;
    int now = voters;
    for (const Open& o : open) {
      if (o.end > i) now += o.voters;
    }
    most = std::max(most, now);
    open.push_back({voters, model.end_of(i)});
  }
  return most;
}

// The stop actions never restarted: the frozen nodes, counted as voters and brokers.
Weight frozen(const sim::Scenario& s, std::size_t* count) {
  const TimelineModel model(s);
  Weight out;
  *count = 0;
  for (std::size_t i = 0; i < s.timeline.size(); ++i) {
    const Action& a = s.timeline[i];
    if (!stops_node(a.type) || model.end_of(i) < s.timeline.size()) continue;
    const Weight w = model.weight(*a.node);
    out.voters += w.voters;
    out.brokers += w.brokers;
    ++*count;
  }
  return out;
}

std::size_t heal_all_position(const sim::Scenario& s) {
  std::optional<std::size_t> found;
  for (std::size_t i = 0; i < s.timeline.size(); ++i) {
    if (s.timeline[i].label == sim::fuzz::kHealAllLabel) {
      CHECK_FALSE(found.has_value());
      found = i;
    }
  }
  REQUIRE(found.has_value());
  return *found;
}

bool is_undo(const Action& a) {
  switch (a.type) {
    case ActionType::Restart:
    case ActionType::Resume:
    case ActionType::RestoreLink: return true;
    case ActionType::SlowDisk: return a.flush_latency == sim::Duration::zero();
    case ActionType::ClockDrift: return a.drift_ppm == 0;
    default: return false;
  }
}

}  // namespace

TEST_CASE("fuzz generator: budget names") {
  CHECK(sim::fuzz::to_string(Budget::WithinTolerance) == "within");
  CHECK(sim::fuzz::to_string(Budget::BeyondTolerance) == "beyond");
  CHECK(sim::fuzz::budget_from_string("within") == Budget::WithinTolerance);
  CHECK(sim::fuzz::budget_from_string("beyond") == Budget::BeyondTolerance);
  CHECK_FALSE(sim::fuzz::budget_from_string("Within").has_value());
}

TEST_CASE("fuzz generator: the same seed gives the same case, other seeds other cases") {
  const auto profile = default_profile();
  const FuzzCase a = generate_case(profile, 17, Budget::WithinTolerance);
  const FuzzCase b = generate_case(profile, 17, Budget::WithinTolerance);
  CHECK(sim::scenario_to_text(a.scenario) == sim::scenario_to_text(b.scenario));
  CHECK(a.settings == b.settings);
  CHECK(a.summary == b.summary);

  std::set<std::string> texts;
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    texts.insert(sim::scenario_to_text(generate_case(profile, seed, Budget::WithinTolerance).scenario));
  }
  CHECK(texts.size() == 20);
  CHECK(generate_case(profile, 1, Budget::WithinTolerance).settings !=
        generate_case(profile, 2, Budget::WithinTolerance).settings);
}

TEST_CASE("fuzz generator: every case is a valid scenario file with the drawn settings") {
  const auto profile = default_profile();
  const raft::BugSet bugs{raft::Bug::RestartAsLeader, raft::Bug::NoCheckQuorum};
  for (Budget budget : {Budget::WithinTolerance, Budget::BeyondTolerance}) {
    for (std::uint64_t seed = 0; seed < kSeeds; ++seed) {
      CAPTURE(seed);
      CAPTURE(sim::fuzz::to_string(budget));
      const FuzzCase c = generate_case(profile, seed, budget, bugs);
      const sim::Scenario& s = c.scenario;

      // The file loads back and writes the same text.
      const std::string text = sim::scenario_to_text(s);
      const sim::Scenario back = sim::parse_scenario_text(text, "fuzz.json");
      REQUIRE(sim::scenario_to_text(back) == text);

      CHECK(c.seed == seed);
      CHECK(c.budget == budget);
      CHECK(s.seed == seed);
      CHECK(s.name == "fuzz-seed-" + std::to_string(seed));
      CHECK(s.bugs == bugs);
      CHECK(s.source_path.empty());
      CHECK(s.cluster.state_machine == sim::StateMachineChoice::Metadata);
      for (std::size_t i = 0; i < s.timeline.size(); ++i) {
        CHECK(s.timeline[i].index == i);
        CHECK(s.timeline[i].repetition == 0);
      }

      // Settings.
      const auto& set = c.settings;
      CHECK(set["seed"] == seed);
      CHECK(set["budget"] == std::string(sim::fuzz::to_string(budget)));
      CHECK(set["controllers"] == s.cluster.controllers);
      CHECK(set["brokers"] == s.cluster.brokers);
      CHECK(set["actions"] == s.timeline.size());
      CHECK(set["liveness_ms"] == profile.liveness_ms);
      CHECK(set["topics"].size() == s.admin.topics.size());
      const std::int64_t safety_ms = set["safety_ms"].get<std::int64_t>();
      CHECK(safety_ms >= profile.safety_ms.min);
      CHECK(safety_ms <= profile.safety_ms.max);
      CHECK(s.stop.at == sim::Instant::from_ms(safety_ms + profile.liveness_ms));
      CHECK(s.stop.events_max == profile.events_max);
      CHECK(c.summary.rfind("seed " + std::to_string(seed) + " (" +
                                std::string(sim::fuzz::to_string(budget)) + "): ",
                            0) == 0);

      // Topics: created at 1 s, replication factor within the broker count.
      for (const sim::TopicSpec& t : s.admin.topics) {
        CHECK(t.replication_factor <= s.cluster.brokers);
        CHECK(s.admin.topics_at == sim::Instant::from_ms(1000));
      }

      // The phases: faults in [1 s, safety_ms), heal-all at safety_ms followed by undos only.
      const std::size_t heal_all = heal_all_position(s);
      CHECK(s.timeline[heal_all].type == ActionType::Heal);
      CHECK(s.timeline[heal_all].at == sim::Instant::from_ms(safety_ms));
      for (std::size_t i = 0; i < s.timeline.size(); ++i) {
        const Action& a = s.timeline[i];
        if (i > heal_all) {
          CHECK(a.at == sim::Instant::from_ms(safety_ms));
          CHECK(is_undo(a));
        } else {
          CHECK(a.at >= sim::Instant::from_ms(1000));
        }
        if (!a.label.empty() && i != heal_all) CHECK(a.label[0] == 'f');
      }

      // Frozen nodes: the stops never undone.
      std::size_t frozen_count = 0;
      const Weight down = frozen(s, &frozen_count);
      CHECK(set["frozen"].size() == frozen_count);

      const int f = (s.cluster.controllers - 1) / 2;
      if (budget == Budget::WithinTolerance) {
        CHECK(max_voters_out(s) <= f);
        CHECK(down.voters <= f);
        CHECK(down.brokers <= s.cluster.brokers - 1);
        REQUIRE(s.expectations.size() == 4);
        const std::vector<std::string> names = {"active_controller", "brokers_unfenced",
                                                "live_partitions_led", "caught_up"};
        for (std::size_t i = 0; i < 4; ++i) {
          const sim::Expectation& e = s.expectations[i];
          CHECK(e.name == names[i]);
          CHECK(e.type == sim::ExpectationType::State);
          CHECK(e.timing.kind == sim::Timing::Kind::Within);
          CHECK(e.timing.after == sim::fuzz::kHealAllLabel);
          CHECK(e.timing.within == sim::Duration::millis(profile.liveness_ms));
          CHECK_FALSE(e.description.empty());
        }
      } else {
        CHECK(s.expectations.empty());
      }
    }
  }
}

TEST_CASE("fuzz generator: the budget makes the difference in voters out") {
  const auto profile = default_profile();
  int beyond_over_f = 0;
  for (std::uint64_t seed = 0; seed < kSeeds; ++seed) {
    const sim::Scenario s = generate_case(profile, seed, Budget::BeyondTolerance).scenario;
    if (max_voters_out(s) > (s.cluster.controllers - 1) / 2) ++beyond_over_f;
  }
  // Beyond the tolerance, many seeds take more than f voters out at some point.
  CHECK(beyond_over_f > static_cast<int>(kSeeds) / 4);
}

TEST_CASE("fuzz generator: every fault is undone or frozen") {
  const auto profile = default_profile();
  for (std::uint64_t seed = 0; seed < 50; ++seed) {
    CAPTURE(seed);
    const sim::Scenario s = generate_case(profile, seed, Budget::WithinTolerance).scenario;
    std::set<std::string> undone;  // labels named by an undo
    for (const Action& a : s.timeline) {
      if (is_undo(a) && a.node && a.node->kind == Kind::Label) undone.insert(a.node->label);
    }
    std::map<std::string, std::size_t> restore_links;  // from id -> count
    for (const Action& a : s.timeline) {
      if (a.type == ActionType::RestoreLink) ++restore_links[std::to_string(a.from->id.value())];
    }
    for (const Action& a : s.timeline) {
      CAPTURE(a.label);
      switch (a.type) {
        case ActionType::Pause: CHECK(undone.count(a.label) == 1); break;
        case ActionType::SlowDisk:
          if (a.flush_latency > sim::Duration::zero()) CHECK(undone.count(a.label) == 1);
          break;
        case ActionType::ClockDrift:
          if (a.drift_ppm != 0) {
            CHECK(undone.count(a.label) == 1);
            CHECK(a.drift_ppm >= -300'000);
            CHECK(a.drift_ppm <= 300'000);
          }
          break;
        case ActionType::SlowLink:
          CHECK(a.to->kind == Kind::All);
          CHECK(restore_links[std::to_string(a.from->id.value())] >= 1);
          break;
        default: break;
      }
    }
  }
}

TEST_CASE("fuzz generator: swarm, every kind is on in some seeds and off in others") {
  const auto profile = default_profile();
  std::map<std::string, int> on;
  for (std::uint64_t seed = 0; seed < kSeeds; ++seed) {
    const FuzzCase c = generate_case(profile, seed, Budget::WithinTolerance);
    for (const auto& [kind, drawn] : c.settings["faults"].items()) {
      ++on[kind];
      const auto fault_kind = sim::fuzz::fault_kind_from_string(kind);
      REQUIRE(fault_kind.has_value());
      const auto range = profile.fault(*fault_kind).mean_interval_ms;
      CHECK(drawn["mean_interval_ms"] >= range.min);
      CHECK(drawn["mean_interval_ms"] <= range.max);
    }
  }
  for (sim::fuzz::FaultKind k : sim::fuzz::kAllFaultKinds) {
    CAPTURE(sim::fuzz::to_string(k));
    const int seeds_on = on[std::string(sim::fuzz::to_string(k))];
    CHECK(seeds_on > 0);
    CHECK(seeds_on < static_cast<int>(kSeeds));
  }
}

TEST_CASE("fuzz generator: a kind never on never appears, a kind always on always does") {
  auto profile = default_profile();
  for (auto& f : profile.faults) f.enabled = sim::Ppm{0};
  profile.faults[static_cast<std::size_t>(sim::fuzz::FaultKind::ClockDrift)].enabled =
      sim::Ppm{sim::Ppm::kOne};
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    const FuzzCase c = generate_case(profile, seed, Budget::WithinTolerance);
    CHECK(c.settings["faults"].size() == 1);
    CHECK(c.settings["faults"].contains("clock_drift"));
    for (const Action& a : c.scenario.timeline) {
      CHECK((a.type == ActionType::ClockDrift || a.type == ActionType::Heal));
    }
  }
}

TEST_CASE("fuzz generator: edge profiles still give valid files") {
  auto profile = default_profile();
  for (auto& f : profile.faults) f.enabled = sim::Ppm{sim::Ppm::kOne};
  SUBCASE("no brokers: no topics, no broker faults") {
    profile.brokers = {0, 0};
    std::size_t frozen_nodes = 0;
    for (std::uint64_t seed = 0; seed < 30; ++seed) {
      const FuzzCase c = generate_case(profile, seed, Budget::WithinTolerance);
      frozen_nodes += c.settings["frozen"].size();
      const std::string text = sim::scenario_to_text(c.scenario);
      CHECK(sim::scenario_to_text(sim::parse_scenario_text(text, "x")) == text);
      CHECK(c.scenario.admin.topics.empty());
      for (const Action& a : c.scenario.timeline) {
        CHECK(a.type != ActionType::ControlledShutdown);
        CHECK(a.type != ActionType::Wipe);
        CHECK(a.type != ActionType::CreateTopic);
      }
    }
    CHECK(frozen_nodes > 0);  // voters may stay down although no broker can
  }
  SUBCASE("one voter: within the tolerance nothing takes it out") {
    profile.controllers = {1};
    for (std::uint64_t seed = 0; seed < 30; ++seed) {
      const sim::Scenario s = generate_case(profile, seed, Budget::WithinTolerance).scenario;
      CHECK(max_voters_out(s) == 0);
      const std::string text = sim::scenario_to_text(s);
      CHECK(sim::scenario_to_text(sim::parse_scenario_text(text, "x")) == text);
    }
  }
  SUBCASE("frequent faults of every kind, beyond the tolerance") {
    for (auto& f : profile.faults) f.mean_interval_ms = {1000, 2000};
    for (std::uint64_t seed = 0; seed < 5; ++seed) {
      const FuzzCase c = generate_case(profile, seed, Budget::BeyondTolerance);
      const std::string text = sim::scenario_to_text(c.scenario);
      CHECK(sim::scenario_to_text(sim::parse_scenario_text(text, "x")) == text);
      CHECK(c.scenario.timeline.size() > 50);
    }
  }
}
