// The local clock of one simulated machine (the timeline's clock_drift action).
//
// The simulation has one global clock; each machine reads its own local clock, which runs at
// rate (10^6 + drift_ppm) / 10^6 of global time. The clock is piecewise linear: since the last
// rate change, at global instant `anchor_global`, local time is
//   local(g) = anchor_local + floor((g - anchor_global) * rate_ppm / 10^6)
// so it is continuous and monotonic (non-decreasing) across rate changes. It belongs to the
// machine, not to the process: a crash and restart keep it.
//
// A new clock is exact (drift 0, anchors at zero): local(g) == g, bit for bit. All arithmetic is
// integer (128-bit intermediates); never() maps to never() both ways.
#pragma once

#include <cstdint>

#include "raft/common/time.hh"

namespace sim {

class NodeClock {
 public:
  // The rate of an exact clock, in parts per million of global time.
  static constexpr std::int64_t kExactRate = 1'000'000;
  // Bounds of drift_ppm (a clock running at 0.000001x .. 11x).
  static constexpr std::int64_t kMinDriftPpm = -999'999;
  static constexpr std::int64_t kMaxDriftPpm = 10'000'000;

  // Local time at global instant `global`. Precondition: global >= the last rate change.
  [[nodiscard]] raft::Instant local(raft::Instant global) const;

  // The earliest global instant, not before the last rate change, at which local time is at
  // least `local` (rounded up to a whole microsecond). never() for never(), or when that instant
  // does not fit in an Instant.
  [[nodiscard]] raft::Instant global(raft::Instant local) const;

  // From global instant `now` on (>= the last rate change), the clock runs at
  // (10^6 + drift_ppm) / 10^6. Precondition: kMinDriftPpm <= drift_ppm <= kMaxDriftPpm.
  void set_drift(raft::Instant now, std::int64_t drift_ppm);

  // The current drift, in parts per million (0 = exact).
  [[nodiscard]] std::int64_t drift_ppm() const { return rate_ppm_ - kExactRate; }
  // Global instant of the last rate change (zero before any).
  [[nodiscard]] raft::Instant anchor_global() const { return anchor_global_; }

 private:
  raft::Instant anchor_global_ = raft::Instant::zero();
  raft::Instant anchor_local_ = raft::Instant::zero();
  std::int64_t rate_ppm_ = kExactRate;  // local microseconds per 10^6 global microseconds
};

}  // namespace sim
