#include "train/run_summary.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>
#include <system_error>

namespace planelab::train {
namespace fs = std::filesystem;
namespace {

// The file's JSON; null when the file is not there.
nlohmann::json readOptionalJson(const fs::path& path) {
  std::error_code error;
  if (!fs::exists(path, error)) return nullptr;
  std::ifstream in(path);
  if (!in) throw std::runtime_error("[run_unreadable] cannot read " + path.string());
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error("[run_unreadable] " + path.string() + ": " + e.what());
  }
}

std::optional<double> optionalNumber(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return std::nullopt;
  const auto it = object.find(key);
  if (it == object.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

}  // namespace

RunSummary readRunSummary(const std::string& run_dir) {
  const fs::path dir(run_dir);
  const auto config = readOptionalJson(dir / "config.json");
  if (config.is_null()) throw std::runtime_error("[not_a_run] no config.json in " + run_dir);
  RunSummary s;
  s.run_dir = run_dir;
  try {
    s.config = configFromJson(config);
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(std::string("[not_a_run] ") + run_dir + ": " + e.what());
  }
  s.config.out = run_dir;
  const auto run = readOptionalJson(dir / "run.json");
  s.device = run.is_object() ? run.value("device", s.config.device) : s.config.device;
  if (run.is_object()) s.label_names = run.value("label_names", std::vector<std::string>{});
  const auto budget = readOptionalJson(dir / "label_budget.json");
  if (budget.is_object() && budget.contains("labelled") && budget["labelled"].is_array())
    s.labelled_subjects = static_cast<int>(budget["labelled"].size());
  s.evaluation = readOptionalJson(dir / "evaluation.json");
  s.finished = !s.evaluation.is_null();
  std::error_code error;
  s.resumable = !s.finished && fs::exists(dir / "checkpoints" / "last.pt", error);
  return s;
}

std::vector<std::string> findFinishedRuns(const std::string& root) {
  std::vector<std::string> runs;
  const auto isRun = [](const fs::path& dir) {
    std::error_code error;
    return fs::is_regular_file(dir / "evaluation.json", error) &&
           fs::is_regular_file(dir / "config.json", error);
  };
  std::error_code error;
  if (!fs::is_directory(root, error)) return runs;
  if (isRun(root)) runs.push_back(fs::path(root).string());
  for (fs::recursive_directory_iterator
           it(root, fs::directory_options::skip_permission_denied, error),
       end;
       it != end; it.increment(error)) {
    if (error) break;
    if (it->is_directory(error) && isRun(it->path())) runs.push_back(it->path().string());
  }
  std::sort(runs.begin(), runs.end());
  return runs;
}

std::string Arm::key() const {
  if (!pretrained) return "scratch";
  std::string key = "pretrained:" + (variant.empty() ? "run=" + init_run : variant);
  if (permuted_targets) key += ":permuted";
  return key + ":" + transfer + ":" + checkpoint;
}

Arm armOf(const TrainConfig& config) {
  Arm arm;
  if (config.finetune.init.empty()) return arm;
  arm.pretrained = true;
  arm.transfer = config.finetune.transfer;
  arm.checkpoint = config.finetune.checkpoint;
  arm.init_run = config.finetune.init;
  try {
    const auto init = readRunSummary(config.finetune.init);
    arm.variant = init.config.pretext.variant;
    arm.permuted_targets = init.config.pretext.permute_targets;
  } catch (const std::runtime_error&) {
    // The pretrained run was moved or deleted: the arm is told apart by its folder.
  }
  return arm;
}

std::optional<ResultRow> segmentationResult(const RunSummary& run) {
  if (run.config.task != "segmentation" || !run.finished) return std::nullopt;
  ResultRow row;
  row.run_dir = run.run_dir;
  row.arm = armOf(run.config);
  row.labelled_subjects = run.labelled_subjects;
  row.seed = run.config.seed;
  const auto test = run.evaluation.value("test", nlohmann::json::object());
  const auto dice = test.value("dice_3d", nlohmann::json::object());
  if (run.label_names.size() > 1) {
    for (std::size_t c = 1; c < run.label_names.size(); ++c)
      row.dice.emplace_back(run.label_names[c], optionalNumber(dice, run.label_names[c].c_str()));
  } else if (dice.is_object()) {
    for (const auto& [name, value] : dice.items())
      row.dice.emplace_back(
          name, value.is_number() ? std::optional<double>(value.get<double>()) : std::nullopt);
  }
  row.mean_dice = optionalNumber(test, "mean_dice_3d");
  row.mean_hd95_mm = optionalNumber(test, "mean_hd95_mm_3d");
  return row;
}

std::vector<BudgetGroup> groupByArmAndBudget(const std::vector<ResultRow>& rows) {
  std::map<std::pair<std::string, int>, BudgetGroup> groups;
  for (const auto& row : rows) {
    if (!row.mean_dice) continue;
    auto [it, added] = groups.try_emplace({row.arm.key(), row.labelled_subjects});
    auto& group = it->second;
    if (added) {
      group.arm = row.arm;
      group.labelled_subjects = row.labelled_subjects;
    }
    group.seeds.push_back(row.seed);
    group.mean_dice.push_back(*row.mean_dice);
  }
  std::vector<BudgetGroup> out;
  out.reserve(groups.size());
  for (auto& [key, group] : groups) {
    double sum = 0.0;
    for (double v : group.mean_dice) sum += v;
    group.mean = sum / static_cast<double>(group.mean_dice.size());
    out.push_back(std::move(group));
  }
  return out;
}

}  // namespace planelab::train
