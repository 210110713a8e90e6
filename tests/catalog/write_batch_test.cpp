#include <gtest/gtest.h>

#include <algorithm>

#include "catalog/catalog.h"
#include "catalog_test_support.h"

namespace planelab::catalog {
namespace {

using testing::contentDump;
using testing::freshTempDir;
using testing::mrImage;
using testing::multiFrameImage;
using testing::openOrFail;
using testing::RawDb;
using testing::segmentation;

class WriteBatch : public ::testing::Test {
 protected:
  void open(const std::string& name) {
    file_ = freshTempDir(name) / "catalog.sqlite";
    catalog_ = openOrFail(file_);
    run_ = newRun();
  }
  std::int64_t newRun() {
    Status status;
    const std::int64_t run = catalog_->beginRun(R"(["/data"])", "{}", status);
    EXPECT_TRUE(status.ok()) << status.message;
    return run;
  }
  BatchCounts write(const std::vector<FileRecord>& files, std::int64_t run = 0) {
    BatchCounts counts;
    const Status status = catalog_->writeBatch(run != 0 ? run : run_, files, &counts);
    EXPECT_TRUE(status.ok()) << status.error_key << ": " << status.message;
    return counts;
  }

  std::filesystem::path file_;
  std::unique_ptr<Catalog> catalog_;
  std::int64_t run_ = 0;
};

TEST_F(WriteBatch, StoresEveryFieldAsATypedColumn) {
  open("write_fields");
  const FileRecord f = mrImage("/data/ä/img1.dcm", 1, 1, 1, 1);
  write({f});
  RawDb raw(file_);
  const auto row = raw.rows(
      "SELECT i.sop_class_uid, i.sop_instance_uid, i.frame_number, i.instance_number, i.rows, "
      "i.cols, i.acquisition_time, i.cardiac_number_of_images, typeof(i.ipp_x), "
      "typeof(i.rows), typeof(i.trigger_time_ms), f.path, f.size_bytes, f.mtime_ns, "
      "f.transfer_syntax_uid, f.sop_class_uid, f.missing, se.series_number, se.modality, "
      "se.description, se.protocol_name, se.sequence_name, se.body_part, se.laterality, "
      "se.patient_position, se.manufacturer, se.frame_of_reference_uid, st.study_instance_uid, "
      "st.study_date, st.study_time, st.description, st.accession_number, st.study_id, "
      "p.patient_id, p.name, p.birth_date, p.sex "
      "FROM instances i JOIN files f ON f.id = i.file JOIN series se ON se.id = i.series "
      "JOIN studies st ON st.id = se.study JOIN patients p ON p.id = st.patient");
  ASSERT_EQ(row.size(), 1u);
  const std::vector<std::string> expected = {"1.2.840.10008.5.1.4.1.1.4",
                                             "1.2.1.1.1.1",
                                             "0",
                                             "1",
                                             "192",
                                             "208",
                                             "101522.125",
                                             "25",
                                             "real",
                                             "integer",
                                             "real",
                                             "/data/ä/img1.dcm",
                                             "1001",
                                             "1700000000000000001",
                                             "1.2.840.10008.1.2.1",
                                             "1.2.840.10008.5.1.4.1.1.4",
                                             "0",
                                             "1",
                                             "MR",
                                             "SAX cine 1",
                                             "cine_sax",
                                             "*tfi2d1_12",
                                             "HEART",
                                             "NULL",  // empty Laterality is absent
                                             "HFS",
                                             "PlaneLab Phantom",
                                             "1.2.1.1.99",
                                             "1.2.1.1",
                                             "20240102",
                                             "101500",
                                             "Cardiac MR",
                                             "ACC1",
                                             "S1",
                                             "P1",
                                             "Doe^Jane1",
                                             "19700101",
                                             "F"};
  EXPECT_EQ(row[0], expected);

  // Doubles come back bit for bit.
  const InstanceRecord& i = f.instances[0];
  const std::vector<std::pair<std::string, double>> reals = {
      {"ipp_x", (*i.image_position_patient)[0]},
      {"ipp_y", (*i.image_position_patient)[1]},
      {"ipp_z", (*i.image_position_patient)[2]},
      {"iop_row_x", (*i.image_orientation_patient)[0]},
      {"iop_row_y", (*i.image_orientation_patient)[1]},
      {"iop_row_z", (*i.image_orientation_patient)[2]},
      {"iop_col_x", (*i.image_orientation_patient)[3]},
      {"iop_col_y", (*i.image_orientation_patient)[4]},
      {"iop_col_z", (*i.image_orientation_patient)[5]},
      {"pixel_spacing_row_mm", (*i.pixel_spacing)[0]},
      {"pixel_spacing_col_mm", (*i.pixel_spacing)[1]},
      {"slice_thickness_mm", *i.slice_thickness_mm},
      {"spacing_between_slices_mm", *i.spacing_between_slices_mm},
      {"slice_location_mm", *i.slice_location_mm},
      {"trigger_time_ms", *i.trigger_time_ms},
      {"nominal_interval_ms", *i.nominal_interval_ms}};
  for (const auto& [column, value] : reals) {
    EXPECT_EQ(raw.real("SELECT " + column + " FROM instances"), value) << column;
  }
  EXPECT_EQ(raw.real("SELECT magnetic_field_strength_t FROM series"), 1.5);

  // The listing carries the same values.
  const Table table = catalog_->list(Level::kInstances, {});
  ASSERT_EQ(table.rows.size(), 1u);
  const auto at = [&](const std::string& name) {
    const auto it = std::find(table.columns.begin(), table.columns.end(), name);
    EXPECT_NE(it, table.columns.end()) << name;
    return table.rows[0][static_cast<std::size_t>(it - table.columns.begin())];
  };
  EXPECT_EQ(std::get<double>(at("ipp_x")), -29.084812345);
  EXPECT_EQ(std::get<double>(at("iop_col_z")), -0.913545);
  EXPECT_EQ(std::get<std::int64_t>(at("rows")), 192);
  EXPECT_EQ(std::get<std::string>(at("path")), "/data/ä/img1.dcm");
}

TEST_F(WriteBatch, StoresAbsentOptionalsAsNull) {
  open("write_nulls");
  FileRecord f = mrImage("/data/img1.dcm", 1, 1, 1, 1);
  InstanceRecord& i = f.instances[0];
  i.instance_number.reset();
  i.image_position_patient.reset();
  i.image_orientation_patient.reset();
  i.pixel_spacing.reset();
  i.slice_thickness_mm.reset();
  i.spacing_between_slices_mm.reset();
  i.slice_location_mm.reset();
  i.trigger_time_ms.reset();
  i.cardiac_number_of_images.reset();
  i.nominal_interval_ms.reset();
  i.acquisition_time.clear();
  f.series->series_number.reset();
  f.series->magnetic_field_strength_t.reset();
  f.series->frame_of_reference_uid.clear();
  f.transfer_syntax_uid.clear();
  write({f});
  RawDb raw(file_);
  const auto row = raw.rows(
      "SELECT instance_number, ipp_x, ipp_y, ipp_z, iop_row_x, iop_row_y, iop_row_z, iop_col_x, "
      "iop_col_y, iop_col_z, pixel_spacing_row_mm, pixel_spacing_col_mm, slice_thickness_mm, "
      "spacing_between_slices_mm, slice_location_mm, trigger_time_ms, cardiac_number_of_images, "
      "nominal_interval_ms, acquisition_time, "
      "(SELECT series_number FROM series), (SELECT magnetic_field_strength_t FROM series), "
      "(SELECT frame_of_reference_uid FROM series), (SELECT transfer_syntax_uid FROM files) "
      "FROM instances");
  ASSERT_EQ(row.size(), 1u);
  for (std::size_t c = 0; c < row[0].size(); ++c) EXPECT_EQ(row[0][c], "NULL") << "column " << c;
  const Table table = catalog_->list(Level::kInstances, {});
  const auto it = std::find(table.columns.begin(), table.columns.end(), "ipp_x");
  ASSERT_NE(it, table.columns.end());
  EXPECT_TRUE(std::holds_alternative<std::monostate>(
      table.rows[0][static_cast<std::size_t>(it - table.columns.begin())]));
}

TEST_F(WriteBatch, CountsWhatIsNew) {
  open("write_counts");
  const BatchCounts counts =
      write({mrImage("/data/1.dcm", 1, 1, 1, 1), mrImage("/data/2.dcm", 1, 1, 1, 2),
             mrImage("/data/3.dcm", 1, 1, 2, 1), mrImage("/data/4.dcm", 2, 1, 1, 1)});
  EXPECT_EQ(counts.patients_added, 2);
  EXPECT_EQ(counts.studies_added, 2);
  EXPECT_EQ(counts.series_added, 3);
  EXPECT_EQ(counts.instances_added, 4);
  EXPECT_EQ(counts.instances_updated, 0);
  EXPECT_EQ(counts.files_added, 4);
  EXPECT_EQ(counts.files_changed, 0);
  EXPECT_TRUE(counts.issues.empty());
  const BatchCounts more = write({mrImage("/data/5.dcm", 1, 1, 1, 3)});
  EXPECT_EQ(more.patients_added, 0);
  EXPECT_EQ(more.series_added, 0);
  EXPECT_EQ(more.instances_added, 1);
  const Counts total = catalog_->counts();
  EXPECT_EQ(total.patients, 2);
  EXPECT_EQ(total.studies, 2);
  EXPECT_EQ(total.series, 3);
  EXPECT_EQ(total.instances, 5);
  EXPECT_EQ(total.files, 5);
}

TEST_F(WriteBatch, AChangedFileReplacesItsRows) {
  open("write_replace");
  write({mrImage("/data/1.dcm", 1, 1, 1, 1), mrImage("/data/2.dcm", 1, 1, 1, 2)});
  FileRecord changed = mrImage("/data/2.dcm", 1, 1, 1, 7);  // other image, same path
  changed.size_bytes = 4242;
  changed.mtime_ns += 1'000'000'000;
  const BatchCounts counts = write({changed}, newRun());
  EXPECT_EQ(counts.files_changed, 1);
  EXPECT_EQ(counts.files_added, 0);
  EXPECT_EQ(counts.instances_updated, 1);
  EXPECT_EQ(counts.instances_added, 0);
  RawDb raw(file_);
  EXPECT_EQ(raw.integer("SELECT count(*) FROM instances"), 2);
  EXPECT_EQ(raw.integer("SELECT count(*) FROM instances WHERE sop_instance_uid = '1.2.1.1.1.2'"),
            0);
  EXPECT_EQ(raw.integer("SELECT count(*) FROM instances WHERE sop_instance_uid = '1.2.1.1.1.7'"),
            1);
  EXPECT_EQ(raw.integer("SELECT count(*) FROM files"), 2);
  const KnownFile known = catalog_->knownFiles().at("/data/2.dcm");
  EXPECT_EQ(known.size_bytes, 4242u);
  EXPECT_EQ(known.mtime_ns, changed.mtime_ns);
}

TEST_F(WriteBatch, AChangedFileThatLeftItsSeriesTakesTheEmptySeriesAlong) {
  open("write_prune");
  write({mrImage("/data/1.dcm", 1, 1, 1, 1), mrImage("/data/2.dcm", 1, 1, 2, 1)});
  write({mrImage("/data/2.dcm", 3, 1, 1, 1)}, newRun());  // now another patient's image
  const Counts counts = catalog_->counts();
  EXPECT_EQ(counts.series, 2);   // 1.2.1.1.1 and 1.2.3.1.1; 1.2.1.1.2 is gone
  EXPECT_EQ(counts.studies, 2);  // 1.2.1.1 (still has a series) and 1.2.3.1
  EXPECT_EQ(counts.patients, 2);
  RawDb raw(file_);
  EXPECT_EQ(raw.integer("SELECT count(*) FROM series WHERE series_instance_uid = '1.2.1.1.2'"), 0);
}

TEST_F(WriteBatch, RewritingTheSameFilesLeavesTheSameContent) {
  open("write_idempotent");
  const std::vector<FileRecord> files = {mrImage("/data/1.dcm", 1, 1, 1, 1),
                                         mrImage("/data/2.dcm", 1, 1, 1, 2),
                                         segmentation("/data/seg.dcm", "9.9", {"1.2.1.1.1.1"})};
  write(files);
  const auto before = contentDump(file_);
  write(files);
  EXPECT_EQ(contentDump(file_), before);
}

TEST_F(WriteBatch, UpdatesSeriesDescriptionsFromANewerFileButKeepsKnownValues) {
  open("write_upsert");
  write({mrImage("/data/1.dcm", 1, 1, 1, 1)});
  FileRecord newer = mrImage("/data/2.dcm", 1, 1, 1, 2);
  newer.series->description = "SAX cine (corrected)";
  newer.series->protocol_name.clear();  // absent in the newer file: the known value stays
  newer.study->description = "Cardiac MR research";
  write({newer});
  RawDb raw(file_);
  EXPECT_EQ(raw.text("SELECT description FROM series"), "SAX cine (corrected)");
  EXPECT_EQ(raw.text("SELECT protocol_name FROM series"), "cine_sax");
  EXPECT_EQ(raw.text("SELECT description FROM studies"), "Cardiac MR research");
  EXPECT_EQ(raw.integer("SELECT count(*) FROM series"), 1);
}

TEST_F(WriteBatch, ReportsADuplicateSopInstanceOfAnotherFile) {
  open("write_duplicate");
  write({mrImage("/data/a.dcm", 1, 1, 1, 1)});
  const BatchCounts counts = write({mrImage("/data/copy/a.dcm", 1, 1, 1, 1)}, newRun());
  ASSERT_EQ(counts.issues.size(), 1u);
  EXPECT_EQ(counts.issues[0].first, "/data/copy/a.dcm");
  EXPECT_EQ(counts.issues[0].second.key, "duplicate_sop_instance");
  EXPECT_NE(counts.issues[0].second.message.find("/data/a.dcm"), std::string::npos);
  EXPECT_EQ(counts.instances_added, 0);
  EXPECT_EQ(counts.files_added, 1);
  const Counts total = catalog_->counts();
  EXPECT_EQ(total.instances, 1);
  EXPECT_EQ(total.files, 2);  // the copy is known, so it is not read again next time
  const Table issues = catalog_->issues(std::nullopt);
  ASSERT_EQ(issues.rows.size(), 1u);
  EXPECT_EQ(std::get<std::string>(issues.rows[0][0]), "/data/copy/a.dcm");
  EXPECT_EQ(std::get<std::string>(issues.rows[0][1]), "duplicate_sop_instance");

  // The same file written again (changed) is not a duplicate of itself.
  FileRecord again = mrImage("/data/a.dcm", 1, 1, 1, 1);
  again.size_bytes += 1;
  const BatchCounts rewrite = write({again});
  EXPECT_TRUE(rewrite.issues.empty());
  EXPECT_EQ(rewrite.instances_updated, 1);
}

TEST_F(WriteBatch, ReportsADuplicateLabelSet) {
  open("write_duplicate_seg");
  write({segmentation("/data/seg.dcm", "9.9", {"1.2.1.1.1.1"})});
  const BatchCounts counts = write({segmentation("/data/seg_copy.dcm", "9.9", {"1.2.1.1.1.1"})});
  ASSERT_EQ(counts.issues.size(), 1u);
  EXPECT_EQ(counts.issues[0].second.key, "duplicate_sop_instance");
  EXPECT_EQ(counts.label_sets_added, 0);
  EXPECT_EQ(catalog_->counts().label_sets, 1);
}

TEST_F(WriteBatch, StoresOneRowPerFrameOfAMultiFrameFile) {
  open("write_multiframe");
  const BatchCounts counts = write({multiFrameImage("/data/enhanced.dcm", 12)});
  EXPECT_EQ(counts.instances_added, 12);
  RawDb raw(file_);
  EXPECT_EQ(raw.integer("SELECT count(DISTINCT sop_instance_uid) FROM instances"), 1);
  EXPECT_EQ(raw.text("SELECT group_concat(frame_number) FROM (SELECT frame_number FROM "
                     "instances ORDER BY frame_number)"),
            "1,2,3,4,5,6,7,8,9,10,11,12");
  EXPECT_EQ(raw.real("SELECT ipp_z FROM instances WHERE frame_number = 7"), 35.0);
  EXPECT_EQ(raw.text("SELECT DISTINCT sop_class_uid FROM instances"),
            "1.2.840.10008.5.1.4.1.1.4.1");
}

TEST_F(WriteBatch, ReportsAFrameListedTwiceInOneFile) {
  open("write_multiframe_twice");
  FileRecord f = multiFrameImage("/data/enhanced.dcm", 3);
  f.instances.push_back(f.instances.back());
  const BatchCounts counts = write({f});
  EXPECT_EQ(counts.instances_added, 3);
  ASSERT_EQ(counts.issues.size(), 1u);
  EXPECT_EQ(counts.issues[0].second.key, "duplicate_sop_instance");
  EXPECT_NE(counts.issues[0].second.message.find("twice"), std::string::npos);
}

TEST_F(WriteBatch, LinksLabelFramesToImagesThatArriveInALaterBatch) {
  open("write_label_later");
  const BatchCounts seg =
      write({segmentation("/data/seg.dcm", "9.9", {"1.2.1.1.1.1", "1.2.1.1.1.2", "1.2.1.1.1.3"})});
  EXPECT_EQ(seg.label_sets_added, 1);
  RawDb raw(file_);
  EXPECT_EQ(raw.integer("SELECT count(*) FROM label_frames WHERE instance IS NULL"), 3);
  EXPECT_EQ(raw.integer("SELECT count(*) FROM segments"), 2);

  write({mrImage("/data/1.dcm", 1, 1, 1, 1), mrImage("/data/2.dcm", 1, 1, 1, 2)});
  EXPECT_EQ(raw.integer("SELECT count(*) FROM label_frames lf JOIN instances i ON i.id = "
                        "lf.instance WHERE i.sop_instance_uid = lf.referenced_sop_instance_uid"),
            2);
  EXPECT_EQ(raw.text("SELECT referenced_sop_instance_uid FROM label_frames WHERE instance IS "
                     "NULL"),
            "1.2.1.1.1.3");

  // Replacing an image's file drops the link with the old row and links the new row.
  FileRecord changed = mrImage("/data/1.dcm", 1, 1, 1, 1);
  changed.size_bytes += 10;
  write({changed}, newRun());
  EXPECT_EQ(raw.integer("SELECT count(*) FROM label_frames lf JOIN instances i ON i.id = "
                        "lf.instance WHERE i.sop_instance_uid = lf.referenced_sop_instance_uid"),
            2);
  EXPECT_EQ(raw.integer("SELECT count(*) FROM label_frames WHERE instance IS NULL"), 1);
}

TEST_F(WriteBatch, LinksLabelFramesToImagesAlreadyPresentAndToFrames) {
  open("write_label_present");
  write({multiFrameImage("/data/enhanced.dcm", 4)});
  FileRecord seg = segmentation("/data/seg.dcm", "9.9", {});
  seg.label_set->frames = {{1, 1, "1.2.1.1.50.1", 2}, {2, 2, "1.2.1.1.50.1", 4}};
  write({seg});
  RawDb raw(file_);
  EXPECT_EQ(raw.text("SELECT group_concat(i.frame_number) FROM (SELECT i.frame_number FROM "
                     "label_frames lf JOIN instances i ON i.id = lf.instance ORDER BY "
                     "lf.frame_number) i"),
            "2,4");
  Filters filters;
  filters.series_instance_uid = "1.2.1.1.50";
  const Table series = catalog_->list(Level::kSeries, filters);
  ASSERT_EQ(series.rows.size(), 1u);
  const auto it = std::find(series.columns.begin(), series.columns.end(), "labelled_by");
  ASSERT_NE(it, series.columns.end());
  EXPECT_EQ(
      std::get<std::int64_t>(series.rows[0][static_cast<std::size_t>(it - series.columns.begin())]),
      1);
}

TEST_F(WriteBatch, RecordsFilesThatHaveOnlyIssues) {
  open("write_only_issues");
  FileRecord text;
  text.path = "/data/readme.txt";
  text.size_bytes = 12;
  text.mtime_ns = 5;
  text.issues.push_back({"not_dicom", "not a DICOM file (no DICM prefix)", "dcmtk: bad prefix"});
  FileRecord sr = mrImage("/data/report.dcm", 1, 1, 3, 1);
  sr.instances.clear();  // a structured report: recorded, not an image
  sr.issues.push_back({"no_image", "Basic Text SR holds no image", ""});
  const BatchCounts counts = write({text, sr});
  EXPECT_EQ(counts.files_added, 2);
  EXPECT_TRUE(counts.issues.empty());  // the scanner's issues are stored, not repeated here
  EXPECT_EQ(catalog_->counts().series, 0);
  const auto known = catalog_->knownFiles();
  EXPECT_EQ(known.at("/data/readme.txt").size_bytes, 12u);
  EXPECT_EQ(known.count("/data/report.dcm"), 1u);
  const Table issues = catalog_->issues(run_);
  ASSERT_EQ(issues.rows.size(), 2u);
  EXPECT_EQ(issues.columns, (std::vector<std::string>{"path", "key", "message", "detail", "run"}));
  EXPECT_EQ(std::get<std::string>(issues.rows[0][0]), "/data/readme.txt");
  EXPECT_EQ(std::get<std::string>(issues.rows[0][3]), "dcmtk: bad prefix");
  EXPECT_EQ(std::get<std::int64_t>(issues.rows[0][4]), run_);
  EXPECT_TRUE(std::holds_alternative<std::monostate>(issues.rows[1][3]));
}

TEST_F(WriteBatch, KeepsIssuesPerRunAndShowsEveryFilesCurrentIssuesByDefault) {
  open("write_issue_runs");
  FileRecord bad;
  bad.path = "/data/bad1.dcm";
  bad.issues.push_back({"truncated", "file ends inside an element", ""});
  write({bad});
  const std::int64_t second = newRun();
  bad.path = "/data/bad2.dcm";
  bad.issues[0] = {"unreadable", "permission denied", ""};
  write({bad}, second);
  const Table first_issues = catalog_->issues(run_);
  ASSERT_EQ(first_issues.rows.size(), 1u);
  EXPECT_EQ(std::get<std::string>(first_issues.rows[0][1]), "truncated");
  const Table current = catalog_->issues(std::nullopt);  // sorted by path
  ASSERT_EQ(current.rows.size(), 2u);
  EXPECT_EQ(std::get<std::string>(current.rows[0][1]), "truncated");
  EXPECT_EQ(std::get<std::string>(current.rows[1][1]), "unreadable");
  EXPECT_EQ(std::get<std::int64_t>(current.rows[1][4]), second);
  // A file read again takes its issues along: its old ones go, its new ones belong to the run.
  const std::int64_t third = newRun();
  bad.path = "/data/bad1.dcm";
  bad.issues.clear();
  write({bad}, third);
  EXPECT_TRUE(catalog_->issues(run_).rows.empty());
  EXPECT_EQ(catalog_->counts().issues, 1);
}

TEST_F(WriteBatch, ImagesWithoutPatientStudyOrSeriesAreReportedNotStored) {
  open("write_incomplete");
  FileRecord f = mrImage("/data/1.dcm", 1, 1, 1, 1);
  f.series.reset();
  const BatchCounts counts = write({f});
  ASSERT_EQ(counts.issues.size(), 1u);
  EXPECT_EQ(counts.issues[0].second.key, "incomplete_record");
  EXPECT_EQ(catalog_->counts().instances, 0);
  EXPECT_EQ(catalog_->counts().files, 1);
}

TEST_F(WriteBatch, RefusesAnUnknownRunAndWritesNothing) {
  open("write_unknown_run");
  BatchCounts counts;
  counts.files_added = 99;
  const Status status =
      catalog_->writeBatch(run_ + 100, {mrImage("/d/1.dcm", 1, 1, 1, 1)}, &counts);
  EXPECT_EQ(status.error_key, "write_failed");
  EXPECT_EQ(counts.files_added, 0);
  EXPECT_EQ(catalog_->counts().files, 0);
}

TEST_F(WriteBatch, MarksMissingFilesAndUnmarksThemWhenBack) {
  open("write_missing");
  write({mrImage("/data/1.dcm", 1, 1, 1, 1), mrImage("/data/2.dcm", 1, 1, 1, 2)});
  const std::int64_t second = newRun();
  ASSERT_TRUE(catalog_->markMissing(second, {"/data/2.dcm", "/data/never-seen.dcm"}).ok());
  auto known = catalog_->knownFiles();
  EXPECT_TRUE(known.at("/data/2.dcm").missing);
  EXPECT_FALSE(known.at("/data/1.dcm").missing);
  EXPECT_EQ(known.count("/data/never-seen.dcm"), 0u);
  Counts counts = catalog_->counts();
  EXPECT_EQ(counts.missing_files, 1);
  EXPECT_EQ(counts.instances, 2);  // rows are kept, only flagged
  {
    RawDb raw(file_);
    EXPECT_EQ(raw.integer("SELECT missing_since_run FROM files WHERE path = '/data/2.dcm'"),
              second);
  }
  Filters filters;
  filters.limit = 10;
  const Table instances = catalog_->list(Level::kInstances, filters);
  const auto missing_column = static_cast<std::size_t>(
      std::find(instances.columns.begin(), instances.columns.end(), "missing") -
      instances.columns.begin());
  ASSERT_LT(missing_column, instances.columns.size());
  EXPECT_EQ(std::get<std::int64_t>(instances.rows[1][missing_column]), 1);

  // Marking again keeps the run that first missed it.
  ASSERT_TRUE(catalog_->markMissing(newRun(), {"/data/2.dcm"}).ok());
  {
    RawDb raw(file_);
    EXPECT_EQ(raw.integer("SELECT missing_since_run FROM files WHERE path = '/data/2.dcm'"),
              second);
  }
  ASSERT_TRUE(catalog_->markMissing(newRun(), {"/data/2.dcm"}, false).ok());
  EXPECT_FALSE(catalog_->knownFiles().at("/data/2.dcm").missing);
  EXPECT_EQ(catalog_->counts().missing_files, 0);

  // A missing file that comes back changed is written again, which also clears the flag.
  ASSERT_TRUE(catalog_->markMissing(newRun(), {"/data/1.dcm"}).ok());
  FileRecord back = mrImage("/data/1.dcm", 1, 1, 1, 1);
  back.size_bytes += 1;
  write({back}, newRun());
  EXPECT_FALSE(catalog_->knownFiles().at("/data/1.dcm").missing);
}

TEST_F(WriteBatch, RunsRecordTheirStateAndSummary) {
  open("write_runs");
  write({mrImage("/data/1.dcm", 1, 1, 1, 1)});
  ASSERT_TRUE(catalog_->finishRun(run_, "complete", R"({"instances_added":1})").ok());
  EXPECT_EQ(catalog_->finishRun(run_, "done", "{}").error_key, "write_failed");
  EXPECT_EQ(catalog_->finishRun(run_ + 7, "failed", "{}").error_key, "write_failed");
  const std::int64_t second = newRun();
  const Table runs = catalog_->runs();
  ASSERT_EQ(runs.rows.size(), 2u);
  const auto column = [&](const std::string& name) {
    const auto it = std::find(runs.columns.begin(), runs.columns.end(), name);
    EXPECT_NE(it, runs.columns.end()) << name;
    return static_cast<std::size_t>(it - runs.columns.begin());
  };
  EXPECT_EQ(std::get<std::int64_t>(runs.rows[0][column("run")]), run_);
  EXPECT_EQ(std::get<std::string>(runs.rows[0][column("state")]), "complete");
  EXPECT_EQ(std::get<std::string>(runs.rows[0][column("summary_json")]),
            R"({"instances_added":1})");
  EXPECT_EQ(std::get<std::string>(runs.rows[0][column("inputs_json")]), R"(["/data"])");
  EXPECT_EQ(std::get<std::int64_t>(runs.rows[0][column("files")]), 1);
  EXPECT_FALSE(std::holds_alternative<std::monostate>(runs.rows[0][column("finished_at")]));
  EXPECT_EQ(std::get<std::int64_t>(runs.rows[1][column("run")]), second);
  EXPECT_EQ(std::get<std::string>(runs.rows[1][column("state")]), "running");
  EXPECT_TRUE(std::holds_alternative<std::monostate>(runs.rows[1][column("finished_at")]));
}

}  // namespace
}  // namespace planelab::catalog
