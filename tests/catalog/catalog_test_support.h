// Shared fixtures of the catalog tests: temporary folders, fully filled scanner records, and a raw
// sqlite3 connection to look at what the catalog wrote.
#pragma once

#include <sqlite3.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "temp_dir.h"

namespace planelab::catalog::testing {

inline std::filesystem::path freshTempDir(const std::string& name) {
  return planelab::testing::freshTempDir("catalog", name);
}

inline std::string readBytes(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline std::unique_ptr<Catalog> openOrFail(const std::filesystem::path& file) {
  Status status;
  std::unique_ptr<Catalog> catalog = Catalog::open(file, status);
  if (!catalog) throw std::runtime_error(status.error_key + ": " + status.message);
  return catalog;
}

// One single-frame MR image with every field set. Identity: patient "P<patient>", study
// "1.2.<patient>.<study>", series "<study uid>.<series>", SOP "<series uid>.<image>".
inline FileRecord mrImage(const std::string& path, int patient, int study, int series, int image) {
  FileRecord f;
  f.path = path;
  f.size_bytes = 1000 + static_cast<std::uint64_t>(image);
  f.mtime_ns = 1'700'000'000'000'000'000 + image;
  f.transfer_syntax_uid = "1.2.840.10008.1.2.1";
  f.sop_class_uid = "1.2.840.10008.5.1.4.1.1.4";
  f.patient = PatientRecord{"P" + std::to_string(patient), "Doe^Jane" + std::to_string(patient),
                            "19700101", "F"};
  const std::string study_uid = "1.2." + std::to_string(patient) + "." + std::to_string(study);
  f.study = StudyRecord{study_uid, "20240102", "101500", "Cardiac MR", "ACC1", "S1"};
  SeriesRecord se;
  se.series_instance_uid = study_uid + "." + std::to_string(series);
  se.series_number = series;
  se.modality = "MR";
  se.description = "SAX cine " + std::to_string(series);
  se.protocol_name = "cine_sax";
  se.sequence_name = "*tfi2d1_12";
  se.body_part = "HEART";
  se.laterality = "";
  se.patient_position = "HFS";
  se.manufacturer = "PlaneLab Phantom";
  se.magnetic_field_strength_t = 1.5;
  se.frame_of_reference_uid = study_uid + ".99";
  f.series = se;
  InstanceRecord i;
  i.sop_class_uid = f.sop_class_uid;
  i.sop_instance_uid = se.series_instance_uid + "." + std::to_string(image);
  i.instance_number = image;
  i.rows = 192;
  i.cols = 208;
  i.image_position_patient = std::array<double, 3>{-29.084812345, -175.421, 149.421 + image};
  i.image_orientation_patient =
      std::array<double, 6>{0.669131, 0.743145, 0.0, -0.302264, 0.27216, -0.913545};
  i.pixel_spacing = std::array<double, 2>{1.6, 1.4};
  i.slice_thickness_mm = 8.0;
  i.spacing_between_slices_mm = 10.0;
  i.slice_location_mm = -12.5;
  i.trigger_time_ms = 33.3;
  i.cardiac_number_of_images = 25;
  i.nominal_interval_ms = 857.0;
  i.acquisition_time = "101522.125";
  f.instances.push_back(i);
  return f;
}

// A multi-frame image: one row per frame, each frame 5 mm further along z.
inline FileRecord multiFrameImage(const std::string& path, int frames) {
  FileRecord f = mrImage(path, 1, 1, 50, 1);
  const InstanceRecord first = f.instances.front();
  f.sop_class_uid = "1.2.840.10008.5.1.4.1.1.4.1";
  f.instances.clear();
  for (int k = 1; k <= frames; ++k) {
    InstanceRecord frame = first;
    frame.sop_class_uid = f.sop_class_uid;
    frame.frame_number = k;
    (*frame.image_position_patient)[2] = 5.0 * k;
    f.instances.push_back(frame);
  }
  return f;
}

// A SEG labelling the given images (frame k labels images[k-1], segment 1).
inline FileRecord segmentation(const std::string& path, const std::string& sop_uid,
                               const std::vector<std::string>& image_uids) {
  FileRecord f = mrImage(path, 1, 1, 900, 1);
  f.sop_class_uid = "1.2.840.10008.5.1.4.1.1.66.4";
  f.series->modality = "SEG";
  f.series->description = "Ground truth";
  f.instances.clear();
  LabelSetRecord set;
  set.sop_instance_uid = sop_uid;
  set.series_instance_uid = f.series->series_instance_uid;
  set.segmentation_type = "BINARY";
  set.segments.push_back({1, "Left ventricle", "SCT:91723000", "Anatomical Structure",
                          "SCT:87878005", "Left ventricle myocardium"});
  set.segments.push_back({2, "Right ventricle", "SCT:91723000", "Anatomical Structure",
                          "SCT:53085002", "Right ventricle"});
  int frame = 0;
  for (const std::string& uid : image_uids) set.frames.push_back({++frame, 1, uid, 0});
  f.label_set = set;
  return f;
}

// A raw connection for inspecting (or preparing) catalog files.
class RawDb {
 public:
  explicit RawDb(const std::filesystem::path& file) {
    if (sqlite3_open(file.string().c_str(), &db_) != SQLITE_OK) {
      throw std::runtime_error("cannot open " + file.string());
    }
  }
  ~RawDb() { sqlite3_close(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  void exec(const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      const std::string message = error != nullptr ? error : "?";
      sqlite3_free(error);
      throw std::runtime_error(message + " in: " + sql);
    }
  }
  // All rows of a query, every value as text ("NULL" for NULL; doubles with 17 digits).
  std::vector<std::vector<std::string>> rows(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      throw std::runtime_error(std::string(sqlite3_errmsg(db_)) + " in: " + sql);
    }
    std::vector<std::vector<std::string>> out;
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
        switch (sqlite3_column_type(stmt, c)) {
          case SQLITE_NULL:
            row.emplace_back("NULL");
            break;
          case SQLITE_FLOAT: {
            char buffer[40];
            std::snprintf(buffer, sizeof buffer, "%.17g", sqlite3_column_double(stmt, c));
            row.emplace_back(buffer);
            break;
          }
          default:
            row.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, c)));
        }
      }
      out.push_back(std::move(row));
    }
    sqlite3_finalize(stmt);
    return out;
  }
  std::string text(const std::string& sql) {
    const auto r = rows(sql);
    return r.empty() || r.front().empty() ? "" : r.front().front();
  }
  long long integer(const std::string& sql) { return std::stoll(text(sql)); }
  double real(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr);
    const double value = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_double(stmt, 0) : 0.0;
    sqlite3_finalize(stmt);
    return value;
  }
  sqlite3* handle() { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

// The catalog's content without its integer keys (which differ between equal catalogs), for
// comparing two catalogs row by row.
inline std::vector<std::vector<std::string>> contentDump(const std::filesystem::path& file) {
  RawDb db(file);
  std::vector<std::vector<std::string>> all;
  for (const char* sql :
       {"SELECT patient_id, name, birth_date, sex FROM patients ORDER BY 1, 2",
        "SELECT s.study_instance_uid, p.patient_id, s.study_date, s.study_time, s.description, "
        "s.accession_number, s.study_id FROM studies s JOIN patients p ON p.id = s.patient "
        "ORDER BY 1",
        "SELECT se.*, st.study_instance_uid FROM series se JOIN studies st ON st.id = se.study "
        "ORDER BY se.series_instance_uid",
        "SELECT f.path, i.* FROM instances i JOIN files f ON f.id = i.file "
        "ORDER BY i.sop_instance_uid, i.frame_number",
        "SELECT path, size_bytes, mtime_ns, transfer_syntax_uid, sop_class_uid, missing "
        "FROM files ORDER BY path",
        "SELECT l.sop_instance_uid, f.path, l.segmentation_type FROM label_sets l JOIN files f "
        "ON f.id = l.file ORDER BY 1",
        "SELECT l.sop_instance_uid, lf.frame_number, lf.segment_number, "
        "lf.referenced_sop_instance_uid, lf.referenced_frame_number, i.sop_instance_uid "
        "FROM label_frames lf JOIN label_sets l ON l.id = lf.label_set LEFT JOIN instances i "
        "ON i.id = lf.instance ORDER BY 1, 2",
        "SELECT f.path, ii.key, ii.message FROM import_issues ii JOIN files f ON f.id = ii.file "
        "ORDER BY 1, 2, 3"}) {
    all.push_back({sql});
    for (auto& row : db.rows(sql)) {
      // Drop the integer keys of instances (id, file, series) that differ between catalogs.
      if (std::string(sql).find("i.*") != std::string::npos)
        row.erase(row.begin() + 1, row.begin() + 4);
      if (std::string(sql).find("se.*") != std::string::npos)
        row.erase(row.begin(), row.begin() + 2);
      all.push_back(row);
    }
  }
  return all;
}

}  // namespace planelab::catalog::testing
