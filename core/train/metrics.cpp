#include "train/metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace planelab::train {
namespace {

void checkSameShape(const LabelVolume& a, const LabelVolume& b) {
  const auto n = static_cast<std::size_t>(a.depth) * a.rows * a.cols;
  if (a.depth != b.depth || a.rows != b.rows || a.cols != b.cols || a.values.size() != n ||
      b.values.size() != n)
    throw std::invalid_argument("[shape_mismatch] prediction and truth differ in shape");
}

// Surface voxels of the mask (label == value): voxels of the mask with a face neighbour outside
// it or outside the volume (scipy's binary_erosion pads with 0, as medpy uses it).
std::vector<std::array<double, 3>> surface(const LabelVolume& v, int label) {
  std::vector<std::array<double, 3>> points;
  const auto at = [&](int z, int y, int x) {
    if (z < 0 || y < 0 || x < 0 || z >= v.depth || y >= v.rows || x >= v.cols) return false;
    return v.values[(static_cast<std::size_t>(z) * v.rows + y) * v.cols + x] == label;
  };
  for (int z = 0; z < v.depth; ++z)
    for (int y = 0; y < v.rows; ++y)
      for (int x = 0; x < v.cols; ++x) {
        if (!at(z, y, x)) continue;
        // Along z only for volumes: a single image is 2-D (medpy's structure has ndim = 2).
        const bool inner = at(z, y - 1, x) && at(z, y + 1, x) && at(z, y, x - 1) &&
                           at(z, y, x + 1) &&
                           (v.depth == 1 || (at(z - 1, y, x) && at(z + 1, y, x)));
        if (!inner)
          points.push_back({z * v.spacing_mm[0], y * v.spacing_mm[1], x * v.spacing_mm[2]});
      }
  return points;
}

// Distance from each point of `from` to the nearest point of `to` (mm).
std::vector<double> directedDistances(const std::vector<std::array<double, 3>>& from,
                                      const std::vector<std::array<double, 3>>& to) {
  std::vector<double> out;
  out.reserve(from.size());
  for (const auto& p : from) {
    double best = std::numeric_limits<double>::infinity();
    for (const auto& q : to) {
      const double dz = p[0] - q[0], dy = p[1] - q[1], dx = p[2] - q[2];
      best = std::min(best, dz * dz + dy * dy + dx * dx);
    }
    out.push_back(std::sqrt(best));
  }
  return out;
}

// numpy.percentile with linear interpolation.
double percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  const double position = p / 100.0 * static_cast<double>(values.size() - 1);
  const auto lower = static_cast<std::size_t>(std::floor(position));
  const auto upper = std::min(lower + 1, values.size() - 1);
  const double fraction = position - static_cast<double>(lower);
  return values[lower] + (values[upper] - values[lower]) * fraction;
}

}  // namespace

std::optional<double> dice(const LabelVolume& pred, const LabelVolume& truth, int label) {
  checkSameShape(pred, truth);
  std::int64_t both = 0, in_pred = 0, in_truth = 0;
  for (std::size_t i = 0; i < pred.values.size(); ++i) {
    const bool p = pred.values[i] == label, t = truth.values[i] == label;
    both += p && t;
    in_pred += p;
    in_truth += t;
  }
  if (in_pred + in_truth == 0) return std::nullopt;
  return 2.0 * static_cast<double>(both) / static_cast<double>(in_pred + in_truth);
}

std::optional<double> hausdorff95(const LabelVolume& pred, const LabelVolume& truth, int label) {
  checkSameShape(pred, truth);
  const auto a = surface(pred, label), b = surface(truth, label);
  if (a.empty() || b.empty()) return std::nullopt;
  return std::max(percentile(directedDistances(a, b), 95.0),
                  percentile(directedDistances(b, a), 95.0));
}

SegmentationScores scoreSegmentation(const LabelVolume& pred, const LabelVolume& truth, int classes,
                                     bool hd95) {
  SegmentationScores scores;
  scores.dice.resize(static_cast<std::size_t>(std::max(classes, 0)));
  scores.hd95_mm.resize(scores.dice.size());
  for (int c = 1; c < classes; ++c) {
    scores.dice[static_cast<std::size_t>(c)] = dice(pred, truth, c);
    if (hd95) scores.hd95_mm[static_cast<std::size_t>(c)] = hausdorff95(pred, truth, c);
  }
  return scores;
}

std::optional<double> meanOf(const std::vector<std::optional<double>>& values) {
  double sum = 0.0;
  int n = 0;
  for (const auto& v : values)
    if (v) {
      sum += *v;
      ++n;
    }
  if (n == 0) return std::nullopt;
  return sum / n;
}

std::optional<double> rocAuc(const std::vector<double>& scores, const std::vector<bool>& positive) {
  if (scores.size() != positive.size())
    throw std::invalid_argument("[shape_mismatch] scores and labels differ in length");
  // Rank-sum form of the Mann-Whitney U with mid-ranks for ties: O(n log n).
  std::vector<std::size_t> order(scores.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](auto a, auto b) { return scores[a] < scores[b]; });
  double positive_rank_sum = 0.0;
  std::int64_t positives = 0;
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j < order.size() && scores[order[j]] == scores[order[i]]) ++j;
    const double mid_rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
    for (std::size_t k = i; k < j; ++k)
      if (positive[order[k]]) {
        positive_rank_sum += mid_rank;
        ++positives;
      }
    i = j;
  }
  const auto negatives = static_cast<std::int64_t>(scores.size()) - positives;
  if (positives == 0 || negatives == 0) return std::nullopt;
  const double p = static_cast<double>(positives);
  const double u = positive_rank_sum - p * (p + 1.0) / 2.0;
  return u / (p * static_cast<double>(negatives));
}

ClassificationScores scoreClassification(const std::vector<int>& truth,
                                         const std::vector<std::vector<double>>& probabilities,
                                         int classes) {
  if (truth.size() != probabilities.size())
    throw std::invalid_argument("[shape_mismatch] truth and probabilities differ in length");
  ClassificationScores s;
  const auto k = static_cast<std::size_t>(std::max(classes, 0));
  s.confusion.assign(k, std::vector<std::int64_t>(k, 0));
  std::int64_t correct = 0;
  for (std::size_t i = 0; i < truth.size(); ++i) {
    if (probabilities[i].size() != k)
      throw std::invalid_argument("[shape_mismatch] a case has the wrong number of classes");
    const auto predicted = static_cast<std::size_t>(
        std::max_element(probabilities[i].begin(), probabilities[i].end()) -
        probabilities[i].begin());
    const auto t = static_cast<std::size_t>(truth[i]);
    if (t >= k) throw std::invalid_argument("[invalid_class] a truth class is out of range");
    ++s.confusion[t][predicted];
    correct += predicted == t;
  }
  if (!truth.empty()) s.accuracy = static_cast<double>(correct) / static_cast<double>(truth.size());
  double recall_sum = 0.0;
  int present = 0;
  for (std::size_t c = 0; c < k; ++c) {
    std::int64_t total = 0;
    for (auto n : s.confusion[c]) total += n;
    if (total == 0) continue;
    recall_sum += static_cast<double>(s.confusion[c][c]) / static_cast<double>(total);
    ++present;
  }
  if (present > 0) s.balanced_accuracy = recall_sum / present;
  s.auc.resize(k);
  for (std::size_t c = 0; c < k; ++c) {
    std::vector<double> scores;
    std::vector<bool> positive;
    for (std::size_t i = 0; i < truth.size(); ++i) {
      scores.push_back(probabilities[i][c]);
      positive.push_back(static_cast<std::size_t>(truth[i]) == c);
    }
    s.auc[c] = rocAuc(scores, positive);
  }
  s.macro_auc = meanOf(s.auc);
  return s;
}

}  // namespace planelab::train
