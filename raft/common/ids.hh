// Strong identifier and counter types shared by raft/ and sim/.
//
// Kafka passes node ids, epochs and offsets around as bare ints and longs; here each is its own
// type so that an epoch can never be passed where an offset is expected. Kafka's sentinel -1
// ("none") is modelled with std::optional at API boundaries, never with a magic value.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <ostream>

namespace raft {

// A value of type Rep tagged with Tag. Comparable and printable; arithmetic only where a
// specific alias opts in below.
template <typename Tag, typename Rep>
class StrongInt {
 public:
  using rep = Rep;
  constexpr StrongInt() = default;
  constexpr explicit StrongInt(Rep v) : value_(v) {}
  [[nodiscard]] constexpr Rep value() const { return value_; }
  constexpr auto operator<=>(const StrongInt&) const = default;

 private:
  Rep value_{};
};

template <typename Tag, typename Rep>
std::ostream& operator<<(std::ostream& os, StrongInt<Tag, Rep> v) {
  return os << v.value();
}

struct NodeIdTag {};
struct EpochTag {};
struct OffsetTag {};
struct CorrelationIdTag {};

// node.id of a controller or broker. Kafka: int32, -1 = none.
using NodeId = StrongInt<NodeIdTag, std::int32_t>;

// Leader epoch (the Raft term). Kafka: int32, starts at 0, only grows.
using Epoch = StrongInt<EpochTag, std::int32_t>;

// Offset in the __cluster_metadata log. Kafka: int64. End offsets are exclusive.
using Offset = StrongInt<OffsetTag, std::int64_t>;

// Identifies one request so its response can be matched. Unique per sending node incarnation.
using CorrelationId = StrongInt<CorrelationIdTag, std::int64_t>;

// The next epoch (used only by Prospective -> Candidate, which increments by exactly one).
constexpr Epoch next_epoch(Epoch e) { return Epoch(e.value() + 1); }

// Offset arithmetic: an offset moved forward by a record count, and the distance between two.
constexpr Offset operator+(Offset o, std::int64_t n) { return Offset(o.value() + n); }
constexpr Offset operator-(Offset o, std::int64_t n) { return Offset(o.value() - n); }
constexpr std::int64_t operator-(Offset a, Offset b) { return a.value() - b.value(); }

// Kafka's OffsetAndEpoch: compared lexicographically, epoch first, then offset.
struct OffsetAndEpoch {
  Offset offset;
  Epoch epoch;
  constexpr auto operator<=>(const OffsetAndEpoch& o) const {
    if (auto c = epoch <=> o.epoch; c != 0) return c;
    return offset <=> o.offset;
  }
  constexpr bool operator==(const OffsetAndEpoch&) const = default;
};

inline std::ostream& operator<<(std::ostream& os, const OffsetAndEpoch& oe) {
  return os << "(offset=" << oe.offset << ", epoch=" << oe.epoch << ")";
}

}  // namespace raft

template <typename Tag, typename Rep>
struct std::hash<raft::StrongInt<Tag, Rep>> {
  std::size_t operator()(raft::StrongInt<Tag, Rep> v) const noexcept {
    return std::hash<Rep>{}(v.value());
  }
};
