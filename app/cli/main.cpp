// planelab-cli: everything the PlaneLab GUI does, from a terminal.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include "app/cli/cli_common.h"
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
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 prints help, the version or the error; every usage error exits 1 (README), not
    // CLI11's own 105-115 codes.
    return app.exit(e) == 0 ? 0 : planelab::cli::kExitFailed;
  }
  return exit_code;
}
