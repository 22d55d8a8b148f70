// The sweep cases of `kraftsim compare` (see sweep.hh): a settled cluster, one crash of `down`
// voters or racks at the same instant, their restart, and a progress expectation over the second
// half of the fault window.
//
// Like the fuzz generator, the case is written as a scenario document and handed to the scenario
// loader, so the Scenario is exactly what its file replays and a mistake here is a ScenarioError
// rather than an odd run.
#include "sim/compare/sweep.hh"

#include <algorithm>
#include <vector>

#include <nlohmann/json.hpp>

#include "raft/common/assert.hh"
#include "sim/compare/racks.hh"
#include "sim/scenario/scenario_loader.hh"

namespace sim::compare {

std::string_view to_string(SweepKind k) {
  return k == SweepKind::VotersDown ? "voters-down" : "racks-down";
}

namespace {

using nlohmann::json;

constexpr std::int64_t kTopicsAtMs = 1000;  // the topics are created 1 s into the run

// The timing of a case, in milliseconds.
struct Window {
  std::int64_t fault_at = 0;       // the crash
  std::int64_t restart_at = 0;     // fault_at + hold
  std::int64_t progress_from = 0;  // fault_at + hold / 2 (whole milliseconds, rounded down)
  // restart_at - 1: what the restart commits at its own instant (a lone voter restarts as leader
  // and commits at once) must not count as progress made while the nodes were down.
  std::int64_t progress_to = 0;
  std::int64_t stop_at = 0;        // restart_at + recovery
};

Window window_of(const SweepSettings& s) {
  Window w;
  w.fault_at = s.fault_at_ms;
  w.restart_at = s.fault_at_ms + s.hold_ms;
  w.progress_from = s.fault_at_ms + s.hold_ms / 2;
  w.progress_to = std::max(w.progress_from, w.restart_at - 1);
  w.stop_at = w.restart_at + s.recovery_ms;
  return w;
}

// The racks a RacksDown case takes down, in crash order: (seed + i) % 3 for i < down.
std::vector<int> racks_down(int down, std::uint64_t seed) {
  std::vector<int> racks;
  const int first = static_cast<int>(seed % static_cast<std::uint64_t>(kRacks));
  for (int i = 0; i < down; ++i) racks.push_back((first + i) % kRacks);
  return racks;
}

// Milliseconds as seconds with at most one decimal: 10000 -> "10", 12500 -> "12.5".
std::string seconds(std::int64_t ms) {
  const std::int64_t tenths = (ms + 50) / 100;
  std::string out = std::to_string(tenths / 10);
  if (tenths % 10 != 0) out += "." + std::to_string(tenths % 10);
  return out;
}

// "1 follower", "2 followers".
std::string count_of(int n, const std::string& noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

// --- the scenario document ------------------------------------------------------------------

json cluster_json(int voters, const SweepSettings& s) {
  json cluster = {{"controllers", voters}, {"brokers", s.brokers}};
  if (s.brokers > 0) {
    json racks = json::object();
    for (int b = 0; b < s.brokers; ++b) racks[std::to_string(voters + b)] = rack_name(broker_rack(b));
    cluster["racks"] = racks;
  }
  return cluster;
}

json network_json() {
  return {{"latency", {{"distribution", "uniform"}, {"min_ms", 1}, {"max_ms", 5}}},
          {"loss", 0},
          {"duplicate", 0}};
}

json workload_json(const SweepSettings& s) {
  json topics = json::array();
  for (int i = 0; i < s.topics; ++i) {
    topics.push_back({{"name", "s" + std::to_string(i)},
                      {"partitions", s.partitions},
                      {"replication_factor", s.replication_factor}});
  }
  json admin = json::object();
  if (s.topics > 0) {
    admin["topics"] = topics;
    admin["topics_at_ms"] = kTopicsAtMs;
  }
  return {{"admin", admin}};
}

// The crashes at fault_at, each labelled, then the restarts of those labels at restart_at.
json timeline_json(SweepKind kind, int down, int voters, std::uint64_t seed,
                   const SweepSettings& s, const Window& w) {
  std::vector<std::string> labels;
  json timeline = json::array();
  if (kind == SweepKind::VotersDown) {
    for (int i = 0; i < down; ++i) {
      const std::string label = "down-" + std::to_string(i);
      timeline.push_back({{"at_ms", w.fault_at},
                          {"action", "crash"},
                          {"node", i == 0 ? "leader" : "follower"},
                          {"label", label}});
      labels.push_back(label);
    }
  } else {
    for (int rack : racks_down(down, seed)) {
      const std::vector<int> ids = rack_node_ids(rack, voters, s.brokers);
      if (ids.empty()) continue;  // a rack with no node (a tiny cluster): nothing to crash
      const std::string label = "down-" + rack_name(rack);
      timeline.push_back(
          {{"at_ms", w.fault_at}, {"action", "crash"}, {"node", ids}, {"label", label}});
      labels.push_back(label);
    }
  }
  for (const std::string& label : labels) {
    timeline.push_back({{"at_ms", w.restart_at},
                        {"action", "restart"},
                        {"node", "label:" + label},
                        {"label", "up" + label.substr(4)}});
  }
  return timeline;
}

// --- summary and description ------------------------------------------------------------------

// What crashes, e.g. "the leader and 1 follower crash", "rack-a (2 voters, 2 brokers) crashes".
std::string fault_phrase(SweepKind kind, int down, int voters, std::uint64_t seed,
                         const SweepSettings& s) {
  if (kind == SweepKind::VotersDown) {
    if (down == 1) return "the leader crashes";
    return "the leader and " + count_of(down - 1, "follower") + " crash";
  }
  std::string names;
  int down_voters = 0;
  int down_brokers = 0;
  const std::vector<int> racks = racks_down(down, seed);
  for (std::size_t i = 0; i < racks.size(); ++i) {
    if (i > 0) names += i + 1 == racks.size() ? " and " : ", ";
    names += rack_name(racks[i]);
    const int in_rack = voters_in_rack(racks[i], voters);
    down_voters += in_rack;
    down_brokers += static_cast<int>(rack_node_ids(racks[i], voters, s.brokers).size()) - in_rack;
  }
  return names + " (" + count_of(down_voters, "voter") + ", " + count_of(down_brokers, "broker") +
         ") " + (down == 1 ? "crashes" : "crash");
}

std::string summary_of(SweepKind kind, int down, int voters, std::uint64_t seed,
                       const SweepSettings& s, const Window& w) {
  std::string out = count_of(voters, "voter") + ", " + count_of(s.brokers, "broker") + ": ";
  if (down == 0) return out + "nothing crashes (the baseline)";
  return out + fault_phrase(kind, down, voters, seed, s) + " at " + seconds(w.fault_at) +
         " s, " + (down == 1 ? "restarts" : "restart") + " at " + seconds(w.restart_at) + " s";
}

std::string description_of(SweepKind kind, int down, const std::string& summary,
                           const Window& w) {
  return "Sweep case of kraftsim compare (" + std::string(to_string(kind)) + ", " +
         std::to_string(down) + " down): " + summary +
         ". Measurement, not a verdict: progress_between checks that the committed metadata "
         "log grew from " +
         std::to_string(w.progress_from) + " ms to " + std::to_string(w.progress_to) +
         " ms (the second half of the fault window); it fails exactly when the quorum stopped.";
}

}  // namespace

SweepCase sweep_case(SweepKind kind, int down, int voters, std::uint64_t seed,
                     const SweepSettings& settings) {
  const int max_down = kind == SweepKind::VotersDown ? voters : kRacks;
  KR_ASSERT(down >= 0 && down <= max_down,
            "sweep " << to_string(kind) << ": down " << down << " is outside 0.." << max_down);
  KR_ASSERT(settings.fault_at_ms >= 0 && settings.hold_ms > 0 && settings.recovery_ms >= 0,
            "sweep settings: fault_at_ms " << settings.fault_at_ms << ", hold_ms "
                                           << settings.hold_ms << ", recovery_ms "
                                           << settings.recovery_ms);
  const Window w = window_of(settings);

  SweepCase c;
  c.kind = kind;
  c.down = down;
  c.voters = voters;
  c.seed = seed;
  c.fault_start = Instant::from_ms(w.fault_at);
  c.fault_end = Instant::from_ms(w.restart_at);
  c.progress_from = Instant::from_ms(w.progress_from);
  c.progress_to = Instant::from_ms(w.progress_to);
  if (kind == SweepKind::VotersDown) {
    c.voters_down = down;
  } else {
    for (int rack : racks_down(down, seed)) c.voters_down += voters_in_rack(rack, voters);
  }
  c.summary = summary_of(kind, down, voters, seed, settings, w);

  const std::string name = "sweep-" + std::string(to_string(kind)) + "-" + std::to_string(down) +
                           "-v" + std::to_string(voters) + "-seed-" + std::to_string(seed);
  json doc = {{"name", name},
              {"description", description_of(kind, down, c.summary, w)},
              {"seed", seed},
              {"cluster", cluster_json(voters, settings)},
              {"network", network_json()},
              {"timeline", timeline_json(kind, down, voters, seed, settings, w)},
              {"stop", {{"at_ms", w.stop_at}}},
              {"expectations",
               json::array({{{"type", "progress_between"},
                             {"from_ms", w.progress_from},
                             {"to_ms", w.progress_to}}})}};
  if (settings.brokers > 0) doc["workload"] = workload_json(settings);
  c.scenario = parse_scenario(doc, name);
  c.scenario.source_path.clear();
  return c;
}

}  // namespace sim::compare
