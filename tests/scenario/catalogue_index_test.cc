// The catalogue is documented: every scenario file in scenarios/ loads, says what it demonstrates
// (a description of some substance) and is listed in scenarios/README.md's catalogue.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sim/scenario/scenario_loader.hh"

namespace {

std::string read_all(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::filesystem::path> catalogue_files() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(KRAFTSIM_SOURCE_DIR "/scenarios")) {
    if (entry.path().extension() == ".json" && entry.path().filename() != "schema.json") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

TEST_CASE("catalogue: every scenario file is described and listed in scenarios/README.md") {
  const std::string readme = read_all(KRAFTSIM_SOURCE_DIR "/scenarios/README.md");
  const std::string catalogue = readme.substr(readme.find("## The catalogue"));
  const std::vector<std::filesystem::path> files = catalogue_files();
  CHECK(files.size() >= 25);
  for (const auto& file : files) {
    CAPTURE(file.filename().string());
    const sim::Scenario s = sim::load_scenario_file(file.string());
    CHECK(s.description.size() >= 100);
    CHECK_FALSE(s.expectations.empty());
    CHECK(catalogue.find("`" + file.filename().string() + "`") != std::string::npos);
  }
}
