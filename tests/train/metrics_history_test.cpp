// Reading metrics.jsonl back: iteration and epoch events as the trainer logged them, the batch
// count inferred from finished epochs, a torn last line skipped, a missing file refused.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "train/metrics_history.h"

namespace planelab::train {
namespace {
namespace fs = std::filesystem;

fs::path writeLog(const std::string& name, const std::string& text) {
  const char* root = std::getenv("PLANELAB_TEST_TMP");
  const auto dir = fs::path(root ? root : "/tmp") / "metrics_history" / std::to_string(::getpid());
  fs::create_directories(dir);
  const auto path = dir / name;
  std::ofstream(path) << text;
  return path;
}

// The trainer's format (trainer.cpp): 2 batches per epoch, epoch 0 finished, epoch 1 cut after
// its first batch, the last line torn by a kill.
constexpr const char* kLog =
    R"({"type":"iteration","epoch":0,"step":1,"batch":1,"losses":{"heatmap":0.5,"total":0.9},"lr":0.001,"images_per_s":40.0}
{"type":"iteration","epoch":0,"step":2,"batch":2,"losses":{"heatmap":0.4,"total":0.8},"lr":0.001,"images_per_s":42.0}
{"type":"epoch","epoch":0,"train":{"heatmap":0.45,"total":0.85},"validation":{"val_loss":0.7},"lr":0.001,"images_per_s":41.0,"best":true,"elapsed_s":3.5}
{"type":"iteration","epoch":1,"step":3,"batch":1,"losses":{"heatmap":0.3,"total":0.6},"lr":0.0005,"images_per_s":43.0}
{"type":"iteration","epoch":1,"st)";

TEST(MetricsHistory, ReadsIterationsAndEpochsAsLogged) {
  const auto history = readMetricsLog(writeLog("metrics.jsonl", kLog).string());
  ASSERT_EQ(history.iterations.size(), 3u);
  ASSERT_EQ(history.epochs.size(), 1u);
  EXPECT_EQ(history.skipped_lines, 1);
  const auto& last = history.iterations.back();
  EXPECT_EQ(last.epoch, 1);
  EXPECT_EQ(last.step, 3);
  EXPECT_EQ(last.batch, 1);
  EXPECT_EQ(last.batches, 2);  // from the finished epoch 0
  EXPECT_DOUBLE_EQ(last.losses.at("total"), 0.6);
  EXPECT_DOUBLE_EQ(last.lr, 0.0005);
  EXPECT_DOUBLE_EQ(last.images_per_s, 43.0);
  const auto& epoch = history.epochs.front();
  EXPECT_EQ(epoch.epoch, 0);
  EXPECT_DOUBLE_EQ(epoch.train.at("total"), 0.85);
  EXPECT_DOUBLE_EQ(epoch.validation.at("val_loss"), 0.7);
  EXPECT_DOUBLE_EQ(epoch.elapsed_s, 3.5);
  EXPECT_TRUE(epoch.best);
}

TEST(MetricsHistory, IterationsLieOnTheEpochAxis) {
  const auto history = readMetricsLog(writeLog("axis.jsonl", kLog).string());
  EXPECT_DOUBLE_EQ(epochPosition(history.iterations[0]), 0.5);
  EXPECT_DOUBLE_EQ(epochPosition(history.iterations[1]), 1.0);  // where epoch 0's point is
  EXPECT_DOUBLE_EQ(epochPosition(history.iterations[2]), 1.5);
}

TEST(MetricsHistory, WithoutAFinishedEpochTheLargestBatchCounts) {
  const auto history = readMetricsLog(
      writeLog("unfinished.jsonl",
               R"({"type":"iteration","epoch":0,"step":1,"batch":1,"losses":{"total":1.0}}
{"type":"iteration","epoch":0,"step":2,"batch":2,"losses":{"total":0.9}}
)")
          .string());
  ASSERT_EQ(history.iterations.size(), 2u);
  EXPECT_EQ(history.iterations[0].batches, 2);
  EXPECT_EQ(history.skipped_lines, 0);
}

TEST(MetricsHistory, AMissingFileIsRefusedWithAKey) {
  try {
    readMetricsLog("/nonexistent/metrics.jsonl");
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()).rfind("[metrics_unreadable]", 0), 0u) << e.what();
  }
}

}  // namespace
}  // namespace planelab::train
