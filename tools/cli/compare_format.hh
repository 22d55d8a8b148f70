// Number formatting shared by the compare table and chart (compare_table.cc, compare_svg.cc):
// integer arithmetic only, so the text depends on nothing but the numbers (no locale, no floating
// point).
#pragma once

#include <cstdint>
#include <string>

#include "raft/common/time.hh"

namespace kraftsim::cli {

// `scaled` with its last `decimals` digits after the decimal point: (231, 2) -> "2.31".
std::string decimal(std::int64_t scaled, int decimals);

// a / b to the nearest integer, halves away from zero (b > 0).
std::int64_t round_div(std::int64_t a, std::int64_t b);

// A readable duration: "0.250 ms", "4.25 ms", "850 ms", "2.31 s", "23.1 s", "312 s".
std::string duration_text(raft::Duration d);

// A fraction in ppm as a percentage with `decimals` (0..4) decimals, truncated (never rounded up
// to a rosier figure): (998'765, 3) -> "99.876%".
std::string percent_text(std::int64_t ppm, int decimals);

// A setting in ms: whole seconds as "10 s", anything else as duration_text.
std::string setting_text(std::int64_t ms);

// "1 run", "3 runs".
std::string plural(std::int64_t n, const std::string& noun);

}  // namespace kraftsim::cli
