// The schedule cases of `kraftsim compare` (see schedule.hh): the cluster, network and workload of
// a seed, its fault plan (schedule_faults.hh) rendered for one quorum size, and the settings and
// summary that describe what was drawn.
//
// The draw order (every stream a named fork of Prng(seed).fork("compare"); none takes the voter
// count, so a seed draws the same case for every quorum size):
//   "cluster"   brokers, then the length of the fault phase (safety_ms);
//   "network"   the default link's latency max, loss, duplication;
//   "workload"  the topic count, then per topic its partitions and replication factor;
//   "swarm", "fault:<kind>"  the fault plan (schedule_faults.cc).
// The case is built as a scenario document and handed to the scenario loader, so the Scenario is
// exactly what its file replays and a mistake shows up as a ScenarioError.
#include "sim/compare/schedule.hh"

#include <algorithm>
#include <utility>

#include "raft/common/assert.hh"
#include "sim/compare/racks.hh"
#include "sim/compare/schedule_faults.hh"
#include "sim/fuzz/environment.hh"
#include "sim/fuzz/fault_schedule.hh"
#include "sim/prng.hh"
#include "sim/scenario/scenario_loader.hh"

namespace sim::compare {

namespace {

using nlohmann::json;

// The initial topics are created 3 s into the run: by then every broker has registered and been
// unfenced even over slow, lossy links (at 1 s, a replication factor of 3 often finds fewer than 3
// unfenced brokers and the creation fails with INVALID_REPLICATION_FACTOR, for good).
constexpr std::int64_t kTopicsAtMs = 3000;

// Everything drawn for a case apart from the fault plan.
struct Draws {
  int brokers = 0;
  std::int64_t safety_ms = 0;
  fuzz::detail::EnvironmentDraws env;  // network and topics
};

Draws draw_settings(const fuzz::Profile& p, const Prng& root) {
  Draws d;
  Prng cluster = root.fork("cluster");
  d.brokers = static_cast<int>(cluster.uniform(p.brokers.min, p.brokers.max));
  d.safety_ms = cluster.uniform(p.safety_ms.min, p.safety_ms.max);

  d.env = fuzz::detail::draw_environment(p, root, d.brokers);
  return d;
}

// --- the scenario document ------------------------------------------------------------------

json cluster_json(int voters, const Draws& d) {
  json cluster = {{"controllers", voters}, {"brokers", d.brokers}};
  if (d.brokers > 0) {
    json racks = json::object();
    for (int b = 0; b < d.brokers; ++b) {
      racks[std::to_string(voters + b)] = rack_name(broker_rack(b));
    }
    cluster["racks"] = racks;
  }
  return cluster;
}

// --- settings and summary -------------------------------------------------------------------

// Milliseconds as seconds with at most one decimal: 31200 -> "31.2", 30000 -> "30".
std::string seconds(std::int64_t ms) {
  const std::int64_t tenths = (ms + 50) / 100;
  std::string out = std::to_string(tenths / 10);
  if (tenths % 10 != 0) out += "." + std::to_string(tenths % 10);
  return out;
}

json settings_json(std::uint64_t seed, int voters, const fuzz::Profile& p, const Draws& d,
                   const detail::FaultPlan& plan, std::size_t actions) {
  json faults = json::object();
  for (const auto& [kind, mean] : plan.kinds_on) {
    faults[std::string(fuzz::to_string(kind))] = {{"mean_interval_ms", mean}};
  }
  return {{"seed", seed},
          {"voters", voters},
          {"brokers", d.brokers},
          {"safety_ms", d.safety_ms},
          {"recovery_ms", p.liveness_ms},
          {"network",
           fuzz::detail::network_settings_json(d.env)},
          {"topics", fuzz::detail::topics_json(d.env)},
          {"faults", faults},
          {"actions", actions}};
}

// "3 voters, 4 brokers; faults 31.2 s then 30 s of recovery; links 1-7 ms, loss 0.31%;
// crash/4.1s partition/9.3s; 23 actions" (the kinds on, with their mean intervals).
std::string summary_body(int voters, const fuzz::Profile& p, const Draws& d,
                         const detail::FaultPlan& plan, std::size_t actions) {
  std::string out = std::to_string(voters) + " voters, " + std::to_string(d.brokers) + " brokers";
  out += "; faults " + seconds(d.safety_ms) + " s then " + seconds(p.liveness_ms) +
         " s of recovery";
  out += "; links 1-" + std::to_string(d.env.latency_max_ms) + " ms, loss " +
         fuzz::detail::percent(d.env.loss_ppm) + "%;";
  if (plan.kinds_on.empty()) out += " no faults";
  for (const auto& [kind, mean] : plan.kinds_on) {
    out += " " + std::string(fuzz::to_string(kind)) + "/" + seconds(mean) + "s";
  }
  return out + "; " + std::to_string(actions) + " actions";
}

std::string description(std::uint64_t seed, std::int64_t safety_ms, std::int64_t recovery_ms,
                        const std::string& body) {
  return "Drawn by kraftsim compare from seed " + std::to_string(seed) + ": " + body +
         ". The same faults at the same times run against every quorum size compared: they name "
         "roles (\"leader\", \"follower\"), brokers and racks (nodes round-robin over rack-a, "
         "rack-b and rack-c), never voter ids. Faults from 5000 ms (the cluster has settled) to " +
         std::to_string(safety_ms) + " ms, then \"heal-all\" undoes every fault still open and " +
         "the run goes on for " + std::to_string(recovery_ms) +
         " ms. No expectations: compare measures availability, it does not judge.";
}

}  // namespace

ScheduleCase schedule_case(const fuzz::Profile& profile, std::uint64_t seed, int voters) {
  KR_ASSERT(voters >= 1 && voters <= 9, "a quorum of 1..9 voters, not " << voters);
  const Prng root = Prng(seed).fork("compare");
  const Draws d = draw_settings(profile, root);

  detail::PlanInput input;
  input.profile = &profile;
  input.brokers = d.brokers;
  input.safety_ms = d.safety_ms;
  input.first_free_topic = static_cast<int>(d.env.topics.size());
  detail::FaultPlan plan = detail::draw_fault_plan(root, input);

  const json timeline = detail::render_actions(plan, voters, d.brokers);
  const std::size_t actions = timeline.size();
  const std::string body = summary_body(voters, profile, d, plan, actions);
  const std::string name = "compare-v" + std::to_string(voters) + "-seed-" + std::to_string(seed);

  json doc = {{"name", name},
              {"description", description(seed, d.safety_ms, profile.liveness_ms, body)},
              {"seed", seed},
              {"cluster", cluster_json(voters, d)},
              {"network", fuzz::detail::network_json(d.env)},
              {"timeline", timeline},
              {"stop",
               {{"at_ms", d.safety_ms + profile.liveness_ms}, {"events_max", profile.events_max}}}};
  if (d.brokers > 0) {
    json admin = json::object();
    if (!d.env.topics.empty()) {
      admin["topics"] = fuzz::detail::topics_json(d.env);
      admin["topics_at_ms"] = kTopicsAtMs;
    }
    doc["workload"] = {{"admin", admin}};
  }

  ScheduleCase out;
  out.seed = seed;
  out.voters = voters;
  out.scenario = parse_scenario(doc, name);
  out.scenario.source_path.clear();
  out.settings = settings_json(seed, voters, profile, d, plan, actions);
  out.summary = "seed " + std::to_string(seed) + ": " + body;
  out.faults = std::move(plan.faults);
  return out;
}

}  // namespace sim::compare
