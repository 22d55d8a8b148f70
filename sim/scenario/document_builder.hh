// DocumentBuilder: turns scenario JSON text into a JSON document, like nlohmann's own parser, but
// stops at the first key that appears twice in one object (nlohmann would silently keep the last
// value). Also line_and_column(), to turn the parser's byte position into a position for humans.
// Part of the scenario loader (scenario_loader.hh); internal to it.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/scenario/json_path.hh"

namespace sim::scenario_detail {

using nlohmann::json;

// A SAX handler for json::sax_parse. After a successful parse, root() is the document; after a
// failed one, duplicate_key() or syntax_error() says why.
class DocumentBuilder : public json::json_sax_t {
 public:
  struct SyntaxError {
    std::size_t position = 0;  // 1-based byte position of the offending character
    std::string token;         // the last token read
    std::string detail;        // the parser's message
  };

  // The document built so far (the whole document once parsing succeeded).
  json& root() { return root_; }
  // Where the first repeated key is, if parsing stopped at one.
  [[nodiscard]] const std::optional<JsonPath>& duplicate_key() const { return duplicate_key_; }
  // The JSON syntax error parsing stopped at, if any.
  [[nodiscard]] const std::optional<SyntaxError>& syntax_error() const { return syntax_error_; }

  // SAX events (see nlohmann::json_sax); each returns false to stop parsing.
  bool null() override { return add(json(nullptr)); }
  bool boolean(bool value) override { return add(json(value)); }
  bool number_integer(json::number_integer_t value) override { return add(json(value)); }
  bool number_unsigned(json::number_unsigned_t value) override { return add(json(value)); }
  bool number_float(json::number_float_t value, const json::string_t& /*text*/) override {
    return add(json(value));
  }
  bool string(json::string_t& value) override { return add(json(std::move(value))); }
  bool binary(json::binary_t& value) override { return add(json::binary(std::move(value))); }
  bool start_object(std::size_t /*elements*/) override { return open(json::object()); }
  bool end_object() override { return close(); }
  bool start_array(std::size_t /*elements*/) override { return open(json::array()); }
  bool end_array() override { return close(); }

  // Rejects (returns false for) a key already present in the open object.
  bool key(json::string_t& name) override;

  bool parse_error(std::size_t position, const std::string& last_token,
                   const json::exception& error) override;

 private:
  struct Frame {
    json* node;     // the open object or array (stable: its parent does not grow while it is open)
    JsonPath path;  // where it is
    std::string key;  // objects: the key whose value comes next
  };

  // Stores `value` at the current position; returns where it now lives and its path.
  std::pair<json*, JsonPath> place(json value);

  bool add(json value) {
    place(std::move(value));
    return true;
  }
  bool open(json container);
  bool close() {
    stack_.pop_back();
    return true;
  }

  json root_;
  std::vector<Frame> stack_;  // the open objects and arrays, outermost first
  std::optional<JsonPath> duplicate_key_;
  std::optional<SyntaxError> syntax_error_;
};

// 1-based line and column (in bytes) of the character at 1-based byte `position` of `text`.
std::pair<int, int> line_and_column(std::string_view text, std::size_t position);

}  // namespace sim::scenario_detail
