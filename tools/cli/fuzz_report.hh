// The summary at the end of a fuzz campaign (`kraftsim fuzz`) or of merged results files
// (`kraftsim merge`): seeds run, passes, failures by class with their first seeds, the files
// written for the failures, wall time and rates, and the campaign's exit code.
//
//   summary: 200 seeds, 197 passed, 3 failed
//     safety:SingleLeader: 1 seed (17)
//     liveness:active_controller: 2 seeds (42, 99)
//   files written: 6 (fuzz-failures/seed-17.json, fuzz-failures/seed-17.shrunk.json, ...)
//   wall time: 61.2 s, 3.27 seeds/s, 196.1 seeds/min, 2 jobs
// or, when nothing failed, "summary: no failures in 200 seeds".
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace kraftsim::cli {

// How the wall time of the summary was measured.
struct CampaignTiming {
  double wall_ms = 0;
  // false: the campaign's elapsed time (fuzz); true: the sum of the seeds' wall_ms (merge), so
  // the rates are per worker and count only the seeds whose line has a wall_ms.
  bool summed = false;
  std::optional<unsigned> jobs;  // worker processes (fuzz)
};

class FuzzReport {
 public:
  // Seeds listed per class, files listed.
  static constexpr std::size_t kListed = 10;

  // `files_label` starts the files line: "files written" (fuzz), "reproduction files" (merge).
  explicit FuzzReport(std::string files_label = "files written");

  // Counts one results line (results_file.hh: "seed", "outcome", and "reproduction", "shrunk",
  // "wall_ms" when present). Lines are added in seed order, so the seeds listed are the lowest.
  void add(const nlohmann::json& line);

  [[nodiscard]] std::uint64_t seeds() const { return seeds_; }
  [[nodiscard]] std::uint64_t passes() const { return passes_; }
  [[nodiscard]] std::uint64_t failures() const { return seeds_ - passes_; }
  // The exit code of the worst class seen (outcome_class.hh); 0 when every seed passed.
  [[nodiscard]] int exit_code() const;
  // The sum of the lines' wall_ms, or nullopt when no line had one.
  [[nodiscard]] std::optional<double> wall_ms_sum() const { return wall_ms_sum_; }

  // Writes the summary (timing: the wall-time line, none when nullopt).
  void print(std::ostream& out, const std::optional<CampaignTiming>& timing) const;

 private:
  struct ClassSeeds {
    std::uint64_t count = 0;
    std::vector<std::uint64_t> first;  // up to kListed seeds, ascending
  };
  std::string files_label_;
  std::uint64_t seeds_ = 0;
  std::uint64_t passes_ = 0;
  std::map<std::string, ClassSeeds> classes_;  // failing classes only
  std::string worst_;                          // the worst class seen ("pass" when none failed)
  std::vector<std::string> files_;             // up to kListed
  std::size_t file_count_ = 0;
  std::optional<double> wall_ms_sum_;
  std::uint64_t timed_seeds_ = 0;  // lines with a wall_ms
};

}  // namespace kraftsim::cli
