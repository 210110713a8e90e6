#include "experiment/experiment.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <optional>
#include <set>
#include <stdexcept>
#include <system_error>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "curation/study_curation.h"
#include "data/splits.h"
#include "phantom/difficulty.h"
#include "prepare/class_labels.h"
#include "train/config_json.h"
#include "train/run_summary.h"

namespace planelab::experiment {
namespace fs = std::filesystem;
using train::JsonReader;

namespace {

constexpr const char* kRoot = "experiment";

// The template fields the runner sets for every run (planSteps), as JSON paths. A template that
// gives one is refused: the value would be lost without a word.
const std::vector<std::vector<std::string>>& perRunFields(bool pretraining) {
  static const std::vector<std::vector<std::string>> pretrain = {
      {"dataset"}, {"out"}, {"seed"}, {"pretext", "variant"}, {"pretext", "permute_targets"}};
  static const std::vector<std::vector<std::string>> finetune = {{"dataset"},
                                                                 {"out"},
                                                                 {"seed"},
                                                                 {"finetune", "init"},
                                                                 {"finetune", "labelled_subjects"},
                                                                 {"finetune", "budget_seed"}};
  return pretraining ? pretrain : finetune;
}

std::string dotted(const std::vector<std::string>& path) {
  std::string text;
  for (const auto& part : path) text += (text.empty() ? "" : ".") + part;
  return text;
}

// configFromJson names its fields from the run config's root ("config.epochs", "pretext.variant",
// "config: ..."); inside an experiment they sit below `where` ("experiment.pretrain.epochs").
std::string underTemplate(const std::string& what, const std::string& where) {
  const std::string key = "[invalid_config] ";
  std::string rest = what.rfind(key, 0) == 0 ? what.substr(key.size()) : what;
  if (rest.rfind("config.", 0) == 0) {
    rest = rest.substr(7);
  } else if (rest.rfind("config:", 0) == 0) {
    rest = rest.substr(6);
  }
  return key + where + (rest.empty() || rest.front() == ':' ? "" : ".") + rest;
}

train::TrainConfig templateFromJson(const nlohmann::json& json, const std::string& where,
                                    bool pretraining) {
  if (!json.is_object()) JsonReader::fail(where, "expected an object");
  for (const auto& path : perRunFields(pretraining)) {
    const nlohmann::json* node = &json;
    for (const auto& key : path) {
      node = node->is_object() && node->contains(key) ? &node->at(key) : nullptr;
      if (node == nullptr) break;
    }
    if (node != nullptr) {
      JsonReader::fail(where + "." + dotted(path),
                       "set by the experiment for each run (docs/experiment.md); remove it");
    }
  }
  nlohmann::json with_task = json;
  if (!with_task.contains("task")) with_task["task"] = pretraining ? "pretrain" : "segmentation";
  train::TrainConfig config;
  try {
    config = train::configFromJson(with_task);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(underTemplate(e.what(), where));
  }
  if (pretraining && config.task != "pretrain")
    JsonReader::fail(where + ".task", "expected pretrain");
  if (!pretraining && config.task == "pretrain") {
    JsonReader::fail(where + ".task", "expected segmentation or classification");
  }
  return config;
}

nlohmann::json templateToJson(const train::TrainConfig& config, bool pretraining) {
  nlohmann::json json = config.toJson();
  for (const auto& path : perRunFields(pretraining)) {
    if (path.size() == 1) {
      json.erase(path[0]);
    } else {
      json[path[0]].erase(path[1]);
    }
  }
  return json;
}

std::string labelsName(phantom::StudyOptions::Labels labels) {
  switch (labels) {
    case phantom::StudyOptions::Labels::kAll:
      return "all";
    case phantom::StudyOptions::Labels::kNone:
      return "none";
    case phantom::StudyOptions::Labels::kEdEs:
      break;
  }
  return "ed-es";
}

nlohmann::json phantomToJson(const prepare::PhantomCohort& cohort) {
  nlohmann::json json = {{"organ", phantom::organName(cohort.study.organ)},
                         {"first_subject", cohort.first_subject},
                         {"subjects", cohort.subjects},
                         {"seed", cohort.seed},
                         {"level", phantom::levelName(cohort.study.level)},
                         {"layout", phantom::layoutName(cohort.study.layout)},
                         {"cine_phases", cohort.study.phases},
                         {"labels", labelsName(cohort.study.labels)}};
  // Only the knobs that differ from the level's, so a config states its departures.
  const auto level = phantom::knobValues(phantom::knobsForLevel(cohort.study.level));
  const auto own = phantom::knobValues(cohort.study.knobs);
  nlohmann::json knobs = nlohmann::json::object();
  for (std::size_t i = 0; i < own.size(); ++i) {
    if (own[i].second != level[i].second) knobs[own[i].first] = own[i].second;
  }
  if (!knobs.empty()) json["knobs"] = knobs;
  return json;
}

// The fields and defaults of `planelab-cli prepare --phantom`.
prepare::PhantomCohort phantomFromJson(const nlohmann::json& json, const std::string& where) {
  JsonReader r(json, where);
  prepare::PhantomCohort cohort;
  std::string organ = "heart", level = "L2", layout = "dsb", labels = "ed-es";
  r.get("organ", organ);
  r.get("first_subject", cohort.first_subject);
  r.get("subjects", cohort.subjects);
  r.get("seed", cohort.seed);
  r.get("level", level);
  r.get("layout", layout);
  r.get("cine_phases", cohort.study.phases);
  r.get("labels", labels);
  nlohmann::json knobs = nlohmann::json::object();
  r.get("knobs", knobs);
  r.finish();
  const auto parsed_organ = phantom::parseOrgan(organ);
  if (!parsed_organ) JsonReader::fail(where + ".organ", "expected heart or knee");
  const auto parsed_level = phantom::parseLevel(level);
  if (!parsed_level) JsonReader::fail(where + ".level", "expected L0, L1, L2 or L3");
  const auto parsed_layout = phantom::parseLayout(layout);
  if (!parsed_layout) JsonReader::fail(where + ".layout", "expected dsb, ukb or quirks");
  if (labels == "ed-es") {
    cohort.study.labels = phantom::StudyOptions::Labels::kEdEs;
  } else if (labels == "all") {
    cohort.study.labels = phantom::StudyOptions::Labels::kAll;
  } else if (labels == "none") {
    cohort.study.labels = phantom::StudyOptions::Labels::kNone;
  } else {
    JsonReader::fail(where + ".labels", "expected ed-es, all or none");
  }
  if (cohort.subjects < 1) JsonReader::fail(where + ".subjects", "must be >= 1");
  // The CLI's range; subject indices stay far from int overflow.
  if (cohort.first_subject < 0 || cohort.first_subject > 1000000)
    JsonReader::fail(where + ".first_subject", "must be in [0, 1000000]");
  // The CLI's range: a cine cycle of 1 to 100 phases.
  if (cohort.study.phases < 1 || cohort.study.phases > 100) {
    JsonReader::fail(where + ".cine_phases", "must be in [1, 100]");
  }
  cohort.study.organ = *parsed_organ;
  cohort.study.level = *parsed_level;
  cohort.study.knobs = phantom::knobsForLevel(*parsed_level);
  // Departures from the level (PHANTOM.md 4.2 names), e.g. {"inplane_rotation_sd_sax_deg": 20}.
  if (!knobs.is_object()) JsonReader::fail(where + ".knobs", "expected an object of NAME: number");
  for (const auto& [name, value] : knobs.items()) {
    const std::string at = where + ".knobs." + name;
    if (!value.is_number() && !value.is_boolean()) JsonReader::fail(at, "expected a number");
    const double number =
        value.is_boolean() ? (value.get<bool>() ? 1.0 : 0.0) : value.get<double>();
    const std::string key = phantom::setKnob(cohort.study.knobs, name, number);
    if (key == "unknown_knob") JsonReader::fail(at, "[unknown_knob] not a phantom difficulty knob");
    if (!key.empty()) JsonReader::fail(at, "[bad_knob_value] out of range");
  }
  if (!phantom::validateKnobs(cohort.study.knobs).empty())
    JsonReader::fail(where + ".knobs", "[bad_knob_value] a minimum is above its maximum");
  cohort.study.layout = *parsed_layout;
  return cohort;
}

CatalogSource catalogFromJson(const nlohmann::json& json, const std::string& where) {
  JsonReader r(json, where);
  CatalogSource source;
  r.get("path", source.catalog);
  r.get("studies", source.studies);
  r.get("class_labels", source.class_labels);
  r.finish();
  if (source.catalog.empty()) JsonReader::fail(where + ".path", "a catalog file is needed");
  return source;
}

nlohmann::json catalogToJson(const CatalogSource& source) {
  return {
      {"path", source.catalog}, {"studies", source.studies}, {"class_labels", source.class_labels}};
}

PretrainPool poolFromJson(const nlohmann::json& json, const std::string& organ) {
  const std::string where = std::string(kRoot) + ".pretrain_pool";
  JsonReader r(json, where);
  PretrainPool pool;
  if (const auto* c = r.child("catalog")) pool.catalog = catalogFromJson(*c, where + ".catalog");
  if (const auto* p = r.child("phantom")) pool.phantom = phantomFromJson(*p, where + ".phantom");
  r.finish();
  if (pool.catalog.has_value() == pool.phantom.has_value())
    JsonReader::fail(where, "give exactly one source: catalog or phantom");
  if (pool.phantom && phantom::organName(pool.phantom->study.organ) != organ) {
    JsonReader::fail(
        where + ".phantom.organ",
        "is " + phantom::organName(pool.phantom->study.organ) + " but plan.organ is " + organ);
  }
  return pool;
}

data::PreprocessingPlan planFromJson(const nlohmann::json& json) {
  const std::string where = std::string(kRoot) + ".plan";
  if (!json.is_object()) JsonReader::fail(where, "expected an object");
  // Fields left out keep the default plan's (docs/prepared-dataset.md).
  nlohmann::json merged = data::PreprocessingPlan{}.toJson();
  for (const auto& item : json.items()) merged[item.key()] = item.value();
  try {
    return data::PreprocessingPlan::fromJson(merged);
  } catch (const std::invalid_argument& e) {
    const std::string what = e.what();
    const std::string key = "[invalid_plan] ";
    JsonReader::fail(where, what.rfind(key, 0) == 0 ? what.substr(key.size()) : what);
  }
}

std::vector<std::uint64_t> seedsFromJson(const nlohmann::json& json) {
  const std::string where = std::string(kRoot) + ".seeds";
  if (!json.is_array()) JsonReader::fail(where, "expected an array of non-negative integers");
  std::vector<std::uint64_t> seeds;
  for (const auto& item : json) {
    if (!item.is_number_integer() || (!item.is_number_unsigned() && item.get<std::int64_t>() < 0))
      JsonReader::fail(where, "expected an array of non-negative integers");
    seeds.push_back(item.get<std::uint64_t>());
  }
  return seeds;
}

template <class T>
void requireDistinct(const std::vector<T>& values, const std::string& field) {
  const std::string where = std::string(kRoot) + "." + field;
  if (values.empty()) JsonReader::fail(where, "must not be empty");
  if (std::set<T>(values.begin(), values.end()).size() != values.size())
    JsonReader::fail(where, "must not repeat a value");
}

bool sameSplit(const train::SplitConfig& a, const train::SplitConfig& b) {
  return a.file == b.file && a.val_fraction == b.val_fraction &&
         a.test_fraction == b.test_fraction && a.seed == b.seed;
}

// --- counting ---

int column(const catalog::Table& table, const char* name) {
  const auto it = std::find(table.columns.begin(), table.columns.end(), name);
  return it == table.columns.end() ? -1 : static_cast<int>(it - table.columns.begin());
}

std::string textAt(const std::vector<catalog::Value>& row, int index) {
  if (index < 0 || static_cast<std::size_t>(index) >= row.size()) return {};
  const auto* text = std::get_if<std::string>(&row[static_cast<std::size_t>(index)]);
  return text ? *text : std::string();
}

std::optional<std::int64_t> intAt(const std::vector<catalog::Value>& row, int index) {
  if (index < 0 || static_cast<std::size_t>(index) >= row.size()) return std::nullopt;
  const auto* value = std::get_if<std::int64_t>(&row[static_cast<std::size_t>(index)]);
  return value ? std::optional<std::int64_t>(*value) : std::nullopt;
}

int sumOver(const std::map<std::string, int>& by_view, const std::vector<std::string>& views) {
  int sum = 0;
  for (const auto& view : views) {
    const auto it = by_view.find(view);
    if (it != by_view.end()) sum += it->second;
  }
  return sum;
}

std::string listText(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) text += (text.empty() ? "" : ", ") + item;
  return text.empty() ? "none" : text;
}

std::string countsText(const std::map<std::string, int>& by_view) {
  std::string text;
  for (const auto& [view, n] : by_view)
    text += (text.empty() ? "" : ", ") + view + " " + std::to_string(n);
  return text.empty() ? "none" : text;
}

// --- running ---

std::string runState(const fs::path& dir) {
  std::error_code error;
  if (fs::exists(dir / "evaluation.json", error)) return "done";
  if (fs::exists(dir / "checkpoints" / "last.pt", error)) return "interrupted";
  return "todo";
}

std::string keyed(const std::string& message) {
  return !message.empty() && message.front() == '[' ? message : "[step_failed] " + message;
}

}  // namespace

FolderUse experimentFolderUse(const ExperimentConfig& config) {
  const fs::path out(config.out);
  const fs::path file = out / "experiment.json";
  std::error_code error;
  if (fs::exists(file, error)) {
    std::ifstream in(file);
    const nlohmann::json stored = nlohmann::json::parse(in, nullptr, false);
    if (stored.is_discarded()) return FolderUse::kOtherExperiment;
    try {
      return experimentFromJson(stored).toJson() == config.toJson() ? FolderUse::kSameExperiment
                                                                    : FolderUse::kOtherExperiment;
    } catch (const std::invalid_argument&) {
      return FolderUse::kOtherExperiment;  // an experiment.json this version cannot read
    }
  }
  if (fs::exists(out, error) && !fs::is_empty(out, error)) return FolderUse::kOtherContent;
  return FolderUse::kFree;
}

void saveExperimentConfig(const ExperimentConfig& config) {
  const fs::path out(config.out);
  const fs::path file = out / "experiment.json";
  switch (experimentFolderUse(config)) {
    case FolderUse::kSameExperiment:
      return;
    case FolderUse::kOtherExperiment:
      throw std::invalid_argument("[experiment_exists] " + file.string() +
                                  " holds another experiment; use another out folder");
    case FolderUse::kOtherContent:
      throw std::invalid_argument("[experiment_exists] " + out.string() +
                                  " is not empty and holds no experiment.json; use another out "
                                  "folder");
    case FolderUse::kFree:
      break;
  }
  std::error_code error;
  fs::create_directories(out, error);
  if (error) {
    throw std::invalid_argument("[cannot_write] cannot create " + out.string() + ": " +
                                error.message());
  }
  try {
    data::writeJsonAtomically(file.string(), config.toJson());
  } catch (const std::runtime_error& e) {
    throw std::invalid_argument(e.what());
  }
}

namespace {

// Prepares the step's source (the experiment's, or the pretraining pool's) into step.dir.
void prepareDataset(const ExperimentConfig& config, const Step& step, const RunOptions& options,
                    prepare::PrepareSummary& summary) {
  prepare::PrepareOptions prepare_options;
  prepare_options.plan = config.plan;
  prepare_options.jobs = config.jobs;
  prepare_options.curation.misalignment = false;  // prepare does not use the score
  prepare_options.progress = options.prepare_progress;
  if (options.control != nullptr) prepare_options.cancel = &options.control->cancel;
  const auto& phantom = step.pool ? config.pretrain_pool->phantom : config.phantom;
  if (phantom) {
    summary = prepare::prepareFromPhantom(*phantom, step.dir, prepare_options);
    return;
  }
  const CatalogSource& source = step.pool ? *config.pretrain_pool->catalog : *config.catalog;
  if (!source.class_labels.empty())
    prepare_options.class_labels = prepare::readClassLabels(source.class_labels);
  std::error_code error;
  // Catalog::open would create an empty catalog in its place.
  if (!fs::exists(source.catalog, error))
    throw std::runtime_error("[cannot_open_catalog] " + source.catalog + " does not exist");
  catalog::Status status;
  const auto cat = catalog::Catalog::open(source.catalog, status);
  if (!cat) throw std::runtime_error("[" + status.error_key + "] " + status.message);
  std::vector<std::int64_t> ids;
  for (const auto& uid : source.studies) {
    const auto refs = cat->studies(uid);
    if (refs.empty())
      throw std::runtime_error("[unknown_study] no study " + uid + " in " + source.catalog);
    ids.push_back(refs.front().id);
  }
  if (source.studies.empty()) {
    for (const auto& ref : cat->studies()) ids.push_back(ref.id);
  }
  if (!cat->lastStatus().ok()) {
    throw std::runtime_error("[" + cat->lastStatus().error_key + "] " + cat->lastStatus().message);
  }
  if (ids.empty()) throw std::runtime_error("[no_studies] " + source.catalog + " holds no studies");
  CatalogSources sources = options.sources(*cat, ids);
  summary = prepare::prepareFromCatalog(*cat, ids, *sources.pixels, sources.labels.get(), step.dir,
                                        prepare_options);
}

std::string csvField(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (const char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string numberText(const std::optional<double>& value) {
  if (!value) return {};
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", *value);
  return text;
}

std::optional<double> numberIn(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return std::nullopt;
  const auto it = object.find(key);
  return it != object.end() && it->is_number() ? std::optional<double>(it->get<double>())
                                               : std::nullopt;
}

// One row per finished fine-tuning run: which run, then its test metrics (evaluation.json's
// "test" part, read through train::readRunSummary). Returns the file, or "" when no run finished.
std::string writeResults(const ExperimentConfig& config, const std::vector<Step>& steps) {
  struct Row {
    const Step* step = nullptr;
    train::RunSummary run;
    std::optional<train::ResultRow> segmentation;
  };
  std::vector<Row> rows;
  std::vector<std::string> classes;  // segmentation: foreground labels, first seen first
  for (const Step& step : steps) {
    if (step.kind != Step::Kind::kFinetune || step.state != "done") continue;
    Row row;
    row.step = &step;
    row.run = train::readRunSummary(step.dir);
    row.segmentation = train::segmentationResult(row.run);
    if (row.segmentation) {
      for (const auto& [name, dice] : row.segmentation->dice)
        if (std::find(classes.begin(), classes.end(), name) == classes.end())
          classes.push_back(name);
    }
    rows.push_back(std::move(row));
  }
  if (rows.empty()) return {};
  const bool segmentation = config.finetune.task == "segmentation";
  std::string text = "arm,budget,seed,labelled_subjects,run_dir";
  if (segmentation) {
    text += ",mean_dice";
    for (const auto& name : classes) text += "," + csvField("dice_" + name);
    text += ",mean_hd95_mm";
  } else {
    text += ",accuracy,balanced_accuracy,macro_auc";
  }
  text += "\n";
  const fs::path out(config.out);
  for (const Row& row : rows) {
    const Step& step = *row.step;
    text += csvField(step.arm) + "," + std::to_string(step.budget) + "," +
            std::to_string(step.seed) + "," + std::to_string(row.run.labelled_subjects) + "," +
            csvField(fs::path(step.dir).lexically_relative(out).generic_string());
    if (segmentation) {
      const auto& result = row.segmentation;
      text += "," + numberText(result ? result->mean_dice : std::nullopt);
      for (const auto& name : classes) {
        std::optional<double> dice;
        if (result) {
          for (const auto& [label, value] : result->dice)
            if (label == name) dice = value;
        }
        text += "," + numberText(dice);
      }
      text += "," + numberText(result ? result->mean_hd95_mm : std::nullopt);
    } else {
      const auto test = row.run.evaluation.value("test", nlohmann::json::object());
      text += "," + numberText(numberIn(test, "accuracy")) + "," +
              numberText(numberIn(test, "balanced_accuracy")) + "," +
              numberText(numberIn(test, "macro_auc"));
    }
    text += "\n";
  }
  const fs::path file = out / "results.csv";
  const fs::path tmp = file.string() + ".tmp";
  {
    std::ofstream stream(tmp, std::ios::binary | std::ios::trunc);
    stream << text;
    stream.flush();
    if (!stream) throw std::runtime_error("[cannot_write] " + tmp.string());
  }
  std::error_code error;
  fs::rename(tmp, file, error);
  if (error) throw std::runtime_error("[cannot_write] " + file.string() + ": " + error.message());
  return file.string();
}

}  // namespace

namespace {

// Why config cannot fine-tune from config.pretraining_from ("" when it can).
std::string sharedPretrainingProblem(const ExperimentConfig& config) {
  const fs::path from(config.pretraining_from);
  ExperimentConfig other;
  try {
    other = loadExperimentConfig(from / "experiment.json");
  } catch (const std::exception& e) {
    return "[pretraining_missing] " + from.string() + " holds no readable experiment: " + e.what();
  }
  const auto json = config.toJson();
  const auto other_json = other.toJson();
  for (const char* field :
       {"catalog", "phantom", "plan", "pretrain", "pretrain_epochs", "pretrain_pool"}) {
    if (json.value(field, nlohmann::json()) != other_json.value(field, nlohmann::json()))
      return std::string("[pretraining_mismatch] ") + field + " differs from " + from.string() +
             "'s: both experiments must use the same data and pretraining";
  }
  // The pool was checked against that experiment's test split only.
  if (config.pretrain_pool && !sameSplit(config.finetune.split, other.finetune.split))
    return "[pretraining_mismatch] finetune.split differs from " + from.string() +
           "'s: its pool was checked against that test split only";
  for (const auto& arm : config.arms) {
    if (arm != "scratch" &&
        std::find(other.arms.begin(), other.arms.end(), arm) == other.arms.end())
      return "[pretraining_mismatch] " + from.string() + " has no arm " + arm;
  }
  for (const auto seed : config.seeds) {
    if (std::find(other.seeds.begin(), other.seeds.end(), seed) == other.seeds.end())
      return "[pretraining_mismatch] " + from.string() + " has no seed " + std::to_string(seed);
  }
  std::error_code error;
  if (!fs::exists(from / "dataset" / "dataset.json", error))
    return "[pretraining_missing] " + (from / "dataset").string() + " is not prepared yet";
  for (const auto& arm : config.arms) {
    if (arm == "scratch") continue;
    for (const auto seed : config.seeds) {
      const auto dir = from / "pretrain" / (arm + "-seed" + std::to_string(seed));
      if (runState(dir) != "done")
        return "[pretraining_missing] " + dir.string() + " has not finished; run " + from.string() +
               " first";
    }
  }
  return "";
}

// "[pool_overlaps_test] ..." when a subject (PatientID) of the pretraining pool is in the
// fine-tuning test split, "" otherwise. The split is the one the first fine-tuning run would use:
// read from, or drawn into, the fine-tuning dataset's splits.json now.
std::string poolOverlapProblem(const ExperimentConfig& config, const std::string& dataset_dir,
                               const std::string& pool_dir) {
  train::TrainConfig finetune = config.finetune;
  finetune.dataset = dataset_dir;
  const auto dataset = data::PreparedDataset::open(dataset_dir);
  const data::SplitFile split = train::datasetSplit(finetune, dataset->info());
  const auto pool = data::PreparedDataset::open(pool_dir);
  std::vector<std::string> shared;
  for (const auto& subject : pool->info().subjects)
    if (split.partOf(subject.id) == "test") shared.push_back(subject.id);
  if (shared.empty()) return "";
  return "[pool_overlaps_test] " + std::to_string(shared.size()) +
         " subject(s) of the pretraining pool are in the fine-tuning test split (first: " +
         shared.front() +
         "); pretraining would see test subjects. Use a pool without them (a phantom pool: "
         "another first_subject range)";
}

}  // namespace

const char* stepKindName(Step::Kind kind) {
  switch (kind) {
    case Step::Kind::kPretrain:
      return "pretrain";
    case Step::Kind::kFinetune:
      return "finetune";
    case Step::Kind::kPrepare:
      break;
  }
  return "prepare";
}

bool usesPretrainingPool(const ExperimentConfig& config) {
  return config.pretrain_pool.has_value() &&
         std::any_of(config.arms.begin(), config.arms.end(),
                     [](const std::string& arm) { return arm != "scratch"; });
}

const std::vector<std::string>& armNames() {
  static const std::vector<std::string> names = {"scratch",  "multitask", "orientation",
                                                 "location", "genesis",   "control"};
  return names;
}

const std::vector<std::string>& pretrainedArmNames() {
  static const std::vector<std::string> names(armNames().begin() + 1, armNames().end());
  return names;
}

nlohmann::json ExperimentConfig::toJson() const {
  nlohmann::json json = {{"name", name}, {"out", out}};
  if (catalog) json["catalog"] = catalogToJson(*catalog);
  if (phantom) json["phantom"] = phantomToJson(*phantom);
  json["plan"] = plan.toJson();
  json["pretrain"] = templateToJson(pretrain, true);
  json["finetune"] = templateToJson(finetune, false);
  json["arms"] = arms;
  if (!pretrain_epochs.empty()) json["pretrain_epochs"] = pretrain_epochs;
  json["label_budgets"] = label_budgets;
  json["seeds"] = seeds;
  json["jobs"] = jobs;
  if (!pretraining_from.empty()) json["pretraining_from"] = pretraining_from;
  if (pretrain_pool) {
    nlohmann::json& pool = json["pretrain_pool"] = nlohmann::json::object();
    if (pretrain_pool->catalog) pool["catalog"] = catalogToJson(*pretrain_pool->catalog);
    if (pretrain_pool->phantom) pool["phantom"] = phantomToJson(*pretrain_pool->phantom);
  }
  return json;
}

ExperimentConfig experimentFromJson(const nlohmann::json& json) {
  const std::string root = kRoot;
  ExperimentConfig config;
  JsonReader r(json, root);
  r.get("name", config.name);
  r.get("out", config.out);
  if (const auto* c = r.child("catalog")) config.catalog = catalogFromJson(*c, root + ".catalog");
  if (const auto* p = r.child("phantom")) config.phantom = phantomFromJson(*p, root + ".phantom");
  if (const auto* p = r.child("plan")) config.plan = planFromJson(*p);
  if (const auto* t = r.child("pretrain"))
    config.pretrain = templateFromJson(*t, root + ".pretrain", true);
  if (const auto* t = r.child("finetune"))
    config.finetune = templateFromJson(*t, root + ".finetune", false);
  r.get("arms", config.arms);
  if (const auto* e = r.child("pretrain_epochs")) {
    const std::string where = root + ".pretrain_epochs";
    if (!e->is_object()) JsonReader::fail(where, "expected an object {ARM: epochs}");
    for (const auto& [arm, epochs] : e->items()) {
      const auto& pretrained = pretrainedArmNames();
      if (std::find(pretrained.begin(), pretrained.end(), arm) == pretrained.end())
        JsonReader::fail(where + "." + arm,
                         "not a pretrained arm (expected one of " + listText(pretrained) + ")");
      if (!epochs.is_number_integer() || epochs.get<std::int64_t>() < 1 ||
          epochs.get<std::int64_t>() > 100000)
        JsonReader::fail(where + "." + arm, "expected an integer number of epochs, 1 to 100000");
      config.pretrain_epochs[arm] = epochs.get<int>();
    }
  }
  r.get("label_budgets", config.label_budgets);
  if (const auto* s = r.child("seeds")) config.seeds = seedsFromJson(*s);
  r.get("jobs", config.jobs);
  r.get("pretraining_from", config.pretraining_from);
  if (const auto* p = r.child("pretrain_pool"))
    config.pretrain_pool = poolFromJson(*p, config.plan.organ);
  r.finish();

  if (config.out.empty()) JsonReader::fail(root + ".out", "an experiment folder is needed");
  if (config.catalog.has_value() == config.phantom.has_value())
    JsonReader::fail(root, "give exactly one source: catalog or phantom");
  if (config.phantom && phantom::organName(config.phantom->study.organ) != config.plan.organ) {
    JsonReader::fail(root + ".plan.organ", "is " + config.plan.organ + " but the phantom is " +
                                               phantom::organName(config.phantom->study.organ));
  }
  requireDistinct(config.arms, "arms");
  for (const auto& arm : config.arms) {
    if (std::find(armNames().begin(), armNames().end(), arm) == armNames().end())
      JsonReader::fail(root + ".arms",
                       "unknown arm " + arm + " (expected " + listText(armNames()) + ")");
  }
  requireDistinct(config.label_budgets, "label_budgets");
  for (const int budget : config.label_budgets)
    if (budget < 0) JsonReader::fail(root + ".label_budgets", "budgets must be >= 0 (0 = all)");
  requireDistinct(config.seeds, "seeds");
  if (config.jobs < 0) JsonReader::fail(root + ".jobs", "must be >= 0 (0 = all cores)");
  // The split is drawn once per dataset by its first run (DATASET/splits.json) and reused; a pool
  // is a dataset of its own.
  // With a pool, one split file for both datasets would name the wrong subjects for one of them.
  if (config.pretrain_pool && !config.pretrain.split.file.empty() &&
      config.pretrain.split.file == config.finetune.split.file)
    JsonReader::fail(root + ".pretrain.split.file",
                     "the pool is a dataset of its own: it needs its own split file");
  if (!config.pretrain_pool && !sameSplit(config.pretrain.split, config.finetune.split))
    JsonReader::fail(root + ".finetune.split",
                     "must equal pretrain.split (one patient-level split per dataset)");
  return config;
}

ExperimentConfig loadExperimentConfig(const std::filesystem::path& file) {
  return experimentFromJson(train::readJsonConfigFile(file));
}

DataCounts catalogCounts(const catalog::Catalog& catalog, const CatalogSource& source,
                         catalog::Status& status) {
  status = {};
  const auto failed = [&] {
    if (catalog.lastStatus().ok()) return false;
    status = catalog.lastStatus();
    return true;
  };
  std::vector<catalog::StudyRef> refs;
  if (source.studies.empty()) {
    refs = catalog.studies();
    if (failed()) return {};
  }
  for (const auto& uid : source.studies) {
    const auto found = catalog.studies(uid);
    if (failed()) return {};
    if (found.empty()) {
      status = {"unknown_study", "no study " + uid + " in the catalog"};
      return {};
    }
    refs.push_back(found.front());
  }

  DataCounts counts;
  std::set<std::string> subjects, labelled_subjects;
  std::map<std::string, int> first_segment;  // label name -> smallest SegmentNumber
  for (const auto& ref : refs) {
    ++counts.studies;
    subjects.insert(ref.patient_id);
    const std::string& uid = ref.study_instance_uid;

    const catalog::Table stacks = catalog.stacks(uid);
    if (failed()) return {};
    std::map<std::int64_t, std::int64_t> slice_count;  // kept planes per stack number
    const int stack_number = column(stacks, "stack"), stack_slices = column(stacks, "slice_count");
    for (const auto& row : stacks.rows) {
      const auto number = intAt(row, stack_number);
      if (number) slice_count[*number] = intAt(row, stack_slices).value_or(0);
    }
    const catalog::Table planes = catalog.planes(uid);
    if (failed()) return {};
    const int view_column = column(planes, "view"), kept_column = column(planes, "kept"),
              stack_column = column(planes, "stack");
    for (const auto& row : planes.rows) {
      const std::string view = textAt(row, view_column);
      if (view.empty() || intAt(row, kept_column).value_or(0) == 0) continue;
      ++counts.planes_by_view[view];
      const auto stack = intAt(row, stack_column);
      if (stack && slice_count[*stack] >= 2) ++counts.stacked_planes_by_view[view];
    }

    const auto frames = catalog.labelFramesOfStudy(ref.id);
    if (failed()) return {};
    if (frames.empty()) continue;
    labelled_subjects.insert(ref.patient_id);
    // The view of a labelled image is its series' view label.
    std::unordered_map<std::int64_t, std::string> series_of;
    for (const auto& image : catalog.studyImages(ref.id))
      series_of[image.instance_id] = image.series_instance_uid;
    if (failed()) return {};
    catalog::Filters filters;
    filters.study_instance_uid = uid;
    const catalog::Table views = catalog.viewLabels(filters);
    if (failed()) return {};
    std::unordered_map<std::string, std::string> view_of_series;
    const int series_column = column(views, "series_instance_uid"),
              label_column = column(views, "view");
    for (const auto& row : views.rows)
      view_of_series[textAt(row, series_column)] = textAt(row, label_column);
    std::set<std::pair<std::int64_t, int>> images;
    for (const auto& frame : frames) {
      // DicomLabels' names: the SegmentLabel, or "segment <number>" without one.
      const std::string name = frame.segment_label.empty()
                                   ? "segment " + std::to_string(frame.segment_number)
                                   : frame.segment_label;
      const auto it = first_segment.find(name);
      if (it == first_segment.end() || frame.segment_number < it->second)
        first_segment[name] = frame.segment_number;
      if (!images.insert({frame.instance_id, frame.frame_number}).second) continue;
      ++counts.labelled_images;
      const std::string& view = view_of_series[series_of[frame.instance_id]];
      if (!view.empty()) ++counts.labelled_images_by_view[view];
    }
  }
  counts.subjects = static_cast<int>(subjects.size());
  counts.labelled_subjects = static_cast<int>(labelled_subjects.size());
  std::vector<std::pair<int, std::string>> ordered;
  for (const auto& [name, number] : first_segment) ordered.emplace_back(number, name);
  std::sort(ordered.begin(), ordered.end());
  for (const auto& entry : ordered) counts.label_names.push_back(entry.second);
  if (!source.class_labels.empty()) {
    const auto labels = prepare::readClassLabels(source.class_labels);
    for (const auto& subject : subjects) {
      const auto it = labels.find(subject);
      if (it != labels.end() && !it->second.empty()) ++counts.subjects_by_class[it->second];
    }
  }
  return counts;
}

DataCounts phantomCounts(const prepare::PhantomCohort& cohort) {
  DataCounts counts;
  curation::Options options;
  options.misalignment = false;  // needs pixels; prepare does not use it
  for (int index = 0; index < cohort.subjects; ++index) {
    const phantom::PhantomStudy study =
        phantom::generateStudy(cohort.seed, cohort.first_subject + index, cohort.study);
    std::map<std::int64_t, prepare::PhantomImageKey> keys;
    const auto images = prepare::phantomStudyImages(study, &keys);
    const curation::StudyCuration curated = curation::curateStudy(images, {}, options, nullptr);
    ++counts.subjects;
    ++counts.studies;
    std::unordered_map<std::string, std::string> view_of_series;
    for (std::size_t s = 0; s < curated.series.size() && s < curated.views.size(); ++s)
      view_of_series[curated.series[s].series_instance_uid] = curated.views[s].view;
    for (const curation::Plane& plane : curated.planes) {
      if (!plane.kept) continue;
      const std::string& view = curated.views[static_cast<std::size_t>(plane.series)].view;
      ++counts.planes_by_view[view];
      if (plane.stack >= 0 &&
          curated.stacks[static_cast<std::size_t>(plane.stack)].slice_count >= 2)
        ++counts.stacked_planes_by_view[view];
    }
    int labelled = 0;
    for (const auto& image : images) {
      if (!prepare::phantomImageLabelled(study, keys.at(image.instance_id), cohort.study.labels))
        continue;
      ++labelled;
      ++counts.labelled_images_by_view[view_of_series[image.series_instance_uid]];
    }
    counts.labelled_images += labelled;
    if (labelled > 0) {
      ++counts.labelled_subjects;
      if (counts.label_names.empty() && study.label_names.size() > 1)
        counts.label_names.assign(study.label_names.begin() + 1, study.label_names.end());
    }
    if (study.cardiac_truth) ++counts.subjects_by_class[study.cardiac_truth->group];
  }
  return counts;
}

std::vector<Problem> checkExperiment(const ExperimentConfig& config, const DataCounts& counts,
                                     const DataCounts* pool_counts) {
  // What pretraining learns from.
  const bool pool = usesPretrainingPool(config);
  if (pool && pool_counts == nullptr)
    throw std::invalid_argument("checkExperiment: the pretraining pool's counts are needed");
  const DataCounts& pretext = pool ? *pool_counts : counts;
  const std::string pool_note = pool ? " in the pretraining pool" : "";
  std::vector<Problem> problems;
  const auto add = [&](const char* key, const char* page, std::string message) {
    problems.push_back({key, page, std::move(message)});
  };
  const auto uses = [&](std::initializer_list<const char*> arms) {
    return std::any_of(config.arms.begin(), config.arms.end(), [&](const std::string& arm) {
      return std::find(arms.begin(), arms.end(), arm) != arms.end();
    });
  };
  const data::PreprocessingPlan& plan = config.plan;

  if (counts.subjects < 3) {
    add("too_few_subjects", "data",
        std::to_string(counts.subjects) +
            " subject(s): a patient-level train/validation/test split needs at least 3");
  }
  if (sumOver(counts.planes_by_view, plan.views) == 0) {
    // A catalog's counts come from its stored curation.
    const bool uncurated = config.catalog && counts.planes_by_view.empty();
    add("no_sample_views", "data",
        "no kept planes of the sample views (" + listText(plan.views) +
            "); planes by view: " + countsText(counts.planes_by_view) +
            (uncurated ? " (curate the catalog first: planelab-cli curate)" : ""));
  }
  if (pool && pretext.subjects < 3) {
    add("too_few_subjects", "data",
        std::to_string(pretext.subjects) +
            " subject(s) in the pretraining pool: its train/validation split needs at least 3");
  }
  if (pool && sumOver(pretext.planes_by_view, plan.views) == 0) {
    add("no_sample_views", "data",
        "no kept planes of the sample views (" + listText(plan.views) +
            ") in the pretraining pool; planes by view: " + countsText(pretext.planes_by_view));
  }
  if (uses({"multitask", "orientation", "control"}) &&
      sumOver(pretext.planes_by_view, plan.heatmap_views) == 0) {
    add("no_heatmap_views", "pretext",
        "the heatmap targets need planes of the heatmap views (" + listText(plan.heatmap_views) +
            ")" + pool_note + "; planes by view: " + countsText(pretext.planes_by_view));
  }
  if (uses({"multitask", "location", "control"}) &&
      sumOver(pretext.stacked_planes_by_view, plan.views) == 0) {
    add("no_location_stacks", "pretext",
        "the slice-location target needs stacks of at least 2 slices in the sample views (" +
            listText(plan.views) + ")" + pool_note);
  }

  const bool pretrained = uses({"multitask", "orientation", "location", "genesis", "control"});
  const std::vector<std::pair<const char*, const train::TrainConfig*>> templates = {
      {"pretrain", &config.pretrain}, {"finetune", &config.finetune}};
  for (const auto& [name, run] : templates) {
    if (!pretrained && run == &config.pretrain) continue;
    // The task sets the heads (trainer); a placeholder head lets validate check the trunk.
    nn::NetworkConfig network = run->network;
    network.restoration_channels = 1;
    const std::string error = network.validate(plan.grid.size);
    if (!error.empty()) add("network_invalid", "network", std::string(name) + ": " + error);
  }
  const auto trunk = [](const nn::NetworkConfig& n) {
    return std::make_tuple(n.in_channels, n.base_width, n.depth, n.encoder_norm, n.decoder_norm);
  };
  if (pretrained && trunk(config.pretrain.network) != trunk(config.finetune.network)) {
    add("network_mismatch", "network",
        "the pretraining and fine-tuning networks differ in width, depth or normalisation: "
        "weights transfer by name and shape, so the pretrained arms would start mostly from "
        "scratch");
  }

  int available = 0;
  if (config.finetune.task == "segmentation") {
    available = counts.labelled_subjects;
    if (sumOver(counts.labelled_images_by_view, plan.views) == 0) {
      add("no_labels", "target",
          "segmentation needs labelled images of the sample views (" + listText(plan.views) +
              "); labelled images by view: " + countsText(counts.labelled_images_by_view));
      available = 0;
    }
  } else {
    for (const auto& [label, n] : counts.subjects_by_class) available += n;
    if (counts.subjects_by_class.empty()) {
      add("no_class_labels", "target", "classification needs class labels per subject");
    } else if (counts.subjects_by_class.size() == 1) {
      add("single_class", "target",
          "every subject has class " + counts.subjects_by_class.begin()->first +
              ": classification needs at least two classes");
    }
  }
  if (available > 0) {
    std::vector<std::string> over;
    for (const int budget : config.label_budgets)
      if (budget > available) over.push_back(std::to_string(budget));
    if (!over.empty()) {
      add("budget_exceeds_labelled", "target",
          "label budget(s) " + listText(over) + " exceed the " + std::to_string(available) +
              " labelled subjects (the budget is drawn from the training split only)");
    }
  }
  return problems;
}

std::vector<Step> planSteps(const ExperimentConfig& config) {
  const fs::path out(config.out);
  // Shared pretraining: the other experiment's dataset and pretraining runs, none of our own.
  const bool shared = !config.pretraining_from.empty();
  const fs::path pretrained_root = shared ? fs::path(config.pretraining_from) : out;
  const fs::path dataset = pretrained_root / "dataset";
  // Pretraining learns from the pool when there is one.
  const bool pool = usesPretrainingPool(config);
  const fs::path pretrain_dataset = pool ? pretrained_root / "pretrain-dataset" : dataset;
  std::vector<Step> steps;
  const auto addPrepare = [&](const fs::path& dir, bool of_pool) {
    Step step;
    step.kind = Step::Kind::kPrepare;
    step.pool = of_pool;
    step.dir = dir.string();
    std::error_code error;
    step.state = fs::exists(dir / "dataset.json", error) ? "done" : "todo";
    steps.push_back(std::move(step));
  };
  addPrepare(dataset, false);
  if (pool && !shared) addPrepare(pretrain_dataset, true);

  const auto pretrainDir = [&](const std::string& arm, std::uint64_t seed) {
    return pretrained_root / "pretrain" / (arm + "-seed" + std::to_string(seed));
  };
  for (const auto& arm : config.arms) {
    if (arm == "scratch" || shared) continue;
    for (const std::uint64_t seed : config.seeds) {
      Step step;
      step.kind = Step::Kind::kPretrain;
      step.arm = arm;
      step.seed = seed;
      step.dir = pretrainDir(arm, seed).string();
      step.config = config.pretrain;
      step.config.dataset = pretrain_dataset.string();
      step.config.out = step.dir;
      step.config.seed = seed;
      if (const auto e = config.pretrain_epochs.find(arm); e != config.pretrain_epochs.end())
        step.config.epochs = e->second;
      // The control arm learns the multitask targets of other images (ML-RECIPE: what is left
      // of pretraining when the targets carry no information about the image).
      step.config.pretext.variant = arm == "control" ? "multitask" : arm;
      step.config.pretext.permute_targets = arm == "control";
      step.state = runState(step.dir);
      steps.push_back(std::move(step));
    }
  }
  for (const auto& arm : config.arms) {
    for (const int budget : config.label_budgets) {
      for (const std::uint64_t seed : config.seeds) {
        Step step;
        step.kind = Step::Kind::kFinetune;
        step.arm = arm;
        step.budget = budget;
        step.seed = seed;
        step.dir = (out / "finetune" / arm /
                    ("n" + std::to_string(budget) + "-seed" + std::to_string(seed)))
                       .string();
        step.config = config.finetune;
        step.config.dataset = dataset.string();
        step.config.out = step.dir;
        step.config.seed = seed;
        step.config.finetune.init = arm == "scratch" ? "" : pretrainDir(arm, seed).string();
        step.config.finetune.labelled_subjects = budget;
        step.config.finetune.budget_seed = seed;
        step.state = runState(step.dir);
        steps.push_back(std::move(step));
      }
    }
  }
  return steps;
}

ExperimentResult runExperiment(const ExperimentConfig& requested, const RunOptions& options) {
  // Through JSON: the same checks as a config file, and the config as experiment.json holds it.
  const ExperimentConfig config = experimentFromJson(requested.toJson());
  ExperimentResult result;
  result.steps = planSteps(config);
  for (const Step& step : result.steps) {
    const bool catalog =
        step.pool ? config.pretrain_pool->catalog.has_value() : config.catalog.has_value();
    if (step.kind == Step::Kind::kPrepare && step.state != "done" && catalog &&
        config.pretraining_from.empty() && !options.sources)
      throw std::invalid_argument("[invalid_argument] a catalog source needs RunOptions::sources");
  }
  saveExperimentConfig(config);
  if (!config.pretraining_from.empty()) {
    const auto problem = sharedPretrainingProblem(config);
    if (!problem.empty()) {
      result.status = "failed";
      result.message = problem;
      return result;
    }
  }

  const auto cancelled = [&] { return options.control != nullptr && options.control->cancel; };
  result.status = "completed";
  bool pool_checked = false;
  for (std::size_t index = 0; index < result.steps.size(); ++index) {
    Step& step = result.steps[index];
    if (step.state == "done") continue;
    if (cancelled()) {
      result.status = "cancelled";
      break;
    }
    std::optional<train::RunResult> run;
    // Once both datasets exist, before any pretraining learns from the pool.
    if (step.kind == Step::Kind::kPretrain && config.pretrain_pool && !pool_checked) {
      pool_checked = true;
      std::string problem;
      try {
        problem = poolOverlapProblem(config, result.steps[0].dir, step.config.dataset);
      } catch (const std::exception& e) {
        problem = keyed(e.what());
      }
      if (!problem.empty()) {
        result.status = "failed";
        result.message = problem;
        break;
      }
    }
    if (options.step_started) options.step_started(step, index, result.steps.size());
    try {
      if (step.kind == Step::Kind::kPrepare) {
        prepare::PrepareSummary summary;
        prepareDataset(config, step, options, summary);
        if (summary.cancelled) result.status = "cancelled";
      } else {
        train::RunOptions run_options;
        run_options.resume = step.state == "interrupted";
        // A folder without a checkpoint stopped in its first epoch: nothing to keep.
        std::error_code error;
        if (!run_options.resume && fs::exists(step.dir, error)) fs::remove_all(step.dir, error);
        run_options.observer = options.observer ? options.observer(step) : nullptr;
        run_options.control = options.control;
        run_options.software_version = options.software_version;
        run = train::runTraining(step.config, run_options);
        if (run->status == "cancelled") {
          result.status = "cancelled";
        } else if (run->status != "completed") {
          result.status = "failed";
          result.message = keyed(run->message);
        }
      }
    } catch (const std::exception& e) {
      result.status = "failed";
      result.message = keyed(e.what());
    }
    if (step.kind == Step::Kind::kPrepare) {
      std::error_code error;
      step.state = fs::exists(fs::path(step.dir) / "dataset.json", error) ? "done" : "todo";
    } else {
      step.state = runState(step.dir);
    }
    if (options.step_finished) options.step_finished(step, run ? &*run : nullptr);
    if (result.status != "completed") break;
  }
  try {
    result.results_csv = writeResults(config, result.steps);
  } catch (const std::runtime_error& e) {
    if (result.status != "failed") {
      result.status = "failed";
      result.message = keyed(e.what());
    }
  }
  return result;
}

}  // namespace planelab::experiment
