// Setting edits for the shrinker (shrinker.hh): fewer operations (the admin workload's topics,
// their partitions, the create stream) and a plainer network and disks. Each edit changes one
// thing; applied to a scenario where there is nothing to change, it does nothing.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sim/scenario/scenario.hh"

namespace sim::fuzz {

// Applies itself to `s` and says what it did ("network: loss 0.3% -> 0"), or returns nullopt
// (s unchanged) when it does not apply.
using SettingEdit = std::function<std::optional<std::string>(Scenario&)>;

// For the admin workload of `s`, in this order: every topic removed (the last one first;
// "removed topic orders"), then for each topic its partitions down to 1, then halved
// ("topic orders: partitions 6 -> 1"), then the create stream removed, then its count halved.
// Topics are named, so an edit still finds its topic after earlier ones were kept.
std::vector<SettingEdit> operation_edits(const Scenario& s);

// In this order: the default link's duplication to 0, its loss to 0, its latency to a constant
// 1 ms; the class overrides removed, the per-link overrides removed; the per-node configs
// removed; the disks' fsync latency to 0, the per-node disk latencies removed.
std::vector<SettingEdit> network_and_disk_edits();

}  // namespace sim::fuzz
