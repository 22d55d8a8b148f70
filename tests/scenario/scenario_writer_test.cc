// Tests of the scenario writer (sim/scenario/scenario_writer.hh): every shipped scenario and
// hand-written documents using every feature of the format are loaded, written, loaded again and
// written again. The text must be a fixed point, the two parsed scenarios must be equal field by
// field, and the original and the rewritten scenario must run the same (trace hash and outcome).
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/scenario/scenario_loader.hh"
#include "sim/scenario/scenario_writer.hh"
#include "sim/simulation.hh"

namespace {

// ---------------------------------------------------------------------------------------------
// Field-by-field equality of two parsed scenarios (what "equivalent" means here). Descriptions
// are compared too: the loader derives them from the parsed fields.

bool same_selector(const sim::NodeSelector& a, const sim::NodeSelector& b) {
  if (a.kind != b.kind || a.id != b.id || a.label != b.label) return false;
  if (a.members.size() != b.members.size()) return false;
  for (std::size_t i = 0; i < a.members.size(); ++i) {
    if (!same_selector(a.members[i], b.members[i])) return false;
  }
  return true;
}

bool same_selector(const std::optional<sim::NodeSelector>& a,
                   const std::optional<sim::NodeSelector>& b) {
  if (a.has_value() != b.has_value()) return false;
  return !a || same_selector(*a, *b);
}

void check_same_action(const sim::Action& a, const sim::Action& b) {
  CAPTURE(a.index);
  CAPTURE(a.repetition);
  CHECK(a.at == b.at);
  CHECK(a.type == b.type);
  CHECK(a.label == b.label);
  CHECK(same_selector(a.node, b.node));
  REQUIRE(a.groups.size() == b.groups.size());
  for (std::size_t g = 0; g < a.groups.size(); ++g) {
    REQUIRE(a.groups[g].size() == b.groups[g].size());
    for (std::size_t m = 0; m < a.groups[g].size(); ++m) {
      CHECK(same_selector(a.groups[g][m], b.groups[g][m]));
    }
  }
  CHECK(same_selector(a.from, b.from));
  CHECK(same_selector(a.to, b.to));
  CHECK(a.torn_write == b.torn_write);
  CHECK(a.crash_point == b.crash_point);
  CHECK(a.flush_latency == b.flush_latency);
  CHECK(a.topic == b.topic);
  CHECK(a.config_resource_type == b.config_resource_type);
  CHECK(a.config_resource == b.config_resource);
  CHECK(a.config_name == b.config_name);
  CHECK(a.config_value == b.config_value);
  CHECK(a.link_latency == b.link_latency);
  CHECK(a.link_loss == b.link_loss);
  CHECK(a.link_duplicate == b.link_duplicate);
  CHECK(a.bidirectional == b.bidirectional);
  CHECK(a.drift_ppm == b.drift_ppm);
  CHECK(a.index == b.index);
  CHECK(a.repetition == b.repetition);
}

void check_same_condition(const sim::Condition& a, const sim::Condition& b) {
  CHECK(a.type == b.type);
  CHECK(a.value == b.value);
  CHECK(a.nodes == b.nodes);
  CHECK(a.max_lag == b.max_lag);
  CHECK(same_selector(a.node, b.node));
  CHECK(a.topic == b.topic);
  CHECK(a.request == b.request);
  CHECK(a.outcome == b.outcome);
  CHECK(a.error == b.error);
  CHECK(a.max_failed == b.max_failed);
  CHECK(a.max_unknown == b.max_unknown);
  CHECK(a.description == b.description);
}

void check_same_expectation(const sim::Expectation& a, const sim::Expectation& b) {
  CAPTURE(a.index);
  CAPTURE(a.name);
  CHECK(a.type == b.type);
  CHECK(a.name == b.name);
  check_same_condition(a.condition, b.condition);
  CHECK(a.timing.kind == b.timing.kind);
  CHECK(a.timing.at == b.timing.at);
  CHECK(a.timing.after == b.timing.after);
  CHECK(a.timing.within == b.timing.within);
  CHECK(a.timing.from == b.timing.from);
  CHECK(a.timing.to == b.timing.to);
  CHECK(a.after_label == b.after_label);
  CHECK(a.within == b.within);
  CHECK(a.from == b.from);
  CHECK(a.to == b.to);
  CHECK(same_selector(a.broker, b.broker));
  CHECK(a.description == b.description);
  CHECK(a.index == b.index);
}

void check_same_scenario(const sim::Scenario& a, const sim::Scenario& b) {
  CHECK(a.name == b.name);
  CHECK(a.description == b.description);
  CHECK(a.seed == b.seed);
  CHECK(a.bugs == b.bugs);
  const sim::ClusterSpec& ca = a.cluster;
  const sim::ClusterSpec& cb = b.cluster;
  CHECK(ca.controllers == cb.controllers);
  CHECK(ca.brokers == cb.brokers);
  CHECK(ca.combined == cb.combined);
  CHECK(ca.state_machine == cb.state_machine);
  CHECK(ca.racks == cb.racks);
  CHECK(ca.config == cb.config);
  CHECK(ca.snapshot == cb.snapshot);
  CHECK(ca.metadata == cb.metadata);
  // Per node, the effective configuration (a node_config entry that changes nothing is dropped).
  for (int id = 0; id < ca.node_count(); ++id) CHECK(ca.config_of(id) == cb.config_of(id));

  CHECK(a.network.default_link == b.network.default_link);
  REQUIRE(a.network.classes.size() == b.network.classes.size());
  for (std::size_t i = 0; i < a.network.classes.size(); ++i) {
    CHECK(a.network.classes[i].from == b.network.classes[i].from);
    CHECK(a.network.classes[i].to == b.network.classes[i].to);
    CHECK(a.network.classes[i].spec == b.network.classes[i].spec);
  }
  REQUIRE(a.network.links.size() == b.network.links.size());
  for (std::size_t i = 0; i < a.network.links.size(); ++i) {
    CHECK(a.network.links[i].from == b.network.links[i].from);
    CHECK(a.network.links[i].to == b.network.links[i].to);
    CHECK(a.network.links[i].spec == b.network.links[i].spec);
  }
  CHECK(a.network.controllers == b.network.controllers);
  CHECK(a.network.node_count == b.network.node_count);

  CHECK(a.disk.flush_latency == b.disk.flush_latency);
  CHECK(a.disk.node_flush_latency == b.disk.node_flush_latency);

  CHECK(a.workload.enabled == b.workload.enabled);
  CHECK(a.workload.interval == b.workload.interval);
  CHECK(a.workload.records_per_append == b.workload.records_per_append);
  CHECK(a.workload.record_bytes == b.workload.record_bytes);

  CHECK(a.admin.topics == b.admin.topics);
  CHECK(a.admin.topics_at == b.admin.topics_at);
  CHECK(a.admin.create_stream.count == b.admin.create_stream.count);
  CHECK(a.admin.create_stream.interval == b.admin.create_stream.interval);
  CHECK(a.admin.create_stream.start == b.admin.create_stream.start);
  CHECK(a.admin.create_stream.prefix == b.admin.create_stream.prefix);
  CHECK(a.admin.create_stream.partitions == b.admin.create_stream.partitions);
  CHECK(a.admin.create_stream.replication_factor == b.admin.create_stream.replication_factor);
  CHECK(a.admin.request_timeout_ms == b.admin.request_timeout_ms);
  CHECK(a.admin.default_api_timeout_ms == b.admin.default_api_timeout_ms);
  CHECK(a.admin.retry_backoff_ms == b.admin.retry_backoff_ms);
  CHECK(a.admin.retry_backoff_max_ms == b.admin.retry_backoff_max_ms);

  REQUIRE(a.timeline.size() == b.timeline.size());
  for (std::size_t i = 0; i < a.timeline.size(); ++i) check_same_action(a.timeline[i], b.timeline[i]);

  CHECK(a.stop.at == b.stop.at);
  CHECK(a.stop.events_max == b.stop.events_max);
  REQUIRE(a.stop.when.has_value() == b.stop.when.has_value());
  if (a.stop.when) check_same_condition(*a.stop.when, *b.stop.when);
  CHECK(a.stop.when_from == b.stop.when_from);

  REQUIRE(a.expectations.size() == b.expectations.size());
  for (std::size_t i = 0; i < a.expectations.size(); ++i) {
    check_same_expectation(a.expectations[i], b.expectations[i]);
  }
}

// ---------------------------------------------------------------------------------------------
// Round trips

struct RoundTrip {
  sim::Scenario original;
  std::string text;       // scenario_to_text(original)
  sim::Scenario rewritten;  // text loaded again
};

// Loads `text`, writes it, loads the written text and writes that again: the two texts must be
// equal and the two scenarios equivalent; the JSON document loads to the same scenario too.
RoundTrip round_trip(const std::string& text, const std::string& name) {
  RoundTrip out{sim::parse_scenario_text(text, name), "", {}};
  out.text = sim::scenario_to_text(out.original);
  INFO("written:\n" << out.text);
  out.rewritten = sim::parse_scenario_text(out.text, name + " (written)");
  CHECK(sim::scenario_to_text(out.rewritten) == out.text);
  check_same_scenario(out.original, out.rewritten);
  const sim::Scenario from_json = sim::parse_scenario(sim::scenario_to_json(out.original), name);
  CHECK(sim::scenario_to_text(from_json) == out.text);
  return out;
}

// Runs both with seed 1: same trace hash, outcome and event count.
void check_same_run(const sim::Scenario& a, const sim::Scenario& b) {
  const sim::RunResult ra = sim::Simulation(a, 1).run();
  const sim::RunResult rb = sim::Simulation(b, 1).run();
  CHECK(ra.trace_hash == rb.trace_hash);
  CHECK(ra.outcome == rb.outcome);
  CHECK(ra.events == rb.events);
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

std::vector<std::filesystem::path> shipped_scenarios() {
  std::vector<std::filesystem::path> files;
  const std::filesystem::path dir = std::filesystem::path(KRAFTSIM_SOURCE_DIR) / "scenarios";
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::filesystem::path& p = entry.path();
    if (entry.is_regular_file() && p.extension() == ".json" && p.filename() != "schema.json") {
      files.push_back(p);
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// ---------------------------------------------------------------------------------------------
// Hand-written documents using every feature of the format.

// A metadata cluster: combined mode, racks, configs, node_config, every network field (classes,
// bidirectional links), per-node disks, the whole admin workload, every action and option,
// every selector kind, sets and labels, repeat, every expectation type and timing, stop.when.
const char* const kEveryMetadataFeature = R"({
  "name": "every-feature-metadata",
  "description": "Every feature of the format on a metadata cluster.",
  "seed": 42,
  "bugs": ["forget-brokers-on-activation", "no-check-quorum"],
  "cluster": {"controllers": 3, "brokers": 3, "combined": 1,
              "racks": {"0": "r0", "3": "a", "4": "b", "5": "c"},
              "config": {"controller.quorum.election.timeout.ms": 1500,
                         "broker.session.timeout.ms": 6000,
                         "auto.leader.rebalance.enable": false,
                         "num.partitions": 2, "default.replication.factor": 2,
                         "metadata.log.max.snapshot.interval.ms": 0},
              "node_config": {"1": {"controller.quorum.election.timeout.ms": 3000,
                                    "metadata.max.idle.interval.ms": 250},
                              "4": {"broker.heartbeat.interval.ms": 500,
                                    "controller.quorum.election.timeout.ms": 1500},
                              "5": {"controller.quorum.election.timeout.ms": 1500}}},
  "network": {"latency": {"distribution": "exponential", "min_ms": 0.5, "mean_ms": 1.25, "max_ms": 20},
              "loss": 0.0005, "duplicate": 0.0000015,
              "classes": {"controller->broker": {"latency": {"distribution": "constant", "ms": 3.333}},
                          "client->controller": {"loss": 0.01},
                          "broker->controller": {"duplicate": 0.02}},
              "links": [{"from": 0, "to": 3, "loss": 0.1, "bidirectional": true},
                        {"from": 1, "to": 2,
                         "latency": {"distribution": "uniform", "min_ms": 2, "max_ms": 7.5}}]},
  "disk": {"flush_ms": 0.75, "nodes": {"2": {"flush_ms": 5}, "5": {"flush_ms": 0}}},
  "workload": {"admin": {"topics": [{"name": "orders", "partitions": 6, "replication_factor": 3,
                                     "configs": {"unclean.leader.election.enable": "true"}},
                                    {"name": "audit"}],
                         "topics_at_ms": 2500.25,
                         "create_topics": {"count": 5, "interval_ms": 700, "start_ms": 4000,
                                           "prefix": "s-", "partitions": 1,
                                           "replication_factor": 1},
                         "request.timeout.ms": 10000, "default.api.timeout.ms": 20000,
                         "retry.backoff.ms": 50, "retry.backoff.max.ms": 500}},
  "timeline": [
    {"at_ms": 5000, "action": "crash", "node": "leader", "label": "crash-leader"},
    {"at_ms": 5000.001, "action": "isolate", "node": [3, "random-broker"], "label": "iso"},
    {"at_ms": 6000, "action": "heal"},
    {"at_ms": 6500, "action": "restart", "node": "label:crash-leader", "label": "restart-leader"},
    {"at_ms": 7000, "action": "partition", "groups": [[1], [2, "brokers"]]},
    {"at_ms": 7500, "action": "heal", "repeat": {"every_ms": 1000.5, "times": 3}},
    {"at_ms": 8000, "action": "drop", "from": "followers", "to": 4},
    {"at_ms": 9000, "action": "pause", "node": 5, "label": "pause-5"},
    {"at_ms": 9500, "action": "resume", "node": "label:pause-5"},
    {"at_ms": 10000, "action": "slow_disk", "node": "random-controller", "flush_ms": 12.5},
    {"at_ms": 10500, "action": "slow_link", "from": 0, "to": [1, 2],
     "latency": {"distribution": "constant", "ms": 40}, "loss": 0.25, "duplicate": 0.000001,
     "bidirectional": true},
    {"at_ms": 11000, "action": "restore_link", "from": 0, "to": [1, 2], "bidirectional": true},
    {"at_ms": 11500, "action": "clock_drift", "node": 4, "drift_ppm": -250000},
    {"at_ms": 12000, "action": "controlled_shutdown", "node": 5, "label": "cs-5"},
    {"at_ms": 12500, "action": "create_topic", "topic": {"name": "late", "partitions": 3},
     "label": "create-late"},
    {"at_ms": 13000, "action": "delete_topic", "topic": "audit", "label": "delete-audit"},
    {"at_ms": 13500, "action": "alter_config", "resource": "topic:orders", "name": "retention.ms",
     "value": "1000"},
    {"at_ms": 13600, "action": "alter_config", "resource": "broker:4", "name": "x", "value": null},
    {"at_ms": 13700, "action": "alter_config", "resource": "cluster",
     "name": "unclean.leader.election.enable", "value": "false"},
    {"at_ms": 14000, "action": "restart", "node": "label:cs-5"},
    {"at_ms": 15000, "action": "crash", "node": "random-node", "torn_write": true},
    {"at_ms": 15500, "action": "crash", "node": 4, "at_next": "snapshot-before-rename"},
    {"at_ms": 16000, "action": "wipe", "node": "follower"},
    {"at_ms": 16500, "action": "shutdown", "node": "any-follower"},
    {"at_ms": 17000, "action": "restart", "node": "all"}
  ],
  "stop": {"at_ms": 40000, "events_max": 5000000,
           "when": {"type": "topic_exists", "topic": "late"}, "when_from_ms": 30000.5},
  "expectations": [
    {"type": "leader"},
    {"type": "no_leader", "at_ms": 5000.5},
    {"type": "high_watermark_at_least", "value": 10, "nodes": [0, 3], "by_ms": 20000},
    {"type": "caught_up", "max_lag_ms": 1500.5},
    {"type": "no_committed_record_lost", "always": true},
    {"type": "snapshots_downloaded_at_least", "node": "label:restart-leader", "value": 1,
     "always": true, "from_ms": 1000, "to_ms": 2000},
    {"type": "active_controller", "after": "crash-leader", "within_ms": 5000},
    {"type": "no_active_controller", "always": true, "to_ms": 100},
    {"type": "brokers_unfenced", "always": true, "from_ms": 39000},
    {"type": "broker_fenced", "broker": 4, "at_ms": 1},
    {"type": "broker_unfenced", "broker": "label:cs-5"},
    {"type": "broker_leads_nothing", "broker": 3, "by_ms": 39999.999},
    {"type": "partitions_led"},
    {"type": "partition_leaderless", "at_ms": 6000},
    {"type": "topic_exists", "topic": "s-4"},
    {"type": "topic_absent", "topic": "audit", "at_ms": 35000},
    {"type": "images_agree"},
    {"type": "admin_request", "request": "delete-audit", "outcome": "failed",
     "error": "UNKNOWN_TOPIC_OR_PARTITION"},
    {"type": "admin_request", "request": "create-late", "outcome": "acknowledged", "by_ms": 20000},
    {"type": "admin_outcomes", "acknowledged_at_least": 3, "failed_at_most": 2, "unknown_at_most": 1},
    {"type": "leader_at_end"},
    {"type": "active_controller_at_end"},
    {"type": "brokers_unfenced_at_end"},
    {"type": "partitions_led_at_end"},
    {"type": "topic_exists_at_end", "topic": "orders"},
    {"type": "caught_up_at_end"},
    {"type": "leaderless_within", "after": "iso", "within_ms": 2000},
    {"type": "failover_within", "after": "crash-leader", "within_ms": 6000},
    {"type": "leader_elected_within", "after": "crash-leader", "within_ms": 6000},
    {"type": "progress_between", "from_ms": 0, "to_ms": 4000.5},
    {"type": "no_progress_between", "from_ms": 5000, "to_ms": 5000.001},
    {"type": "broker_fenced_within", "broker": 4, "after": "iso", "within_ms": 9000},
    {"type": "broker_unfenced_within", "broker": "label:cs-5", "after": "cs-5", "within_ms": 9000},
    {"type": "shutdown_leadership_moved", "broker": "label:cs-5"},
    {"type": "restart_resumes_from_local_log", "after": "restart-leader"}
  ]
})";

// A counter cluster: the counter workload, class overrides of the default link, a disk given
// only per node, repeated labelled actions, the named sets, crash points, stop.when.
const char* const kEveryCounterFeature = R"({
  "name": "every-feature-counter",
  "description": "Every feature of the format on a counter cluster.",
  "cluster": {"controllers": 5, "brokers": 2, "state_machine": "counter",
              "config": {"controller.quorum.fetch.timeout.ms": 2500,
                         "metadata.max.retention.bytes": 1000000},
              "node_config": {"6": {"metadata.log.max.record.bytes.between.snapshots": 4096}}},
  "network": {"latency": {"distribution": "constant", "ms": 2},
              "classes": {"controller->controller": {"latency": {"distribution": "uniform",
                                                                 "min_ms": 1, "max_ms": 3}},
                          "broker->broker": {"loss": 1}},
              "links": [{"from": 5, "to": 6, "duplicate": 0.5}]},
  "disk": {"nodes": {"0": {"flush_ms": 1.5}}},
  "workload": {"append_interval_ms": 12.5, "records_per_append": 3, "record_bytes": 100},
  "timeline": [
    {"at_ms": 1000, "action": "isolate", "node": "leader", "label": "flap",
     "repeat": {"every_ms": 2000, "times": 4}},
    {"at_ms": 1500, "action": "heal", "repeat": {"every_ms": 2000, "times": 4}},
    {"at_ms": 9000, "action": "crash", "node": ["label:flap", 1], "label": "two"},
    {"at_ms": 10000, "action": "restart", "node": "controllers"},
    {"at_ms": 11000, "action": "clock_drift", "node": "all", "drift_ppm": 1000000},
    {"at_ms": 12000, "action": "slow_link", "from": "leader", "to": "followers",
     "latency": {"distribution": "exponential", "min_ms": 1, "mean_ms": 3, "max_ms": 30}},
    {"at_ms": 12500, "action": "restore_link", "from": "leader", "to": "followers"},
    {"at_ms": 13000, "action": "crash", "node": 3, "at_next": "quorum-state-before-fsync"},
    {"at_ms": 14000, "action": "shutdown", "node": "random-controller"},
    {"at_ms": 14500, "action": "pause", "node": "brokers"},
    {"at_ms": 14600, "action": "resume", "node": "brokers"}
  ],
  "stop": {"at_ms": 20000, "when": {"type": "high_watermark_at_least", "value": 100000}},
  "expectations": [
    {"type": "no_leader_at_end"},
    {"type": "high_watermark_at_least", "value": 5},
    {"type": "leader", "always": true, "from_ms": 19000, "to_ms": 19500},
    {"type": "progress_between", "from_ms": 100, "to_ms": 200}
  ]
})";

}  // namespace

namespace {

// The shipped scenarios whose original and rewritten runs are compared by default: one or more
// of each feature the catalogue uses (repeat, clock_drift, node_config, the exponential latency,
// drop, at_next, torn_write, combined mode, controlled_shutdown, pause, wipe, the admin stream,
// both state machines), and cheap to run. Running all of them takes ~45 s in a Debug build; the
// next test case does that when asked (--no-skip). The fixed point and the field-by-field
// equality are checked for every file.
const char* const kRunCompared[] = {
    "all-brokers-fail-together.json",
    "broker-controlled-shutdown.json",
    "bug-10-kafka-13959-broker-unfences-under-noops.json",
    "bug-14-kafka-10677-resign-completes-parked-fetches.json",
    "bug-2-kafka-12619-commit-only-own-epoch.json",
    "combined-mode.json",
    "crash-during-snapshot-write.json",
    "default.json",
    "elect-1-voter.json",
    "leader-crash-unflushed-tail.json",
    "net-asymmetric-partition.json",
    "net-clock-drift.json",
    "net-flapping-link.json",
};

bool run_compared(const std::filesystem::path& file) {
  return std::any_of(std::begin(kRunCompared), std::end(kRunCompared),
                     [&](const char* name) { return file.filename() == name; });
}

}  // namespace

TEST_CASE("scenario writer: every shipped scenario is a fixed point, a representative subset runs the same") {
  const std::vector<std::filesystem::path> files = shipped_scenarios();
  REQUIRE(files.size() >= 40);
  std::size_t compared = 0;
  for (const std::filesystem::path& file : files) {
    CAPTURE(file.filename().string());
    const RoundTrip rt = round_trip(read_file(file), file.string());
    if (!run_compared(file)) continue;
    check_same_run(rt.original, rt.rewritten);
    ++compared;
  }
  CHECK(compared == std::size(kRunCompared));  // none of them was renamed away
}

TEST_CASE("scenario writer: every shipped scenario runs the same rewritten" * doctest::skip()) {
  for (const std::filesystem::path& file : shipped_scenarios()) {
    CAPTURE(file.filename().string());
    const RoundTrip rt = round_trip(read_file(file), file.string());
    check_same_run(rt.original, rt.rewritten);
  }
}

TEST_CASE("scenario writer: a document using every metadata feature round-trips") {
  const RoundTrip rt = round_trip(kEveryMetadataFeature, "every-metadata");
  const std::string& t = rt.text;
  // Exact times and probabilities, no float noise.
  CHECK(contains(t, R"("at_ms": 5000.001)"));
  CHECK(contains(t, R"("topics_at_ms": 2500.25)"));
  CHECK(contains(t, R"("by_ms": 39999.999)"));
  CHECK(contains(t, R"("loss": 0.0005)"));
  CHECK(contains(t, R"("duplicate": 0.000002)"));  // 1.5 ppm rounds to 2
  CHECK(contains(t, R"("duplicate": 0.000001)"));
  CHECK(contains(t, R"("ms": 3.333)"));
  // The repeat folded back, sets and labels, every selector word.
  CHECK(contains(t, R"({"at_ms": 7500, "action": "heal", "repeat": {"every_ms": 1000.5, "times": 3}})"));
  CHECK(contains(t, R"("node": [3, "random-broker"], "label": "iso")"));
  CHECK(contains(t, R"("groups": [[1], [2, "brokers"]])"));
  CHECK(contains(t, R"("from": "followers", "to": 4)"));
  CHECK(contains(t, R"("node": "follower")"));  // "any-follower" is the same selector
  CHECK(contains(t, R"("value": null)"));
  CHECK(contains(t, R"("resource": "cluster")"));
  CHECK(contains(t, R"("resource": "broker:4")"));
  // node_config: only what differs from the cluster-wide value; node 5 has nothing left.
  CHECK(contains(t, R"("4": {"broker.heartbeat.interval.ms": 500})"));
  CHECK(!contains(t, R"("5": {"controller)"));
  // Configs at Kafka's default are left out; the cluster-wide election timeout is kept.
  CHECK(contains(t, R"("controller.quorum.election.timeout.ms": 1500)"));
  CHECK(contains(t, R"("auto.leader.rebalance.enable": false)"));
  // Shorthands keep their names and take no timing.
  CHECK(contains(t, R"({"type": "leader_at_end"})"));
  CHECK(contains(t, R"({"type": "topic_exists_at_end", "topic": "orders"})"));
  CHECK(contains(t, R"({"type": "leaderless_within", "after": "iso", "within_ms": 2000})"));
  CHECK(contains(t, R"({"type": "no_active_controller", "always": true, "to_ms": 100})"));
  // Bugs in their fixed order.
  CHECK(contains(t, R"("bugs": ["no-check-quorum", "forget-brokers-on-activation"])"));
  // The parsed form as expected.
  REQUIRE(rt.rewritten.timeline.size() == 27);  // 25 actions, the heal 3 times
  CHECK(rt.rewritten.network.links.size() == 3);
  CHECK(rt.rewritten.cluster.node_config.size() == 2);
  check_same_run(rt.original, rt.rewritten);
}

TEST_CASE("scenario writer: a document using every counter feature round-trips") {
  const RoundTrip rt = round_trip(kEveryCounterFeature, "every-counter");
  const std::string& t = rt.text;
  CHECK(contains(t, R"("state_machine": "counter")"));
  CHECK(contains(t, R"("append_interval_ms": 12.5, "records_per_append": 3, "record_bytes": 100)"));
  CHECK(contains(t, R"("disk": {"nodes": {"0": {"flush_ms": 1.5}}})"));
  CHECK(contains(t, R"("broker->broker": {"loss": 1})"));
  // Too long for one line: continued on the next, aligned after the "{".
  CHECK(contains(t, "    {\"at_ms\": 1000, \"action\": \"isolate\", \"node\": \"leader\", \"label\": \"flap\",\n"
                    "     \"repeat\": {\"every_ms\": 2000, \"times\": 4}},\n"));
  CHECK(contains(t, R"("node": ["label:flap", 1])"));
  CHECK(contains(t, R"("at_next": "quorum-state-before-fsync")"));
  CHECK(contains(t, R"("when": {"type": "high_watermark_at_least", "value": 100000})"));
  CHECK(rt.rewritten.timeline.size() == 17);  // 11 actions, two of them 4 times
  check_same_run(rt.original, rt.rewritten);
}

TEST_CASE("scenario writer: the exact text of a small scenario") {
  const sim::Scenario s = sim::parse_scenario_text(R"({
    "name": "small", "description": "A small one.",
    "cluster": {"controllers": 3, "brokers": 1, "state_machine": "counter",
                "config": {"controller.quorum.election.timeout.ms": 1000}},
    "network": {"loss": 0.00000049},
    "workload": {"append_interval_ms": 10},
    "timeline": [{"at_ms": 1234.5674, "action": "crash", "node": "leader", "label": "c"}],
    "stop": {"at_ms": 20000},
    "expectations": [{"type": "leader_elected_within", "after": "c", "within_ms": 0.0005}]
  })", "small");
  // The election timeout is Kafka's default (left out), 0.49 ppm of loss rounds to 0 (left out),
  // times are rounded to whole microseconds (1234.5674 -> 1234.567, 0.0005 -> 0.001).
  CHECK(sim::scenario_to_text(s) == R"({
  "name": "small",
  "description": "A small one.",
  "seed": 1,
  "cluster": {"controllers": 3, "brokers": 1, "state_machine": "counter"},
  "workload": {"append_interval_ms": 10},
  "timeline": [
    {"at_ms": 1234.567, "action": "crash", "node": "leader", "label": "c"}
  ],
  "stop": {"at_ms": 20000},
  "expectations": [
    {"type": "leader_elected_within", "after": "c", "within_ms": 0.001}
  ]
}
)");
}

TEST_CASE("scenario writer: a value too long for one line is written one member per line") {
  sim::Scenario s = sim::parse_scenario_text(kEveryMetadataFeature, "every-metadata");
  const std::string t = sim::scenario_to_text(s);
  // The cluster does not fit on one line: one member per line, 2-space indent.
  CHECK(contains(t, "  \"cluster\": {\n    \"controllers\": 3,\n    \"brokers\": 3,\n"));
  CHECK(contains(t, "  \"timeline\": [\n    {\"at_ms\": 5000, \"action\": \"crash\""));
  for (std::size_t start = 0; start < t.size();) {
    const std::size_t end = t.find('\n', start);
    const std::string line = t.substr(start, end - start);
    // Only a line holding one scalar (or a long string) may exceed the width.
    if (line.size() > 100) CHECK(contains(line, "description"));
    start = end + 1;
  }
}

TEST_CASE("scenario writer: scenarios edited in code") {
  sim::Scenario s = sim::parse_scenario_text(kEveryCounterFeature, "every-counter");

  SUBCASE("a stale shorthand name is written as its condition with the timing") {
    s.expectations[0].timing.kind = sim::Timing::Kind::At;  // "no_leader_at_end", now at 5 s
    s.expectations[0].timing.at = raft::Instant::from_ms(5000);
    const std::string t = sim::scenario_to_text(s);
    CHECK(contains(t, R"({"type": "no_leader", "at_ms": 5000})"));
    const sim::Scenario back = sim::parse_scenario_text(t, "edited");
    CHECK(back.expectations[0].name == "no_leader");
    CHECK(back.expectations[0].timing.kind == sim::Timing::Kind::At);
  }
  SUBCASE("an empty name is the condition's") {
    s.expectations[1].name.clear();
    CHECK(contains(sim::scenario_to_text(s), R"({"type": "high_watermark_at_least", "value": 5})"));
  }
  SUBCASE("removing an action writes the indices densely") {
    // Drop the crash of ["label:flap", 1] (index 2) and what depends on it: nothing does.
    std::erase_if(s.timeline, [](const sim::Action& a) { return a.index == 2; });
    const sim::Scenario back = sim::parse_scenario_text(sim::scenario_to_text(s), "edited");
    REQUIRE(back.timeline.size() == 16);
    CHECK(std::none_of(back.timeline.begin(), back.timeline.end(),
                       [](const sim::Action& a) { return a.index > 9; }));
    CHECK(back.timeline.back().type == sim::ActionType::Resume);
    CHECK(back.timeline.back().index == 9);
  }
  SUBCASE("fewer copies of a repeated action: fewer times") {
    std::erase_if(s.timeline, [](const sim::Action& a) { return a.index == 1 && a.repetition >= 2; });
    CHECK(contains(sim::scenario_to_text(s),
                   R"({"at_ms": 1500, "action": "heal", "repeat": {"every_ms": 2000, "times": 2}})"));
  }
  SUBCASE("a single copy left: no repeat") {
    std::erase_if(s.timeline, [](const sim::Action& a) { return a.index == 1 && a.repetition >= 1; });
    CHECK(contains(sim::scenario_to_text(s), R"({"at_ms": 1500, "action": "heal"})"));
  }
  SUBCASE("copies that are not evenly spaced cannot be written") {
    for (sim::Action& a : s.timeline) {
      if (a.index == 1 && a.repetition == 3) a.at = a.at + raft::Duration::millis(1);
    }
    CHECK_THROWS_AS((void)sim::scenario_to_text(s), std::invalid_argument);
  }
  SUBCASE("a missing copy in the middle cannot be written") {
    std::erase_if(s.timeline, [](const sim::Action& a) { return a.index == 1 && a.repetition == 1; });
    CHECK_THROWS_AS((void)sim::scenario_to_text(s), std::invalid_argument);
  }
  SUBCASE("a metadata config in a counter cluster cannot be written") {
    s.cluster.metadata.broker_session_timeout_ms = 1234;
    CHECK_THROWS_AS((void)sim::scenario_to_text(s), std::invalid_argument);
  }
}

TEST_CASE("scenario writer: the format's defaults are left out") {
  const sim::Scenario s = sim::parse_scenario_text(
      R"({"name": "d", "description": "", "cluster": {"controllers": 1, "state_machine": "counter"},
          "network": {"latency": {"distribution": "uniform", "min_ms": 1, "max_ms": 5}, "loss": 0},
          "disk": {"flush_ms": 0}, "stop": {"at_ms": 30000, "events_max": 10000000}})",
      "defaults");
  CHECK(sim::scenario_to_text(s) ==
        "{\n  \"name\": \"d\",\n  \"description\": \"\",\n  \"seed\": 1,\n"
        "  \"cluster\": {\"controllers\": 1, \"state_machine\": \"counter\"}\n}\n");
}
