// The TorchScript export reproduces the C++ network: for several networks (each norm, every
// head, depth 1 to 4, encoder-only) the exported module's outputs equal the C++ module's in eval
// mode — built in memory, after torch::jit::load of the saved file, and in Python after
// torch.jit.load (Debian's python3-torch) — within 1e-5; parameter names and values are the
// network's.
#include <gtest/gtest.h>

#include <unistd.h>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "export/torchscript_export.h"

namespace planelab::exporting {
namespace {
namespace fs = std::filesystem;

constexpr double kTolerance = 1e-5;

fs::path root() {
  const char* dir = std::getenv("PLANELAB_TEST_TMP");
  return fs::path(dir ? dir : "/tmp") / "export" / std::to_string(::getpid());
}

struct Case {
  std::string name;
  nn::NetworkConfig config;
  Outputs outputs = Outputs::kHeads;
  int size = 32;
};

std::vector<Case> cases() {
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
nn::PlaneNet trainedLooking(const nn::NetworkConfig& config, std::uint64_t seed) {
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

std::vector<torch::Tensor> referenceOutputs(nn::PlaneNet& net, const torch::Tensor& x,
                                            Outputs outputs) {
  torch::NoGradGuard no_grad;
  if (outputs == Outputs::kEncoder) return net->encode(x);
  const nn::Outputs o = net->forward(x);
  std::vector<torch::Tensor> out;
  for (const auto& name : headNames(net->config())) {
    if (name == "heatmaps") out.push_back(o.heatmaps);
    if (name == "location") out.push_back(o.location);
    if (name == "segmentation") out.push_back(o.segmentation);
    if (name == "classification") out.push_back(o.classification);
    if (name == "restoration") out.push_back(o.restoration);
  }
  return out;
}

std::vector<torch::Tensor> scriptedOutputs(torch::jit::Module& module, const torch::Tensor& x) {
  torch::NoGradGuard no_grad;
  const torch::jit::IValue result = module.forward({x});
  std::vector<torch::Tensor> out;
  if (result.isTensor()) {
    out.push_back(result.toTensor());
  } else if (result.isTuple()) {
    for (const auto& v : result.toTuple()->elements()) out.push_back(v.toTensor());
  } else {
    for (const auto& v : result.toTensorVector()) out.push_back(v);
  }
  return out;
}

double maxDiff(const std::vector<torch::Tensor>& a, const std::vector<torch::Tensor>& b) {
  EXPECT_EQ(a.size(), b.size());
  double worst = 0.0;
  for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    EXPECT_EQ(a[i].sizes(), b[i].sizes()) << "output " << i;
    if (a[i].sizes() != b[i].sizes()) return 1e9;
    worst = std::max(worst, (a[i] - b[i]).abs().max().item<double>());
  }
  return worst;
}

void writeFloats(const fs::path& file, const torch::Tensor& t) {
  const torch::Tensor c = t.contiguous().to(torch::kFloat32);
  std::ofstream out(file, std::ios::binary);
  out.write(reinterpret_cast<const char*>(c.data_ptr<float>()),
            static_cast<std::streamsize>(c.numel() * sizeof(float)));
}

TEST(TorchScriptExport, OutputsMatchTheNetworkInCppAndPython) {
  torch::set_num_threads(1);
  const fs::path dir = root() / "torchscript";
  fs::remove_all(dir);
  std::uint64_t seed = 1;
  for (const Case& c : cases()) {
    SCOPED_TRACE(c.name);
    nn::PlaneNet net = trainedLooking(c.config, seed++);
    const torch::Tensor x = torch::randn({2, c.config.in_channels, c.size, c.size});
    const auto reference = referenceOutputs(net, x, c.outputs);

    torch::jit::Module module = toTorchScript(net, c.outputs);
    EXPECT_LE(maxDiff(reference, scriptedOutputs(module, x)), kTolerance);

    // Every parameter and buffer under the network's name, with its value.
    std::vector<std::string> names;
    for (const auto& p : module.named_parameters(true)) names.push_back(p.name);
    std::sort(names.begin(), names.end());
    std::vector<std::string> expected_names;
    for (const auto& p : net->named_parameters(true)) {
      if (c.outputs == Outputs::kEncoder && p.key().rfind("encoder.", 0) != 0) continue;
      expected_names.push_back(p.key());
    }
    std::sort(expected_names.begin(), expected_names.end());
    EXPECT_EQ(names, expected_names);
    for (const auto& b : module.named_buffers(true)) {
      EXPECT_TRUE(torch::equal(b.value, net->named_buffers()[b.name])) << b.name;
    }

    const fs::path case_dir = dir / c.name;
    fs::create_directories(case_dir);
    saveTorchScript(module, (case_dir / "model.pt").string());
    torch::jit::Module loaded = torch::jit::load((case_dir / "model.pt").string());
    EXPECT_LE(maxDiff(reference, scriptedOutputs(loaded, x)), kTolerance);

    nlohmann::json meta = {{"input_shape", x.sizes().vec()},
                           {"output_shapes", nlohmann::json::array()},
                           {"parameter_names", expected_names}};
    writeFloats(case_dir / "input.f32", x);
    for (std::size_t k = 0; k < reference.size(); ++k) {
      meta["output_shapes"].push_back(reference[k].sizes().vec());
      writeFloats(case_dir / ("output" + std::to_string(k) + ".f32"), reference[k]);
    }
    std::ofstream(case_dir / "case.json") << meta.dump(2);
  }

  // Python: Debian's python3-torch (the same LibTorch) loads every file.
  const fs::path out = dir / "python.out";
  const std::string command = std::string(PLANELAB_SYSTEM_PYTHON) + " " +
                              PLANELAB_EXPORT_TESTS_DIR + "/check_torchscript.py " + dir.string() +
                              " " + std::to_string(kTolerance) + " > " + out.string() + " 2>&1";
  const int rc = std::system(command.c_str());
  std::ifstream in(out);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(rc, 0) << text;
  EXPECT_NE(text.find("max_abs_diff"), std::string::npos) << text;
  std::cout << text;
}

TEST(TorchScriptExport, RefusesAnUnwritableFile) {
  nn::NetworkConfig config = nn::preset("compact");
  config.base_width = 2;
  config.depth = 2;
  config.segmentation_classes = 2;
  nn::PlaneNet net(config);
  torch::jit::Module module = toTorchScript(net, Outputs::kHeads);
  try {
    saveTorchScript(module, "/nonexistent-folder/model.pt");
    FAIL() << "saved into a folder that does not exist";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()).rfind("[cannot_write]", 0), 0u) << e.what();
  }
}

}  // namespace
}  // namespace planelab::exporting
