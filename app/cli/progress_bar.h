// Terminal progress bar with ETA for long CLI work. Draws on stderr only when it is a terminal,
// so logs and --json output stay clean when piped.
#pragma once

#include <string>

namespace planelab::cli {

class ProgressBar {
 public:
  explicit ProgressBar(std::string label);
  ~ProgressBar();
  // done/total work units, elapsed seconds; redraws at most ~10 times per second. total = 0
  // means unknown yet (a count and a rate are shown instead of a bar).
  void update(int done, int total, double elapsed_s);
  void finish();
  void setLabel(std::string label) { label_ = std::move(label); }

  // "1:05" or "1:02:03"; "--:--" while unknown.
  static std::string formatDuration(double seconds);

 private:
  std::string label_;
  bool enabled_ = false;
  bool drawn_ = false;
  double last_draw_s_ = -1.0;
};

}  // namespace planelab::cli
