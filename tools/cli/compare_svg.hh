// The SVG chart of `kraftsim compare` (DIR/compare.svg under --out), readable at a glance:
//   * availability of the fault window against voters down at once, one line per quorum size
//     (points where the quorum stopped making progress marked), and the same against racks down;
//   * failover-time distributions per quorum size (from the schedule runs);
//   * overall metadata availability per quorum size.
// Plain SVG 1.1 (no script, no external font or stylesheet), deterministic: the same report
// gives the same bytes.
#pragma once

#include <string>

#include "sim/compare/report.hh"

namespace kraftsim::cli {

std::string compare_svg(const sim::compare::CompareReport& report);

}  // namespace kraftsim::cli
