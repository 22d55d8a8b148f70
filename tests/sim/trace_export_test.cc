// Trace export (sim/trace_export/): the filter, the JSON-lines writer and the Chrome trace-event
// writer, on a hand-made trace of three nodes: an election, a lost vote, a duplicated message,
// progress, a crash, an action and a note.
#include <doctest/doctest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "raft/common/assert.hh"
#include "sim/trace_event.hh"
#include "sim/trace_export/chrome_writer.hh"
#include "sim/trace_export/jsonl_writer.hh"
#include "sim/trace_export/trace_filter.hh"
#include "sim/support/chrome_trace_checks.hh"

namespace {

using kraftsim::test::check_flows;
using kraftsim::test::check_ordered;
using kraftsim::test::process_names;
using kraftsim::test::Span;
using kraftsim::test::spans;
using kraftsim::test::with_ph;
using nlohmann::json;
using sim::TraceEvent;
using sim::TraceEventKind;
using sim::trace_export::ChromeWriter;
using sim::trace_export::JsonlWriter;
using sim::trace_export::TraceFilter;
using Fields = std::vector<std::pair<std::string_view, sim::TraceValue>>;

constexpr std::int64_t kEndUs = 12000;

// Builds the hand-made trace, numbering events in order.
class Builder {
 public:
  void add(std::int64_t at_us, TraceEventKind kind, std::optional<int> node, Fields fields) {
    TraceEvent e;
    e.at = raft::Instant::from_us(at_us);
    e.seq = events_.size();
    e.kind = kind;
    if (node) e.node = raft::NodeId(*node);
    e.fields = std::move(fields);
    events_.push_back(std::move(e));
  }
  void send(std::int64_t at, int node, std::int64_t id, std::int64_t to, const char* api,
            std::int64_t corr, std::int64_t copies) {
    add(at, TraceEventKind::Send, node,
        {{"id", id}, {"to", to}, {"api", std::string(api)}, {"correlation", corr}, {"copies", copies}});
  }
  void deliver(std::int64_t at, int node, std::int64_t id, std::int64_t from, const char* api,
               std::int64_t corr) {
    add(at, TraceEventKind::Deliver, node,
        {{"id", id}, {"from", from}, {"api", std::string(api)}, {"correlation", corr}});
  }
  void role(std::int64_t at, int node, const char* state, std::int64_t epoch, std::int64_t leader) {
    add(at, TraceEventKind::Role, node,
        {{"state", std::string(state)}, {"epoch", epoch}, {"leader", leader}});
  }
  void progress(std::int64_t at, int node, std::int64_t hw, std::int64_t leo, std::int64_t meta) {
    add(at, TraceEventKind::Progress, node,
        {{"hw", hw}, {"leo", leo}, {"flushed", leo}, {"metadata_offset", meta}});
  }
  std::vector<TraceEvent> events_;
};

std::vector<TraceEvent> sample_trace() {
  Builder b;
  b.role(0, 0, "Unattached", 0, -1);                              // 0
  b.role(0, 1, "Unattached", 0, -1);                              // 1
  b.role(0, 2, "Unattached", 0, -1);                              // 2
  b.role(1000, 0, "Prospective", 0, -1);                          // 3
  b.send(1000, 0, 0, 1, "VoteRequest", 1, 1);                     // 4
  b.send(1000, 0, 1, 2, "VoteRequest", 2, 1);                     // 5
  b.role(1000, 0, "Candidate", 1, -1);                            // 6
  b.deliver(3000, 1, 0, 0, "VoteRequest", 1);                     // 7
  b.send(3000, 1, 2, 0, "VoteResponse", 1, 1);                    // 8
  b.add(3500, TraceEventKind::Drop, 2,                            // 9
        {{"id", std::int64_t{1}}, {"from", std::int64_t{0}}, {"api", std::string("VoteRequest")},
         {"correlation", std::int64_t{2}}, {"reason", std::string("down")}});
  b.deliver(5000, 0, 2, 1, "VoteResponse", 1);                    // 10
  b.role(5000, 0, "Leader", 1, 0);                                // 11
  b.add(5000, TraceEventKind::Election, 0,                        // 12
        {{"epoch", std::int64_t{1}}, {"voters", std::string("0 1")}});
  b.send(5000, 0, 3, 1, "BeginQuorumEpochRequest", 3, 2);         // 13
  b.deliver(6000, 1, 3, 0, "BeginQuorumEpochRequest", 3);         // 14
  b.deliver(6100, 1, 3, 0, "BeginQuorumEpochRequest", 3);         // 15 (the duplicate)
  b.role(7000, 1, "Follower", 1, 0);                              // 16
  b.progress(8000, 0, 1, 1, -1);                                  // 17
  b.add(8000, TraceEventKind::Active, 0, {{"epoch", std::int64_t{1}}, {"hw", std::int64_t{1}}});  // 18
  b.add(9000, TraceEventKind::Fault, 2, {{"text", std::string("crash node 2")}});  // 19
  b.role(9000, 2, "down", 0, -1);                                 // 20
  b.add(9500, TraceEventKind::Action, std::nullopt,               // 21
        {{"index", std::int64_t{0}}, {"type", std::string("partition")},
         {"label", std::string("split \"a\"")}, {"targets", std::string("")}});
  b.add(9600, TraceEventKind::Note, std::nullopt, {{"text", std::string("snapshot\tdone")}});  // 22
  b.progress(10000, 0, 5, 6, 4);                                  // 23
  return std::move(b.events_);
}

void replay(sim::TraceListener& listener, const std::vector<TraceEvent>& events) {
  for (const TraceEvent& e : events) listener.on_event(e);
  listener.on_end(raft::Instant::from_us(kEndUs));
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The JSON lines of the sample trace through `filter`.
std::vector<std::string> jsonl(const TraceFilter& filter) {
  std::ostringstream out;
  JsonlWriter writer(out, filter);
  replay(writer, sample_trace());
  return lines_of(out.str());
}

// The "seq" of every line but the end line.
std::vector<std::uint64_t> seqs(const std::vector<std::string>& lines) {
  std::vector<std::uint64_t> result;
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
    result.push_back(json::parse(lines[i]).at("seq").get<std::uint64_t>());
  }
  return result;
}

}  // namespace

TEST_CASE("trace event kinds: names round-trip, and field lookup by name and type") {
  for (std::size_t i = 0; i < sim::kTraceEventKindCount; ++i) {
    const auto k = static_cast<TraceEventKind>(i);
    CHECK(sim::trace_event_kind_from_string(sim::to_string(k)) == k);
  }
  CHECK(sim::to_string(TraceEventKind::Progress) == "progress");
  CHECK(sim::to_string(TraceEventKind::Send) == "send");
  CHECK_FALSE(sim::trace_event_kind_from_string("Send").has_value());
  CHECK_FALSE(sim::trace_event_kind_from_string("end").has_value());

  const std::vector<TraceEvent> events = sample_trace();
  const TraceEvent& send = events[4];
  CHECK(send.integer("to") == 1);
  CHECK(send.text("api") == "VoteRequest");
  CHECK_THROWS_AS((void)send.integer("api"), raft::AssertionFailure);
  CHECK_THROWS_AS((void)send.text("to"), raft::AssertionFailure);
  CHECK_THROWS_AS((void)send.integer("reason"), raft::AssertionFailure);
}

TEST_CASE("trace filter: nodes (either end of a message), kinds, window, message sampling") {
  const std::vector<TraceEvent> events = sample_trace();
  const auto kept = [&events](const TraceFilter& f) {
    std::vector<std::uint64_t> seq;
    for (const TraceEvent& e : events) {
      if (f.keeps(e)) seq.push_back(e.seq);
    }
    return seq;
  };
  TraceFilter all;
  CHECK(kept(all).size() == events.size());

  TraceFilter node2;
  node2.nodes = {2};
  // Its role events, the vote sent to it (by node 0), its drop, its fault; not the node-less ones.
  CHECK(kept(node2) == std::vector<std::uint64_t>{2, 5, 9, 19, 20});

  TraceFilter node1;
  node1.nodes = {1};
  CHECK(kept(node1) == std::vector<std::uint64_t>{1, 4, 7, 8, 10, 13, 14, 15, 16});

  TraceFilter roles;
  roles.kinds = {TraceEventKind::Role, TraceEventKind::Election};
  CHECK(kept(roles) == std::vector<std::uint64_t>{0, 1, 2, 3, 6, 11, 12, 16, 20});

  TraceFilter window;
  window.from = raft::Instant::from_ms(3);
  window.to = raft::Instant::from_ms(6);  // exclusive: the delivery at 6000 us is out
  CHECK(kept(window) == std::vector<std::uint64_t>{7, 8, 9, 10, 11, 12, 13});

  TraceFilter even;
  even.message_sample = 2;  // message ids 0 and 2; every other kind stays
  CHECK(kept(even) ==
        std::vector<std::uint64_t>{0, 1, 2, 3, 4, 6, 7, 8, 10, 11, 12, 16, 17, 18, 19, 20, 21, 22, 23});

  TraceFilter thirds;
  thirds.message_sample = 3;  // ids 0 and 3: both deliveries of the duplicated message
  thirds.kinds = {TraceEventKind::Send, TraceEventKind::Deliver, TraceEventKind::Drop};
  CHECK(kept(thirds) == std::vector<std::uint64_t>{4, 7, 13, 14, 15});

  TraceFilter none;
  none.message_sample = 0;
  none.kinds = {TraceEventKind::Send, TraceEventKind::Deliver, TraceEventKind::Drop};
  CHECK(kept(none).empty());

  TraceFilter combined;
  combined.nodes = {0};
  combined.kinds = {TraceEventKind::Send};
  combined.from = raft::Instant::from_us(1000);
  combined.to = raft::Instant::from_us(5000);
  CHECK(kept(combined) == std::vector<std::uint64_t>{4, 5, 8});
}

TEST_CASE("jsonl writer: one line per event with its fields in order, and the end line") {
  const std::vector<std::string> lines = jsonl(TraceFilter{});
  REQUIRE(lines.size() == 25);
  CHECK(lines[0] == R"({"seq":0,"t_us":0,"node":0,"kind":"role","state":"Unattached","epoch":0,"leader":-1})");
  CHECK(lines[4] ==
        R"({"seq":4,"t_us":1000,"node":0,"kind":"send","id":0,"to":1,"api":"VoteRequest","correlation":1,"copies":1})");
  CHECK(lines[9] ==
        R"({"seq":9,"t_us":3500,"node":2,"kind":"drop","id":1,"from":0,"api":"VoteRequest","correlation":2,"reason":"down"})");
  CHECK(lines[21] ==
        R"({"seq":21,"t_us":9500,"node":null,"kind":"action","index":0,"type":"partition","label":"split \"a\"","targets":""})");
  CHECK(lines[22] == R"({"seq":22,"t_us":9600,"node":null,"kind":"note","text":"snapshot\tdone"})");
  CHECK(lines[23] ==
        R"({"seq":23,"t_us":10000,"node":0,"kind":"progress","hw":5,"leo":6,"flushed":6,"metadata_offset":4})");
  CHECK(lines[24] == R"({"seq":24,"t_us":12000,"node":null,"kind":"end","events":24})");
  // Every line is a JSON object.
  for (const std::string& line : lines) CHECK(json::parse(line).is_object());
  CHECK(json::parse(lines[21]).at("label") == "split \"a\"");

  std::ostringstream out;
  JsonlWriter writer(out, TraceFilter{});
  const std::vector<TraceEvent> events = sample_trace();
  writer.on_event(events[0]);
  writer.on_event(events[1]);
  CHECK(writer.written() == 2);
  CHECK(sim::trace_export::jsonl_line(events[12]) ==
        R"({"seq":12,"t_us":5000,"node":0,"kind":"election","epoch":1,"voters":"0 1"})");
}

TEST_CASE("jsonl writer: filters keep the numbering, and the end line counts what was written") {
  SUBCASE("a node: its events and the messages to or from it") {
    TraceFilter f;
    f.nodes = {2};
    const std::vector<std::string> lines = jsonl(f);
    CHECK(seqs(lines) == std::vector<std::uint64_t>{2, 5, 9, 19, 20});
    CHECK(lines.back() == R"({"seq":24,"t_us":12000,"node":null,"kind":"end","events":5})");
  }
  SUBCASE("kinds") {
    TraceFilter f;
    f.kinds = {TraceEventKind::Fault, TraceEventKind::Note};
    const std::vector<std::string> lines = jsonl(f);
    REQUIRE(lines.size() == 3);
    CHECK(lines[0] == R"({"seq":19,"t_us":9000,"node":2,"kind":"fault","text":"crash node 2"})");
    CHECK(lines[2] == R"({"seq":24,"t_us":12000,"node":null,"kind":"end","events":2})");
  }
  SUBCASE("a time window") {
    TraceFilter f;
    f.from = raft::Instant::from_us(7000);
    f.to = raft::Instant::from_us(9000);
    const std::vector<std::string> lines = jsonl(f);
    CHECK(seqs(lines) == std::vector<std::uint64_t>{16, 17, 18});
    CHECK(lines.back() == R"({"seq":24,"t_us":12000,"node":null,"kind":"end","events":3})");
  }
  SUBCASE("sampling keeps a message's send and its deliveries together") {
    TraceFilter f;
    f.message_sample = 3;
    const std::vector<std::string> lines = jsonl(f);
    std::map<std::int64_t, std::vector<std::string>> by_id;  // message id -> kinds, in order
    for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
      const json j = json::parse(lines[i]);
      if (j.contains("id")) by_id[j.at("id").get<std::int64_t>()].push_back(j.at("kind"));
    }
    CHECK(by_id == std::map<std::int64_t, std::vector<std::string>>{
                       {0, {"send", "deliver"}}, {3, {"send", "deliver", "deliver"}}});
    CHECK(lines.back() == R"({"seq":24,"t_us":12000,"node":null,"kind":"end","events":20})");
  }
  SUBCASE("no events at all") {
    std::ostringstream out;
    JsonlWriter writer(out, TraceFilter{});
    writer.on_end(raft::Instant::from_us(5));
    CHECK(out.str() == "{\"seq\":0,\"t_us\":5,\"node\":null,\"kind\":\"end\",\"events\":0}\n");
  }
}

namespace {

const std::map<int, std::string> kRoles = {
    {0, "controller"}, {1, "controller"}, {2, "broker,controller"}, {3, "broker"}};

json chrome(const TraceFilter& filter, std::uint64_t* written = nullptr) {
  std::ostringstream out;
  ChromeWriter writer(out, filter, kRoles);
  replay(writer, sample_trace());
  if (written) *written = writer.written();
  return json::parse(out.str());
}

}  // namespace

TEST_CASE("chrome writer: a JSON array with a named process per node and cluster-wide events") {
  std::uint64_t written = 0;
  const json trace = chrome(TraceFilter{}, &written);
  REQUIRE(trace.is_array());
  CHECK(written == trace.size());
  CHECK(process_names(trace) == std::map<int, std::string>{{0, "cluster"},
                                                           {1, "node 0 (controller)"},
                                                           {2, "node 1 (controller)"},
                                                           {3, "node 2 (broker,controller)"},
                                                           {4, "node 3 (broker)"}});
  std::set<std::tuple<int, int, std::string>> threads;
  for (const json& e : with_ph(trace, "M")) {
    if (e.at("name") == "thread_name") threads.emplace(e.at("pid"), e.at("tid"), e.at("args").at("name"));
  }
  CHECK(threads.count({1, 1, "raft"}) == 1);
  CHECK(threads.count({1, 2, "events"}) == 1);
  CHECK(threads.count({4, 3, "messages"}) == 1);
  check_ordered(trace);
}

TEST_CASE("chrome writer: role spans per (state, epoch), matched, closed at the run's end") {
  const json trace = chrome(TraceFilter{});
  const std::vector<Span> s = spans(trace);
  std::vector<Span> node0;
  std::vector<Span> node2;
  for (const Span& span : s) {
    if (span.pid == 1) node0.push_back(span);
    if (span.pid == 3) node2.push_back(span);
  }
  CHECK(node0 == std::vector<Span>{{1, "Unattached e0", 0, 1000},
                                   {1, "Prospective e0", 1000, 1000},
                                   {1, "Candidate e1", 1000, 5000},
                                   {1, "Leader e1", 5000, kEndUs}});
  CHECK(node2 == std::vector<Span>{{3, "Unattached e0", 0, 9000}, {3, "down", 9000, kEndUs}});
  for (const json& b : with_ph(trace, "B")) CHECK(b.at("tid") == 1);
  // A role event repeating the open span's (state, epoch) opens nothing new.
  std::ostringstream out;
  ChromeWriter writer(out, TraceFilter{}, kRoles);
  std::vector<TraceEvent> events = sample_trace();
  writer.on_event(events[11]);
  TraceEvent again = events[11];
  again.at = raft::Instant::from_us(5500);
  again.fields[2].second = std::int64_t{0};
  writer.on_event(again);
  writer.on_end(raft::Instant::from_us(6000));
  const json short_trace = json::parse(out.str());
  CHECK(spans(short_trace) == std::vector<Span>{{1, "Leader e1", 5000, 6000}});
}

TEST_CASE("chrome writer: messages as flow arrows, counters, instant events") {
  const json trace = chrome(TraceFilter{});
  // Flow starts by id, with their process; flow ends likewise.
  std::map<std::int64_t, int> starts;
  std::vector<std::pair<std::int64_t, int>> ends;
  std::set<std::tuple<int, int, std::int64_t>> slices;  // (pid, tid, ts) of the message slices
  for (const json& x : with_ph(trace, "X")) {
    CHECK(x.at("dur") == 1);
    CHECK(x.at("tid") == 3);
    slices.emplace(x.at("pid"), x.at("tid"), x.at("ts"));
  }
  for (const json& e : trace) {
    if (e.at("ph") != "s" && e.at("ph") != "f") continue;
    // Every flow event sits on a message slice of its thread at its time.
    CHECK(slices.count({e.at("pid"), e.at("tid"), e.at("ts")}) == 1);
    CHECK(e.at("cat") == "message");
    if (e.at("ph") == "s") {
      CHECK(starts.emplace(e.at("id"), e.at("pid")).second);
    } else {
      CHECK(e.at("bp") == "e");
      CHECK(starts.count(e.at("id").get<std::int64_t>()) == 1);  // its start came before
      ends.emplace_back(e.at("id"), e.at("pid"));
    }
  }
  CHECK(starts == std::map<std::int64_t, int>{{0, 1}, {1, 1}, {2, 2}, {3, 1}});
  // The vote to node 2 was dropped: a start and no end; the duplicate ends twice.
  CHECK(ends == std::vector<std::pair<std::int64_t, int>>{{0, 2}, {2, 1}, {3, 2}, {3, 2}});
  CHECK(with_ph(trace, "X").size() == 8);
  CHECK(check_flows(trace) == std::pair<std::size_t, std::size_t>{4, 4});
  const json first = with_ph(trace, "X").front();
  CHECK(first.at("name") == "VoteRequest");
  CHECK(first.at("args") == json{{"id", 0}, {"to", 1}, {"correlation", 1}, {"copies", 1}});

  std::vector<std::tuple<int, std::string, std::int64_t, std::int64_t>> counters;
  for (const json& c : with_ph(trace, "C")) {
    const std::string name = c.at("name");
    counters.emplace_back(c.at("pid"), name, c.at("ts"), c.at("args").at(name));
  }
  CHECK(counters == std::vector<std::tuple<int, std::string, std::int64_t, std::int64_t>>{
                        {1, "hw", 8000, 1},
                        {1, "leo", 8000, 1},
                        {1, "hw", 10000, 5},
                        {1, "leo", 10000, 6},
                        {1, "metadata offset", 10000, 4}});

  std::vector<std::tuple<int, std::string, std::int64_t>> instants;
  for (const json& i : with_ph(trace, "i")) {
    CHECK(i.at("s") == "p");
    CHECK(i.at("tid") == 2);
    instants.emplace_back(i.at("pid"), i.at("name"), i.at("ts"));
  }
  CHECK(instants == std::vector<std::tuple<int, std::string, std::int64_t>>{
                        {1, "elected e1", 5000},
                        {1, "active e1", 8000},
                        {3, "crash node 2", 9000},
                        {0, "partition (split \"a\")", 9500},
                        {0, "snapshot\tdone", 9600}});
}

TEST_CASE("chrome writer: filters") {
  SUBCASE("a node: no cluster process, only that node's and its messages' events") {
    TraceFilter f;
    f.nodes = {2};
    const json trace = chrome(f);
    CHECK(process_names(trace).count(0) == 0);
    CHECK(process_names(trace).size() == 4);
    CHECK(with_ph(trace, "C").empty());
    CHECK(spans(trace) == std::vector<Span>{{3, "Unattached e0", 0, 9000}, {3, "down", 9000, kEndUs}});
    // The vote sent to node 2 (dropped there): the sender's slice and flow start only.
    CHECK(with_ph(trace, "s").size() == 1);
    CHECK(with_ph(trace, "f").empty());
    CHECK(with_ph(trace, "i").size() == 1);
  }
  SUBCASE("a window: spans start at the first role event kept and end at its end") {
    TraceFilter f;
    f.from = raft::Instant::from_us(4000);
    f.to = raft::Instant::from_us(11000);
    const json trace = chrome(f);
    check_ordered(trace);
    CHECK(spans(trace) == std::vector<Span>{{1, "Leader e1", 5000, 11000},
                                            {2, "Follower e1", 7000, 11000},
                                            {3, "down", 9000, 11000}});
  }
  SUBCASE("no messages, no roles") {
    TraceFilter f;
    f.message_sample = 0;
    f.kinds = {TraceEventKind::Send, TraceEventKind::Deliver, TraceEventKind::Fault};
    const json trace = chrome(f);
    CHECK(with_ph(trace, "X").empty());
    CHECK(with_ph(trace, "B").empty());
    CHECK(with_ph(trace, "i").size() == 1);
  }
  SUBCASE("nothing at all is still a JSON array; a second on_end writes nothing") {
    std::ostringstream out;
    ChromeWriter writer(out, TraceFilter{}, {});
    writer.on_end(raft::Instant::from_us(1));
    writer.on_end(raft::Instant::from_us(2));
    CHECK(json::parse(out.str()) == json::parse(R"([
      {"name":"process_name","ph":"M","pid":0,"tid":0,"args":{"name":"cluster"}},
      {"name":"process_sort_index","ph":"M","pid":0,"tid":0,"args":{"sort_index":0}},
      {"name":"thread_name","ph":"M","pid":0,"tid":2,"args":{"name":"events"}}])"));
  }
}
