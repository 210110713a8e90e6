// Image formation (PHANTOM.md 3.6): slice profile, sub-pixel sampling, k-space truncation,
// coil/bias shading defined in 3-D, Rician noise, uint16 quantisation; plus the label map.
#pragma once

#include <cstdint>
#include <vector>

#include "phantom/study.h"

namespace planelab::phantom {

struct RenderSettings {
  int supersample = 2;    // s x s sub-pixel samples per pixel
  int slice_samples = 5;  // K samples across the slice profile
  bool kspace_truncation = true;
  bool noise = true;
  bool labels = true;

  static RenderSettings fast();     // s = 1, K = 3: pretraining pools
  static RenderSettings quality();  // s = 2, K = 7: DICOM cohorts
};

struct RenderedImage {
  int rows = 0;
  int cols = 0;
  std::vector<std::uint16_t> pixels;  // row-major, rows x cols
  std::vector<std::uint8_t> labels;   // row-major; empty when not requested
  double window_center = 0.0;
  double window_width = 0.0;
};

// Renders series `series`, slice `slice`, phase `phase` of the study. Deterministic: the noise
// stream is derived from (study seed, subject, series, slice, phase), so images can be rendered
// in any order and on any thread.
RenderedImage renderImage(const PhantomStudy& study, int series, int slice, int phase,
                          const RenderSettings& settings);

}  // namespace planelab::phantom
