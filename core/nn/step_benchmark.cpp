#include "nn/step_benchmark.h"

#include <algorithm>
#include <chrono>
#include <stdexcept>

#include <torch/torch.h>

#include "nn/plane_net.h"

namespace planelab::nn {

namespace {

void synchronise(const torch::Device& device) {
  if (device.is_cuda()) torch::cuda::synchronize();
}

}  // namespace

StepBenchmarkResult benchmarkTrainStep(const StepBenchmarkOptions& options) {
  if (options.batch < 1 || options.steps < 1 || options.warmup < 0 || options.threads < 1) {
    throw std::invalid_argument(
        "[invalid_benchmark] batch, steps and threads must be >= 1, warmup >= 0");
  }
  NetworkConfig config;
  config.preset = "benchmark";
  config.base_width = options.base;
  config.depth = options.depth;
  config.heatmap_channels = 2;  // 2CH and 4CH lines
  config.location = true;
  const std::string error = config.validate(options.size);
  if (!error.empty()) throw std::invalid_argument(error);

  torch::set_num_threads(options.threads);
  const bool cuda = options.device == "cuda" && torch::cuda::is_available();
  const torch::Device device(cuda ? torch::kCUDA : torch::kCPU);

  torch::manual_seed(0);  // same weights and data every run
  PlaneNet net(config);
  net->to(device);
  net->train();
  const auto opts = torch::TensorOptions().dtype(torch::kFloat32).device(device);
  const auto input = torch::randn({options.batch, 1, options.size, options.size}, opts);
  const auto heatmaps = torch::rand({options.batch, 2, options.size, options.size}, opts);
  const auto location = torch::rand({options.batch}, opts);
  torch::optim::Adam adam(net->parameters(), torch::optim::AdamOptions(1e-3));

  const auto step = [&] {
    adam.zero_grad();
    const Outputs out = net->forward(input);
    const auto loss =
        torch::mse_loss(out.heatmaps, heatmaps) + torch::mse_loss(out.location, location);
    loss.backward();
    adam.step();
  };
  for (int i = 0; i < options.warmup; ++i) step();
  synchronise(device);
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  double fastest = 0.0;  // seconds
  auto last = start;
  for (int i = 0; i < options.steps; ++i) {
    step();
    synchronise(device);  // no-op on the CPU; per-step times need it on CUDA
    const auto now = Clock::now();
    const double dt = std::chrono::duration<double>(now - last).count();
    fastest = i == 0 ? dt : std::min(fastest, dt);
    last = now;
  }
  const double seconds = std::chrono::duration<double>(last - start).count();

  StepBenchmarkResult result;
  result.seconds_per_step = seconds / options.steps;
  result.images_per_s = options.batch / result.seconds_per_step;
  result.best_images_per_s = options.batch / fastest;
  result.parameters = parameterCount(net);
  result.threads = torch::get_num_threads();
  result.device = cuda ? "cuda" : "cpu";
  return result;
}

}  // namespace planelab::nn
