#include "catalog/batch_writer.h"

#include <cstdio>

#include "catalog/sqlite_db.h"

namespace planelab::catalog {
namespace {

// Joins a record's fields into a key that changes when any field does (unit separator between).
template <typename... Parts>
std::string joinKey(const Parts&... parts) {
  std::string key;
  ((key += parts, key += '\x1f'), ...);
  return key;
}

std::string optionalText(const std::optional<int>& v) {
  return v ? std::to_string(*v) : "-";
}
std::string optionalText(const std::optional<double>& v) {
  if (!v) return "-";
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", *v);  // round-trip precision
  return text;
}

bool hasUnlinkedLabelFrames(Database& db) {
  return db.scalar("SELECT EXISTS (SELECT 1 FROM label_frames WHERE instance IS NULL)") != 0;
}

}  // namespace

BatchWriter::BatchWriter(Database& db, std::int64_t run, BatchCounts& counts)
    : db_(db), run_(run), counts_(counts), unlinked_label_frames_(hasUnlinkedLabelFrames(db)) {}

void BatchWriter::write(const FileRecord& file) {
  // Replace by path: the file's old rows (instances, label set, issues) go with its files row.
  bool replaced = false;
  {
    Query existing = db_.query("SELECT id FROM files WHERE path = ?1");
    existing.bind(1, file.path);
    if (existing.step()) {
      const std::int64_t old_id = existing.int64At(0);
      rememberContentOf(old_id);
      db_.query("DELETE FROM files WHERE id = ?1").bind(1, old_id).run();
      replaced = true;
    }
  }
  if (replaced) {
    ++counts_.files_changed;
    // The cascade unlinked the label frames that pointed at the old instances.
    unlinked_label_frames_ = unlinked_label_frames_ || hasUnlinkedLabelFrames(db_);
  } else {
    ++counts_.files_added;
  }

  db_.query(
         "INSERT INTO files (path, size_bytes, mtime_ns, transfer_syntax_uid, sop_class_uid, "
         "indexed_run) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
      .bind(1, file.path)
      .bind(2, static_cast<std::int64_t>(file.size_bytes))
      .bind(3, file.mtime_ns)
      .bindTextOrNull(4, file.transfer_syntax_uid)
      .bindTextOrNull(5, file.sop_class_uid)
      .bind(6, run_)
      .run();
  const std::int64_t file_id = db_.lastInsertRowId();

  for (const ImportIssue& issue : file.issues) addIssue(file, file_id, issue, false);
  if (file.instances.empty() && !file.label_set) return;

  Hierarchy ids;
  const bool has_hierarchy = upsertHierarchy(file, ids);
  if (!file.instances.empty()) {
    if (has_hierarchy) {
      writeInstances(file, file_id, ids.series, replaced);
    } else {
      addIssue(
          file, file_id,
          {"incomplete_record",
           "the file's images came without patient, study or series; they are not indexed", ""},
          true);
    }
  }
  if (file.label_set) writeLabelSet(file, file_id, has_hierarchy ? ids.series : 0);
}

bool BatchWriter::upsertHierarchy(const FileRecord& file, Hierarchy& ids) {
  if (!file.patient || !file.study || !file.series) return false;
  ids.patient = upsertPatient(*file.patient);
  ids.study = upsertStudy(*file.study, ids.patient);
  ids.series = upsertSeries(*file.series, ids.study);
  return true;
}

// Patients, studies and series are upserted by their keys. An existing row takes the newer file's
// descriptive values where that file has them (an absent value does not erase a known one); a
// row is never moved to another parent. Everything touched is a pruning candidate, which catches
// a parent that a conflicting file created but did not keep.
std::int64_t BatchWriter::upsertPatient(const PatientRecord& p) {
  const std::string key = joinKey(p.patient_id, p.name, p.birth_date, p.sex);
  if (auto it = patients_.find(key); it != patients_.end()) return it->second;
  std::int64_t id = 0;
  {
    Query find = db_.query("SELECT id FROM patients WHERE patient_id = ?1 AND name = ?2");
    find.bind(1, p.patient_id).bind(2, p.name);
    if (find.step()) id = find.int64At(0);
  }
  if (id != 0) {
    db_.query(
           "UPDATE patients SET birth_date = coalesce(?2, birth_date), sex = coalesce(?3, sex) "
           "WHERE id = ?1")
        .bind(1, id)
        .bindTextOrNull(2, p.birth_date)
        .bindTextOrNull(3, p.sex)
        .run();
  } else {
    db_.query("INSERT INTO patients (patient_id, name, birth_date, sex) VALUES (?1, ?2, ?3, ?4)")
        .bind(1, p.patient_id)
        .bind(2, p.name)
        .bindTextOrNull(3, p.birth_date)
        .bindTextOrNull(4, p.sex)
        .run();
    id = db_.lastInsertRowId();
    ++counts_.patients_added;
  }
  patients_.emplace(key, id);
  prune_patients_.insert(id);
  return id;
}

std::int64_t BatchWriter::upsertStudy(const StudyRecord& s, std::int64_t patient) {
  const std::string key = joinKey(s.study_instance_uid, s.study_date, s.study_time, s.description,
                                  s.accession_number, s.study_id, std::to_string(patient));
  if (auto it = studies_.find(key); it != studies_.end()) return it->second;
  std::int64_t id = 0;
  {
    Query find = db_.query("SELECT id FROM studies WHERE study_instance_uid = ?1");
    find.bind(1, s.study_instance_uid);
    if (find.step()) id = find.int64At(0);
  }
  if (id != 0) {
    db_.query(
           "UPDATE studies SET study_date = coalesce(?2, study_date), "
           "study_time = coalesce(?3, study_time), description = coalesce(?4, description), "
           "accession_number = coalesce(?5, accession_number), study_id = coalesce(?6, study_id) "
           "WHERE id = ?1")
        .bind(1, id)
        .bindTextOrNull(2, s.study_date)
        .bindTextOrNull(3, s.study_time)
        .bindTextOrNull(4, s.description)
        .bindTextOrNull(5, s.accession_number)
        .bindTextOrNull(6, s.study_id)
        .run();
  } else {
    db_.query(
           "INSERT INTO studies (patient, study_instance_uid, study_date, study_time, "
           "description, accession_number, study_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
        .bind(1, patient)
        .bind(2, s.study_instance_uid)
        .bindTextOrNull(3, s.study_date)
        .bindTextOrNull(4, s.study_time)
        .bindTextOrNull(5, s.description)
        .bindTextOrNull(6, s.accession_number)
        .bindTextOrNull(7, s.study_id)
        .run();
    id = db_.lastInsertRowId();
    ++counts_.studies_added;
  }
  studies_.emplace(key, id);
  prune_studies_.insert(id);
  return id;
}

std::int64_t BatchWriter::upsertSeries(const SeriesRecord& s, std::int64_t study) {
  const std::string key =
      joinKey(s.series_instance_uid, optionalText(s.series_number), s.modality, s.description,
              s.protocol_name, s.sequence_name, s.body_part, s.laterality, s.patient_position,
              s.manufacturer, optionalText(s.magnetic_field_strength_t), s.frame_of_reference_uid,
              std::to_string(study));
  if (auto it = series_.find(key); it != series_.end()) return it->second;
  std::int64_t id = 0;
  {
    Query find = db_.query("SELECT id FROM series WHERE series_instance_uid = ?1");
    find.bind(1, s.series_instance_uid);
    if (find.step()) id = find.int64At(0);
  }
  if (id == 0) {
    db_.query("INSERT INTO series (study, series_instance_uid) VALUES (?1, ?2)")
        .bind(1, study)
        .bind(2, s.series_instance_uid)
        .run();
    id = db_.lastInsertRowId();
    ++counts_.series_added;
  }
  db_.query(
         "UPDATE series SET series_number = coalesce(?2, series_number), "
         "modality = coalesce(?3, modality), description = coalesce(?4, description), "
         "protocol_name = coalesce(?5, protocol_name), "
         "sequence_name = coalesce(?6, sequence_name), body_part = coalesce(?7, body_part), "
         "laterality = coalesce(?8, laterality), "
         "patient_position = coalesce(?9, patient_position), "
         "manufacturer = coalesce(?10, manufacturer), "
         "magnetic_field_strength_t = coalesce(?11, magnetic_field_strength_t), "
         "frame_of_reference_uid = coalesce(?12, frame_of_reference_uid) WHERE id = ?1")
      .bind(1, id)
      .bindOptional(2, s.series_number)
      .bindTextOrNull(3, s.modality)
      .bindTextOrNull(4, s.description)
      .bindTextOrNull(5, s.protocol_name)
      .bindTextOrNull(6, s.sequence_name)
      .bindTextOrNull(7, s.body_part)
      .bindTextOrNull(8, s.laterality)
      .bindTextOrNull(9, s.patient_position)
      .bindTextOrNull(10, s.manufacturer)
      .bindOptional(11, s.magnetic_field_strength_t)
      .bindTextOrNull(12, s.frame_of_reference_uid)
      .run();
  series_.emplace(key, id);
  prune_series_.insert(id);
  return id;
}

void BatchWriter::writeInstances(const FileRecord& file, std::int64_t file_id, std::int64_t series,
                                 bool replaced) {
  int duplicates = 0;
  const InstanceRecord* first_duplicate = nullptr;
  for (const InstanceRecord& inst : file.instances) {
    {
      Query insert = db_.query(
          "INSERT INTO instances (file, series, sop_class_uid, sop_instance_uid, frame_number, "
          "instance_number, rows, cols, ipp_x, ipp_y, ipp_z, iop_row_x, iop_row_y, iop_row_z, "
          "iop_col_x, iop_col_y, iop_col_z, pixel_spacing_row_mm, pixel_spacing_col_mm, "
          "slice_thickness_mm, spacing_between_slices_mm, slice_location_mm, trigger_time_ms, "
          "cardiac_number_of_images, nominal_interval_ms, acquisition_time) VALUES (?1, ?2, ?3, "
          "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, "
          "?22, ?23, ?24, ?25, ?26) ON CONFLICT (sop_instance_uid, frame_number) DO NOTHING");
      insert.bind(1, file_id)
          .bind(2, series)
          .bind(3, inst.sop_class_uid.empty() ? file.sop_class_uid : inst.sop_class_uid)
          .bind(4, inst.sop_instance_uid)
          .bind(5, inst.frame_number)
          .bindOptional(6, inst.instance_number)
          .bind(7, inst.rows)
          .bind(8, inst.cols);
      for (int k = 0; k < 3; ++k) {
        insert.bindOptional(9 + k, inst.image_position_patient
                                       ? std::optional<double>((*inst.image_position_patient)[k])
                                       : std::nullopt);
      }
      for (int k = 0; k < 6; ++k) {
        insert.bindOptional(12 + k,
                            inst.image_orientation_patient
                                ? std::optional<double>((*inst.image_orientation_patient)[k])
                                : std::nullopt);
      }
      for (int k = 0; k < 2; ++k) {
        insert.bindOptional(18 + k, inst.pixel_spacing
                                        ? std::optional<double>((*inst.pixel_spacing)[k])
                                        : std::nullopt);
      }
      insert.bindOptional(20, inst.slice_thickness_mm)
          .bindOptional(21, inst.spacing_between_slices_mm)
          .bindOptional(22, inst.slice_location_mm)
          .bindOptional(23, inst.trigger_time_ms)
          .bindOptional(24, inst.cardiac_number_of_images)
          .bindOptional(25, inst.nominal_interval_ms)
          .bindTextOrNull(26, inst.acquisition_time)
          .run();
    }
    if (db_.changes() == 0) {
      if (duplicates++ == 0) first_duplicate = &inst;
      continue;
    }
    ++(replaced ? counts_.instances_updated : counts_.instances_added);
    if (unlinked_label_frames_) {
      db_.query(
             "UPDATE label_frames SET instance = ?1 WHERE referenced_sop_instance_uid = ?2 AND "
             "referenced_frame_number = ?3 AND instance IS NULL")
          .bind(1, db_.lastInsertRowId())
          .bind(2, inst.sop_instance_uid)
          .bind(3, inst.frame_number)
          .run();
    }
  }
  if (duplicates == 0) return;

  std::string owner;
  {
    Query find = db_.query(
        "SELECT f.path FROM instances AS i JOIN files AS f ON f.id = i.file "
        "WHERE i.sop_instance_uid = ?1 AND i.frame_number = ?2");
    find.bind(1, first_duplicate->sop_instance_uid).bind(2, first_duplicate->frame_number);
    if (find.step()) owner = find.textAt(0);
  }
  std::string message = "SOP Instance UID " + first_duplicate->sop_instance_uid;
  if (first_duplicate->frame_number != 0) {
    message += " frame " + std::to_string(first_duplicate->frame_number);
  }
  message +=
      owner == file.path ? " occurs twice in this file" : " is already indexed from " + owner;
  if (duplicates > 1) {
    message += " (" + std::to_string(duplicates) + " of " + std::to_string(file.instances.size()) +
               " images not indexed)";
  }
  addIssue(file, file_id, {"duplicate_sop_instance", message, ""}, true);
}

void BatchWriter::writeLabelSet(const FileRecord& file, std::int64_t file_id, std::int64_t series) {
  const LabelSetRecord& set = *file.label_set;
  {
    Query insert = db_.query(
        "INSERT INTO label_sets (file, series, sop_instance_uid, segmentation_type) "
        "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (sop_instance_uid) DO NOTHING");
    insert.bind(1, file_id);
    if (series != 0) {
      insert.bind(2, series);
    } else {
      insert.bindNull(2);
    }
    insert.bind(3, set.sop_instance_uid).bindTextOrNull(4, set.segmentation_type).run();
  }
  if (db_.changes() == 0) {
    std::string owner;
    {
      Query find = db_.query(
          "SELECT f.path FROM label_sets AS l JOIN files AS f ON f.id = l.file "
          "WHERE l.sop_instance_uid = ?1");
      find.bind(1, set.sop_instance_uid);
      if (find.step()) owner = find.textAt(0);
    }
    addIssue(file, file_id,
             {"duplicate_sop_instance",
              "SOP Instance UID " + set.sop_instance_uid + " is already indexed from " + owner, ""},
             true);
    return;
  }
  const std::int64_t label_set = db_.lastInsertRowId();
  ++counts_.label_sets_added;

  for (const SegmentRecord& segment : set.segments) {
    db_.query(
           "INSERT INTO segments (label_set, number, label, category_code, category_meaning, "
           "type_code, type_meaning) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
           "ON CONFLICT (label_set, number) DO NOTHING")
        .bind(1, label_set)
        .bind(2, segment.number)
        .bindTextOrNull(3, segment.label)
        .bindTextOrNull(4, segment.category_code)
        .bindTextOrNull(5, segment.category_meaning)
        .bindTextOrNull(6, segment.type_code)
        .bindTextOrNull(7, segment.type_meaning)
        .run();
  }
  for (const LabelFrameRecord& frame : set.frames) {
    db_.query(
           "INSERT INTO label_frames (label_set, frame_number, segment_number, "
           "referenced_sop_instance_uid, referenced_frame_number, instance) VALUES (?1, ?2, ?3, "
           "?4, ?5, (SELECT id FROM instances WHERE sop_instance_uid = ?4 AND frame_number = ?5))")
        .bind(1, label_set)
        .bind(2, frame.frame_number)
        .bind(3, frame.segment_number)
        .bind(4, frame.referenced_sop_instance_uid)
        .bind(5, frame.referenced_frame_number)
        .run();
  }
  if (!unlinked_label_frames_) {
    Query unlinked = db_.query(
        "SELECT EXISTS (SELECT 1 FROM label_frames WHERE label_set = ?1 AND instance IS NULL)");
    unlinked_label_frames_ = unlinked.bind(1, label_set).step() && unlinked.int64At(0) != 0;
  }
}

void BatchWriter::addIssue(const FileRecord& file, std::int64_t file_id, const ImportIssue& issue,
                           bool found_while_writing) {
  db_.query(
         "INSERT INTO import_issues (file, run, key, message, detail) VALUES (?1, ?2, ?3, ?4, ?5)")
      .bind(1, file_id)
      .bind(2, run_)
      .bind(3, issue.key)
      .bind(4, issue.message)
      .bindTextOrNull(5, issue.detail)
      .run();
  if (found_while_writing) counts_.issues.emplace_back(file.path, issue);
}

void BatchWriter::rememberContentOf(std::int64_t file_id) {
  Query q = db_.query(
      "SELECT se.id, se.study, st.patient FROM series AS se JOIN studies AS st ON st.id = se.study "
      "WHERE se.id IN (SELECT series FROM instances WHERE file = ?1 "
      "UNION SELECT series FROM label_sets WHERE file = ?1)");
  q.bind(1, file_id);
  while (q.step()) {
    prune_series_.insert(q.int64At(0));
    prune_studies_.insert(q.int64At(1));
    prune_patients_.insert(q.int64At(2));
  }
}

void BatchWriter::finish() {
  for (const std::int64_t id : prune_series_) {
    db_.query(
           "DELETE FROM series WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM instances WHERE "
           "series = ?1) AND NOT EXISTS (SELECT 1 FROM label_sets WHERE series = ?1)")
        .bind(1, id)
        .run();
  }
  for (const std::int64_t id : prune_studies_) {
    db_.query(
           "DELETE FROM studies WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM series WHERE "
           "study = ?1)")
        .bind(1, id)
        .run();
  }
  for (const std::int64_t id : prune_patients_) {
    db_.query(
           "DELETE FROM patients WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM studies WHERE "
           "patient = ?1)")
        .bind(1, id)
        .run();
  }
}

}  // namespace planelab::catalog
