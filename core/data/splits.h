// Patient-level splits (like nnU-Net's splits_final.json) and label budgets. A split is drawn
// once per dataset from a seed and written next to it; every run reuses the file. A label budget
// ("N labelled subjects") is drawn from the training split with its own seed and recorded in the
// run folder.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace planelab::data {

struct SplitOptions {
  double val_fraction = 0.2;
  double test_fraction = 0.2;
  std::uint64_t seed = 1;
};

struct SplitFile {
  std::uint64_t seed = 0;
  double val_fraction = 0.0;
  double test_fraction = 0.0;
  std::vector<std::string> train, val, test;  // subject ids, each sorted
  std::string dataset_hash;                   // the dataset the split was drawn for (informational)

  nlohmann::json toJson() const;
  static SplitFile fromJson(const nlohmann::json& json);  // throws "[invalid_split] ..."
  // Which part a subject is in: "train" | "val" | "test" | "" (not in the split).
  std::string partOf(const std::string& subject_id) const;
};

// Draws a split of the distinct subject ids: a seeded shuffle (own PRNG, independent of the
// standard library), stratified by `strata` (same length as subjects, e.g. the class label; empty
// = no stratification). Every part gets at least one subject when there are >= 3 subjects.
SplitFile makeSplit(const std::vector<std::string>& subjects,
                    const std::vector<std::string>& strata, const SplitOptions& options);

// Reads `path` if it exists (and checks it names exactly the dataset's subjects, else throws
// "[split_mismatch] ..."), otherwise draws one with makeSplit and writes it atomically.
SplitFile loadOrCreateSplit(const std::string& path, const std::vector<std::string>& subjects,
                            const std::vector<std::string>& strata, const SplitOptions& options);

struct LabelBudget {
  int subjects = 0;  // requested; 0 = every labelled training subject
  std::uint64_t seed = 0;
  std::vector<std::string> labelled;  // the drawn subject ids, sorted

  nlohmann::json toJson() const;
  static LabelBudget fromJson(const nlohmann::json& json);
};

// Draws `count` subjects from split.train among `eligible` (those with labels). Throws
// "[label_budget_too_large] ..." when fewer eligible training subjects exist. Nested: for one
// seed, the draw for N is a prefix of the draw for N+1 (a larger budget adds subjects).
LabelBudget drawLabelBudget(const SplitFile& split, const std::vector<std::string>& eligible,
                            int count, std::uint64_t seed);

// Writes to PATH.tmp.<pid>, then renames over path (creating parent folders): readers see the old
// file or the new one, never a part. std::runtime_error "[cannot_write] ..." on failure.
void writeJsonAtomically(const std::string& path, const nlohmann::json& json);
void writeTextAtomically(const std::string& path, const std::string& text);

}  // namespace planelab::data
