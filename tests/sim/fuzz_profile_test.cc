// Tests of fuzz profiles (sim/fuzz/profile.hh): the built-in default equals
// scenarios/fuzz/default-profile.json (which writes every field), partial documents keep the
// defaults, errors name the file, the path, the bad value and what was expected, and
// profile_to_json() round-trips.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "sim/fuzz/profile.hh"
#include "sim/scenario/scenario_loader.hh"

namespace {

using nlohmann::json;
using sim::ScenarioError;
using sim::fuzz::default_profile;
using sim::fuzz::FaultKind;
using sim::fuzz::parse_profile;
using sim::fuzz::Profile;
using sim::fuzz::profile_to_json;

const std::string kDefaultFile = std::string(KRAFTSIM_SOURCE_DIR) + "/scenarios/fuzz/default-profile.json";

// The ScenarioError parse_profile throws for `doc` (fails the test if none).
ScenarioError error_of(const json& doc) {
  try {
    parse_profile(doc, "p.json");
  } catch (const ScenarioError& e) {
    return e;
  }
  FAIL("no error for " << doc.dump());
  return ScenarioError("", "", "", "");
}

// Every JSON pointer of a leaf value in `doc` (arrays count as leaves).
std::set<std::string> leaf_paths(const json& doc, const std::string& prefix = "") {
  std::set<std::string> out;
  if (!doc.is_object()) {
    out.insert(prefix);
    return out;
  }
  for (const auto& [key, value] : doc.items()) {
    for (const std::string& p : leaf_paths(value, prefix + "/" + key)) out.insert(p);
  }
  return out;
}

}  // namespace

TEST_CASE("fuzz profile: the default file equals default_profile() and writes every field") {
  const Profile from_file = sim::fuzz::load_profile_file(kDefaultFile);
  CHECK(from_file == default_profile());

  std::ifstream in(kDefaultFile);
  REQUIRE(in.good());
  const json raw = json::parse(in);
  CHECK(leaf_paths(raw) == leaf_paths(profile_to_json(default_profile())));
  // controllers, 10 ranges of 2, 3 single values; per kind "enabled" and two ranges.
  CHECK(leaf_paths(raw).size() == 1 + 10 * 2 + 3 + 13 * 5);
}

TEST_CASE("fuzz profile: the default values") {
  const Profile p = default_profile();
  CHECK(p.controllers == std::vector<int>{3, 5});
  CHECK(p.brokers == sim::fuzz::IntRange{3, 6});
  CHECK(p.safety_ms == sim::fuzz::IntRange{20'000, 40'000});
  CHECK(p.liveness_ms == 30'000);
  CHECK(p.config_jitter.value == 500'000);
  CHECK(p.fault(FaultKind::Crash).enabled.value == 500'000);
  CHECK(p.fault(FaultKind::Crash).duration_ms == sim::fuzz::IntRange{50, 20'000});
  CHECK(p.fault(FaultKind::SlowDisk).mean_interval_ms == sim::fuzz::IntRange{4000, 12'000});
  for (FaultKind k : sim::fuzz::kAllFaultKinds) {
    CAPTURE(sim::fuzz::to_string(k));
    CHECK(p.fault(k).enabled.value > 0);
    CHECK(p.fault(k).enabled.value < sim::Ppm::kOne);
  }
}

TEST_CASE("fuzz profile: fault kind names") {
  CHECK(sim::fuzz::to_string(FaultKind::OneWayDrop) == "one_way_drop");
  CHECK(sim::fuzz::to_string(FaultKind::AdminOps) == "admin_ops");
  std::set<std::string_view> names;
  for (FaultKind k : sim::fuzz::kAllFaultKinds) {
    names.insert(sim::fuzz::to_string(k));
    CHECK(sim::fuzz::fault_kind_from_string(sim::fuzz::to_string(k)) == k);
  }
  CHECK(names.size() == sim::fuzz::kFaultKindCount);
  CHECK_FALSE(sim::fuzz::fault_kind_from_string("Crash").has_value());
  CHECK_FALSE(sim::fuzz::fault_kind_from_string("").has_value());
}

TEST_CASE("fuzz profile: missing fields keep the defaults") {
  CHECK(parse_profile(json::object(), "p.json") == default_profile());

  const Profile p = parse_profile(
      json::parse(R"({"brokers": {"max": 10}, "faults": {"crash": {"enabled": 0}},
                      "controllers": [5], "config_jitter": 0.25})"),
      "p.json");
  Profile expected = default_profile();
  expected.brokers.max = 10;  // min stays 3
  expected.faults[static_cast<std::size_t>(FaultKind::Crash)].enabled = sim::Ppm{0};
  expected.controllers = {5};
  expected.config_jitter = sim::Ppm{250'000};
  CHECK(p == expected);
  CHECK(p.brokers == sim::fuzz::IntRange{3, 10});
  CHECK(p.fault(FaultKind::Crash).duration_ms == default_profile().fault(FaultKind::Crash).duration_ms);
}

TEST_CASE("fuzz profile: profile_to_json round-trips") {
  CHECK(parse_profile(profile_to_json(default_profile()), "p.json") == default_profile());

  Profile p = default_profile();
  p.controllers = {1, 9, 7, 7};
  p.brokers = {0, 64};
  p.safety_ms = {1000, 1000};
  p.liveness_ms = 1;
  p.events_max = 18'446'744'073'709'551'615ULL;
  p.config_jitter = sim::Ppm{123'457};
  p.loss_ppm = {0, 1'000'000};
  p.duplicate_ppm = {1, 2};
  p.topics = {0, 0};
  for (std::size_t i = 0; i < sim::fuzz::kFaultKindCount; ++i) {
    p.faults[i].enabled = sim::Ppm{static_cast<std::uint32_t>(i * 76'923 + 1)};
    p.faults[i].mean_interval_ms = {static_cast<std::int64_t>(i + 1), 3'600'000};
    p.faults[i].duration_ms = {7, static_cast<std::int64_t>(7 + i)};
  }
  p.faults[0].enabled = sim::Ppm{sim::Ppm::kOne};
  const json doc = profile_to_json(p);
  CHECK(doc["config_jitter"].dump() == "0.123457");
  CHECK(doc["faults"]["crash"]["enabled"] == 1);
  CHECK(parse_profile(doc, "p.json") == p);
  // Through text too, as a file would hold it.
  CHECK(parse_profile(json::parse(doc.dump(2)), "p.json") == p);
}

TEST_CASE("fuzz profile: an unknown field is named, with a suggestion") {
  const ScenarioError e = error_of(json::parse(R"({"controlers": [3]})"));
  CHECK(e.file() == "p.json");
  CHECK(e.path() == "controlers");
  CHECK(e.got() == R"(unknown field "controlers")");
  CHECK(std::string(e.what()) ==
        R"(p.json: controlers: got unknown field "controlers", expected one of the fields of a )"
        R"(fuzz profile: controllers, brokers, safety_ms, liveness_ms, events_max, config_jitter, )"
        R"(election_timeout_ms, fetch_timeout_ms, latency_max_ms, loss_ppm, duplicate_ppm, topics, )"
        R"(partitions, replication_factor, faults (did you mean "controllers"?))");

  const ScenarioError in_range = error_of(json::parse(R"({"brokers": {"min": 1, "mx": 2}})"));
  CHECK(in_range.path() == "brokers.mx");
  CHECK(in_range.expected() == R"(one of the fields of a range: min, max (did you mean "max"?))");

  const ScenarioError in_kind =
      error_of(json::parse(R"({"faults": {"crash": {"enabeld": 0.5}}})"));
  CHECK(in_kind.path() == "faults.crash.enabeld");
  CHECK(in_kind.expected().find(R"((did you mean "enabled"?))") != std::string::npos);
}

TEST_CASE("fuzz profile: a bad fault kind name lists the kinds") {
  const ScenarioError e = error_of(json::parse(R"({"faults": {"one_way_dorp": {}}})"));
  CHECK(e.path() == "faults.one_way_dorp");
  CHECK(e.got() == R"(unknown field "one_way_dorp")");
  CHECK(e.expected() ==
        "one of the fields of faults (fault kinds): crash, shutdown, pause, isolate, partition, "
        "one_way_drop, slow_link, slow_disk, clock_drift, correlated_crash, controlled_shutdown, "
        R"(broker_wipe, admin_ops (did you mean "one_way_drop"?))");
}

TEST_CASE("fuzz profile: ranges must not be inverted or out of bounds") {
  const ScenarioError inverted = error_of(json::parse(R"({"safety_ms": {"min": 5000, "max": 2000}})"));
  CHECK(std::string(inverted.what()) ==
        R"(p.json: safety_ms: got {"max":2000,"min":5000}, expected a range with min <= max )"
        "(min 5000 > max 2000)");

  // A partial range is checked against the default it keeps: brokers.max is 6.
  const ScenarioError partial = error_of(json::parse(R"({"brokers": {"min": 10}})"));
  CHECK(partial.path() == "brokers");
  CHECK(partial.expected() == "a range with min <= max (min 10 > max 6)");

  // The example of profile.hh.
  try {
    parse_profile(json::parse(R"({"faults": {"crash": {"duration_ms": {"min": 1, "max": -5}}}})"),
                  "my-profile.json");
    FAIL("no error");
  } catch (const ScenarioError& e) {
    CHECK(std::string(e.what()) ==
          "my-profile.json: faults.crash.duration_ms.max: got -5, expected an integer in "
          "1..3600000");
  }

  const ScenarioError not_range = error_of(json::parse(R"({"topics": [1, 3]})"));
  CHECK(not_range.path() == "topics");
  CHECK(not_range.expected() == R"(a range {"min": a, "max": b}, each an integer in 0..100)");

  const ScenarioError short_safety = error_of(json::parse(R"({"safety_ms": {"min": 999}})"));
  CHECK(short_safety.path() == "safety_ms.min");
  CHECK(short_safety.expected() == "an integer in 1000..3600000");
}

TEST_CASE("fuzz profile: controllers are voter counts in 1..9") {
  const ScenarioError too_many = error_of(json::parse(R"({"controllers": [3, 10]})"));
  CHECK(std::string(too_many.what()) ==
        "p.json: controllers[1]: got 10, expected an integer in 1..9");
  CHECK(error_of(json::parse(R"({"controllers": [0]})")).path() == "controllers[0]");
  const ScenarioError empty = error_of(json::parse(R"({"controllers": []})"));
  CHECK(empty.path() == "controllers");
  CHECK(empty.expected() == "a non-empty array of voter counts, each an integer in 1..9, e.g. [3, 5]");
  CHECK(error_of(json::parse(R"({"controllers": 3})")).path() == "controllers");
  CHECK(error_of(json::parse(R"({"controllers": [3.0]})")).path() == "controllers[0]");
}

TEST_CASE("fuzz profile: probabilities and ppm values out of range") {
  const ScenarioError ppm = error_of(json::parse(R"({"loss_ppm": {"max": 2000000}})"));
  CHECK(std::string(ppm.what()) ==
        "p.json: loss_ppm.max: got 2000000, expected an integer in 0..1000000");
  const ScenarioError enabled = error_of(json::parse(R"({"faults": {"crash": {"enabled": 1.5}}})"));
  CHECK(std::string(enabled.what()) ==
        "p.json: faults.crash.enabled: got 1.5, expected a probability, a number in [0, 1]");
  CHECK(error_of(json::parse(R"({"config_jitter": -0.1})")).path() == "config_jitter");
  CHECK(error_of(json::parse(R"({"duplicate_ppm": {"min": -1}})")).path() == "duplicate_ppm.min");
}

TEST_CASE("fuzz profile: wrong types") {
  const ScenarioError text = error_of(json::parse(R"({"liveness_ms": "30s"})"));
  CHECK(std::string(text.what()) ==
        R"(p.json: liveness_ms: got "30s", expected an integer in 1..3600000)");
  CHECK(error_of(json::parse(R"({"events_max": 0})")).path() == "events_max");
  CHECK(error_of(json::parse(R"({"faults": []})")).path() == "faults");
  CHECK(error_of(json::parse(R"({"faults": {"pause": 0.5}})")).path() == "faults.pause");
  CHECK(error_of(json::parse("[]")).path() == "");
}

TEST_CASE("fuzz profile: files that cannot be read or parsed") {
  const std::string missing = "/nonexistent/kraftsim/profile.json";
  try {
    sim::fuzz::load_profile_file(missing);
    FAIL("no error");
  } catch (const ScenarioError& e) {
    CHECK(std::string(e.what()) == missing + ": cannot open the file for reading");
  }

  const std::filesystem::path dir = std::filesystem::temp_directory_path();
  const std::string malformed = (dir / "kraftsim-fuzz-profile-test-malformed.json").string();
  const std::string duplicate = (dir / "kraftsim-fuzz-profile-test-duplicate.json").string();
  std::ofstream(malformed) << "{\n  \"liveness_ms\": 10,\n  \"topics\" {}\n}\n";
  std::ofstream(duplicate) << R"({"liveness_ms": 10, "liveness_ms": 20})";
  try {
    sim::fuzz::load_profile_file(malformed);
    FAIL("no error");
  } catch (const ScenarioError& e) {
    CHECK(e.line() == 3);
    CHECK(std::string(e.what()).rfind(malformed + ": line 3, column", 0) == 0);
  }
  try {
    sim::fuzz::load_profile_file(duplicate);
    FAIL("no error");
  } catch (const ScenarioError& e) {
    CHECK(e.path() == "liveness_ms");
    CHECK(e.expected() == "each key at most once per object");
  }
  std::filesystem::remove(malformed);
  std::filesystem::remove(duplicate);
}
