// Run folders as a results table: what one run is (its config, device, label budget, whether it
// finished or can be resumed) and, for fine-tuning runs, its test scores; runs grouped into arms
// (from scratch, or pretrained on which pretext tasks) and label budgets, with the mean over seeds
// that the label-efficiency plot draws.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "train/config.h"

namespace planelab::train {

struct RunSummary {
  std::string run_dir;
  TrainConfig config;
  std::string device;  // run.json's ("cpu", "cuda:0"); the config's request when run.json is absent
  std::vector<std::string> label_names;  // run.json; index = label value, 0 = background
  // Fine-tuning: the size of the drawn budget (label_budget.json); 0 when absent.
  int labelled_subjects = 0;
  bool finished = false;      // evaluation.json is there
  bool resumable = false;     // not finished and checkpoints/last.pt is there
  nlohmann::json evaluation;  // evaluation.json; null when absent
};

// Throws std::runtime_error "[not_a_run] ..." when run_dir has no readable config.json, and
// "[run_unreadable] ..." when one of the other files is there but is not JSON.
RunSummary readRunSummary(const std::string& run_dir);

// Every folder under root (root included, any depth) holding both evaluation.json and config.json,
// sorted by path.
std::vector<std::string> findFinishedRuns(const std::string& root);

// How a fine-tuning run's network started: the arm of a label-efficiency comparison.
struct Arm {
  bool pretrained = false;
  // Of the pretrained run (its config.json): pretext variant and control arm; empty variant when
  // that run's config cannot be read (then init_run tells the arm apart).
  std::string variant;
  bool permuted_targets = false;
  std::string transfer;    // encoder | encoder_decoder
  std::string checkpoint;  // best | last
  std::string init_run;    // the pretrained run folder as configured (not part of the arm)

  // Runs with equal keys are the same arm (seeds and budgets of one method).
  std::string key() const;
};

// finetune.init's run folder is read for its pretext variant.
Arm armOf(const TrainConfig& config);

struct ResultRow {
  std::string run_dir;
  Arm arm;
  int labelled_subjects = 0;
  std::uint64_t seed = 0;
  // Test split, per stack (3-D), foreground classes in label order; empty value = the class is
  // absent from prediction and truth of every stack.
  std::vector<std::pair<std::string, std::optional<double>>> dice;
  std::optional<double> mean_dice;
  std::optional<double> mean_hd95_mm;
};

// The results of a finished segmentation run; nothing for other tasks or unfinished runs.
std::optional<ResultRow> segmentationResult(const RunSummary& run);

struct BudgetGroup {
  Arm arm;  // the first run's (init_run is that run's)
  int labelled_subjects = 0;
  // One entry per run with a mean Dice, in the rows' order.
  std::vector<std::uint64_t> seeds;
  std::vector<double> mean_dice;
  double mean = 0.0;  // over the runs (seeds)
};

// Rows with a mean Dice grouped by (arm key, labelled subjects), sorted by arm key then budget.
std::vector<BudgetGroup> groupByArmAndBudget(const std::vector<ResultRow>& rows);

}  // namespace planelab::train
