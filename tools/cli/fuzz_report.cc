// The fuzz campaign summary (fuzz_report.hh).
#include "tools/cli/fuzz_report.hh"

#include <algorithm>
#include <cstdio>

#include "tools/cli/outcome_class.hh"

namespace kraftsim::cli {

namespace {

std::string fixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

std::string plural(std::uint64_t n, const std::string& noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

}  // namespace

FuzzReport::FuzzReport(std::string files_label) : files_label_(std::move(files_label)), worst_("pass") {}

void FuzzReport::add(const nlohmann::json& line) {
  ++seeds_;
  const std::string outcome = line.value("outcome", std::string("error"));
  if (outcome == "pass") {
    ++passes_;
  } else {
    ClassSeeds& c = classes_[outcome];
    ++c.count;
    if (c.first.size() < kListed) c.first.push_back(line.value("seed", std::uint64_t{0}));
    if (outcome_severity(outcome) > outcome_severity(worst_)) worst_ = outcome;
  }
  for (const char* field : {"reproduction", "shrunk"}) {
    const auto it = line.find(field);
    if (it == line.end() || !it->is_string()) continue;
    ++file_count_;
    if (files_.size() < kListed) files_.push_back(it->get<std::string>());
  }
  const auto wall = line.find("wall_ms");
  if (wall != line.end() && wall->is_number()) {
    wall_ms_sum_ = wall_ms_sum_.value_or(0.0) + wall->get<double>();
    ++timed_seeds_;
  }
}

int FuzzReport::exit_code() const { return outcome_exit_code(worst_); }

void FuzzReport::print(std::ostream& out, const std::optional<CampaignTiming>& timing) const {
  if (failures() == 0) {
    out << "summary: no failures in " << plural(seeds_, "seed") << "\n";
  } else {
    out << "summary: " << plural(seeds_, "seed") << ", " << passes_ << " passed, " << failures()
        << " failed\n";
    // Worst class first, then by name.
    std::vector<const std::pair<const std::string, ClassSeeds>*> order;
    for (const auto& entry : classes_) order.push_back(&entry);
    std::stable_sort(order.begin(), order.end(), [](const auto* a, const auto* b) {
      return outcome_severity(a->first) > outcome_severity(b->first);
    });
    for (const auto* entry : order) {
      const ClassSeeds& c = entry->second;
      out << "  " << entry->first << ": " << plural(c.count, "seed") << " (";
      for (std::size_t i = 0; i < c.first.size(); ++i) out << (i ? ", " : "") << c.first[i];
      if (c.count > c.first.size()) out << ", ...";
      out << ")\n";
    }
  }
  if (file_count_ > 0) {
    out << files_label_ << ": " << file_count_ << " (";
    for (std::size_t i = 0; i < files_.size(); ++i) out << (i ? ", " : "") << files_[i];
    if (file_count_ > files_.size()) out << ", ...";
    out << ")\n";
  }
  if (!timing) return;
  const double seconds = timing->wall_ms / 1000.0;
  out << "wall time: " << fixed(seconds, 1) << " s";
  if (timing->summed) out << " (the sum of the seeds' wall_ms)";
  if (seconds > 0) {
    const double per_second = static_cast<double>(timing->summed ? timed_seeds_ : seeds_) / seconds;
    out << ", " << fixed(per_second, 2) << " seeds/s, " << fixed(per_second * 60.0, 1)
        << " seeds/min";
    if (timing->summed) out << " per worker";
  }
  if (timing->jobs) out << ", " << plural(*timing->jobs, "job");
  out << "\n";
}

}  // namespace kraftsim::cli
