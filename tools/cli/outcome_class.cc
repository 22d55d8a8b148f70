// Outcome classes on the command line (outcome_class.hh).
#include "tools/cli/outcome_class.hh"

#include "tools/cli/cli.hh"

namespace kraftsim::cli {

namespace {

bool has_named_prefix(std::string_view outcome, std::string_view prefix) {
  return outcome.size() > prefix.size() && outcome.substr(0, prefix.size()) == prefix;
}

}  // namespace

bool is_outcome_class(std::string_view outcome) {
  return outcome == "pass" || outcome == "error" || outcome == "events_max" ||
         has_named_prefix(outcome, "safety:") || has_named_prefix(outcome, "liveness:");
}

std::string_view outcome_family(std::string_view outcome) {
  if (outcome == "pass") return "pass";
  if (outcome == "events_max") return "events_max";
  if (has_named_prefix(outcome, "safety:")) return "safety";
  if (has_named_prefix(outcome, "liveness:")) return "liveness";
  return "error";
}

int outcome_severity(std::string_view outcome) {
  const std::string_view family = outcome_family(outcome);
  if (family == "pass") return 0;
  if (family == "events_max") return 2;
  if (family == "liveness") return 3;
  if (family == "safety") return 4;
  return 1;
}

int outcome_exit_code(std::string_view outcome) {
  const std::string_view family = outcome_family(outcome);
  if (family == "pass") return kExitSuccess;
  if (family == "events_max") return kExitLivenessFailure;
  if (family == "liveness") return kExitExpectationFailed;
  if (family == "safety") return kExitSafetyViolation;
  return kExitInternalError;
}

}  // namespace kraftsim::cli
