// Losses, schedules, config parsing, the Models Genesis transforms and checkpoints.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "train/checkpoint.h"
#include "train/config.h"
#include "train/genesis.h"
#include "train/losses.h"
#include "train/optimisation.h"

namespace planelab::train {
namespace {

std::string tempDir(const std::string& name) {
  const char* root = std::getenv("PLANELAB_TEST_TMP");
  const auto dir = std::filesystem::path(root ? root : "/tmp") / "train_parts" / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

TEST(Losses, HeatmapLossIsMseWhenAllValidAndMasksChannels) {
  torch::manual_seed(3);
  const auto pred = torch::rand({2, 2, 4, 4}), target = torch::rand({2, 2, 4, 4});
  EXPECT_NEAR(heatmapLoss(pred, target, torch::ones({2, 2})).item<double>(),
              torch::mse_loss(pred, target).item<double>(), 1e-7);
  auto valid = torch::ones({2, 2});
  valid[1][0] = 0;  // a missing view: its channel must not count
  auto changed = target.clone();
  changed[1][0] += 100.0;
  EXPECT_NEAR(heatmapLoss(pred, changed, valid).item<double>(),
              heatmapLoss(pred, target, valid).item<double>(), 1e-7);
}

TEST(Losses, LocationLossMasksSamplesAndKeepsGraphWhenEmpty) {
  auto pred = torch::tensor({0.5f, 0.2f}, torch::requires_grad());
  const auto target = torch::tensor({0.0f, 1.0f});
  EXPECT_NEAR(locationLoss(pred, target, torch::tensor({1.0f, 0.0f})).item<double>(), 0.25, 1e-7);
  auto none = locationLoss(pred, target, torch::zeros({2}));
  EXPECT_EQ(none.item<double>(), 0.0);
  none.backward();  // connected to the graph: no throw
  EXPECT_TRUE(pred.grad().defined());
}

TEST(Losses, SegmentationLossIsSmallForConfidentCorrectLogits) {
  const auto labels = torch::tensor({0, 1, 2, 1}, torch::kLong).view({1, 2, 2});
  const auto good = torch::one_hot(labels, 3).permute({0, 3, 1, 2}).to(torch::kFloat) * 20.0;
  const auto bad =
      torch::one_hot((labels + 1) % 3, 3).permute({0, 3, 1, 2}).to(torch::kFloat) * 20.0;
  EXPECT_LT(segmentationLoss(good, labels).item<double>(), 1e-3);
  EXPECT_GT(segmentationLoss(bad, labels).item<double>(), 10.0);
}

TEST(Schedule, StepScheduleWithAndWithoutThePaperOffByOne) {
  ScheduleConfig s;  // step 100, gamma 0.3
  EXPECT_DOUBLE_EQ(learningRate(s, 1e-3, 0, 500), 1e-3);
  EXPECT_DOUBLE_EQ(learningRate(s, 1e-3, 99, 500), 1e-3);
  EXPECT_NEAR(learningRate(s, 1e-3, 100, 500), 3e-4, 1e-15);
  s.paper_epoch0_decay = true;  // ML-RECIPE §4.4: 3e-4 for epochs 0-99, 2.43e-6 for 400-499
  EXPECT_NEAR(learningRate(s, 1e-3, 0, 500), 3e-4, 1e-15);
  EXPECT_NEAR(learningRate(s, 1e-3, 450, 500), 2.43e-6, 1e-15);
}

TEST(Schedule, CosinePolyAndWarmup) {
  ScheduleConfig s;
  s.kind = "cosine";
  s.min_lr = 1e-5;
  EXPECT_DOUBLE_EQ(learningRate(s, 1e-3, 0, 11), 1e-3);
  EXPECT_NEAR(learningRate(s, 1e-3, 10, 11), 1e-5, 1e-15);
  EXPECT_NEAR(learningRate(s, 1e-3, 5, 11), (1e-3 + 1e-5) / 2, 1e-15);
  s.kind = "poly";
  EXPECT_NEAR(learningRate(s, 1e-2, 5, 10), 1e-2 * std::pow(0.5, 0.9), 1e-15);
  s.kind = "constant";
  s.warmup_epochs = 3;
  EXPECT_NEAR(learningRate(s, 1e-3, 0, 10), 1e-3 / 4, 1e-15);
  EXPECT_NEAR(learningRate(s, 1e-3, 3, 10), 1e-3, 1e-15);
}

TEST(Config, DefaultsPerTaskAndStrictParsing) {
  const auto pre = configFromJson(nlohmann::json::object());
  EXPECT_EQ(pre.task, "pretrain");
  EXPECT_EQ(pre.batch_size, 20);
  EXPECT_EQ(pre.sampling, "one_per_subject");
  EXPECT_FALSE(pre.augment.enabled);
  const auto seg = configFromJson({{"task", "segmentation"}});
  EXPECT_EQ(seg.batch_size, 10);
  EXPECT_EQ(seg.schedule.step_epochs, 50);
  EXPECT_DOUBLE_EQ(seg.schedule.gamma, 0.5);
  EXPECT_TRUE(seg.augment.enabled);

  const auto expectKey = [](const nlohmann::json& j, const std::string& fragment) {
    try {
      configFromJson(j);
      ADD_FAILURE() << "accepted " << j.dump();
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("[invalid_config]"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
  };
  expectKey({{"epoch", 3}}, "config.epoch: unknown field");
  expectKey({{"epochs", 2.5}}, "config.epochs: expected an integer");
  expectKey({{"optimizer", {{"lr", "1e-3"}}}}, "optimizer.lr: expected a number");
  expectKey({{"pretext", {{"variant", "jigsaw"}}}}, "pretext.variant");
  expectKey({{"task", "detection"}}, "task");
  expectKey({{"split", {{"val_fraction", 0.6}, {"test_fraction", 0.5}}}}, "split");
  expectKey({{"schedule", {{"kind", "exp"}}}}, "schedule.kind");
}

TEST(Config, NetworkPresetThenOverridesAndJsonRoundTrip) {
  const auto c = configFromJson({{"network", {{"preset", "paper"}, {"depth", 4}}}});
  EXPECT_EQ(c.network.base_width, 64);
  EXPECT_EQ(c.network.depth, 4);
  const auto again = configFromJson(c.toJson());
  EXPECT_EQ(again.toJson(), c.toJson());
}

TEST(Genesis, DeterministicInSeedAndKeepsTheRange) {
  torch::manual_seed(1);
  const auto images = torch::randn({3, 1, 32, 32});
  const auto a = genesisDistort(images, 42), b = genesisDistort(images, 42),
             c = genesisDistort(images, 43);
  EXPECT_TRUE(torch::equal(a, b));
  EXPECT_FALSE(torch::equal(a, c));
  EXPECT_FALSE(torch::equal(a, images));
  for (int i = 0; i < 3; ++i) {
    EXPECT_GE(a[i].min().item<float>(), images[i].min().item<float>() - 1e-5f);
    EXPECT_LE(a[i].max().item<float>(), images[i].max().item<float>() + 1e-5f);
  }
}

TEST(Checkpoint, RoundTripRestoresModelOptimiserAndGenerator) {
  torch::set_num_threads(2);
  nn::NetworkConfig config = nn::preset("compact");
  config.base_width = 4;
  config.depth = 3;
  config.location = true;
  config.heatmap_channels = 2;
  torch::manual_seed(5);
  nn::PlaneNet net(config);
  net->initialise();
  torch::optim::Adam adam(net->parameters(), torch::optim::AdamOptions(1e-3));
  const auto x = torch::randn({2, 1, 16, 16});
  auto out = net->forward(x);
  (out.heatmaps.pow(2).mean() + out.location.pow(2).mean()).backward();
  adam.step();
  TrainerState state;
  state.next_epoch = 3;
  state.step = 17;
  state.best_metric = 0.25;
  state.best_epoch = 1;
  state.history.push_back({{"epoch", 0}});
  torch::manual_seed(99);
  const auto path = tempDir("checkpoint") + "/last.pt";
  saveCheckpoint(path, net, &adam, state);
  const auto expected_draw = torch::rand({4});

  torch::manual_seed(7);
  nn::PlaneNet other(config);
  other->initialise();
  torch::optim::Adam other_adam(other->parameters(), torch::optim::AdamOptions(1e-3));
  const auto loaded = loadCheckpoint(path, other, &other_adam, torch::kCPU);
  EXPECT_EQ(loaded.next_epoch, 3);
  EXPECT_EQ(loaded.step, 17);
  EXPECT_DOUBLE_EQ(*loaded.best_metric, 0.25);
  EXPECT_EQ(loaded.history.size(), 1u);
  EXPECT_TRUE(torch::equal(torch::rand({4}), expected_draw));  // generator restored
  const auto a = net->named_parameters(), b = other->named_parameters();
  for (const auto& item : a) EXPECT_TRUE(torch::equal(item.value(), b[item.key()])) << item.key();
  const auto buffers_a = net->named_buffers(), buffers_b = other->named_buffers();
  for (const auto& item : buffers_a)
    EXPECT_TRUE(torch::equal(item.value(), buffers_b[item.key()])) << item.key();
  // The optimiser state (Adam's moments and step count): one more identical step gives
  // identical weights only if it was restored.
  const auto stepOnce = [&](nn::PlaneNet& n, torch::optim::Adam& o) {
    torch::manual_seed(11);  // the same dropout mask
    o.zero_grad();
    auto r = n->forward(x);
    (r.heatmaps.pow(2).mean() + r.location.pow(2).mean()).backward();
    o.step();
  };
  stepOnce(net, adam);
  stepOnce(other, other_adam);
  const auto a2 = net->named_parameters(), b2 = other->named_parameters();
  for (const auto& item : a2)
    EXPECT_TRUE(torch::allclose(item.value(), b2[item.key()], 0, 1e-7)) << item.key();
  EXPECT_THROW(loadCheckpoint(path + ".missing", other, nullptr, torch::kCPU), std::runtime_error);
}

}  // namespace
}  // namespace planelab::train
