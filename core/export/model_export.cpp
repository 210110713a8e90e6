#include "export/model_export.h"

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "data/random.h"
#include "data/splits.h"
#ifdef PLANELAB_HAVE_ONNX
#include "export/onnx_export.h"
#endif
#include "train/config.h"
#include "train/trainer.h"

namespace planelab::exporting {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;

// Outputs within this of the network's count as equal (the bound for TorchScript).
constexpr double kTolerance = 1e-5;

json readJsonFile(const fs::path& file) {
  std::ifstream in(file);
  if (!in) return json();
  return json::parse(in, nullptr, false);
}

// A run's config as the card shows it: the hyper-parameters, without folders (they name people's
// machines and, through catalog paths, sometimes patients).
json trainingConfig(const train::TrainConfig& config) {
  json j = config.toJson();
  j.erase("dataset");
  j.erase("out");
  if (j.contains("split")) j["split"].erase("file");
  if (j.contains("finetune")) {
    j["finetune"]["init"] = config.finetune.init.empty() ? "" : "(pretrained run, see pretraining)";
  }
  return j;
}

// Where the run's data came from: counts and content hashes, never a path or identifier.
json dataProvenance(const json& run) {
  json data = {{"dataset_hash", run.value("dataset_hash", "")},
               {"samples", run.value("samples", json())}};
  if (run.contains("source")) {
    const json& source = run["source"];
    data["source"] = {{"kind", source.value("kind", "")},
                      {"studies", source.value("studies", json())},
                      {"snapshot", source.value("snapshot", "")}};
    if (source.contains("options"))
      data["source"]["plan_hash"] = source["options"].value("plan_hash", "");
  }
  return data;
}

json pretrainingProvenance(const train::TrainConfig& config) {
  if (config.finetune.init.empty()) return nullptr;
  json out = {{"checkpoint", config.finetune.checkpoint}, {"transfer", config.finetune.transfer}};
  try {
    const train::TrainConfig pre = train::loadRunConfig(config.finetune.init);
    out["pretext"] = {{"variant", pre.pretext.variant},
                      {"heatmap_weight", pre.pretext.heatmap_weight},
                      {"location_weight", pre.pretext.location_weight},
                      {"permute_targets", pre.pretext.permute_targets}};
    out["epochs"] = pre.epochs;
    out["seed"] = pre.seed;
    const json run = readJsonFile(fs::path(config.finetune.init) / "run.json");
    if (run.is_object()) out["data"] = dataProvenance(run);
  } catch (const std::exception& e) {
    out["unavailable"] = std::string("the pretraining run could not be read: ") + e.what();
  }
  return out;
}

json tensorSpec(const std::string& name, std::vector<std::int64_t> shape,
                const std::string& meaning) {
  return {{"name", name}, {"dtype", "float32"}, {"shape", shape}, {"meaning", meaning}};
}

json outputSpecs(const nn::NetworkConfig& net, Outputs outputs, std::int64_t size) {
  json specs = json::array();
  if (outputs == Outputs::kEncoder) {
    for (int i = 0; i < net.depth; ++i) {
      specs.push_back(tensorSpec(
          "features" + std::to_string(i),
          {-1, std::int64_t{net.base_width} << i, size >> i, size >> i},
          "encoder features at level " + std::to_string(i) + " (after the level's second ReLU)"));
    }
    return specs;
  }
  for (const std::string& head : headNames(net)) {
    if (head == "heatmaps")
      specs.push_back(tensorSpec(head, {-1, net.heatmap_channels, size, size},
                                 "intersecting-line heatmaps, one channel per heatmap view "
                                 "(no activation)"));
    if (head == "location")
      specs.push_back(tensorSpec(head, {-1}, "relative slice location (no activation)"));
    if (head == "segmentation")
      specs.push_back(tensorSpec(head, {-1, net.segmentation_classes, size, size},
                                 "class logits; argmax over dim 1 is the label value"));
    if (head == "classification")
      specs.push_back(tensorSpec(head, {-1, net.classification_classes},
                                 "class logits; argmax over dim 1 is the class index"));
    if (head == "restoration")
      specs.push_back(tensorSpec(head, {-1, net.restoration_channels, size, size},
                                 "restored image (Models-Genesis-style pretext)"));
  }
  return specs;
}

json preprocessing(const data::PreprocessingPlan& plan) {
  const std::string normalisation =
      plan.normalisation == data::Normalisation::kZScore
          ? "z-score over the whole resampled image: (x - mean) / sd, padding included; sd below "
            "1e-6: only centred"
          : "clip to the source image's [0.5, 99.5] percentiles, resample, scale to [0, 1]";
  return {
      {"plan", plan.toJson()},
      {"plan_hash", plan.hash()},
      {"steps",
       json::array({"pixel values after the DICOM Modality LUT (RescaleSlope/Intercept)",
                    "resample onto a square grid of " + std::to_string(plan.grid.size) + " x " +
                        std::to_string(plan.grid.size) + " pixels at " +
                        json(plan.grid.spacing_mm).dump() + " mm, " +
                        plan.toJson().value("interpolation", std::string()) +
                        " interpolation, zero outside the image",
                    normalisation, "one image per batch entry, shape [B, 1, size, size]"})},
      {"orientation",
       "the grid keeps the image's own row and column directions (DICOM ImageOrientationPatient, "
       "no flips or rotations); its centre pixel ((size-1)/2, (size-1)/2) lies on the patient "
       "point of the source image's centre ((rows-1)/2, (cols-1)/2); array index [row, col]"},
      {"views", plan.views}};
}

void removeQuietly(const fs::path& file) {
  std::error_code ignored;
  fs::remove(file, ignored);
}

}  // namespace

std::string cardPath(const std::string& model_file) {
  return model_file + ".card.json";
}

ExportResult exportRun(const ExportRequest& request) {
  ExportResult result;
  result.model_file = request.out;
  result.card_file = cardPath(request.out);
  if (request.out.empty()) throw std::invalid_argument("[invalid_argument] no output file given");
  if (!request.overwrite && (fs::exists(result.model_file) || fs::exists(result.card_file))) {
    throw std::invalid_argument("[output_exists] " + result.model_file + " or " + result.card_file +
                                " exists (nothing was overwritten)");
  }
  train::LoadedModel model = train::loadModel(request.run_dir, request.checkpoint, torch::kCPU);
  model.net->eval();
  const nn::NetworkConfig& net = model.net->config();
  const std::int64_t size = model.plan.grid.size;

  const fs::path parent = fs::path(result.model_file).parent_path();
  if (!parent.empty()) {
    std::error_code error;
    fs::create_directories(parent, error);
  }
  const bool onnx = request.format == "onnx";
  json check;
  if (onnx) {
#ifdef PLANELAB_HAVE_ONNX
    saveOnnx(model.net, request.outputs, size, result.model_file, request.software_version);
    // No ONNX Runtime inside PlaneLab: the graph is checked against the network by the tests
    // (onnx.checker and ONNX Runtime, within 1e-4), not per export.
    check = {{"run", false},
             {"why",
              "PlaneLab has no ONNX Runtime; its tests compare ONNX Runtime with the "
              "network (max |difference| <= 1e-4)"}};
#else
    throw std::invalid_argument("[unsupported_format] this build has no ONNX (libonnx-dev)");
#endif
  } else {
    torch::jit::Module module = toTorchScript(model.net, request.outputs);
    saveTorchScript(module, result.model_file);
    // The written file against the network on one input of the model's shape.
    torch::NoGradGuard no_grad;
    torch::manual_seed(0);
    const torch::Tensor x = torch::randn({2, net.in_channels, size, size});
    const std::vector<torch::Tensor> expected = networkOutputs(model.net, x, request.outputs);
    torch::jit::Module loaded = torch::jit::load(result.model_file);
    const std::vector<torch::Tensor> got = tensorsOf(loaded.forward({x}));
    double worst = got.size() == expected.size() ? 0.0 : 1e30;
    for (std::size_t i = 0; i < std::min(got.size(), expected.size()); ++i) {
      worst = got[i].sizes() == expected[i].sizes()
                  ? std::max(worst, (got[i] - expected[i]).abs().max().item<double>())
                  : 1e30;
    }
    result.max_abs_diff = worst;
    if (!(worst <= kTolerance)) {
      removeQuietly(result.model_file);
      throw std::runtime_error(
          "[export_mismatch] the written model's outputs differ from the "
          "network's by " +
          std::to_string(worst));
    }
    check = {{"run", true},
             {"input", "N(0, 1) noise, seed 0, shape [2, in_channels, size, size]"},
             {"max_abs_diff", result.max_abs_diff},
             {"tolerance", kTolerance}};
  }

  const json training_config = trainingConfig(model.config);
  const json run = readJsonFile(fs::path(request.run_dir) / "run.json");
  const json evaluation = readJsonFile(fs::path(request.run_dir) / "evaluation.json");
  // The test metrics without the per-stack / per-subject records: those name patients.
  json metrics =
      evaluation.is_object() && evaluation.contains("test") ? evaluation["test"] : json();
  if (metrics.is_object()) {
    metrics.erase("per_stack");
    metrics.erase("per_subject");
  }
  json card = {{"format", "planelab-model-card"},
               {"format_version", 1},
               {"name", fs::path(request.run_dir).filename().string()},
               {"model",
                {{"file", fs::path(result.model_file).filename().string()},
                 {"format", onnx ? "onnx" : "torchscript"},
                 {"outputs", request.outputs == Outputs::kEncoder ? "encoder" : "heads"},
                 {"load", onnx ? json{{"opset", kOnnxOpset},
                                      {"python", "onnxruntime.InferenceSession(file)"},
                                      {"node", "ort.InferenceSession.create(file)"}}
                               : json{{"python", "torch.jit.load(file).eval()"},
                                      {"cpp", "torch::jit::load(file)"}}}}},
               {"task", model.config.task},
               {"input", tensorSpec("image", {-1, net.in_channels, size, size},
                                    "preprocessed images (see preprocessing), layout NCHW")},
               {"output_order", request.outputs == Outputs::kEncoder || headNames(net).size() > 1
                                    ? "a list/tuple in the order of outputs"
                                    : "one tensor"},
               {"outputs", outputSpecs(net, request.outputs, size)},
               {"preprocessing", preprocessing(model.plan)},
               {"network", net.toJson()},
               {"parameters", nn::parameterCount(model.net)},
               {"training",
                {{"checkpoint", request.checkpoint},
                 {"epoch", model.epoch + 1},
                 {"config", training_config},
                 {"config_hash", data::hex64(data::fnv1a64(training_config.dump()))},
                 {"data", run.is_object() ? dataProvenance(run) : json()},
                 {"selection", run.is_object() ? run.value("selection", "") : ""}}},
               {"pretraining", pretrainingProvenance(model.config)},
               {"metrics", metrics},
               {"software",
                {{"planelab", request.software_version},
                 {"libtorch", TORCH_VERSION},
                 {"trained_with", run.is_object() ? run.value("software", "") : ""}}},
               {"export_check", check}};
  if (model.config.task == "segmentation") {
    json labels = json::array();
    for (std::size_t v = 0; v < model.label_names.size(); ++v)
      labels.push_back({{"value", v}, {"name", model.label_names[v]}});
    card["labels"] = labels;
  } else if (model.config.task == "classification") {
    json classes = json::array();
    for (std::size_t c = 0; c < model.class_names.size(); ++c)
      classes.push_back({{"index", c}, {"name", model.class_names[c]}});
    card["classes"] = classes;
  }
  try {
    data::writeJsonAtomically(result.card_file, card);
  } catch (const std::runtime_error&) {
    removeQuietly(result.model_file);  // a model without its card is not usable
    throw;
  }
  result.card = std::move(card);
  return result;
}

}  // namespace planelab::exporting
