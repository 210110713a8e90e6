// Targets of the two pretext tasks (ML-RECIPE §1-§2, docs/pretext-targets.md):
//  - relative orientation: a Gaussian ridge along the trace of another view's plane in the image;
//  - relative location: where a slice sits in its parallel stack, in [0, 1].
// Pure geometry on header planes; no pixels are read.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "geometry/image_plane.h"
#include "geometry/vec3.h"

namespace planelab::data {

struct HeatmapOptions {
  double sigma_px = 6.0;  // Gaussian ridge width in target pixels
};

// Why a channel is empty (stable snake_case keys): "" (line present), "line_misses_crop",
// "planes_parallel" (angle below the 1° guard), "view_missing" (no plane for this channel).
// Two further keys guard bad input: "invalid_sigma" (sigma_px not finite and > 0) and
// "invalid_geometry" (a non-finite coefficient from the planes); their channels are zeros too.
struct LineHeatmap {
  std::vector<float> values;  // target.rows * target.cols, row-major
  std::string flag;
};

// The trace of `other` in `target` as a*col + b*row + c = 0 in target pixel coordinates (pixel
// centres at integers, 0-based), normalised so that a^2 + b^2 = 1: a*col + b*row + c is then the
// signed perpendicular distance in pixel-index units. Derived from the plane equation of `other`
// evaluated at target pixels (ML-RECIPE §1.3): A = col_spacing (n_o . row_dir),
// B = row_spacing (n_o . col_dir), C = n_o . (IPP_target - IPP_other), then divided by |(A, B)|.
// Empty when the planes are closer to parallel than the 1° guard of geometry::intersectPlanes.
struct TraceLine {
  double a = 0.0;
  double b = 0.0;
  double c = 0.0;
};
std::optional<TraceLine> traceLine(const geometry::ImagePlane& target,
                                   const geometry::ImagePlane& other);

// Closed form (ML-RECIPE §1.3), no rasterise-and-refit: the trace of `other` in `target` (a
// resampled plane, as from resampledPlane) is A*col + B*row + C = 0 in target pixel coordinates
// (pixel centres at integers, 0-based), value exp(-d^2 / (2 sigma^2)) with d the perpendicular
// pixel distance, peak 1, over the whole infinite line. If the line does not cross the pixel area
// [-0.5, cols-0.5] x [-0.5, rows-0.5] (its value has the same strict sign at all four corners)
// -> all zeros + "line_misses_crop". Handles lines in any direction (including parallel to rows or
// columns) and any target/source spacing; for a target with non-square pixels d is measured in
// pixel-index units. Values below exp(-87) ~ 1.6e-38 (just above FLT_MIN) are stored as 0, so
// the output has no denormals. Cost: two exps per row plus two multiplications per pixel of the
// band where the value is not 0 (SSE2 recurrences; see the .cpp).
LineHeatmap lineHeatmap(const geometry::ImagePlane& target, const geometry::ImagePlane& other,
                        const HeatmapOptions& options);

// The same, written into out[0 .. target.rows * target.cols) (e.g. a slot of a preallocated batch
// tensor; every value is written, zeros included); returns the flag. out may be null to get only
// the flag.
std::string lineHeatmapInto(const geometry::ImagePlane& target, const geometry::ImagePlane& other,
                            const HeatmapOptions& options, float* out);

// Multi-channel: one channel per entry of `others` (nullptr entry = "view_missing" -> zero
// channel).
std::vector<LineHeatmap> lineHeatmaps(const geometry::ImagePlane& target,
                                      const std::vector<const geometry::ImagePlane*>& others,
                                      const HeatmapOptions& options);

enum class LocationMode { kPaper, kAnatomical };

// "paper" | "anatomical".
std::optional<LocationMode> parseLocationMode(const std::string& text);
std::string locationModeName(LocationMode mode);

// Relative location of each plane of one parallel stack in [0,1]:
//  kPaper: s_k = -n_k . IPP_k with n_k each plane's own unit normal (as the official code), then
//   (s - min)/(max - min);
//  kAnatomical: s_k = d . IPP_k with d = anatomical_direction (normalised here; e.g. base->apex for
//   the heart) so 0 = the most "negative" end (base) and 1 = the other (apex).
// Returns empty (and sets *error_key = "single_slice_stack") when fewer than 2 planes or
// max-min < 1e-6 mm. Also empty with "invalid_direction" (kAnatomical with a zero or non-finite
// direction) or "invalid_geometry" (a non-finite position or orientation). Never NaN. On success
// *error_key is cleared. error_key may be null. Duplicated locations get equal values.
std::vector<double> relativeSliceLocations(const std::vector<geometry::ImagePlane>& stack,
                                           LocationMode mode,
                                           const geometry::Vec3& anatomical_direction,
                                           std::string* error_key);

}  // namespace planelab::data
