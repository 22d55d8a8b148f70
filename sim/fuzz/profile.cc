// Fuzz profiles (see profile.hh): the built-in default, reading a profile document with the
// scenario loader's precise errors, and writing one back.
//
// Layout of this file:
//   1. fault kind names and the built-in default
//   2. reading: ranges, probabilities, the fault table, the whole document, files
//   3. writing
#include "sim/fuzz/profile.hh"

#include <charconv>
#include <fstream>
#include <sstream>
#include <system_error>
#include <utility>

#include "sim/fuzz/fault_schedule.hh"
#include "sim/scenario/document_builder.hh"
#include "sim/scenario/json_path.hh"
#include "sim/scenario/json_reader.hh"
#include "sim/scenario/scenario_loader.hh"

namespace sim::fuzz {

// ---------------------------------------------------------------------------------------------
// 1. Names and the default

std::string_view to_string(FaultKind k) {
  switch (k) {
    case FaultKind::Crash: return "crash";
    case FaultKind::Shutdown: return "shutdown";
    case FaultKind::Pause: return "pause";
    case FaultKind::Isolate: return "isolate";
    case FaultKind::Partition: return "partition";
    case FaultKind::OneWayDrop: return "one_way_drop";
    case FaultKind::SlowLink: return "slow_link";
    case FaultKind::SlowDisk: return "slow_disk";
    case FaultKind::ClockDrift: return "clock_drift";
    case FaultKind::CorrelatedCrash: return "correlated_crash";
    case FaultKind::ControlledShutdown: return "controlled_shutdown";
    case FaultKind::BrokerWipe: return "broker_wipe";
    case FaultKind::AdminOps: return "admin_ops";
  }
  return "?";
}

std::optional<FaultKind> fault_kind_from_string(std::string_view name) {
  for (FaultKind k : kAllFaultKinds) {
    if (to_string(k) == name) return k;
  }
  return std::nullopt;
}

namespace {

// A fault kind's defaults: probability on (ppm), mean interval range and duration range (ms).
FaultProfile fault(std::uint32_t enabled_ppm, IntRange mean_interval, IntRange duration) {
  return FaultProfile{Ppm{enabled_ppm}, mean_interval, duration};
}

}  // namespace

Profile default_profile() {
  Profile p;
  p.controllers = {3, 5};
  p.brokers = {3, 6};
  p.safety_ms = {20'000, 40'000};
  p.liveness_ms = 30'000;
  p.events_max = 20'000'000;
  p.config_jitter = Ppm{500'000};
  p.election_timeout_ms = {100, 2000};
  p.fetch_timeout_ms = {1000, 4000};
  p.latency_max_ms = {2, 20};
  p.loss_ppm = {0, 10'000};
  p.duplicate_ppm = {0, 10'000};
  p.topics = {1, 3};
  p.partitions = {1, 8};
  p.replication_factor = {1, 3};
  auto set = [&p](FaultKind k, FaultProfile f) { p.faults[static_cast<std::size_t>(k)] = f; };
  set(FaultKind::Crash, fault(500'000, {4000, 12'000}, {50, 20'000}));
  set(FaultKind::Shutdown, fault(400'000, {6000, 15'000}, {8000, 25'000}));
  set(FaultKind::Pause, fault(400'000, {6000, 15'000}, {100, 15'000}));
  set(FaultKind::Isolate, fault(500'000, {6000, 15'000}, {100, 15'000}));
  set(FaultKind::Partition, fault(400'000, {8000, 20'000}, {100, 15'000}));
  set(FaultKind::OneWayDrop, fault(400'000, {6000, 15'000}, {100, 15'000}));
  set(FaultKind::SlowLink, fault(400'000, {6000, 15'000}, {100, 20'000}));
  set(FaultKind::SlowDisk, fault(500'000, {4000, 12'000}, {200, 20'000}));
  set(FaultKind::ClockDrift, fault(300'000, {8000, 20'000}, {1000, 30'000}));
  set(FaultKind::CorrelatedCrash, fault(400'000, {8000, 20'000}, {50, 40'000}));
  set(FaultKind::ControlledShutdown, fault(300'000, {8000, 20'000}, {8000, 25'000}));
  set(FaultKind::BrokerWipe, fault(200'000, {10'000, 25'000}, {100, 20'000}));
  set(FaultKind::AdminOps, fault(500'000, {1000, 5000}, {1, 1}));
  return p;
}

// ---------------------------------------------------------------------------------------------
// 2. Reading

namespace {

using nlohmann::json;
using scenario_detail::int_range;
using scenario_detail::Object;
using scenario_detail::read_int;
using scenario_detail::read_probability;
using scenario_detail::read_uint64;
using scenario_detail::Reporter;

// Bounds of the values (ms fields are whole milliseconds here, unlike scenario times).
constexpr std::int64_t kMaxMs = 3'600'000;  // one hour
constexpr int kMaxVoters = 9;
constexpr std::int64_t kMaxBrokers = 64;  // the scenario loader's cluster.brokers bound
constexpr std::int64_t kMinSafetyMs = 1000;  // faults start at 1 s
constexpr std::int64_t kMaxLatencyMs = 60'000;
constexpr std::int64_t kMaxTopics = 100;
constexpr std::int64_t kMaxPartitions = 1000;
constexpr std::int64_t kMaxReplicationFactor = kMaxBrokers;

// What a range field reads: "min" and "max" (each optional: a missing one keeps `fallback`'s),
// each in [lo, hi], min <= max.
IntRange read_range(const Reporter& r, const json& value, const JsonPath& path, std::int64_t lo,
                    std::int64_t hi, IntRange fallback) {
  const std::string what = R"(a range {"min": a, "max": b}, each )" + int_range(lo, hi);
  if (!value.is_object()) r.bad(path, value, what);
  Object obj(r, value, path, "a range", {"min", "max"});
  IntRange out = fallback;
  if (const json* min = obj.find("min")) out.min = read_int(r, *min, obj.at("min"), lo, hi);
  if (const json* max = obj.find("max")) out.max = read_int(r, *max, obj.at("max"), lo, hi);
  if (out.min > out.max) {
    r.bad(path, value,
          "a range with min <= max (min " + std::to_string(out.min) + " > max " +
              std::to_string(out.max) + ")");
  }
  return out;
}

std::vector<std::string_view> kind_names() {
  std::vector<std::string_view> names;
  for (FaultKind k : kAllFaultKinds) names.push_back(to_string(k));
  return names;
}

FaultProfile read_fault(const Reporter& r, const json& value, const JsonPath& path,
                        FaultKind kind, FaultProfile fallback) {
  Object obj(r, value, path, "the profile of fault kind " + scenario_detail::quote(to_string(kind)),
             {"enabled", "mean_interval_ms", "duration_ms"});
  FaultProfile out = fallback;
  if (const json* enabled = obj.find("enabled")) {
    out.enabled = read_probability(r, *enabled, obj.at("enabled"));
  }
  if (const json* mean = obj.find("mean_interval_ms")) {
    out.mean_interval_ms =
        read_range(r, *mean, obj.at("mean_interval_ms"), 1, kMaxMs, fallback.mean_interval_ms);
  }
  if (const json* duration = obj.find("duration_ms")) {
    out.duration_ms =
        read_range(r, *duration, obj.at("duration_ms"), 1, kMaxMs, fallback.duration_ms);
  }
  return out;
}

void read_faults(const Reporter& r, const json& value, const JsonPath& path, Profile& p) {
  const std::vector<std::string_view> names = kind_names();
  Object obj(r, value, path, "faults (fault kinds)", names);
  for (FaultKind k : kAllFaultKinds) {
    const json* entry = obj.find(to_string(k));
    if (entry == nullptr) continue;
    auto& slot = p.faults[static_cast<std::size_t>(k)];
    slot = read_fault(r, *entry, obj.at(to_string(k)), k, slot);
  }
}

std::vector<int> read_controllers(const Reporter& r, const json& value, const JsonPath& path) {
  const std::string expected =
      "a non-empty array of voter counts, each " + int_range(1, kMaxVoters) + ", e.g. [3, 5]";
  if (!value.is_array() || value.empty()) r.bad(path, value, expected);
  std::vector<int> out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    out.push_back(static_cast<int>(read_int(r, value[i], path.index(i), 1, kMaxVoters)));
  }
  return out;
}

std::vector<std::string_view> top_fields() {
  return {"controllers",    "brokers",        "safety_ms",      "liveness_ms",
          "events_max",     "config_jitter",  "election_timeout_ms", "fetch_timeout_ms",
          "latency_max_ms", "loss_ppm",       "duplicate_ppm",  "topics",
          "partitions",     "replication_factor", "faults"};
}

}  // namespace

Profile parse_profile(const nlohmann::json& doc, const std::string& source_name) {
  const Reporter r(source_name);
  Object top(r, doc, JsonPath(), "a fuzz profile", top_fields());
  Profile p = default_profile();
  auto range = [&](std::string_view name, std::int64_t lo, std::int64_t hi, IntRange& slot) {
    if (const json* v = top.find(name)) slot = read_range(r, *v, top.at(name), lo, hi, slot);
  };
  if (const json* v = top.find("controllers")) p.controllers = read_controllers(r, *v, top.at("controllers"));
  range("brokers", 0, kMaxBrokers, p.brokers);
  range("safety_ms", kMinSafetyMs, kMaxMs, p.safety_ms);
  if (const json* v = top.find("liveness_ms")) {
    p.liveness_ms = read_int(r, *v, top.at("liveness_ms"), 1, kMaxMs);
  }
  if (const json* v = top.find("events_max")) {
    p.events_max = read_uint64(r, *v, top.at("events_max"), 1);
  }
  if (const json* v = top.find("config_jitter")) {
    p.config_jitter = read_probability(r, *v, top.at("config_jitter"));
  }
  range("election_timeout_ms", 1, kMaxMs, p.election_timeout_ms);
  range("fetch_timeout_ms", 1, kMaxMs, p.fetch_timeout_ms);
  range("latency_max_ms", 1, kMaxLatencyMs, p.latency_max_ms);
  range("loss_ppm", 0, Ppm::kOne, p.loss_ppm);
  range("duplicate_ppm", 0, Ppm::kOne, p.duplicate_ppm);
  range("topics", 0, kMaxTopics, p.topics);
  range("partitions", 1, kMaxPartitions, p.partitions);
  range("replication_factor", 1, kMaxReplicationFactor, p.replication_factor);
  if (const json* v = top.find("faults")) read_faults(r, *v, top.at("faults"), p);
  return p;
}

Profile load_profile_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ScenarioError::unreadable(path);
  std::ostringstream contents;
  contents << in.rdbuf();
  if (in.bad()) throw ScenarioError::unreadable(path);
  const std::string text = contents.str();
  scenario_detail::DocumentBuilder builder;
  const bool ok = json::sax_parse(text.begin(), text.end(), &builder, json::input_format_t::json,
                                  /*strict=*/true, /*ignore_comments=*/false);
  if (!ok) {
    if (const auto& dup = builder.duplicate_key()) {
      throw ScenarioError(path, dup->str(), "a second value for this key",
                          "each key at most once per object");
    }
    const auto& error = builder.syntax_error();
    const std::size_t position = error ? error->position : 0;
    auto [line, column] = scenario_detail::line_and_column(text, position);
    throw ScenarioError::malformed(path, line, column, error ? error->token : "",
                                   error ? error->detail : "unknown syntax error");
  }
  return parse_profile(builder.root(), path);
}

// ---------------------------------------------------------------------------------------------
// 3. Writing

namespace {

json range_json(IntRange range) { return json{{"min", range.min}, {"max", range.max}}; }

}  // namespace

namespace detail {

// A probability in parts per million as the shortest decimal number that reads back to it
// (0.5, 0.000001; 0 and 1 as integers).
nlohmann::json probability_json(Ppm p) {
  if (p.value % Ppm::kOne == 0) return p.value / Ppm::kOne;
  std::string fraction = std::to_string(p.value % Ppm::kOne);
  fraction.insert(0, 6 - fraction.size(), '0');
  while (fraction.back() == '0') fraction.pop_back();
  const std::string text = "0." + fraction;
  double value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

}  // namespace detail

nlohmann::json profile_to_json(const Profile& p) {
  json faults = json::object();
  for (FaultKind k : kAllFaultKinds) {
    const FaultProfile& f = p.fault(k);
    faults[std::string(to_string(k))] = json{{"enabled", detail::probability_json(f.enabled)},
                                             {"mean_interval_ms", range_json(f.mean_interval_ms)},
                                             {"duration_ms", range_json(f.duration_ms)}};
  }
  return json{{"controllers", p.controllers},
              {"brokers", range_json(p.brokers)},
              {"safety_ms", range_json(p.safety_ms)},
              {"liveness_ms", p.liveness_ms},
              {"events_max", p.events_max},
              {"config_jitter", detail::probability_json(p.config_jitter)},
              {"election_timeout_ms", range_json(p.election_timeout_ms)},
              {"fetch_timeout_ms", range_json(p.fetch_timeout_ms)},
              {"latency_max_ms", range_json(p.latency_max_ms)},
              {"loss_ppm", range_json(p.loss_ppm)},
              {"duplicate_ppm", range_json(p.duplicate_ppm)},
              {"topics", range_json(p.topics)},
              {"partitions", range_json(p.partitions)},
              {"replication_factor", range_json(p.replication_factor)},
              {"faults", faults}};
}

}  // namespace sim::fuzz
