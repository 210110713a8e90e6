// The generic SSL baseline: Models-Genesis-style image restoration (Zhou et al., MedIA 2021)
// adapted to 2-D. Each image is distorted and the network learns to restore the original (L2).
// Transforms, with the Models Genesis probabilities: non-linear intensity mapping by a random
// cubic Bezier curve (p 0.9; the curve is mirrored with p 0.5), local pixel shuffling inside
// random small blocks (p 0.5), and painting (p 0.9): in-painting (p 0.2: up to 5 boxes of 1/6 to
// 1/3 of the side filled with uniform noise) or out-painting (p 0.8: everything noise except up
// to 5 boxes of 3/7 to 4/7 of the side). Flips are left out (they would teach mirror symmetry,
// which the anatomy does not have). Intensities are mapped to [0, 1] per image (min-max) for the
// transforms and back afterwards, so the input keeps the dataset's normalisation.
#pragma once

#include <cstdint>

#include <torch/torch.h>

namespace planelab::train {

struct GenesisOptions {
  double nonlinear_rate = 0.9;
  double local_shuffle_rate = 0.5;
  double paint_rate = 0.9;
  double inpaint_rate = 0.2;  // of painting; the rest is out-painting
  int shuffle_blocks = 100;   // blocks per image for local shuffling (2-D; the 3-D original: 1000)
};

// Distorted copy of `images` [B, 1, H, W] (float32, CPU); deterministic in `seed`.
torch::Tensor genesisDistort(const torch::Tensor& images, std::uint64_t seed,
                             const GenesisOptions& options = {});

}  // namespace planelab::train
