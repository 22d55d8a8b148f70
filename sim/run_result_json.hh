// The JSON form of a RunResult (`kraftsim run --summary-json FILE`).
//
// Top-level fields: scenario, seed, outcome, stop_reason, trace_hash (16 hex digits), events,
// sim_time_ms, wall_ms (measured by the caller, null if not), events_per_second,
// sim_seconds_per_wall_second, invariant_checks, invariant_passes, violations (0 or 1 entries:
// invariant, detail, event_index, at_ms, nodes), expectations (description, passed, detail),
// failovers (start_ms, end_ms, duration_ms, elected_after_ms, cause, old_leader, old_epoch,
// new_leader, new_epoch; null where unknown), availability (measured_from_ms (null if no write
// could ever commit), measured_to_ms, measured_ms, unavailable_ms, available_ppm, windows:
// start_ms, end_ms (null if open at the end), duration_ms, reason), elections,
// committed_records_lost, nodes (final state per node), network (message counters), metadata,
// timeline (at_ms, kind, node, text).
#pragma once

#include <optional>

#include <nlohmann/json.hpp>

#include "sim/run_result.hh"

namespace sim {

// wall_ms: wall-clock duration of the run, measured outside the simulation (nullopt if unknown).
nlohmann::json to_json(const RunResult& result, std::optional<double> wall_ms);

// "0x" + 16 lowercase hex digits.
std::string format_hash(std::uint64_t hash);

}  // namespace sim
