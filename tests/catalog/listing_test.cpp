#include <gtest/gtest.h>

#include <algorithm>

#include "catalog/catalog.h"
#include "catalog_test_support.h"

namespace planelab::catalog {
namespace {

using testing::freshTempDir;
using testing::mrImage;
using testing::openOrFail;
using testing::segmentation;

// Two patients: P1 with a cardiac study of two cine series (2 + 1 images) and a SEG series, P2
// with one knee study of one series (1 image).
class Listing : public ::testing::Test {
 protected:
  void SetUp() override {
    catalog_ =
        openOrFail(freshTempDir(::testing::UnitTest::GetInstance()->current_test_info()->name()) /
                   "catalog.sqlite");
    Status status;
    const std::int64_t run = catalog_->beginRun("[]", "{}", status);
    FileRecord knee = mrImage("/data/p2/1.dcm", 2, 1, 1, 1);
    knee.study->description = "MR Knee";
    knee.series->description = "PD FS sag";
    knee.series->body_part = "KNEE";
    ASSERT_TRUE(catalog_
                    ->writeBatch(run,
                                 {mrImage("/data/p1/1.dcm", 1, 1, 1, 1),
                                  mrImage("/data/p1/2.dcm", 1, 1, 1, 2),
                                  mrImage("/data/p1/3.dcm", 1, 1, 2, 1), knee,
                                  segmentation("/data/p1/seg.dcm", "9.9", {"1.2.1.1.1.1"})},
                                 nullptr)
                    .ok());
  }
  static std::vector<std::string> column(const Table& table, const std::string& name) {
    const auto it = std::find(table.columns.begin(), table.columns.end(), name);
    EXPECT_NE(it, table.columns.end()) << name;
    std::vector<std::string> values;
    if (it == table.columns.end()) return values;
    const auto c = static_cast<std::size_t>(it - table.columns.begin());
    for (const auto& row : table.rows) {
      const Value& v = row[c];
      if (const auto* s = std::get_if<std::string>(&v)) {
        values.push_back(*s);
      } else if (const auto* i = std::get_if<std::int64_t>(&v)) {
        values.push_back(std::to_string(*i));
      } else if (const auto* d = std::get_if<double>(&v)) {
        values.push_back(std::to_string(*d));
      } else {
        values.push_back("NULL");
      }
    }
    return values;
  }
  std::unique_ptr<Catalog> catalog_;
};

using Strings = std::vector<std::string>;

TEST_F(Listing, PatientsWithTheirCounts) {
  const Table t = catalog_->list(Level::kPatients, {});
  EXPECT_EQ(t.columns,
            (Strings{"patient_id", "name", "sex", "birth_date", "studies", "series", "instances"}));
  EXPECT_EQ(column(t, "patient_id"), (Strings{"P1", "P2"}));
  EXPECT_EQ(column(t, "studies"), (Strings{"1", "1"}));
  EXPECT_EQ(column(t, "series"), (Strings{"3", "1"}));
  EXPECT_EQ(column(t, "instances"), (Strings{"3", "1"}));
  EXPECT_TRUE(catalog_->lastStatus().ok());
}

TEST_F(Listing, StudiesWithTheirCounts) {
  const Table t = catalog_->list(Level::kStudies, {});
  EXPECT_EQ(t.columns.front(), "study_instance_uid");
  EXPECT_EQ(column(t, "study_instance_uid"), (Strings{"1.2.1.1", "1.2.2.1"}));
  EXPECT_EQ(column(t, "patient_id"), (Strings{"P1", "P2"}));
  EXPECT_EQ(column(t, "study_date"), (Strings{"20240102", "20240102"}));
  EXPECT_EQ(column(t, "description"), (Strings{"Cardiac MR", "MR Knee"}));
  EXPECT_EQ(column(t, "series"), (Strings{"3", "1"}));
  EXPECT_EQ(column(t, "instances"), (Strings{"3", "1"}));
}

TEST_F(Listing, SeriesWithGeometrySummaryAndLabelSets) {
  const Table t = catalog_->list(Level::kSeries, {});
  EXPECT_EQ(column(t, "series_instance_uid"),
            (Strings{"1.2.1.1.1", "1.2.1.1.2", "1.2.1.1.900", "1.2.2.1.1"}));
  EXPECT_EQ(column(t, "study_instance_uid"), (Strings{"1.2.1.1", "1.2.1.1", "1.2.1.1", "1.2.2.1"}));
  EXPECT_EQ(column(t, "modality"), (Strings{"MR", "MR", "SEG", "MR"}));
  EXPECT_EQ(column(t, "series_number"), (Strings{"1", "2", "900", "1"}));
  EXPECT_EQ(column(t, "protocol_name"), (Strings{"cine_sax", "cine_sax", "cine_sax", "cine_sax"}));
  EXPECT_EQ(column(t, "frame_of_reference_uid"),
            (Strings{"1.2.1.1.99", "1.2.1.1.99", "1.2.1.1.99", "1.2.2.1.99"}));
  EXPECT_EQ(column(t, "rows"), (Strings{"192", "192", "NULL", "192"}));
  EXPECT_EQ(column(t, "cols"), (Strings{"208", "208", "NULL", "208"}));
  EXPECT_EQ(column(t, "instances"), (Strings{"2", "1", "0", "1"}));
  EXPECT_EQ(column(t, "label_sets"), (Strings{"0", "0", "1", "0"}));
  EXPECT_EQ(column(t, "labelled_by"), (Strings{"1", "0", "0", "0"}));
}

TEST_F(Listing, InstancesWithGeometry) {
  const Table t = catalog_->list(Level::kInstances, {});
  ASSERT_EQ(t.rows.size(), 4u);
  for (const char* name : {"sop_instance_uid",
                           "frame_number",
                           "series_instance_uid",
                           "instance_number",
                           "path",
                           "rows",
                           "cols",
                           "ipp_x",
                           "ipp_y",
                           "ipp_z",
                           "iop_row_x",
                           "iop_row_y",
                           "iop_row_z",
                           "iop_col_x",
                           "iop_col_y",
                           "iop_col_z",
                           "pixel_spacing_row_mm",
                           "pixel_spacing_col_mm",
                           "slice_thickness_mm",
                           "spacing_between_slices_mm",
                           "slice_location_mm",
                           "trigger_time_ms",
                           "cardiac_number_of_images",
                           "nominal_interval_ms",
                           "acquisition_time",
                           "sop_class_uid",
                           "transfer_syntax_uid",
                           "missing"}) {
    EXPECT_NE(std::find(t.columns.begin(), t.columns.end(), name), t.columns.end()) << name;
  }
  EXPECT_EQ(column(t, "path"),
            (Strings{"/data/p1/1.dcm", "/data/p1/2.dcm", "/data/p1/3.dcm", "/data/p2/1.dcm"}));
  EXPECT_EQ(column(t, "pixel_spacing_row_mm")[0], std::to_string(1.6));
}

TEST_F(Listing, FiltersByEachField) {
  Filters f;
  f.patient_id = "P2";
  EXPECT_EQ(column(catalog_->list(Level::kSeries, f), "series_instance_uid"),
            (Strings{"1.2.2.1.1"}));
  EXPECT_EQ(column(catalog_->list(Level::kPatients, f), "patient_id"), (Strings{"P2"}));

  f = {};
  f.study_instance_uid = "1.2.1.1";
  EXPECT_EQ(column(catalog_->list(Level::kPatients, f), "patient_id"), (Strings{"P1"}));
  EXPECT_EQ(catalog_->list(Level::kInstances, f).rows.size(), 3u);

  f = {};
  f.series_instance_uid = "1.2.1.1.1";
  EXPECT_EQ(column(catalog_->list(Level::kInstances, f), "instance_number"), (Strings{"1", "2"}));
  EXPECT_EQ(column(catalog_->list(Level::kStudies, f), "study_instance_uid"), (Strings{"1.2.1.1"}));

  f = {};
  f.modality = "SEG";
  EXPECT_EQ(column(catalog_->list(Level::kSeries, f), "series_instance_uid"),
            (Strings{"1.2.1.1.900"}));
  EXPECT_EQ(column(catalog_->list(Level::kPatients, f), "patient_id"), (Strings{"P1"}));

  // Case-insensitive substring of the study or the series description.
  f = {};
  f.description = "knee";
  EXPECT_EQ(column(catalog_->list(Level::kPatients, f), "patient_id"), (Strings{"P2"}));
  f.description = "fs SAG";
  EXPECT_EQ(column(catalog_->list(Level::kSeries, f), "series_instance_uid"),
            (Strings{"1.2.2.1.1"}));
  f.description = "CINE 2";
  EXPECT_EQ(column(catalog_->list(Level::kStudies, f), "study_instance_uid"), (Strings{"1.2.1.1"}));
  f.description = "50% off";  // LIKE wildcards are plain text here
  EXPECT_TRUE(catalog_->list(Level::kSeries, f).rows.empty());

  f = {};
  f.patient_id = "P1";
  f.modality = "MR";
  f.limit = 1;
  EXPECT_EQ(column(catalog_->list(Level::kSeries, f), "series_instance_uid"),
            (Strings{"1.2.1.1.1"}));
  f.limit = 0;
  EXPECT_EQ(catalog_->list(Level::kSeries, f).rows.size(), 2u);
}

TEST_F(Listing, NoMatchGivesAnEmptyTableWithColumns) {
  Filters f;
  f.patient_id = "nobody";
  const Table t = catalog_->list(Level::kStudies, f);
  EXPECT_TRUE(t.rows.empty());
  EXPECT_FALSE(t.columns.empty());
  EXPECT_TRUE(catalog_->lastStatus().ok());
}

}  // namespace
}  // namespace planelab::catalog
