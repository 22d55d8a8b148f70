// The replicated metadata log (Kafka ReplicatedLog / KafkaMetadataLog, KIP-595); see
// replicated_log.hh.
#include "raft/replicated_log.hh"

#include <algorithm>
#include <utility>

#include "raft/common/assert.hh"

namespace raft {

std::ostream& operator<<(std::ostream& os, ValidOffsetAndEpoch::Kind kind) {
  switch (kind) {
    case ValidOffsetAndEpoch::Kind::Valid:
      return os << "VALID";
    case ValidOffsetAndEpoch::Kind::Diverging:
      return os << "DIVERGING";
    case ValidOffsetAndEpoch::Kind::Snapshot:
      return os << "SNAPSHOT";
  }
  return os << "?";
}

std::ostream& operator<<(std::ostream& os, const ValidOffsetAndEpoch& v) {
  return os << v.kind << v.offset_and_epoch;
}

ReplicatedLog::ReplicatedLog(LogStorage& storage) : storage_(storage) {
  Offset expected = start_offset();
  for (const BatchPtr& batch : storage_.batches()) {
    KR_ASSERT(batch != nullptr, "null batch in storage at offset " << expected);
    KR_ASSERT(batch->base_offset == expected,
              "stored batch at " << batch->base_offset << " does not follow the previous one, "
                                 << "which ends at " << expected);
    KR_ASSERT(!cache_.latest_epoch() || batch->epoch >= *cache_.latest_epoch(),
              "stored batch at " << batch->base_offset << " has epoch " << batch->epoch
                                 << " below the previous batch's " << *cache_.latest_epoch());
    cache_.assign(batch->epoch, batch->base_offset);
    expected = batch->end_offset();
  }
}

Offset ReplicatedLog::end_offset() const {
  const std::vector<BatchPtr>& all = storage_.batches();
  return all.empty() ? start_offset() : all.back()->end_offset();
}

Epoch ReplicatedLog::last_fetched_epoch() const {
  // Snapshots (issue 3): an empty log with a snapshot answers the snapshot's epoch.
  return cache_.latest_epoch().value_or(Epoch(0));
}

OffsetAndEpoch ReplicatedLog::end_offset_and_epoch() const {
  return OffsetAndEpoch{end_offset(), last_fetched_epoch()};
}

Offset ReplicatedLog::flushed_end_offset() const { return storage_.flushed_end_offset(); }

void ReplicatedLog::initialize_leader_epoch(Epoch epoch) { cache_.assign(epoch, end_offset()); }

void ReplicatedLog::append_as_leader(BatchPtr batch) {
  KR_ASSERT(batch != nullptr, "appending a null batch as leader");
  const Offset leo = end_offset();
  KR_ASSERT(batch->base_offset == leo,
            "leader batch base_offset=" << batch->base_offset << " but LEO=" << leo);
  KR_ASSERT(!cache_.latest_epoch() || batch->epoch >= *cache_.latest_epoch(),
            "leader batch at " << batch->base_offset << " has epoch " << batch->epoch
                               << " below the latest cached epoch " << *cache_.latest_epoch());
  cache_.assign(batch->epoch, batch->base_offset);
  storage_.append(std::move(batch));
}

void ReplicatedLog::append_as_follower(const std::vector<BatchPtr>& batches) {
  // Validate the whole response first so that a bad one leaves the log untouched.
  Offset expected = end_offset();
  std::optional<Epoch> last_epoch = cache_.latest_epoch();
  for (const BatchPtr& batch : batches) {
    KR_ASSERT(batch != nullptr, "appending a null batch as follower at " << expected);
    KR_ASSERT(batch->base_offset == expected,
              "follower batch base_offset=" << batch->base_offset << " but expected " << expected
                                            << " (LEO=" << end_offset() << ")");
    KR_ASSERT(!last_epoch || batch->epoch >= *last_epoch,
              "follower batch at " << batch->base_offset << " has epoch " << batch->epoch
                                   << " below the previous epoch " << *last_epoch);
    expected = batch->end_offset();
    last_epoch = batch->epoch;
  }
  for (const BatchPtr& batch : batches) {
    cache_.assign(batch->epoch, batch->base_offset);
    storage_.append(batch);
  }
}

void ReplicatedLog::flush() { storage_.flush(); }

void ReplicatedLog::truncate_to(Offset end) {
  KR_ASSERT(end >= Offset(0), "truncate_to(" << end << ")");
  const Offset leo = end_offset();
  if (end >= leo) return;  // Kafka: "truncating to X has no effect"
  KR_ASSERT(is_batch_boundary(end),
            "truncate_to(" << end << ") falls inside the batch at "
                           << batch_containing(end)->base_offset << " (LEO=" << leo << ")");
  storage_.truncate_to(end);
  const Offset new_leo = end_offset();
  KR_ASSERT(new_leo == end, "storage truncated to " << new_leo << " instead of " << end);
  cache_.truncate_from_end(new_leo);
}

OffsetAndEpoch ReplicatedLog::end_offset_for_epoch(Epoch epoch) const {
  // Snapshots (issue 3): KafkaMetadataLog replaces an answer of (log start offset, epoch) for an
  // epoch below every cached one by the earliest snapshot id, and an empty log with a snapshot
  // answers (LEO, snapshot epoch).
  return cache_.end_offset_for_epoch(epoch, end_offset());
}

ValidOffsetAndEpoch ReplicatedLog::validate_offset_and_epoch(Offset fetch_offset,
                                                             Epoch last_fetched_epoch) const {
  // 1. A follower starting from scratch on a log that was never cleaned.
  if (start_offset() == Offset(0) && fetch_offset == Offset(0)) {
    return ValidOffsetAndEpoch{ValidOffsetAndEpoch::Kind::Valid, OffsetAndEpoch{Offset(0), Epoch(0)}};
  }

  // 2. SNAPSHOT CASES (issue 3, section 7.2 step 2): if a snapshot exists at the log start
  //    offset (earliest snapshot id (S, sE)) and fetch_offset < S, or fetch_offset == S and
  //    last_fetched_epoch != sE, or last_fetched_epoch < sE, answer
  //    {Kind::Snapshot, latest snapshot id}. Nothing to do while there are no snapshots.

  // 3. Does the follower's last epoch end at or after its fetch offset in this log?
  const OffsetAndEpoch end = end_offset_for_epoch(last_fetched_epoch);
  if (end.epoch != last_fetched_epoch || end.offset < fetch_offset) {
    return ValidOffsetAndEpoch{ValidOffsetAndEpoch::Kind::Diverging, end};
  }
  return ValidOffsetAndEpoch{ValidOffsetAndEpoch::Kind::Valid,
                             OffsetAndEpoch{fetch_offset, last_fetched_epoch}};
}

Offset ReplicatedLog::truncate_to_end_offset(OffsetAndEpoch diverging,
                                             std::optional<Offset> high_watermark) {
  Offset target;
  if (diverging.epoch == Epoch(0)) {
    target = std::min(diverging.offset, end_offset());
  } else {
    const OffsetAndEpoch local = end_offset_for_epoch(diverging.epoch);
    target = local.epoch == diverging.epoch ? std::min(local.offset, diverging.offset)
                                            : local.offset;
  }
  KR_ASSERT(!high_watermark || target >= *high_watermark,
            "diverging epoch " << diverging << " would truncate to " << target
                               << " below the high watermark " << *high_watermark
                               << " (LEO=" << end_offset() << ")");
  truncate_to(target);
  return end_offset();
}

std::vector<BatchPtr> ReplicatedLog::read(Offset from, std::int64_t max_bytes) const {
  KR_ASSERT(max_bytes >= 0, "max_bytes=" << max_bytes);
  std::vector<BatchPtr> out;
  if (from == end_offset()) return out;
  KR_ASSERT(is_batch_boundary(from),
            "read from " << from << " which is not a batch boundary (log ["
                         << start_offset() << ", " << end_offset() << "))");
  const std::vector<BatchPtr>& all = storage_.batches();
  std::size_t i = *batch_index_at_or_before(from);
  std::int64_t total = all[i]->size_bytes;
  out.push_back(all[i]);
  for (++i; i < all.size() && total + all[i]->size_bytes <= max_bytes; ++i) {
    total += all[i]->size_bytes;
    out.push_back(all[i]);
  }
  return out;
}

BatchPtr ReplicatedLog::batch_containing(Offset offset) const {
  const std::optional<std::size_t> i = batch_index_at_or_before(offset);
  if (!i) return nullptr;
  const BatchPtr& batch = storage_.batches()[*i];
  return offset < batch->end_offset() ? batch : nullptr;
}

std::optional<std::size_t> ReplicatedLog::batch_index_at_or_before(Offset offset) const {
  const std::vector<BatchPtr>& all = storage_.batches();
  // First batch whose base offset is beyond `offset`.
  const auto after = std::upper_bound(
      all.begin(), all.end(), offset,
      [](Offset o, const BatchPtr& batch) { return o < batch->base_offset; });
  if (after == all.begin()) return std::nullopt;
  return static_cast<std::size_t>(after - all.begin()) - 1;
}

bool ReplicatedLog::is_batch_boundary(Offset offset) const {
  if (offset == end_offset()) return true;
  const std::optional<std::size_t> i = batch_index_at_or_before(offset);
  return i && storage_.batches()[*i]->base_offset == offset;
}

}  // namespace raft
