// Text forms for edit descriptions (see edit_text.hh).
#include "sim/fuzz/edit_text.hh"

namespace sim::fuzz {

namespace {

// `units` / `scale` (units >= 0, scale a power of ten) with the fraction's trailing zeros cut.
std::string decimal_text(std::int64_t units, std::int64_t scale, std::size_t digits) {
  std::string out = std::to_string(units / scale);
  if (units % scale == 0) return out;
  std::string fraction = std::to_string(units % scale);
  fraction.insert(0, digits - fraction.size(), '0');
  while (fraction.back() == '0') fraction.pop_back();
  return out + "." + fraction;
}

}  // namespace

std::string ms_text(std::int64_t us) {
  if (us < 0) return "-" + ms_text(-us);
  return decimal_text(us, 1000, 3) + " ms";
}

std::string percent_text(Ppm p) {
  if (p.value == 0) return "0";
  return decimal_text(p.value, 10'000, 4) + "%";
}

std::string latency_text(const LatencySpec& latency) {
  switch (latency.distribution) {
    case LatencySpec::Distribution::Constant: return "constant " + ms_text(latency.min);
    case LatencySpec::Distribution::Uniform:
      return "uniform " + decimal_text(latency.min.us(), 1000, 3) + "-" + ms_text(latency.max);
    case LatencySpec::Distribution::Exponential:
      return "exponential " + ms_text(latency.min) + " + mean " + ms_text(latency.mean) +
             " (max " + ms_text(latency.max) + ")";
  }
  return "unknown";
}

}  // namespace sim::fuzz
