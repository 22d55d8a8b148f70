// `kraftsim inspect` (inspect_command.hh): flag parsing, the run, and the sections in order:
// quorum status, quorum replication, then per node its log and its image.
#include "tools/cli/inspect_command.hh"

#include <algorithm>
#include <boost/program_options.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/inspect/image_dump.hh"
#include "sim/inspect/metadata_log_dump.hh"
#include "sim/inspect/node_roles.hh"
#include "sim/inspect/quorum_status.hh"
#include "sim/scenario/scenario_loader.hh"
#include "sim/simulation.hh"
#include "tools/cli/cli.hh"
#include "tools/cli/flags.hh"

namespace kraftsim::cli {

namespace po = boost::program_options;

namespace {

struct InspectOptions {
  std::string file;
  std::optional<std::uint64_t> seed;
  std::optional<std::int64_t> at_ms;
  std::vector<raft::NodeId> nodes;  // empty: the defaults
  bool log = false;
  bool quorum = false;
  bool image = false;
};

raft::NodeId parse_node(const std::string& text, int node_count) {
  const std::string expected = "--node: got '" + text + "', expected a node id in 0.." +
                               std::to_string(node_count - 1);
  std::uint64_t id = 0;
  try {
    id = parse_u64("--node", text);
  } catch (const UsageError&) {
    throw UsageError{expected};
  }
  if (id >= static_cast<std::uint64_t>(node_count)) throw UsageError{expected};
  return raft::NodeId(static_cast<std::int32_t>(id));
}

std::int64_t parse_at(const std::string& text, const sim::Scenario& scenario) {
  const std::int64_t stop_ms = scenario.stop.at.ms();
  const std::string expected = "--at: got '" + text + "', expected a time in ms in 0.." +
                               std::to_string(stop_ms) + " (the scenario stops at " +
                               std::to_string(stop_ms) + " ms)";
  std::uint64_t at = 0;
  try {
    at = parse_u64("--at", text);
  } catch (const UsageError&) {
    throw UsageError{expected};
  }
  if (at > static_cast<std::uint64_t>(stop_ms)) throw UsageError{expected};
  return static_cast<std::int64_t>(at);
}

// Parses the flags; the scenario is loaded here to check --at and --node against it.
InspectOptions parse(const std::vector<std::string>& args, sim::Scenario& scenario) {
  po::options_description options("inspect");
  options.add_options()("file", po::value<std::string>(), "scenario file")(
      "seed", po::value<std::string>(), "seed")("at", po::value<std::string>(), "time in ms")(
      "node", po::value<std::vector<std::string>>(), "node id")("log", po::bool_switch(), "log")(
      "quorum", po::bool_switch(), "quorum")("image", po::bool_switch(), "image");
  po::positional_options_description positional;
  positional.add("file", 1);
  const po::variables_map vm = parse_options(args, options, positional);
  if (!vm.count("file")) throw UsageError{"inspect: missing the scenario FILE (see kraftsim --help)"};
  InspectOptions o;
  o.file = vm["file"].as<std::string>();
  if (vm.count("seed")) o.seed = parse_u64("--seed", vm["seed"].as<std::string>());
  scenario = sim::load_scenario_file(o.file);
  if (vm.count("at")) o.at_ms = parse_at(vm["at"].as<std::string>(), scenario);
  if (vm.count("node")) {
    for (const std::string& text : vm["node"].as<std::vector<std::string>>()) {
      const raft::NodeId id = parse_node(text, scenario.cluster.node_count());
      if (std::find(o.nodes.begin(), o.nodes.end(), id) == o.nodes.end()) o.nodes.push_back(id);
    }
  }
  o.log = vm["log"].as<bool>();
  o.quorum = vm["quorum"].as<bool>();
  o.image = vm["image"].as<bool>();
  if (!o.log && !o.quorum && !o.image) o.log = o.quorum = o.image = true;
  return o;
}

// The process leading the highest epoch, then the first node with the broker role; node 0 if
// neither exists.
std::vector<raft::NodeId> default_nodes(const sim::Simulation& simulation,
                                        const sim::Scenario& scenario) {
  std::vector<raft::NodeId> out;
  std::optional<raft::Epoch> best;
  for (const auto& n : simulation.nodes()) {
    const raft::RaftClient* c = n->client();
    if (c == nullptr || c->quorum().leader_or_null() == nullptr) continue;
    if (!best || c->quorum().epoch() > *best) {
      best = c->quorum().epoch();
      out = {n->id()};
    }
  }
  for (int id = 0; id < scenario.cluster.node_count(); ++id) {
    if (!scenario.cluster.runs_broker(id)) continue;
    if (out.empty() || out.front() != raft::NodeId(id)) out.push_back(raft::NodeId(id));
    break;
  }
  if (out.empty()) out.push_back(raft::NodeId(0));
  return out;
}

// Runs the simulation as asked; returns how the run got to the moment shown.
std::string run_to(sim::Simulation& simulation, const std::optional<std::int64_t>& at_ms) {
  if (!at_ms) {
    const sim::RunResult result = simulation.run();
    return "end of the run (" + result.stop_reason + ", " +
           std::string(sim::to_string(result.outcome)) + ")";
  }
  simulation.run_until(raft::Instant::from_ms(*at_ms));
  if (simulation.now() >= raft::Instant::from_ms(*at_ms)) return "--at " + std::to_string(*at_ms);
  std::string why = "the event bound or stop.when";
  if (simulation.violation()) why = "invariant " + simulation.violation()->invariant + " violated";
  return "the run ended before --at " + std::to_string(*at_ms) + " (" + why + ")";
}

void print_node(std::ostream& out, const sim::Simulation& simulation, raft::NodeId id,
                const InspectOptions& o) {
  const std::string name =
      "node " + std::to_string(id.value()) + " (" + sim::inspect::node_roles(simulation.node(id)) + ")";
  if (o.log) out << "\n== " << name << ": metadata log ==\n" << sim::inspect::dump_metadata_log(simulation, id);
  if (!o.image) return;
  out << "\n== " << name << ": metadata image ==\n";
  if (const auto image = sim::inspect::describe_image(simulation, id)) {
    out << *image;
  } else if (simulation.node(id).process().kind != sim::StateMachineKind::Metadata) {
    out << name << " runs the replicated counter: no metadata image\n";
  } else {
    out << name << " is " << sim::to_string(simulation.node(id).status()) << ": no image in memory\n";
  }
}

}  // namespace

int inspect_command(const std::vector<std::string>& args, std::ostream& out) {
  sim::Scenario scenario;
  const InspectOptions o = parse(args, scenario);
  const std::uint64_t seed = o.seed.value_or(scenario.seed);
  sim::Simulation simulation(scenario, seed);
  const std::string how = run_to(simulation, o.at_ms);
  out << "inspect: scenario " << scenario.name << ", seed " << seed << ", at "
      << simulation.now().ms() << " ms: " << how << "\n";
  if (o.quorum) {
    const std::string status = sim::inspect::describe_quorum_status(simulation);
    const std::string replication = sim::inspect::describe_quorum_replication(simulation);
    if (status == replication) {  // no leader: both are the nodes' own views
      out << "\n== quorum ==\n" << status;
    } else {
      out << "\n== quorum: describe --status ==\n" << status;
      out << "\n== quorum: describe --replication ==\n" << replication;
    }
  }
  if (o.log || o.image) {
    for (raft::NodeId id : o.nodes.empty() ? default_nodes(simulation, scenario) : o.nodes) {
      print_node(out, simulation, id, o);
    }
  }
  return kExitSuccess;
}

}  // namespace kraftsim::cli
