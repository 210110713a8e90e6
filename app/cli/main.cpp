// planelab-cli: everything the PlaneLab GUI does, from a terminal.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include "app/cli/curate_command.h"
#include "app/cli/experiment_command.h"
#include "app/cli/export_command.h"
#include "app/cli/import_command.h"
#include "app/cli/interop_command.h"
#include "app/cli/phantom_command.h"
#include "app/cli/prepare_command.h"
#include "app/cli/study_command.h"
#include "app/cli/train_command.h"
#include "app/version.h"

int main(int argc, char** argv) {
  // Messages go to stderr so that stdout carries only results (--json stays parseable).
  spdlog::set_default_logger(spdlog::stderr_color_mt("planelab-cli"));
  spdlog::set_pattern("planelab-cli: %^%l%$: %v");
  CLI::App app{"PlaneLab: self-supervised learning on anatomy-oriented MR imaging planes"};
  app.set_version_flag("--version", std::string("planelab-cli ") + PLANELAB_VERSION);
  app.require_subcommand(1);
  int exit_code = 0;
  planelab::cli::addPhantomCommands(app, &exit_code);
  planelab::cli::addImportCommands(app, &exit_code);
  planelab::cli::addCurationCommands(app, &exit_code);
  planelab::cli::addPrepareCommand(app, &exit_code);
  planelab::cli::addTrainingCommands(app, &exit_code);
  planelab::cli::addExperimentCommand(app, &exit_code);
  planelab::cli::addStudyCommand(app, &exit_code);
  planelab::cli::addExportCommand(app, &exit_code);
  planelab::cli::addInteropCommands(app, &exit_code);
  CLI11_PARSE(app, argc, argv);
  return exit_code;
}
