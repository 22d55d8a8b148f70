// The fuzz progress display (progress.hh).
#include "tools/cli/progress.hh"

#include <algorithm>
#include <cstdio>

#include "tools/cli/outcome_class.hh"

namespace kraftsim::cli {

namespace {

constexpr std::array<std::string_view, 4> kFamilies = {"safety", "liveness", "events_max", "error"};
constexpr int kMinBarCells = 10;
constexpr int kMaxBarCells = 40;

std::string two_digits(std::int64_t n) { return (n < 10 ? "0" : "") + std::to_string(n); }

}  // namespace

std::optional<ProgressMode> progress_mode_from_string(std::string_view name) {
  if (name == "auto") return ProgressMode::Auto;
  if (name == "bar") return ProgressMode::Bar;
  if (name == "lines") return ProgressMode::Lines;
  if (name == "none") return ProgressMode::None;
  return std::nullopt;
}

ProgressMode resolve(ProgressMode mode, bool stderr_is_tty) {
  if (mode != ProgressMode::Auto) return mode;
  return stderr_is_tty ? ProgressMode::Bar : ProgressMode::Lines;
}

std::string format_eta(std::int64_t seconds) {
  seconds = std::max<std::int64_t>(seconds, 0);
  const std::int64_t h = seconds / 3600;
  const std::int64_t m = seconds / 60 % 60;
  const std::int64_t s = seconds % 60;
  if (h > 0) return std::to_string(h) + ":" + two_digits(m) + ":" + two_digits(s);
  return std::to_string(m) + ":" + two_digits(s);
}

Progress::Progress(ProgressMode mode, std::uint64_t total, int width, std::ostream& err,
                   std::int64_t start_ms)
    : mode_(mode), total_(total), width_(width), err_(err), start_ms_(start_ms),
      last_line_ms_(start_ms) {}

void Progress::seed_done(std::string_view outcome, std::int64_t now_ms) {
  ++done_;
  const std::string_view family = outcome_family(outcome);
  if (family == "pass") {
    ++passed_;
  } else {
    const auto it = std::find(kFamilies.begin(), kFamilies.end(), family);
    ++failed_[static_cast<std::size_t>(it - kFamilies.begin())];
  }
  if (mode_ == ProgressMode::Bar) {
    dirty_ = true;
    tick(now_ms);
  } else if (mode_ == ProgressMode::Lines && total_ > 0) {
    const std::uint64_t decile = done_ * 10 / total_;
    if (decile > last_decile_) {
      last_decile_ = decile;
      write_line(now_ms);
    }
  }
}

void Progress::tick(std::int64_t now_ms) {
  if (mode_ == ProgressMode::Bar) {
    if (last_draw_ms_ && now_ms - *last_draw_ms_ < kRedrawMs) return;
    // Redraw when something changed, and every second for the rate and the ETA.
    if (dirty_ || !shown_ || !last_draw_ms_ || now_ms - *last_draw_ms_ >= 1000) draw(now_ms);
  } else if (mode_ == ProgressMode::Lines) {
    if (now_ms - last_line_ms_ >= kLineEveryMs) write_line(now_ms);
  }
}

void Progress::clear() {
  if (mode_ != ProgressMode::Bar || !shown_) return;
  err_ << "\r\033[K" << std::flush;
  shown_ = false;
}

void Progress::restore(std::int64_t now_ms) {
  if (mode_ != ProgressMode::Bar) return;
  dirty_ = true;
  tick(now_ms);
}

void Progress::finish() {
  clear();
  mode_ = ProgressMode::None;
}

void Progress::draw(std::int64_t now_ms) {
  err_ << "\r\033[K" << bar_line(now_ms) << std::flush;
  shown_ = true;
  dirty_ = false;
  last_draw_ms_ = now_ms;
}

void Progress::write_line(std::int64_t now_ms) {
  err_ << plain_line(now_ms) << "\n" << std::flush;
  last_line_ms_ = now_ms;
}

std::string Progress::rate(std::int64_t now_ms) const {
  const std::int64_t elapsed = std::max<std::int64_t>(now_ms - start_ms_, 1);
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", static_cast<double>(done_) * 1000.0 / static_cast<double>(elapsed));
  return buffer;
}

std::string Progress::eta(std::int64_t now_ms) const {
  if (done_ >= total_) return format_eta(0);
  if (done_ == 0) return "-";
  const double elapsed_s = static_cast<double>(now_ms - start_ms_) / 1000.0;
  const double remaining = static_cast<double>(total_ - done_) * elapsed_s / static_cast<double>(done_);
  return format_eta(static_cast<std::int64_t>(remaining + 0.5));
}

std::string Progress::failures() const {
  std::uint64_t all = 0;
  for (std::uint64_t n : failed_) all += n;
  std::string out = "fail " + std::to_string(all);
  std::string parts;
  for (std::size_t i = 0; i < kFamilies.size(); ++i) {
    if (failed_[i] == 0) continue;
    if (!parts.empty()) parts += ", ";
    parts += std::string(kFamilies[i]) + " " + std::to_string(failed_[i]);
  }
  if (!parts.empty()) out += " (" + parts + ")";
  return out;
}

std::string Progress::status(std::int64_t now_ms) const {
  return std::to_string(done_) + "/" + std::to_string(total_) + " seeds  " + rate(now_ms) +
         " seeds/s  ETA " + eta(now_ms) + "  pass " + std::to_string(passed_) + "  " + failures();
}

std::string Progress::bar_line(std::int64_t now_ms) const {
  const std::string text = status(now_ms);
  const int room = width_ - 1 - static_cast<int>(text.size()) - 3;
  const int cells = std::clamp(room, kMinBarCells, kMaxBarCells);
  const std::uint64_t filled =
      total_ == 0 ? 0 : done_ * static_cast<std::uint64_t>(cells) / total_;
  std::string line = "[" + std::string(filled, '#') +
                     std::string(static_cast<std::size_t>(cells) - filled, '.') + "] " + text;
  const auto max_chars = static_cast<std::size_t>(std::max(width_ - 1, 1));
  if (line.size() > max_chars) line.resize(max_chars);
  return line;
}

std::string Progress::plain_line(std::int64_t now_ms) const {
  const std::uint64_t percent = total_ == 0 ? 100 : done_ * 100 / total_;
  return "progress: " + std::to_string(done_) + "/" + std::to_string(total_) + " seeds (" +
         std::to_string(percent) + "%), " + rate(now_ms) + " seeds/s, ETA " + eta(now_ms) +
         ", pass " + std::to_string(passed_) + ", " + failures();
}

}  // namespace kraftsim::cli
