// The steps of curateStudy, in the order it runs them (one file each).
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "curation/study_curation.h"

namespace planelab::curation {

// Base -> apex of the left ventricle in patient LPS for the mean pose of ~700 Kaggle DSB studies
// (reference/PHANTOM.md 1.2). Any real SAX normal is within ~45 degrees of it, so it decides the
// sign of the SAX stack direction.
constexpr geometry::Vec3 kBaseToApex{0.68, -0.61, -0.41};

// Rotations about the long axis, measured in the SAX plane: `axis` is the SAX normal signed base
// -> apex, ref1 the patient's head direction projected onto the plane (anterior, -y, when the
// axis is nearly head-feet), ref2 = axis x ref1.
struct LongAxisFrame {
  geometry::Vec3 axis, ref1, ref2;
  static LongAxisFrame fromSaxNormal(const geometry::Vec3& sax_normal);
  // Angle of a long-axis plane's trace in the SAX plane from ref1 towards ref2, in [0, 180).
  double rotationDeg(const geometry::Vec3& plane_normal) const;
};

// planes.cpp: images -> planes (one per image position of a series, phases ordered), series
// fields, frame-of-reference groups, localizer series; findings for unusable geometry and
// missing or mismatching frames of reference.
void buildPlanes(const std::vector<catalog::StudyImage>& images, StudyCuration& study);

// planes.cpp: heart or knee, from BodyPartExamined, gating and descriptions.
Organ detectOrgan(const std::vector<catalog::StudyImage>& images, const StudyCuration& study);

// stacks.cpp: parallel planes of one group (localizers left out) -> stacks, largest first.
void clusterStacks(StudyCuration& study, const Options& options);

// views.cpp: a view label per series (geometry, description, the user's override).
void labelViews(StudyCuration& study,
                const std::unordered_map<std::string, std::string>& overrides);

// views.cpp: the view a SeriesDescription / ProtocolName names, or "" (heart or knee patterns).
std::string descriptionView(const std::string& text, Organ organ);

// stacks.cpp: anatomical direction, order, repeated locations, spacing, drift, phases, relative
// locations, and the stack findings.
void finishStacks(StudyCuration& study, const Options& options);

// intersection_matrix.cpp: every ordered pair of non-parallel planes of one group.
void buildIntersections(StudyCuration& study);

// misalignment.cpp: breath-hold misalignment score from intensity profiles along crossings.
void scoreMisalignment(StudyCuration& study, const Options& options, PixelSource& pixels);

}  // namespace planelab::curation
