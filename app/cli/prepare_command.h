// planelab-cli prepare: a catalog selection or an in-memory phantom cohort -> a prepared dataset.
#pragma once

#include <map>
#include <string>

#include <CLI/CLI.hpp>

namespace planelab::cli {

void addPrepareCommand(CLI::App& app, int* exit_code);

// Per-subject class labels from a CSV with a header line and PatientID,label rows (a phantom
// cohort's subjects.csv). Throws "[invalid_class_labels] ...".
std::map<std::string, std::string> readClassLabelsFile(const std::string& file);

}  // namespace planelab::cli
