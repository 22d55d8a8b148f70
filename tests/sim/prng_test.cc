// Tests for sim/prng.hh: golden sequences (ours and the published splitmix64 / xoshiro256**
// reference values), ranges, Bernoulli extremes, the libm-free logarithm, the exponential
// distribution and stream forking.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <vector>

#include "raft/common/assert.hh"
#include "sim/prng.hh"

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

std::vector<std::uint64_t> first_u64(sim::Prng p, int n) {
  std::vector<std::uint64_t> out;
  for (int i = 0; i < n; ++i) out.push_back(p.next_u64());
  return out;
}

}  // namespace

TEST_CASE("prng: splitmix64 matches its reference outputs from seed 0") {
  std::uint64_t state = 0;
  CHECK(sim::splitmix64_next(state) == 0xe220a8397b1dcdafULL);
  CHECK(sim::splitmix64_next(state) == 0x6e789e6aa1b965f4ULL);
  CHECK(sim::splitmix64_next(state) == 0x06c45d188009454fULL);
  CHECK(sim::splitmix64_next(state) == 0xf88bb8a8724c81ecULL);
}

TEST_CASE("prng: xoshiro256** matches the reference algorithm from state {1,2,3,4}") {
  // Values of the reference C implementation (Blackman and Vigna) for s = {1, 2, 3, 4}.
  auto p = sim::Prng::from_state({1, 2, 3, 4});
  CHECK(p.next_u64() == 11520ULL);
  CHECK(p.next_u64() == 0ULL);
  CHECK(p.next_u64() == 1509978240ULL);
  CHECK(p.next_u64() == 1215971899390074240ULL);
  CHECK_THROWS_AS(sim::Prng::from_state({0, 0, 0, 0}), raft::AssertionFailure);
}

TEST_CASE("prng: seeding fills the state with four splitmix64 outputs") {
  std::uint64_t sm = 42;
  std::array<std::uint64_t, 4> state{};
  for (auto& w : state) w = sim::splitmix64_next(sm);
  CHECK(first_u64(sim::Prng(42), 16) == first_u64(sim::Prng::from_state(state), 16));
}

TEST_CASE("prng: golden next_u64 sequences") {
  CHECK(first_u64(sim::Prng(0), 4) ==
        std::vector<std::uint64_t>{0x99ec5f36cb75f2b4ULL, 0xbf6e1f784956452aULL,
                                   0x1a5f849d4933e6e0ULL, 0x6aa594f1262d2d2cULL});
  CHECK(first_u64(sim::Prng(1), 4) ==
        std::vector<std::uint64_t>{0xb3f2af6d0fc710c5ULL, 0x853b559647364ceaULL,
                                   0x92f89756082a4514ULL, 0x642e1c7bc266a3a7ULL});
  CHECK(first_u64(sim::Prng(42), 4) ==
        std::vector<std::uint64_t>{0x15780b2e0c2ec716ULL, 0x6104d9866d113a7eULL,
                                   0xae17533239e499a1ULL, 0xecb8ad4703b360a1ULL});
  CHECK(sim::Prng(7).seed() == 7);
}

TEST_CASE("prng: golden uniform(1, 6) sequence") {
  sim::Prng p(42);
  std::vector<std::int64_t> dice;
  for (int i = 0; i < 12; ++i) dice.push_back(p.uniform(1, 6));
  CHECK(dice == std::vector<std::int64_t>{1, 1, 6, 6, 5, 1, 5, 4, 5, 6, 2, 2});
}

TEST_CASE("prng: uniform stays in bounds and hits every value") {
  sim::Prng p(123);
  std::map<std::int64_t, int> counts;
  for (int i = 0; i < 60'000; ++i) {
    const std::int64_t v = p.uniform(-3, 2);
    REQUIRE(v >= -3);
    REQUIRE(v <= 2);
    ++counts[v];
  }
  CHECK(counts.size() == 6);
  for (const auto& [value, count] : counts) {
    CAPTURE(value);
    CHECK(count > 9'000);  // expected 10'000 each, standard deviation about 91
    CHECK(count < 11'000);
  }
}

TEST_CASE("prng: uniform edge ranges") {
  constexpr auto kMin = std::numeric_limits<std::int64_t>::min();
  constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
  sim::Prng p(9);

  SUBCASE("single value") {
    for (int i = 0; i < 10; ++i) CHECK(p.uniform(5, 5) == 5);
    CHECK(p.uniform(kMin, kMin) == kMin);
    CHECK(p.uniform(kMax, kMax) == kMax);
  }
  SUBCASE("full int64 range is kMin plus one raw output, modulo 2^64") {
    sim::Prng copy = p;
    for (int i = 0; i < 10; ++i) {
      const std::uint64_t raw = copy.next_u64();
      CHECK(p.uniform(kMin, kMax) == static_cast<std::int64_t>(raw ^ (std::uint64_t{1} << 63)));
    }
  }
  SUBCASE("two values at the top and bottom of the range both appear") {
    bool top_lo = false, top_hi = false, bot_lo = false, bot_hi = false;
    for (int i = 0; i < 200; ++i) {
      const auto t = p.uniform(kMax - 1, kMax);
      const auto b = p.uniform(kMin, kMin + 1);
      top_lo |= t == kMax - 1;
      top_hi |= t == kMax;
      bot_lo |= b == kMin;
      bot_hi |= b == kMin + 1;
    }
    CHECK(top_lo);
    CHECK(top_hi);
    CHECK(bot_lo);
    CHECK(bot_hi);
  }
  SUBCASE("range wider than int64 max") {
    for (int i = 0; i < 1000; ++i) {
      const auto v = p.uniform(-10, kMax);
      CHECK(v >= -10);
    }
  }
  SUBCASE("preconditions") {
    CHECK_THROWS_AS(p.uniform(2, 1), raft::AssertionFailure);
    CHECK_THROWS_AS(p.next_int(0), raft::AssertionFailure);
    CHECK_THROWS_AS(p.next_int(-5), raft::AssertionFailure);
  }
}

TEST_CASE("prng: next_int is uniform(0, bound - 1)") {
  sim::Prng a(77);
  sim::Prng b(77);
  for (int i = 0; i < 100; ++i) {
    const auto v = a.next_int(10);
    CHECK(v == b.uniform(0, 9));
    CHECK(v >= 0);
    CHECK(v < 10);
  }
  for (int i = 0; i < 10; ++i) CHECK(a.next_int(1) == 0);
}

TEST_CASE("prng: chance extremes and middle") {
  sim::Prng p(5);
  int never = 0;
  int always = 0;
  int half = 0;
  for (int i = 0; i < 10'000; ++i) {
    never += p.chance(sim::Ppm{0}) ? 1 : 0;
    always += p.chance(sim::Ppm{sim::Ppm::kOne}) ? 1 : 0;
    half += p.chance(sim::Ppm{500'000}) ? 1 : 0;
  }
  CHECK(never == 0);
  CHECK(always == 10'000);
  CHECK(half > 4'500);
  CHECK(half < 5'500);
  CHECK_THROWS_AS(p.chance(sim::Ppm{sim::Ppm::kOne + 1}), raft::AssertionFailure);
}

TEST_CASE("prng: chance consumes one draw whatever the probability") {
  sim::Prng a(11);
  sim::Prng b(11);
  (void)a.chance(sim::Ppm{0});
  (void)b.chance(sim::Ppm{sim::Ppm::kOne});
  CHECK(a.next_u64() == b.next_u64());
}

TEST_CASE("prng: portable_ln agrees with std::log within 4 ulps") {
  auto check_close = [](double x) {
    const double expected = std::log(x);
    const double ulp = std::fabs(std::nextafter(expected, kInf) - expected);
    CAPTURE(x);
    CHECK(std::fabs(sim::portable_ln(x) - expected) <= 4 * ulp);
  };
  CHECK(sim::portable_ln(1.0) == 0.0);
  for (double x : {0.5, 2.0, 0.70710678118654752, 1.4142135623730951, 0.1, 10.0, 1e-300, 1e300,
                   std::numeric_limits<double>::denorm_min(), std::numeric_limits<double>::max(),
                   1.0 - 0x1.0p-53, 1.0 + 0x1.0p-52, 0x1.0p-53}) {
    check_close(x);
  }
  sim::Prng p(2);
  for (int i = 0; i < 20'000; ++i) {
    const double u = static_cast<double>((p.next_u64() >> 11) + 1) * 0x1.0p-53;
    check_close(u);
    check_close(std::ldexp(u, static_cast<int>(p.uniform(-900, 900))));
  }
  CHECK_THROWS_AS(sim::portable_ln(0.0), raft::AssertionFailure);
  CHECK_THROWS_AS(sim::portable_ln(-1.0), raft::AssertionFailure);
  CHECK_THROWS_AS(sim::portable_ln(kInf), raft::AssertionFailure);
  CHECK_THROWS_AS(sim::portable_ln(std::numeric_limits<double>::quiet_NaN()), raft::AssertionFailure);
}

TEST_CASE("prng: exponential mean, bounds and golden values") {
  const auto mean = sim::Duration::micros(2'000);
  sim::Prng p(7);
  std::int64_t sum = 0;
  std::int64_t largest = 0;
  for (int i = 0; i < 100'000; ++i) {
    const std::int64_t v = p.exponential(mean).us();
    REQUIRE(v >= 0);
    sum += v;
    largest = std::max(largest, v);
  }
  const std::int64_t observed_mean = sum / 100'000;
  CHECK(observed_mean > 1'900);
  CHECK(observed_mean < 2'100);
  CHECK(largest <= 37 * 2'000);  // U >= 2^-53 bounds the draw at 53 ln 2 (about 36.7) means

  sim::Prng g(2024);
  std::vector<std::int64_t> golden;
  for (int i = 0; i < 4; ++i) golden.push_back(g.exponential(sim::Duration::millis(2)).us());
  CHECK(golden == std::vector<std::int64_t>{5772, 492, 5261, 3669});

  CHECK(p.exponential(sim::Duration::zero()) == sim::Duration::zero());
  CHECK_THROWS_AS(p.exponential(sim::Duration::micros(-1)), raft::AssertionFailure);
}

TEST_CASE("prng: fork is stable, independent and leaves the parent alone") {
  sim::Prng parent(1);
  const auto net1 = first_u64(parent.fork("net"), 8);
  const auto net2 = first_u64(parent.fork("net"), 8);
  const auto disk = first_u64(parent.fork("disk"), 8);
  CHECK(net1 == net2);
  CHECK(net1 != disk);
  // Pinned: changing the derivation would reshuffle every recorded run.
  CHECK(parent.fork("net").seed() == 0xee82b68c7384fa24ULL);
  CHECK(net1[0] == 0x9b9e95ce22063379ULL);

  // The parent was not advanced by forking.
  CHECK(first_u64(parent, 8) == first_u64(sim::Prng(1), 8));

  // A fork depends on the seed only, not on how far the parent has been drawn.
  sim::Prng advanced(1);
  for (int i = 0; i < 100; ++i) (void)advanced.next_u64();
  CHECK(first_u64(advanced.fork("net"), 8) == net1);

  // Other seeds, numbered streams and forks of forks are all different streams.
  CHECK(first_u64(sim::Prng(2).fork("net"), 8) != net1);
  CHECK(first_u64(parent.fork(std::uint64_t{1}), 8) != first_u64(parent.fork(std::uint64_t{2}), 8));
  CHECK(first_u64(parent.fork(std::uint64_t{7}), 8) == first_u64(parent.fork(std::uint64_t{7}), 8));
  CHECK(first_u64(parent.fork(std::uint64_t{7}), 8) != first_u64(parent.fork("7"), 8));
  CHECK(first_u64(parent.fork("net").fork("a"), 8) != first_u64(parent.fork("a"), 8));
  CHECK(first_u64(parent.fork("net"), 8) != first_u64(parent, 8));
}

TEST_CASE("prng: NodeRandom draws from the Prng it owns") {
  sim::NodeRandom r(sim::Prng(99));
  raft::Random& random = r;
  sim::Prng reference(99);
  for (int i = 0; i < 50; ++i) {
    const auto v = random.next_int(1000);
    CHECK(v == reference.next_int(1000));
    CHECK(v >= 0);
    CHECK(v < 1000);
  }
  CHECK(r.prng().next_u64() == reference.next_u64());
  CHECK_THROWS_AS(random.next_int(0), raft::AssertionFailure);
}
