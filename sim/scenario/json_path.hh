// JsonPath: where a value sits inside a JSON document, for error messages.
//
// Rendered in a dotted, JSON-Pointer-like form that a user can find in the file by eye:
//   timeline[2].node
//   network.links[0].latency.min_ms
//   cluster.config."controller.quorum.fetch.timeout.ms"
// A key that is a plain identifier ([A-Za-z_][A-Za-z0-9_]*) is written bare; any other key is
// written as a quoted JSON string. The document root renders as "" (see is_root()).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

namespace sim {

class JsonPath {
 public:
  // The document root.
  JsonPath() = default;

  // The path of member `key` of the object at this path.
  [[nodiscard]] JsonPath field(std::string_view key) const;
  // The path of element `index` (0-based) of the array at this path.
  [[nodiscard]] JsonPath index(std::size_t index) const;

  [[nodiscard]] bool is_root() const { return text_.empty(); }
  // The rendered path ("" for the root).
  [[nodiscard]] const std::string& str() const { return text_; }

  bool operator==(const JsonPath&) const = default;

 private:
  explicit JsonPath(std::string text) : text_(std::move(text)) {}
  std::string text_;
};

// True if `key` can be written bare in a JsonPath (a C-like identifier).
bool is_plain_json_key(std::string_view key);

}  // namespace sim
