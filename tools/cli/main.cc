// kraftsim command line (work in progress: the run command lands with the simulation world).
#include <iostream>

int main() {
  std::cerr << "kraftsim: not built yet\n";
  return 1;
}
