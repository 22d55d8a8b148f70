// Setting edits for the shrinker (see setting_edits.hh).
#include "sim/fuzz/setting_edits.hh"

#include <algorithm>
#include <map>

#include "sim/fuzz/edit_text.hh"

namespace sim::fuzz {

namespace {

using Nothing = std::optional<std::string>;

TopicSpec* find_topic(Scenario& s, const std::string& name) {
  auto it = std::find_if(s.admin.topics.begin(), s.admin.topics.end(),
                         [&](const TopicSpec& t) { return t.name == name; });
  return it == s.admin.topics.end() ? nullptr : &*it;
}

SettingEdit remove_topic(const std::string& name) {
  return [name](Scenario& s) -> Nothing {
    if (find_topic(s, name) == nullptr) return std::nullopt;
    std::erase_if(s.admin.topics, [&](const TopicSpec& t) { return t.name == name; });
    return "removed topic " + name;
  };
}

// The topic's partitions to what `target` makes of the current count (if fewer).
SettingEdit fewer_partitions(const std::string& name, std::int32_t (*target)(std::int32_t)) {
  return [name, target](Scenario& s) -> Nothing {
    TopicSpec* topic = find_topic(s, name);
    if (topic == nullptr) return std::nullopt;
    const std::int32_t before = topic->partitions;
    const std::int32_t after = std::max<std::int32_t>(1, target(before));
    if (after >= before) return std::nullopt;
    topic->partitions = after;
    return "topic " + name + ": partitions " + std::to_string(before) + " -> " + std::to_string(after);
  };
}

Nothing remove_stream(Scenario& s) {
  const std::int64_t count = s.admin.create_stream.count;
  if (count == 0) return std::nullopt;
  s.admin.create_stream.count = 0;
  return "create stream removed (" + std::to_string(count) + " topics)";
}

Nothing halve_stream(Scenario& s) {
  const std::int64_t count = s.admin.create_stream.count;
  if (count < 2) return std::nullopt;
  s.admin.create_stream.count = count / 2;
  return "create stream: count " + std::to_string(count) + " -> " + std::to_string(count / 2);
}

Nothing no_duplication(Scenario& s) {
  Ppm& p = s.network.default_link.duplicate;
  if (p.value == 0) return std::nullopt;
  const std::string text = "network: duplicate " + percent_text(p) + " -> 0";
  p = Ppm{};
  return text;
}

Nothing no_loss(Scenario& s) {
  Ppm& p = s.network.default_link.loss;
  if (p.value == 0) return std::nullopt;
  const std::string text = "network: loss " + percent_text(p) + " -> 0";
  p = Ppm{};
  return text;
}

Nothing constant_latency(Scenario& s) {
  LatencySpec& latency = s.network.default_link.latency;
  LatencySpec constant;
  constant.distribution = LatencySpec::Distribution::Constant;
  constant.min = Duration::millis(1);
  if (latency.distribution == constant.distribution && latency.min == constant.min) {
    return std::nullopt;
  }
  const std::string text =
      "network: latency " + latency_text(latency) + " -> " + latency_text(constant);
  latency = constant;
  return text;
}

Nothing no_classes(Scenario& s) {
  const std::size_t n = s.network.classes.size();
  if (n == 0) return std::nullopt;
  s.network.classes.clear();
  return "network: removed " + std::to_string(n) + " class override(s)";
}

Nothing no_links(Scenario& s) {
  const std::size_t n = s.network.links.size();
  if (n == 0) return std::nullopt;
  s.network.links.clear();
  return "network: removed " + std::to_string(n) + " link override(s)";
}

// "0, 2" for the keys of a map keyed by node id.
template <class V>
std::string ids_text(const std::map<int, V>& by_id) {
  std::string out;
  for (const auto& [id, value] : by_id) out += (out.empty() ? "" : ", ") + std::to_string(id);
  return out;
}

Nothing no_node_configs(Scenario& s) {
  if (s.cluster.node_config.empty()) return std::nullopt;
  const std::string text = "removed the per-node configs of nodes " + ids_text(s.cluster.node_config);
  s.cluster.node_config.clear();
  return text;
}

Nothing fast_disks(Scenario& s) {
  if (s.disk.flush_latency == Duration::zero()) return std::nullopt;
  const std::string text = "disk: flush " + ms_text(s.disk.flush_latency) + " -> 0";
  s.disk.flush_latency = Duration::zero();
  return text;
}

Nothing no_node_disks(Scenario& s) {
  if (s.disk.node_flush_latency.empty()) return std::nullopt;
  const std::string text =
      "disk: removed the flush latencies of nodes " + ids_text(s.disk.node_flush_latency);
  s.disk.node_flush_latency.clear();
  return text;
}

}  // namespace

std::vector<SettingEdit> operation_edits(const Scenario& s) {
  std::vector<SettingEdit> edits;
  for (auto it = s.admin.topics.rbegin(); it != s.admin.topics.rend(); ++it) {
    edits.push_back(remove_topic(it->name));
  }
  for (const TopicSpec& topic : s.admin.topics) {
    edits.push_back(fewer_partitions(topic.name, [](std::int32_t) { return std::int32_t{1}; }));
    edits.push_back(fewer_partitions(topic.name, [](std::int32_t n) { return n / 2; }));
  }
  edits.push_back(remove_stream);
  edits.push_back(halve_stream);
  return edits;
}

std::vector<SettingEdit> network_and_disk_edits() {
  return {no_duplication, no_loss, constant_latency, no_classes,
          no_links,       no_node_configs, fast_disks, no_node_disks};
}

}  // namespace sim::fuzz
