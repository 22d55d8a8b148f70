// The piecewise-linear local clock of a machine (see node_clock.hh).
#include "sim/node_clock.hh"

#include <limits>

#include "raft/common/assert.hh"

namespace sim {

namespace {

__extension__ using Int128 = __int128;

constexpr Int128 kMaxUs = std::numeric_limits<std::int64_t>::max();

// `value` as an Instant, or never() if it does not fit below never().
raft::Instant instant_or_never(Int128 value) {
  if (value >= kMaxUs) return raft::Instant::never();
  return raft::Instant::from_us(static_cast<std::int64_t>(value));
}

}  // namespace

raft::Instant NodeClock::local(raft::Instant global) const {
  if (global.is_never()) return raft::Instant::never();
  KR_ASSERT(global >= anchor_global_,
            "local time asked for " << global << ", before the last rate change " << anchor_global_);
  if (rate_ppm_ == kExactRate) {  // exact: plain offset, no rounding
    return raft::Instant::from_us(anchor_local_.us() + (global.us() - anchor_global_.us()));
  }
  const Int128 elapsed = Int128{global.us() - anchor_global_.us()};
  return instant_or_never(Int128{anchor_local_.us()} + elapsed * rate_ppm_ / kExactRate);
}

raft::Instant NodeClock::global(raft::Instant local) const {
  if (local.is_never()) return raft::Instant::never();
  const Int128 ahead = Int128{local.us()} - anchor_local_.us();
  if (ahead <= 0) return anchor_global_;
  // The least e with floor(e * rate / 10^6) >= ahead is ceil(ahead * 10^6 / rate).
  const Int128 scaled = ahead * kExactRate;
  const Int128 elapsed = (scaled + rate_ppm_ - 1) / rate_ppm_;
  return instant_or_never(Int128{anchor_global_.us()} + elapsed);
}

void NodeClock::set_drift(raft::Instant now, std::int64_t drift_ppm) {
  KR_ASSERT(drift_ppm >= kMinDriftPpm && drift_ppm <= kMaxDriftPpm,
            "clock drift " << drift_ppm << " ppm out of [" << kMinDriftPpm << ", " << kMaxDriftPpm
                           << "]");
  anchor_local_ = local(now);
  anchor_global_ = now;
  rate_ppm_ = kExactRate + drift_ppm;
}

}  // namespace sim
