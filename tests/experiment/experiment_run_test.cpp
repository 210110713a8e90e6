// runExperiment end to end on a tiny in-memory phantom cohort (6 hearts, 48 px, a base-width-4
// network, one epoch per run): the folder layout and results.csv, a second run that finds
// everything done, a cancelled experiment that resumes its interrupted pretraining, pretraining on
// a separate pool (and a pool holding test subjects refused), and a failing step that stops the
// experiment.
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "experiment/experiment.h"
#include "train/run_summary.h"

namespace planelab::experiment {
namespace {
namespace fs = std::filesystem;

fs::path root() {
  const char* dir = std::getenv("PLANELAB_TEST_TMP");
  // Per process: CTest runs each test in its own process, two at a time.
  return fs::path(dir ? dir : "/tmp") / "experiment_run" / std::to_string(::getpid());
}

// Arms scratch + multitask, budget 1, seed 1: prepare, one pretraining, two fine-tunings.
ExperimentConfig tinyExperiment(const std::string& name) {
  // One LibTorch thread: CTest runs two tests at once on 2 cores, and two OpenMP threads per
  // test then wait on each other (measured here: 2.7 images/s with 2 threads, 198 with 1).
  nlohmann::json tiny = {{"threads", 1},
                         {"workers", 1},
                         {"epochs", 1},
                         {"batch_size", 8},
                         {"sampling", "all"},
                         {"max_val_samples", 16},
                         {"network", {{"base_width", 4}, {"depth", 3}}}};
  nlohmann::json finetune = tiny;
  finetune["augment"] = {{"enabled", false}};
  const nlohmann::json json = {
      {"name", name},
      {"out", (root() / name).string()},
      {"phantom", {{"subjects", 6}, {"seed", 3}, {"cine_phases", 4}}},
      {"plan", {{"grid", {{"spacing_mm", 5.0}, {"size", 48}}}, {"phases", "ed_es"}}},
      {"pretrain", tiny},
      {"finetune", finetune},
      {"arms", {"scratch", "multitask"}},
      {"label_budgets", {1}},
      {"seeds", {1}},
      {"jobs", 2}};
  fs::remove_all(root() / name);
  return experimentFromJson(json);
}

std::vector<std::string> lines(const std::string& file) {
  std::ifstream in(file);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// Records which steps ran.
struct Recorder {
  std::vector<std::string> started;
  RunOptions options() {
    RunOptions o;
    o.step_started = [this](const Step& step, std::size_t index, std::size_t count) {
      EXPECT_LT(index, count);
      started.push_back(std::to_string(index) + ":" + step.state);
    };
    return o;
  }
};

TEST(ExperimentRun, TinyPhantomExperimentEndToEndThenNothingLeft) {
  const ExperimentConfig c = tinyExperiment("tiny");
  Recorder recorder;
  RunOptions options = recorder.options();
  int finished = 0;
  options.step_finished = [&](const Step& step, const train::RunResult* result) {
    ++finished;
    EXPECT_EQ(step.state, "done");
    EXPECT_EQ(result == nullptr, step.kind == Step::Kind::kPrepare);
  };
  const ExperimentResult r = runExperiment(c, options);
  ASSERT_EQ(r.status, "completed") << r.message;
  EXPECT_EQ(recorder.started, (std::vector<std::string>{"0:todo", "1:todo", "2:todo", "3:todo"}));
  EXPECT_EQ(finished, 4);
  ASSERT_EQ(r.steps.size(), 4u);
  for (const Step& step : r.steps) EXPECT_EQ(step.state, "done") << step.dir;

  const fs::path out = c.out;
  for (const char* file :
       {"experiment.json", "dataset/dataset.json", "pretrain/multitask-seed1/evaluation.json",
        "finetune/scratch/n1-seed1/evaluation.json", "finetune/multitask/n1-seed1/evaluation.json",
        "results.csv"})
    EXPECT_TRUE(fs::exists(out / file)) << file;
  std::ifstream stored(out / "experiment.json");
  EXPECT_EQ(experimentFromJson(nlohmann::json::parse(stored)).toJson(), c.toJson());

  // The fine-tunings started as the experiment says: scratch from nothing, multitask from its
  // pretraining run; one labelled subject each, drawn with the run's seed.
  const auto scratch = train::readRunSummary((out / "finetune/scratch/n1-seed1").string());
  const auto multitask = train::readRunSummary((out / "finetune/multitask/n1-seed1").string());
  EXPECT_EQ(scratch.config.finetune.init, "");
  EXPECT_EQ(multitask.config.finetune.init, (out / "pretrain/multitask-seed1").string());
  EXPECT_EQ(multitask.labelled_subjects, 1);
  EXPECT_TRUE(fs::exists(out / "finetune/multitask/n1-seed1/transfer.json"));

  // results.csv: a header and one row per fine-tuning, in step order.
  ASSERT_EQ(r.results_csv, (out / "results.csv").string());
  const auto rows = lines(r.results_csv);
  ASSERT_EQ(rows.size(), 3u);
  std::string header = "arm,budget,seed,labelled_subjects,run_dir,mean_dice";
  for (const auto& name : phantomCounts(*c.phantom).label_names) header += ",dice_" + name;
  EXPECT_EQ(rows[0], header + ",mean_hd95_mm");
  EXPECT_EQ(rows[1].rfind("scratch,1,1,1,finetune/scratch/n1-seed1,", 0), 0u) << rows[1];
  EXPECT_EQ(rows[2].rfind("multitask,1,1,1,finetune/multitask/n1-seed1,", 0), 0u) << rows[2];
  std::stringstream cells(rows[2]);
  std::vector<std::string> row;
  for (std::string cell; std::getline(cells, cell, ',');) row.push_back(cell);
  ASSERT_GE(row.size(), 6u);
  const double dice = std::stod(row[5]);
  EXPECT_GE(dice, 0.0);
  EXPECT_LE(dice, 1.0);

  // The data counts agree with what prepare stored: every kept plane, by view.
  std::ifstream dataset_file(out / "dataset" / "dataset.json");
  const auto dataset = nlohmann::json::parse(dataset_file);
  std::map<std::string, int> stored_planes;
  for (const auto& subject : dataset["subjects"])
    for (const auto& plane : subject["planes"]) ++stored_planes[plane["view"].get<std::string>()];
  EXPECT_EQ(stored_planes, phantomCounts(*c.phantom).planes_by_view);

  // Again: everything is done, nothing runs, results.csv is the same.
  Recorder again;
  const ExperimentResult second = runExperiment(c, again.options());
  EXPECT_EQ(second.status, "completed");
  EXPECT_TRUE(again.started.empty());
  EXPECT_EQ(lines(second.results_csv), rows);
}

// Cancels once the first pretraining epoch is checkpointed.
class CancelAfterFirstEpoch : public train::Observer {
 public:
  explicit CancelAfterFirstEpoch(train::Control* control) : control_(control) {}
  void epoch(const train::EpochEvent& e) override {
    if (e.epoch == 0) control_->cancel = true;
  }

 private:
  train::Control* control_;
};

TEST(ExperimentRun, CancelledExperimentResumesItsInterruptedRun) {
  ExperimentConfig c = tinyExperiment("cancel");
  c.pretrain.epochs = 2;
  train::Control control;
  CancelAfterFirstEpoch cancel(&control);
  RunOptions options;
  options.control = &control;
  options.observer = [&](const Step& step) -> train::Observer* {
    return step.kind == Step::Kind::kPretrain ? &cancel : nullptr;
  };
  const ExperimentResult first = runExperiment(c, options);
  EXPECT_EQ(first.status, "cancelled");
  EXPECT_EQ(first.steps[0].state, "done");
  EXPECT_EQ(first.steps[1].state, "interrupted");
  EXPECT_EQ(first.steps[2].state, "todo");
  EXPECT_EQ(first.results_csv, "");
  EXPECT_FALSE(fs::exists(fs::path(c.out) / "finetune"));
  EXPECT_EQ(planSteps(c)[1].state, "interrupted");

  Recorder recorder;
  const ExperimentResult second = runExperiment(c, recorder.options());
  ASSERT_EQ(second.status, "completed") << second.message;
  EXPECT_EQ(recorder.started, (std::vector<std::string>{"1:interrupted", "2:todo", "3:todo"}));
  const auto pretrained = train::readRunSummary(first.steps[1].dir);
  EXPECT_TRUE(pretrained.finished);
  // Both epochs in the log, each once: the second continued the first.
  int epochs = 0;
  for (const auto& line : lines((fs::path(first.steps[1].dir) / "metrics.jsonl").string()))
    if (nlohmann::json::parse(line)["type"] == "epoch") ++epochs;
  EXPECT_EQ(epochs, 2);
  EXPECT_EQ(lines(second.results_csv).size(), 3u);
}

// Subject ids of a prepared dataset.
std::set<std::string> datasetSubjects(const fs::path& dataset) {
  std::ifstream in(dataset / "dataset.json");
  const nlohmann::json info = nlohmann::json::parse(in);
  std::set<std::string> ids;
  for (const auto& subject : info["subjects"]) ids.insert(subject["id"].get<std::string>());
  return ids;
}

TEST(ExperimentRun, PretrainsOnItsPoolAndRefusesAPoolHoldingTestSubjects) {
  ExperimentConfig c = tinyExperiment("pool");
  c.pretrain_pool = PretrainPool{};
  c.pretrain_pool->phantom = c.phantom;  // the same cohort's subjects 6 .. 13, unlabelled
  c.pretrain_pool->phantom->first_subject = 6;
  c.pretrain_pool->phantom->subjects = 8;
  c.pretrain_pool->phantom->study.labels = phantom::StudyOptions::Labels::kNone;
  Recorder recorder;
  const ExperimentResult r = runExperiment(c, recorder.options());
  ASSERT_EQ(r.status, "completed") << r.message;
  ASSERT_EQ(r.steps.size(), 5u);  // 2 prepares, 1 pretraining, 2 fine-tunings
  const fs::path out = c.out;
  const auto pool_ids = datasetSubjects(out / "pretrain-dataset");
  const auto ids = datasetSubjects(out / "dataset");
  EXPECT_EQ(pool_ids.size(), 8u);
  EXPECT_EQ(*pool_ids.begin(), "PL-HEART-0006");
  EXPECT_EQ(ids.size(), 6u);
  for (const auto& id : ids) EXPECT_EQ(pool_ids.count(id), 0u) << id;
  // The pretraining run learnt from the pool, the fine-tunings from the dataset.
  const auto pretrained = train::readRunSummary((out / "pretrain/multitask-seed1").string());
  EXPECT_EQ(pretrained.config.dataset, (out / "pretrain-dataset").string());
  const auto finetuned = train::readRunSummary((out / "finetune/multitask/n1-seed1").string());
  EXPECT_EQ(finetuned.config.dataset, (out / "dataset").string());
  EXPECT_TRUE(fs::exists(out / "pretrain-dataset" / "splits.json"));

  // A pool holding the fine-tuning subjects (hence its test split) is refused before pretraining.
  ExperimentConfig overlapping = tinyExperiment("pool_overlap");
  overlapping.pretrain_pool = PretrainPool{};
  overlapping.pretrain_pool->phantom = overlapping.phantom;
  Recorder refused;
  const ExperimentResult o = runExperiment(overlapping, refused.options());
  EXPECT_EQ(o.status, "failed");
  EXPECT_EQ(o.message.rfind("[pool_overlaps_test]", 0), 0u) << o.message;
  EXPECT_EQ(refused.started, (std::vector<std::string>{"0:todo", "1:todo"}));
  EXPECT_EQ(o.steps[2].state, "todo");
  EXPECT_FALSE(fs::exists(fs::path(overlapping.out) / "pretrain"));
}

TEST(ExperimentRun, AFailingStepStopsTheExperiment) {
  ExperimentConfig c = tinyExperiment("failing");
  c.arms = {"scratch"};
  c.label_budgets = {50, 1};  // 50 labelled subjects: more than the cohort has
  Recorder recorder;
  const ExperimentResult r = runExperiment(c, recorder.options());
  EXPECT_EQ(r.status, "failed");
  EXPECT_EQ(r.message.rfind("[label_budget_too_large]", 0), 0u) << r.message;
  EXPECT_EQ(recorder.started, (std::vector<std::string>{"0:todo", "1:todo"}));
  ASSERT_EQ(r.steps.size(), 3u);
  EXPECT_EQ(r.steps[2].state, "todo");
  EXPECT_EQ(r.results_csv, "");
}

}  // namespace
}  // namespace planelab::experiment
