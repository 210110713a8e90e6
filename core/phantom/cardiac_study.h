// Cardiac cine study: subject sampling (PHANTOM.md 3.1), view planning (3.5) and layouts (3.7).
#pragma once

#include <cstdint>

#include "phantom/study.h"

namespace planelab::phantom {

PhantomStudy generateCardiacStudy(std::uint64_t seed, int subject_index,
                                  const StudyOptions& options);

}  // namespace planelab::phantom
