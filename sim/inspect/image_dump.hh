// A node's metadata image (kraftsim inspect --image): the offset and epoch it was built up to,
// the brokers (id, epoch, fenced, in controlled shutdown, rack), and the topics with their
// partitions (leader, leader epoch, partition epoch, replicas, ISR). A controller's image and a
// broker's image built up to the same offset print the same text below the header line (the test
// of issue 8 compares them).
#pragma once

#include <optional>
#include <string>

#include "raft/common/ids.hh"
#include "sim/simulation.hh"

namespace sim::inspect {

// The header line ("node 3 (broker), image at offset 157 (epoch 2)") then the image; nullopt if
// the node runs no metadata state machine or is down.
std::optional<std::string> describe_image(const Simulation& sim, raft::NodeId id);

// The same image text without the header line (for comparing two nodes).
std::optional<std::string> image_body(const Simulation& sim, raft::NodeId id);

// The offset of the node's image (-1 if none).
std::int64_t image_offset(const Simulation& sim, raft::NodeId id);

}  // namespace sim::inspect
