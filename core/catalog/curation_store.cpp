// The Catalog's curation API: reading a study's images for curation, storing its results (schema
// 003_curation.sql) and listing them.
#include <unordered_map>

#include "catalog/catalog.h"
#include "catalog/catalog_impl.h"
#include "catalog/listing.h"
#include "catalog/sqlite_db.h"

namespace planelab::catalog {
namespace {

std::optional<double> optionalDouble(const Query& q, int column) {
  if (q.isNull(column)) return std::nullopt;
  return q.doubleAt(column);
}

std::optional<int> optionalInt(const Query& q, int column) {
  if (q.isNull(column)) return std::nullopt;
  return static_cast<int>(q.int64At(column));
}

// Reads `count` consecutive REAL columns from `first`; nullopt if any is NULL.
template <std::size_t N>
std::optional<std::array<double, N>> optionalArray(const Query& q, int first) {
  std::array<double, N> values{};
  for (std::size_t i = 0; i < N; ++i) {
    const int column = first + static_cast<int>(i);
    if (q.isNull(column)) return std::nullopt;
    values[i] = q.doubleAt(column);
  }
  return values;
}

Query& bindId(Query& q, int index, std::int64_t id) {
  return id > 0 ? q.bind(index, id) : q.bindNull(index);
}

// Deletes what an earlier run stored for the study (plane_images and intersections go with their
// planes, findings with the study's rows).
void clearStudy(Database& db, std::int64_t study) {
  db.query("DELETE FROM qa_findings WHERE study = ?1").bind(1, study).run();
  db.query("DELETE FROM planes WHERE study = ?1").bind(1, study).run();
  db.query("DELETE FROM stacks WHERE study = ?1").bind(1, study).run();
  db.query("DELETE FROM view_labels WHERE series IN (SELECT id FROM series WHERE study = ?1)")
      .bind(1, study)
      .run();
}

void writeStudy(Database& db, std::int64_t run, const StudyCurationRecord& record) {
  const std::int64_t study = record.study_id;
  clearStudy(db, study);
  std::unordered_map<int, std::int64_t> stack_ids;
  for (const StackRow& s : record.stacks) {
    Query q = db.query(
        "INSERT INTO stacks (study, run, number, frame_of_reference_uid, view, direction_x, "
        "direction_y, direction_z, slice_count, series_count, phase_count, spacing_median_mm, "
        "spacing_min_mm, spacing_max_mm, in_plane_drift_mm) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)");
    q.bind(1, study).bind(2, run).bind(3, s.number).bindTextOrNull(4, s.frame_of_reference_uid);
    q.bindTextOrNull(5, s.view).bind(6, s.direction[0]).bind(7, s.direction[1]);
    q.bind(8, s.direction[2]).bind(9, s.slice_count).bind(10, s.series_count);
    q.bind(11, s.phase_count).bindOptional(12, s.spacing_median_mm);
    q.bindOptional(13, s.spacing_min_mm).bindOptional(14, s.spacing_max_mm);
    q.bindOptional(15, s.in_plane_drift_mm).run();
    stack_ids[s.number] = db.lastInsertRowId();
  }
  const auto stackId = [&](int number) {
    const auto it = stack_ids.find(number);
    return it == stack_ids.end() ? std::int64_t{0} : it->second;
  };
  std::unordered_map<int, std::int64_t> plane_ids;
  for (const PlaneRow& p : record.planes) {
    Query q = db.query(
        "INSERT INTO planes (study, series, instance, stack, number, slice_index, location_mm, "
        "relative_location_paper, relative_location_anatomical, kept, phase_count, "
        "misalignment_mm, misalignment_ncc, misalignment_flag) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)");
    q.bind(1, study).bind(2, p.series_id).bind(3, p.instance_id);
    bindId(q, 4, stackId(p.stack_number)).bind(5, p.number).bindOptional(6, p.slice_index);
    q.bindOptional(7, p.location_mm).bindOptional(8, p.relative_location_paper);
    q.bindOptional(9, p.relative_location_anatomical).bind(10, p.kept ? 1 : 0);
    q.bind(11, p.phase_count).bindOptional(12, p.misalignment_mm);
    q.bindOptional(13, p.misalignment_ncc);
    if (p.misalignment_flag) {
      q.bind(14, *p.misalignment_flag ? 1 : 0);
    } else {
      q.bindNull(14);
    }
    q.run();
    const std::int64_t plane_id = db.lastInsertRowId();
    plane_ids[p.number] = plane_id;
    for (const auto& [instance, phase] : p.images) {
      db.query(
            "INSERT OR REPLACE INTO plane_images (instance, plane, phase_index) VALUES (?1, ?2, "
            "?3)")
          .bind(1, instance)
          .bind(2, plane_id)
          .bind(3, phase)
          .run();
    }
  }
  const auto planeId = [&](int number) {
    const auto it = plane_ids.find(number);
    return it == plane_ids.end() ? std::int64_t{0} : it->second;
  };
  for (const IntersectionRow& x : record.intersections) {
    Query q = db.query(
        "INSERT INTO plane_intersections (plane, other, angle_deg, crosses, start_col, "
        "start_row, end_col, end_row, profile_ncc) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    q.bind(1, planeId(x.plane_number)).bind(2, planeId(x.other_number)).bind(3, x.angle_deg);
    q.bind(4, x.crosses ? 1 : 0);
    if (x.crosses) {
      q.bind(5, x.start_col_row[0]).bind(6, x.start_col_row[1]);
      q.bind(7, x.end_col_row[0]).bind(8, x.end_col_row[1]);
    } else {
      q.bindNull(5).bindNull(6).bindNull(7).bindNull(8);
    }
    q.bindOptional(9, x.profile_ncc).run();
  }
  for (const ViewLabelRow& v : record.view_labels) {
    Query q = db.query(
        "INSERT OR REPLACE INTO view_labels (series, view, source, confidence, geometry_view, "
        "geometry_confidence, description_view) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    q.bind(1, v.series_id).bind(2, v.view).bind(3, v.source).bind(4, v.confidence);
    q.bindTextOrNull(5, v.geometry_view).bindOptional(6, v.geometry_confidence);
    q.bindTextOrNull(7, v.description_view).run();
  }
  for (const FindingRow& f : record.findings) {
    Query q = db.query(
        "INSERT INTO qa_findings (study, run, stack, series, plane, key, severity, message, "
        "detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    q.bind(1, study).bind(2, run);
    bindId(q, 3, stackId(f.stack_number));
    bindId(q, 4, f.series_id);
    bindId(q, 5, planeId(f.plane_number));
    q.bind(6, f.key).bind(7, f.severity).bind(8, f.message).bindTextOrNull(9, f.detail).run();
  }
}

}  // namespace

std::vector<StudyRef> Catalog::studies(const std::string& study_instance_uid) const {
  std::vector<StudyRef> out;
  impl_->guard("read_failed", [&] {
    Query q = impl_->db->query(
        "SELECT st.id, st.study_instance_uid, p.patient_id, st.description FROM studies AS st "
        "JOIN patients AS p ON p.id = st.patient WHERE ?1 = '' OR st.study_instance_uid = ?1 "
        "ORDER BY st.study_instance_uid");
    q.bind(1, study_instance_uid);
    while (q.step()) out.push_back({q.int64At(0), q.textAt(1), q.textAt(2), q.textAt(3)});
    return Status{};
  });
  return out;
}

std::optional<std::int64_t> Catalog::studyOfImage(const std::string& sop_instance_uid,
                                                  int frame_number) const {
  std::optional<std::int64_t> study;
  impl_->guard("read_failed", [&] {
    Query q = impl_->db->query(
        "SELECT se.study FROM instances AS i JOIN series AS se ON se.id = i.series "
        "WHERE i.sop_instance_uid = ?1 AND i.frame_number = ?2");
    if (q.bind(1, sop_instance_uid).bind(2, frame_number).step()) study = q.int64At(0);
    return Status{};
  });
  return study;
}

std::vector<StudyImage> Catalog::studyImages(std::int64_t study) const {
  std::vector<StudyImage> out;
  impl_->guard("read_failed", [&] {
    Query q = impl_->db->query(
        "SELECT i.id, se.id, se.series_instance_uid, se.series_number, se.description, "
        "se.protocol_name, se.modality, se.body_part, se.laterality, se.patient_position, "
        "se.frame_of_reference_uid, i.sop_instance_uid, i.frame_number, i.instance_number, "
        "i.rows, i.cols, i.ipp_x, i.ipp_y, i.ipp_z, i.iop_row_x, i.iop_row_y, i.iop_row_z, "
        "i.iop_col_x, i.iop_col_y, i.iop_col_z, i.pixel_spacing_row_mm, i.pixel_spacing_col_mm, "
        "i.slice_thickness_mm, i.trigger_time_ms, i.cardiac_number_of_images, "
        "i.acquisition_time, f.path, f.missing, i.sop_class_uid "
        "FROM series AS se JOIN instances AS i ON i.series = se.id JOIN files AS f ON f.id = "
        "i.file WHERE se.study = ?1 ORDER BY se.series_number, se.series_instance_uid, "
        "i.instance_number, i.sop_instance_uid, i.frame_number");
    q.bind(1, study);
    while (q.step()) {
      StudyImage m;
      m.instance_id = q.int64At(0);
      m.series_id = q.int64At(1);
      m.series_instance_uid = q.textAt(2);
      m.series_number = optionalInt(q, 3);
      m.series_description = q.textAt(4);
      m.protocol_name = q.textAt(5);
      m.modality = q.textAt(6);
      m.body_part = q.textAt(7);
      m.laterality = q.textAt(8);
      m.patient_position = q.textAt(9);
      m.frame_of_reference_uid = q.textAt(10);
      m.sop_instance_uid = q.textAt(11);
      m.frame_number = static_cast<int>(q.int64At(12));
      m.instance_number = optionalInt(q, 13);
      m.rows = static_cast<int>(q.int64At(14));
      m.cols = static_cast<int>(q.int64At(15));
      m.image_position_patient = optionalArray<3>(q, 16);
      m.image_orientation_patient = optionalArray<6>(q, 19);
      m.pixel_spacing = optionalArray<2>(q, 25);
      m.slice_thickness_mm = optionalDouble(q, 27);
      m.trigger_time_ms = optionalDouble(q, 28);
      m.cardiac_number_of_images = optionalInt(q, 29);
      m.acquisition_time = q.textAt(30);
      m.file_path = q.textAt(31);
      m.file_missing = q.int64At(32) != 0;
      m.sop_class_uid = q.textAt(33);
      out.push_back(std::move(m));
    }
    return Status{};
  });
  return out;
}

std::unordered_map<std::string, std::string> Catalog::viewOverrides() const {
  std::unordered_map<std::string, std::string> out;
  impl_->guard("read_failed", [&] {
    Query q = impl_->db->query("SELECT series_instance_uid, view FROM view_overrides");
    while (q.step()) out.emplace(q.textAt(0), q.textAt(1));
    return Status{};
  });
  return out;
}

Status Catalog::setViewOverride(const std::string& series_instance_uid, const std::string& view) {
  return impl_->guard("write_failed", [&] {
    Database& db = *impl_->db;
    Transaction transaction(db);
    std::int64_t series = 0;
    {
      Query q = db.query("SELECT id FROM series WHERE series_instance_uid = ?1");
      if (q.bind(1, series_instance_uid).step()) series = q.int64At(0);
    }
    if (series == 0) {
      return Status{"unknown_series", "no series " + series_instance_uid + " in the catalog"};
    }
    if (view.empty()) {
      db.query("DELETE FROM view_overrides WHERE series_instance_uid = ?1")
          .bind(1, series_instance_uid)
          .run();
    } else {
      db.query(
            "INSERT OR REPLACE INTO view_overrides (series_instance_uid, view, set_at) "
            "VALUES (?1, ?2, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))")
          .bind(1, series_instance_uid)
          .bind(2, view)
          .run();
      // The stored label follows at once; geometry/description opinions stay for reference.
      db.query(
            "UPDATE view_labels SET view = ?2, source = 'user', confidence = 1.0 WHERE series = "
            "?1")
          .bind(1, series)
          .bind(2, view)
          .run();
    }
    transaction.commit();
    return Status{};
  });
}

std::int64_t Catalog::beginCuration(const std::string& options_json, Status& status) {
  std::int64_t run = 0;
  status = impl_->guard("write_failed", [&] {
    impl_->db
        ->query(
            "INSERT INTO curation_runs (started_at, state, options_json) "
            "VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'running', ?1)")
        .bind(1, options_json)
        .run();
    run = impl_->db->lastInsertRowId();
    return Status{};
  });
  return run;
}

Status Catalog::finishCuration(std::int64_t run, const std::string& state,
                               const std::string& summary_json) {
  return impl_->finishRunRow("curation_runs", "curation", run, state, summary_json);
}

Status Catalog::writeCuration(std::int64_t run, const std::vector<StudyCurationRecord>& studies) {
  return impl_->guard("write_failed", [&] {
    Database& db = *impl_->db;
    Transaction transaction(db);
    for (const StudyCurationRecord& record : studies) writeStudy(db, run, record);
    transaction.commit();
    return Status{};
  });
}

Table Catalog::viewLabels(const Filters& filters) const {
  Table table;
  impl_->guard("read_failed", [&] {
    Query q = impl_->db->query(
        "SELECT p.patient_id, st.study_instance_uid, se.series_instance_uid, se.series_number, "
        "se.description, vl.view, vl.source, vl.confidence, vl.geometry_view, "
        "vl.geometry_confidence, vl.description_view, "
        "(SELECT count(*) FROM planes AS pl WHERE pl.series = se.id) AS planes "
        "FROM series AS se JOIN studies AS st ON st.id = se.study "
        "JOIN patients AS p ON p.id = st.patient JOIN view_labels AS vl ON vl.series = se.id "
        "WHERE (?1 = '' OR p.patient_id = ?1) AND (?2 = '' OR st.study_instance_uid = ?2) "
        "AND (?3 = '' OR se.series_instance_uid = ?3) "
        "ORDER BY p.patient_id, st.study_instance_uid, se.series_number, se.series_instance_uid "
        "LIMIT ?4");
    q.bind(1, filters.patient_id).bind(2, filters.study_instance_uid);
    q.bind(3, filters.series_instance_uid).bind(4, filters.limit > 0 ? filters.limit : -1);
    table = readTable(q);
    return Status{};
  });
  return table;
}

Table Catalog::stacks(const std::string& study_instance_uid) const {
  return impl_->studyListing(
      "SELECT p.patient_id, st.study_instance_uid, sk.number AS stack, sk.view, "
      "sk.slice_count, sk.series_count, sk.phase_count, sk.spacing_median_mm, "
      "sk.spacing_min_mm, sk.spacing_max_mm, sk.in_plane_drift_mm, sk.frame_of_reference_uid, "
      "sk.direction_x, sk.direction_y, sk.direction_z "
      "FROM stacks AS sk JOIN studies AS st ON st.id = sk.study "
      "JOIN patients AS p ON p.id = st.patient WHERE ?1 = '' OR st.study_instance_uid = ?1 "
      "ORDER BY p.patient_id, st.study_instance_uid, sk.number",
      study_instance_uid);
}

Table Catalog::planes(const std::string& study_instance_uid) const {
  return impl_->studyListing(
      "SELECT p.patient_id, st.study_instance_uid, pl.number AS plane, sk.number AS stack, "
      "se.series_instance_uid, vl.view, i.sop_instance_uid, i.frame_number, pl.slice_index, "
      "pl.location_mm, pl.relative_location_paper, pl.relative_location_anatomical, pl.kept, "
      "pl.phase_count, pl.misalignment_mm, pl.misalignment_ncc, pl.misalignment_flag "
      "FROM planes AS pl JOIN studies AS st ON st.id = pl.study "
      "JOIN patients AS p ON p.id = st.patient JOIN series AS se ON se.id = pl.series "
      "JOIN instances AS i ON i.id = pl.instance LEFT JOIN stacks AS sk ON sk.id = pl.stack "
      "LEFT JOIN view_labels AS vl ON vl.series = pl.series "
      "WHERE ?1 = '' OR st.study_instance_uid = ?1 "
      "ORDER BY p.patient_id, st.study_instance_uid, pl.number",
      study_instance_uid);
}

Table Catalog::findings(const std::string& study_instance_uid) const {
  return impl_->studyListing(
      "SELECT p.patient_id, st.study_instance_uid, f.key, f.severity, sk.number AS stack, "
      "se.series_instance_uid, pl.number AS plane, f.message, f.detail "
      "FROM qa_findings AS f JOIN studies AS st ON st.id = f.study "
      "JOIN patients AS p ON p.id = st.patient LEFT JOIN stacks AS sk ON sk.id = f.stack "
      "LEFT JOIN series AS se ON se.id = f.series LEFT JOIN planes AS pl ON pl.id = f.plane "
      "WHERE ?1 = '' OR st.study_instance_uid = ?1 "
      "ORDER BY p.patient_id, st.study_instance_uid, f.id",
      study_instance_uid);
}

Table Catalog::imageIntersections(const std::string& sop_instance_uid, int frame_number) const {
  Table table;
  impl_->guard("read_failed", [&] {
    Query q = impl_->db->query(
        "SELECT ose.series_instance_uid AS other_series, ovl.view AS other_view, "
        "oi.sop_instance_uid AS other_image, x.angle_deg, x.crosses, x.start_col, x.start_row, "
        "x.end_col, x.end_row, x.profile_ncc "
        "FROM plane_images AS pi JOIN instances AS i ON i.id = pi.instance "
        "JOIN plane_intersections AS x ON x.plane = pi.plane "
        "JOIN planes AS op ON op.id = x.other JOIN series AS ose ON ose.id = op.series "
        "JOIN instances AS oi ON oi.id = op.instance "
        "LEFT JOIN view_labels AS ovl ON ovl.series = op.series "
        "WHERE i.sop_instance_uid = ?1 AND i.frame_number = ?2 ORDER BY op.number");
    q.bind(1, sop_instance_uid).bind(2, frame_number);
    table = readTable(q);
    return Status{};
  });
  return table;
}

Table Catalog::studyIntersections(const std::string& study_instance_uid) const {
  return impl_->studyListing(
      "SELECT st.study_instance_uid, a.number AS plane, avl.view, b.number AS other, "
      "bvl.view AS other_view, x.angle_deg, x.crosses, x.start_col, x.start_row, x.end_col, "
      "x.end_row, x.profile_ncc "
      "FROM plane_intersections AS x JOIN planes AS a ON a.id = x.plane "
      "JOIN planes AS b ON b.id = x.other JOIN studies AS st ON st.id = a.study "
      "LEFT JOIN view_labels AS avl ON avl.series = a.series "
      "LEFT JOIN view_labels AS bvl ON bvl.series = b.series "
      "WHERE ?1 = '' OR st.study_instance_uid = ?1 "
      "ORDER BY st.study_instance_uid, a.number, b.number",
      study_instance_uid);
}

Table Catalog::curationRuns() const {
  Table table;
  impl_->guard("read_failed", [&] {
    Query q = impl_->db->query(
        "SELECT id AS run, started_at, finished_at, state, options_json, summary_json "
        "FROM curation_runs ORDER BY id");
    table = readTable(q);
    return Status{};
  });
  return table;
}

}  // namespace planelab::catalog
