#include "sim/run_result.hh"

namespace sim {

std::string_view to_string(Outcome o) {
  switch (o) {
    case Outcome::Success: return "success";
    case Outcome::ExpectationFailed: return "expectation-failed";
    case Outcome::LivenessFailure: return "liveness-failure";
    case Outcome::SafetyViolation: return "safety-violation";
  }
  return "?";
}

std::string_view to_string(TimelineEntry::Kind k) {
  switch (k) {
    case TimelineEntry::Kind::Fault: return "fault";
    case TimelineEntry::Kind::Role: return "role";
    case TimelineEntry::Kind::Election: return "election";
    case TimelineEntry::Kind::Active: return "active";
    case TimelineEntry::Kind::Note: return "note";
  }
  return "?";
}

}  // namespace sim
