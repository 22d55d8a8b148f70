// Reading the name of an action ("action": "crash") or an expectation ("type": "leader_at_end"),
// for the scenario loader: the names a cluster accepts depend on what it runs, because some kinds
// exist only for the metadata state machine. Internal to the loader.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario/json_reader.hh"
#include "sim/scenario/scenario.hh"
#include "sim/scenario/selectors.hh"

namespace sim::scenario_detail {

// True if the cluster runs the quorum controllers and brokers.
inline bool is_metadata(const ClusterSpec& cluster) {
  return cluster.state_machine == StateMachineChoice::Metadata;
}

// The names of `kinds` (by to_string) that `cluster` accepts: all of them for a metadata cluster,
// those that are not `metadata_only` for the counter.
template <typename Kind, std::size_t N>
std::vector<std::string_view> kind_names(const ClusterSpec& cluster,
                                         const std::array<Kind, N>& kinds,
                                         bool (*metadata_only)(Kind)) {
  std::vector<std::string_view> names;
  for (Kind k : kinds) {
    if (is_metadata(cluster) || !metadata_only(k)) names.push_back(to_string(k));
  }
  return names;
}

// Reads one of `kinds` by name. A metadata-only kind on a counter cluster, an unknown name or a
// non-string is reported with the accepted names (and a did-you-mean).
template <typename Kind, std::size_t N>
Kind read_kind(const Reporter& r, const json& value, const JsonPath& path,
               const ClusterSpec& cluster, const std::array<Kind, N>& kinds,
               bool (*metadata_only)(Kind)) {
  const std::vector<std::string_view> names = kind_names(cluster, kinds, metadata_only);
  if (value.is_string()) {
    for (Kind k : kinds) {
      if (to_string(k) != value.get_ref<const std::string&>()) continue;
      if (metadata_only(k) && !is_metadata(cluster)) {
        r.bad(path, value,
              "one of " + join(names, "|") + " (" + quote(to_string(k)) + " needs " +
                  needs_state_machine(cluster, StateMachineChoice::Metadata) + ")");
      }
      return k;
    }
  }
  const std::string got = value.is_string() ? value.get<std::string>() : "";
  r.bad(path, value, "one of " + join(names, "|") + did_you_mean(got, names));
}

}  // namespace sim::scenario_detail
