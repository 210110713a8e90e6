// The ONNX export reproduces the C++ network: for the same networks as the TorchScript test
// (every norm, every head, depth 1 to 4, encoder-only) the graph passes onnx.checker with full
// shape inference (Debian's python3-onnx) and ONNX Runtime (npm onnxruntime-node) gives the C++
// network's outputs within 1e-4.
#include <gtest/gtest.h>

#include "export/onnx_export.h"
#include "export_cases.h"

namespace planelab::exporting {
namespace {
using namespace export_testing;

constexpr double kTolerance = 1e-4;

TEST(OnnxExport, CheckerAcceptsAndOnnxRuntimeMatchesTheNetwork) {
  torch::set_num_threads(1);
  const fs::path dir = root() / "onnx";
  fs::remove_all(dir);
  std::uint64_t seed = 101;
  for (const Case& c : cases()) {
    nn::PlaneNet net = trainedLooking(c.config, seed++);
    const torch::Tensor x = torch::randn({2, c.config.in_channels, c.size, c.size});
    const fs::path case_dir = dir / c.name;
    writeCase(case_dir, x, networkOutputs(net, x, c.outputs), {});
    saveOnnx(net, c.outputs, c.size, (case_dir / "model.onnx").string(), "test");
  }
  const auto [checker_rc, checker] =
      run(std::string(PLANELAB_SYSTEM_PYTHON) + " " + PLANELAB_EXPORT_TESTS_DIR +
              "/check_onnx.py " + dir.string(),
          dir / "checker.out");
  EXPECT_EQ(checker_rc, 0) << checker;
  std::cout << checker;

  const auto [ort_rc, ort] =
      run("NODE_PATH=" + std::string(PLANELAB_NODE_MODULES) + " node " + PLANELAB_EXPORT_TESTS_DIR +
              "/run_onnx.js " + dir.string() + " " + std::to_string(kTolerance),
          dir / "ort.out");
  EXPECT_EQ(ort_rc, 0) << ort
                       << "\n(ONNX Runtime comes from npm: scripts/install-deps.sh installs "
                          "onnxruntime-node into "
                       << PLANELAB_NODE_MODULES << ")";
  EXPECT_NE(ort.find("max_abs_diff"), std::string::npos) << ort;
  std::cout << ort;
}

TEST(OnnxExport, RefusesAnUnwritableFile) {
  nn::NetworkConfig config = nn::preset("compact");
  config.base_width = 2;
  config.depth = 2;
  config.segmentation_classes = 2;
  nn::PlaneNet net(config);
  try {
    saveOnnx(net, Outputs::kHeads, 8, "/nonexistent-folder/model.onnx", "test");
    FAIL() << "saved into a folder that does not exist";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()).rfind("[cannot_write]", 0), 0u) << e.what();
  }
}

}  // namespace
}  // namespace planelab::exporting
