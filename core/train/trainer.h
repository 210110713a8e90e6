// One training run (pretraining on the pretext tasks, or fine-tuning for segmentation or
// classification) in a self-describing run folder:
//   config.json        the full config (defaults filled in)
//   plan.json          the dataset's preprocessing plan (fine-tuning checks it against the
//                      pretrained run's)
//   splits.json        the patient-level split used; label_budget.json: the drawn labelled subjects
//   run.json           software version, dataset path and hash, catalog snapshot, seed, device,
//                      threads, parameter count
//   transfer.json      which tensors came from the pretrained run (fine-tuning from one)
//   metrics.jsonl      one JSON object per iteration and per epoch
//   checkpoints/last.pt, checkpoints/best.pt   full state (checkpoint.h)
//   evaluation.json    the best checkpoint on the test split (and validation)
// Reproducibility: the network is initialised from `seed`, every epoch's random state (dropout,
// batches, augmentation) derives from (seed, epoch), and the checkpoint holds the optimiser
// state, so a CPU run stopped after epoch k and resumed ends with the same weights as an
// uninterrupted one.
#pragma once

#include <optional>
#include <string>

#include <torch/torch.h>
#include <nlohmann/json.hpp>

#include "data/prepared_dataset.h"
#include "data/splits.h"
#include "nn/plane_net.h"
#include "train/config.h"
#include "train/events.h"

namespace planelab::train {

struct RunOptions {
  bool resume = false;  // continue the run in config.out from checkpoints/last.pt
  Observer* observer = nullptr;
  Control* control = nullptr;
  std::string software_version;
};

struct RunResult {
  std::string status;   // completed | cancelled | diverged | failed
  std::string message;  // for diverged/failed: a stable key in brackets first
  std::string run_dir;
  int epochs_done = 0;
  std::string selection_metric;  // e.g. val_loss, val_mean_dice_3d
  std::optional<double> best_metric;
  int best_epoch = -1;
  nlohmann::json evaluation;  // evaluation.json (completed runs)
};

// Runs (or resumes) a training run. Throws std::invalid_argument / std::runtime_error with a
// bracketed key for bad input found before training starts (e.g. "[run_exists]",
// "[plan_mismatch]", "[no_training_samples]", "[not_a_dataset]").
RunResult runTraining(const TrainConfig& config, const RunOptions& options);

// The patient-level split a new run of `config` uses: config.split.file, or the dataset's
// splits.json, read when it exists, else drawn (stratified by class label) and written there.
data::SplitFile datasetSplit(const TrainConfig& config, const data::DatasetInfo& info);

// The config of an existing run folder (config.json); throws "[not_a_run] ...".
TrainConfig loadRunConfig(const std::string& run_dir);

// CPU threads for LibTorch: `requested`, or all cores when 0. Sets them (intra-op) and returns.
int applyThreads(int requested);
torch::Device resolveDevice(const std::string& device);  // auto | cpu | cuda

// A trained network with what it needs to be applied: its plan and label/class names.
struct LoadedModel {
  TrainConfig config;
  data::PreprocessingPlan plan;
  std::vector<std::string> label_names;
  std::vector<std::string> class_names;
  nn::PlaneNet net{nullptr};
  torch::Device device = torch::kCPU;
  int epoch = -1;  // the checkpoint's last finished epoch
};
// checkpoint: best | last. Throws "[not_a_run] ...", "[checkpoint_unreadable] ...".
LoadedModel loadModel(const std::string& run_dir, const std::string& checkpoint,
                      const torch::Device& device);

// Evaluates a run's checkpoint on a split part (train | val | test) of its dataset (or of
// `dataset_override`, which must have the same plan). Returns the metrics JSON.
nlohmann::json evaluateRun(const std::string& run_dir, const std::string& checkpoint,
                           const std::string& part, const std::string& dataset_override);

}  // namespace planelab::train
