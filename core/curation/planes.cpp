// Images -> planes, series, frame-of-reference groups and localizers.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <map>
#include <tuple>

#include "curation/curation_steps.h"
#include "geometry/stack_order.h"

namespace planelab::curation {
namespace {

// Two images show the same plane when their geometry agrees to these tolerances (mm, direction
// cosines): written by one scanner for one position, they are equal up to DS rounding.
constexpr double kSamePositionMm = 1e-3;
constexpr double kSameDirection = 1e-5;
// Planes of one series further apart in angle than this make it a multi-orientation localizer.
constexpr double kLocalizerAngleDeg = 5.0;

bool sameGeometry(const geometry::ImagePlane& a, const geometry::ImagePlane& b) {
  return a.rows == b.rows && a.cols == b.cols &&
         std::abs(a.row_spacing_mm - b.row_spacing_mm) < 1e-6 &&
         std::abs(a.col_spacing_mm - b.col_spacing_mm) < 1e-6 &&
         geometry::norm(a.position_mm - b.position_mm) < kSamePositionMm &&
         geometry::norm(a.row_dir - b.row_dir) < kSameDirection &&
         geometry::norm(a.col_dir - b.col_dir) < kSameDirection;
}

// DICOM TM "HHMMSS.FFFFFF" (or "HH:MM:SS" of old files) as seconds of the day; NaN when absent.
double timeOfDaySeconds(const std::string& tm) {
  std::string digits;
  std::string fraction;
  bool in_fraction = false;
  for (const char c : tm) {
    if (c == '.') {
      in_fraction = true;
    } else if (std::isdigit(static_cast<unsigned char>(c)) != 0) {
      (in_fraction ? fraction : digits) += c;
    }
  }
  if (digits.size() < 2) return std::numeric_limits<double>::quiet_NaN();
  const auto part = [&](std::size_t at) {
    return digits.size() >= at + 2 ? std::stoi(digits.substr(at, 2)) : 0;
  };
  double seconds = part(0) * 3600.0 + part(2) * 60.0 + part(4);
  if (!fraction.empty()) seconds += std::stod("0." + fraction);
  return seconds;
}

std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

void buildPlanes(const std::vector<catalog::StudyImage>& images, StudyCuration& study) {
  std::map<std::int64_t, int> series_index;
  std::map<int, std::map<std::string, int>> invalid;  // series -> geometry key -> images
  // Sort key of each plane image: (trigger time or +inf, instance number, SOP UID, frame).
  using PhaseKey = std::tuple<double, int, std::string, int>;
  std::vector<std::vector<PhaseKey>> keys;

  for (const catalog::StudyImage& m : images) {
    auto [it, added] = series_index.emplace(m.series_id, static_cast<int>(study.series.size()));
    if (added) {
      SeriesInfo s;
      s.id = m.series_id;
      s.series_instance_uid = m.series_instance_uid;
      s.series_number = m.series_number;
      s.description = m.series_description;
      s.protocol_name = m.protocol_name;
      s.body_part = m.body_part;
      s.laterality = m.laterality;
      s.patient_position = m.patient_position;
      s.frame_of_reference_uid = m.frame_of_reference_uid;
      study.series.push_back(s);
    }
    const int series = it->second;
    if (!m.image_position_patient || !m.image_orientation_patient || !m.pixel_spacing ||
        m.rows <= 0 || m.cols <= 0) {
      ++invalid[series]["missing_geometry"];
      ++study.excluded_images;
      continue;
    }
    const geometry::ImagePlane geometry = geometry::ImagePlane::fromDicom(
        *m.image_position_patient, *m.image_orientation_patient, *m.pixel_spacing, m.rows, m.cols);
    if (const std::string key = geometry.validate(); !key.empty()) {
      ++invalid[series][key];
      ++study.excluded_images;
      continue;
    }
    int plane = -1;
    for (std::size_t p = 0; p < study.planes.size(); ++p) {
      if (study.planes[p].series == series && sameGeometry(study.planes[p].geometry, geometry)) {
        plane = static_cast<int>(p);
        break;
      }
    }
    if (plane < 0) {
      plane = static_cast<int>(study.planes.size());
      Plane created;
      created.series = series;
      created.geometry = geometry;
      created.acquisition_s = std::numeric_limits<double>::quiet_NaN();
      created.expected_phases = m.cardiac_number_of_images;
      study.planes.push_back(created);
      keys.emplace_back();
    }
    Plane& target = study.planes[static_cast<std::size_t>(plane)];
    target.images.push_back(
        {m.instance_id, m.sop_instance_uid, m.frame_number, m.file_path, m.trigger_time_ms});
    keys[static_cast<std::size_t>(plane)].emplace_back(
        m.trigger_time_ms.value_or(std::numeric_limits<double>::infinity()),
        m.instance_number.value_or(std::numeric_limits<int>::max()), m.sop_instance_uid,
        m.frame_number);
    const double t = timeOfDaySeconds(m.acquisition_time);
    if (!std::isnan(t) && !(target.acquisition_s <= t)) target.acquisition_s = t;
  }

  // Phases in TriggerTime order (never file name or InstanceNumber first).
  for (std::size_t p = 0; p < study.planes.size(); ++p) {
    Plane& plane = study.planes[p];
    std::vector<std::size_t> order(plane.images.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return keys[p][a] < keys[p][b]; });
    std::vector<PlaneImage> sorted;
    sorted.reserve(order.size());
    for (const std::size_t i : order) sorted.push_back(plane.images[i]);
    plane.images = std::move(sorted);
  }

  for (const auto& [series, by_key] : invalid) {
    for (const auto& [key, count] : by_key) {
      const bool missing = key == "missing_geometry";
      study.addFinding(key, missing ? "warning" : "error",
                       std::to_string(count) + (count == 1 ? " image" : " images") +
                           (missing ? " without ImagePositionPatient, ImageOrientationPatient, "
                                      "PixelSpacing or matrix size: left out"
                                    : " with unusable geometry (" + key + "): left out"),
                       {}, -1, series);
    }
  }

  // Localizers: one series whose planes point in different directions (e.g. a 3-plane scout).
  for (std::size_t s = 0; s < study.series.size(); ++s) {
    const geometry::ImagePlane* first = nullptr;
    for (const Plane& plane : study.planes) {
      if (plane.series != static_cast<int>(s)) continue;
      if (first == nullptr) {
        first = &plane.geometry;
      } else if (geometry::angleBetweenPlanesDeg(*first, plane.geometry) > kLocalizerAngleDeg) {
        study.series[s].localizer = true;
      }
    }
  }

  // Frame-of-reference groups. A series without FrameOfReferenceUID (seen in anonymised data)
  // joins the largest group of the same PatientPosition, or a fallback group of its own.
  std::map<std::string, int> group_of_uid;
  std::vector<int> group_planes;
  for (SeriesInfo& s : study.series) {
    if (s.frame_of_reference_uid.empty()) continue;
    auto [it, added] =
        group_of_uid.emplace(s.frame_of_reference_uid, static_cast<int>(study.groups.size()));
    if (added) {
      study.groups.push_back({s.frame_of_reference_uid, s.patient_position});
      group_planes.push_back(0);
    }
    s.group = it->second;
  }
  for (const Plane& plane : study.planes) {
    const int g = study.series[static_cast<std::size_t>(plane.series)].group;
    if (g >= 0) ++group_planes[static_cast<std::size_t>(g)];
  }
  for (std::size_t s = 0; s < study.series.size(); ++s) {
    SeriesInfo& series = study.series[s];
    if (!series.frame_of_reference_uid.empty()) continue;
    int best = -1;
    for (std::size_t g = 0; g < study.groups.size(); ++g) {
      if (study.groups[g].patient_position != series.patient_position) continue;
      if (best < 0 || group_planes[g] > group_planes[static_cast<std::size_t>(best)]) {
        best = static_cast<int>(g);
      }
    }
    if (best < 0) {
      for (std::size_t g = 0; g < study.groups.size(); ++g) {
        if (study.groups[g].frame_of_reference_uid.empty() &&
            study.groups[g].patient_position == series.patient_position) {
          best = static_cast<int>(g);
        }
      }
    }
    if (best < 0) {
      best = static_cast<int>(study.groups.size());
      study.groups.push_back({"", series.patient_position});
      group_planes.push_back(0);
    }
    series.group = best;
    const FrameGroup& group = study.groups[static_cast<std::size_t>(best)];
    study.addFinding("no_frame_of_reference", "warning",
                     "no FrameOfReferenceUID: assumed to share the frame of the study's "
                     "series with patient position '" +
                         series.patient_position + "'",
                     group.frame_of_reference_uid.empty()
                         ? "fallback group"
                         : "joined " + group.frame_of_reference_uid,
                     -1, static_cast<int>(s));
  }
  // Planes in another frame of reference than the study's main one have no intersections.
  if (study.groups.size() > 1) {
    std::vector<int> planes_in(study.groups.size(), 0);
    for (const Plane& plane : study.planes) {
      ++planes_in[static_cast<std::size_t>(
          study.series[static_cast<std::size_t>(plane.series)].group)];
    }
    const int main_group =
        static_cast<int>(std::max_element(planes_in.begin(), planes_in.end()) - planes_in.begin());
    for (std::size_t s = 0; s < study.series.size(); ++s) {
      const SeriesInfo& series = study.series[s];
      if (series.group == main_group) continue;
      study.addFinding(
          "frame_of_reference_mismatch", "warning",
          "series in another frame of reference than the study's main planes: no intersections "
          "with them are computed",
          "this series: '" + series.frame_of_reference_uid + "', main: '" +
              study.groups[static_cast<std::size_t>(main_group)].frame_of_reference_uid + "'",
          -1, static_cast<int>(s));
    }
  }
}

Organ detectOrgan(const std::vector<catalog::StudyImage>& images, const StudyCuration& study) {
  int heart = 0;
  int knee = 0;
  for (const SeriesInfo& s : study.series) {
    const std::string part = upper(s.body_part);
    if (part == "HEART" || part == "CHEST" || part == "THORAX" || part == "CARDIAC") ++heart;
    if (part == "KNEE" || part == "LEG" || part == "LOWER LIMB") ++knee;
  }
  if (heart != knee) return heart > knee ? Organ::kHeart : Organ::kKnee;
  std::size_t gated = 0;
  for (const catalog::StudyImage& m : images) gated += m.trigger_time_ms.has_value() ? 1u : 0u;
  if (!images.empty() && gated * 2 > images.size()) return Organ::kHeart;
  for (const SeriesInfo& s : study.series) {
    const std::string v = descriptionView(s.description, Organ::kHeart);
    if (v == "sax" || v == "2ch" || v == "3ch" || v == "4ch") return Organ::kHeart;
    if (upper(s.description).find("KNEE") != std::string::npos) return Organ::kKnee;
  }
  return Organ::kUnknown;
}

}  // namespace planelab::curation
