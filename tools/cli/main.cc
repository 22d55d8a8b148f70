// kraftsim: a deterministic simulator of an Apache Kafka KRaft cluster. See cli.hh.
#include <sys/ioctl.h>
#include <unistd.h>

#include <iostream>

#include "tools/cli/cli.hh"

int main(int argc, char** argv) {
  kraftsim::cli::Terminal terminal;
  terminal.stderr_is_tty = ::isatty(STDERR_FILENO) == 1;
  winsize size{};
  if (terminal.stderr_is_tty && ::ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
    terminal.width = size.ws_col;
  }
  return kraftsim::cli::main(argc, argv, std::cout, std::cerr, terminal);
}
