// Tests for `kraftsim trace-diff A B [--context N]` (tools/cli/trace_diff_command.hh): identical
// traces (exit 0), the first divergence (exit 6), and bad input (exit 2) naming the file and line.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "support/cli_harness.hh"

using kraftsim::cli::testing::contains;
using kraftsim::cli::testing::run_cli;
using kraftsim::cli::testing::TempDir;

namespace {

// `kraftsim trace-diff ARGS...` through cli::main.
kraftsim::cli::testing::CliRun trace_diff(std::vector<std::string> args) {
  args.insert(args.begin(), "trace-diff");
  return run_cli(args);
}

// A JSON-lines trace of `n` note events 1000 us apart, then the writer's end line.
std::string trace(int n, int changed_at = -1) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    const int t = i * 1000 + (i == changed_at ? 7 : 0);
    out += R"({"seq":)" + std::to_string(i) + R"(,"t_us":)" + std::to_string(t) +
           R"(,"node":0,"kind":"note","text":"e)" + std::to_string(i) + "\"}\n";
  }
  out += R"({"seq":)" + std::to_string(n) + R"(,"t_us":)" + std::to_string(n * 1000) +
         R"(,"node":null,"kind":"end","events":)" + std::to_string(n) + "}\n";
  return out;
}

}  // namespace

TEST_CASE("trace-diff: identical traces exit 0 and say how many events") {
  TempDir dir;
  const auto r = trace_diff({dir.write("a.jsonl", trace(12)), dir.write("b.jsonl", trace(12))});
  CHECK(r.code == 0);
  CHECK(r.out == "traces are identical (12 events)\n");
  CHECK(r.err.empty());
  const auto empty = trace_diff({dir.write("e1.jsonl", ""), dir.write("e2.jsonl", "")});
  CHECK(empty.code == 0);
  CHECK(empty.out == "traces are identical (0 events)\n");
}

TEST_CASE("trace-diff: the first divergence exits 6 with its description and context") {
  TempDir dir;
  const std::string a = dir.write("a.jsonl", trace(12));
  const std::string b = dir.write("b.jsonl", trace(12, 9));
  const auto r = trace_diff({a, b, "--context", "2"});
  CHECK(r.code == 6);
  CHECK(r.out ==
        "traces diverge at event 9 (t 0.009000 s): t_us: 9000 vs 9007\n"
        "the 2 equal events before it:\n"
        "  {\"seq\":7,\"t_us\":7000,\"node\":0,\"kind\":\"note\",\"text\":\"e7\"}\n"
        "  {\"seq\":8,\"t_us\":8000,\"node\":0,\"kind\":\"note\",\"text\":\"e8\"}\n"
        "A: {\"seq\":9,\"t_us\":9000,\"node\":0,\"kind\":\"note\",\"text\":\"e9\"}\n"
        "B: {\"seq\":9,\"t_us\":9007,\"node\":0,\"kind\":\"note\",\"text\":\"e9\"}\n");
  // The default context is 5 events.
  const auto d = trace_diff({a, b});
  CHECK(d.code == 6);
  CHECK(contains(d.out, "the 5 equal events before it:\n"));
  // A shorter trace: its end line meets the other's event.
  const auto shorter = trace_diff({dir.write("s.jsonl", trace(3)), a});
  CHECK(shorter.code == 6);
  CHECK(kraftsim::cli::testing::line_starting_with(shorter.out, "traces diverge") ==
        "traces diverge at event 3 (t 0.003000 s): node: null vs 0");
}

TEST_CASE("trace-diff: bad input exits 2 naming the file and the line") {
  TempDir dir;
  const std::string good = dir.write("good.jsonl", trace(4));
  SUBCASE("a malformed line in B") {
    // The first three lines of good.jsonl, then a broken fourth.
    std::string head = trace(4);
    head.resize(head.find("\n{\"seq\":3"));
    const std::string bad = dir.write("bad.jsonl", head + "\n{oops\n");
    const auto r = trace_diff({good, bad});
    CHECK(r.code == 2);
    CHECK(r.out.empty());
    CHECK(contains(r.err, "kraftsim: trace-diff: " + bad + ", line 4: not JSON ("));
  }
  SUBCASE("a malformed line in A") {
    const std::string bad = dir.write("bad.jsonl", "[]\n");
    const auto r = trace_diff({bad, good});
    CHECK(r.code == 2);
    CHECK(r.err == "kraftsim: trace-diff: " + bad + ", line 1: expected a JSON object, got array\n");
  }
  SUBCASE("a missing file") {
    const std::string missing = (dir.path() / "missing.jsonl").string();
    const auto r = trace_diff({good, missing});
    CHECK(r.code == 2);
    CHECK(r.err == "kraftsim: trace-diff: cannot read '" + missing + "'\n");
  }
  SUBCASE("a directory") {
    const auto r = trace_diff({dir.path().string(), good});
    CHECK(r.code == 2);
    CHECK(r.err == "kraftsim: trace-diff: cannot read '" + dir.path().string() + "': it is a directory\n");
  }
  SUBCASE("not two files") {
    const auto r = trace_diff({good});
    CHECK(r.code == 2);
    CHECK(contains(r.err, "trace-diff: expected two trace files A B, got 1"));
  }
  SUBCASE("a bad --context") {
    const auto r = trace_diff({good, good, "--context", "x"});
    CHECK(r.code == 2);
    CHECK(contains(r.err, "--context: got 'x', expected an integer in 0..10000"));
  }
}
