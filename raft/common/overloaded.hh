// Overloaded{lambda...}: builds one visitor for std::visit out of several lambdas.
#pragma once

namespace raft {

template <typename... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <typename... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

}  // namespace raft
