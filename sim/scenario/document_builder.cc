// DocumentBuilder (see document_builder.hh): scenario JSON text -> JSON document, rejecting
// duplicate keys; and line_and_column() for syntax errors.
#include "sim/scenario/document_builder.hh"

#include <algorithm>

namespace sim::scenario_detail {

namespace {

// The parser's message without nlohmann's "[json.exception.parse_error.101] parse error at line
// L, column C: " prefix (we compute line and column ourselves, from the byte position), or
// without "[json.exception.out_of_range.406] " for a number too large for a double.
std::string parse_error_detail(const std::string& what) {
  std::string_view text = what;
  if (text.rfind("[json.exception.", 0) == 0) {
    if (auto end = text.find("] "); end != std::string_view::npos) text.remove_prefix(end + 2);
  }
  if (auto at = text.find("parse error"); at == 0) {
    text.remove_prefix(at);
    if (auto colon = text.find(": "); colon != std::string_view::npos) {
      text.remove_prefix(colon + 2);
    }
  }
  return std::string(text);
}

}  // namespace

bool DocumentBuilder::key(json::string_t& name) {
  Frame& frame = stack_.back();
  if (frame.node->contains(name)) {
    duplicate_key_ = frame.path.field(name);
    return false;
  }
  frame.key = std::move(name);
  return true;
}

bool DocumentBuilder::parse_error(std::size_t position, const std::string& last_token,
                                  const json::exception& error) {
  syntax_error_ = SyntaxError{position, last_token, parse_error_detail(error.what())};
  return false;
}

std::pair<json*, JsonPath> DocumentBuilder::place(json value) {
  if (stack_.empty()) {
    root_ = std::move(value);
    return {&root_, JsonPath()};
  }
  Frame& frame = stack_.back();
  if (frame.node->is_array()) {
    JsonPath path = frame.path.index(frame.node->size());
    frame.node->push_back(std::move(value));
    return {&frame.node->back(), std::move(path)};
  }
  json& slot = (*frame.node)[frame.key];
  slot = std::move(value);
  return {&slot, frame.path.field(frame.key)};
}

bool DocumentBuilder::open(json container) {
  auto [node, path] = place(std::move(container));
  stack_.push_back(Frame{node, std::move(path), {}});
  return true;
}

std::pair<int, int> line_and_column(std::string_view text, std::size_t position) {
  std::size_t offset = std::min(position == 0 ? 0 : position - 1, text.size());
  std::string_view before = text.substr(0, offset);
  auto line = static_cast<int>(std::count(before.begin(), before.end(), '\n')) + 1;
  std::size_t line_start = before.rfind('\n');
  line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
  auto column = static_cast<int>(offset - line_start) + 1;
  return {line, column};
}

}  // namespace sim::scenario_detail
