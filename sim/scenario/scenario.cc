// Names of the scenario enums, as written in scenario files (see scenario.hh).
#include "sim/scenario/scenario.hh"

namespace sim {

std::string_view to_string(ActionType t) {
  switch (t) {
    case ActionType::Crash: return "crash";
    case ActionType::Restart: return "restart";
    case ActionType::Shutdown: return "shutdown";
    case ActionType::Isolate: return "isolate";
    case ActionType::Partition: return "partition";
    case ActionType::Drop: return "drop";
    case ActionType::Heal: return "heal";
    case ActionType::Pause: return "pause";
    case ActionType::Resume: return "resume";
    case ActionType::Wipe: return "wipe";
    case ActionType::SlowDisk: return "slow_disk";
    case ActionType::ControlledShutdown: return "controlled_shutdown";
    case ActionType::CreateTopic: return "create_topic";
    case ActionType::DeleteTopic: return "delete_topic";
    case ActionType::AlterConfig: return "alter_config";
    case ActionType::SlowLink: return "slow_link";
    case ActionType::RestoreLink: return "restore_link";
    case ActionType::ClockDrift: return "clock_drift";
  }
  return "unknown-action";
}

std::string_view to_string(CrashPoint p) {
  switch (p) {
    case CrashPoint::None: return "none";
    case CrashPoint::SnapshotBeforeFsync: return "snapshot-before-fsync";
    case CrashPoint::SnapshotBeforeRename: return "snapshot-before-rename";
    case CrashPoint::QuorumStateBeforeFsync: return "quorum-state-before-fsync";
    case CrashPoint::QuorumStateBeforeRename: return "quorum-state-before-rename";
  }
  return "unknown-crash-point";
}

std::string_view to_string(ExpectationType t) {
  switch (t) {
    case ExpectationType::LeaderElectedWithin: return "leader_elected_within";
    case ExpectationType::LeaderAtEnd: return "leader_at_end";
    case ExpectationType::NoLeaderAtEnd: return "no_leader_at_end";
    case ExpectationType::HighWatermarkAtLeast: return "high_watermark_at_least";
    case ExpectationType::CaughtUpAtEnd: return "caught_up_at_end";
    case ExpectationType::NoProgressBetween: return "no_progress_between";
    case ExpectationType::ProgressBetween: return "progress_between";
    case ExpectationType::ActiveControllerAtEnd: return "active_controller_at_end";
    case ExpectationType::BrokerFencedWithin: return "broker_fenced_within";
    case ExpectationType::BrokerUnfencedWithin: return "broker_unfenced_within";
    case ExpectationType::BrokersUnfencedAtEnd: return "brokers_unfenced_at_end";
    case ExpectationType::PartitionsLedAtEnd: return "partitions_led_at_end";
    case ExpectationType::LeaderlessWithin: return "leaderless_within";
    case ExpectationType::ShutdownLeadershipMoved: return "shutdown_leadership_moved";
    case ExpectationType::AdminOutcomes: return "admin_outcomes";
    case ExpectationType::TopicExistsAtEnd: return "topic_exists_at_end";
  }
  return "unknown-expectation";
}

}  // namespace sim
