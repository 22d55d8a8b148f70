// The summary of a benchmark figure over its runs (`kraftsim bench`, bench_command.hh): the median,
// the smallest and the largest value.
//
// Median rule: the middle value of the sorted values when their count is odd; the mean of the two
// middle values when it is even (e.g. {4, 1, 3, 2} -> 2.5). bench_report.hh writes this rule into
// the JSON result file as "median_rule" (kMedianRule).
#pragma once

#include <string_view>
#include <vector>

namespace kraftsim::cli {

inline constexpr std::string_view kMedianRule =
    "the middle value of the sorted runs; for an even number of runs, the mean of the two middle "
    "values";

// Median, min and max of a non-empty set of values (same unit as the values);
// min <= median <= max always holds.
struct FigureStats {
  double median = 0;
  double min = 0;
  double max = 0;
};

// The stats of `values` (any order). Throws std::invalid_argument when `values` is empty.
FigureStats summarize(std::vector<double> values);

}  // namespace kraftsim::cli
