// One simulated Kafka process (a controller or a broker) and the disk it runs on.
//
// The host owns what survives a crash (the Disk) and what does not (the RaftClient, the state
// machine, the random stream of the incarnation, queued outbound messages). A crash destroys the
// volatile objects and drops the disk's unflushed tail; a restart builds new objects from what the
// disk holds, as a new incarnation. A pause (a long GC pause) freezes the process: it handles no
// message and no timer until resumed, while the rest of the cluster keeps going; messages that
// reach it meanwhile wait in its socket buffer and are handled in order on resume.
//
// The host is also the node's raft::NetworkChannel: the client's outbound messages queue in the
// outbox, which the Simulation drains after every call into the node.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "raft/raft_client.hh"
#include "sim/disk.hh"
#include "sim/prng.hh"
#include "sim/replicated_counter.hh"

namespace sim {

enum class NodeStatus {
  Running,  // processing messages and timers
  Paused,   // alive but frozen (GC pause)
  Crashed,  // killed; volatile state gone, unflushed writes lost
  Stopped,  // finished a graceful shutdown
};

std::string_view to_string(NodeStatus s);

class NodeHost : public raft::NetworkChannel {
 public:
  // options: the node's id, the voter set and its Raft config. rng: this node's stream of the
  // run's seed; each incarnation forks its own sub-stream from it.
  NodeHost(raft::RaftClient::Options options, Prng rng);

  // Starts a new incarnation from the disk (the first start, or a restart).
  // Precondition: not running or paused.
  void start(Instant now);
  // Hard kill: destroys the process; the disk keeps only what was flushed.
  void crash();
  // Ends a graceful shutdown: the process flushes its log and exits.
  void stop_after_shutdown();
  void pause();
  // Resumes a paused process and returns the messages that arrived while it was frozen.
  std::vector<raft::Message> resume();
  // Buffers a message delivered while paused.
  void hold(raft::Message m) { held_.push_back(std::move(m)); }

  // raft::NetworkChannel
  void send(raft::Message message) override { outbox_.push_back(std::move(message)); }
  std::vector<raft::Message> take_outbox();

  [[nodiscard]] raft::NodeId id() const { return options_.local_id; }
  [[nodiscard]] bool is_voter() const;
  [[nodiscard]] NodeStatus status() const { return status_; }
  // Running or paused: the process exists.
  [[nodiscard]] bool is_alive() const { return client_ != nullptr; }
  // 1 for the first start, +1 per restart; 0 before the first start.
  [[nodiscard]] std::uint32_t incarnation() const { return incarnation_; }
  [[nodiscard]] raft::RaftClient* client() { return client_.get(); }
  [[nodiscard]] const raft::RaftClient* client() const { return client_.get(); }
  [[nodiscard]] ReplicatedCounter* counter() { return counter_.get(); }
  [[nodiscard]] const ReplicatedCounter* counter() const { return counter_.get(); }
  [[nodiscard]] Disk& disk() { return *disk_; }
  [[nodiscard]] const Disk& disk() const { return *disk_; }

  // Wake-up bookkeeping of the Simulation: the instant of the pending poll event and its
  // generation (an event whose generation is not current is stale and skipped).
  Instant scheduled_wake = Instant::never();
  std::uint64_t wake_generation = 0;

 private:
  void destroy_process();

  raft::RaftClient::Options options_;
  Prng rng_;
  std::unique_ptr<Disk> disk_;
  std::uint32_t incarnation_ = 0;
  NodeStatus status_ = NodeStatus::Crashed;
  // Declared before client_: the client holds references to both, so they must outlive it.
  std::unique_ptr<NodeRandom> random_;
  std::unique_ptr<ReplicatedCounter> counter_;
  std::unique_ptr<raft::RaftClient> client_;
  std::vector<raft::Message> outbox_;
  std::vector<raft::Message> held_;
};

}  // namespace sim
