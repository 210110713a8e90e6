// Knee study: subject sampling, sagittal/coronal/axial planning from the knee's own axes and
// PD fat-saturated contrast (PHANTOM.md 5).
#pragma once

#include <cstdint>

#include "phantom/study.h"

namespace planelab::phantom {

PhantomStudy generateKneeStudy(std::uint64_t seed, int subject_index, const StudyOptions& options);

}  // namespace planelab::phantom
