// A study as the viewers show it (2-D plane viewer, 3-D plane scene): its curation recomputed in
// memory from the catalog's geometry, with the misalignment scores of the last stored curate run.
// Recomputing (geometry only, milliseconds per study) rather than reading the stored tables means
// a study that was imported but never curated still shows its stacks, views and reference lines;
// the stored tables hold no plane geometry anyway.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "curation/study_curation.h"

namespace planelab::curation {

struct StudyScene {
  catalog::StudyRef study;
  StudyCuration curation;
  bool misalignment_stored = false;  // at least one plane has a stored score
};

// Keys: the catalog's ("read_failed", ...), "unknown_study".
std::optional<StudyScene> loadStudyScene(const catalog::Catalog& catalog, std::int64_t study_id,
                                         catalog::Status& status);

// The view label of the series a plane belongs to ("" when unknown).
std::string planeView(const StudyCuration& curation, int plane);

// The trace of another plane of the same frame of reference in an image: what a viewer draws as
// a reference line. Pixel coordinates of the image (row, col; pixel centres at integers).
struct ReferenceLine {
  int other_plane = -1;
  int other_stack = -1;
  std::string view;  // of the other plane's series
  std::string series_instance_uid;
  double angle_deg = 0.0;
  geometry::PixelSegment segment;
};

// Every non-parallel plane of the image's frame-of-reference group whose trace crosses the image,
// kept planes only (a superseded repeat is not drawn), in plane order.
std::vector<ReferenceLine> referenceLines(const StudyCuration& curation, int plane);

// The planes giving the orientation task's heatmap channels of an image (ML-RECIPE §1.1 and our
// extension to long-axis and knee inputs), as (view, plane index or -1 when the study has none):
// for a SAX image its first 2CH and 4CH planes; for a long-axis image the other long-axis views;
// for a knee plane the other two families, each the plane nearest to this image's centre.
// `wanted` (views) replaces the default list.
std::vector<std::pair<std::string, int>> heatmapChannelPlanes(const StudyCuration& curation,
                                                              int plane,
                                                              std::vector<std::string> wanted = {});

// The four corners of an image's pixel area (edges of the outer pixels) in the patient frame, mm,
// in the order (row, col) = (-0.5, -0.5), (-0.5, cols - 0.5), (rows - 0.5, cols - 0.5),
// (rows - 0.5, -0.5).
std::array<geometry::Vec3, 4> planeCorners(const geometry::ImagePlane& plane);

// The plane index of an image (SOP Instance UID + frame), or -1.
int planeOfImage(const StudyCuration& curation, const std::string& sop_instance_uid,
                 int frame_number);

}  // namespace planelab::curation
