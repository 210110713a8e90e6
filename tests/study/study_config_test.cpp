#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "study/study.h"
#include "temp_dir.h"

namespace planelab::study {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;

json tinyStudy(const std::string& out) {
  json study = json::parse(R"({
    "name": "tiny", "profile": "test",
    "defaults": {"phantom": {"subjects": 6, "seed": 3, "cine_phases": 4},
                 "plan": {"grid": {"spacing_mm": 5.0, "size": 48}},
                 "seeds": [1, 2]},
    "experiments": [
      {"id": "seg", "arms": ["scratch", "multitask"], "label_budgets": [1, 2]},
      {"id": "cls", "pretraining_from": "seg", "arms": ["scratch", "multitask"],
       "finetune": {"task": "classification"}, "label_budgets": [3]},
      {"id": "knee", "phantom": {"organ": "knee", "subjects": 4},
       "plan": {"organ": "knee", "grid": {"spacing_mm": 5.0, "size": 48}, "views": ["sag"],
                "heatmap_views": ["cor", "ax"]},
       "seeds": [1], "arms": ["scratch"]}
    ],
    "statistics": {"bootstrap_samples": 500, "seed": 7, "confidence": 0.9}
  })");
  study["out"] = out;
  return study;
}

std::string errorOf(const json& config) {
  try {
    studyFromJson(config);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(StudyConfig, DefaultsMergeIntoEachExperimentAndPathsArePlaced) {
  const auto config = studyFromJson(tinyStudy("/tmp/s"));
  ASSERT_EQ(config.experiments.size(), 3u);
  const auto& seg = config.experiments[0];
  EXPECT_EQ(seg.id, "seg");
  EXPECT_EQ(seg.config.out, "/tmp/s/seg");
  EXPECT_EQ(seg.config.seeds, (std::vector<std::uint64_t>{1, 2}));
  EXPECT_EQ(seg.config.phantom->subjects, 6);
  const auto& cls = config.experiments[1];
  EXPECT_EQ(cls.pretraining_from, "seg");
  EXPECT_EQ(cls.config.pretraining_from, "/tmp/s/seg");
  EXPECT_EQ(cls.config.finetune.task, "classification");
  // A top-level field of an experiment replaces the default whole (knee's phantom and plan).
  const auto& knee = config.experiments[2];
  EXPECT_EQ(knee.config.plan.organ, "knee");
  EXPECT_EQ(knee.config.phantom->subjects, 4);
  EXPECT_EQ(knee.config.seeds, (std::vector<std::uint64_t>{1}));
  EXPECT_EQ(config.statistics.samples, 500);
  EXPECT_EQ(config.statistics.seed, 7u);
  // Round trip through the file's form.
  EXPECT_EQ(studyFromJson(config.toJson()).toJson(), config.toJson());
  // Steps: the classification experiment has no prepare or pretraining of its own to run.
  int cls_pretrain = 0;
  for (const auto& [id, step] : planStudy(config)) {
    if (id == "cls" && step.kind == experiment::Step::Kind::kPretrain) ++cls_pretrain;
    if (id == "cls" && step.kind == experiment::Step::Kind::kFinetune && step.arm == "multitask") {
      EXPECT_EQ(step.config.finetune.init,
                "/tmp/s/seg/pretrain/multitask-seed" + std::to_string(step.seed));
    }
    if (id == "cls" && step.kind == experiment::Step::Kind::kPrepare) {
      EXPECT_EQ(step.dir, "/tmp/s/seg/dataset");
    }
  }
  EXPECT_EQ(cls_pretrain, 0);
}

TEST(StudyConfig, RefusalsNameTheField) {
  auto c = tinyStudy("/tmp/s");
  c["experiments"][0]["finetune"] = {{"epochz", 3}};
  EXPECT_NE(errorOf(c).find("[invalid_config] study.experiments[0].finetune.epochz: unknown field"),
            std::string::npos)
      << errorOf(c);

  c = tinyStudy("/tmp/s");
  c["experiments"][1]["pretraining_from"] = "knee";  // a later experiment
  EXPECT_NE(errorOf(c).find("study.experiments[1].pretraining_from: names no earlier"),
            std::string::npos)
      << errorOf(c);

  c = tinyStudy("/tmp/s");
  c["experiments"][2]["id"] = "seg";
  EXPECT_NE(errorOf(c).find("study.experiments[2].id: repeats seg"), std::string::npos);

  c = tinyStudy("/tmp/s");
  c["experiments"][0]["id"] = "../up";
  EXPECT_NE(errorOf(c).find("study.experiments[0].id"), std::string::npos);

  c = tinyStudy("/tmp/s");
  c["experiments"][0]["out"] = "elsewhere";
  EXPECT_NE(errorOf(c).find("study.experiments[0].out: set by the study"), std::string::npos);

  c = tinyStudy("/tmp/s");
  c["defaults"]["out"] = "elsewhere";
  EXPECT_NE(errorOf(c).find("study.defaults.out"), std::string::npos);

  c = tinyStudy("/tmp/s");
  c["experiments"] = json::array();
  EXPECT_NE(errorOf(c).find("study.experiments"), std::string::npos);

  c = tinyStudy("/tmp/s");
  c["statistic"] = json::object();
  EXPECT_NE(errorOf(c).find("study.statistic: unknown field"), std::string::npos);

  c = tinyStudy("/tmp/s");
  c["statistics"]["confidence"] = 1.5;
  EXPECT_NE(errorOf(c).find("study.statistics.confidence"), std::string::npos);

  c = tinyStudy("");
  EXPECT_NE(errorOf(c).find("study.out"), std::string::npos);
}

TEST(StudyConfig, TheFolderIsClaimedOnce) {
  const auto dir = testing::freshTempDir("study", "claim");
  const auto config = studyFromJson(tinyStudy((dir / "s").string()));
  saveStudyConfig(config);
  ASSERT_TRUE(fs::exists(dir / "s" / "study.json"));
  EXPECT_NO_THROW(saveStudyConfig(config));  // the same study: resumed
  auto other_json = tinyStudy((dir / "s").string());
  other_json["name"] = "another";
  const auto other = studyFromJson(other_json);
  try {
    saveStudyConfig(other);
    FAIL() << "another study was allowed into the folder";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("[study_exists]"), std::string::npos);
  }
  std::ofstream(dir / "busy.txt") << "x";
  const auto busy = studyFromJson(tinyStudy(dir.string()));
  EXPECT_THROW(saveStudyConfig(busy), std::invalid_argument);
  // The stored file is still the first study's.
  std::ifstream in(dir / "s" / "study.json");
  EXPECT_EQ(json::parse(in)["name"], "tiny");
}

// The profiles shipped in studies/ stay valid: they parse, and the quick one has no data problem.
TEST(StudyConfig, ShippedProfilesAreValid) {
  const fs::path dir = PLANELAB_STUDIES_DIR;
  for (const char* name : {"quick.json", "paper.json"}) {
    StudyConfig config;
    ASSERT_NO_THROW(config = loadStudyConfig(dir / name)) << name;
    EXPECT_EQ(config.profile + ".json", name);
    EXPECT_GE(config.experiments.size(), 4u) << name;
  }
  const auto quick = loadStudyConfig(dir / "quick.json");
  for (const auto& entry : quick.experiments) {
    const auto counts = experiment::phantomCounts(*entry.config.phantom);
    std::optional<experiment::DataCounts> pool;
    if (experiment::usesPretrainingPool(entry.config))
      pool = experiment::phantomCounts(*entry.config.pretrain_pool->phantom);
    const auto problems =
        experiment::checkExperiment(entry.config, counts, pool ? &*pool : nullptr);
    EXPECT_TRUE(problems.empty()) << entry.id << ": "
                                  << (problems.empty() ? "" : problems[0].message);
  }
}

}  // namespace
}  // namespace planelab::study
