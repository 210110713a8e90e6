// Helpers a "technologist" uses for any organ: image axes for a plane normal, the image grid,
// and the DICOM plane centred on a point.
#pragma once

#include <utility>

#include "geometry/image_plane.h"
#include "phantom/difficulty.h"
#include "phantom/rng.h"

namespace planelab::phantom {

// In-plane image axes (row_dir, col_dir) for a plane with unit normal n (PHANTOM.md 3.5):
// column direction ~ patient feet (or posterior for near-axial planes), row direction ~ patient
// left (radiological), then rotated in-plane by rotation_deg about n.
std::pair<geometry::Vec3, geometry::Vec3> inPlaneAxes(const geometry::Vec3& n, double rotation_deg);

// In-plane rotation drawn from the knobs: N(0, sd) plus, with the family probability, an extra
// 90 or 180 degrees (vendor conventions).
double drawInPlaneRotationDeg(Rng& rng, double sd_deg, double family_probability);

struct ImageGrid {
  int rows = 0;
  int cols = 0;
  double row_spacing_mm = 1.5;
  double col_spacing_mm = 1.5;
};

// Square field of view fov_mm sampled with a column count from `column_choices` whose pixel size
// falls in the knobs' spacing range (nearest choice otherwise); rows = cols * U(min_ratio, 1)
// (rectangular FOV). Rows are rounded to even numbers.
ImageGrid drawImageGrid(Rng& rng, const DifficultyKnobs& knobs, double fov_mm,
                        const int* column_choices, int n_choices, double min_row_ratio);

// The DICOM plane whose pixel-rectangle centre is `centre_mm`:
// IPP = centre - ((cols - 1)/2) dcol r - ((rows - 1)/2) drow c.
geometry::ImagePlane planeCentredAt(const geometry::Vec3& centre_mm, const geometry::Vec3& row_dir,
                                    const geometry::Vec3& col_dir, const ImageGrid& grid);

// A unit vector perpendicular to v (any).
geometry::Vec3 anyPerpendicular(const geometry::Vec3& v);
// v tilted by angle_deg about a random axis perpendicular to v.
geometry::Vec3 tiltRandomly(Rng& rng, const geometry::Vec3& v, double angle_deg);

}  // namespace planelab::phantom
