// The fuzz case generator (see generator.hh): the cluster, network and workload of a seed, its
// fault schedule (fault_schedule.hh), the liveness expectations, and the settings and summary
// that describe what was drawn.
//
// The case is built as a scenario document and handed to the scenario loader, so the returned
// Scenario is exactly what its file replays (every derived field as the loader computes it) and
// a generator mistake shows up as a ScenarioError rather than as an odd run.
#include "sim/fuzz/generator.hh"

#include <algorithm>
#include <array>
#include <utility>
#include <vector>

#include "sim/fuzz/environment.hh"
#include "sim/fuzz/fault_schedule.hh"
#include "sim/prng.hh"
#include "sim/scenario/scenario_loader.hh"

namespace sim::fuzz {

std::string_view to_string(Budget b) {
  return b == Budget::WithinTolerance ? "within" : "beyond";
}

std::optional<Budget> budget_from_string(std::string_view name) {
  if (name == "within") return Budget::WithinTolerance;
  if (name == "beyond") return Budget::BeyondTolerance;
  return std::nullopt;
}

namespace {

using nlohmann::json;

constexpr std::int64_t kTopicsAtMs = 1000;  // the initial topics are created 1 s into the run

// The liveness expectations, each "<type>" within liveness_ms after heal-all.
constexpr std::array<std::string_view, 4> kLivenessExpectations = {
    "active_controller", "brokers_unfenced", "live_partitions_led", "caught_up"};

// Per-node Raft timeouts of one controller (config jitter).
struct NodeTimeouts {
  int id = 0;
  std::int64_t election_ms = 0;
  std::int64_t fetch_ms = 0;
};

// Everything drawn for a case apart from the fault schedule.
struct Draws {
  int controllers = 3;
  int brokers = 0;
  std::int64_t safety_ms = 0;
  bool jitter = false;
  std::vector<NodeTimeouts> timeouts;  // when jitter
  detail::EnvironmentDraws env;  // network and topics
};

Draws draw_settings(const Profile& p, const Prng& fuzz) {
  Draws d;
  Prng cluster = fuzz.fork("cluster");
  d.controllers = p.controllers[static_cast<std::size_t>(
      cluster.next_int(static_cast<std::int64_t>(p.controllers.size())))];
  d.brokers = static_cast<int>(cluster.uniform(p.brokers.min, p.brokers.max));
  d.safety_ms = cluster.uniform(p.safety_ms.min, p.safety_ms.max);

  Prng config = fuzz.fork("config");
  d.jitter = config.chance(p.config_jitter);
  if (d.jitter) {
    for (int id = 0; id < d.controllers; ++id) {
      const std::int64_t election = detail::draw_log_uniform(config, p.election_timeout_ms);
      const std::int64_t fetch = config.uniform(p.fetch_timeout_ms.min, p.fetch_timeout_ms.max);
      d.timeouts.push_back({id, election, fetch});
    }
  }

  d.env = detail::draw_environment(p, fuzz, d.brokers);
  return d;
}

// --- the scenario document ------------------------------------------------------------------

json cluster_json(const Draws& d) {
  json cluster = {{"controllers", d.controllers}, {"brokers", d.brokers}};
  if (d.jitter) {
    json nodes = json::object();
    for (const NodeTimeouts& t : d.timeouts) {
      nodes[std::to_string(t.id)] = {{"controller.quorum.election.timeout.ms", t.election_ms},
                                     {"controller.quorum.fetch.timeout.ms", t.fetch_ms}};
    }
    cluster["node_config"] = nodes;
  }
  return cluster;
}

json expectations_json(Budget budget, std::int64_t liveness_ms) {
  json out = json::array();
  if (budget != Budget::WithinTolerance) return out;
  for (std::string_view type : kLivenessExpectations) {
    out.push_back({{"type", std::string(type)},
                   {"after", std::string(kHealAllLabel)},
                   {"within_ms", liveness_ms}});
  }
  return out;
}

// --- settings and summary -------------------------------------------------------------------

// Milliseconds as seconds with at most one decimal: 31200 -> "31.2", 30000 -> "30".
std::string seconds(std::int64_t ms) {
  const std::int64_t tenths = (ms + 50) / 100;
  std::string out = std::to_string(tenths / 10);
  if (tenths % 10 != 0) out += "." + std::to_string(tenths % 10);
  return out;
}

json settings_json(std::uint64_t seed, Budget budget, const Profile& p, const Draws& d,
                   const detail::FaultSchedule& schedule, std::size_t actions) {
  json config = {{"jitter", d.jitter}};
  if (d.jitter) {
    json nodes = json::object();
    for (const NodeTimeouts& t : d.timeouts) {
      nodes[std::to_string(t.id)] = {{"election_timeout_ms", t.election_ms},
                                     {"fetch_timeout_ms", t.fetch_ms}};
    }
    config["nodes"] = nodes;
  }
  json faults = json::object();
  for (const auto& [kind, mean] : schedule.kinds_on) {
    faults[std::string(to_string(kind))] = {{"mean_interval_ms", mean}};
  }
  return {{"seed", seed},
          {"budget", std::string(to_string(budget))},
          {"controllers", d.controllers},
          {"brokers", d.brokers},
          {"safety_ms", d.safety_ms},
          {"liveness_ms", p.liveness_ms},
          {"config", config},
          {"network", detail::network_settings_json(d.env)},
          {"topics", detail::topics_json(d.env)},
          {"faults", faults},
          {"frozen", schedule.frozen},
          {"actions", actions}};
}

// The drawn settings without the seed and budget: "5 controllers, 4 brokers; safety ...".
std::string summary_body(const Profile& p, const Draws& d,
                         const detail::FaultSchedule& schedule, std::size_t actions) {
  std::string out = std::to_string(d.controllers) + " controllers, " +
                    std::to_string(d.brokers) + " brokers";
  if (d.jitter) out += " (per-node timeouts)";
  out += "; safety " + seconds(d.safety_ms) + " s, liveness " + seconds(p.liveness_ms) + " s";
  out += "; links 1-" + std::to_string(d.env.latency_max_ms) + " ms, loss " + detail::percent(d.env.loss_ppm) +
         "%, dup " + detail::percent(d.env.duplicate_ppm) + "%";
  out += "; faults";
  if (schedule.kinds_on.empty()) out += " none";
  for (const auto& [kind, mean] : schedule.kinds_on) {
    out += " " + std::string(to_string(kind)) + "/" + seconds(mean) + "s";
  }
  if (!schedule.frozen.empty()) out += "; " + std::to_string(schedule.frozen.size()) + " frozen";
  out += "; " + std::to_string(actions) + " actions";
  return out;
}

std::string description(std::uint64_t seed, Budget budget, std::int64_t safety_ms,
                        std::int64_t liveness_ms, const std::string& body) {
  std::string out = "Drawn by the fuzz generator (kraftsim fuzz) from seed " +
                    std::to_string(seed) + ", budget " + std::string(to_string(budget)) + ": " +
                    body + ". Faults from 1000 ms to " +
                    std::to_string(safety_ms) + " ms (safety phase, every invariant checked), " +
                    "then \"heal-all\" at " + std::to_string(safety_ms) + " ms undoes every " +
                    "fault but the nodes left down (frozen)";
  if (budget == Budget::WithinTolerance) {
    out += "; never more than (controllers - 1) / 2 voters out at once, so within " +
           std::to_string(liveness_ms) +
           " ms of heal-all the cluster must have an active controller, every running broker "
           "unfenced, every live partition led and every node caught up";
  } else {
    out += "; beyond the fault tolerance, so liveness is not checked";
  }
  return out + ".";
}

}  // namespace

FuzzCase generate_case(const Profile& profile, std::uint64_t seed, Budget budget,
                       raft::BugSet bugs) {
  const Prng fuzz = Prng(seed).fork("fuzz");
  const Draws d = draw_settings(profile, fuzz);

  detail::ScheduleInput input;
  input.profile = &profile;
  input.budget = budget;
  input.controllers = d.controllers;
  input.brokers = d.brokers;
  input.safety_ms = d.safety_ms;
  input.first_free_topic = static_cast<int>(d.env.topics.size());
  detail::FaultSchedule schedule = detail::draw_fault_schedule(fuzz, input);

  json timeline = json::array();
  for (detail::TimedAction& a : schedule.actions) timeline.push_back(std::move(a.action));
  const std::size_t actions = timeline.size();
  const std::string body = summary_body(profile, d, schedule, actions);

  json doc = {{"name", "fuzz-seed-" + std::to_string(seed)},
              {"description",
               description(seed, budget, d.safety_ms, profile.liveness_ms, body)},
              {"seed", seed},
              {"cluster", cluster_json(d)},
              {"network", detail::network_json(d.env)},
              {"timeline", timeline},
              {"stop",
               {{"at_ms", d.safety_ms + profile.liveness_ms},
                {"events_max", profile.events_max}}},
              {"expectations", expectations_json(budget, profile.liveness_ms)}};
  if (d.brokers > 0) {
    json admin = json::object();
    if (!d.env.topics.empty()) {
      admin["topics"] = detail::topics_json(d.env);
      admin["topics_at_ms"] = kTopicsAtMs;
    }
    doc["workload"] = {{"admin", admin}};
  }
  if (!bugs.empty()) {
    json names = json::array();
    for (raft::Bug b : bugs) names.push_back(std::string(raft::to_string(b)));
    doc["bugs"] = names;
  }

  FuzzCase out;
  out.seed = seed;
  out.budget = budget;
  out.scenario = parse_scenario(doc, "fuzz seed " + std::to_string(seed));
  out.scenario.source_path.clear();
  out.settings = settings_json(seed, budget, profile, d, schedule, actions);
  out.summary = "seed " + std::to_string(seed) + " (" + std::string(to_string(budget)) + "): " + body;
  return out;
}

}  // namespace sim::fuzz
