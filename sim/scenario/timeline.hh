// The scenario's "timeline" of faults, for the scenario loader (scenario_loader.hh); internal to
// it. parse_timeline() reads every action (time, type, label, node selectors), then walks them in
// run order with a TimelineChecker: label references must name an earlier suitable action,
// partition groups and drop ends must not name a node twice, and crashes, shutdowns, wipes and
// restarts must make sense given which nodes the file has already stopped. A crash "at_next" a
// file write leaves its node's liveness unknown (it stops when the write happens, if ever); a wipe
// stops its node whether or not it was running.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario/json_reader.hh"
#include "sim/scenario/scenario.hh"

namespace sim::scenario_detail {

// The timeline at `path`, in run order (sorted by time, file order among equal times). Fills
// `labels` with label -> index of the labelled action in the file. Actions may not run after
// `stop`; node ids are in [0, node_count).
std::vector<Action> parse_timeline(const Reporter& r, const json& value, const JsonPath& path,
                                   int node_count, const StopSpec& stop,
                                   std::map<std::string, std::size_t>& labels);

// "labels: \"a\", \"b\" or \"c\"" (or "the timeline has no labels"), for messages.
std::string list_labels(const std::map<std::string, std::size_t>& labels);

// The labels' names, in order, for did_you_mean().
std::vector<std::string_view> label_names(const std::map<std::string, std::size_t>& labels);

}  // namespace sim::scenario_detail
