#include "data/splits.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "data/random.h"

namespace planelab::data {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char* kSplitFormat = "planelab-split";
constexpr std::uint64_t kTagStratum = 0x5354524154554DULL;  // "STRATUM"
constexpr std::uint64_t kTagTies = 0x54494553ULL;           // "TIES"
constexpr std::uint64_t kTagBudget = 0x424447ULL;           // "BDG"

[[noreturn]] void invalidSplit(const std::string& why) {
  throw std::invalid_argument("[invalid_split] " + why);
}

std::vector<std::string> idList(const json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end()) invalidSplit(std::string(key) + ": missing");
  if (!it->is_array()) invalidSplit(std::string(key) + ": must be an array of strings");
  std::vector<std::string> out;
  for (const auto& v : *it) {
    if (!v.is_string()) invalidSplit(std::string(key) + ": must be an array of strings");
    out.push_back(v.get<std::string>());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Largest-remainder apportionment of `total` over groups with weights `sizes` (sum N), each
// group capped at `capacity[g]`; ties in the remainder are broken by `tie_order` (a seeded
// permutation of the groups) so small strata do not always lose.
std::vector<int> apportion(int total, const std::vector<int>& sizes,
                           const std::vector<int>& capacity,
                           const std::vector<std::size_t>& tie_order) {
  const std::size_t groups = sizes.size();
  int n = 0;
  for (const int s : sizes) n += s;
  std::vector<int> out(groups, 0);
  if (n == 0 || total <= 0) return out;
  std::vector<double> remainder(groups, 0.0);
  int given = 0;
  for (std::size_t g = 0; g < groups; ++g) {
    const double quota = static_cast<double>(total) * sizes[g] / n;
    out[g] = std::min(capacity[g], static_cast<int>(std::floor(quota)));
    remainder[g] = quota - out[g];
    given += out[g];
  }
  std::vector<std::size_t> order = tie_order;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return remainder[a] > remainder[b]; });
  // Hand out the rest one by one, largest remainder first, skipping full groups.
  while (given < total) {
    bool progressed = false;
    for (const std::size_t g : order) {
      if (given >= total) break;
      if (out[g] < capacity[g]) {
        ++out[g];
        ++given;
        progressed = true;
      }
    }
    if (!progressed) break;
  }
  return out;
}

}  // namespace

nlohmann::json SplitFile::toJson() const {
  return {{"format", kSplitFormat},
          {"version", 1},
          {"seed", seed},
          {"val_fraction", val_fraction},
          {"test_fraction", test_fraction},
          {"train", train},
          {"val", val},
          {"test", test},
          {"dataset_hash", dataset_hash}};
}

SplitFile SplitFile::fromJson(const nlohmann::json& j) {
  if (!j.is_object()) invalidSplit("must be a JSON object");
  if (const auto it = j.find("format"); it != j.end() && *it != kSplitFormat) {
    invalidSplit("format: not planelab-split");
  }
  if (const auto it = j.find("version"); it != j.end()) {
    if (!it->is_number_integer() || it->get<std::int64_t>() != 1) {
      invalidSplit("version: unsupported");
    }
  }
  SplitFile s;
  const auto seed = j.find("seed");
  if (seed == j.end() || !seed->is_number_integer() ||
      (seed->is_number_integer() && !seed->is_number_unsigned() && seed->get<std::int64_t>() < 0)) {
    invalidSplit("seed: must be a non-negative integer");
  }
  s.seed = seed->get<std::uint64_t>();
  for (const auto& [key, slot] :
       {std::pair<const char*, double*>{"val_fraction", &s.val_fraction},
        std::pair<const char*, double*>{"test_fraction", &s.test_fraction}}) {
    const auto it = j.find(key);
    if (it == j.end() || !it->is_number()) invalidSplit(std::string(key) + ": must be a number");
    *slot = it->get<double>();
  }
  s.train = idList(j, "train");
  s.val = idList(j, "val");
  s.test = idList(j, "test");
  if (const auto it = j.find("dataset_hash"); it != j.end()) {
    if (!it->is_string()) invalidSplit("dataset_hash: must be a string");
    s.dataset_hash = it->get<std::string>();
  }
  std::set<std::string> seen;
  for (const auto* part : {&s.train, &s.val, &s.test}) {
    for (const auto& id : *part) {
      if (!seen.insert(id).second) invalidSplit("subject '" + id + "' is listed twice");
    }
  }
  return s;
}

std::string SplitFile::partOf(const std::string& subject_id) const {
  if (std::binary_search(train.begin(), train.end(), subject_id)) return "train";
  if (std::binary_search(val.begin(), val.end(), subject_id)) return "val";
  if (std::binary_search(test.begin(), test.end(), subject_id)) return "test";
  return "";
}

SplitFile makeSplit(const std::vector<std::string>& subjects,
                    const std::vector<std::string>& strata, const SplitOptions& options) {
  const double fv = options.val_fraction;
  const double ft = options.test_fraction;
  if (!(fv >= 0.0 && ft >= 0.0 && fv + ft < 1.0)) {
    throw std::invalid_argument(
        "[invalid_split_options] val_fraction and test_fraction must be >= 0 with a sum below 1");
  }
  if (!strata.empty() && strata.size() != subjects.size()) {
    throw std::invalid_argument("[invalid_split_options] strata must match subjects in length");
  }
  // Distinct subjects, each with the stratum of its first occurrence.
  std::map<std::string, std::string> stratum_of;
  for (std::size_t i = 0; i < subjects.size(); ++i) {
    stratum_of.emplace(subjects[i], strata.empty() ? std::string() : strata[i]);
  }
  std::map<std::string, std::vector<std::string>> groups;  // stratum -> sorted ids
  for (const auto& [id, stratum] : stratum_of) groups[stratum].push_back(id);

  const int n = static_cast<int>(stratum_of.size());
  int n_val = static_cast<int>(std::lround(fv * n));
  int n_test = static_cast<int>(std::lround(ft * n));
  if (n >= 3) {
    // Every part non-empty: at least one each, and train keeps at least one.
    n_val = std::max(n_val, 1);
    n_test = std::max(n_test, 1);
    while (n_val + n_test > n - 1) {
      if (n_val >= n_test && n_val > 1) {
        --n_val;
      } else {
        --n_test;
      }
    }
  } else {
    n_val = std::min(n_val, n);
    n_test = std::min(n_test, n - n_val);
  }

  std::vector<std::vector<std::string>> members;
  std::vector<int> sizes;
  for (auto& [stratum, ids] : groups) {
    Rng rng = Rng::derive(options.seed, {kTagStratum, fnv1a64(stratum)});
    rng.shuffle(ids);
    sizes.push_back(static_cast<int>(ids.size()));
    members.push_back(ids);
  }
  std::vector<std::size_t> tie_order(members.size());
  for (std::size_t g = 0; g < tie_order.size(); ++g) tie_order[g] = g;
  Rng tie_rng = Rng::derive(options.seed, {kTagTies});
  tie_rng.shuffle(tie_order);

  const std::vector<int> val_counts = apportion(n_val, sizes, sizes, tie_order);
  std::vector<int> room(sizes.size());
  for (std::size_t g = 0; g < sizes.size(); ++g) room[g] = sizes[g] - val_counts[g];
  const std::vector<int> test_counts = apportion(n_test, sizes, room, tie_order);

  SplitFile split;
  split.seed = options.seed;
  split.val_fraction = fv;
  split.test_fraction = ft;
  for (std::size_t g = 0; g < members.size(); ++g) {
    const auto& ids = members[g];
    const auto v = static_cast<std::size_t>(val_counts[g]);
    const auto t = static_cast<std::size_t>(test_counts[g]);
    for (std::size_t i = 0; i < ids.size(); ++i) {
      auto& part = i < v ? split.val : (i < v + t ? split.test : split.train);
      part.push_back(ids[i]);
    }
  }
  for (auto* part : {&split.train, &split.val, &split.test}) std::sort(part->begin(), part->end());
  return split;
}

SplitFile loadOrCreateSplit(const std::string& path, const std::vector<std::string>& subjects,
                            const std::vector<std::string>& strata, const SplitOptions& options) {
  std::error_code ec;
  if (fs::exists(path, ec)) {
    std::ifstream in(path, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const json j = json::parse(text, nullptr, false);
    if (j.is_discarded()) invalidSplit(path + ": not valid JSON");
    SplitFile split = SplitFile::fromJson(j);
    const std::set<std::string> wanted(subjects.begin(), subjects.end());
    std::set<std::string> have;
    for (const auto* part : {&split.train, &split.val, &split.test}) {
      have.insert(part->begin(), part->end());
    }
    if (have != wanted) {
      std::vector<std::string> missing, extra;
      std::set_difference(wanted.begin(), wanted.end(), have.begin(), have.end(),
                          std::back_inserter(missing));
      std::set_difference(have.begin(), have.end(), wanted.begin(), wanted.end(),
                          std::back_inserter(extra));
      const auto first = [](const std::vector<std::string>& ids) {
        return ids.empty() ? std::string() : " (e.g. '" + ids.front() + "')";
      };
      throw std::runtime_error(
          "[split_mismatch] " + path +
          " does not name the dataset's subjects: " + std::to_string(missing.size()) + " missing" +
          first(missing) + ", " + std::to_string(extra.size()) + " unknown" + first(extra));
    }
    return split;
  }
  SplitFile split = makeSplit(subjects, strata, options);
  writeJsonAtomically(path, split.toJson());
  return split;
}

nlohmann::json LabelBudget::toJson() const {
  return {{"subjects", subjects}, {"seed", seed}, {"labelled", labelled}};
}

LabelBudget LabelBudget::fromJson(const nlohmann::json& j) {
  const auto bad = [](const std::string& why) {
    throw std::invalid_argument("[invalid_label_budget] " + why);
  };
  if (!j.is_object()) bad("must be a JSON object");
  LabelBudget b;
  const auto subjects = j.find("subjects");
  if (subjects == j.end() || !subjects->is_number_integer() || subjects->get<std::int64_t>() < 0) {
    bad("subjects: must be a non-negative integer");
  }
  b.subjects = static_cast<int>(subjects->get<std::int64_t>());
  const auto seed = j.find("seed");
  if (seed == j.end() || !seed->is_number_integer()) bad("seed: must be an integer");
  b.seed = seed->get<std::uint64_t>();
  const auto labelled = j.find("labelled");
  if (labelled == j.end() || !labelled->is_array()) bad("labelled: must be an array");
  for (const auto& v : *labelled) {
    if (!v.is_string()) bad("labelled: must be an array of strings");
    b.labelled.push_back(v.get<std::string>());
  }
  std::sort(b.labelled.begin(), b.labelled.end());
  return b;
}

LabelBudget drawLabelBudget(const SplitFile& split, const std::vector<std::string>& eligible,
                            int count, std::uint64_t seed) {
  if (count < 0) throw std::invalid_argument("[invalid_label_budget] count must be >= 0");
  const std::set<std::string> ok(eligible.begin(), eligible.end());
  std::vector<std::string> pool;  // sorted (split.train is sorted), so the draw is reproducible
  std::vector<std::string> train = split.train;
  std::sort(train.begin(), train.end());
  train.erase(std::unique(train.begin(), train.end()), train.end());
  for (const auto& id : train) {
    if (ok.count(id) != 0) pool.push_back(id);
  }
  if (count > static_cast<int>(pool.size())) {
    throw std::invalid_argument("[label_budget_too_large] " + std::to_string(count) +
                                " labelled subjects requested, the training split has " +
                                std::to_string(pool.size()));
  }
  // One permutation per seed, independent of count: the draw for N is its first N entries.
  Rng rng = Rng::derive(seed, {kTagBudget});
  rng.shuffle(pool);
  LabelBudget budget;
  budget.subjects = count;
  budget.seed = seed;
  const std::size_t take = count == 0 ? pool.size() : static_cast<std::size_t>(count);
  budget.labelled.assign(pool.begin(), pool.begin() + static_cast<std::ptrdiff_t>(take));
  std::sort(budget.labelled.begin(), budget.labelled.end());
  return budget;
}

void writeJsonAtomically(const std::string& path, const nlohmann::json& j) {
  writeTextAtomically(path, j.dump(2) + "\n");
}

void writeTextAtomically(const std::string& path, const std::string& text) {
  const fs::path target(path);
  std::error_code ec;
  if (target.has_parent_path()) fs::create_directories(target.parent_path(), ec);
  const fs::path tmp = target.string() + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) {
      fs::remove(tmp, ec);
      throw std::runtime_error("[cannot_write] " + tmp.string());
    }
  }
  fs::rename(tmp, target, ec);
  if (ec) {
    const std::string why = ec.message();
    fs::remove(tmp, ec);
    throw std::runtime_error("[cannot_write] " + path + ": " + why);
  }
}

}  // namespace planelab::data
