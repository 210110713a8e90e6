// A study: several experiments (core/experiment) run in order into one folder, then one report
// (report.h) over all of them. The usual study compares the arms on a segmentation target, reuses
// the same pretrained networks for a classification target (pretraining_from), and adds a second
// organ. One JSON file describes it (docs/study.md); `planelab-cli study --config FILE` and the
// GUI's results view run it through runStudy. Layout below `out`:
//   out/study.json           the config as given, with every experiment resolved
//   out/<id>/                one experiment folder per experiment (docs/experiment.md)
//   out/report.md, report.json, runs.csv, <id>.png   the report (rewritten at every run)
// Re-running the same config resumes every experiment where it stopped.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "experiment/experiment.h"
#include "study/statistics.h"

namespace planelab::study {

struct StudyExperiment {
  std::string id;                       // [a-z0-9_-]+, unique; the folder name below out
  experiment::ExperimentConfig config;  // out = <study out>/<id>; pretraining_from resolved too
  std::string pretraining_from;         // the id of an earlier experiment, or ""
};

struct StudyConfig {
  std::string name;
  std::string out;
  std::string profile;       // free text naming the profile (e.g. "quick"), shown in the report
  nlohmann::json defaults;   // the fields every experiment starts from (object)
  nlohmann::json overrides;  // per experiment: the fields given (array of objects, with "id")
  std::vector<StudyExperiment> experiments;
  BootstrapOptions statistics;
  // Score the non-learned threshold baseline (Otsu + central component) on heart segmentation
  // datasets, for the calibration section of the report.
  bool threshold_baseline = true;

  nlohmann::json toJson() const;  // the file's fields (defaults and experiments as given)
};

// Strict: unknown fields, wrong types, no or duplicate experiments, ids that are not folder
// names, an "out" inside an experiment (the study places them), pretraining_from naming no
// earlier experiment, or an experiment that is not a valid experiment config once defaults and
// its own fields are merged (top-level fields replace the defaults' whole):
// std::invalid_argument "[invalid_config] <path>: <why>".
StudyConfig studyFromJson(const nlohmann::json& json);
// "[cannot_read_config]" / "[invalid_config]" as experiment::loadExperimentConfig.
StudyConfig loadStudyConfig(const std::filesystem::path& file);

// Claims out for this study (out/study.json): a folder holding the same study is resumed, one
// holding another study or other files is refused ("[study_exists]"); "[cannot_write]".
void saveStudyConfig(const StudyConfig& config);

struct StudyRunOptions {
  experiment::RunOptions run;  // passed to every experiment (its control cancels the study)
  // Called before each experiment starts.
  std::function<void(const StudyExperiment& experiment, std::size_t index, std::size_t count)>
      experiment_started;
  // Writes one plot (the report's PNG figures; null = figures are not written and the report says
  // so). Returns "" or why it failed.
  std::function<std::string(const nlohmann::json& plot, const std::string& file)> write_plot;
};

struct StudyResult {
  std::string status;                                     // completed | cancelled | failed
  std::string message;                                    // failed: "[key] ..."
  std::vector<experiment::ExperimentResult> experiments;  // those that ran, in order
  std::string report;                                     // out/report.md
  nlohmann::json report_data;                             // what report.json holds
};

// Saves the config, runs every experiment in order (stopping at a cancelled or failed one), then
// writes the report from every finished run (also after a cancel or failure).
StudyResult runStudy(const StudyConfig& config, const StudyRunOptions& options);

// Every step of every experiment, in run order, with its state (for --dry-run).
std::vector<std::pair<std::string, experiment::Step>> planStudy(const StudyConfig& config);

}  // namespace planelab::study
