// Striped, rack-aware replica placement (Kafka: metadata.placement.StripedReplicaPlacer).
#include "raft/controller/replica_placer.hh"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "raft/common/assert.hh"

namespace raft::controller {
namespace {

using RackName = std::optional<std::string>;

std::size_t random_index(Random& random, std::size_t bound) {
  return static_cast<std::size_t>(random.next_int(static_cast<std::int64_t>(bound)));
}

// Fisher-Yates from the back, drawing like java.util.Collections.shuffle(list, random).
template <typename T>
void shuffle(std::vector<T>& items, Random& random) {
  for (std::size_t i = items.size(); i > 1; --i) {
    std::swap(items[i - 1], items[random_index(random, i)]);
  }
}

// A sorted list of brokers handed out round-robin from a moving offset (Kafka: BrokerList).
// Each placement is a new round: the first call of a round restarts the count and moves the
// offset by one, so successive partitions start one broker further.
class BrokerCycle {
 public:
  void add(std::int32_t id) { brokers_.push_back(id); }
  [[nodiscard]] std::size_t size() const { return brokers_.size(); }

  // Sorts the brokers and draws the start offset (no draw when empty).
  void initialize(Random& random) {
    std::sort(brokers_.begin(), brokers_.end());
    if (!brokers_.empty()) offset_ = random_index(random, brokers_.size());
  }
  void shuffle_brokers(Random& random) { shuffle(brokers_, random); }

  // The next broker of `round`, or nullopt when every broker was handed out in this round.
  std::optional<std::int32_t> next(std::uint64_t round) {
    if (brokers_.empty()) return std::nullopt;
    if (round != round_) {
      round_ = round;
      taken_ = 0;
      offset_ = (offset_ + 1) % brokers_.size();
    }
    if (taken_ >= brokers_.size()) return std::nullopt;
    const std::int32_t broker = brokers_[(taken_ + offset_) % brokers_.size()];
    ++taken_;
    return broker;
  }

 private:
  std::vector<std::int32_t> brokers_;
  std::size_t taken_ = 0;   // brokers handed out in the current round
  std::size_t offset_ = 0;  // index (mod size) of the first broker of the round
  std::uint64_t round_ = 0;
};

// The brokers of one rack (Kafka: Rack): unfenced ones are always handed out before fenced ones.
struct Rack {
  BrokerCycle unfenced;
  BrokerCycle fenced;

  std::optional<std::int32_t> next_unfenced(std::uint64_t round) { return unfenced.next(round); }
  std::optional<std::int32_t> next_any(std::uint64_t round) {
    if (auto broker = unfenced.next(round)) return broker;
    return fenced.next(round);
  }
};

// All racks, visited round-robin from a moving offset (Kafka: RackList).
class RackRing {
 public:
  RackRing(const std::vector<UsableBroker>& brokers, Random& random) : random_(random) {
    for (const UsableBroker& broker : brokers) {
      Rack& rack = racks_[broker.rack];
      if (broker.fenced) {
        rack.fenced.add(broker.id);
      } else {
        rack.unfenced.add(broker.id);
        ++unfenced_count_;
      }
    }
    for (auto& [name, rack] : racks_) {
      rack.fenced.initialize(random_);
      rack.unfenced.initialize(random_);
      names_.push_back(name);  // sorted: the no-rack group first, then by name
    }
    if (!names_.empty()) offset_ = random_index(random_, names_.size());
  }

  [[nodiscard]] std::size_t unfenced_count() const { return unfenced_count_; }

  // The replicas of the next partition. Precondition: 1 <= replication_factor <= brokers and
  // at least one unfenced broker (checked by place_replicas).
  std::vector<std::int32_t> place(std::size_t replication_factor) {
    if (rounds_since_shuffle_ == unfenced_count_ && unfenced_count_ > 1) {
      shuffle_all();
      rounds_since_shuffle_ = 0;
    }
    if (offset_ == names_.size()) offset_ = 0;
    std::vector<std::int32_t> replicas;
    replicas.reserve(replication_factor);
    const std::size_t leader_rack = place_leader(replicas);
    place_followers(leader_rack, replication_factor, replicas);
    ++rounds_since_shuffle_;
    ++round_;
    ++offset_;
    return replicas;
  }

 private:
  Rack& rack_at(std::size_t index) { return racks_.at(names_[index]); }
  std::size_t following(std::size_t index) const { return (index + 1) % names_.size(); }

  // The leader: the first unfenced broker found from the rack offset on. Returns its rack index.
  std::size_t place_leader(std::vector<std::int32_t>& replicas) {
    std::size_t index = offset_;
    for (std::size_t visited = 0; visited < names_.size(); ++visited) {
      if (auto broker = rack_at(index).next_unfenced(round_)) {
        replicas.push_back(*broker);
        return index;
      }
      index = following(index);
    }
    KR_UNREACHABLE("replica placement found no unfenced broker");
    return 0;
  }

  // Followers: racks round-robin from the rack offset, skipping the leader's rack on the first
  // pass, taking each rack's next broker (unfenced first).
  void place_followers(std::size_t leader_rack, std::size_t replication_factor,
                       std::vector<std::int32_t>& replicas) {
    std::size_t index = offset_;
    bool skip_leader_rack = true;
    // Every pass over the racks yields at least one broker while enough remain.
    const std::size_t max_steps = names_.size() * (replication_factor + 1);
    std::size_t steps = 0;
    while (replicas.size() < replication_factor) {
      KR_ASSERT(steps++ < max_steps, "replica placement ran out of brokers");
      std::optional<std::int32_t> broker;
      if (skip_leader_rack && index == leader_rack) {
        skip_leader_rack = false;
      } else {
        broker = rack_at(index).next_any(round_);
      }
      index = following(index);
      if (broker) replicas.push_back(*broker);
    }
  }

  void shuffle_all() {
    shuffle(names_, random_);
    for (auto& [name, rack] : racks_) {
      rack.fenced.shuffle_brokers(random_);
      rack.unfenced.shuffle_brokers(random_);
    }
  }

  Random& random_;
  std::map<RackName, Rack> racks_;
  std::vector<RackName> names_;  // visiting order of the racks
  std::size_t unfenced_count_ = 0;
  // Rounds (partitions) since the last shuffle (Kafka's RackList.epoch).
  std::size_t rounds_since_shuffle_ = 0;
  // Number of the current placement (0 for the first, like Kafka, so the first partition uses
  // the drawn offsets as they are). Kafka reuses the epoch above, which repeats after a shuffle;
  // a never-repeating number makes every broker list start afresh for each partition.
  std::uint64_t round_ = 0;
  std::size_t offset_ = 0;  // index in names_ of the first rack of the next partition
};

void check_distinct(const std::vector<UsableBroker>& brokers) {
  std::set<std::int32_t> ids;
  for (const UsableBroker& broker : brokers) {
    KR_ASSERT(ids.insert(broker.id).second, "broker " << broker.id << " listed twice");
  }
}

}  // namespace

PlacementResult place_replicas(std::int32_t num_partitions, std::int32_t replication_factor,
                               const std::vector<UsableBroker>& brokers, Random& random) {
  KR_ASSERT(num_partitions >= 0, "num_partitions=" << num_partitions);
  check_distinct(brokers);
  // Like Kafka, the racks draw their random offsets before the checks.
  RackRing ring(brokers, random);
  PlacementResult result;
  if (replication_factor < 1) {
    result.error = "Invalid replication factor " + std::to_string(replication_factor) +
                   ": the replication factor must be positive.";
    return result;
  }
  if (ring.unfenced_count() == 0) {
    result.error = "All brokers are currently fenced.";
    return result;
  }
  const auto rf = static_cast<std::size_t>(replication_factor);
  if (rf > brokers.size()) {
    result.error = "The target replication factor of " + std::to_string(replication_factor) +
                   " cannot be reached because only " + std::to_string(brokers.size()) +
                   " broker(s) are registered.";
    return result;
  }
  result.assignments.reserve(static_cast<std::size_t>(num_partitions));
  for (std::int32_t p = 0; p < num_partitions; ++p) result.assignments.push_back(ring.place(rf));
  return result;
}

}  // namespace raft::controller
