#include "data/prepared_dataset.h"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "data/random.h"
#include "data_test_support.h"

namespace planelab::data {
namespace {

namespace fs = std::filesystem;
using testing::freshTempDir;
using testing::SyntheticOptions;
using testing::writeSynthetic;

// The message of the std::runtime_error thrown by f, or "".
template <typename F>
std::string errorOf(F&& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

bool startsWith(const std::string& text, const std::string& prefix) {
  return text.rfind(prefix, 0) == 0;
}

TEST(PreparedDataset, RoundTripIsBitExactWithMetadata) {
  const fs::path dir = freshTempDir("dataset_round_trip");
  SyntheticOptions o;
  const auto ds = writeSynthetic(dir, o);
  EXPECT_TRUE(fs::exists(dir / "dataset.json"));
  EXPECT_TRUE(fs::exists(dir / "images.f32"));
  EXPECT_TRUE(fs::exists(dir / "labels.u8"));
  for (const auto& entry : fs::directory_iterator(dir)) {
    EXPECT_EQ(entry.path().string().find(".tmp"), std::string::npos) << entry.path();
  }
  const int n = o.subjects * o.slices * o.phases;
  ASSERT_EQ(ds->sampleCount(), n);
  EXPECT_EQ(ds->size(), o.size);
  EXPECT_EQ(fs::file_size(dir / "images.f32"),
            static_cast<std::uintmax_t>(n) * o.size * o.size * 4);
  EXPECT_EQ(fs::file_size(dir / "labels.u8"), static_cast<std::uintmax_t>(n) * o.size * o.size);
  const auto pixels = static_cast<std::size_t>(o.size) * o.size;
  const auto labels = testing::testLabels(o.size);
  for (int i = 0; i < n; ++i) {
    const auto image = testing::testImage(o.size, i);
    EXPECT_EQ(std::memcmp(ds->image(i), image.data(), pixels * sizeof(float)), 0) << i;
    const Sample& s = ds->info().samples[static_cast<std::size_t>(i)];
    EXPECT_EQ(s.has_labels, s.phase % 2 == 1);
    if (s.has_labels) {
      EXPECT_EQ(std::memcmp(ds->labels(i), labels.data(), pixels), 0) << i;
    } else {
      for (std::size_t p = 0; p < pixels; ++p) ASSERT_EQ(ds->labels(i)[p], 0);
    }
  }
  const DatasetInfo& info = ds->info();
  EXPECT_EQ(info.format_version, DatasetInfo::kFormatVersion);
  EXPECT_EQ(info.plan.toJson(), testing::syntheticPlan(o).toJson());
  EXPECT_EQ(info.label_names, (std::vector<std::string>{"background", "disc", "square"}));
  EXPECT_EQ(info.class_names, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(info.source["kind"], "test");
  ASSERT_EQ(info.subjects.size(), 4u);
  EXPECT_EQ(info.subjects[1].id, "S101");
  EXPECT_EQ(info.subjects[1].study_uid, "1.2.3.1");
  EXPECT_EQ(info.subjects[1].class_label, "b");
  ASSERT_EQ(info.subjects[1].planes.size(), 5u);
  EXPECT_EQ(info.subjects[1].planes[0].view, "2ch");
  EXPECT_EQ(info.subjects[1].planes[3].view, "sax");
  EXPECT_EQ(info.subjects[1].planes[3].stack, 0);
  EXPECT_EQ(info.subjects[1].planes[3].slice_index, 1);
  // Geometry round-trips exactly (shortest round-trip doubles in the JSON).
  const auto expected = testing::laxPlane(65.0, {3.0, -2.0, 10.0}, o.size, o.spacing);
  const auto& got = info.subjects[1].planes[0].plane;
  EXPECT_EQ(got.position_mm.x, expected.position_mm.x);
  EXPECT_EQ(got.position_mm.z, expected.position_mm.z);
  EXPECT_EQ(got.row_dir.y, expected.row_dir.y);
  EXPECT_EQ(got.col_dir.z, expected.col_dir.z);
  EXPECT_EQ(got.row_spacing_mm, o.spacing);
  EXPECT_EQ(got.rows, o.size);
  const Sample& s3 = info.samples[3];
  EXPECT_EQ(s3.subject, 0);
  EXPECT_EQ(s3.plane, 3);
  EXPECT_EQ(s3.phase, 1);
  EXPECT_EQ(s3.phase_count, 2);
  EXPECT_EQ(s3.slice_count, 3);
  ASSERT_TRUE(s3.relative_location);
  EXPECT_EQ(*s3.relative_location, 0.5);
  EXPECT_EQ(s3.sop_instance_uid, "1.2.3.0.1");
  EXPECT_EQ(s3.frame_number, 2);
  // The JSON functions round-trip on their own too.
  EXPECT_EQ(toJson(datasetInfoFromJson(toJson(info))), toJson(info));
  // hash() = FNV-1a 64 of dataset.json.
  std::ifstream in(dir / "dataset.json", std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(ds->hash(), hex64(fnv1a64(bytes)));
  EXPECT_EQ(ds->folder(), dir.string());
}

TEST(PreparedDataset, EmptyDatasetOpens) {
  const fs::path dir = freshTempDir("dataset_empty");
  SyntheticOptions o;
  o.subjects = 0;
  const auto ds = writeSynthetic(dir, o);
  EXPECT_EQ(ds->sampleCount(), 0);
  EXPECT_TRUE(ds->info().subjects.empty());
  EXPECT_THROW(ds->image(0), std::out_of_range);
}

TEST(PreparedDataset, TruncatedBinaryIsReported) {
  const fs::path dir = freshTempDir("dataset_truncated");
  writeSynthetic(dir, SyntheticOptions{});
  const auto full = fs::file_size(dir / "images.f32");
  fs::resize_file(dir / "images.f32", full - 4);
  EXPECT_TRUE(
      startsWith(errorOf([&] { PreparedDataset::open(dir.string()); }), "[dataset_truncated]"));
  fs::resize_file(dir / "images.f32", full);
  EXPECT_NO_THROW(PreparedDataset::open(dir.string()));
  fs::resize_file(dir / "labels.u8", 10);
  EXPECT_TRUE(
      startsWith(errorOf([&] { PreparedDataset::open(dir.string()); }), "[dataset_truncated]"));
  fs::remove(dir / "labels.u8");
  EXPECT_TRUE(
      startsWith(errorOf([&] { PreparedDataset::open(dir.string()); }), "[dataset_truncated]"));
}

TEST(PreparedDataset, NotADatasetAndNewerVersion) {
  const fs::path dir = freshTempDir("dataset_bad_json");
  EXPECT_TRUE(startsWith(errorOf([&] { PreparedDataset::open(dir.string()); }), "[not_a_dataset]"));
  writeSynthetic(dir, SyntheticOptions{});
  std::ifstream in(dir / "dataset.json");
  nlohmann::json j = nlohmann::json::parse(in);
  in.close();
  const auto rewrite = [&](const nlohmann::json& value) {
    std::ofstream out(dir / "dataset.json", std::ios::trunc);
    out << value.dump();
  };
  nlohmann::json newer = j;
  newer["format_version"] = 2;
  rewrite(newer);
  EXPECT_TRUE(startsWith(errorOf([&] { PreparedDataset::open(dir.string()); }),
                         "[unsupported_dataset_version]"));
  nlohmann::json bad_sample = j;
  bad_sample["samples"][0]["plane"] = 99;
  rewrite(bad_sample);
  EXPECT_TRUE(startsWith(errorOf([&] { PreparedDataset::open(dir.string()); }), "[not_a_dataset]"));
  nlohmann::json bad_plan = j;
  bad_plan["plan"]["grid"]["size"] = 0;
  rewrite(bad_plan);
  const std::string e = errorOf([&] { PreparedDataset::open(dir.string()); });
  EXPECT_TRUE(startsWith(e, "[not_a_dataset]")) << e;
  EXPECT_NE(e.find("[invalid_plan] grid.size"), std::string::npos) << e;
  {
    std::ofstream out(dir / "dataset.json", std::ios::trunc);
    out << "{ not json";
  }
  EXPECT_TRUE(startsWith(errorOf([&] { PreparedDataset::open(dir.string()); }), "[not_a_dataset]"));
}

TEST(DatasetWriter, UnfinishedWriterLeavesNothing) {
  const fs::path dir = freshTempDir("writer_unfinished");
  const SyntheticOptions o;
  {
    DatasetWriter writer(dir.string(), testing::syntheticPlan(o), false);
    Subject s;
    s.id = "S1";
    s.planes.push_back(
        {testing::gridPlane({0, 0, 0}, {1, 0, 0}, {0, 1, 0}, o.size, o.spacing), "sax", 0, 0});
    writer.addSubject(s);
    Sample sample;
    sample.subject = 0;
    sample.plane = 0;
    writer.addSample(sample, testing::testImage(o.size, 0), {});
    EXPECT_TRUE(fs::exists(dir / "images.f32.tmp"));
  }
  EXPECT_TRUE(fs::is_empty(dir));
}

TEST(DatasetWriter, ExistingDatasetNeedsOverwrite) {
  const fs::path dir = freshTempDir("writer_exists");
  SyntheticOptions o;
  writeSynthetic(dir, o);
  const std::string e =
      errorOf([&] { DatasetWriter writer(dir.string(), testing::syntheticPlan(o), false); });
  EXPECT_TRUE(startsWith(e, "[dataset_exists]")) << e;
  // Overwrite replaces it; an abandoned overwrite keeps the old dataset intact.
  { DatasetWriter writer(dir.string(), testing::syntheticPlan(o), true); }
  EXPECT_EQ(PreparedDataset::open(dir.string())->sampleCount(), 24);
  o.subjects = 1;
  EXPECT_EQ(writeSynthetic(dir, o)->sampleCount(), 6);
}

TEST(DatasetWriter, RejectsBadSamples) {
  const fs::path dir = freshTempDir("writer_bad_samples");
  const SyntheticOptions o;
  DatasetWriter writer(dir.string(), testing::syntheticPlan(o), false);
  Subject s;
  s.id = "S1";
  s.planes.push_back(
      {testing::gridPlane({0, 0, 0}, {1, 0, 0}, {0, 1, 0}, o.size, o.spacing), "sax", 0, 0});
  Subject off_grid = s;
  off_grid.planes[0].plane.rows = o.size + 1;
  EXPECT_THROW(writer.addSubject(off_grid), std::invalid_argument);
  writer.addSubject(s);
  Sample sample;
  sample.subject = 0;
  sample.plane = 0;
  EXPECT_THROW(writer.addSample(sample, std::vector<float>(10), {}), std::invalid_argument);
  EXPECT_THROW(
      writer.addSample(sample, testing::testImage(o.size, 0), std::vector<std::uint8_t>(3)),
      std::invalid_argument);
  sample.plane = 1;
  EXPECT_THROW(writer.addSample(sample, testing::testImage(o.size, 0), {}), std::invalid_argument);
}

// A file size limit (RLIMIT_FSIZE) makes writes fail as on a full disk: "[cannot_write]", no
// dataset.json and no temporary files.
TEST(DatasetWriter, WriteErrorLeavesNoDatasetJson) {
  const fs::path dir = freshTempDir("writer_disk_full");
  const SyntheticOptions o;
  struct rlimit old {};
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &old), 0);
  const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  struct rlimit small = old;
  small.rlim_cur = 20000;  // bytes: a few 48 x 48 float images
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);
  std::string error;
  try {
    DatasetWriter writer(dir.string(), testing::syntheticPlan(o), false);
    Subject s;
    s.id = "S1";
    s.planes.push_back(
        {testing::gridPlane({0, 0, 0}, {1, 0, 0}, {0, 1, 0}, o.size, o.spacing), "sax", 0, 0});
    writer.addSubject(s);
    Sample sample;
    sample.subject = 0;
    sample.plane = 0;
    for (int i = 0; i < 50; ++i) writer.addSample(sample, testing::testImage(o.size, i), {});
    writer.finish();
  } catch (const std::runtime_error& e) {
    error = e.what();
  }
  setrlimit(RLIMIT_FSIZE, &old);
  std::signal(SIGXFSZ, old_handler);
  EXPECT_TRUE(startsWith(error, "[cannot_write]")) << error;
  EXPECT_FALSE(fs::exists(dir / "dataset.json"));
  EXPECT_TRUE(fs::is_empty(dir));
}

// The numpy.memmap reader of docs/prepared-dataset.md reads what the writer wrote (skipped when
// the system Python has no numpy).
TEST(PreparedDataset, NumpyMemmapReadsIt) {
  const fs::path dir = freshTempDir("dataset_numpy");
  writeSynthetic(dir, SyntheticOptions{});
  const std::string python = PLANELAB_SYSTEM_PYTHON;
  if (std::system((python + " -c 'import numpy' > /dev/null 2>&1").c_str()) != 0) {
    GTEST_SKIP() << "no numpy in " << python;
  }
  const fs::path out = dir / "python.out";
  const std::string command = python + " " + PLANELAB_TESTS_DATA_DIR + "/read_prepared.py " +
                              dir.string() + " > " + out.string() + " 2>&1";
  const int rc = std::system(command.c_str());
  std::ifstream in(out);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(rc, 0) << text;
  EXPECT_EQ(text, "ok\n");
}

}  // namespace
}  // namespace planelab::data
