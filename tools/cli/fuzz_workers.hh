// Runs the seeds of a fuzz campaign in worker processes (`kraftsim fuzz --jobs N`): fork() and one
// pipe per worker, no threads, no external scheduler.
//
// The seeds are positions 0..count-1 (position j is seed first + j * stride); worker w of N runs
// positions w, w + N, w + 2N... in that order. For each seed the task, inside the worker, tells
// the parent over the worker's pipe, one line per message:
//   start <seed>\t<summary>     before the run (the summary on one line)
//   note <seed>\t<text>         a line to print with the seed's result (written files...)
//   result <json>               the seed's results line (results_file.hh), one line of JSON
// The parent poll()s the pipes and hands the messages on, in the order received. A worker that
// dies mid-seed (a crash, a signal) costs that seed only: the parent reports it through on_died
// with "worker died (signal N)" (or "worker died (exit status N)") and starts a new worker for
// the rest of that worker's seeds. (A worker that dies before starting its next seed costs that
// seed the same way, so a campaign always ends.)
//
// Processes: the parent flushes stdout and stderr (C and C++) before every fork; a worker closes
// the other workers' pipes, never touches the parent's streams, and ends with _exit (no atexit
// handlers, no destructors of the parent's objects, no flushing of inherited buffers). Workers
// still alive when run_workers() leaves by an exception are killed and reaped.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

namespace kraftsim::cli {

// What a seed task tells the parent, from inside its worker.
class SeedChannel {
 public:
  virtual ~SeedChannel() = default;
  // Before the run: the case's one-line summary (newlines become spaces).
  virtual void start(const std::string& summary) = 0;
  // A line to print with the seed's result (newlines become spaces).
  virtual void note(const std::string& text) = 0;
  // The seed's results line; must hold "seed" (the task's seed). Ends the seed.
  virtual void result(const nlohmann::json& line) = 0;
};

// Runs one seed; called in a worker process. Exceptions end the worker (the seed then counts as
// died with the exit status 1, after a note with the exception's message).
using SeedTask = std::function<void(std::uint64_t seed, SeedChannel& channel)>;

struct SeedPlan {
  std::uint64_t first = 0;   // seed of position 0
  std::uint64_t stride = 1;  // seeds between two positions (the shard count)
  std::uint64_t count = 0;   // positions
  unsigned jobs = 1;         // worker processes, >= 1
  [[nodiscard]] std::uint64_t seed_at(std::uint64_t position) const {
    return first + position * stride;
  }
};

// What the parent hears; every callback may be empty.
struct WorkerEvents {
  std::function<void(std::uint64_t seed, const std::string& summary)> on_start;
  std::function<void(std::uint64_t seed, const std::string& text)> on_note;
  std::function<void(std::uint64_t position, nlohmann::json line)> on_result;
  // The seed at `position` got no result: its worker died. `wall_ms`: since its start message (0
  // if it never started).
  std::function<void(std::uint64_t position, std::uint64_t seed, const std::string& reason,
                     double wall_ms)>
      on_died;
  // Called at least every kTickMs while the parent waits.
  std::function<void()> on_tick;
};

inline constexpr int kTickMs = 100;

// Runs every position of `plan` in plan.jobs workers; returns when each has a result or died.
// Throws std::system_error when a pipe or a process cannot be made, std::runtime_error when a
// worker sends a malformed message.
void run_workers(const SeedPlan& plan, const SeedTask& task, const WorkerEvents& events);

}  // namespace kraftsim::cli
