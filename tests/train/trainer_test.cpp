// The trainer end to end on a tiny in-memory phantom dataset (small grid, small network): the
// loss decreases, a run stopped after epoch k and resumed ends with the weights of the
// uninterrupted run, fine-tuning reports which tensors it transferred, the plan check refuses a
// mismatched pretrained run, and a NaN loss stops the run with a clear key.
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "data/prepared_dataset.h"
#include "prepare/prepare.h"
#include "train/checkpoint.h"
#include "train/trainer.h"

namespace planelab::train {
namespace {
namespace fs = std::filesystem;

fs::path root() {
  const char* dir = std::getenv("PLANELAB_TEST_TMP");
  // Per process: CTest runs each test in its own process, two at a time.
  return fs::path(dir ? dir : "/tmp") / "trainer" / std::to_string(::getpid());
}

data::PreprocessingPlan smallPlan(double spacing_mm) {
  data::PreprocessingPlan plan;
  plan.grid.size = 32;
  plan.grid.spacing_mm = spacing_mm;
  plan.phases = data::PhaseSelection::kEdEs;
  return plan;
}

// 6 phantom hearts at 32 px / 5 mm, ED and ES phases; built once per spacing.
std::string dataset(double spacing_mm) {
  const auto folder = root() / ("dataset_" + std::to_string(static_cast<int>(spacing_mm * 10)));
  if (fs::exists(folder / "dataset.json")) return folder.string();
  fs::remove_all(folder);
  prepare::PhantomCohort cohort;
  cohort.seed = 11;
  cohort.subjects = 6;
  cohort.study.phases = 4;
  prepare::PrepareOptions options;
  options.plan = smallPlan(spacing_mm);
  options.jobs = 2;
  prepare::prepareFromPhantom(cohort, folder.string(), options);
  return folder.string();
}

TrainConfig tinyConfig(const std::string& task, const std::string& out) {
  TrainConfig c = defaultConfig(task);
  c.dataset = dataset(5.0);
  c.out = (root() / out).string();
  fs::remove_all(c.out);
  c.threads = 2;
  c.workers = 2;
  c.network.base_width = 4;
  c.network.depth = 3;
  c.epochs = 4;
  c.batch_size = 8;
  c.sampling = "all";
  c.split.val_fraction = 0.2;
  c.split.test_fraction = 0.2;
  return c;
}

std::map<std::string, torch::Tensor> weights(const std::string& run) {
  const auto config = loadRunConfig(run);
  auto model = loadModel(run, "last", torch::kCPU);
  std::map<std::string, torch::Tensor> out;
  for (const auto& item : model.net->named_parameters()) out[item.key()] = item.value().clone();
  for (const auto& item : model.net->named_buffers()) out[item.key()] = item.value().clone();
  return out;
}

class StopAfter : public Observer {
 public:
  StopAfter(Control* control, int epoch) : control_(control), epoch_(epoch) {}
  void epoch(const EpochEvent& e) override {
    if (e.epoch == epoch_) control_->cancel = true;
  }

 private:
  Control* control_;
  int epoch_;
};

TEST(Trainer, PretrainingLossDecreases) {
  auto c = tinyConfig("pretrain", "pretrain_loss");
  c.epochs = 8;
  c.optimizer.lr = 3e-3;
  const auto result = runTraining(c, {});
  ASSERT_EQ(result.status, "completed") << result.message;
  EXPECT_EQ(result.epochs_done, 8);
  std::ifstream log(fs::path(c.out) / "metrics.jsonl");
  std::vector<double> epoch_loss;
  std::string line;
  while (std::getline(log, line)) {
    const auto j = nlohmann::json::parse(line);
    if (j["type"] == "epoch") epoch_loss.push_back(j["train"]["total"].get<double>());
  }
  ASSERT_EQ(epoch_loss.size(), 8u);
  EXPECT_LT(epoch_loss.back(), 0.7 * epoch_loss.front());
  // The run folder describes itself.
  for (const char* file : {"config.json", "plan.json", "splits.json", "run.json", "evaluation.json",
                           "checkpoints/best.pt", "checkpoints/last.pt"})
    EXPECT_TRUE(fs::exists(fs::path(c.out) / file)) << file;
  const auto& test = result.evaluation["test"];
  EXPECT_TRUE(test.contains("heatmap_mse"));
  EXPECT_TRUE(test.contains("constant_location_mse"));
  // The per-pixel mean map can only beat one constant value; the mean's MAE is at most its RMSE.
  EXPECT_LE(test["mean_map_heatmap_mse"].get<double>(),
            test["constant_heatmap_mse"].get<double>() + 1e-12);
  EXPECT_GT(test["mean_map_heatmap_mse"].get<double>(), 0.0);
  EXPECT_LE(test["constant_location_mae"].get<double>(),
            std::sqrt(test["constant_location_mse"].get<double>()) + 1e-12);
}

TEST(Trainer, ResumedRunEndsWithTheUninterruptedWeights) {
  const auto full = tinyConfig("pretrain", "resume_full");
  ASSERT_EQ(runTraining(full, {}).status, "completed");

  const auto part = tinyConfig("pretrain", "resume_part");
  Control control;
  StopAfter stop(&control, 1);  // cancel once epoch 2 (index 1) has been checkpointed
  RunOptions first;
  first.control = &control;
  first.observer = &stop;
  const auto stopped = runTraining(part, first);
  ASSERT_EQ(stopped.status, "cancelled");
  EXPECT_EQ(stopped.epochs_done, 2);
  RunOptions again;
  again.resume = true;
  const auto resumed = runTraining(part, again);
  ASSERT_EQ(resumed.status, "completed") << resumed.message;
  EXPECT_EQ(resumed.epochs_done, 4);

  const auto a = weights(full.out), b = weights(part.out);
  ASSERT_EQ(a.size(), b.size());
  double worst = 0.0;
  for (const auto& [name, tensor] : a)
    worst = std::max(
        worst,
        (tensor.to(torch::kDouble) - b.at(name).to(torch::kDouble)).abs().max().item<double>());
  EXPECT_LE(worst, 1e-6);
  // The metrics log has each epoch once.
  std::ifstream log(fs::path(part.out) / "metrics.jsonl");
  int epochs = 0;
  std::string line;
  while (std::getline(log, line)) epochs += nlohmann::json::parse(line)["type"] == "epoch";
  EXPECT_EQ(epochs, 4);
}

TEST(Trainer, FineTuningTransfersEncoderAndDecoderAndScratchDoesNot) {
  auto pre = tinyConfig("pretrain", "ft_pretrain");
  pre.epochs = 2;
  ASSERT_EQ(runTraining(pre, {}).status, "completed");

  auto ft = tinyConfig("segmentation", "ft_pretrained");
  ft.epochs = 2;
  ft.finetune.init = pre.out;
  ft.finetune.labelled_subjects = 2;
  const auto result = runTraining(ft, {});
  ASSERT_EQ(result.status, "completed") << result.message;
  std::ifstream in(fs::path(ft.out) / "transfer.json");
  const auto transfer = nlohmann::json::parse(in);
  int encoder = 0, decoder = 0;
  for (const auto& name : transfer["transferred"]) {
    const auto s = name.get<std::string>();
    encoder += s.rfind("encoder.", 0) == 0;
    decoder += s.rfind("decoder.", 0) == 0;
    EXPECT_EQ(s.rfind("heads.", 0), std::string::npos) << s;
  }
  EXPECT_GT(encoder, 0);
  EXPECT_GT(decoder, 0);
  std::ifstream budget_in(fs::path(ft.out) / "label_budget.json");
  EXPECT_EQ(nlohmann::json::parse(budget_in)["labelled"].size(), 2u);
  EXPECT_TRUE(result.evaluation["test"].contains("mean_dice_3d"));

  auto enc = tinyConfig("segmentation", "ft_encoder");
  enc.epochs = 1;
  enc.finetune.init = pre.out;
  enc.finetune.transfer = "encoder";
  ASSERT_EQ(runTraining(enc, {}).status, "completed");
  std::ifstream enc_in(fs::path(enc.out) / "transfer.json");
  for (const auto& name : nlohmann::json::parse(enc_in)["transferred"])
    EXPECT_EQ(name.get<std::string>().rfind("encoder.", 0), 0u) << name;

  auto scratch = tinyConfig("segmentation", "ft_scratch");
  scratch.epochs = 1;
  ASSERT_EQ(runTraining(scratch, {}).status, "completed");
  EXPECT_FALSE(fs::exists(fs::path(scratch.out) / "transfer.json"));
}

TEST(Trainer, EveryPretrainingVariantTrainsItsHeads) {
  struct Variant {
    const char* name;
    bool permute;
    std::vector<std::string> losses;  // loss keys of the iterations
    const char* test_metric;          // in evaluation.json's test section
  };
  const std::vector<Variant> variants = {
      {"orientation", false, {"heatmap", "total"}, "heatmap_mse"},
      {"location", false, {"location", "total"}, "location_mse"},
      {"genesis", false, {"restoration", "total"}, "restoration_mse"},
      {"multitask", true, {"heatmap", "location", "total"}, "location_mse"},
  };
  for (const auto& v : variants) {
    auto c = tinyConfig("pretrain", std::string("variant_") + v.name + (v.permute ? "_perm" : ""));
    c.epochs = 1;
    c.pretext.variant = v.name;
    c.pretext.permute_targets = v.permute;
    const auto result = runTraining(c, {});
    ASSERT_EQ(result.status, "completed") << v.name << ": " << result.message;
    EXPECT_TRUE(result.evaluation["test"].contains(v.test_metric)) << v.name;
    std::ifstream log(fs::path(c.out) / "metrics.jsonl");
    std::string line;
    std::getline(log, line);
    const auto first = nlohmann::json::parse(line);
    std::vector<std::string> keys;
    for (const auto& item : first["losses"].items()) keys.push_back(item.key());
    EXPECT_EQ(keys, v.losses) << v.name;
  }
}

TEST(Trainer, ClassificationRunsOnSubjectGroups) {
  auto c = tinyConfig("classification", "classify");
  c.epochs = 2;
  const auto result = runTraining(c, {});
  ASSERT_EQ(result.status, "completed") << result.message;
  EXPECT_TRUE(result.evaluation["test"].contains("balanced_accuracy"));
}

TEST(Trainer, RefusesAMismatchedPlanUnlessAllowed) {
  auto pre = tinyConfig("pretrain", "plan_pretrain");
  pre.dataset = dataset(6.0);  // another spacing
  pre.epochs = 1;
  ASSERT_EQ(runTraining(pre, {}).status, "completed");
  auto ft = tinyConfig("segmentation", "plan_ft");
  ft.epochs = 1;
  ft.finetune.init = pre.out;
  try {
    runTraining(ft, {});
    ADD_FAILURE() << "a mismatched plan was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("[plan_mismatch]"), std::string::npos) << e.what();
  }
  fs::remove_all(ft.out);
  ft.finetune.allow_plan_mismatch = true;
  EXPECT_EQ(runTraining(ft, {}).status, "completed");
}

// Pauses at the first iteration; another thread resumes it after a while.
class PauseOnce : public Observer {
 public:
  explicit PauseOnce(Control* control) : control_(control) {}
  void iteration(const IterationEvent& e) override {
    if (e.step == 1) {
      control_->pause = true;
      paused_at_ = std::chrono::steady_clock::now();
    }
    if (e.step == 2) resumed_after_ = std::chrono::steady_clock::now() - paused_at_;
  }
  std::chrono::steady_clock::duration resumed_after_{};

 private:
  Control* control_;
  std::chrono::steady_clock::time_point paused_at_;
};

TEST(Trainer, PauseHoldsBetweenIterationsUntilResumed) {
  auto c = tinyConfig("pretrain", "pause");
  c.epochs = 1;
  Control control;
  PauseOnce observer(&control);
  RunOptions options;
  options.control = &control;
  options.observer = &observer;
  std::thread resumer([&] {
    while (!control.pause) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    control.pause = false;
  });
  const auto result = runTraining(c, options);
  resumer.join();
  EXPECT_EQ(result.status, "completed");
  // The second iteration ran only after the pause was lifted (~300 ms later).
  EXPECT_GE(observer.resumed_after_, std::chrono::milliseconds(250));
}

TEST(Trainer, ExistingRunAndNothingToResumeAreRefused) {
  auto c = tinyConfig("pretrain", "refusals");
  c.epochs = 1;
  ASSERT_EQ(runTraining(c, {}).status, "completed");
  EXPECT_THROW(runTraining(c, {}), std::invalid_argument);  // [run_exists]
  fs::remove(fs::path(c.out) / "checkpoints" / "last.pt");
  RunOptions resume;
  resume.resume = true;
  EXPECT_THROW(runTraining(c, resume), std::runtime_error);  // [nothing_to_resume]
}

TEST(Trainer, NanLossStopsTheRunAndKeepsTheLastGoodCheckpoint) {
  // A dataset whose images are NaN from the second subject on.
  const auto source = data::PreparedDataset::open(dataset(5.0));
  const auto folder = root() / "nan_dataset";
  fs::remove_all(folder);
  {
    data::DatasetWriter writer(folder.string(), source->info().plan, false);
    writer.setLabelNames(source->info().label_names);
    for (const auto& subject : source->info().subjects) writer.addSubject(subject);
    const auto pixels = static_cast<std::size_t>(source->size()) * source->size();
    for (std::int64_t i = 0; i < source->sampleCount(); ++i) {
      const auto& sample = source->info().samples[static_cast<std::size_t>(i)];
      std::vector<float> image(source->image(i), source->image(i) + pixels);
      if (sample.subject > 0) std::fill(image.begin(), image.end(), NAN);
      std::vector<std::uint8_t> labels;
      if (sample.has_labels) labels.assign(source->labels(i), source->labels(i) + pixels);
      writer.addSample(sample, image, labels);
    }
    writer.finish();
  }
  auto c = tinyConfig("pretrain", "nan_run");
  c.dataset = folder.string();
  const auto result = runTraining(c, {});
  EXPECT_EQ(result.status, "diverged");
  EXPECT_NE(result.message.find("[loss_not_finite]"), std::string::npos) << result.message;
  EXPECT_FALSE(fs::exists(fs::path(c.out) / "evaluation.json"));
}

}  // namespace
}  // namespace planelab::train
