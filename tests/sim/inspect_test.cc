// kraftsim inspect's sections (sim/inspect/): the metadata image of a controller and a broker at
// the same offset, the kafka-dump-log style log dump, and the kafka-metadata-quorum style quorum
// status and replication, on scenarios/default.json (3 controllers, 3 brokers; the active
// controller crashes at 10 s, broker 4 at 25 s).
#include <doctest/doctest.h>

#include <cstdint>
#include <map>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "sim/inspect/image_dump.hh"
#include "sim/inspect/metadata_log_dump.hh"
#include "sim/inspect/quorum_status.hh"
#include "sim/scenario/scenario_loader.hh"
#include "sim/simulation.hh"

namespace {

using raft::NodeId;
using sim::inspect::describe_image;
using sim::inspect::image_body;
using sim::inspect::image_offset;

sim::Scenario scenario_file(const std::string& name) {
  return sim::load_scenario_file(std::string(KRAFTSIM_SOURCE_DIR) + "/scenarios/" + name);
}

sim::Scenario default_scenario() { return scenario_file("default.json"); }

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// One row of the replication table.
struct ReplicaRow {
  std::int64_t leo = 0;
  std::int64_t lag = 0;
  std::int64_t last_fetch = 0;
  std::int64_t last_caught_up = 0;
  std::string status;
};

std::map<int, ReplicaRow> parse_replication(const std::string& text) {
  const std::vector<std::string> lines = lines_of(text);
  REQUIRE(!lines.empty());
  CHECK(lines[0] ==
        "NodeId  LogEndOffset  Lag  LastFetchTimestamp  LastCaughtUpTimestamp  Status");
  std::map<int, ReplicaRow> rows;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    std::istringstream in(lines[i]);
    int id = -1;
    ReplicaRow r;
    in >> id >> r.leo >> r.lag >> r.last_fetch >> r.last_caught_up >> r.status;
    REQUIRE_MESSAGE(!in.fail(), lines[i]);
    rows[id] = r;
  }
  return rows;
}

}  // namespace

TEST_CASE("inspect: a controller's and a broker's image at the same offset print the same body") {
  sim::Simulation sim(default_scenario(), 1);
  // A quiet moment: the failover of 10 s is over, broker 4 still runs (it crashes at 25 s).
  sim.run_until(raft::Instant::from_ms(20'000));
  std::optional<std::pair<NodeId, NodeId>> pair;  // (controller, broker)
  for (int step = 0; step < 2000 && !pair; ++step) {
    for (int c = 0; c < 3 && !pair; ++c) {
      for (int b = 3; b < 6 && !pair; ++b) {
        const std::int64_t offset = image_offset(sim, NodeId(c));
        if (offset > 0 && offset == image_offset(sim, NodeId(b))) pair = {{NodeId(c), NodeId(b)}};
      }
    }
    if (!pair) sim.run_until(sim.now() + raft::Duration::millis(1));
  }
  REQUIRE(pair.has_value());
  const auto [controller, broker] = *pair;
  const std::int64_t offset = image_offset(sim, controller);

  const std::optional<std::string> controller_body = image_body(sim, controller);
  const std::optional<std::string> broker_body = image_body(sim, broker);
  REQUIRE(controller_body.has_value());
  REQUIRE(broker_body.has_value());
  CHECK(*controller_body == *broker_body);
  // The body is the real image: the three topics of the workload with their partitions, and
  // the three brokers unfenced.
  CHECK(contains(*controller_body, "features:\n  metadata.version: 21\n"));
  CHECK(contains(*controller_body, "  orders (topicId "));
  CHECK(contains(*controller_body, "), 6 partitions\n"));
  CHECK(contains(*controller_body, "  clicks (topicId "));
  CHECK(contains(*controller_body, "    partition 11: leader "));
  CHECK(contains(*controller_body, "  broker 4: epoch "));
  CHECK(contains(*controller_body, ", fenced: false, inControlledShutdown: false, rack: none\n"));

  // The header differs: it names the node and its role.
  const std::optional<std::string> controller_text = describe_image(sim, controller);
  const std::optional<std::string> broker_text = describe_image(sim, broker);
  REQUIRE(controller_text.has_value());
  REQUIRE(broker_text.has_value());
  CHECK(*controller_text != *broker_text);
  CHECK(lines_of(*controller_text)[0].rfind("node " + std::to_string(controller.value()) +
                                                " (controller), image at offset " +
                                                std::to_string(offset) + " (epoch ",
                                            0) == 0);
  CHECK(lines_of(*broker_text)[0].rfind("node " + std::to_string(broker.value()) +
                                            " (broker), image at offset " +
                                            std::to_string(offset) + " (epoch ",
                                        0) == 0);
  CHECK(*controller_text == lines_of(*controller_text)[0] + "\n" + *controller_body);

  // A node that is down holds no image.
  sim.run_until(raft::Instant::from_ms(26'000));  // broker 4 crashed at 25 s
  CHECK_FALSE(describe_image(sim, NodeId(4)).has_value());
  CHECK_FALSE(image_body(sim, NodeId(4)).has_value());
  CHECK(image_offset(sim, NodeId(4)) == -1);
}

TEST_CASE("inspect: the log dump decodes every record and its offsets are consecutive") {
  sim::Simulation sim(default_scenario(), 1);
  sim.run();
  const sim::NodeHost& node = sim.node(NodeId(3));  // a broker
  const std::string dump = sim::inspect::dump_metadata_log(sim, NodeId(3));
  const std::vector<std::string> lines = lines_of(dump);
  REQUIRE(lines.size() > 3);
  CHECK(lines[0] == "Dumping node 3 (broker, running): __cluster_metadata-0");
  CHECK(lines[1] == "Log start offset: 0, log end offset: " +
                        std::to_string(node.disk().end_offset().value()) +
                        ", durable end offset: " +
                        std::to_string(node.disk().flushed_end_offset().value()) +
                        ", batches: " + std::to_string(node.disk().batches().size()));

  // Records, with their fields, as kafka-dump-log --cluster-metadata-decoder prints them.
  CHECK(contains(dump, R"(payload: {"type":"TOPIC_RECORD","version":0,"data":{"name":"orders","topicId":")"));
  CHECK(contains(dump, R"(payload: {"type":"PARTITION_RECORD","version":0,"data":{"partitionId":0,"topicId":")"));
  CHECK(contains(dump, R"("removingReplicas":[],"addingReplicas":[],"leader":)"));
  CHECK(contains(dump, R"(payload: {"type":"REGISTER_BROKER_RECORD","version":0,"data":{"brokerId":4,"incarnationId":")"));
  CHECK(contains(dump, R"("features":[{"name":"metadata.version","minSupportedVersion":1,"maxSupportedVersion":21}],"rack":null,"fenced":true,"inControlledShutdown":false})"));
  CHECK(contains(dump, R"(payload: {"type":"FEATURE_LEVEL_RECORD","version":0,"data":{"name":"metadata.version","featureLevel":21}})"));
  CHECK(contains(dump, R"(LeaderChange: {"version":0,"leaderId":)"));
  CHECK_FALSE(contains(dump, "cannot decode"));

  // Batch headers and record offsets: every offset from the log start to the end, once, in
  // order, each inside its batch's [baseOffset, lastOffset].
  const std::regex batch_line(
      R"(^baseOffset: (\d+) lastOffset: (\d+) count: (\d+) partitionLeaderEpoch: (\d+) isControl: (true|false) CreateTime: \d+ size: \d+ crc: \d+ isvalid: true durable: (true|false)$)");
  const std::regex record_line(R"(^\| offset: (\d+) CreateTime: \d+ (payload|LeaderChange): \{.*\}$)");
  std::int64_t next = 0;
  std::int64_t batch_last = -1;
  std::int64_t batches = 0;
  std::int64_t topic_records = 0;
  for (std::size_t i = 2; i < lines.size(); ++i) {
    std::smatch m;
    if (std::regex_match(lines[i], m, batch_line)) {
      CHECK(std::stoll(m[1]) == next);
      CHECK(std::stoll(m[2]) - std::stoll(m[1]) + 1 == std::stoll(m[3]));
      CHECK(batch_last == next - 1);
      batch_last = std::stoll(m[2]);
      ++batches;
      continue;
    }
    REQUIRE_MESSAGE(std::regex_match(lines[i], m, record_line), lines[i]);
    CHECK(std::stoll(m[1]) == next);
    CHECK(next <= batch_last);
    if (contains(lines[i], "\"TOPIC_RECORD\"")) ++topic_records;
    ++next;
  }
  CHECK(next == node.disk().end_offset().value());
  CHECK(batch_last == next - 1);
  CHECK(batches == static_cast<std::int64_t>(node.disk().batches().size()));
  CHECK(topic_records == 4);  // orders, payments, clicks, and audit at 30 s

  // A voter flushes what it appends: its batches are durable; the observer's are not
  // (Kafka's observers do not flush fetched batches).
  const std::string voter_dump = sim::inspect::dump_metadata_log(sim, NodeId(1));
  CHECK(contains(voter_dump, " isvalid: true durable: true\n"));
  CHECK(contains(dump, " isvalid: true durable: false\n"));
}

TEST_CASE("inspect: the replicated counter's log lists value sizes") {
  sim::Simulation sim(scenario_file("leader-crash.json"), 1);
  sim.run_until(raft::Instant::from_ms(3000));
  const std::string dump = sim::inspect::dump_metadata_log(sim, NodeId(0));
  CHECK(lines_of(dump)[0] == "Dumping node 0 (voter, running): __cluster_metadata-0");
  CHECK(std::regex_search(dump, std::regex(R"(\n\| offset: \d+ CreateTime: \d+ valueSize: \d+\n)")));
  CHECK_FALSE(contains(dump, "payload:"));
  CHECK_FALSE(describe_image(sim, NodeId(0)).has_value());
}

TEST_CASE("inspect: the quorum at the end names the leader and epoch the run reports") {
  sim::Simulation sim(default_scenario(), 1);
  const sim::RunResult result = sim.run();
  const sim::NodeSummary* leader = nullptr;
  for (const sim::NodeSummary& n : result.nodes) {
    if (n.state == "Leader") leader = &n;
  }
  REQUIRE(leader != nullptr);
  const std::string id = std::to_string(leader->id.value());

  const std::string status = sim::inspect::describe_quorum_status(sim);
  const std::vector<std::string> lines = lines_of(status);
  REQUIRE(lines.size() == 8);
  CHECK(lines[0] == "ClusterId:              kraftsim");
  CHECK(lines[1] == "LeaderId:               " + id);
  CHECK(lines[2] == "LeaderEpoch:            " + std::to_string(leader->epoch.value()));
  REQUIRE(leader->high_watermark.has_value());
  CHECK(lines[3] == "HighWatermark:          " + std::to_string(leader->high_watermark->value()));
  CHECK(lines[4].rfind("MaxFollowerLag:         ", 0) == 0);
  CHECK(lines[5].rfind("MaxFollowerLagTimeMs:   ", 0) == 0);
  CHECK(lines[6] == "CurrentVoters:          [0,1,2]");
  CHECK(lines[7] == "CurrentObservers:       [3,4,5]");

  const std::map<int, ReplicaRow> rows = parse_replication(sim::inspect::describe_quorum_replication(sim));
  REQUIRE(rows.size() == 6);
  const ReplicaRow& self = rows.at(leader->id.value());
  CHECK(self.status == "Leader");
  CHECK(self.leo == leader->log_end_offset.value());
  CHECK(self.lag == 0);
  std::int64_t max_voter_lag = 0;
  for (const auto& [node, row] : rows) {
    INFO("node " << node);
    CHECK(row.status == (node == leader->id.value() ? "Leader" : node < 3 ? "Follower" : "Observer"));
    CHECK(row.lag == self.leo - row.leo);
    CHECK(row.leo <= self.leo);
    CHECK(row.last_fetch <= sim.now().ms());
    CHECK(row.last_caught_up <= row.last_fetch);
    if (node < 3) max_voter_lag = std::max(max_voter_lag, row.lag);
  }
  CHECK(lines[4] == "MaxFollowerLag:         " + std::to_string(max_voter_lag));
}

TEST_CASE("inspect: before the first election there is no leader") {
  sim::Simulation sim(default_scenario(), 1);
  sim.run_until(raft::Instant::from_ms(100));
  const std::string status = sim::inspect::describe_quorum_status(sim);
  const std::vector<std::string> lines = lines_of(status);
  REQUIRE(lines.size() == 8);  // the note, the header, six nodes
  CHECK(lines[0] == "no leader: no running voter leads an epoch; each node's own view:");
  CHECK(lines[1] == "NodeId  Status   State       Epoch  LeaderId  HighWatermark  LogEndOffset");
  CHECK(lines[2] == "0       running  Unattached  0      -1        -1             0");
  CHECK(lines[7] == "5       running  Unattached  0      -1        -1             0");
  CHECK(!contains(status, "LeaderId:"));
  CHECK(sim::inspect::describe_quorum_replication(sim) == status);
}
