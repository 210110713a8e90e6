// planelab-cli experiment: a whole experiment from one JSON file (docs/experiment.md): check the
// data against it, list its steps, or run them (again: finished runs are kept, interrupted ones
// resume).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "experiment/experiment.h"

namespace planelab::cli {

void addExperimentCommand(CLI::App& app, int* exit_code);

// An experiment running in the terminal (also each experiment of `planelab-cli study`): Ctrl-C
// cancels it between iterations, each step gets a log line with `prefix`, a progress bar with loss
// and ETA, and a line with its result; catalog pixels and labels through DCMTK.
class ExperimentConsole {
 public:
  ExperimentConsole();
  ~ExperimentConsole();
  ExperimentConsole(const ExperimentConsole&) = delete;
  ExperimentConsole& operator=(const ExperimentConsole&) = delete;

  const experiment::RunOptions& options() const;
  std::string prefix;  // before each step's "[i/n]", e.g. the study's experiment id

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// An error that has already been reported to the user, with the exit code it calls for.
struct ReportedError {
  int exit_code = 1;
};

// The data counted (a phantom's plan, or a catalog's stored curation; the pretraining pool's too
// when the experiment has one) and checked against the
// experiment (experiment::checkExperiment). Throws ReportedError for a catalog that cannot be
// opened (reported), std::runtime_error for one that cannot be read.
std::vector<experiment::Problem> experimentProblems(const experiment::ExperimentConfig& config,
                                                    experiment::DataCounts* counts = nullptr,
                                                    experiment::DataCounts* pool_counts = nullptr);

}  // namespace planelab::cli
