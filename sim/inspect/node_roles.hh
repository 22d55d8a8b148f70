// How kraftsim inspect names a node's roles in its headers: "controller", "broker",
// "broker,controller" (Kafka's process.roles) for the metadata layer, "voter" / "observer" for
// the replicated counter.
#pragma once

#include <string>

#include "sim/node_host.hh"

namespace sim::inspect {

inline std::string node_roles(const NodeHost& node) {
  const NodeProcessSpec& p = node.process();
  if (p.kind == StateMachineKind::Counter) return node.is_voter() ? "voter" : "observer";
  if (p.broker && p.controller) return "broker,controller";
  return p.controller ? "controller" : "broker";
}

}  // namespace sim::inspect
