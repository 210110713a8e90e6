// Training losses. Masks let a batch mix samples with and without a target (a heatmap channel
// whose view is missing, a single-slice stack without a location) without biasing the mean.
#pragma once

#include <torch/torch.h>

namespace planelab::train {

// Pixel-wise MSE over the valid channels: sum of squared errors of channels with valid = 1,
// divided by (valid channels x H x W). With every channel valid it equals nn::MSELoss (the
// paper's heatmap loss, ML-RECIPE §1.5). pred/target [B, K, H, W], valid [B, K]. Returns 0
// (connected to the graph) when no channel is valid.
torch::Tensor heatmapLoss(const torch::Tensor& pred, const torch::Tensor& target,
                          const torch::Tensor& valid);

// MSE of the relative location over samples with valid = 1 (ML-RECIPE §2). pred/target/valid [B].
torch::Tensor locationLoss(const torch::Tensor& pred, const torch::Tensor& target,
                           const torch::Tensor& valid);

// Cross-entropy + soft Dice (nnU-Net's default): CE over all pixels plus (1 - mean soft Dice of
// the foreground classes), the Dice computed over the whole batch (sums over B, H, W) with
// smoothing 1e-5. logits [B, C, H, W], labels [B, H, W] int64.
torch::Tensor segmentationLoss(const torch::Tensor& logits, const torch::Tensor& labels);

// Cross-entropy over samples whose class is >= 0. logits [B, C], classes [B] int64.
torch::Tensor classificationLoss(const torch::Tensor& logits, const torch::Tensor& classes);

// L2 reconstruction (Models Genesis): mean squared error to the original image.
torch::Tensor restorationLoss(const torch::Tensor& pred, const torch::Tensor& original);

// Sum of |parameter| over all parameters, for the official code's optional L1 term
// (ML-RECIPE §3, §4.5; off by default).
torch::Tensor l1Penalty(const std::vector<torch::Tensor>& parameters);

}  // namespace planelab::train
