// End-to-end tests of `kraftsim compare` through the command line (kraftsim::cli::main
// in-process): the report a small real comparison produces (3 vs 5 voters, schedule seed 0, one
// seed per sweep cell), that every run it lists replays with `kraftsim run` to the same figures,
// the SVG and replay files it writes, bad command lines (exit 2 and their messages), byte-for-byte
// determinism, and the progress lines on stderr.
//
// The 3-vs-5 comparison (20 runs) is run once and shared by the tests that read it; its temp
// directory is removed when the test process exits. Presentation details on hand-made reports
// are in compare_output_test.cc.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "tests/cli/support/cli_harness.hh"
#include "tools/cli/cli.hh"

using kraftsim::cli::testing::CliRun;
using kraftsim::cli::testing::contains;
using kraftsim::cli::testing::read_file;
using kraftsim::cli::testing::run_cli;
using kraftsim::cli::testing::TempDir;
using nlohmann::json;

namespace {

namespace fs = std::filesystem;

// `kraftsim compare --voters 3,5 --seeds 0..0 --sweep-seeds 1 --out DIR`, run once.
struct SharedCompare {
  TempDir tmp;
  fs::path dir;
  CliRun run;
  json report;

  SharedCompare() : dir(tmp.path() / "out") {
    run = run_cli({"compare", "--voters", "3,5", "--seeds", "0..0", "--sweep-seeds", "1", "--out",
                   dir.string()});
    const std::string text = read_file((dir / "compare.json").string());
    report = text.empty() ? json::object() : json::parse(text);
  }
};

const SharedCompare& shared_compare() {
  static const SharedCompare shared;
  return shared;
}

// The sweep cell (kind, down, voters) of `report`; REQUIREs exactly one.
const json& cell(const json& report, const std::string& kind, int down, int voters) {
  const json* found = nullptr;
  int matches = 0;
  for (const json& c : report.at("sweep")) {
    if (c.at("kind") == kind && c.at("down") == down && c.at("voters") == voters) {
      found = &c;
      ++matches;
    }
  }
  INFO("sweep cell " << kind << " " << down << " down, " << voters << " voters");
  REQUIRE(matches == 1);
  return *found;
}

// The summary of quorum size `voters`; REQUIREs exactly one.
const json& size_summary(const json& report, int voters) {
  const json* found = nullptr;
  int matches = 0;
  for (const json& s : report.at("sizes")) {
    if (s.at("voters") == voters) {
      found = &s;
      ++matches;
    }
  }
  INFO("size " << voters);
  REQUIRE(matches == 1);
  return *found;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The exit code `kraftsim run` gives a run with this outcome (cli.hh).
int exit_code_for(const std::string& outcome) {
  if (outcome == "success") return 0;
  if (outcome == "safety-violation") return 3;
  if (outcome == "expectation-failed") return 4;
  if (outcome == "liveness-failure") return 5;
  FAIL("unknown outcome '" << outcome << "'");
  return -1;
}

// Sorted durations (ms) of the failovers of a --summary-json that ended, and how many did not.
std::vector<double> ended_failovers(const json& summary, std::size_t& open) {
  std::vector<double> ended;
  open = 0;
  for (const json& f : summary.at("failovers")) {
    if (f.at("duration_ms").is_null()) {
      ++open;
    } else {
      ended.push_back(f.at("duration_ms").get<double>());
    }
  }
  std::sort(ended.begin(), ended.end());
  return ended;
}

std::vector<double> sorted_ms(const json& list) {
  std::vector<double> values;
  for (const json& v : list) values.push_back(v.get<double>());
  std::sort(values.begin(), values.end());
  return values;
}

}  // namespace

TEST_CASE("compare 3 vs 5 voters: exit 0, the sweep shows where each size stops") {
  const SharedCompare& c = shared_compare();
  INFO("stdout:\n" << c.run.out << "\nstderr:\n" << c.run.err);
  REQUIRE(c.run.code == 0);
  const json& r = c.report;
  REQUIRE(r.is_object());
  REQUIRE(r.contains("sweep"));

  // Settings as given on the command line.
  CHECK(r.at("settings").at("voters") == json::array({3, 5}));
  CHECK(r.at("settings").at("seeds").at("first") == 0);
  CHECK(r.at("settings").at("seeds").at("last") == 0);
  CHECK(r.at("settings").at("sweep").at("seeds") == 1);
  CHECK(r.at("settings").at("profile") == "built-in default");

  // One schedule run per size; voters-down cells 0..voters, racks-down cells 0..3, one run each.
  CHECK(r.at("runs").size() == 2);
  CHECK(r.at("sweep").size() == (4 + 6) + (4 + 4));
  CHECK(r.at("sweep_runs").size() == 18);
  for (const json& cl : r.at("sweep")) CHECK(cl.at("runs") == 1);

  // Voters down, 1: both sizes keep making progress.
  for (int voters : {3, 5}) {
    const json& one = cell(r, "voters-down", 1, voters);
    CHECK(one.at("progress_runs") == one.at("runs"));
    CHECK(one.at("voters_down").at("min") == 1);
    CHECK(one.at("voters_down").at("max") == 1);
  }
  // Voters down, 2: 3 voters lost their majority and stop; 5 voters keep going.
  const json& three_two = cell(r, "voters-down", 2, 3);
  CHECK(three_two.at("progress_runs") == 0);
  CHECK(three_two.at("window_availability_ppm").at("median").get<std::int64_t>() < 100'000);
  const json& five_two = cell(r, "voters-down", 2, 5);
  CHECK(five_two.at("progress_runs") == five_two.at("runs"));
  CHECK(five_two.at("window_availability_ppm").at("median").get<std::int64_t>() > 500'000);
  // ... and 5 voters stop at 3 (the takeaway below says so).
  CHECK(cell(r, "voters-down", 3, 5).at("progress_runs") == 0);
  // Nothing down: full availability in the fault window, progress.
  for (int voters : {3, 5}) {
    const json& none = cell(r, "voters-down", 0, voters);
    CHECK(none.at("progress_runs") == 1);
    CHECK(none.at("window_availability_ppm").at("median") == 1'000'000);
  }

  // Racks down: one rack costs less than a majority, two racks more, for both sizes.
  for (int voters : {3, 5}) {
    const int majority = voters / 2 + 1;
    const json& one = cell(r, "racks-down", 1, voters);
    CHECK(one.at("progress_runs") == one.at("runs"));
    CHECK(one.at("voters_down").at("max").get<int>() < majority);
    const json& two = cell(r, "racks-down", 2, voters);
    CHECK(two.at("progress_runs") == 0);
    CHECK(two.at("voters_down").at("min").get<int>() >= majority);
  }

  // Safety: no committed record lost, no invariant violated, anywhere.
  for (int voters : {3, 5}) {
    const json& s = size_summary(r, voters);
    CHECK(s.at("runs") == 1);
    CHECK(s.at("committed_records_lost") == 0);
    CHECK(s.at("invariant_violations") == 0);
  }
  for (const json& cl : r.at("sweep")) CHECK(cl.at("violations") == 0);
  for (const json& run : r.at("sweep_runs")) CHECK(run.at("violation").is_null());

  // The terminal report.
  const std::string& out = c.run.out;
  CHECK(contains(out, "kraftsim compare: 3 vs 5 voters; seeds 0..0; profile built-in default; "
                      "2 schedule runs, 18 sweep runs\n"));
  CHECK(contains(out, "\nTakeaway\n"));
  CHECK(contains(out, "\n  3 voters: keeps making progress with up to 1 voter down; stops at 2\n"));
  CHECK(contains(out,
                 "\n  5 voters: keeps making progress with up to 2 voters down; stops at 3\n"));
  CHECK(contains(out, "racks: up to 1 rack down; stops at 2 racks (2 voters)\n"));
  CHECK(contains(out, "and 20 replayable scenarios under "));
}

TEST_CASE("compare: every run in compare.json replays with kraftsim run to the same figures") {
  const SharedCompare& c = shared_compare();
  REQUIRE(c.run.code == 0);
  const json& r = c.report;
  REQUIRE(r.contains("runs"));
  TempDir scratch;
  std::size_t replayed = 0;
  for (const char* part : {"runs", "sweep_runs"}) {
    for (const json& run : r.at(part)) {
      const std::string file = run.at("file").get<std::string>();
      const std::uint64_t seed = run.at("seed").get<std::uint64_t>();
      INFO(part << ": " << file << " --seed " << seed);
      CHECK(file == "runs/" + run.at("scenario").get<std::string>() + ".json");
      CHECK(run.at("replay") == "kraftsim run " + file + " --seed " + std::to_string(seed));
      const std::string summary_path = (scratch.path() / "summary.json").string();
      fs::remove(summary_path);
      const CliRun replay = run_cli({"run", (c.dir / file).string(), "--seed", std::to_string(seed),
                                     "--quiet", "--summary-json", summary_path});
      INFO("stdout:\n" << replay.out << "\nstderr:\n" << replay.err);
      const std::string outcome = run.at("outcome").get<std::string>();
      CHECK(replay.code == exit_code_for(outcome));
      const std::string text = read_file(summary_path);
      REQUIRE(!text.empty());
      const json s = json::parse(text);
      ++replayed;

      CHECK(s.at("scenario") == run.at("scenario"));
      CHECK(s.at("seed") == seed);
      CHECK(s.at("outcome") == outcome);
      CHECK(s.at("trace_hash") == run.at("trace_hash"));
      CHECK(s.at("sim_time_ms") == run.at("sim_time_ms"));
      const json& a = s.at("availability");
      CHECK(a.at("available_ppm") == run.at("availability_ppm"));
      CHECK(a.at("unavailable_ms") == run.at("unavailable_ms"));
      CHECK(a.at("measured_ms") == run.at("measured_ms"));
      json windows = json::array();
      for (const json& w : a.at("windows")) windows.push_back(w.at("duration_ms"));
      CHECK(windows == run.at("windows_ms"));
      CHECK(s.at("elections") == run.at("elections"));
      CHECK(s.at("committed_records_lost") == run.at("committed_records_lost"));
      std::size_t open = 0;
      CHECK(ended_failovers(s, open) == sorted_ms(run.at("failovers_ms")));
      CHECK(open == run.at("failovers_open").get<std::size_t>());
      std::int64_t max_epoch = 0;
      for (const json& n : s.at("nodes")) {
        max_epoch = std::max(max_epoch, n.at("epoch").get<std::int64_t>());
      }
      CHECK(max_epoch == run.at("max_epoch").get<std::int64_t>());
      const json& md = s.at("metadata");
      if (!md.is_null()) {
        CHECK(md.at("broker_fences") == run.at("brokers_fenced"));
        CHECK(md.at("max_leaderless_partitions") == run.at("leaderless").at("max"));
        CHECK(md.at("admin_requests").at("acknowledged") == run.at("admin").at("acknowledged"));
        CHECK(md.at("admin_requests").at("failed") == run.at("admin").at("failed"));
        CHECK(md.at("admin_requests").at("unknown") == run.at("admin").at("timed_out"));
      }
      // A sweep run's progress is its progress_between expectation.
      if (run.contains("progress")) {
        int measured = 0;
        for (const json& e : s.at("expectations")) {
          if (e.at("type") != "progress_between") continue;
          ++measured;
          CHECK(e.at("passed") == run.at("progress"));
        }
        CHECK(measured == 1);
      }
    }
  }
  CHECK(replayed == 20);
}

TEST_CASE("compare: compare.svg names both sizes and runs/ holds every run") {
  const SharedCompare& c = shared_compare();
  REQUIRE(c.run.code == 0);
  const std::string svg = read_file((c.dir / "compare.svg").string());
  REQUIRE(!svg.empty());
  const bool starts_with_svg = svg.rfind("<svg", 0) == 0;
  const bool xml_then_svg = svg.rfind("<?xml", 0) == 0 && contains(svg, "?>\n<svg");
  CHECK((starts_with_svg || xml_then_svg));
  CHECK(contains(svg, "3 voters"));
  CHECK(contains(svg, "5 voters"));
  CHECK(contains(svg, "</svg>"));

  const json& r = c.report;
  REQUIRE(r.contains("runs"));
  const std::size_t total = r.at("runs").size() + r.at("sweep_runs").size();
  CHECK(total == 20);
  std::size_t files = 0;
  for (const fs::directory_entry& e : fs::directory_iterator(c.dir / "runs")) {
    CHECK(e.is_regular_file());
    CHECK(e.path().extension() == ".json");
    ++files;
  }
  CHECK(files == total);
  for (const char* part : {"runs", "sweep_runs"}) {
    for (const json& run : r.at(part)) {
      INFO(run.at("file").get<std::string>());
      CHECK(fs::is_regular_file(c.dir / run.at("file").get<std::string>()));
    }
  }
}

TEST_CASE("compare: bad command lines exit 2 naming the flag, the value and what was expected") {
  TempDir tmp;
  const std::string out_dir = (tmp.path() / "never-created").string();
  const std::string voters_expected =
      "expected a comma-separated list of voter counts in 1..9, e.g. 3,5";
  SUBCASE("bad flag values") {
    struct Bad {
      std::vector<std::string> args;
      std::string message;  // the whole of stderr after "kraftsim: "
    };
    const std::vector<Bad> cases = {
        {{"--voters", "0,3"}, "--voters: got '0,3', " + voters_expected},
        {{"--voters", "3,3"}, "--voters: got '3,3', " + voters_expected + " (3 is listed twice)"},
        {{"--voters", "3,"}, "--voters: got '3,', " + voters_expected},
        {{"--voters", "abc"}, "--voters: got 'abc', " + voters_expected},
        {{"--voters", "10"}, "--voters: got '10', " + voters_expected},
        {{"--seeds", "5..2"}, "--seeds: got '5..2', expected A..B with A <= B"},
        {{"--sweep-seeds", "-1"}, "--sweep-seeds: got '-1', expected an integer in 0..1000"},
        {{"--sweep-seeds", "1001"}, "--sweep-seeds: got '1001', expected an integer in 0..1000"},
    };
    for (const Bad& bad : cases) {
      std::vector<std::string> args = {"compare"};
      args.insert(args.end(), bad.args.begin(), bad.args.end());
      args.insert(args.end(), {"--out", out_dir});
      const CliRun r = run_cli(args);
      INFO(bad.args[0] << " " << bad.args[1]);
      CHECK(r.code == 2);
      CHECK(r.err == "kraftsim: " + bad.message + "\n");
      CHECK(r.out.empty());
      CHECK_FALSE(fs::exists(out_dir));  // rejected before anything ran or was written
    }
  }

  SUBCASE("an unknown flag") {
    const CliRun r = run_cli({"compare", "--vorters", "3,5", "--out", out_dir});
    CHECK(r.code == 2);
    CHECK(contains(r.err, "'--vorters'"));
    CHECK(contains(r.err, "unrecognised option"));
    CHECK(contains(r.err, "(see kraftsim --help)"));
    CHECK(r.out.empty());
    CHECK_FALSE(fs::exists(out_dir));
  }
  SUBCASE("a profile that does not exist") {
    const std::string missing = (tmp.path() / "no-such-profile.json").string();
    const CliRun r = run_cli({"compare", "--profile", missing, "--out", out_dir});
    CHECK(r.code == 2);
    CHECK(r.err == "kraftsim: " + missing + ": cannot open the file for reading\n");
    CHECK(r.out.empty());
    CHECK_FALSE(fs::exists(out_dir));
  }
  SUBCASE("an empty --out") {
    const CliRun r = run_cli({"compare", "--voters", "3", "--out", ""});
    CHECK(r.code == 2);
    CHECK(r.err == "kraftsim: --out: got '', expected a directory\n");
    CHECK(r.out.empty());
  }
}

TEST_CASE("compare: the same settings write byte-identical compare.json and compare.svg") {
  TempDir tmp;
  const fs::path d1 = tmp.path() / "first";
  const fs::path d2 = tmp.path() / "second" / "nested";  // created with its parent
  const auto compare_into = [](const fs::path& dir) {
    return run_cli({"compare", "--voters", "3", "--seeds", "1..1", "--sweep-seeds", "0", "--out",
                    dir.string(), "--quiet"});
  };
  const CliRun r1 = compare_into(d1);
  const CliRun r2 = compare_into(d2);
  INFO("stdout:\n" << r1.out << "\nstderr:\n" << r1.err);
  REQUIRE(r1.code == 0);
  REQUIRE(r2.code == 0);

  const std::string json1 = read_file((d1 / "compare.json").string());
  const std::string svg1 = read_file((d1 / "compare.svg").string());
  REQUIRE(!json1.empty());
  REQUIRE(!svg1.empty());
  CHECK(json1 == read_file((d2 / "compare.json").string()));
  CHECK(svg1 == read_file((d2 / "compare.svg").string()));
  const std::string scenario = read_file((d1 / "runs" / "compare-v3-seed-1.json").string());
  CHECK(!scenario.empty());
  CHECK(scenario == read_file((d2 / "runs" / "compare-v3-seed-1.json").string()));

  // The terminal report too, up to the line naming the directory.
  const std::string tail = "\nwrote ";
  REQUIRE(contains(r1.out, tail));
  REQUIRE(contains(r2.out, tail));
  CHECK(r1.out.substr(0, r1.out.find(tail)) == r2.out.substr(0, r2.out.find(tail)));

  // One schedule run, no sweep.
  const json report = json::parse(json1);
  CHECK(report.at("runs").size() == 1);
  CHECK(report.at("runs").at(0).at("seed") == 1);
  CHECK(report.at("sweep").empty());
  CHECK(report.at("sweep_runs").empty());
  CHECK(contains(r1.out, "\nSweep: skipped (no sweep seeds)\n"));
}

TEST_CASE("compare: progress on stderr unless --quiet") {
  const std::vector<std::string> args = {"compare", "--voters", "3", "--seeds", "0..1",
                                         "--sweep-seeds", "0"};

  SUBCASE("--quiet: nothing on stderr, the report on stdout") {
    std::vector<std::string> quiet = args;
    quiet.push_back("--quiet");
    const CliRun r = run_cli(quiet);
    REQUIRE(r.code == 0);
    CHECK(r.err.empty());
    CHECK(contains(r.out, "kraftsim compare: 3 voters; seeds 0..1; "));
    // No --out: nothing about written files.
    CHECK_FALSE(contains(r.out, "\nwrote "));
  }
  SUBCASE("not a terminal: a line per run when there are fewer than ten") {
    const CliRun r = run_cli(args);
    REQUIRE(r.code == 0);
    CHECK(r.err ==
          "compare: 1/2 runs (schedule: compare-v3-seed-0)\n"
          "compare: 2/2 runs (schedule: compare-v3-seed-1)\n");
  }
  SUBCASE("a terminal: one line redrawn in place, ended by a newline") {
    const CliRun r = run_cli(args, kraftsim::cli::Terminal{true, 80});
    REQUIRE(r.code == 0);
    CHECK(r.err ==
          "\rcompare: 1/2 runs (schedule: compare-v3-seed-0)\x1b[K"
          "\rcompare: 2/2 runs (schedule: compare-v3-seed-1)\x1b[K\n");
  }
  SUBCASE("twenty runs: a line every second run, the last one included") {
    const SharedCompare& c = shared_compare();
    REQUIRE(c.run.code == 0);
    const std::vector<std::string> lines = lines_of(c.run.err);
    REQUIRE(lines.size() == 10);
    for (std::size_t i = 0; i < lines.size(); ++i) {
      INFO(lines[i]);
      CHECK(lines[i].rfind("compare: " + std::to_string(2 * (i + 1)) + "/20 runs (", 0) == 0);
    }
    CHECK(lines.front() == "compare: 2/20 runs (schedule: compare-v5-seed-0)");
    CHECK(lines.back() == "compare: 20/20 runs (sweep: sweep-racks-down-3-v5-seed-0)");
  }
}
