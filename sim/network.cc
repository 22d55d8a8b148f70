// Routing decisions of the simulated network: fault checks, loss, duplication and latency draws.
// See network.hh for the contract with the world.
#include "sim/network.hh"

#include <algorithm>
#include <sstream>

#include "raft/common/assert.hh"

namespace sim {

namespace {

void check_latency_spec(const LatencySpec& spec) {
  KR_ASSERT(spec.min >= Duration::zero(), "latency min is negative: " << spec.min.us() << " us");
  if (spec.distribution != LatencySpec::Distribution::Constant) {
    KR_ASSERT(spec.min <= spec.max,
              "latency min " << spec.min.us() << " us above max " << spec.max.us() << " us");
  }
  if (spec.distribution == LatencySpec::Distribution::Exponential) {
    KR_ASSERT(spec.mean >= Duration::zero(), "latency mean is negative: " << spec.mean.us());
  }
}

// "{0,1,2}"
std::string format_group(const std::vector<raft::NodeId>& nodes) {
  std::ostringstream os;
  os << "{";
  for (std::size_t i = 0; i < nodes.size(); ++i) os << (i == 0 ? "" : ",") << nodes[i];
  os << "}";
  return os.str();
}

}  // namespace

Network::Network(NetworkSpec spec, Prng rng)
    : default_link_(spec.default_link),
      controllers_(spec.controllers),
      node_count_(spec.node_count),
      rng_(rng) {
  check_latency_spec(default_link_.latency);
  for (const ClassOverride& c : spec.classes) {
    check_latency_spec(c.spec.latency);
    const bool inserted = class_overrides_.emplace(std::make_pair(c.from, c.to), c.spec).second;
    KR_ASSERT(inserted, "two class overrides for the same pair of node classes");
  }
  for (const LinkOverride& o : spec.links) {
    check_latency_spec(o.spec.latency);
    overrides_[Link{o.from, o.to}] = o.spec;  // a later entry replaces an earlier one
  }
}

NodeClass Network::class_of(raft::NodeId id) const {
  if (id.value() >= 0 && id.value() < controllers_) return NodeClass::Controller;
  if (id.value() >= controllers_ && id.value() < node_count_) return NodeClass::Broker;
  return NodeClass::Client;
}

const LinkSpec& Network::configured_link_spec(raft::NodeId from, raft::NodeId to) const {
  if (auto it = overrides_.find(Link{from, to}); it != overrides_.end()) return it->second;
  auto c = class_overrides_.find(std::make_pair(class_of(from), class_of(to)));
  return c == class_overrides_.end() ? default_link_ : c->second;
}

const LinkSpec& Network::link_spec(raft::NodeId from, raft::NodeId to) const {
  auto it = runtime_.find(Link{from, to});
  return it == runtime_.end() ? configured_link_spec(from, to) : it->second;
}

void Network::set_link(raft::NodeId from, raft::NodeId to, const LinkSpec& spec) {
  KR_ASSERT(from != to, "set_link: link from node " << from << " to itself");
  check_latency_spec(spec.latency);
  runtime_[Link{from, to}] = spec;
}

void Network::restore_link(raft::NodeId from, raft::NodeId to) { runtime_.erase(Link{from, to}); }

Duration Network::draw_latency(const LatencySpec& spec) {
  switch (spec.distribution) {
    case LatencySpec::Distribution::Constant:
      return spec.min;
    case LatencySpec::Distribution::Uniform:
      return Duration::micros(rng_.uniform(spec.min.us(), spec.max.us()));
    case LatencySpec::Distribution::Exponential: {
      const Duration extra = rng_.exponential(spec.mean);
      // Compare the extra part against the room left so the sum cannot overflow.
      if (extra >= spec.max - spec.min) return spec.max;
      return spec.min + extra;
    }
  }
  KR_UNREACHABLE("unknown latency distribution " << static_cast<int>(spec.distribution));
  return spec.min;
}

std::vector<Delivery> Network::route(const raft::Message& m, Instant now) {
  ++stats_.sent;
  std::vector<Delivery> out;
  if (!link_up(m.source, m.destination)) {
    ++stats_.cut;
    return out;
  }
  const LinkSpec& link = link_spec(m.source, m.destination);
  // Both trials are always drawn so that the stream advances the same way whatever the outcome.
  const bool lost = rng_.chance(link.loss);
  const bool duplicated = rng_.chance(link.duplicate);
  if (lost) {
    ++stats_.lost;
    return out;
  }
  out.push_back(Delivery{now + draw_latency(link.latency), m});
  if (duplicated) {
    out.push_back(Delivery{now + draw_latency(link.latency), m});
    ++stats_.duplicated;
  }
  stats_.delivered += out.size();
  return out;
}

bool Network::link_up(raft::NodeId from, raft::NodeId to) const {
  KR_ASSERT(from != to, "link_up from node " << from << " to itself");
  if (isolated_.contains(from) || isolated_.contains(to)) return false;
  const auto gf = group_of_.find(from);
  const auto gt = group_of_.find(to);
  if (gf != group_of_.end() && gt != group_of_.end() && gf->second != gt->second) return false;
  return !dropped_.contains(Link{from, to});
}

void Network::isolate(raft::NodeId node) { isolated_.insert(node); }

void Network::partition(const std::vector<std::vector<raft::NodeId>>& groups) {
  std::vector<std::vector<raft::NodeId>> new_groups;
  std::map<raft::NodeId, std::size_t> new_group_of;
  for (const auto& group : groups) {
    const std::size_t index = new_groups.size();
    std::vector<raft::NodeId> sorted = group;
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    for (raft::NodeId n : sorted) {
      const bool inserted = new_group_of.emplace(n, index).second;
      KR_ASSERT(inserted, "partition: node " << n << " is in more than one group");
    }
    new_groups.push_back(std::move(sorted));
  }
  groups_ = std::move(new_groups);
  group_of_ = std::move(new_group_of);
}

void Network::drop(raft::NodeId from, raft::NodeId to) {
  KR_ASSERT(from != to, "drop: link from node " << from << " to itself");
  dropped_.insert(Link{from, to});
}

void Network::heal() {
  isolated_.clear();
  groups_.clear();
  group_of_.clear();
  dropped_.clear();
}

std::string Network::describe_faults() const {
  std::vector<std::string> parts;
  if (!isolated_.empty()) {
    parts.push_back("isolated " +
                    format_group(std::vector<raft::NodeId>(isolated_.begin(), isolated_.end())));
  }
  if (!groups_.empty()) {
    std::string p = "partition ";
    for (std::size_t i = 0; i < groups_.size(); ++i) p += (i == 0 ? "" : "|") + format_group(groups_[i]);
    parts.push_back(std::move(p));
  }
  if (!dropped_.empty()) {
    std::ostringstream os;
    os << "drop ";
    bool first = true;
    for (const auto& [from, to] : dropped_) {
      os << (first ? "" : ", ") << from << "->" << to;
      first = false;
    }
    parts.push_back(os.str());
  }
  if (parts.empty()) return "none";
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i == 0 ? "" : "; ") + parts[i];
  return out;
}

}  // namespace sim
