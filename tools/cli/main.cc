// kraftsim: a deterministic simulator of an Apache Kafka KRaft cluster. See cli.hh.
#include <iostream>

#include "tools/cli/cli.hh"

int main(int argc, char** argv) {
  return kraftsim::cli::main(argc, argv, std::cout, std::cerr);
}
