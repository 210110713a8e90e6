#include "app/cli/progress_bar.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>

namespace planelab::cli {

ProgressBar::ProgressBar(std::string label)
    : label_(std::move(label)), enabled_(isatty(STDERR_FILENO) != 0) {}

ProgressBar::~ProgressBar() {
  finish();
}

std::string ProgressBar::formatDuration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0.0) return "--:--";
  const long s = std::lround(seconds);
  char text[32];
  if (s >= 3600) {
    std::snprintf(text, sizeof text, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  } else {
    std::snprintf(text, sizeof text, "%ld:%02ld", s / 60, s % 60);
  }
  return text;
}

void ProgressBar::update(int done, int total, double elapsed_s) {
  if (!enabled_) return;
  if ((total <= 0 || done < total) && elapsed_s - last_draw_s_ < 0.1) return;
  last_draw_s_ = elapsed_s;
  if (total <= 0) {
    std::fprintf(stderr, "\r%s: %d  elapsed %s  (Ctrl-C cancels) ", label_.c_str(), done,
                 formatDuration(elapsed_s).c_str());
    std::fflush(stderr);
    drawn_ = true;
    return;
  }
  const double fraction = static_cast<double>(done) / total;
  const int width = 30;
  const int filled = static_cast<int>(fraction * width);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.resize(static_cast<std::size_t>(width), ' ');
  // ETA from the average rate so far; unknown until some work is done.
  const double eta = done > 0 ? elapsed_s * (total - done) / done : -1.0;
  std::fprintf(stderr, "\r%s [%s] %3d%% %d/%d  %.0f/s  elapsed %s  ETA %s  (Ctrl-C cancels) ",
               label_.c_str(), bar.c_str(), static_cast<int>(fraction * 100.0), done, total,
               elapsed_s > 0 ? done / elapsed_s : 0.0, formatDuration(elapsed_s).c_str(),
               formatDuration(eta).c_str());
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressBar::finish() {
  if (drawn_) {
    std::fputc('\n', stderr);
    drawn_ = false;
  }
}

}  // namespace planelab::cli
