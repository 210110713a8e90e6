#include "catalog/listing.h"

#include <string>
#include <vector>

#include "catalog/sqlite_db.h"

namespace planelab::catalog {
namespace {

// A WHERE clause under construction: conditions joined by AND, with their text parameters.
struct Where {
  std::vector<std::string> conditions;
  std::vector<std::string> params;

  void add(const std::string& value, const std::string& condition, int uses = 1) {
    if (value.empty()) return;
    conditions.push_back(condition);
    for (int i = 0; i < uses; ++i) params.push_back(value);
  }
  std::string sql() const {
    std::string out;
    for (const std::string& c : conditions) out += (out.empty() ? "" : " AND ") + c;
    return out;
  }
};

// Filters on study and series fields over the aliases st (studies) and se (series, may be NULL
// from a LEFT JOIN). `description` matches StudyDescription or SeriesDescription.
void addStudySeriesFilters(const Filters& f, Where& where) {
  where.add(f.study_instance_uid, "st.study_instance_uid = ?");
  where.add(f.series_instance_uid, "se.series_instance_uid = ?");
  where.add(f.modality, "se.modality = ?");
  where.add(f.description,
            "(instr(lower(st.description), lower(?)) > 0 OR "
            "instr(lower(se.description), lower(?)) > 0)",
            2);
}

// Patients and studies match when some study/series below them matches.
std::string belowCondition(const Filters& f, const std::string& link, Where& outer) {
  Where below;
  addStudySeriesFilters(f, below);
  if (below.conditions.empty()) return {};
  outer.params.insert(outer.params.end(), below.params.begin(), below.params.end());
  return "EXISTS (SELECT 1 FROM studies AS st LEFT JOIN series AS se ON se.study = st.id WHERE " +
         link + " AND " + below.sql() + ")";
}

std::string levelSql(Level level, const Filters& f, Where& where) {
  std::string select;
  std::string order;
  where.add(f.patient_id, "p.patient_id = ?");
  switch (level) {
    case Level::kPatients: {
      select =
          "SELECT p.patient_id, p.name, p.sex, p.birth_date, "
          "(SELECT count(*) FROM studies AS st WHERE st.patient = p.id) AS studies, "
          "(SELECT count(*) FROM series AS se JOIN studies AS st ON st.id = se.study "
          "WHERE st.patient = p.id) AS series, "
          "(SELECT count(*) FROM instances AS i JOIN series AS se ON se.id = i.series "
          "JOIN studies AS st ON st.id = se.study WHERE st.patient = p.id) AS instances "
          "FROM patients AS p";
      const std::string below = belowCondition(f, "st.patient = p.id", where);
      if (!below.empty()) where.conditions.push_back(below);
      order = "p.patient_id, p.name";
      break;
    }
    case Level::kStudies: {
      select =
          "SELECT s.study_instance_uid, p.patient_id, s.study_date, s.study_time, "
          "s.description, s.accession_number, s.study_id, "
          "(SELECT count(*) FROM series AS se WHERE se.study = s.id) AS series, "
          "(SELECT count(*) FROM instances AS i JOIN series AS se ON se.id = i.series "
          "WHERE se.study = s.id) AS instances "
          "FROM studies AS s JOIN patients AS p ON p.id = s.patient";
      const std::string below = belowCondition(f, "st.id = s.id", where);
      if (!below.empty()) where.conditions.push_back(below);
      order = "p.patient_id, s.study_date, s.study_time, s.study_instance_uid";
      break;
    }
    case Level::kSeries:
      select =
          "SELECT se.series_instance_uid, st.study_instance_uid, p.patient_id, se.series_number, "
          "se.modality, se.description, se.protocol_name, se.sequence_name, se.body_part, "
          "se.laterality, se.patient_position, se.manufacturer, se.magnetic_field_strength_t, "
          "se.frame_of_reference_uid, "
          // Image size when all the series' images share it, else NULL.
          "(SELECT CASE WHEN min(i.rows) = max(i.rows) THEN min(i.rows) END FROM instances AS i "
          "WHERE i.series = se.id) AS rows, "
          "(SELECT CASE WHEN min(i.cols) = max(i.cols) THEN min(i.cols) END FROM instances AS i "
          "WHERE i.series = se.id) AS cols, "
          "(SELECT count(*) FROM instances AS i WHERE i.series = se.id) AS instances, "
          // Label sets stored in this series (a SEG series) ...
          "(SELECT count(*) FROM label_sets AS l WHERE l.series = se.id) AS label_sets, "
          // ... and label sets that label this series' images.
          "(SELECT count(DISTINCT lf.label_set) FROM label_frames AS lf JOIN instances AS i "
          "ON i.id = lf.instance WHERE i.series = se.id) AS labelled_by "
          "FROM series AS se JOIN studies AS st ON st.id = se.study "
          "JOIN patients AS p ON p.id = st.patient";
      addStudySeriesFilters(f, where);
      order = "st.study_instance_uid, se.series_number, se.series_instance_uid";
      break;
    case Level::kInstances:
      select =
          "SELECT i.sop_instance_uid, i.frame_number, se.series_instance_uid, i.instance_number, "
          "f.path, i.rows, i.cols, i.ipp_x, i.ipp_y, i.ipp_z, i.iop_row_x, i.iop_row_y, "
          "i.iop_row_z, i.iop_col_x, i.iop_col_y, i.iop_col_z, i.pixel_spacing_row_mm, "
          "i.pixel_spacing_col_mm, i.slice_thickness_mm, i.spacing_between_slices_mm, "
          "i.slice_location_mm, i.trigger_time_ms, i.cardiac_number_of_images, "
          "i.nominal_interval_ms, i.acquisition_time, i.sop_class_uid, f.transfer_syntax_uid, "
          "f.missing "
          "FROM instances AS i JOIN files AS f ON f.id = i.file "
          "JOIN series AS se ON se.id = i.series JOIN studies AS st ON st.id = se.study "
          "JOIN patients AS p ON p.id = st.patient";
      addStudySeriesFilters(f, where);
      order = "se.series_instance_uid, i.instance_number, i.frame_number, i.sop_instance_uid";
      break;
  }
  std::string sql = select;
  if (!where.conditions.empty()) sql += " WHERE " + where.sql();
  sql += " ORDER BY " + order;
  return sql + " LIMIT ?";  // bound, so each filter combination is prepared once
}

}  // namespace

Table readTable(Query& q) {
  Table table;
  for (int c = 0; c < q.columnCount(); ++c) table.columns.push_back(q.columnName(c));
  while (q.step()) {
    std::vector<Value> row;
    row.reserve(table.columns.size());
    for (int c = 0; c < q.columnCount(); ++c) row.push_back(q.valueAt(c));
    table.rows.push_back(std::move(row));
  }
  return table;
}

Table listLevel(Database& db, Level level, const Filters& filters) {
  Where where;
  const std::string sql = levelSql(level, filters, where);
  Query q = db.query(sql);
  for (std::size_t i = 0; i < where.params.size(); ++i) {
    q.bind(static_cast<int>(i + 1), where.params[i]);
  }
  q.bind(static_cast<int>(where.params.size() + 1), filters.limit > 0 ? filters.limit : -1);
  return readTable(q);
}

Table listIssues(Database& db, std::optional<std::int64_t> run) {
  // Without a run: every file's current issues (each file keeps those of the run that read it
  // last), which is what a user fixing their data wants to see.
  Query q = db.query(
      "SELECT f.path, ii.key, ii.message, ii.detail, ii.run FROM import_issues AS ii "
      "JOIN files AS f ON f.id = ii.file WHERE ?1 = 0 OR ii.run = ?1 ORDER BY f.path, ii.id");
  q.bind(1, run ? *run : std::int64_t{0});
  return readTable(q);
}

Table listRuns(Database& db) {
  Query q = db.query(
      "SELECT r.id AS run, r.started_at, r.finished_at, r.state, r.inputs_json, r.options_json, "
      "r.summary_json, "
      "(SELECT count(*) FROM files AS f WHERE f.indexed_run = r.id) AS files, "
      "(SELECT count(*) FROM import_issues AS ii WHERE ii.run = r.id) AS issues "
      "FROM import_runs AS r ORDER BY r.id");
  return readTable(q);
}

}  // namespace planelab::catalog
