// Parsing the expectations of a scenario (see expectations_parser.hh).
#include "sim/scenario/expectations_parser.hh"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "sim/scenario/conditions_parser.hh"
#include "sim/scenario/kind_names.hh"
#include "sim/scenario/selectors.hh"
#include "sim/scenario/timeline.hh"

namespace sim::scenario_detail {

namespace {

// How an expectation name reads its fields.
enum class Form {
  Timed,   // a condition with an optional timing (at the end when none)
  AtEnd,   // a condition at the end; no timing fields (the "_at_end" shorthands)
  Within,  // a condition within a window after an action; "after" and "within_ms" required
  Event,   // an event expectation with its own fields
};

struct Kind {
  std::string_view name;
  ExpectationType type;
  ConditionType condition;  // Timed, AtEnd, Within
  Form form;
};

using E = ExpectationType;
using C = ConditionType;

// Conditions first (their names are their condition's), then the shorthands, then the events.
constexpr std::array<Kind, 36> kKinds = {{
    {"leader", E::State, C::Leader, Form::Timed},
    {"no_leader", E::State, C::NoLeader, Form::Timed},
    {"high_watermark_at_least", E::State, C::HighWatermarkAtLeast, Form::Timed},
    {"caught_up", E::State, C::CaughtUp, Form::Timed},
    {"no_committed_record_lost", E::State, C::NoCommittedRecordLost, Form::Timed},
    {"snapshots_downloaded_at_least", E::State, C::SnapshotsDownloadedAtLeast, Form::Timed},
    {"active_controller", E::State, C::ActiveController, Form::Timed},
    {"no_active_controller", E::State, C::NoActiveController, Form::Timed},
    {"brokers_unfenced", E::State, C::BrokersUnfenced, Form::Timed},
    {"broker_fenced", E::State, C::BrokerFenced, Form::Timed},
    {"broker_unfenced", E::State, C::BrokerUnfenced, Form::Timed},
    {"broker_leads_nothing", E::State, C::BrokerLeadsNothing, Form::Timed},
    {"partitions_led", E::State, C::PartitionsLed, Form::Timed},
    {"partition_leaderless", E::State, C::PartitionLeaderless, Form::Timed},
    {"live_partitions_led", E::State, C::LivePartitionsLed, Form::Timed},
    {"topic_exists", E::State, C::TopicExists, Form::Timed},
    {"topic_absent", E::State, C::TopicAbsent, Form::Timed},
    {"images_agree", E::State, C::ImagesAgree, Form::Timed},
    {"admin_request", E::State, C::AdminRequest, Form::Timed},
    {"admin_outcomes", E::State, C::AdminOutcomes, Form::Timed},
    {"leader_at_end", E::State, C::Leader, Form::AtEnd},
    {"no_leader_at_end", E::State, C::NoLeader, Form::AtEnd},
    {"caught_up_at_end", E::State, C::CaughtUp, Form::AtEnd},
    {"active_controller_at_end", E::State, C::ActiveController, Form::AtEnd},
    {"brokers_unfenced_at_end", E::State, C::BrokersUnfenced, Form::AtEnd},
    {"partitions_led_at_end", E::State, C::PartitionsLed, Form::AtEnd},
    {"topic_exists_at_end", E::State, C::TopicExists, Form::AtEnd},
    {"leaderless_within", E::State, C::PartitionLeaderless, Form::Within},
    {"leader_elected_within", E::LeaderElectedWithin, C::Leader, Form::Event},
    {"failover_within", E::FailoverWithin, C::ActiveController, Form::Event},
    {"no_progress_between", E::NoProgressBetween, C::Leader, Form::Event},
    {"progress_between", E::ProgressBetween, C::Leader, Form::Event},
    {"broker_fenced_within", E::BrokerFencedWithin, C::BrokerFenced, Form::Event},
    {"broker_unfenced_within", E::BrokerUnfencedWithin, C::BrokerUnfenced, Form::Event},
    {"shutdown_leadership_moved", E::ShutdownLeadershipMoved, C::BrokerLeadsNothing, Form::Event},
    {"restart_resumes_from_local_log", E::RestartResumesFromLocalLog, C::Leader, Form::Event},
}};

bool kind_metadata_only(const Kind& k) {
  if (k.form != Form::Event) return metadata_only(k.condition);
  return k.type == E::FailoverWithin || k.type == E::BrokerFencedWithin ||
         k.type == E::BrokerUnfencedWithin || k.type == E::ShutdownLeadershipMoved;
}

std::vector<std::string_view> kind_names(const ClusterSpec& cluster) {
  std::vector<std::string_view> names;
  for (const Kind& k : kKinds) {
    if (is_metadata(cluster) || !kind_metadata_only(k)) names.push_back(k.name);
  }
  return names;
}

const Kind& read_kind(const Reporter& r, const json& value, const JsonPath& path,
                      const ClusterSpec& cluster) {
  const std::vector<std::string_view> names = kind_names(cluster);
  const std::string got = value.is_string() ? value.get<std::string>() : "";
  for (const Kind& k : kKinds) {
    if (!value.is_string() || k.name != got) continue;
    if (kind_metadata_only(k) && !is_metadata(cluster)) {
      r.bad(path, value, "one of " + join(names, "|") + " (" + quote(k.name) + " needs " +
                             needs_state_machine(cluster, StateMachineChoice::Metadata) + ")");
    }
    return k;
  }
  r.bad(path, value, "one of " + join(names, "|") + did_you_mean(got, names));
}

constexpr std::array<std::string_view, 7> kTimingFields = {"at_ms",  "by_ms",   "after", "within_ms",
                                                           "always", "from_ms", "to_ms"};

std::vector<std::string_view> event_fields(ExpectationType t) {
  switch (t) {
    case E::LeaderElectedWithin:
    case E::FailoverWithin: return {"after", "within_ms"};
    case E::NoProgressBetween:
    case E::ProgressBetween: return {"from_ms", "to_ms"};
    case E::BrokerFencedWithin:
    case E::BrokerUnfencedWithin: return {"broker", "after", "within_ms"};
    case E::ShutdownLeadershipMoved: return {"broker"};
    case E::RestartResumesFromLocalLog: return {"after"};
    case E::State: break;
  }
  return {};
}

std::vector<std::string_view> fields_of(const Kind& k) {
  std::vector<std::string_view> fields = {"type"};
  const std::vector<std::string_view> own =
      k.form == Form::Event ? event_fields(k.type) : condition_fields(k.condition);
  fields.insert(fields.end(), own.begin(), own.end());
  if (k.form == Form::Timed) fields.insert(fields.end(), kTimingFields.begin(), kTimingFields.end());
  if (k.form == Form::Within) fields.insert(fields.end(), {"after", "within_ms"});
  return fields;
}

// Every field some expectation of the cluster's state machine may have (for a missing "type").
std::vector<std::string_view> any_expectation_fields(const ClusterSpec& cluster) {
  std::vector<std::string_view> out;
  for (const Kind& k : kKinds) {
    if (!is_metadata(cluster) && kind_metadata_only(k)) continue;
    for (std::string_view f : fields_of(k)) {
      if (std::find(out.begin(), out.end(), f) == out.end()) out.push_back(f);
    }
  }
  return out;
}

// "after": the label of a timeline action.
std::string read_after(const Reporter& r, const Object& obj, const ExpectationContext& ctx) {
  std::string label = read_string(r, obj.need("after", "the label of a timeline action"),
                                  obj.at("after"), "the label of a timeline action", false);
  if (ctx.labels.count(label) == 0) {
    r.bad(obj.at("after"), json(label),
          "the label of a timeline action (" + list_labels(ctx.labels) + ")" +
              did_you_mean(label, label_names(ctx.labels)));
  }
  return label;
}

Duration read_within(const Reporter& r, const Object& obj) {
  return Duration::micros(read_ms(r, obj.need("within_ms", ms_expected(Lower::Positive)),
                                  obj.at("within_ms"), Lower::Positive));
}

// A time in [lo, stop.at_ms].
Instant read_time(const Reporter& r, const Object& obj, std::string_view field,
                  const ExpectationContext& ctx, std::int64_t lo_us = 0) {
  const std::string expected = "a time in milliseconds in [" + format_ms(lo_us) + ", stop.at_ms = " +
                               format_ms(ctx.stop.at.us()) + "]";
  const json& value = obj.need(field, expected);
  const std::int64_t us = read_ms(r, value, obj.at(field), Lower::Zero, ctx.stop.at.us(), expected);
  if (us < lo_us) r.bad(obj.at(field), value, expected);
  return Instant::from_us(us);
}

// The timing fields present, in kTimingFields order, grouped by form.
Timing read_timing(const Reporter& r, const Object& obj, const ExpectationContext& ctx) {
  std::vector<std::string_view> forms;
  if (obj.find("at_ms")) forms.push_back("at_ms");
  if (obj.find("by_ms")) forms.push_back("by_ms");
  if (obj.find("after") || obj.find("within_ms")) forms.push_back(obj.find("after") ? "after" : "within_ms");
  if (obj.find("always") || obj.find("from_ms") || obj.find("to_ms")) {
    forms.push_back(obj.find("always") ? "always" : (obj.find("from_ms") ? "from_ms" : "to_ms"));
  }
  Timing t;
  if (forms.empty()) return t;
  if (forms.size() > 1) {
    r.bad_text(obj.at(forms[1]), "both " + quote(forms[0]) + " and " + quote(forms[1]),
               "one timing: \"at_ms\", \"by_ms\", \"after\" + \"within_ms\", or \"always\" "
               "(with optional \"from_ms\" / \"to_ms\"); none means at the end");
  }
  const std::string_view form = forms[0];
  if (form == "at_ms") {
    t.kind = Timing::Kind::At;
    t.at = read_time(r, obj, "at_ms", ctx);
  } else if (form == "by_ms") {
    t.kind = Timing::Kind::By;
    t.at = read_time(r, obj, "by_ms", ctx);
  } else if (form == "after" || form == "within_ms") {
    t.kind = Timing::Kind::Within;
    t.after = read_after(r, obj, ctx);
    t.within = read_within(r, obj);
  } else {
    t.kind = Timing::Kind::Always;
    const json& always = obj.need("always", "true, with \"from_ms\" / \"to_ms\" bounding the window");
    if (!always.is_boolean() || !always.get<bool>()) {
      r.bad(obj.at("always"), always, "true (leave the timing out to mean at the end)");
    }
    t.to = Instant::never();  // until the run ends
    if (obj.find("from_ms")) t.from = read_time(r, obj, "from_ms", ctx);
    if (obj.find("to_ms")) t.to = read_time(r, obj, "to_ms", ctx, t.from.us());
  }
  return t;
}

std::string timing_phrase(const Timing& t) {
  switch (t.kind) {
    case Timing::Kind::AtEnd: return "at the end";
    case Timing::Kind::At: return "at " + format_ms(t.at.us()) + " ms";
    case Timing::Kind::By: return "by " + format_ms(t.at.us()) + " ms";
    case Timing::Kind::Within: return "within " + format_ms(t.within.us()) + " ms of '" + t.after + "'";
    case Timing::Kind::Always:
      if (t.to.is_never()) {
        return t.from == Instant::zero() ? "always" : "always from " + format_ms(t.from.us()) + " ms";
      }
      return "always from " + format_ms(t.from.us()) + " ms to " + format_ms(t.to.us()) + " ms";
  }
  return "";
}

void read_window(const Reporter& r, const Object& obj, const ExpectationContext& ctx, Expectation& e) {
  const std::string stop_ms = format_ms(ctx.stop.at.us());
  const std::string from_expected = "a time in milliseconds in [0, " + stop_ms + ")";
  const std::int64_t from = read_ms(r, obj.need("from_ms", from_expected), obj.at("from_ms"),
                                    Lower::Zero, ctx.stop.at.us() - 1, from_expected);
  const std::string to_expected =
      "a time in milliseconds in (from_ms, stop.at_ms] = (" + format_ms(from) + ", " + stop_ms + "]";
  const json& to_value = obj.need("to_ms", to_expected);
  const std::int64_t to = read_ms(r, to_value, obj.at("to_ms"), Lower::Zero, ctx.stop.at.us(), to_expected);
  if (to <= from) r.bad(obj.at("to_ms"), to_value, to_expected);
  e.from = Instant::from_us(from);
  e.to = Instant::from_us(to);
  e.description = std::string("the highest high watermark ") +
                  (e.type == E::ProgressBetween ? "grows" : "does not grow") + " between " +
                  format_ms(from) + " ms and " + format_ms(to) + " ms";
}

// The labelled action of restart_resumes_from_local_log must be a restart.
void read_restart_label(const Reporter& r, const Object& obj, const ExpectationContext& ctx,
                        Expectation& e) {
  e.after_label = read_after(r, obj, ctx);
  const Action& a = action_at(ctx.timeline, ctx.labels.at(e.after_label));
  if (a.type != ActionType::Restart) {
    r.bad(obj.at("after"), json(e.after_label),
          "the label of a restart action; " + quote(e.after_label) + " labels " + describe_action(a));
  }
  e.description = "after '" + e.after_label +
                  "' the node fetches only the suffix its disk lacks (first Fetch at its log end, "
                  "no snapshot)";
}

void read_event(const Reporter& r, const Object& obj, const ExpectationContext& ctx, Expectation& e) {
  switch (e.type) {
    case E::LeaderElectedWithin:
    case E::FailoverWithin:
      e.after_label = read_after(r, obj, ctx);
      e.within = read_within(r, obj);
      e.description = std::string(e.type == E::FailoverWithin ? "a controller of a newer epoch is active"
                                                              : "a leader of a newer epoch commits") +
                      " within " + format_ms(e.within.us()) + " ms of '" + e.after_label + "'";
      break;
    case E::NoProgressBetween:
    case E::ProgressBetween: read_window(r, obj, ctx, e); break;
    case E::BrokerFencedWithin:
    case E::BrokerUnfencedWithin:
      e.broker = read_broker(r, obj, ctx, false);
      e.after_label = read_after(r, obj, ctx);
      e.within = read_within(r, obj);
      e.description = describe_broker(*e.broker) +
                      (e.type == E::BrokerFencedWithin ? " is fenced" : " is registered and unfenced") +
                      " within " + format_ms(e.within.us()) + " ms of '" + e.after_label + "'";
      break;
    case E::ShutdownLeadershipMoved:
      e.broker = read_broker(r, obj, ctx, true);
      e.description = describe_broker(*e.broker) +
                      " completes its controlled shutdown with the controller's consent, leading "
                      "no partition";
      break;
    case E::RestartResumesFromLocalLog: read_restart_label(r, obj, ctx, e); break;
    case E::State: break;
  }
}

// An admin_request checked at or by a time before its action runs can never hold.
void check_request_timing(const Reporter& r, const Object& obj, const Expectation& e,
                          const ExpectationContext& ctx) {
  const Timing& t = e.timing;
  if (e.condition.type != C::AdminRequest) return;
  if (t.kind != Timing::Kind::At && t.kind != Timing::Kind::By) return;
  const Action& a = action_at(ctx.timeline, ctx.labels.at(e.condition.request));
  if (t.at >= a.at) return;
  const std::string_view field = t.kind == Timing::Kind::At ? "at_ms" : "by_ms";
  r.bad(obj.at(field), *obj.find(field),
        "a time at or after " + describe_action(a) + ", which submits the request");
}

Expectation parse_expectation(const Reporter& r, const json& value, const JsonPath& path,
                              std::size_t index, const ExpectationContext& ctx) {
  if (!value.is_object()) r.bad(path, value, R"(an expectation object, e.g. {"type": "leader_at_end"})");
  auto type_it = value.find("type");
  if (type_it == value.end()) {  // a misspelt "type" key is reported as an unknown field first
    Object any(r, value, path, "an expectation", any_expectation_fields(ctx.cluster));
    r.missing(path.field("type"), "one of " + join(kind_names(ctx.cluster), "|"));
  }
  const Kind& kind = read_kind(r, *type_it, path.field("type"), ctx.cluster);
  Object obj(r, value, path, article(std::string(kind.name)) + " expectation", fields_of(kind));
  Expectation e;
  e.index = index;
  e.type = kind.type;
  e.name = std::string(kind.name);
  if (kind.form == Form::Event) {
    read_event(r, obj, ctx, e);
    return e;
  }
  e.condition = read_condition(r, obj, kind.condition, ctx);
  if (kind.form == Form::Timed) e.timing = read_timing(r, obj, ctx);
  if (kind.form == Form::Within) {
    e.timing.kind = Timing::Kind::Within;
    e.timing.after = read_after(r, obj, ctx);
    e.timing.within = read_within(r, obj);
  }
  e.description = timing_phrase(e.timing) + " " + e.condition.description;
  check_request_timing(r, obj, e, ctx);
  return e;
}

// True if `a` and `b` can never both hold at the same moment.
bool opposite(const Condition& a, const Condition& b) {
  auto pair = [&](C x, C y) {
    return (a.type == x && b.type == y) || (a.type == y && b.type == x);
  };
  if (pair(C::Leader, C::NoLeader) || pair(C::ActiveController, C::NoActiveController) ||
      pair(C::PartitionsLed, C::PartitionLeaderless)) {
    return true;
  }
  if (pair(C::TopicExists, C::TopicAbsent)) return a.topic == b.topic;
  if (pair(C::BrokerFenced, C::BrokerUnfenced)) {
    return a.node->kind == b.node->kind && a.node->id == b.node->id && a.node->label == b.node->label;
  }
  return false;
}

// Two expectations that demand opposite states at the same fixed moment (the end, or one time).
bool contradict(const Expectation& a, const Expectation& b) {
  if (a.type != E::State || b.type != E::State || a.timing.kind != b.timing.kind) return false;
  if (a.timing.kind != Timing::Kind::AtEnd && a.timing.kind != Timing::Kind::At) return false;
  if (a.timing.kind == Timing::Kind::At && a.timing.at != b.timing.at) return false;
  return opposite(a.condition, b.condition);
}

}  // namespace

std::vector<Expectation> parse_expectations(const Reporter& r, const json& value,
                                            const JsonPath& path, const ExpectationContext& ctx) {
  read_array(r, value, path, "an array of expectations");
  std::vector<Expectation> out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    out.push_back(parse_expectation(r, value[i], path.index(i), i, ctx));
    for (std::size_t other = 0; other < i; ++other) {
      if (!contradict(out[other], out.back())) continue;
      r.bad(path.index(i).field("type"), json(out.back().name),
            "an expectation that does not contradict " + path.index(other).str() + " (" +
                out[other].name + ")");
    }
  }
  return out;
}

std::vector<std::string_view> expectation_type_names() {
  std::vector<std::string_view> names;
  for (const Kind& k : kKinds) names.push_back(k.name);
  return names;
}

Condition parse_stop_condition(const Reporter& r, const json& value, const JsonPath& path,
                               const ExpectationContext& ctx) {
  std::vector<std::string_view> names;
  for (ConditionType c : all_conditions()) {
    if (is_metadata(ctx.cluster) || !metadata_only(c)) names.push_back(to_string(c));
  }
  const std::string expected = "a condition object, e.g. {\"type\": \"leader\"}, whose type is one of " +
                               join(names, "|");
  if (!value.is_object() || !value.contains("type")) r.bad(path, value, expected);
  const json& type = value.at("type");
  const std::string got = type.is_string() ? type.get<std::string>() : "";
  auto it = std::find(names.begin(), names.end(), got);
  if (it == names.end()) {
    std::string hint = did_you_mean(got, names);
    const std::size_t suffix = got.rfind("_at_end");
    if (suffix != std::string::npos && suffix + 7 == got.size()) {
      hint = " (the \"_at_end\" shorthands are for expectations; here write the condition " +
             quote(got.substr(0, suffix)) + ")";
    }
    r.bad(path.field("type"), type, "one of " + join(names, "|") + hint);
  }
  ConditionType c = ConditionType::Leader;
  for (ConditionType x : all_conditions()) {
    if (to_string(x) == got) c = x;
  }
  std::vector<std::string_view> fields = {"type"};
  for (std::string_view f : condition_fields(c)) fields.push_back(f);
  Object obj(r, value, path, article(got) + " condition", fields);
  return read_condition(r, obj, c, ctx);
}

}  // namespace sim::scenario_detail
