// CommittedDataDurable (ours; the Durability property of Vanlightly's KRaft TLA+ specs): every
// record ever committed is still on the disk of at least one voter (in its durable log, whose
// prefix may be a snapshot), unless the scenario wiped the disks of a majority of the voters.
// A committed record that no voter holds can never be recovered: it was lost.
#pragma once

#include <map>

#include "sim/checkers/committed_log.hh"
#include "sim/checkers/invariant.hh"

namespace sim {

class CommittedDataDurable : public Invariant {
 public:
  explicit CommittedDataDurable(const CommittedLog& committed) : committed_(committed) {}
  [[nodiscard]] std::string_view name() const override { return "CommittedDataDurable"; }
  std::optional<Violation> check(const CheckContext& ctx) override;

 private:
  const CommittedLog& committed_;
};

}  // namespace sim
