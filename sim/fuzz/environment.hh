// The network and the initial topics of a drawn case, shared by the fuzzer (generator.cc) and
// `kraftsim compare` (sim/compare/schedule.cc): drawn from a profile's ranges, and written as the
// scenario file's "network" section and admin workload topics.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/fuzz/profile.hh"
#include "sim/prng.hh"

namespace sim::fuzz::detail {

struct TopicDraw {
  std::string name;  // "t0", "t1", ...
  std::int64_t partitions = 1;
  std::int64_t replication_factor = 1;  // capped by the broker count
};

struct EnvironmentDraws {
  std::int64_t latency_max_ms = 1;  // default link latency uniform in [1 ms, this]
  std::int64_t loss_ppm = 0;        // default link loss probability
  std::int64_t duplicate_ppm = 0;   // default link duplication probability
  std::vector<TopicDraw> topics;    // none when the cluster has no broker
};

// The network from root.fork("network"), then the topics from root.fork("workload").
EnvironmentDraws draw_environment(const Profile& p, const Prng& root, int brokers);

// The scenario's "network" section: uniform latency [1, max] ms, loss and duplication.
nlohmann::json network_json(const EnvironmentDraws& e);
// The admin workload's "topics" array.
nlohmann::json topics_json(const EnvironmentDraws& e);
// The drawn network as a case's settings list it: latency_max_ms, loss_ppm, duplicate_ppm.
nlohmann::json network_settings_json(const EnvironmentDraws& e);

// Parts per million as a percentage with at most two decimals, for one-line summaries:
// 3100 -> "0.31", 0 -> "0".
std::string percent(std::int64_t ppm);

}  // namespace sim::fuzz::detail
