#include "sources/series_volume.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <stdexcept>
#include <tuple>

namespace planelab::sources {

namespace {

// Positions equal within 0.01 mm share a key.
std::tuple<long, long, long> positionKey(const catalog::StudyImage& image) {
  const auto& p = *image.image_position_patient;
  return {std::lround(p[0] * 100.0), std::lround(p[1] * 100.0), std::lround(p[2] * 100.0)};
}

void requireGeometry(const catalog::StudyImage& image) {
  if (!image.image_position_patient || !image.image_orientation_patient || !image.pixel_spacing) {
    throw std::runtime_error("[missing_geometry] " + image.sop_instance_uid +
                             " has no plane geometry");
  }
}

// Image indices grouped by position, each group in phase order.
std::map<std::tuple<long, long, long>, std::vector<std::size_t>> byPosition(
    const std::vector<const catalog::StudyImage*>& images) {
  std::map<std::tuple<long, long, long>, std::vector<std::size_t>> groups;
  for (std::size_t i = 0; i < images.size(); ++i) {
    requireGeometry(*images[i]);
    groups[positionKey(*images[i])].push_back(i);
  }
  for (auto& [key, members] : groups) {
    std::sort(members.begin(), members.end(), [&](std::size_t a, std::size_t b) {
      const auto& x = *images[a];
      const auto& y = *images[b];
      return std::make_tuple(x.trigger_time_ms.value_or(0.0), x.instance_number.value_or(0),
                             x.frame_number) < std::make_tuple(y.trigger_time_ms.value_or(0.0),
                                                               y.instance_number.value_or(0),
                                                               y.frame_number);
    });
  }
  return groups;
}

}  // namespace

geometry::ImagePlane planeOf(const catalog::StudyImage& image) {
  requireGeometry(image);
  return geometry::ImagePlane::fromDicom(*image.image_position_patient,
                                         *image.image_orientation_patient, *image.pixel_spacing,
                                         image.rows, image.cols);
}

curation::PlaneImage planeImageOf(const catalog::StudyImage& image) {
  return {image.instance_id, image.sop_instance_uid, image.frame_number, image.file_path,
          image.trigger_time_ms};
}

std::vector<int> phaseIndices(const std::vector<const catalog::StudyImage*>& images) {
  std::vector<int> phase(images.size(), 0);
  for (const auto& [key, members] : byPosition(images)) {
    for (std::size_t t = 0; t < members.size(); ++t) phase[members[t]] = static_cast<int>(t);
  }
  return phase;
}

SeriesVolume seriesVolume(const std::vector<const catalog::StudyImage*>& images) {
  const auto groups = byPosition(images);
  if (groups.empty()) throw std::runtime_error("[not_a_stack] no images");
  SeriesVolume volume;
  volume.phases = static_cast<int>(groups.begin()->second.size());
  std::vector<geometry::ImagePlane> planes;
  std::vector<const std::vector<std::size_t>*> members;
  for (const auto& [key, group] : groups) {
    if (static_cast<int>(group.size()) != volume.phases) {
      throw std::runtime_error("[uneven_phases] slice positions have " +
                               std::to_string(volume.phases) + " and " +
                               std::to_string(group.size()) + " phases");
    }
    planes.push_back(planeOf(*images[group.front()]));
    members.push_back(&group);
  }
  const double thickness = images.front()->slice_thickness_mm.value_or(1.0);
  volume.layout = nifti::stackLayout(planes, thickness > 0.0 ? thickness : 1.0);
  for (const std::size_t k : volume.layout.order) volume.images.push_back(*members[k]);
  return volume;
}

}  // namespace planelab::sources
