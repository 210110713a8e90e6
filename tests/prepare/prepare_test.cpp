// The prepare step on in-memory phantom cohorts: what the dataset holds (samples per kept SAX
// plane and phase, labels on ED/ES, class labels, relative locations, heatmap-view planes,
// z-scored images), determinism across job counts, cancel, refusals, knees.
#include "prepare/prepare.h"

#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

#include "data/prepared_dataset.h"
#include "phantom/study.h"

namespace planelab::prepare {
namespace {

namespace fs = std::filesystem;

fs::path freshTempDir(const std::string& name) {
  const char* env = std::getenv("PLANELAB_TEST_TMP");
  const fs::path root =
      env != nullptr ? fs::path(env) : fs::temp_directory_path() / "planelab-test";
  // Per process: CTest runs the tests of one suite in parallel processes.
  const fs::path dir = root / "prepare" / (name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string readBytes(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

PhantomCohort heartCohort(int subjects) {
  PhantomCohort cohort;
  cohort.seed = 11;
  cohort.subjects = subjects;
  cohort.study.organ = phantom::Organ::kHeart;
  cohort.study.phases = 5;
  return cohort;
}

PrepareOptions smallOptions() {
  PrepareOptions options;
  options.plan.grid = {3.0, 64};
  options.plan.phases = data::PhaseSelection::kEdEs;
  options.jobs = 2;
  return options;
}

// Kept planes of `view` in the study as curation sees it (the same images an import stores).
int keptPlanes(const phantom::PhantomStudy& study, const std::string& view) {
  curation::Options options;
  options.misalignment = false;
  const curation::StudyCuration c =
      curation::curateStudy(phantomStudyImages(study, nullptr), {}, options, nullptr);
  int n = 0;
  for (const curation::Plane& plane : c.planes) {
    n += plane.kept && c.views[static_cast<std::size_t>(plane.series)].view == view ? 1 : 0;
  }
  return n;
}

class PrepareHeart : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    folder_ = new fs::path(freshTempDir("heart") / "ds");
    summary_ =
        new PrepareSummary(prepareFromPhantom(heartCohort(3), folder_->string(), smallOptions()));
    dataset_ = new std::shared_ptr<const data::PreparedDataset>(
        data::PreparedDataset::open(folder_->string()));
  }
  static void TearDownTestSuite() {
    delete dataset_;
    delete summary_;
    delete folder_;
  }
  static fs::path* folder_;
  static PrepareSummary* summary_;
  static std::shared_ptr<const data::PreparedDataset>* dataset_;
};
fs::path* PrepareHeart::folder_ = nullptr;
PrepareSummary* PrepareHeart::summary_ = nullptr;
std::shared_ptr<const data::PreparedDataset>* PrepareHeart::dataset_ = nullptr;

TEST_F(PrepareHeart, OneSamplePerKeptSaxPlaneAndLabelledPhase) {
  const data::PreparedDataset& ds = **dataset_;
  const data::DatasetInfo& info = ds.info();
  ASSERT_EQ(info.subjects.size(), 3u);
  EXPECT_EQ(summary_->subjects, 3);
  EXPECT_FALSE(summary_->cancelled);
  EXPECT_EQ(summary_->skipped_images, 0);
  std::int64_t expected = 0;
  const PhantomCohort cohort = heartCohort(3);
  for (int i = 0; i < 3; ++i) {
    const phantom::PhantomStudy study = phantom::generateStudy(cohort.seed, i, cohort.study);
    const int sax = keptPlanes(study, "sax");
    EXPECT_GE(sax, 5) << study.patient.id;
    expected += 2 * sax;  // ED and ES
    EXPECT_EQ(info.subjects[static_cast<std::size_t>(i)].id, study.patient.id);
    EXPECT_EQ(info.subjects[static_cast<std::size_t>(i)].class_label, study.cardiac_truth->group);
    if (i == 0) {
      EXPECT_EQ(info.label_names, study.label_names);
    }
  }
  EXPECT_EQ(ds.sampleCount(), expected);
  EXPECT_EQ(summary_->samples, expected);
  EXPECT_EQ(summary_->samples_by_view.at("sax"), expected);
  std::set<std::string> classes;
  for (const data::Subject& s : info.subjects) classes.insert(s.class_label);
  EXPECT_EQ(info.class_names, std::vector<std::string>(classes.begin(), classes.end()));
  EXPECT_EQ(info.source.at("kind"), "phantom");
  EXPECT_EQ(info.source.at("seed"), 11);
}

TEST_F(PrepareHeart, EdAndEsSamplesCarryLabels) {
  const data::PreparedDataset& ds = **dataset_;
  const int pixels = ds.size() * ds.size();
  EXPECT_EQ(summary_->labelled_samples, ds.sampleCount());
  for (std::int64_t i = 0; i < ds.sampleCount(); ++i) {
    const data::Sample& s = ds.info().samples[static_cast<std::size_t>(i)];
    EXPECT_TRUE(s.has_labels);
    EXPECT_NE(s.ed, s.es) << "sample " << i;
    EXPECT_EQ(s.phase_count, 5);
    EXPECT_EQ(s.ed ? s.phase : -1, s.ed ? 0 : -1);  // the phantom's ED is phase 0
    const std::uint8_t* labels = ds.labels(i);
    int labelled = 0;
    for (int k = 0; k < pixels; ++k) {
      EXPECT_LT(labels[k], ds.info().label_names.size());
      labelled += labels[k] != 0 ? 1 : 0;
    }
    // Mid-ventricular slices show the ventricles; the outermost may not.
    if (s.relative_location && *s.relative_location > 0.2 && *s.relative_location < 0.8) {
      EXPECT_GT(labelled, 20) << "sample " << i;
    }
  }
}

TEST_F(PrepareHeart, RelativeLocationsFollowTheSliceIndex) {
  const data::DatasetInfo& info = (*dataset_)->info();
  for (std::size_t subject = 0; subject < info.subjects.size(); ++subject) {
    std::vector<std::pair<int, double>> by_slice;
    for (const data::Sample& s : info.samples) {
      if (s.subject != static_cast<int>(subject) || !s.ed) continue;
      ASSERT_TRUE(s.relative_location.has_value());
      EXPECT_GE(*s.relative_location, 0.0);
      EXPECT_LE(*s.relative_location, 1.0);
      const data::SubjectPlane& plane =
          info.subjects[subject].planes[static_cast<std::size_t>(s.plane)];
      EXPECT_EQ(plane.view, "sax");
      EXPECT_GT(s.slice_count, 1);
      by_slice.emplace_back(plane.slice_index, *s.relative_location);
    }
    std::sort(by_slice.begin(), by_slice.end());
    ASSERT_GE(by_slice.size(), 3u);
    EXPECT_DOUBLE_EQ(by_slice.front().second, 0.0);
    EXPECT_DOUBLE_EQ(by_slice.back().second, 1.0);
    for (std::size_t k = 1; k < by_slice.size(); ++k) {
      EXPECT_GT(by_slice[k].second, by_slice[k - 1].second);
    }
  }
}

TEST_F(PrepareHeart, SubjectsHoldTheHeatmapViewPlanesOnThePreparedGrid) {
  for (const data::Subject& subject : (*dataset_)->info().subjects) {
    std::set<std::string> views;
    for (const data::SubjectPlane& p : subject.planes) {
      views.insert(p.view);
      EXPECT_EQ(p.plane.rows, 64);
      EXPECT_EQ(p.plane.cols, 64);
      EXPECT_DOUBLE_EQ(p.plane.row_spacing_mm, 3.0);
      EXPECT_DOUBLE_EQ(p.plane.col_spacing_mm, 3.0);
    }
    EXPECT_TRUE(views.count("2ch")) << subject.id;
    EXPECT_TRUE(views.count("4ch")) << subject.id;
    EXPECT_TRUE(views.count("sax")) << subject.id;
  }
}

TEST_F(PrepareHeart, ImagesAreZScored) {
  const data::PreparedDataset& ds = **dataset_;
  const int pixels = ds.size() * ds.size();
  for (std::int64_t i = 0; i < ds.sampleCount(); ++i) {
    const float* image = ds.image(i);
    double sum = 0.0, squares = 0.0;
    for (int k = 0; k < pixels; ++k) sum += image[k];
    const double mean = sum / pixels;
    for (int k = 0; k < pixels; ++k) squares += (image[k] - mean) * (image[k] - mean);
    EXPECT_NEAR(mean, 0.0, 1e-4);
    EXPECT_NEAR(std::sqrt(squares / pixels), 1.0, 1e-3);
  }
}

TEST(Prepare, OutputDoesNotDependOnTheJobs) {
  const fs::path dir = freshTempDir("jobs");
  PrepareOptions options = smallOptions();
  options.jobs = 1;
  prepareFromPhantom(heartCohort(2), (dir / "one").string(), options);
  options.jobs = 3;
  prepareFromPhantom(heartCohort(2), (dir / "three").string(), options);
  for (const char* name : {"dataset.json", "images.f32", "labels.u8"}) {
    const std::string a = readBytes(dir / "one" / name);
    EXPECT_FALSE(a.empty()) << name;
    EXPECT_TRUE(a == readBytes(dir / "three" / name)) << name;
  }
}

TEST(Prepare, CancelLeavesNothing) {
  const fs::path dir = freshTempDir("cancel");
  std::atomic<bool> cancel{false};
  PrepareOptions options = smallOptions();
  options.jobs = 2;
  options.cancel = &cancel;
  int calls = 0;
  options.progress = [&](const Progress& p) {
    ++calls;
    EXPECT_EQ(p.studies_total, 3);
    cancel = true;  // after the first study is written
  };
  const PrepareSummary summary = prepareFromPhantom(heartCohort(3), (dir / "ds").string(), options);
  EXPECT_TRUE(summary.cancelled);
  EXPECT_EQ(calls, 1);
  EXPECT_FALSE(fs::exists(dir / "ds"));
  // Into an existing folder: the folder stays, without a dataset.
  fs::create_directories(dir / "existing");
  cancel = false;
  EXPECT_TRUE(prepareFromPhantom(heartCohort(3), (dir / "existing").string(), options).cancelled);
  EXPECT_FALSE(fs::exists(dir / "existing" / "dataset.json"));
  EXPECT_TRUE(fs::is_empty(dir / "existing"));
}

TEST(Prepare, RefusesAnExistingDatasetUnlessOverwrite) {
  const fs::path dir = freshTempDir("exists");
  PrepareOptions options = smallOptions();
  prepareFromPhantom(heartCohort(1), (dir / "ds").string(), options);
  try {
    prepareFromPhantom(heartCohort(1), (dir / "ds").string(), options);
    ADD_FAILURE() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()).rfind("[dataset_exists]", 0), 0u) << e.what();
  }
  options.overwrite = true;
  options.plan.phases = data::PhaseSelection::kAll;
  const PrepareSummary all = prepareFromPhantom(heartCohort(1), (dir / "ds").string(), options);
  const auto ds = data::PreparedDataset::open((dir / "ds").string());
  EXPECT_EQ(ds->sampleCount(), all.samples);
  EXPECT_EQ(all.labelled_samples * 5, all.samples * 2);  // ED + ES of 5 phases labelled
}

TEST(Prepare, EvenPhasesAndPercentileNormalisation) {
  const fs::path dir = freshTempDir("even");
  PrepareOptions options = smallOptions();
  options.plan.phases = data::PhaseSelection::kEven;
  options.plan.phase_count = 3;
  options.plan.normalisation = data::Normalisation::kPercentile;
  options.class_labels = {{"PL-HEART-0000", "mine"}};
  const PrepareSummary summary = prepareFromPhantom(heartCohort(1), (dir / "ds").string(), options);
  const auto ds = data::PreparedDataset::open((dir / "ds").string());
  EXPECT_EQ(ds->info().subjects[0].class_label, "mine");
  std::set<int> phases;
  for (const data::Sample& s : ds->info().samples) phases.insert(s.phase);
  EXPECT_EQ(phases, (std::set<int>{0, 1, 3}));  // floor(i * 5 / 3)
  const int pixels = ds->size() * ds->size();
  for (std::int64_t i = 0; i < ds->sampleCount(); ++i) {
    const float* image = ds->image(i);
    const auto [lo, hi] = std::minmax_element(image, image + pixels);
    EXPECT_GE(*lo, 0.0f);
    EXPECT_LE(*hi, 1.0f);
    EXPECT_GT(*hi, 0.75f);  // the source's 99.5th percentile, after downsampling
  }
  EXPECT_EQ(summary.samples, ds->sampleCount());
}

TEST(Prepare, KneeSagittalCoronalAxial) {
  const fs::path dir = freshTempDir("knee");
  PhantomCohort cohort;
  cohort.seed = 4;
  cohort.subjects = 1;
  cohort.study.organ = phantom::Organ::kKnee;
  PrepareOptions options = smallOptions();
  options.plan.organ = "knee";
  options.plan.views = {"sag", "cor", "ax"};
  options.plan.heatmap_views = {};
  options.plan.phases = data::PhaseSelection::kAll;
  const PrepareSummary summary = prepareFromPhantom(cohort, (dir / "ds").string(), options);
  const auto ds = data::PreparedDataset::open((dir / "ds").string());
  const phantom::PhantomStudy study = phantom::generateStudy(4, 0, cohort.study);
  int expected = 0;
  for (const char* view : {"sag", "cor", "ax"}) {
    const int n = keptPlanes(study, view);
    EXPECT_GT(n, 2) << view;
    EXPECT_EQ(summary.samples_by_view.at(view), n) << view;
    expected += n;
  }
  EXPECT_EQ(ds->sampleCount(), expected);
  EXPECT_EQ(ds->info().subjects[0].class_label, "");
  EXPECT_TRUE(ds->info().class_names.empty());
  EXPECT_EQ(ds->info().label_names, study.label_names);
  EXPECT_GT(summary.labelled_samples, 0);
  for (const data::Sample& s : ds->info().samples) {
    EXPECT_EQ(s.phase_count, 1);
    EXPECT_FALSE(s.ed || s.es);
  }
}

}  // namespace
}  // namespace planelab::prepare
