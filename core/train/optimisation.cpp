#include "train/optimisation.h"

#include <cmath>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "train/config_json.h"

namespace planelab::train {

nlohmann::json OptimiserConfig::toJson() const {
  return {
      {"name", name},         {"lr", lr}, {"weight_decay", weight_decay}, {"momentum", momentum},
      {"nesterov", nesterov}, {"l1", l1}};
}

OptimiserConfig OptimiserConfig::fromJson(const nlohmann::json& json) {
  OptimiserConfig c;
  JsonReader r(json, "optimizer");
  r.get("name", c.name);
  r.get("lr", c.lr);
  r.get("weight_decay", c.weight_decay);
  r.get("momentum", c.momentum);
  r.get("nesterov", c.nesterov);
  r.get("l1", c.l1);
  r.finish();
  if (c.name != "adam" && c.name != "adamw" && c.name != "sgd")
    throw std::invalid_argument(
        "[invalid_config] optimizer.name: expected adam, adamw or sgd, got " + c.name);
  if (!(c.lr > 0.0)) throw std::invalid_argument("[invalid_config] optimizer.lr must be > 0");
  if (c.weight_decay < 0.0 || c.l1 < 0.0)
    throw std::invalid_argument("[invalid_config] optimizer weight_decay and l1 must be >= 0");
  return c;
}

nlohmann::json ScheduleConfig::toJson() const {
  return {{"kind", kind},
          {"step_epochs", step_epochs},
          {"gamma", gamma},
          {"paper_epoch0_decay", paper_epoch0_decay},
          {"min_lr", min_lr},
          {"power", power},
          {"warmup_epochs", warmup_epochs}};
}

ScheduleConfig ScheduleConfig::fromJson(const nlohmann::json& json) {
  ScheduleConfig c;
  JsonReader r(json, "schedule");
  r.get("kind", c.kind);
  r.get("step_epochs", c.step_epochs);
  r.get("gamma", c.gamma);
  r.get("paper_epoch0_decay", c.paper_epoch0_decay);
  r.get("min_lr", c.min_lr);
  r.get("power", c.power);
  r.get("warmup_epochs", c.warmup_epochs);
  r.finish();
  if (c.kind != "step" && c.kind != "cosine" && c.kind != "poly" && c.kind != "constant")
    throw std::invalid_argument(
        "[invalid_config] schedule.kind: expected step, cosine, poly or constant, got " + c.kind);
  if (c.step_epochs < 1 || !(c.gamma > 0.0) || c.warmup_epochs < 0 || c.min_lr < 0.0)
    throw std::invalid_argument(
        "[invalid_config] schedule: step_epochs >= 1, gamma > 0, warmup_epochs >= 0, min_lr >= 0");
  return c;
}

double learningRate(const ScheduleConfig& s, double base_lr, int epoch, int epochs) {
  double lr = base_lr;
  if (s.kind == "step") {
    int decays = epoch / s.step_epochs;
    if (s.paper_epoch0_decay) ++decays;  // the official code also decays at epoch 0
    lr = base_lr * std::pow(s.gamma, decays);
  } else if (s.kind == "cosine") {
    const double t = epochs > 1 ? static_cast<double>(epoch) / (epochs - 1) : 1.0;
    lr = s.min_lr + 0.5 * (base_lr - s.min_lr) * (1.0 + std::cos(M_PI * t));
  } else if (s.kind == "poly") {
    lr = base_lr * std::pow(1.0 - static_cast<double>(epoch) / std::max(epochs, 1), s.power);
  }
  if (epoch < s.warmup_epochs)
    lr *= static_cast<double>(epoch + 1) / static_cast<double>(s.warmup_epochs + 1);
  return lr;
}

std::unique_ptr<torch::optim::Optimizer> makeOptimiser(const OptimiserConfig& c,
                                                       const std::vector<torch::Tensor>& params) {
  if (c.name == "adam")
    return std::make_unique<torch::optim::Adam>(
        params, torch::optim::AdamOptions(c.lr).weight_decay(c.weight_decay));
  if (c.name == "adamw")
    return std::make_unique<torch::optim::AdamW>(
        params, torch::optim::AdamWOptions(c.lr).weight_decay(c.weight_decay));
  return std::make_unique<torch::optim::SGD>(params, torch::optim::SGDOptions(c.lr)
                                                         .momentum(c.momentum)
                                                         .nesterov(c.nesterov)
                                                         .weight_decay(c.weight_decay));
}

void setLearningRate(torch::optim::Optimizer& optimiser, double lr) {
  for (auto& group : optimiser.param_groups()) group.options().set_lr(lr);
}

}  // namespace planelab::train
