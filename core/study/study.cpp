#include "study/study.h"

#include <algorithm>
#include <fstream>
#include <stdexcept>

#include "data/splits.h"
#include "study/report.h"
#include "train/config_json.h"

namespace planelab::study {
namespace fs = std::filesystem;
using train::JsonReader;

namespace {

constexpr const char* kRoot = "study";

bool validId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

// An experiment's errors name the field as "experiment.<field>"; in a study it is this one.
[[noreturn]] void rethrowInExperiment(const std::invalid_argument& e, const std::string& where) {
  std::string message = e.what();
  const std::string prefix = "[invalid_config] experiment";
  if (message.rfind(prefix, 0) == 0)
    message = "[invalid_config] " + where + message.substr(prefix.size());
  throw std::invalid_argument(message);
}

}  // namespace

nlohmann::json StudyConfig::toJson() const {
  nlohmann::json json = {{"name", name},
                         {"out", out},
                         {"profile", profile},
                         {"defaults", defaults},
                         {"experiments", overrides},
                         {"statistics",
                          {{"bootstrap_samples", statistics.samples},
                           {"seed", statistics.seed},
                           {"confidence", statistics.confidence}}},
                         {"threshold_baseline", threshold_baseline}};
  return json;
}

StudyConfig studyFromJson(const nlohmann::json& json) {
  const std::string root = kRoot;
  StudyConfig config;
  JsonReader r(json, root);
  r.get("name", config.name);
  r.get("out", config.out);
  r.get("profile", config.profile);
  config.defaults = nlohmann::json::object();
  r.get("defaults", config.defaults);
  nlohmann::json experiments;
  r.get("experiments", experiments);
  if (const auto* s = r.child("statistics")) {
    JsonReader sr(*s, root + ".statistics");
    sr.get("bootstrap_samples", config.statistics.samples);
    sr.get("seed", config.statistics.seed);
    sr.get("confidence", config.statistics.confidence);
    sr.finish();
  }
  r.get("threshold_baseline", config.threshold_baseline);
  r.finish();

  if (config.out.empty()) JsonReader::fail(root + ".out", "a study folder is needed");
  if (!config.defaults.is_object()) JsonReader::fail(root + ".defaults", "expected an object");
  for (const char* placed : {"out", "pretraining_from"})
    if (config.defaults.contains(placed))
      JsonReader::fail(root + ".defaults." + placed, "set per experiment by the study");
  if (config.statistics.samples < 1)
    JsonReader::fail(root + ".statistics.bootstrap_samples", "must be >= 1");
  if (!(config.statistics.confidence > 0.0 && config.statistics.confidence < 1.0))
    JsonReader::fail(root + ".statistics.confidence", "must be in (0, 1)");
  if (!experiments.is_array() || experiments.empty())
    JsonReader::fail(root + ".experiments", "expected a non-empty array of experiments");

  config.overrides = experiments;
  for (std::size_t i = 0; i < experiments.size(); ++i) {
    const std::string where = root + ".experiments[" + std::to_string(i) + "]";
    const auto& given = experiments[i];
    if (!given.is_object()) JsonReader::fail(where, "expected an object");
    StudyExperiment entry;
    if (!given.contains("id") || !given["id"].is_string())
      JsonReader::fail(where + ".id", "each experiment needs an id (its folder name)");
    entry.id = given["id"].get<std::string>();
    if (!validId(entry.id))
      JsonReader::fail(where + ".id", "use 1-64 characters of a-z, 0-9, _ and -");
    for (const auto& other : config.experiments)
      if (other.id == entry.id) JsonReader::fail(where + ".id", "repeats " + entry.id);
    if (given.contains("out")) JsonReader::fail(where + ".out", "set by the study: out/<id>");

    nlohmann::json merged = config.defaults;
    for (const auto& item : given.items())
      if (item.key() != "id") merged[item.key()] = item.value();
    if (merged.contains("pretraining_from")) {
      if (!merged["pretraining_from"].is_string())
        JsonReader::fail(where + ".pretraining_from", "expected the id of an earlier experiment");
      entry.pretraining_from = merged["pretraining_from"].get<std::string>();
      const auto earlier =
          std::find_if(config.experiments.begin(), config.experiments.end(),
                       [&](const auto& e) { return e.id == entry.pretraining_from; });
      if (earlier == config.experiments.end())
        JsonReader::fail(where + ".pretraining_from",
                         "names no earlier experiment: " + entry.pretraining_from);
      merged["pretraining_from"] = earlier->config.out;
    }
    merged["out"] = (fs::path(config.out) / entry.id).string();
    try {
      entry.config = experiment::experimentFromJson(merged);
    } catch (const std::invalid_argument& e) {
      rethrowInExperiment(e, where);
    }
    config.experiments.push_back(std::move(entry));
  }
  return config;
}

StudyConfig loadStudyConfig(const fs::path& file) {
  return studyFromJson(train::readJsonConfigFile(file));
}

void saveStudyConfig(const StudyConfig& config) {
  const fs::path out(config.out);
  const fs::path file = out / "study.json";
  std::error_code error;
  if (fs::exists(file, error)) {
    std::ifstream in(file);
    const auto stored = nlohmann::json::parse(in, nullptr, false);
    bool same = false;
    try {
      same = !stored.is_discarded() && studyFromJson(stored).toJson() == config.toJson();
    } catch (const std::invalid_argument&) {
      same = false;  // a study.json this version cannot read
    }
    if (same) return;
    throw std::invalid_argument("[study_exists] " + file.string() +
                                " holds another study; use another out folder");
  }
  if (fs::exists(out, error) && !fs::is_empty(out, error))
    throw std::invalid_argument("[study_exists] " + out.string() +
                                " is not empty and holds no study.json; use another out folder");
  try {
    data::writeJsonAtomically(file.string(), config.toJson());
  } catch (const std::runtime_error& e) {
    throw std::invalid_argument(e.what());
  }
}

std::vector<std::pair<std::string, experiment::Step>> planStudy(const StudyConfig& config) {
  std::vector<std::pair<std::string, experiment::Step>> steps;
  for (const auto& entry : config.experiments)
    for (auto& step : experiment::planSteps(entry.config)) steps.emplace_back(entry.id, step);
  return steps;
}

StudyResult runStudy(const StudyConfig& requested, const StudyRunOptions& options) {
  const StudyConfig config = studyFromJson(requested.toJson());
  saveStudyConfig(config);
  StudyResult result;
  result.status = "completed";
  const auto& control = options.run.control;
  for (std::size_t i = 0; i < config.experiments.size(); ++i) {
    const auto& entry = config.experiments[i];
    if (control != nullptr && control->cancel) {
      result.status = "cancelled";
      break;
    }
    if (options.experiment_started) options.experiment_started(entry, i, config.experiments.size());
    try {
      result.experiments.push_back(experiment::runExperiment(entry.config, options.run));
    } catch (const std::invalid_argument& e) {
      result.status = "failed";
      result.message = e.what();
      break;
    }
    const auto& ran = result.experiments.back();
    if (ran.status != "completed") {
      result.status = ran.status;
      result.message = ran.message;
      break;
    }
  }
  try {
    result.report_data = buildReport(config);
    result.report = writeReport(config, result.report_data, options.write_plot);
  } catch (const std::exception& e) {
    if (result.status != "failed") {
      result.status = "failed";
      result.message = e.what();
    }
  }
  return result;
}

}  // namespace planelab::study
