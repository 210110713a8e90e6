#include <gtest/gtest.h>

#include <algorithm>

#include "catalog/catalog.h"
#include "catalog/schema.h"
#include "catalog_test_support.h"

namespace planelab::catalog {
namespace {

using testing::freshTempDir;
using testing::mrImage;
using testing::openOrFail;
using testing::RawDb;

// A catalog exactly as version 1 of the code left it: 001_initial.sql, then rows written the way
// version 1 wrote them (label frames matched to images by UID text only).
void writeVersion1Catalog(const std::filesystem::path& file) {
  RawDb raw(file);
  raw.exec("PRAGMA journal_mode = WAL");
  raw.exec("BEGIN");
  raw.exec(std::string(schemaScripts().at(0).sql));
  raw.exec(R"sql(
    INSERT INTO import_runs (id, started_at, finished_at, state, inputs_json, options_json,
                             summary_json)
      VALUES (1, '2025-01-01T10:00:00.000Z', '2025-01-01T10:01:00.000Z', 'complete',
              '["/data"]', '{}', '{"files":3}');
    INSERT INTO files (id, path, size_bytes, mtime_ns, transfer_syntax_uid, sop_class_uid,
                       indexed_run)
      VALUES (1, '/data/img1.dcm', 1001, 1700000000000000001, '1.2.840.10008.1.2.1',
              '1.2.840.10008.5.1.4.1.1.4', 1),
             (2, '/data/seg.dcm', 5000, 1700000000000000009, '1.2.840.10008.1.2.1',
              '1.2.840.10008.5.1.4.1.1.66.4', 1),
             (3, '/data/readme.txt', 12, 1700000000000000010, NULL, NULL, 1);
    INSERT INTO patients (id, patient_id, name, birth_date, sex)
      VALUES (1, 'P1', 'Doe^Jane1', '19700101', 'F');
    INSERT INTO studies (id, patient, study_instance_uid, study_date, description)
      VALUES (1, 1, '1.2.1.1', '20240102', 'Cardiac MR');
    INSERT INTO series (id, study, series_instance_uid, series_number, modality, description,
                        frame_of_reference_uid)
      VALUES (1, 1, '1.2.1.1.1', 1, 'MR', 'SAX cine 1', '1.2.1.1.99'),
             (2, 1, '1.2.1.1.900', 900, 'SEG', 'Ground truth', '1.2.1.1.99');
    INSERT INTO instances (id, file, series, sop_class_uid, sop_instance_uid, frame_number,
                           instance_number, rows, cols, ipp_x, ipp_y, ipp_z, iop_row_x, iop_row_y,
                           iop_row_z, iop_col_x, iop_col_y, iop_col_z, pixel_spacing_row_mm,
                           pixel_spacing_col_mm, slice_thickness_mm, trigger_time_ms)
      VALUES (1, 1, 1, '1.2.840.10008.5.1.4.1.1.4', '1.2.1.1.1.1', 0, 1, 192, 208, -29.5,
              -175.25, 150.125, 1, 0, 0, 0, 1, 0, 1.6, 1.4, 8, 33.3);
    INSERT INTO label_sets (id, file, series, sop_instance_uid, segmentation_type)
      VALUES (1, 2, 2, '1.2.1.1.900.1', 'BINARY');
    INSERT INTO segments (label_set, number, label) VALUES (1, 1, 'Left ventricle');
    INSERT INTO label_frames (label_set, frame_number, segment_number,
                              referenced_sop_instance_uid, referenced_frame_number)
      VALUES (1, 1, 1, '1.2.1.1.1.1', 0),
             (1, 2, 1, '1.2.1.1.1.2', 0);
    INSERT INTO import_issues (file, run, key, message)
      VALUES (3, 1, 'not_dicom', 'not a DICOM file');
  )sql");
  raw.exec("COMMIT");
}

TEST(SchemaScripts, AreNumberedFromOneAndEachRecordsItsVersion) {
  const auto file = freshTempDir("scripts_each") / "catalog.sqlite";
  RawDb raw(file);
  int expected = 0;
  for (const SchemaScript& script : schemaScripts()) {
    EXPECT_EQ(script.version, ++expected);
    EXPECT_EQ(std::stoi(std::string(script.name.substr(0, 3))), script.version);
    raw.exec(std::string(script.sql));
    EXPECT_EQ(raw.integer("SELECT version FROM schema_version"), script.version) << script.name;
    EXPECT_EQ(raw.integer("PRAGMA user_version"), script.version) << script.name;
  }
  EXPECT_EQ(expected, Catalog::latestSchemaVersion());
  EXPECT_EQ(raw.integer("PRAGMA application_id"), kCatalogApplicationId);
}

TEST(SchemaMigration, UpgradesAVersion1CatalogWithoutLosingRows) {
  const auto file = freshTempDir("migration_v1") / "catalog.sqlite";
  writeVersion1Catalog(file);

  auto catalog = openOrFail(file);
  EXPECT_EQ(catalog->schemaVersion(), Catalog::latestSchemaVersion());
  const Counts counts = catalog->counts();
  EXPECT_EQ(counts.patients, 1);
  EXPECT_EQ(counts.studies, 1);
  EXPECT_EQ(counts.series, 2);
  EXPECT_EQ(counts.instances, 1);
  EXPECT_EQ(counts.label_sets, 1);
  EXPECT_EQ(counts.files, 3);
  EXPECT_EQ(counts.issues, 1);
  EXPECT_EQ(counts.runs, 1);

  const auto known = catalog->knownFiles();
  ASSERT_EQ(known.count("/data/img1.dcm"), 1u);
  EXPECT_EQ(known.at("/data/img1.dcm").size_bytes, 1001u);
  EXPECT_EQ(known.at("/data/img1.dcm").mtime_ns, 1700000000000000001);

  const Table issues = catalog->issues(std::nullopt);
  ASSERT_EQ(issues.rows.size(), 1u);
  EXPECT_EQ(std::get<std::string>(issues.rows[0][1]), "not_dicom");

  {
    RawDb raw(file);
    EXPECT_EQ(raw.integer("PRAGMA user_version"), Catalog::latestSchemaVersion());
    // The migration linked the frame whose image is present; the other waits for its image.
    EXPECT_EQ(raw.text("SELECT instance FROM label_frames WHERE frame_number = 1"), "1");
    EXPECT_EQ(raw.text("SELECT instance FROM label_frames WHERE frame_number = 2"), "NULL");
    EXPECT_EQ(raw.text("SELECT ipp_z FROM instances"), "150.125");
    EXPECT_EQ(raw.text("PRAGMA integrity_check"), "ok");
    EXPECT_TRUE(raw.rows("PRAGMA foreign_key_check").empty());
  }

  // The upgraded catalog is usable: the missing image arrives and is linked, rows are added to
  // the existing series, and the version 1 file is not re-read.
  Status status;
  const std::int64_t run = catalog->beginRun("[]", "{}", status);
  ASSERT_TRUE(status.ok());
  BatchCounts batch;
  ASSERT_TRUE(catalog->writeBatch(run, {mrImage("/data/img2.dcm", 1, 1, 1, 2)}, &batch).ok());
  EXPECT_EQ(batch.series_added, 0);
  EXPECT_EQ(batch.instances_added, 1);
  RawDb raw(file);
  EXPECT_EQ(raw.text("SELECT i.sop_instance_uid FROM label_frames lf JOIN instances i "
                     "ON i.id = lf.instance WHERE lf.frame_number = 2"),
            "1.2.1.1.1.2");
  Filters filters;
  filters.series_instance_uid = "1.2.1.1.1";
  const Table series = catalog->list(Level::kSeries, filters);
  ASSERT_EQ(series.rows.size(), 1u);
  const auto column = [&](const std::string& name) {
    return std::find(series.columns.begin(), series.columns.end(), name) - series.columns.begin();
  };
  EXPECT_EQ(std::get<std::int64_t>(series.rows[0][column("instances")]), 2);
  EXPECT_EQ(std::get<std::int64_t>(series.rows[0][column("labelled_by")]), 1);
}

TEST(SchemaMigration, AFailedMigrationLeavesTheCatalogAtItsVersion) {
  const auto file = freshTempDir("migration_failed") / "catalog.sqlite";
  writeVersion1Catalog(file);
  {
    // A user's own index under the name version 2 needs makes the 002 script fail half-way.
    RawDb raw(file);
    raw.exec("CREATE INDEX label_frames_instance ON label_frames (frame_number)");
  }
  Status status;
  EXPECT_FALSE(Catalog::open(file, status));
  EXPECT_EQ(status.error_key, "migration_failed");
  EXPECT_NE(status.message.find("002_"), std::string::npos) << status.message;

  RawDb raw(file);
  EXPECT_EQ(raw.integer("SELECT version FROM schema_version"), 1);
  EXPECT_EQ(raw.integer("PRAGMA user_version"), 1);
  // The ALTER TABLE of the failed script was rolled back with the rest.
  EXPECT_EQ(raw.integer("SELECT count(*) FROM pragma_table_info('label_frames') "
                        "WHERE name = 'instance'"),
            0);
  EXPECT_EQ(raw.integer("SELECT count(*) FROM instances"), 1);
}

}  // namespace
}  // namespace planelab::catalog
