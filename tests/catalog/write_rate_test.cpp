#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "catalog/catalog.h"
#include "catalog_test_support.h"

namespace planelab::catalog {
namespace {

using testing::freshTempDir;
using testing::mrImage;
using testing::multiFrameImage;
using testing::openOrFail;

constexpr int kFilesPerBatch = 1000;  // the importer's batch size

// Real UIDs and paths are several times longer than the fixtures' (index keys grow with them).
FileRecord withRealisticNames(FileRecord f) {
  const std::string root = "1.2.826.0.1.3680043.8.498.10593847261539487612345.";
  f.path = "/home/researcher/studies/cohort-2024/dicom" + f.path;
  f.study->study_instance_uid = root + f.study->study_instance_uid;
  f.series->series_instance_uid = root + f.series->series_instance_uid;
  f.series->frame_of_reference_uid = root + f.series->frame_of_reference_uid;
  for (InstanceRecord& i : f.instances) i.sop_instance_uid = root + i.sop_instance_uid;
  return f;
}

double writeAll(Catalog& catalog, std::int64_t run,
                const std::vector<std::vector<FileRecord>>& batches) {
  const auto start = std::chrono::steady_clock::now();
  for (const auto& batch : batches) {
    const Status status = catalog.writeBatch(run, batch, nullptr);
    EXPECT_TRUE(status.ok()) << status.message;
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Prints instance rows per second for new single-frame files, the same files changed (each
// replacement deletes the old rows first) and new multi-frame files. The bounds only catch a lost
// index (quadratic behaviour); the numbers to watch are the printed rates.
TEST(WriteRate, ThousandFileBatches) {
  const auto file = freshTempDir("write_rate") / "catalog.sqlite";
  auto catalog = openOrFail(file);
  Status status;
  const std::int64_t run = catalog->beginRun("[]", "{}", status);

  constexpr int kBatches = 20;
  std::vector<std::vector<FileRecord>> batches(kBatches);
  for (int b = 0; b < kBatches; ++b) {
    for (int k = 0; k < kFilesPerBatch; ++k) {
      const int series = b * 10 + k / 100;  // 10 series of 100 images per batch
      batches[b].push_back(withRealisticNames(
          mrImage("/s" + std::to_string(series) + "/IM" + std::to_string(k % 100) + ".dcm",
                  series / 50, series / 20, series, k % 100 + 1)));
    }
  }
  const int rows = kBatches * kFilesPerBatch;
  const double added_s = writeAll(*catalog, run, batches);
  for (auto& batch : batches) {
    for (FileRecord& f : batch) f.mtime_ns += 1;
  }
  const double changed_s = writeAll(*catalog, run, batches);
  EXPECT_EQ(catalog->counts().instances, rows);

  std::vector<std::vector<FileRecord>> enhanced(2);
  constexpr int kFrames = 10;
  for (int b = 0; b < 2; ++b) {
    for (int k = 0; k < kFilesPerBatch; ++k) {
      FileRecord f = withRealisticNames(multiFrameImage(
          "/enhanced/" + std::to_string(b) + "/" + std::to_string(k) + ".dcm", kFrames));
      for (InstanceRecord& i : f.instances)
        i.sop_instance_uid += "." + std::to_string(b * 1000 + k);
      enhanced[b].push_back(std::move(f));
    }
  }
  const double enhanced_s = writeAll(*catalog, run, enhanced);
  const int enhanced_rows = 2 * kFilesPerBatch * kFrames;
  EXPECT_EQ(catalog->counts().instances, rows + enhanced_rows);

  std::printf(
      "writeBatch, batches of %d files: new %.0f rows/s, changed %.0f rows/s, "
      "multi-frame (%d frames) %.0f rows/s\n",
      kFilesPerBatch, rows / added_s, rows / changed_s, kFrames, enhanced_rows / enhanced_s);
  RecordProperty("new_rows_per_second", static_cast<int>(rows / added_s));
  RecordProperty("changed_rows_per_second", static_cast<int>(rows / changed_s));
  RecordProperty("multiframe_rows_per_second", static_cast<int>(enhanced_rows / enhanced_s));
  EXPECT_GT(rows / added_s, 2000.0);
  EXPECT_GT(rows / changed_s, 2000.0);
}

}  // namespace
}  // namespace planelab::catalog
