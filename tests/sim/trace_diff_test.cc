// Tests for sim/trace_export/trace_diff.hh: the first divergence of two JSON-lines traces (index,
// context, the differing field, one trace ending early), malformed lines, "seq" ignored, and the
// text describe() writes.
#include <doctest/doctest.h>

#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/trace_export/trace_diff.hh"

using sim::trace_export::describe;
using sim::trace_export::first_divergence;
using sim::trace_export::TraceDivergence;

namespace {

// A JSON line like the writer's: a "note" event at `t_us` numbered `seq`.
std::string note(std::uint64_t seq, std::int64_t t_us, const std::string& text) {
  return R"({"seq":)" + std::to_string(seq) + R"(,"t_us":)" + std::to_string(t_us) +
         R"(,"node":null,"kind":"note","text":")" + text + R"("})";
}

// A trace of `n` note events, 1000 us apart, "e0", "e1", ..., with seq starting at `first_seq`.
std::vector<std::string> notes(std::size_t n, std::uint64_t first_seq = 0) {
  std::vector<std::string> lines;
  for (std::size_t i = 0; i < n; ++i) {
    lines.push_back(note(first_seq + i, static_cast<std::int64_t>(i) * 1000, "e" + std::to_string(i)));
  }
  return lines;
}

std::string join(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) out += l + "\n";
  return out;
}

std::optional<TraceDivergence> diff(const std::vector<std::string>& a,
                                    const std::vector<std::string>& b, std::size_t context = 5) {
  std::istringstream in_a(join(a));
  std::istringstream in_b(join(b));
  return first_divergence(in_a, in_b, context);
}

// The message first_divergence throws for these traces ("" if it does not throw).
std::string error_of(const std::string& a, const std::string& b) {
  std::istringstream in_a(a);
  std::istringstream in_b(b);
  try {
    (void)first_divergence(in_a, in_b);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("trace_diff: identical traces have no divergence") {
  CHECK_FALSE(diff(notes(20), notes(20)));
  CHECK_FALSE(diff({}, {}));
  // A file ending without a newline, or with CRLF line ends, reads the same.
  std::istringstream a(join(notes(3)));
  std::istringstream b(notes(3)[0] + "\r\n" + notes(3)[1] + "\r\n" + notes(3)[2]);
  CHECK_FALSE(first_divergence(a, b));
}

TEST_CASE("trace_diff: a different t_us at event k, with the k equal events before it as context") {
  std::vector<std::string> a = notes(20);
  std::vector<std::string> b = notes(20);
  b[12] = note(12, 12'007, "e12");
  // Later differences do not matter: the first one is reported.
  b[15] = note(15, 15'000, "other");

  const auto d = diff(a, b, 3);
  REQUIRE(d);
  CHECK(d->index == 12);
  CHECK(d->difference == "t_us: 12000 vs 12007");
  CHECK(d->context == std::vector<std::string>{a[9], a[10], a[11]});
  CHECK(d->a == a[12]);
  CHECK(d->b == b[12]);

  SUBCASE("context is capped by the events before the divergence") {
    const auto early = diff(notes(5), {note(0, 0, "e0"), note(1, 1000, "x")}, 5);
    REQUIRE(early);
    CHECK(early->index == 1);
    CHECK(early->context == std::vector<std::string>{note(0, 0, "e0")});
    CHECK(early->difference == "text: e1 vs x");
  }
  SUBCASE("context 0 keeps none") {
    const auto none = diff(a, b, 0);
    REQUIRE(none);
    CHECK(none->index == 12);
    CHECK(none->context.empty());
  }
  SUBCASE("describe names the event, its time, the field, the context and both events") {
    const std::string text = describe(*d);
    CHECK(text ==
          "traces diverge at event 12 (t 0.012000 s): t_us: 12000 vs 12007\n"
          "the 3 equal events before it:\n"
          "  " + a[9] + "\n"
          "  " + a[10] + "\n"
          "  " + a[11] + "\n"
          "A: " + a[12] + "\n"
          "B: " + b[12] + "\n");
  }
}

TEST_CASE("trace_diff: the first differing field, in A's key order") {
  const std::string send_a =
      R"({"seq":4,"t_us":1000250,"node":0,"kind":"send","id":17,"to":1,"api":"FetchRequest","correlation":3,"copies":1})";
  SUBCASE("kind") {
    const std::string deliver =
        R"({"seq":4,"t_us":1000250,"node":0,"kind":"deliver","id":17,"from":1,"api":"FetchRequest","correlation":3})";
    const auto d = diff({send_a}, {deliver});
    REQUIRE(d);
    CHECK(d->index == 0);
    CHECK(d->difference == "kind: send vs deliver");
    CHECK(describe(*d).rfind("traces diverge at event 0 (t 1.000250 s): kind: send vs deliver\nA: ", 0) == 0);
  }
  SUBCASE("a later integer field") {
    const std::string send_b =
        R"({"seq":4,"t_us":1000250,"node":0,"kind":"send","id":17,"to":1,"api":"FetchRequest","correlation":3,"copies":2})";
    const auto d = diff({send_a}, {send_b});
    REQUIRE(d);
    CHECK(d->difference == "copies: 1 vs 2");
  }
  SUBCASE("node null against a node") {
    const auto d = diff({note(0, 5, "x")}, {R"({"seq":0,"t_us":5,"node":2,"kind":"note","text":"x"})"});
    REQUIRE(d);
    CHECK(d->difference == "node: null vs 2");
  }
  SUBCASE("a field only one side has") {
    const auto d = diff({note(0, 5, "x")}, {R"({"seq":0,"t_us":5,"node":null,"kind":"note"})"});
    REQUIRE(d);
    CHECK(d->difference == "text: x vs (absent)");
    const auto e = diff({R"({"t_us":5,"kind":"note"})"}, {R"({"t_us":5,"kind":"note","extra":""})"});
    REQUIRE(e);
    CHECK(e->difference == "extra: (absent) vs \"\"");
  }
  SUBCASE("the same fields in another order") {
    const auto d = diff({R"({"t_us":5,"kind":"note","text":"x"})"}, {R"({"kind":"note","t_us":5,"text":"x"})"});
    REQUIRE(d);
    CHECK(d->difference == "field order: t_us kind text vs kind t_us text");
  }
}

TEST_CASE("trace_diff: one trace shorter than the other") {
  SUBCASE("A ended") {
    const auto d = diff(notes(4), notes(6), 2);
    REQUIRE(d);
    CHECK(d->index == 4);
    CHECK(d->difference == "A ended");
    CHECK_FALSE(d->a);
    CHECK(d->b == notes(6)[4]);
    CHECK(d->context == std::vector<std::string>{notes(4)[2], notes(4)[3]});
    const std::string text = describe(*d);
    CHECK(text.rfind("traces diverge at event 4 (t 0.004000 s): A ended\n", 0) == 0);
    CHECK(text.find("\nA: (ended after 4 events)\nB: " + notes(6)[4] + "\n") != std::string::npos);
  }
  SUBCASE("B ended") {
    const auto d = diff(notes(6), notes(5));
    REQUIRE(d);
    CHECK(d->index == 5);
    CHECK(d->difference == "B ended");
    CHECK(d->a == notes(6)[5]);
    CHECK_FALSE(d->b);
    CHECK(d->context.size() == 5);
    CHECK(describe(*d).find("\nB: (ended after 5 events)\n") != std::string::npos);
  }
  SUBCASE("an empty trace against a non-empty one") {
    const auto d = diff({}, notes(1));
    REQUIRE(d);
    CHECK(d->index == 0);
    CHECK(d->difference == "A ended");
    CHECK(d->context.empty());
  }
}

TEST_CASE("trace_diff: seq is ignored") {
  // Numbered from 100 in B (e.g. a filtered-out prefix): the same content in the same order.
  CHECK_FALSE(diff(notes(10), notes(10, 100)));
  // And a line without seq equals one with it.
  CHECK_FALSE(diff({note(3, 10, "x")}, {R"({"t_us":10,"node":null,"kind":"note","text":"x"})"}));
  // Equal seq does not make different content equal.
  const auto d = diff({note(7, 10, "x")}, {note(7, 10, "y")});
  REQUIRE(d);
  CHECK(d->difference == "text: x vs y");
}

TEST_CASE("trace_diff: a malformed line throws, naming the side, the line and the problem") {
  const std::vector<std::string> good = notes(3);
  const std::string ok = join(good);
  CHECK(error_of(ok, good[0] + "\n" + good[1] + "\n{\"t_us\":2000,\n") ==
        "B, line 3: not JSON (column 14: syntax error while parsing object key - unexpected end of input; "
        "expected string literal)");
  CHECK(error_of(good[0] + "\n[1,2]\n", ok) == "A, line 2: expected a JSON object, got array");
  CHECK(error_of(good[0] + "\n\n" + good[2] + "\n", ok) == "A, line 2: empty line, expected an event");
  CHECK(error_of(ok, R"({"kind":"note"})" "\n") == "B, line 1: expected an integer \"t_us\"");
  CHECK(error_of(R"({"t_us":"5","kind":"note"})" "\n", ok) == "A, line 1: expected an integer \"t_us\"");
  CHECK(error_of(ok, R"({"t_us":0,"kind":3})" "\n") == "B, line 1: expected a string \"kind\"");
  // A bad line after the traces diverged is never read.
  CHECK(error_of(note(0, 0, "x") + "\nnot json\n", note(0, 0, "y") + "\n").empty());
}

TEST_CASE("trace_diff: describe without a time (hand-made divergence)") {
  TraceDivergence d;
  d.index = 3;
  d.difference = "A ended";
  d.b = "not an event";
  CHECK(describe(d) == "traces diverge at event 3: A ended\nA: (ended after 3 events)\nB: not an event\n");
}
