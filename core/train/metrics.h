// Evaluation metrics with the conventions of the tools researchers compare against: Dice and
// HD95 as medpy computes them (surface = mask minus its erosion with face connectivity; HD95 =
// the larger of the two directed 95th percentiles, numpy's linear interpolation), ROC AUC as the
// Mann-Whitney statistic (ties count 1/2), balanced accuracy as the mean recall over the classes
// present in the truth.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

namespace planelab::train {

// A label volume: depth x rows x cols values (depth 1 = one image), spacing in mm per axis
// {between slices, between rows, between columns}.
struct LabelVolume {
  int depth = 1;
  int rows = 0;
  int cols = 0;
  std::array<double, 3> spacing_mm{1.0, 1.0, 1.0};
  std::vector<std::uint8_t> values;
};

// Dice of `label` between prediction and truth (same shape). Empty when the label is absent from
// both (no information; left out of means); 0 when only one has it.
std::optional<double> dice(const LabelVolume& pred, const LabelVolume& truth, int label);

// 95th-percentile Hausdorff distance (mm) of `label`'s surfaces; empty when either mask is empty.
std::optional<double> hausdorff95(const LabelVolume& pred, const LabelVolume& truth, int label);

struct SegmentationScores {
  // Index = label value; entry 0 (background) is left empty.
  std::vector<std::optional<double>> dice;
  std::vector<std::optional<double>> hd95_mm;
};
// hd95 false: Dice only (HD95 is the slow part; per-epoch validation skips it); the hd95_mm
// entries stay empty.
SegmentationScores scoreSegmentation(const LabelVolume& pred, const LabelVolume& truth, int classes,
                                     bool hd95 = true);

// Mean of the present values; empty when none is present.
std::optional<double> meanOf(const std::vector<std::optional<double>>& values);

// ROC AUC of `scores` for the positives (Mann-Whitney U / (P * N)); empty when there is no
// positive or no negative.
std::optional<double> rocAuc(const std::vector<double>& scores, const std::vector<bool>& positive);

struct ClassificationScores {
  double accuracy = 0.0;
  double balanced_accuracy = 0.0;
  std::vector<std::optional<double>> auc;            // one-vs-rest, per class
  std::optional<double> macro_auc;                   // mean of the defined per-class AUCs
  std::vector<std::vector<std::int64_t>> confusion;  // [truth][predicted]
};
// truth: class per case (0 .. classes-1); probabilities: per case, one value per class.
ClassificationScores scoreClassification(const std::vector<int>& truth,
                                         const std::vector<std::vector<double>>& probabilities,
                                         int classes);

}  // namespace planelab::train
