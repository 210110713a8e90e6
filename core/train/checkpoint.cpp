#include "train/checkpoint.h"

#include <cstdio>
#include <filesystem>
#include <mutex>
#include <stdexcept>

#include <ATen/CPUGeneratorImpl.h>

namespace planelab::train {

void saveCheckpoint(const std::string& path, nn::PlaneNet& net, torch::optim::Optimizer* optimiser,
                    const TrainerState& state) {
  torch::serialize::OutputArchive archive;
  torch::serialize::OutputArchive model;
  net->save(model);
  archive.write("model", model);
  if (optimiser) {
    torch::serialize::OutputArchive optim;
    optimiser->save(optim);
    archive.write("optimizer", optim);
  }
  const nlohmann::json meta = {
      {"next_epoch", state.next_epoch},
      {"step", state.step},
      {"best_metric", state.best_metric ? nlohmann::json(*state.best_metric) : nlohmann::json()},
      {"best_epoch", state.best_epoch},
      {"history", state.history}};
  archive.write("state", c10::IValue(meta.dump()));
  {
    at::Generator generator = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(generator.mutex());
    archive.write("rng", generator.get_state());
  }
  const std::string temporary = path + ".tmp";
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  try {
    archive.save_to(temporary);
  } catch (const c10::Error& e) {
    std::remove(temporary.c_str());
    throw std::runtime_error("[cannot_write] checkpoint " + path + ": " +
                             e.what_without_backtrace());
  }
  std::filesystem::rename(temporary, path);
}

TrainerState loadCheckpoint(const std::string& path, nn::PlaneNet& net,
                            torch::optim::Optimizer* optimiser, const torch::Device& device) {
  if (!std::filesystem::exists(path))
    throw std::runtime_error("[checkpoint_unreadable] no checkpoint at " + path);
  TrainerState state;
  try {
    torch::serialize::InputArchive archive;
    archive.load_from(path, device);
    torch::serialize::InputArchive model;
    archive.read("model", model);
    net->load(model);
    if (optimiser) {
      torch::serialize::InputArchive optim;
      if (archive.try_read("optimizer", optim)) optimiser->load(optim);
    }
    c10::IValue meta_value;
    archive.read("state", meta_value);
    const auto meta = nlohmann::json::parse(meta_value.toStringRef());
    state.next_epoch = meta.at("next_epoch").get<int>();
    state.step = meta.at("step").get<std::int64_t>();
    if (!meta.at("best_metric").is_null()) state.best_metric = meta["best_metric"].get<double>();
    state.best_epoch = meta.at("best_epoch").get<int>();
    state.history = meta.at("history");
    torch::Tensor rng;
    if (archive.try_read("rng", rng)) {
      // The handle shares the global generator's state.
      at::Generator generator = at::detail::getDefaultCPUGenerator();
      std::lock_guard<std::mutex> lock(generator.mutex());
      generator.set_state(rng.to(torch::kCPU));
    }
  } catch (const c10::Error& e) {
    throw std::runtime_error("[checkpoint_unreadable] " + path + ": " + e.what_without_backtrace());
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error("[checkpoint_unreadable] " + path + ": " + e.what());
  }
  return state;
}

}  // namespace planelab::train
