#include "export/exported_model.h"

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "export/model_export.h"

namespace planelab::exporting {

ExportedModel loadExportedModel(const std::string& model_file) {
  const std::string card_file = cardPath(model_file);
  std::ifstream in(card_file);
  if (!in) {
    throw std::invalid_argument("[no_model_card] " + card_file +
                                " is missing: export the model with planelab-cli export, which "
                                "writes the card next to it");
  }
  ExportedModel model;
  model.card = nlohmann::json::parse(in, nullptr, false);
  if (!model.card.is_object() || model.card.value("format", "") != "planelab-model-card") {
    throw std::invalid_argument("[invalid_model_card] " + card_file +
                                " is not a PlaneLab model card");
  }
  if (model.card.contains("model") && model.card["model"].value("format", "") != "torchscript") {
    throw std::invalid_argument("[unsupported_format] " + model_file + " is " +
                                model.card["model"].value("format", "") +
                                ": PlaneLab runs TorchScript exports; run ONNX ones with ONNX "
                                "Runtime (docs/export.md)");
  }
  try {
    model.plan = data::PreprocessingPlan::fromJson(model.card.at("preprocessing").at("plan"));
    model.task = model.card.at("task").get<std::string>();
    if (model.card.contains("labels")) {
      for (const auto& label : model.card["labels"])
        model.label_names.push_back(label.at("name").get<std::string>());
    }
  } catch (const std::exception& e) {
    throw std::invalid_argument("[invalid_model_card] " + card_file + ": " + e.what());
  }
  try {
    model.module = torch::jit::load(model_file);
  } catch (const c10::Error& e) {
    throw std::invalid_argument("[model_unreadable] " + model_file + ": " +
                                e.what_without_backtrace());
  }
  model.module.eval();
  return model;
}

train::SegmentationForward segmentationForward(ExportedModel& model) {
  if (model.task != "segmentation" || model.card.at("model").value("outputs", "") != "heads") {
    throw std::invalid_argument("[not_a_segmentation_model] the model's card says task " +
                                model.task + ", outputs " +
                                model.card.at("model").value("outputs", ""));
  }
  return [&model](const torch::Tensor& input) { return model.module.forward({input}).toTensor(); };
}

}  // namespace planelab::exporting
