// Forking a child process that reports back through a pipe: used by the fuzz workers
// (fuzz_workers.hh) and the benchmark's per-case processes (bench_child.hh).
#pragma once

#include <sys/types.h>

#include <functional>

namespace kraftsim::cli {

// A child started by fork_with_pipe: its pid, and the read end of the pipe it writes to.
struct ForkedChild {
  pid_t pid = -1;
  int read_fd = -1;
};

// Flushes the standard streams (so the child does not write the parent's buffered output again),
// creates a pipe and forks. The child runs `in_child` with the write end; `in_child` must not
// return (it ends with _exit). The parent gets the child's pid and the read end. Throws
// std::system_error if pipe or fork fails (nothing is left open then).
ForkedChild fork_with_pipe(const std::function<void(int write_fd)>& in_child);

}  // namespace kraftsim::cli
