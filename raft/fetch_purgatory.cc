// Kafka: KafkaRaftClient's fetch purgatory (ThresholdPurgatory; KIP-595). See fetch_purgatory.hh.
#include "raft/fetch_purgatory.hh"

#include <algorithm>

namespace raft {

Instant FetchPurgatory::next_deadline() const {
  Instant best = Instant::never();
  for (const ParkedFetch& f : parked_) best = std::min(best, f.deadline);
  return best;
}

template <typename Pred>
std::vector<ParkedFetch> FetchPurgatory::take_if(Pred pred) {
  std::vector<ParkedFetch> taken;
  std::vector<ParkedFetch> kept;
  for (ParkedFetch& f : parked_) {
    if (pred(f)) {
      taken.push_back(std::move(f));
    } else {
      kept.push_back(std::move(f));
    }
  }
  parked_ = std::move(kept);
  return taken;
}

std::vector<ParkedFetch> FetchPurgatory::take_satisfied(Offset log_end_offset) {
  return take_if([&](const ParkedFetch& f) { return f.request.fetch_offset < log_end_offset; });
}

std::vector<ParkedFetch> FetchPurgatory::take_expired(Instant now) {
  return take_if([&](const ParkedFetch& f) { return f.deadline <= now; });
}

std::vector<ParkedFetch> FetchPurgatory::take_all() {
  return take_if([](const ParkedFetch&) { return true; });
}

}  // namespace raft
