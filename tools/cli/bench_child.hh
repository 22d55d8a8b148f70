// Runs one benchmark case in a child process (`kraftsim bench`, bench_command.hh) so that its peak
// memory can be measured on its own: fork() (no exec: the tests call cli::main in-process, and
// the child needs nothing but this process's code), the child runs `body`, writes its result to a
// pipe as one line of JSON and ends with _exit(0); the parent reads the pipe to its end, then
// reaps the child with wait4() and takes its peak resident set size from the rusage.
//
// The peak includes what the child shared with the parent when it was forked (the parent's
// resident pages at fork time, a few MiB for kraftsim), as the kernel counts it.
//
// Processes: the parent flushes stdout and stderr (C and C++) before the fork; the child never
// touches the parent's streams and ends with _exit (no atexit handlers, no destructors of the
// parent's objects). An exception escaping `body` is sent as {"error": what()} and the child
// exits with status 1.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace kraftsim::cli {

// What the parent learnt of the child.
struct ChildOutcome {
  // The line the child sent, parsed (nullopt: none, or not valid JSON).
  std::optional<nlohmann::json> message;
  // "" when the child exited with status 0 and sent a message; otherwise why not, e.g.
  // "the child died (signal 9)", "the child exited with status 1: <its error>",
  // "the child sent no result".
  std::string failure;
  // The child's peak resident set size in KiB (rusage ru_maxrss of wait4); 0 if unknown.
  std::int64_t peak_rss_kib = 0;
};

// Runs `body` in a child process and waits for it. Throws std::system_error when the pipe or the
// process cannot be made.
ChildOutcome run_in_child(const std::function<nlohmann::json()>& body);

}  // namespace kraftsim::cli
