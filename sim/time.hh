// Simulated time on the simulator side: raft::Instant and raft::Duration re-exported into namespace
// sim, plus text formatting for summaries and traces.
//
// Both types are int64 microseconds (raft/common/time.hh). They live in raft/ because raft/ must not
// depend on sim/; the simulator uses them through these using-declarations.
#pragma once

#include <cstdint>
#include <string>

#include "raft/common/time.hh"

namespace sim {

using raft::Duration;
using raft::Instant;

// Renders a span of microseconds as milliseconds with exactly three decimals (microsecond
// precision) and the unit: 0 -> "0.000 ms", 1'234'567 us -> "1234.567 ms", -500 us -> "-0.500 ms".
// This is the one time format of summaries: always milliseconds, never switching units, so columns
// line up and values compare at a glance.
inline std::string format_ms_us(std::int64_t us) {
  // Work on the magnitude as unsigned so that INT64_MIN does not overflow on negation.
  const bool negative = us < 0;
  const std::uint64_t magnitude =
      negative ? 0 - static_cast<std::uint64_t>(us) : static_cast<std::uint64_t>(us);
  const std::uint64_t whole_ms = magnitude / 1000;
  const std::uint64_t frac_us = magnitude % 1000;
  std::string frac = std::to_string(frac_us);
  frac.insert(0, 3 - frac.size(), '0');
  return (negative ? "-" : "") + std::to_string(whole_ms) + "." + frac + " ms";
}

// An instant as time since the start of the run, in the format above ("12345.678 ms");
// Instant::never() renders as "never".
inline std::string format_ms(Instant t) {
  if (t.is_never()) return "never";
  return format_ms_us(t.us());
}

// A duration in the format above; Duration::max() renders as "max".
inline std::string format_ms(Duration d) {
  if (d == Duration::max()) return "max";
  return format_ms_us(d.us());
}

}  // namespace sim
