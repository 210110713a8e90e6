// What one DICOM file contributes to the catalog, as plain values (no DCMTK, no SQLite): the
// scanner (core/dicom) fills these, the catalog stores them. Text is UTF-8 (converted from the
// file's SpecificCharacterSet). Geometry follows DICOM: IPP = centre of the first pixel (mm, LPS),
// IOP = row direction then column direction, PixelSpacing = [between rows, between columns].
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace planelab::catalog {

struct PatientRecord {
  std::string patient_id;  // PatientID (or a keyed pseudonym with --deidentify)
  std::string name;        // PatientName, UTF-8 (or pseudonym)
  std::string birth_date;  // DA (or pseudonym / empty)
  std::string sex;
};

struct StudyRecord {
  std::string study_instance_uid;
  std::string study_date;  // DA
  std::string study_time;  // TM
  std::string description;
  std::string accession_number;
  std::string study_id;
};

struct SeriesRecord {
  std::string series_instance_uid;
  std::optional<int> series_number;
  std::string modality;
  std::string description;
  std::string protocol_name;
  std::string sequence_name;
  std::string body_part;
  std::string laterality;
  std::string patient_position;
  std::string manufacturer;
  std::optional<double> magnetic_field_strength_t;
  std::string frame_of_reference_uid;  // empty when absent
};

// One image: a single-frame file, or one frame of a multi-frame file (frame_number >= 1).
struct InstanceRecord {
  std::string sop_class_uid;
  std::string sop_instance_uid;
  int frame_number = 0;  // 0 = single-frame file; 1..N = frame of a multi-frame file
  std::optional<int> instance_number;
  int rows = 0;
  int cols = 0;
  std::optional<std::array<double, 3>> image_position_patient;
  std::optional<std::array<double, 6>> image_orientation_patient;
  std::optional<std::array<double, 2>> pixel_spacing;
  std::optional<double> slice_thickness_mm;
  std::optional<double> spacing_between_slices_mm;
  std::optional<double> slice_location_mm;  // as written in the file (never trusted for geometry)
  std::optional<double> trigger_time_ms;
  std::optional<int> cardiac_number_of_images;
  std::optional<double> nominal_interval_ms;
  std::string acquisition_time;  // TM
};

// A DICOM Segmentation object (label set) and what it references.
struct SegmentRecord {
  int number = 0;  // SegmentNumber
  std::string label;
  std::string category_code;  // "scheme:value" of SegmentedPropertyCategoryCodeSequence
  std::string category_meaning;
  std::string type_code;
  std::string type_meaning;
};
struct LabelFrameRecord {
  int frame_number = 0;                     // 1-based frame in the SEG
  int segment_number = 0;                   // ReferencedSegmentNumber
  std::string referenced_sop_instance_uid;  // the source image the frame labels
  int referenced_frame_number = 0;          // 0 unless the source is multi-frame
};
struct LabelSetRecord {
  std::string sop_instance_uid;
  std::string series_instance_uid;
  std::string segmentation_type;  // BINARY / FRACTIONAL
  std::vector<SegmentRecord> segments;
  std::vector<LabelFrameRecord> frames;
};

// Something wrong with a file, for the import summary: a stable snake_case key (contract, see
// docs/import-issues.md), a message for people, and what DCMTK logged while reading it.
struct ImportIssue {
  std::string key;
  std::string message;
  std::string detail;
};

// The outcome of reading one file.
struct FileRecord {
  std::string path;  // absolute, normalised
  std::uint64_t size_bytes = 0;
  std::int64_t mtime_ns = 0;  // modification time, nanoseconds since the epoch
  std::string transfer_syntax_uid;
  std::string sop_class_uid;
  // Set when the file holds usable objects (images, or a label set).
  std::optional<PatientRecord> patient;
  std::optional<StudyRecord> study;
  std::optional<SeriesRecord> series;
  std::vector<InstanceRecord> instances;  // empty for non-image objects
  std::optional<LabelSetRecord> label_set;
  std::vector<ImportIssue> issues;  // empty when the file imported cleanly
};

}  // namespace planelab::catalog
