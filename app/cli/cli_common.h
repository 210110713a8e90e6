// What the planelab-cli verbs share: exit codes, Ctrl-C handling, and printing of catalog tables.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "catalog/catalog.h"
#include "phantom/difficulty.h"

namespace planelab::cli {

// Exit codes (README): 0 ok; 1 usage error or failure; 2 refused output folder (phantom) or some
// files not usable (import); 3 the catalog could not be opened or written; 130 cancelled.
constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitPartial = 2;
constexpr int kExitRefused = 2;
constexpr int kExitCatalog = 3;
constexpr int kExitCancelled = 130;

// While alive, SIGINT/SIGTERM set cancelRequested() instead of killing the process, so long work
// can stop cleanly (committed work stays consistent).
class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;
  static bool cancelRequested();
};

// The stable key of a "[key] message" error text, or `fallback` when it starts with none.
std::string errorKey(const std::string& message, const std::string& fallback);

nlohmann::json tableToJson(const catalog::Table& table);
// Aligned text columns, values longer than max_width cut with "...".
void printTable(const catalog::Table& table, std::size_t max_width = 40);
std::string valueText(const catalog::Value& value);

// Opens an existing catalog; on failure logs "[key] message" and sets *exit_code (kExitCatalog).
std::unique_ptr<catalog::Catalog> openOrReport(const std::string& file, int* exit_code);

// Applies --knob NAME=VALUE assignments over a level's knobs; throws CLI::ValidationError (a clear
// message and a non-zero exit) with the stable key: unknown_knob or bad_knob_value.
void applyKnobs(const std::vector<std::string>& assignments, phantom::DifficultyKnobs& knobs);

}  // namespace planelab::cli
