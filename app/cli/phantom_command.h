// `planelab-cli phantom` (a synthetic cohort as DICOM) and `planelab-cli demo` (the main job on
// the embedded default data).
#pragma once

#include <CLI/CLI.hpp>

namespace planelab::cli {

// Adds both subcommands; each stores its exit code in *exit_code when it runs.
void addPhantomCommands(CLI::App& app, int* exit_code);

}  // namespace planelab::cli
