// planelab-cli verbs over curation: curate, check, views, intersections, targets.
#pragma once

#include <filesystem>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "curation/curate_catalog.h"

namespace planelab::cli {

void addCurationCommands(CLI::App& app, int* exit_code);

// Curates the catalog with progress, Ctrl-C and a printed QA summary (also used by `demo`).
// Returns the exit code; *report gets the JSON summary.
int runCurate(const std::filesystem::path& catalog_file,
              const curation::CatalogCurationOptions& options, bool json, nlohmann::json* report);

}  // namespace planelab::cli
