// Leader-epoch cache (Kafka LeaderEpochFileCache, as KRaft uses it: KIP-595); see
// leader_epoch_cache.hh.
#include "raft/leader_epoch_cache.hh"

#include <algorithm>
#include <iterator>

#include "raft/common/assert.hh"

namespace raft {

std::ostream& operator<<(std::ostream& os, const EpochEntry& entry) {
  return os << "(epoch=" << entry.epoch << ", start_offset=" << entry.start_offset << ")";
}

void LeaderEpochCache::assign(Epoch epoch, Offset start_offset) {
  KR_ASSERT(epoch >= Epoch(0), "epoch=" << epoch);
  KR_ASSERT(start_offset >= Offset(0), "start_offset=" << start_offset);
  if (entries_.empty()) {
    entries_.push_back(EpochEntry{epoch, start_offset});
    return;
  }
  const EpochEntry latest = entries_.back();
  KR_ASSERT(epoch >= latest.epoch, "epoch " << epoch << " assigned at offset " << start_offset
                                             << " is below the latest cached entry " << latest);
  KR_ASSERT(start_offset >= latest.start_offset,
            "epoch " << epoch << " assigned at offset " << start_offset
                     << " starts before the latest cached entry " << latest);
  if (epoch == latest.epoch) return;
  // The latest epoch owns no records if the new one starts where it does: forget it.
  if (start_offset == latest.start_offset) entries_.pop_back();
  entries_.push_back(EpochEntry{epoch, start_offset});
}

std::optional<Epoch> LeaderEpochCache::latest_epoch() const {
  if (entries_.empty()) return std::nullopt;
  return entries_.back().epoch;
}

OffsetAndEpoch LeaderEpochCache::end_offset_for_epoch(Epoch requested,
                                                      Offset log_end_offset) const {
  if (entries_.empty()) return OffsetAndEpoch{log_end_offset, Epoch(0)};
  // First entry with an epoch larger than the requested one.
  const auto higher = std::upper_bound(
      entries_.begin(), entries_.end(), requested,
      [](Epoch e, const EpochEntry& entry) { return e < entry.epoch; });
  if (higher == entries_.begin()) return OffsetAndEpoch{higher->start_offset, requested};
  const auto floor = std::prev(higher);
  if (higher == entries_.end()) return OffsetAndEpoch{log_end_offset, floor->epoch};
  return OffsetAndEpoch{higher->start_offset, floor->epoch};
}

void LeaderEpochCache::truncate_from_end(Offset end_offset) {
  while (!entries_.empty() && entries_.back().start_offset >= end_offset) entries_.pop_back();
}

}  // namespace raft
