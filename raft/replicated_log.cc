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

ReplicatedLog::ReplicatedLog(LogStorage& storage, SnapshotStore& snapshots)
    : storage_(storage), snapshots_(snapshots) {
  recover();
  rebuild_epoch_cache();
}

void ReplicatedLog::recover() {
  // A batch whose checksum does not match its content was torn by a crash in the middle of its
  // write: it and everything after it are garbage (Kafka's log recovery truncates there).
  for (const BatchPtr& batch : storage_.batches()) {
    if (batch->compute_checksum() != batch->checksum) {
      torn_at_ = batch->base_offset;
      storage_.truncate_to(batch->base_offset);
      break;
    }
  }
  // Section 8.4: partial and deleted snapshot files go.
  snapshots_.remove_partial_snapshots();
  // A snapshot beyond the log end (a crash after a download, or a node that lost its unflushed
  // log): the log restarts at its end (truncateToLatestSnapshot).
  if (SnapshotPtr latest = latest_snapshot(); latest && latest->id.offset > end_offset()) {
    storage_.truncate_fully(latest->id.offset);
  }
  // Snapshots below the log start describe a prefix the log no longer has.
  std::vector<OffsetAndEpoch> below_start;
  for (const SnapshotPtr& s : snapshots_.snapshots()) {
    if (s->id.offset < start_offset()) below_start.push_back(s->id);
  }
  for (OffsetAndEpoch id : below_start) snapshots_.delete_snapshot(id);
  // KAFKA-14240: a log that starts after 0 must start exactly at a snapshot.
  if (start_offset() > Offset(0)) {
    SnapshotPtr earliest = earliest_snapshot();
    KR_ASSERT(earliest != nullptr && earliest->id.offset == start_offset(),
              "log starts at " << start_offset() << " without a snapshot ending there");
  }
}

void ReplicatedLog::rebuild_epoch_cache() {
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
  if (std::optional<Epoch> latest = cache_.latest_epoch()) return *latest;
  // An empty log that starts at a snapshot continues from the snapshot's epoch.
  if (SnapshotPtr s = snapshot_at_start()) return s->id.epoch;
  return Epoch(0);
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

void ReplicatedLog::rebuild_epoch_cache_after_clean() {
  cache_.clear();
  rebuild_epoch_cache();
}

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
  if (!cache_.latest_epoch()) {
    // An empty log answers (LEO, last fetched epoch): the snapshot's epoch if it starts at one.
    return OffsetAndEpoch{end_offset(), last_fetched_epoch()};
  }
  const OffsetAndEpoch found = cache_.end_offset_for_epoch(epoch, end_offset());
  // KafkaMetadataLog.endOffsetForEpoch: the cache has no entry for epochs covered only by the
  // snapshot at the log start; for those the snapshot id is the answer.
  if (SnapshotPtr s = snapshot_at_start();
      s && found.offset == s->id.offset && found.epoch < s->id.epoch) {
    return s->id;
  }
  return found;
}

ValidOffsetAndEpoch ReplicatedLog::validate_offset_and_epoch(Offset fetch_offset,
                                                             Epoch last_fetched_epoch) const {
  // 1. A follower starting from scratch on a log that was never cleaned.
  if (start_offset() == Offset(0) && fetch_offset == Offset(0)) {
    return ValidOffsetAndEpoch{ValidOffsetAndEpoch::Kind::Valid, OffsetAndEpoch{Offset(0), Epoch(0)}};
  }

  // 2. With a snapshot at the log start (S, sE): a fetcher below S, at S in another epoch, or
  //    whose last epoch is older than sE must download the latest snapshot first.
  if (SnapshotPtr earliest = earliest_snapshot()) {
    const OffsetAndEpoch s = earliest->id;
    if (fetch_offset < start_offset() ||
        (fetch_offset == start_offset() && last_fetched_epoch != s.epoch) ||
        last_fetched_epoch < s.epoch) {
      return ValidOffsetAndEpoch{ValidOffsetAndEpoch::Kind::Snapshot, latest_snapshot()->id};
    }
  }

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

SnapshotPtr ReplicatedLog::latest_snapshot() const {
  const std::vector<SnapshotPtr>& all = snapshots_.snapshots();
  return all.empty() ? nullptr : all.back();
}

SnapshotPtr ReplicatedLog::earliest_snapshot() const {
  const std::vector<SnapshotPtr>& all = snapshots_.snapshots();
  return all.empty() ? nullptr : all.front();
}

SnapshotPtr ReplicatedLog::snapshot(OffsetAndEpoch id) const {
  for (const SnapshotPtr& s : snapshots_.snapshots()) {
    if (s->id == id) return s;
  }
  return nullptr;
}

SnapshotPtr ReplicatedLog::snapshot_at_start() const {
  SnapshotPtr s = earliest_snapshot();
  return s && s->id.offset == start_offset() ? s : nullptr;
}

bool ReplicatedLog::create_snapshot(SnapshotPtr snapshot, std::optional<Offset> high_watermark) {
  KR_ASSERT(snapshot != nullptr, "creating a null snapshot");
  const OffsetAndEpoch id = snapshot->id;
  if (this->snapshot(id) != nullptr) return false;  // already there
  KR_ASSERT(id.offset >= start_offset(), "snapshot " << id << " below the log start " << start_offset());
  KR_ASSERT(high_watermark && id.offset <= *high_watermark,
            "snapshot " << id << " is not committed (HW " << (high_watermark ? high_watermark->value() : -1) << ")");
  KR_ASSERT(is_batch_boundary(id.offset), "snapshot " << id << " is not on a batch boundary (KAFKA-14619)");
  const ValidOffsetAndEpoch valid = validate_offset_and_epoch(id.offset, id.epoch);
  KR_ASSERT(valid.kind == ValidOffsetAndEpoch::Kind::Valid, "snapshot " << id << " does not match the log: " << valid);
  snapshots_.write_snapshot(std::move(snapshot));
  return true;
}

void ReplicatedLog::install_snapshot(SnapshotPtr snapshot) {
  KR_ASSERT(snapshot != nullptr, "installing a null snapshot");
  const OffsetAndEpoch id = snapshot->id;
  snapshots_.write_snapshot(std::move(snapshot));
  storage_.truncate_fully(id.offset);
  cache_.clear();
  // The log now starts at this snapshot: older snapshots describe a prefix it no longer has.
  std::vector<OffsetAndEpoch> older;
  for (const SnapshotPtr& s : snapshots_.snapshots()) {
    if (s->id < id) older.push_back(s->id);
  }
  for (OffsetAndEpoch o : older) snapshots_.delete_snapshot(o);
}

std::int64_t ReplicatedLog::size_bytes() const {
  std::int64_t total = 0;
  for (const BatchPtr& b : storage_.batches()) total += b->size_bytes;
  return total;
}

int ReplicatedLog::maybe_clean(Instant now, std::int64_t retention_bytes, Duration retention) {
  int deleted = 0;
  for (;;) {
    const std::vector<SnapshotPtr>& all = snapshots_.snapshots();
    if (all.size() < 2) break;  // at least one snapshot always remains
    std::int64_t total = size_bytes();
    for (const SnapshotPtr& s : all) total += s->size_bytes;
    const bool too_big = total > retention_bytes;
    const bool too_old = now - all.front()->last_contained_log_time > retention;
    if (!too_big && !too_old) break;
    const OffsetAndEpoch oldest = all.front()->id;
    const Offset next_start = all[1]->id.offset;
    snapshots_.delete_snapshot(oldest);
    if (next_start > start_offset()) {
      storage_.advance_log_start(std::min(next_start, end_offset()));
      rebuild_epoch_cache_after_clean();
    }
    ++deleted;
  }
  return deleted;
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
