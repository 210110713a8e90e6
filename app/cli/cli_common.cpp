#include "app/cli/cli_common.h"

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <vector>

#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

namespace planelab::cli {

namespace {
std::atomic<bool> g_cancel{false};
extern "C" void onInterrupt(int) {
  g_cancel = true;
}
}  // namespace

InterruptGuard::InterruptGuard() {
  g_cancel = false;
  std::signal(SIGINT, onInterrupt);
  std::signal(SIGTERM, onInterrupt);
}

InterruptGuard::~InterruptGuard() {
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
}

bool InterruptGuard::cancelRequested() {
  return g_cancel.load();
}

std::string valueText(const catalog::Value& value) {
  if (std::holds_alternative<std::monostate>(value)) return "";
  if (const auto* i = std::get_if<std::int64_t>(&value)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&value)) {
    char text[32];
    std::snprintf(text, sizeof text, "%.6g", *d);
    return text;
  }
  return std::get<std::string>(value);
}

nlohmann::json tableToJson(const catalog::Table& table) {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& row : table.rows) {
    nlohmann::json object = nlohmann::json::object();
    for (std::size_t c = 0; c < table.columns.size() && c < row.size(); ++c) {
      const catalog::Value& v = row[c];
      if (std::holds_alternative<std::monostate>(v)) {
        object[table.columns[c]] = nullptr;
      } else if (const auto* i = std::get_if<std::int64_t>(&v)) {
        object[table.columns[c]] = *i;
      } else if (const auto* d = std::get_if<double>(&v)) {
        object[table.columns[c]] = *d;
      } else {
        object[table.columns[c]] = std::get<std::string>(v);
      }
    }
    rows.push_back(object);
  }
  return rows;
}

void printTable(const catalog::Table& table, std::size_t max_width) {
  std::vector<std::vector<std::string>> cells;
  std::vector<std::size_t> width(table.columns.size());
  for (std::size_t c = 0; c < table.columns.size(); ++c) width[c] = table.columns[c].size();
  for (const auto& row : table.rows) {
    std::vector<std::string> line;
    for (std::size_t c = 0; c < table.columns.size(); ++c) {
      std::string text = c < row.size() ? valueText(row[c]) : "";
      if (text.size() > max_width) text = text.substr(0, max_width - 3) + "...";
      width[c] = std::max(width[c], text.size());
      line.push_back(std::move(text));
    }
    cells.push_back(std::move(line));
  }
  const auto print_line = [&](const std::vector<std::string>& line) {
    std::string out;
    for (std::size_t c = 0; c < line.size(); ++c) {
      out += line[c];
      if (c + 1 < line.size()) out += std::string(width[c] - line[c].size() + 2, ' ');
    }
    std::printf("%s\n", out.c_str());
  };
  print_line(table.columns);
  for (const auto& line : cells) print_line(line);
  std::printf("(%zu rows)\n", table.rows.size());
}

std::string errorKey(const std::string& message, const std::string& fallback) {
  if (message.size() > 2 && message[0] == '[') {
    const auto end = message.find(']');
    if (end != std::string::npos) return message.substr(1, end - 1);
  }
  return fallback;
}

std::unique_ptr<catalog::Catalog> openOrReport(const std::string& file, int* exit_code) {
  catalog::Status status;
  if (!std::filesystem::exists(file)) {
    spdlog::error("[cannot_open_catalog] {} does not exist (create it with planelab-cli import)",
                  file);
    *exit_code = kExitCatalog;
    return nullptr;
  }
  auto cat = catalog::Catalog::open(file, status);
  if (!cat) {
    spdlog::error("[{}] {}", status.error_key, status.message);
    *exit_code = kExitCatalog;
  }
  return cat;
}

void applyKnobs(const std::vector<std::string>& assignments, phantom::DifficultyKnobs& knobs) {
  for (const std::string& a : assignments) {
    const auto eq = a.find('=');
    std::string key = "bad_knob_value";
    if (eq != std::string::npos) {
      char* end = nullptr;
      const std::string text = a.substr(eq + 1);
      const double value = std::strtod(text.c_str(), &end);
      key = text.empty() || *end != '\0' ? "bad_knob_value"
                                         : phantom::setKnob(knobs, a.substr(0, eq), value);
    }
    if (!key.empty()) {
      std::string names;
      for (const auto& entry : phantom::knobValues(knobs)) names += " " + entry.first;
      throw CLI::ValidationError(
          "--knob", "[" + key + "] '" + a + "': expected NAME=VALUE with NAME one of" + names);
    }
  }
  if (!phantom::validateKnobs(knobs).empty()) {
    throw CLI::ValidationError("--knob", "[bad_knob_value] a minimum is above its maximum");
  }
}

}  // namespace planelab::cli
