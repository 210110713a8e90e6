#include "train/metrics_history.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace planelab::train {
namespace {

std::map<std::string, double> numbers(const nlohmann::json& object) {
  std::map<std::string, double> out;
  if (!object.is_object()) return out;
  for (const auto& [key, value] : object.items())
    if (value.is_number()) out[key] = value.get<double>();
  return out;
}

}  // namespace

MetricsHistory readMetricsLog(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("[metrics_unreadable] cannot read " + path);
  MetricsHistory history;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    try {
      const auto j = nlohmann::json::parse(line);
      const auto type = j.at("type").get<std::string>();
      if (type == "iteration") {
        IterationEvent e;
        e.epoch = j.at("epoch").get<int>();
        e.step = j.at("step").get<std::int64_t>();
        e.batch = j.at("batch").get<std::int64_t>();
        e.losses = numbers(j.at("losses"));
        e.lr = j.value("lr", 0.0);
        e.images_per_s = j.value("images_per_s", 0.0);
        history.iterations.push_back(std::move(e));
      } else if (type == "epoch") {
        EpochEvent e;
        e.epoch = j.at("epoch").get<int>();
        e.train = numbers(j.at("train"));
        e.validation = numbers(j.value("validation", nlohmann::json::object()));
        e.lr = j.value("lr", 0.0);
        e.images_per_s = j.value("images_per_s", 0.0);
        e.elapsed_s = j.value("elapsed_s", 0.0);
        e.best = j.value("best", false);
        history.epochs.push_back(std::move(e));
      } else {
        ++history.skipped_lines;
      }
    } catch (const nlohmann::json::exception&) {
      ++history.skipped_lines;
    }
  }

  std::set<int> finished;
  for (const auto& e : history.epochs) finished.insert(e.epoch);
  std::int64_t batches = 0, any = 0;
  for (const auto& e : history.iterations) {
    any = std::max(any, e.batch);
    if (finished.count(e.epoch)) batches = std::max(batches, e.batch);
  }
  if (batches == 0) batches = any;
  for (auto& e : history.iterations) e.batches = batches;
  return history;
}

double epochPosition(const IterationEvent& event) {
  if (event.batches <= 0) return event.epoch + 1.0;
  return event.epoch + static_cast<double>(event.batch) / static_cast<double>(event.batches);
}

}  // namespace planelab::train
