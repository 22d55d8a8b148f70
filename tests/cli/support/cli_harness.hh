// Test support for tests/cli: runs kraftsim::cli::main in-process with captured output, and
// scratch directories for scenario files.
#pragma once

#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include "tools/cli/cli.hh"

namespace kraftsim::cli::testing {

// What one command line produced.
struct CliRun {
  int code = -1;    // exit code (cli.hh)
  std::string out;  // standard output
  std::string err;  // standard error
};

// Runs `kraftsim ARGS...` (argv[0] is "kraftsim"; `args` are the arguments after it), with
// stderr as `terminal` says (default: not a terminal).
inline CliRun run_cli(const std::vector<std::string>& args,
                      kraftsim::cli::Terminal terminal = kraftsim::cli::Terminal{}) {
  std::vector<std::string> storage;
  storage.reserve(args.size() + 1);
  storage.emplace_back("kraftsim");
  storage.insert(storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& s : storage) argv.push_back(s.data());
  argv.push_back(nullptr);
  std::ostringstream out;
  std::ostringstream err;
  CliRun r;
  r.code = kraftsim::cli::main(static_cast<int>(storage.size()), argv.data(), out, err, terminal);
  r.out = out.str();
  r.err = err.str();
  return r;
}

// A fresh directory under the system temp directory, removed with everything in it on
// destruction. Its name holds the process id and the first free counter value, so parallel test
// processes never share one.
class TempDir {
 public:
  TempDir() {
    const std::filesystem::path base = std::filesystem::temp_directory_path();
    for (int i = 0;; ++i) {
      std::filesystem::path candidate =
          base / ("kraftsim-cli-test-" + std::to_string(::getpid()) + "-" + std::to_string(i));
      std::error_code ec;
      if (std::filesystem::create_directory(candidate, ec)) {
        path_ = candidate;
        return;
      }
      REQUIRE_MESSAGE(i < 10000, "cannot create a temp directory under " << base.string());
    }
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

  // Writes `text` to the file `name` in the directory; returns its full path.
  [[nodiscard]] std::string write(const std::string& name, const std::string& text) const {
    const std::filesystem::path file = path_ / name;
    std::ofstream f(file);
    f << text;
    f.close();
    REQUIRE_MESSAGE(f.good(), "cannot write " << file.string());
    return file.string();
  }

 private:
  std::filesystem::path path_;
};

// Reads a whole file ("" if it does not exist).
inline std::string read_file(const std::string& path) {
  std::ifstream f(path);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

// The first line of `text` starting with `prefix` (without the newline), or "" if none.
inline std::string line_starting_with(const std::string& text, const std::string& prefix) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(prefix, 0) == 0) return line;
  }
  return "";
}

inline bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace kraftsim::cli::testing
