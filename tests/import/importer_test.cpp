#include "import/importer.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <cmath>
#include <set>
#include <string>

#include "dicom/deterministic_uid.h"
#include "dicom/study_writer.h"
#include "phantom/study.h"

namespace planelab::import {
namespace {

namespace fs = std::filesystem;

fs::path scratch(const std::string& name) {
  const char* root = std::getenv("PLANELAB_TEST_TMP");
  fs::path dir = fs::path(root ? root : fs::temp_directory_path().string()) / "import" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

phantom::PhantomStudy writePhantom(const fs::path& dir, phantom::Layout layout, int subject) {
  phantom::StudyOptions o;
  o.layout = layout;
  o.phases = 3;
  const phantom::PhantomStudy study = phantom::generateStudy(5, subject, o);
  phantom::RenderSettings fast = phantom::RenderSettings::fast();
  fast.kspace_truncation = false;
  // Ground truth outside the DICOM tree, as the cohort writer does.
  const auto written =
      dicom::writeStudy(study, dir / study.patient.id, fast, phantom::StudyOptions::Labels::kEdEs,
                        2, {}, dir.parent_path() / (study.patient.id + "_truth.json"));
  EXPECT_TRUE(written.ok()) << written.status.message;
  return study;
}

// Minimal read-only access to the catalog file for checking what the importer stored.
class Db {
 public:
  explicit Db(const fs::path& file) {
    sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr);
  }
  ~Db() { sqlite3_close(db_); }
  // Columns of the first row of `sql` with one text parameter, as doubles (NaN for NULL).
  std::vector<double> row(const std::string& sql, const std::string& param) const {
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr);
    sqlite3_bind_text(st, 1, param.c_str(), -1, SQLITE_TRANSIENT);
    std::vector<double> out;
    if (sqlite3_step(st) == SQLITE_ROW) {
      for (int c = 0; c < sqlite3_column_count(st); ++c) {
        out.push_back(sqlite3_column_type(st, c) == SQLITE_NULL ? std::nan("")
                                                                : sqlite3_column_double(st, c));
      }
    }
    sqlite3_finalize(st);
    return out;
  }
  std::set<std::string> texts(const std::string& sql, const std::string& param) const {
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr);
    sqlite3_bind_text(st, 1, param.c_str(), -1, SQLITE_TRANSIENT);
    std::set<std::string> out;
    while (sqlite3_step(st) == SQLITE_ROW) {
      const auto* t = sqlite3_column_text(st, 0);
      out.insert(t ? reinterpret_cast<const char*>(t) : "");
    }
    sqlite3_finalize(st);
    return out;
  }
  long long count(const std::string& sql) const {
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr);
    long long n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return n;
  }

 private:
  sqlite3* db_ = nullptr;
};

TEST(Importer, PhantomGeometryAndLabelSetsMatchTruthInEveryLayout) {
  for (const auto layout :
       {phantom::Layout::kDsb, phantom::Layout::kUkb, phantom::Layout::kQuirks}) {
    const fs::path dir = scratch("layout_" + phantom::layoutName(layout));
    const phantom::PhantomStudy study = writePhantom(dir / "dicom", layout, 0);
    const ImportSummary s = importIntoCatalog(dir / "c.planelab", {dir / "dicom"}, {}, {});
    ASSERT_TRUE(s.ok()) << s.status.message;
    for (const auto& [key, count] : s.issues_by_key) ADD_FAILURE() << key << " x" << count;
    const Db db(dir / "c.planelab");
    int checked = 0;
    for (int si = 0; si < static_cast<int>(study.series.size()); ++si) {
      const auto& series = study.series[static_cast<std::size_t>(si)];
      std::set<std::string> labelled_images;
      for (int k = 0; k < static_cast<int>(series.slices.size()); ++k) {
        const auto& slice = series.slices[static_cast<std::size_t>(k)];
        const auto& p = slice.plane;
        for (const int phase : slice.phases) {
          const std::string uid = dicom::imageSopInstanceUid(study, si, k, phase);
          const auto v = db.row(
              "SELECT ipp_x, ipp_y, ipp_z, iop_row_x, iop_row_y, iop_row_z, iop_col_x, iop_col_y, "
              "iop_col_z, pixel_spacing_row_mm, pixel_spacing_col_mm, rows, cols, trigger_time_ms "
              "FROM instances WHERE sop_instance_uid = ?",
              uid);
          ASSERT_EQ(v.size(), 14u) << "image not in catalog: " << series.folder;
          const double expected[] = {p.position_mm.x,  p.position_mm.y, p.position_mm.z,
                                     p.row_dir.x,      p.row_dir.y,     p.row_dir.z,
                                     p.col_dir.x,      p.col_dir.y,     p.col_dir.z,
                                     p.row_spacing_mm, p.col_spacing_mm};
          for (int c = 0; c < 11; ++c)
            EXPECT_NEAR(v[static_cast<std::size_t>(c)], expected[c], 1e-6) << c;
          EXPECT_EQ(v[11], p.rows);
          EXPECT_EQ(v[12], p.cols);
          if (series.gated) {
            EXPECT_NEAR(v[13], series.trigger_times_ms[static_cast<std::size_t>(phase)], 1e-6);
          }
          ++checked;
        }
        for (const int phase :
             dicom::labelledPhases(study, series, slice, phantom::StudyOptions::Labels::kEdEs)) {
          labelled_images.insert(dicom::imageSopInstanceUid(study, si, k, phase));
        }
      }
      // The SEG of this series labels exactly its ED/ES images, each linked to the stored image.
      const std::string seg_series = dicom::segmentationSeriesUid(study, si);
      const auto referenced = db.texts(
          "SELECT f.referenced_sop_instance_uid FROM label_frames f JOIN label_sets l ON "
          "f.label_set = l.id "
          "JOIN series s ON l.series = s.id WHERE s.series_instance_uid = ?",
          seg_series);
      EXPECT_EQ(referenced, labelled_images) << series.folder;
      const auto unlinked = db.texts(
          "SELECT f.referenced_sop_instance_uid FROM label_frames f JOIN label_sets l ON "
          "f.label_set = l.id "
          "JOIN series s ON l.series = s.id WHERE s.series_instance_uid = ? AND f.instance IS NULL",
          seg_series);
      EXPECT_TRUE(unlinked.empty()) << series.folder;
    }
    EXPECT_GT(checked, 20);
  }
}

TEST(Importer, CancelKeepsCommittedBatchesAndResumingConverges) {
  const fs::path dir = scratch("cancel");
  writePhantom(dir / "dicom", phantom::Layout::kDsb, 1);
  writePhantom(dir / "dicom", phantom::Layout::kUkb, 2);
  ImportOptions options;
  options.batch_files = 8;
  options.jobs = 2;
  std::atomic<bool> cancel{false};
  options.cancel = &cancel;
  options.on_commit = [&](std::size_t written) { cancel = written >= 8; };  // after one batch
  const ImportSummary cancelled =
      importIntoCatalog(dir / "c.planelab", {dir / "dicom"}, options, {});
  options.cancel = nullptr;
  options.on_commit = nullptr;
  ASSERT_TRUE(cancelled.ok()) << cancelled.status.message;
  EXPECT_TRUE(cancelled.cancelled);
  const ImportSummary resumed = importIntoCatalog(dir / "c.planelab", {dir / "dicom"}, options, {});
  ASSERT_TRUE(resumed.ok());
  EXPECT_FALSE(resumed.cancelled);
  EXPECT_EQ(resumed.files_unchanged, cancelled.files_read);
  const ImportSummary whole =
      importIntoCatalog(dir / "whole.planelab", {dir / "dicom"}, options, {});
  EXPECT_EQ(resumed.catalog_after.instances, whole.catalog_after.instances);
  EXPECT_EQ(resumed.catalog_after.label_sets, whole.catalog_after.label_sets);
  EXPECT_EQ(resumed.catalog_after.series, whole.catalog_after.series);
  const Db db(dir / "c.planelab");
  EXPECT_EQ(db.count("SELECT COUNT(*) FROM import_runs WHERE state = 'cancelled'"), 1);
}

TEST(Importer, NothingToImportIsAUsageError) {
  const fs::path dir = scratch("empty");
  const ImportSummary s = importIntoCatalog(dir / "c.planelab", {}, {}, {});
  EXPECT_EQ(s.status.error_key, "no_inputs");
  EXPECT_FALSE(fs::exists(dir / "c.planelab"));
}

TEST(Importer, PseudonymsAreKeyedAndStable) {
  EXPECT_EQ(pseudonym("k1", "PL-HEART-0001"), pseudonym("k1", "PL-HEART-0001"));
  EXPECT_NE(pseudonym("k1", "PL-HEART-0001"), pseudonym("k2", "PL-HEART-0001"));
  EXPECT_NE(pseudonym("k1", "PL-HEART-0001"), pseudonym("k1", "PL-HEART-0002"));
  EXPECT_EQ(pseudonym("k1", "").size(), 0u);
  EXPECT_EQ(pseudonym("k1", "x").size(), 18u);  // "PX" + 16 hex digits
  EXPECT_EQ(pseudonym("k1", "x").rfind("PX", 0), 0u);
}

}  // namespace
}  // namespace planelab::import
