// Evaluation of a network on samples of a prepared dataset, on the prepared grid:
//  - segmentation: per-class Dice and HD95 (mm) per image (2-D) and per stack (3-D: the images of
//    one subject, stack and phase, ordered by slice; through-plane spacing = median distance
//    between the slices' planes), means over images / stacks;
//  - classification: one prediction per subject (softmax averaged over its images), accuracy,
//    balanced accuracy, per-class and macro ROC AUC;
//  - pretext: heatmap and location MSE, location MAE, and the same for constant predictors (the
//    mean target value; for heatmaps also the per-pixel mean map of each channel), so a trained
//    model can be told apart from one that learnt nothing.
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

// heatmaps / location: which pretext heads to score (the network must have them).
nlohmann::json evaluatePretext(nn::PlaneNet& net, const data::PreparedDataset& dataset,
                               const std::vector<std::int64_t>& samples, bool heatmaps,
                               bool location, const EvaluationOptions& options);

}  // namespace planelab::train
