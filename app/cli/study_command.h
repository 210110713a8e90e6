// planelab-cli study: several experiments and one report over them from one JSON file
// (docs/study.md): check the data, list the steps, run them (again: resume), or rebuild the report.
#pragma once

#include <CLI/CLI.hpp>

namespace planelab::cli {

void addStudyCommand(CLI::App& app, int* exit_code);

}  // namespace planelab::cli
