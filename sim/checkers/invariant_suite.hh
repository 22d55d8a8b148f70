// Every invariant of a run, checked in a fixed order after every event.
#pragma once

#include <memory>
#include <vector>

#include "sim/checkers/committed_log.hh"
#include "sim/checkers/invariant.hh"

namespace sim {

class InvariantSuite {
 public:
  InvariantSuite();
  // Runs every invariant; returns the first violation.
  std::optional<Violation> check(const CheckContext& ctx);
  [[nodiscard]] std::size_t size() const { return invariants_.size(); }
  [[nodiscard]] std::uint64_t checks_run() const { return checks_run_; }
  [[nodiscard]] const CommittedLog& committed() const { return committed_; }

 private:
  CommittedLog committed_;
  std::vector<std::unique_ptr<Invariant>> invariants_;
  std::uint64_t checks_run_ = 0;
};

}  // namespace sim
