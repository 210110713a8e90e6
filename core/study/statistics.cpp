#include "study/statistics.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>

namespace planelab::study {

MeanSd meanSd(const std::vector<double>& values) {
  MeanSd out;
  out.count = static_cast<int>(values.size());
  if (values.empty()) return out;
  double sum = 0.0;
  for (const double v : values) sum += v;
  out.mean = sum / static_cast<double>(values.size());
  if (values.size() > 1) {
    double squares = 0.0;
    for (const double v : values) squares += (v - out.mean) * (v - out.mean);
    out.sd = std::sqrt(squares / static_cast<double>(values.size() - 1));
  }
  return out;
}

namespace {

// Percentile of sorted values with linear interpolation between order statistics.
double percentile(const std::vector<double>& sorted, double fraction) {
  const double position = fraction * static_cast<double>(sorted.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(position));
  const auto above = std::min(below + 1, sorted.size() - 1);
  const double weight = position - static_cast<double>(below);
  return sorted[below] * (1.0 - weight) + sorted[above] * weight;
}

}  // namespace

std::optional<Interval> pairedBootstrap(
    const std::vector<std::vector<std::optional<double>>>& differences,
    const BootstrapOptions& options) {
  if (options.samples < 1)
    throw std::invalid_argument("[invalid_argument] bootstrap samples must be >= 1");
  if (!(options.confidence > 0.0 && options.confidence < 1.0))
    throw std::invalid_argument("[invalid_argument] confidence must be in (0, 1)");
  const std::size_t rows = differences.size();
  const std::size_t cols = rows ? differences.front().size() : 0;
  for (const auto& row : differences)
    if (row.size() != cols)
      throw std::invalid_argument("[invalid_argument] every seed needs the same test subjects");

  Interval interval;
  double sum = 0.0;
  int present = 0;
  std::vector<bool> subject_seen(cols, false);
  for (const auto& row : differences) {
    bool any = false;
    for (std::size_t c = 0; c < cols; ++c) {
      if (!row[c]) continue;
      sum += *row[c];
      ++present;
      any = true;
      subject_seen[c] = true;
    }
    interval.seeds += any ? 1 : 0;
  }
  if (present == 0) return std::nullopt;
  interval.subjects = static_cast<int>(std::count(subject_seen.begin(), subject_seen.end(), true));
  interval.estimate = sum / present;

  std::mt19937_64 random(options.seed);
  std::uniform_int_distribution<std::size_t> pick_row(0, rows - 1), pick_col(0, cols - 1);
  std::vector<double> replicates;
  replicates.reserve(static_cast<std::size_t>(options.samples));
  std::vector<std::size_t> drawn_rows(rows), drawn_cols(cols);
  while (replicates.size() < static_cast<std::size_t>(options.samples)) {
    for (auto& r : drawn_rows) r = pick_row(random);
    for (auto& c : drawn_cols) c = pick_col(random);
    double s = 0.0;
    int n = 0;
    for (const auto r : drawn_rows) {
      for (const auto c : drawn_cols) {
        if (!differences[r][c]) continue;
        s += *differences[r][c];
        ++n;
      }
    }
    // A draw of only empty cells has no mean; it is drawn again (rare: needs sparse data).
    if (n > 0) replicates.push_back(s / n);
  }
  std::sort(replicates.begin(), replicates.end());
  const double tail = (1.0 - options.confidence) / 2.0;
  interval.low = percentile(replicates, tail);
  interval.high = percentile(replicates, 1.0 - tail);
  return interval;
}

}  // namespace planelab::study
