#include "nn/plane_net.h"

#include <cmath>
#include <set>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "nn/step_benchmark.h"

namespace nn = planelab::nn;

namespace {

class NnTest : public ::testing::Test {
 protected:
  void SetUp() override {
    torch::set_num_threads(2);
    torch::manual_seed(1);
  }
};

nn::NetworkConfig small(int base = 4, int depth = 3) {
  nn::NetworkConfig c;
  c.preset = "test";
  c.base_width = base;
  c.depth = depth;
  c.heatmap_channels = 2;
  c.location = true;
  c.location_hidden = 8;
  return c;
}

std::set<std::string> parameterNames(nn::PlaneNet& net) {
  std::set<std::string> names;
  for (const auto& item : net->named_parameters()) names.insert(item.key());
  return names;
}

bool hasPrefix(const std::string& s, const std::string& p) {
  return s.compare(0, p.size(), p) == 0;
}

}  // namespace

TEST_F(NnTest, NormNamesRoundTrip) {
  for (auto norm : {nn::Norm::kBatch, nn::Norm::kInstance, nn::Norm::kNone}) {
    EXPECT_EQ(nn::parseNorm(nn::normName(norm)), norm);
  }
  EXPECT_FALSE(nn::parseNorm("group").has_value());
}

TEST_F(NnTest, OutputShapesForAllHeads) {
  auto c = small(4, 3);
  c.segmentation_classes = 4;
  c.classification_classes = 3;
  c.restoration_channels = 1;
  nn::PlaneNet net(c);
  const auto out = net->forward(torch::randn({2, 1, 16, 16}));
  EXPECT_EQ(out.heatmaps.sizes(), (std::vector<std::int64_t>{2, 2, 16, 16}));
  EXPECT_EQ(out.location.sizes(), (std::vector<std::int64_t>{2}));
  EXPECT_EQ(out.segmentation.sizes(), (std::vector<std::int64_t>{2, 4, 16, 16}));
  EXPECT_EQ(out.classification.sizes(), (std::vector<std::int64_t>{2, 3}));
  EXPECT_EQ(out.restoration.sizes(), (std::vector<std::int64_t>{2, 1, 16, 16}));
}

TEST_F(NnTest, OutputShapesAcrossDepthAndWidth) {
  for (int depth : {3, 4, 5}) {
    for (int base : {4, 8}) {
      SCOPED_TRACE("depth " + std::to_string(depth) + " base " + std::to_string(base));
      nn::PlaneNet net(small(base, depth));
      const int size = 2 << (depth - 1);  // bottleneck 2x2
      const auto out = net->forward(torch::randn({2, 1, size, size}));
      EXPECT_EQ(out.heatmaps.sizes(), (std::vector<std::int64_t>{2, 2, size, size}));
      EXPECT_EQ(out.location.sizes(), (std::vector<std::int64_t>{2}));
      EXPECT_FALSE(out.segmentation.defined());
      // Bottleneck width base * 2^(depth-1) feeds fc1.
      const auto params = net->named_parameters();
      EXPECT_EQ(params["heads.location.fc1.weight"].size(1), base << (depth - 1));
      EXPECT_EQ(params["heads.heatmap.weight"].size(1), base);
    }
  }
}

TEST_F(NnTest, EncoderOnlyHeadsSkipTheDecoder) {
  nn::NetworkConfig c = small(4, 3);
  c.heatmap_channels = 0;
  c.classification_classes = 5;
  nn::PlaneNet net(c);
  for (const auto& name : parameterNames(net)) EXPECT_FALSE(hasPrefix(name, "decoder.")) << name;
  const auto out = net->forward(torch::randn({3, 1, 8, 8}));
  EXPECT_FALSE(out.heatmaps.defined());
  EXPECT_EQ(out.location.sizes(), (std::vector<std::int64_t>{3}));
  EXPECT_EQ(out.classification.sizes(), (std::vector<std::int64_t>{3, 5}));
}

// ML-RECIPE §4.1, per layer (conv3x3: 9*in*out + out; BN: 2*out; ConvT k2: 4*in*out + out):
//   encoder [1->64, 64->128, ..., 512->1024], 2 convs + 2 BN each:
//     37,824 + 221,952 + 886,272 + 3,542,016 + 14,161,920          = 18,849,984
//   decoder (up + conv(2*lo->lo) + conv(lo->lo), no norm), 1024->512 ... 128->64:
//     9,176,576 + 2,294,528 + 573,824 + 143,552                    = 12,188,480
//   heads: heatmap 64*2+2 = 130; location 1024*128+128 + 128+1 = 131,329 -> 131,459
//   total 18,849,984 + 12,188,480 + 131,459                        = 31,169,923
// which is the official 32,349,828 minus conv1_label (Conv3x3 1024->128: 1,179,776) and
// conv2_label (Conv1x1 128->1: 129) = 1,179,905, unused in the official forward.
TEST_F(NnTest, PaperPresetParameterCount) {
  auto c = nn::preset("paper");
  c.heatmap_channels = 2;
  c.location = true;
  nn::PlaneNet net(c);
  EXPECT_EQ(nn::parameterCount(net), 32349828 - 1179905);
  EXPECT_EQ(nn::parameterCount(net), 31169923);
  std::int64_t encoder = 0, decoder = 0;
  for (const auto& item : net->named_parameters()) {
    if (hasPrefix(item.key(), "encoder.")) encoder += item.value().numel();
    if (hasPrefix(item.key(), "decoder.")) decoder += item.value().numel();
  }
  EXPECT_EQ(encoder, 18849984);
  EXPECT_EQ(decoder, 12188480);
}

TEST_F(NnTest, ParameterNamesFollowTheContract) {
  auto c = small(4, 3);
  c.segmentation_classes = 4;
  c.classification_classes = 3;
  c.restoration_channels = 1;
  nn::PlaneNet net(c);
  const std::set<std::string> expected = {
      "encoder.block0.conv1.weight", "encoder.block0.conv1.bias",
      "encoder.block0.norm1.weight", "encoder.block0.norm1.bias",
      "encoder.block0.conv2.weight", "encoder.block0.conv2.bias",
      "encoder.block0.norm2.weight", "encoder.block0.norm2.bias",
      "encoder.block1.conv1.weight", "encoder.block1.conv1.bias",
      "encoder.block1.norm1.weight", "encoder.block1.norm1.bias",
      "encoder.block1.conv2.weight", "encoder.block1.conv2.bias",
      "encoder.block1.norm2.weight", "encoder.block1.norm2.bias",
      "encoder.block2.conv1.weight", "encoder.block2.conv1.bias",
      "encoder.block2.norm1.weight", "encoder.block2.norm1.bias",
      "encoder.block2.conv2.weight", "encoder.block2.conv2.bias",
      "encoder.block2.norm2.weight", "encoder.block2.norm2.bias",
      "decoder.up0.weight",          "decoder.up0.bias",
      "decoder.block0.conv1.weight", "decoder.block0.conv1.bias",
      "decoder.block0.conv2.weight", "decoder.block0.conv2.bias",
      "decoder.up1.weight",          "decoder.up1.bias",
      "decoder.block1.conv1.weight", "decoder.block1.conv1.bias",
      "decoder.block1.conv2.weight", "decoder.block1.conv2.bias",
      "heads.heatmap.weight",        "heads.heatmap.bias",
      "heads.location.fc1.weight",   "heads.location.fc1.bias",
      "heads.location.fc2.weight",   "heads.location.fc2.bias",
      "heads.segmentation.weight",   "heads.segmentation.bias",
      "heads.classification.weight", "heads.classification.bias",
      "heads.restoration.weight",    "heads.restoration.bias"};
  EXPECT_EQ(parameterNames(net), expected);
  // decoder.up0 is the deepest step: 16 -> 8 channels.
  const auto params = net->named_parameters();
  EXPECT_EQ(params["decoder.up0.weight"].sizes(), (std::vector<std::int64_t>{16, 8, 2, 2}));
  EXPECT_EQ(params["decoder.block1.conv1.weight"].sizes(), (std::vector<std::int64_t>{4, 8, 3, 3}));
  const auto buffers = net->named_buffers();
  EXPECT_TRUE(buffers.contains("encoder.block1.norm2.running_mean"));
  EXPECT_TRUE(buffers.contains("encoder.block1.norm2.running_var"));
}

TEST_F(NnTest, DecoderNormAndInstanceNormNames) {
  auto c = small(4, 3);
  c.encoder_norm = nn::Norm::kInstance;
  c.decoder_norm = nn::Norm::kBatch;
  nn::PlaneNet net(c);
  const auto names = parameterNames(net);
  EXPECT_TRUE(names.count("encoder.block0.norm1.weight"));  // affine InstanceNorm
  EXPECT_TRUE(names.count("decoder.block1.norm2.bias"));
  // Instance norm keeps no running statistics; the decoder's BatchNorm does.
  const auto buffers = net->named_buffers();
  EXPECT_FALSE(buffers.contains("encoder.block0.norm1.running_mean"));
  EXPECT_TRUE(buffers.contains("decoder.block0.norm1.running_mean"));
  const auto out = net->forward(torch::randn({2, 1, 16, 16}));
  EXPECT_EQ(out.heatmaps.sizes(), (std::vector<std::int64_t>{2, 2, 16, 16}));

  c.encoder_norm = nn::Norm::kNone;
  c.decoder_norm = nn::Norm::kNone;
  nn::PlaneNet plain(c);
  for (const auto& name : parameterNames(plain)) {
    EXPECT_EQ(name.find(".norm"), std::string::npos) << name;
  }
}

TEST_F(NnTest, InitialisationStatistics) {
  nn::NetworkConfig c = small(32, 3);
  nn::PlaneNet net(c);
  const auto params = net->named_parameters();
  // Kaiming normal, fan_in, a = 0: std = sqrt(2 / fan_in).
  for (const char* name : {"encoder.block1.conv2.weight", "encoder.block2.conv1.weight",
                           "decoder.block0.conv1.weight"}) {
    SCOPED_TRACE(name);
    const auto w = params[name];
    const double fan_in = static_cast<double>(w.size(1) * w.size(2) * w.size(3));
    EXPECT_NEAR(w.std().item<double>(), std::sqrt(2.0 / fan_in), 0.1 * std::sqrt(2.0 / fan_in));
    EXPECT_NEAR(w.mean().item<double>(), 0.0, 0.05 * std::sqrt(2.0 / fan_in));
  }
  // BatchNorm: gamma ~ N(1, 0.02), beta = 0.
  const auto gamma = params["encoder.block2.norm1.weight"];  // 128 values
  EXPECT_NEAR(gamma.mean().item<double>(), 1.0, 0.01);
  EXPECT_NEAR(gamma.std().item<double>(), 0.02, 0.006);
  EXPECT_EQ(params["encoder.block2.norm1.bias"].abs().max().item<double>(), 0.0);
  // ConvTranspose2d keeps PyTorch's default (kaiming_uniform a = sqrt(5)): bound 1/sqrt(fan_in),
  // where fan_in of a transposed conv weight [in, out, k, k] is out * k * k.
  const auto up = params["decoder.up0.weight"];
  const double bound = 1.0 / std::sqrt(static_cast<double>(up.size(1) * 4));
  EXPECT_LE(up.abs().max().item<double>(), bound + 1e-6);
  EXPECT_NEAR(up.std().item<double>(), bound / std::sqrt(3.0), 0.15 * bound / std::sqrt(3.0));
}

TEST_F(NnTest, EvalModeIsDeterministic) {
  nn::PlaneNet net(small(4, 3));
  const auto x = torch::randn({2, 1, 16, 16});
  net->train();
  net->forward(x);  // updates the running statistics
  net->eval();
  const auto a = net->forward(x);
  const auto b = net->forward(x);
  EXPECT_TRUE(torch::equal(a.heatmaps, b.heatmaps));
  EXPECT_TRUE(torch::equal(a.location, b.location));
  // Dropout is active in training mode (p = 0.5): location varies between calls.
  net->train();
  torch::manual_seed(3);
  const auto c1 = net->forward(x).location;
  const auto c2 = net->forward(x).location;
  EXPECT_FALSE(torch::equal(c1, c2));
}

TEST_F(NnTest, TransferEncoderVersusEncoderDecoder) {
  torch::manual_seed(10);
  nn::PlaneNet source(small(4, 3));
  source->train();
  source->forward(torch::randn({4, 1, 16, 16}));  // non-trivial running statistics
  nn::NetworkConfig down = small(4, 3);
  down.heatmap_channels = 0;
  down.location = false;
  down.segmentation_classes = 4;
  torch::manual_seed(20);
  nn::PlaneNet target(down);
  const auto head_before = target->named_parameters()["heads.segmentation.weight"].clone();

  const auto enc = nn::transferWeights(source, target, nn::TransferScope::kEncoder);
  // Encoder: 3 blocks x (2 convs x 2 + 2 BN x 2 params + 2 BN x 3 buffers) = 3 x 14 = 42.
  EXPECT_EQ(enc.transferred.size(), 42u);
  EXPECT_TRUE(enc.skipped_shape.empty());
  EXPECT_TRUE(enc.missing_in_source.empty());
  // Decoder: 2 x (up 2 + 2 convs x 2) = 12; head 2.
  EXPECT_EQ(enc.skipped_not_in_scope.size(), 14u);
  for (const auto& name : enc.transferred) EXPECT_TRUE(hasPrefix(name, "encoder.")) << name;

  const auto src = source->named_parameters();
  const auto dst = target->named_parameters();
  EXPECT_TRUE(torch::equal(src["encoder.block1.conv1.weight"], dst["encoder.block1.conv1.weight"]));
  EXPECT_FALSE(torch::equal(src["decoder.up0.weight"], dst["decoder.up0.weight"]));
  const auto sb = source->named_buffers();
  const auto db = target->named_buffers();
  EXPECT_TRUE(torch::equal(sb["encoder.block2.norm2.running_mean"],
                           db["encoder.block2.norm2.running_mean"]));
  EXPECT_TRUE(
      torch::equal(sb["encoder.block2.norm2.running_var"], db["encoder.block2.norm2.running_var"]));
  EXPECT_EQ(db["encoder.block0.norm1.num_batches_tracked"].item<std::int64_t>(), 1);

  const auto both = nn::transferWeights(source, target, nn::TransferScope::kEncoderDecoder);
  EXPECT_EQ(both.transferred.size(), 54u);
  EXPECT_EQ(both.skipped_not_in_scope,
            (std::vector<std::string>{"heads.segmentation.bias", "heads.segmentation.weight"}));
  EXPECT_TRUE(torch::equal(src["decoder.up0.weight"], dst["decoder.up0.weight"]));
  EXPECT_TRUE(torch::equal(src["decoder.block1.conv2.bias"], dst["decoder.block1.conv2.bias"]));
  EXPECT_TRUE(torch::equal(head_before, dst["heads.segmentation.weight"]));
  std::int64_t values = 0;
  for (const auto& name : both.transferred) {
    values += dst.contains(name) ? dst[name].numel() : db[name].numel();
  }
  EXPECT_EQ(both.transferred_values, values);
  // Copies, not shared storage.
  EXPECT_NE(src["encoder.block0.conv1.weight"].data_ptr(),
            dst["encoder.block0.conv1.weight"].data_ptr());

  const auto json = both.toJson();
  EXPECT_EQ(json.at("transferred").size(), 54u);
  EXPECT_EQ(json.at("transferred_values").get<std::int64_t>(), values);
  EXPECT_NE(both.text().find("transferred: 54 tensors"), std::string::npos);
}

TEST_F(NnTest, TransferReportsShapeMismatchAndMissing) {
  nn::PlaneNet source(small(4, 3));
  auto wider = small(8, 3);  // every tensor differs in shape
  nn::PlaneNet target(wider);
  const auto before = target->named_parameters()["encoder.block0.conv1.weight"].clone();
  const auto r = nn::transferWeights(source, target, nn::TransferScope::kEncoder);
  EXPECT_EQ(r.skipped_shape.size(), 36u);
  EXPECT_EQ(r.transferred.size(), 6u);  // only the num_batches_tracked scalars match
  for (const auto& name : r.transferred) {
    EXPECT_NE(name.find("num_batches_tracked"), std::string::npos) << name;
  }
  EXPECT_TRUE(torch::equal(before, target->named_parameters()["encoder.block0.conv1.weight"]));

  // In-channel mismatch only in the first conv.
  auto two = small(4, 3);
  two.in_channels = 2;
  nn::PlaneNet target2(two);
  const auto r2 = nn::transferWeights(source, target2, nn::TransferScope::kEncoder);
  EXPECT_EQ(r2.skipped_shape, (std::vector<std::string>{"encoder.block0.conv1.weight"}));
  EXPECT_EQ(r2.transferred.size(), 41u);
  EXPECT_NE(r2.text().find("encoder.block0.conv1.weight"), std::string::npos);

  // Deeper target: its block3 is absent in the source.
  nn::PlaneNet deeper(small(4, 4));
  const auto r3 = nn::transferWeights(source, deeper, nn::TransferScope::kEncoder);
  EXPECT_EQ(r3.missing_in_source.size(), 14u);
  for (const auto& name : r3.missing_in_source) EXPECT_TRUE(hasPrefix(name, "encoder.block3."));
}

TEST_F(NnTest, JsonRoundTrip) {
  nn::NetworkConfig c = nn::preset("compact");
  c.in_channels = 2;
  c.encoder_norm = nn::Norm::kInstance;
  c.decoder_norm = nn::Norm::kBatch;
  c.heatmap_channels = 3;
  c.location = true;
  c.location_hidden = 64;
  c.location_dropout = 0.25;
  c.segmentation_classes = 4;
  c.classification_classes = 2;
  c.restoration_channels = 1;
  const auto json = c.toJson();
  const auto back = nn::NetworkConfig::fromJson(json);
  EXPECT_EQ(back.toJson(), json);
  EXPECT_EQ(back.preset, "compact");
  EXPECT_EQ(back.encoder_norm, nn::Norm::kInstance);
  EXPECT_DOUBLE_EQ(back.location_dropout, 0.25);
  EXPECT_EQ(json.size(), 13u);

  // Missing keys come from the named preset.
  const auto partial =
      nn::NetworkConfig::fromJson(nlohmann::json{{"preset", "paper"}, {"heatmap_channels", 2}});
  EXPECT_EQ(partial.base_width, 64);
  EXPECT_EQ(partial.heatmap_channels, 2);
}

TEST_F(NnTest, InvalidConfigsAreRejected) {
  const auto base = small(4, 3).toJson();
  const auto rejects = [&](const std::string& key, const nlohmann::json& value) {
    auto j = base;
    j[key] = value;
    try {
      nn::NetworkConfig::fromJson(j);
      ADD_FAILURE() << key << " = " << value.dump() << " accepted";
    } catch (const std::invalid_argument& e) {
      EXPECT_EQ(std::string(e.what()).rfind("[invalid_network] ", 0), 0u) << e.what();
    }
  };
  rejects("base_width", 16.5);  // strict integer
  rejects("base_width", "16");  // strict type
  rejects("depth", true);       // booleans are not integers
  rejects("location", 1);       // integers are not booleans
  rejects("encoder_norm", "group");
  rejects("location_dropout", "0.5");
  rejects("base_width", 0);
  rejects("depth", 0);
  rejects("heatmap_channels", -1);
  rejects("location_dropout", 1.0);
  rejects("in_channels", 5000000000LL);
  rejects("typo_key", 1);
  EXPECT_THROW(nn::NetworkConfig::fromJson(nlohmann::json::array()), std::invalid_argument);
  auto none = base;
  none["heatmap_channels"] = 0;
  none["location"] = false;
  EXPECT_THROW(nn::NetworkConfig::fromJson(none), std::invalid_argument);
  EXPECT_THROW(nn::preset("huge"), std::invalid_argument);

  const auto c = small(4, 5);
  EXPECT_EQ(c.validate(96), "");
  EXPECT_NE(c.validate(100).find("[invalid_network]"), std::string::npos);  // 100 % 16 != 0
  EXPECT_NE(c.validate(0), "");
  auto headless = c;
  headless.heatmap_channels = 0;
  headless.location = false;
  EXPECT_NE(headless.validate(96), "");
  auto inst = c;
  inst.encoder_norm = nn::Norm::kInstance;
  EXPECT_NE(inst.validate(16), "");  // 1x1 bottleneck
  EXPECT_EQ(inst.validate(32), "");
  EXPECT_THROW(nn::PlaneNet{headless}, std::invalid_argument);
}

TEST_F(NnTest, ForwardRejectsBadInput) {
  nn::PlaneNet net(small(4, 3));
  EXPECT_THROW(net->forward(torch::randn({1, 1, 10, 16})), c10::Error);  // 10 % 4 != 0
  EXPECT_THROW(net->forward(torch::randn({1, 2, 16, 16})), c10::Error);  // channels
}

TEST_F(NnTest, StepBenchmarkRuns) {
  nn::StepBenchmarkOptions o;
  o.base = 2;
  o.size = 32;
  o.batch = 2;
  o.steps = 1;
  o.warmup = 0;
  o.depth = 3;
  const auto r = nn::benchmarkTrainStep(o);
  EXPECT_GT(r.images_per_s, 0.0);
  EXPECT_EQ(r.threads, 2);
  EXPECT_EQ(r.device, "cpu");
  auto c = small(2, 3);
  c.location_hidden = 128;
  nn::PlaneNet net(c);
  EXPECT_EQ(r.parameters, nn::parameterCount(net));
  o.size = 30;
  EXPECT_THROW(nn::benchmarkTrainStep(o), std::invalid_argument);
}
