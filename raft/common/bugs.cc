// Names, JIRA keys and descriptions of the re-introducible historical bugs. See bugs.hh.
// Descriptions fit a 80-column help text after a 6-space indent.
#include "raft/common/bugs.hh"

namespace raft {

namespace {

struct BugInfo {
  std::string_view name;
  std::string_view jira;
  std::string_view description;
};

// Indexed like kAllBugs.
constexpr std::array<BugInfo, kBugCount> kInfo = {{
    {"no-check-quorum", "KAFKA-15489",
     "a leader that no majority of voters fetches from never resigns"},
    {"hw-at-epoch-start", "KAFKA-12619",
     "a new leader commits once a majority reaches its epoch start offset"},
    {"restart-as-leader", "KAFKA-10527",
     "a restarted leader leads its old epoch again instead of resigning"},
    {"pre-vote-ping-pong", "KAFKA-17641",
     "a Follower rejects every pre-vote, even before fetching from its leader"},
    {"forget-brokers-on-activation", "KAFKA-18138",
     "a newly active controller does not track the brokers already registered"},
}};

const BugInfo& info(Bug bug) { return kInfo[static_cast<std::size_t>(bug)]; }

}  // namespace

std::string_view to_string(Bug bug) { return info(bug).name; }

std::string_view jira_key(Bug bug) { return info(bug).jira; }

std::string_view describe(Bug bug) { return info(bug).description; }

std::optional<Bug> bug_from_string(std::string_view name) {
  for (Bug b : kAllBugs) {
    if (info(b).name == name) return b;
  }
  return std::nullopt;
}

std::array<std::string_view, kBugCount> bug_names() {
  std::array<std::string_view, kBugCount> out{};
  for (std::size_t i = 0; i < kBugCount; ++i) out[i] = kInfo[i].name;
  return out;
}

std::size_t BugSet::size() const {
  std::size_t n = 0;
  for (Bug b : *this) {
    (void)b;
    ++n;
  }
  return n;
}

}  // namespace raft
