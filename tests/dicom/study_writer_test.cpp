#include "dicom/study_writer.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <map>

#include <nlohmann/json.hpp>

#include "dcmtk_read.h"
#include "dicom/deterministic_uid.h"
#include "test_study.h"

namespace planelab::dicom {
namespace {

using Labels = phantom::StudyOptions::Labels;

std::map<std::string, std::string> readTree(const std::filesystem::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    files[std::filesystem::relative(entry.path(), dir).generic_string()] =
        std::string(std::istreambuf_iterator<char>(in), {});
  }
  return files;
}

phantom::RenderSettings fastSettings() {
  phantom::RenderSettings s;
  s.supersample = 1;
  s.slice_samples = 1;
  s.kspace_truncation = false;
  return s;
}

TEST(LabelledPhases, SelectionRules) {
  phantom::PhantomStudy study = testing::makeTestStudy();
  const phantom::SeriesPlan& sax = study.series[0];
  EXPECT_EQ(labelledPhases(study, sax, sax.slices[0], Labels::kEdEs), (std::vector<int>{0, 2}));
  EXPECT_EQ(labelledPhases(study, sax, sax.slices[0], Labels::kAll), (std::vector<int>{0, 1, 2}));
  EXPECT_TRUE(labelledPhases(study, sax, sax.slices[0], Labels::kNone).empty());
  // Unlabelled series (localizer) never.
  EXPECT_TRUE(
      labelledPhases(study, study.series[1], study.series[1].slices[0], Labels::kAll).empty());
  // ED == ES collapses to one phase; a missing ES phase is skipped.
  study.cardiac_truth->es_phase = 0;
  EXPECT_EQ(labelledPhases(study, sax, sax.slices[0], Labels::kEdEs), (std::vector<int>{0}));
  study.cardiac_truth->es_phase = 2;
  phantom::SlicePlan missing = sax.slices[0];
  missing.phases = {0, 1};
  EXPECT_EQ(labelledPhases(study, sax, missing, Labels::kEdEs), (std::vector<int>{0}));
}

TEST(StudyWriter, WritesLayoutDeterministicallyForAnyThreadCount) {
  const phantom::PhantomStudy study = testing::makeTestStudy();
  const std::filesystem::path one = testing::freshTempDir("study_writer_1") / "subject";
  const std::filesystem::path two = testing::freshTempDir("study_writer_2") / "subject";
  int calls = 0;
  int last_done = -1;
  int last_total = -1;
  const StudyWriteSummary a =
      writeStudy(study, one, fastSettings(), Labels::kEdEs, 1, [&](int done, int total) {
        ++calls;
        EXPECT_GE(done, last_done);
        last_done = done;
        last_total = total;
        return true;
      });
  ASSERT_TRUE(a.ok()) << a.status.error_key << ": " << a.status.message;
  EXPECT_FALSE(a.cancelled);
  EXPECT_EQ(a.images_written, 7);
  EXPECT_EQ(a.seg_files, 1);
  EXPECT_GT(calls, 0);
  EXPECT_EQ(last_done, 8);
  EXPECT_EQ(last_total, 8);
  const StudyWriteSummary b = writeStudy(study, two, fastSettings(), Labels::kEdEs, 3, {});
  ASSERT_TRUE(b.ok()) << b.status.message;
  EXPECT_EQ(a.bytes, b.bytes);

  const auto tree_a = readTree(one);
  const auto tree_b = readTree(two);
  EXPECT_EQ(tree_a.size(), 7u + 1u + 1u);
  EXPECT_EQ(tree_a, tree_b);
  EXPECT_EQ(tree_a.count("sax_5/IM-0005-0001.dcm"), 1u);
  EXPECT_EQ(tree_a.count("sax_5/IM-0005-0006.dcm"), 1u);
  EXPECT_EQ(tree_a.count("localizer_1/IM-0001-0001.dcm"), 1u);
  EXPECT_EQ(tree_a.count("labels/sax_5/seg.dcm"), 1u);
  std::uint64_t total_bytes = 0;
  for (const auto& [name, bytes] : tree_a) total_bytes += bytes.size();
  EXPECT_EQ(total_bytes, a.bytes);

  // SEG: 3 segments x (2 slices x ED/ES) frames.
  auto seg = testing::load(one / "labels/sax_5/seg.dcm");
  ASSERT_TRUE(seg);
  EXPECT_EQ(testing::str(*seg->getDataset(), DCM_NumberOfFrames), "12");

  // truth.json
  const nlohmann::json truth = nlohmann::json::parse(tree_a.at("truth.json"));
  EXPECT_EQ(truth["organ"], "heart");
  EXPECT_EQ(truth["seed"], 1234u);
  EXPECT_EQ(truth["subject_index"], 7);
  EXPECT_EQ(truth["patient"]["id"], "PL-TEST-0007");
  EXPECT_EQ(truth["cardiac_truth"]["es_phase"], 2);
  EXPECT_TRUE(truth["knee_truth"].is_null());
  EXPECT_EQ(truth["label_names"].size(), 4u);
  EXPECT_EQ(truth["study_instance_uid"], studyInstanceUid(study));
  ASSERT_EQ(truth["series"].size(), 2u);
  const nlohmann::json& sax = truth["series"][0];
  EXPECT_EQ(sax["folder"], "sax_5");
  EXPECT_EQ(sax["series_instance_uid"], seriesInstanceUid(study, 0));
  EXPECT_EQ(sax["trigger_times_ms"].size(), 3u);
  EXPECT_EQ(sax["slices"][1]["rows"], 24);
  EXPECT_EQ(sax["slices"][1]["pixel_spacing"][0], 2.5);
  EXPECT_EQ(sax["slices"][1]["image_position_patient"].size(), 3u);
  EXPECT_EQ(sax["slices"][1]["breath_hold_shift_mm"][0], 0.5);
  EXPECT_EQ(sax["slices"][1]["images"][2]["file"], "sax_5/IM-0005-0006.dcm");
  EXPECT_EQ(sax["slices"][0]["labelled_phases"], nlohmann::json::array({0, 2}));
  EXPECT_EQ(sax["segmentation"]["instances"][0]["file"], "labels/sax_5/seg.dcm");
  EXPECT_TRUE(truth["series"][1]["segmentation"].is_null());
}

TEST(StudyWriter, NoLabelsAndKnee) {
  const phantom::PhantomStudy study = testing::makeTestStudy(phantom::Organ::kKnee);
  const std::filesystem::path dir = testing::freshTempDir("study_writer_knee");
  const StudyWriteSummary s = writeStudy(study, dir, fastSettings(), Labels::kNone, 2, {});
  ASSERT_TRUE(s.ok()) << s.status.message;
  EXPECT_EQ(s.images_written, 3);
  EXPECT_EQ(s.seg_files, 0);
  EXPECT_FALSE(std::filesystem::exists(dir / "labels"));
  // Knees are single-phase: ed-es labels every image of a labelled series.
  const std::filesystem::path dir2 = testing::freshTempDir("study_writer_knee_labels");
  const StudyWriteSummary s2 = writeStudy(study, dir2, fastSettings(), Labels::kEdEs, 2, {});
  ASSERT_TRUE(s2.ok()) << s2.status.message;
  auto seg = testing::load(dir2 / "labels/sax_5/seg.dcm");
  ASSERT_TRUE(seg);
  EXPECT_EQ(testing::str(*seg->getDataset(), DCM_NumberOfFrames), "8");  // 4 segments x 2 slices
  EXPECT_EQ(testing::str(*seg->getDataset(), DCM_BodyPartExamined), "KNEE");
  EXPECT_EQ(testing::str(*seg->getDataset(), DCM_Laterality), "<absent>");
}

TEST(StudyWriter, CancelStopsPromptly) {
  const phantom::PhantomStudy study = testing::makeTestStudy();
  const std::filesystem::path dir = testing::freshTempDir("study_writer_cancel");
  const StudyWriteSummary s =
      writeStudy(study, dir, fastSettings(), Labels::kAll, 1, [](int, int) { return false; });
  EXPECT_TRUE(s.ok());
  EXPECT_TRUE(s.cancelled);
  EXPECT_EQ(s.images_written, 0);  // the first report (0 done) comes before any work
  EXPECT_FALSE(std::filesystem::exists(dir / "truth.json"));

  // Cancelling after some progress stops before the SEGs and truth.json.
  const std::filesystem::path dir2 = testing::freshTempDir("study_writer_cancel_later");
  const StudyWriteSummary s2 = writeStudy(study, dir2, fastSettings(), Labels::kAll, 1,
                                          [](int done, int) { return done == 0; });
  EXPECT_TRUE(s2.ok());
  EXPECT_TRUE(s2.cancelled);
  EXPECT_GE(s2.images_written, 1);
  EXPECT_FALSE(std::filesystem::exists(dir2 / "truth.json"));
  EXPECT_FALSE(std::filesystem::exists(dir2 / "labels/sax_5/seg.dcm"));
}

TEST(StudyWriter, ReportsFolderErrors) {
  const phantom::PhantomStudy study = testing::makeTestStudy();
  const std::filesystem::path dir = testing::freshTempDir("study_writer_error");
  std::ofstream(dir / "blocker") << "not a folder";
  const StudyWriteSummary s =
      writeStudy(study, dir / "blocker", fastSettings(), Labels::kAll, 1, {});
  EXPECT_EQ(s.status.error_key, "cannot_create_folder");
  EXPECT_FALSE(s.status.message.empty());
}

}  // namespace
}  // namespace planelab::dicom
