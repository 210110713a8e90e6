// The TorchScript export reproduces the C++ network: for several networks (each norm, every
// head, depth 1 to 4, encoder-only) the exported module's outputs equal the C++ module's in eval
// mode — built in memory, after torch::jit::load of the saved file, and in Python after
// torch.jit.load (Debian's python3-torch) — within 1e-5; parameter names and values are the
// network's.
#include <gtest/gtest.h>

#include "export/torchscript_export.h"
#include "export_cases.h"

namespace planelab::exporting {
namespace {
using namespace export_testing;

constexpr double kTolerance = 1e-5;

std::vector<torch::Tensor> scriptedOutputs(torch::jit::Module& module, const torch::Tensor& x) {
  torch::NoGradGuard no_grad;
  return tensorsOf(module.forward({x}));
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

TEST(TorchScriptExport, OutputsMatchTheNetworkInCppAndPython) {
  torch::set_num_threads(1);
  const fs::path dir = root() / "torchscript";
  fs::remove_all(dir);
  std::uint64_t seed = 1;
  for (const Case& c : cases()) {
    SCOPED_TRACE(c.name);
    nn::PlaneNet net = trainedLooking(c.config, seed++);
    const torch::Tensor x = torch::randn({2, c.config.in_channels, c.size, c.size});
    const auto reference = networkOutputs(net, x, c.outputs);

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

    writeCase(case_dir, x, reference, expected_names);
  }

  // Python: Debian's python3-torch (the same LibTorch) loads every file.
  const auto [rc, text] =
      run(std::string(PLANELAB_SYSTEM_PYTHON) + " " + PLANELAB_EXPORT_TESTS_DIR +
              "/check_torchscript.py " + dir.string() + " " + std::to_string(kTolerance),
          dir / "python.out");
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
