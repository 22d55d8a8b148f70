#include "sim/trace.hh"

#include <variant>

#include "raft/common/overloaded.hh"

namespace sim {

namespace {

namespace ctl = raft::controller;

void fold_uuid(raft::Hasher& h, const raft::metadata::Uuid& u) {
  h.add(u.hi);
  h.add(u.lo);
}
void fold_error(raft::Hasher& h, ctl::ApiError e) { h.add(static_cast<std::uint64_t>(e)); }

void fold_controller_payload(raft::Hasher& h, const ctl::BrokerRegistrationRequest& r) {
  h.add_signed(r.broker_id);
  fold_uuid(h, r.incarnation_id);
}
void fold_controller_payload(raft::Hasher& h, const ctl::BrokerRegistrationResponse& r) {
  fold_error(h, r.error);
  h.add_signed(r.broker_epoch);
}
void fold_controller_payload(raft::Hasher& h, const ctl::BrokerHeartbeatRequest& r) {
  h.add_signed(r.broker_id);
  h.add_signed(r.broker_epoch);
  h.add_signed(r.current_metadata_offset);
  h.add((r.want_fence ? 1U : 0U) | (r.want_shut_down ? 2U : 0U));
}
void fold_controller_payload(raft::Hasher& h, const ctl::BrokerHeartbeatResponse& r) {
  fold_error(h, r.error);
  h.add((r.is_caught_up ? 1U : 0U) | (r.is_fenced ? 2U : 0U) | (r.should_shut_down ? 4U : 0U));
}
void fold_controller_payload(raft::Hasher& h, const ctl::CreateTopicsRequest& r) {
  for (const auto& t : r.topics) {
    h.add(t.name);
    h.add_signed(t.num_partitions);
    h.add_signed(t.replication_factor);
  }
}
void fold_controller_payload(raft::Hasher& h, const ctl::CreateTopicsResponse& r) {
  fold_error(h, r.error);
  for (const auto& t : r.topics) {
    h.add(t.name);
    fold_error(h, t.error);
    fold_uuid(h, t.topic_id);
  }
}
void fold_controller_payload(raft::Hasher& h, const ctl::DeleteTopicsRequest& r) {
  for (const auto& name : r.names) h.add(name);
}
void fold_controller_payload(raft::Hasher& h, const ctl::DeleteTopicsResponse& r) {
  fold_error(h, r.error);
  for (const auto& t : r.topics) {
    h.add(t.name);
    fold_error(h, t.error);
  }
}
void fold_controller_payload(raft::Hasher& h, const ctl::IncrementalAlterConfigsRequest& r) {
  for (const auto& res : r.resources) {
    h.add(res.resource_name);
    for (const auto& c : res.configs) {
      h.add(c.name);
      h.add(c.value.value_or(""));
    }
  }
}
void fold_controller_payload(raft::Hasher& h, const ctl::IncrementalAlterConfigsResponse& r) {
  fold_error(h, r.error);
  for (const auto& res : r.responses) fold_error(h, res.error);
}

void fold_payload(raft::Hasher& h, const raft::Payload& p) {
  std::visit(
      raft::Overloaded{
          [&](const raft::VoteRequest& r) {
            h.add_signed(r.replica_epoch.value());
            h.add_signed(r.last_offset.value());
            h.add_signed(r.last_offset_epoch.value());
            h.add(r.pre_vote ? 1U : 0U);
          },
          [&](const raft::VoteResponse& r) {
            h.add(static_cast<std::uint64_t>(r.error));
            h.add_signed(r.leader_epoch.value());
            h.add(r.vote_granted ? 1U : 0U);
          },
          [&](const raft::BeginQuorumEpochRequest& r) { h.add_signed(r.leader_epoch.value()); },
          [&](const raft::BeginQuorumEpochResponse& r) {
            h.add(static_cast<std::uint64_t>(r.error));
            h.add_signed(r.leader_epoch.value());
          },
          [&](const raft::EndQuorumEpochRequest& r) {
            h.add_signed(r.leader_epoch.value());
            for (raft::NodeId id : r.preferred_successors) h.add_signed(id.value());
          },
          [&](const raft::EndQuorumEpochResponse& r) {
            h.add(static_cast<std::uint64_t>(r.error));
            h.add_signed(r.leader_epoch.value());
          },
          [&](const raft::FetchRequest& r) {
            h.add_signed(r.current_leader_epoch.value());
            h.add_signed(r.fetch_offset.value());
            h.add_signed(r.last_fetched_epoch.value());
          },
          [&](const raft::FetchSnapshotRequest& r) {
            h.add_signed(r.current_leader_epoch.value());
            h.add_signed(r.snapshot_id.offset.value());
            h.add_signed(r.position);
          },
          [&](const raft::FetchSnapshotResponse& r) {
            h.add(static_cast<std::uint64_t>(r.error));
            h.add_signed(r.leader_epoch.value());
            h.add_signed(r.snapshot_id.offset.value());
            h.add_signed(r.position);
            h.add_signed(r.bytes);
          },
          [&](const raft::FetchResponse& r) {
            h.add(static_cast<std::uint64_t>(r.error));
            h.add_signed(r.leader_epoch.value());
            h.add_signed(r.high_watermark ? r.high_watermark->value() : -1);
            h.add_signed(r.diverging_epoch ? r.diverging_epoch->offset.value() : -1);
            h.add_signed(r.snapshot_id ? r.snapshot_id->offset.value() : -1);
            for (const raft::BatchPtr& b : r.batches) h.add(b->checksum);
          },
          [&](const auto& r) { fold_controller_payload(h, r); },
      },
      p);
}
}  // namespace

void Trace::event(Instant at, std::string_view kind, std::int64_t node, std::int64_t a,
                  std::int64_t b, std::int64_t c) {
  hasher_.add_signed(at.us());
  hasher_.add(kind);
  hasher_.add_signed(node);
  hasher_.add_signed(a);
  hasher_.add_signed(b);
  hasher_.add_signed(c);
}

void Trace::message(Instant at, std::string_view kind, const raft::Message& m) {
  hasher_.add_signed(at.us());
  hasher_.add(kind);
  hasher_.add(raft::api_name(m.payload));
  hasher_.add_signed(m.source.value());
  hasher_.add_signed(m.destination.value());
  hasher_.add_signed(m.correlation_id.value());
  fold_payload(hasher_, m.payload);
  if (sink_ != nullptr) sink_->on_message(at, kind, m);
}

void Trace::note(Instant at, TimelineEntry::Kind kind, std::optional<raft::NodeId> node,
                 std::string text) {
  hasher_.add_signed(at.us());
  hasher_.add(text);
  timeline_.push_back(TimelineEntry{at, kind, node, std::move(text)});
  if (sink_ != nullptr) sink_->on_note(timeline_.back());
  if (listener_ != nullptr && (kind == TimelineEntry::Kind::Fault || kind == TimelineEntry::Kind::Note)) {
    emit(at, kind == TimelineEntry::Kind::Fault ? TraceEventKind::Fault : TraceEventKind::Note, node,
         {{"text", timeline_.back().text}});
  }
}

void Trace::emit(Instant at, TraceEventKind kind, std::optional<raft::NodeId> node,
                 std::vector<std::pair<std::string_view, TraceValue>> fields) {
  if (listener_ == nullptr) return;
  const TraceEvent e{at, next_seq_++, kind, node, std::move(fields)};
  listener_->on_event(e);
}

void Trace::end(Instant at) {
  if (listener_ != nullptr) listener_->on_end(at);
}

}  // namespace sim
