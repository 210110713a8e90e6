// Evaluation of a network on samples of a prepared dataset, on the prepared grid:
//  - segmentation: per-class Dice and HD95 (mm) per image (2-D) and per stack (3-D: the images of
//    one subject, stack and phase, ordered by slice; through-plane spacing = median distance
//    between the slices' planes), means over images / stacks;
//  - classification: one prediction per subject (softmax averaged over its images), accuracy,
//    balanced accuracy, per-class and macro ROC AUC;
//  - pretext: heatmap and location MSE, location MAE, and the same for constant predictors (the
//    mean target value; for heatmaps also the per-pixel mean map of each channel), so a trained
//    model can be told apart from one that learnt nothing; and, as PHANTOM.md §4.3 asks, the
//    line read back from each heatmap: its angle error (degrees) and offset (mm) against the
//    target's line, for the network and for the mean map.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <torch/torch.h>
#include <nlohmann/json.hpp>

#include "data/prepared_dataset.h"
#include "nn/plane_net.h"
#include "train/metrics.h"

namespace planelab::train {

struct EvaluationOptions {
  int batch_size = 16;
  bool hd95 = true;  // the slowest part; off for per-epoch validation
  torch::Device device = torch::kCPU;
};

nlohmann::json evaluateSegmentation(nn::PlaneNet& net, const data::PreparedDataset& dataset,
                                    const std::vector<std::int64_t>& samples,
                                    const EvaluationOptions& options);

nlohmann::json evaluateClassification(nn::PlaneNet& net, const data::PreparedDataset& dataset,
                                      const std::vector<std::int64_t>& samples,
                                      const EvaluationOptions& options);

// The line a heatmap channel shows (size x size, row-major): the weighted principal axis of the
// pixels above half the channel's maximum, weights = value - half maximum. found = false when
// no pixel is positive. angle_rad in [-pi/2, pi/2] from the column (x) axis towards rows (y);
// centre in pixels (x = column, y = row) lies on the line.
struct HeatmapLine {
  bool found = false;
  double angle_rad = 0.0;
  double centre_x = 0.0, centre_y = 0.0;
};
HeatmapLine heatmapLine(const double* map, int size);
// Undirected angle between two lines, degrees in [0, 90].
double lineAngleErrorDeg(const HeatmapLine& a, const HeatmapLine& b);
// Distance (pixels) from a's centre to the line b.
double lineOffsetPx(const HeatmapLine& a, const HeatmapLine& b);

// heatmaps / location: which pretext heads to score (the network must have them).
// Heatmap lines are compared where the target channel is valid and shows a line (its maximum is
// at least 0.5: the line crosses the crop); a prediction without a line counts 90 degrees and half
// the field of view.
nlohmann::json evaluatePretext(nn::PlaneNet& net, const data::PreparedDataset& dataset,
                               const std::vector<std::int64_t>& samples, bool heatmaps,
                               bool location, const EvaluationOptions& options);

}  // namespace planelab::train
