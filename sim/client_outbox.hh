// The NetworkChannel of a simulated client (the admin client): what it sends waits here until the
// Simulation routes it through the network after the call that sent it.
#pragma once

#include <vector>

#include "raft/io.hh"
#include "raft/messages.hh"

namespace sim {

class ClientOutbox : public raft::NetworkChannel {
 public:
  void send(raft::Message message) override { outbox_.push_back(std::move(message)); }
  std::vector<raft::Message> take() {
    std::vector<raft::Message> out = std::move(outbox_);
    outbox_.clear();
    return out;
  }

 private:
  std::vector<raft::Message> outbox_;
};

}  // namespace sim
