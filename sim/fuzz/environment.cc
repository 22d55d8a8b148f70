#include "sim/fuzz/environment.hh"

#include <algorithm>

#include "sim/fuzz/fault_schedule.hh"

namespace sim::fuzz::detail {

using nlohmann::json;

EnvironmentDraws draw_environment(const Profile& p, const Prng& root, int brokers) {
  EnvironmentDraws e;
  Prng network = root.fork("network");
  e.latency_max_ms = network.uniform(p.latency_max_ms.min, p.latency_max_ms.max);
  e.loss_ppm = network.uniform(p.loss_ppm.min, p.loss_ppm.max);
  e.duplicate_ppm = network.uniform(p.duplicate_ppm.min, p.duplicate_ppm.max);

  Prng workload = root.fork("workload");
  const std::int64_t topics = workload.uniform(p.topics.min, p.topics.max);
  for (std::int64_t i = 0; brokers > 0 && i < topics; ++i) {
    TopicDraw t;
    t.name = "t" + std::to_string(i);
    t.partitions = workload.uniform(p.partitions.min, p.partitions.max);
    t.replication_factor = std::min<std::int64_t>(
        workload.uniform(p.replication_factor.min, p.replication_factor.max), brokers);
    e.topics.push_back(std::move(t));
  }
  return e;
}

json network_json(const EnvironmentDraws& e) {
  auto ppm = [](std::int64_t v) { return Ppm{static_cast<std::uint32_t>(v)}; };
  return {{"latency", {{"distribution", "uniform"}, {"min_ms", 1}, {"max_ms", e.latency_max_ms}}},
          {"loss", probability_json(ppm(e.loss_ppm))},
          {"duplicate", probability_json(ppm(e.duplicate_ppm))}};
}

json topics_json(const EnvironmentDraws& e) {
  json topics = json::array();
  for (const TopicDraw& t : e.topics) {
    topics.push_back({{"name", t.name},
                      {"partitions", t.partitions},
                      {"replication_factor", t.replication_factor}});
  }
  return topics;
}

json network_settings_json(const EnvironmentDraws& e) {
  return {{"latency_max_ms", e.latency_max_ms},
          {"loss_ppm", e.loss_ppm},
          {"duplicate_ppm", e.duplicate_ppm}};
}

std::string percent(std::int64_t ppm) {
  const std::int64_t hundredths = (ppm + 50) / 100;
  std::string out = std::to_string(hundredths / 100);
  std::string fraction = std::to_string(hundredths % 100);
  fraction.insert(0, 2 - fraction.size(), '0');
  while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  if (!fraction.empty()) out += "." + fraction;
  return out;
}

}  // namespace sim::fuzz::detail
