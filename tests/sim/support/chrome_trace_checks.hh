// Test support: structural checks of a Chrome trace-event array (sim/trace_export/
// chrome_writer.hh) parsed with nlohmann::json: its events by phase, process names, role spans
// (B/E matched per (pid, tid)), per-track time order and flow arrows. Failures are doctest CHECKs.
#pragma once

#include <doctest/doctest.h>

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace kraftsim::test {

// The events whose "ph" is `ph`, in order.
inline std::vector<nlohmann::json> with_ph(const nlohmann::json& trace, const std::string& ph) {
  std::vector<nlohmann::json> result;
  for (const nlohmann::json& e : trace) {
    if (e.at("ph") == ph) result.push_back(e);
  }
  return result;
}

// pid -> the name its process_name metadata event gives.
inline std::map<int, std::string> process_names(const nlohmann::json& trace) {
  std::map<int, std::string> names;
  for (const nlohmann::json& e : with_ph(trace, "M")) {
    if (e.at("name") == "process_name") names[e.at("pid")] = e.at("args").at("name");
  }
  return names;
}

// One B/E span: its process, name and times (us).
struct Span {
  int pid = 0;
  std::string name;
  std::int64_t begin = 0;
  std::int64_t end = 0;
  bool operator==(const Span&) const = default;
};

inline std::ostream& operator<<(std::ostream& os, const Span& s) {
  return os << "pid " << s.pid << " '" << s.name << "' " << s.begin << ".." << s.end;
}

// The spans in the order they end. CHECKs that every E closes the innermost open B of its
// (pid, tid) with the same name, and that none stays open.
inline std::vector<Span> spans(const nlohmann::json& trace) {
  std::map<std::pair<int, int>, std::vector<std::pair<std::string, std::int64_t>>> open;
  std::vector<Span> result;
  for (const nlohmann::json& e : trace) {
    const std::string ph = e.at("ph");
    if (ph != "B" && ph != "E") continue;
    const std::pair<int, int> track{e.at("pid"), e.at("tid")};
    std::vector<std::pair<std::string, std::int64_t>>& stack = open[track];
    if (ph == "B") {
      stack.emplace_back(e.at("name"), e.at("ts"));
      continue;
    }
    REQUIRE_MESSAGE(!stack.empty(), "an E with no open B on pid " << track.first);
    CHECK(stack.back().first == e.at("name").get<std::string>());
    result.push_back(Span{track.first, stack.back().first, stack.back().second,
                          e.at("ts").get<std::int64_t>()});
    stack.pop_back();
  }
  for (const auto& [track, stack] : open) {
    CHECK_MESSAGE(stack.empty(), "pid " << track.first << " tid " << track.second << " left open");
  }
  return result;
}

// CHECKs that on every track ((pid, tid); counters: (pid, name)) timestamps never go backwards.
// Returns the number of events checked (metadata excluded).
inline std::size_t check_ordered(const nlohmann::json& trace) {
  std::map<std::tuple<int, int, std::string>, std::int64_t> last;
  std::size_t checked = 0;
  std::size_t backwards = 0;
  for (const nlohmann::json& e : trace) {
    if (e.at("ph") == "M") continue;
    const bool counter = e.at("ph") == "C";
    const std::tuple<int, int, std::string> track{
        e.at("pid"), counter ? -1 : e.at("tid").get<int>(),
        counter ? e.at("name").get<std::string>() : std::string()};
    const std::int64_t ts = e.at("ts");
    auto [it, fresh] = last.emplace(track, ts);
    if (!fresh && it->second > ts) ++backwards;
    it->second = ts;
    ++checked;
  }
  CHECK(backwards == 0);
  return checked;
}

// CHECKs that every flow end ("f", "bp":"e") has an earlier flow start ("s") with its id, that
// each id starts once and that every flow event sits on a 1 us message slice ("X") of its
// (pid, tid) at its ts. Returns {starts, ends}.
inline std::pair<std::size_t, std::size_t> check_flows(const nlohmann::json& trace) {
  std::set<std::tuple<int, int, std::int64_t>> slices;
  for (const nlohmann::json& x : with_ph(trace, "X")) {
    slices.emplace(x.at("pid"), x.at("tid"), x.at("ts"));
  }
  std::set<std::int64_t> started;
  std::size_t ends = 0;
  std::size_t unbound = 0;
  std::size_t unmatched = 0;
  std::size_t restarted = 0;
  for (const nlohmann::json& e : trace) {
    const std::string ph = e.at("ph");
    if (ph != "s" && ph != "f") continue;
    if (slices.count({e.at("pid"), e.at("tid"), e.at("ts")}) == 0) ++unbound;
    const std::int64_t id = e.at("id");
    if (ph == "s") {
      if (!started.insert(id).second) ++restarted;
    } else {
      CHECK(e.at("bp") == "e");
      if (started.count(id) == 0) ++unmatched;
      ++ends;
    }
  }
  CHECK(unbound == 0);
  CHECK(unmatched == 0);
  CHECK(restarted == 0);
  return {started.size(), ends};
}

}  // namespace kraftsim::test
