#include "train/threshold_baseline.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace planelab::train {

float otsuThreshold(const float* values, std::size_t count, int bins) {
  if (count == 0) return 0.0f;
  const auto [lo_it, hi_it] = std::minmax_element(values, values + count);
  const double lo = *lo_it, hi = *hi_it;
  if (!(hi > lo)) return static_cast<float>(lo);
  const double width = (hi - lo) / bins;
  std::vector<double> hist(static_cast<std::size_t>(bins), 0.0);
  for (std::size_t i = 0; i < count; ++i) {
    const int b = std::min(bins - 1, static_cast<int>((values[i] - lo) / width));
    hist[static_cast<std::size_t>(b)] += 1.0;
  }
  double total_mean = 0.0;
  for (int b = 0; b < bins; ++b)
    total_mean += hist[static_cast<std::size_t>(b)] * (lo + (b + 0.5) * width);
  total_mean /= static_cast<double>(count);
  double w0 = 0.0, m0 = 0.0, best = -1.0;
  int best_bin = 0;
  for (int b = 0; b < bins; ++b) {
    const double p = hist[static_cast<std::size_t>(b)] / static_cast<double>(count);
    w0 += p;
    m0 += p * (lo + (b + 0.5) * width);
    const double denominator = w0 * (1.0 - w0);
    if (denominator <= 1e-12) continue;
    const double between = std::pow(total_mean * w0 - m0, 2) / denominator;
    if (between > best) {
      best = between;
      best_bin = b;
    }
  }
  return static_cast<float>(lo + (best_bin + 0.5) * width);
}

std::vector<std::uint8_t> thresholdBaselineMask(const float* image, int rows, int cols) {
  const std::size_t n = static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols);
  const float threshold = otsuThreshold(image, n);
  std::vector<int> component(n, 0);
  std::vector<std::size_t> stack;
  int best = 0;
  double best_distance = std::numeric_limits<double>::infinity();
  int next = 0;
  const double centre_r = (rows - 1) / 2.0, centre_c = (cols - 1) / 2.0;
  for (std::size_t start = 0; start < n; ++start) {
    if (image[start] <= threshold || component[start] != 0) continue;
    ++next;  // flood-fill one 4-connected component, accumulating its centroid
    double sum_r = 0.0, sum_c = 0.0, size = 0.0;
    component[start] = next;
    stack.assign(1, start);
    while (!stack.empty()) {
      const std::size_t at = stack.back();
      stack.pop_back();
      const int r = static_cast<int>(at / static_cast<std::size_t>(cols));
      const int c = static_cast<int>(at % static_cast<std::size_t>(cols));
      sum_r += r;
      sum_c += c;
      size += 1.0;
      const int nr[4] = {r - 1, r + 1, r, r};
      const int nc[4] = {c, c, c - 1, c + 1};
      for (int k = 0; k < 4; ++k) {
        if (nr[k] < 0 || nr[k] >= rows || nc[k] < 0 || nc[k] >= cols) continue;
        const std::size_t to = static_cast<std::size_t>(nr[k]) * static_cast<std::size_t>(cols) +
                               static_cast<std::size_t>(nc[k]);
        if (image[to] > threshold && component[to] == 0) {
          component[to] = next;
          stack.push_back(to);
        }
      }
    }
    const double distance = std::hypot(sum_r / size - centre_r, sum_c / size - centre_c);
    if (distance < best_distance) {
      best_distance = distance;
      best = next;
    }
  }
  std::vector<std::uint8_t> mask(n, 0);
  for (std::size_t i = 0; i < n; ++i) mask[i] = best != 0 && component[i] == best ? 1 : 0;
  return mask;
}

ThresholdBaselineResult evaluateThresholdBaseline(const data::PreparedDataset& dataset,
                                                  const std::string& label) {
  const auto& names = dataset.info().label_names;
  const auto it = std::find(names.begin(), names.end(), label);
  if (it == names.end() || it == names.begin()) {
    throw std::invalid_argument("[unknown_label] the dataset has no label '" + label + "'");
  }
  const auto value = static_cast<std::uint8_t>(it - names.begin());
  const int size = dataset.size();
  const std::size_t n = static_cast<std::size_t>(size) * static_cast<std::size_t>(size);
  ThresholdBaselineResult result;
  result.label = label;
  for (std::int64_t s = 0; s < dataset.sampleCount(); ++s) {
    if (!dataset.info().samples[static_cast<std::size_t>(s)].has_labels) continue;
    const std::uint8_t* truth = dataset.labels(s);
    std::size_t truth_count = 0;
    for (std::size_t i = 0; i < n; ++i) truth_count += truth[i] == value ? 1 : 0;
    if (truth_count == 0) continue;
    const auto mask = thresholdBaselineMask(dataset.image(s), size, size);
    std::size_t both = 0, predicted = 0;
    for (std::size_t i = 0; i < n; ++i) {
      predicted += mask[i];
      both += mask[i] != 0 && truth[i] == value ? 1 : 0;
    }
    result.dice.push_back(2.0 * static_cast<double>(both) /
                          static_cast<double>(predicted + truth_count));
  }
  if (result.dice.empty()) {
    throw std::invalid_argument("[no_labels] no labelled image contains '" + label + "'");
  }
  result.images = static_cast<int>(result.dice.size());
  double sum = 0.0;
  for (const double d : result.dice) sum += d;
  result.mean_dice = sum / result.images;
  std::vector<double> sorted = result.dice;
  std::sort(sorted.begin(), sorted.end());
  const std::size_t mid = sorted.size() / 2;
  result.median_dice = sorted.size() % 2 == 1 ? sorted[mid] : 0.5 * (sorted[mid - 1] + sorted[mid]);
  return result;
}

}  // namespace planelab::train
