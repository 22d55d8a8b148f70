// A harness that runs one raft::RaftClient against scripted peers, in the style of Kafka's
// RaftClientTestContext (raft/src/test/.../RaftClientTestContext.java).
//
// The client under test is built over in-memory doubles of every seam of raft/io.hh:
//   MemoryLogStorage       the node's log (tests/raft/support/memory_log_storage.hh)
//   MemoryQuorumStateStore the quorum-state file; records every write and when it happened
//   CapturingChannel       records every message the client sends; a test pops the request it
//                          wants to answer, or the response to a request it delivered
//   ScriptedRandom         returns scripted values per bound (like Kafka's MockableRandom)
//   RecordingListener      records commits, snapshot loads and leader changes, also as one
//                          ordered event list
//   MemorySnapshotStore    the node's snapshot files (Builder::with_snapshot, with_log_start)
// Time is a simulated clock owned by the context: advance(d) moves it forward and polls the client
// at every deadline it asks for on the way, as the simulator's event loop would.
//
// Typical use:
//   auto ctx = RaftTestContext::Builder(NodeId(1), {NodeId(1), NodeId(2), NodeId(3)})
//                  .with_elected_leader(Epoch(5), NodeId(3))
//                  .with_log_epochs({1, 1, 2})
//                  .build();
//   Message fetch = ctx->pop_request<FetchRequest>(NodeId(3));
//   ctx->respond(fetch, RaftTestContext::fetch_response(NodeId(3), Epoch(5), {}, Offset(2)));
//   VoteResponse r = ctx->vote(NodeId(2), Epoch(5), Epoch(2), Offset(3), /*pre_vote=*/true);
//
// Every failure to find an expected message is a doctest REQUIRE failure, so tests stay short.
#pragma once

#include <doctest/doctest.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "raft/common/ids.hh"
#include "raft/common/time.hh"
#include "raft/io.hh"
#include "raft/messages.hh"
#include "raft/raft_client.hh"
#include "raft/raft_config.hh"
#include "raft/raft_listener.hh"
#include "raft/support/memory_log_storage.hh"

namespace raft::test {

// Orders the side effects of the client (state-store writes and sends) so a test can tell which
// came first. Shared by the store and the channel of one context.
class EffectClock {
 public:
  std::int64_t tick() { return ++last_; }
  [[nodiscard]] std::int64_t last() const { return last_; }

 private:
  std::int64_t last_ = 0;
};

// ---- QuorumStateStore ---------------------------------------------------------------------

class MemoryQuorumStateStore final : public QuorumStateStore {
 public:
  explicit MemoryQuorumStateStore(EffectClock* clock = nullptr) : clock_(clock) {}

  [[nodiscard]] std::optional<ElectionState> read_election_state() const override { return state_; }
  void write_election_state(const ElectionState& state) override;

  // The file as a previous incarnation left it (no write is recorded).
  void preset(const ElectionState& state) { state_ = state; }
  [[nodiscard]] const std::optional<ElectionState>& state() const { return state_; }
  // Number of writes since construction (preset does not count).
  [[nodiscard]] int write_count() const { return static_cast<int>(writes_.size()); }
  [[nodiscard]] const std::vector<ElectionState>& writes() const { return writes_; }
  // EffectClock tick of the last write; 0 if none.
  [[nodiscard]] std::int64_t last_write_tick() const { return last_write_tick_; }

 private:
  EffectClock* clock_;
  std::optional<ElectionState> state_;
  std::vector<ElectionState> writes_;
  std::int64_t last_write_tick_ = 0;
};

// ---- NetworkChannel -----------------------------------------------------------------------

class CapturingChannel final : public NetworkChannel {
 public:
  struct Sent {
    Message message;
    std::int64_t tick = 0;  // EffectClock tick of the send
  };

  explicit CapturingChannel(EffectClock* clock = nullptr) : clock_(clock) {}
  void send(Message message) override;

  // Messages sent and not yet taken, oldest first.
  [[nodiscard]] const std::deque<Sent>& sent() const { return sent_; }
  void clear() { sent_.clear(); }

  // Removes and returns the most recent message of payload type T to `destination` (any
  // destination if nullopt), or nullopt.
  template <typename T>
  std::optional<Sent> take_last(std::optional<NodeId> destination) {
    for (auto it = sent_.rbegin(); it != sent_.rend(); ++it) {
      if (std::holds_alternative<T>(it->message.payload) &&
          (!destination || it->message.destination == *destination)) {
        Sent found = *it;
        sent_.erase(std::next(it).base());
        return found;
      }
    }
    return std::nullopt;
  }
  // Removes and returns the message of payload type T answering `id` to `destination`.
  template <typename T>
  std::optional<Sent> take_response(NodeId destination, CorrelationId id) {
    for (auto it = sent_.begin(); it != sent_.end(); ++it) {
      if (std::holds_alternative<T>(it->message.payload) && it->message.destination == destination &&
          it->message.correlation_id == id) {
        Sent found = *it;
        sent_.erase(it);
        return found;
      }
    }
    return std::nullopt;
  }
  // Number of untaken messages of type T to `destination` (any if nullopt).
  template <typename T>
  [[nodiscard]] std::size_t count(std::optional<NodeId> destination = std::nullopt) const {
    std::size_t n = 0;
    for (const Sent& s : sent_) {
      if (std::holds_alternative<T>(s.message.payload) &&
          (!destination || s.message.destination == *destination)) {
        ++n;
      }
    }
    return n;
  }

 private:
  EffectClock* clock_;
  std::deque<Sent> sent_;
};

// ---- Random -------------------------------------------------------------------------------

// Deterministic raft::Random. Values are scripted per bound, like Kafka's MockableRandom
// (mockNextInt(bound, value)), because one node draws for several purposes with different bounds:
// the election jitter (bound = election timeout in ms), the candidate backoff (bound 2, 4, 8...)
// and the bootstrap-server choice (bound = number of other voters). For each call: the next
// queued value for that bound, else the default value for that bound, else 0. Asserts the value
// is in [0, bound).
class ScriptedRandom final : public Random {
 public:
  std::int64_t next_int(std::int64_t bound) override;

  // Values returned, in order, by the next calls with this bound.
  void queue(std::int64_t bound, std::vector<std::int64_t> values);
  // Returned for this bound whenever its queue is empty.
  void set_default(std::int64_t bound, std::int64_t value) { defaults_[bound] = value; }
  // Every bound asked for, in call order.
  [[nodiscard]] const std::vector<std::int64_t>& bounds_requested() const { return bounds_; }
  [[nodiscard]] int calls_with_bound(std::int64_t bound) const;

 private:
  std::map<std::int64_t, std::deque<std::int64_t>> queued_;
  std::map<std::int64_t, std::int64_t> defaults_;
  std::vector<std::int64_t> bounds_;
};

// ---- RaftListener -------------------------------------------------------------------------

class RecordingListener final : public RaftListener {
 public:
  // One callback, in the order the client made them (to check orderings across kinds).
  struct Event {
    enum class Kind { Commit, LoadSnapshot, LeaderChange };
    Kind kind;
    OffsetAndEpoch id;      // Commit: (base offset, epoch); LoadSnapshot: the snapshot id
    LeaderAndEpoch leader;  // LeaderChange only
  };

  void handle_commit(const RecordBatch& batch) override {
    commits_.push_back(batch);
    events_.push_back({Event::Kind::Commit, OffsetAndEpoch{batch.base_offset, batch.epoch}, {}});
  }
  void handle_leader_change(const LeaderAndEpoch& leader) override {
    leader_changes_.push_back(leader);
    events_.push_back({Event::Kind::LeaderChange, {}, leader});
  }
  void handle_load_snapshot(const Snapshot& snapshot) override {
    loaded_snapshots_.push_back(snapshot.id);
    events_.push_back({Event::Kind::LoadSnapshot, snapshot.id, {}});
  }
  [[nodiscard]] const std::vector<OffsetAndEpoch>& loaded_snapshots() const { return loaded_snapshots_; }
  [[nodiscard]] const std::vector<Event>& events() const { return events_; }

  [[nodiscard]] const std::vector<RecordBatch>& commits() const { return commits_; }
  [[nodiscard]] const std::vector<LeaderAndEpoch>& leader_changes() const { return leader_changes_; }
  // End offset of the last committed batch (0 if none).
  [[nodiscard]] Offset committed_end() const {
    return commits_.empty() ? Offset(0) : commits_.back().end_offset();
  }

 private:
  std::vector<RecordBatch> commits_;
  std::vector<LeaderAndEpoch> leader_changes_;
  std::vector<OffsetAndEpoch> loaded_snapshots_;
  std::vector<Event> events_;
};

// ---- The context --------------------------------------------------------------------------

class RaftTestContext {
 public:
  class Builder {
   public:
    Builder(NodeId local_id, std::vector<NodeId> voters);

    // The quorum-state file on "disk" when the client starts (absent by default).
    Builder& with_election_state(ElectionState state);
    Builder& with_unknown_leader(Epoch epoch) { return with_election_state({epoch, {}, {}}); }
    Builder& with_voted_candidate(Epoch epoch, NodeId candidate) {
      return with_election_state({epoch, {}, candidate});
    }
    Builder& with_elected_leader(Epoch epoch, NodeId leader) {
      return with_election_state({epoch, leader, {}});
    }
    // The initial log starts at `start` instead of 0, as retention or a snapshot download left
    // it (KIP-630); the batches of with_log_batch/with_log_epochs follow from there. A client
    // refuses to start unless a snapshot ends exactly there (KAFKA-14240): see with_snapshot.
    Builder& with_log_start(Offset start);
    // A complete snapshot on "disk" when the client starts, holding `records` (the state
    // machine's image), whose last contained batch was appended at `last_contained_log_time`.
    Builder& with_snapshot(OffsetAndEpoch id,
                           Instant last_contained_log_time = Instant::from_ms(0),
                           std::vector<std::string> records = {"snapshot-state"});
    // Appends one data batch of `records` records to the initial (flushed) log.
    Builder& with_log_batch(Epoch epoch, int records = 1);
    // One single-record data batch per element: the Raft-paper picture of a log.
    Builder& with_log_epochs(const std::vector<std::int32_t>& epochs);
    Builder& with_config(const RaftConfig& config);
    // Edits the configuration in place (builder-style).
    Builder& configure(const std::function<void(RaftConfig&)>& edit);
    Builder& with_random_default(std::int64_t bound, std::int64_t value);
    Builder& with_random_queue(std::int64_t bound, std::vector<std::int64_t> values);
    Builder& with_start_time(Instant start);
    Builder& without_listener();

    [[nodiscard]] std::unique_ptr<RaftTestContext> build();

   private:
    NodeId local_id_;
    std::vector<NodeId> voters_;
    std::optional<ElectionState> election_state_;
    std::vector<std::pair<Epoch, int>> batches_;
    Offset log_start_{0};
    std::vector<SnapshotPtr> snapshots_;
    RaftConfig config_;
    std::vector<std::pair<std::int64_t, std::int64_t>> random_defaults_;
    std::vector<std::pair<std::int64_t, std::vector<std::int64_t>>> random_queues_;
    Instant start_ = Instant::from_ms(1000);
    bool listener_ = true;
  };

  RaftTestContext(const RaftTestContext&) = delete;
  RaftTestContext& operator=(const RaftTestContext&) = delete;

  // ---- the parts ----
  RaftClient& client() { return *client_; }
  [[nodiscard]] const RaftClient& client() const { return *client_; }
  MemoryLogStorage& storage() { return storage_; }
  MemorySnapshotStore& snapshots() { return snapshots_; }
  MemoryQuorumStateStore& store() { return store_; }
  CapturingChannel& channel() { return channel_; }
  ScriptedRandom& random() { return random_; }
  RecordingListener& listener() { return listener_; }
  EffectClock& effects() { return effects_; }
  [[nodiscard]] const RaftConfig& config() const { return config_; }
  [[nodiscard]] NodeId local_id() const { return local_id_; }
  [[nodiscard]] const std::vector<NodeId>& voters() const { return voters_; }
  [[nodiscard]] std::vector<NodeId> remote_voters() const;

  // ---- observation shortcuts ----
  [[nodiscard]] StateKind state() const { return client_->quorum().kind(); }
  [[nodiscard]] bool is(StateKind k) const { return state() == k; }
  [[nodiscard]] Epoch epoch() const { return client_->quorum().epoch(); }
  [[nodiscard]] std::optional<NodeId> leader_id() const { return client_->quorum().leader_id(); }
  [[nodiscard]] std::optional<NodeId> voted_id() const { return client_->quorum().voted_id(); }
  [[nodiscard]] std::optional<Offset> high_watermark() const { return client_->high_watermark(); }
  [[nodiscard]] Offset log_end() const { return client_->log().end_offset(); }
  [[nodiscard]] Epoch last_fetched_epoch() const { return client_->log().last_fetched_epoch(); }
  // The leader's state; REQUIREs the client to lead.
  [[nodiscard]] const LeaderState& leader_state() const;

  // ---- time ----
  [[nodiscard]] Instant now() const { return now_; }
  // Moves the clock forward by d, polling the client at every deadline it reaches on the way
  // and finally at now() + d.
  void advance(Duration d);
  void advance_to(Instant t);
  void poll() { client_->poll(now_); }
  // Advances from deadline to deadline until `done` holds; REQUIREs it within `limit`.
  void advance_until(const std::function<bool()>& done, Duration limit = Duration::seconds(60));

  // ---- inbound traffic ----
  // Delivers a request from `from`; returns its correlation id.
  CorrelationId deliver(NodeId from, Payload request);
  // Answers a request the client sent.
  void respond(const Message& request, Payload response);
  // Delivers a request and returns the response the client sent at once (REQUIREs one).
  template <typename Response>
  Response exchange(NodeId from, Payload request) {
    const CorrelationId id = deliver(from, std::move(request));
    auto sent = channel_.take_response<Response>(from, id);
    REQUIRE_MESSAGE(sent.has_value(),
                    "no " << api_name(Payload(Response{})) << " sent to " << from.value());
    return std::get<Response>(sent->message.payload);
  }

  // ---- outbound traffic ----
  // Removes and returns the most recent request of type T sent to `to` (any node if nullopt).
  template <typename T>
  Message pop_request(std::optional<NodeId> to = std::nullopt) {
    auto sent = channel_.take_last<T>(to);
    REQUIRE_MESSAGE(sent.has_value(), "no " << api_name(Payload(T{})) << " was sent to "
                                            << (to ? to->value() : -1));
    return sent->message;
  }
  template <typename T>
  [[nodiscard]] bool has_request(std::optional<NodeId> to = std::nullopt) const {
    return channel_.count<T>(to) > 0;
  }
  // The response to a request delivered with id `id` from `to`, if the client sent it.
  template <typename T>
  std::optional<T> take_response(NodeId to, CorrelationId id) {
    auto sent = channel_.take_response<T>(to, id);
    if (!sent) return std::nullopt;
    return std::get<T>(sent->message.payload);
  }

  // ---- request builders (remote peers' view) ----
  [[nodiscard]] VoteRequest vote_request(NodeId candidate, Epoch epoch, Epoch last_epoch,
                                         Offset last_offset, bool pre_vote) const;
  [[nodiscard]] FetchRequest fetch_request(NodeId replica, Epoch epoch, Offset fetch_offset,
                                           Epoch last_fetched_epoch,
                                           std::int32_t max_wait_ms = 0) const;
  // A Fetch from `replica` delivered to the client; the response if it was sent at once.
  std::optional<FetchResponse> fetch(NodeId replica, Epoch epoch, Offset fetch_offset,
                                     Epoch last_fetched_epoch, std::int32_t max_wait_ms = 0);
  // Delivers a Vote request and returns the response.
  VoteResponse vote(NodeId candidate, Epoch epoch, Epoch last_epoch, Offset last_offset,
                    bool pre_vote);

  // ---- recipes ----
  // Answers the pending Vote request to `voter` (pre-vote or binding) with a grant or a
  // rejection, at the client's current epoch.
  void answer_vote(NodeId voter, bool granted);
  // From any non-leader voter state: waits for the election (or fetch) timer, grants every
  // pre-vote and vote until the client leads. REQUIREs success.
  void become_leader();
  // Data batch helper for fetch responses and logs.
  [[nodiscard]] BatchPtr data_batch(Offset base, Epoch epoch, int records = 1) const;
  // A successful Fetch response from leader `leader` in `epoch`.
  [[nodiscard]] static FetchResponse fetch_response(NodeId leader, Epoch epoch,
                                                    std::vector<BatchPtr> batches,
                                                    std::optional<Offset> high_watermark);
  // Simulates a crash (unflushed log tail lost, client gone) and a restart over the same disk.
  void restart();

 private:
  RaftTestContext(NodeId local_id, std::vector<NodeId> voters, const RaftConfig& config,
                  Instant start, bool with_listener);
  void start_client();

  NodeId local_id_;
  std::vector<NodeId> voters_;
  RaftConfig config_;
  EffectClock effects_;
  MemoryLogStorage storage_;
  MemorySnapshotStore snapshots_;
  MemoryQuorumStateStore store_{&effects_};
  CapturingChannel channel_{&effects_};
  ScriptedRandom random_;
  RecordingListener listener_;
  bool with_listener_;
  Instant now_;
  std::int64_t incarnation_ = 0;
  std::int64_t next_remote_correlation_id_ = 1'000'000'000;
  std::unique_ptr<RaftClient> client_;
};

}  // namespace raft::test

// Readable doctest output for the values tests compare most.
namespace doctest {
template <>
struct StringMaker<std::optional<raft::Offset>> {
  static String convert(const std::optional<raft::Offset>& v);
};
template <>
struct StringMaker<std::optional<raft::NodeId>> {
  static String convert(const std::optional<raft::NodeId>& v);
};
template <>
struct StringMaker<std::optional<raft::OffsetAndEpoch>> {
  static String convert(const std::optional<raft::OffsetAndEpoch>& v);
};
template <>
struct StringMaker<std::vector<raft::NodeId>> {
  static String convert(const std::vector<raft::NodeId>& v);
};
template <>
struct StringMaker<raft::ElectionState> {
  static String convert(const raft::ElectionState& v);
};
template <>
struct StringMaker<std::optional<raft::ElectionState>> {
  static String convert(const std::optional<raft::ElectionState>& v);
};
}  // namespace doctest
