// Flag value parsing shared by the kraftsim commands (flags.hh).
#include "tools/cli/flags.hh"

#include <charconv>
#include <limits>
#include <optional>

namespace kraftsim::cli {

namespace po = boost::program_options;

namespace {

std::string got(std::string_view flag, const std::string& text) {
  return std::string(flag) + ": got '" + text + "', expected ";
}

}  // namespace

std::optional<std::uint64_t> decimal_u64(std::string_view text) {
  std::uint64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

po::variables_map parse_options(const std::vector<std::string>& args,
                                const po::options_description& options,
                                const po::positional_options_description& positional) {
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(options).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError{std::string(e.what()) + " (see kraftsim --help)"};
  }
  return vm;
}

std::uint64_t parse_u64(std::string_view flag, const std::string& text) {
  const std::optional<std::uint64_t> value = decimal_u64(text);
  if (!value) {
    throw UsageError{got(flag, text) + "an unsigned 64-bit integer (0.." +
                     std::to_string(std::numeric_limits<std::uint64_t>::max()) + ")"};
  }
  return *value;
}

std::uint64_t parse_u64_in(std::string_view flag, const std::string& text, std::uint64_t min,
                           std::uint64_t max) {
  const std::optional<std::uint64_t> value = decimal_u64(text);
  if (!value || *value < min || *value > max) {
    throw UsageError{got(flag, text) + "an integer in " + std::to_string(min) + ".." +
                     std::to_string(max)};
  }
  return *value;
}

SeedRange parse_seed_range(const std::string& text) {
  const std::size_t dots = text.find("..");
  std::optional<std::uint64_t> first;
  std::optional<std::uint64_t> last;
  if (dots == std::string::npos) {
    first = last = decimal_u64(text);
  } else {
    first = decimal_u64(std::string_view(text).substr(0, dots));
    last = decimal_u64(std::string_view(text).substr(dots + 2));
  }
  if (!first || !last) {
    throw UsageError{got("--seeds", text) + "N or A..B (unsigned 64-bit integers, A <= B)"};
  }
  if (*first > *last) throw UsageError{got("--seeds", text) + "A..B with A <= B"};
  if (*first == 0 && *last == std::numeric_limits<std::uint64_t>::max()) {
    throw UsageError{got("--seeds", text) + "a range of at most " +
                     std::to_string(std::numeric_limits<std::uint64_t>::max()) + " seeds"};
  }
  return SeedRange{*first, *last};
}

Shard parse_shard(const std::string& text) {
  const std::size_t slash = text.find('/');
  std::optional<std::uint64_t> k;
  std::optional<std::uint64_t> n;
  if (slash != std::string::npos) {
    k = decimal_u64(std::string_view(text).substr(0, slash));
    n = decimal_u64(std::string_view(text).substr(slash + 1));
  }
  if (!k || !n) throw UsageError{got("--shard", text) + "K/N (unsigned integers, 0 <= K < N)"};
  if (*k >= *n) throw UsageError{got("--shard", text) + "K/N with 0 <= K < N"};
  return Shard{*k, *n};
}

std::string bug_list() {
  std::string out;
  for (raft::Bug b : raft::kAllBugs) {
    if (!out.empty()) out += ", ";
    out += raft::to_string(b);
  }
  return out;
}

void add_bugs(const std::vector<std::string>& names, raft::BugSet& bugs) {
  for (const std::string& name : names) {
    const std::optional<raft::Bug> bug = raft::bug_from_string(name);
    if (!bug) throw UsageError{"--bug: got '" + name + "', expected one of " + bug_list()};
    bugs.insert(*bug);
  }
}

}  // namespace kraftsim::cli
