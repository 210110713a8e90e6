// planelab-cli prepare: a catalog selection or an in-memory phantom cohort -> a prepared dataset.
#pragma once

#include <CLI/CLI.hpp>

namespace planelab::cli {

void addPrepareCommand(CLI::App& app, int* exit_code);

}  // namespace planelab::cli
