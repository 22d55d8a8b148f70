// Test support for the scenario loader's rejections: parse a document that must fail and get its
// ScenarioError, and check a table of mutations of a base document against their exact messages.
#pragma once

#include <doctest/doctest.h>

#include <functional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/scenario/scenario_loader.hh"

namespace loader_cases {

using json = nlohmann::json;

// The error parsing `text` (as file "t.json") throws; fails the test if it parses.
inline sim::ScenarioError error_of_text(std::string_view text) {
  try {
    sim::parse_scenario_text(text, "t.json");
  } catch (const sim::ScenarioError& e) {
    return e;
  }
  FAIL("expected a ScenarioError for: " << text);
  throw std::logic_error("unreachable");
}

// The error of `base()` after `mutate`.
inline sim::ScenarioError error_of_mutation(const std::function<void(json&)>& mutate,
                                            const std::function<json()>& base) {
  json doc = base();
  mutate(doc);
  return error_of_text(doc.dump(2));
}

// A mutation of a base document and the exact message it must be rejected with.
struct ExactCase {
  const char* what;
  std::function<void(json&)> mutate;
  std::string message;
};

// Each case fails with exactly its message, which starts with the error's path; names are
// distinct.
inline void check_exact_cases(const std::function<json()>& base, const std::vector<ExactCase>& cases) {
  std::set<std::string> distinct;
  for (const ExactCase& c : cases) {
    std::string name = c.what;
    CAPTURE(name);
    distinct.insert(name);
    sim::ScenarioError e = error_of_mutation(c.mutate, base);
    CHECK(std::string(e.what()) == c.message);
    CHECK(c.message.rfind("t.json: " + e.path() + ": ", 0) == 0);
    CHECK_FALSE(e.expected().empty());
  }
  CHECK(distinct.size() == cases.size());
}

}  // namespace loader_cases
