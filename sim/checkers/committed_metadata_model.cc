// CommittedMetadataModel. See committed_metadata_model.hh.
#include "sim/checkers/committed_metadata_model.hh"

#include <algorithm>
#include <sstream>
#include <variant>

#include "raft/common/overloaded.hh"
#include "raft/metadata/replay_record.hh"

namespace sim {

namespace md = raft::metadata;

namespace {

std::string describe(const md::TopicIdPartition& tp, const md::MetadataImage& image) {
  const md::TopicImage* topic = image.topic(tp.topic_id);
  std::ostringstream os;
  os << (topic ? topic->name : std::string("?")) << "-" << tp.partition_id;
  return os.str();
}

}  // namespace

std::optional<Violation> CommittedMetadataModel::check(const CheckContext& ctx) {
  while (next_ < committed_.end) {
    auto it = committed_.batches.find(next_);
    if (it == committed_.batches.end()) {
      // The batches from here were never seen committed in a log: a snapshot covers them.
      const raft::Snapshot* best = nullptr;
      for (const auto& [id, s] : committed_.snapshots) {
        if (id.offset > next_ && (best == nullptr || id.offset > best->id.offset)) best = s.get();
      }
      if (best == nullptr) return std::nullopt;  // wait until it is known
      load_snapshot(*best);
      continue;
    }
    if (auto v = apply_batch(ctx, *it->second)) return v;
  }
  return std::nullopt;
}

void CommittedMetadataModel::load_snapshot(const raft::Snapshot& snapshot) {
  md::MetadataImage fresh{md::MetadataImage::Options{true}};
  for (const md::ReplayRecord& record : md::replay_records(snapshot)) {
    fresh.replay(record, snapshot.id.offset - 1);
  }
  fresh.set_provenance(md::Provenance{snapshot.id.offset, snapshot.id.epoch});
  for (const auto& [id, topic] : fresh.topics()) created_topics_.insert(id);
  for (const auto& [id, broker] : fresh.brokers()) {
    auto& epoch = broker_epochs_[id];
    epoch = std::max(epoch, broker.epoch);
  }
  image_ = std::move(fresh);
  next_ = snapshot.id.offset;
}

std::optional<Violation> CommittedMetadataModel::apply_batch(const CheckContext& ctx,
                                                             const raft::RecordBatch& batch) {
  touched_partitions_.clear();
  demoted_brokers_.clear();
  topics_created_in_batch_.clear();
  if (!batch.is_control) {
    raft::Offset offset = batch.base_offset;
    for (const md::ReplayRecord& record : md::replay_records(batch)) {
      auto v = record.partition ? check_partition_record(ctx, *record.partition, offset)
                                : check_record(ctx, record.other->record, offset);
      if (v) return v;
      image_.replay(record, offset);
      offset = offset + 1;
    }
  }
  image_.set_provenance(md::Provenance{batch.end_offset(), batch.epoch});
  next_ = batch.end_offset();
  return check_batch_effects(ctx, batch.base_offset);
}

std::optional<Violation> CommittedMetadataModel::check_partition_record(
    const CheckContext& ctx, const md::PartitionRecord& rec, raft::Offset offset) {
  const md::TopicIdPartition tp{rec.topic_id, rec.partition_id};
  touched_partitions_.insert(tp);
  const md::PartitionRecord* old = image_.partition(tp);
  if (old == nullptr ||
      (rec.leader_epoch >= old->leader_epoch && rec.partition_epoch >= old->partition_epoch)) {
    return std::nullopt;
  }
  std::ostringstream problem;
  problem << "PartitionRecord for " << describe(tp, image_) << " lowers its epochs (record at offset "
          << offset << ")";
  return make_violation(ctx, "MetadataEpochsGrow", problem.str(), {});
}

std::optional<Violation> CommittedMetadataModel::check_record(const CheckContext& ctx,
                                                              const md::MetadataRecord& r,
                                                              raft::Offset offset) {
  if (const auto* partition = std::get_if<md::PartitionRecord>(&r)) {
    return check_partition_record(ctx, *partition, offset);
  }
  std::ostringstream problem;
  std::visit(
      raft::Overloaded{
          [&](const md::RegisterBrokerRecord& rec) {
            auto [it, fresh] = broker_epochs_.try_emplace(rec.broker_id, rec.broker_epoch);
            if (!fresh && rec.broker_epoch < it->second) {
              problem << "broker " << rec.broker_id << " registered with epoch " << rec.broker_epoch
                      << " below its earlier epoch " << it->second;
            }
            it->second = std::max(it->second, rec.broker_epoch);
          },
          [&](const md::BrokerRegistrationChangeRecord& rec) {
            if (rec.fenced == md::kChangeSet || rec.in_controlled_shutdown == md::kChangeSet) {
              demoted_brokers_.insert(rec.broker_id);
            }
          },
          [&](const md::TopicRecord& rec) {
            created_topics_.insert(rec.topic_id);
            topics_created_in_batch_.insert(rec.topic_id);
          },
          [&](const md::RemoveTopicRecord& rec) {
            if (const md::TopicImage* t = image_.topic(rec.topic_id)) removed_topics_.insert(t->name);
          },
          [&](const md::PartitionChangeRecord& rec) {
            touched_partitions_.insert(md::TopicIdPartition{rec.topic_id, rec.partition_id});
          },
          [&](const auto&) {},
      },
      r);
  if (problem.str().empty()) return std::nullopt;
  problem << " (record at offset " << offset << ")";
  return make_violation(ctx, "MetadataEpochsGrow", problem.str(), {});
}

std::optional<Violation> CommittedMetadataModel::check_batch_effects(const CheckContext& ctx,
                                                                     raft::Offset batch_base) {
  for (const md::TopicIdPartition& tp : touched_partitions_) {
    const md::PartitionRecord* p = image_.partition(tp);
    if (p == nullptr || p->leader == md::kNoLeader) continue;
    const md::BrokerRegistration* leader = image_.broker(p->leader);
    const bool in_isr = std::find(p->isr.begin(), p->isr.end(), p->leader) != p->isr.end();
    std::string why;
    if (leader == nullptr) {
      why = "is not registered";
    } else if (leader->fenced) {
      why = "is fenced";
    } else if (leader->in_controlled_shutdown) {
      why = "is in controlled shutdown";
    } else if (!in_isr) {
      why = "is not in the ISR";
    }
    if (!why.empty()) {
      std::ostringstream os;
      os << "partition " << describe(tp, image_) << " has leader " << p->leader << " which " << why
         << " after the batch at offset " << batch_base << " committed (leader epoch "
         << p->leader_epoch << ")";
      return make_violation(ctx, "PartitionLeaderEligible", os.str(), {});
    }
  }
  for (const md::Uuid& id : topics_created_in_batch_) {
    const md::TopicImage* topic = image_.topic(id);
    if (topic != nullptr && topic->partitions.empty()) {
      std::ostringstream os;
      os << "topic " << topic->name << " was committed by the batch at offset " << batch_base
         << " without any partition (a half-applied CreateTopics)";
      return make_violation(ctx, "TopicsCreatedWhole", os.str(), {});
    }
  }
  for (std::int32_t broker : demoted_brokers_) {
    // Raft batches several controller writes together (append linger): a broker fenced early in
    // a batch may be unfenced again, and lead again, by its end. Only one still demoted counts.
    const md::BrokerRegistration* b = image_.broker(broker);
    const bool still_demoted = b == nullptr || b->fenced || b->in_controlled_shutdown;
    if (still_demoted && image_.leader_count(broker) > 0) {
      std::ostringstream os;
      os << "broker " << broker << " was fenced or put in controlled shutdown by the batch at offset "
         << batch_base << " but still leads " << image_.leader_count(broker) << " partition(s)";
      return make_violation(ctx, "PartitionLeaderEligible", os.str(), {});
    }
  }
  return std::nullopt;
}

}  // namespace sim
