// An exported model as a consumer uses it: the TorchScript file and its model card, which gives
// the preprocessing plan and the label names, so `planelab-cli predict --model MODEL.pt` needs
// neither the run folder nor the training code's network.
#pragma once

#include <string>
#include <vector>

#include <torch/script.h>
#include <nlohmann/json.hpp>

#include "data/preprocessing_plan.h"
#include "train/predict.h"

namespace planelab::exporting {

struct ExportedModel {
  nlohmann::json card;
  data::PreprocessingPlan plan;
  std::string task;                      // segmentation | classification | pretrain
  std::vector<std::string> label_names;  // segmentation: by label value
  torch::jit::Module module;
};

// Reads model_file and cardPath(model_file). Throws std::invalid_argument with "[no_model_card]"
// (card missing), "[invalid_model_card]" (not a PlaneLab card, or its plan does not parse) or
// "[model_unreadable]" (the TorchScript file does not load).
ExportedModel loadExportedModel(const std::string& model_file);

// The segmentation logits of a loaded model (for train::predictSegmentation); throws
// "[not_a_segmentation_model]" when the card's task is not segmentation.
train::SegmentationForward segmentationForward(ExportedModel& model);

}  // namespace planelab::exporting
