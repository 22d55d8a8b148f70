// xoshiro256** seeded by splitmix64, unbiased integer ranges, Bernoulli trials in parts per million,
// a libm-free logarithm and the exponential distribution built on it. See prng.hh.
#include "sim/prng.hh"

#include <bit>
#include <limits>

#include "raft/common/assert.hh"
#include "raft/common/hash.hh"

namespace sim {

namespace {

// ln(2) split so that e * kLn2Hi is exact for |e| < 2^11 (kLn2Hi has its 32 low mantissa bits
// zero) and kLn2Lo carries the remainder: kLn2Hi + kLn2Lo = ln(2) to about 2^-84.
constexpr double kLn2Hi = 6.93147180369123816490e-01;
constexpr double kLn2Lo = 1.90821492927058770002e-10;
constexpr double kSqrt2 = 1.41421356237309504880;

// Number of terms of the atanh series. With |z| <= (sqrt2-1)/(sqrt2+1) < 0.1716, the first omitted
// term is below z * 0.02944^13 / 27 < 1e-21, far under one ulp of the result.
constexpr int kSeriesTerms = 13;

// Tags that keep named and numbered streams apart (fork(7) != fork("7")).
constexpr std::uint64_t kNamedStreamTag = 0x6e616d6564ULL;     // "named"
constexpr std::uint64_t kNumberedStreamTag = 0x6e756d626572ULL;  // "number"

}  // namespace

std::uint64_t splitmix64_next(std::uint64_t& state) {
  state += 0x9e3779b97f4a7c15ULL;
  std::uint64_t z = state;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

double portable_ln(double x) {
  KR_ASSERT(x > 0.0 && x <= std::numeric_limits<double>::max(),
            "portable_ln needs a positive finite argument, got " << x);
  // Exact range reduction: multiplying by 2 or 1/2 only changes the exponent (subnormals included).
  int e = 0;
  while (x >= 2.0) {
    x *= 0.5;
    ++e;
  }
  while (x < 1.0) {
    x *= 2.0;
    --e;
  }
  if (x > kSqrt2) {
    x *= 0.5;
    ++e;
  }
  // Now x in [sqrt(1/2), sqrt(2)] and ln(x) = 2 * (z + z^3/3 + z^5/5 + ...), z = (x-1)/(x+1).
  const double z = (x - 1.0) / (x + 1.0);
  const double z2 = z * z;
  double series = 1.0 / static_cast<double>(2 * kSeriesTerms - 1);
  for (int k = kSeriesTerms - 2; k >= 0; --k) {
    series = series * z2 + 1.0 / static_cast<double>(2 * k + 1);
  }
  const double ln_mantissa = 2.0 * z * series;
  const double de = static_cast<double>(e);
  return de * kLn2Hi + (ln_mantissa + de * kLn2Lo);
}

Prng::Prng(std::uint64_t seed) : seed_(seed) {
  std::uint64_t sm = seed;
  for (auto& word : state_) word = splitmix64_next(sm);
}

Prng Prng::from_state(const std::array<std::uint64_t, 4>& state) {
  KR_ASSERT(state[0] != 0 || state[1] != 0 || state[2] != 0 || state[3] != 0,
            "xoshiro256** state must not be all zero");
  Prng p;
  p.state_ = state;
  return p;
}

std::uint64_t Prng::next_u64() {
  auto& s = state_;
  const std::uint64_t result = std::rotl(s[1] * 5, 7) * 9;
  const std::uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = std::rotl(s[3], 45);
  return result;
}

std::int64_t Prng::uniform(std::int64_t lo, std::int64_t hi) {
  KR_ASSERT(lo <= hi, "uniform: empty range [" << lo << ", " << hi << "]");
  // hi - lo computed modulo 2^64 is exact, since the true difference lies in [0, 2^64).
  const std::uint64_t span = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo);
  std::uint64_t offset = 0;
  if (span == std::numeric_limits<std::uint64_t>::max()) {
    offset = next_u64();  // the full 64-bit range: every output is equally likely already
  } else {
    const std::uint64_t n = span + 1;
    // Reject the 2^64 mod n smallest outputs; the rest is a whole number of blocks of n values.
    const std::uint64_t threshold = (std::uint64_t{0} - n) % n;
    std::uint64_t x = next_u64();
    while (x < threshold) x = next_u64();
    offset = x % n;
  }
  // Modular addition then conversion (well-defined in C++20) lands in [lo, hi].
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(lo) + offset);
}

std::int64_t Prng::next_int(std::int64_t bound) {
  KR_ASSERT(bound > 0, "next_int: bound must be positive, got " << bound);
  return uniform(0, bound - 1);
}

bool Prng::chance(Ppm p) {
  KR_ASSERT(p.value <= Ppm::kOne, "chance: probability above one: " << p.value << " ppm");
  return uniform(0, Ppm::kOne - 1) < p.value;
}

Duration Prng::exponential(Duration mean) {
  KR_ASSERT(mean >= Duration::zero(), "exponential: negative mean " << mean.us() << " us");
  // U = (k + 1) / 2^53 with k uniform in [0, 2^53): U in (0, 1], exactly representable.
  const std::uint64_t k = next_u64() >> 11;
  const double u = static_cast<double>(k + 1) * 0x1.0p-53;
  const double scaled = -portable_ln(u) * static_cast<double>(mean.us()) + 0.5;
  // 2^63 as a double: anything at or above it does not fit in int64.
  if (scaled >= 0x1.0p63) return Duration::max();
  return Duration::micros(static_cast<std::int64_t>(scaled));
}

Prng Prng::fork(std::string_view stream_name) const {
  raft::Hasher h;
  h.add(kNamedStreamTag);
  h.add(stream_name);
  return derive(h.digest());
}

Prng Prng::fork(std::uint64_t stream_id) const {
  raft::Hasher h;
  h.add(kNumberedStreamTag);
  h.add(stream_id);
  return derive(h.digest());
}

Prng Prng::derive(std::uint64_t stream_key) const {
  std::uint64_t sm = seed_;
  std::uint64_t mixed = splitmix64_next(sm) ^ stream_key;
  return Prng(splitmix64_next(mixed));
}

}  // namespace sim
