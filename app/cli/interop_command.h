// Results and data in the formats other tools read: DICOM SEG and NIfTI results of predict,
// nnU-Net v2 datasets from labelled catalog series (`nnunet`), and label volumes made elsewhere
// (ACDC-style NIfTI) matched to catalog images by geometry and stored as DICOM SEG
// (`import-labels`).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "catalog/curation_records.h"
#include "train/predict.h"

namespace planelab::cli {

// Writes `out`/segmentation.dcm (a DICOM SEG of `labels`, referencing `images`) and, when the
// images form a regular stack, `out`/image.nii.gz and `out`/labels.nii.gz on the same grid.
// Returns what was written (for predictions.json); throws "[key] ..." when the SEG fails.
nlohmann::json writeStandardResults(const std::vector<const catalog::StudyImage*>& images,
                                    const std::vector<train::SourceImage>& inputs,
                                    const std::vector<std::vector<std::uint8_t>>& labels,
                                    const std::vector<std::string>& label_names,
                                    const std::string& algorithm, const std::filesystem::path& out);

void addInteropCommands(CLI::App& app, int* exit_code);

}  // namespace planelab::cli
