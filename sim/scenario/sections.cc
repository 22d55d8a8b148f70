// Parsers of the cluster, stop, network, disk and workload sections of a scenario (see
// sections.hh).
#include "sim/scenario/sections.hh"

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/scenario/selectors.hh"

namespace sim::scenario_detail {

namespace {

constexpr std::int64_t kMaxKafkaInt = std::numeric_limits<std::int32_t>::max();
constexpr std::int64_t kMaxKafkaLong = std::numeric_limits<std::int64_t>::max();
// The largest time in ms the scenario format accepts anywhere (10^12 ms, as for *_ms values), so
// that a Kafka long in ms still converts to microseconds without overflow.
constexpr std::int64_t kMaxConfigMs = 1'000'000'000'000;

// Kafka config name -> the ClusterSpec field it sets, its valid range and its unit for messages.
struct ConfigKey {
  std::string_view name;
  std::int64_t& (*field)(ClusterSpec&);
  std::int64_t min;       // 1 for timeouts and sizes, 0 where Kafka allows 0
  std::int64_t max;       // Kafka's int (2^31-1) or long (capped at 10^12 for times)
  std::string_view note;  // unit and meaning of the bounds, in the "expected" text
};

constexpr std::array<ConfigKey, 10> kConfigKeys = {{
    {"controller.quorum.election.timeout.ms",
     [](ClusterSpec& c) -> std::int64_t& { return c.config.election_timeout_ms; }, 1, kMaxKafkaInt,
     "milliseconds, a timeout must be positive"},
    {"controller.quorum.fetch.timeout.ms",
     [](ClusterSpec& c) -> std::int64_t& { return c.config.fetch_timeout_ms; }, 1, kMaxKafkaInt,
     "milliseconds, a timeout must be positive"},
    {"controller.quorum.election.backoff.max.ms",
     [](ClusterSpec& c) -> std::int64_t& { return c.config.election_backoff_max_ms; }, 1,
     kMaxKafkaInt, "milliseconds, a timeout must be positive"},
    {"controller.quorum.request.timeout.ms",
     [](ClusterSpec& c) -> std::int64_t& { return c.config.request_timeout_ms; }, 1, kMaxKafkaInt,
     "milliseconds, a timeout must be positive"},
    {"controller.quorum.retry.backoff.ms",
     [](ClusterSpec& c) -> std::int64_t& { return c.config.retry_backoff_ms; }, 0, kMaxKafkaInt,
     "milliseconds"},
    {"controller.quorum.append.linger.ms",
     [](ClusterSpec& c) -> std::int64_t& { return c.config.append_linger_ms; }, 0, kMaxKafkaInt,
     "milliseconds"},
    {"metadata.log.max.record.bytes.between.snapshots",
     [](ClusterSpec& c) -> std::int64_t& {
       return c.snapshot.max_record_bytes_between_snapshots;
     },
     1, kMaxKafkaLong, "bytes"},
    {"metadata.log.max.snapshot.interval.ms",
     [](ClusterSpec& c) -> std::int64_t& { return c.snapshot.max_snapshot_interval_ms; }, 0,
     kMaxConfigMs, "milliseconds, 0 disables time-based snapshots"},
    {"metadata.max.retention.bytes",
     [](ClusterSpec& c) -> std::int64_t& { return c.snapshot.max_retention_bytes; }, 1,
     kMaxKafkaLong, "bytes"},
    {"metadata.max.retention.ms",
     [](ClusterSpec& c) -> std::int64_t& { return c.snapshot.max_retention_ms; }, 1, kMaxConfigMs,
     "milliseconds"},
}};

// Reads "cluster.config" into the Raft and snapshot configuration of `cluster`.
void parse_config(const Reporter& r, const json& value, const JsonPath& path,
                  ClusterSpec& cluster) {
  std::vector<std::string_view> names;
  for (const ConfigKey& key : kConfigKeys) names.push_back(key.name);
  if (!value.is_object()) r.bad(path, value, "an object of Kafka config names to integers");
  for (const auto& [name, setting] : value.items()) {
    auto key = std::find_if(kConfigKeys.begin(), kConfigKeys.end(),
                            [&](const ConfigKey& k) { return k.name == name; });
    if (key == kConfigKeys.end()) {
      r.bad_text(path.field(name), "unknown config " + quote(name),
                 "one of the supported Kafka configs: " + join(names) + did_you_mean(name, names));
    }
    std::string expected = int_range(key->min, key->max) + " (" + std::string(key->note) + ")";
    key->field(cluster) = read_int(r, setting, path.field(name), key->min, key->max, expected);
  }
}

}  // namespace

ClusterSpec parse_cluster(const Reporter& r, const json& value, const JsonPath& path) {
  Object obj(r, value, path, "cluster", {"controllers", "brokers", "config"});
  ClusterSpec cluster;
  cluster.controllers = static_cast<int>(
      read_int(r, obj.need("controllers", int_range(1, 9)), obj.at("controllers"), 1, 9));
  if (const json* brokers = obj.find("brokers")) {
    cluster.brokers = static_cast<int>(read_int(r, *brokers, obj.at("brokers"), 0, 64));
  }
  if (const json* config = obj.find("config")) {
    parse_config(r, *config, obj.at("config"), cluster);
  }
  return cluster;
}

StopSpec parse_stop(const Reporter& r, const json& value, const JsonPath& path) {
  Object obj(r, value, path, "stop", {"at_ms", "events_max"});
  StopSpec stop;
  if (const json* at = obj.find("at_ms")) {
    stop.at = Instant::from_us(read_ms(r, *at, obj.at("at_ms"), Lower::Positive));
  }
  if (const json* events = obj.find("events_max")) {
    stop.events_max = read_uint64(r, *events, obj.at("events_max"), 1);
  }
  return stop;
}

namespace {

std::vector<std::string_view> distribution_names() {
  return {"constant", "uniform", "exponential"};
}

LatencySpec parse_latency(const Reporter& r, const json& value, const JsonPath& path) {
  std::string shapes =
      R"(an object: {"distribution": "constant", "ms": x}, {"distribution": "uniform", )"
      R"("min_ms": a, "max_ms": b} or {"distribution": "exponential", "min_ms": a, )"
      R"("mean_ms": m, "max_ms": cap})";
  if (!value.is_object()) r.bad(path, value, shapes);
  const std::vector<std::string_view> kinds = distribution_names();
  JsonPath kind_path = path.field("distribution");
  auto kind_it = value.find("distribution");
  if (kind_it == value.end()) {
    Object any(r, value, path, "a latency", {"distribution", "ms", "min_ms", "mean_ms", "max_ms"});
    r.missing(kind_path, join_quoted(kinds));
  }
  std::string kind = kind_it->is_string() ? kind_it->get<std::string>() : "";
  if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) {
    r.bad(kind_path, *kind_it, join_quoted(kinds) + did_you_mean(kind, kinds));
  }

  LatencySpec latency;
  std::string zero_ms = ms_expected(Lower::Zero);
  if (kind == "constant") {
    Object obj(r, value, path, "a constant latency", {"distribution", "ms"});
    latency.distribution = LatencySpec::Distribution::Constant;
    latency.min = Duration::micros(read_ms(r, obj.need("ms", zero_ms), obj.at("ms"), Lower::Zero));
    latency.max = latency.min;  // unused by Constant; keeps min <= max
    return latency;
  }
  bool uniform = kind == "uniform";
  Object obj(r, value, path, "an " + kind + " latency",
             uniform
                 ? std::vector<std::string_view>{"distribution", "min_ms", "max_ms"}
                 : std::vector<std::string_view>{"distribution", "min_ms", "mean_ms", "max_ms"});
  latency.distribution =
      uniform ? LatencySpec::Distribution::Uniform : LatencySpec::Distribution::Exponential;
  latency.min =
      Duration::micros(read_ms(r, obj.need("min_ms", zero_ms), obj.at("min_ms"), Lower::Zero));
  if (!uniform) {
    latency.mean = Duration::micros(read_ms(r, obj.need("mean_ms", ms_expected(Lower::Positive)),
                                            obj.at("mean_ms"), Lower::Positive));
  }
  std::string max_expected =
      "a number of milliseconds >= min_ms (" + format_ms(latency.min.us()) + ")";
  const json& max = obj.need("max_ms", max_expected);
  std::int64_t max_us = read_ms(r, max, obj.at("max_ms"), Lower::Zero);
  if (max_us < latency.min.us()) r.bad(obj.at("max_ms"), max, max_expected);
  latency.max = Duration::micros(max_us);
  return latency;
}

// Applies the optional "latency", "loss" and "duplicate" members of `obj` over `base`.
LinkSpec parse_link_fields(const Reporter& r, const Object& obj, LinkSpec base) {
  if (const json* latency = obj.find("latency")) {
    base.latency = parse_latency(r, *latency, obj.at("latency"));
  }
  if (const json* loss = obj.find("loss")) base.loss = read_probability(r, *loss, obj.at("loss"));
  if (const json* dup = obj.find("duplicate")) {
    base.duplicate = read_probability(r, *dup, obj.at("duplicate"));
  }
  return base;
}

void add_link(const Reporter& r, NetworkSpec& network,
              std::map<std::pair<int, int>, JsonPath>& seen, const LinkOverride& link,
              const JsonPath& path, const json& raw) {
  auto key = std::make_pair(link.from.value(), link.to.value());
  if (auto it = seen.find(key); it != seen.end()) {
    r.bad(path, raw,
          "each directed link at most once (" + it->second.str() + " already sets " +
              std::to_string(key.first) + " -> " + std::to_string(key.second) + ")");
  }
  seen.emplace(key, path);
  network.links.push_back(link);
}

}  // namespace

NetworkSpec parse_network(const Reporter& r, const json& value, const JsonPath& path,
                          int node_count) {
  Object obj(r, value, path, "network", {"latency", "loss", "duplicate", "links"});
  NetworkSpec network;
  network.default_link = parse_link_fields(r, obj, LinkSpec{});
  const json* links = obj.find("links");
  if (links == nullptr) return network;
  read_array(r, *links, obj.at("links"), "an array of link overrides");
  std::map<std::pair<int, int>, JsonPath> seen;
  for (std::size_t i = 0; i < links->size(); ++i) {
    const json& raw = (*links)[i];
    Object link(r, raw, obj.at("links").index(i), obj.at("links").index(i).str(),
                {"from", "to", "latency", "loss", "duplicate", "bidirectional"});
    std::string id_expected = "a node id " + node_range(node_count);
    LinkOverride link_override;
    link_override.from =
        read_node_id(r, link.need("from", id_expected), link.at("from"), node_count);
    link_override.to = read_node_id(r, link.need("to", id_expected), link.at("to"), node_count);
    if (link_override.to == link_override.from) {
      r.bad(link.at("to"), link.need("to", ""),
            "a node other than \"from\" (" + std::to_string(link_override.from.value()) + ")");
    }
    if (link.find("latency") == nullptr && link.find("loss") == nullptr &&
        link.find("duplicate") == nullptr) {
      r.bad(link.path(), raw, "at least one of latency, loss, duplicate (else it changes nothing)");
    }
    link_override.spec = parse_link_fields(r, link, network.default_link);
    bool both_ways = false;
    if (const json* bidirectional = link.find("bidirectional")) {
      both_ways = read_bool(r, *bidirectional, link.at("bidirectional"));
    }
    add_link(r, network, seen, link_override, link.path(), raw);
    if (both_ways) {
      LinkOverride reverse{link_override.to, link_override.from, link_override.spec};
      add_link(r, network, seen, reverse, link.path(), raw);
    }
  }
  return network;
}

DiskSpec parse_disk(const Reporter& r, const json& value, const JsonPath& path) {
  Object obj(r, value, path, "disk", {"flush_ms"});
  DiskSpec disk;
  disk.flush_latency = Duration::micros(
      read_ms(r, obj.need("flush_ms", ms_expected(Lower::Zero)), obj.at("flush_ms"), Lower::Zero));
  return disk;
}

WorkloadSpec parse_workload(const Reporter& r, const json& value, const JsonPath& path) {
  Object obj(r, value, path, "workload",
             {"append_interval_ms", "records_per_append", "record_bytes"});
  WorkloadSpec workload;
  workload.enabled = true;
  workload.interval =
      Duration::micros(read_ms(r, obj.need("append_interval_ms", ms_expected(Lower::Positive)),
                               obj.at("append_interval_ms"), Lower::Positive));
  if (const json* records = obj.find("records_per_append")) {
    workload.records_per_append =
        static_cast<int>(read_int(r, *records, obj.at("records_per_append"), 1, 10'000));
  }
  if (const json* bytes = obj.find("record_bytes")) {
    workload.record_bytes =
        static_cast<int>(read_int(r, *bytes, obj.at("record_bytes"), 1, 1'048'576));
  }
  return workload;
}

}  // namespace sim::scenario_detail
