#include "curation/study_curation.h"

#include "curation/curation_steps.h"

namespace planelab::curation {

void StudyCuration::addFinding(std::string key, std::string severity, std::string message,
                               std::string detail, int stack, int series_index, int plane) {
  findings.push_back({std::move(key), std::move(severity), std::move(message), std::move(detail),
                      stack, series_index, plane});
}

const std::vector<std::string>& viewNames() {
  static const std::vector<std::string> names = {"sax",       "2ch",   "3ch", "4ch", "lax_other",
                                                 "localizer", "other", "sag", "cor", "ax"};
  return names;
}

std::string organName(Organ organ) {
  switch (organ) {
    case Organ::kHeart:
      return "heart";
    case Organ::kKnee:
      return "knee";
    case Organ::kUnknown:
      break;
  }
  return "unknown";
}

StudyCuration curateStudy(const std::vector<catalog::StudyImage>& images,
                          const std::unordered_map<std::string, std::string>& overrides,
                          const Options& options, PixelSource* pixels) {
  StudyCuration study;
  buildPlanes(images, study);
  study.organ = detectOrgan(images, study);
  clusterStacks(study, options);
  labelViews(study, overrides);
  finishStacks(study, options);
  buildIntersections(study);
  if (options.misalignment && pixels != nullptr) scoreMisalignment(study, options, *pixels);
  return study;
}

catalog::StudyCurationRecord toRecord(const StudyCuration& study, std::int64_t study_id) {
  catalog::StudyCurationRecord record;
  record.study_id = study_id;
  for (std::size_t s = 0; s < study.stacks.size(); ++s) {
    const Stack& stack = study.stacks[s];
    catalog::StackRow row;
    row.number = static_cast<int>(s) + 1;
    row.frame_of_reference_uid =
        study.groups[static_cast<std::size_t>(stack.group)].frame_of_reference_uid;
    row.view = stack.view;
    row.direction = {stack.direction.x, stack.direction.y, stack.direction.z};
    row.slice_count = stack.slice_count;
    row.series_count = stack.series_count;
    row.phase_count = stack.phase_count;
    row.spacing_median_mm = stack.spacing_median_mm;
    row.spacing_min_mm = stack.spacing_min_mm;
    row.spacing_max_mm = stack.spacing_max_mm;
    row.in_plane_drift_mm = stack.in_plane_drift_mm;
    record.stacks.push_back(row);
  }
  for (std::size_t p = 0; p < study.planes.size(); ++p) {
    const Plane& plane = study.planes[p];
    catalog::PlaneRow row;
    row.number = static_cast<int>(p) + 1;
    row.series_id = study.series[static_cast<std::size_t>(plane.series)].id;
    row.instance_id = plane.images.front().instance_id;
    row.stack_number = plane.stack + 1;
    if (plane.slice_index >= 0) row.slice_index = plane.slice_index;
    if (plane.stack >= 0) row.location_mm = plane.location_mm;
    row.relative_location_paper = plane.relative_location_paper;
    row.relative_location_anatomical = plane.relative_location_anatomical;
    row.kept = plane.kept;
    row.phase_count = static_cast<int>(plane.images.size());
    row.misalignment_mm = plane.misalignment_mm;
    row.misalignment_ncc = plane.misalignment_ncc;
    row.misalignment_flag = plane.misalignment_flag;
    for (std::size_t i = 0; i < plane.images.size(); ++i) {
      row.images.emplace_back(plane.images[i].instance_id, static_cast<int>(i));
    }
    record.planes.push_back(std::move(row));
  }
  for (std::size_t s = 0; s < study.series.size(); ++s) {
    const ViewLabel& v = study.views[s];
    record.view_labels.push_back({study.series[s].id, v.view, v.source, v.confidence,
                                  v.geometry_view, v.geometry_confidence, v.description_view});
  }
  for (const Intersection& x : study.intersections) {
    catalog::IntersectionRow row;
    row.plane_number = x.plane + 1;
    row.other_number = x.other + 1;
    row.angle_deg = x.angle_deg;
    row.crosses = x.segment.has_value();
    if (x.segment) {
      row.start_col_row = {x.segment->start.col, x.segment->start.row};
      row.end_col_row = {x.segment->end.col, x.segment->end.row};
    }
    row.profile_ncc = x.profile_ncc;
    record.intersections.push_back(row);
  }
  for (const Finding& f : study.findings) {
    catalog::FindingRow row;
    row.stack_number = f.stack + 1;
    row.series_id = f.series >= 0 ? study.series[static_cast<std::size_t>(f.series)].id : 0;
    row.plane_number = f.plane + 1;
    row.key = f.key;
    row.severity = f.severity;
    row.message = f.message;
    row.detail = f.detail;
    record.findings.push_back(row);
  }
  return record;
}

}  // namespace planelab::curation
