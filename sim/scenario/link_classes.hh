// The link classes of network.classes ("controller->broker", ...), as the scenario file names
// them, and the node classes each joins. Shared by the loader (sections.cc) and the writer
// (scenario_writer.cc).
#pragma once

#include <array>
#include <string_view>

#include "sim/scenario/scenario.hh"

namespace sim::scenario_detail {

struct LinkClassName {
  std::string_view name;
  NodeClass from;
  NodeClass to;
};

// In the order the format documents them.
inline constexpr std::array<LinkClassName, 6> kLinkClasses = {{
    {"controller->controller", NodeClass::Controller, NodeClass::Controller},
    {"controller->broker", NodeClass::Controller, NodeClass::Broker},
    {"broker->controller", NodeClass::Broker, NodeClass::Controller},
    {"broker->broker", NodeClass::Broker, NodeClass::Broker},
    {"client->controller", NodeClass::Client, NodeClass::Controller},
    {"controller->client", NodeClass::Controller, NodeClass::Client},
}};

}  // namespace sim::scenario_detail
