// Number formatting for kraftsim compare (compare_format.hh).
#include "tools/cli/compare_format.hh"

namespace kraftsim::cli {

using raft::Duration;

// `scaled` with its last `decimals` digits after the decimal point: (231, 2) -> "2.31".
std::string decimal(std::int64_t scaled, int decimals) {
  const bool negative = scaled < 0;
  const std::uint64_t magnitude =
      negative ? 0 - static_cast<std::uint64_t>(scaled) : static_cast<std::uint64_t>(scaled);
  std::uint64_t divisor = 1;
  for (int i = 0; i < decimals; ++i) divisor *= 10;
  std::string text = std::to_string(magnitude / divisor);
  if (decimals > 0) {
    std::string fraction = std::to_string(magnitude % divisor);
    fraction.insert(0, static_cast<std::size_t>(decimals) - fraction.size(), '0');
    text += "." + fraction;
  }
  return negative ? "-" + text : text;
}

std::int64_t round_div(std::int64_t a, std::int64_t b) {
  return a >= 0 ? (a + b / 2) / b : -((-a + b / 2) / b);
}

// A readable duration: "0.250 ms", "4.25 ms", "850 ms", "2.31 s", "23.1 s", "312 s".
std::string duration_text(Duration d) {
  const std::int64_t us = d.us();
  if (us < 0) return "-" + duration_text(Duration::micros(-us));
  if (us == 0) return "0 ms";
  if (us < 1000) return decimal(us, 3) + " ms";
  if (std::int64_t r = round_div(us, 10); r < 1000) return decimal(r, 2) + " ms";
  if (std::int64_t r = round_div(us, 1000); r < 1000) return std::to_string(r) + " ms";
  if (std::int64_t r = round_div(us, 10'000); r < 1000) return decimal(r, 2) + " s";
  if (std::int64_t r = round_div(us, 100'000); r < 1000) return decimal(r, 1) + " s";
  return std::to_string(round_div(us, 1'000'000)) + " s";
}

// A fraction in ppm as a percentage, truncated (never rounded up to a rosier figure):
// (998'765, 3) -> "99.876%".
std::string percent_text(std::int64_t ppm, int decimals) {
  std::int64_t divisor = 1;
  for (int i = decimals; i < 4; ++i) divisor *= 10;
  return decimal(ppm / divisor, decimals) + "%";
}

// A setting in ms: whole seconds as "10 s", anything else as duration_text.
std::string setting_text(std::int64_t ms) {
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
  return duration_text(Duration::millis(ms));
}

std::string plural(std::int64_t n, const std::string& noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

}  // namespace kraftsim::cli
