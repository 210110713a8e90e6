// The study report, built from the run folders on disk (so it can be rebuilt at any time, also from
// a partly finished study):
//  - per experiment and arm x label budget: mean +- sd over seeds of the test metrics
//    (segmentation: mean and per-class Dice per stack, mean HD95; classification: accuracy,
//    balanced accuracy, macro AUC), and the paired hierarchical bootstrap CI of the difference to
//    scratch (mean Dice per test subject / correct per test subject; statistics.h);
//  - per pretrained arm: the pretext test errors next to the constant predictors';
//  - the phantom calibration checks of PHANTOM.md 4.3 that the runs can answer;
//  - report.md (tables), report.json (the same numbers), runs.csv (one row per run and metric),
//    and one plot per experiment (score vs labelled subjects per arm, mean +- sd over seeds).
#pragma once

#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "study/study.h"

namespace planelab::study {

// The report's numbers as JSON (docs/study.md): {"name", "profile", "experiments": [...],
// "calibration": [...]}; each experiment has "plot": {"file", "title", "x_label", "y_label",
// "series": [{"name", "x", "mean", "sd"}]}. Reads evaluation.json of every finished run; an
// unreadable one throws std::runtime_error "[run_unreadable] ...".
nlohmann::json buildReport(const StudyConfig& config);

// Markdown and CSV of a report (pure functions of it; each experiment's "runs" lists its finished
// fine-tuning runs with their metrics).
std::string reportMarkdown(const nlohmann::json& report, const std::string& plots_note);
std::string reportCsv(const nlohmann::json& report);

// Writes out/report.json, out/runs.csv, the plots (through write_plot, when given) and
// out/report.md; returns the report.md path. "[cannot_write] ..." (std::runtime_error).
std::string writeReport(const StudyConfig& config, const nlohmann::json& report,
                        const std::function<std::string(const nlohmann::json& plot,
                                                        const std::string& file)>& write_plot);

}  // namespace planelab::study
