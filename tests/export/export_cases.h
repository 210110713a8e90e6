// The networks the export tests export (every norm, every head, depth 1 to 4, encoder-only), the
// C++ network's reference outputs, and the files a check outside C++ reads: each case folder holds
// input.f32, output<k>.f32 and case.json (shapes, parameter names).
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <torch/torch.h>
#include <nlohmann/json.hpp>

#include "export/torchscript_export.h"

namespace planelab::exporting::export_testing {
namespace fs = std::filesystem;

inline fs::path root() {
  const char* dir = std::getenv("PLANELAB_TEST_TMP");
  return fs::path(dir ? dir : "/tmp") / "export" / std::to_string(::getpid());
}

struct Case {
  std::string name;
  nn::NetworkConfig config;
  Outputs outputs = Outputs::kHeads;
  int size = 32;
};

inline std::vector<Case> cases() {
  std::vector<Case> out;
  nn::NetworkConfig seg = nn::preset("compact");
  seg.base_width = 4;
  seg.depth = 4;
  seg.segmentation_classes = 4;
  out.push_back({"segmentation_batchnorm", seg});
  nn::NetworkConfig multi = seg;
  multi.segmentation_classes = 0;
  multi.heatmap_channels = 3;
  multi.location = true;
  multi.location_hidden = 8;
  out.push_back({"pretext_multitask", multi});
  nn::NetworkConfig instance = seg;
  instance.encoder_norm = nn::Norm::kInstance;
  instance.decoder_norm = nn::Norm::kBatch;
  instance.depth = 3;
  out.push_back({"segmentation_instancenorm", instance});
  nn::NetworkConfig classify = seg;
  classify.segmentation_classes = 0;
  classify.classification_classes = 5;
  classify.encoder_norm = nn::Norm::kNone;
  out.push_back({"classification_nonorm", classify});
  nn::NetworkConfig all = seg;
  all.heatmap_channels = 2;
  all.location = true;
  all.location_hidden = 6;
  all.classification_classes = 3;
  all.restoration_channels = 1;
  all.depth = 2;
  out.push_back({"every_head", all});
  nn::NetworkConfig flat = seg;
  flat.depth = 1;
  out.push_back({"depth_one", flat, Outputs::kHeads, 12});
  out.push_back({"encoder_only", multi, Outputs::kEncoder});
  return out;
}

// A network with weights that are not the initial ones: BatchNorm statistics and affine
// parameters away from 0/1 so an export that ignored them would differ.
inline nn::PlaneNet trainedLooking(const nn::NetworkConfig& config, std::uint64_t seed) {
  torch::manual_seed(seed);
  nn::PlaneNet net(config);
  torch::NoGradGuard no_grad;
  for (auto& p : net->parameters()) p.add_(torch::randn_like(p) * 0.05);
  for (auto& item : net->named_buffers()) {
    if (item.key().find("running_mean") != std::string::npos) item.value().normal_(0.0, 0.3);
    if (item.key().find("running_var") != std::string::npos) item.value().uniform_(0.5, 2.0);
  }
  net->eval();
  return net;
}

inline void writeFloats(const fs::path& file, const torch::Tensor& t) {
  const torch::Tensor c = t.contiguous().to(torch::kFloat32);
  std::ofstream out(file, std::ios::binary);
  out.write(reinterpret_cast<const char*>(c.data_ptr<float>()),
            static_cast<std::streamsize>(c.numel() * sizeof(float)));
}

// Writes the case's input, the reference outputs and case.json into dir/<case name>.
inline void writeCase(const fs::path& case_dir, const torch::Tensor& x,
                      const std::vector<torch::Tensor>& reference,
                      const std::vector<std::string>& parameter_names) {
  fs::create_directories(case_dir);
  nlohmann::json meta = {{"input_shape", x.sizes().vec()},
                         {"output_shapes", nlohmann::json::array()},
                         {"parameter_names", parameter_names}};
  writeFloats(case_dir / "input.f32", x);
  for (std::size_t k = 0; k < reference.size(); ++k) {
    meta["output_shapes"].push_back(reference[k].sizes().vec());
    writeFloats(case_dir / ("output" + std::to_string(k) + ".f32"), reference[k]);
  }
  std::ofstream(case_dir / "case.json") << meta.dump(2);
}

// Runs a shell command; its exit code and its output (stdout and stderr).
inline std::pair<int, std::string> run(const std::string& command, const fs::path& log) {
  const int rc = std::system((command + " > " + log.string() + " 2>&1").c_str());
  std::ifstream in(log);
  return {rc, std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>())};
}

}  // namespace planelab::exporting::export_testing
