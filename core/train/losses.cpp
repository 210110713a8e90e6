#include "train/losses.h"

namespace planelab::train {

torch::Tensor heatmapLoss(const torch::Tensor& pred, const torch::Tensor& target,
                          const torch::Tensor& valid) {
  const auto squared = (pred - target).pow(2).mean({2, 3});  // [B, K]
  const auto weights = valid.to(pred.dtype());
  const auto count = weights.sum();
  // Keep the graph when nothing is valid: 0 * sum gives a zero gradient, not a missing one.
  if (count.item<double>() <= 0.0) return (squared * weights).sum();
  return (squared * weights).sum() / count;
}

torch::Tensor locationLoss(const torch::Tensor& pred, const torch::Tensor& target,
                           const torch::Tensor& valid) {
  const auto weights = valid.to(pred.dtype());
  const auto squared = (pred - target.to(pred.dtype())).pow(2) * weights;
  const auto count = weights.sum();
  if (count.item<double>() <= 0.0) return squared.sum();
  return squared.sum() / count;
}

torch::Tensor segmentationLoss(const torch::Tensor& logits, const torch::Tensor& labels) {
  const auto ce = torch::nn::functional::cross_entropy(logits, labels);
  const auto classes = logits.size(1);
  if (classes < 2) return ce;
  const auto probabilities = torch::softmax(logits, 1);
  const auto one_hot =
      torch::one_hot(labels, classes).permute({0, 3, 1, 2}).to(probabilities.dtype());
  const std::vector<int64_t> reduce = {0, 2, 3};
  const auto intersection = (probabilities * one_hot).sum(reduce);
  const auto denominator = probabilities.sum(reduce) + one_hot.sum(reduce);
  constexpr double kSmooth = 1e-5;
  const auto dice = (2.0 * intersection + kSmooth) / (denominator + kSmooth);
  // Foreground classes only: the background dominates every image and would hide the rest.
  const auto foreground = dice.slice(0, 1, classes);
  return ce + (1.0 - foreground.mean());
}

torch::Tensor classificationLoss(const torch::Tensor& logits, const torch::Tensor& classes) {
  return torch::nn::functional::cross_entropy(
      logits, classes, torch::nn::functional::CrossEntropyFuncOptions().ignore_index(-1));
}

torch::Tensor restorationLoss(const torch::Tensor& pred, const torch::Tensor& original) {
  return torch::mse_loss(pred, original);
}

torch::Tensor l1Penalty(const std::vector<torch::Tensor>& parameters) {
  torch::Tensor sum;
  for (const auto& p : parameters) sum = sum.defined() ? sum + p.abs().sum() : p.abs().sum();
  return sum.defined() ? sum : torch::zeros({});
}

}  // namespace planelab::train
