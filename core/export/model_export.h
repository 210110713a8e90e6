// Exporting a training run for use elsewhere: the network of one of its checkpoints as a
// TorchScript file (or an ONNX graph), and next to it a model card (JSON) — what goes in and comes
// out, the full preprocessing plan, labels or classes, how it was trained and pretrained (counts
// and hashes, no paths or patient identifiers), its test metrics, the software, and a check of the
// written file against the network. `planelab-cli export` and the GUI's export dialog call
// exportRun.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "export/torchscript_export.h"

namespace planelab::exporting {

struct ExportRequest {
  std::string run_dir;
  std::string checkpoint = "best";     // best | last
  std::string format = "torchscript";  // torchscript | onnx
  Outputs outputs = Outputs::kHeads;   // kEncoder: the (pretrained) encoder's features
  std::string out;                     // the model file (.pt / .onnx); the card is cardPath(out)
  bool overwrite = false;
  std::string software_version;
};

struct ExportResult {
  std::string model_file;
  std::string card_file;
  nlohmann::json card;
  double max_abs_diff = 0.0;  // TorchScript: the written file (reloaded) against the network
};

// The model file's name + ".card.json" ("model.pt" -> "model.pt.card.json"), so a TorchScript
// and an ONNX export of the same name keep their own cards.
std::string cardPath(const std::string& model_file);

// Throws std::invalid_argument / std::runtime_error with a bracketed key: "[not_a_run]",
// "[checkpoint_unreadable]" (loading), "[unsupported_format]" (ONNX in a build without it),
// "[output_exists]" (out or its card exists and !overwrite),
// "[cannot_write]", "[export_mismatch]" (the reloaded file's outputs differ from the network's
// by more than 1e-5: nothing is left behind).
ExportResult exportRun(const ExportRequest& request);

}  // namespace planelab::exporting
