// Node ids and node selectors of the scenario JSON (see selectors.hh).
#include "sim/scenario/selectors.hh"

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

namespace sim::scenario_detail {

namespace {

bool is_label_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.';
}

}  // namespace

std::string node_range(int node_count) {
  return "(0.." + std::to_string(node_count - 1) + ")";
}

NodeId read_node_id(const Reporter& r, const json& value, const JsonPath& path, int node_count) {
  std::string expected = "a node id " + node_range(node_count);
  return NodeId(static_cast<std::int32_t>(read_int(r, value, path, 0, node_count - 1, expected)));
}

bool is_valid_label(std::string_view label) {
  return !label.empty() && std::all_of(label.begin(), label.end(), is_label_char);
}

std::string selector_expected(int node_count) {
  return "a node id " + node_range(node_count) + R"(, "leader", "follower" or "label:<name>")";
}

std::string restart_selector_expected(int node_count) {
  return "a node id " + node_range(node_count) +
         R"( or "label:<name>" of an earlier crash, shutdown or wipe (a restart targets a stopped )"
         R"(node, never "leader" or "follower"))";
}

// Reads a node selector (syntax only; labels are resolved by the TimelineChecker).
SelectorSite read_selector(const Reporter& r, const json& value, const JsonPath& path,
                           int node_count, bool for_restart) {
  std::string expected =
      for_restart ? restart_selector_expected(node_count) : selector_expected(node_count);
  SelectorSite site{NodeSelector{}, path, compact(value), 0};
  if (value.is_number()) {
    site.selector.kind = NodeSelector::Kind::Id;
    site.selector.id =
        NodeId(static_cast<std::int32_t>(read_int(r, value, path, 0, node_count - 1, expected)));
    return site;
  }
  if (!value.is_string()) r.bad(path, value, expected);
  const auto& text = value.get_ref<const std::string&>();
  constexpr std::string_view kLabelPrefix = "label:";
  if (text.rfind(kLabelPrefix, 0) == 0) {
    std::string label = text.substr(kLabelPrefix.size());
    if (!is_valid_label(label)) {
      r.bad(path, value, R"("label:<name>" where <name> is )" + std::string(kLabelRule));
    }
    site.selector.kind = NodeSelector::Kind::Label;
    site.selector.label = std::move(label);
    return site;
  }
  if (!for_restart && text == "leader") {
    site.selector.kind = NodeSelector::Kind::Leader;
    return site;
  }
  if (!for_restart && text == "follower") {
    site.selector.kind = NodeSelector::Kind::Follower;
    return site;
  }
  std::vector<std::string_view> words = {"leader", "follower", "label:"};
  r.bad(path, value, expected + (for_restart ? "" : did_you_mean(text, words)));
}

}  // namespace sim::scenario_detail
