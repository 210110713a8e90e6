// Run folders read back as a results table: finished runs are found at any depth, a fine-tuning
// run's arm names the pretext tasks of its pretrained run, its label budget is the drawn one, the
// Dice values follow the label order, and runs group by arm and budget with the mean over seeds.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "train/run_summary.h"

namespace planelab::train {
namespace {
namespace fs = std::filesystem;

fs::path root() {
  const char* dir = std::getenv("PLANELAB_TEST_TMP");
  return fs::path(dir ? dir : "/tmp") / "run_summary" / std::to_string(::getpid());
}

void writeJson(const fs::path& path, const nlohmann::json& json) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << json.dump(2);
}

// A run folder as the trainer leaves it (only the files the summary reads).
fs::path writeRun(const std::string& name, TrainConfig config, int budget, double mean_dice,
                  bool finished = true) {
  const auto dir = root() / name;
  config.dataset = (root() / "dataset").string();
  config.out = dir.string();
  writeJson(dir / "config.json", config.toJson());
  writeJson(dir / "run.json", {{"device", "cpu"}, {"label_names", {"background", "lv", "myo"}}});
  if (config.task == "segmentation") {
    std::vector<std::string> labelled;
    for (int i = 0; i < budget; ++i) labelled.push_back("subject" + std::to_string(i));
    writeJson(dir / "label_budget.json",
              {{"subjects", budget}, {"seed", 1}, {"labelled", labelled}});
  }
  if (finished) {
    writeJson(dir / "evaluation.json",
              {{"checkpoint", "best"},
               {"test",
                {{"dice_3d", {{"myo", mean_dice - 0.1}, {"lv", mean_dice + 0.1}}},
                 {"mean_dice_3d", mean_dice},
                 {"mean_hd95_mm_3d", 4.5}}}});
  } else {
    fs::create_directories(dir / "checkpoints");
    std::ofstream(dir / "checkpoints" / "last.pt") << "checkpoint";
  }
  return dir;
}

TrainConfig finetune(const fs::path& init, std::uint64_t seed) {
  TrainConfig c = defaultConfig("segmentation");
  c.seed = seed;
  c.finetune.init = init.empty() ? std::string() : init.string();
  return c;
}

class RunSummaryTest : public ::testing::Test {
 protected:
  void SetUp() override { fs::remove_all(root()); }
};

TEST_F(RunSummaryTest, ReadsDeviceBudgetAndState) {
  const auto done = writeRun("done", finetune({}, 1), 3, 0.8);
  const auto s = readRunSummary(done.string());
  EXPECT_EQ(s.config.task, "segmentation");
  EXPECT_EQ(s.config.out, done.string());
  EXPECT_EQ(s.device, "cpu");
  EXPECT_EQ(s.labelled_subjects, 3);
  EXPECT_TRUE(s.finished);
  EXPECT_FALSE(s.resumable);
  const auto cut = writeRun("cut", finetune({}, 1), 1, 0.0, false);
  const auto c = readRunSummary(cut.string());
  EXPECT_FALSE(c.finished);
  EXPECT_TRUE(c.resumable);
  EXPECT_THROW(readRunSummary((root() / "nothing").string()), std::runtime_error);
}

TEST_F(RunSummaryTest, FindsFinishedRunsAtAnyDepth) {
  writeRun("a", finetune({}, 1), 1, 0.5);
  writeRun("group/b", finetune({}, 2), 1, 0.6);
  writeRun("group/deeper/c", finetune({}, 3), 1, 0.7);
  writeRun("group/cut", finetune({}, 4), 1, 0.0, false);
  const auto runs = findFinishedRuns(root().string());
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_EQ(runs[0], (root() / "a").string());
  EXPECT_EQ(runs[1], (root() / "group" / "b").string());
  EXPECT_EQ(runs[2], (root() / "group" / "deeper" / "c").string());
  EXPECT_TRUE(findFinishedRuns((root() / "missing").string()).empty());
}

TEST_F(RunSummaryTest, ArmNamesThePretextTasksOfThePretrainedRun) {
  TrainConfig pre = defaultConfig("pretrain");
  pre.pretext.variant = "orientation";
  pre.pretext.permute_targets = true;
  const auto pretrained = writeRun("pre", pre, 0, 0.0);
  const auto arm = armOf(finetune(pretrained, 1));
  EXPECT_TRUE(arm.pretrained);
  EXPECT_EQ(arm.variant, "orientation");
  EXPECT_TRUE(arm.permuted_targets);
  EXPECT_EQ(arm.init_run, pretrained.string());
  EXPECT_EQ(armOf(finetune({}, 1)).key(), "scratch");
  // A pretrained run that is gone: the arm is still pretrained, told apart by its folder.
  const auto gone = armOf(finetune(root() / "gone", 1));
  EXPECT_TRUE(gone.pretrained);
  EXPECT_TRUE(gone.variant.empty());
  EXPECT_NE(gone.key(), arm.key());
}

TEST_F(RunSummaryTest, ResultRowFollowsTheLabelOrder) {
  const auto row = segmentationResult(readRunSummary(writeRun("r", finetune({}, 7), 2, 0.8)));
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->seed, 7u);
  EXPECT_EQ(row->labelled_subjects, 2);
  ASSERT_EQ(row->dice.size(), 2u);
  EXPECT_EQ(row->dice[0].first, "lv");
  EXPECT_DOUBLE_EQ(*row->dice[0].second, 0.9);
  EXPECT_EQ(row->dice[1].first, "myo");
  EXPECT_DOUBLE_EQ(*row->mean_dice, 0.8);
  EXPECT_DOUBLE_EQ(*row->mean_hd95_mm, 4.5);
  // Pretraining runs have no row.
  EXPECT_FALSE(
      segmentationResult(readRunSummary(writeRun("p", defaultConfig("pretrain"), 0, 0.0))));
}

TEST_F(RunSummaryTest, GroupsByArmAndBudgetWithTheMeanOverSeeds) {
  const auto pre = writeRun("pre", defaultConfig("pretrain"), 0, 0.0);
  std::vector<ResultRow> rows;
  const auto add = [&](const std::string& name, const fs::path& init, std::uint64_t seed,
                       int budget, double dice) {
    rows.push_back(*segmentationResult(
        readRunSummary(writeRun(name, finetune(init, seed), budget, dice).string())));
  };
  add("s1b1", {}, 1, 1, 0.50);
  add("s2b1", {}, 2, 1, 0.60);
  add("s1b2", {}, 1, 2, 0.70);
  add("p1b1", pre, 1, 1, 0.65);
  add("p2b1", pre, 2, 1, 0.75);
  const auto groups = groupByArmAndBudget(rows);
  ASSERT_EQ(groups.size(), 3u);
  // Sorted by arm key ("pretrained:..." < "scratch"), then budget.
  EXPECT_TRUE(groups[0].arm.pretrained);
  EXPECT_EQ(groups[0].arm.variant, "multitask");
  EXPECT_EQ(groups[0].labelled_subjects, 1);
  EXPECT_NEAR(groups[0].mean, 0.70, 1e-12);
  EXPECT_EQ(groups[0].seeds, (std::vector<std::uint64_t>{1, 2}));
  EXPECT_FALSE(groups[1].arm.pretrained);
  EXPECT_EQ(groups[1].labelled_subjects, 1);
  EXPECT_NEAR(groups[1].mean, 0.55, 1e-12);
  EXPECT_EQ(groups[2].labelled_subjects, 2);
  EXPECT_EQ(groups[2].mean_dice.size(), 1u);
}

}  // namespace
}  // namespace planelab::train
