// `planelab-cli import` and the catalog verbs `ls`, `issues`, `tags`.
#pragma once

#include <filesystem>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "import/importer.h"

namespace planelab::cli {

void addImportCommands(CLI::App& app, int* exit_code);

// Runs an import with a progress bar; prints a one-screen summary unless `json` (then the same
// facts go into *report). Returns the import exit code (0, 2 some files not usable, 1, 3, 130).
int runImport(const std::filesystem::path& catalog_file,
              const std::vector<std::filesystem::path>& inputs,
              const import::ImportOptions& options, bool json, nlohmann::json* report);

}  // namespace planelab::cli
