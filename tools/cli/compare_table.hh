// The terminal report of `kraftsim compare`: the schedule runs' figures with one column per
// quorum size, then the sweep (voters down at once, racks down at once) showing for each size the
// available fraction of the fault window and whether the quorum kept making progress.
#pragma once

#include <ostream>

#include "sim/compare/report.hh"

namespace kraftsim::cli {

void print_compare_table(std::ostream& out, const sim::compare::CompareReport& report);

}  // namespace kraftsim::cli
