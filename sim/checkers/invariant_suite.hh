// Every invariant of a run, checked in a fixed order after every event.
#pragma once

#include <memory>
#include <vector>

#include "sim/checkers/committed_log.hh"
#include "sim/checkers/committed_metadata_model.hh"
#include "sim/checkers/invariant.hh"

namespace sim {

class InvariantSuite {
 public:
  // `metadata`: the nodes run the quorum controller and brokers, so the metadata invariants
  // (MetadataImagesAgree, CommittedMetadataModel) are checked too.
  explicit InvariantSuite(bool metadata = false);
  // Runs every invariant; returns the first violation.
  std::optional<Violation> check(const CheckContext& ctx);
  [[nodiscard]] std::size_t size() const { return invariants_.size(); }
  [[nodiscard]] std::uint64_t checks_run() const { return checks_run_; }
  [[nodiscard]] const CommittedLog& committed() const { return committed_; }
  // The reference replay of the committed metadata log (metadata runs only, else null).
  [[nodiscard]] const CommittedMetadataModel* metadata_model() const { return metadata_model_; }

 private:
  CommittedLog committed_;
  std::vector<std::unique_ptr<Invariant>> invariants_;
  std::uint64_t checks_run_ = 0;
  CommittedMetadataModel* metadata_model_ = nullptr;  // owned by invariants_
};

}  // namespace sim
