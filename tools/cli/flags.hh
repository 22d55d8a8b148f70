// Command-line flag values shared by the kraftsim commands: the UsageError that every bad command
// line throws (exit 2), the Boost.Program_options call, and one parser per kind of flag value.
//
// Every message names the flag, the bad value and what was expected, e.g.
//   --seeds: got '5..2', expected A..B with A <= B
#pragma once

#include <boost/program_options.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "raft/common/bugs.hh"

namespace kraftsim::cli {

// A bad command line (unknown flag, bad value, conflicting flags, bad results file); the message
// says what was wrong without the "kraftsim: " prefix that cli::main adds. Exit code 2.
struct UsageError {
  std::string message;
};

// Parses `args` (the arguments after the command name) against `options`; Boost's own errors
// (unknown flag, missing value, a flag given twice) become a UsageError.
boost::program_options::variables_map parse_options(
    const std::vector<std::string>& args, const boost::program_options::options_description& options,
    const boost::program_options::positional_options_description& positional);

// The whole of `text` as an unsigned decimal integer (digits only, fits in 64 bits), or nullopt.
std::optional<std::uint64_t> decimal_u64(std::string_view text);

// An unsigned 64-bit integer in decimal; `flag` ("--seed") names it in the error.
std::uint64_t parse_u64(std::string_view flag, const std::string& text);

// An integer in [min, max]; the error says "expected an integer in MIN..MAX".
std::uint64_t parse_u64_in(std::string_view flag, const std::string& text, std::uint64_t min,
                           std::uint64_t max);

// An inclusive range of seeds: --seeds "A..B" (A <= B) or "N" (the range N..N).
struct SeedRange {
  std::uint64_t first = 0;
  std::uint64_t last = 0;
  // Seeds in the range (last - first + 1; the parser rejects the one range whose count does not
  // fit in 64 bits, 0..2^64-1).
  [[nodiscard]] std::uint64_t count() const { return last - first + 1; }
};
SeedRange parse_seed_range(const std::string& text);

// --shard "K/N": this machine runs the seeds whose 0-based index in the range is K mod N
// (0 <= K < N).
struct Shard {
  std::uint64_t index = 0;  // K
  std::uint64_t count = 1;  // N >= 1
};
Shard parse_shard(const std::string& text);

// The names of every historical bug, comma-separated, for messages.
std::string bug_list();

// Adds the bugs named by --bug to `bugs`; an unknown name is a UsageError listing the valid ones.
void add_bugs(const std::vector<std::string>& names, raft::BugSet& bugs);

}  // namespace kraftsim::cli
