// Forking a child that reports through a pipe. See fork_pipe.hh.
#include "tools/cli/fork_pipe.hh"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <iostream>
#include <system_error>

namespace kraftsim::cli {

ForkedChild fork_with_pipe(const std::function<void(int write_fd)>& in_child) {
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  int fds[2];
  if (::pipe(fds) != 0) throw std::system_error(errno, std::generic_category(), "pipe");
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int error = errno;
    ::close(fds[0]);
    ::close(fds[1]);
    throw std::system_error(error, std::generic_category(), "fork");
  }
  if (pid == 0) {
    ::close(fds[0]);
    in_child(fds[1]);
    ::_exit(1);  // in_child must not return; if it does, the child still never goes on
  }
  ::close(fds[1]);
  return ForkedChild{pid, fds[0]};
}

}  // namespace kraftsim::cli
