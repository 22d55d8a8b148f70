// Generic reading of the scenario JSON (see json_reader.hh): message helpers, Object and the typed
// readers.
#include "sim/scenario/json_reader.hh"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <limits>

namespace sim::scenario_detail {

namespace {

constexpr std::int64_t kMaxMs = 1'000'000'000'000;  // 10^12 ms (~31 years): any larger is a typo

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      std::size_t substitute = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      row[j] = std::min({above + 1, row[j - 1] + 1, substitute});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::int64_t power_of_ten(int digits) {
  std::int64_t out = 1;
  for (int i = 0; i < digits; ++i) out *= 10;
  return out;
}

// `value` * 10^digits rounded to the nearest integer (halves up), for a finite 0 <= value <= 10^12.
// Works on the shortest decimal text of the double (what the user wrote), so 0.0015 ms is
// exactly 1.5 us and rounds to 2 us, where floating-point arithmetic could give 1.
std::int64_t scale_decimal(double value, int digits) {
  std::array<char, 512> buffer{};
  auto result =
      std::to_chars(buffer.data(), buffer.data() + buffer.size(), value, std::chars_format::fixed);
  std::string_view text(buffer.data(), static_cast<std::size_t>(result.ptr - buffer.data()));
  if (!text.empty() && text.front() == '-') text.remove_prefix(1);  // -0
  std::size_t i = 0;
  std::int64_t whole = 0;
  for (; i < text.size() && text[i] != '.'; ++i) whole = whole * 10 + (text[i] - '0');
  if (i < text.size()) ++i;  // the '.'
  std::int64_t fraction = 0;
  for (int taken = 0; taken < digits; ++taken) {
    int digit = i < text.size() ? text[i++] - '0' : 0;
    fraction = fraction * 10 + digit;
  }
  bool round_up = i < text.size() && text[i] >= '5';
  return whole * power_of_ten(digits) + fraction + (round_up ? 1 : 0);
}

// A number in [0, max_whole], returned times 10^digits, rounded to the nearest integer.
std::int64_t read_scaled(const Reporter& r, const json& value, const JsonPath& path, int digits,
                         std::int64_t max_whole, const std::string& expected) {
  if (value.is_number_unsigned()) {
    auto u = value.get<std::uint64_t>();
    if (u <= static_cast<std::uint64_t>(max_whole)) {
      return static_cast<std::int64_t>(u) * power_of_ten(digits);
    }
  } else if (value.is_number_integer()) {
    auto v = value.get<std::int64_t>();
    if (v >= 0 && v <= max_whole) return v * power_of_ten(digits);
  } else if (value.is_number_float()) {
    auto v = value.get<double>();
    if (std::isfinite(v) && v >= 0.0 && v <= static_cast<double>(max_whole)) {
      return scale_decimal(v, digits);
    }
  }
  r.bad(path, value, expected);
}

}  // namespace

std::string compact(const json& value) {
  std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
  constexpr std::size_t kMaxShown = 80;
  if (text.size() > kMaxShown) text = text.substr(0, kMaxShown - 3) + "...";
  return text;
}

std::string quote(std::string_view text) {
  return compact(json(std::string(text)));
}

std::string join(const std::vector<std::string_view>& items, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += separator;
    out += items[i];
  }
  return out;
}

std::string join_quoted(const std::vector<std::string_view>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? " or " : ", ";
    out += quote(items[i]);
  }
  return out;
}

std::string format_ms(std::int64_t us) {
  std::string out = std::to_string(us / 1000);
  if (std::int64_t frac = us % 1000; frac != 0) {
    std::string digits = std::to_string(frac);
    digits.insert(0, 3 - digits.size(), '0');
    while (digits.back() == '0') digits.pop_back();
    out += "." + digits;
  }
  return out;
}

std::string did_you_mean(std::string_view got, const std::vector<std::string_view>& options) {
  std::string_view best;
  std::size_t best_distance = std::numeric_limits<std::size_t>::max();
  for (std::string_view option : options) {
    std::size_t distance = edit_distance(got, option);
    if (distance < best_distance) {
      best = option;
      best_distance = distance;
    }
  }
  std::size_t tolerated = std::max<std::size_t>(2, best.size() / 3);
  if (best_distance == 0 || best_distance > tolerated) return "";
  return " (did you mean " + quote(best) + "?)";
}

std::string article(std::string_view word) {
  bool vowel =
      !word.empty() && std::string_view("aeiou").find(word.front()) != std::string_view::npos;
  return std::string(vowel ? "an " : "a ") + std::string(word);
}

std::string int_range(std::int64_t lo, std::int64_t hi) {
  return "an integer in " + std::to_string(lo) + ".." + std::to_string(hi);
}

Object::Object(const Reporter& reporter, const json& value, JsonPath path, std::string what,
               std::vector<std::string_view> allowed)
    : reporter_(reporter), value_(value), path_(std::move(path)) {
  if (!value.is_object()) {
    reporter.bad(path_, value, "an object with the fields " + join(allowed));
  }
  for (const auto& [name, member] : value.items()) {
    if (std::find(allowed.begin(), allowed.end(), name) != allowed.end()) continue;
    std::string expected = allowed.empty()
                               ? "no fields in " + what
                               : "one of the fields of " + what + ": " + join(allowed);
    reporter.bad_text(path_.field(name), "unknown field " + quote(name),
                      expected + did_you_mean(name, allowed));
  }
}

// An integer in [lo, hi] (lo >= 0 or hi <= INT64_MAX; floats such as 3.0 are rejected).
std::int64_t read_int(const Reporter& r, const json& value, const JsonPath& path, std::int64_t lo,
                      std::int64_t hi, const std::string& expected) {
  if (value.is_number_unsigned()) {
    auto u = value.get<std::uint64_t>();
    if (hi >= 0 && u <= static_cast<std::uint64_t>(hi) && static_cast<std::int64_t>(u) >= lo) {
      return static_cast<std::int64_t>(u);
    }
  } else if (value.is_number_integer()) {
    auto v = value.get<std::int64_t>();
    if (v >= lo && v <= hi) return v;
  }
  r.bad(path, value, expected);
}

std::int64_t read_int(const Reporter& r, const json& value, const JsonPath& path, std::int64_t lo,
                      std::int64_t hi) {
  return read_int(r, value, path, lo, hi, int_range(lo, hi));
}

std::uint64_t read_uint64(const Reporter& r, const json& value, const JsonPath& path,
                          std::uint64_t lo) {
  if (value.is_number_unsigned() && value.get<std::uint64_t>() >= lo) {
    return value.get<std::uint64_t>();
  }
  r.bad(path, value,
        "an integer in " + std::to_string(lo) + ".." +
            std::to_string(std::numeric_limits<std::uint64_t>::max()));
}

bool read_bool(const Reporter& r, const json& value, const JsonPath& path) {
  if (!value.is_boolean()) r.bad(path, value, "true or false");
  return value.get<bool>();
}

std::string read_string(const Reporter& r, const json& value, const JsonPath& path,
                        const std::string& expected, bool allow_empty) {
  if (!value.is_string() || (!allow_empty && value.get_ref<const std::string&>().empty())) {
    r.bad(path, value, expected);
  }
  return value.get<std::string>();
}

// A (possibly fractional) number of milliseconds, returned in whole microseconds, within
// [0 or 1 us, max_us]. `expected` describes the accepted range.
std::int64_t read_ms(const Reporter& r, const json& value, const JsonPath& path, Lower lower,
                     std::int64_t max_us, const std::string& expected) {
  std::int64_t us = read_scaled(r, value, path, 3, kMaxMs, expected);
  if ((lower == Lower::Positive && us == 0) || us > max_us) r.bad(path, value, expected);
  return us;
}

std::string ms_expected(Lower lower) {
  return lower == Lower::Positive
             ? "a number of milliseconds > 0 (at least 1 microsecond after rounding, at most " +
                   format_ms(kMaxMs * 1000) + ")"
             : "a number of milliseconds >= 0 (at most " + format_ms(kMaxMs * 1000) + ")";
}

std::int64_t read_ms(const Reporter& r, const json& value, const JsonPath& path, Lower lower) {
  return read_ms(r, value, path, lower, kMaxMs * 1000, ms_expected(lower));
}

Ppm read_probability(const Reporter& r, const json& value, const JsonPath& path) {
  std::int64_t ppm = read_scaled(r, value, path, 6, 1, "a probability, a number in [0, 1]");
  if (ppm > Ppm::kOne) r.bad(path, value, "a probability, a number in [0, 1]");
  return Ppm{static_cast<std::uint32_t>(ppm)};
}

const json& read_array(const Reporter& r, const json& value, const JsonPath& path,
                       const std::string& expected) {
  if (!value.is_array()) r.bad(path, value, expected);
  return value;
}

}  // namespace sim::scenario_detail
