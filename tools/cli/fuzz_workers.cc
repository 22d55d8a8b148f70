// Fuzz worker processes: fork, pipes, poll (fuzz_workers.hh).
#include "tools/cli/fuzz_workers.hh"

#include <poll.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <system_error>
#include <vector>

#include "tools/cli/fork_pipe.hh"

namespace kraftsim::cli {

namespace {

using Clock = std::chrono::steady_clock;

std::string one_line(std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  std::replace(text.begin(), text.end(), '\r', ' ');
  return text;
}

// Writes all of `text` to `fd`; a worker whose parent is gone has nothing left to do.
void write_all(int fd, const std::string& text) {
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) ::_exit(2);
    written += static_cast<std::size_t>(n);
  }
}

// The worker's end of its pipe.
class PipeChannel final : public SeedChannel {
 public:
  PipeChannel(int fd, std::uint64_t seed) : fd_(fd), seed_(seed) {}
  void start(const std::string& summary) override {
    write_all(fd_, "start " + std::to_string(seed_) + "\t" + one_line(summary) + "\n");
    started_ = true;
  }
  void note(const std::string& text) override {
    write_all(fd_, "note " + std::to_string(seed_) + "\t" + one_line(text) + "\n");
  }
  void result(const nlohmann::json& line) override {
    if (!started_) start("");
    write_all(fd_, "result " + line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) +
                       "\n");
    done_ = true;
  }
  [[nodiscard]] bool done() const { return done_; }

 private:
  int fd_;
  std::uint64_t seed_;
  bool started_ = false;
  bool done_ = false;
};

// The body of worker process: positions from, from + jobs, ...; never returns.
[[noreturn]] void worker_main(int fd, const SeedPlan& plan, std::uint64_t from, const SeedTask& task) {
  for (std::uint64_t j = from; j < plan.count; j += plan.jobs) {
    PipeChannel channel(fd, plan.seed_at(j));
    try {
      task(plan.seed_at(j), channel);
    } catch (const std::exception& e) {
      channel.note(std::string("worker: unexpected exception: ") + e.what());
      ::_exit(1);
    } catch (...) {
      channel.note("worker: unexpected exception");
      ::_exit(1);
    }
    if (!channel.done()) {
      channel.note("worker: the seed task returned without a result");
      ::_exit(1);
    }
    if (plan.count - j <= plan.jobs) break;  // j + jobs would pass the end (or overflow)
  }
  ::_exit(0);
}

// One live worker, as the parent sees it.
struct Worker {
  pid_t pid = -1;
  int fd = -1;
  std::uint64_t next = 0;                 // the next position it will start
  std::optional<std::uint64_t> running;   // started, no result yet
  Clock::time_point running_since;
  bool started_any = false;               // since this process was forked
  std::string buffer;                     // bytes after the last complete line
};

std::string exit_reason(int status) {
  if (WIFSIGNALED(status)) return "worker died (signal " + std::to_string(WTERMSIG(status)) + ")";
  if (WIFEXITED(status)) return "worker died (exit status " + std::to_string(WEXITSTATUS(status)) + ")";
  return "worker died (wait status " + std::to_string(status) + ")";
}

class WorkerPool {
 public:
  WorkerPool(const SeedPlan& plan, const SeedTask& task, const WorkerEvents& events)
      : plan_(plan), task_(task), events_(events) {}
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;
  ~WorkerPool() {
    for (Worker& w : workers_) {
      ::kill(w.pid, SIGKILL);
      int status = 0;
      while (::waitpid(w.pid, &status, 0) < 0 && errno == EINTR) {
      }
      ::close(w.fd);
    }
  }

  void run() {
    for (std::uint64_t slot = 0; slot < plan_.jobs && slot < plan_.count; ++slot) spawn(slot);
    while (!workers_.empty()) {
      wait_and_read();
      if (events_.on_tick) events_.on_tick();
    }
  }

 private:
  void spawn(std::uint64_t from) {
    const ForkedChild child = fork_with_pipe([&](int fd) {
      for (const Worker& w : workers_) ::close(w.fd);
      worker_main(fd, plan_, from, task_);
    });
    Worker w;
    w.pid = child.pid;
    w.fd = child.read_fd;
    w.next = from;
    workers_.push_back(std::move(w));
  }

  void wait_and_read() {
    std::vector<pollfd> fds;
    for (const Worker& w : workers_) fds.push_back(pollfd{w.fd, POLLIN, 0});
    const int ready = ::poll(fds.data(), fds.size(), kTickMs);
    if (ready < 0) {
      if (errno == EINTR) return;
      throw std::system_error(errno, std::generic_category(), "poll");
    }
    // Workers that ended are removed after the loop; their indices must stay put until then.
    std::vector<std::size_t> ended;
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].revents == 0) continue;
      if (!read_from(workers_[i])) ended.push_back(i);
    }
    for (auto it = ended.rbegin(); it != ended.rend(); ++it) finish(*it);
  }

  // Reads what is there; false at the end of the pipe.
  bool read_from(Worker& w) {
    char chunk[65536];
    ssize_t n = 0;
    do {
      n = ::read(w.fd, chunk, sizeof chunk);
    } while (n < 0 && errno == EINTR);
    if (n <= 0) return false;
    w.buffer.append(chunk, static_cast<std::size_t>(n));
    std::size_t begin = 0;
    for (std::size_t end; (end = w.buffer.find('\n', begin)) != std::string::npos; begin = end + 1) {
      handle(w, w.buffer.substr(begin, end - begin));
    }
    w.buffer.erase(0, begin);
    return true;
  }

  // The seed and text of "start <seed>\t<text>" / "note <seed>\t<text>".
  static std::pair<std::uint64_t, std::string> seed_and_text(const std::string& rest,
                                                             const std::string& message) {
    const std::size_t tab = rest.find('\t');
    try {
      std::size_t used = 0;
      const std::uint64_t seed = std::stoull(rest.substr(0, tab), &used);
      if (tab != std::string::npos && used == tab) return {seed, rest.substr(tab + 1)};
    } catch (const std::exception&) {
    }
    throw std::runtime_error("a fuzz worker sent a malformed message: " + message);
  }

  void handle(Worker& w, const std::string& message) {
    if (message.rfind("start ", 0) == 0) {
      const auto [seed, summary] = seed_and_text(message.substr(6), message);
      if (w.running || w.next >= plan_.count || plan_.seed_at(w.next) != seed) {
        throw std::runtime_error("a fuzz worker started an unexpected seed: " + message);
      }
      w.running = w.next;
      w.running_since = Clock::now();
      w.started_any = true;
      w.next = after(w.next);
      if (events_.on_start) events_.on_start(seed, summary);
    } else if (message.rfind("note ", 0) == 0) {
      const auto [seed, text] = seed_and_text(message.substr(5), message);
      if (events_.on_note) events_.on_note(seed, text);
    } else if (message.rfind("result ", 0) == 0) {
      nlohmann::json line = nlohmann::json::parse(message.substr(7), nullptr, false);
      if (line.is_discarded() || !line.is_object() || !w.running ||
          line.value("seed", std::uint64_t{0}) != plan_.seed_at(*w.running)) {
        throw std::runtime_error("a fuzz worker sent an unexpected result: " + message);
      }
      const std::uint64_t position = *w.running;
      w.running.reset();
      if (events_.on_result) events_.on_result(position, std::move(line));
    } else {
      throw std::runtime_error("a fuzz worker sent a malformed message: " + message);
    }
  }

  // The worker at `index` closed its pipe: reap it, account for a lost seed, replace it.
  void finish(std::size_t index) {
    Worker w = std::move(workers_[index]);
    workers_.erase(workers_.begin() + static_cast<std::ptrdiff_t>(index));
    ::close(w.fd);
    int status = 0;
    while (::waitpid(w.pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (w.running) {
      const std::chrono::duration<double, std::milli> wall = Clock::now() - w.running_since;
      died(*w.running, exit_reason(status), wall.count());
    } else if (w.next < plan_.count && !w.started_any) {
      // Nothing started since the fork: charge the next seed so that the campaign advances.
      died(w.next, exit_reason(status) + " before starting the seed", 0.0);
      w.next = after(w.next);
    }
    if (w.next < plan_.count) spawn(w.next);
  }

  // The position after `position` in the same worker (count when past the end).
  [[nodiscard]] std::uint64_t after(std::uint64_t position) const {
    return plan_.count - position <= plan_.jobs ? plan_.count : position + plan_.jobs;
  }

  void died(std::uint64_t position, const std::string& reason, double wall_ms) {
    if (events_.on_died) events_.on_died(position, plan_.seed_at(position), reason, wall_ms);
  }

  const SeedPlan& plan_;
  const SeedTask& task_;
  const WorkerEvents& events_;
  std::vector<Worker> workers_;
};

}  // namespace

void run_workers(const SeedPlan& plan, const SeedTask& task, const WorkerEvents& events) {
  WorkerPool pool(plan, task, events);
  pool.run();
}

}  // namespace kraftsim::cli
