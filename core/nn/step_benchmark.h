// One pretraining step of PlaneNet (heatmap + location heads, as ML-RECIPE §3 with α = β = 1),
// timed: forward, MSE(heatmaps) + MSE(location), backward, Adam (lr 1e-3) step. Shared by the
// CLI and bench/train_step_bench (which compares it with bench/peers/train_step_peer.py).
#pragma once

#include <cstdint>
#include <string>

namespace planelab::nn {

struct StepBenchmarkOptions {
  int base = 8;     // base width (paper 64)
  int size = 96;    // input size in pixels (square)
  int batch = 16;   // images per step
  int steps = 10;   // timed steps
  int warmup = 2;   // untimed steps first (allocator, kernel selection)
  int threads = 2;  // torch::set_num_threads
  int depth = 5;
  std::string device = "cpu";  // "cpu" | "cuda" (falls back to cpu when CUDA is absent)
};

struct StepBenchmarkResult {
  double images_per_s = 0.0;
  double seconds_per_step = 0.0;   // mean over the timed steps
  double best_images_per_s = 0.0;  // from the fastest timed step (robust to load from others)
  std::int64_t parameters = 0;
  int threads = 0;
  std::string device;  // the device actually used
};

// Throws std::invalid_argument "[invalid_network] ..." / "[invalid_benchmark] ..." on bad options.
StepBenchmarkResult benchmarkTrainStep(const StepBenchmarkOptions& options);

}  // namespace planelab::nn
