#include "sim/availability_tracker.hh"

namespace sim {

void AvailabilityTracker::sample(Instant now, bool writable, const std::function<std::string()>& reason) {
  if (writable == writable_) return;
  writable_ = writable;
  if (writable) {
    if (!first_writable_) {
      first_writable_ = now;  // the first start-up is not a window
    } else {
      if (windows_.back().start == now) {
        windows_.pop_back();  // closed at the instant it opened: an artefact of event order
      } else {
        windows_.back().end = now;
      }
    }
    return;
  }
  if (first_writable_) windows_.push_back(UnavailableWindow{now, std::nullopt, reason()});
}

Availability AvailabilityTracker::result(Instant run_end) const {
  Availability a;
  a.measured_from = first_writable_;
  a.measured_to = run_end;
  a.windows = windows_;
  return a;
}

}  // namespace sim
