#include "curation/study_scene.h"

#include <cmath>
#include <map>
#include <unordered_map>
#include <variant>

namespace planelab::curation {
namespace {

std::optional<double> asDouble(const catalog::Value& v) {
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  return std::nullopt;
}

std::string asText(const catalog::Value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  return {};
}

std::size_t column(const catalog::Table& table, const std::string& name) {
  for (std::size_t c = 0; c < table.columns.size(); ++c) {
    if (table.columns[c] == name) return c;
  }
  return table.columns.size();
}

// Copies the stored misalignment scores onto the recomputed planes, matched by the plane's first
// image (SOP Instance UID + frame): plane numbers may differ if the catalog changed since.
bool applyStoredMisalignment(const catalog::Table& stored, StudyCuration& curation) {
  const std::size_t sop = column(stored, "sop_instance_uid");
  const std::size_t frame = column(stored, "frame_number");
  const std::size_t mm = column(stored, "misalignment_mm");
  const std::size_t ncc = column(stored, "misalignment_ncc");
  const std::size_t flag = column(stored, "misalignment_flag");
  if (sop == stored.columns.size() || mm == stored.columns.size()) return false;
  std::unordered_map<std::string, std::size_t> row_of;
  for (std::size_t r = 0; r < stored.rows.size(); ++r) {
    const auto frame_value = asDouble(stored.rows[r][frame]);
    row_of[asText(stored.rows[r][sop]) + "#" +
           std::to_string(frame_value ? static_cast<int>(*frame_value) : 0)] = r;
  }
  bool any = false;
  for (Plane& plane : curation.planes) {
    if (plane.images.empty()) continue;
    const auto it = row_of.find(plane.images.front().sop_instance_uid + "#" +
                                std::to_string(plane.images.front().frame_number));
    if (it == row_of.end()) continue;
    const auto& row = stored.rows[it->second];
    plane.misalignment_mm = asDouble(row[mm]);
    plane.misalignment_ncc = asDouble(row[ncc]);
    if (const auto f = asDouble(row[flag])) plane.misalignment_flag = *f != 0.0;
    any = any || plane.misalignment_mm.has_value();
  }
  return any;
}

}  // namespace

std::optional<StudyScene> loadStudyScene(const catalog::Catalog& catalog, std::int64_t study_id,
                                         catalog::Status& status) {
  status = {};
  StudyScene scene;
  bool found = false;
  for (const catalog::StudyRef& ref : catalog.studies()) {
    if (ref.id == study_id) {
      scene.study = ref;
      found = true;
      break;
    }
  }
  if (!catalog.lastStatus().ok()) {
    status = catalog.lastStatus();
    return std::nullopt;
  }
  if (!found) {
    status = {"unknown_study", "the catalog has no study with id " + std::to_string(study_id)};
    return std::nullopt;
  }
  const std::vector<catalog::StudyImage> images = catalog.studyImages(study_id);
  const auto overrides = catalog.viewOverrides();
  const catalog::Table stored = catalog.planes(scene.study.study_instance_uid);
  if (!catalog.lastStatus().ok()) {
    status = catalog.lastStatus();
    return std::nullopt;
  }
  Options options;
  options.misalignment = false;  // pixels are not read here; the stored scores are used
  scene.curation = curateStudy(images, overrides, options, nullptr);
  scene.misalignment_stored = applyStoredMisalignment(stored, scene.curation);
  return scene;
}

std::string planeView(const StudyCuration& curation, int plane) {
  if (plane < 0 || static_cast<std::size_t>(plane) >= curation.planes.size()) return {};
  const int series = curation.planes[static_cast<std::size_t>(plane)].series;
  if (series < 0 || static_cast<std::size_t>(series) >= curation.views.size()) return {};
  return curation.views[static_cast<std::size_t>(series)].view;
}

std::vector<ReferenceLine> referenceLines(const StudyCuration& curation, int plane) {
  std::vector<ReferenceLine> lines;
  for (const Intersection& x : curation.intersections) {
    if (x.plane != plane || !x.segment) continue;
    const Plane& other = curation.planes[static_cast<std::size_t>(x.other)];
    if (!other.kept) continue;
    ReferenceLine line;
    line.other_plane = x.other;
    line.other_stack = other.stack;
    line.view = planeView(curation, x.other);
    line.series_instance_uid =
        curation.series[static_cast<std::size_t>(other.series)].series_instance_uid;
    line.angle_deg = x.angle_deg;
    line.segment = *x.segment;
    lines.push_back(std::move(line));
  }
  return lines;
}

std::vector<std::pair<std::string, int>> heatmapChannelPlanes(const StudyCuration& curation,
                                                              int plane,
                                                              std::vector<std::string> wanted) {
  const Plane& image = curation.planes[static_cast<std::size_t>(plane)];
  static const std::map<std::string, std::vector<std::string>> kDefaults = {
      {"sax", {"2ch", "4ch"}}, {"2ch", {"3ch", "4ch"}}, {"3ch", {"2ch", "4ch"}},
      {"4ch", {"2ch", "3ch"}}, {"sag", {"cor", "ax"}},  {"cor", {"sag", "ax"}},
      {"ax", {"sag", "cor"}}};
  if (wanted.empty()) {
    const auto it = kDefaults.find(planeView(curation, plane));
    if (it != kDefaults.end()) wanted = it->second;
  }
  const geometry::Vec3 centre = image.geometry.centre();
  std::vector<std::pair<std::string, int>> out;
  for (const std::string& view : wanted) {
    int best = -1;
    double best_distance = 1e300;
    for (std::size_t p = 0; p < curation.planes.size(); ++p) {
      const Plane& other = curation.planes[p];
      if (!other.kept || planeView(curation, static_cast<int>(p)) != view) continue;
      const double d =
          std::abs(geometry::dot(other.geometry.normal(), centre - other.geometry.position_mm));
      // Cardiac long-axis views: the first series of the view (as the reference code);
      // stacks (knee): the plane nearest to this image's centre.
      if (best < 0 || (curation.organ == Organ::kKnee && d < best_distance)) {
        best = static_cast<int>(p);
        best_distance = d;
      }
    }
    out.emplace_back(view, best);
  }
  return out;
}

std::array<geometry::Vec3, 4> planeCorners(const geometry::ImagePlane& plane) {
  const double last_row = plane.rows - 0.5;
  const double last_col = plane.cols - 0.5;
  return {plane.toPatient(-0.5, -0.5), plane.toPatient(-0.5, last_col),
          plane.toPatient(last_row, last_col), plane.toPatient(last_row, -0.5)};
}

int planeOfImage(const StudyCuration& curation, const std::string& sop_instance_uid,
                 int frame_number) {
  for (std::size_t p = 0; p < curation.planes.size(); ++p) {
    for (const PlaneImage& image : curation.planes[p].images) {
      if (image.sop_instance_uid == sop_instance_uid && image.frame_number == frame_number) {
        return static_cast<int>(p);
      }
    }
  }
  return -1;
}

}  // namespace planelab::curation
