// Simulated time: Instant (a point on the simulated clock) and Duration (a span).
//
// Both are int64 microseconds. Nothing in raft/ or sim/ ever reads a real clock; the simulator
// owns the one clock and passes `now` into every protocol call. Kafka configures timeouts in
// milliseconds; microseconds leave room for sub-millisecond network latencies.
//
// These types live in raft/common (not sim/) because raft/ must not depend on sim/; sim/time.hh
// re-exports them for the simulator side.
#pragma once

#include <compare>
#include <cstdint>
#include <limits>
#include <ostream>

namespace raft {

class Duration {
 public:
  constexpr Duration() = default;
  static constexpr Duration micros(std::int64_t us) { return Duration(us); }
  static constexpr Duration millis(std::int64_t ms) { return Duration(ms * 1000); }
  static constexpr Duration seconds(std::int64_t s) { return Duration(s * 1'000'000); }
  static constexpr Duration zero() { return Duration(0); }
  static constexpr Duration max() { return Duration(std::numeric_limits<std::int64_t>::max()); }

  [[nodiscard]] constexpr std::int64_t us() const { return us_; }
  // Whole milliseconds, rounded toward zero.
  [[nodiscard]] constexpr std::int64_t ms() const { return us_ / 1000; }

  constexpr auto operator<=>(const Duration&) const = default;
  constexpr Duration operator+(Duration d) const { return Duration(us_ + d.us_); }
  constexpr Duration operator-(Duration d) const { return Duration(us_ - d.us_); }
  constexpr Duration operator*(std::int64_t k) const { return Duration(us_ * k); }
  constexpr Duration operator/(std::int64_t k) const { return Duration(us_ / k); }

 private:
  constexpr explicit Duration(std::int64_t us) : us_(us) {}
  std::int64_t us_ = 0;
};

class Instant {
 public:
  constexpr Instant() = default;
  // Microseconds since the start of the simulation (time zero).
  static constexpr Instant from_us(std::int64_t us) { return Instant(us); }
  static constexpr Instant from_ms(std::int64_t ms) { return Instant(ms * 1000); }
  static constexpr Instant zero() { return Instant(0); }
  // "Never": used as the deadline of a timer that is not running.
  static constexpr Instant never() { return Instant(std::numeric_limits<std::int64_t>::max()); }

  [[nodiscard]] constexpr std::int64_t us() const { return us_; }
  [[nodiscard]] constexpr std::int64_t ms() const { return us_ / 1000; }
  [[nodiscard]] constexpr bool is_never() const { return *this == never(); }

  constexpr auto operator<=>(const Instant&) const = default;
  // Saturates at never(), so `never() + d` stays never().
  constexpr Instant operator+(Duration d) const {
    if (is_never() || d == Duration::max()) return never();
    return Instant(us_ + d.us());
  }
  constexpr Duration operator-(Instant other) const { return Duration::micros(us_ - other.us_); }
  // Saturates at zero(): there is no time before the simulation starts.
  constexpr Instant operator-(Duration d) const {
    return d.us() >= us_ ? zero() : Instant(us_ - d.us());
  }

 private:
  constexpr explicit Instant(std::int64_t us) : us_(us) {}
  std::int64_t us_ = 0;
};

inline std::ostream& operator<<(std::ostream& os, Duration d) {
  return os << d.us() / 1000 << "." << (d.us() % 1000 < 100 ? (d.us() % 1000 < 10 ? "00" : "0") : "")
            << d.us() % 1000 << "ms";
}

inline std::ostream& operator<<(std::ostream& os, Instant t) {
  if (t.is_never()) return os << "never";
  return os << "t=" << Duration::micros(t.us());
}

}  // namespace raft
