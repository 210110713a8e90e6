#include "app/cli/train_command.h"

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <set>
#include <thread>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "app/cli/cli_common.h"
#include "app/cli/interop_command.h"
#include "app/cli/png_image.h"
#include "app/cli/progress_bar.h"
#include "app/version.h"
#include "data/splits.h"
#include "export/exported_model.h"
#include "export/model_export.h"
#include "nn/step_benchmark.h"
#include "sources/dicom_sources.h"
#include "sources/series_volume.h"
#include "train/config_json.h"
#include "train/predict.h"
#include "train/threshold_baseline.h"
#include "train/trainer.h"

namespace planelab::cli {
namespace fs = std::filesystem;
namespace {

// Flags shared by pretrain and finetune; each overrides the config file only when given.
struct TrainFlags {
  std::string config_file, dataset, out, resume;
  std::optional<std::string> preset, device, sampling;
  std::optional<int> epochs, batch, threads, workers, base_width, depth;
  std::optional<double> lr;
  std::optional<std::uint64_t> seed;
  bool json = false;
};

void addTrainFlags(CLI::App* cmd, TrainFlags& f) {
  cmd->add_option("--config", f.config_file, "Experiment config JSON (docs/experiment-config.md)");
  cmd->add_option("--dataset", f.dataset, "Prepared dataset folder (planelab-cli prepare)");
  cmd->add_option("--out", f.out, "Run folder to create");
  cmd->add_option("--resume", f.resume, "Continue the interrupted run in this folder");
  cmd->add_option("--epochs", f.epochs, "Epochs");
  cmd->add_option("--batch", f.batch, "Batch size");
  cmd->add_option("--lr", f.lr, "Base learning rate");
  cmd->add_option("--seed", f.seed, "Seed (network init, batches, augmentation)");
  cmd->add_option("--threads", f.threads, "CPU threads for LibTorch (0 = all cores)");
  cmd->add_option("--workers", f.workers, "Loader prefetch threads");
  cmd->add_option("--device", f.device, "auto | cpu | cuda");
  cmd->add_option("--preset", f.preset, "Network preset: compact | paper");
  cmd->add_option("--base-width", f.base_width, "Width of the first encoder block");
  cmd->add_option("--depth", f.depth, "Encoder blocks");
  cmd->add_option("--sampling", f.sampling, "one_per_subject | all");
  cmd->add_flag("--json", f.json, "Print a JSON summary on stdout");
}

nlohmann::json readConfigFile(const std::string& file) {
  return file.empty() ? nlohmann::json::object() : train::readJsonConfigFile(file);
}

void applyTrainFlags(const TrainFlags& f, nlohmann::json& j) {
  if (!f.dataset.empty()) j["dataset"] = f.dataset;
  if (!f.out.empty()) j["out"] = f.out;
  if (f.epochs) j["epochs"] = *f.epochs;
  if (f.batch) j["batch_size"] = *f.batch;
  if (f.seed) j["seed"] = *f.seed;
  if (f.threads) j["threads"] = *f.threads;
  if (f.workers) j["workers"] = *f.workers;
  if (f.device) j["device"] = *f.device;
  if (f.sampling) j["sampling"] = *f.sampling;
  if (f.lr) j["optimizer"]["lr"] = *f.lr;
  if (f.preset) j["network"]["preset"] = *f.preset;
  if (f.base_width) j["network"]["base_width"] = *f.base_width;
  if (f.depth) j["network"]["depth"] = *f.depth;
}

std::string lossText(const std::map<std::string, double>& losses) {
  std::string text;
  for (const auto& [name, value] : losses) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%s%s %.4g", text.empty() ? "" : ", ", name.c_str(),
                  value);
    text += buffer;
  }
  return text;
}

// Prints training progress: a bar over all iterations with loss and ETA, one line per epoch.
class CliObserver : public train::Observer {
 public:
  explicit CliObserver(bool quiet) : quiet_(quiet), bar_("train") {}
  void iteration(const train::IterationEvent& e) override {
    const auto total = static_cast<int>(e.batches * e.epochs);
    const auto done = static_cast<int>(e.batches * e.epoch + e.batch);
    char label[96];
    std::snprintf(label, sizeof label, "epoch %d/%d loss %.4g", e.epoch + 1, e.epochs,
                  e.losses.at("total"));
    bar_.setLabel(label);
    bar_.update(done, total, e.elapsed_s);
  }
  void epoch(const train::EpochEvent& e) override {
    bar_.finish();
    if (quiet_) return;
    std::string validation = lossText(e.validation);
    spdlog::info("epoch {}/{}: train {}{}{}; lr {:.3g}; {:.1f} images/s; ETA {}", e.epoch + 1,
                 e.epochs, lossText(e.train), validation.empty() ? "" : "; validation ", validation,
                 e.lr, e.images_per_s, ProgressBar::formatDuration(e.eta_s));
    if (e.best) spdlog::info("  best so far: checkpoints/best.pt");
  }
  void message(const std::string& level, const std::string& text) override {
    bar_.finish();
    if (level == "warning")
      spdlog::warn("{}", text);
    else if (level == "error")
      spdlog::error("{}", text);
    else
      spdlog::info("{}", text);
  }

 private:
  bool quiet_;
  ProgressBar bar_;
};

}  // namespace

int runTrainingCli(const train::TrainConfig& config, bool resume, bool json,
                   train::RunResult* result_out, bool print_summary) {
  const InterruptGuard interrupt;
  train::Control control;
  std::atomic<bool> done{false};
  std::thread watcher([&] {
    while (!done.load()) {
      if (InterruptGuard::cancelRequested()) control.cancel = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });
  CliObserver observer(json);
  train::RunOptions options;
  options.resume = resume;
  options.observer = &observer;
  options.control = &control;
  options.software_version = PLANELAB_VERSION;
  train::RunResult result;
  try {
    result = train::runTraining(config, options);
  } catch (...) {
    done = true;
    watcher.join();
    throw;
  }
  done = true;
  watcher.join();
  nlohmann::json summary = {
      {"status", result.status},
      {"run_dir", result.run_dir},
      {"epochs_done", result.epochs_done},
      {"selection_metric", result.selection_metric},
      {"best_epoch", result.best_epoch + 1},
      {"best_metric", result.best_metric ? nlohmann::json(*result.best_metric) : nlohmann::json()}};
  if (!result.message.empty()) summary["message"] = result.message;
  if (!result.evaluation.is_null()) summary["evaluation"] = result.evaluation;
  if (print_summary && json) {
    std::printf("%s\n", summary.dump(2).c_str());
  } else if (print_summary && result.status == "completed") {
    std::printf("run %s: %d epochs, best %s %.4f at epoch %d\n", result.run_dir.c_str(),
                result.epochs_done, result.selection_metric.c_str(),
                result.best_metric.value_or(NAN), result.best_epoch + 1);
    const auto& test = result.evaluation["test"];
    if (test.contains("mean_dice_3d") && !test["mean_dice_3d"].is_null())
      std::printf("test: mean Dice %.4f (3-D per stack), %.4f (per image); HD95 %.2f mm\n",
                  test["mean_dice_3d"].get<double>(), test.value("mean_dice_2d", NAN),
                  test.value("mean_hd95_mm_3d", NAN));
    if (test.contains("balanced_accuracy"))
      std::printf("test: accuracy %.4f, balanced accuracy %.4f, macro AUC %s\n",
                  test["accuracy"].get<double>(), test["balanced_accuracy"].get<double>(),
                  test["macro_auc"].is_null() ? "n/a" : test["macro_auc"].dump().c_str());
    if (test.contains("location_mse") || test.contains("heatmap_mse") ||
        test.contains("restoration_mse"))
      std::printf("test: %s\n", test.dump().c_str());
  }
  if (result_out) *result_out = result;
  if (result.status == "cancelled") {
    spdlog::warn("[cancelled] stopped by the user after epoch {}; continue with --resume {}",
                 result.epochs_done, result.run_dir);
    return kExitCancelled;
  }
  if (result.status != "completed") {
    spdlog::error("{}", result.message);
    return kExitFailed;
  }
  return kExitOk;
}

namespace {

int trainVerb(const std::string& task, const TrainFlags& f, const nlohmann::json& extra) {
  try {
    if (!f.resume.empty()) {
      train::TrainConfig config = train::loadRunConfig(f.resume);
      return runTrainingCli(config, true, f.json);
    }
    nlohmann::json j = readConfigFile(f.config_file);
    if (task != "pretrain" && !j.contains("task")) j["task"] = task;
    if (task == "pretrain") j["task"] = "pretrain";
    applyTrainFlags(f, j);
    for (const auto& [key, value] : extra.items()) {
      if (value.is_object())
        for (const auto& [k, v] : value.items()) j[key][k] = v;
      else
        j[key] = value;
    }
    const auto config = train::configFromJson(j);
    if (config.dataset.empty()) throw std::invalid_argument("[invalid_config] --dataset is needed");
    if (config.out.empty()) throw std::invalid_argument("[invalid_config] --out is needed");
    return runTrainingCli(config, false, f.json);
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return kExitFailed;
  }
}

// --config for evaluate and predict: a JSON object with the flags' names (without "--", "_" for
// "-"); a flag given on the command line wins. Strict like the training config.
class VerbConfig {
 public:
  VerbConfig(const std::string& file, const std::string& verb)
      : json_(readConfigFile(file)), reader_(json_, verb), verb_(verb) {}
  template <class T>
  void apply(const char* key, CLI::Option* flag, T& value) {
    T from_file = value;
    reader_.get(key, from_file);
    if (flag->count() == 0) value = from_file;
  }
  // A list of strings that may also be given as one string (a single series).
  void applyList(const char* key, CLI::Option* flag, std::vector<std::string>& value) {
    nlohmann::json from_file;
    reader_.get(key, from_file);
    if (flag->count() > 0 || from_file.is_null()) return;
    if (from_file.is_string()) {
      value = {from_file.get<std::string>()};
      return;
    }
    const nlohmann::json wrapped{{key, from_file}};  // JsonReader keeps a reference
    train::JsonReader list(wrapped, verb_);
    list.get(key, value);
  }
  void finish() const { reader_.finish(); }

 private:
  nlohmann::json json_;
  train::JsonReader reader_;
  std::string verb_;
};

int evaluateVerb(const std::string& run, const std::string& checkpoint, const std::string& part,
                 const std::string& dataset, bool json) {
  try {
    const auto result = train::evaluateRun(run, checkpoint, part, dataset);
    if (json) {
      std::printf("%s\n", result.dump(2).c_str());
    } else {
      std::printf("%s (%s checkpoint, epoch %d) on the %s split:\n", run.c_str(),
                  checkpoint.c_str(), result["epoch"].get<int>(), part.c_str());
      for (const auto& [key, value] : result["metrics"].items())
        std::printf("  %-24s %s\n", key.c_str(), value.dump().c_str());
    }
    return kExitOk;
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return kExitFailed;
  }
}

// Colour per label value for the quick-look overlays.
Rgb labelColour(int value) {
  static const Rgb colours[] = {{0, 0, 0},      {230, 25, 75},  {60, 180, 75},  {0, 130, 200},
                                {255, 225, 25}, {145, 30, 180}, {70, 240, 240}, {240, 50, 230}};
  return colours[value % 8];
}

// What predict applies: a run's checkpoint (the C++ network) or an exported TorchScript model with
// its card; either gives the plan, the label names and the segmentation logits.
struct Predictor {
  std::vector<std::string> label_names;
  nlohmann::json provenance;
  std::string algorithm;  // names the model in DICOM SEG results
  std::function<std::vector<std::vector<std::uint8_t>>(const std::vector<train::SourceImage>&)>
      predict;
};

int predictVerb(const std::string& run, const std::string& model_file,
                const std::string& checkpoint, const std::string& catalog_file,
                const std::vector<std::string>& series_uids, const std::string& out, int threads,
                bool json) {
  int exit_code = kExitOk;
  auto cat = openOrReport(catalog_file, &exit_code);
  if (!cat) return exit_code;
  try {
    Predictor predictor;
    std::optional<train::LoadedModel> model;
    std::optional<exporting::ExportedModel> exported;
    if (!model_file.empty()) {
      train::applyThreads(threads);
      exported = exporting::loadExportedModel(model_file);
      predictor.label_names = exported->label_names;
      predictor.algorithm = "PlaneLab model " + fs::path(model_file).filename().string();
      predictor.provenance = {{"model", model_file},
                              {"card", exporting::cardPath(model_file)},
                              {"trained_epoch", exported->card["training"].value("epoch", 0)}};
      predictor.predict =
          [&exported, forward = exporting::segmentationForward(*exported)](const auto& images) {
            return train::predictSegmentation(exported->plan, forward, images);
          };
    } else {
      const auto config = train::loadRunConfig(run);
      train::applyThreads(threads > 0 ? threads : config.threads);
      model = train::loadModel(run, checkpoint, train::resolveDevice(config.device));
      predictor.label_names = model->label_names;
      predictor.algorithm = "PlaneLab run " + fs::path(run).lexically_normal().filename().string() +
                            " (" + checkpoint + ")";
      predictor.provenance = {
          {"run", run}, {"checkpoint", checkpoint}, {"epoch", model->epoch + 1}};
      predictor.predict = [&model](const auto& images) {
        return train::predictSegmentation(*model, images);
      };
    }
    // The series' images, in catalog order.
    const std::set<std::string> wanted(series_uids.begin(), series_uids.end());
    std::set<std::string> found, studies;
    std::vector<catalog::StudyImage> images;
    for (const auto& study : cat->studies())
      for (auto& image : cat->studyImages(study.id))
        if (wanted.count(image.series_instance_uid)) {
          found.insert(image.series_instance_uid);
          studies.insert(study.study_instance_uid);
          images.push_back(std::move(image));
        }
    if (studies.size() > 1)
      throw std::invalid_argument(
          "[invalid_argument] the series of one prediction belong to one "
          "study (found " +
          std::to_string(studies.size()) + ")");
    for (const auto& uid : series_uids)
      if (!found.count(uid))
        throw std::invalid_argument("[unknown_series] no images of series " + uid + " in " +
                                    catalog_file);
    sources::DicomPixels pixels;
    std::vector<train::SourceImage> sources;
    std::vector<const catalog::StudyImage*> used;
    for (const auto& image : images) {
      if (!image.image_position_patient || !image.image_orientation_patient ||
          !image.pixel_spacing) {
        spdlog::warn("[missing_geometry] {} frame {} skipped", image.sop_instance_uid,
                     image.frame_number);
        continue;
      }
      std::string key;
      auto data = pixels.load(planelab::sources::planeImageOf(image), &key);
      if (!data) {
        spdlog::warn("[{}] {} frame {} skipped", key, image.sop_instance_uid, image.frame_number);
        continue;
      }
      train::SourceImage s;
      s.plane = planelab::sources::planeOf(image);
      s.pixels = std::move(data->values);
      sources.push_back(std::move(s));
      used.push_back(&image);
    }
    const auto labels = predictor.predict(sources);
    fs::create_directories(fs::path(out) / "overlays");
    const fs::path raw = fs::path(out) / "labels.u8";
    std::ofstream raw_out(raw.string() + ".tmp", std::ios::binary);
    nlohmann::json manifest = predictor.provenance;
    manifest.update({{"series_instance_uid", series_uids.front()},
                     {"series_instance_uids", series_uids},
                     {"label_names", predictor.label_names},
                     {"labels_file", "labels.u8"},
                     {"images", nlohmann::json::array()}});
    std::uint64_t offset = 0;
    for (std::size_t i = 0; i < labels.size(); ++i) {
      const auto& map = labels[i];
      raw_out.write(reinterpret_cast<const char*>(map.data()),
                    static_cast<std::streamsize>(map.size()));
      std::vector<std::int64_t> counts(predictor.label_names.size(), 0);
      for (auto v : map)
        if (v < counts.size()) ++counts[v];
      const auto& plane = sources[i].plane;
      auto rgb = greyToRgb(sources[i].pixels, plane.rows, plane.cols,
                           percentileWindow(sources[i].pixels).first,
                           percentileWindow(sources[i].pixels).second);
      for (std::size_t k = 1; k < predictor.label_names.size(); ++k) {
        std::vector<float> mask(map.size());
        for (std::size_t p = 0; p < map.size(); ++p) mask[p] = map[p] == k ? 1.0f : 0.0f;
        blendHeatmap(rgb, mask, labelColour(static_cast<int>(k)), 0.45f);
      }
      char name[64];
      std::snprintf(name, sizeof name, "%04zu.png", i);
      std::string error;
      if (!writePng(fs::path(out) / "overlays" / name, rgb, &error))
        throw std::runtime_error("[cannot_write] " + error);
      manifest["images"].push_back({{"sop_instance_uid", used[i]->sop_instance_uid},
                                    {"frame_number", used[i]->frame_number},
                                    {"rows", plane.rows},
                                    {"cols", plane.cols},
                                    {"offset", offset},
                                    {"overlay", std::string("overlays/") + name},
                                    {"pixels_per_label", counts}});
      offset += map.size();
    }
    raw_out.close();
    if (!raw_out) throw std::runtime_error("[cannot_write] " + raw.string());
    fs::rename(raw.string() + ".tmp", raw);
    manifest.update(writeStandardResults(used, sources, labels, predictor.label_names,
                                         predictor.algorithm, out));
    data::writeJsonAtomically((fs::path(out) / "predictions.json").string(), manifest);
    if (json)
      std::printf("%s\n", manifest.dump(2).c_str());
    else
      std::printf(
          "predicted %zu images of series %s -> %s (segmentation.dcm, labels.nii.gz, labels.u8, "
          "overlays/, predictions.json)\n",
          labels.size(), series_uids.size() == 1 ? series_uids.front().c_str() : "(several)",
          out.c_str());
    return kExitOk;
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return kExitFailed;
  }
}

}  // namespace

void addTrainingCommands(CLI::App& app, int* exit_code) {
  // pretrain
  auto* pretrain = app.add_subcommand(
      "pretrain", "Pretrain a network on the pretext tasks (intersecting lines, slice location)");
  static TrainFlags pretrain_flags;
  static std::string variant;
  static std::optional<double> heatmap_weight, location_weight;
  addTrainFlags(pretrain, pretrain_flags);
  pretrain->add_option("--variant", variant,
                       "multitask | orientation | location | genesis (Models-Genesis baseline)");
  pretrain->add_option("--heatmap-weight", heatmap_weight, "Weight of the heatmap loss");
  pretrain->add_option("--location-weight", location_weight, "Weight of the location loss");
  pretrain->callback([exit_code] {
    nlohmann::json extra = nlohmann::json::object();
    if (!variant.empty()) extra["pretext"]["variant"] = variant;
    if (heatmap_weight) extra["pretext"]["heatmap_weight"] = *heatmap_weight;
    if (location_weight) extra["pretext"]["location_weight"] = *location_weight;
    *exit_code = trainVerb("pretrain", pretrain_flags, extra);
  });

  // finetune
  auto* finetune = app.add_subcommand(
      "finetune", "Fine-tune for segmentation or classification, from a pretrained run or scratch");
  static TrainFlags finetune_flags;
  static std::string task = "segmentation", init, transfer;
  static std::optional<int> labelled;
  static std::optional<std::uint64_t> budget_seed;
  static bool allow_mismatch = false;
  addTrainFlags(finetune, finetune_flags);
  finetune->add_option("--task", task, "segmentation | classification");
  finetune->add_option("--init", init, "Pretraining run folder (omit for training from scratch)");
  finetune->add_option("--transfer", transfer, "encoder | encoder_decoder");
  finetune->add_option("--labelled", labelled,
                       "Labelled training subjects (the label budget; 0 = all)");
  finetune->add_option("--budget-seed", budget_seed, "Seed of the label-budget draw");
  finetune->add_flag("--allow-plan-mismatch", allow_mismatch,
                     "Fine-tune even if the pretrained run's preprocessing plan differs");
  finetune->callback([exit_code] {
    nlohmann::json extra = nlohmann::json::object();
    if (!init.empty()) extra["finetune"]["init"] = init;
    if (!transfer.empty()) extra["finetune"]["transfer"] = transfer;
    if (labelled) extra["finetune"]["labelled_subjects"] = *labelled;
    if (budget_seed) extra["finetune"]["budget_seed"] = *budget_seed;
    if (allow_mismatch) extra["finetune"]["allow_plan_mismatch"] = true;
    *exit_code = trainVerb(task, finetune_flags, extra);
  });

  // evaluate
  auto* evaluate = app.add_subcommand("evaluate", "Evaluate a run's checkpoint on a split");
  static std::string eval_run, eval_checkpoint = "best", eval_part = "test", eval_dataset,
                               eval_config;
  static bool eval_json = false;
  auto* e_run = evaluate->add_option("run", eval_run, "Run folder");
  auto* e_checkpoint = evaluate->add_option("--checkpoint", eval_checkpoint, "best | last");
  auto* e_part = evaluate->add_option("--part", eval_part, "train | val | test");
  auto* e_dataset =
      evaluate->add_option("--dataset", eval_dataset,
                           "Another prepared dataset with the same plan (default: the run's)");
  evaluate->add_option("--config", eval_config,
                       "JSON with run, checkpoint, part, dataset (flags win)");
  evaluate->add_flag("--json", eval_json, "Print JSON");
  evaluate->callback([exit_code, e_run, e_checkpoint, e_part, e_dataset] {
    try {
      if (!eval_config.empty()) {
        VerbConfig c(eval_config, "evaluate");
        c.apply("run", e_run, eval_run);
        c.apply("checkpoint", e_checkpoint, eval_checkpoint);
        c.apply("part", e_part, eval_part);
        c.apply("dataset", e_dataset, eval_dataset);
        c.finish();
      }
      if (eval_run.empty())
        throw std::invalid_argument("[invalid_argument] a run folder is needed");
    } catch (const std::exception& e) {
      spdlog::error("{}", e.what());
      *exit_code = kExitFailed;
      return;
    }
    *exit_code = evaluateVerb(eval_run, eval_checkpoint, eval_part, eval_dataset, eval_json);
  });

  // predict
  auto* predict = app.add_subcommand("predict", "Segment a series with a trained run");
  static std::vector<std::string> predict_series;
  static std::string predict_run, predict_checkpoint = "best", predict_catalog, predict_out,
                                  predict_config, predict_model;
  static int predict_threads = 0;
  static bool predict_json = false;
  auto* p_run = predict->add_option("run", predict_run, "Run folder (segmentation)");
  auto* p_model = predict->add_option(
      "--model", predict_model,
      "An exported model (planelab-cli export) instead of a run: its card gives the "
      "preprocessing and labels");
  auto* p_catalog = predict->add_option("--catalog", predict_catalog, "Catalog");
  auto* p_series = predict->add_option(
      "--series", predict_series,
      "SeriesInstanceUID(s): several make one result (e.g. a short-axis stack of one series per "
      "slice)");
  auto* p_out = predict->add_option("--out", predict_out, "Output folder");
  auto* p_checkpoint = predict->add_option("--checkpoint", predict_checkpoint, "best | last");
  auto* p_threads =
      predict->add_option("--threads", predict_threads, "CPU threads (0 = the run's setting)");
  predict->add_option(
      "--config", predict_config,
      "JSON with run or model, catalog, series, out, checkpoint, threads (flags win)");
  predict->add_flag("--json", predict_json, "Print the manifest as JSON");
  predict->callback([exit_code, p_run, p_model, p_catalog, p_series, p_out, p_checkpoint,
                     p_threads] {
    try {
      if (!predict_config.empty()) {
        VerbConfig c(predict_config, "predict");
        c.apply("run", p_run, predict_run);
        c.apply("model", p_model, predict_model);
        c.apply("catalog", p_catalog, predict_catalog);
        c.applyList("series", p_series, predict_series);
        c.apply("out", p_out, predict_out);
        c.apply("checkpoint", p_checkpoint, predict_checkpoint);
        c.apply("threads", p_threads, predict_threads);
        c.finish();
      }
      if (predict_run.empty() == predict_model.empty() || predict_catalog.empty() ||
          predict_series.empty() || predict_out.empty())
        throw std::invalid_argument(
            "[invalid_argument] predict needs a run folder or --model (one of them), --catalog, "
            "--series and --out");
    } catch (const std::exception& e) {
      spdlog::error("{}", e.what());
      *exit_code = kExitFailed;
      return;
    }
    *exit_code = predictVerb(predict_run, predict_model, predict_checkpoint, predict_catalog,
                             predict_series, predict_out, predict_threads, predict_json);
  });

  // baseline
  auto* baseline = app.add_subcommand(
      "baseline",
      "Non-learned baseline on a dataset: Otsu threshold + the component nearest the centre");
  static std::string baseline_dataset, baseline_label = "LV cavity";
  static bool baseline_json = false;
  baseline->add_option("dataset", baseline_dataset, "Prepared dataset folder")->required();
  baseline->add_option("--label", baseline_label, "The structure it stands for (a label name)");
  baseline->add_flag("--json", baseline_json, "Print the result as JSON");
  baseline->callback([exit_code] {
    try {
      const auto dataset = data::PreparedDataset::open(baseline_dataset);
      const auto r = train::evaluateThresholdBaseline(*dataset, baseline_label);
      if (baseline_json) {
        std::printf("%s\n", nlohmann::json{{"baseline", "otsu_nearest_component"},
                                           {"label", r.label},
                                           {"images", r.images},
                                           {"mean_dice", r.mean_dice},
                                           {"median_dice", r.median_dice}}
                                .dump(2)
                                .c_str());
      } else {
        std::printf(
            "Otsu + component nearest the centre as '%s': mean Dice %.3f, median %.3f "
            "over %d labelled images\n",
            r.label.c_str(), r.mean_dice, r.median_dice, r.images);
      }
      *exit_code = kExitOk;
    } catch (const std::exception& e) {
      spdlog::error("{}", e.what());
      *exit_code = kExitFailed;
    }
  });

  // benchmark train
  auto* benchmark = app.add_subcommand("benchmark", "Speed measurements");
  benchmark->require_subcommand(1);
  auto* bench_train = benchmark->add_subcommand(
      "train", "Images/s of one pretraining step (U-Net, heatmap + location heads, Adam)");
  static nn::StepBenchmarkOptions bench;
  static bool bench_json = false;
  bench_train->add_option("--base", bench.base, "Base width");
  bench_train->add_option("--size", bench.size, "Input size (pixels)");
  bench_train->add_option("--batch", bench.batch, "Batch size");
  bench_train->add_option("--steps", bench.steps, "Timed steps");
  bench_train->add_option("--warmup", bench.warmup, "Untimed steps first");
  bench_train->add_option("--threads", bench.threads, "CPU threads");
  bench_train->add_option("--depth", bench.depth, "Encoder blocks");
  bench_train->add_option("--device", bench.device, "cpu | cuda");
  bench_train->add_flag("--json", bench_json, "Print JSON");
  bench_train->callback([exit_code] {
    try {
      const auto r = nn::benchmarkTrainStep(bench);
      const nlohmann::json j = {{"images_per_s", r.images_per_s},
                                {"seconds_per_step", r.seconds_per_step},
                                {"parameters", r.parameters},
                                {"threads", r.threads},
                                {"device", r.device},
                                {"base", bench.base},
                                {"size", bench.size},
                                {"batch", bench.batch},
                                {"steps", bench.steps}};
      if (bench_json)
        std::printf("%s\n", j.dump().c_str());
      else
        std::printf("%.2f images/s (%.3f s/step, %lld parameters, %d threads, %s)\n",
                    r.images_per_s, r.seconds_per_step, static_cast<long long>(r.parameters),
                    r.threads, r.device.c_str());
      *exit_code = kExitOk;
    } catch (const std::exception& e) {
      spdlog::error("{}", e.what());
      *exit_code = kExitFailed;
    }
  });
}

}  // namespace planelab::cli
