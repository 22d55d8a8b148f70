// Time edits for the shrinker (shrinker.hh): an earlier stop, and a compressed timeline.
//
// A liveness failure must not be shrunk into a trivial one: an expectation that the run ends
// before it could be decided ("broker 5 fenced within 14500 ms of the crash", with the run
// stopped 3 s after the crash) fails whatever the code does. decided_by() says when each
// expectation is decided at the latest; the shrinker keeps every window inside the run.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "sim/scenario/scenario.hh"

namespace sim::fuzz {

// The latest moment at which `e` is decided when the run goes on long enough: the end of its
// window (the labelled action's last copy + within; "at"/"by"; the end of "always"; "to" of
// progress windows). nullopt if it is decided only when the run ends (an "at end" state,
// "always" without an end, shutdown_leadership_moved, restart_resumes_from_local_log) or if its
// labelled action is not in the timeline.
std::optional<Instant> decided_by(const Expectation& e, const Scenario& s);

// True if every expectation with a decided_by() is decided by stop.at.
bool windows_fit(const Scenario& s);

// The earliest stop.at that still runs every action and decides every expectation: the later of
// the last action's time and every decided_by(). nullopt if some expectation is decided only at
// the end of the run (then the stop time is part of what it checks).
std::optional<Instant> earliest_stop(const Scenario& s);

// Ends the run at `stop` (< stop.at): actions after it go (the copies of a repeated action
// after it; an action with every copy after it goes with what names its label, see
// scenario_edits.hh). Returns "stop 61000 ms -> 12000 ms", or nullopt (s unchanged) if `stop`
// is not earlier than stop.at or the removal would take the expectation at `keep`.
std::optional<std::string> cut_stop(Scenario& s, Instant stop, std::optional<std::size_t> keep);

// Moves every time t after t0 (the first action's time; 0 without actions) to
// t0 + (t - t0) / 2: actions (a repeated action's first copy, and its interval halved), the
// absolute times of expectations (at, by, from, to) and stop.when_from, and stop.at. Durations
// ("within") stay. Returns "timeline gaps halved, stop 30000 ms -> 20000 ms", or nullopt if
// nothing would move.
std::optional<std::string> halve_gaps(Scenario& s);

}  // namespace sim::fuzz
