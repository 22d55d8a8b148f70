// A fuzz profile: the ranges the fuzzer draws each seed's cluster, workload and fault schedule
// from (kraftsim fuzz --profile FILE). Swarm testing: per seed, each fault kind is switched on
// with its own probability, and its rate and durations are drawn within the ranges given here,
// so different seeds stress very different mixes of faults.
//
// The built-in default (default_profile()) is the same as scenarios/fuzz/default-profile.json;
// a test keeps the two equal. The file format is documented in scenarios/fuzz/README.md.
#pragma once

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario/scenario.hh"

namespace sim::fuzz {

// An inclusive integer range [min, max] (min <= max) to draw one value from.
struct IntRange {
  std::int64_t min = 0;
  std::int64_t max = 0;
  bool operator==(const IntRange&) const = default;
};

// The kinds of fault the fuzzer injects. Each has an undo that the schedule runs after the
// fault's drawn duration (or at the heal of the liveness phase).
enum class FaultKind {
  Crash,               // hard kill of a node (power loss: unflushed writes lost, maybe torn);
                       // undo: restart
  Shutdown,            // graceful shutdown of a node (a leader resigns first); undo: restart
  Pause,               // a long GC pause of a node; undo: resume
  Isolate,             // every link to and from a node cut; undo: heal
  Partition,           // the cluster split into two groups; undo: heal
  OneWayDrop,          // messages from one node to another lost (one direction); undo: heal
  SlowLink,            // extra latency, loss and duplication on a node's links; undo: restore_link
  SlowDisk,            // a node's fsyncs take long; undo: slow_disk 0
  ClockDrift,          // a node's clock runs fast or slow; undo: clock_drift 0
  CorrelatedCrash,     // a rack fails: a controller and brokers crash at the same instant; undo:
                       // restart them
  ControlledShutdown,  // a broker shuts down cleanly (leaderships moved first); undo: restart
  BrokerWipe,          // a broker loses its disk (voters never: without KIP-853 that may lose
                       // committed data, legitimately); undo: restart
  AdminOps,            // topic creations and deletions by the admin client (no undo)
};

inline constexpr std::size_t kFaultKindCount = 13;

// Every kind, in the fixed order above (the order of draws, settings and the profile file).
inline constexpr std::array<FaultKind, kFaultKindCount> kAllFaultKinds = {
    FaultKind::Crash,      FaultKind::Shutdown,        FaultKind::Pause,
    FaultKind::Isolate,    FaultKind::Partition,       FaultKind::OneWayDrop,
    FaultKind::SlowLink,   FaultKind::SlowDisk,        FaultKind::ClockDrift,
    FaultKind::CorrelatedCrash, FaultKind::ControlledShutdown, FaultKind::BrokerWipe,
    FaultKind::AdminOps};

// The profile file's name of a kind: "crash", "shutdown", "pause", "isolate", "partition",
// "one_way_drop", "slow_link", "slow_disk", "clock_drift", "correlated_crash",
// "controlled_shutdown", "broker_wipe", "admin_ops".
std::string_view to_string(FaultKind k);
std::optional<FaultKind> fault_kind_from_string(std::string_view name);

// How one fault kind is drawn.
struct FaultProfile {
  // Probability (parts per million) that the kind is switched on in a seed at all.
  Ppm enabled;
  // When on: the mean gap (ms) between two faults of this kind is drawn from this range once per
  // seed; the gaps themselves are then exponential with that mean.
  IntRange mean_interval_ms;
  // How long one fault lasts before its undo (ms), drawn per fault (log-uniformly, so short and
  // long faults are both common). Unused by AdminOps.
  IntRange duration_ms;
  bool operator==(const FaultProfile&) const = default;
};

struct Profile {
  // Voter counts to choose from (each 1..9), drawn uniformly: e.g. {3, 5}.
  std::vector<int> controllers = {3, 5};
  IntRange brokers{3, 6};  // broker-only nodes
  // Length of the safety phase (ms): faults are injected from 1 s after the start to its end.
  IntRange safety_ms{20'000, 40'000};
  // The liveness phase: at the end of the safety phase everything is healed (see generator.hh)
  // and the cluster must recover within this bound (ms); the run stops at its end.
  std::int64_t liveness_ms = 30'000;
  // Upper bound of events per run (stop.events_max): more means a livelock (outcome events_max).
  std::uint64_t events_max = 20'000'000;

  // Per-node Raft timeouts: with probability `config_jitter` a seed draws, for every controller,
  // its own controller.quorum.election.timeout.ms and fetch.timeout.ms from these ranges
  // (cluster.node_config); otherwise Kafka's defaults are kept.
  Ppm config_jitter;
  IntRange election_timeout_ms{100, 2000};
  IntRange fetch_timeout_ms{1000, 4000};

  // The default link: latency uniform in [1 ms, max] with max drawn from latency_max_ms; loss
  // and duplication probabilities (ppm) drawn from their ranges.
  IntRange latency_max_ms{2, 20};
  IntRange loss_ppm{0, 10'000};
  IntRange duplicate_ppm{0, 10'000};

  // Workload: topics created at 1 s, each with partitions and replication factor drawn (the
  // replication factor is capped by the broker count).
  IntRange topics{1, 3};
  IntRange partitions{1, 8};
  IntRange replication_factor{1, 3};

  // One entry per kind, indexed by static_cast<std::size_t>(FaultKind).
  std::array<FaultProfile, kFaultKindCount> faults{};

  [[nodiscard]] const FaultProfile& fault(FaultKind k) const {
    return faults[static_cast<std::size_t>(k)];
  }
  bool operator==(const Profile&) const = default;
};

// The built-in profile (equal to scenarios/fuzz/default-profile.json).
Profile default_profile();

// Parses a profile document. Every field is optional (a missing one keeps default_profile()'s
// value); unknown fields, wrong types, empty or inverted ranges and out-of-range values throw a
// ScenarioError (sim/scenario/scenario_loader.hh) naming `source_name`, the JSON path, the value
// and what was expected, e.g.
//   my-profile.json: faults.crash.duration_ms.max: got -5, expected an integer in 1..3600000
Profile parse_profile(const nlohmann::json& doc, const std::string& source_name);
// Reads and parses the profile file at `path` (malformed JSON and unreadable files as for
// scenarios).
Profile load_profile_file(const std::string& path);
// The profile as a document parse_profile() reads back to the same Profile (every field written).
nlohmann::json profile_to_json(const Profile& p);

}  // namespace sim::fuzz
