// Tracks metadata availability over a run (RunResult::availability, run_result.hh): after every
// event the simulation says whether a write could commit; the tracker keeps the windows in which
// none could, from the first moment one could.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sim/run_result.hh"

namespace sim {

class AvailabilityTracker {
 public:
  // The state after an event at `now`: `writable` says whether a write could commit; when a
  // window opens, `reason()` is called once to say why not.
  void sample(Instant now, bool writable, const std::function<std::string()>& reason);

  // Whether the last sample was writable.
  [[nodiscard]] bool writable() const { return writable_; }

  // The availability of the run so far, measured up to `run_end`.
  [[nodiscard]] Availability result(Instant run_end) const;

 private:
  std::optional<Instant> first_writable_;
  bool writable_ = false;
  std::vector<UnavailableWindow> windows_;  // the last one open while !writable_
};

}  // namespace sim
