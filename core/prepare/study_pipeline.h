// The path both prepare sources share, from "a study's images + PixelSource + LabelSource" on:
// curation in memory, plane and phase selection, resampling, normalisation, labels; and the
// worker pool that feeds one DatasetWriter in study order.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "data/prepared_dataset.h"
#include "prepare/prepare.h"

namespace planelab::prepare::detail {

struct StudyInput {
  std::string patient_id;
  std::string study_uid;
  std::string class_label;
  std::vector<catalog::StudyImage> images;
  const std::unordered_map<std::string, std::string>* overrides = nullptr;  // may be null
  // Known end-diastole / end-systole cine phase (phantom truth), as the acquisition's phase index
  // of each image (`acquired_phase`, by instance id). Without them (catalog), a plane with
  // exactly two labelled phases has ED = the earlier one (trigger at the R wave), ES the later.
  std::optional<int> ed_phase, es_phase;
  std::unordered_map<std::int64_t, int> acquired_phase;
};

struct PreparedSample {
  data::Sample sample;  // subject is set by the writer
  std::vector<float> image;
  std::vector<std::uint8_t> labels;  // values index StudyResult::label_names; empty = none
};

struct StudyResult {
  data::Subject subject;
  std::vector<PreparedSample> samples;
  std::vector<std::string> label_names;
  std::map<std::string, std::int64_t> skipped_by_key;
};

StudyResult prepareStudy(const StudyInput& input, curation::PixelSource& pixels,
                         LabelSource* labels, const PrepareOptions& options);

// Runs work(0..count-1) on options.jobs workers and writes the results in index order.
PrepareSummary runStudies(std::size_t count, const std::function<StudyResult(std::size_t)>& work,
                          const std::string& out_folder, const PrepareOptions& options,
                          const nlohmann::json& source);

// FNV-1a 64 of `text`, as 16 hex digits.
std::string fnv1aHex(const std::string& text);
nlohmann::json optionsJson(const PrepareOptions& options);

}  // namespace planelab::prepare::detail
