#include "tools/cli/summary_printer.hh"

#include <iomanip>
#include <set>
#include <sstream>

#include "raft/common/bugs.hh"
#include "sim/run_result_json.hh"
#include "sim/time.hh"

namespace kraftsim::cli {

namespace {
using sim::format_ms;

std::string pad(const std::string& s, std::size_t width) {
  return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
}

std::string lpad(const std::string& s, std::size_t width) {
  return s.size() >= width ? s : std::string(width - s.size(), ' ') + s;
}

std::string opt_id(const std::optional<raft::NodeId>& id) {
  return id ? std::to_string(id->value()) : "-";
}

void print_header(std::ostream& out, const sim::Scenario& s, const sim::RunResult& r) {
  out << "kraftsim: scenario '" << s.name << "'";
  if (!s.source_path.empty()) out << " (" << s.source_path << ")";
  out << "\nseed: " << r.seed << "\n";
  if (!s.bugs.empty()) {
    // Loud: this run is NOT Kafka's fixed behaviour.
    out << "bugs re-introduced: ";
    bool first = true;
    for (raft::Bug b : s.bugs) {
      out << (first ? "" : ", ") << raft::to_string(b) << " (" << raft::jira_key(b) << ")";
      first = false;
    }
    out << "\n";
  }
  out << "cluster: " << s.cluster.controllers << " controller(s) = voters 0.."
      << s.cluster.controllers - 1;
  if (s.cluster.brokers > 0) {
    out << ", " << s.cluster.brokers << " broker(s) = observers " << s.cluster.controllers << ".."
        << s.cluster.node_count() - 1;
  }
  out << "\n\n";
}

void print_timeline(std::ostream& out, const sim::Scenario& s, const sim::RunResult& r,
                    TimelineDetail detail) {
  if (detail == TimelineDetail::None) return;
  out << "timeline:\n";
  for (const sim::TimelineEntry& t : r.timeline) {
    const bool observer_role = t.kind == sim::TimelineEntry::Kind::Role && t.node &&
                               t.node->value() >= s.cluster.controllers;
    if (observer_role && detail != TimelineDetail::Full) continue;
    const char* mark = "  ";
    switch (t.kind) {
      case sim::TimelineEntry::Kind::Fault: mark = "!!"; break;
      case sim::TimelineEntry::Kind::Election: mark = "**"; break;
      case sim::TimelineEntry::Kind::Active: mark = "=>"; break;
      case sim::TimelineEntry::Kind::Role: mark = "  "; break;
      case sim::TimelineEntry::Kind::Note: mark = "--"; break;
    }
    out << "  " << lpad(format_ms(t.at), 14) << "  " << mark << " " << t.text << "\n";
  }
  out << "\n";
}

void print_failovers(std::ostream& out, const sim::RunResult& r) {
  out << "failovers: " << r.failovers.size() << "\n";
  int i = 0;
  for (const sim::Failover& f : r.failovers) {
    out << "  #" << ++i << " at " << format_ms(f.start) << " (" << f.cause << "), leader "
        << opt_id(f.old_leader) << " of epoch " << f.old_epoch << ": ";
    if (f.end) {
      out << "node " << opt_id(f.new_leader) << " active in epoch " << f.new_epoch->value()
          << " after " << format_ms(*f.duration());
      if (f.elected_at) out << " (elected after " << format_ms(*f.elected_at - f.start) << ")";
    } else {
      out << "no new active leader before the end of the run";
    }
    out << "\n";
  }
  out << "\n";
}

// A fraction in parts per million as a percentage with three decimals ("99.421%").
std::string percent(std::int64_t ppm) {
  std::ostringstream os;
  os << ppm / 10'000 << "." << std::setw(3) << std::setfill('0') << (ppm % 10'000) / 10 << "%";
  return os.str();
}

// Metadata availability (sim::Availability), elections and committed records lost.
void print_availability(std::ostream& out, const sim::RunResult& r) {
  const sim::Availability& a = r.availability;
  out << "availability: ";
  if (!a.measured_from) {
    out << "no write could ever commit (no active leader with a majority)";
  } else {
    out << percent(a.available_ppm()) << " of " << format_ms(a.measured()) << " (from "
        << format_ms(*a.measured_from) << ", when a write could first commit); unavailable "
        << format_ms(a.unavailable()) << " in " << a.windows.size() << " window(s)";
  }
  out << "; " << r.elections << " election(s) won; committed records lost: " << r.committed_records_lost
      << "\n";
  constexpr std::size_t kShown = 10;
  for (std::size_t i = 0; i < a.windows.size() && i < kShown; ++i) {
    const sim::UnavailableWindow& w = a.windows[i];
    out << "  unavailable " << format_ms(w.start) << " .. "
        << (w.end ? format_ms(*w.end) : std::string("end")) << " (" << format_ms(w.length(a.measured_to))
        << "): " << w.reason << "\n";
  }
  if (a.windows.size() > kShown) out << "  ... " << a.windows.size() - kShown << " more window(s)\n";
  out << "\n";
}

// The metadata layer, in a Kafka operator's terms.
void print_metadata(std::ostream& out, const sim::RunResult& r) {
  const sim::MetadataSummary& m = r.metadata;
  if (!m.enabled) return;
  out << "metadata (committed __cluster_metadata log, end offset " << m.committed_end.value() << "):\n";
  out << "  active controller: " << opt_id(m.active_controller) << " (" << m.active_controller_changes
      << " activation(s) over the run)\n";
  out << "  brokers: " << m.brokers_registered << " registered, " << m.brokers_fenced
      << " fenced at the end; " << m.broker_registrations << " registration(s), " << m.broker_fences
      << " fencing(s), " << m.broker_unfences << " unfencing(s) over the run\n";
  out << "  topics: " << m.topics << ", partitions: " << m.partitions << ", without leader: "
      << m.leaderless_partitions << " at the end, " << m.max_leaderless_partitions << " at most\n";
  if (m.leaderless_over_time.size() > 1 || m.max_leaderless_partitions > 0) {
    out << "  partitions without leader over time:";
    std::size_t shown = 0;
    for (const auto& [at, count] : m.leaderless_over_time) {
      if (++shown > 12) {
        out << " ...";
        break;
      }
      out << " " << format_ms(at) << "=" << count;
    }
    out << "\n";
  }
  out << "  admin requests: " << m.admin_acknowledged << " acknowledged, " << m.admin_failed
      << " failed, " << m.admin_unknown << " unknown (timed out), " << m.admin_pending
      << " pending\n\n";
}

void print_nodes(std::ostream& out, const sim::RunResult& r) {
  const bool metadata = r.metadata.enabled;
  out << "final state:\n  " << pad("node", 6) << pad(metadata ? "roles" : "role", metadata ? 19 : 10)
      << pad("status", 9) << pad("state", 13) << lpad("epoch", 6) << lpad("leader", 8) << lpad("HW", 9)
      << lpad("LEO", 9) << lpad("flushed", 9);
  if (metadata) {
    out << lpad("applied", 9) << "  " << pad("broker", 28);
  } else {
    out << lpad("counter", 9);
  }
  out << "\n";
  for (const sim::NodeSummary& n : r.nodes) {
    std::string role = n.voter ? "voter" : "observer";
    if (metadata) role = n.roles;
    out << "  " << pad(std::to_string(n.id.value()), 6) << pad(role, metadata ? 19 : 10)
        << pad(n.status, 9) << pad(n.state, 13) << lpad(std::to_string(n.epoch.value()), 6)
        << lpad(opt_id(n.leader), 8)
        << lpad(n.high_watermark ? std::to_string(n.high_watermark->value()) : "-", 9)
        << lpad(std::to_string(n.log_end_offset.value()), 9)
        << lpad(std::to_string(n.flushed_end_offset.value()), 9);
    const bool up = n.status == "running" || n.status == "paused";
    if (metadata) {
      std::string broker = n.broker_state;
      if (n.broker_epoch) broker += " (epoch " + std::to_string(*n.broker_epoch) + ")";
      out << lpad(up ? std::to_string(n.metadata_offset) : "-", 9) << "  " << (up ? broker : "-");
    } else {
      out << lpad(up ? std::to_string(n.committed_value) : "-", 9);
    }
    out << "\n";
  }
  out << "\n";
}

// Disks: log start and snapshots (KIP-630), and what crashes and wipes destroyed.
void print_disks(std::ostream& out, const sim::RunResult& r) {
  out << "disks:\n  " << pad("node", 6) << lpad("log start", 10) << lpad("snapshots", 10)
      << lpad("latest snapshot", 18) << lpad("created", 9) << lpad("fetched", 9)
      << lpad("crashes", 9) << lpad("lost batches", 14) << lpad("lost bytes", 12)
      << lpad("torn", 6) << lpad("wipes", 7) << "\n";
  for (const sim::NodeSummary& n : r.nodes) {
    std::string latest = "-";
    if (n.latest_snapshot) {
      latest = "(" + std::to_string(n.latest_snapshot->offset.value()) + ", " +
               std::to_string(n.latest_snapshot->epoch.value()) + ")";
    }
    out << "  " << pad(std::to_string(n.id.value()), 6)
        << lpad(std::to_string(n.log_start_offset.value()), 10)
        << lpad(std::to_string(n.snapshots_on_disk), 10) << lpad(latest, 18)
        << lpad(std::to_string(n.snapshots_created), 9)
        << lpad(std::to_string(n.snapshots_downloaded), 9) << lpad(std::to_string(n.crashes), 9)
        << lpad(std::to_string(n.batches_lost_in_crashes), 14)
        << lpad(std::to_string(n.bytes_lost_in_crashes), 12) << lpad(std::to_string(n.torn_writes), 6)
        << lpad(std::to_string(n.wipes), 7) << "\n";
  }
  out << "\n";
}

void print_checks(std::ostream& out, const sim::RunResult& r) {
  out << "expectations:" << (r.expectations.empty() ? " none" : "") << "\n";
  for (const sim::ExpectationResult& e : r.expectations) {
    out << "  " << (e.passed ? "PASS  " : "FAIL  ") << e.description << "\n        observed: "
        << e.observed;
    if (e.decided_at) out << " (at " << sim::format_ms(*e.decided_at) << ")";
    out << "\n";
  }
  out << "invariants: " << r.invariant_checks << " checks (SingleLeader, MonotonicEpoch, "
      << "MonotonicHighWatermark, MajorityReachedHighWatermark, ConsistentCommittedData, "
      << "LeaderCompleteness, SnapshotAtLogStart, LeaderNeverLoadSnapshot, CommittedDataDurable, "
      << "LeaderCommitsOwnEpoch, CheckQuorum"
      << (r.metadata.enabled ? ", MetadataImagesAgree, PartitionLeaderEligible, TopicsCreatedWhole, MetadataEpochsGrow, ControllerClaimsAfterCatchUp; AcknowledgedWritesCommitted at the end" : "")
      << " after each of " << r.invariant_passes << " events), "
      << (r.violation ? "1 violation" : "0 violations") << "\n";
  if (r.violation) {
    out << "  VIOLATION " << r.violation->invariant << " at event " << r.violation->event_index
        << ", " << format_ms(r.violation->at) << ", nodes";
    for (raft::NodeId id : r.violation->nodes) out << " " << id;
    out << ", seed " << r.seed << ":\n    " << r.violation->detail << "\n";
  }
  out << "\n";
}

void print_stats(std::ostream& out, const sim::RunResult& r, std::optional<double> wall_ms) {
  out << "events: " << r.events << " processed, simulated " << format_ms(r.sim_time);
  if (wall_ms) {
    const double seconds = *wall_ms / 1000.0;
    out << ", wall " << std::fixed << std::setprecision(1) << *wall_ms << " ms";
    if (seconds > 0) {
      out << ", " << std::setprecision(0) << static_cast<double>(r.events) / seconds
          << " events/s, " << std::setprecision(1)
          << static_cast<double>(r.sim_time.us()) / 1e6 / seconds << " simulated s per wall s";
    }
    out.unsetf(std::ios::floatfield);
  }
  out << "\nmessages: " << r.network.sent << " sent, " << r.network.lost << " lost, " << r.network.cut
      << " cut by faults, " << r.network.duplicated << " duplicated, " << r.messages_dropped_down
      << " to a node that was down; " << r.appends << " appends\n";
  out << "stopped: " << r.stop_reason << "\n";
  out << "trace hash: " << sim::format_hash(r.trace_hash) << "\n";
}
}  // namespace

void print_summary(std::ostream& out, const sim::Scenario& scenario, const sim::RunResult& result,
                   std::optional<double> wall_ms, TimelineDetail detail) {
  print_header(out, scenario, result);
  print_timeline(out, scenario, result, detail);
  print_failovers(out, result);
  print_availability(out, result);
  print_metadata(out, result);
  print_nodes(out, result);
  print_disks(out, result);
  print_checks(out, result);
  print_stats(out, result, wall_ms);
}

}  // namespace kraftsim::cli
