// Exporting a training run for use elsewhere: the network of one of its checkpoints as a
// TorchScript file, and next to it a model card (JSON) — what goes in and comes out, the full
// preprocessing plan, labels or classes, how it was trained and pretrained (counts and hashes, no
// paths or patient identifiers), its test metrics, the software, and a check of the written file
// against the network. `planelab-cli export` and the GUI's export dialog call exportRun.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "export/torchscript_export.h"

namespace planelab::exporting {

struct ExportRequest {
  std::string run_dir;
  std::string checkpoint = "best";    // best | last
  Outputs outputs = Outputs::kHeads;  // kEncoder: the (pretrained) encoder's features
  std::string out;                    // the model file (.pt); the card is cardPath(out)
  bool overwrite = false;
  std::string software_version;
};

struct ExportResult {
  std::string model_file;
  std::string card_file;
  nlohmann::json card;
  double max_abs_diff = 0.0;  // the written file (reloaded) against the network, same input
};

// <out without its extension>.card.json ("model.pt" -> "model.card.json").
std::string cardPath(const std::string& model_file);

// Throws std::invalid_argument / std::runtime_error with a bracketed key: "[not_a_run]",
// "[checkpoint_unreadable]" (loading), "[output_exists]" (out or its card exists and !overwrite),
// "[cannot_write]", "[export_mismatch]" (the reloaded file's outputs differ from the network's
// by more than 1e-5: nothing is left behind).
ExportResult exportRun(const ExportRequest& request);

}  // namespace planelab::exporting
