#include "data/splits.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "data_test_support.h"

namespace planelab::data {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> ids(int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) out.push_back("P" + std::to_string(1000 + i));
  return out;
}

std::string errorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

TEST(Splits, DeterministicDisjointAndCovering) {
  const auto subjects = ids(50);
  SplitOptions o;
  o.seed = 7;
  const SplitFile a = makeSplit(subjects, {}, o);
  const SplitFile b = makeSplit(subjects, {}, o);
  EXPECT_EQ(a.toJson(), b.toJson());
  o.seed = 8;
  EXPECT_NE(makeSplit(subjects, {}, o).train, a.train);
  EXPECT_EQ(a.train.size(), 30u);
  EXPECT_EQ(a.val.size(), 10u);
  EXPECT_EQ(a.test.size(), 10u);
  std::set<std::string> all;
  for (const auto* part : {&a.train, &a.val, &a.test}) {
    EXPECT_TRUE(std::is_sorted(part->begin(), part->end()));
    for (const auto& id : *part) EXPECT_TRUE(all.insert(id).second) << id << " twice";
  }
  EXPECT_EQ(all, std::set<std::string>(subjects.begin(), subjects.end()));
  EXPECT_EQ(a.partOf(a.val[0]), "val");
  EXPECT_EQ(a.partOf(a.train[3]), "train");
  EXPECT_EQ(a.partOf("nobody"), "");
  // Input order and duplicates do not matter.
  auto shuffled = subjects;
  std::reverse(shuffled.begin(), shuffled.end());
  shuffled.push_back(subjects[0]);
  o.seed = 7;
  EXPECT_EQ(makeSplit(shuffled, {}, o).toJson(), a.toJson());
}

TEST(Splits, StratifiedProportions) {
  // 60 "a", 30 "b", 10 "c": each part keeps about the cohort's proportions.
  std::vector<std::string> subjects = ids(100);
  std::vector<std::string> strata;
  for (int i = 0; i < 100; ++i) strata.push_back(i < 60 ? "a" : (i < 90 ? "b" : "c"));
  std::map<std::string, std::string> stratum_of;
  for (int i = 0; i < 100; ++i) stratum_of[subjects[i]] = strata[i];
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    SplitOptions o;
    o.seed = seed;
    const SplitFile s = makeSplit(subjects, strata, o);
    ASSERT_EQ(s.val.size(), 20u);
    ASSERT_EQ(s.test.size(), 20u);
    for (const auto* part : {&s.val, &s.test}) {
      std::map<std::string, int> count;
      for (const auto& id : *part) ++count[stratum_of[id]];
      EXPECT_EQ(count["a"], 12);
      EXPECT_EQ(count["b"], 6);
      EXPECT_EQ(count["c"], 2);
    }
  }
}

TEST(Splits, EveryPartNonEmptyFromThreeSubjects) {
  for (int n = 3; n <= 12; ++n) {
    for (double f : {0.0, 0.05, 0.2, 0.45}) {
      SplitOptions o;
      o.val_fraction = f;
      o.test_fraction = f;
      const SplitFile s = makeSplit(ids(n), {}, o);
      EXPECT_FALSE(s.train.empty()) << n << " " << f;
      EXPECT_FALSE(s.val.empty()) << n << " " << f;
      EXPECT_FALSE(s.test.empty()) << n << " " << f;
      EXPECT_EQ(s.train.size() + s.val.size() + s.test.size(), static_cast<std::size_t>(n));
    }
  }
  // Stratified with singleton strata as well.
  const SplitFile s = makeSplit(ids(3), {"x", "y", "z"}, SplitOptions{});
  EXPECT_EQ(s.train.size(), 1u);
  EXPECT_EQ(s.val.size(), 1u);
  EXPECT_EQ(s.test.size(), 1u);
  EXPECT_THROW(makeSplit(ids(3), {"x"}, SplitOptions{}), std::invalid_argument);
  SplitOptions bad;
  bad.val_fraction = 0.6;
  bad.test_fraction = 0.5;
  EXPECT_THROW(makeSplit(ids(10), {}, bad), std::invalid_argument);
}

TEST(Splits, JsonRoundTripAndInvalid) {
  SplitFile s = makeSplit(ids(10), {}, SplitOptions{});
  s.dataset_hash = "0123456789abcdef";
  const SplitFile t = SplitFile::fromJson(nlohmann::json::parse(s.toJson().dump()));
  EXPECT_EQ(t.toJson(), s.toJson());
  nlohmann::json j = s.toJson();
  j["val"].push_back(s.train[0]);
  EXPECT_EQ(errorOf([&] { SplitFile::fromJson(j); }).rfind("[invalid_split]", 0), 0u);
  j = s.toJson();
  j.erase("train");
  EXPECT_EQ(errorOf([&] { SplitFile::fromJson(j); }).rfind("[invalid_split]", 0), 0u);
}

TEST(Splits, LoadOrCreateReusesTheFileAndChecksSubjects) {
  const fs::path dir = testing::freshTempDir("splits_load_or_create");
  const std::string path = (dir / "nested" / "splits.json").string();
  const auto subjects = ids(20);
  SplitOptions o;
  o.seed = 3;
  const SplitFile first = loadOrCreateSplit(path, subjects, {}, o);
  ASSERT_TRUE(fs::exists(path));
  EXPECT_FALSE(fs::exists(path + ".tmp"));
  // Another seed: the file wins (drawn once per dataset).
  o.seed = 99;
  const SplitFile again = loadOrCreateSplit(path, subjects, {}, o);
  EXPECT_EQ(again.toJson(), first.toJson());
  EXPECT_EQ(again.seed, 3u);
  auto fewer = subjects;
  fewer.pop_back();
  const std::string e = errorOf([&] { loadOrCreateSplit(path, fewer, {}, o); });
  EXPECT_EQ(e.rfind("[split_mismatch]", 0), 0u) << e;
  auto more = subjects;
  more.push_back("new");
  EXPECT_EQ(errorOf([&] { loadOrCreateSplit(path, more, {}, o); }).rfind("[split_mismatch]", 0),
            0u);
}

TEST(LabelBudget, NestedAcrossSizesAndTooLarge) {
  SplitOptions o;
  o.val_fraction = 0.1;
  o.test_fraction = 0.1;
  const SplitFile split = makeSplit(ids(40), {}, o);
  ASSERT_EQ(split.train.size(), 32u);
  // Eligible: every other training subject plus some non-training ones (ignored).
  std::vector<std::string> eligible;
  for (std::size_t i = 0; i < split.train.size(); i += 2) eligible.push_back(split.train[i]);
  eligible.push_back(split.val[0]);
  std::set<std::string> previous;
  for (int n = 1; n <= 16; ++n) {
    const LabelBudget b = drawLabelBudget(split, eligible, n, 5);
    ASSERT_EQ(b.labelled.size(), static_cast<std::size_t>(n));
    EXPECT_TRUE(std::is_sorted(b.labelled.begin(), b.labelled.end()));
    const std::set<std::string> now(b.labelled.begin(), b.labelled.end());
    for (const auto& id : previous)
      EXPECT_EQ(now.count(id), 1u) << "budget " << n << " lost " << id;
    for (const auto& id : now) EXPECT_EQ(split.partOf(id), "train");
    previous = now;
  }
  EXPECT_EQ(drawLabelBudget(split, eligible, 0, 5).labelled.size(), 16u);
  EXPECT_NE(drawLabelBudget(split, eligible, 4, 5).labelled,
            drawLabelBudget(split, eligible, 4, 6).labelled);
  const std::string e = errorOf([&] { drawLabelBudget(split, eligible, 17, 5); });
  EXPECT_EQ(e.rfind("[label_budget_too_large]", 0), 0u) << e;
  const LabelBudget b = drawLabelBudget(split, eligible, 3, 5);
  EXPECT_EQ(LabelBudget::fromJson(nlohmann::json::parse(b.toJson().dump())).toJson(), b.toJson());
}

TEST(Splits, WriteJsonAtomicallyReplaces) {
  const fs::path dir = testing::freshTempDir("splits_atomic");
  const std::string path = (dir / "a.json").string();
  writeJsonAtomically(path, {{"x", 1}});
  writeJsonAtomically(path, {{"x", 2}});
  std::ifstream in(path);
  EXPECT_EQ(nlohmann::json::parse(in)["x"], 2);
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir)) ++files;
  EXPECT_EQ(files, 1u);
}

}  // namespace
}  // namespace planelab::data
