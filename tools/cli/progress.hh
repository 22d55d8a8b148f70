// The progress display of `kraftsim fuzz` on stderr (--progress auto|bar|lines|none).
//
//   bar    one line redrawn in place (at most every kRedrawMs), for a terminal:
//            [#####.....] 412/1000 seeds  38.2 seeds/s  ETA 0:15  pass 410  fail 2 (safety 1, liveness 1)
//          Lines written to stdout meanwhile go through clear() and restore(), so the bar never
//          mixes with them.
//   lines  a plain line every kLineEveryMs of wall time or every 10% of the seeds, for logs:
//            progress: 412/1000 seeds (41%), 38.2 seeds/s, ETA 0:15, pass 410, fail 2 (safety 1, liveness 1)
//   none   nothing.
//   auto   (the default) bar when stderr is a terminal, else lines.
//
// Time comes in as milliseconds of a monotonic clock read by the caller (tests pass their own).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

namespace kraftsim::cli {

enum class ProgressMode { Auto, Bar, Lines, None };

// "auto", "bar", "lines", "none".
std::optional<ProgressMode> progress_mode_from_string(std::string_view name);

// Auto becomes Bar on a terminal, Lines elsewhere; the other modes stay.
ProgressMode resolve(ProgressMode mode, bool stderr_is_tty);

// "0:15", "12:03", "1:02:03" (h:mm:ss from an hour on).
std::string format_eta(std::int64_t seconds);

class Progress {
 public:
  static constexpr std::int64_t kRedrawMs = 100;        // the bar: at most 10 redraws a second
  static constexpr std::int64_t kLineEveryMs = 10'000;  // lines: at least this often while running

  // `mode` is resolved (not Auto); `total` seeds will be reported; `width`: terminal columns.
  Progress(ProgressMode mode, std::uint64_t total, int width, std::ostream& err,
           std::int64_t start_ms);

  // One more seed finished with class `outcome` (sim/fuzz/outcome.hh).
  void seed_done(std::string_view outcome, std::int64_t now_ms);
  // Called regularly (every kRedrawMs or so) while waiting: redraws the bar, or writes a line
  // when kLineEveryMs passed since the last one.
  void tick(std::int64_t now_ms);
  // Erases the bar before a line is written to stdout.
  void clear();
  // Draws the bar again after that line (now, or at the next tick if it was drawn too recently).
  void restore(std::int64_t now_ms);
  // Erases the bar for good (before the summary).
  void finish();

  // "412/1000 seeds  38.2 seeds/s  ETA 0:15  pass 410  fail 2 (safety 1, liveness 1)"
  [[nodiscard]] std::string status(std::int64_t now_ms) const;
  // "[#####.....] " + status, fitted to the width.
  [[nodiscard]] std::string bar_line(std::int64_t now_ms) const;
  // "progress: 412/1000 seeds (41%), 38.2 seeds/s, ETA 0:15, pass 410, fail 2 (...)"
  [[nodiscard]] std::string plain_line(std::int64_t now_ms) const;

 private:
  void draw(std::int64_t now_ms);
  void write_line(std::int64_t now_ms);
  [[nodiscard]] std::string rate(std::int64_t now_ms) const;
  [[nodiscard]] std::string eta(std::int64_t now_ms) const;
  [[nodiscard]] std::string failures() const;

  ProgressMode mode_;
  std::uint64_t total_;
  int width_;
  std::ostream& err_;
  std::int64_t start_ms_;
  std::uint64_t done_ = 0;
  std::uint64_t passed_ = 0;
  // Failures per family: safety, liveness, events_max, error.
  std::array<std::uint64_t, 4> failed_{};
  bool shown_ = false;   // the bar is on screen
  bool dirty_ = false;   // the bar on screen (or erased) is out of date
  std::optional<std::int64_t> last_draw_ms_;
  std::int64_t last_line_ms_;
  std::uint64_t last_decile_ = 0;  // lines: the last 10% step reported
};

}  // namespace kraftsim::cli
