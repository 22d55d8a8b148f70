// A memo that a state machine attaches to an immutable record batch or snapshot: its decoded
// form of the records, computed on first use and then shared by every node that holds the same
// batch or snapshot object (a batch exists once in memory however many nodes hold it, see
// record_batch.hh). Decoding is a pure function of the bytes, so sharing it changes nothing a
// node can observe; it saves decoding the same records once per node.
//
// Not content: the memo is left out of checksums and comparisons, and a copy of the holder
// starts with an empty memo (a copied batch may then be edited, e.g. by disk corruption, and
// must not keep the decoded form of the original).
//
// Kafka has no counterpart: each broker and controller decodes what it reads.
#pragma once

#include <memory>

namespace raft {

class DecodedMemo {
 public:
  DecodedMemo() = default;
  DecodedMemo(const DecodedMemo& /*other*/) {}
  DecodedMemo& operator=(const DecodedMemo& /*other*/) {
    value_.reset();
    return *this;
  }
  ~DecodedMemo() = default;

  // The decoded form stored by set(), or null. T must be the type set() stored: one state
  // machine owns the memo of its records (the metadata records' is metadata::ReplayRecords).
  template <typename T>
  [[nodiscard]] const T* get() const {
    return static_cast<const T*>(value_.get());
  }
  // Stores the decoded form (the holder is immutable; the memo is not part of its value).
  template <typename T>
  const T& set(std::shared_ptr<const T> decoded) const {
    const T& ref = *decoded;
    value_ = std::move(decoded);
    return ref;
  }

 private:
  mutable std::shared_ptr<const void> value_;
};

}  // namespace raft
