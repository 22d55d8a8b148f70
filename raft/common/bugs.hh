// Switchable re-introductions of real historical KRaft bugs, for proving that the fuzzer and the
// regression scenarios find them (kraft-protocol.md section 17).
//
// Not a Kafka class: Kafka fixed these bugs; this is the simulator's way of putting each one back
// on purpose. Every bug is off by default (an empty BugSet is Kafka's fixed behaviour) and is
// switched on only through configuration: RaftConfig::bugs for the Raft layer and
// QuorumControllerConfig::bugs for the controller, which the simulator fills from a scenario's
// "bugs" list or `kraftsim run --bug NAME`. A bug point is one inline bit test of that set, so a
// bug that is off costs nothing.
//
// The bugs, in their fixed order (the order of iteration, help texts and summaries):
//   no-check-quorum               KAFKA-15489  LeaderState::check_quorum_deadline
//   hw-at-epoch-start             KAFKA-12619  LeaderState::maybe_update_high_watermark
//   restart-as-leader             KAFKA-10527  QuorumState::initialize, RaftClient's constructor
//   pre-vote-ping-pong            KAFKA-17641  QuorumState::can_grant_vote (the Follower rule)
//   forget-brokers-on-activation  KAFKA-18138  QuorumController::complete_activation
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <string_view>

namespace raft {

// One historical bug. The enumerators are in the fixed order; kBugCount follows the last one.
enum class Bug : std::uint8_t {
  // KAFKA-15489: check-quorum (KIP-595) was never implemented: a leader that no majority of
  // voters fetches from never resigns (split brain with the leader the majority elects next).
  NoCheckQuorum,
  // KAFKA-12619: the leader's high watermark may advance once a majority reached the epoch
  // start offset (>= instead of >), i.e. before the LeaderChange record of its own epoch is on a
  // majority, exposing a stale suffix of an older epoch as committed.
  HwAtEpochStart,
  // KAFKA-10527: a node whose quorum-state names itself as leader restarts as Leader of that
  // same epoch (instead of Resigned), appending a new LeaderChange at its log end, although the
  // crash may have lost an unflushed tail its followers already hold in that epoch.
  RestartAsLeader,
  // KIP-996 pre-vote "ping-pong" (fixed by KAFKA-17641): a Follower rejects every pre-vote,
  // instead of granting one (if the log is up to date) until its first successful fetch.
  PreVotePingPong,
  // KAFKA-18138: on activation the controller's heartbeat tracker does not register the brokers
  // already in the metadata image, so one that never heartbeats again is never fenced.
  ForgetBrokersOnActivation,
};

inline constexpr std::size_t kBugCount = 5;
static_assert(static_cast<std::size_t>(Bug::ForgetBrokersOnActivation) + 1 == kBugCount);

// Every bug, in the fixed order.
inline constexpr std::array<Bug, kBugCount> kAllBugs = {
    Bug::NoCheckQuorum, Bug::HwAtEpochStart, Bug::RestartAsLeader, Bug::PreVotePingPong,
    Bug::ForgetBrokersOnActivation};

// The stable name used in scenario files and on the command line: "no-check-quorum", ...
std::string_view to_string(Bug bug);
// The bug named `name` (exactly as to_string spells it), or nullopt.
std::optional<Bug> bug_from_string(std::string_view name);
// The JIRA key of the bug or of its fix: "KAFKA-15489", ...
std::string_view jira_key(Bug bug);
// One line (no final period, at most 74 characters) saying what the re-introduced bug does, for
// help texts and summaries.
std::string_view describe(Bug bug);
// Every name, in the fixed order (for messages that list the valid names).
std::array<std::string_view, kBugCount> bug_names();

// A set of bugs: a bitmask, a plain value. Iterates in the fixed order (kAllBugs). Empty by
// default: Kafka's fixed behaviour.
class BugSet {
 public:
  class Iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = Bug;
    using difference_type = std::ptrdiff_t;
    using pointer = const Bug*;
    using reference = Bug;

    Iterator() = default;
    Iterator(std::uint32_t bits, std::size_t index) : bits_(bits), index_(index) { skip(); }
    Bug operator*() const { return kAllBugs[index_]; }
    Iterator& operator++() {
      ++index_;
      skip();
      return *this;
    }
    Iterator operator++(int) {
      Iterator before = *this;
      ++*this;
      return before;
    }
    bool operator==(const Iterator& other) const { return index_ == other.index_; }

   private:
    // Moves to the next bug in the set (or kBugCount).
    void skip() {
      while (index_ < kBugCount && (bits_ & (std::uint32_t{1} << index_)) == 0) ++index_;
    }
    std::uint32_t bits_ = 0;
    std::size_t index_ = kBugCount;
  };

  constexpr BugSet() = default;
  constexpr BugSet(std::initializer_list<Bug> bugs) {
    for (Bug b : bugs) insert(b);
  }

  [[nodiscard]] constexpr bool contains(Bug bug) const { return (bits_ & mask(bug)) != 0; }
  constexpr void insert(Bug bug) { bits_ |= mask(bug); }
  constexpr void erase(Bug bug) { bits_ &= ~mask(bug); }
  [[nodiscard]] constexpr bool empty() const { return bits_ == 0; }
  [[nodiscard]] std::size_t size() const;
  // The bit pattern (bit i = kAllBugs[i]); for hashing and compact logging.
  [[nodiscard]] constexpr std::uint32_t bits() const { return bits_; }

  [[nodiscard]] Iterator begin() const { return Iterator(bits_, 0); }
  [[nodiscard]] Iterator end() const { return Iterator(bits_, kBugCount); }

  friend constexpr bool operator==(BugSet, BugSet) = default;

 private:
  static constexpr std::uint32_t mask(Bug bug) {
    return std::uint32_t{1} << static_cast<std::uint32_t>(bug);
  }
  std::uint32_t bits_ = 0;
};

}  // namespace raft
