// `kraftsim run --trace FILE ...` (trace_options.hh).
#include "tools/cli/trace_options.hh"

#include <charconv>
#include <limits>
#include <optional>
#include <set>
#include <string_view>
#include <vector>

#include "sim/simulation.hh"
#include "sim/trace_export/chrome_writer.hh"
#include "sim/trace_export/jsonl_writer.hh"
#include "tools/cli/flags.hh"

namespace kraftsim::cli {

namespace po = boost::program_options;
using sim::trace_export::TraceFilter;

namespace {

// The --trace-* flags (without the leading "--"), in the order the usage text lists them.
constexpr std::string_view kTraceFlags[] = {"trace-format",  "trace-nodes", "trace-kinds",
                                            "trace-from-ms", "trace-to-ms", "trace-messages"};

// The largest time in milliseconds whose microseconds fit in an int64.
constexpr std::uint64_t kMaxMs =
    static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) / 1000;

std::string got(std::string_view flag, const std::string& text) {
  return std::string(flag) + ": got '" + text + "', expected ";
}

// The items of a comma-separated list; an empty item (",," or a trailing comma) is an error.
std::vector<std::string> split_list(std::string_view flag, const std::string& text,
                                    const std::string& expected) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = text.find(',', start);
    const std::size_t end = comma == std::string::npos ? text.size() : comma;
    if (end == start) throw UsageError{got(flag, text) + expected};
    items.push_back(text.substr(start, end - start));
    if (comma == std::string::npos) return items;
    start = comma + 1;
  }
}

std::string node_ids_expected(const sim::Scenario& scenario) {
  const int n = scenario.cluster.node_count();
  std::string ids = n == 1 ? "0" : "0.." + std::to_string(n - 1);
  if (scenario.cluster.state_machine == sim::StateMachineChoice::Metadata) {
    ids += ", or " + std::to_string(sim::Simulation::kAdminClientId.value()) +
           " for the admin client";
  }
  return "comma-separated node ids of the cluster (" + ids + ")";
}

std::set<int> parse_nodes(const std::string& text, const sim::Scenario& scenario) {
  const std::string expected = node_ids_expected(scenario);
  const bool metadata = scenario.cluster.state_machine == sim::StateMachineChoice::Metadata;
  const auto admin = static_cast<std::uint64_t>(sim::Simulation::kAdminClientId.value());
  std::set<int> nodes;
  for (const std::string& item : split_list("--trace-nodes", text, expected)) {
    const std::optional<std::uint64_t> id = decimal_u64(item);
    const bool in_cluster =
        id && *id < static_cast<std::uint64_t>(scenario.cluster.node_count());
    if (!in_cluster && !(id && metadata && *id == admin)) {
      throw UsageError{got("--trace-nodes", item) + expected};
    }
    nodes.insert(static_cast<int>(*id));
  }
  return nodes;
}

std::string kind_names() {
  std::string names;
  for (std::size_t i = 0; i < sim::kTraceEventKindCount; ++i) {
    if (i > 0) names += ", ";
    names += sim::to_string(static_cast<sim::TraceEventKind>(i));
  }
  return names;
}

std::set<sim::TraceEventKind> parse_kinds(const std::string& text) {
  const std::string expected = "a comma-separated list of " + kind_names();
  std::set<sim::TraceEventKind> kinds;
  for (const std::string& item : split_list("--trace-kinds", text, expected)) {
    const std::optional<sim::TraceEventKind> kind = sim::trace_event_kind_from_string(item);
    if (!kind) throw UsageError{got("--trace-kinds", item) + expected};
    kinds.insert(*kind);
  }
  return kinds;
}

raft::Instant parse_ms(std::string_view flag, const std::string& text) {
  const std::uint64_t ms = parse_u64_in(flag, text, 0, kMaxMs);
  return raft::Instant::from_ms(static_cast<std::int64_t>(ms));
}

std::uint64_t parse_message_sample(const std::string& text) {
  if (text == "all") return 1;
  if (text == "none") return 0;
  const std::optional<std::uint64_t> n = decimal_u64(text);
  if (!n || *n == 0) {
    throw UsageError{got("--trace-messages", text) +
                     "all, none or an integer N >= 1 (the messages whose id is a multiple of N)"};
  }
  return *n;
}

// True for the Chrome format, false for JSON lines.
bool parse_format(const po::variables_map& vm) {
  if (!vm.count("trace-format")) return false;
  const std::string& text = vm["trace-format"].as<std::string>();
  if (text == "jsonl") return false;
  if (text == "chrome") return true;
  throw UsageError{got("--trace-format", text) + "jsonl or chrome"};
}

}  // namespace

TraceExport::TraceExport(const std::string& path, bool chrome, TraceFilter filter,
                         std::map<int, std::string> roles)
    : path_(path), file_(path, std::ios::out | std::ios::trunc | std::ios::binary) {
  if (!file_) throw UsageError{"--trace: cannot write '" + path + "'"};
  if (chrome) {
    writer_ = std::make_unique<sim::trace_export::ChromeWriter>(file_, std::move(filter),
                                                                std::move(roles));
  } else {
    writer_ = std::make_unique<sim::trace_export::JsonlWriter>(file_, std::move(filter));
  }
}

void TraceExport::finish() {
  file_.flush();
  if (!file_) throw UsageError{"--trace: failed writing '" + path_ + "'"};
  file_.close();
  if (!file_) throw UsageError{"--trace: failed writing '" + path_ + "'"};
}

void add_trace_options(po::options_description& options) {
  options.add_options()("trace", po::value<std::string>(), "trace file");
  for (std::string_view flag : kTraceFlags) {
    options.add_options()(std::string(flag).c_str(), po::value<std::string>(), "trace option");
  }
}

TraceFilter parse_trace_filter(const po::variables_map& vm, const sim::Scenario& scenario) {
  const auto text = [&vm](const char* flag) -> const std::string& {
    return vm[flag].as<std::string>();
  };
  TraceFilter filter;
  if (vm.count("trace-nodes")) filter.nodes = parse_nodes(text("trace-nodes"), scenario);
  if (vm.count("trace-kinds")) filter.kinds = parse_kinds(text("trace-kinds"));
  if (vm.count("trace-from-ms")) filter.from = parse_ms("--trace-from-ms", text("trace-from-ms"));
  if (vm.count("trace-to-ms")) {
    filter.to = parse_ms("--trace-to-ms", text("trace-to-ms"));
    if (filter.to <= filter.from) {
      throw UsageError{got("--trace-to-ms", text("trace-to-ms")) +
                       "a time after --trace-from-ms (" + std::to_string(filter.from.ms()) + ")"};
    }
  }
  if (vm.count("trace-messages")) {
    filter.message_sample = parse_message_sample(text("trace-messages"));
  }
  return filter;
}

std::map<int, std::string> trace_roles(const sim::Scenario& scenario) {
  const sim::ClusterSpec& cluster = scenario.cluster;
  std::map<int, std::string> roles;
  for (int id = 0; id < cluster.node_count(); ++id) {
    if (id >= cluster.controllers) {
      roles[id] = "broker";
    } else {
      roles[id] = cluster.runs_broker(id) ? "broker,controller" : "controller";
    }
  }
  if (cluster.state_machine == sim::StateMachineChoice::Metadata) {
    roles[sim::Simulation::kAdminClientId.value()] = "admin client";
  }
  return roles;
}

std::unique_ptr<TraceExport> open_trace_export(const po::variables_map& vm,
                                               const sim::Scenario& scenario) {
  if (!vm.count("trace")) {
    for (std::string_view flag : kTraceFlags) {
      if (vm.count(std::string(flag))) {
        throw UsageError{"--" + std::string(flag) + ": given without --trace FILE"};
      }
    }
    return nullptr;
  }
  const std::string& path = vm["trace"].as<std::string>();
  if (path.empty()) throw UsageError{got("--trace", path) + "a file name"};
  const bool chrome = parse_format(vm);
  TraceFilter filter = parse_trace_filter(vm, scenario);
  return std::make_unique<TraceExport>(path, chrome, std::move(filter), trace_roles(scenario));
}

}  // namespace kraftsim::cli
