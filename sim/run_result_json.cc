#include "sim/run_result_json.hh"

#include <cstdio>

namespace sim {

namespace {
using nlohmann::json;

double ms(Instant t) { return static_cast<double>(t.us()) / 1000.0; }
double ms(Duration d) { return static_cast<double>(d.us()) / 1000.0; }

template <typename T, typename F>
json optional_json(const std::optional<T>& v, F f) {
  return v ? json(f(*v)) : json(nullptr);
}

json node_json(const NodeSummary& n) {
  return json{{"id", n.id.value()},
              {"role", n.voter ? "voter" : "observer"},
              {"status", n.status},
              {"state", n.state},
              {"epoch", n.epoch.value()},
              {"leader", optional_json(n.leader, [](raft::NodeId id) { return id.value(); })},
              {"high_watermark", optional_json(n.high_watermark, [](Offset o) { return o.value(); })},
              {"log_end_offset", n.log_end_offset.value()},
              {"flushed_end_offset", n.flushed_end_offset.value()},
              {"committed_value", n.committed_value},
              {"incarnation", n.incarnation},
              {"crashes", n.crashes},
              {"batches_lost_in_crashes", n.batches_lost_in_crashes},
              {"bytes_lost_in_crashes", n.bytes_lost_in_crashes},
              {"torn_writes", n.torn_writes},
              {"wipes", n.wipes},
              {"log_start_offset", n.log_start_offset.value()},
              {"snapshots_on_disk", n.snapshots_on_disk},
              {"latest_snapshot", n.latest_snapshot ? json{{"end_offset", n.latest_snapshot->offset.value()},
                                                          {"epoch", n.latest_snapshot->epoch.value()}}
                                                    : json(nullptr)},
              {"snapshots_created", n.snapshots_created},
              {"snapshots_downloaded", n.snapshots_downloaded},
              {"process_roles", n.roles},
              {"broker_state", n.broker_state},
              {"broker_epoch", optional_json(n.broker_epoch, [](std::int64_t e) { return e; })},
              {"metadata_offset", n.metadata_offset}};
}

json failover_json(const Failover& f) {
  return json{
      {"start_ms", ms(f.start)},
      {"end_ms", optional_json(f.end, [](Instant t) { return ms(t); })},
      {"duration_ms", optional_json(f.duration(), [](Duration d) { return ms(d); })},
      {"elected_after_ms", optional_json(f.elected_at, [&](Instant t) { return ms(t - f.start); })},
      {"cause", f.cause},
      {"old_leader", optional_json(f.old_leader, [](raft::NodeId id) { return id.value(); })},
      {"old_epoch", f.old_epoch.value()},
      {"new_leader", optional_json(f.new_leader, [](raft::NodeId id) { return id.value(); })},
      {"new_epoch", optional_json(f.new_epoch, [](Epoch e) { return e.value(); })}};
}
json availability_json(const Availability& a) {
  json windows = json::array();
  for (const UnavailableWindow& w : a.windows) {
    windows.push_back(json{{"start_ms", ms(w.start)},
                           {"end_ms", optional_json(w.end, [](Instant t) { return ms(t); })},
                           {"duration_ms", ms(w.length(a.measured_to))},
                           {"reason", w.reason}});
  }
  return json{{"measured_from_ms", optional_json(a.measured_from, [](Instant t) { return ms(t); })},
              {"measured_to_ms", ms(a.measured_to)},
              {"measured_ms", ms(a.measured())},
              {"unavailable_ms", ms(a.unavailable())},
              {"available_ppm", a.available_ppm()},
              {"windows", windows}};
}
}  // namespace

std::string format_hash(std::uint64_t hash) {
  char buf[19];
  std::snprintf(buf, sizeof buf, "0x%016llx", static_cast<unsigned long long>(hash));
  return buf;
}

json metadata_json(const MetadataSummary& m) {
  if (!m.enabled) return nullptr;
  json leaderless = json::array();
  for (const auto& [at, count] : m.leaderless_over_time) leaderless.push_back(json{{"at_ms", ms(at)}, {"count", count}});
  return json{{"active_controller", optional_json(m.active_controller, [](raft::NodeId id) { return id.value(); })},
              {"active_controller_changes", m.active_controller_changes},
              {"broker_registrations", m.broker_registrations},
              {"broker_fences", m.broker_fences},
              {"broker_unfences", m.broker_unfences},
              {"brokers_registered", m.brokers_registered},
              {"brokers_fenced", m.brokers_fenced},
              {"topics", m.topics},
              {"partitions", m.partitions},
              {"leaderless_partitions", m.leaderless_partitions},
              {"max_leaderless_partitions", m.max_leaderless_partitions},
              {"leaderless_over_time", leaderless},
              {"admin_requests",
               json{{"acknowledged", m.admin_acknowledged},
                    {"failed", m.admin_failed},
                    {"unknown", m.admin_unknown},
                    {"pending", m.admin_pending}}},
              {"committed_end_offset", m.committed_end.value()}};
}

json to_json(const RunResult& r, std::optional<double> wall_ms) {
  json violations = json::array();
  if (r.violation) {
    json nodes = json::array();
    for (raft::NodeId id : r.violation->nodes) nodes.push_back(id.value());
    violations.push_back(json{{"invariant", r.violation->invariant},
                              {"detail", r.violation->detail},
                              {"event_index", r.violation->event_index},
                              {"at_ms", ms(r.violation->at)},
                              {"nodes", nodes}});
  }
  json expectations = json::array();
  for (const ExpectationResult& e : r.expectations) {
    json entry{{"type", e.type}, {"description", e.description}, {"passed", e.passed},
               {"observed", e.observed}};
    entry["decided_at_ms"] = e.decided_at ? json(ms(*e.decided_at)) : json(nullptr);
    expectations.push_back(std::move(entry));
  }
  json failovers = json::array();
  for (const Failover& f : r.failovers) failovers.push_back(failover_json(f));
  json nodes = json::array();
  for (const NodeSummary& n : r.nodes) nodes.push_back(node_json(n));
  json timeline = json::array();
  for (const TimelineEntry& t : r.timeline) {
    timeline.push_back(json{{"at_ms", ms(t.at)},
                            {"kind", to_string(t.kind)},
                            {"node", optional_json(t.node, [](raft::NodeId id) { return id.value(); })},
                            {"text", t.text}});
  }
  const double sim_ms = ms(r.sim_time);
  json out{{"scenario", r.scenario_name},
           {"seed", r.seed},
           {"outcome", to_string(r.outcome)},
           {"stop_reason", r.stop_reason},
           {"trace_hash", format_hash(r.trace_hash)},
           {"events", r.events},
           {"sim_time_ms", sim_ms},
           {"wall_ms", wall_ms ? json(*wall_ms) : json(nullptr)},
           {"events_per_second", nullptr},
           {"sim_seconds_per_wall_second", nullptr},
           {"invariant_checks", r.invariant_checks},
           {"invariant_passes", r.invariant_passes},
           {"violations", violations},
           {"expectations", expectations},
           {"failovers", failovers},
           {"availability", availability_json(r.availability)},
           {"elections", r.elections},
           {"committed_records_lost", r.committed_records_lost},
           {"nodes", nodes},
           {"network",
            json{{"sent", r.network.sent},
                 {"delivered", r.network.delivered},
                 {"lost", r.network.lost},
                 {"cut", r.network.cut},
                 {"duplicated", r.network.duplicated},
                 {"dropped_destination_down", r.messages_dropped_down}}},
           {"appends", r.appends},
           {"metadata", metadata_json(r.metadata)},
           {"timeline", timeline}};
  if (wall_ms && *wall_ms > 0) {
    out["events_per_second"] = static_cast<double>(r.events) / (*wall_ms / 1000.0);
    out["sim_seconds_per_wall_second"] = sim_ms / *wall_ms;
  }
  return out;
}

}  // namespace sim
