// Where `kraftsim compare` places its nodes: round-robin over three racks (availability zones),
// the usual way to spread a KRaft quorum. Voter i (node id i) is in rack i % 3; broker j (the
// j-th broker, node id voters + j) in rack j % 3. So a rack holds one voter of three, and two or
// one of five: a rack failure takes out the same fraction of every quorum, rounded by placement.
#pragma once

#include <string>
#include <vector>

namespace sim::compare {

inline constexpr int kRacks = 3;

// The rack of voter `voter` (0-based, = its node id) and of the `index`-th broker (0-based).
inline int voter_rack(int voter) { return voter % kRacks; }
inline int broker_rack(int index) { return index % kRacks; }

// The name of a rack as broker.rack reads: "rack-a", "rack-b", "rack-c".
inline std::string rack_name(int rack) { return std::string("rack-") + static_cast<char>('a' + rack); }

// The node ids in `rack` of a cluster of `voters` voters (ids 0..voters-1) and `brokers` brokers
// (ids voters..voters+brokers-1), ascending.
inline std::vector<int> rack_node_ids(int rack, int voters, int brokers) {
  std::vector<int> ids;
  for (int v = 0; v < voters; ++v) {
    if (voter_rack(v) == rack) ids.push_back(v);
  }
  for (int b = 0; b < brokers; ++b) {
    if (broker_rack(b) == rack) ids.push_back(voters + b);
  }
  return ids;
}

// The voters in `rack` (a subset of rack_node_ids).
inline int voters_in_rack(int rack, int voters) {
  int n = 0;
  for (int v = 0; v < voters; ++v) n += voter_rack(v) == rack ? 1 : 0;
  return n;
}

}  // namespace sim::compare
