// Compares two JSON-lines traces (jsonl_writer.hh) and finds the first event at which they
// diverge (kraftsim trace-diff A B; the determinism test uses it to explain a mismatch).
// Events are compared as whole lines except "seq" (two runs may number events alike and still
// differ, or differ only in a filtered-out prefix: the comparison is on content and order).
#pragma once

#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <vector>

namespace sim::trace_export {

struct TraceDivergence {
  std::uint64_t index = 0;  // 0-based position of the first differing event (in both files)
  std::vector<std::string> context;  // up to `context` equal events just before it (lines)
  std::optional<std::string> a;      // A's event there (nullopt: A ended)
  std::optional<std::string> b;      // B's event there (nullopt: B ended)
  // The first differing field of the two events, e.g. "t_us: 1000250 vs 1000260", or "kind:
  // send vs deliver"; "A ended" / "B ended" when one is shorter.
  std::string difference;
};

// nullopt when the traces are equal (same events in the same order). Malformed lines throw a
// std::runtime_error naming the side ("A" or "B"), the line number and the problem.
std::optional<TraceDivergence> first_divergence(std::istream& a, std::istream& b,
                                                std::size_t context = 5);

// The divergence as text for people, e.g.
//   traces diverge at event 1234 (t 10.000250 s): t_us: 10000250 vs 10000260
//     ... 5 equal events before it ...
//   A: {...}
//   B: {...}
std::string describe(const TraceDivergence& d);

}  // namespace sim::trace_export
