// The experiment config, its data counts, problems and steps: strict JSON and its round trip, every
// problem key on hand-made counts, counts of a phantom cohort and of a curated catalog, and the
// run order and states planSteps reads from disk.
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>
#include <set>
#include <stdexcept>

#include "catalog/catalog_test_support.h"
#include "curation/curate_catalog.h"
#include "experiment/experiment.h"

namespace planelab::experiment {
namespace {
namespace fs = std::filesystem;

fs::path root() {
  const char* dir = std::getenv("PLANELAB_TEST_TMP");
  // Per process: CTest runs each test in its own process, two at a time.
  return fs::path(dir ? dir : "/tmp") / "experiment" / std::to_string(::getpid());
}

nlohmann::json minimal() {
  return {{"out", "exp"}, {"phantom", {{"subjects", 6}}}};
}

// The message of the std::invalid_argument experimentFromJson throws, or "" when it accepts.
std::string refusal(const nlohmann::json& json) {
  try {
    experimentFromJson(json);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(ExperimentConfig, MinimalConfigTakesTheDefaults) {
  const ExperimentConfig c = experimentFromJson(minimal());
  EXPECT_EQ(c.out, "exp");
  ASSERT_TRUE(c.phantom.has_value());
  EXPECT_FALSE(c.catalog.has_value());
  EXPECT_EQ(c.phantom->subjects, 6);
  EXPECT_EQ(c.phantom->study.phases, 25);
  EXPECT_EQ(c.pretrain.task, "pretrain");
  EXPECT_EQ(c.finetune.task, "segmentation");  // a fine-tuning template without a task
  EXPECT_EQ(c.finetune.batch_size, train::defaultConfig("segmentation").batch_size);
  EXPECT_EQ(c.arms, (std::vector<std::string>{"scratch", "multitask"}));
  EXPECT_EQ(c.label_budgets, std::vector<int>{0});
  EXPECT_EQ(c.seeds, std::vector<std::uint64_t>{1});
  EXPECT_EQ(c.plan.toJson(), data::PreprocessingPlan{}.toJson());
}

TEST(ExperimentConfig, JsonRoundTripKeepsEveryField) {
  nlohmann::json j = {
      {"name", "label efficiency"},
      {"out", "runs/exp1"},
      {"catalog",
       {{"path", "c.planelab"}, {"studies", {"1.2.3", "1.2.4"}}, {"class_labels", "s.csv"}}},
      {"plan", {{"grid", {{"spacing_mm", 2.5}, {"size", 96}}}, {"phases", "ed_es"}}},
      {"pretrain",
       {{"epochs", 7}, {"network", {{"base_width", 8}}}, {"optimizer", {{"lr", 3e-4}}}}},
      {"finetune",
       {{"task", "classification"}, {"epochs", 9}, {"finetune", {{"transfer", "encoder"}}}}},
      {"arms", {"scratch", "control", "genesis"}},
      {"label_budgets", {1, 4, 0}},
      {"seeds", {3, 1}},
      {"jobs", 2}};
  const ExperimentConfig c = experimentFromJson(j);
  EXPECT_EQ(c.name, "label efficiency");
  ASSERT_TRUE(c.catalog.has_value());
  EXPECT_EQ(c.catalog->studies.size(), 2u);
  EXPECT_EQ(c.plan.grid.size, 96);
  EXPECT_EQ(c.plan.phases, data::PhaseSelection::kEdEs);
  EXPECT_EQ(c.pretrain.epochs, 7);
  EXPECT_EQ(c.pretrain.network.base_width, 8);
  EXPECT_EQ(c.finetune.task, "classification");
  EXPECT_EQ(c.finetune.finetune.transfer, "encoder");
  EXPECT_EQ(c.seeds, (std::vector<std::uint64_t>{3, 1}));
  const nlohmann::json written = c.toJson();
  EXPECT_EQ(experimentFromJson(written).toJson(), written);
  // The per-run fields are not written (they would be refused on reading).
  EXPECT_FALSE(written["pretrain"].contains("seed"));
  EXPECT_FALSE(written["pretrain"]["pretext"].contains("variant"));
  EXPECT_FALSE(written["finetune"]["finetune"].contains("init"));
  EXPECT_TRUE(written["finetune"]["finetune"].contains("transfer"));

  const ExperimentConfig phantom = experimentFromJson(minimal());
  EXPECT_EQ(experimentFromJson(phantom.toJson()).toJson(), phantom.toJson());
  EXPECT_FALSE(phantom.toJson().contains("pretrain_pool"));
}

TEST(ExperimentConfig, APretrainingPoolHasItsOwnSourceAndSplit) {
  nlohmann::json j = minimal();
  j["pretrain_pool"] = {{"phantom",
                         {{"subjects", 40},
                          {"first_subject", 6},
                          {"labels", "none"},
                          {"knobs",
                           {{"inplane_rotation_sd_sax_deg", 40.0},
                            {"inplane_family_probability", 0.25},
                            {"papillary_muscles", false}}}}}};
  // The pool is a dataset of its own: its split may differ from the fine-tuning one.
  j["pretrain"] = {{"split", {{"val_fraction", 0.1}, {"test_fraction", 0.1}}}};
  const ExperimentConfig c = experimentFromJson(j);
  ASSERT_TRUE(c.pretrain_pool.has_value());
  ASSERT_TRUE(c.pretrain_pool->phantom.has_value());
  EXPECT_FALSE(c.pretrain_pool->catalog.has_value());
  EXPECT_EQ(c.pretrain_pool->phantom->first_subject, 6);
  EXPECT_EQ(c.pretrain_pool->phantom->subjects, 40);
  EXPECT_EQ(c.pretrain_pool->phantom->study.labels, phantom::StudyOptions::Labels::kNone);
  EXPECT_EQ(c.phantom->first_subject, 0);
  // Knobs replace the level's values; the rest stay the level's (L2: 8 deg, p 0.10).
  const phantom::DifficultyKnobs& knobs = c.pretrain_pool->phantom->study.knobs;
  EXPECT_DOUBLE_EQ(knobs.inplane_rotation_sd_sax_deg, 40.0);
  EXPECT_DOUBLE_EQ(knobs.inplane_family_probability, 0.25);
  EXPECT_FALSE(knobs.papillary_muscles);
  EXPECT_DOUBLE_EQ(c.phantom->study.knobs.inplane_rotation_sd_sax_deg, 8.0);
  EXPECT_DOUBLE_EQ(knobs.inplane_rotation_sd_lax_deg, 15.0);
  const nlohmann::json written = c.toJson();
  EXPECT_EQ(written["pretrain_pool"]["phantom"]["first_subject"], 6);
  // Only departures from the level are written (L2 has papillary muscles: a departure).
  EXPECT_EQ(written["pretrain_pool"]["phantom"]["knobs"],
            (nlohmann::json{{"inplane_family_probability", 0.25},
                            {"inplane_rotation_sd_sax_deg", 40.0},
                            {"papillary_muscles", 0.0}}));
  EXPECT_FALSE(written["phantom"].contains("knobs"));
  EXPECT_EQ(experimentFromJson(written).toJson(), written);

  // One split file for the pool and the fine-tuning data would name the wrong subjects.
  nlohmann::json shared_file = j;
  shared_file["pretrain"]["split"]["file"] = "splits.json";
  shared_file["finetune"] = {{"split", {{"file", "splits.json"}}}};
  EXPECT_NE(refusal(shared_file).find("experiment.pretrain.split.file: the pool is a dataset"),
            std::string::npos)
      << refusal(shared_file);

  nlohmann::json catalog_pool = minimal();
  catalog_pool["pretrain_pool"] = {{"catalog", {{"path", "unlabelled.planelab"}}}};
  const ExperimentConfig from_catalog = experimentFromJson(catalog_pool);
  ASSERT_TRUE(from_catalog.pretrain_pool->catalog.has_value());
  EXPECT_EQ(from_catalog.pretrain_pool->catalog->catalog, "unlabelled.planelab");
  EXPECT_EQ(experimentFromJson(from_catalog.toJson()).toJson(), from_catalog.toJson());
}

TEST(ExperimentConfig, RefusesWhatItCannotRunWithThePathOfTheField) {
  const auto with = [](const char* key, const nlohmann::json& value) {
    nlohmann::json j = minimal();
    j[key] = value;
    return j;
  };
  const std::vector<std::pair<nlohmann::json, std::string>> cases = {
      {with("arm", nlohmann::json::array({"scratch"})), "experiment.arm: unknown field"},
      {with("arms", "scratch"), "experiment.arms: expected an array"},
      {with("arms", nlohmann::json::array({"scratch", "magic"})), "experiment.arms: unknown arm"},
      {with("arms", nlohmann::json::array()), "experiment.arms: must not be empty"},
      {with("label_budgets", {2, 2}), "experiment.label_budgets: must not repeat"},
      {with("label_budgets", {-1}), "experiment.label_budgets: budgets must be >= 0"},
      {with("seeds", nlohmann::json::array()), "experiment.seeds: must not be empty"},
      {with("seeds", {-3}), "experiment.seeds: expected an array of non-negative"},
      {with("seeds", {1.5}), "experiment.seeds: expected an array of non-negative"},
      {with("jobs", -1), "experiment.jobs"},
      {with("out", ""), "experiment.out"},
      {with("catalog", {{"path", "c.planelab"}}), "experiment: give exactly one source"},
      {nlohmann::json{{"out", "x"}}, "experiment: give exactly one source"},
      {nlohmann::json{{"out", "x"}, {"catalog", {{"studies", {"1"}}}}}, "experiment.catalog.path"},
      {with("phantom", {{"organ", "lung"}}), "experiment.phantom.organ"},
      {with("phantom", {{"level", "L9"}}), "experiment.phantom.level"},
      {with("phantom", {{"labels", "some"}}), "experiment.phantom.labels"},
      {with("phantom", {{"subjects", 0}}), "experiment.phantom.subjects"},
      {with("phantom", {{"organ", "knee"}}), "experiment.plan.organ: is heart but the phantom"},
      {with("plan", {{"grid", {{"spacing_mm", 1.0}, {"size", -4}}}}), "experiment.plan: grid"},
      {with("plan", {{"colour", "red"}}), "experiment.plan"},
      {with("pretrain", {{"epoch", 3}}), "experiment.pretrain.epoch: unknown field"},
      {with("pretrain", {{"epochs", 2.5}}), "experiment.pretrain.epochs: expected an integer"},
      {with("pretrain", {{"pretext", {{"alpha", 1}}}}), "experiment.pretrain.pretext.alpha"},
      {with("pretrain", {{"task", "segmentation"}}), "experiment.pretrain.task: expected pretrain"},
      {with("finetune", {{"task", "pretrain"}}), "experiment.finetune.task: expected segmentation"},
      {with("finetune", {{"split", {{"seed", 4}}}}), "experiment.finetune.split: must equal"},
      {with("phantom", {{"first_subject", -1}}),
       "experiment.phantom.first_subject: must be in [0, 1000000]"},
      {with("pretrain_pool", nlohmann::json::object()),
       "experiment.pretrain_pool: give exactly one source"},
      {with("pretrain_pool", {{"phantom", {{"subjects", 5}}}, {"catalog", {{"path", "c"}}}}),
       "experiment.pretrain_pool: give exactly one source"},
      {with("pretrain_pool", {{"phantom", {{"organ", "knee"}}}}),
       "experiment.pretrain_pool.phantom.organ: is knee but plan.organ is heart"},
      {with("pretrain_pool", {{"phantom", {{"subject", 5}}}}),
       "experiment.pretrain_pool.phantom.subject: unknown field"},
      {with("pretrain_pool", {{"catalog", {{"studies", {"1"}}}}}),
       "experiment.pretrain_pool.catalog.path"},
      {with("pretrain_pool", {{"phantom", {}}, {"size", 3}}),
       "experiment.pretrain_pool.size: unknown field"},
      {with("phantom", {{"first_subject", 2000000}}), "experiment.phantom.first_subject"},
      {with("phantom", {{"knobs", {{"snr", 5}}}}), "experiment.phantom.knobs.snr: [unknown_knob]"},
      {with("phantom", {{"knobs", {{"inplane_family_probability", 1.5}}}}),
       "experiment.phantom.knobs.inplane_family_probability: [bad_knob_value]"},
      {with("phantom", {{"knobs", {{"snr_min", "high"}}}}),
       "experiment.phantom.knobs.snr_min: expected a number"},
      {with("phantom", {{"knobs", {{"snr_min", 30}, {"snr_max", 10}}}}),
       "experiment.phantom.knobs: [bad_knob_value] a minimum is above its maximum"},
      {with("phantom", {{"knobs", {1, 2}}}), "experiment.phantom.knobs: expected an object"},
  };
  for (const auto& [json, expected] : cases) {
    const std::string message = refusal(json);
    EXPECT_EQ(message.rfind("[invalid_config] ", 0), 0u) << json.dump() << " -> " << message;
    EXPECT_NE(message.find(expected), std::string::npos) << json.dump() << " -> " << message;
  }
}

TEST(ExperimentConfig, TemplatesRefuseTheFieldsSetPerRun) {
  const std::vector<std::pair<std::string, nlohmann::json>> pretrain = {
      {"dataset", {{"dataset", "d"}}},
      {"out", {{"out", "o"}}},
      {"seed", {{"seed", 2}}},
      {"pretext.variant", {{"pretext", {{"variant", "location"}}}}},
      {"pretext.permute_targets", {{"pretext", {{"permute_targets", true}}}}}};
  for (const auto& [field, json] : pretrain) {
    nlohmann::json j = minimal();
    j["pretrain"] = json;
    EXPECT_NE(refusal(j).find("[invalid_config] experiment.pretrain." + field +
                              ": set by the "
                              "experiment"),
              std::string::npos)
        << refusal(j);
  }
  const std::vector<std::pair<std::string, nlohmann::json>> finetune = {
      {"dataset", {{"dataset", "d"}}},
      {"out", {{"out", "o"}}},
      {"seed", {{"seed", 2}}},
      {"finetune.init", {{"finetune", {{"init", "run"}}}}},
      {"finetune.labelled_subjects", {{"finetune", {{"labelled_subjects", 3}}}}},
      {"finetune.budget_seed", {{"finetune", {{"budget_seed", 3}}}}}};
  for (const auto& [field, json] : finetune) {
    nlohmann::json j = minimal();
    j["finetune"] = json;
    EXPECT_NE(refusal(j).find("[invalid_config] experiment.finetune." + field +
                              ": set by the "
                              "experiment"),
              std::string::npos)
        << refusal(j);
  }
  // The other template fields are allowed, e.g. the pretext weights and the transfer mode.
  nlohmann::json j = minimal();
  j["pretrain"] = {{"pretext", {{"heatmap_weight", 2.0}}}};
  j["finetune"] = {{"finetune", {{"checkpoint", "last"}}}};
  EXPECT_EQ(refusal(j), "");
}

TEST(ExperimentConfig, ArmNamesAreTheDocumentedSix) {
  EXPECT_EQ(armNames(), (std::vector<std::string>{"scratch", "multitask", "orientation", "location",
                                                  "genesis", "control"}));
}

// Counts with everything the default experiment needs (SAX stacks, 2CH/4CH, labels, classes).
DataCounts goodCounts() {
  DataCounts d;
  d.subjects = 10;
  d.studies = 10;
  d.planes_by_view = {{"sax", 100}, {"2ch", 10}, {"4ch", 10}};
  d.stacked_planes_by_view = {{"sax", 100}};
  d.labelled_images = 200;
  d.labelled_images_by_view = {{"sax", 200}};
  d.labelled_subjects = 10;
  d.label_names = {"lv", "myo", "rv"};
  d.subjects_by_class = {{"NOR", 5}, {"DCM", 5}};
  return d;
}

TEST(ExperimentCheck, GoodDataHasNoProblem) {
  const ExperimentConfig c = experimentFromJson(minimal());
  EXPECT_TRUE(checkExperiment(c, goodCounts()).empty());
}

TEST(ExperimentCheck, EveryKeyOnItsPage) {
  ExperimentConfig c = experimentFromJson(minimal());
  c.arms = {"scratch", "multitask"};
  const auto only = [&](const ExperimentConfig& config, const DataCounts& d, const std::string& key,
                        const std::string& page) {
    const auto problems = checkExperiment(config, d);
    ASSERT_EQ(problems.size(), 1u) << key << ": " << problems.size() << " problems";
    EXPECT_EQ(problems[0].key, key);
    EXPECT_EQ(problems[0].page, page) << key;
    EXPECT_FALSE(problems[0].message.empty()) << key;
  };
  {
    DataCounts d = goodCounts();
    d.subjects = 2;
    only(c, d, "too_few_subjects", "data");
  }
  {
    ExperimentConfig scratch = c;
    scratch.arms = {"scratch"};
    scratch.plan.views = {"3ch"};
    scratch.finetune = train::defaultConfig("classification");  // no image labels needed
    only(scratch, goodCounts(), "no_sample_views", "data");
  }
  for (const char* arm : {"multitask", "orientation", "control"}) {
    DataCounts d = goodCounts();
    d.planes_by_view = {{"sax", 100}, {"3ch", 10}};
    ExperimentConfig one = c;
    one.arms = {arm};
    only(one, d, "no_heatmap_views", "pretext");
  }
  for (const char* arm : {"multitask", "location", "control"}) {
    DataCounts d = goodCounts();
    d.stacked_planes_by_view = {{"2ch", 3}};
    ExperimentConfig one = c;
    one.arms = {arm};
    only(one, d, "no_location_stacks", "pretext");
  }
  {
    // Genesis needs neither stacks nor heatmap views.
    DataCounts d = goodCounts();
    d.stacked_planes_by_view.clear();
    d.planes_by_view = {{"sax", 100}};
    ExperimentConfig genesis = c;
    genesis.arms = {"genesis"};
    EXPECT_TRUE(checkExperiment(genesis, d).empty());
  }
  {
    ExperimentConfig odd = c;
    odd.plan.grid.size = 100;  // not divisible by 2^4 (depth 5)
    odd.arms = {"scratch"};
    only(odd, goodCounts(), "network_invalid", "network");
  }
  {
    ExperimentConfig mismatch = c;
    mismatch.finetune.network.base_width = 32;
    only(mismatch, goodCounts(), "network_mismatch", "network");
    mismatch.arms = {"scratch"};  // nothing is transferred
    EXPECT_TRUE(checkExperiment(mismatch, goodCounts()).empty());
  }
  {
    DataCounts d = goodCounts();
    d.labelled_images_by_view = {{"2ch", 20}};  // labels, but not on the sample views
    only(c, d, "no_labels", "target");
  }
  {
    ExperimentConfig classify = c;
    classify.finetune = train::defaultConfig("classification");
    DataCounts d = goodCounts();
    d.subjects_by_class.clear();
    only(classify, d, "no_class_labels", "target");
    d.subjects_by_class = {{"NOR", 10}};
    only(classify, d, "single_class", "target");
    d = goodCounts();
    d.labelled_subjects = 0;  // image labels do not matter for classification
    d.labelled_images_by_view.clear();
    EXPECT_TRUE(checkExperiment(classify, d).empty());
    classify.label_budgets = {4, 11};
    only(classify, goodCounts(), "budget_exceeds_labelled", "target");
  }
  {
    ExperimentConfig budgets = c;
    budgets.label_budgets = {2, 10, 11, 0};
    only(budgets, goodCounts(), "budget_exceeds_labelled", "target");
    EXPECT_NE(checkExperiment(budgets, goodCounts())[0].message.find("11"), std::string::npos);
  }
}

int total(const std::map<std::string, int>& counts) {
  return std::accumulate(counts.begin(), counts.end(), 0,
                         [](int sum, const auto& item) { return sum + item.second; });
}

TEST(ExperimentPhantomCounts, CountsTheCohortAsPrepareSeesIt) {
  prepare::PhantomCohort cohort;
  cohort.seed = 5;
  cohort.subjects = 4;
  cohort.study.phases = 4;
  const DataCounts d = phantomCounts(cohort);
  EXPECT_EQ(d.subjects, 4);
  EXPECT_EQ(d.studies, 4);
  EXPECT_GE(d.planes_by_view.at("sax"), 4 * 6);
  EXPECT_GE(d.planes_by_view.at("2ch"), 4);
  EXPECT_GE(d.planes_by_view.at("4ch"), 4);
  EXPECT_EQ(d.stacked_planes_by_view.at("sax"), d.planes_by_view.at("sax"));
  EXPECT_EQ(d.stacked_planes_by_view.count("2ch"), 0u);
  EXPECT_EQ(d.labelled_subjects, 4);
  EXPECT_GT(d.labelled_images_by_view.at("sax"), 0);
  EXPECT_EQ(total(d.labelled_images_by_view), d.labelled_images);
  // ED/ES labels: two labelled phases per labelled plane.
  EXPECT_EQ(d.labelled_images % 2, 0);
  const auto names = phantom::generateStudy(cohort.seed, 0, cohort.study).label_names;
  ASSERT_EQ(names.size(), 4u);  // background and three structures
  EXPECT_EQ(d.label_names, std::vector<std::string>(names.begin() + 1, names.end()));
  EXPECT_EQ(total(d.subjects_by_class), 4);

  cohort.study.labels = phantom::StudyOptions::Labels::kAll;
  const DataCounts all = phantomCounts(cohort);
  EXPECT_EQ(all.labelled_images, d.labelled_images / 2 * 4);  // every one of the 4 phases
  cohort.study.labels = phantom::StudyOptions::Labels::kNone;
  const DataCounts none = phantomCounts(cohort);
  EXPECT_EQ(none.labelled_images, 0);
  EXPECT_EQ(none.labelled_subjects, 0);
  EXPECT_TRUE(none.label_names.empty());
  EXPECT_EQ(none.planes_by_view, d.planes_by_view);
}

TEST(ExperimentPhantomCounts, KneesHaveTheirOwnViewsAndNoClasses) {
  prepare::PhantomCohort cohort;
  cohort.subjects = 2;
  cohort.study.organ = phantom::Organ::kKnee;
  const DataCounts d = phantomCounts(cohort);
  EXPECT_EQ(d.subjects, 2);
  for (const char* view : {"sag", "cor", "ax"}) {
    ASSERT_TRUE(d.planes_by_view.count(view)) << view;
    EXPECT_GT(d.stacked_planes_by_view.at(view), 0) << view;
  }
  EXPECT_TRUE(d.subjects_by_class.empty());
}

// Three patients imported (P1: 3 SAX slices, two of them labelled; P2: 1 slice; P3: 2 slices) and
// curated; class labels for P1 and P2.
class ExperimentCatalogCounts : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = root() / "catalog_counts";
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    catalog_ = catalog::testing::openOrFail(dir_ / "c.planelab");
    std::vector<catalog::FileRecord> files;
    const auto add = [&](int patient, int images) {
      for (int i = 1; i <= images; ++i) {
        catalog::FileRecord file = catalog::testing::mrImage(
            (dir_ / ("p" + std::to_string(patient) + "_" + std::to_string(i))).string(), patient, 1,
            1, i);
        // Slices 8 mm apart along the plane normal (row x column direction of mrImage's IOP).
        auto& instance = file.instances.front();
        const auto& o = *instance.image_orientation_patient;
        const double normal[3] = {o[1] * o[5] - o[2] * o[4], o[2] * o[3] - o[0] * o[5],
                                  o[0] * o[4] - o[1] * o[3]};
        for (int axis = 0; axis < 3; ++axis)
          (*instance.image_position_patient)[static_cast<std::size_t>(axis)] =
              8.0 * i * normal[axis];
        files.push_back(std::move(file));
      }
    };
    add(1, 3);
    add(2, 1);
    add(3, 2);
    files.push_back(catalog::testing::segmentation((dir_ / "seg").string(), "9.9.9",
                                                   {"1.2.1.1.1.1", "1.2.1.1.1.2"}));
    catalog::Status status;
    const std::int64_t run = catalog_->beginRun("{}", "{}", status);
    ASSERT_TRUE(status.ok()) << status.message;
    ASSERT_TRUE(catalog_->writeBatch(run, files, nullptr).ok());
    ASSERT_TRUE(catalog_->finishRun(run, "complete", "{}").ok());
    curation::CatalogCurationOptions options;
    options.study.misalignment = false;
    curation::CatalogCurationSummary summary;
    ASSERT_TRUE(curation::curateCatalog(*catalog_, options, nullptr, nullptr, &summary).ok());
    classes_ = (dir_ / "classes.csv").string();
    std::ofstream(classes_) << "patient_id,group\nP1,NOR\nP2,DCM\n";
  }

  fs::path dir_;
  std::unique_ptr<catalog::Catalog> catalog_;
  std::string classes_;
};

TEST_F(ExperimentCatalogCounts, CountsTheStoredCurationAndLabels) {
  CatalogSource source;
  source.catalog = (dir_ / "c.planelab").string();
  source.class_labels = classes_;
  catalog::Status status;
  const DataCounts d = catalogCounts(*catalog_, source, status);
  ASSERT_TRUE(status.ok()) << status.error_key << " " << status.message;
  EXPECT_EQ(d.subjects, 3);
  EXPECT_EQ(d.studies, 3);
  ASSERT_EQ(d.planes_by_view.size(), 1u);
  const std::string view = d.planes_by_view.begin()->first;
  EXPECT_EQ(view, "sax");
  EXPECT_EQ(d.planes_by_view.at(view), 6);
  EXPECT_EQ(d.stacked_planes_by_view.at(view), 5);  // P2's single slice is no stack
  EXPECT_EQ(d.labelled_images, 2);
  EXPECT_EQ(d.labelled_images_by_view.at(view), 2);
  EXPECT_EQ(d.labelled_subjects, 1);
  EXPECT_EQ(d.label_names, std::vector<std::string>{"Left ventricle"});
  EXPECT_EQ(d.subjects_by_class, (std::map<std::string, int>{{"DCM", 1}, {"NOR", 1}}));

  source.studies = {"1.2.2.1"};
  const DataCounts p2 = catalogCounts(*catalog_, source, status);
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(p2.subjects, 1);
  EXPECT_EQ(p2.planes_by_view.at(view), 1);
  EXPECT_EQ(p2.stacked_planes_by_view.count(view), 0u);
  EXPECT_EQ(p2.labelled_images, 0);
  EXPECT_EQ(p2.subjects_by_class, (std::map<std::string, int>{{"DCM", 1}}));

  source.studies = {"1.2.404.1"};
  catalogCounts(*catalog_, source, status);
  EXPECT_EQ(status.error_key, "unknown_study");

  source.studies.clear();
  source.class_labels = (dir_ / "missing.csv").string();
  EXPECT_THROW(catalogCounts(*catalog_, source, status), std::runtime_error);
}

// Creates a file (and its folders).
void touch(const fs::path& file) {
  fs::create_directories(file.parent_path());
  std::ofstream(file) << "{}";
}

TEST(ExperimentPlanSteps, APoolIsPreparedSecondAndOnlyPretrainingLearnsFromIt) {
  const fs::path out = root() / "plan_steps_pool";
  fs::remove_all(out);
  nlohmann::json j = minimal();
  j["out"] = out.string();
  j["pretrain_pool"] = {{"phantom", {{"subjects", 20}, {"first_subject", 6}}}};
  const ExperimentConfig c = experimentFromJson(j);
  touch(out / "pretrain-dataset" / "dataset.json");
  const auto steps = planSteps(c);
  ASSERT_EQ(steps.size(), 2u + 1 + 2);  // 2 prepares, multitask pretraining, 2 fine-tunings
  EXPECT_EQ(steps[0].kind, Step::Kind::kPrepare);
  EXPECT_FALSE(steps[0].pool);
  EXPECT_EQ(steps[0].dir, (out / "dataset").string());
  EXPECT_EQ(steps[0].state, "todo");
  EXPECT_EQ(steps[1].kind, Step::Kind::kPrepare);
  EXPECT_TRUE(steps[1].pool);
  EXPECT_EQ(steps[1].dir, (out / "pretrain-dataset").string());
  EXPECT_EQ(steps[1].state, "done");
  EXPECT_EQ(steps[2].kind, Step::Kind::kPretrain);
  EXPECT_EQ(steps[2].config.dataset, (out / "pretrain-dataset").string());
  for (std::size_t i = 3; i < steps.size(); ++i)
    EXPECT_EQ(steps[i].config.dataset, (out / "dataset").string());

  // Fine-tuning from another experiment's pretraining: no prepares of the pool here.
  ExperimentConfig shared = c;
  shared.pretraining_from = out.string();
  shared.out = (root() / "plan_steps_pool_shared").string();
  const auto shared_steps = planSteps(shared);
  ASSERT_EQ(shared_steps.size(), 1u + 2);
  EXPECT_EQ(shared_steps[0].dir, (out / "dataset").string());

  // Only scratch: nothing is pretrained, the pool is neither prepared nor needed.
  ExperimentConfig scratch = c;
  scratch.arms = {"scratch"};
  EXPECT_FALSE(usesPretrainingPool(scratch));
  EXPECT_TRUE(usesPretrainingPool(c));
  const auto scratch_steps = planSteps(scratch);
  ASSERT_EQ(scratch_steps.size(), 1u + 1);
  EXPECT_FALSE(scratch_steps[0].pool);
  EXPECT_EQ(scratch_steps[1].kind, Step::Kind::kFinetune);
  EXPECT_TRUE(checkExperiment(scratch, goodCounts()).empty());
}

TEST(ExperimentCheck, PretextProblemsAreCheckedOnThePool) {
  nlohmann::json j = minimal();
  j["pretrain_pool"] = {{"phantom", {{"subjects", 20}, {"first_subject", 6}}}};
  const ExperimentConfig c = experimentFromJson(j);
  DataCounts pool;  // no sample views, no heatmap views, no stacks, too few subjects
  pool.subjects = 2;
  pool.planes_by_view = {{"ax", 2}};
  std::set<std::string> keys;
  for (const auto& p : checkExperiment(c, goodCounts(), &pool)) {
    keys.insert(p.key);
    if (p.key != "too_few_subjects") {
      EXPECT_NE(p.message.find("in the pretraining pool"), std::string::npos) << p.message;
    }
  }
  EXPECT_EQ(keys, (std::set<std::string>{"too_few_subjects", "no_sample_views", "no_heatmap_views",
                                         "no_location_stacks"}));
  const DataCounts good = goodCounts();
  EXPECT_TRUE(checkExperiment(c, good, &good).empty());
  // Without the pool's counts the check cannot be made.
  EXPECT_THROW(checkExperiment(c, goodCounts()), std::invalid_argument);
}

TEST(ExperimentConfig, PretrainingEpochsPerArmOverrideTheTemplateForThatArmOnly) {
  nlohmann::json j = minimal();
  j["arms"] = {"scratch", "location", "multitask"};
  j["pretrain"] = {{"epochs", 25}};
  j["pretrain_epochs"] = {{"location", 120}, {"genesis", 7}};
  const ExperimentConfig c = experimentFromJson(j);
  EXPECT_EQ(c.pretrain_epochs, (std::map<std::string, int>{{"genesis", 7}, {"location", 120}}));
  EXPECT_EQ(experimentFromJson(c.toJson()).toJson(), c.toJson());
  EXPECT_EQ(c.toJson()["pretrain_epochs"], j["pretrain_epochs"]);
  EXPECT_FALSE(experimentFromJson(minimal()).toJson().contains("pretrain_epochs"));

  // Location pretrains 120 epochs, multitask the template's 25; fine-tuning is the same for all.
  std::map<std::string, int> pretrain_epochs;
  std::set<int> finetune_epochs;
  for (const Step& step : planSteps(c)) {
    if (step.kind == Step::Kind::kPretrain) pretrain_epochs[step.arm] = step.config.epochs;
    if (step.kind == Step::Kind::kFinetune) finetune_epochs.insert(step.config.epochs);
  }
  EXPECT_EQ(pretrain_epochs, (std::map<std::string, int>{{"location", 120}, {"multitask", 25}}));
  EXPECT_EQ(finetune_epochs.size(), 1u);

  const auto with = [](const nlohmann::json& value) {
    nlohmann::json k = minimal();
    k["pretrain_epochs"] = value;
    return k;
  };
  EXPECT_NE(refusal(with({{"scratch", 10}}))
                .find("experiment.pretrain_epochs.scratch: not a "
                      "pretrained arm"),
            std::string::npos);
  EXPECT_NE(refusal(with({{"magic", 10}})).find("experiment.pretrain_epochs.magic"),
            std::string::npos);
  for (const nlohmann::json& bad : {nlohmann::json(0), nlohmann::json(-4), nlohmann::json(2.5),
                                    nlohmann::json("120"), nlohmann::json(100001)}) {
    EXPECT_NE(refusal(with({{"location", bad}}))
                  .find("experiment.pretrain_epochs.location: "
                        "expected an integer number of epochs"),
              std::string::npos)
        << bad;
  }
  EXPECT_NE(refusal(with(nlohmann::json::array({120})))
                .find("experiment.pretrain_epochs: expected "
                      "an object"),
            std::string::npos);
}

TEST(ExperimentPlanSteps, PrepareThenPretrainingThenFinetuningWithTheirStates) {
  const fs::path out = root() / "plan_steps";
  fs::remove_all(out);
  ExperimentConfig c = experimentFromJson(minimal());
  c.out = out.string();
  c.arms = {"scratch", "multitask", "control"};
  c.label_budgets = {2, 0};
  c.seeds = {1, 7};
  touch(out / "dataset" / "dataset.json");
  touch(out / "pretrain" / "multitask-seed1" / "evaluation.json");
  touch(out / "pretrain" / "multitask-seed7" / "checkpoints" / "last.pt");
  touch(out / "finetune" / "scratch" / "n2-seed1" / "config.json");

  const auto steps = planSteps(c);
  ASSERT_EQ(steps.size(), 1u + 2 * 2 + 3 * 2 * 2);
  EXPECT_EQ(steps[0].kind, Step::Kind::kPrepare);
  EXPECT_EQ(steps[0].dir, (out / "dataset").string());
  EXPECT_EQ(steps[0].state, "done");
  EXPECT_STREQ(stepKindName(steps[0].kind), "prepare");
  EXPECT_STREQ(stepKindName(steps[1].kind), "pretrain");
  EXPECT_STREQ(stepKindName(steps.back().kind), "finetune");

  // Pretraining: arm-major, then seed; scratch has none.
  const std::vector<std::pair<std::string, std::uint64_t>> pretrain = {
      {"multitask", 1}, {"multitask", 7}, {"control", 1}, {"control", 7}};
  for (std::size_t i = 0; i < pretrain.size(); ++i) {
    const Step& s = steps[1 + i];
    EXPECT_EQ(s.kind, Step::Kind::kPretrain);
    EXPECT_EQ(s.arm, pretrain[i].first);
    EXPECT_EQ(s.seed, pretrain[i].second);
    EXPECT_EQ(s.dir, (out / "pretrain" / (s.arm + "-seed" + std::to_string(s.seed))).string());
    EXPECT_EQ(s.config.task, "pretrain");
    EXPECT_EQ(s.config.out, s.dir);
    EXPECT_EQ(s.config.dataset, (out / "dataset").string());
    EXPECT_EQ(s.config.seed, s.seed);
    EXPECT_EQ(s.config.pretext.variant, "multitask");
    EXPECT_EQ(s.config.pretext.permute_targets, s.arm == "control");
  }
  EXPECT_EQ(steps[1].state, "done");
  EXPECT_EQ(steps[2].state, "interrupted");
  EXPECT_EQ(steps[3].state, "todo");

  // Fine-tuning: arm, then budget, then seed.
  std::size_t index = 5;
  for (const std::string arm : {"scratch", "multitask", "control"}) {
    for (const int budget : {2, 0}) {
      for (const std::uint64_t seed : {1, 7}) {
        const Step& s = steps[index++];
        EXPECT_EQ(s.kind, Step::Kind::kFinetune);
        EXPECT_EQ(s.arm, arm);
        EXPECT_EQ(s.budget, budget);
        EXPECT_EQ(s.seed, seed);
        EXPECT_EQ(s.dir, (out / "finetune" / arm /
                          ("n" + std::to_string(budget) + "-seed" + std::to_string(seed)))
                             .string());
        EXPECT_EQ(s.config.task, "segmentation");
        EXPECT_EQ(s.config.seed, seed);
        EXPECT_EQ(s.config.finetune.labelled_subjects, budget);
        EXPECT_EQ(s.config.finetune.budget_seed, seed);
        EXPECT_EQ(s.config.finetune.init,
                  arm == "scratch"
                      ? std::string()
                      : (out / "pretrain" / (arm + "-seed" + std::to_string(seed))).string());
        EXPECT_EQ(s.state, "todo");  // a config.json alone is no progress
      }
    }
  }
}

TEST(ExperimentSave, ClaimsAFreeFolderKeepsItsOwnAndRefusesOthers) {
  const fs::path out = root() / "save";
  fs::remove_all(out);
  ExperimentConfig c = experimentFromJson(minimal());
  c.out = out.string();
  EXPECT_EQ(experimentFolderUse(c), FolderUse::kFree);
  saveExperimentConfig(c);
  EXPECT_EQ(experimentFolderUse(c), FolderUse::kSameExperiment);
  EXPECT_EQ(loadExperimentConfig(out / "experiment.json").toJson(), c.toJson());
  saveExperimentConfig(c);  // the same config again: left as it is
  ExperimentConfig other = c;
  other.seeds = {7};
  EXPECT_EQ(experimentFolderUse(other), FolderUse::kOtherExperiment);
  EXPECT_THROW(saveExperimentConfig(other), std::invalid_argument);
  EXPECT_EQ(loadExperimentConfig(out / "experiment.json").seeds, c.seeds);  // not overwritten
  fs::remove(out / "experiment.json");
  touch(out / "notes.txt");
  EXPECT_EQ(experimentFolderUse(c), FolderUse::kOtherContent);
  EXPECT_THROW(saveExperimentConfig(c), std::invalid_argument);
}

TEST(ExperimentSave, LoadingGivesKeyedErrors) {
  const fs::path dir = root() / "load";
  fs::create_directories(dir);
  auto keyOf = [](const fs::path& file) {
    try {
      loadExperimentConfig(file);
    } catch (const std::invalid_argument& e) {
      const std::string what = e.what();
      return what.substr(0, what.find(']') + 1);
    }
    return std::string("loaded");
  };
  EXPECT_EQ(keyOf(dir / "missing.json"), "[cannot_read_config]");
  std::ofstream(dir / "text.json") << "not json";
  EXPECT_EQ(keyOf(dir / "text.json"), "[invalid_config]");
  std::ofstream(dir / "wrong.json") << R"({"name": 3})";
  EXPECT_EQ(keyOf(dir / "wrong.json"), "[invalid_config]");
}

TEST(ExperimentRun, RefusesAFolderHoldingSomethingElse) {
  const fs::path out = root() / "refusals";
  fs::remove_all(out);
  ExperimentConfig c = experimentFromJson(minimal());
  c.out = out.string();
  touch(out / "notes.txt");
  try {
    runExperiment(c, {});
    FAIL() << "ran in a folder that is not empty";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()).rfind("[experiment_exists]", 0), 0u) << e.what();
  }
  fs::remove_all(out);
  ExperimentConfig other = c;
  other.seeds = {2};
  fs::create_directories(out);
  std::ofstream(out / "experiment.json") << other.toJson().dump();
  try {
    runExperiment(c, {});
    FAIL() << "ran over another experiment";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()).rfind("[experiment_exists]", 0), 0u) << e.what();
  }
  // A catalog source needs the pixel and label sources.
  ExperimentConfig cat = c;
  cat.phantom.reset();
  cat.catalog = CatalogSource{"c.planelab", {}, ""};
  cat.out = (out / "cat").string();
  try {
    runExperiment(cat, {});
    FAIL() << "ran a catalog source without sources";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()).rfind("[invalid_argument]", 0), 0u) << e.what();
  }
  // An invalid config is refused before anything is written.
  ExperimentConfig bad = c;
  bad.out = (out / "bad").string();
  bad.arms = {"magic"};
  EXPECT_THROW(runExperiment(bad, {}), std::invalid_argument);
  EXPECT_FALSE(fs::exists(bad.out));
}

}  // namespace
}  // namespace planelab::experiment
