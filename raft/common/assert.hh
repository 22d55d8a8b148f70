// Always-on assertions that print the values involved.
//
// An assertion in raft/ is a protocol invariant (Kafka would throw IllegalStateException or
// KafkaException). A failing one throws AssertionFailure; the simulator catches it, stops the
// run and reports it as a safety violation together with the seed. Assertions never compile out.
//
//   KR_ASSERT(hw <= leo, "hw=" << hw << " leo=" << leo);
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>

namespace raft {

class AssertionFailure : public std::logic_error {
 public:
  AssertionFailure(std::string condition, std::string detail, const char* file, int line);
  [[nodiscard]] const std::string& condition() const { return condition_; }
  [[nodiscard]] const std::string& detail() const { return detail_; }
  [[nodiscard]] const std::string& location() const { return location_; }

 private:
  std::string condition_;
  std::string detail_;
  std::string location_;
};

[[noreturn]] void assertion_failed(const char* condition, const std::string& detail,
                                   const char* file, int line);

}  // namespace raft

#define KR_ASSERT(cond, detail_stream)                                              \
  do {                                                                              \
    if (!(cond)) {                                                                  \
      std::ostringstream kr_assert_os_;                                             \
      kr_assert_os_ << detail_stream;                                               \
      ::raft::assertion_failed(#cond, kr_assert_os_.str(), __FILE__, __LINE__);     \
    }                                                                               \
  } while (false)

// Marks code that must be unreachable if the protocol is implemented correctly.
#define KR_UNREACHABLE(detail_stream) KR_ASSERT(false, detail_stream)
