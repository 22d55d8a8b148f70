// Median, min and max of a benchmark figure (bench_stats.hh).
#include "tools/cli/bench_stats.hh"

#include <algorithm>
#include <stdexcept>

namespace kraftsim::cli {

FigureStats summarize(std::vector<double> values) {
  if (values.empty()) throw std::invalid_argument("summarize: no values");
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  FigureStats s;
  s.min = values.front();
  s.max = values.back();
  // Odd n: the middle value; even n: the mean of values[n/2 - 1] and values[n/2].
  s.median = n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  return s;
}

}  // namespace kraftsim::cli
