// A node's __cluster_metadata log and snapshots in kafka-dump-log style (metadata_log_dump.hh).
//
// Output (one line each; offsets and times in simulated ms of the writing leader's clock):
//   Dumping node 3 (broker, running): __cluster_metadata-0
//   Log start offset: 0, log end offset: 412, durable end offset: 410, batches: 200
//   Snapshot 00000000000000000157-0000000002.checkpoint: endOffset: 157 epoch: 2 ...
//   | record: 0 payload: {"type":"FEATURE_LEVEL_RECORD",...}
//   baseOffset: 0 lastOffset: 0 count: 1 partitionLeaderEpoch: 1 isControl: true ...
//   | offset: 0 CreateTime: 1003 LeaderChange: {"version":0,"leaderId":1,...}
//   baseOffset: 1 lastOffset: 2 count: 2 partitionLeaderEpoch: 1 isControl: false ...
//   | offset: 1 CreateTime: 1005 payload: {"type":"REGISTER_BROKER_RECORD",...}
#include "sim/inspect/metadata_log_dump.hh"

#include <cstdio>
#include <sstream>
#include <string>

#include "raft/metadata/record_codec.hh"
#include "sim/inspect/node_roles.hh"
#include "sim/inspect/record_json.hh"

namespace sim::inspect {

namespace {

// Kafka's snapshot file name: 20-digit end offset, '-', 10-digit epoch, ".checkpoint".
std::string snapshot_file_name(const raft::OffsetAndEpoch& id) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%020lld-%010d.checkpoint",
                static_cast<long long>(id.offset.value()), id.epoch.value());
  return buffer;
}

// The decoded record (metadata) or its size (counter); a record that does not decode says why.
std::string describe_value(const std::string& value, bool metadata) {
  if (!metadata) return "valueSize: " + std::to_string(value.size());
  try {
    return "payload: " + record_json(raft::metadata::decode_record(value));
  } catch (const raft::metadata::DecodeError& e) {
    return "payload: <cannot decode " + std::to_string(value.size()) + " bytes: " + e.what() + ">";
  }
}

void dump_snapshots(std::ostream& out, const Disk& disk, bool metadata) {
  for (const raft::SnapshotPtr& s : disk.snapshots()) {
    out << "Snapshot " << snapshot_file_name(s->id) << ": endOffset: " << s->id.offset
        << " epoch: " << s->id.epoch << " lastContainedLogTime: " << s->last_contained_log_time.ms()
        << " records: " << s->records.size() << " size: " << s->size_bytes << "\n";
    for (std::size_t i = 0; i < s->records.size(); ++i) {
      out << "| record: " << i << " " << describe_value(s->records[i], metadata) << "\n";
    }
  }
  for (const auto& [id, bytes] : disk.partial_snapshots()) {
    out << "Partial snapshot " << snapshot_file_name(id) << ".part: size: " << bytes << "\n";
  }
}

void dump_batch(std::ostream& out, const raft::RecordBatch& b, bool durable, bool metadata) {
  out << "baseOffset: " << b.base_offset << " lastOffset: " << b.last_offset()
      << " count: " << b.record_count() << " partitionLeaderEpoch: " << b.epoch
      << " isControl: " << (b.is_control ? "true" : "false") << " CreateTime: " << b.append_time.ms()
      << " size: " << b.size_bytes << " crc: " << b.checksum
      << " isvalid: " << (b.compute_checksum() == b.checksum ? "true" : "false")
      << " durable: " << (durable ? "true" : "false") << "\n";
  const std::string prefix_time = " CreateTime: " + std::to_string(b.append_time.ms()) + " ";
  if (b.is_control) {
    out << "| offset: " << b.base_offset << prefix_time << "LeaderChange: "
        << (b.leader_change ? leader_change_json(*b.leader_change) : "<torn: no content>") << "\n";
    return;
  }
  for (std::size_t i = 0; i < b.records.size(); ++i) {
    out << "| offset: " << (b.base_offset + static_cast<std::int64_t>(i)) << prefix_time
        << describe_value(b.records[i], metadata) << "\n";
  }
}

}  // namespace

std::string dump_metadata_log(const Simulation& sim, raft::NodeId id) {
  const NodeHost& node = sim.node(id);
  const Disk& disk = node.disk();
  const bool metadata = node.process().kind == StateMachineKind::Metadata;
  std::ostringstream out;
  out << "Dumping node " << id << " (" << node_roles(node) << ", " << to_string(node.status())
      << "): __cluster_metadata-0\n";
  out << "Log start offset: " << disk.log_start_offset() << ", log end offset: " << disk.end_offset()
      << ", durable end offset: " << disk.flushed_end_offset()
      << ", batches: " << disk.batches().size() << "\n";
  dump_snapshots(out, disk, metadata);
  const std::vector<raft::BatchPtr>& batches = disk.batches();
  for (std::size_t i = 0; i < batches.size(); ++i) {
    dump_batch(out, *batches[i], i < disk.flushed_batch_count(), metadata);
  }
  return out.str();
}

}  // namespace sim::inspect
