// The curation of one study: its images grouped into planes, the planes into parallel stacks
// (across series), a view label per series, the all-pairs intersection matrix and QA findings.
// Pure geometry and header fields; pixels only for the misalignment score (through PixelSource).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "catalog/curation_records.h"
#include "geometry/image_plane.h"
#include "geometry/intersection.h"

namespace planelab::curation {

struct Options {
  double orientation_tolerance_deg = 0.5;  // planes this close to parallel share a stack
  double repeat_tolerance_mm = 0.5;        // two planes of a stack this close = same location
  double missing_gap_factor = 1.5;         // a gap above 1.5 x median spacing = missing slice
  double nonuniform_tolerance = 0.1;       // spacing spread above 10 % of the median
  double drift_tolerance_mm = 2.0;         // in-plane drift of the stack's plane centres
  bool keep_latest_repeat = true;          // else the first acquisition is kept
  bool misalignment = true;                // score breath-hold misalignment (reads pixels)
  int misalignment_phases = 3;             // cine phases compared per crossing (evenly spread)
  double misalignment_search_mm = 10.0;    // largest displacement searched per direction
  double misalignment_flag_mm = 2.5;       // flag a plane whose estimated displacement exceeds it
};

// A QA finding; stack/series/plane are indices into StudyCuration's vectors (-1 = none).
struct Finding {
  std::string key;       // stable snake_case, docs/curation.md
  std::string severity;  // info | warning | error
  std::string message;
  std::string detail;
  int stack = -1;
  int series = -1;
  int plane = -1;
};

struct SeriesInfo {
  std::int64_t id = 0;  // catalog row id (0 when not from a catalog)
  std::string series_instance_uid;
  std::optional<int> series_number;
  std::string description;
  std::string protocol_name;
  std::string body_part;
  std::string laterality;
  std::string patient_position;
  std::string frame_of_reference_uid;
  int group = -1;  // frame-of-reference group (index into StudyCuration::groups)
  bool localizer = false;
};

// One image of a plane (a cine phase or a frame).
struct PlaneImage {
  std::int64_t instance_id = 0;
  std::string sop_instance_uid;
  int frame_number = 0;
  std::string file_path;
  std::optional<double> trigger_time_ms;
};

struct Plane {
  int series = -1;
  geometry::ImagePlane geometry;
  std::vector<PlaneImage> images;      // phase order (TriggerTime, then InstanceNumber)
  double acquisition_s = 0.0;          // AcquisitionTime as seconds of the day (orders repeats)
  std::optional<int> expected_phases;  // CardiacNumberOfImages
  // Filled by curation:
  int stack = -1;
  int slice_index = -1;  // along the stack direction, kept planes only
  double location_mm = 0.0;
  std::optional<double> relative_location_paper;
  std::optional<double> relative_location_anatomical;
  bool kept = true;
  std::optional<double> misalignment_mm;
  std::optional<double> misalignment_ncc;
  std::optional<bool> misalignment_flag;
};

struct Stack {
  int group = -1;
  geometry::Vec3 direction;  // unit; base -> apex for the heart (docs/curation.md)
  std::vector<int> planes;   // every member, ordered along direction (superseded repeats too)
  int slice_count = 0;       // kept planes
  int series_count = 0;
  int phase_count = 0;
  std::optional<double> spacing_median_mm, spacing_min_mm, spacing_max_mm;
  std::optional<double> in_plane_drift_mm;
  std::string view;
};

struct ViewLabel {
  std::string view;    // sax 2ch 3ch 4ch lax_other localizer other | sag cor ax
  std::string source;  // geometry | description | user
  double confidence = 0.0;
  std::string geometry_view;
  std::optional<double> geometry_confidence;
  std::string description_view;
};

struct Intersection {
  int plane = -1;  // the image
  int other = -1;  // the plane cutting it
  double angle_deg = 0.0;
  std::optional<geometry::PixelSegment> segment;  // empty: the trace misses the image
  std::optional<double> profile_ncc;
};

// A frame of reference (or, without one, the fallback "same study and patient position").
struct FrameGroup {
  std::string frame_of_reference_uid;  // empty for the fallback
  std::string patient_position;
};

enum class Organ { kUnknown, kHeart, kKnee };

struct StudyCuration {
  Organ organ = Organ::kUnknown;
  std::vector<FrameGroup> groups;
  std::vector<SeriesInfo> series;
  std::vector<Plane> planes;
  std::vector<Stack> stacks;
  std::vector<ViewLabel> views;  // per series
  std::vector<Intersection> intersections;
  std::vector<Finding> findings;
  int excluded_images = 0;  // without usable geometry

  void addFinding(std::string key, std::string severity, std::string message,
                  std::string detail = {}, int stack = -1, int series = -1, int plane = -1);
};

// A frame's pixels after the Modality LUT, row-major.
struct PixelData {
  int rows = 0;
  int cols = 0;
  std::vector<float> values;
};

// Where the misalignment score gets pixels from (DICOM files, or the phantom in memory).
class PixelSource {
 public:
  virtual ~PixelSource() = default;
  // Empty when the image cannot be read (the score then skips the crossing).
  virtual std::optional<PixelData> load(const PlaneImage& image) = 0;
};

std::string organName(Organ organ);

// Every view label a series can carry (what a user may choose when correcting one).
const std::vector<std::string>& viewNames();

// Curates one study from its catalog images. `overrides`: the user's view labels by
// SeriesInstanceUID. `pixels` may be null (no misalignment score).
StudyCuration curateStudy(const std::vector<catalog::StudyImage>& images,
                          const std::unordered_map<std::string, std::string>& overrides,
                          const Options& options, PixelSource* pixels);

// The records the catalog stores for this curation.
catalog::StudyCurationRecord toRecord(const StudyCuration& curation, std::int64_t study_id);

}  // namespace planelab::curation
