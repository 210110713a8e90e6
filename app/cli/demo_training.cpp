#include "app/cli/demo_training.h"

#include <cmath>
#include <cstdio>
#include <thread>

#include <spdlog/spdlog.h>

#include "app/cli/cli_common.h"
#include "app/cli/train_command.h"
#include "prepare/class_labels.h"
#include "prepare/prepare.h"
#include "sources/dicom_sources.h"
#include "train/trainer.h"

namespace planelab::cli {
namespace {

// CPU-sized settings (docs/benchmarks.md: ~35 images/s for this network on 2 cores): 96 px at
// 2.5 mm covers the heart and its surroundings (240 mm); base width 8, depth 5.
data::PreprocessingPlan demoPlan() {
  data::PreprocessingPlan plan;
  plan.organ = "heart";
  plan.grid.size = 96;
  plan.grid.spacing_mm = 2.5;
  plan.heatmap.sigma_px = 3.0;  // 7.5 mm, about the paper's 6 px at 1.26 mm
  plan.phases = data::PhaseSelection::kAll;
  return plan;
}

train::TrainConfig demoConfig(const std::string& task, const std::filesystem::path& dataset,
                              const std::filesystem::path& out, int threads) {
  train::TrainConfig c = train::defaultConfig(task);
  c.dataset = dataset.string();
  c.out = out.string();
  c.threads = threads;
  c.network.base_width = 8;
  c.network.depth = 5;
  c.sampling = "all";
  c.batch_size = 16;
  if (task == "pretrain") {
    c.epochs = 4;
  } else {
    // ~40 labelled images: 160 epochs are ~480 steps (x0.5 after 100); the best validation
    // epoch is kept.
    c.epochs = 160;
    c.validate_every = 10;
    c.schedule.step_epochs = 100;
    c.finetune.labelled_subjects = 2;
  }
  return c;
}

double testDice(const train::RunResult& r) {
  const auto& v = r.evaluation["test"]["mean_dice_3d"];
  return v.is_number() ? v.get<double>() : -1.0;
}

}  // namespace

int runDemoTraining(const DemoTrainingOptions& o, nlohmann::json* report) {
  int exit_code = kExitOk;
  auto cat = openOrReport(o.catalog_file.string(), &exit_code);
  if (!cat) return exit_code;
  try {
    // The cardiac studies of the catalog (the knees are curated but not trained on here).
    std::vector<std::int64_t> hearts;
    for (const auto& study : cat->studies()) {
      const auto images = cat->studyImages(study.id);
      if (!images.empty() && images.front().body_part == "HEART") hearts.push_back(study.id);
    }
    const auto dataset = o.out / "dataset";
    prepare::PrepareOptions options;
    options.plan = demoPlan();
    options.jobs = o.threads;
    options.class_labels = prepare::readClassLabels(o.subjects_csv.string());
    if (!o.json)
      std::printf("\npreparing %zu cardiac studies -> %s (96 px at 2.5 mm, z-score)\n",
                  hearts.size(), dataset.string().c_str());
    sources::DicomPixels pixels;
    sources::DicomLabels labels(*cat, hearts);
    const auto summary =
        prepare::prepareFromCatalog(*cat, hearts, pixels, &labels, dataset.string(), options);
    (*report)["prepare"] = {{"subjects", summary.subjects},
                            {"samples", summary.samples},
                            {"labelled_samples", summary.labelled_samples}};
    if (!o.json)
      std::printf("  %lld samples (%lld labelled) from %lld subjects\n",
                  static_cast<long long>(summary.samples),
                  static_cast<long long>(summary.labelled_samples),
                  static_cast<long long>(summary.subjects));

    const auto runs = o.out / "runs";
    if (!o.json) std::printf("\npretraining (multitask: intersecting lines + slice location)\n");
    train::RunResult pre;
    exit_code =
        runTrainingCli(demoConfig("pretrain", dataset, runs / "pretrain-multitask", o.threads),
                       false, o.json, &pre, !o.json);
    if (exit_code != kExitOk) return exit_code;

    if (!o.json)
      std::printf("\nfine-tuning for segmentation with 2 labelled subjects, pretrained\n");
    auto ft = demoConfig("segmentation", dataset, runs / "finetune-pretrained", o.threads);
    ft.finetune.init = (runs / "pretrain-multitask").string();
    train::RunResult pretrained;
    exit_code = runTrainingCli(ft, false, o.json, &pretrained, !o.json);
    if (exit_code != kExitOk) return exit_code;

    if (!o.json)
      std::printf("\nfine-tuning for segmentation with 2 labelled subjects, from scratch\n");
    train::RunResult scratch;
    exit_code =
        runTrainingCli(demoConfig("segmentation", dataset, runs / "finetune-scratch", o.threads),
                       false, o.json, &scratch, !o.json);
    if (exit_code != kExitOk) return exit_code;

    (*report)["pretrain"] = pre.evaluation;
    (*report)["test_dice_pretrained"] = testDice(pretrained);
    (*report)["test_dice_scratch"] = testDice(scratch);
    if (!o.json) {
      const auto& t = pre.evaluation["test"];
      std::printf(
          "\npretext tasks on the test subjects: slice location MSE %.4f (a constant "
          "predictor: %.4f), heatmap MSE %.4f (constant: %.4f)\n",
          t.value("location_mse", NAN), t.value("constant_location_mse", NAN),
          t.value("heatmap_mse", NAN), t.value("constant_heatmap_mse", NAN));
      std::printf(
          "test mean Dice (LV cavity, myocardium, RV; 3-D per stack), 2 labelled subjects:\n");
      std::printf("  pretrained (multitask): %.4f\n", testDice(pretrained));
      std::printf("  from scratch:           %.4f\n", testDice(scratch));
      std::printf(
          "runs in %s (evaluation.json, metrics.jsonl). A few CPU epochs on 16 phantom "
          "hearts: a demonstration of the pipeline, not evidence either way\n",
          runs.string().c_str());
    }
    return kExitOk;
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return kExitFailed;
  }
}

}  // namespace planelab::cli
