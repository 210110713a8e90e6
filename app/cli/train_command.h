// Training verbs: pretrain, finetune, evaluate, predict, benchmark train.
#pragma once

#include <CLI/CLI.hpp>

namespace planelab::cli {

void addTrainingCommands(CLI::App& app, int* exit_code);

}  // namespace planelab::cli
