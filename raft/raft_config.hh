// KRaft quorum configuration.
//
// Kafka (KIP-595): org.apache.kafka.raft.QuorumConfig (controller.quorum.* settings) and the constants of
// org.apache.kafka.raft.KafkaRaftClient (MAX_FETCH_WAIT_MS, MAX_BATCH_SIZE_BYTES,
// RETRY_BACKOFF_BASE_MS). Defaults are Kafka's.
#pragma once

#include <cstdint>

#include "raft/common/bugs.hh"
#include "raft/common/time.hh"

namespace raft {

struct RaftConfig {
  // controller.quorum.election.timeout.ms: the election timer is drawn from [T, 2T).
  Duration election_timeout = Duration::millis(1000);
  // controller.quorum.fetch.timeout.ms: a voter follower that has not fetched successfully for
  // this long becomes Prospective; the leader's check-quorum window is 1.5x this and its
  // BeginQuorumEpoch period 0.5x this.
  Duration fetch_timeout = Duration::millis(2000);
  // controller.quorum.election.backoff.max.ms: cap of the candidate backoff and of the
  // EndQuorumEpoch successor backoff.
  Duration election_backoff_max = Duration::millis(1000);
  // controller.quorum.request.timeout.ms: an unanswered request is abandoned after this long.
  Duration request_timeout = Duration::millis(2000);
  // controller.quorum.retry.backoff.ms: a destination whose request failed is not retried
  // before this much time has passed.
  Duration retry_backoff = Duration::millis(20);
  // controller.quorum.append.linger.ms: the leader buffers appends this long before writing.
  Duration append_linger = Duration::millis(25);

  // KafkaRaftClient.MAX_FETCH_WAIT_MS: how long the leader may park an empty fetch.
  Duration fetch_max_wait = Duration::millis(500);
  // KafkaRaftClient.MAX_FETCH_SIZE_BYTES / MAX_BATCH_SIZE_BYTES (8 MiB).
  std::int32_t fetch_max_bytes = 8 * 1024 * 1024;
  std::int64_t batch_max_bytes = 8 * 1024 * 1024;
  // KafkaRaftClient.RETRY_BACKOFF_BASE_MS: unit of the binary exponential election backoff.
  Duration election_backoff_base = Duration::millis(100);
  // How long a graceful shutdown may take before the node stops anyway (Kafka's callers pass
  // their own timeout to RaftClient.shutdown; the controller uses 5 s).
  Duration shutdown_timeout = Duration::millis(5000);

  // metadata.max.retention.bytes / metadata.max.retention.ms (KIP-630 retention, section 8.3),
  // checked every log_clean_interval (Kafka's fixed 60 s).
  std::int64_t max_retention_bytes = 100 * 1024 * 1024;
  Duration max_retention = Duration::millis(604'800'000);
  Duration log_clean_interval = Duration::seconds(60);

  // KIP-996 pre-vote. true = Kafka 4.x (Prospective state); false = Kafka 3.x behaviour where an
  // expired election timer bumps the epoch at once.
  bool pre_vote = true;

  // Historical bugs to re-introduce (raft/common/bugs.hh); empty = Kafka's fixed behaviour. The
  // Raft layer checks no-check-quorum, hw-at-epoch-start, restart-as-leader and
  // pre-vote-ping-pong; forget-brokers-on-activation is the controller's
  // (QuorumControllerConfig::bugs).
  BugSet bugs;

  // Derived timers (Kafka computes them the same way).
  [[nodiscard]] Duration check_quorum_timeout() const { return fetch_timeout * 3 / 2; }
  [[nodiscard]] Duration begin_quorum_epoch_period() const { return fetch_timeout / 2; }
};

}  // namespace raft
