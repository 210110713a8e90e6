// The training half of `planelab-cli demo` (the README's main job): the demo catalog's cardiac
// studies are prepared, a network is pretrained on the pretext tasks (multitask), and fine-tuned
// for segmentation with 2 labelled subjects once from the pretrained run and once from scratch;
// both test Dice values are printed.
#pragma once

#include <filesystem>

#include <nlohmann/json.hpp>

namespace planelab::cli {

struct DemoTrainingOptions {
  std::filesystem::path out;           // demo folder: dataset/ and runs/ go below it
  std::filesystem::path catalog_file;  // imported and curated demo catalog
  std::filesystem::path subjects_csv;  // the cohort's subjects.csv (class labels)
  int threads = 0;
  bool json = false;
};

// Returns the exit code; fills *report.
int runDemoTraining(const DemoTrainingOptions& options, nlohmann::json* report);

}  // namespace planelab::cli
