// Batches for training: background prefetch threads assemble batches of images and targets from
// a prepared dataset, with augmentation applied jointly to the image and every dense target.
// Pretext targets are computed on the fly from geometry (pretext_targets.h): the heatmap line is
// transformed with the augmentation's affine map and evaluated in closed form, so the target is
// exact for the augmented image (no resampling of targets).
//
// Determinism: the order of an epoch and every random draw of a sample come from
// (seed, epoch, position in the epoch) through the own PRNG, never from thread timing, so a run
// resumed at epoch k sees the same batches as the uninterrupted run.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "data/prepared_dataset.h"

namespace planelab::data {

struct AugmentOptions {
  bool enabled = false;
  double rotation_deg = 15.0;               // uniform in [-r, r]
  double scale_min = 0.9, scale_max = 1.1;  // isotropic zoom about the image centre
  // Mirror along columns / rows with probability 0.5 each. Off for the heart by default: a mirror
  // turns a right-handed anatomy into a left-handed one. Knee planes allow the left-right flip.
  bool flip_cols = false;
  bool flip_rows = false;
  double intensity_scale = 0.1;  // x' = x * (1 + U(-s, s)) + U(-shift, shift)
  double intensity_shift = 0.1;
  double gamma = 0.0;     // 0 = off; else gamma in [1/(1+g), 1+g] on min-max rescaled intensities
  double noise_sd = 0.0;  // additive Gaussian noise SD (normalised units)
};

// What the batches carry.
struct BatchContent {
  bool heatmaps = false;  // plan.heatmap_views channels
  bool location = false;
  bool labels = false;   // segmentation maps
  bool classes = false;  // subject class index
};

// How an epoch is drawn: every sample once, or (ML-RECIPE §2, the paper's sampler) one random
// sample per subject (one random slice and phase).
enum class Sampling { kAllSamples, kOnePerSubject };

struct LoaderOptions {
  int batch_size = 16;
  bool shuffle = true;
  bool drop_last = true;
  Sampling sampling = Sampling::kAllSamples;
  int workers = 2;   // prefetch threads
  int prefetch = 4;  // batches queued ahead
  std::uint64_t seed = 1;
  AugmentOptions augment;
  BatchContent content;
};

struct Batch {
  torch::Tensor images;          // [B, 1, S, S] float32
  torch::Tensor heatmaps;        // [B, K, S, S] float32 (if content.heatmaps)
  torch::Tensor heatmap_valid;   // [B, K] float32: 0 for view_missing / planes_parallel channels
  torch::Tensor location;        // [B] float32 (if content.location)
  torch::Tensor location_valid;  // [B] float32: 0 when the sample has no location target
  torch::Tensor labels;          // [B, S, S] int64 (if content.labels)
  torch::Tensor classes;         // [B] int64 (if content.classes)
  std::vector<std::int64_t> samples;  // dataset sample indices
  std::uint64_t seed = 0;  // for further per-batch randomness (e.g. Models Genesis transforms)
};

class Loader {
 public:
  // `samples`: the dataset sample indices this loader draws from (e.g. the training split).
  Loader(std::shared_ptr<const PreparedDataset> dataset, std::vector<std::int64_t> samples,
         LoaderOptions options);
  ~Loader();  // stops the workers
  Loader(const Loader&) = delete;
  Loader& operator=(const Loader&) = delete;

  std::int64_t batchesPerEpoch() const;
  // Starts producing the batches of `epoch` (0-based) on the worker threads.
  void startEpoch(int epoch);
  // The next batch of the current epoch in order; empty when the epoch is done.
  std::optional<Batch> next();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// One sample as the loader would produce it (same augmentation draw), for tests and previews.
Batch loadSamples(const PreparedDataset& dataset, const std::vector<std::int64_t>& samples,
                  const LoaderOptions& options, int epoch, std::int64_t first_position);

}  // namespace planelab::data
