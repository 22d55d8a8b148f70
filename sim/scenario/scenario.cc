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

std::string_view to_string(ConditionType t) {
  switch (t) {
    case ConditionType::Leader: return "leader";
    case ConditionType::NoLeader: return "no_leader";
    case ConditionType::HighWatermarkAtLeast: return "high_watermark_at_least";
    case ConditionType::CaughtUp: return "caught_up";
    case ConditionType::NoCommittedRecordLost: return "no_committed_record_lost";
    case ConditionType::SnapshotsDownloadedAtLeast: return "snapshots_downloaded_at_least";
    case ConditionType::ActiveController: return "active_controller";
    case ConditionType::NoActiveController: return "no_active_controller";
    case ConditionType::BrokersUnfenced: return "brokers_unfenced";
    case ConditionType::BrokerFenced: return "broker_fenced";
    case ConditionType::BrokerUnfenced: return "broker_unfenced";
    case ConditionType::BrokerLeadsNothing: return "broker_leads_nothing";
    case ConditionType::PartitionsLed: return "partitions_led";
    case ConditionType::PartitionLeaderless: return "partition_leaderless";
    case ConditionType::LivePartitionsLed: return "live_partitions_led";
    case ConditionType::TopicExists: return "topic_exists";
    case ConditionType::TopicAbsent: return "topic_absent";
    case ConditionType::ImagesAgree: return "images_agree";
    case ConditionType::AdminRequest: return "admin_request";
    case ConditionType::AdminOutcomes: return "admin_outcomes";
  }
  return "unknown-condition";
}

std::string_view to_string(AdminResult r) {
  switch (r) {
    case AdminResult::Acknowledged: return "acknowledged";
    case AdminResult::Failed: return "failed";
    case AdminResult::Unknown: return "unknown";
    case AdminResult::Pending: return "pending";
  }
  return "unknown-result";
}

}  // namespace sim
