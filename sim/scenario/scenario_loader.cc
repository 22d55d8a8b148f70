// Scenario loader (see scenario_loader.hh): JSON text -> checked JSON document -> Scenario.
//
// This file holds ScenarioError and the top-level orchestration; the work is done by:
//   document_builder.hh     text parsing (a SAX document builder that also rejects duplicate keys)
//   json_reader.hh          message helpers, Reporter, Object and the typed readers
//   selectors.hh            node ids, node selectors, label syntax and the broker role
//   sections.hh             the cluster, stop, network, disk and workload sections, and topics
//   timeline.hh             the timeline and its cross-checks (labels, partitions, drops, restarts)
//   expectations_parser.hh  the expectations
#include "sim/scenario/scenario_loader.hh"

#include <cstddef>
#include <fstream>
#include <map>
#include <sstream>
#include <utility>
#include <vector>

#include "sim/scenario/document_builder.hh"
#include "sim/scenario/expectations_parser.hh"
#include "sim/scenario/json_path.hh"
#include "sim/scenario/json_reader.hh"
#include "sim/scenario/sections.hh"
#include "sim/scenario/timeline.hh"

namespace sim {

// ---------------------------------------------------------------------------------------------
// ScenarioError

namespace {

std::string describe_problem(const std::string& path, const std::string& got,
                             const std::string& expected) {
  std::string out = path.empty() ? "(top level)" : path;
  out += ": ";
  out += got == ScenarioError::kMissing ? std::string(got) : "got " + got;
  out += ", expected " + expected;
  return out;
}

}  // namespace

ScenarioError::ScenarioError(std::string file, std::string path, std::string got,
                             std::string expected)
    : std::runtime_error(file + ": " + describe_problem(path, got, expected)),
      file_(std::move(file)),
      path_(std::move(path)),
      got_(std::move(got)),
      expected_(std::move(expected)) {}

ScenarioError::ScenarioError(std::string file, std::string message, std::string got,
                             std::string expected, int line, int column)
    : std::runtime_error(file + ": " + message),
      file_(std::move(file)),
      got_(std::move(got)),
      expected_(std::move(expected)),
      line_(line),
      column_(column) {}

ScenarioError ScenarioError::malformed(std::string file, int line, int column, std::string token,
                                       const std::string& detail) {
  std::string message = "line " + std::to_string(line) + ", column " + std::to_string(column) +
                        ": malformed JSON: " + detail;
  return ScenarioError(std::move(file), std::move(message), std::move(token), "well-formed JSON",
                       line, column);
}

ScenarioError ScenarioError::unreadable(std::string file) {
  return ScenarioError(std::move(file), "cannot open the file for reading", "", "a readable file",
                       0, 0);
}

// ---------------------------------------------------------------------------------------------
// The whole document

namespace {

using scenario_detail::DocumentBuilder;
using scenario_detail::ExpectationContext;
using scenario_detail::json;
using scenario_detail::line_and_column;
using scenario_detail::Object;
using scenario_detail::parse_cluster;
using scenario_detail::parse_disk;
using scenario_detail::parse_expectations;
using scenario_detail::parse_network;
using scenario_detail::parse_stop;
using scenario_detail::parse_timeline;
using scenario_detail::parse_workload;
using scenario_detail::read_string;
using scenario_detail::read_uint64;
using scenario_detail::Reporter;

std::vector<std::string_view> top_level_fields() {
  return {"name",     "description", "seed", "cluster",      "network", "disk",
          "workload", "timeline",    "stop", "expectations", "bugs"};
}

// "bugs": distinct names of historical bugs to re-introduce (raft/common/bugs.hh).
raft::BugSet parse_bugs(const Reporter& r, const json& value, const JsonPath& path) {
  std::vector<std::string_view> names;
  for (std::string_view name : raft::bug_names()) names.push_back(name);
  const std::string one_of = "one of " + scenario_detail::join_quoted(names);
  const json& array = scenario_detail::read_array(
      r, value, path, "an array of distinct bug names, each " + one_of);
  raft::BugSet bugs;
  std::map<raft::Bug, std::size_t> first;  // bug -> index of the element that names it
  for (std::size_t i = 0; i < array.size(); ++i) {
    const json& item = array[i];
    const JsonPath at = path.index(i);
    const std::string got = item.is_string() ? item.get<std::string>() : "";
    const std::optional<raft::Bug> bug = raft::bug_from_string(got);
    if (!bug) r.bad(at, item, "a bug name, " + one_of + scenario_detail::did_you_mean(got, names));
    if (auto [it, inserted] = first.emplace(*bug, i); !inserted) {
      r.bad(at, item,
            "each bug once (" + path.index(it->second).str() + " already names it)");
    }
    bugs.insert(*bug);
  }
  return bugs;
}

Scenario parse_document(const Reporter& r, const json& doc, const std::string& source_name) {
  Object top(r, doc, JsonPath(), "the scenario", top_level_fields());
  Scenario s;
  s.source_path = source_name;
  s.name = read_string(r, top.need("name", "a non-empty string"), top.at("name"),
                       "a non-empty string", false);
  s.description =
      read_string(r, top.need("description", "a string"), top.at("description"), "a string", true);
  if (const json* seed = top.find("seed")) s.seed = read_uint64(r, *seed, top.at("seed"), 0);
  if (const json* bugs = top.find("bugs")) s.bugs = parse_bugs(r, *bugs, top.at("bugs"));
  s.cluster =
      parse_cluster(r, top.need("cluster", R"(an object such as {"controllers": 3, "brokers": 2})"),
                    top.at("cluster"));
  if (const json* stop = top.find("stop")) s.stop = parse_stop(r, *stop, top.at("stop"));
  const json absent = json::object();  // a missing network section: every default
  const json* network = top.find("network");
  s.network =
      parse_network(r, network != nullptr ? *network : absent, top.at("network"), s.cluster);
  if (const json* disk = top.find("disk")) s.disk = parse_disk(r, *disk, top.at("disk"), s.cluster);
  if (const json* workload = top.find("workload")) {
    auto [appends, admin] = parse_workload(r, *workload, top.at("workload"), s.cluster, s.stop);
    s.workload = appends;
    s.admin = std::move(admin);
  }
  std::map<std::string, std::size_t> labels;
  if (const json* timeline = top.find("timeline")) {
    s.timeline = parse_timeline(r, *timeline, top.at("timeline"), s.cluster, s.stop, labels);
  }
  const ExpectationContext context{s.cluster, s.stop, labels, s.timeline, s.admin};
  if (const json* expectations = top.find("expectations")) {
    s.expectations = parse_expectations(r, *expectations, top.at("expectations"), context);
  }
  if (const json* stop = top.find("stop"); stop != nullptr && stop->contains("when")) {
    s.stop.when = scenario_detail::parse_stop_condition(r, stop->at("when"),
                                                        top.at("stop").field("when"), context);
  }
  return s;
}

}  // namespace

Scenario parse_scenario(const json& doc, const std::string& source_name) {
  return parse_document(Reporter(source_name), doc, source_name);
}

Scenario parse_scenario_text(std::string_view text, const std::string& source_name) {
  DocumentBuilder builder;
  bool ok = json::sax_parse(text.begin(), text.end(), &builder, json::input_format_t::json,
                            /*strict=*/true, /*ignore_comments=*/false);
  if (!ok) {
    if (const auto& dup = builder.duplicate_key()) {
      throw ScenarioError(source_name, dup->str(), "a second value for this key",
                          "each key at most once per object");
    }
    const auto& error = builder.syntax_error();
    std::size_t position = error ? error->position : 0;
    auto [line, column] = line_and_column(text, position);
    throw ScenarioError::malformed(source_name, line, column, error ? error->token : "",
                                   error ? error->detail : "unknown syntax error");
  }
  return parse_scenario(builder.root(), source_name);
}

Scenario load_scenario_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ScenarioError::unreadable(path);
  std::ostringstream contents;
  contents << in.rdbuf();
  if (in.bad()) throw ScenarioError::unreadable(path);
  return parse_scenario_text(contents.str(), path);
}

}  // namespace sim
