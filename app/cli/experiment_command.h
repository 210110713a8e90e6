// planelab-cli experiment: a whole experiment from one JSON file (docs/experiment.md): check the
// data against it, list its steps, or run them (again: finished runs are kept, interrupted ones
// resume).
#pragma once

#include <CLI/CLI.hpp>

namespace planelab::cli {

void addExperimentCommand(CLI::App& app, int* exit_code);

}  // namespace planelab::cli
