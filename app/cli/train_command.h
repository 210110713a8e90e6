// Training verbs: pretrain, finetune, evaluate, predict, benchmark train.
#pragma once

#include <CLI/CLI.hpp>

#include "train/trainer.h"

namespace planelab::cli {

void addTrainingCommands(CLI::App& app, int* exit_code);

// Runs (or resumes) a training run with progress on stderr and Ctrl-C -> cancel; prints the
// summary (JSON with `json`) unless !print_summary. Returns the exit code (0, 1 failed/diverged,
// 130 cancelled).
int runTrainingCli(const train::TrainConfig& config, bool resume, bool json,
                   train::RunResult* result = nullptr, bool print_summary = true);

}  // namespace planelab::cli
