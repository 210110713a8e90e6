// Training-step rate of PlaneNet (heatmap(2) + location heads, MSE + MSE, backward, Adam) against
// the same network and step in plain PyTorch (bench/peers/train_step_peer.py), same settings,
// same process run one after the other; prints C++ images/s, Python images/s and C++/Python.
//   train_step_bench [--threads N] [--repeats R] [--paper] [--json] [--device cpu|cuda]
//                    [--python PATH] [--peer PATH] [--no-peer] [--only NAME]
// Configurations: base 8 size 96 batch 16; base 16 size 128 batch 16; with --paper also the
// paper's network (base 64, 224 px, batch 20; 2 steps after 1 warm-up). Each side is measured
// R times, alternating, and its best rate is kept (other load on the machine only slows a run);
// the rate of the fastest single step (over all repeats) is printed too, the most robust to a
// shared machine.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nn/step_benchmark.h"

namespace nn = planelab::nn;

namespace {

struct Config {
  std::string name;
  nn::StepBenchmarkOptions options;
};

struct PeerResult {
  bool ok = false;
  double images_per_s = 0.0;
  double best_images_per_s = 0.0;
  std::int64_t parameters = 0;
  std::string error;
};

PeerResult runPeer(const std::string& python, const std::string& peer,
                   const nn::StepBenchmarkOptions& o) {
  const std::string command = "'" + python + "' '" + peer + "' --base " + std::to_string(o.base) +
                              " --size " + std::to_string(o.size) + " --batch " +
                              std::to_string(o.batch) + " --steps " + std::to_string(o.steps) +
                              " --warmup " + std::to_string(o.warmup) + " --threads " +
                              std::to_string(o.threads) + " --depth " + std::to_string(o.depth) +
                              " --device " + o.device + " 2>&1";
  PeerResult result;
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  if (!pipe) {
    result.error = "cannot start: " + command;
    return result;
  }
  std::string output, json_line;
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe.get()) != nullptr) {
    const std::string line(buffer);
    output += line;
    if (!line.empty() && line[0] == '{') json_line = line;
  }
  const int status = pclose(pipe.release());
  if (status != 0 || json_line.empty()) {
    result.error = "peer failed (" + command + "): " + output;
    return result;
  }
  const auto json = nlohmann::json::parse(json_line);
  result.images_per_s = json.at("images_per_s").get<double>();
  result.best_images_per_s = json.at("best_images_per_s").get<double>();
  result.parameters = json.at("parameters").get<std::int64_t>();
  result.ok = true;
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  int threads = 2;
  int repeats = 2;
  bool paper = false, json_out = false, with_peer = true;
  std::string device = "cpu";
  std::string python = "/usr/bin/python3";  // Debian's, which has python3-torch
  std::string peer = PLANELAB_TRAIN_STEP_PEER;
  std::string only;  // run just the configuration with this name
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << arg << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "--threads") {
      threads = std::atoi(value().c_str());
    } else if (arg == "--repeats") {
      repeats = std::atoi(value().c_str());
    } else if (arg == "--paper") {
      paper = true;
    } else if (arg == "--json") {
      json_out = true;
    } else if (arg == "--device") {
      device = value();
    } else if (arg == "--python") {
      python = value();
    } else if (arg == "--peer") {
      peer = value();
    } else if (arg == "--no-peer") {
      with_peer = false;
    } else if (arg == "--only") {
      only = value();
    } else {
      std::cerr << "usage: train_step_bench [--threads N] [--repeats R] [--paper] [--json] "
                   "[--device cpu|cuda] [--python PATH] [--peer PATH] [--no-peer] [--only NAME]\n";
      return 2;
    }
  }
  if (threads < 1 || repeats < 1) {
    std::cerr << "--threads and --repeats must be >= 1\n";
    return 2;
  }

  std::vector<Config> configs;
  const auto add = [&](const std::string& name, int base, int size, int batch, int steps,
                       int warmup) {
    nn::StepBenchmarkOptions o;
    o.base = base;
    o.size = size;
    o.batch = batch;
    o.steps = steps;
    o.warmup = warmup;
    o.threads = threads;
    o.device = device;
    configs.push_back({name, o});
  };
  add("base8-96px-b16", 8, 96, 16, 10, 2);
  add("base16-128px-b16", 16, 128, 16, 5, 1);
  if (paper || only == "paper-base64-224px-b20") add("paper-base64-224px-b20", 64, 224, 20, 2, 1);
  if (!only.empty()) {
    std::vector<Config> kept;
    for (const auto& c : configs) {
      if (c.name == only) kept.push_back(c);
    }
    if (kept.empty()) {
      std::cerr << "--only: no configuration named " << only << "\n";
      return 2;
    }
    configs = kept;
  }

  nlohmann::json rows = nlohmann::json::array();
  bool failed = false;
  if (!json_out) {
    std::printf("%-24s %7s %12s %12s %12s %7s %14s %7s %8s\n", "config", "threads", "parameters",
                "C++ img/s", "Python img/s", "C++/Py", "best step C/Py", "", "device");
  }
  for (const auto& config : configs) {
    nn::StepBenchmarkResult best;
    PeerResult best_peer;
    double cpp_step = 0.0, py_step = 0.0;  // fastest single step over all repeats, images/s
    for (int r = 0; r < repeats; ++r) {
      const auto result = nn::benchmarkTrainStep(config.options);
      cpp_step = std::max(cpp_step, result.best_images_per_s);
      if (result.images_per_s > best.images_per_s) best = result;
      if (!with_peer) continue;
      const auto p = runPeer(python, peer, config.options);
      if (!p.ok) {
        std::cerr << p.error << "\n";
        failed = true;
        continue;
      }
      py_step = std::max(py_step, p.best_images_per_s);
      if (p.images_per_s > best_peer.images_per_s) best_peer = p;
    }
    nlohmann::json row{{"config", config.name},
                       {"base", config.options.base},
                       {"size", config.options.size},
                       {"batch", config.options.batch},
                       {"steps", config.options.steps},
                       {"warmup", config.options.warmup},
                       {"threads", best.threads},
                       {"device", best.device},
                       {"repeats", repeats},
                       {"parameters", best.parameters},
                       {"cpp_images_per_s", best.images_per_s},
                       {"cpp_best_step_images_per_s", cpp_step}};
    if (best_peer.ok) {
      if (best_peer.parameters != best.parameters) {
        std::cerr << config.name << ": parameter counts differ: C++ " << best.parameters
                  << ", Python " << best_peer.parameters << "\n";
        failed = true;
      }
      row["python_parameters"] = best_peer.parameters;
      row["python_images_per_s"] = best_peer.images_per_s;
      row["ratio"] = best.images_per_s / best_peer.images_per_s;
      row["python_best_step_images_per_s"] = py_step;
      row["best_step_ratio"] = cpp_step / py_step;
    }
    rows.push_back(row);
    if (!json_out) {
      std::printf("%-24s %7d %12lld %12.2f ", config.name.c_str(), best.threads,
                  static_cast<long long>(best.parameters), best.images_per_s);
      if (best_peer.ok) {
        std::printf("%12.2f %7.3f %6.1f/%-7.1f %7.3f", best_peer.images_per_s,
                    best.images_per_s / best_peer.images_per_s, cpp_step, py_step,
                    cpp_step / py_step);
      } else {
        std::printf("%12s %7s %14s %7s", "-", "-", "-", "-");
      }
      std::printf(" %8s\n", best.device.c_str());
      std::fflush(stdout);
    }
  }
  if (json_out) std::cout << nlohmann::json{{"train_step", rows}}.dump() << "\n";
  return failed ? 1 : 0;
}
