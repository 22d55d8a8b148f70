// Kafka: org.apache.kafka.raft.QuorumState (KIP-595, KIP-996). See quorum_state.hh.
#include "raft/quorum_state.hh"

#include <algorithm>

#include "raft/common/assert.hh"
#include "raft/common/overloaded.hh"

namespace raft {

namespace {
// Every state has `epoch`; LeaderState exposes it through a method.
Epoch epoch_of(const QuorumState::State& s) {
  return std::visit(Overloaded{[](const LeaderState& l) { return l.epoch(); },
                               [](const auto& other) { return other.epoch; }},
                    s);
}
}  // namespace

QuorumState::QuorumState(NodeId local_id, std::vector<NodeId> voters, const RaftConfig& config,
                         QuorumStateStore& store, Random& random)
    : local_id_(local_id),
      voters_(std::move(voters)),
      is_voter_(false),
      config_(config),
      store_(store),
      random_(random),
      state_(UnattachedState{Epoch(0), {}, {}, Instant::never(), {}}) {
  std::sort(voters_.begin(), voters_.end());
  KR_ASSERT(!voters_.empty(), "the voter set is empty");
  KR_ASSERT(std::adjacent_find(voters_.begin(), voters_.end()) == voters_.end(),
            "duplicate voter ids");
  is_voter_ = std::binary_search(voters_.begin(), voters_.end(), local_id_);
}

// ---- queries ------------------------------------------------------------------------------

StateKind QuorumState::kind() const {
  return std::visit(Overloaded{[](const UnattachedState&) { return StateKind::Unattached; },
                               [](const ProspectiveState&) { return StateKind::Prospective; },
                               [](const CandidateState&) { return StateKind::Candidate; },
                               [](const LeaderState&) { return StateKind::Leader; },
                               [](const FollowerState&) { return StateKind::Follower; },
                               [](const ResignedState&) { return StateKind::Resigned; }},
                    state_);
}

Epoch QuorumState::epoch() const { return epoch_of(state_); }

std::optional<NodeId> QuorumState::leader_id() const {
  return std::visit(
      Overloaded{[](const UnattachedState& s) { return s.leader_id; },
                 [](const ProspectiveState& s) { return s.leader_id; },
                 [](const CandidateState&) { return std::optional<NodeId>{}; },
                 [this](const LeaderState&) { return std::optional<NodeId>{local_id_}; },
                 [](const FollowerState& s) { return std::optional<NodeId>{s.leader_id}; },
                 [this](const ResignedState&) { return std::optional<NodeId>{local_id_}; }},
      state_);
}

std::optional<NodeId> QuorumState::voted_id() const {
  return std::visit(
      Overloaded{[](const UnattachedState& s) { return s.voted_id; },
                 [](const ProspectiveState& s) { return s.voted_id; },
                 [this](const CandidateState&) { return std::optional<NodeId>{local_id_}; },
                 [this](const LeaderState&) { return std::optional<NodeId>{local_id_}; },
                 [](const FollowerState& s) { return s.voted_id; },
                 [this](const ResignedState&) { return std::optional<NodeId>{local_id_}; }},
      state_);
}

std::optional<Offset> QuorumState::high_watermark() const {
  return std::visit(Overloaded{[](const LeaderState& l) { return l.high_watermark(); },
                               [](const auto& s) { return s.high_watermark; }},
                    state_);
}

bool QuorumState::has_remote_leader() const {
  auto leader = leader_id();
  return leader.has_value() && *leader != local_id_;
}

std::vector<NodeId> QuorumState::remote_voters() const {
  std::vector<NodeId> out;
  for (NodeId v : voters_) {
    if (v != local_id_) out.push_back(v);
  }
  return out;
}

ElectionState QuorumState::election_state() const {
  return ElectionState{epoch(), leader_id(), voted_id()};
}

bool QuorumState::can_grant_vote(NodeId candidate, bool log_up_to_date, bool pre_vote) const {
  return std::visit(Overloaded{[](const LeaderState&) { return false; },
                               [&](const FollowerState& s) {
                                 // Bug::PreVotePingPong: KIP-996 before KAFKA-17641, a Follower
                                 // rejects every vote, pre-votes included.
                                 if (config_.bugs.contains(Bug::PreVotePingPong)) return false;
                                 return s.can_grant_vote(candidate, log_up_to_date, pre_vote);
                               },
                               [&](const auto& s) {
                                 return s.can_grant_vote(candidate, log_up_to_date, pre_vote);
                               }},
                    state_);
}

#define KR_STATE_ACCESSOR(name, Type)                                                     \
  Type& QuorumState::name() {                                                             \
    auto* s = std::get_if<Type>(&state_);                                                 \
    KR_ASSERT(s != nullptr, "expected " #Type " but the state is " << to_string(kind())); \
    return *s;                                                                            \
  }
KR_STATE_ACCESSOR(unattached, UnattachedState)
KR_STATE_ACCESSOR(prospective, ProspectiveState)
KR_STATE_ACCESSOR(candidate, CandidateState)
KR_STATE_ACCESSOR(leader, LeaderState)
KR_STATE_ACCESSOR(follower, FollowerState)
KR_STATE_ACCESSOR(resigned, ResignedState)
#undef KR_STATE_ACCESSOR

const LeaderState* QuorumState::leader_or_null() const { return std::get_if<LeaderState>(&state_); }

// ---- timers and persistence ---------------------------------------------------------------

Instant QuorumState::random_election_deadline(Instant now) {
  if (!is_voter_) return Instant::never();
  const std::int64_t base_us = config_.election_timeout.us();
  if (base_us == 0) return now;
  // Kafka: electionTimeoutMs + random.nextInt(electionTimeoutMs), i.e. uniform in [T, 2T).
  const std::int64_t jitter_ms = random_.next_int(config_.election_timeout.ms());
  return now + config_.election_timeout + Duration::millis(jitter_ms);
}

// Kafka keeps the running election timer when moving to Unattached from a state that has one.
Instant QuorumState::remaining_or_new_election_deadline(Instant now) {
  if (!is_voter_) return Instant::never();
  if (auto* c = std::get_if<CandidateState>(&state_)) return c->election_deadline;
  if (auto* u = std::get_if<UnattachedState>(&state_)) return u->election_deadline;
  // Fix (Kafka QuorumState.transitionToUnattached): a Prospective whose pre-vote was rejected
  // waits a fresh random timeout before trying again; only one whose timer ran out (pre-vote not
  // rejected) keeps its remaining (expired) timer and so retries at once.
  if (auto* p = std::get_if<ProspectiveState>(&state_); p && !p->election.is_vote_rejected()) {
    return p->election_deadline;
  }
  return random_election_deadline(now);
}

void QuorumState::durable_transition_to(State next) {
  const ElectionState before = election_state();
  state_ = std::move(next);
  const ElectionState after = election_state();
  // Never two different leaders or two different votes in one epoch on disk.
  if (after.epoch == before.epoch) {
    KR_ASSERT(!before.voted_id || !after.voted_id || *before.voted_id == *after.voted_id,
              "vote changed within epoch " << after.epoch << ": " << *before.voted_id << " -> "
                                           << *after.voted_id);
  }
  store_.write_election_state(after);
}

void QuorumState::memory_transition_to(State next) {
  const Epoch before = epoch();
  state_ = std::move(next);
  KR_ASSERT(epoch() == before, "a memory transition must not change the epoch");
}

// ---- initialization -------------------------------------------------------------------------

void QuorumState::initialize(OffsetAndEpoch log_end, Instant now) {
  const std::optional<ElectionState> stored = store_.read_election_state();
  const ElectionState election = stored.value_or(ElectionState{});
  const bool leader_is_self = election.leader_id && *election.leader_id == local_id_;
  const bool voted_for_self = election.voted_id && *election.voted_id == local_id_;
  KR_ASSERT(!(leader_is_self || voted_for_self) || is_voter_,
            "observer " << local_id_ << " has a persisted leadership or self-vote");
  State initial = UnattachedState{election.epoch, {}, election.voted_id,
                                  random_election_deadline(now), {}};
  bool memory_only = false;
  if (election.epoch < log_end.epoch) {
    // The quorum-state file lagged behind the log.
    initial = UnattachedState{log_end.epoch, {}, {}, random_election_deadline(now), {}};
  } else if (leader_is_self && config_.bugs.contains(Bug::RestartAsLeader)) {
    // Bug::RestartAsLeader re-introduces KAFKA-10527 (Kafka before the fix "initialized in
    // whatever state it was in on shutdown"): Leader of the same epoch again, its epoch starting
    // at the log end the crash left, which may be below records its followers hold in this epoch.
    // The file already says so; RaftClient's constructor writes the new LeaderChange.
    initial = LeaderState(local_id_, election.epoch, log_end.offset, voters_, {local_id_}, config_,
                          now);
    memory_only = true;
  } else if (leader_is_self) {
    // KAFKA-10527: a leader never restarts as leader; it resigns in the same epoch.
    std::set<NodeId> unacked(voters_.begin(), voters_.end());
    unacked.erase(local_id_);
    initial = ResignedState{election.epoch, {}, unacked, random_election_deadline(now), {}};
    memory_only = true;
  } else if (voted_for_self) {
    initial = CandidateState{election.epoch, EpochElection(voters_), 1,
                             random_election_deadline(now), {}, {}};
    std::get<CandidateState>(initial).election.record_granted(local_id_);
    memory_only = true;
  } else if (election.leader_id) {
    initial = FollowerState{election.epoch, *election.leader_id, election.voted_id,
                            now + config_.fetch_timeout, {}, false, {}};
  }
  if (memory_only) {
    state_ = std::move(initial);
  } else {
    state_ = std::move(initial);
    if (!stored || election_state() != *stored) store_.write_election_state(election_state());
  }
}

// ---- transitions ----------------------------------------------------------------------------

void QuorumState::transition_to_unattached(Epoch epoch, std::optional<NodeId> leader_id,
                                           Instant now) {
  const Epoch current = this->epoch();
  KR_ASSERT(epoch > current || (epoch == current && is(StateKind::Prospective)),
            "cannot go Unattached in epoch " << epoch << " from " << to_string(kind())
                                             << " in epoch " << current);
  // Same epoch (lost pre-vote): the vote given in this epoch stays on record.
  std::optional<NodeId> voted = epoch == current ? voted_id() : std::nullopt;
  const Instant deadline = remaining_or_new_election_deadline(now);
  durable_transition_to(UnattachedState{epoch, leader_id, voted, deadline, high_watermark()});
}

void QuorumState::unattached_add_voted(Epoch epoch, NodeId candidate, Instant now) {
  KR_ASSERT(candidate != local_id_, "cannot record a binding vote for itself as Unattached");
  KR_ASSERT(is(StateKind::Unattached) && epoch == this->epoch() && !unattached().voted_id,
            "Unattached-not-voted required to vote for " << candidate << " in epoch " << epoch);
  const UnattachedState& u = unattached();
  // The candidate we backed has at least our chances: restart our own election timer.
  durable_transition_to(UnattachedState{epoch, u.leader_id, candidate,
                                        random_election_deadline(now), u.high_watermark});
}

void QuorumState::prospective_add_voted(NodeId candidate, Instant now) {
  KR_ASSERT(candidate != local_id_, "cannot record a binding vote for itself as Prospective");
  ProspectiveState p = prospective();
  KR_ASSERT(!p.voted_id && !p.leader_id, "Prospective already voted or knows a leader");
  p.voted_id = candidate;
  // Fix (kraft-protocol.md 4.2 step 7; Kafka QuorumState.prospectiveAddVotedState): a binding
  // vote granted while Prospective also restarts the election timer with a fresh random value,
  // like one granted while Unattached: the candidate we backed is as good a bet as ourselves.
  p.election_deadline = random_election_deadline(now);
  durable_transition_to(std::move(p));
}

void QuorumState::transition_to_prospective(Instant now) {
  KR_ASSERT(is_voter_, "observer " << local_id_ << " cannot become Prospective");
  KR_ASSERT(config_.pre_vote, "pre-vote is disabled");
  KR_ASSERT(!is(StateKind::Leader) && !is(StateKind::Prospective),
            "cannot become Prospective from " << to_string(kind()));
  const int retries = is(StateKind::Candidate) ? candidate().retries + 1 : 1;
  std::optional<NodeId> leader = is(StateKind::Resigned) ? std::nullopt : leader_id();
  ProspectiveState next{epoch(), leader, voted_id(), EpochElection(voters_), retries,
                        random_election_deadline(now), high_watermark()};
  next.election.record_granted(local_id_);
  memory_transition_to(std::move(next));
}

void QuorumState::transition_to_candidate(Instant now) {
  KR_ASSERT(is_voter_, "observer " << local_id_ << " cannot become Candidate");
  KR_ASSERT(config_.pre_vote ? is(StateKind::Prospective) : !is(StateKind::Leader),
            "cannot become Candidate from " << to_string(kind()));
  int retries = 1;
  if (is(StateKind::Prospective)) retries = prospective().retries;
  if (is(StateKind::Candidate)) retries = candidate().retries + 1;
  CandidateState next{next_epoch(epoch()), EpochElection(voters_), retries,
                      random_election_deadline(now), {}, high_watermark()};
  next.election.record_granted(local_id_);
  durable_transition_to(std::move(next));
}

LeaderState& QuorumState::transition_to_leader(Offset epoch_start_offset, Instant now) {
  KR_ASSERT(is(StateKind::Candidate), "cannot become Leader from " << to_string(kind()));
  KR_ASSERT(candidate().election.is_vote_granted(), "Leader without a majority of votes");
  std::vector<NodeId> granting = candidate().election.granting_voters();
  durable_transition_to(
      LeaderState(local_id_, epoch(), epoch_start_offset, voters_, std::move(granting), config_, now));
  return leader();
}

void QuorumState::transition_to_follower(Epoch epoch, NodeId leader_id, Instant now) {
  const Epoch current = this->epoch();
  KR_ASSERT(leader_id != local_id_, "cannot follow itself in epoch " << epoch);
  KR_ASSERT(epoch >= current, "cannot follow epoch " << epoch << " from epoch " << current);
  if (epoch == current) {
    KR_ASSERT(!is(StateKind::Follower) && !is(StateKind::Leader),
              "cannot become Follower of " << leader_id << " in epoch " << epoch << " from "
                                           << to_string(kind()));
  }
  std::optional<NodeId> voted = epoch == current ? voted_id() : std::nullopt;
  durable_transition_to(FollowerState{epoch, leader_id, voted, now + config_.fetch_timeout,
                                      high_watermark(), false, {}});
}

void QuorumState::transition_to_resigned(std::vector<NodeId> preferred_successors, Instant now) {
  KR_ASSERT(is(StateKind::Leader), "cannot resign from " << to_string(kind()));
  std::vector<NodeId> remote = remote_voters();
  memory_transition_to(ResignedState{epoch(), std::move(preferred_successors),
                                     std::set<NodeId>(remote.begin(), remote.end()),
                                     random_election_deadline(now), {}});
}

}  // namespace raft
