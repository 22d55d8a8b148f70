// Short text forms of times and probabilities for the shrinker's edit descriptions
// ("stop 61000 ms -> 12000 ms", "network: loss 0.3% -> 0").
#pragma once

#include <cstdint>
#include <string>

#include "sim/scenario/scenario.hh"

namespace sim::fuzz {

// Microseconds as milliseconds with at most three decimals and no trailing zeros:
// 61'000'000 -> "61000 ms", 1'500 -> "1.5 ms", 0 -> "0 ms".
std::string ms_text(std::int64_t us);
inline std::string ms_text(Instant t) { return ms_text(t.us()); }
inline std::string ms_text(Duration d) { return ms_text(d.us()); }

// A probability as a percentage with at most four decimals: 3000 ppm -> "0.3%", 0 -> "0".
std::string percent_text(Ppm p);

// A link latency: "constant 1 ms", "uniform 1-5 ms", "exponential 1 ms + mean 2 ms (max 5 ms)".
std::string latency_text(const LatencySpec& latency);

}  // namespace sim::fuzz
