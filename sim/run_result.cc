#include "sim/run_result.hh"

#include <algorithm>

namespace sim {

Duration Availability::measured() const {
  if (!measured_from || measured_to < *measured_from) return Duration::zero();
  return measured_to - *measured_from;
}

Duration Availability::unavailable() const {
  Duration total = Duration::zero();
  for (const UnavailableWindow& w : windows) total = total + w.length(measured_to);
  return total;
}

std::int64_t Availability::available_ppm() const {
  const Duration all = measured();
  if (all <= Duration::zero()) return 0;
  const Duration up = all - unavailable();
  // up.us() * 1e6 fits in 63 bits for runs shorter than about 106 days of simulated time.
  return up.us() * 1'000'000 / all.us();
}

Duration Availability::unavailable_between(Instant from, Instant to) const {
  to = std::min(to, measured_to);
  if (to <= from) return Duration::zero();
  Duration total = Duration::zero();
  if (!measured_from) return to - from;
  if (from < *measured_from) {
    total = total + (std::min(to, *measured_from) - from);
    from = *measured_from;
  }
  for (const UnavailableWindow& w : windows) {
    const Instant start = std::max(w.start, from);
    const Instant end = std::min(w.end.value_or(measured_to), to);
    if (end > start) total = total + (end - start);
  }
  return total;
}

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
