// Fetch requests the leader parked because it had nothing new to return (long poll).
//
// Kafka (KIP-595): the fetch purgatory of org.apache.kafka.raft.KafkaRaftClient
// (org.apache.kafka.raft.internals.ThresholdPurgatory keyed by fetch offset). A parked fetch
// completes when the leader's log end offset passes its fetch offset (the response is recomputed
// then), or when MaxWaitMs expires (the response computed on arrival is returned unchanged,
// KAFKA-15100), or at once with an error when the node stops leading (KAFKA-10677).
#pragma once

#include <vector>

#include "raft/common/ids.hh"
#include "raft/common/time.hh"
#include "raft/messages.hh"

namespace raft {

struct ParkedFetch {
  NodeId replica;                  // the fetcher, to respond to
  CorrelationId correlation_id;    // of the fetch request
  FetchRequest request;
  FetchResponse original_response; // returned unchanged on expiry
  Instant deadline;                // arrival + MaxWaitMs
};

class FetchPurgatory {
 public:
  void park(ParkedFetch fetch) { parked_.push_back(std::move(fetch)); }
  [[nodiscard]] bool empty() const { return parked_.empty(); }
  [[nodiscard]] std::size_t size() const { return parked_.size(); }
  // Earliest deadline, never() if empty.
  [[nodiscard]] Instant next_deadline() const;
  // Removes and returns the fetches whose fetch offset is below `log_end_offset`, in arrival order.
  std::vector<ParkedFetch> take_satisfied(Offset log_end_offset);
  // Removes and returns the fetches whose deadline has passed, in arrival order.
  std::vector<ParkedFetch> take_expired(Instant now);
  // Removes and returns everything.
  std::vector<ParkedFetch> take_all();

 private:
  template <typename Pred>
  std::vector<ParkedFetch> take_if(Pred pred);
  std::vector<ParkedFetch> parked_;  // arrival order
};

}  // namespace raft
