#include "data/loader.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <set>

#include "data/augment.h"
#include "data_test_support.h"

namespace planelab::data {
namespace {

namespace fs = std::filesystem;
using testing::SyntheticOptions;

class LoaderTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { torch::set_num_threads(2); }
};

std::vector<std::int64_t> allSamples(const PreparedDataset& ds) {
  std::vector<std::int64_t> out(static_cast<std::size_t>(ds.sampleCount()));
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<std::int64_t>(i);
  return out;
}

LoaderOptions fullContent(int batch) {
  LoaderOptions o;
  o.batch_size = batch;
  o.content.heatmaps = o.content.location = o.content.labels = o.content.classes = true;
  return o;
}

std::vector<Batch> drain(Loader& loader, int epoch) {
  loader.startEpoch(epoch);
  std::vector<Batch> out;
  while (auto b = loader.next()) out.push_back(std::move(*b));
  return out;
}

bool sameTensor(const torch::Tensor& a, const torch::Tensor& b) {
  if (!a.defined() || !b.defined()) return a.defined() == b.defined();
  return a.sizes() == b.sizes() && a.dtype() == b.dtype() && torch::equal(a, b);
}

void expectSameBatch(const Batch& a, const Batch& b) {
  EXPECT_EQ(a.samples, b.samples);
  EXPECT_EQ(a.seed, b.seed);
  EXPECT_TRUE(sameTensor(a.images, b.images));
  EXPECT_TRUE(sameTensor(a.heatmaps, b.heatmaps));
  EXPECT_TRUE(sameTensor(a.heatmap_valid, b.heatmap_valid));
  EXPECT_TRUE(sameTensor(a.location, b.location));
  EXPECT_TRUE(sameTensor(a.location_valid, b.location_valid));
  EXPECT_TRUE(sameTensor(a.labels, b.labels));
  EXPECT_TRUE(sameTensor(a.classes, b.classes));
}

// Pearson correlation of two equally long float ranges, over entries where mask is true.
double correlation(const float* a, const float* b, const std::vector<bool>& mask) {
  double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0, n = 0;
  for (std::size_t i = 0; i < mask.size(); ++i) {
    if (!mask[i]) continue;
    sa += a[i];
    sb += b[i];
    saa += static_cast<double>(a[i]) * a[i];
    sbb += static_cast<double>(b[i]) * b[i];
    sab += static_cast<double>(a[i]) * b[i];
    n += 1;
  }
  const double cov = sab / n - sa / n * sb / n;
  return cov / std::sqrt((saa / n - sa * sa / n / n) * (sbb / n - sb * sb / n / n));
}

TEST_F(LoaderTest, BatchShapesAndContent) {
  const auto ds =
      testing::writeSynthetic(testing::freshTempDir("loader_shapes"), SyntheticOptions{});
  const int s = ds->size();
  LoaderOptions o = fullContent(5);
  o.drop_last = false;
  Loader loader(ds, allSamples(*ds), o);
  EXPECT_EQ(loader.batchesPerEpoch(), 5);  // 24 samples
  EXPECT_FALSE(loader.next());             // no epoch started
  const auto batches = drain(loader, 0);
  ASSERT_EQ(batches.size(), 5u);
  const Batch& b = batches[0];
  EXPECT_EQ(b.images.sizes(), (std::vector<std::int64_t>{5, 1, s, s}));
  EXPECT_EQ(b.images.dtype(), torch::kFloat32);
  EXPECT_EQ(b.heatmaps.sizes(), (std::vector<std::int64_t>{5, 2, s, s}));
  EXPECT_EQ(b.heatmap_valid.sizes(), (std::vector<std::int64_t>{5, 2}));
  EXPECT_EQ(b.location.sizes(), (std::vector<std::int64_t>{5}));
  EXPECT_EQ(b.location_valid.sizes(), (std::vector<std::int64_t>{5}));
  EXPECT_EQ(b.labels.sizes(), (std::vector<std::int64_t>{5, s, s}));
  EXPECT_EQ(b.labels.dtype(), torch::kInt64);
  EXPECT_EQ(b.classes.sizes(), (std::vector<std::int64_t>{5}));
  EXPECT_EQ(b.classes.dtype(), torch::kInt64);
  EXPECT_EQ(batches[4].images.size(0), 4);
  std::multiset<std::int64_t> seen;
  for (const auto& batch : batches) seen.insert(batch.samples.begin(), batch.samples.end());
  const auto all = allSamples(*ds);
  EXPECT_EQ(seen, std::multiset<std::int64_t>(all.begin(), all.end()));
  // Only what was asked for.
  LoaderOptions images_only;
  images_only.batch_size = 4;
  Loader plain(ds, allSamples(*ds), images_only);
  const auto p = drain(plain, 0);
  ASSERT_EQ(p.size(), 6u);
  EXPECT_FALSE(p[0].heatmaps.defined());
  EXPECT_FALSE(p[0].labels.defined());
  EXPECT_FALSE(p[0].classes.defined());
}

TEST_F(LoaderTest, DropLast) {
  const auto ds =
      testing::writeSynthetic(testing::freshTempDir("loader_drop_last"), SyntheticOptions{});
  LoaderOptions o;
  o.batch_size = 5;
  o.drop_last = true;
  Loader loader(ds, allSamples(*ds), o);
  EXPECT_EQ(loader.batchesPerEpoch(), 4);
  const auto batches = drain(loader, 3);
  ASSERT_EQ(batches.size(), 4u);
  for (const auto& b : batches) EXPECT_EQ(b.images.size(0), 5);
  o.batch_size = 30;
  Loader too_big(ds, allSamples(*ds), o);
  EXPECT_EQ(too_big.batchesPerEpoch(), 0);
  EXPECT_TRUE(drain(too_big, 0).empty());
  o.drop_last = false;
  Loader one(ds, allSamples(*ds), o);
  EXPECT_EQ(drain(one, 0).at(0).images.size(0), 24);
  Loader empty(ds, {}, o);
  EXPECT_TRUE(drain(empty, 0).empty());
}

TEST_F(LoaderTest, BatchesIdenticalAcrossWorkerCountsAndResumable) {
  const auto ds =
      testing::writeSynthetic(testing::freshTempDir("loader_determinism"), SyntheticOptions{});
  LoaderOptions o = fullContent(4);
  o.seed = 11;
  o.drop_last = false;
  o.augment.enabled = true;
  o.augment.rotation_deg = 30;
  o.augment.flip_cols = o.augment.flip_rows = true;
  o.augment.gamma = 0.3;
  o.augment.noise_sd = 0.05;
  o.workers = 1;
  o.prefetch = 1;
  Loader one(ds, allSamples(*ds), o);
  o.workers = 3;
  o.prefetch = 5;
  Loader three(ds, allSamples(*ds), o);
  std::vector<std::vector<Batch>> epochs;
  for (int epoch : {0, 1}) {
    const auto a = drain(one, epoch);
    const auto b = drain(three, epoch);
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) expectSameBatch(a[i], b[i]);
    epochs.push_back(a);
  }
  // Epochs differ in order and draws; replaying epoch 1 alone (a resumed run) gives it again.
  EXPECT_NE(epochs[0][0].samples, epochs[1][0].samples);
  Loader resumed(ds, allSamples(*ds), o);
  const auto again = drain(resumed, 1);
  ASSERT_EQ(again.size(), epochs[1].size());
  for (std::size_t i = 0; i < again.size(); ++i) expectSameBatch(again[i], epochs[1][i]);
  // loadSamples reproduces a batch from its positions.
  const Batch& third = epochs[1][2];
  expectSameBatch(loadSamples(*ds, third.samples, o, 1, 2 * 4), third);
  // An epoch abandoned halfway: the next startEpoch restarts cleanly.
  three.startEpoch(0);
  ASSERT_TRUE(three.next());
  const auto restarted = drain(three, 1);
  for (std::size_t i = 0; i < restarted.size(); ++i) expectSameBatch(restarted[i], epochs[1][i]);
}

TEST_F(LoaderTest, OnePerSubjectSampling) {
  SyntheticOptions so;
  so.subjects = 6;
  const auto ds = testing::writeSynthetic(testing::freshTempDir("loader_one_per_subject"), so);
  // Draw only from subjects 0..4 (as a training split would) and skip the first sample.
  std::vector<std::int64_t> samples;
  for (std::int64_t i = 1; i < ds->sampleCount(); ++i) {
    if (ds->info().samples[static_cast<std::size_t>(i)].subject < 5) samples.push_back(i);
  }
  LoaderOptions o;
  o.batch_size = 2;
  o.drop_last = false;
  o.sampling = Sampling::kOnePerSubject;
  Loader loader(ds, samples, o);
  EXPECT_EQ(loader.batchesPerEpoch(), 3);
  std::set<std::int64_t> picked;
  std::set<std::vector<int>> orders;
  for (int epoch = 0; epoch < 8; ++epoch) {
    std::vector<int> subjects;
    for (const auto& b : drain(loader, epoch)) {
      for (const std::int64_t s : b.samples) {
        EXPECT_TRUE(std::find(samples.begin(), samples.end(), s) != samples.end()) << s;
        subjects.push_back(ds->info().samples[static_cast<std::size_t>(s)].subject);
        picked.insert(s);
      }
    }
    ASSERT_EQ(subjects.size(), 5u);
    EXPECT_EQ(std::set<int>(subjects.begin(), subjects.end()).size(), 5u);
    orders.insert(subjects);
  }
  EXPECT_GT(orders.size(), 1u);   // subject order permuted per epoch
  EXPECT_GT(picked.size(), 10u);  // different slices/phases drawn across epochs
}

TEST_F(LoaderTest, WithoutAugmentationStoredPixelsAndExactTargets) {
  SyntheticOptions so;
  so.lax_samples = true;  // 2CH / 4CH planes are samples too
  const auto ds = testing::writeSynthetic(testing::freshTempDir("loader_no_augment"), so);
  LoaderOptions o = fullContent(3);
  o.drop_last = false;
  o.augment.enabled = false;
  o.augment.noise_sd = 1.0;  // ignored when disabled
  Loader loader(ds, allSamples(*ds), o);
  const int size = ds->size();
  const auto pixels = static_cast<std::size_t>(size) * size;
  const DatasetInfo& info = ds->info();
  int lax_checked = 0;
  for (const auto& b : drain(loader, 0)) {
    for (std::size_t i = 0; i < b.samples.size(); ++i) {
      const std::int64_t index = b.samples[i];
      const Sample& sample = info.samples[static_cast<std::size_t>(index)];
      const Subject& subject = info.subjects[static_cast<std::size_t>(sample.subject)];
      const auto& own = subject.planes[static_cast<std::size_t>(sample.plane)];
      const float* image = b.images.data_ptr<float>() + i * pixels;
      EXPECT_EQ(std::memcmp(image, ds->image(index), pixels * sizeof(float)), 0);
      const std::int64_t* labels = b.labels.data_ptr<std::int64_t>() + i * pixels;
      for (std::size_t p = 0; p < pixels; ++p) ASSERT_EQ(labels[p], ds->labels(index)[p]);
      for (int k = 0; k < 2; ++k) {
        const float* h = b.heatmaps.data_ptr<float>() + (i * 2 + k) * pixels;
        const float valid = b.heatmap_valid[static_cast<std::int64_t>(i)][k].item<float>();
        if (own.view == info.plan.heatmap_views[static_cast<std::size_t>(k)]) {
          ++lax_checked;
          EXPECT_EQ(valid, 0.0f);  // own view: no channel
          EXPECT_EQ(*std::max_element(h, h + pixels), 0.0f);
          continue;
        }
        const LineHeatmap expected = lineHeatmap(
            own.plane, subject.planes[static_cast<std::size_t>(k)].plane, info.plan.heatmap);
        EXPECT_EQ(valid, 1.0f);
        EXPECT_EQ(std::memcmp(h, expected.values.data(), pixels * sizeof(float)), 0);
      }
      const float location = b.location[static_cast<std::int64_t>(i)].item<float>();
      const float location_valid = b.location_valid[static_cast<std::int64_t>(i)].item<float>();
      if (sample.relative_location) {
        EXPECT_EQ(location_valid, 1.0f);
        EXPECT_EQ(location, static_cast<float>(*sample.relative_location));
      } else {
        EXPECT_EQ(location_valid, 0.0f);
        EXPECT_EQ(location, 0.0f);
      }
      EXPECT_EQ(b.classes[static_cast<std::int64_t>(i)].item<std::int64_t>(), sample.subject % 2);
    }
  }
  EXPECT_EQ(lax_checked, 8);  // 4 subjects x (2CH sample, 4CH sample)
}

TEST_F(LoaderTest, MissingViewsAndClassesGiveInvalidChannels) {
  SyntheticOptions so;
  so.with_lax = false;
  so.classes = {};
  so.slices = 1;  // single-slice stacks: no location target
  const auto ds = testing::writeSynthetic(testing::freshTempDir("loader_missing_views"), so);
  const Batch b = loadSamples(*ds, {0, 1}, fullContent(2), 0, 0);
  EXPECT_EQ(b.heatmap_valid.sum().item<float>(), 0.0f);
  EXPECT_EQ(b.heatmaps.abs().max().item<float>(), 0.0f);
  EXPECT_EQ(b.location_valid.sum().item<float>(), 0.0f);
  EXPECT_EQ(b.classes[0].item<std::int64_t>(), -1);
}

// With augmentation, each heatmap channel is exactly lineHeatmap on the augmented plane, and that
// plane maps every augmented pixel to the patient point of the stored pixel the image was sampled
// from.
TEST_F(LoaderTest, AugmentedHeatmapIsExactOnTheAugmentedPlane) {
  const auto ds =
      testing::writeSynthetic(testing::freshTempDir("loader_augment_plane"), SyntheticOptions{});
  LoaderOptions o = fullContent(6);
  o.seed = 5;
  o.augment.enabled = true;
  o.augment.rotation_deg = 40;
  o.augment.scale_min = 0.8;
  o.augment.scale_max = 1.25;
  o.augment.flip_cols = o.augment.flip_rows = true;
  const int size = ds->size();
  const auto pixels = static_cast<std::size_t>(size) * size;
  Loader loader(ds, allSamples(*ds), o);
  const auto batches = drain(loader, 2);
  int flipped = 0;
  for (std::size_t bi = 0; bi < batches.size(); ++bi) {
    const Batch& b = batches[bi];
    for (std::size_t i = 0; i < b.samples.size(); ++i) {
      const std::int64_t position =
          static_cast<std::int64_t>(bi) * 6 + static_cast<std::int64_t>(i);
      Rng rng = sampleRng(o.seed, 2, position);
      const AugmentDraw draw = drawAugmentation(o.augment, rng);
      flipped += draw.flip_cols != draw.flip_rows ? 1 : 0;
      const PixelAffine map = inverseMap(draw, size);
      const Sample& sample = ds->info().samples[static_cast<std::size_t>(b.samples[i])];
      const Subject& subject = ds->info().subjects[static_cast<std::size_t>(sample.subject)];
      const geometry::ImagePlane stored =
          subject.planes[static_cast<std::size_t>(sample.plane)].plane;
      const geometry::ImagePlane plane = augmentPlane(stored, map);
      EXPECT_EQ(plane.validate(1e-9), "");
      for (const auto& [vr, uc] :
           std::vector<std::pair<double, double>>{{0, 0}, {3, 40}, {47, 11}}) {
        const double u = map.centre + map.m00 * (uc - map.centre) + map.m01 * (vr - map.centre);
        const double v = map.centre + map.m10 * (uc - map.centre) + map.m11 * (vr - map.centre);
        const geometry::Vec3 d = plane.toPatient(vr, uc) - stored.toPatient(v, u);
        EXPECT_LT(geometry::norm(d), 1e-9);
      }
      for (int k = 0; k < 2; ++k) {
        const LineHeatmap expected = lineHeatmap(
            plane, subject.planes[static_cast<std::size_t>(k)].plane, ds->info().plan.heatmap);
        const float* h = b.heatmaps.data_ptr<float>() + (i * 2 + k) * pixels;
        EXPECT_EQ(std::memcmp(h, expected.values.data(), pixels * sizeof(float)), 0);
      }
    }
  }
  EXPECT_GT(flipped, 0);  // mirrored planes (left-handed) were exercised
}

// A bright ridge drawn in the image along the 2CH trace stays under the heatmap ridge after
// rotation, scaling and flips (the image is warped by bilinear sampling, the heatmap evaluated in
// closed form on the augmented plane).
TEST_F(LoaderTest, AugmentedHeatmapFollowsTheImage) {
  SyntheticOptions so;
  so.size = 64;
  so.image = [&](const Subject& subject, const Sample& sample, int) {
    HeatmapOptions ridge;
    ridge.sigma_px = 3.0;
    return lineHeatmap(subject.planes[static_cast<std::size_t>(sample.plane)].plane,
                       subject.planes[0].plane, ridge)
        .values;
  };
  const auto ds = testing::writeSynthetic(testing::freshTempDir("loader_augment_ridge"), so);
  // The heatmap's sigma is in augmented pixels (the target is defined on the network grid), so
  // the drawn ridge keeps its width only without zoom: with zoom only the correlation is checked.
  const auto check = [&](double scale_min, double scale_max, double min_correlation,
                         double max_difference) {
    LoaderOptions o = fullContent(8);
    o.augment.enabled = true;
    o.augment.rotation_deg = 45;
    o.augment.scale_min = scale_min;
    o.augment.scale_max = scale_max;
    o.augment.flip_cols = o.augment.flip_rows = true;
    o.augment.intensity_scale = o.augment.intensity_shift = 0.0;
    const int size = ds->size();
    const auto pixels = static_cast<std::size_t>(size) * size;
    Loader loader(ds, allSamples(*ds), o);
    int checked = 0;
    const auto batches = drain(loader, 0);
    for (std::size_t bi = 0; bi < batches.size(); ++bi) {
      const Batch& b = batches[bi];
      for (std::size_t i = 0; i < b.samples.size(); ++i) {
        const float* image = b.images.data_ptr<float>() + i * pixels;
        const float* heat = b.heatmaps.data_ptr<float>() + i * 2 * pixels;  // channel 0 (2CH)
        const float* stored = ds->image(b.samples[i]);
        if (*std::max_element(stored, stored + pixels) < 0.5f) continue;  // ridge off the crop
        // Compare where the warped image is defined: pixels whose source point has all four
        // bilinear neighbours inside the stored image.
        Rng rng = sampleRng(o.seed, 0, static_cast<std::int64_t>(bi * 8 + i));
        const PixelAffine map = inverseMap(drawAugmentation(o.augment, rng), size);
        std::vector<bool> inside(pixels, false);
        for (int vr = 0; vr < size; ++vr) {
          for (int uc = 0; uc < size; ++uc) {
            const double u = map.centre + map.m00 * (uc - map.centre) + map.m01 * (vr - map.centre);
            const double v = map.centre + map.m10 * (uc - map.centre) + map.m11 * (vr - map.centre);
            inside[static_cast<std::size_t>(vr) * size + uc] =
                u >= 0.0 && v >= 0.0 && u <= size - 1.0 && v <= size - 1.0;
          }
        }
        EXPECT_GT(correlation(image, heat, inside), min_correlation) << "sample " << b.samples[i];
        double worst = 0.0;
        for (std::size_t p = 0; p < pixels; ++p) {
          if (inside[p]) worst = std::max(worst, std::abs(double(image[p]) - heat[p]));
        }
        EXPECT_LT(worst, max_difference) << "sample " << b.samples[i];
        ++checked;
      }
    }
    EXPECT_GT(checked, 10);
  };
  check(1.0, 1.0, 0.999, 0.03);  // 0.03: bilinear error of a sigma-3 ridge
  check(0.8, 1.2, 0.97, 1.0);
}

// Labels follow the image: an image equal to its label map stays equal to the warped labels
// wherever bilinear sampling lands inside one label region.
TEST_F(LoaderTest, LabelsRotateWithTheImage) {
  SyntheticOptions so;
  so.image = [&](const Subject&, const Sample& sample, int) {
    std::vector<float> image(static_cast<std::size_t>(so.size) * so.size, 0.0f);
    if (sample.phase % 2 == 1) {
      const auto labels = testing::testLabels(so.size);
      for (std::size_t p = 0; p < image.size(); ++p) image[p] = labels[p];
    }
    return image;
  };
  const auto ds = testing::writeSynthetic(testing::freshTempDir("loader_augment_labels"), so);
  LoaderOptions o = fullContent(4);
  o.augment.enabled = true;
  o.augment.rotation_deg = 90;
  o.augment.flip_cols = true;
  o.augment.intensity_scale = o.augment.intensity_shift = 0.0;
  const int size = ds->size();
  const auto pixels = static_cast<std::size_t>(size) * size;
  std::vector<std::int64_t> labelled;
  for (std::int64_t i = 0; i < ds->sampleCount(); ++i) {
    if (ds->info().samples[static_cast<std::size_t>(i)].has_labels) labelled.push_back(i);
  }
  Loader loader(ds, labelled, o);
  int moved = 0;
  for (const auto& b : drain(loader, 0)) {
    for (std::size_t i = 0; i < b.samples.size(); ++i) {
      const float* image = b.images.data_ptr<float>() + i * pixels;
      const std::int64_t* labels = b.labels.data_ptr<std::int64_t>() + i * pixels;
      const std::uint8_t* stored = ds->labels(b.samples[i]);
      std::size_t agree = 0, foreground = 0, changed = 0;
      for (std::size_t p = 0; p < pixels; ++p) {
        if (labels[p] != 0) ++foreground;
        if (labels[p] != stored[p]) ++changed;
        if (std::abs(image[p] - static_cast<float>(labels[p])) < 0.5f) ++agree;
      }
      EXPECT_GT(agree, pixels * 97 / 100);
      EXPECT_GT(foreground, 50u);
      if (changed > 20) ++moved;
    }
  }
  EXPECT_GT(moved, 0);
}

// Pure flips are exact mirrors of the stored image, labels and heatmaps.
TEST_F(LoaderTest, FlipsMirrorImageLabelsAndHeatmaps) {
  const auto ds =
      testing::writeSynthetic(testing::freshTempDir("loader_flips"), SyntheticOptions{});
  LoaderOptions o = fullContent(24);
  o.augment.enabled = true;
  o.augment.rotation_deg = 0.0;
  o.augment.scale_min = o.augment.scale_max = 1.0;
  o.augment.flip_cols = true;
  o.augment.intensity_scale = o.augment.intensity_shift = 0.0;
  const int size = ds->size();
  const auto pixels = static_cast<std::size_t>(size) * size;
  o.content.labels = true;
  const Batch b = loadSamples(*ds, allSamples(*ds), o, 0, 0);
  LoaderOptions plain = fullContent(24);
  const Batch ref = loadSamples(*ds, allSamples(*ds), plain, 0, 0);
  int mirrored = 0, kept = 0;
  for (std::size_t i = 0; i < 24; ++i) {
    const float* image = b.images.data_ptr<float>() + i * pixels;
    const float* stored = ds->image(static_cast<std::int64_t>(i));
    const bool same = std::memcmp(image, stored, pixels * sizeof(float)) == 0;
    bool mirror = true;
    for (int r = 0; r < size && mirror; ++r) {
      for (int c = 0; c < size; ++c) {
        const std::size_t p = static_cast<std::size_t>(r) * size + c;
        const std::size_t q = static_cast<std::size_t>(r) * size + (size - 1 - c);
        if (image[p] != stored[q] || b.labels.data_ptr<std::int64_t>()[i * pixels + p] !=
                                         ds->labels(static_cast<std::int64_t>(i))[q]) {
          mirror = false;
          break;
        }
        for (int k = 0; k < 2; ++k) {
          const float h = b.heatmaps.data_ptr<float>()[(i * 2 + k) * pixels + p];
          const float h0 = ref.heatmaps.data_ptr<float>()[(i * 2 + k) * pixels + q];
          ASSERT_NEAR(h, h0, 1e-5) << i << " " << r << " " << c;
        }
      }
    }
    EXPECT_TRUE(same || mirror) << i;
    mirrored += mirror ? 1 : 0;
    kept += same ? 1 : 0;
  }
  EXPECT_GT(mirrored, 0);
  EXPECT_GT(kept, 0);
}

// planes_parallel -> invalid channel; line_misses_crop -> a valid all-zero target.
TEST_F(LoaderTest, ParallelPlaneInvalidMissedCropValid) {
  const fs::path dir = testing::freshTempDir("loader_parallel");
  SyntheticOptions so;
  {
    DatasetWriter writer(dir.string(), testing::syntheticPlan(so), true);
    Subject subject;
    subject.id = "P";
    const int n = so.size;
    const double sp = so.spacing;
    subject.planes.push_back(  // "2ch" parallel to the SAX plane (another axial slice)
        {testing::gridPlane({0, 0, 20}, {1, 0, 0}, {0, 1, 0}, n, sp), "2ch", -1, -1});
    subject.planes.push_back(  // "4ch" crossing the SAX plane far outside its crop
        {testing::laxPlane(0.0, {0, 500, 0}, n, sp), "4ch", -1, -1});
    subject.planes.push_back(
        {testing::gridPlane({0, 0, 0}, {1, 0, 0}, {0, 1, 0}, n, sp), "sax", 0, 0});
    writer.addSubject(subject);
    Sample sample;
    sample.subject = 0;
    sample.plane = 2;
    writer.addSample(sample, testing::testImage(n, 0), {});
    writer.finish();
  }
  const auto ds = PreparedDataset::open(dir.string());
  LoaderOptions o = fullContent(1);
  for (const bool augment : {false, true}) {
    o.augment.enabled = augment;
    const Batch b = loadSamples(*ds, {0}, o, 0, 0);
    EXPECT_EQ(b.heatmap_valid[0][0].item<float>(), 0.0f);
    EXPECT_EQ(b.heatmap_valid[0][1].item<float>(), 1.0f);
    EXPECT_EQ(b.heatmaps.abs().max().item<float>(), 0.0f);
  }
}

TEST_F(LoaderTest, RejectsBadArguments) {
  const auto ds =
      testing::writeSynthetic(testing::freshTempDir("loader_bad_args"), SyntheticOptions{});
  LoaderOptions o;
  EXPECT_THROW(Loader(ds, {0, 999}, o), std::invalid_argument);
  o.batch_size = 0;
  EXPECT_THROW(Loader(ds, {0}, o), std::invalid_argument);
  EXPECT_THROW(Loader(nullptr, {}, LoaderOptions{}), std::invalid_argument);
}

}  // namespace
}  // namespace planelab::data
