// JsonPath rendering (see json_path.hh).
#include "sim/scenario/json_path.hh"

#include <nlohmann/json.hpp>

namespace sim {
namespace {

bool is_ascii_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_ascii_digit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

bool is_plain_json_key(std::string_view key) {
  if (key.empty()) return false;
  if (!is_ascii_letter(key.front()) && key.front() != '_') return false;
  for (char c : key) {
    if (!is_ascii_letter(c) && !is_ascii_digit(c) && c != '_') return false;
  }
  return true;
}

JsonPath JsonPath::field(std::string_view key) const {
  std::string out = text_;
  if (!out.empty()) out += '.';
  if (is_plain_json_key(key)) {
    out += key;
  } else {
    // A JSON string literal, so dots, quotes and control characters stay unambiguous.
    out += nlohmann::json(std::string(key))
               .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  return JsonPath(std::move(out));
}

JsonPath JsonPath::index(std::size_t index) const {
  return JsonPath(text_ + "[" + std::to_string(index) + "]");
}

}  // namespace sim
