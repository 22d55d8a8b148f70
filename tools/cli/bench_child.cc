// One benchmark case in a forked child process (bench_child.hh).
#include "tools/cli/bench_child.hh"

#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <exception>
#include <iostream>
#include <system_error>

#include "tools/cli/fork_pipe.hh"

namespace kraftsim::cli {

namespace {

// Writes all of `text` to `fd`; returns false if the pipe broke.
bool write_all(int fd, const std::string& text) {
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    written += static_cast<std::size_t>(n);
  }
  return true;
}

// The child's side: never returns.
[[noreturn]] void child_main(int fd, const std::function<nlohmann::json()>& body) {
  int status = 0;
  nlohmann::json message;
  try {
    message = body();
  } catch (const std::exception& e) {
    message = nlohmann::json{{"error", e.what()}};
    status = 1;
  } catch (...) {
    message = nlohmann::json{{"error", "an unknown exception"}};
    status = 1;
  }
  const std::string line =
      message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  if (!write_all(fd, line)) status = 2;
  ::close(fd);
  ::_exit(status);
}

// Everything the child writes, up to the end of the pipe.
std::string read_all(int fd) {
  std::string text;
  char chunk[65536];
  for (;;) {
    const ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    text.append(chunk, static_cast<std::size_t>(n));
  }
  return text;
}

}  // namespace

ChildOutcome run_in_child(const std::function<nlohmann::json()>& body) {
  const ForkedChild child = fork_with_pipe([&body](int fd) { child_main(fd, body); });
  const pid_t pid = child.pid;
  const std::string text = read_all(child.read_fd);
  ::close(child.read_fd);

  int status = 0;
  rusage usage{};
  while (::wait4(pid, &status, 0, &usage) < 0) {
    if (errno != EINTR) throw std::system_error(errno, std::generic_category(), "wait4");
  }

  ChildOutcome outcome;
  outcome.peak_rss_kib = usage.ru_maxrss;
  const std::size_t newline = text.find('\n');
  if (newline != std::string::npos) {
    nlohmann::json parsed = nlohmann::json::parse(text.substr(0, newline), nullptr, false);
    if (!parsed.is_discarded()) outcome.message = std::move(parsed);
  }
  std::string error;
  if (outcome.message && outcome.message->is_object() && outcome.message->contains("error") &&
      (*outcome.message)["error"].is_string()) {
    error = (*outcome.message)["error"].get<std::string>();
  }
  if (WIFSIGNALED(status)) {
    outcome.failure = "the child died (signal " + std::to_string(WTERMSIG(status)) + ")";
  } else if (!WIFEXITED(status)) {
    outcome.failure = "the child ended with wait status " + std::to_string(status);
  } else if (WEXITSTATUS(status) != 0) {
    outcome.failure = "the child exited with status " + std::to_string(WEXITSTATUS(status));
    if (!error.empty()) outcome.failure += ": " + error;
  } else if (!outcome.message) {
    outcome.failure = "the child sent no result";
  }
  return outcome;
}

}  // namespace kraftsim::cli
