// What curation reads from the catalog (a study's images with their geometry) and writes back
// (stacks, planes, view labels, intersections, QA findings), as plain values: the catalog stores
// them, core/curation computes them. Lengths mm, directions unit vectors in patient LPS.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace planelab::catalog {

struct StudyRef {
  std::int64_t id = 0;
  std::string study_instance_uid;
  std::string patient_id;
  std::string description;
};

// One image (an instance row) of a study, with its series' fields.
struct StudyImage {
  std::int64_t instance_id = 0;
  std::int64_t series_id = 0;
  std::string series_instance_uid;
  std::optional<int> series_number;
  std::string series_description;
  std::string protocol_name;
  std::string modality;
  std::string body_part;
  std::string laterality;
  std::string patient_position;
  std::string frame_of_reference_uid;  // empty when absent
  std::string sop_class_uid;
  std::string sop_instance_uid;
  int frame_number = 0;
  std::optional<int> instance_number;
  int rows = 0;
  int cols = 0;
  std::optional<std::array<double, 3>> image_position_patient;
  std::optional<std::array<double, 6>> image_orientation_patient;
  std::optional<std::array<double, 2>> pixel_spacing;
  std::optional<double> slice_thickness_mm;
  std::optional<double> trigger_time_ms;
  std::optional<int> cardiac_number_of_images;
  std::string acquisition_time;  // TM
  std::string file_path;
  bool file_missing = false;
};

// Records of one study's curation. Stacks and planes are numbered 1.. within the study; the
// other records refer to them by number (0 = none).
struct StackRow {
  int number = 0;
  std::string frame_of_reference_uid;  // empty: fallback grouping
  std::string view;
  std::array<double, 3> direction{};
  int slice_count = 0;
  int series_count = 0;
  int phase_count = 0;
  std::optional<double> spacing_median_mm;
  std::optional<double> spacing_min_mm;
  std::optional<double> spacing_max_mm;
  std::optional<double> in_plane_drift_mm;
};

struct PlaneRow {
  int number = 0;
  std::int64_t series_id = 0;
  std::int64_t instance_id = 0;  // first phase
  int stack_number = 0;
  std::optional<int> slice_index;
  std::optional<double> location_mm;
  std::optional<double> relative_location_paper;
  std::optional<double> relative_location_anatomical;
  bool kept = true;
  int phase_count = 0;
  std::optional<double> misalignment_mm;
  std::optional<double> misalignment_ncc;
  std::optional<bool> misalignment_flag;
  std::vector<std::pair<std::int64_t, int>> images;  // (instance id, phase index)
};

struct ViewLabelRow {
  std::int64_t series_id = 0;
  std::string view;
  std::string source;  // geometry | description | user
  double confidence = 0.0;
  std::string geometry_view;
  std::optional<double> geometry_confidence;
  std::string description_view;
};

struct IntersectionRow {
  int plane_number = 0;  // the image the segment is drawn in
  int other_number = 0;  // the plane that cuts it
  double angle_deg = 0.0;
  bool crosses = false;
  std::array<double, 2> start_col_row{};  // [column, row]
  std::array<double, 2> end_col_row{};
  std::optional<double> profile_ncc;
};

struct FindingRow {
  int stack_number = 0;
  std::int64_t series_id = 0;
  int plane_number = 0;
  std::string key;       // stable snake_case (docs/curation.md)
  std::string severity;  // info | warning | error
  std::string message;
  std::string detail;
};

// One labelled image frame of a study (label_frames linked to an instance): where its mask is.
// A SEG frame holds one segment; an image labelled by several segments has several refs.
struct LabelFrameRef {
  std::int64_t instance_id = 0;  // the labelled image (instances.id)
  int frame_number = 0;          // its frame (0 = single-frame image)
  std::string seg_file;          // path of the DICOM SEG file
  bool seg_file_missing = false;
  std::string label_set_uid;      // SOPInstanceUID of the SEG
  std::string segmentation_type;  // BINARY | FRACTIONAL
  int seg_frame = 0;              // 1-based frame in the SEG
  int segment_number = 0;         // SegmentNumber (ReferencedSegmentNumber)
  std::string segment_label;      // SegmentLabel ('' when the segment is not described)
};

struct StudyCurationRecord {
  std::int64_t study_id = 0;
  std::vector<StackRow> stacks;
  std::vector<PlaneRow> planes;
  std::vector<ViewLabelRow> view_labels;
  std::vector<IntersectionRow> intersections;
  std::vector<FindingRow> findings;
};

}  // namespace planelab::catalog
