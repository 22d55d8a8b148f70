// The scenario's top-level "bugs" (historical KRaft bugs to re-introduce, raft/common/bugs.hh):
// what the loader accepts into Scenario::bugs and the exact messages of what it rejects.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "raft/common/bugs.hh"
#include "sim/scenario/scenario_loader.hh"
#include "support/loader_cases.hh"

namespace {

using loader_cases::ExactCase;
using loader_cases::json;
using raft::Bug;
using raft::BugSet;

json base() {
  return json{{"name", "b"}, {"description", ""}, {"cluster", {{"controllers", 3}}}};
}

sim::Scenario load(const json& doc) { return sim::parse_scenario_text(doc.dump(2), "t.json"); }

const std::string kNames =
    R"("no-check-quorum", "hw-at-epoch-start", "restart-as-leader", "pre-vote-ping-pong" or )"
    R"("forget-brokers-on-activation")";

}  // namespace

TEST_CASE("bugs: absent or empty means none (Kafka's fixed behaviour)") {
  CHECK(load(base()).bugs.empty());
  json doc = base();
  doc["bugs"] = json::array();
  CHECK(load(doc).bugs.empty());
}

TEST_CASE("bugs: every name is accepted, alone and all together, in any order") {
  for (Bug b : raft::kAllBugs) {
    CAPTURE(raft::to_string(b));
    json doc = base();
    doc["bugs"] = json::array({std::string(raft::to_string(b))});
    CHECK(load(doc).bugs == BugSet{b});
  }
  json doc = base();
  doc["bugs"] = json::array({"forget-brokers-on-activation", "pre-vote-ping-pong",
                             "restart-as-leader", "hw-at-epoch-start", "no-check-quorum"});
  const BugSet all = load(doc).bugs;
  CHECK(all.size() == 5);
  CHECK(all == BugSet{Bug::NoCheckQuorum, Bug::HwAtEpochStart, Bug::RestartAsLeader,
                      Bug::PreVotePingPong, Bug::ForgetBrokersOnActivation});
  doc["bugs"] = json::array({"restart-as-leader", "no-check-quorum"});
  CHECK(load(doc).bugs == BugSet{Bug::NoCheckQuorum, Bug::RestartAsLeader});
}

TEST_CASE("bugs: rejected values name the path, the value, the names and a close one") {
  loader_cases::check_exact_cases(
      base,
      {
          ExactCase{"misspelt",
                    [](json& d) { d["bugs"] = json::array({"no-check-quorm"}); },
                    R"(t.json: bugs[0]: got "no-check-quorm", expected a bug name, one of )" +
                        kNames + R"( (did you mean "no-check-quorum"?))"},
          ExactCase{"unknown, second element",
                    [](json& d) { d["bugs"] = json::array({"hw-at-epoch-start", "split-brain"}); },
                    R"(t.json: bugs[1]: got "split-brain", expected a bug name, one of )" + kNames},
          ExactCase{"a JIRA key instead of the name",
                    [](json& d) { d["bugs"] = json::array({"KAFKA-15489"}); },
                    R"(t.json: bugs[0]: got "KAFKA-15489", expected a bug name, one of )" + kNames},
          ExactCase{"not a string",
                    [](json& d) { d["bugs"] = json::array({4}); },
                    "t.json: bugs[0]: got 4, expected a bug name, one of " + kNames},
          ExactCase{"twice",
                    [](json& d) {
                      d["bugs"] = json::array({"no-check-quorum", "restart-as-leader", "no-check-quorum"});
                    },
                    R"(t.json: bugs[2]: got "no-check-quorum", expected each bug once (bugs[0] )"
                    R"(already names it))"},
          ExactCase{"a string instead of an array",
                    [](json& d) { d["bugs"] = "no-check-quorum"; },
                    R"(t.json: bugs: got "no-check-quorum", expected an array of distinct bug )"
                    "names, each one of " + kNames},
          ExactCase{"singular field name",
                    [](json& d) { d["bug"] = json::array({"no-check-quorum"}); },
                    R"(t.json: bug: got unknown field "bug", expected one of the fields of the )"
                    "scenario: name, description, seed, cluster, network, disk, workload, "
                    R"(timeline, stop, expectations, bugs (did you mean "bugs"?))"},
      });
}

TEST_CASE("bugs: no shipped scenario switches a bug on") {
  // The regression scenarios must pass as shipped; bugs are switched on by tests and --bug.
  for (const char* name :
       {"bug-4-kafka-15489-check-quorum", "bug-2-kafka-12619-commit-only-own-epoch",
        "bug-1-kafka-10527-leader-restarts-resigned", "bug-18-kip-996-pre-vote-ping-pong",
        "bug-16-kafka-18138-broker-dies-during-failover", "default"}) {
    CAPTURE(name);
    const sim::Scenario s = sim::load_scenario_file(std::string(KRAFTSIM_SOURCE_DIR) +
                                                    "/scenarios/" + name + ".json");
    CHECK(s.bugs.empty());
  }
}
