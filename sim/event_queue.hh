// The simulator's pending-event queue: a min-heap of payloads keyed by (time, sequence number).
//
// Determinism rule 3 (DESIGN.md): events are ordered by the simulated time they are due at and,
// among equal times, by the order in which they were pushed (FIFO). The key is exactly
// (at, seq); the payload and its address never take part in the ordering, so the pop order is a
// function of the push calls alone. Header-only because it is a template over the payload type;
// T only needs to be move-constructible and move-assignable (move-only payloads are fine).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "raft/common/assert.hh"
#include "sim/time.hh"

namespace sim {

template <typename T>
class EventQueue {
 public:
  struct Entry {
    Instant at;         // simulated time the event is due at
    std::uint64_t seq;  // push order: 0 for the first push into this queue, then 1, 2, ...
    T payload;
  };

  // Schedules `payload` at time `at` and returns its sequence number (unique within this queue,
  // strictly increasing across pushes). Events at equal times pop in push order.
  std::uint64_t push(Instant at, T payload) {
    const std::uint64_t seq = next_seq_++;
    heap_.push_back(Entry{at, seq, std::move(payload)});
    std::push_heap(heap_.begin(), heap_.end(), Later{});
    return seq;
  }

  [[nodiscard]] bool empty() const { return heap_.empty(); }
  [[nodiscard]] std::size_t size() const { return heap_.size(); }

  // Time of the earliest pending event. Precondition: !empty().
  [[nodiscard]] Instant next_time() const {
    KR_ASSERT(!heap_.empty(), "next_time() on an empty event queue");
    return heap_.front().at;
  }

  // Removes and returns the earliest event (smallest (at, seq)). Precondition: !empty().
  Entry pop() {
    KR_ASSERT(!heap_.empty(), "pop() on an empty event queue");
    std::pop_heap(heap_.begin(), heap_.end(), Later{});
    Entry e = std::move(heap_.back());
    heap_.pop_back();
    return e;
  }

 private:
  // std heap functions build a max-heap; "a comes after b" puts the earliest entry at the front.
  struct Later {
    bool operator()(const Entry& a, const Entry& b) const {
      if (a.at != b.at) return a.at > b.at;
      return a.seq > b.seq;
    }
  };

  std::vector<Entry> heap_;     // binary heap ordered by Later
  std::uint64_t next_seq_ = 0;  // sequence number of the next push
};

}  // namespace sim
