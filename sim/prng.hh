// The simulator's pseudo-random number generator and the distributions drawn from it.
//
// Prng is xoshiro256** (Blackman and Vigna, 2018) seeded through splitmix64. Everything here is
// our own code with integer arithmetic, so a seed produces the same numbers with every compiler and
// standard library (std:: distributions are not portable and are never used in the simulation).
// The one floating-point computation, the logarithm behind exponential(), uses only IEEE-754
// + - * / (each correctly rounded, hence identical on every platform) and no libm call.
//
// Streams: a run has one seed; each consumer (network, disk, faults, workload, each node) gets its
// own stream with fork("name"). A fork depends only on the parent's seed and the name, never on
// how many values the parent has produced, so adding a stream or drawing more values from one
// stream never reshuffles another.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "raft/io.hh"
#include "sim/scenario/scenario.hh"
#include "sim/time.hh"

namespace sim {

// One step of splitmix64: advances `state` by the golden-ratio increment and returns the mixed
// value. Used to expand a 64-bit seed into xoshiro's 256-bit state and to derive fork seeds.
std::uint64_t splitmix64_next(std::uint64_t& state);

// Natural logarithm of x computed with + - * / only (no libm), so that it is bit-identical across
// platforms. Precondition: x > 0 and finite. Method: exact range reduction by powers of two to
// m in [sqrt(1/2), sqrt(2)], then ln(m) = 2*atanh((m-1)/(m+1)) by its series (13 terms, truncation
// error below 1e-21) plus e*ln(2) with ln(2) split in two parts. Accuracy: within 4 ulps of the
// true value (3 ulps worst seen over 2 million arguments between 2^-1000 and 2^1000), i.e. a
// relative error below 1e-15; tests/sim/prng_test.cc checks it against std::log.
double portable_ln(double x);

class Prng {
 public:
  // Seeds the 256-bit state with four consecutive splitmix64 outputs starting from `seed`.
  explicit Prng(std::uint64_t seed);

  // A generator with the given raw xoshiro256** state (not all zero), for checking the algorithm
  // against its published reference outputs. Its seed() is 0; simulation code never uses this.
  static Prng from_state(const std::array<std::uint64_t, 4>& state);

  // The seed this generator was built from (for a fork: the derived seed).
  [[nodiscard]] std::uint64_t seed() const { return seed_; }

  // Next raw 64-bit output of xoshiro256**.
  std::uint64_t next_u64();

  // Uniform integer in [lo, hi], both inclusive, without modulo bias (rejection sampling).
  // Works over the whole int64 range. Precondition: lo <= hi. Draws one value, or more when a
  // draw is rejected (probability below (hi - lo + 1) / 2^64).
  std::int64_t uniform(std::int64_t lo, std::int64_t hi);

  // Uniform integer in [0, bound). Precondition: bound > 0.
  std::int64_t next_int(std::int64_t bound);

  // True with probability p (parts per million): Ppm{0} is never true, Ppm{1'000'000} always.
  // Always consumes randomness (like uniform(0, 999'999)) whatever p is, so that changing a
  // probability does not shift the draws that follow. Precondition: p.value <= Ppm::kOne.
  bool chance(Ppm p);

  // Exponentially distributed duration with the given mean, as -mean * ln(U) with U uniform in
  // (0, 1] on a grid of 2^-53. Rounded to the nearest whole microsecond; always >= 0 and at most
  // about 36.7 * mean (U >= 2^-53). Saturates at Duration::max() for absurd means.
  // Precondition: mean >= 0. Draws exactly one value.
  Duration exponential(Duration mean);

  // An independent generator for the named stream: its seed is splitmix64-mixed from this
  // generator's seed and raft::Hasher's digest of the name. Does not advance this generator;
  // the same (seed, name) always yields the same stream.
  [[nodiscard]] Prng fork(std::string_view stream_name) const;

  // Same, for a numbered stream (e.g. one per node). fork(7) and fork("7") are different streams.
  [[nodiscard]] Prng fork(std::uint64_t stream_id) const;

 private:
  Prng() = default;
  [[nodiscard]] Prng derive(std::uint64_t stream_key) const;

  std::uint64_t seed_ = 0;
  std::array<std::uint64_t, 4> state_{};  // xoshiro256** state; never all zero
};

// raft::Random for one node, backed by a Prng it owns (normally run_prng.fork("node-<id>")).
class NodeRandom : public raft::Random {
 public:
  explicit NodeRandom(Prng rng) : rng_(rng) {}
  // Uniform in [0, bound). Precondition: bound > 0.
  std::int64_t next_int(std::int64_t bound) override { return rng_.next_int(bound); }
  [[nodiscard]] Prng& prng() { return rng_; }

 private:
  Prng rng_;
};

}  // namespace sim
