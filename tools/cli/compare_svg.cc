// The SVG chart of `kraftsim compare` (compare_svg.hh), 960 pixels wide:
//   title, settings and a shared legend (a colour per quorum size, the progress markers);
//   A | B   window availability against voters down at once | against racks down at once;
//   C | D   failover-time distribution per size (box p50-p90, whisker to p99, dashes to max) |
//           overall metadata availability per size (bars).
// Every coordinate is an integer number of pixels and every number is formatted here with integer
// arithmetic, so the output depends on nothing but the report (no locale, no floating point).
#include "tools/cli/compare_svg.hh"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "tools/cli/compare_format.hh"

namespace kraftsim::cli {

namespace {

using raft::Duration;
using sim::compare::CompareReport;
using sim::compare::Percentiles;
using sim::compare::SizeSummary;
using sim::compare::SweepCell;
using sim::compare::SweepKind;

constexpr int kWidth = 960;
constexpr std::int64_t kMillion = 1'000'000;

// One colour per quorum size, in settings order (Okabe-Ito, readable by colour-blind people).
constexpr std::array<const char*, 9> kPalette = {"#0072B2", "#D55E00", "#009E73",
                                                 "#CC79A7", "#E69F00", "#56B4E9",
                                                 "#000000", "#999999", "#8C564B"};

const char* colour(std::size_t i) { return kPalette[i % kPalette.size()]; }


// --- SVG elements ---

std::string escape_xml(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string n(std::int64_t v) { return std::to_string(v); }

struct TextStyle {
  int size = 12;
  const char* anchor = "start";  // start, middle, end
  bool bold = false;
  const char* fill = "#222222";
  bool vertical = false;  // rotated a quarter turn anticlockwise around (x, y)
};

void text(std::string& out, int x, int y, const std::string& content, const TextStyle& style) {
  out += "<text x=\"" + n(x) + "\" y=\"" + n(y) + "\" font-size=\"" + n(style.size) +
         "\" text-anchor=\"" + style.anchor + "\" fill=\"" + style.fill + "\"";
  if (style.bold) out += " font-weight=\"bold\"";
  if (style.vertical) out += " transform=\"rotate(-90 " + n(x) + " " + n(y) + ")\"";
  out += ">" + escape_xml(content) + "</text>\n";
}

void line(std::string& out, int x1, int y1, int x2, int y2, const char* stroke, int width,
          bool dashed = false) {
  out += "<line x1=\"" + n(x1) + "\" y1=\"" + n(y1) + "\" x2=\"" + n(x2) + "\" y2=\"" + n(y2) +
         "\" stroke=\"" + stroke + "\" stroke-width=\"" + n(width) + "\"";
  if (dashed) out += " stroke-dasharray=\"4 3\"";
  out += "/>\n";
}

void rect(std::string& out, int x, int y, int w, int h, const char* fill, const char* extra = "") {
  out += "<rect x=\"" + n(x) + "\" y=\"" + n(y) + "\" width=\"" + n(std::max(w, 0)) +
         "\" height=\"" + n(std::max(h, 0)) + "\" fill=\"" + fill + "\"" + extra + "/>\n";
}

// How a sweep cell ended: every seed kept committing, some did, none did.
enum class Progress { All, Some, None };

Progress progress_of(const SweepCell& c) {
  if (c.runs > 0 && c.progress_runs == c.runs) return Progress::All;
  return c.progress_runs == 0 ? Progress::None : Progress::Some;
}

// A point marker: a filled dot (progress), a hollow dot (some seeds stopped), a cross (stopped).
void marker(std::string& out, int x, int y, const char* stroke, Progress p) {
  switch (p) {
    case Progress::All:
      out += "<circle cx=\"" + n(x) + "\" cy=\"" + n(y) + "\" r=\"4\" fill=\"" + stroke + "\"/>\n";
      break;
    case Progress::Some:
      out += "<circle cx=\"" + n(x) + "\" cy=\"" + n(y) + "\" r=\"4\" fill=\"#ffffff\" stroke=\"" +
             stroke + "\" stroke-width=\"2\"/>\n";
      break;
    case Progress::None:
      out += "<path d=\"M" + n(x - 5) + " " + n(y - 5) + " L" + n(x + 5) + " " + n(y + 5) + " M" +
             n(x - 5) + " " + n(y + 5) + " L" + n(x + 5) + " " + n(y - 5) + "\" stroke=\"" +
             stroke + "\" stroke-width=\"2\" fill=\"none\"/>\n";
      break;
  }
}

// --- Header and legend ---

std::string sizes_text(const CompareReport& report) {
  std::string text;
  for (std::size_t i = 0; i < report.sizes.size(); ++i) {
    text += (i ? " vs " : "") + std::to_string(report.sizes[i].voters);
  }
  return text + " voters";
}

// Rough width of `s` at `size` px in a sans-serif font (for laying out the legend).
int text_width(const std::string& s, int size) {
  return static_cast<int>(s.size()) * size * 6 / 10;
}

// Draws the title, the settings line and the legend; returns the y below them.
int header(std::string& out, const CompareReport& report) {
  const auto& s = report.settings;
  text(out, 20, 28, "KRaft quorum sizes compared: " + sizes_text(report), {18, "start", true});
  std::size_t runs = 0;
  for (const SizeSummary& size : report.sizes) runs += size.runs;
  text(out, 20, 48,
       "Same fault schedules: seeds " + std::to_string(s.first_seed) + ".." +
           std::to_string(s.last_seed) + " from profile \"" + s.profile_name + "\", " +
           std::to_string(runs) + " runs. Sweep: " +
           plural(static_cast<std::int64_t>(s.sweep_seeds), "seed") + " per cell, crash at " +
           setting_text(s.sweep.fault_at_ms) + ", restart " +
           setting_text(s.sweep.hold_ms) + " later.",
       {12, "start", false, "#555555"});
  // Legend: the colours, then the markers, wrapped to another line when the width runs out.
  int x = 20;
  int y = 72;
  const auto place = [&](int width) {
    if (x > 20 && x + width > kWidth - 20) {
      x = 20;
      y += 20;
    }
  };
  for (std::size_t i = 0; i < report.sizes.size(); ++i) {
    const std::string label = plural(report.sizes[i].voters, "voter");
    place(30 + text_width(label, 12));
    line(out, x, y, x + 24, y, colour(i), 3);
    text(out, x + 30, y + 4, label, {12, "start", true, colour(i)});
    x += 30 + text_width(label, 12) + 24;
  }
  x += 12;
  const std::array<std::pair<Progress, const char*>, 3> markers = {
      std::pair{Progress::All, "kept committing (every seed)"},
      std::pair{Progress::Some, "stopped in some seeds"},
      std::pair{Progress::None, "stopped: no progress"}};
  for (const auto& [p, label] : markers) {
    place(16 + text_width(label, 12));
    marker(out, x + 5, y, "#444444", p);
    text(out, x + 16, y + 4, label, {12});
    x += 16 + text_width(label, 12) + 24;
  }
  return y + 20;
}

// --- Panels A and B: availability of the fault window against what is down ---

const SweepCell* find_cell(const CompareReport& report, SweepKind kind, int down, int voters) {
  for (const SweepCell& c : report.sweep) {
    if (c.kind == kind && c.down == down && c.voters == voters) return &c;
  }
  return nullptr;
}

std::string cell_title(const SweepCell& c) {
  std::string t = plural(c.voters, "voter") + ", " +
                  plural(c.down, c.kind == SweepKind::RacksDown ? "rack" : "voter") + " down";
  if (c.kind == SweepKind::RacksDown) {
    t += c.voters_down_min == c.voters_down_max
             ? " (" + plural(c.voters_down_min, "voter") + ")"
             : " (" + std::to_string(c.voters_down_min) + "-" +
                   std::to_string(c.voters_down_max) + " voters)";
  }
  t += ": " + percent_text(c.window_available_ppm_median, 1) + " of the window available; " +
       std::to_string(c.progress_runs) + " of " + std::to_string(c.runs) +
       " seeds kept committing";
  return t;
}

void line_panel(std::string& out, const CompareReport& report, SweepKind kind, int px, int py) {
  const bool racks = kind == SweepKind::RacksDown;
  const int left = px + 64;
  const int right = px + 455;
  const int top = py + 52;
  const int bottom = py + 246;
  text(out, px + 20, py + 18,
       racks ? "B. Whole racks down at once" : "A. Voters down at once (leader first)",
       {14, "start", true});
  text(out, px + 20, py + 36,
       "Share of the fault window a write could commit (median of seeds)",
       {11, "start", false, "#555555"});
  int max_down = 0;
  for (const SweepCell& c : report.sweep) {
    if (c.kind == kind) max_down = std::max(max_down, c.down);
  }
  // Grid and axes.
  for (int pct = 0; pct <= 100; pct += 25) {
    const int y = bottom - (bottom - top) * pct / 100;
    line(out, left, y, right, y, "#dddddd", 1);
    text(out, left - 8, y + 4, std::to_string(pct) + "%", {11, "end"});
  }
  line(out, left, top, left, bottom, "#444444", 1);
  line(out, left, bottom, right, bottom, "#444444", 1);
  text(out, px + 18, (top + bottom) / 2, "fault window available", {12, "middle", false,
                                                                     "#222222", true});
  text(out, (left + right) / 2, bottom + 38,
       racks ? "racks down at once (nodes spread round-robin over 3 racks)"
             : "voters down at once (crashed together, restarted together)",
       {12, "middle"});
  if (max_down == 0) {
    text(out, (left + right) / 2, (top + bottom) / 2, "no sweep was run", {12, "middle"});
    return;
  }
  const auto x_of = [&](int down) { return left + (right - left) * down / max_down; };
  for (int down = 0; down <= max_down; ++down) {
    line(out, x_of(down), bottom, x_of(down), bottom + 4, "#444444", 1);
    text(out, x_of(down), bottom + 18, std::to_string(down), {11, "middle"});
  }
  const auto y_of = [&](std::int64_t ppm) {
    const std::int64_t clamped = std::clamp<std::int64_t>(ppm, 0, kMillion);
    return bottom - static_cast<int>(round_div(clamped * (bottom - top), kMillion));
  };
  // One line per size, nudged sideways a little so that equal lines stay visible.
  const int count = static_cast<int>(report.sizes.size());
  for (int i = 0; i < count; ++i) {
    const std::size_t index = static_cast<std::size_t>(i);
    const int voters = report.sizes[index].voters;
    const int nudge = (2 * i - (count - 1)) * 2;
    std::string points;
    std::vector<std::pair<const SweepCell*, std::pair<int, int>>> marks;
    for (int down = 0; down <= max_down; ++down) {
      const SweepCell* c = find_cell(report, kind, down, voters);
      if (c == nullptr) continue;
      const int x = x_of(down) + nudge;
      const int y = y_of(c->window_available_ppm_median);
      points += (points.empty() ? "" : " ") + n(x) + "," + n(y);
      marks.push_back({c, {x, y}});
    }
    out += "<polyline points=\"" + points + "\" fill=\"none\" stroke=\"" + colour(index) +
           "\" stroke-width=\"2\"/>\n";
    for (const auto& [c, xy] : marks) {
      out += "<g><title>" + escape_xml(cell_title(*c)) + "</title>\n";
      marker(out, xy.first, xy.second, colour(index), progress_of(*c));
      out += "</g>\n";
    }
  }
}

// --- Panel C: failover times ---

// An axis step of 1, 2 or 5 times a power of ten microseconds giving at most 5 intervals.
std::int64_t nice_step(std::int64_t max_us) {
  std::int64_t power = 100;
  for (;;) {
    for (std::int64_t m : {1, 2, 5}) {
      const std::int64_t step = m * power;
      if ((max_us + step - 1) / step <= 5) return step;
    }
    power *= 10;
  }
}

std::string failover_caption(const SizeSummary& s) {
  std::string t = plural(static_cast<std::int64_t>(s.failovers.count), "failover");
  if (s.failovers_open > 0) t += " (+" + std::to_string(s.failovers_open) + " never ended)";
  if (s.failovers.count == 0) return t;
  return t + ": p50 " + duration_text(s.failovers.p50) + ", p90 " +
         duration_text(s.failovers.p90) + ", p99 " + duration_text(s.failovers.p99) + ", max " +
         duration_text(s.failovers.max);
}

constexpr int kFailoverRow = 46;

int failover_panel_height(const CompareReport& report) {
  return 72 + static_cast<int>(report.sizes.size()) * kFailoverRow + 48;
}

void failover_panel(std::string& out, const CompareReport& report, int px, int py) {
  const int left = px + 110;
  const int right = px + 600;
  text(out, px + 20, py + 18, "C. Failover time over the same fault schedules",
       {14, "start", true});
  text(out, px + 20, py + 36,
       "From losing the active controller until a new one commits, in every schedule run.",
       {11, "start", false, "#555555"});
  text(out, px + 20, py + 50, "Box: p50 to p90; whisker: to p99; dashes: to the longest.",
       {11, "start", false, "#555555"});
  std::int64_t longest = 0;
  for (const SizeSummary& s : report.sizes) longest = std::max(longest, s.failovers.max.us());
  const std::int64_t step = nice_step(longest > 0 ? longest : 1'000'000);
  const std::int64_t axis_max = std::max<std::int64_t>(1, (longest + step - 1) / step) * step;
  const auto x_of = [&](Duration d) {
    return left + static_cast<int>(round_div(d.us() * (right - left), axis_max));
  };
  const int rows_top = py + 72;
  const int axis_y = rows_top + static_cast<int>(report.sizes.size()) * kFailoverRow + 4;
  for (std::int64_t v = 0; v <= axis_max; v += step) {
    const int x = x_of(Duration::micros(v));
    line(out, x, rows_top - 6, x, axis_y, "#dddddd", 1);
    text(out, x, axis_y + 16, duration_text(Duration::micros(v)), {11, "middle"});
  }
  line(out, left, axis_y, right, axis_y, "#444444", 1);
  text(out, (left + right) / 2, axis_y + 36, "failover time", {12, "middle"});
  for (std::size_t i = 0; i < report.sizes.size(); ++i) {
    const SizeSummary& s = report.sizes[i];
    const Percentiles& p = s.failovers;
    const int y = rows_top + static_cast<int>(i) * kFailoverRow;
    text(out, px + 20, y + 13, plural(s.voters, "voter"), {12, "start", true, colour(i)});
    text(out, left, y + 32, failover_caption(s), {11});
    if (p.count == 0) continue;
    const int x50 = x_of(p.p50);
    const int x90 = x_of(p.p90);
    const int x99 = x_of(p.p99);
    const int xmax = x_of(p.max);
    line(out, x90, y + 9, x99, y + 9, colour(i), 2);
    line(out, x99, y + 9, xmax, y + 9, colour(i), 1, true);
    line(out, x99, y + 4, x99, y + 14, colour(i), 2);
    line(out, xmax, y + 4, xmax, y + 14, colour(i), 2);
    rect(out, x50, y + 1, x90 - x50, 16, colour(i),
         (std::string(" fill-opacity=\"0.3\" stroke=\"") + colour(i) + "\"").c_str());
    line(out, x50, y, x50, y + 18, colour(i), 3);
  }
}

// --- Panel D: overall availability ---

void availability_panel(std::string& out, const CompareReport& report, int px, int py, int height) {
  const int left = px + 52;
  const int right = px + 300;
  const int top = py + 76;
  const int bottom = py + height - 44;
  text(out, px + 20, py + 18, "D. Metadata availability", {14, "start", true});
  text(out, px + 20, py + 36, "Share of time a write could commit, over", {11, "start", false,
                                                                           "#555555"});
  text(out, px + 20, py + 50, "every schedule run of each size", {11, "start", false, "#555555"});
  for (int pct = 0; pct <= 100; pct += 50) {
    const int y = bottom - (bottom - top) * pct / 100;
    line(out, left, y, right, y, "#dddddd", 1);
    text(out, left - 8, y + 4, std::to_string(pct) + "%", {11, "end"});
  }
  line(out, left, bottom, right, bottom, "#444444", 1);
  const int count = static_cast<int>(report.sizes.size());
  if (count == 0) return;
  const int slot = (right - left) / count;
  const int width = std::clamp(slot - 16, 4, 56);
  const int label_size = count > 3 ? 9 : 12;
  for (int i = 0; i < count; ++i) {
    const std::size_t index = static_cast<std::size_t>(i);
    const SizeSummary& s = report.sizes[index];
    const std::int64_t ppm = std::clamp<std::int64_t>(s.available_ppm, 0, kMillion);
    const int h = static_cast<int>(round_div(ppm * (bottom - top), kMillion));
    const int centre = left + slot * i + slot / 2;
    rect(out, centre - width / 2, bottom - h, width, h, colour(index));
    text(out, centre, bottom - h - 6, percent_text(s.available_ppm, 3),
         {label_size, "middle", true});
    text(out, centre, bottom + 16, plural(s.voters, "voter"),
         {label_size, "middle", true, colour(index)});
    // The unavailable time, on one line when it fits under the bar, else on two.
    if (slot >= 90) {
      text(out, centre, bottom + 30, duration_text(s.unavailable) + " down", {10, "middle"});
    } else {
      text(out, centre, bottom + 30, duration_text(s.unavailable), {label_size, "middle"});
      text(out, centre, bottom + 30 + label_size + 1, "down", {label_size, "middle"});
    }
  }
}

}  // namespace

std::string compare_svg(const CompareReport& report) {
  constexpr int kLineHeight = 300;
  std::string body;
  const int line_top = header(body, report);
  const int bottom_top = line_top + kLineHeight;
  const int bottom_height = std::max(failover_panel_height(report), 250);
  const int height = bottom_top + bottom_height + 12;
  line_panel(body, report, SweepKind::VotersDown, 0, line_top);
  line_panel(body, report, SweepKind::RacksDown, kWidth / 2, line_top);
  failover_panel(body, report, 0, bottom_top);
  availability_panel(body, report, 630, bottom_top, bottom_height);

  std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"" +
                    n(kWidth) + "\" height=\"" + n(height) + "\" viewBox=\"0 0 " + n(kWidth) +
                    " " + n(height) + "\" font-family=\"sans-serif\">\n";
  out += "<title>" + escape_xml("kraftsim compare: " + sizes_text(report)) + "</title>\n";
  rect(out, 0, 0, kWidth, height, "#ffffff");
  out += body;
  out += "</svg>\n";
  return out;
}

}  // namespace kraftsim::cli
