// The experiment config of one training run (pretraining or fine-tuning), as JSON
// (docs/experiment-config.md). Every field has a default; defaults differ by task and follow the
// official code where it has one (ML-RECIPE §4.4, §4.5) with its bugs fixed.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "data/loader.h"
#include "nn/plane_net.h"
#include "train/optimisation.h"

namespace planelab::train {

struct PretextConfig {
  // multitask | orientation (line heatmaps only) | location (slice location only) | genesis
  // (the Models-Genesis-style restoration baseline)
  std::string variant = "multitask";
  double heatmap_weight = 1.0;   // alpha (ML-RECIPE §3; floats here, ints in the official code)
  double location_weight = 1.0;  // beta
  // Control arm: targets of other samples (a fixed permutation within each batch), so the
  // network learns nothing about the image it sees.
  bool permute_targets = false;
};

struct FinetuneConfig {
  std::string init;                          // "" = from scratch; else a pretraining run folder
  std::string checkpoint = "best";           // best | last (of the init run)
  std::string transfer = "encoder_decoder";  // encoder | encoder_decoder
  int labelled_subjects = 0;  // label budget from the training split; 0 = all labelled subjects
  std::uint64_t budget_seed = 1;
  bool allow_plan_mismatch = false;
};

struct SplitConfig {
  std::string file;  // "" = <dataset>/splits.json (written once, reused)
  double val_fraction = 0.2;
  double test_fraction = 0.2;
  std::uint64_t seed = 1;
};

struct TrainConfig {
  std::string task = "pretrain";  // pretrain | segmentation | classification
  std::string dataset;            // prepared dataset folder
  std::string out;                // run folder
  std::uint64_t seed = 1;
  int threads = 0;              // CPU threads for LibTorch; 0 = all cores
  std::string device = "auto";  // auto | cpu | cuda
  nn::NetworkConfig network = nn::preset("compact");
  PretextConfig pretext;
  FinetuneConfig finetune;
  SplitConfig split;
  OptimiserConfig optimizer;
  ScheduleConfig schedule;
  int epochs = 100;
  int batch_size = 16;
  std::string sampling = "one_per_subject";  // one_per_subject (the paper's) | all
  int epoch_repeats = 1;                     // one_per_subject: draws per subject per epoch
  data::AugmentOptions augment;
  int workers = 2;  // loader prefetch threads
  int validate_every = 1;
  int max_val_samples = 512;  // validation subset per epoch (fixed, seeded); test uses all

  nlohmann::json toJson() const;
};

// The defaults of a task (see docs/experiment-config.md).
TrainConfig defaultConfig(const std::string& task);
// Defaults of json["task"] (default "pretrain") overlaid with the given fields; strict (unknown
// fields, wrong types and invalid values throw std::invalid_argument "[invalid_config] ...").
TrainConfig configFromJson(const nlohmann::json& json);

nlohmann::json augmentToJson(const data::AugmentOptions& augment);
data::AugmentOptions augmentFromJson(const nlohmann::json& json, data::AugmentOptions base);

}  // namespace planelab::train
