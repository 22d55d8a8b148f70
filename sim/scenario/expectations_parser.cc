// Parsing the expectations of a scenario (see expectations_parser.hh).
#include "sim/scenario/expectations_parser.hh"

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>

#include "sim/scenario/selectors.hh"
#include "sim/scenario/timeline.hh"

namespace sim::scenario_detail {

namespace {

constexpr std::array<ExpectationType, 7> kExpectationTypes = {
    ExpectationType::LeaderElectedWithin, ExpectationType::LeaderAtEnd,
    ExpectationType::NoLeaderAtEnd,       ExpectationType::HighWatermarkAtLeast,
    ExpectationType::CaughtUpAtEnd,       ExpectationType::NoProgressBetween,
    ExpectationType::ProgressBetween};

std::vector<std::string_view> expectation_fields(ExpectationType t) {
  switch (t) {
    case ExpectationType::LeaderElectedWithin: return {"type", "after", "within_ms"};
    case ExpectationType::HighWatermarkAtLeast: return {"type", "value", "nodes"};
    case ExpectationType::NoProgressBetween:
    case ExpectationType::ProgressBetween: return {"type", "from_ms", "to_ms"};
    case ExpectationType::CaughtUpAtEnd: return {"type", "max_lag_ms"};
    case ExpectationType::LeaderAtEnd:
    case ExpectationType::NoLeaderAtEnd: break;
  }
  return {"type"};
}

ExpectationType read_expectation_type(const Reporter& r, const json& value, const JsonPath& path) {
  std::vector<std::string_view> names;
  for (ExpectationType t : kExpectationTypes) names.push_back(to_string(t));
  if (value.is_string()) {
    for (ExpectationType t : kExpectationTypes) {
      if (to_string(t) == value.get_ref<const std::string&>()) return t;
    }
  }
  std::string got = value.is_string() ? value.get<std::string>() : "";
  r.bad(path, value, "one of " + join(names, "|") + did_you_mean(got, names));
}

std::vector<NodeId> read_node_list(const Reporter& r, const json& value, const JsonPath& path,
                                   int node_count) {
  std::string expected = "a non-empty array of distinct node ids " + node_range(node_count) +
                         " (leave \"nodes\" out to mean every running node)";
  if (!value.is_array() || value.empty()) r.bad(path, value, expected);
  std::vector<NodeId> nodes;
  for (std::size_t i = 0; i < value.size(); ++i) {
    NodeId id = read_node_id(r, value[i], path.index(i), node_count);
    if (std::find(nodes.begin(), nodes.end(), id) != nodes.end()) {
      r.bad(path.index(i), value[i], "a node id not already in the list");
    }
    nodes.push_back(id);
  }
  return nodes;
}

std::string describe_nodes(const std::vector<NodeId>& nodes) {
  if (nodes.empty()) return "every running node";
  std::string out = "every running node of ";
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    out += (i == 0 ? "" : ", ") + std::to_string(nodes[i].value());
  }
  return out;
}

Expectation parse_expectation(const Reporter& r, const json& value, const JsonPath& path,
                              std::size_t index, const ExpectationContext& ctx) {
  if (!value.is_object()) {
    r.bad(path, value, R"(an expectation object, e.g. {"type": "leader_at_end"})");
  }
  std::vector<std::string_view> names;
  for (ExpectationType t : kExpectationTypes) names.push_back(to_string(t));
  std::string type_expected = "one of " + join(names, "|");
  auto type_it = value.find("type");
  if (type_it == value.end()) {  // a misspelt "type" key is reported as an unknown field first
    Object any(r, value, path, "an expectation",
               {"type", "after", "within_ms", "value", "nodes", "from_ms", "to_ms", "max_lag_ms"});
    r.missing(path.field("type"), type_expected);
  }
  Expectation e;
  e.index = index;
  e.type = read_expectation_type(r, *type_it, path.field("type"));
  Object obj(r, value, path, article(std::string(to_string(e.type))) + " expectation",
             expectation_fields(e.type));
  switch (e.type) {
    case ExpectationType::LeaderElectedWithin: {
      e.after_label = read_string(r, obj.need("after", "the label of a timeline action"),
                                  obj.at("after"), "the label of a timeline action", false);
      if (ctx.labels.count(e.after_label) == 0) {
        r.bad(obj.at("after"), json(e.after_label),
              "the label of a timeline action (" + list_labels(ctx.labels) + ")" +
                  did_you_mean(e.after_label, label_names(ctx.labels)));
      }
      e.within = Duration::micros(read_ms(r, obj.need("within_ms", ms_expected(Lower::Positive)),
                                          obj.at("within_ms"), Lower::Positive));
      e.description = "a leader of a newer epoch commits within " + format_ms(e.within.us()) +
                      " ms of '" + e.after_label + "'";
      break;
    }
    case ExpectationType::LeaderAtEnd:
      e.description = "at the end a running leader has committed in its epoch";
      break;
    case ExpectationType::NoLeaderAtEnd:
      e.description = "at the end no running node is a leader able to commit";
      break;
    case ExpectationType::HighWatermarkAtLeast: {
      e.value =
          read_int(r, obj.need("value", int_range(0, std::numeric_limits<std::int64_t>::max())),
                   obj.at("value"), 0, std::numeric_limits<std::int64_t>::max());
      if (const json* nodes = obj.find("nodes")) {
        e.nodes = read_node_list(r, *nodes, obj.at("nodes"), ctx.node_count);
      }
      e.description = "at the end " + describe_nodes(e.nodes) +
                      " has a high watermark >= " + std::to_string(e.value);
      break;
    }
    case ExpectationType::CaughtUpAtEnd: {
      // Followers learn the HW one fetch after the leader, so under a steady load they always
      // trail it slightly: "caught up" means reaching the leader's HW of max_lag_ms earlier.
      e.within = Duration::millis(1000);
      if (obj.find("max_lag_ms") != nullptr) {
        e.within = Duration::micros(read_ms(r, *obj.find("max_lag_ms"), obj.at("max_lag_ms"),
                                            Lower::Zero));
      }
      e.description = "at the end every running node's high watermark has reached the leader's of " +
                      format_ms(e.within.us()) + " ms earlier";
      break;
    }
    case ExpectationType::NoProgressBetween:
    case ExpectationType::ProgressBetween: {
      std::string stop_ms = format_ms(ctx.stop.at.us());
      std::string from_expected = "a time in milliseconds in [0, " + stop_ms + ")";
      std::int64_t from = read_ms(r, obj.need("from_ms", from_expected), obj.at("from_ms"),
                                  Lower::Zero, ctx.stop.at.us() - 1, from_expected);
      std::string to_expected = "a time in milliseconds in (from_ms, stop.at_ms] = (" +
                                format_ms(from) + ", " + stop_ms + "]";
      const json& to_value = obj.need("to_ms", to_expected);
      std::int64_t to =
          read_ms(r, to_value, obj.at("to_ms"), Lower::Zero, ctx.stop.at.us(), to_expected);
      if (to <= from) r.bad(obj.at("to_ms"), to_value, to_expected);
      e.from = Instant::from_us(from);
      e.to = Instant::from_us(to);
      bool grows = e.type == ExpectationType::ProgressBetween;
      e.description = std::string("the highest high watermark ") +
                      (grows ? "grows" : "does not grow") + " between " + format_ms(from) +
                      " ms and " + format_ms(to) + " ms";
      break;
    }
  }
  return e;
}

}  // namespace

std::vector<Expectation> parse_expectations(const Reporter& r, const json& value,
                                            const JsonPath& path, const ExpectationContext& ctx) {
  read_array(r, value, path, "an array of expectations");
  std::vector<Expectation> out;
  std::optional<std::size_t> leader_at_end;
  std::optional<std::size_t> no_leader_at_end;
  for (std::size_t i = 0; i < value.size(); ++i) {
    out.push_back(parse_expectation(r, value[i], path.index(i), i, ctx));
    if (out.back().type == ExpectationType::LeaderAtEnd) leader_at_end = i;
    if (out.back().type == ExpectationType::NoLeaderAtEnd) no_leader_at_end = i;
    if (leader_at_end && no_leader_at_end) {
      std::size_t other =
          out.back().type == ExpectationType::LeaderAtEnd ? *no_leader_at_end : *leader_at_end;
      r.bad(path.index(i).field("type"), json(to_string(out.back().type)),
            "an expectation that does not contradict " + path.index(other).str() + " (" +
                std::string(to_string(out[other].type)) + ")");
    }
  }
  return out;
}

}  // namespace sim::scenario_detail
